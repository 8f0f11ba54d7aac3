/**
 * Links in message bodies. A body is split into text and http(s) URLs, and drawn with DOM APIs
 * only: text as text nodes, each URL as an <a> whose href went through `new URL`. Message text
 * never reaches innerHTML, so `<img onerror=…>` in a message is just those characters.
 */
export type BodyPart = { text: string } | { text: string; href: string };

// Up to whitespace or a character that cannot be in a URL as people paste it.
const URL_START = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Punctuation that usually ends the sentence rather than the URL.
const TRAILING = /[.,;:!?'"]+$/;

export function bodyParts(body: string): BodyPart[] {
  const parts: BodyPart[] = [];
  let last = 0;
  for (const match of body.matchAll(URL_START)) {
    let candidate = match[0].replace(TRAILING, "");
    // A closing parenthesis belongs to the URL only when it opened one: "(see https://x.org/a)".
    while (candidate.endsWith(")") && count(candidate, "(") < count(candidate, ")")) {
      candidate = candidate.slice(0, -1).replace(TRAILING, "");
    }
    const href = safeHref(candidate);
    if (!href) continue;
    if (match.index > last) parts.push({ text: body.slice(last, match.index) });
    parts.push({ text: candidate, href });
    last = match.index + candidate.length;
  }
  if (last < body.length) parts.push({ text: body.slice(last) });
  return parts;
}

/** The normalised URL when it parses and is http or https; null otherwise. */
export function safeHref(text: string): string | null {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/** The body as nodes: text nodes and safe links that open in a new tab without giving it this window. */
export function bodyNodes(body: string): Node[] {
  return bodyParts(body).map((part) => {
    if (!("href" in part)) return document.createTextNode(part.text);
    const a = document.createElement("a");
    a.href = part.href;
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    a.textContent = part.text;
    return a;
  });
}
