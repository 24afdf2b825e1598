// Spelling in the body editor: misspelled Bengali words are underlined (checked by the Rust
// side against the system word list, a moment after typing stops); a right-click on one
// offers its suggestions and "add to dictionary".
import { Plugin, PluginKey, type EditorState } from "prosemirror-state";
import { Decoration, DecorationSet, type EditorView } from "prosemirror-view";
import type { Node as PMNode } from "prosemirror-model";
import type { SpellReport } from "../ipc";

export interface SpellService {
  check(texts: string[]): Promise<SpellReport>;
  addWord(word: string): Promise<void>;
}

export interface MenuText {
  addToDictionary: string;
  noSuggestions: string;
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
            class: "misspelled",
            "data-testid": "misspelled",
            "data-suggestions": JSON.stringify(issue.suggestions),
            "data-word": issue.word,
          },
          { word: issue.word },
        ),
      );
    }
  });
  return DecorationSet.create(doc, decorations);
}

function menu(
  view: EditorView,
  target: HTMLElement,
  service: SpellService,
  text: MenuText,
  recheck: () => void,
): HTMLElement {
  const suggestions: string[] = JSON.parse(target.dataset.suggestions ?? "[]");
  const word = target.dataset.word ?? "";
  const from = view.posAtDOM(target, 0);
  const to = from + (target.textContent ?? "").length;
  const box = document.createElement("div");
  box.className = "spell-menu";
  box.setAttribute("role", "menu");
  box.dataset.testid = "spell-menu";
  const outside = (e: MouseEvent) => {
    if (!box.contains(e.target as Node)) close();
  };
  const close = () => {
    box.remove();
    document.removeEventListener("mousedown", outside);
  };
  const item = (label: string, run: () => void) => {
    const b = document.createElement("button");
    b.type = "button";
    b.setAttribute("role", "menuitem");
    b.textContent = label;
    b.addEventListener("mousedown", (e) => e.preventDefault());
    b.addEventListener("click", () => {
      run();
      close();
      view.focus();
    });
    box.append(b);
    return b;
  };
  if (suggestions.length === 0) {
    const none = document.createElement("span");
    none.textContent = text.noSuggestions;
    box.append(none);
  }
  for (const s of suggestions) item(s, () => view.dispatch(view.state.tr.insertText(s, from, to)));
  item(text.addToDictionary, () => void service.addWord(word).then(recheck)).dataset.testid = "spell-add";
  const rect = target.getBoundingClientRect();
  box.style.left = `${rect.left + window.scrollX}px`;
  box.style.top = `${rect.bottom + window.scrollY}px`;
  setTimeout(() => document.addEventListener("mousedown", outside));
  box.addEventListener("keydown", (e) => {
    if (e.key === "Escape") close();
  });
  return box;
}

/** The spelling plugin. */
export function spellingPlugin(service: SpellService, text: MenuText): Plugin<DecorationSet> {
  let timer: number | undefined;
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
      const onContextMenu = (event: MouseEvent) => {
        const target = (event.target as HTMLElement).closest?.(".misspelled") as HTMLElement | null;
        if (!target) return;
        event.preventDefault();
        document.querySelector(".spell-menu")?.remove();
        const box = menu(view, target, service, text, check);
        document.body.append(box);
        box.querySelector("button")?.focus();
      };
      view.dom.addEventListener("contextmenu", onContextMenu);
      return {
        update(v: EditorView, prev: EditorState) {
          if (v.state.doc !== prev.doc) schedule();
        },
        destroy() {
          window.clearTimeout(timer);
          view.dom.removeEventListener("contextmenu", onContextMenu);
        },
      };
    },
    props: {
      decorations: (state) => key.getState(state),
    },
  });
}
