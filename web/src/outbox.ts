/**
 * Messages composed while offline (or whose send failed on the network) wait here, per room, to
 * be sent once and in order when the network is back. Each keeps the Idempotency-Key it was given
 * when composed, so a send that reached the server before the network dropped is not posted
 * twice. Kept in sessionStorage: a reload of the tab does not lose them, closing it does (a
 * message typed in a closed tab days ago should not appear out of nowhere). Pure state over a
 * storage passed in, so tests need no browser.
 */
export interface Pending {
  /** The Idempotency-Key, minted when the message was composed. */
  key: string;
  body: string;
  /** Set when the server refused it (a 4xx): shown on its row, not retried. */
  error: string | null;
}

export type KeyValueStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export class Outbox {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly storageKey: string,
  ) {}

  /** Oldest first. */
  list(): Pending[] {
    try {
      const stored = JSON.parse(this.storage.getItem(this.storageKey) ?? "[]") as unknown;
      return Array.isArray(stored) ? (stored as Pending[]).filter((p) => typeof p?.key === "string" && typeof p.body === "string") : [];
    } catch {
      return [];
    }
  }

  get size(): number {
    return this.list().length;
  }

  /** Queues a message behind the others (a key already queued is not queued twice). */
  add(body: string, key: string): void {
    const all = this.list();
    if (all.some((p) => p.key === key)) return;
    this.save([...all, { key, body, error: null }]);
  }

  /** The next to send: the oldest the server has not refused. */
  next(): Pending | undefined {
    return this.list().find((p) => p.error === null);
  }

  /** Sent (or discarded): gone from the queue. */
  remove(key: string): void {
    this.save(this.list().filter((p) => p.key !== key));
  }

  /** The server refused it: keep it with the reason, so the row says why, and send the others. */
  fail(key: string, error: string): void {
    this.save(this.list().map((p) => (p.key === key ? { ...p, error } : p)));
  }

  private save(all: readonly Pending[]): void {
    if (all.length === 0) this.storage.removeItem(this.storageKey);
    else this.storage.setItem(this.storageKey, JSON.stringify(all));
  }
}

/** The key one user's queue for one room is kept under. */
export function outboxKey(userId: string, roomId: string): string {
  return `lobby.outbox.${userId}.${roomId}`;
}
