// Connects the phonetic Composer to its two kinds of target: the ProseMirror body editor (a
// plugin) and plain text inputs (the headline and the other article fields).
import { Plugin, PluginKey, type EditorState } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import { Composer, TOGGLE_KEY, phoneticEnabled, setPhonetic, type PhoneticEngine } from "./phonetic";

const OURS = "barta-phonetic";

function modified(e: KeyboardEvent): boolean {
  return e.ctrlKey || e.metaKey || e.altKey;
}

/** F12 toggles phonetic mode anywhere in the window. */
export function installToggleKey(): void {
  window.addEventListener("keydown", (e) => {
    if (e.key === TOGGLE_KEY) {
      e.preventDefault();
      setPhonetic(!phoneticEnabled());
    }
  });
}

export type ComposeListener = ConstructorParameters<typeof Composer>[2];

/** A ProseMirror plugin that types phonetically while phonetic mode is on. */
export function phoneticPlugin(engine: PhoneticEngine, onState?: ComposeListener): {
  plugin: Plugin;
  composer: () => Composer | null;
} {
  let composer: Composer | null = null;
  let lastWasOurs = false;
  const key = new PluginKey("phonetic");
  const plugin = new Plugin({
    key,
    view(view: EditorView) {
      composer = new Composer(
        {
          cursor: () => view.state.selection.from,
          textAt: (start, length) => {
            const end = start + length;
            if (start < 0 || end > view.state.doc.content.size) return "";
            return view.state.doc.textBetween(start, end);
          },
          replace: (start, oldLength, text) => {
            const tr = view.state.tr.setMeta(OURS, true);
            if (text) tr.insertText(text, start, start + oldLength);
            else tr.delete(start, start + oldLength);
            view.dispatch(tr);
          },
        },
        engine,
        onState,
      );
      return {
        update(v: EditorView, prev: EditorState) {
          // Someone else changed the document (a paste, undo): the word ends.
          // (Identity, not eq(): a changed document is a new object, and eq() walks it all.)
          if (composer?.composing && v.state.doc !== prev.doc && !lastWasOurs) composer.end();
          lastWasOurs = false;
        },
        destroy() {
          composer = null;
        },
      };
    },
    appendTransaction(trs) {
      lastWasOurs = trs.some((tr) => tr.getMeta(OURS));
      return null;
    },
    props: {
      handleKeyDown(_view, event) {
        if (!composer || !phoneticEnabled()) return false;
        if (modified(event)) {
          composer.end();
          return false;
        }
        return composer.key(event.key);
      },
      handleDOMEvents: {
        mousedown() {
          composer?.end();
          return false;
        },
        blur() {
          composer?.end();
          return false;
        },
      },
    },
  });
  return { plugin, composer: () => composer };
}

/** Makes a text input type phonetically while phonetic mode is on. */
export function attachPhonetic(input: HTMLInputElement, engine: PhoneticEngine, onState?: ComposeListener): Composer {
  const composer = new Composer(
    {
      cursor: () => input.selectionStart ?? input.value.length,
      textAt: (start, length) => input.value.slice(start, start + length),
      replace: (start, oldLength, text) => {
        const v = input.value;
        const end = start + oldLength;
        const cursor = input.selectionStart ?? v.length;
        input.value = v.slice(0, start) + text + v.slice(end);
        const at = cursor >= end ? cursor + text.length - oldLength : start + text.length;
        input.setSelectionRange(at, at);
        input.dispatchEvent(new Event("input", { bubbles: true }));
      },
    },
    engine,
    onState,
  );
  input.addEventListener("keydown", (e) => {
    if (!phoneticEnabled()) return;
    if (modified(e)) {
      composer.end();
      return;
    }
    if (composer.key(e.key)) e.preventDefault();
  });
  input.addEventListener("mousedown", () => composer.end());
  input.addEventListener("blur", () => composer.end());
  return composer;
}
