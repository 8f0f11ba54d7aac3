/**
 * Settings (#/settings): my display name, my email (when the server sends mail), my password,
 * where I am signed in ("sign out" per session and everywhere else), and deleting my account.
 * Each section is its own form with its own error and status.
 */
import { api, client, type Schemas, type User } from "../api";
import { describeAgent } from "../agents";
import { errorBox, field, h, showError } from "../dom";
import { fullLabel } from "../dates";
import { problemText } from "../problems";

type Session = Schemas["SessionInfo"];

/** The server's limit on a display name (CredentialRules.MaxDisplayNameLength). */
const MAX_DISPLAY_NAME = 64;

export function settingsView(root: HTMLElement, me: User, onProfile: (user: User) => void, mailEnabled = false): () => void {
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

  // --- email (needs mail: the new address confirms itself by a link) ---------------------------
  const newEmail = h("input", { type: "email", name: "newEmail", autocomplete: "email", required: true });
  const emailPassword = h("input", { type: "password", name: "emailCurrentPassword", autocomplete: "current-password", required: true });
  const emailError = errorBox();
  const emailDone = h("p", { class: "done", role: "status" });
  const emailForm = h(
    "form",
    { class: "card", "aria-labelledby": "email-title" },
    h("h2", { id: "email-title" }, "Email"),
    h("p", { class: "hint" }, `You sign in with ${me.email}${me.emailVerified ? "" : " (not confirmed yet)"}. A new address takes effect once you open the link we mail to it.`),
    field("New email", newEmail),
    field("Password for the email change", emailPassword),
    emailError,
    emailDone,
    h("button", { type: "submit" }, "Change email"),
  );
  emailForm.addEventListener("submit", (event) => {
    event.preventDefault();
    showError(emailError, "");
    emailDone.textContent = "";
    void submitting(emailForm, async () => {
      const { data, error } = await api.POST("/api/v1/users/me/email", { body: { newEmail: newEmail.value, currentPassword: emailPassword.value } });
      if (!data) return showError(emailError, problemText(error));
      emailPassword.value = "";
      emailDone.textContent = data.detail;
    }, emailError);
  });

  // --- delete account -----------------------------------------------------------------------
  const deletePassword = h("input", { type: "password", name: "deleteCurrentPassword", autocomplete: "current-password", required: true });
  const deleteError = errorBox();
  const deleteForm = h(
    "form",
    { class: "card danger", "aria-labelledby": "delete-title" },
    h("h2", { id: "delete-title" }, "Delete account"),
    h("p", { class: "hint" }, "Your messages are removed (rooms keep a placeholder where they were), rooms you own pass to their longest-standing member, and you are signed out everywhere. This cannot be undone."),
    field("Password to delete the account", deletePassword),
    deleteError,
    h("button", { type: "submit", class: "destructive" }, "Delete my account"),
  );
  deleteForm.addEventListener("submit", (event) => {
    event.preventDefault();
    showError(deleteError, "");
    if (!window.confirm("Delete your Lobby account for good?")) return;
    void submitting(deleteForm, async () => {
      const { error, response } = await api.POST("/api/v1/users/me/delete", { body: { currentPassword: deletePassword.value } });
      if (!response.ok) return showError(deleteError, problemText(error));
      // The session is gone on the server; dropping the tokens takes the app to the sign-in screen.
      client.setTokens(null);
    }, deleteError);
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
    showError(sessionsError, "");
    sessionsDone.textContent = "";
    void (async () => {
      try {
        // One call ends them all, also sessions begun since this list was drawn.
        const { error, response } = await api.DELETE("/api/v1/auth/sessions", { params: { query: { keepCurrent: true } } });
        if (!response.ok) showError(sessionsError, problemText(error));
        else sessionsDone.textContent = "You are signed out everywhere else.";
      } catch (e) {
        showError(sessionsError, problemText(e));
      }
      await loadSessions();
    })();
  });

  root.replaceChildren(
    h(
      "main",
      { class: "settings-page" },
      h("h1", {}, "Settings"),
      h("p", { class: "hint" }, `Signed in with ${me.email}.`),
      nameForm,
      mailEnabled ? emailForm : null,
      passwordForm,
      sessionsCard,
      deleteForm,
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
