// The size limits of an article body, the UI's one copy of barta-model's (document.rs
// MAX_BLOCKS and MAX_TEXT_BYTES): a body over them is refused by every save.
import type { Node as PMNode } from "prosemirror-model";

/** The most top-level blocks a body may have. */
export const MAX_BLOCKS = 5_000;
/** The most text a body may hold, in UTF-8 bytes of its text nodes. */
export const MAX_TEXT_BYTES = 2 * 1024 * 1024;

/** The UTF-8 length of `text`, without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** The bytes of text in a document, counted as the Rust validator counts them. */
export function textBytes(doc: PMNode): number {
  let total = 0;
  doc.descendants((node) => {
    if (node.isText) total += utf8Length(node.text ?? "");
    return !node.isTextblock || node.childCount > 0;
  });
  return total;
}

export type LimitProblem =
  | { kind: "too-many-blocks"; blocks: number }
  | { kind: "too-much-text"; bytes: number };

/** What makes `doc` too large to save, or null when it is within the limits. */
export function limitProblem(doc: PMNode): LimitProblem | null {
  if (doc.childCount > MAX_BLOCKS) return { kind: "too-many-blocks", blocks: doc.childCount };
  const bytes = textBytes(doc);
  if (bytes > MAX_TEXT_BYTES) return { kind: "too-much-text", bytes };
  return null;
}
