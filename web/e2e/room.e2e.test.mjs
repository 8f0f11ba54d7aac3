// End to end in a real browser: Debian's Chromium driven by playwright-core, against the built
// Lobby binary serving web/dist (scripts/check-web.sh starts it and sets LOBBY_E2E_URL).
// Every wait is bounded; nothing sleeps: we wait for what the user would see.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium } from "playwright-core";

const base = process.env.LOBBY_E2E_URL;
const WAIT = 15_000;
const artifacts = path.resolve(import.meta.dirname, "../../artifacts/e2e");
const screenshot = path.join(artifacts, "room.png");
const run = Date.now().toString(36);

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    timeout: 60_000,
    // Playwright gives each launch a fresh, empty profile. The rest keep Chromium off the network
    // it would otherwise try to reach (updates, sync), which a closed CI network refuses.
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
after(async () => {
  await browser?.close();
});

const notFound = [];

async function openAs(name, viewport = { width: 1100, height: 720 }) {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(WAIT);
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error(`[${name}] page error: ${e.message}`));
  // Page loads must find everything they ask for (the favicon included).
  page.on("response", (r) => { if (r.status() === 404) notFound.push(r.url()); });
  await page.goto(base);
  return { context, page, name, email: `${name.toLowerCase().replace(/\W+/g, "-").slice(0, 40)}-${run}@example.com` };
}

