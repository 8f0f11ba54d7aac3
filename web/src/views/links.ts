/**
 * The pages mailed links open: #/reset-password, #/verify-email and #/confirm-email, each with
 * ?token=… in the fragment (never sent to a server, so it reaches no access log). Reachable signed
 * in or not: the token is the credential.
 */
import { api } from "../api";
import { errorBox, field, h, showError } from "../dom";
import { problemText } from "../problems";

export type LinkKind = "reset-password" | "verify-email" | "confirm-email";

/** The link page the hash names, if any: [kind, token]. */
export function linkRoute(hash: string): [LinkKind, string] | null {
  const match = /^#\/(reset-password|verify-email|confirm-email)\?token=([A-Za-z0-9_-]+)$/.exec(hash);
  return match ? [match[1] as LinkKind, match[2]!] : null;
}

/** Draws the page for a mailed link; onDone(notice) leaves it (to sign in, or back to the app). */
export function linkView(root: HTMLElement, kind: LinkKind, token: string, onDone: (notice: string) => void): () => void {
  if (kind === "reset-password") {
    resetForm(root, token, onDone);
  } else {
    void redeem(root, kind, token, onDone);
  }
  return () => undefined;
}

function resetForm(root: HTMLElement, token: string, onDone: (notice: string) => void): void {
  const password = h("input", { type: "password", name: "newPassword", autocomplete: "new-password", required: true, minlength: 8 });
  const error = errorBox();
  const submit = h("button", { type: "submit" }, "Set new password");
  const form = h(
    "form",
    { class: "card", "aria-labelledby": "link-title" },
    h("h1", { id: "link-title" }, "Choose a new password"),
    h("p", {}, "Setting it signs you out on every device."),
    field("New password", password),
    error,
    submit,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit.disabled = true;
    showError(error, "");
    void (async () => {
      try {
        const { response, error: problem } = await api.POST("/api/v1/auth/password/reset", { body: { token, newPassword: password.value } });
        if (response.status === 204) {
          onDone("Your password was changed and every session signed out. Sign in with the new one.");
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
  password.focus();
}

async function redeem(root: HTMLElement, kind: "verify-email" | "confirm-email", token: string, onDone: (notice: string) => void): Promise<void> {
  const status = h("p", { role: "status" }, "Checking your link…");
  const card = h("div", { class: "card" }, h("h1", {}, kind === "verify-email" ? "Confirming your address" : "Confirming your new address"), status);
  root.replaceChildren(h("main", { class: "auth" }, card));
  try {
    const path = kind === "verify-email" ? "/api/v1/auth/email/verify" : "/api/v1/auth/email/confirm-change";
    const { response, error } = await api.POST(path, { body: { token } });
    if (response.status === 204) {
      onDone(kind === "verify-email" ? "Your email address is confirmed." : "Your new email address is confirmed: use it to sign in.");
      return;
    }
    status.textContent = problemText(error);
  } catch (e) {
    status.textContent = problemText(e);
  }
  card.append(h("p", {}, h("a", { href: "#/" }, "Back to Lobby")));
}
