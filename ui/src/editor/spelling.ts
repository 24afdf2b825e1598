// Spelling in the body editor: misspelled Bengali words are underlined (checked by the Rust
// side against the system word list, a moment after typing stops); a right-click on one, or
// the keyboard at the caret (Alt+Enter, Ctrl+., Shift+F10, the menu key), offers its
// suggestions and "add to dictionary" in a menu worked with the arrow keys.
import { Plugin, PluginKey, TextSelection, type EditorState } from "prosemirror-state";
import { Decoration, DecorationSet, type EditorView } from "prosemirror-view";
import type { Node as PMNode } from "prosemirror-model";
import type { SpellReport } from "../ipc";

export interface SpellService {
  check(texts: string[]): Promise<SpellReport>;
  addWord(word: string): Promise<void>;
  /** Desk editors: shares the word with the whole newsroom's checkers. */
  shareWord?(word: string): Promise<void>;
  /** Shows why sharing failed. */
  fail?(error: unknown): void;
}

export interface MenuText {
  addToDictionary: string;
  noSuggestions: string;
  /** The menu item for `shareWord`. */
  shareWithNewsroom?: string;
}

const key = new PluginKey<DecorationSet>("spelling");
const CHECK_DELAY_MS = 500;

/** Each textblock with its start position and its text ("\n" for a hard break, so text
 * offsets and positions stay in step). */
export function textblocks(doc: PMNode): { pos: number; text: string }[] {
  const out: { pos: number; text: string }[] = [];
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    let text = "";
    node.forEach((child) => {
      text += child.isText ? child.text : "\n";
    });
    out.push({ pos: pos + 1, text });
    return false;
  });
  return out;
}

function decorate(doc: PMNode, blocks: { pos: number; text: string }[], report: SpellReport): DecorationSet {
  const decorations: Decoration[] = [];
  report.blocks.forEach((issues, i) => {
    const block = blocks[i];
    if (!block) return;
    for (const issue of issues) {
      decorations.push(
        Decoration.inline(
          block.pos + issue.from,
          block.pos + issue.to,
          {
            // A standard-spelling suggestion is a style note, not an error: drawn apart.
            class: issue.style ? "style-suggestion" : "misspelled",
            "data-testid": issue.style ? "style-suggestion" : "misspelled",
            "data-suggestions": JSON.stringify(issue.suggestions),
            "data-word": issue.word,
          },
          { word: issue.word, suggestions: issue.suggestions },
        ),
      );
    }
  });
  return DecorationSet.create(doc, decorations);
}

/** One underlined word: where it is, the word, and the checker's suggestions. */
export interface Misspelling {
  from: number;
  to: number;
  word: string;
  suggestions: string[];
}

/** Every underlined word of the state. */
export function misspellings(state: EditorState): Misspelling[] {
  const set = key.getState(state);
  if (!set) return [];
  return set
    .find()
    .filter((d) => typeof d.spec.word === "string")
    .map((d) => ({ from: d.from, to: d.to, word: d.spec.word as string, suggestions: (d.spec.suggestions as string[]) ?? [] }));
}

/** The underlined word at `pos`: one the position is inside, else one it ends (the caret
 * just after typing it), else one it starts. */
export function misspellingAt(state: EditorState, pos: number): Misspelling | null {
  const all = misspellings(state);
  return (
    all.find((m) => m.from < pos && pos < m.to) ?? all.find((m) => m.to === pos) ?? all.find((m) => m.from === pos) ?? null
  );
}

/** The keys that open the menu for the word at the caret: Alt+Enter or Ctrl+. (WebKit does
 * not always fire `contextmenu` from the keyboard), and Shift+F10 / the ContextMenu key. */
export function isSpellMenuKey(e: KeyboardEvent): boolean {
  if (e.key === "Enter") return e.altKey && !e.ctrlKey && !e.metaKey;
  if (e.key === ".") return (e.ctrlKey || e.metaKey) && !e.altKey;
  if (e.key === "F10") return e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey;
  return e.key === "ContextMenu";
}

