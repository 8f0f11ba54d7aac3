/**
 * The room switcher inside a room: my rooms and DMs with their unread counts, from the RoomFeed
 * the room list shares. Two faces of the same list: a side list (`nav`) on wide screens and a
 * select (`select`, in the room's header) on phones; the CSS shows one of them.
 */
import type { Room } from "../api";
import { field, h, reconcile } from "../dom";
import type { RoomFeed } from "../roomFeed";

export interface Switcher {
  nav: HTMLElement;
  /** The select with its label, for the room's header. */
  select: HTMLElement;
  /** Draws the lists again; `current` is this room, named in the select even before the lists arrive. */
  draw(current: Room | null): void;
}

export function roomSwitcher(feed: RoomFeed, roomId: string): Switcher {
  const list = h("ul", { class: "switch-list" });
  const select = h("select", { name: "switchRoom", class: "switch-select" });
  select.addEventListener("change", () => {
    if (select.value) location.hash = select.value;
  });
  const more = h("button", { type: "button", class: "link more" }, "More rooms");
  more.addEventListener("click", () => {
    more.disabled = true;
    void Promise.all([feed.more("mine"), feed.more("dms")]).finally(() => (more.disabled = false));
  });
  const nav = h("nav", { class: "switcher card", "aria-labelledby": "switcher-title" }, h("h2", { id: "switcher-title" }, "Your rooms"), list, more);

  // Items are reused while they look the same, so a live count elsewhere keeps focus on a link.
  const items = new Map<string, { look: string; el: HTMLElement }>();
  const item = (r: Room): HTMLElement => {
    const name = roomName(r);
    const look = JSON.stringify([name, r.unreadCount, r.id === roomId]);
    const have = items.get(r.id);
    if (have?.look === look) return have.el;
    const el = h(
      "li",
      {},
      h(
        "a",
        { href: `#/rooms/${r.id}`, "aria-current": r.id === roomId ? "page" : undefined },
        h("span", { class: "name" }, `${sigil(r)} ${name}`),
        r.unreadCount > 0 ? h("span", { class: "badge unread", "aria-label": `${r.unreadCount} unread` }, String(r.unreadCount)) : null,
      ),
    );
    items.set(r.id, { look, el });
    return el;
  };

  const draw = (current: Room | null): void => {
    const mine = feed.state.mine();
    reconcile(list, mine.map(item));
    more.hidden = feed.state.cursor("mine") === null && feed.state.cursor("dms") === null;
    const options = mine.map((r) =>
      h("option", { value: `#/rooms/${r.id}`, selected: r.id === roomId }, `${sigil(r)} ${roomName(r)}${r.unreadCount > 0 ? ` (${r.unreadCount} new)` : ""}`),
    );
    if (!mine.some((r) => r.id === roomId)) options.unshift(h("option", { value: "", selected: true }, current ? roomName(current) : "This room"));
    select.replaceChildren(...options);
  };

  return { nav, select: field("Switch room", select), draw };
}

/** A DM is named after the other person (their current name); a room by its name. */
export function roomName(r: Room): string {
  return r.kind === "dm" ? (r.peer?.displayName ?? r.name) : r.name;
}

const sigil = (r: Room): string => (r.kind === "dm" ? "@" : "#");
