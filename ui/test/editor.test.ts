// The editor's contract with the Rust document model: wire round trips, and block ids that
// stay unique and stable through splits, joins and pastes.
import { describe, expect, it } from "vitest";
import { EditorState, TextSelection } from "prosemirror-state";
import { splitBlock, joinBackward } from "prosemirror-commands";
import { createState, docToWire, docFromWire } from "../src/editor/editor";
import { topLevelTypes } from "../src/editor/schema";
import type { Document } from "../src/ipc";

const wire: Document = {
  type: "doc",
  content: [
    { type: "paragraph", attrs: { id: "b1" }, content: [{ type: "text", text: "আমি বাংলায় গান গাই" }] },
    { type: "heading", attrs: { id: "b2", level: 2 }, content: [{ type: "text", text: "শিরোনাম" }] },
  ],
};

function ids(state: EditorState): string[] {
  const out: string[] = [];
  state.doc.forEach((n) => out.push(n.attrs.id));
  return out;
}

function run(state: EditorState, command: typeof splitBlock): EditorState {
  let next = state;
  command(state, (tr) => {
    next = state.apply(tr);
  });
  return next;
}

describe("wire form", () => {
  it("round-trips the Rust document shape exactly", () => {
    expect(docToWire(docFromWire(wire))).toEqual(wire);
  });

  it("an empty body is an empty document both ways", () => {
    const empty: Document = { type: "doc", content: [] };
    const state = createState(empty);
    expect(state.doc.childCount).toBe(1);
    expect(docToWire(state.doc)).toEqual(empty);
  });

  it("offers exactly the block types barta-model accepts (images and conflicts come later)", () => {
    const rust = ["paragraph", "heading", "blockquote", "bullet_list", "ordered_list", "image", "conflict"];
    for (const t of topLevelTypes) expect(rust).toContain(t);
  });
});

describe("block ids", () => {
  it("a new empty body gets an id at once", () => {
    const state = createState({ type: "doc", content: [] });
    expect(ids(state)[0]).toMatch(/^b[0-9a-f]{12}$/);
  });

  it("splitting a paragraph keeps the first id and gives the second a new one", () => {
    let state = createState(wire);
    // Put the cursor after "আমি".
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, 1 + "আমি".length)));
    state = run(state, splitBlock);
    const after = ids(state);
    expect(after).toHaveLength(3);
    expect(after[0]).toBe("b1");
    expect(after[1]).not.toBe("b1");
    expect(after[2]).toBe("b2");
    expect(new Set(after).size).toBe(3);
  });

  it("joining two blocks keeps the first block's id", () => {
    let state = createState(wire);
    const secondStart = state.doc.child(0).nodeSize + 1;
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, secondStart)));
    state = run(state, joinBackward);
    expect(ids(state)).toEqual(["b1"]);
    expect(state.doc.textContent).toBe("আমি বাংলায় গান গাইশিরোনাম");
  });

  it("duplicate ids from a paste are repaired, the first one kept", () => {
    const dup: Document = {
      type: "doc",
      content: [
        { type: "paragraph", attrs: { id: "x" }, content: [{ type: "text", text: "এক" }] },
        { type: "paragraph", attrs: { id: "x" }, content: [{ type: "text", text: "দুই" }] },
      ],
    };
    const after = ids(createState(dup));
    expect(after[0]).toBe("x");
    expect(after[1]).not.toBe("x");
  });
});