/** Signs up over the API (no browser) and returns a fetch for that person: for setting up data fast. */
async function apiUser(name) {
  const email = `${name.toLowerCase()}-${run}@example.com`;
  const response = await fetch(`${base}/api/v1/auth/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, displayName: name, password: "correct horse battery staple" }),
  });
  const text = await response.text();
  assert.equal(response.status, 201, text);
  const { accessToken } = JSON.parse(text);
  return async (method, url, body) => {
    const r = await fetch(`${base}${url}`, {
      method,
      headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    assert.ok(r.ok, `${method} ${url}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

const box = (page) => page.getByRole("textbox", { name: "Message", exact: true });

async function signUp(user) {
  const { page } = user;
  await page.getByRole("button", { name: "Create an account" }).click();
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Display name").fill(user.name);
  await page.getByLabel("Password").fill("correct horse battery staple");
  await page.getByLabel("Password").press("Enter");
  await page.getByText(`Signed in as ${user.name}`).waitFor();
  await page.getByText("Live", { exact: true }).waitFor();
}

/** The messages one page shows, as [seq, body] in screen order. */
async function shown(page) {
  return page.locator("li.message").evaluateAll((items) =>
    items.map((li) => [Number(li.getAttribute("data-seq")), li.querySelector(".body")?.textContent ?? ""]),
  );
}

async function send(page, text) {
  await page.getByRole("textbox", { name: "Message", exact: true }).fill(text);
  await page.getByRole("textbox", { name: "Message", exact: true }).press("Enter");
  await page.locator("li.message", { hasText: text }).waitFor();
}

/** Creates a room from the list page and waits until its composer is there. */
async function createRoom(page, name, visibility = "Public") {
  await page.getByLabel("Room name").fill(name);
  await page.getByLabel("Topic").fill("An end-to-end room");
  await page.getByLabel("Visibility").selectOption({ label: visibility });
  await page.getByRole("button", { name: "Create room" }).click();
  await page.getByRole("heading", { name }).waitFor();
  await page.getByRole("textbox", { name: "Message", exact: true }).waitFor();
}

/** Finds a public room by name from the list page and joins it. */
async function joinRoom(page, name) {
  await page.getByLabel("Search rooms").fill(name);
  await page.getByRole("link", { name }).click();
  await page.getByRole("button", { name: "Join this room" }).click();
  await page.getByRole("textbox", { name: "Message", exact: true }).waitFor();
}

test("two people meet in a room, live, across a dropped connection and a reload", { timeout: 180_000 }, async () => {
  assert.ok(base, "LOBBY_E2E_URL is not set (scripts/check-web.sh sets it)");
  const ann = await openAs("Ann");
  const bob = await openAs("Bob");

  // API errors are shown in words: the validation detail, not a status code.
  await ann.page.getByLabel("Email").fill("nobody@example.com");
  await ann.page.getByLabel("Password").fill("wrong password here");
  await ann.page.getByLabel("Password").press("Enter");
  const alert = ann.page.getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.innerText(), /[a-z]{3,}/i);
  assert.doesNotMatch(await alert.innerText(), /\b40\d\b/);

  await signUp(ann);
  await signUp(bob);

  // Ann creates a room; Bob finds it by searching and joins.
  const roomName = `E2E ${run}`;
  await ann.page.getByLabel("Room name").fill(roomName);
  await ann.page.getByLabel("Topic").fill("Testing in a real browser");
  await ann.page.getByLabel("Topic").press("Enter");
  await ann.page.getByRole("heading", { name: roomName }).waitFor();
  await ann.page.getByRole("textbox", { name: "Message", exact: true }).waitFor();

  await bob.page.getByLabel("Search rooms").fill(roomName);
  await bob.page.getByRole("link", { name: roomName }).click();
  await bob.page.getByRole("button", { name: "Join this room" }).click();
  await bob.page.getByRole("textbox", { name: "Message", exact: true }).waitFor();

  // Ann sees Bob join and come online, without reloading.
  await ann.page.locator(".members li.online", { hasText: "Bob" }).waitFor();

  // A message typed by one appears in the other's window; so does the typing notice.
  await send(ann.page, "Hello Bob!");
  await bob.page.locator("li.message", { hasText: "Hello Bob!" }).waitFor();
  await bob.page.getByRole("textbox", { name: "Message", exact: true }).pressSequentially("Hi A");
  await ann.page.getByText("Bob is typing…").waitFor();
  await bob.page.getByRole("textbox", { name: "Message", exact: true }).fill("Hi Ann!");
  await bob.page.getByRole("textbox", { name: "Message", exact: true }).press("Enter");
  await ann.page.locator("li.message", { hasText: "Hi Ann!" }).waitFor();

  // Bob drops off the network. His socket goes with it; Ann keeps talking.
  await bob.context.setOffline(true);
  await bob.page.locator('.status:not([data-state="online"])').waitFor();
  const missed = ["While you were away 1", "While you were away 2", "While you were away 3"];
  for (const text of missed) {
    await send(ann.page, text);
  }
  assert.equal(await bob.page.locator("li.message", { hasText: "While you were away" }).count(), 0);

  // Back online: Bob's client reconnects, resubscribes from the last seq it showed, and catches up.
  await bob.context.setOffline(false);
  await bob.page.locator("li.message", { hasText: missed[2] }).waitFor();
  await bob.page.locator('.status[data-state="online"]').waitFor();
  const expected = ["Hello Bob!", "Hi Ann!", ...missed];
  const assertExactlyOnceInOrder = async (page) => {
    const messages = await shown(page);
    assert.deepEqual(messages.map(([, body]) => body), expected);
    assert.deepEqual(messages.map(([seq]) => seq), [1, 2, 3, 4, 5]);
  };
  await assertExactlyOnceInOrder(bob.page);
  await assertExactlyOnceInOrder(ann.page);

  // A reload keeps Bob signed in (refresh token in localStorage) and in the room, each message once.
  await bob.page.reload();
  await bob.page.getByText("Signed in as Bob").waitFor();
  await bob.page.locator("li.message", { hasText: missed[2] }).waitFor();
  await assertExactlyOnceInOrder(bob.page);
  await send(bob.page, "Back after a reload");
  await ann.page.locator("li.message", { hasText: "Back after a reload" }).waitFor();

  await mkdir(path.dirname(screenshot), { recursive: true });
  await ann.page.screenshot({ path: screenshot });

  // Signing out ends the session and shows the sign-in screen, also after a reload.
  await bob.page.getByRole("button", { name: "Sign out" }).click();
  await bob.page.getByRole("heading", { name: "Sign in to Lobby" }).waitFor();
  await bob.page.reload();
  await bob.page.getByRole("heading", { name: "Sign in to Lobby" }).waitFor();

  await ann.context.close();
  await bob.context.close();
  assert.deepEqual(notFound, [], "a page load asked for something the server does not have");
});

test("the composer never loses or doubles a message", { timeout: 120_000 }, async () => {
  assert.ok(base, "LOBBY_E2E_URL is not set (scripts/check-web.sh sets it)");
  const cat = await openAs("Cat");
  await signUp(cat);
  const { page } = cat;
  await page.getByLabel("Room name").fill(`Composer ${run}`);
  await page.getByLabel("Topic").fill("Sending");
  await page.getByLabel("Topic").press("Enter");
  const box = page.getByRole("textbox", { name: "Message", exact: true });
  await box.waitFor();
  const count = (text) => page.locator("li.message .body", { hasText: new RegExp(`^${text}$`) }).count();

  // A slow send: the box clears on Enter, and what is typed while the message is on its way stays.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let posts = 0;
  await page.route("**/api/v1/rooms/*/messages", async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    posts += 1;
    if (posts === 1) await held;
    await route.continue();
  });
  await box.fill("first, sent slowly");
  await box.press("Enter");
  assert.equal(await box.inputValue(), "");
  await box.pressSequentially("typed meanwhile");
  release();
  await page.locator("li.message", { hasText: "first, sent slowly" }).waitFor();
  assert.equal(await box.inputValue(), "typed meanwhile");

  // Enter twice in a row posts once.
  await box.fill("only once");
  await box.press("Enter");
  await box.press("Enter");
  await send(page, "a later marker");
  assert.equal(await count("only once"), 1);

  // Shift+Enter starts a new line; Enter sends both lines as one message.
  await box.fill("line one");
  await box.press("Shift+Enter");
  await box.pressSequentially("line two");
  await box.press("Enter");
  await page.locator("li.message", { hasText: "line two" }).waitFor();
  assert.equal(await page.locator("li.message .body", { hasText: "line two" }).textContent(), "line one\nline two");

  // A paste over the limit is kept whole, counted, and refused with words instead of cut.
  const long = "x".repeat(5000);
  await box.fill(long);
  await page.locator(".composer .counter.over", { hasText: "5000 / 4000" }).waitFor();
  await box.press("Enter");
  await page.getByRole("alert").filter({ hasText: "at most 4000 characters" }).waitFor();
  assert.equal((await box.inputValue()).length, 5000);
  assert.equal(posts, 4);

  await cat.context.close();
});

