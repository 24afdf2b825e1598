// Where a flagged range of the counted text is in the article: the live counts are computed over
// `headline + "\n\n" + body.textBetween(0, end, "\n\n")`, and the Rust side reports ranges as
// UTF-8 byte offsets into that text (bangla::name_clashes, bangla::lint). These pure functions
// turn such a range into the headline's string offsets or a ProseMirror range of the body.
import type { Node as PMNode } from "prosemirror-model";

/** The separator the counted text puts between the headline and the body, and between blocks. */
export const BLOCK_SEPARATOR = "\n\n";

export type TextPlace =
  | { in: "headline"; from: number; to: number }
  | { in: "body"; from: number; to: number; paragraph: number };

/** The UTF-16 offset (a JavaScript string index) of a UTF-8 byte offset into `text`. */
export function utf8ToUtf16(text: string, byteOffset: number): number {
  let bytes = 0;
  let i = 0;
  while (i < text.length && bytes < byteOffset) {
    const cp = text.codePointAt(i)!;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

/**
 * The UTF-16 range of `expected` in `text`, given its UTF-8 byte range. The byte range is into
 * the normalized text the Rust side counted; when the typed text was not yet in stored form the
 * offsets may drift, so the nearest occurrence of `expected` is taken instead.
 */
export function rangeInText(text: string, bytes: [number, number], expected: string): [number, number] | null {
  const from = utf8ToUtf16(text, bytes[0]);
  const to = utf8ToUtf16(text, bytes[1]);
  if (!expected) return from < to ? [from, to] : null;
  if (text.slice(from, to) === expected) return [from, to];
  let best: number | null = null;
  for (let at = text.indexOf(expected); at >= 0; at = text.indexOf(expected, at + 1)) {
    if (best === null || Math.abs(at - from) < Math.abs(best - from)) best = at;
  }
  return best === null ? null : [best, best + expected.length];
}

/** The body position of a UTF-16 offset into `doc.textBetween(0, size, "\n\n")`, with the
 * 1-based number of the text block it falls in. Mirrors ProseMirror's textBetween walk. */
export function bodyOffsetToPos(doc: PMNode, offset: number, preferNext = false): { pos: number; paragraph: number } | null {
  let text = 0;
  let first = true;
  let paragraph = 0;
  let found: { pos: number; paragraph: number } | null = null;
  doc.nodesBetween(0, doc.content.size, (node, pos) => {
    if (found) return false;
    const leafText = node.type.spec.leafText;
    const nodeText = node.isText ? node.text! : node.isLeaf && leafText ? leafText(node) : "";
    if (node.isBlock && ((node.isLeaf && nodeText) || node.isTextblock)) {
      if (first) first = false;
      else text += BLOCK_SEPARATOR.length;
      paragraph++;
    }
    if (node.isText && offset >= text && (offset < text + nodeText.length || (!preferNext && offset === text + nodeText.length))) {
      found = { pos: pos + (offset - text), paragraph };
      return false;
    }
    text += nodeText.length;
    return true;
  });
  return found;
}

/** Where the byte range `bytes` (spelling `expected`) of the counted text is. */
export function placeOf(headline: string, doc: PMNode, bytes: [number, number], expected: string): TextPlace | null {
  const counted = headline + BLOCK_SEPARATOR + doc.textBetween(0, doc.content.size, BLOCK_SEPARATOR);
  const range = rangeInText(counted, bytes, expected);
  if (!range) return null;
  const [from, to] = range;
  if (to <= headline.length) return { in: "headline", from, to };
  const start = headline.length + BLOCK_SEPARATOR.length;
  if (from < start) return null;
  const a = bodyOffsetToPos(doc, from - start, true);
  const b = bodyOffsetToPos(doc, to - start);
  if (!a || !b) return null;
  return { in: "body", from: a.pos, to: b.pos, paragraph: a.paragraph };
}
