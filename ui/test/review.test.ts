// The review tools of the editor: conflict blocks resolved by keeping one side or both (the
// block id kept), and comment anchors made from a selection and found again after edits.
import { describe, expect, it } from "vitest";
import { EditorState, TextSelection } from "prosemirror-state";
import { createState, docToWire } from "../src/editor/editor";
import { conflictCount, resolveConflict } from "../src/editor/conflict";
import { anchorFromSelection, locateAnchor } from "../src/editor/commentAnchors";
import type { Document } from "../src/ipc";

const conflictDoc: Document = {
  type: "doc",
  content: [
    { type: "paragraph", attrs: { id: "b0" }, content: [{ type: "text", text: "ভূমিকা" }] },
    {
      type: "conflict",
      attrs: { id: "b1", ours_author: "rahim", ours_at: "2025-08-01T04:42:00Z", theirs_author: "nasrin", theirs_at: "2025-08-01T04:45:00Z" },
      content: [
        { type: "paragraph", content: [{ type: "text", text: "৭ জন মারা গেছেন" }] },
        { type: "paragraph", content: [{ type: "text", text: "পাঁচ জন মারা গেছেন" }] },
      ],
    },
  ],
};

function conflictPos(state: EditorState): number {
  let at = -1;
  state.doc.forEach((node, offset) => {
    if (node.type.name === "conflict") at = offset;
  });
  return at;
}

describe("conflict blocks", () => {
  it("keep who wrote each side through the editor", () => {
    const state = createState(conflictDoc);
    expect(conflictCount(state.doc)).toBe(1);
    const wire = docToWire(state.doc);
    expect(wire.content[1].attrs).toMatchObject({ id: "b1", ours_author: "rahim", theirs_author: "nasrin" });
  });

  it("resolve to one side with the block's id", () => {
    for (const [choice, text] of [["ours", "৭ জন মারা গেছেন"], ["theirs", "পাঁচ জন মারা গেছেন"]] as const) {
      const state = createState(conflictDoc);
      const next = state.apply(resolveConflict(state, conflictPos(state), choice)!);
      expect(conflictCount(next.doc)).toBe(0);
      const wire = docToWire(next.doc);
      expect(wire.content).toHaveLength(2);
      expect(wire.content[1]).toEqual({ type: "paragraph", attrs: { id: "b1" }, content: [{ type: "text", text }] });
    }
  });

  it("keep both as paragraphs to merge by hand, with fresh unique ids", () => {
    const state = createState(conflictDoc);
    const next = state.apply(resolveConflict(state, conflictPos(state), "both")!);
    const wire = docToWire(next.doc);
    expect(wire.content.map((b) => b.type)).toEqual(["paragraph", "paragraph", "paragraph"]);
    const ids = wire.content.map((b) => b.attrs!.id as string);
    expect(ids[1]).toBe("b1");
    expect(new Set(ids).size).toBe(3);
    expect(next.doc.textContent).toContain("৭ জন মারা গেছেন");
    expect(next.doc.textContent).toContain("পাঁচ জন মারা গেছেন");
  });

  it("refuse a position that holds no conflict", () => {
    const state = createState(conflictDoc);
    expect(resolveConflict(state, 0, "ours")).toBeNull();
  });
});

const body: Document = {
  type: "doc",
  content: [
    { type: "paragraph", attrs: { id: "p1" }, content: [{ type: "text", text: "সিলেটে বন্যায় ৫ জন মারা গেছেন।" }] },
    { type: "paragraph", attrs: { id: "p2" }, content: [{ type: "text", text: "পানি কমছে।" }] },
  ],
};

function select(state: EditorState, text: string): EditorState {
  let from = -1;
  state.doc.descendants((node, pos) => {
    if (from < 0 && node.isText && node.text!.includes(text)) from = pos + node.text!.indexOf(text);
  });
  return state.apply(state.tr.setSelection(TextSelection.create(state.doc, from, from + text.length)));
}

describe("comment anchors", () => {
  it("are made from a selection: block id, scalar offsets and the passage", () => {
    const state = select(createState(body), "বন্যায়");
    const anchor = anchorFromSelection(state)!;
    expect(anchor.block_id).toBe("p1");
    expect(anchor.quote).toBe("বন্যায়");
    // Offsets count Unicode scalar values, as the Rust side does.
    expect(anchor.start).toBe([..."সিলেটে "].length);
    expect(anchor.end - anchor.start).toBe([..."বন্যায়"].length);
    expect(anchorFromSelection(createState(body))).toBeNull();
  });

  it("are found again after text is inserted before them", () => {
    let state = select(createState(body), "বন্যায়");
    const anchor = anchorFromSelection(state)!;
    state = state.apply(state.tr.insertText("আজ ", 1));
    const at = locateAnchor(state.doc, anchor)!;
    expect(at.exact).toBe(true);
    expect(state.doc.textBetween(at.from, at.to)).toBe("বন্যায়");
  });

  it("fall back to the whole block when the passage was rewritten, and to nothing when the block is gone", () => {
    let state = select(createState(body), "বন্যায়");
    const anchor = anchorFromSelection(state)!;
    const p1End = state.doc.child(0).nodeSize - 1;
    state = state.apply(state.tr.insertText("নতুন লেখা", 1, p1End));
    const at = locateAnchor(state.doc, anchor)!;
    expect(at.exact).toBe(false);
    expect(state.doc.textBetween(at.from, at.to)).toBe("নতুন লেখা");
    state = state.apply(state.tr.delete(0, state.doc.child(0).nodeSize));
    expect(locateAnchor(state.doc, anchor)).toBeNull();
  });
});