test("unread messages show in the room list and the tab title until they are read", { timeout: 120_000 }, async () => {
  assert.ok(base, "LOBBY_E2E_URL is not set (scripts/check-web.sh sets it)");
  const eve = await openAs("Eve");
  const dan = await openAs("Dan");
  await signUp(eve);
  await signUp(dan);
  const roomName = `Unread ${run}`;
  await eve.page.getByLabel("Room name").fill(roomName);
  await eve.page.getByLabel("Topic").fill("Counting");
  await eve.page.getByLabel("Topic").press("Enter");
  await eve.page.getByRole("textbox", { name: "Message", exact: true }).waitFor();
  await dan.page.getByLabel("Search rooms").fill(roomName);
  await dan.page.getByRole("link", { name: roomName }).click();
  await dan.page.getByRole("button", { name: "Join this room" }).click();
  await dan.page.getByRole("textbox", { name: "Message", exact: true }).waitFor();
  // One message Dan reads while he is in the room: the "New messages" line goes after it later.
  const seen = dan.page.waitForResponse((r) => r.url().endsWith("/read") && r.request().method() === "POST" && r.ok());
  await send(eve.page, "seen by Dan");
  await dan.page.locator("li.message", { hasText: "seen by Dan" }).waitFor();
  await seen;
  assert.equal(await dan.page.locator(".divider.unread").count(), 0, "nothing was unread when Dan opened the room");
  await dan.page.getByRole("link", { name: "← All rooms" }).click();
  await dan.page.getByRole("heading", { name: "Rooms" }).waitFor();

  // The list follows Dan's rooms live: the count goes up as messages arrive, without a reload.
  const item = dan.page.locator("ul.rooms li", { hasText: roomName });
  await send(eve.page, "one for Dan");
  await item.locator(".badge.unread", { hasText: "1 new" }).waitFor();
  await send(eve.page, "two for Dan");
  await item.locator(".badge.unread", { hasText: "2 new" }).waitFor();
  await dan.page.waitForFunction(() => document.title === "(2) Lobby");
  // And a reload agrees with it.
  await dan.page.reload();
  await item.locator(".badge.unread", { hasText: "2 new" }).waitFor();
  assert.equal(await dan.page.title(), "(2) Lobby");

  // Opening the room shows the messages and marks them read.
  const read = dan.page.waitForResponse((r) => r.url().endsWith("/read") && r.request().method() === "POST" && r.ok());
  await item.getByRole("link", { name: roomName }).click();
  await dan.page.locator("li.message", { hasText: "two for Dan" }).waitFor();
  await read;
  // The "New messages" line sits between what Dan had read and what he had not.
  const order = await dan.page.locator(".messages > li").evaluateAll((items) =>
    items.filter((li) => !li.classList.contains("day")).map((li) => (li.classList.contains("unread") ? "NEW" : li.querySelector(".body")?.textContent)),
  );
  assert.deepEqual(order, ["seen by Dan", "NEW", "one for Dan", "two for Dan"]);
  assert.equal(await dan.page.locator(".divider.unread").innerText(), "New messages");
  await dan.page.getByRole("link", { name: "← All rooms" }).click();
  await dan.page.locator("ul.rooms li", { hasText: roomName }).waitFor();
  assert.equal(await dan.page.locator("ul.rooms li", { hasText: roomName }).locator(".badge.unread").count(), 0);
  assert.equal(await dan.page.title(), "Lobby");

  await eve.context.close();
  await dan.context.close();
});

