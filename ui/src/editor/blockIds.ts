// Keeps a stable, unique `id` on every top-level block through every edit, split and join:
// a block without an id, or with the id of an earlier block (a split copies attrs), gets a
// new one. Merge, diff, comments and sync deltas key on these ids.
import { Plugin, type Transaction, type EditorState } from "prosemirror-state";

export function newBlockId(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return "b" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A transaction that repairs missing and duplicate block ids, or null when all are fine. */
export function fixBlockIds(state: EditorState): Transaction | null {
  const seen = new Set<string>();
  let tr: Transaction | null = null;
  state.doc.forEach((node, offset) => {
    const id = node.attrs.id as string | null | undefined;
    if (!("id" in node.attrs)) return;
    if (id && !seen.has(id)) {
      seen.add(id);
      return;
    }
    const fresh = newBlockId();
    seen.add(fresh);
    tr = (tr ?? state.tr).setNodeAttribute(offset, "id", fresh);
  });
  if (tr) (tr as Transaction).setMeta("addToHistory", false);
  return tr;
}

export const blockIdPlugin = new Plugin({
  appendTransaction: (_trs, _old, state) => fixBlockIds(state),
});
