/**
 * Who is in a room, who of them is online, and who is typing. Pure state: the view asks it what
 * to draw, and the clock is passed in so tests need no timers.
 */
export interface Member {
  userId: string;
  displayName: string;
  role: string;
}

/** A typing notice is shown this long after the last `typing` event (the server throttles to one per 2 s). */
export const TYPING_SHOWN_MS = 4000;

export class RoomPeople {
  private readonly members = new Map<string, Member>();
  private online = new Set<string>();
  private readonly typingUntil = new Map<string, number>();
  /** Names changed live (`member.updated`) since the room opened: newer than any message loaded. */
  private readonly renamed = new Map<string, string>();

  constructor(private readonly me: string) {}

  setMembers(members: readonly Member[]): void {
    this.members.clear();
    for (const m of members) {
      this.members.set(m.userId, m);
    }
  }

  joined(member: Member): void {
    this.members.set(member.userId, member);
  }

  /**
   * A `member.updated`: someone changed their display name (or role). The member list takes it,
   * and so do the author names of messages already shown (see authorName).
   */
  updated(member: Member): void {
    this.members.set(member.userId, member);
    this.renamed.set(member.userId, member.displayName);
  }

  /**
   * The name to show on a message: a rename heard live since the room opened, else the name that
   * came inline with the message (current when it was fetched), never a member list that may be
   * older than both.
   */
  authorName(userId: string, inline: string): string {
    return this.renamed.get(userId) ?? inline;
  }

  left(userId: string): void {
    this.members.delete(userId);
    this.typingUntil.delete(userId);
  }

  /** A `presence` event: the full list of who is online, replacing the previous one. */
  setOnline(userIds: readonly string[]): void {
    this.online = new Set(userIds);
  }

  isOnline(userId: string): boolean {
    return this.online.has(userId);
  }

  isMember(userId: string): boolean {
    return this.members.has(userId);
  }

  name(userId: string): string | undefined {
    return this.members.get(userId)?.displayName;
  }

  /** Members, online ones first, then by name. */
  list(): Member[] {
    return [...this.members.values()].sort(
      (a, b) => Number(this.isOnline(b.userId)) - Number(this.isOnline(a.userId)) || a.displayName.localeCompare(b.displayName),
    );
  }

  /** A `typing` event from someone else (my own echo is ignored). */
  typing(userId: string, now: number): void {
    if (userId !== this.me) {
      this.typingUntil.set(userId, now + TYPING_SHOWN_MS);
    }
  }

  /** When someone's message arrives they have stopped typing it. */
  stoppedTyping(userId: string): void {
    this.typingUntil.delete(userId);
  }

  /** Who is typing at `now`, by name. */
  typingNames(now: number): string[] {
    const names: string[] = [];
    for (const [userId, until] of this.typingUntil) {
      if (until <= now) {
        this.typingUntil.delete(userId);
      } else {
        names.push(this.name(userId) ?? "Someone");
      }
    }
    return names.sort();
  }
}

/** "Ann is typing…", "Ann and Bob are typing…", "3 people are typing…", or "". */
export function typingText(names: readonly string[]): string {
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}
