/**
 * API errors in words. Lobby answers errors with problem+json: `detail` says what went wrong and,
 * for validation, `errors` maps each field to its problems. Status codes are never shown.
 */
export interface ProblemLike {
  title?: string | null;
  detail?: string | null;
  errors?: Record<string, string[]> | null;
}

/** One readable message for a failed call. */
export function problemText(error: unknown): string {
  if (error instanceof TypeError) {
    // fetch rejects with a TypeError when the network is down or the server unreachable.
    return "Cannot reach Lobby. Check your connection and try again.";
  }
  if (typeof error !== "object" || error === null) {
    return "Something went wrong. Please try again.";
  }
  const problem = error as ProblemLike;
  const fields = Object.entries(problem.errors ?? {}).flatMap(([field, messages]) =>
    messages.map((m) => (field && !m.toLowerCase().startsWith(field.toLowerCase()) ? `${label(field)}: ${m}` : m)),
  );
  if (fields.length > 0) {
    return fields.join(" ");
  }
  return problem.detail || problem.title || "Something went wrong. Please try again.";
}

/** "displayName" → "Display name". */
function label(field: string): string {
  const words = field.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
