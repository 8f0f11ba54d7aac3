// Account recovery end to end: a real browser, Lobby, and a real SMTP server (e2e/smtp-sink.mjs,
// started by scripts/check-web.sh) whose mail lands in LOBBY_E2E_MAIL_DIR; the test reads that
// inbox as a person would. Every wait is bounded; nothing sleeps.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { chromium } from "playwright-core";

const base = process.env.LOBBY_E2E_URL;
const mailDir = process.env.LOBBY_E2E_MAIL_DIR;
const WAIT = 15_000;
const run = Date.now().toString(36);

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    timeout: 60_000,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
after(async () => {
  await browser?.close();
});

/**
 * Quoted-printable and base64 parts decoded enough to find a link in them. A mail sent as plain
 * 8bit is read as it is: decoding it as quoted-printable would turn a token's "=F6…" into one byte.
 */
function readable(raw) {
  const qp = /content-transfer-encoding:\s*quoted-printable/i.test(raw)
    ? raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)))
    : raw;
  const b64 = [...raw.matchAll(/(?:^[A-Za-z0-9+/=]{16,}\r?\n)+/gm)].map((m) => Buffer.from(m[0].replace(/\s+/g, ""), "base64").toString("utf8"));
  return [qp, ...b64].join("\n");
}

/** The link of kind `route` in the newest mail to `email`, waiting for the mail to arrive (bounded). */
async function linkFromInbox(email, route, seen = new Set()) {
  const pattern = new RegExp(`https?://[^\\s"<>]+/#/${route}\\?token=[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])`);
  const deadline = Date.now() + WAIT;
  while (Date.now() < deadline) {
    for (const name of (await readdir(mailDir).catch(() => [])).sort((a, b) => parseInt(b) - parseInt(a))) {
      const raw = await readFile(path.join(mailDir, name), "utf8");
      if (!raw.toLowerCase().includes(email.toLowerCase())) continue;
      const link = readable(raw).match(pattern)?.[0];
      if (link && !seen.has(link)) return link;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${route} mail to ${email} in ${mailDir}`);
}

test("forgot password: a mailed link sets a new password and the new one signs in", { timeout: 120_000, skip: !mailDir }, async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
  context.setDefaultTimeout(WAIT);
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
  const email = `rita-${run}@example.com`;
  await page.goto(base);

  await page.getByRole("button", { name: "Create an account" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Display name").fill("Rita");
  await page.getByLabel("Password").fill("correct horse battery staple");
  await page.getByLabel("Password").press("Enter");
  await page.getByText("Signed in as Rita").waitFor();

  // The address is unconfirmed until the mailed link is opened.
  await page.getByText("Confirm your email address").waitFor();
  const verify = await linkFromInbox(email, "verify-email");
  assert.ok(verify.startsWith(base + "/#/verify-email?token="), verify);
  await page.goto(verify);
  await page.getByText("Signed in as Rita").waitFor();
  await page.getByText("Confirm your email address").waitFor({ state: "detached" });

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("button", { name: "Forgot password?" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await page.getByText("a link to reset its password is on its way").waitFor();

  const reset = await linkFromInbox(email, "reset-password");
  await page.goto(reset);
  await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
  await page.getByLabel("New password", { exact: true }).fill("a brand new passphrase 2027");
  await page.getByRole("button", { name: "Set new password" }).click();
  await page.getByText("Your password was changed").waitFor();

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct horse battery staple");
  await page.getByLabel("Password").press("Enter");
  await page.getByText("Email or password is incorrect").waitFor();
  await page.getByLabel("Password").fill("a brand new passphrase 2027");
  await page.getByLabel("Password").press("Enter");
  await page.getByText("Signed in as Rita").waitFor();

  // The link worked once: opened again it says so.
  await page.goto(reset);
  await page.getByLabel("New password", { exact: true }).fill("yet another passphrase 99");
  await page.getByRole("button", { name: "Set new password" }).click();
  await page.getByText("invalid, has expired or was already used").waitFor();
  await context.close();
});

test("settings: a new email address takes effect from its mailed link; deleting the account ends it", { timeout: 120_000, skip: !mailDir }, async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
  context.setDefaultTimeout(WAIT);
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
  const email = `sam-${run}@example.com`;
  const newEmail = `sam-new-${run}@example.com`;
  const password = "correct horse battery staple";
  await page.goto(base);

  await page.getByRole("button", { name: "Create an account" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Display name").fill("Sam");
  await page.getByLabel("Password").fill(password);
  await page.getByLabel("Password").press("Enter");
  await page.getByText("Signed in as Sam").waitFor();

  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
  // A wrong password is refused in words, before any mail goes out.
  await page.getByLabel("New email").fill(newEmail);
  await page.getByLabel("Password for the email change").fill("not my password at all");
  await page.getByRole("button", { name: "Change email" }).click();
  await page.getByRole("alert").filter({ hasText: "Current password is incorrect" }).waitFor();
  await page.getByLabel("Password for the email change").fill(password);
  await page.getByRole("button", { name: "Change email" }).click();
  await page.locator("p.done").filter({ hasText: /\S/ }).waitFor();

  // The link mailed to the new address switches the account over; the old address stops working.
  const confirm = await linkFromInbox(newEmail, "confirm-email");
  await page.goto(confirm);
  await page.getByText("Your new email address is confirmed").waitFor();
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByLabel("Password").press("Enter");
  await page.getByText("Email or password is incorrect").waitFor();
  await page.getByLabel("Email").fill(newEmail);
  await page.getByLabel("Password").fill(password);
  await page.getByLabel("Password").press("Enter");
  await page.getByText("Signed in as Sam").waitFor();

  // Deleting asks first (a dialog), then takes the app to sign-in; the account no longer signs in.
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("Password to delete the account").fill(password);
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Delete my account" }).click();
  await page.getByRole("heading", { name: "Sign in to Lobby" }).waitFor();
  await page.getByLabel("Email").fill(newEmail);
  await page.getByLabel("Password").fill(password);
  await page.getByLabel("Password").press("Enter");
  await page.getByText("Email or password is incorrect").waitFor();
  await context.close();
});
