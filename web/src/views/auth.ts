/** Sign in and sign up: two small forms on one screen. */
import { api, type User } from "../api";
import { errorBox, field, h, showError } from "../dom";
import { problemText } from "../problems";

export function authView(root: HTMLElement, onSignedIn: (user: User) => void, notice = ""): () => void {
  let mode: "signin" | "signup" = "signin";

  const render = (): void => {
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
      notice ? h("p", { class: "notice", role: "status" }, notice) : null,
      field("Email", email),
      mode === "signup" ? field("Display name", displayName) : null,
      field("Password", password),
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
          if (data) {
            onSignedIn(data.user);
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
