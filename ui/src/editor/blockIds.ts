// Keeps a stable, unique `id` on every top-level block through every edit, split and join:
// a block without an id, or with the id of an earlier block (a split copies attrs), gets the
// id of the block it came from when that id is free (a paragraph wrapped in a quote or list,
// a heading made a paragraph, a quote lifted), else a new one. Blocks nested in a quote or
// list carry no id (their top-level block has it). Pasted blocks whose id is already in the
// document get new ones, so the blocks that were there keep theirs. Merge, diff, comments
// and sync deltas key on these ids.
import { Plugin, type Transaction, type EditorState } from "prosemirror-state";
import { Mapping } from "prosemirror-transform";
import { Fragment, Slice, type Node as PMNode } from "prosemirror-model";

export function newBlockId(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return "b" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Where the document of a transaction came from: the previous document, and the steps'
 * mapping from the new document back to it. */
export interface Origin {
  doc: PMNode;
  back: Mapping;
}

/** The top-level block of `doc` at or around `pos`. */
function topLevelAt(doc: PMNode, pos: number): PMNode | null {
  if (pos < 0 || pos > doc.content.size) return null;
  const $pos = doc.resolve(pos);
  return $pos.depth > 0 ? $pos.node(1) : $pos.nodeAfter;
}

/** The id of the old block this new top-level block (at `offset`) grew from, if any. */
function inheritedId(origin: Origin | undefined, offset: number): string | null {
  if (!origin) return null;
  const old = topLevelAt(origin.doc, origin.back.map(offset, 1));
  return (old?.attrs.id as string | null | undefined) ?? null;
}

/** The ids of the top-level blocks. */
function topLevelIds(doc: PMNode): Set<string> {
  const ids = new Set<string>();
  doc.forEach((node) => {
    if (node.attrs.id) ids.add(node.attrs.id as string);
  });
  return ids;
}

/** Clears the ids of blocks nested inside top-level block `node` (at `offset`). */
function clearNestedIds(tr: Transaction, node: PMNode, offset: number): boolean {
  let changed = false;
  if (node.isTextblock || node.isAtom) return false;
  node.descendants((child, pos) => {
    if (child.attrs.id) {
      tr.setNodeAttribute(offset + 1 + pos, "id", null);
      changed = true;
    }
    return !child.isTextblock;
  });
  return changed;
}

/** A transaction that repairs missing, duplicate and nested block ids, or null when all are
 * fine. With `origin`, a block that lost its id takes back the one of the block it came from
 * when nothing else holds that id now. */
export function fixBlockIds(state: EditorState, origin?: Origin): Transaction | null {
  const present = topLevelIds(state.doc);
  const seen = new Set<string>();
  const tr = state.tr;
  let changed = false;
  state.doc.forEach((node, offset) => {
    if (!("id" in node.attrs)) return;
    changed = clearNestedIds(tr, node, offset) || changed;
    const id = node.attrs.id as string | null | undefined;
    if (id && !seen.has(id)) {
      seen.add(id);
      return;
    }
    const old = inheritedId(origin, offset);
    const fresh = old && !present.has(old) && !seen.has(old) ? old : newBlockId();
    seen.add(fresh);
    tr.setNodeAttribute(offset, "id", fresh);
    changed = true;
  });
  if (!changed) return null;
  return tr.setMeta("addToHistory", false);
}

export const blockIdPlugin = new Plugin({
  appendTransaction: (trs, old, state) => {
    if (!trs.some((tr) => tr.docChanged)) return null;
    const mapping = new Mapping();
    for (const tr of trs) mapping.appendMapping(tr.mapping);
    return fixBlockIds(state, { doc: old.doc, back: mapping.invert() });
  },
});

/** The fragment with every block id that `taken` holds cleared (a fresh one comes later). */
function freeIds(fragment: Fragment, taken: Set<string>): Fragment {
  const nodes: PMNode[] = [];
  fragment.forEach((node) => {
    const content = node.isTextblock ? node.content : freeIds(node.content, taken);
    const id = node.attrs.id as string | null | undefined;
    const attrs = id && taken.has(id) ? { ...node.attrs, id: null } : node.attrs;
    nodes.push(node.isText ? node : node.type.create(attrs, content, node.marks));
  });
  return Fragment.fromArray(nodes);
}

/** A pasted slice whose block ids already in `doc` are cleared, so the copy gets new ids. */
export function freshPastedIds(slice: Slice, doc: PMNode): Slice {
  return new Slice(freeIds(slice.content, topLevelIds(doc)), slice.openStart, slice.openEnd);
}

/** Gives pasted and dropped copies new ids (a block moved by drag keeps its own). */
export const pastedIdsPlugin = new Plugin({
  props: {
    transformPasted(slice, view) {
      if (view.dragging?.move) return slice;
      return freshPastedIds(slice, view.state.doc);
    },
  },
});
