// Paste: whatever arrives (HTML from the web or Word, plain text, Bijoy-encoded copy) is
// first parsed against the article schema by ProseMirror (no scripts, styles or foreign
// attributes survive), then every text run is cleaned by the Rust side: Bijoy detected and
// converted to Unicode, everything normalized.
import { Fragment, Slice, type Node as PMNode } from "prosemirror-model";
import type { EditorView } from "prosemirror-view";
import type { PastedText } from "../ipc";

export type CleanText = (text: string) => Promise<PastedText>;

async function mapFragment(fragment: Fragment, clean: CleanText, found: { bijoy: boolean }): Promise<Fragment> {
  const nodes: PMNode[] = [];
  for (let i = 0; i < fragment.childCount; i++) {
    const node = fragment.child(i);
    if (node.isText) {
      const cleaned = await clean(node.text ?? "");
      found.bijoy ||= cleaned.bijoy_converted;
      if (cleaned.text) nodes.push(node.type.schema.text(cleaned.text, node.marks));
    } else {
      nodes.push(node.copy(await mapFragment(node.content, clean, found)));
    }
  }
  return Fragment.fromArray(nodes);
}

/** The slice with every text run cleaned, and whether Bijoy was converted. */
export async function cleanSlice(slice: Slice, clean: CleanText): Promise<{ slice: Slice; bijoy: boolean }> {
  const found = { bijoy: false };
  const content = await mapFragment(slice.content, clean, found);
  return { slice: new Slice(content, slice.openStart, slice.openEnd), bijoy: found.bijoy };
}

/** A handlePaste prop: cleans the parsed slice, then inserts it as one undoable step. */
export function pasteHandler(clean: CleanText, onBijoy: () => void) {
  return (view: EditorView, _event: ClipboardEvent, slice: Slice): boolean => {
    void cleanSlice(slice, clean).then(({ slice: cleaned, bijoy }) => {
      view.dispatch(view.state.tr.replaceSelection(cleaned).scrollIntoView());
      if (bijoy) onBijoy();
    });
    return true;
  };
}
