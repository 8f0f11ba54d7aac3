/**
 * Lobby's web client. Screens are plain functions that draw into #app and return a cleanup;
 * the URL hash picks the screen (#/ the room list, #/rooms/<id> a room, #/settings, and the pages
 * mailed links open: #/reset-password, #/verify-email, #/confirm-email), so reload and the back
 * button work without any server-side routing.
 */
import "./style.css";
import { api, client, restoreSession, session, type User } from "./api";
import { h } from "./dom";
import { Live, type LiveState } from "./live";
import { problemText } from "./problems";
import { RoomFeed } from "./roomFeed";
import { authView } from "./views/auth";
import { linkRoute, linkView, type LinkKind } from "./views/links";
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
/** My rooms and DMs with their unread counts, shared by the room list and the room view's switcher. */
let feed: RoomFeed | null = null;
let leave: () => void = () => undefined;
const status = h("span", { class: "status", role: "status" });
const meLabel = h("span", { class: "me" });
/** Said on the next screen: why the session ended, or what a mailed link did. */
let notice = "";
/** The session is ending on purpose (sign out here, a password reset): no "signed out elsewhere" notice. */
let signingOut = false;
/** Whether this server sends mail (GET /api/v1/auth/settings): without it nobody can confirm an address. */
let mailEnabled = false;

function route(): void {
  leave();
  const link = linkRoute(location.hash);
  if (link) {
    // A mailed link works signed in or not: the token is the credential.
    document.body.replaceChildren(app);
    document.body.className = "";
    leave = linkView(app, link[0], link[1], (text) => void afterLink(link[0], text));
    return;
  }
  if (!me || !live || !feed) {
    document.body.replaceChildren(app);
    document.body.className = "";
    leave = authView(app, (user) => void signedIn(user), notice);
    notice = "";
    return;
  }
  // What a mailed link did is said once, above the next screen.
  const said = notice ? h("p", { class: "flash", role: "status" }, notice) : null;
  notice = "";
  document.body.replaceChildren(...[banner(), said, verifyNotice(me), app].filter((e): e is HTMLElement => e !== null));
  const room = /^#\/rooms\/([0-9a-f-]{36})$/i.exec(location.hash);
  // A room fills the window (the composer stays at the bottom); other screens scroll.
  document.body.className = room ? "fill" : "";
  if (room) leave = roomView(app, room[1]!, me, live, feed);
  else if (location.hash === "#/settings") leave = settingsView(app, me, profileChanged, mailEnabled);
  else leave = roomsView(app, feed);
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

/** Unconfirmed address, on a server that sends mail: say so, with a way to get a new link. */
function verifyNotice(user: User): HTMLElement | null {
  if (user.emailVerified || !mailEnabled) return null;
  const said = h("span", { role: "status" });
  const resend = h("button", {
    type: "button",
    class: "link",
    onclick: () => {
      resend.disabled = true;
      void api.POST("/api/v1/users/me/email/verification").then(
        ({ data, error }) => { said.textContent = data?.detail ?? problemText(error); },
        (e: unknown) => { said.textContent = problemText(e); },
      );
    },
  }, "Send the link again");
  return h("div", { class: "verify-notice" }, `Confirm your email address: open the link we sent to ${user.email}. `, resend, " ", said);
}

function profileChanged(user: User): void {
  me = user;
  // The full name stays readable on hover when a narrow window cuts it short; a phone leaves out
  // "Signed in as" (screen readers still say it).
  meLabel.replaceChildren(h("span", { class: "me-prefix" }, "Signed in as "), user.displayName);
  meLabel.title = user.displayName;
}

async function signedIn(user: User): Promise<void> {
  profileChanged(user);
  live = new Live((state) => {
    status.textContent = STATE_TEXT[state];
    status.dataset["state"] = state;
  });
  feed = new RoomFeed(user, live);
  feed.start();
  route();
  await live.start();
}

/** A mailed link was used: a reset ended every session (this one too); the others change the profile. */
async function afterLink(kind: LinkKind, text: string): Promise<void> {
  if (kind === "reset-password" && me) {
    signingOut = true;
    client.setTokens(null);
    signingOut = false;
  } else if (me) {
    const { data } = await api.GET("/api/v1/users/me");
    if (data) profileChanged(data);
  }
  notice = text;
  // The hash change draws the next screen; drawing it here as well would use the notice up first.
  if (location.hash === "#/") route();
  else location.hash = "#/";
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
  feed?.stop();
  feed = null;
  void live?.stop();
  live = null;
  // A link page draws its own next screen (afterLink).
  if (linkRoute(location.hash)) return;
  // Replaced, not set: setting the hash would route a second time and lose the notice.
  history.replaceState(null, "", "#/");
  route();
}

async function boot(): Promise<void> {
  window.addEventListener("hashchange", route);
  session.addEventListener("ended", sessionEnded);
  mailEnabled = await api.GET("/api/v1/auth/settings").then(({ data }) => data?.mailEnabled ?? false, () => false);
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
