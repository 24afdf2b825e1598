// The phonetic composer: the roman buffer, previews replacing what was shown, Backspace,
// commits, and candidate choice. The engine here is a small table standing in for the Rust
// engine (which has its own tests and is exercised end to end in the e2e suite).
import { describe, expect, it } from "vitest";
import { Composer, isComposable, type ComposeTarget, type PhoneticEngine } from "../src/editor/phonetic";

const TABLE: Record<string, string> = { a: "আ", am: "আম", ami: "আমি", k: "ক", ko: "কো", kor: "কোর" };
const engine: PhoneticEngine = {
  preview: async (roman) => TABLE[roman] ?? `?${roman}`,
  suggestions: async (roman) => (roman === "ami" ? ["আমী"] : []),
};

class TextTarget implements ComposeTarget {
  text = "";
  at = 0;
  replace(start: number, oldLength: number, text: string): void {
    const end = start + oldLength;
    this.text = this.text.slice(0, start) + text + this.text.slice(end);
    this.at = this.at >= end ? this.at + text.length - oldLength : start + text.length;
  }
  cursor(): number {
    return this.at;
  }
  textAt(start: number, length: number): string {
    return this.text.slice(start, start + length);
  }
  /** What the editor itself does with a key the composer did not consume. */
  type(key: string): void {
    this.replace(this.at, 0, key);
  }
}

async function typeKeys(c: Composer, keys: string[]): Promise<boolean[]> {
  const consumed = keys.map((k) => c.key(k));
  await c.settled();
  return consumed;
}

describe("phonetic composer", () => {
  it("shows the Bengali of the whole buffer as it grows", async () => {
    const target = new TextTarget();
    const c = new Composer(target, engine);
    expect(await typeKeys(c, ["a", "m", "i"])).toEqual([true, true, true]);
    expect(target.text).toBe("আমি");
  });

  it("Backspace edits the roman buffer, not the Bengali", async () => {
    const target = new TextTarget();
    const c = new Composer(target, engine);
    await typeKeys(c, ["a", "m", "i", "Backspace"]);
    expect(target.text).toBe("আম");
    await typeKeys(c, ["Backspace", "Backspace"]);
    expect(target.text).toBe("");
    expect(c.composing).toBe(false);
  });

  it("space commits the word and is typed as usual; the next word starts after it", async () => {
    const target = new TextTarget();
    const c = new Composer(target, engine);
    await typeKeys(c, ["a", "m", "i"]);
    expect(c.key(" ")).toBe(false);
    target.type(" ");
    await typeKeys(c, ["k", "o"]);
    expect(target.text).toBe("আমি কো");
  });

  it("arrow keys pick a dictionary candidate in place", async () => {
    const target = new TextTarget();
    const states: string[][] = [];
    const c = new Composer(target, engine, (s) => states.push(s.candidates));
    await typeKeys(c, ["a", "m", "i"]);
    expect(states[states.length - 1]).toEqual(["আমি"]); // candidates wait for a pause
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(states[states.length - 1]).toEqual(["আমি", "আমী"]);
    await typeKeys(c, ["ArrowDown"]);
    expect(target.text).toBe("আমী");
    await typeKeys(c, ["ArrowDown"]);
    expect(target.text).toBe("আমি");
  });

  it("keys faster than the engine lose nothing and keep their order", async () => {
    const target = new TextTarget();
    const answers: Array<() => void> = [];
    const slow: PhoneticEngine = {
      preview: (roman) => new Promise((resolve) => answers.push(() => resolve(TABLE[roman] ?? `?${roman}`))),
      suggestions: async () => [],
    };
    const c = new Composer(target, slow);
    for (const k of ["a", "m", "i"]) c.key(k);
    expect(c.key(" ")).toBe(false);
    target.type(" ");
    for (const k of ["k", "o", "r"]) c.key(k);
    expect(target.text).toBe("ami kor"); // roman until the engine answers
    for (const answer of answers) answer();
    await c.settled();
    expect(target.text).toBe("আমি কোর");
    expect(target.cursor()).toBe("আমি কোর".length);
  });

  it("a word edited from outside is left alone", async () => {
    const target = new TextTarget();
    let release: () => void = () => {};
    const slow: PhoneticEngine = {
      preview: (roman) => new Promise((resolve) => (release = () => resolve(TABLE[roman] ?? roman))),
      suggestions: async () => [],
    };
    const c = new Composer(target, slow);
    c.key("a");
    c.end();
    target.text = "xyz"; // someone replaced everything
    release();
    await c.settled();
    expect(target.text).toBe("xyz");
  });

  it("non-ASCII keys (a Bengali keyboard layout) and control keys pass through", () => {
    expect(isComposable("ক")).toBe(false);
    expect(isComposable("Shift")).toBe(false);
    expect(isComposable("a")).toBe(true);
    expect(isComposable("`")).toBe(true);
    const c = new Composer(new TextTarget(), engine);
    expect(c.key("ক")).toBe(false);
  });
});
