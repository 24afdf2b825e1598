// Paste: whatever arrives (HTML from the web or Word, plain text, Bijoy-encoded copy) is
// first parsed against the article schema by ProseMirror (no scripts, styles or foreign
// attributes survive), stripped of control characters and web images (sanitize.ts), then
// every text run is cleaned by the Rust side: Bijoy detected and converted to Unicode,
// everything normalized. A paste that would take the body over the size limits the Rust
// validator enforces is refused, and the document left as it was.
import { Fragment, Slice, type Node as PMNode } from "prosemirror-model";
import type { EditorState, Transaction } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import { undo } from "prosemirror-history";
import type { PastedText } from "../ipc";
import { limitProblem, MAX_BLOCKS, MAX_TEXT_BYTES, type LimitProblem } from "./limits";
import { sanitizeSlice } from "./sanitize";

export type CleanTexts = (texts: string[]) => Promise<PastedText[]>;

/** Every text run of a fragment, in document order. */
function collectTexts(fragment: Fragment, out: string[]): string[] {
  fragment.forEach((node) => {
    if (node.isText) out.push(node.text ?? "");
    else collectTexts(node.content, out);
  });
  return out;
}

/** The fragment with its text runs replaced, in order, by `cleaned`. */
function replaceTexts(fragment: Fragment, cleaned: PastedText[], at: { i: number }): Fragment {
  const nodes: PMNode[] = [];
  fragment.forEach((node) => {
    if (node.isText) {
      const text = cleaned[at.i++]?.text ?? "";
      if (text) nodes.push(node.type.schema.text(text, node.marks));
    } else {
      nodes.push(node.copy(replaceTexts(node.content, cleaned, at)));
    }
  });
  return Fragment.fromArray(nodes);
}

export interface CleanedSlice {
  slice: Slice;
  /** Bijoy runs were converted. */
  bijoy: boolean;
  /** How many text runs were pasted. */
  runs: number;
}

/** The slice with every text run cleaned in one call (a long paste has thousands of runs). */
export async function cleanSlice(slice: Slice, clean: CleanTexts): Promise<CleanedSlice> {
  const texts = collectTexts(slice.content, []);
  const cleaned = await clean(texts);
  const content = replaceTexts(slice.content, cleaned, { i: 0 });
  return {
    slice: new Slice(content, slice.openStart, slice.openEnd),
    bijoy: cleaned.some((c) => c.bijoy_converted),
    runs: texts.length,
  };
}

/** A paste refused because the body would be too large to save. */
export interface Refusal {
  kind: LimitProblem["kind"];
  /** Top-level blocks in the paste itself. */
  pasted: number;
  /** What the body would have had (blocks or bytes of text). */
  total: number;
  /** The limit (MAX_BLOCKS or MAX_TEXT_BYTES). */
  limit: number;
}

/** What a paste did, for the notice: conversions, removals, or why it was refused. */
export interface PasteReport {
  bijoy: boolean;
  controls: number;
  remoteImages: number;
  refused?: Refusal;
  /** Undoes the paste where it happened. */
  undo?: () => void;
}

/** The paste as a transaction on `state`, or why it cannot be done. */
export function pasteTransaction(state: EditorState, slice: Slice): { tr: Transaction } | { refused: Refusal } {
  const tr = state.tr.replaceSelection(slice).scrollIntoView();
  const problem = limitProblem(tr.doc);
  if (!problem) return { tr };
  const pasted = slice.content.childCount;
  return problem.kind === "too-many-blocks"
    ? { refused: { kind: problem.kind, pasted, total: problem.blocks, limit: MAX_BLOCKS } }
    : { refused: { kind: problem.kind, pasted, total: problem.bytes, limit: MAX_TEXT_BYTES } };
}

/** A handlePaste prop: sanitizes and cleans the parsed slice, then inserts it as one
 * undoable step, unless the body would then be over the limits. `onReport` hears what
 * happened whenever there is something to tell. */
export function pasteHandler(clean: CleanTexts, onReport: (report: PasteReport) => void) {
  return (view: EditorView, _event: ClipboardEvent, slice: Slice): boolean => {
    const safe = sanitizeSlice(slice);
    const base = { bijoy: false, controls: safe.controls, remoteImages: safe.remoteImages };
    // Refuse at once what is too large already, before sending thousands of runs to clean.
    const first = pasteTransaction(view.state, safe.slice);
    if ("refused" in first) {
      onReport({ ...base, refused: first.refused });
      return true;
    }
    void cleanSlice(safe.slice, clean).then(({ slice: cleaned, bijoy }) => {
      const result = pasteTransaction(view.state, cleaned);
      if ("refused" in result) {
        onReport({ ...base, bijoy, refused: result.refused });
        return;
      }
      view.dispatch(result.tr);
      if (bijoy || base.controls || base.remoteImages) {
        onReport({ ...base, bijoy, undo: () => undo(view.state, view.dispatch) });
      }
    });
    return true;
  };
}
