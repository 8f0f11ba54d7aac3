/** The room list: search by name prefix, my direct messages, start one, and create a room. */
import { api, type Room, type User } from "../api";
import { personByEmail } from "../directory";
import { errorBox, field, h, reconcile, showError } from "../dom";
import type { Live } from "../live";
import { problemText } from "../problems";
import { RoomListState } from "../roomList";

export function roomsView(root: HTMLElement, me: User, live: Live): () => void {
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let latestSearch = 0;
  let closed = false;
  const state = new RoomListState(me.id);

  const search = h("input", { type: "search", name: "query", placeholder: "Room name starts with…", autocomplete: "off" });
  const list = h("ul", { class: "rooms", "aria-label": "Rooms" });
  const listError = errorBox();
  const dmList = h("ul", { class: "rooms dms", "aria-label": "Direct messages" });

  // --- drawing --------------------------------------------------------------------------------
  // Items are reused while they look the same, so a live update elsewhere keeps focus on a link.
  const items = new Map<string, { look: string; el: HTMLElement }>();
  const item = (room: Room): HTMLElement => {
    const look = JSON.stringify([room.name, room.topic, room.visibility, room.myRole, room.unreadCount, room.peer?.displayName]);
    const have = items.get(room.id);
    if (have?.look === look) return have.el;
    const el = roomItem(room);
    items.set(room.id, { look, el });
    return el;
  };
  const roomsEmpty = h("li", { class: "empty" }, "No rooms found.");
  const dmsEmpty = h("li", { class: "empty" }, "No direct messages yet.");

  const draw = (): void => {
    const rooms = state.rooms();
    const dms = state.dms();
    reconcile(list, rooms.length > 0 ? rooms.map(item) : [roomsEmpty]);
    reconcile(dmList, dms.length > 0 ? dms.map(item) : [dmsEmpty]);
    const unread = state.unread();
    document.title = unread > 0 ? `(${unread}) Lobby` : "Lobby";
    syncFollows();
  };

  // --- live -----------------------------------------------------------------------------------
  // Every room and DM I am in that the list shows is followed from the seq the list knows, so a
  // message arriving (or missed while reconnecting) counts as unread at once.
  const followed = new Set<string>();
  const syncFollows = (): void => {
    const want = new Set(state.followable().map((r) => r.id));
    for (const id of followed) {
      if (!want.has(id)) {
        followed.delete(id);
        void live.unfollow(id);
      }
    }
    for (const id of want) {
      if (followed.has(id)) continue;
      followed.add(id);
      // Events are handled by the listener below, which also sees those for rooms not followed.
      void live.follow(id, { lastSeq: () => state.get(id)?.lastSeq ?? 0, onEvent: () => undefined });
    }
  };

  /** Refetches both lists (soon, once for a burst). */
  const refresh = (): void => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void Promise.all([load(), loadDms()]), 150);
  };
  const unlisten = live.listen((event) => {
    const change = state.apply(event);
    if (change === "changed") draw();
    else if (change === "refresh") refresh();
  });
  // room.added reaches live connections; coming back to the tab also refetches, for what a lost
  // connection missed.
  const onFocus = (): void => {
    if (document.visibilityState === "visible") refresh();
  };
  window.addEventListener("focus", onFocus);
  document.addEventListener("visibilitychange", onFocus);

  // --- loading --------------------------------------------------------------------------------
  const loadDms = async (): Promise<void> => {
    try {
      const { data, error } = await api.GET("/api/v1/dms", { params: { query: { limit: 50 } } });
      if (closed) return;
      if (!data) {
        showError(listError, problemText(error));
        return;
      }
      state.setDms(data.items);
      draw();
    } catch (e) {
      showError(listError, problemText(e));
    }
  };

  const load = async (): Promise<void> => {
    const mine = ++latestSearch;
    try {
      const query = search.value.trim();
      const { data, error } = await api.GET("/api/v1/rooms", { params: { query: query ? { query, limit: 50 } : { limit: 50 } } });
      if (closed || mine !== latestSearch) return; // a newer search already answered
      if (!data) {
        showError(listError, problemText(error));
        return;
      }
      showError(listError, "");
      state.setRooms(data.items);
      draw();
    } catch (e) {
      showError(listError, problemText(e));
    }
  };
  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => void load(), 250);
  });

  const name = h("input", { type: "text", name: "name", required: true, maxlength: 100 });
  const topic = h("input", { type: "text", name: "topic", maxlength: 500 });
  const visibility = h("select", { name: "visibility" }, h("option", { value: "public" }, "Public"), h("option", { value: "private" }, "Private"));
  const createError = errorBox();
  const create = h(
    "form",
    { class: "card", "aria-labelledby": "create-title" },
    h("h2", { id: "create-title" }, "Create a room"),
    field("Room name", name),
    field("Topic", topic),
    field("Visibility", visibility),
    createError,
    h("button", { type: "submit" }, "Create room"),
  );
  create.addEventListener("submit", (event) => {
    event.preventDefault();
    showError(createError, "");
    void (async () => {
      try {
        const { data, error } = await api.POST("/api/v1/rooms", {
          body: { name: name.value, topic: topic.value, visibility: visibility.value === "private" ? "private" : "public" },
        });
        if (data) {
          location.hash = `#/rooms/${data.id}`;
        } else {
          showError(createError, problemText(error));
        }
      } catch (e) {
        showError(createError, problemText(e));
      }
    })();
  });

  // Message someone: their exact email finds them, and the DM opens (created on first use).
  const dmEmail = h("input", { type: "email", name: "dmEmail", autocomplete: "off", required: true });
  const dmError = errorBox();
  const dmForm = h(
    "form",
    { class: "card", "aria-labelledby": "dm-title" },
    h("h2", { id: "dm-title" }, "Message someone"),
    field("Their email", dmEmail),
    dmError,
    h("button", { type: "submit" }, "Message"),
  );
  dmForm.addEventListener("submit", (event) => {
    event.preventDefault();
    showError(dmError, "");
    void (async () => {
      const found = await personByEmail(dmEmail.value);
      if ("problem" in found) {
        showError(dmError, found.problem);
        return;
      }
      try {
        const { data, error } = await api.POST("/api/v1/dms", { body: { userId: found.person.id } });
        if (data) location.hash = `#/rooms/${data.id}`;
        else showError(dmError, problemText(error));
      } catch (e) {
        showError(dmError, problemText(e));
      }
    })();
  });

  root.replaceChildren(
    h(
      "main",
      { class: "rooms-page" },
      h(
        "div",
        { class: "stack" },
        h(
          "section",
          { class: "card", "aria-labelledby": "rooms-title" },
          h("h1", { id: "rooms-title" }, "Rooms"),
          h("form", { role: "search", onsubmit: (e: Event) => (e.preventDefault(), void load()) }, field("Search rooms", search)),
          listError,
          list,
        ),
        h("section", { class: "card", "aria-labelledby": "dms-title" }, h("h2", { id: "dms-title" }, "Direct messages"), dmList),
      ),
      h("div", { class: "stack" }, dmForm, create),
    ),
  );
  search.focus();
  void load();
  void loadDms();
  return () => {
    closed = true;
    clearTimeout(searchTimer);
    clearTimeout(refreshTimer);
    unlisten();
    window.removeEventListener("focus", onFocus);
    document.removeEventListener("visibilitychange", onFocus);
    for (const id of followed) void live.unfollow(id);
  };
}

function roomItem(room: Room): HTMLElement {
  const dm = room.kind === "dm";
  return h(
    "li",
    {},
    // A DM is named after the other person (the server names it so; peer has their current name).
    h("a", { href: `#/rooms/${room.id}` }, dm ? (room.peer?.displayName ?? room.name) : room.name),
    room.topic ? h("span", { class: "topic" }, ` — ${room.topic}`) : null,
    h(
      "span",
      { class: "badges" },
      room.myRole && room.unreadCount > 0
        ? h("span", { class: "badge unread", "aria-label": `${room.unreadCount} unread` }, `${room.unreadCount} new`)
        : null,
      room.visibility === "private" && !dm ? h("span", { class: "badge" }, "private") : null,
      room.myRole && !dm ? h("span", { class: "badge" }, room.myRole) : null,
    ),
  );
}
