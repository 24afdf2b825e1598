// What a typing save sends: only the top-level blocks that changed since the last save that
// reached the store. ProseMirror shares every node an edit did not touch, so comparing the
// blocks by identity finds the changed ones without reading their text.
import type { Node as PMNode } from "prosemirror-model";
import type { Block } from "../ipc";

/** The blocks of a saved document, by block id. */
export type SavedBlocks = Map<string, PMNode>;

/** A block save: every block id in order, and the blocks that are new or changed. */
export interface BlockDelta {
  order: string[];
  changed: Block[];
}

/** The blocks of `doc` by id, or null when they cannot be told apart by id (a missing or
 *  repeated id: the whole document is sent then). */
export function savedBlocks(doc: PMNode): SavedBlocks | null {
  const blocks: SavedBlocks = new Map();
  let whole = true;
  doc.forEach((block) => {
    const id: unknown = block.attrs.id;
    if (typeof id !== "string" || id === "" || blocks.has(id)) whole = false;
    else blocks.set(id, block);
  });
  return whole ? blocks : null;
}

/** What changed in `doc` since `saved`; null when the whole document must go (nothing saved
 *  yet, blocks without ids, or a body that is one empty paragraph, which is stored as none). */
export function blockDelta(doc: PMNode, saved: SavedBlocks | null): BlockDelta | null {
  if (!saved) return null;
  const only = doc.childCount === 1 ? doc.firstChild : null;
  if (only && only.type.name === "paragraph" && only.content.size === 0) return null;
  const now = savedBlocks(doc);
  if (!now) return null;
  const order: string[] = [];
  const changed: Block[] = [];
  for (const [id, block] of now) {
    order.push(id);
    if (saved.get(id) !== block) changed.push(block.toJSON() as Block);
  }
  return { order, changed };
}
