// The focus ring must stand out from what it is drawn on by at least 3:1 (WCAG 2.4.11/1.4.11).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const css = readFileSync(new URL("../src/style.css", import.meta.url), "utf8");
const variable = (name: string): string => new RegExp(`--${name}:\\s*(#[0-9a-f]{6})`, "i").exec(css)![1]!;

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

describe("focus ring contrast", () => {
  it("is at least 3:1 on the page, cards, messages and buttons", () => {
    for (const bg of [variable("bg"), variable("card"), variable("mine"), "#eef0f3", "#ffffff"]) {
      expect(contrast(variable("focus"), bg)).toBeGreaterThanOrEqual(3);
    }
  });

  it("is at least 3:1 on the dark banner", () => {
    expect(contrast(variable("focus-on-dark"), "#17233b")).toBeGreaterThanOrEqual(3);
  });

  it("is the :focus-visible outline", () => {
    expect(css).toMatch(/:focus-visible\s*\{[^}]*outline:\s*3px solid var\(--focus\)/);
    expect(css).toMatch(/\.banner :focus-visible\s*\{[^}]*var\(--focus-on-dark\)/);
  });
});
