// Comments anchored to a passage: the anchor is made from the editor's selection (the
// top-level block's id, offsets in Unicode scalar values of its text, and the passage
// itself), and found again after edits — by the quoted text nearest its old offset, else the
// whole block; a block that is gone leaves the comment orphaned. Commented passages are
// highlighted in the editor.
import type { Node as PMNode } from "prosemirror-model";
import { Plugin, PluginKey, type EditorState } from "prosemirror-state";
import { Decoration, DecorationSet } from "prosemirror-view";
import type { CommentAnchor } from "../ipc";

/** Unicode scalar values in a string (what the Rust side counts). */
function scalars(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** The UTF-16 index of the `n`-th scalar value of `text`. */
function utf16At(text: string, n: number): number {
  let i = 0;
  let seen = 0;
  for (const ch of text) {
    if (seen === n) return i;
    i += ch.length;
    seen++;
  }
  return text.length;
}

/** The top-level block holding `pos`: its node and the position before it. */
function topBlock(doc: PMNode, pos: number): { node: PMNode; start: number } | null {
  const $pos = doc.resolve(pos);
  if ($pos.depth < 1) return null;
  return { node: $pos.node(1), start: $pos.before(1) };
}

/** The anchor of the current selection, or null when nothing is selected. A selection over
 * several blocks is anchored to the first. */
export function anchorFromSelection(state: EditorState): CommentAnchor | null {
  const { from, to, empty } = state.selection;
  if (empty) return null;
  const block = topBlock(state.doc, from);
  if (!block || typeof block.node.attrs.id !== "string") return null;
  const blockEnd = block.start + block.node.nodeSize - 1;
  const inner = block.start + 1;
  const before = state.doc.textBetween(inner, from, "\n", " ");
  const quote = state.doc.textBetween(from, Math.min(to, blockEnd), "\n", " ");
  if (!quote.trim()) return null;
  const start = scalars(before);
  return { block_id: block.node.attrs.id, start, end: start + scalars(quote), quote };
}

/** Where an anchor is now: document positions of its passage (or its whole block), or null
 * when its block is gone. */
export function locateAnchor(doc: PMNode, anchor: CommentAnchor): { from: number; to: number; exact: boolean } | null {
  let found: { node: PMNode; start: number } | null = null;
  doc.forEach((node, offset) => {
    if (!found && node.attrs.id === anchor.block_id) found = { node, start: offset };
  });
  if (!found) return null;
  const { node, start } = found as { node: PMNode; start: number };
  const inner = start + 1;
  const text = doc.textBetween(inner, start + node.nodeSize - 1, "\n", " ");
  if (anchor.quote) {
    // The occurrence nearest the old offset.
    const wanted = utf16At(text, anchor.start);
    let best = -1;
    for (let i = text.indexOf(anchor.quote); i >= 0; i = text.indexOf(anchor.quote, i + 1)) {
      if (best < 0 || Math.abs(i - wanted) < Math.abs(best - wanted)) best = i;
    }
    if (best >= 0) {
      const from = textPos(node, inner, best);
      const to = textPos(node, inner, best + anchor.quote.length);
      if (from !== null && to !== null) return { from, to, exact: true };
    }
  }
  return { from: inner, to: start + node.nodeSize - 1, exact: false };
}

/** The document position of UTF-16 offset `offset` in the text of `block` (as textBetween
 * with "\n" between blocks and " " for leaves counts it). */
function textPos(block: PMNode, inner: number, offset: number): number | null {
  let seen = 0;
  let result: number | null = null;
  let first = true;
  block.descendants((node, pos) => {
    if (result !== null) return false;
    if (node.isBlock && !first && node.isTextblock) seen += 1; // the "\n" between textblocks
    if (node.isTextblock) first = false;
    if (node.isText) {
      const len = node.text!.length;
      if (offset <= seen + len) {
        result = inner + pos + (offset - seen);
        return false;
      }
      seen += len;
    } else if (node.isLeaf) {
      seen += 1;
    }
    return true;
  });
  if (result === null && offset === seen) result = inner + block.content.size;
  return result;
}

export interface AnchoredComment {
  id: string;
  anchor: CommentAnchor;
  resolved: boolean;
}

const key = new PluginKey<DecorationSet>("comment-anchors");

/** Highlights the passages of unresolved comments; `setComments` updates them. */
export function commentHighlights(): { plugin: Plugin; setComments(view: { state: EditorState; dispatch: (tr: import("prosemirror-state").Transaction) => void }, comments: AnchoredComment[]): void } {
  const build = (doc: PMNode, comments: AnchoredComment[]) =>
    DecorationSet.create(
      doc,
      comments
        .filter((c) => !c.resolved)
        .map((c) => ({ c, at: locateAnchor(doc, c.anchor) }))
        .filter((x) => x.at && x.at.exact && x.at.to > x.at.from)
        .map((x) => Decoration.inline(x.at!.from, x.at!.to, { class: "commented", "data-comment-id": x.c.id })),
    );
  let current: AnchoredComment[] = [];
  const plugin = new Plugin<DecorationSet>({
    key,
    state: {
      init: () => DecorationSet.empty,
      apply: (tr, set) => {
        const next = tr.getMeta(key) as AnchoredComment[] | undefined;
        if (next) return build(tr.doc, next);
        return tr.docChanged ? build(tr.doc, current) : set;
      },
    },
    props: { decorations: (state) => key.getState(state) },
  });
  return {
    plugin,
    setComments(view, comments) {
      current = comments;
      view.dispatch(view.state.tr.setMeta(key, comments).setMeta("addToHistory", false));
    },
  };
}
