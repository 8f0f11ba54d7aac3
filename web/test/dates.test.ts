import { describe, expect, it } from "vitest";
import { dayKey, dayLabel } from "../src/dates";

describe("dayLabel", () => {
  const now = new Date(2026, 2, 10, 9, 30); // 10 March 2026, local time

  it("says Today and Yesterday by the local calendar, not by 24 hours", () => {
    expect(dayLabel(new Date(2026, 2, 10, 0, 1), now)).toBe("Today");
    expect(dayLabel(new Date(2026, 2, 9, 23, 59), now)).toBe("Yesterday");
    expect(dayLabel(new Date(2026, 2, 9, 0, 0), now)).toBe("Yesterday");
  });

  it("gives the date for older days, with the year only when it is not this year", () => {
    const older = dayLabel(new Date(2026, 2, 8, 12), now);
    expect(older).not.toMatch(/Today|Yesterday/);
    expect(older).toMatch(/8/);
    expect(older).not.toMatch(/2026/);
    expect(dayLabel(new Date(2025, 11, 31, 12), now)).toMatch(/2025/);
  });

  it("keys days so they compare and sort", () => {
    expect(dayKey(new Date(2026, 0, 5, 23))).toBe("2026-01-05");
    expect(dayKey(new Date(2026, 0, 5, 0))).toBe(dayKey(new Date(2026, 0, 5, 23, 59)));
  });
});
