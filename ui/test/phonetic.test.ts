// The phonetic composer: the roman buffer, previews replacing what was shown, Backspace,
// commits, and candidate choice. The engine here is a small table standing in for the Rust
// engine (which has its own tests and is exercised end to end in the e2e suite).
import { describe, expect, it } from "vitest";
import { Composer, isComposable, rememberingEngine, type ComposeTarget, type PhoneticEngine } from "../src/editor/phonetic";

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

describe("remembered previews", () => {
  /** The table engine, counting how often it is asked. */
  function counting(): PhoneticEngine & { asked: string[] } {
    const asked: string[] = [];
    return {
      asked,
      preview: async (roman) => {
        asked.push(roman);
        return TABLE[roman] ?? `?${roman}`;
      },
      suggestions: async () => [],
    };
  }

  it("asks the engine once per roman buffer and shows a known one in the same keystroke", async () => {
    const inner = counting();
    const remembering = rememberingEngine(inner);
    const target = new TextTarget();
    const c = new Composer(target, remembering);
    await typeKeys(c, ["a", "m", "i"]);
    c.key(" ");
    target.type(" ");
    expect(target.text).toBe("আমি ");
    expect(inner.asked).toEqual(["a", "am", "ami"]);

    // The same word again: every keystroke shows Bengali at once (no roman letter, no wait).
    c.key("a");
    expect(target.text).toBe("আমি আ");
    c.key("m");
    expect(target.text).toBe("আমি আম");
    c.key("i");
    expect(target.text).toBe("আমি আমি");
    expect(inner.asked).toEqual(["a", "am", "ami"]);

    // Backspace in the roman buffer: the shorter buffer is known too.
    c.key("Backspace");
    expect(target.text).toBe("আমি আম");
    await c.settled();
    expect(target.text).toBe("আমি আম");
  });

  it("forgets the oldest answers beyond its size", async () => {
    const inner = counting();
    const remembering = rememberingEngine(inner, 2);
    await remembering.preview("a");
    await remembering.preview("am");
    await remembering.preview("ami");
    expect(remembering.known?.("a")).toBeUndefined();
    expect(remembering.known?.("ami")).toBe("আমি");
  });

  it("a known answer drops a slower one still on its way for the same word", async () => {
    let release: () => void = () => {};
    const slow: PhoneticEngine = {
      preview: (roman) =>
        roman === "ko"
          ? new Promise((resolve) => (release = () => resolve(TABLE.ko)))
          : Promise.resolve(TABLE[roman] ?? `?${roman}`),
      suggestions: async () => [],
      known: (roman) => (roman === "kor" ? TABLE.kor : undefined),
    };
    const target = new TextTarget();
    const c = new Composer(target, slow);
    c.key("k");
    await Promise.resolve();
    c.key("o"); // waits on the slow engine
    c.key("r"); // known: shown at once
    expect(target.text).toBe("কোর");
    release();
    await c.settled();
    expect(target.text).toBe("কোর");
  });
});

describe("asking ahead", () => {
  /** The table engine with a batch call, recording each batch. */
  function batching(): PhoneticEngine & { batches: string[][]; single: string[] } {
    const batches: string[][] = [];
    const single: string[] = [];
    return {
      batches,
      single,
      preview: async (roman) => {
        single.push(roman);
        return TABLE[roman] ?? `?${roman}`;
      },
      suggestions: async () => [],
      previews: async (romans) => {
        batches.push(romans);
        return romans.map((r) => TABLE[r] ?? `?${r}`);
      },
    };
  }
  const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

  it("knows every first letter, and after each key every letter that may follow", async () => {
    const inner = batching();
    const engine = rememberingEngine(inner);
    expect(engine.known?.("a")).toBeUndefined(); // the first use asks ahead of ""
    await flush();
    expect(inner.batches[0]).toContain("a");
    expect(inner.batches[0]).toContain("K");
    expect(engine.known?.("a")).toBe("আ");
    await flush(); // knowing "a" asked ahead of "a"
    expect(engine.known?.("am")).toBe("আম");
    await flush();
    expect(engine.known?.("ami")).toBe("আমি");
    expect(inner.single).toEqual([]);
  });

  it("a word typed at a typist's pace shows Bengali on every key without asking singly", async () => {
    const inner = batching();
    const target = new TextTarget();
    const c = new Composer(target, rememberingEngine(inner));
    c.key("k"); // nothing known yet: the roman letter shows, then the answer
    await c.settled();
    await flush();
    expect(target.text).toBe("ক");
    c.key("o");
    expect(target.text).toBe("কো"); // known ahead: no roman "o" in between
    await flush();
    c.key("r");
    expect(target.text).toBe("কোর");
    expect(inner.single).toEqual(["k"]);
  });

  it("a failed batch is asked again next time", async () => {
    let fail = true;
    const engine = rememberingEngine({
      preview: async (roman) => TABLE[roman] ?? "",
      suggestions: async () => [],
      previews: async (romans) => {
        if (fail) throw new Error("offline");
        return romans.map((r) => TABLE[r] ?? "");
      },
    });
    engine.known?.("a");
    await flush();
    expect(engine.known?.("a")).toBeUndefined();
    await flush();
    fail = false;
    await engine.preview("k");
    await flush();
    expect(engine.known?.("a")).toBe("আ");
  });
});
