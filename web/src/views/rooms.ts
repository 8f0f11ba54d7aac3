/**
 * The room list: search by name prefix, my direct messages, start one, and create a room. The
 * lists live in the RoomFeed shared with the room view; this screen draws them.
 */
import { api, type Room } from "../api";
import { personByEmail } from "../directory";
import { errorBox, field, h, reconcile, showError } from "../dom";
import { problemText } from "../problems";
import type { RoomFeed } from "../roomFeed";
import { tabTitle } from "../roomList";

export function roomsView(root: HTMLElement, feed: RoomFeed): () => void {
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  const state = feed.state;

  const search = h("input", { type: "search", name: "query", placeholder: "Room name starts with…", autocomplete: "off" });
  const list = h("ul", { class: "rooms", "aria-label": "Rooms" });
  const listError = errorBox();
  const dmList = h("ul", { class: "rooms dms", "aria-label": "Direct messages" });
  const moreRooms = moreButton("Load more rooms", () => feed.more("rooms"));
  const moreDms = moreButton("Load more direct messages", () => feed.more("dms"));

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
    moreRooms.hidden = state.cursor("rooms") === null;
    moreDms.hidden = state.cursor("dms") === null;
    showError(listError, feed.error);
    document.title = tabTitle(state.unread());
  };
  const unlisten = feed.onChange(draw);

  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => void feed.search(search.value), 250);
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
          h("form", { role: "search", onsubmit: (e: Event) => (e.preventDefault(), void feed.search(search.value)) }, field("Search rooms", search)),
          listError,
          list,
          moreRooms,
        ),
        h("section", { class: "card", "aria-labelledby": "dms-title" }, h("h2", { id: "dms-title" }, "Direct messages"), dmList, moreDms),
      ),
      h("div", { class: "stack" }, dmForm, create),
    ),
  );
  search.focus();
  draw();
  // What the list shows may be a while old (another screen was open): fetch it again.
  feed.refresh();
  return () => {
    clearTimeout(searchTimer);
    unlisten();
    // The switcher inside a room lists my rooms, not the last search.
    if (feed.searching) void feed.search("");
  };
}

/** "Load more": disabled while its page loads, hidden (by draw) once the last page is shown. */
function moreButton(label: string, load: () => Promise<void>): HTMLButtonElement {
  const button = h("button", { type: "button", class: "secondary more", hidden: true }, label);
  button.addEventListener("click", () => {
    button.disabled = true;
    void load().finally(() => {
      button.disabled = false;
    });
  });
  return button;
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
