// The typing save's block delta: only the blocks an edit touched travel, in the document's
// order, and anything that cannot be told apart by id falls back to the whole document.
import { describe, expect, it } from "vitest";
import { TextSelection } from "prosemirror-state";
import { splitBlock } from "prosemirror-commands";
import { createState, docToWire } from "../src/editor/editor";
import { blockDelta, savedBlocks } from "../src/editor/blockDelta";
import type { Document } from "../src/ipc";

const para = (id: string, text: string) => ({ type: "paragraph", attrs: { id }, content: [{ type: "text", text }] });
const wire: Document = { type: "doc", content: [para("a", "এক"), para("b", "দুই"), para("c", "তিন")] };

describe("block delta", () => {
  it("nothing saved yet sends the whole document", () => {
    expect(blockDelta(createState(wire).doc, null)).toBeNull();
  });

  it("typing into one block sends that block only, with every id in order", () => {
    const state = createState(wire);
    const saved = savedBlocks(state.doc);
    // After "দুই" (the second block: its text starts at 1 + (3 + 2) + 1).
    const at = state.doc.child(0).nodeSize + 1 + "দুই".length;
    const next = state.apply(state.tr.insertText(" আর", at));
    const delta = blockDelta(next.doc, saved)!;
    expect(delta.order).toEqual(["a", "b", "c"]);
    expect(delta.changed).toEqual([para("b", "দুই আর")]);
  });

  it("nothing changed sends no block; a split sends both halves under their ids", () => {
    let state = createState(wire);
    const saved = savedBlocks(state.doc)!;
    expect(blockDelta(state.doc, saved)).toEqual({ order: ["a", "b", "c"], changed: [] });
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, 2)));
    splitBlock(state, (tr) => (state = state.apply(tr)));
    const delta = blockDelta(state.doc, saved)!;
    expect(delta.order).toHaveLength(4);
    expect(delta.order.slice(0, 1)).toEqual(["a"]);
    expect(delta.order.slice(2)).toEqual(["b", "c"]);
    // The block split and the new one; the two untouched blocks stay home.
    expect(delta.changed.map((b) => (b.attrs as { id: string }).id)).toEqual(delta.order.slice(0, 2));
    // Applying the delta to what was saved gives exactly the editor's document.
    const stored = new Map(docToWire(createState(wire).doc).content.map((b) => [(b.attrs as { id: string }).id, b]));
    for (const b of delta.changed) stored.set((b.attrs as { id: string }).id, b);
    expect(delta.order.map((id) => stored.get(id))).toEqual(docToWire(state.doc).content);
  });

  it("a body that is one empty paragraph goes whole (it is stored as no block)", () => {
    const state = createState({ type: "doc", content: [] });
    expect(blockDelta(state.doc, new Map())).toBeNull();
  });
});
