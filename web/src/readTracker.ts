/**
 * Which messages count as read: those the window has actually shown. The room view reports the
 * rows that come into and leave the message list's view (an IntersectionObserver) and whether
 * the window is visible; this says up to which seq to mark the room read, never moving back and
 * never past the newest row seen. Pure state, so the rules are tested without a browser.
 */
export class ReadTracker {
  private readonly inView = new Set<number>();
  /** The newest seq the server has (or is being told) as read. */
  private marked: number;

  constructor(lastReadSeq: number) {
    this.marked = lastReadSeq;
  }

  /** A message row is (mostly) inside the visible part of the list. */
  show(seq: number): void {
    this.inView.add(seq);
  }

  hide(seq: number): void {
    this.inView.delete(seq);
  }

  /** The seq to mark read now, or null: the newest row in view, when the window is visible and it is newer than what is marked. */
  due(windowVisible: boolean): number | null {
    if (!windowVisible || this.inView.size === 0) return null;
    const newest = Math.max(...this.inView);
    return newest > this.marked ? newest : null;
  }

  /** The POST for `seq` is on its way. */
  sending(seq: number): void {
    this.marked = Math.max(this.marked, seq);
  }

  /** It failed: the next call to `due` offers it again (`previous` is what was marked before). */
  failed(previous: number): void {
    this.marked = Math.min(this.marked, previous);
  }

  /** What the server says is read (its answer, or another device): never moves back. */
  readUpTo(seq: number): void {
    this.marked = Math.max(this.marked, seq);
  }

  get lastMarked(): number {
    return this.marked;
  }
}
