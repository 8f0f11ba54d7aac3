import { describe, expect, it } from "vitest";
import { Outbox, outboxKey } from "../src/outbox";

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

describe("Outbox", () => {
  it("keeps messages in the order composed, each with its own key, until sent", () => {
    const storage = new MemoryStorage();
    const outbox = new Outbox(storage, "k");
    outbox.add("first", "key-1");
    outbox.add("second", "key-2");
    expect(outbox.list().map((p) => [p.body, p.key])).toEqual([["first", "key-1"], ["second", "key-2"]]);
    expect(outbox.next()?.key).toBe("key-1");
    outbox.remove("key-1");
    expect(outbox.next()?.key).toBe("key-2");
    outbox.remove("key-2");
    expect(outbox.next()).toBeUndefined();
    expect(storage.items.size).toBe(0);
  });

  it("survives a reload: a new Outbox over the same storage sees the same queue", () => {
    const storage = new MemoryStorage();
    new Outbox(storage, "k").add("typed offline", "key-1");
    expect(new Outbox(storage, "k").list()).toEqual([{ key: "key-1", body: "typed offline", error: null }]);
    expect(new Outbox(storage, "other room").size).toBe(0);
  });

  it("queues a key once", () => {
    const outbox = new Outbox(new MemoryStorage(), "k");
    outbox.add("hi", "key-1");
    outbox.add("hi", "key-1");
    expect(outbox.size).toBe(1);
  });

  it("keeps a refused message with its reason and goes on with the next", () => {
    const outbox = new Outbox(new MemoryStorage(), "k");
    outbox.add("refused", "key-1");
    outbox.add("fine", "key-2");
    outbox.fail("key-1", "You are not a member of this room.");
    expect(outbox.next()?.key).toBe("key-2");
    expect(outbox.list()[0]).toMatchObject({ key: "key-1", error: "You are not a member of this room." });
    outbox.remove("key-2");
    expect(outbox.next()).toBeUndefined();
    expect(outbox.size).toBe(1);
  });

  it("reads a damaged entry as an empty queue", () => {
    const storage = new MemoryStorage();
    storage.setItem("k", "{not json");
    expect(new Outbox(storage, "k").list()).toEqual([]);
  });

  it("keeps one queue per user and room", () => {
    expect(outboxKey("u1", "r1")).not.toBe(outboxKey("u2", "r1"));
    expect(outboxKey("u1", "r1")).not.toBe(outboxKey("u1", "r2"));
  });
});
