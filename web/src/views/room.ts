/**
 * One room: its messages (older ones load when you scroll to the top), the composer, the members
 * with who is online, and who is typing, beside a switcher of my other rooms and DMs with their
 * unread counts. History comes over HTTP; everything newer comes live. Messages composed offline
 * wait in an Outbox and go out once the network is back.
 */
import { api, type Room, type User } from "../api";
import { personByEmail } from "../directory";
import { errorBox, field, h, showError } from "../dom";
import type { Followed, Live, RoomEvent } from "../live";
import { MessageStore, type Message } from "../messages";
import { Outbox, outboxKey, type Pending } from "../outbox";
import { RoomPeople, TYPING_SHOWN_MS, typingText, type Member } from "../people";
import { problemText } from "../problems";
import { ReadTracker } from "../readTracker";
import type { RoomFeed } from "../roomFeed";
import { tabTitle } from "../roomList";
import { MessageList } from "./messageList";
import { roomName, roomSwitcher } from "./switcher";

const PAGE = 50;
/** The server drops Typing calls closer together than this, so we do not send them. */
const TYPING_EVERY_MS = 2000;
/** The server's limit on a message body (RoomRules.MaxBodyLength). */
const MAX_BODY = 4000;

/** A send that never reached the server (fetch rejected: offline, DNS, connection refused), as opposed to an answer. */
const NETWORK = Symbol("network");

