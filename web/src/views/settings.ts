/**
 * Settings (#/settings): my display name, my password, and where I am signed in, with "sign out"
 * per session and everywhere else. Each section is its own form with its own error and status.
 */
import { api, type Schemas, type User } from "../api";
import { describeAgent } from "../agents";
import { errorBox, field, h, showError } from "../dom";
import { fullLabel } from "../dates";
import { problemText } from "../problems";

type Session = Schemas["SessionInfo"];

/** The server's limit on a display name (CredentialRules.MaxDisplayNameLength). */
const MAX_DISPLAY_NAME = 64;

export function settingsView(root: HTMLElement, me: User, onProfile: (user: User) => void): () => void {
  let closed = false;

  // --- display name ---------------------------------------------------------------------------
  const displayName = h("input", { type: "text", name: "displayName", autocomplete: "nickname", required: true, maxlength: MAX_DISPLAY_NAME });
  displayName.value = me.displayName;
  const nameError = errorBox();
  const nameDone = h("p", { class: "done", role: "status" });
  const nameForm = h(
    "form",
    { class: "card", "aria-labelledby": "name-title" },
    h("h2", { id: "name-title" }, "Your name"),
    h("p", { class: "hint" }, "What others see next to your messages and in member lists."),
    field("Display name", displayName),
    nameError,
    nameDone,
    h("button", { type: "submit" }, "Save name"),
  );
  nameForm.addEventListener("submit", (event) => {
    event.preventDefault();
    showError(nameError, "");
    nameDone.textContent = "";
    void submitting(nameForm, async () => {
      const { data, error } = await api.PATCH("/api/v1/users/me", { body: { displayName: displayName.value } });
      if (!data) return showError(nameError, problemText(error));
      displayName.value = data.displayName;
      nameDone.textContent = "Your display name is saved.";
      onProfile(data);
    }, nameError);
  });

  // --- password -------------------------------------------------------------------------------
  // The hidden username lets password managers file the new password under the right account.
  const username = h("input", { type: "email", name: "username", autocomplete: "username", value: me.email, hidden: true, readonly: true });
  const current = h("input", { type: "password", name: "currentPassword", autocomplete: "current-password", required: true });
  const next = h("input", { type: "password", name: "newPassword", autocomplete: "new-password", required: true, minlength: 8 });
  const passwordError = errorBox();
  const passwordDone = h("p", { class: "done", role: "status" });
  const passwordForm = h(
    "form",
    { class: "card", "aria-labelledby": "password-title" },
    h("h2", { id: "password-title" }, "Password"),
    h("p", { class: "hint" }, "Changing it signs you out everywhere else."),
    username,
    field("Current password", current),
    field("New password", next),
    passwordError,
    passwordDone,
    h("button", { type: "submit" }, "Change password"),
  );
  passwordForm.addEventListener("submit", (event) => {
    event.preventDefault();
    showError(passwordError, "");
    passwordDone.textContent = "";
    void submitting(passwordForm, async () => {
      const { error, response } = await api.POST("/api/v1/users/me/password", {
        body: { currentPassword: current.value, newPassword: next.value },
      });
      if (!response.ok) return showError(passwordError, problemText(error));
      current.value = "";
      next.value = "";
      passwordDone.textContent = "Your password is changed; your other sessions are signed out.";
      await loadSessions();
    }, passwordError);
  });

  // --- sessions -------------------------------------------------------------------------------
  const sessionList = h("ul", { class: "sessions", "aria-label": "Signed-in sessions" });
  const sessionsError = errorBox();
  const sessionsDone = h("p", { class: "done", role: "status" });
  const everywhereElse = h("button", { type: "button", class: "secondary" }, "Sign out everywhere else");
  const sessionsCard = h(
    "section",
    { class: "card", "aria-labelledby": "sessions-title" },
    h("h2", { id: "sessions-title" }, "Where you are signed in"),
    sessionList,
    sessionsError,
    sessionsDone,
    everywhereElse,
  );
  let sessions: Session[] = [];

  const drawSessions = (): void => {
    sessionList.replaceChildren(
      ...sessions.map((s) =>
        h(
          "li",
          { class: s.current ? "session current" : "session" },
          h(
            "div",
            {},
            h("strong", {}, describeAgent(s.userAgent)),
            s.current ? h("span", { class: "badge" }, "this device") : null,
            h(
              "div",
              { class: "hint" },
              s.ip ? `${s.ip} · ` : "",
              "signed in ",
              h("time", { datetime: s.createdAt }, fullLabel(new Date(s.createdAt))),
              ", last active ",
              h("time", { datetime: s.lastUsedAt }, fullLabel(new Date(s.lastUsedAt))),
            ),
          ),
          s.current ? null : h("button", { type: "button", class: "secondary", onclick: () => void revoke([s], "That session is signed out.") }, "Sign out"),
        ),
      ),
    );
    everywhereElse.hidden = !sessions.some((s) => !s.current);
  };

  const loadSessions = async (): Promise<void> => {
    try {
      const { data, error } = await api.GET("/api/v1/auth/sessions");
      if (closed) return;
      if (!data) return showError(sessionsError, problemText(error));
      // This device first, then the most recently used.
      sessions = [...data].sort((a, b) => Number(b.current) - Number(a.current) || Date.parse(b.lastUsedAt) - Date.parse(a.lastUsedAt));
      drawSessions();
    } catch (e) {
      showError(sessionsError, problemText(e));
    }
  };

  /** Ends these sessions (never this one: signing out here is the banner's button). */
  const revoke = async (ending: readonly Session[], done: string): Promise<void> => {
    showError(sessionsError, "");
    sessionsDone.textContent = "";
    try {
      const results = await Promise.all(
        ending.map((s) => api.DELETE("/api/v1/auth/sessions/{id}", { params: { path: { id: s.id } } })),
      );
      // 404: it had ended already (expired, or signed out meanwhile), which is what we wanted.
      const failed = results.find((r) => !r.response.ok && r.response.status !== 404);
      if (failed) showError(sessionsError, problemText(failed.error));
      else sessionsDone.textContent = done;
    } catch (e) {
      showError(sessionsError, problemText(e));
    }
    await loadSessions();
  };
  everywhereElse.addEventListener("click", () => {
    void revoke(sessions.filter((s) => !s.current), "You are signed out everywhere else.");
  });

  root.replaceChildren(
    h(
      "main",
      { class: "settings-page" },
      h("h1", {}, "Settings"),
      h("p", { class: "hint" }, `Signed in with ${me.email}.`),
      nameForm,
      // RESERVED: the "Email" section (change the sign-in email) goes here. Another change adds it;
      // keep this spot for it, between the display name and the password.
      passwordForm,
      sessionsCard,
      // RESERVED: the "Delete account" section goes here, last on the page. Another change adds it.
    ),
  );
  document.title = "Settings · Lobby";
  void loadSessions();
  return () => {
    closed = true;
  };
}

/** Runs a form's request with its submit button disabled, reporting a thrown error in `box`. */
async function submitting(form: HTMLFormElement, run: () => Promise<void>, box: HTMLElement): Promise<void> {
  const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
  if (button) button.disabled = true;
  try {
    await run();
  } catch (e) {
    showError(box, problemText(e));
  } finally {
    if (button) button.disabled = false;
  }
}
