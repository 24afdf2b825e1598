// The body editor: a ProseMirror view over the article schema with history, the base keymap,
// block-type shortcuts and input rules, block-id upkeep, and conversion to and from the wire
// document (barta-model's Document).
import { EditorState } from "prosemirror-state";
import { EditorView, type EditorProps } from "prosemirror-view";
import { Node as PMNode } from "prosemirror-model";
import { history, undo, redo } from "prosemirror-history";
import { keymap } from "prosemirror-keymap";
import { baseKeymap, toggleMark } from "prosemirror-commands";
import { splitListItem, liftListItem, sinkListItem } from "prosemirror-schema-list";
import { schema } from "./schema";
import { blockIdPlugin, fixBlockIds, pastedIdsPlugin } from "./blockIds";
import { blockInputRules, blockKeys } from "./blocks";
import type { Plugin } from "prosemirror-state";
import type { Slice } from "prosemirror-model";
import type { Document } from "../ipc";

/** A ProseMirror document from the wire form (an empty body becomes one empty paragraph). */
export function docFromWire(wire: Document): PMNode {
  const content = wire.content.length > 0 ? wire.content : [{ type: "paragraph" }];
  return PMNode.fromJSON(schema, { type: "doc", content });
}

/** The wire form of a ProseMirror document. A body holding only one empty paragraph is
 * empty. */
export function docToWire(doc: PMNode): Document {
  const json = doc.toJSON() as Document;
  const only = json.content.length === 1 ? json.content[0] : null;
  if (only && only.type === "paragraph" && !only.content) return { type: "doc", content: [] };
  return json;
}

export function createState(wire: Document, extra: Plugin[] = []): EditorState {
  let state = EditorState.create({
    schema,
    doc: docFromWire(wire),
    plugins: [
      ...extra,
      blockInputRules(),
      history(),
      keymap({
        "Mod-z": undo,
        "Mod-y": redo,
        "Shift-Mod-z": redo,
        "Mod-b": toggleMark(schema.marks.strong),
        "Mod-i": toggleMark(schema.marks.em),
        Enter: splitListItem(schema.nodes.list_item),
        "Mod-[": liftListItem(schema.nodes.list_item),
        "Mod-]": sinkListItem(schema.nodes.list_item),
      }),
      keymap(blockKeys),
      keymap(baseKeymap),
      pastedIdsPlugin,
      blockIdPlugin,
    ],
  });
  const fix = fixBlockIds(state);
  if (fix) state = state.apply(fix);
  return state;
}

export interface BodyEditor {
  view: EditorView;
  getDoc(): Document;
  /** The plain text, blocks separated by blank lines (for counts). */
  getText(): string;
  destroy(): void;
}

export interface BodyEditorOptions {
  /** Runs after every change of the document. */
  onChange: () => void;
  /** The accessible name of the editor. */
  label: string;
  /** Plugins that go before the keymaps (phonetic input). */
  plugins?: Plugin[];
  /** Takes over pastes (cleaning, Bijoy conversion). */
  handlePaste?: (view: EditorView, event: ClipboardEvent, slice: Slice) => boolean;
  /** Custom node views (images). */
  nodeViews?: EditorProps["nodeViews"];
}

/** Mounts an editor in `mount`. */
export function createBodyEditor(mount: HTMLElement, wire: Document, options: BodyEditorOptions): BodyEditor {
  const { onChange, label } = options;
  const view = new EditorView(mount, {
    state: createState(wire, options.plugins ?? []),
    handlePaste: options.handlePaste,
    nodeViews: options.nodeViews,
    attributes: {
      class: "body-editor",
      role: "textbox",
      "aria-multiline": "true",
      "aria-label": label,
      "data-testid": "body-editor",
      lang: "bn",
      spellcheck: "false",
    },
    dispatchTransaction(tr) {
      view.updateState(view.state.apply(tr));
      if (tr.docChanged) onChange();
    },
  });
  return {
    view,
    getDoc: () => docToWire(view.state.doc),
    getText: () => view.state.doc.textBetween(0, view.state.doc.content.size, "\n\n"),
    destroy: () => view.destroy(),
  };
}
