import { describe, expect, it } from "vitest";
import { MessageStore, type Message } from "../src/messages";

const msg = (seq: number, body: string | null = `m${seq}`): Message => ({
  id: `id-${seq}`,
  roomId: "room",
  seq,
  authorId: "ann",
  author: { id: "ann", displayName: "Ann" },
  body,
  createdAt: "2026-01-01T00:00:00Z",
  editedAt: null,
  deletedAt: body === null ? "2026-01-01T00:01:00Z" : null,
});
const seqs = (store: MessageStore): number[] => store.list().map((m) => m.seq);

describe("MessageStore", () => {
  it("keeps messages ordered by seq whatever order they arrive in", () => {
    const store = new MessageStore();
    store.merge([msg(5), msg(3), msg(4)]);
    expect(seqs(store)).toEqual([3, 4, 5]);
    expect(store.firstSeq).toBe(3);
    expect(store.lastSeq).toBe(5);
  });

  it("shows each seq once: a replayed live message is a duplicate", () => {
    const store = new MessageStore();
    store.merge([msg(1), msg(2)]);
    expect(store.receive(msg(3))).toBe("appended");
    expect(store.receive(msg(3))).toBe("duplicate");
    expect(store.receive(msg(2))).toBe("duplicate");
    expect(seqs(store)).toEqual([1, 2, 3]);
  });

  it("reports a gap when a live message skips seqs, and fills it from a later page", () => {
    const store = new MessageStore();
    store.merge([msg(1), msg(2)]);
    expect(store.receive(msg(5))).toBe("gap");
    store.merge([msg(3), msg(4), msg(5)]);
    expect(seqs(store)).toEqual([1, 2, 3, 4, 5]);
  });

  it("takes any first live message into an empty room", () => {
    const store = new MessageStore();
    expect(store.receive(msg(7))).toBe("appended");
    expect(store.lastSeq).toBe(7);
  });

  it("merges older pages in front and knows when history is exhausted", () => {
    const store = new MessageStore();
    store.mergeOlder([msg(60), msg(59), msg(58)], 3); // the latest page, newest first as the API sends it
    expect(store.hasOlder).toBe(true);
    store.mergeOlder([msg(57), msg(56), msg(55)], 3);
    expect(store.hasOlder).toBe(true);
    store.mergeOlder([msg(2), msg(1)], 3);
    expect(store.hasOlder).toBe(false);
    expect(seqs(store)).toEqual([1, 2, 55, 56, 57, 58, 59, 60]);
  });

  it("stops looking for older messages once seq 1 is loaded, even on a full page", () => {
    const store = new MessageStore();
    store.mergeOlder([msg(2), msg(1)], 2);
    expect(store.hasOlder).toBe(false);
  });

  it("replaces a message on edit or delete, and ignores edits of messages not loaded", () => {
    const store = new MessageStore();
    store.merge([msg(1), msg(2)]);
    expect(store.update({ ...msg(2), body: "edited" })).toBe(true);
    expect(store.update(msg(2, null))).toBe(true);
    expect(store.list()[1]!.body).toBeNull();
    expect(store.update(msg(9))).toBe(false);
    expect(seqs(store)).toEqual([1, 2]);
  });

  it("keeps a tombstone and the later edit when an edit and a delete race", () => {
    const store = new MessageStore();
    store.merge([msg(1)]);
    const edit = (body: string, at: string): Message => ({ ...msg(1, body), editedAt: at });
    expect(store.update(edit("second", "2026-01-01T00:02:00.5Z"))).toBe(true);
    expect(store.update(edit("first", "2026-01-01T00:01:00.123456Z"))).toBe(false);
    expect(store.list()[0]!.body).toBe("second");
    expect(store.update(msg(1, null))).toBe(true);
    expect(store.update(edit("third", "2026-01-01T00:03:00Z"))).toBe(false);
    expect(store.list()[0]!.body).toBeNull();
  });

  it("an empty store resubscribes from 0", () => {
    expect(new MessageStore().lastSeq).toBe(0);
  });
});
