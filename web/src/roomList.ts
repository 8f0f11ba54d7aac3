/**
 * The rooms and direct messages the app knows, kept current by live events: new messages count
 * as unread, reads on another device clear them, a renamed room is renamed. Both lists are paged
 * (`{items, nextCursor}`): a first page replaces a list, "Load more" appends the next one. Pure
 * state, like messages.ts: RoomFeed fetches and follows, the views draw what it says.
 */
import type { Room } from "./api";
import type { RoomEvent } from "./live";

/** What an event did: redraw, refetch the lists (something we cannot know from the event), or nothing. */
export type ListChange = "changed" | "refresh" | "none";

/**
 * The lists the app shows: `rooms`, what the room list browses (public rooms and mine, or a
 * search); `mine`, the rooms I am in (the switcher inside a room); `dms`, my direct messages.
 * A room may be on several; it is kept once, by id.
 */
export type ListName = "rooms" | "mine" | "dms";

export class RoomListState {
  private readonly byId = new Map<string, Room>();
  private readonly lists: Record<ListName, { ids: string[]; cursor: string | null }> = {
    rooms: { ids: [], cursor: null },
    mine: { ids: [], cursor: null },
    dms: { ids: [], cursor: null },
  };

  constructor(private readonly me: string) {}

  /** A first page (a search, a refetch) replaces what the list shows. */
  setPage(list: ListName, items: readonly Room[], nextCursor: string | null = null): void {
    this.lists[list] = { ids: items.map((r) => this.merge(r)), cursor: nextCursor };
    this.forget();
  }

  /** The next page, after what the list shows ("Load more"); a room already shown is not repeated. */
  appendPage(list: ListName, items: readonly Room[], nextCursor: string | null): void {
    const have = this.lists[list].ids;
    const seen = new Set(have);
    const more = items.map((r) => this.merge(r)).filter((id) => !seen.has(id));
    this.lists[list] = { ids: [...have, ...more], cursor: nextCursor };
  }

  /** The cursor of the list's next page; null when its last page is shown. */
  cursor(list: ListName): string | null {
    return this.lists[list].cursor;
  }

  list(name: ListName): Room[] {
    return this.lists[name].ids.map((id) => this.byId.get(id)!);
  }

  setRooms(rooms: readonly Room[], nextCursor: string | null = null): void {
    this.setPage("rooms", rooms, nextCursor);
  }

  setDms(dms: readonly Room[], nextCursor: string | null = null): void {
    this.setPage("dms", dms, nextCursor);
  }

  rooms(): Room[] {
    return this.list("rooms");
  }

  dms(): Room[] {
    return this.list("dms");
  }

  /** The rooms I am in and my DMs, for the switcher inside a room: rooms first. */
  mine(): Room[] {
    return [...this.list("mine").filter((r) => r.myRole !== null), ...this.dms()];
  }

  get(id: string): Room | undefined {
    return this.byId.get(id);
  }

  /** The rooms to follow live: the ones I am in (a public room I have not joined has no unread count). */
  followable(): Room[] {
    return [...this.byId.values()].filter((r) => r.myRole !== null);
  }

  /** Unread across everything shown that I am in: the tab title's count. */
  unread(): number {
    return this.followable().reduce((sum, r) => sum + r.unreadCount, 0);
  }

  apply(event: RoomEvent): ListChange {
    const room = this.byId.get(event.roomId);
    const data = event.data;
    switch (event.type) {
      case "message.created": {
        const seq = Number(data["seq"]);
        if (!room) return "none";
        if (seq <= room.lastSeq) return "none"; // already counted by the fetch or an earlier event
        const unread = data["authorId"] !== this.me && seq > room.lastReadSeq && data["body"] !== null;
        this.byId.set(room.id, { ...room, lastSeq: seq, unreadCount: room.unreadCount + (unread ? 1 : 0) });
        return "changed";
      }
      case "read.updated": {
        if (!room) return "refresh"; // a room not on screen: it may be one I was just added to
        const lastReadSeq = Number(data["lastReadSeq"]);
        if (lastReadSeq < room.lastReadSeq) return "none";
        this.byId.set(room.id, { ...room, lastReadSeq, unreadCount: Number(data["unreadCount"]) });
        return "changed";
      }
      case "room.updated": {
        if (!room) return "none";
        const { name, topic, visibility } = data as Partial<Room>;
        this.byId.set(room.id, { ...room, name: name ?? room.name, topic: topic ?? room.topic, visibility: visibility ?? room.visibility });
        return "changed";
      }
      case "member.updated": {
        // A DM is named after the other person: their new display name renames it.
        if (!room || room.kind !== "dm" || !room.peer || room.peer.id !== data["userId"]) return "none";
        const displayName = String(data["displayName"]);
        if (room.peer.displayName === displayName) return "none";
        this.byId.set(room.id, { ...room, peer: { ...room.peer, displayName } });
        return "changed";
      }
      case "member.left":
        return data["userId"] === this.me ? "refresh" : "none";
      case "dm.created":
      case "room.added":
      case "room.deleted":
      case "subscription.ended":
        return "refresh";
      default:
        return "none";
    }
  }

  /**
   * A fetched copy meets what we have: the fetch may have been answered before a live message we
   * already counted, so a copy that is behind keeps our newer seq and count. Returns the id.
   */
  private merge(fetched: Room): string {
    const have = this.byId.get(fetched.id);
    const behind = have !== undefined && have.lastSeq > fetched.lastSeq;
    this.byId.set(fetched.id, behind ? { ...fetched, lastSeq: have.lastSeq, unreadCount: have.unreadCount, lastReadSeq: have.lastReadSeq } : fetched);
    return fetched.id;
  }

  private forget(): void {
    const keep = new Set(Object.values(this.lists).flatMap((l) => l.ids));
    for (const id of this.byId.keys()) if (!keep.has(id)) this.byId.delete(id);
  }
}

/** The tab title: the unread count across my rooms first, then where I am. */
export function tabTitle(unread: number, place?: string): string {
  const name = place ? `${place} · Lobby` : "Lobby";
  return unread > 0 ? `(${unread}) ${name}` : name;
}
