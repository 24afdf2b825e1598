// Mapping the Rust side's byte ranges of the counted text to the headline or the body editor.
import { describe, expect, it } from "vitest";
import { docFromWire } from "../src/editor/editor";
import { bodyOffsetToPos, placeOf, rangeInText, utf8ToUtf16 } from "../src/features/article/textPlaces";

const utf8 = (s: string) => new TextEncoder().encode(s).length;
/** The byte range of the `nth` occurrence of `needle` in `text`, as Rust reports it. */
function bytesOf(text: string, needle: string, nth = 0): [number, number] {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  const start = utf8(text.slice(0, at));
  return [start, start + utf8(needle)];
}

const headline = "কিম জং উনের চিঠি";
const doc = docFromWire({
  type: "doc",
  content: [
    { type: "paragraph", content: [{ type: "text", text: "কিং জং উন এসেছেন।" }] },
    { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "দ্বিতীয় অংশ" }] },
    {
      type: "paragraph",
      content: [
        { type: "text", text: "শীর্ষ নেতা " },
        { type: "text", text: "কিম", marks: [{ type: "strong" }] },
        { type: "text", text: " জং উন বলেছেন 😀 কিম জং উন।" },
      ],
    },
  ],
});
const counted = `${headline}\n\n${doc.textBetween(0, doc.content.size, "\n\n")}`;

describe("text places", () => {
  it("converts UTF-8 byte offsets to string offsets, astral characters included", () => {
    expect(utf8ToUtf16("abc", 2)).toBe(2);
    expect(utf8ToUtf16("কিম", 3)).toBe(1);
    expect(utf8ToUtf16("a😀b", 5)).toBe(3);
    expect(utf8ToUtf16("কিম", 100)).toBe(3);
  });

  it("finds the spelling near the reported range when the offsets drifted", () => {
    const text = "ক খ কিম গ কিম";
    expect(rangeInText(text, bytesOf(text, "কিম", 1), "কিম")).toEqual([10, 13]);
    // Two bytes off (as if normalization had removed a character before it).
    const [a, b] = bytesOf(text, "কিম", 1);
    expect(rangeInText(text, [a - 2, b - 2], "কিম")).toEqual([10, 13]);
    expect(rangeInText(text, [0, 3], "নেই")).toBeNull();
  });

  it("maps a spelling in the body to the ProseMirror range holding exactly that text", () => {
    for (const [needle, nth, paragraph] of [
      ["কিং জং উন", 0, 1],
      ["কিম জং উন", 1, 3], // across a bold mark
      ["কিম জং উন", 2, 3], // after an emoji (surrogate pair)
      ["দ্বিতীয়", 0, 2],
    ] as const) {
      const place = placeOf(headline, doc, bytesOf(counted, needle, nth), needle);
      expect(place?.in).toBe("body");
      if (place?.in !== "body") continue;
      expect(doc.textBetween(place.from, place.to)).toBe(needle);
      expect(place.paragraph).toBe(paragraph);
    }
    // The third occurrence is after the second one.
    const second = placeOf(headline, doc, bytesOf(counted, "কিম জং উন", 1), "কিম জং উন");
    const third = placeOf(headline, doc, bytesOf(counted, "কিম জং উন", 2), "কিম জং উন");
    expect(second && third && third.from > second.from).toBe(true);
  });

  it("maps a spelling in the headline to the headline's string offsets", () => {
    expect(placeOf(headline, doc, bytesOf(counted, "কিম জং উনের"), "কিম জং উনের")).toEqual({ in: "headline", from: 0, to: 11 });
  });

  it("finds body positions block by block", () => {
    expect(bodyOffsetToPos(doc, 0)).toEqual({ pos: 1, paragraph: 1 });
    const secondBlock = "কিং জং উন এসেছেন।".length + 2;
    expect(bodyOffsetToPos(doc, secondBlock, true)?.paragraph).toBe(2);
    expect(bodyOffsetToPos(doc, 10_000)).toBeNull();
  });
});
