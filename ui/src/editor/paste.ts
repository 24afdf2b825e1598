// Paste: whatever arrives (HTML from the web or Word, plain text, Bijoy-encoded copy) is
// first parsed against the article schema by ProseMirror (no scripts, styles or foreign
// attributes survive), then every text run is cleaned by the Rust side: Bijoy detected and
// converted to Unicode, everything normalized.
import { Fragment, Slice, type Node as PMNode } from "prosemirror-model";
import type { EditorView } from "prosemirror-view";
import type { PastedText } from "../ipc";

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

/** A handlePaste prop: cleans the parsed slice, then inserts it as one undoable step. */
export function pasteHandler(clean: CleanTexts, onBijoy: () => void) {
  return (view: EditorView, _event: ClipboardEvent, slice: Slice): boolean => {
    void cleanSlice(slice, clean).then(({ slice: cleaned, bijoy }) => {
      view.dispatch(view.state.tr.replaceSelection(cleaned).scrollIntoView());
      if (bijoy) onBijoy();
    });
    return true;
  };
}