test("an edit shows (edited) on the other side live, a delete disappears live, and links are safe", { timeout: 120_000 }, async () => {
  assert.ok(base, "LOBBY_E2E_URL is not set (scripts/check-web.sh sets it)");
  const jo = await openAs("Jo");
  const kim = await openAs("Kim");
  await signUp(jo);
  await signUp(kim);
  const roomName = `Edits ${run}`;
  await createRoom(jo.page, roomName);
  await joinRoom(kim.page, roomName);
  const dialogs = [];
  kim.page.on("dialog", (d) => { dialogs.push(d.message()); void d.dismiss(); });

  // Jo edits a message; Kim sees the new text and "(edited)" without reloading.
  await send(jo.page, "first draft");
  const kimsCopy = kim.page.locator("li.message", { hasText: "first draft" });
  await kimsCopy.waitFor();
  assert.equal(await kimsCopy.getByRole("button", { name: "Edit" }).count(), 0, "only the author may edit");
  assert.equal(await kimsCopy.getByRole("button", { name: "Delete" }).count(), 0, "a member may not delete others' messages");
  const seq = await jo.page.locator("li.message", { hasText: "first draft" }).getAttribute("data-seq");
  const mine = jo.page.locator(`li.message[data-seq="${seq}"]`); // while editing, the text is in a textarea
  await mine.getByRole("button", { name: "Edit" }).click();
  const editBox = mine.getByRole("textbox", { name: "Edit message" });
  await editBox.fill("final text");
  await editBox.press("Enter");
  await jo.page.locator("li.message", { hasText: "final text" }).locator(".edited", { hasText: "(edited)" }).waitFor();
  const edited = kim.page.locator("li.message", { hasText: "final text" });
  await edited.locator(".edited", { hasText: "(edited)" }).waitFor();
  assert.equal(await kim.page.locator("li.message", { hasText: "first draft" }).count(), 0);
  assert.match((await edited.locator(".edited").getAttribute("title")) ?? "", /^Edited .*\d{4}/);

  // Jo deletes one; on Kim's screen its text goes away, live.
  await send(jo.page, "to be removed");
  await kim.page.locator("li.message", { hasText: "to be removed" }).waitFor();
  const doomed = jo.page.locator("li.message", { hasText: "to be removed" });
  await doomed.getByRole("button", { name: "Delete" }).click();
  await doomed.getByRole("button", { name: "Delete", exact: true }).and(doomed.locator(".confirm")).click();
  await kim.page.waitForFunction(() => ![...document.querySelectorAll("li.message")].some((li) => li.textContent.includes("to be removed")));
  await jo.page.waitForFunction(() => ![...document.querySelectorAll("li.message")].some((li) => li.textContent.includes("to be removed")));
  assert.equal(await kim.page.locator("li.message .body.deleted", { hasText: "(deleted)" }).count(), 1);

  // Markup in a message is text; only the http(s) URL becomes a link, a safe one.
  const nasty = "<img src=x onerror=alert(1)> https://example.com";
  await send(jo.page, nasty);
  const body = kim.page.locator("li.message .body", { hasText: "onerror" });
  await body.waitFor();
  assert.equal(await body.textContent(), nasty);
  assert.equal(await kim.page.locator("li.message img").count(), 0);
  const links = body.locator("a");
  assert.equal(await links.count(), 1);
  assert.equal(await links.getAttribute("href"), "https://example.com/");
  assert.equal(await links.getAttribute("rel"), "noopener noreferrer");
  assert.equal(await links.getAttribute("target"), "_blank");
  assert.deepEqual(dialogs, []);

  // The day has a divider, each time its full date on hover, and new messages are announced.
  await kim.page.locator(".messages .divider.day", { hasText: "Today" }).waitFor();
  assert.match((await edited.locator("time").getAttribute("title")) ?? "", /\d{4}/);
  await kim.page.locator("[aria-live=polite]", { hasText: `Jo: ${nasty}` }).waitFor();

  await jo.context.close();
  await kim.context.close();
});

test("two people DM each other", { timeout: 120_000 }, async () => {
  assert.ok(base, "LOBBY_E2E_URL is not set (scripts/check-web.sh sets it)");
  const fay = await openAs("Fay");
  const gus = await openAs("Gus");
  await signUp(fay);
  await signUp(gus);

  // An unknown email is said so in words; Gus's opens the DM, named after him.
  await fay.page.getByLabel("Their email").fill(`nobody-${run}@example.com`);
  await fay.page.getByRole("button", { name: "Message", exact: true }).click();
  await fay.page.getByRole("alert").filter({ hasText: "Nobody on Lobby has the email" }).waitFor();
  await fay.page.getByLabel("Their email").fill(gus.email);
  await fay.page.getByRole("button", { name: "Message", exact: true }).click();
  await fay.page.getByRole("heading", { name: "Gus" }).waitFor();
  await fay.page.getByText("Direct message", { exact: true }).waitFor();
  await send(fay.page, "Hi Gus, just between us");

  // Gus's list shows it live (dm.created), by Fay's name, with the unread count; not among rooms.
  const dm = gus.page.locator("ul.dms li", { hasText: "Fay" });
  await dm.locator(".badge.unread", { hasText: "1 new" }).waitFor();
  assert.equal(await gus.page.locator("ul.rooms:not(.dms) li", { hasText: "Fay" }).count(), 0);
  await dm.getByRole("link", { name: "Fay" }).click();
  await gus.page.locator("li.message", { hasText: "Hi Gus, just between us" }).waitFor();
  await send(gus.page, "Hi Fay!");
  await fay.page.locator("li.message", { hasText: "Hi Fay!" }).waitFor();

  // Messaging the same person again opens the same conversation.
  await fay.page.getByRole("link", { name: "← All rooms" }).click();
  await fay.page.getByLabel("Their email").fill(gus.email);
  await fay.page.getByRole("button", { name: "Message", exact: true }).click();
  await fay.page.locator("li.message", { hasText: "Hi Fay!" }).waitFor();

  await fay.context.close();
  await gus.context.close();
});

