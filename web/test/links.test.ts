import { describe, expect, it } from "vitest";
import { bodyParts, safeHref } from "../src/links";

describe("bodyParts", () => {
  it("keeps text as text and makes http(s) URLs links", () => {
    expect(bodyParts("see https://example.com/a?b=1 now")).toEqual([
      { text: "see " },
      { text: "https://example.com/a?b=1", href: "https://example.com/a?b=1" },
      { text: " now" },
    ]);
  });

  it("treats markup as text: only the URL becomes a link", () => {
    expect(bodyParts("<img src=x onerror=alert(1)> https://example.com")).toEqual([
      { text: "<img src=x onerror=alert(1)> " },
      { text: "https://example.com", href: "https://example.com/" },
    ]);
  });

  it("never links other schemes", () => {
    expect(bodyParts("javascript:alert(1) data:text/html,x ftp://x.org")).toEqual([{ text: "javascript:alert(1) data:text/html,x ftp://x.org" }]);
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref("http://")).toBeNull();
  });

  it("leaves sentence punctuation and an unopened parenthesis out of the link", () => {
    expect(bodyParts("Read https://x.org/a.")).toEqual([{ text: "Read " }, { text: "https://x.org/a", href: "https://x.org/a" }, { text: "." }]);
    expect(bodyParts("(see https://x.org/a)")).toEqual([{ text: "(see " }, { text: "https://x.org/a", href: "https://x.org/a" }, { text: ")" }]);
    expect(bodyParts("https://en.wikipedia.org/wiki/Foo_(bar)")[0]).toEqual({
      text: "https://en.wikipedia.org/wiki/Foo_(bar)",
      href: "https://en.wikipedia.org/wiki/Foo_(bar)",
    });
  });

  it("stops a URL at quotes and angle brackets", () => {
    expect(bodyParts('"https://x.org/a"<b>')).toEqual([{ text: '"' }, { text: "https://x.org/a", href: "https://x.org/a" }, { text: '"<b>' }]);
  });
});
