import { describe, expect, it } from "vitest";
import { problemText } from "../src/problems";

describe("problemText", () => {
  it("shows the detail of a problem, never its status", () => {
    expect(problemText({ title: "Unauthorized", status: 401, detail: "Email or password is wrong." })).toBe("Email or password is wrong.");
  });

  it("spells out each field of a validation problem", () => {
    const text = problemText({
      title: "One or more validation errors occurred.",
      detail: "The request is invalid.",
      errors: { displayName: ["must not be empty."], password: ["Password must be at least 12 characters."] },
    });
    expect(text).toBe("Display name: must not be empty. Password must be at least 12 characters.");
  });

  it("falls back to the title, then to a generic sentence", () => {
    expect(problemText({ title: "Conflict" })).toBe("Conflict");
    expect(problemText(undefined)).toBe("Something went wrong. Please try again.");
  });

  it("explains a network failure", () => {
    expect(problemText(new TypeError("Failed to fetch"))).toMatch(/Cannot reach Lobby/);
  });
});
