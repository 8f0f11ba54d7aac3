/**
 * Dates and times as messages show them: a short time on each message with the full date on
 * hover, and a divider per day ("Today", "Yesterday", or the date). Local time throughout; the
 * clock is passed in so tests need no timers.
 */

/** The local calendar day of a moment, as a key that sorts: "2026-01-05". */
export function dayKey(at: Date): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** "Today", "Yesterday", or the date ("Monday 5 January", with the year when it is not this year's). */
export function dayLabel(at: Date, now: Date): string {
  const key = dayKey(at);
  if (key === dayKey(now)) return "Today";
  // Noon, not midnight: a day that starts or ends daylight saving time is not 24 hours long.
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1, 12);
  if (key === dayKey(yesterday)) return "Yesterday";
  return at.toLocaleDateString([], {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: at.getFullYear() === now.getFullYear() ? undefined : "numeric",
  });
}

/** "14:03" (or "2:03 PM", as the browser's locale has it). */
export function timeLabel(at: Date): string {
  return at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** The full date and time, for a title attribute: "Monday 5 January 2026 at 14:03". */
export function fullLabel(at: Date): string {
  return at.toLocaleString([], { dateStyle: "full", timeStyle: "short" });
}