test("a private-room invitation from the UI", { timeout: 120_000 }, async () => {
  assert.ok(base, "LOBBY_E2E_URL is not set (scripts/check-web.sh sets it)");
  const hal = await openAs("Hal");
  const ivy = await openAs("Ivy");
  await signUp(hal);
  await signUp(ivy);
  const roomName = `Private ${run}`;
  await createRoom(hal.page, roomName, "Private");

  // Ivy cannot find the room before she is invited; then she looks at her whole list again.
  await ivy.page.getByLabel("Search rooms").fill(roomName);
  await ivy.page.getByText("No rooms found.").waitFor();
  const listed = ivy.page.waitForResponse((r) => /\/api\/v1\/rooms\?limit=50$/.test(r.url()) && r.ok());
  await ivy.page.getByLabel("Search rooms").fill("");
  await listed;

  await hal.page.getByLabel("Invite by email").fill(ivy.email);
  await hal.page.getByRole("button", { name: "Invite" }).click();
  await hal.page.getByRole("status").filter({ hasText: "Ivy was added." }).waitFor();
  await hal.page.locator(".members li", { hasText: "Ivy" }).waitFor();

  // Now it is in Ivy's list (private, and hers) without her doing anything: room.added reached
  // her live connection. She opens it and posts; Hal sees it live.
  const item = ivy.page.locator("ul.rooms li", { hasText: roomName });
  await item.locator(".badge", { hasText: "private" }).waitFor();
  await item.getByRole("link", { name: roomName }).click();
  await send(ivy.page, "Thanks for the invite");
  await hal.page.locator("li.message", { hasText: "Thanks for the invite" }).waitFor();
  // Only the owner invites.
  assert.equal(await ivy.page.getByLabel("Invite by email").count(), 0);

  await hal.context.close();
  await ivy.context.close();
});

test("settings: a new display name, the password, and signing out other sessions", { timeout: 120_000 }, async () => {
  assert.ok(base, "LOBBY_E2E_URL is not set (scripts/check-web.sh sets it)");
  const lu = await openAs("Lu");
  await signUp(lu);
  // The same person signed in on a second device.
  const other = await openAs("Lu");
  await other.page.getByLabel("Email").fill(lu.email);
  await other.page.getByLabel("Password").fill("correct horse battery staple");
  await other.page.getByLabel("Password").press("Enter");
  await other.page.getByText("Signed in as Lu").waitFor();

  const { page } = lu;
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();

  await page.getByLabel("Display name").fill("Lu Renamed");
  await page.getByRole("button", { name: "Save name" }).click();
  await page.getByText("Your display name is saved.").waitFor();
  await page.getByText("Signed in as Lu Renamed").waitFor();

  // Two sessions, this one marked; signing out everywhere else leaves one, and the other device
  // ends up on the sign-in screen, told why.
  const sessions = page.locator("ul.sessions li");
  await sessions.nth(1).waitFor();
  assert.equal(await sessions.count(), 2);
  assert.equal(await page.locator("ul.sessions li.current", { hasText: "this device" }).count(), 1);
  await page.getByRole("button", { name: "Sign out everywhere else" }).click();
  await page.getByText("You are signed out everywhere else.").waitFor();
  await page.waitForFunction(() => document.querySelectorAll("ul.sessions li").length === 1);
  await other.page.getByRole("heading", { name: "Sign in to Lobby" }).waitFor();
  await other.page.getByText("You were signed out").waitFor();

  // A wrong current password is refused in words; the right one changes it.
  await page.getByLabel("Current password").fill("not my password at all");
  await page.getByLabel("New password").fill("a longer passphrase still");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.getByRole("alert").filter({ hasText: "Current password is incorrect" }).waitFor();
  await page.getByLabel("Current password").fill("correct horse battery staple");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.getByText("Your password is changed").waitFor();
  await page.getByText("Signed in as Lu Renamed").waitFor();

  // The new password signs in on the other device.
  await other.page.getByLabel("Email").fill(lu.email);
  await other.page.getByLabel("Password").fill("a longer passphrase still");
  await other.page.getByLabel("Password").press("Enter");
  await other.page.getByText("Signed in as Lu Renamed").waitFor();

  await lu.context.close();
  await other.context.close();
});

