import { describe, expect, it } from "vitest";
import { describeAgent } from "../src/agents";

describe("describeAgent", () => {
  it("names common browsers and systems", () => {
    expect(describeAgent("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0")).toBe("Firefox on Windows");
    expect(describeAgent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36")).toBe("Chrome on Linux");
    expect(describeAgent("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1")).toBe("Safari on iOS");
    expect(describeAgent("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36 Edg/140.0")).toBe("Edge on Windows");
  });

  it("falls back to the text itself, shortened, or says it is unknown", () => {
    expect(describeAgent("curl/8.5.0")).toBe("curl/8.5.0");
    expect(describeAgent(null)).toBe("Unknown device");
    expect(describeAgent("x".repeat(100))).toHaveLength(58);
  });
});
