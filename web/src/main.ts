/**
 * Lobby's web client. Screens are plain functions that draw into #app and return a cleanup;
 * the URL hash picks the screen (#/ the room list, #/rooms/<id> a room), so reload and the back
 * button work without any server-side routing.
 */
import "./style.css";
import { api, client, restoreSession, type User } from "./api";
import { h } from "./dom";
import { Live, type LiveState } from "./live";
import { authView } from "./views/auth";
import { roomView } from "./views/room";
import { roomsView } from "./views/rooms";

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

function route(): void {
  leave();
  if (!me || !live) {
    document.body.replaceChildren(app);
    leave = authView(app, (user) => void signedIn(user));
    return;
  }
  document.body.replaceChildren(banner(me), app);
  const room = /^#\/rooms\/([0-9a-f-]{36})$/i.exec(location.hash);
  leave = room ? roomView(app, room[1]!, me, live) : roomsView(app, me, live);
}

function banner(user: User): HTMLElement {
  return h(
    "header",
    { class: "banner" },
    h("a", { href: "#/", class: "brand" }, "Lobby"),
    status,
    h("span", { class: "me" }, `Signed in as ${user.displayName}`),
    h("button", { type: "button", onclick: () => void signOut() }, "Sign out"),
  );
}

async function signedIn(user: User): Promise<void> {
  me = user;
  live = new Live((state) => {
    status.textContent = STATE_TEXT[state];
    status.dataset["state"] = state;
  });
  route();
  await live.start();
}

async function signOut(): Promise<void> {
  // Ending the session on the server matters more than the answer: sign out locally regardless.
  await api.POST("/api/v1/auth/logout").catch(() => undefined);
  client.setTokens(null);
  await live?.stop();
  live = null;
  me = null;
  location.hash = "#/";
  route();
}

async function boot(): Promise<void> {
  window.addEventListener("hashchange", route);
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