test("a phone at 390×844: one-line banner, Sign out on screen, composer at the bottom; screenshots at both sizes", { timeout: 180_000 }, async () => {
  assert.ok(base, "LOBBY_E2E_URL is not set (scripts/check-web.sh sets it)");
  const long = "Maximiliana Archibald Fitzgerald-Montgomery of the Lobby Council";
  assert.equal(long.length, 64);
  const phone = await openAs(long, { width: 390, height: 844 });
  const desk = await openAs("Ned", { width: 1280, height: 800 });
  await signUp(phone);
  await signUp(desk);
  const roomName = `Phone ${run}`;
  await createRoom(phone.page, roomName);
  await joinRoom(desk.page, roomName);
  // Enough messages that the list has to scroll on the phone.
  for (let i = 1; i <= 8; i++) {
    await send(phone.page, `From the phone, message ${i}: short and sweet`);
    await send(desk.page, `From the desk, answer ${i}. Lobby keeps up.`);
  }
  await phone.page.locator("li.message", { hasText: "answer 8." }).waitFor();

  const { page } = phone;
  const viewport = { width: 390, height: 844 };
  const signOut = await page.getByRole("button", { name: "Sign out" }).boundingBox();
  assert.ok(signOut, "Sign out is drawn");
  assert.ok(signOut.x >= 0 && signOut.y >= 0 && signOut.x + signOut.width <= viewport.width && signOut.y + signOut.height <= viewport.height,
    `Sign out is inside the viewport: ${JSON.stringify(signOut)}`);
  // One line: the banner is no taller than its tallest item plus padding, and the name is cut short.
  const banner = await page.locator("header.banner").boundingBox();
  const brand = await page.locator("header.banner .brand").boundingBox();
  assert.ok(banner.height < signOut.height * 2, `the banner is one line high: ${banner.height}px`);
  assert.ok(Math.abs(brand.y + brand.height / 2 - (signOut.y + signOut.height / 2)) < 4, "the brand and Sign out sit on the same line");
  assert.ok(banner.x + banner.width <= viewport.width + 0.5, "the banner does not overflow the viewport");
  assert.ok(await page.locator("header.banner .me").evaluate((el) => el.scrollWidth > el.clientWidth), "the long name is ellipsised");
  // The composer is pinned to the bottom; the messages scroll inside their list, not the page.
  const composer = await page.locator("form.composer").boundingBox();
  assert.ok(Math.abs(composer.y + composer.height - viewport.height) <= 8, `the composer ends at the bottom: ${composer.y + composer.height}`);
  const scroll = await page.evaluate(() => ({
    page: document.documentElement.scrollHeight - window.innerHeight,
    list: document.querySelector(".scroller").scrollHeight - document.querySelector(".scroller").clientHeight,
  }));
  assert.ok(scroll.page <= 1, `the page does not scroll (${scroll.page}px)`);
  assert.ok(scroll.list > 0, "the message list scrolls");
  // The switcher is a select on a phone, a side list on a wide screen.
  assert.equal(await page.getByLabel("Switch room").isVisible(), true);
  assert.equal(await page.locator("nav.switcher").isVisible(), false);
  assert.equal(await desk.page.locator("nav.switcher").isVisible(), true);

  // Ned has seen everything: the room he is in has no unread badge in his switcher.
  await desk.page.locator("nav.switcher a[aria-current=page]", { hasText: roomName }).waitFor();
  await desk.page.waitForFunction(() => document.querySelectorAll("nav.switcher .badge.unread").length === 0);
  await mkdir(artifacts, { recursive: true });
  await desk.page.screenshot({ path: path.join(artifacts, "room-1280x800.png") });
  await page.screenshot({ path: path.join(artifacts, "room-390x844.png") });

  // The members are a panel of their own on a phone, and back.
  await page.getByRole("button", { name: "Members" }).click();
  await page.locator(".members li", { hasText: "Ned" }).waitFor();
  assert.equal(await box(page).isVisible(), false);
  await page.getByRole("button", { name: "Back to messages" }).click();
  await box(page).waitFor();

  await phone.context.close();
  await desk.context.close();
});

