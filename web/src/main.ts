/**
 * Lobby's web client. Screens are plain functions that draw into #app and return a cleanup;
 * the URL hash picks the screen (#/ the room list, #/rooms/<id> a room), so reload and the back
 * button work without any server-side routing.
 */
import "./style.css";
import { api, client, restoreSession, type User } from "./api";
import { h } from "./dom";
import { problemText } from "./problems";
import { Live, type LiveState } from "./live";
import { authView } from "./views/auth";
import { linkRoute, linkView } from "./views/links";
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

let notice = "";

function route(): void {
  leave();
  const link = linkRoute(location.hash);
  if (link) {
    // A mailed link: works signed in or not; a password reset signs this browser out too.
    document.body.replaceChildren(app);
    leave = linkView(app, link[0], link[1], (text) => void afterLink(link[0], text));
    return;
  }
  if (!me || !live) {
    document.body.replaceChildren(app);
    leave = authView(app, (user) => void signedIn(user), notice);
    notice = "";
    return;
  }
  document.body.replaceChildren(...[banner(me), verifyNotice(me), app].filter((e): e is HTMLElement => e !== null));
  const room = /^#\/rooms\/([0-9a-f-]{36})$/i.exec(location.hash);
  leave = room ? roomView(app, room[1]!, me, live) : roomsView(app);
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

async function afterLink(kind: string, text: string): Promise<void> {
  notice = text;
  if (kind === "reset-password" && me) {
    await endLocally();
  }
  if (me && kind !== "reset-password") {
    me = { ...me, emailVerified: true };
    if (kind === "confirm-email") {
      const { data } = await api.GET("/api/v1/users/me");
      if (data) me = data;
    }
  }
  // The hash change draws the next screen; drawing it here as well would use the notice up first.
  if (location.hash === "#/") route();
  else location.hash = "#/";
}

/** Unconfirmed address, on a server that sends mail: say so, with a way to get a new link. */
function verifyNotice(user: User): HTMLElement | null {
  if (user.emailVerified || !mailEnabled) return null;
  const status = h("span", { role: "status" });
  const resend = h("button", {
    type: "button",
    class: "link",
    onclick: () => {
      resend.disabled = true;
      void api.POST("/api/v1/users/me/email/verification").then(
        ({ data, error }) => { status.textContent = data?.detail ?? problemText(error); },
        (e: unknown) => { status.textContent = problemText(e); },
      );
    },
  }, "Send the link again");
  return h("div", { class: "verify-notice" }, `Confirm your email address: open the link we sent to ${user.email}. `, resend, " ", status);
}

let mailEnabled = false;

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
  await endLocally();
  location.hash = "#/";
  route();
}

async function endLocally(): Promise<void> {
  client.setTokens(null);
  await live?.stop();
  live = null;
  me = null;
}

async function boot(): Promise<void> {
  window.addEventListener("hashchange", route);
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
