/**
 * One room: its messages (older ones load when you scroll to the top), the composer, the members
 * with who is online, and who is typing. History comes over HTTP; everything newer comes live.
 */
import { api, type Room, type User } from "../api";
import { personByEmail } from "../directory";
import { errorBox, field, h, showError } from "../dom";
import type { Live, RoomEvent } from "../live";
import { MessageStore, type Message } from "../messages";
import { RoomPeople, TYPING_SHOWN_MS, typingText, type Member } from "../people";
import { problemText } from "../problems";
import { MessageList } from "./messageList";

const PAGE = 50;
/** The server drops Typing calls closer together than this, so we do not send them. */
const TYPING_EVERY_MS = 2000;
/** The server's limit on a message body (RoomRules.MaxBodyLength). */
const MAX_BODY = 4000;

export function roomView(root: HTMLElement, roomId: string, me: User, live: Live): () => void {
  const store = new MessageStore();
  const people = new RoomPeople(me.id);
  let room: Room | null = null;
  let loadingOlder = false;
  let lastTypingSent = 0;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const title = h("h1", {}, "Loading…");
  const topic = h("p", { class: "topic" });
  const list = new MessageList({
    mine: (m) => m.authorId === me.id,
    name: (m) => authorName(m),
    canDelete: (m) => canDelete(m),
    edit: (m, body) => editMessage(m, body),
    remove: (m) => deleteMessage(m),
    redraw: () => drawMessages(),
    showError: (text) => showError(error, text),
  });
  const older = h("p", { class: "older", "aria-live": "polite" });
  const scroller = h("div", { class: "scroller" }, older, list.element);
  // New messages from others, announced by screen readers (the list itself is not a live region:
  // it would read out a whole page of history on open).
  const announcer = h("p", { class: "visually-hidden", "aria-live": "polite" });
  const typingLine = h("p", { class: "typing", "aria-live": "polite" });
  const members = h("ul", { class: "members", "aria-label": "Members" });
  const error = errorBox();
  // No maxlength: a long paste is kept whole and the counter says by how much it is over.
  const input = h("textarea", { name: "message", autocomplete: "off", rows: 1 });
  const counter = h("span", { class: "counter", "aria-live": "polite" });
  const composer = h("form", { class: "composer" }, field("Message", input), counter, h("button", { type: "submit" }, "Send"));
  const joinButton = h("button", { type: "button", class: "join" }, "Join this room");
  // Inviting: a private room's owner adds people by email (the server lets only the owner add).
  const inviteEmail = h("input", { type: "email", name: "inviteEmail", autocomplete: "off", required: true });
  const inviteError = errorBox();
  const inviteDone = h("p", { class: "done", role: "status" });
  const inviteForm = h(
    "form",
    { class: "invite" },
    h("h2", {}, "Invite someone"),
    field("Invite by email", inviteEmail),
    inviteError,
    inviteDone,
    h("button", { type: "submit" }, "Invite"),
  );
  const invite = h("div", {});
  const footer = h("div", { class: "footer" });

  root.replaceChildren(
    h(
      "main",
      { class: "room-page" },
      h(
        "section",
        { class: "room", "aria-labelledby": "room-title" },
        h("header", {}, h("a", { href: "#/", class: "back" }, "← All rooms"), title, topic),
        scroller,
        announcer,
        typingLine,
        error,
        footer,
      ),
      h("aside", { class: "card", "aria-labelledby": "members-title" }, h("h2", { id: "members-title" }, "Members"), members, invite),
    ),
  );
  title.id = "room-title";

  // --- drawing --------------------------------------------------------------------------------
  // Authors come inline with each message; a member's newer name (live member events) wins.
  const authorName = (m: Message): string => people.name(m.authorId) ?? m.author.displayName;

  // Authors delete their own messages; in a room (not a DM) its owner and MODERATOR/ADMIN may
  // delete anyone's (RoomPermissions.CanDeleteMessage). Only authors edit.
  const canDelete = (m: Message): boolean =>
    m.authorId === me.id || (room?.kind !== "dm" && (room?.myRole === "owner" || me.role === "MODERATOR" || me.role === "ADMIN"));

  const drawMessages = (): void => {
    const nearBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    list.draw(store.list());
    older.textContent = store.hasOlder ? "" : store.list().length === 0 ? "No messages yet. Say hello!" : "This is the beginning of the room.";
    if (nearBottom) scroller.scrollTop = scroller.scrollHeight;
  };

  const drawMembers = (): void => {
    members.replaceChildren(
      ...people.list().map((m) =>
        h(
          "li",
          { class: people.isOnline(m.userId) ? "online" : "offline" },
          h("span", { class: "dot", "aria-hidden": "true" }),
          m.displayName,
          m.userId === me.id ? " (you)" : "",
          h("span", { class: "visually-hidden" }, people.isOnline(m.userId) ? ", online" : ", offline"),
          m.role === "owner" ? h("span", { class: "badge" }, "owner") : null,
        ),
      ),
    );
  };

  const drawTyping = (): void => {
    typingLine.textContent = typingText(people.typingNames(Date.now()));
    clearTimeout(typingTimer);
    if (typingLine.textContent) typingTimer = setTimeout(drawTyping, 500);
  };

  const drawFooter = (): void => {
    footer.replaceChildren(room?.myRole ? composer : joinButton);
    invite.replaceChildren(room?.kind !== "dm" && room?.visibility === "private" && room.myRole === "owner" ? inviteForm : "");
  };

  /** A DM is named after the other person and has no topic of its own. */
  const drawTitle = (r: Room): void => {
    const name = r.kind === "dm" ? (r.peer?.displayName ?? r.name) : r.name;
    title.textContent = name;
    topic.textContent = r.kind === "dm" ? "Direct message" : r.topic;
    document.title = `${name} · Lobby`;
  };

  // --- loading --------------------------------------------------------------------------------
  // Read state: what this window shows while it is visible counts as read (one POST per burst).
  let readSent = 0;
  let readTimer: ReturnType<typeof setTimeout> | undefined;
  const markRead = (): void => {
    if (closed || !room?.myRole || document.visibilityState !== "visible" || store.lastSeq <= readSent) return;
    clearTimeout(readTimer);
    readTimer = setTimeout(() => {
      const seq = store.lastSeq;
      if (seq <= readSent) return;
      readSent = seq;
      api.POST("/api/v1/rooms/{id}/read", { params: { path: { id: roomId } }, body: { seq } }).catch(() => {
        readSent = 0; // try again with the next message
      });
    }, 300);
  };
  const onVisible = (): void => markRead();
  document.addEventListener("visibilitychange", onVisible);

  const add = async (list: readonly Message[]): Promise<void> => {
    store.merge(list);
    drawMessages();
    markRead();
  };

  /** Fills a gap between what we show and a newer live message (a race between replicas, say). */
  const fillAfter = async (after: number): Promise<void> => {
    const { data } = await api.GET("/api/v1/rooms/{id}/messages", { params: { path: { id: roomId }, query: { after, limit: 100 } } });
    if (data) await add(data.items);
  };

  const loadOlder = async (): Promise<void> => {
    if (loadingOlder || !store.hasOlder || store.list().length === 0) return;
    loadingOlder = true;
    older.textContent = "Loading older messages…";
    try {
      const { data, error: problem } = await api.GET("/api/v1/rooms/{id}/messages", {
        params: { path: { id: roomId }, query: { before: store.firstSeq, limit: PAGE } },
      });
      if (!data) {
        showError(error, problemText(problem));
        return;
      }
      // Keep the message you were reading where it was while older ones are added above it.
      const fromBottom = scroller.scrollHeight - scroller.scrollTop;
      store.mergeOlder(data.items, PAGE);
      drawMessages();
      scroller.scrollTop = scroller.scrollHeight - fromBottom;

    } catch (e) {
      showError(error, problemText(e));
    } finally {
      loadingOlder = false;
    }
  };
  scroller.addEventListener("scroll", () => {
    if (scroller.scrollTop < 60) void loadOlder();
  });

  const onEvent = (event: RoomEvent): void => {
    const data = event.data;
    switch (event.type) {
      case "message.created": {
        const message = data as unknown as Message;
        const before = store.lastSeq;
        const result = store.receive(message);
        if (result === "duplicate") return;
        people.stoppedTyping(message.authorId);
        if (message.authorId !== me.id && message.body !== null) {
          announcer.textContent = `${authorName(message)}: ${message.body}`;
        }
        drawMessages();
        drawTyping();
        markRead();
        if (result === "gap") void fillAfter(before);
        return;
      }
      case "message.updated":
      case "message.deleted":
        if (store.update(data as unknown as Message)) drawMessages();
        return;
      case "member.joined":
        people.joined(data as unknown as Member);
        drawMembers();
        return;
      case "member.left":
        if (data["userId"] === me.id) {
          location.hash = "#/";
          return;
        }
        people.left(String(data["userId"]));
        drawMembers();
        return;
      case "room.updated":
        room = { ...(data as unknown as Room), myRole: room?.myRole ?? null };
        drawTitle(room);
        drawFooter();
        return;
      case "room.deleted":
      case "subscription.ended": // made private, and we are not a member: it is gone for us
        location.hash = "#/";
        return;
      case "presence":
        people.setOnline(data["userIds"] as string[]);
        drawMembers();
        return;
      case "typing":
        people.typing(String(data["userId"]), Date.now());
        drawTyping();
        setTimeout(drawTyping, TYPING_SHOWN_MS + 50);
        return;
    }
  };

  const loadMembers = async (): Promise<void> => {
    const { data } = await api.GET("/api/v1/rooms/{id}/members", { params: { path: { id: roomId }, query: { limit: 100 } } });
    if (data) people.setMembers(data.items);
    drawMembers();
  };

  const open = async (): Promise<void> => {
    try {
      const { data, error: problem } = await api.GET("/api/v1/rooms/{id}", { params: { path: { id: roomId } } });
      if (!data) {
        title.textContent = "Room not available";
        showError(error, problemText(problem));
        return;
      }
      room = data;
      drawTitle(data);
      drawFooter();
      const [page] = await Promise.all([
        api.GET("/api/v1/rooms/{id}/messages", { params: { path: { id: roomId }, query: { limit: PAGE } } }),
        loadMembers(),
      ]);
      if (closed) return;
      if (page.data) {
        // What was unread when the room opened stays marked for this visit, though it is now read.
        if (data.myRole && data.unreadCount > 0) list.unreadAfter = data.lastReadSeq;
        store.mergeOlder(page.data.items, PAGE);
        await add(page.data.items);
        scroller.scrollTop = scroller.scrollHeight;
        // At the bottom, unless that hides the "New messages" line: then with the line at the top.
        const line = list.element.querySelector(".divider.unread");
        const above = line ? scroller.getBoundingClientRect().top - line.getBoundingClientRect().top : 0;
        if (above > 0) scroller.scrollTop -= above + 8;
      }
      // From here on the hub replays anything newer than what we show, then streams.
      await live.follow(roomId, { lastSeq: () => store.lastSeq, onEvent });
      if (room.myRole) input.focus();
    } catch (e) {
      showError(error, problemText(e));
    }
  };

  // --- acting ---------------------------------------------------------------------------------
  const editMessage = async (m: Message, body: string): Promise<string> => {
    try {
      const { data, error: problem } = await api.PATCH("/api/v1/rooms/{id}/messages/{messageId}", {
        params: { path: { id: roomId, messageId: m.id } },
        body: { body },
      });
      if (!data) return problemText(problem);
      // The hub sends the same edit; whichever comes first wins, the other changes nothing.
      store.update(data);
      drawMessages();
      return "";
    } catch (e) {
      return problemText(e);
    }
  };

  const deleteMessage = async (m: Message): Promise<string> => {
    try {
      const { error: problem, response } = await api.DELETE("/api/v1/rooms/{id}/messages/{messageId}", {
        params: { path: { id: roomId, messageId: m.id } },
      });
      if (!response.ok) return problemText(problem);
      store.update({ ...m, body: null, deletedAt: new Date().toISOString() });
      drawMessages();
      return "";
    } catch (e) {
      return problemText(e);
    }
  };

  // One Idempotency-Key per composed message: a failed send put back in the box and sent again
  // unchanged reuses it, so a send that did reach the server is never posted twice.
  let retry: { body: string; key: string } | null = null;

  const drawCounter = (): void => {
    const n = input.value.length;
    counter.textContent = n > MAX_BODY - 500 ? `${n} / ${MAX_BODY}` : "";
    counter.classList.toggle("over", n > MAX_BODY);
  };

  const sendDraft = (): void => {
    const body = input.value.trim();
    if (!body) return;
    if (body.length > MAX_BODY) {
      showError(error, `A message can be at most ${MAX_BODY} characters; this one has ${body.length}.`);
      return;
    }
    showError(error, "");
    const key = retry?.body === body ? retry.key : crypto.randomUUID();
    retry = null;
    // Cleared at once: a second Enter finds nothing to send, and what is typed meanwhile stays.
    input.value = "";
    drawCounter();
    const putBack = (text: string): void => {
      retry = { body, key };
      input.value = input.value ? `${body}\n${input.value}` : body;
      drawCounter();
      showError(error, text);
    };
    void (async () => {
      try {
        const { data, error: problem } = await api.POST("/api/v1/rooms/{id}/messages", {
          params: { path: { id: roomId }, header: { "Idempotency-Key": key } },
          body: { body },
        });
        if (!data) {
          putBack(problemText(problem));
          return;
        }
        onEvent({ type: "message.created", roomId, seq: data.seq, data: data as unknown as Record<string, unknown> });
      } catch (e) {
        putBack(problemText(e));
      }
    })();
  };

  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    sendDraft();
  });

  // Enter sends; Shift+Enter starts a new line (and Enter while composing with an IME does not send).
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendDraft();
    }
  });

  input.addEventListener("input", () => {
    drawCounter();
    const now = Date.now();
    if (input.value && now - lastTypingSent >= TYPING_EVERY_MS) {
      lastTypingSent = now;
      live.typing(roomId);
    }
  });

  inviteForm.addEventListener("submit", (event) => {
    event.preventDefault();
    showError(inviteError, "");
    inviteDone.textContent = "";
    void (async () => {
      const found = await personByEmail(inviteEmail.value);
      if ("problem" in found) {
        showError(inviteError, found.problem);
        return;
      }
      try {
        const { data, error: problem, response } = await api.POST("/api/v1/rooms/{id}/members", {
          params: { path: { id: roomId } },
          body: { userId: found.person.id },
        });
        if (!data) {
          showError(inviteError, problemText(problem));
          return;
        }
        people.joined(data);
        drawMembers();
        inviteEmail.value = "";
        // 200: they were in already; 201: added now.
        inviteDone.textContent = response.status === 201 ? `${data.displayName} was added.` : `${data.displayName} is already a member.`;
      } catch (e) {
        showError(inviteError, problemText(e));
      }
    })();
  });

  joinButton.addEventListener("click", () => {
    void (async () => {
      try {
        const { data, error: problem } = await api.POST("/api/v1/rooms/{id}/join", { params: { path: { id: roomId } } });
        if (!data || !room) {
          showError(error, problemText(problem));
          return;
        }
        room = { ...room, myRole: data.role };
        people.joined(data);
        drawMembers();
        drawFooter();
        input.focus();
      } catch (e) {
        showError(error, problemText(e));
      }
    })();
  });

  void open();
  return () => {
    closed = true;
    clearTimeout(typingTimer);
    clearTimeout(readTimer);
    document.removeEventListener("visibilitychange", onVisible);
    void live.unfollow(roomId);
  };
}