test("messages written offline wait, then go out once and in order; a refused one says why", { timeout: 120_000 }, async () => {
  assert.ok(base, "LOBBY_E2E_URL is not set (scripts/check-web.sh sets it)");
  const pat = await openAs("Pat");
  const quin = await openAs("Quin");
  await signUp(pat);
  await signUp(quin);
  const roomName = `Offline ${run}`;
  await createRoom(pat.page, roomName);
  await joinRoom(quin.page, roomName);
  await send(pat.page, "before the tunnel");
  await quin.page.locator("li.message", { hasText: "before the tunnel" }).waitFor();

  // The server refuses one of them (as it would a room Pat was removed from): 403, not retried.
  let refusals = 0;
  await pat.page.route("**/api/v1/rooms/*/messages", async (route) => {
    if (route.request().method() === "POST" && (route.request().postData() ?? "").includes("refused")) {
      refusals += 1;
      return route.fulfill({
        status: 403,
        contentType: "application/problem+json",
        body: JSON.stringify({ title: "Forbidden", status: 403, detail: "You may not post in this room." }),
      });
    }
    return route.continue();
  });
  const keys = [];
  pat.page.on("request", (r) => {
    if (r.method() === "POST" && /\/messages$/.test(r.url())) keys.push([JSON.parse(r.postData()).body, r.headers()["idempotency-key"]]);
  });

  await pat.context.setOffline(true);
  await pat.page.locator('.status:not([data-state="online"])').waitFor();
  const composer = box(pat.page);
  for (const text of ["offline one", "refused two", "offline three"]) {
    await composer.fill(text);
    await composer.press("Enter");
    await pat.page.locator("li.message.pending", { hasText: text }).waitFor();
  }
  assert.equal(await composer.inputValue(), "");
  assert.equal(await pat.page.locator("li.message.pending").count(), 3);
  assert.equal(await quin.page.locator("li.message", { hasText: /offline|refused/ }).count(), 0);

  await pat.context.setOffline(false);
  await quin.page.locator("li.message", { hasText: "offline three" }).waitFor();
  const refused = pat.page.locator("li.message.pending.failed", { hasText: "refused two" });
  await refused.getByRole("alert").filter({ hasText: "You may not post in this room." }).waitFor();
  await pat.page.waitForFunction(() => document.querySelectorAll("li.message.pending:not(.failed)").length === 0);
  // A later message from each side: anything sent twice would have arrived by then.
  await send(pat.page, "out of the tunnel");
  await quin.page.locator("li.message", { hasText: "out of the tunnel" }).waitFor();
  const expected = ["before the tunnel", "offline one", "offline three", "out of the tunnel"];
  for (const page of [pat.page, quin.page]) {
    const messages = await shown(page);
    assert.deepEqual(messages.filter(([seq]) => seq > 0).map(([, body]) => body), expected);
    assert.deepEqual(messages.filter(([seq]) => seq > 0).map(([seq]) => seq), [1, 2, 3, 4]);
  }
  assert.equal(refusals, 1, "a refused message is not retried");
  // Each queued message went out with its own key, the one it was composed with.
  const queued = keys.filter(([body]) => /offline|refused/.test(body));
  assert.deepEqual(queued.map(([body]) => body), ["offline one", "refused two", "offline three"]);
  assert.equal(new Set(queued.map(([, key]) => key)).size, 3);

  // The refused one can be discarded.
  await refused.getByRole("button", { name: "Discard" }).click();
  await pat.page.waitForFunction(() => document.querySelectorAll("li.message.pending").length === 0);

  await pat.context.close();
  await quin.context.close();
});

test("the room list loads more rooms page by page", { timeout: 120_000 }, async () => {
  assert.ok(base, "LOBBY_E2E_URL is not set (scripts/check-web.sh sets it)");
  // 51 public rooms made over the API: one more than a page.
  const maker = await apiUser("Roomer");
  const prefix = `Many ${run}`;
  for (let i = 1; i <= 51; i++) {
    await maker("POST", "/api/v1/rooms", { name: `${prefix} ${String(i).padStart(2, "0")}`, topic: "", visibility: "public" });
  }
  const sam = await openAs("Sam");
  await signUp(sam);
  const { page } = sam;
  await page.getByLabel("Search rooms").fill(prefix);
  const items = page.locator("ul.rooms:not(.dms) li", { hasText: prefix });
  await page.waitForFunction((p) => [...document.querySelectorAll("ul.rooms:not(.dms) li")].filter((li) => li.textContent.includes(p)).length === 50, prefix);
  const more = page.getByRole("button", { name: "Load more rooms" });
  await more.click();
  await page.waitForFunction((p) => [...document.querySelectorAll("ul.rooms:not(.dms) li")].filter((li) => li.textContent.includes(p)).length === 51, prefix);
  await more.waitFor({ state: "hidden" });
  const names = await items.locator("a").allTextContents();
  assert.equal(new Set(names).size, 51, "each room once");
  await sam.context.close();
});

