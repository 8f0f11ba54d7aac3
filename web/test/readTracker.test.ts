import { describe, expect, it } from "vitest";
import { ReadTracker } from "../src/readTracker";

describe("ReadTracker", () => {
  it("marks read up to the newest row in view, not the newest loaded", () => {
    const reads = new ReadTracker(3);
    // Seqs 4..30 are loaded; only 4..9 are on screen.
    for (let seq = 4; seq <= 9; seq++) reads.show(seq);
    expect(reads.due(true)).toBe(9);
  });

  it("marks nothing while the window is hidden, and catches up when it shows", () => {
    const reads = new ReadTracker(0);
    reads.show(1);
    reads.show(2);
    expect(reads.due(false)).toBeNull();
    expect(reads.due(true)).toBe(2);
  });

  it("never moves back and says nothing new twice", () => {
    const reads = new ReadTracker(10);
    reads.show(5);
    expect(reads.due(true)).toBeNull(); // scrolled up into what was read before
    reads.hide(5);
    reads.show(12);
    expect(reads.due(true)).toBe(12);
    reads.sending(12);
    expect(reads.due(true)).toBeNull();
    reads.hide(12);
    reads.show(11);
    expect(reads.due(true)).toBeNull();
  });

  it("offers a seq again when its POST failed", () => {
    const reads = new ReadTracker(1);
    reads.show(4);
    const previous = reads.lastMarked;
    reads.sending(4);
    reads.failed(previous);
    expect(reads.due(true)).toBe(4);
  });

  it("takes what another device read", () => {
    const reads = new ReadTracker(1);
    reads.readUpTo(20);
    reads.show(15);
    expect(reads.due(true)).toBeNull();
    reads.readUpTo(5);
    expect(reads.lastMarked).toBe(20);
  });

  it("forgets rows that scrolled out", () => {
    const reads = new ReadTracker(0);
    reads.show(7);
    reads.hide(7);
    expect(reads.due(true)).toBeNull();
  });
});
