// Pasted text made safe before it reaches the document: control characters, DEL, C1
// controls, U+FFFD runs and bidi overrides/isolates are removed (tab and line breaks become
// spaces), and images from the web (not from this app's store) give way to their captions.
import { Fragment, Slice, type Node as PMNode } from "prosemirror-model";
import { schema } from "./schema";

/** Characters removed from a paste: C0 controls other than tab/LF/CR, DEL, C1 controls,
 * bidi embeddings, overrides and isolates, and the replacement character. */
const REMOVED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFFD]/g;
/** Whitespace controls that become a space (line breaks inside a run, tabs). */
const SPACES = /[\t\n\r]/g;

export interface Stripped {
  text: string;
  /** How many characters were removed. */
  removed: number;
}

/** `text` without control and bidi-override characters; tab, CR and LF become spaces (a
 * vertical tab or form feed is removed but still separates words). */
export function stripControls(text: string): Stripped {
  let removed = 0;
  const out = text
    .replace(REMOVED, (c) => {
      removed++;
      return c === "\u000B" || c === "\u000C" ? " " : "";
    })
    .replace(SPACES, " ");
  return { text: out, removed };
}

/** A stored image (the only kind a body may hold); anything else came from the web. */
export function isStoredImage(src: string): boolean {
  return src.startsWith("media:");
}

export interface SanitizedSlice {
  slice: Slice;
  /** Control characters removed. */
  controls: number;
  /** Images from the web that were dropped (their captions kept as paragraphs). */
  remoteImages: number;
}

interface Counts {
  controls: number;
  remoteImages: number;
}

function cleanText(text: string, counts: Counts): string {
  const s = stripControls(text);
  counts.controls += s.removed;
  return s.text;
}

/** A web image's caption as a paragraph, or nothing when it has none. */
function captionParagraph(node: PMNode, counts: Counts): PMNode[] {
  counts.remoteImages++;
  const caption = cleanText(String(node.attrs.caption ?? ""), counts).trim();
  return caption ? [schema.nodes.paragraph.create(null, schema.text(caption))] : [];
}

function sanitizeNode(node: PMNode, counts: Counts): PMNode[] {
  if (node.isText) {
    const text = cleanText(node.text ?? "", counts);
    return text ? [node.type.schema.text(text, node.marks)] : [];
  }
  if (node.type === schema.nodes.image) {
    if (!isStoredImage(String(node.attrs.src ?? ""))) return captionParagraph(node, counts);
    const caption = cleanText(String(node.attrs.caption ?? ""), counts);
    const alt = cleanText(String(node.attrs.alt ?? ""), counts);
    return [node.type.create({ ...node.attrs, caption, alt })];
  }
  return [node.copy(sanitizeFragment(node.content, counts))];
}

function sanitizeFragment(fragment: Fragment, counts: Counts): Fragment {
  const nodes: PMNode[] = [];
  fragment.forEach((node) => nodes.push(...sanitizeNode(node, counts)));
  return Fragment.fromArray(nodes);
}

/** The slice with its text cleaned and web images replaced by their captions. */
export function sanitizeSlice(slice: Slice): SanitizedSlice {
  const counts: Counts = { controls: 0, remoteImages: 0 };
  const content = sanitizeFragment(slice.content, counts);
  // Dropping an image at an open edge would leave the slice's depth wrong: close it then.
  const open = counts.remoteImages > 0;
  const result = new Slice(content, open ? 0 : slice.openStart, open ? 0 : slice.openEnd);
  return { slice: result, ...counts };
}