test("a switcher inside a room: other rooms' unread counts, the tab title, and reading only what was seen", { timeout: 180_000 }, async () => {
  assert.ok(base, "LOBBY_E2E_URL is not set (scripts/check-web.sh sets it)");
  const tia = await openAs("Tia");
  const uma = await openAs("Uma");
  await signUp(tia);
  await signUp(uma);
  const roomA = `Switch A ${run}`;
  const roomB = `Switch B ${run}`;
  await createRoom(tia.page, roomA);
  await tia.page.getByRole("link", { name: "← All rooms" }).click();
  await createRoom(tia.page, roomB);
  await joinRoom(uma.page, roomB);
  await uma.page.getByRole("link", { name: "← All rooms" }).click();
  await joinRoom(uma.page, roomA);

  // In room A, Uma's switcher counts what arrives in room B, and so does the tab title.
  const switcher = uma.page.locator("nav.switcher");
  await switcher.getByRole("link", { name: roomA }).and(uma.page.locator('[aria-current="page"]')).waitFor();
  await send(tia.page, "over in room B");
  await switcher.getByRole("link", { name: roomB }).locator(".badge.unread", { hasText: /^1$/ }).waitFor();
  await uma.page.waitForFunction((name) => document.title === `(1) ${name} · Lobby`, roomA);

  // She switches without going back to the list; B is read, and the title says so.
  await switcher.getByRole("link", { name: roomB }).click();
  await uma.page.getByRole("heading", { name: roomB }).waitFor();
  await uma.page.locator("li.message", { hasText: "over in room B" }).waitFor();
  await uma.page.waitForFunction((name) => document.title === `${name} · Lobby`, roomB);
  assert.equal(await switcher.getByRole("link", { name: roomB }).locator(".badge.unread").count(), 0);

  // Many messages in A while Uma is in B. Opening A shows the first unread ones under the "New
  // messages" line; only those count as read, not the ones below the fold.
  await tia.page.getByRole("link", { name: roomA }).click();
  await box(tia.page).waitFor();
  const total = 30;
  for (let i = 1; i <= total; i++) await send(tia.page, `A-${i}`);
  await switcher.getByRole("link", { name: roomA }).locator(".badge.unread", { hasText: new RegExp(`^${total}$`) }).waitFor();
  // What each POST marked read, from its answer (the browser's fetch body is a stream Playwright cannot read).
  const isRead = (r) => r.url().endsWith("/read") && r.request().method() === "POST" && r.ok();
  const firstRead = uma.page.waitForResponse(isRead);
  await switcher.getByRole("link", { name: roomA }).click();
  await uma.page.locator("li.message", { hasText: `A-${total}` }).waitFor({ state: "attached" });
  const seen = (await (await firstRead).json()).lastReadSeq;
  const last = Math.max(...(await shown(uma.page)).map(([seq]) => seq));
  assert.equal(last, total);
  assert.ok(seen > 0 && seen < last, `marked read up to what is in view (${seen}), not the last loaded (${last})`);
  const inView = await uma.page.evaluate(() => {
    const scroller = document.querySelector(".scroller").getBoundingClientRect();
    return [...document.querySelectorAll("li.message[data-seq]")]
      .filter((li) => { const r = li.getBoundingClientRect(); return r.top < scroller.bottom && r.bottom > scroller.top; })
      .map((li) => Number(li.getAttribute("data-seq")));
  });
  assert.ok(inView.includes(seen), `the seq marked read (${seen}) is on screen (${inView.join(",")})`);
  await switcher.getByRole("link", { name: roomA }).locator(".badge.unread", { hasText: new RegExp(`^${total - seen}$`) }).waitFor();

  // Scrolling to the end reads the rest.
  const lastRead = uma.page.waitForResponse(async (r) => isRead(r) && (await r.json()).lastReadSeq === total);
  await uma.page.locator(".scroller").evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await lastRead;
  await uma.page.waitForFunction(() => document.querySelectorAll("nav.switcher .badge.unread").length === 0);
  await uma.page.waitForFunction((name) => document.title === `${name} · Lobby`, roomA);

  await tia.context.close();
  await uma.context.close();
});

test("a new display name reaches an open room: the members and the author of messages already shown", { timeout: 120_000 }, async () => {
  assert.ok(base, "LOBBY_E2E_URL is not set (scripts/check-web.sh sets it)");
  const vic = await openAs("Vic");
  const wes = await openAs("Wes");
  await signUp(vic);
  await signUp(wes);
  const roomName = `Rename ${run}`;
  await createRoom(vic.page, roomName);
  await joinRoom(wes.page, roomName);
  await send(vic.page, "said before the rename");
  const message = wes.page.locator("li.message", { hasText: "said before the rename" });
  await message.locator(".author", { hasText: /^Vic$/ }).waitFor();
  await wes.page.locator(".members li", { hasText: "Vic" }).waitFor();
  const reloads = [];
  wes.page.on("framenavigated", (frame) => { if (frame === wes.page.mainFrame()) reloads.push(frame.url()); });

  await vic.page.getByRole("link", { name: "Settings" }).click();
  await vic.page.getByLabel("Display name").fill("Victoria");
  await vic.page.getByRole("button", { name: "Save name" }).click();
  await vic.page.getByText("Your display name is saved.").waitFor();

  // Wes, in the room all along, sees the new name on Vic's message and in the members, live.
  await message.locator(".author", { hasText: /^Victoria$/ }).waitFor();
  await wes.page.locator(".members li", { hasText: "Victoria" }).waitFor();
  assert.equal(await wes.page.locator(".members li", { hasText: /^Vic\b/ }).count(), 0, "the old name is gone from the members");
  assert.deepEqual(reloads, [], "Wes did not reload or leave the room");

  await vic.context.close();
  await wes.context.close();
});
