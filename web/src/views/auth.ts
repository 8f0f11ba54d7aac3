/** Sign in, sign up and "forgot password": small forms on one screen. */
import { api, type User } from "../api";
import { errorBox, field, h, showError } from "../dom";
import { problemText } from "../problems";

export function authView(root: HTMLElement, onSignedIn: (user: User) => void, notice = ""): () => void {
  let mode: "signin" | "signup" | "forgot" = "signin";
  let message = notice;

  const render = (): void => {
    if (mode === "forgot") {
      forgotForm();
      return;
    }
    const email = h("input", { type: "email", name: "email", autocomplete: "email", required: true });
    const password = h("input", {
      type: "password",
      name: "password",
      autocomplete: mode === "signin" ? "current-password" : "new-password",
      required: true,
    });
    const displayName = h("input", { type: "text", name: "displayName", autocomplete: "nickname", required: true });
    const error = errorBox();
    const submit = h("button", { type: "submit" }, mode === "signin" ? "Sign in" : "Create account");

    const form = h(
      "form",
      { class: "card", "aria-labelledby": "auth-title" },
      h("h1", { id: "auth-title" }, mode === "signin" ? "Sign in to Lobby" : "Create your Lobby account"),
      field("Email", email),
      mode === "signup" ? field("Display name", displayName) : null,
      field("Password", password),
      mode === "signin"
        ? h("p", { class: "aside" }, h("button", { type: "button", class: "link", onclick: () => { mode = "forgot"; render(); } }, "Forgot password?"))
        : null,
      message ? h("p", { class: "notice", role: "status" }, message) : null,
      error,
      submit,
      h(
        "p",
        {},
        mode === "signin" ? "New here? " : "Have an account? ",
        h(
          "button",
          {
            type: "button",
            class: "link",
            onclick: () => {
              mode = mode === "signin" ? "signup" : "signin";
              message = "";
              render();
            },
          },
          mode === "signin" ? "Create an account" : "Sign in instead",
        ),
      ),
    );

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit.disabled = true;
      showError(error, "");
      void (async () => {
        try {
          const { data, error: problem } =
            mode === "signin"
              ? await api.POST("/api/v1/auth/login", { body: { email: email.value, password: password.value } })
              : await api.POST("/api/v1/auth/register", {
                  body: { email: email.value, password: password.value, displayName: displayName.value },
                });
          if (data && "accessToken" in data) {
            onSignedIn(data.user);
            return;
          }
          if (data) {
            // REQUIRE_EMAIL_VERIFICATION: nobody is signed in until the mailed link is opened.
            mode = "signin";
            message = data.detail;
            render();
            return;
          }
          showError(error, problemText(problem));
        } catch (e) {
          showError(error, problemText(e));
        }
        submit.disabled = false;
      })();
    });

    root.replaceChildren(h("main", { class: "auth" }, form));
    email.focus();
  };

  const forgotForm = (): void => {
    const email = h("input", { type: "email", name: "email", autocomplete: "email", required: true });
    const error = errorBox();
    const submit = h("button", { type: "submit" }, "Send me a link");
    const form = h(
      "form",
      { class: "card", "aria-labelledby": "auth-title" },
      h("h1", { id: "auth-title" }, "Reset your password"),
      h("p", {}, "We will mail you a link to choose a new password."),
      field("Email", email),
      error,
      submit,
      h("p", {}, h("button", { type: "button", class: "link", onclick: () => { mode = "signin"; render(); } }, "Back to sign in")),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit.disabled = true;
      showError(error, "");
      void (async () => {
        try {
          const { data, error: problem } = await api.POST("/api/v1/auth/password/forgot", { body: { email: email.value } });
          if (data) {
            mode = "signin";
            message = data.detail;
            render();
            return;
          }
          showError(error, problemText(problem));
        } catch (e) {
          showError(error, problemText(e));
        }
        submit.disabled = false;
      })();
    });
    root.replaceChildren(h("main", { class: "auth" }, form));
    email.focus();
  };

  render();
  return () => undefined;
}