export function roomView(root: HTMLElement, roomId: string, me: User, live: Live, feed: RoomFeed): () => void {
  const store = new MessageStore();
  const people = new RoomPeople(me.id);
  const outbox = new Outbox(sessionStorage, outboxKey(me.id, roomId));
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
  // Messages not sent yet (offline), after the sent ones: mine, in the order they will go out.
  const pendingList = h("ol", { class: "messages pending", "aria-label": "Not sent yet" });
  const scroller = h("div", { class: "scroller" }, older, list.element, pendingList);
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

  const switcher = roomSwitcher(feed, roomId);
  // On phones the members are a panel of their own, opened from the room's header.
  const membersToggle = h("button", { type: "button", class: "secondary members-toggle", "aria-expanded": "false" }, "Members");
  const membersClose = h("button", { type: "button", class: "secondary members-toggle" }, "← Back to messages");
  const page = h(
    "main",
    { class: "room-page" },
    switcher.nav,
    h(
      "section",
      { class: "room", "aria-labelledby": "room-title" },
      h(
        "header",
        {},
        h("div", { class: "room-nav" }, h("a", { href: "#/", class: "back" }, "← All rooms"), switcher.select, membersToggle),
        title,
        topic,
      ),
      scroller,
      announcer,
      typingLine,
      error,
      footer,
    ),
    h(
      "aside",
      { class: "card members-panel", "aria-labelledby": "members-title" },
      membersClose,
      h("h2", { id: "members-title" }, "Members"),
      members,
      invite,
    ),
  );
  const showMembers = (open: boolean): void => {
    page.classList.toggle("show-members", open);
    membersToggle.setAttribute("aria-expanded", String(open));
    (open ? membersClose : membersToggle).focus();
  };
  membersToggle.addEventListener("click", () => showMembers(true));
  membersClose.addEventListener("click", () => showMembers(false));
  root.replaceChildren(page);
  title.id = "room-title";

  // --- drawing --------------------------------------------------------------------------------
  // Authors come inline with each message (current when fetched); a rename heard live since wins.
  const authorName = (m: Message): string => people.authorName(m.authorId, m.author.displayName);

  // Authors delete their own messages; in a room (not a DM) its owner and MODERATOR/ADMIN may
  // delete anyone's (RoomPermissions.CanDeleteMessage). Only authors edit.
  const canDelete = (m: Message): boolean =>
    m.authorId === me.id || (room?.kind !== "dm" && (room?.myRole === "owner" || me.role === "MODERATOR" || me.role === "ADMIN"));

  const drawMessages = (): void => {
    const nearBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    list.draw(store.list());
    const empty = store.list().length === 0 && outbox.size === 0;
    older.textContent = store.hasOlder ? "" : empty ? "No messages yet. Say hello!" : "This is the beginning of the room.";
    if (nearBottom) scroller.scrollTop = scroller.scrollHeight;
    watchRows();
  };

  const drawPending = (): void => {
    const nearBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    pendingList.replaceChildren(...outbox.list().filter((p) => !arrived.has(p.key)).map(pendingRow));
    if (nearBottom) scroller.scrollTop = scroller.scrollHeight;
  };

  const pendingRow = (p: Pending): HTMLElement =>
    h(
      "li",
      { class: p.error ? "message mine pending failed" : "message mine pending", "data-key": p.key },
      h(
        "div",
        { class: "meta" },
        h("span", { class: "author" }, me.displayName),
        h("span", { class: "state" }, p.error ? "Not sent" : "Waiting for the network…"),
      ),
      h("p", { class: "body" }, p.body),
      p.error
        ? h(
            "div",
            { class: "actions confirming" },
            h("span", { class: "error", role: "alert" }, p.error),
            h("button", { type: "button", class: "link", onclick: () => (outbox.remove(p.key), drawPending()) }, "Discard"),
          )
        : null,
    );

  const drawSwitcher = (): void => {
    switcher.draw(room);
    drawTabTitle();
  };

  const drawTabTitle = (): void => {
    document.title = tabTitle(feed.state.unread(), room ? roomName(room) : undefined);
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
    title.textContent = roomName(r);
    topic.textContent = r.kind === "dm" ? "Direct message" : r.topic;
    drawSwitcher();
  };

  // --- loading --------------------------------------------------------------------------------
  // Read state: a message counts as read once its row has been in view while the window is
  // visible; the room is marked read up to the newest such row (one POST per burst), not up to
  // whatever was loaded below the fold.
  let reads: ReadTracker | null = null;
  let readTimer: ReturnType<typeof setTimeout> | undefined;
  const markRead = (): void => {
    if (closed || !room?.myRole || !reads || reads.due(document.visibilityState === "visible") === null) return;
    // At most one POST per 300 ms, but a busy room still gets one every 300 ms (not only when quiet).
    if (readTimer !== undefined) return;
    readTimer = setTimeout(() => {
      readTimer = undefined;
      const seq = reads?.due(document.visibilityState === "visible");
      if (!reads || seq === null || seq === undefined || closed) return;
      const previous = reads.lastMarked;
      const tracker = reads;
      tracker.sending(seq);
      api.POST("/api/v1/rooms/{id}/read", { params: { path: { id: roomId } }, body: { seq } }).then(
        ({ data }) => {
          if (data) {
            tracker.readUpTo(data.lastReadSeq); // another device may have read further
            feed.read(data);
          } else tracker.failed(previous);
          markRead(); // rows that came into view meanwhile
        },
        () => tracker.failed(previous), // offered again with the next row that comes into view
      );
    }, 300);
  };
  const onVisible = (): void => markRead();
  document.addEventListener("visibilitychange", onVisible);

  // Rows in view: (mostly) inside the scroller. A row taller than half the scroller counts once
  // half the scroller shows it.
  const rowSeq = new Map<Element, number>();
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        const seq = rowSeq.get(entry.target);
        if (seq === undefined || !reads) continue;
        const rootHeight = entry.rootBounds?.height ?? Infinity;
        const seen = entry.isIntersecting && (entry.intersectionRatio >= 0.5 || entry.intersectionRect.height >= rootHeight / 2);
        if (seen) reads.show(seq);
        else reads.hide(seq);
      }
      markRead();
    },
    { root: scroller, threshold: [0, 0.5, 1] },
  );
  /** Observes the rows the list now shows (a rebuilt row is a new element) and forgets the old ones. */
  const watchRows = (): void => {
    const now = new Set<Element>();
    for (const li of list.element.querySelectorAll<HTMLElement>("li.message[data-seq]")) {
      now.add(li);
      if (!rowSeq.has(li)) {
        rowSeq.set(li, Number(li.dataset["seq"]));
        observer.observe(li);
      }
    }
    for (const [li, seq] of rowSeq) {
      if (now.has(li)) continue;
      observer.unobserve(li);
      rowSeq.delete(li);
      if (![...rowSeq.values()].includes(seq)) reads?.hide(seq);
    }
  };

  const add = async (list: readonly Message[]): Promise<void> => {
    store.merge(list);
    drawMessages();
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
        if (message.authorId === me.id && inFlight && message.body === inFlight.body) {
          arrived.add(inFlight.key); // the hub was quicker than the POST's answer: one row, not two
          drawPending();
        }
        if (message.authorId !== me.id && message.body !== null) {
          announcer.textContent = `${authorName(message)}: ${message.body}`;
        }
        drawMessages();
        drawTyping();
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
      case "member.updated": {
        // A new display name: the members, the names on their messages, and a DM's title.
        people.updated(data as unknown as Member);
        drawMembers();
        drawMessages();
        drawTyping();
        const peer = room?.kind === "dm" ? room.peer : null;
        if (room && peer && peer.id === data["userId"]) {
          room = { ...room, peer: { ...peer, displayName: String(data["displayName"]) } };
          drawTitle(room);
        }
        return;
      }
      case "member.left":
        if (data["userId"] === me.id) {
          location.hash = "#/";
          return;
        }
        people.left(String(data["userId"]));
        drawMembers();
        return;
      case "room.updated":
        room = { ...room, ...(data as unknown as Room), myRole: room?.myRole ?? null };
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
      reads = new ReadTracker(data.lastReadSeq);
      // Mine, but not among the rooms the switcher knows (just created, or past the first page).
      if (data.myRole && !feed.state.mine().some((r) => r.id === roomId)) feed.refresh();
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
      await live.follow(roomId, follower);
      if (room.myRole) input.focus();
      // Left from before a reload, or from the last visit: send it now if we can.
      drawPending();
      void flush();
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

  /** Posts one message: the message, the server's refusal (status and words), or NETWORK when it never got an answer. */
  const post = async (body: string, key: string): Promise<Message | { status: number; text: string } | typeof NETWORK> => {
    try {
      const { data, error: problem, response } = await api.POST("/api/v1/rooms/{id}/messages", {
        params: { path: { id: roomId }, header: { "Idempotency-Key": key } },
        body: { body },
      });
      return data ?? { status: response.status, text: problemText(problem) };
    } catch {
      // fetch rejects only when no answer came: offline, or the connection failed.
      return NETWORK;
    }
  };

  const shown = (message: Message): void =>
    onEvent({ type: "message.created", roomId, seq: message.seq, data: message as unknown as Record<string, unknown> });

  /**
   * Sends what waits in the outbox, oldest first, one at a time (so they arrive in order), each
   * with the key it was composed with. Stops at the first that gets no answer (still offline) or
   * a 5xx, to go on when the network or the live connection is back; a 4xx is the server's final
   * word: that row says why, and the others go on.
   */
  let flushing = false;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** The queued message being posted, and those whose copy came live before the POST's answer (their row goes). */
  let inFlight: Pending | null = null;
  const arrived = new Set<string>();
  const flush = async (): Promise<void> => {
    if (flushing || closed || !navigator.onLine) return;
    flushing = true;
    clearTimeout(flushTimer);
    try {
      for (let next = outbox.next(); next && !closed; next = outbox.next()) {
        inFlight = next;
        const result = await post(next.body, next.key);
        inFlight = null;
        arrived.delete(next.key);
        if (result === NETWORK || ("status" in result && result.status >= 500)) {
          // Online by the browser's account, yet no answer: try again shortly.
          if (!closed) flushTimer = setTimeout(() => void flush(), 5000);
          break;
        }
        if ("status" in result) outbox.fail(next.key, result.text);
        else {
          outbox.remove(next.key);
          shown(result);
        }
        drawPending();
      }
    } finally {
      flushing = false;
      drawPending();
    }
  };
  const onOnline = (): void => void flush();
  window.addEventListener("online", onOnline);
  const unlistenConnected = live.onConnected(onOnline);

  /** Queues a composed message behind any others waiting, and sends them if the network allows. */
  const queue = (body: string, key: string): void => {
    outbox.add(body, key);
    drawPending();
    scroller.scrollTop = scroller.scrollHeight;
    void flush();
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
    // Offline, or others still waiting to go out: this one waits behind them, in order.
    if (!navigator.onLine || outbox.next() !== undefined) {
      queue(body, key);
      return;
    }
    const putBack = (text: string): void => {
      retry = { body, key };
      input.value = input.value ? `${body}\n${input.value}` : body;
      drawCounter();
      showError(error, text);
    };
    void (async () => {
      const result = await post(body, key);
      if (result === NETWORK) queue(body, key); // the network went away mid-send: same key, sent once back
      else if ("status" in result) putBack(result.text);
      else shown(result);
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
        feed.refresh(); // now one of my rooms: the switcher lists it and counts its unread
        people.joined(data);
        drawMembers();
        drawFooter();
        markRead();
        input.focus();
      } catch (e) {
        showError(error, problemText(e));
      }
    })();
  });

  const follower: Followed = { lastSeq: () => store.lastSeq, onEvent };
  const unlistenFeed = feed.onChange(drawSwitcher);
  drawSwitcher();
  drawPending();
  void open();
  return () => {
    closed = true;
    clearTimeout(typingTimer);
    clearTimeout(readTimer);
    clearTimeout(flushTimer);
    observer.disconnect();
    unlistenFeed();
    unlistenConnected();
    window.removeEventListener("online", onOnline);
    document.removeEventListener("visibilitychange", onVisible);
    void live.unfollow(roomId, follower);
  };
}
