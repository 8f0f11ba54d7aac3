/**
 * The messages of one room as the client shows them: ordered by seq, each seq once.
 *
 * Messages arrive from three places that overlap: the latest page over HTTP, older pages loaded
 * on scroll, and live `message.created` events (which, after a reconnect, replay everything after
 * the seq we resubscribed with). Keeping them keyed by seq makes every merge idempotent, so a
 * message that arrives twice is shown once and an edit simply replaces the older copy.
 */
import type { Schemas } from "./api";

export type Message = Schemas["MessageView"];

/** What a live `message.created` did to the store. */
export type LiveResult =
  /** Appended right after the newest one: show it. */
  | "appended"
  /** Already shown (seq ≤ newest): ignore. */
  | "duplicate"
  /** Newer than newest + 1: messages in between are missing; fetch `after` lastSeq. */
  | "gap";

export class MessageStore {
  private readonly bySeq = new Map<number, Message>();
  private sorted: Message[] | null = [];
  /** False once a page of older messages came back short: there is nothing before it. */
  hasOlder = true;

  /** The newest seq shown, 0 when none: resubscribe with it, ignore events at or below it. */
  get lastSeq(): number {
    const all = this.list();
    return all.length === 0 ? 0 : all[all.length - 1]!.seq;
  }

  /** The oldest seq loaded: the `before` of the next older page. */
  get firstSeq(): number {
    return this.list()[0]?.seq ?? 0;
  }

  /** Messages oldest first. */
  list(): readonly Message[] {
    this.sorted ??= [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
    return this.sorted;
  }

  /** Merges any set of messages (a page, a catch-up); later copies of a seq win (edits, deletes). */
  merge(messages: readonly Message[]): void {
    for (const m of messages) {
      this.bySeq.set(m.seq, m);
    }
    if (messages.length > 0) {
      this.sorted = null;
    }
  }

  /** Merges a page fetched with `before`; a page shorter than `limit` means it reached seq 1. */
  mergeOlder(page: readonly Message[], limit: number): void {
    this.merge(page);
    if (page.length < limit || page.some((m) => m.seq <= 1)) {
      this.hasOlder = false;
    }
  }

  /** A live `message.created`: appended, a duplicate to ignore, or a gap to fill over HTTP. */
  receive(message: Message): LiveResult {
    const last = this.lastSeq;
    if (message.seq <= last && this.bySeq.has(message.seq)) {
      return "duplicate";
    }
    if (message.seq <= last) {
      // Older than what we show but not loaded (scrolled-out history): keep it, nothing new to show.
      this.merge([message]);
      return "duplicate";
    }
    this.merge([message]);
    // An empty store takes any starting point: history before it loads on scroll.
    return last === 0 || message.seq === last + 1 ? "appended" : "gap";
  }

  /**
   * An edit or a delete: replaces the copy we have; ignored for messages not loaded. An edit and a
   * delete racing can arrive in either order (docs/REALTIME.md), so a tombstone is never replaced
   * and an edit only by a later one. False when nothing changed.
   */
  update(message: Message): boolean {
    const have = this.bySeq.get(message.seq);
    if (!have || have.deletedAt !== null) {
      return false;
    }
    if (message.deletedAt === null && time(have.editedAt) > time(message.editedAt)) {
      return false;
    }
    this.merge([message]);
    return true;
  }

  get(seq: number): Message | undefined {
    return this.bySeq.get(seq);
  }
}

/** Milliseconds of an ISO timestamp, 0 for none (compared as times: the strings may differ in precision). */
function time(iso: string | null): number {
  return iso ? Date.parse(iso) : 0;
}
