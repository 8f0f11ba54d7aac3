import { describe, expect, it } from "vitest";
import { RoomPeople, TYPING_SHOWN_MS, typingText } from "../src/people";

const ann = { userId: "ann", displayName: "Ann", role: "owner" };
const bob = { userId: "bob", displayName: "Bob", role: "member" };
const cyd = { userId: "cyd", displayName: "Cyd", role: "member" };

describe("RoomPeople", () => {
  it("lists online members first, then by name, and replaces presence wholesale", () => {
    const people = new RoomPeople("ann");
    people.setMembers([cyd, bob, ann]);
    expect(people.list().map((m) => m.userId)).toEqual(["ann", "bob", "cyd"]);
    people.setOnline(["cyd"]);
    expect(people.list().map((m) => m.userId)).toEqual(["cyd", "ann", "bob"]);
    people.setOnline(["bob"]);
    expect(people.isOnline("cyd")).toBe(false);
    expect(people.isOnline("bob")).toBe(true);
  });

  it("follows joins and leaves", () => {
    const people = new RoomPeople("ann");
    people.setMembers([ann]);
    people.joined(bob);
    people.joined(bob);
    expect(people.list()).toHaveLength(2);
    people.left("bob");
    expect(people.isMember("bob")).toBe(false);
    expect(people.name("ann")).toBe("Ann");
  });

  it("shows who is typing for a while, ignoring my own echo", () => {
    const people = new RoomPeople("ann");
    people.setMembers([ann, bob, cyd]);
    people.typing("ann", 0);
    people.typing("bob", 0);
    people.typing("cyd", 1000);
    expect(people.typingNames(500)).toEqual(["Bob", "Cyd"]);
    expect(people.typingNames(TYPING_SHOWN_MS + 1)).toEqual(["Cyd"]);
    expect(people.typingNames(TYPING_SHOWN_MS + 1001)).toEqual([]);
  });

  it("stops showing someone as typing when their message arrives or they leave", () => {
    const people = new RoomPeople("ann");
    people.setMembers([ann, bob, cyd]);
    people.typing("bob", 0);
    people.typing("cyd", 0);
    people.stoppedTyping("bob");
    people.left("cyd");
    expect(people.typingNames(1)).toEqual([]);
  });

  it("names someone typing who is not in the member list yet", () => {
    const people = new RoomPeople("ann");
    people.typing("zed", 0);
    expect(people.typingNames(1)).toEqual(["Someone"]);
  });
});

describe("RoomPeople names on messages", () => {
  it("prefers the name inline with a message over an older member list", () => {
    const people = new RoomPeople("me");
    people.setMembers([{ userId: "ann", displayName: "Ann (old)", role: "member" }]);
    expect(people.authorName("ann", "Ann")).toBe("Ann");
  });

  it("renames a member live, in the list and on the messages already shown", () => {
    const people = new RoomPeople("me");
    people.setMembers([{ userId: "ann", displayName: "Ann", role: "member" }]);
    people.updated({ userId: "ann", displayName: "Ann B.", role: "member" });
    expect(people.name("ann")).toBe("Ann B.");
    expect(people.list().map((m) => m.displayName)).toEqual(["Ann B."]);
    expect(people.authorName("ann", "Ann")).toBe("Ann B.");
    expect(people.authorName("bob", "Bob")).toBe("Bob");
  });
});

describe("typingText", () => {
  it("says it in words", () => {
    expect(typingText([])).toBe("");
    expect(typingText(["Bob"])).toBe("Bob is typing…");
    expect(typingText(["Bob", "Cyd"])).toBe("Bob and Cyd are typing…");
    expect(typingText(["A", "B", "C"])).toBe("3 people are typing…");
  });
});
