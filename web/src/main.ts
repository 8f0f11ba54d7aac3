/**
 * Lobby's web client. Screens are plain functions that draw into #app and return a cleanup;
 * the URL hash picks the screen (#/ the room list, #/rooms/<id> a room, #/settings), so reload
 * and the back button work without any server-side routing.
 */
import "./style.css";
import { api, client, restoreSession, session, type User } from "./api";
import { h } from "./dom";
import { Live, type LiveState } from "./live";
import { authView } from "./views/auth";
import { roomView } from "./views/room";
import { roomsView } from "./views/rooms";
import { settingsView } from "./views/settings";

const app = document.getElementById("app")!;
const STATE_TEXT: Record<LiveState, string> = {
  connecting: "Connecting…",
  online: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline, retrying…",
};

let me: User | null = null;
let live: Live | null = null;
let leave: () => void = () => undefined;
const status = h("span", { class: "status", role: "status" });
const meLabel = h("span", { class: "me" });
/** Said on the sign-in screen after the session ended elsewhere. */
let notice = "";
let signingOut = false;

function route(): void {
  leave();
  if (!me || !live) {
    document.body.replaceChildren(app);
    document.body.className = "";
    leave = authView(app, (user) => void signedIn(user), notice);
    notice = "";
    return;
  }
  document.body.replaceChildren(banner(), app);
  const room = /^#\/rooms\/([0-9a-f-]{36})$/i.exec(location.hash);
  // A room fills the window (the composer stays at the bottom); other screens scroll.
  document.body.className = room ? "fill" : "";
  if (room) leave = roomView(app, room[1]!, me, live);
  else if (location.hash === "#/settings") leave = settingsView(app, me, profileChanged);
  else leave = roomsView(app, me, live);
}

function banner(): HTMLElement {
  return h(
    "header",
    { class: "banner" },
    h("a", { href: "#/", class: "brand" }, "Lobby"),
    status,
    meLabel,
    h("a", { href: "#/settings", class: "settings" }, "Settings"),
    h("button", { type: "button", onclick: () => void signOut() }, "Sign out"),
  );
}

function profileChanged(user: User): void {
  me = user;
  // The full name stays readable on hover when a narrow window cuts it short.
  meLabel.textContent = `Signed in as ${user.displayName}`;
  meLabel.title = user.displayName;
}

async function signedIn(user: User): Promise<void> {
  profileChanged(user);
  live = new Live((state) => {
    status.textContent = STATE_TEXT[state];
    status.dataset["state"] = state;
  });
  route();
  await live.start();
}

async function signOut(): Promise<void> {
  // Ending the session on the server matters more than the answer: sign out locally regardless.
  // Either way the tokens go, and `session` "ended" takes us to the sign-in screen.
  signingOut = true;
  await api.POST("/api/v1/auth/logout").catch(() => undefined);
  client.setTokens(null);
  signingOut = false;
}

/** The session is over (signed out here, or ended elsewhere): stop live and show the sign-in screen. */
function sessionEnded(): void {
  if (!me) return;
  notice = signingOut ? "" : "You were signed out (from another device, or by a password change). Please sign in again.";
  me = null;
  void live?.stop();
  live = null;
  // Replaced, not set: setting the hash would route a second time and lose the notice.
  history.replaceState(null, "", "#/");
  route();
}

async function boot(): Promise<void> {
  window.addEventListener("hashchange", route);
  session.addEventListener("ended", sessionEnded);
  try {
    if (await restoreSession()) {
      const { data } = await api.GET("/api/v1/users/me");
      if (data) {
        await signedIn(data);
        return;
      }
    }
  } catch {
    // Lobby unreachable: show the sign-in screen, which reports errors when used.
  }
  route();
}

void boot();