/** Where a position is on screen (jsdom and hidden editors have no layout: the editor's box). */
function caretBox(view: EditorView, pos: number): { left: number; bottom: number } {
  try {
    return view.coordsAtPos(pos);
  } catch {
    return view.dom.getBoundingClientRect();
  }
}

/** Closes the open menu, if any. */
let closeOpenMenu: (() => void) | null = null;

/** Opens the menu for `spot` at `at`, focus on its first item. Arrow keys, Home and End move
 * between the items, Enter takes one, Escape (or Tab) closes it and puts the focus back in
 * the editor at the caret it had. */
function openMenu(
  view: EditorView,
  spot: Misspelling,
  at: { left: number; bottom: number },
  service: SpellService,
  text: MenuText,
  recheck: () => void,
): HTMLElement {
  closeOpenMenu?.();
  const caret = view.state.selection;
  const doc = view.state.doc;
  const box = document.createElement("div");
  box.className = "spell-menu";
  box.setAttribute("role", "menu");
  box.setAttribute("aria-label", spot.word);
  box.dataset.testid = "spell-menu";
  const outside = (e: MouseEvent) => {
    if (!box.contains(e.target as Node)) close(false);
  };
  let open = true;
  const close = (refocus: boolean) => {
    if (!open) return;
    open = false;
    closeOpenMenu = null;
    box.remove();
    document.removeEventListener("mousedown", outside);
    if (!refocus || view.isDestroyed) return;
    // Back at the same caret (the document is as it was when the menu opened).
    if (view.state.doc === doc && !view.state.selection.eq(caret)) view.dispatch(view.state.tr.setSelection(caret));
    view.focus();
  };
  closeOpenMenu = () => close(false);
  const buttons: HTMLButtonElement[] = [];
  const item = (label: string, run: () => void) => {
    const b = document.createElement("button");
    b.type = "button";
    b.setAttribute("role", "menuitem");
    b.tabIndex = -1;
    b.textContent = label;
    b.addEventListener("mousedown", (e) => e.preventDefault());
    b.addEventListener("click", () => {
      close(true);
      run();
    });
    box.append(b);
    buttons.push(b);
    return b;
  };
  if (spot.suggestions.length === 0) {
    const none = document.createElement("span");
    none.className = "muted";
    none.textContent = text.noSuggestions;
    box.append(none);
  }
  // A suggestion replaces the word, if it is still there as it was.
  const take = (s: string) => {
    const state = view.state;
    if (spot.to > state.doc.content.size || state.doc.textBetween(spot.from, spot.to) !== spot.word) return;
    const tr = state.tr.insertText(s, spot.from, spot.to);
    view.dispatch(tr.setSelection(TextSelection.create(tr.doc, spot.from + s.length)));
  };
  for (const s of spot.suggestions) item(s, () => take(s));
  // Added words lose their underline at once; the check after that confirms it.
  const accepted = () => {
    if (view.isDestroyed) return;
    const set = key.getState(view.state);
    if (set) {
      const gone = set.find().filter((d) => d.spec.word === spot.word);
      view.dispatch(view.state.tr.setMeta(key, set.remove(gone)).setMeta("addToHistory", false));
    }
    recheck();
  };
  const add = () => void service.addWord(spot.word).then(accepted);
  item(text.addToDictionary, add).dataset.testid = "spell-add";
  const shareWord = service.shareWord;
  if (shareWord && text.shareWithNewsroom) {
    const share = () => void shareWord(spot.word).then(accepted, (e: unknown) => service.fail?.(e));
    item(text.shareWithNewsroom, share).dataset.testid = "spell-share";
  }
  box.style.left = `${at.left + window.scrollX}px`;
  box.style.top = `${at.bottom + window.scrollY}px`;
  setTimeout(() => {
    if (open) document.addEventListener("mousedown", outside);
  });
  box.addEventListener("keydown", (e) => {
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const moves: Record<string, number> = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: buttons.length - 1 };
    if (e.key in moves) {
      e.preventDefault();
      const next = buttons[(moves[e.key] + buttons.length) % buttons.length];
      for (const b of buttons) b.tabIndex = b === next ? 0 : -1;
      next.focus();
    } else if (e.key === "Enter" && i >= 0) {
      e.preventDefault();
      buttons[i].click();
    } else if (e.key === "Escape" || e.key === "Tab") {
      e.preventDefault();
      e.stopPropagation();
      close(true);
    }
  });
  box.addEventListener("focusout", (e) => {
    if (!box.contains(e.relatedTarget as Node | null) && e.relatedTarget !== null) close(false);
  });
  document.body.append(box);
  buttons[0].tabIndex = 0;
  buttons[0].focus();
  return box;
}

