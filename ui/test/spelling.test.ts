// The spelling plugin's text extraction: offsets in each block's text must line up with
// document positions, hard breaks included, so underlines land on the right letters.
import { describe, expect, it } from "vitest";
import { schema } from "../src/editor/schema";
import { textblocks } from "../src/editor/spelling";

describe("textblocks", () => {
  it("gives each textblock's start and text, a hard break as one newline", () => {
    const doc = schema.node("doc", null, [
      schema.node("paragraph", { id: "a" }, [schema.text("আজ নিরবাচন")]),
      schema.node("paragraph", { id: "b" }, [schema.text("এক"), schema.node("hard_break"), schema.text("দুই")]),
    ]);
    const blocks = textblocks(doc);
    expect(blocks.map((b) => b.text)).toEqual(["আজ নিরবাচন", "এক\nদুই"]);
    // The word's offsets in the text map to exactly its letters in the document.
    const from = blocks[0].pos + "আজ ".length;
    expect(doc.textBetween(from, from + "নিরবাচন".length)).toBe("নিরবাচন");
    const second = blocks[1].pos + "এক\n".length;
    expect(doc.textBetween(second, second + "দুই".length)).toBe("দুই");
  });
});
