import { describe, expect, it } from "vitest";
import type { Room } from "../src/api";
import type { RoomEvent } from "../src/live";
import { RoomListState, tabTitle } from "../src/roomList";

const room = (id: string, over: Partial<Room> = {}): Room => ({
  id,
  name: `Room ${id}`,
  topic: "",
  visibility: "public",
  ownerId: "owner",
  lastSeq: 3,
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-01T00:00:00Z",
  myRole: "member",
  kind: "room",
  lastReadSeq: 3,
  unreadCount: 0,
  peer: null,
  ...over,
});
const created = (roomId: string, seq: number, authorId = "ann"): RoomEvent => ({
  type: "message.created",
  roomId,
  seq,
  data: { seq, authorId, body: "hi" },
});

describe("RoomListState", () => {
  it("counts others' new messages as unread, once per seq, and not my own", () => {
    const state = new RoomListState("me");
    state.setRooms([room("a")]);
    expect(state.apply(created("a", 4))).toBe("changed");
    expect(state.apply(created("a", 4))).toBe("none");
    expect(state.apply(created("a", 5, "me"))).toBe("changed");
    expect(state.get("a")).toMatchObject({ lastSeq: 5, unreadCount: 1 });
    expect(state.unread()).toBe(1);
  });

  it("takes a read on another device", () => {
    const state = new RoomListState("me");
    state.setRooms([room("a", { lastSeq: 9, unreadCount: 6 })]);
    expect(state.apply({ type: "read.updated", roomId: "a", data: { roomId: "a", lastReadSeq: 9, unreadCount: 0 } })).toBe("changed");
    expect(state.unread()).toBe(0);
  });

  it("asks for a refetch when it cannot know from the event: a new DM, being added to a room, a read of a room not shown, a removal", () => {
    const state = new RoomListState("me");
    state.setRooms([room("a")]);
    expect(state.apply({ type: "dm.created", roomId: "d", data: { roomId: "d" } })).toBe("refresh");
    expect(state.apply({ type: "room.added", roomId: "p", data: { roomId: "p" } })).toBe("refresh");
    expect(state.apply({ type: "read.updated", roomId: "x", data: { lastReadSeq: 1, unreadCount: 0 } })).toBe("refresh");
    expect(state.apply({ type: "member.left", roomId: "a", data: { userId: "me" } })).toBe("refresh");
    expect(state.apply({ type: "member.left", roomId: "a", data: { userId: "bob" } })).toBe("none");
    expect(state.apply({ type: "room.deleted", roomId: "a", data: { roomId: "a" } })).toBe("refresh");
  });

  it("keeps a live count that a fetch answered earlier has not seen yet", () => {
    const state = new RoomListState("me");
    state.setRooms([room("a")]);
    state.apply(created("a", 4));
    state.setRooms([room("a", { name: "Renamed" })]); // fetched before seq 4 was posted
    expect(state.get("a")).toMatchObject({ name: "Renamed", lastSeq: 4, unreadCount: 1 });
    state.setRooms([room("a", { lastSeq: 6, unreadCount: 3, lastReadSeq: 3 })]); // a newer fetch wins
    expect(state.get("a")).toMatchObject({ lastSeq: 6, unreadCount: 3 });
  });

  it("follows only rooms I am in, and forgets what no list shows", () => {
    const state = new RoomListState("me");
    state.setRooms([room("a"), room("b", { myRole: null })]);
    state.setDms([room("d", { kind: "dm" })]);
    expect(state.followable().map((r) => r.id).sort()).toEqual(["a", "d"]);
    state.setRooms([]);
    expect(state.get("a")).toBeUndefined();
    expect(state.followable().map((r) => r.id)).toEqual(["d"]);
  });

  it("renames a room live", () => {
    const state = new RoomListState("me");
    state.setRooms([room("a")]);
    expect(state.apply({ type: "room.updated", roomId: "a", data: { id: "a", name: "New name", topic: "t", visibility: "private" } })).toBe("changed");
    expect(state.get("a")).toMatchObject({ name: "New name", topic: "t", visibility: "private", myRole: "member" });
  });

  it("appends the next page after the rooms shown, keeps its cursor, and shows a room on both pages once", () => {
    const state = new RoomListState("me");
    state.setRooms([room("a"), room("b")], "cursor-1");
    expect(state.cursor("rooms")).toBe("cursor-1");
    state.appendPage("rooms", [room("b", { unreadCount: 2 }), room("c")], "cursor-2");
    expect(state.rooms().map((r) => r.id)).toEqual(["a", "b", "c"]);
    expect(state.get("b")).toMatchObject({ unreadCount: 2 });
    expect(state.cursor("rooms")).toBe("cursor-2");
    state.appendPage("rooms", [room("d")], null);
    expect(state.rooms().map((r) => r.id)).toEqual(["a", "b", "c", "d"]);
    expect(state.cursor("rooms")).toBeNull();
    // A new first page (a search, a refetch) starts over.
    state.setRooms([room("z")], "cursor-z");
    expect(state.rooms().map((r) => r.id)).toEqual(["z"]);
    expect(state.cursor("rooms")).toBe("cursor-z");
  });

  it("pages direct messages the same way, and counts what a later page brings", () => {
    const state = new RoomListState("me");
    state.setDms([room("d1", { kind: "dm" })], "next");
    state.appendPage("dms", [room("d2", { kind: "dm", unreadCount: 4 })], null);
    expect(state.dms().map((r) => r.id)).toEqual(["d1", "d2"]);
    expect(state.cursor("dms")).toBeNull();
    expect(state.unread()).toBe(4);
    expect(state.followable().map((r) => r.id).sort()).toEqual(["d1", "d2"]);
  });

  it("lists my rooms and DMs for the switcher, whatever the room list browses, and counts a room on two lists once", () => {
    const state = new RoomListState("me");
    state.setRooms([room("pub", { myRole: null }), room("a", { unreadCount: 2 })]); // a search, say
    state.setPage("mine", [room("a", { unreadCount: 2 }), room("b", { myRole: "owner" })], "more-mine");
    state.setDms([room("d", { kind: "dm" })]);
    expect(state.mine().map((r) => r.id)).toEqual(["a", "b", "d"]);
    expect(state.unread()).toBe(2);
    state.appendPage("mine", [room("c")], null);
    expect(state.mine().map((r) => r.id)).toEqual(["a", "b", "c", "d"]);
    // A new search drops "pub" but not what "mine" still shows.
    state.setRooms([]);
    expect(state.get("pub")).toBeUndefined();
    expect(state.get("a")).toBeDefined();
  });

  it("renames a DM when the other person changes their display name", () => {
    const state = new RoomListState("me");
    state.setDms([room("d", { kind: "dm", peer: { id: "ann", displayName: "Ann" } })]);
    const renamed = (userId: string, displayName: string): RoomEvent => ({
      type: "member.updated",
      roomId: "d",
      data: { userId, displayName, role: "member", joinedAt: "2026-01-01T00:00:00Z" },
    });
    expect(state.apply(renamed("ann", "Ann B."))).toBe("changed");
    expect(state.get("d")?.peer?.displayName).toBe("Ann B.");
    expect(state.apply(renamed("ann", "Ann B."))).toBe("none");
    expect(state.apply(renamed("me", "Me"))).toBe("none");
  });
});

describe("tabTitle", () => {
  it("puts the unread count first, and the room when in one", () => {
    expect(tabTitle(0)).toBe("Lobby");
    expect(tabTitle(3)).toBe("(3) Lobby");
    expect(tabTitle(0, "General")).toBe("General · Lobby");
    expect(tabTitle(12, "General")).toBe("(12) General · Lobby");
  });
});