/** The spelling plugin. */
export function spellingPlugin(service: SpellService, text: MenuText): Plugin<DecorationSet> {
  let timer: number | undefined;
  let recheck = () => {};
  const openAtCaret = (view: EditorView): boolean => {
    const head = view.state.selection.head;
    const spot = misspellingAt(view.state, head);
    if (!spot) return false;
    openMenu(view, spot, caretBox(view, head), service, text, recheck);
    return true;
  };
  return new Plugin<DecorationSet>({
    key,
    state: {
      init: () => DecorationSet.empty,
      apply(tr, old) {
        const fresh = tr.getMeta(key) as DecorationSet | undefined;
        if (fresh) return fresh;
        if (!tr.docChanged) return old;
        // Until the next check, an underline stays only on a word that is still as it was
        // (a corrected word loses its underline at once).
        const mapped = old.map(tr.mapping, tr.doc);
        const stale = mapped.find().filter((d) => tr.doc.textBetween(d.from, d.to) !== d.spec.word);
        return stale.length ? mapped.remove(stale) : mapped;
      },
    },
    view(view) {
      const check = () => {
        const doc = view.state.doc;
        const blocks = textblocks(doc);
        void service.check(blocks.map((b) => b.text)).then((report) => {
          // Apply only if the document did not change while the check ran.
          if (view.isDestroyed || view.state.doc !== doc) return;
          view.dispatch(view.state.tr.setMeta(key, decorate(doc, blocks, report)).setMeta("addToHistory", false));
        });
      };
      const schedule = () => {
        window.clearTimeout(timer);
        timer = window.setTimeout(check, CHECK_DELAY_MS);
      };
      schedule();
      recheck = check;
      const onContextMenu = (event: MouseEvent) => {
        const target = (event.target as HTMLElement).closest?.(".misspelled") as HTMLElement | null;
        if (target) {
          const pos = view.posAtDOM(target, 0);
          const spot = misspellings(view.state).find((m) => m.from <= pos && pos < m.to);
          if (!spot) return;
          event.preventDefault();
          openMenu(view, spot, target.getBoundingClientRect(), service, text, check);
          return;
        }
        // From the keyboard (Shift+F10, the menu key): the word at the caret.
        if (event.button === 2) return;
        if (openAtCaret(view)) event.preventDefault();
      };
      view.dom.addEventListener("contextmenu", onContextMenu);
      return {
        update(v: EditorView, prev: EditorState) {
          if (v.state.doc !== prev.doc) schedule();
        },
        destroy() {
          window.clearTimeout(timer);
          view.dom.removeEventListener("contextmenu", onContextMenu);
          closeOpenMenu?.();
        },
      };
    },
    props: {
      decorations: (state) => key.getState(state),
      handleKeyDown(view, event) {
        if (!isSpellMenuKey(event) || !openAtCaret(view)) return false;
        event.preventDefault();
        return true;
      },
    },
  });
}
