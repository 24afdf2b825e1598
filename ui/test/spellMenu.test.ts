// The spelling menu from the keyboard: it opens for the underlined word at the caret, its
// items are reached with the arrow keys, Enter takes one, Escape puts the focus back.
import { afterEach, describe, expect, it } from "vitest";
import { TextSelection } from "prosemirror-state";
import { createBodyEditor, type BodyEditor } from "../src/editor/editor";
import { isSpellMenuKey, misspellingAt, spellingPlugin, type SpellService } from "../src/editor/spelling";
import type { SpellReport } from "../src/ipc";

const WRONG = "নিরবাচন";
const RIGHT = "নির্বাচন";

/** A checker that flags WRONG wherever it is, unless it was added to the dictionary. */
function stubService(): SpellService & { added: string[]; shared: string[]; checks: number; style: boolean } {
  const service = {
    added: [] as string[],
    shared: [] as string[],
    checks: 0,
    style: false,
    async check(texts: string[]): Promise<SpellReport> {
      service.checks++;
      return {
        available: true,
        blocks: texts.map((text) => {
          const at = text.indexOf(WRONG);
          if (at < 0 || service.added.includes(WRONG)) return [];
          return [{ word: WRONG, from: at, to: at + WRONG.length, suggestions: [RIGHT, "নিবারণ"], style: service.style }];
        }),
      };
    },
    async addWord(word: string) {
      service.added.push(word);
    },
    async shareWord(word: string) {
      service.shared.push(word);
      service.added.push(word);
    },
  };
  return service;
}

const settle = (ms = 650) => new Promise((r) => setTimeout(r, ms));
const key = (target: EventTarget, key: string, extra: KeyboardEventInit = {}) =>
  target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...extra }));

let editor: BodyEditor | null = null;
afterEach(() => {
  editor?.destroy();
  editor = null;
  document.body.replaceChildren();
});

/** An editor holding "আজ WRONG হবে", checked, the caret at `caret` (an offset in the text). */
async function setUp(caret: number, options: { share?: boolean; style?: boolean } = {}) {
  const mount = document.createElement("div");
  document.body.append(mount);
  const service = stubService();
  service.style = options.style ?? false;
  const menuText = { addToDictionary: "add-word", noSuggestions: "none", ...(options.share ? { shareWithNewsroom: "share-word" } : {}) };
  editor = createBodyEditor(
    mount,
    { type: "doc", content: [{ type: "paragraph", attrs: { id: "p1" }, content: [{ type: "text", text: `আজ ${WRONG} হবে` }] }] },
    {
      onChange: () => {},
      label: "body",
      plugins: [spellingPlugin(options.share ? service : { check: service.check, addWord: service.addWord }, menuText)],
    },
  );
  await settle();
  const view = editor.view;
  view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, 1 + caret)));
  view.focus();
  return { view, service };
}

const menu = () => document.querySelector<HTMLElement>('[data-testid="spell-menu"]');
const text = () => editor!.view.state.doc.textContent;

describe("spelling menu keys", () => {
  it("knows its keys and leaves plain typing alone", () => {
    expect(isSpellMenuKey(new KeyboardEvent("keydown", { key: "Enter", altKey: true }))).toBe(true);
    expect(isSpellMenuKey(new KeyboardEvent("keydown", { key: ".", ctrlKey: true }))).toBe(true);
    expect(isSpellMenuKey(new KeyboardEvent("keydown", { key: "F10", shiftKey: true }))).toBe(true);
    expect(isSpellMenuKey(new KeyboardEvent("keydown", { key: "ContextMenu" }))).toBe(true);
    expect(isSpellMenuKey(new KeyboardEvent("keydown", { key: "Enter" }))).toBe(false);
    expect(isSpellMenuKey(new KeyboardEvent("keydown", { key: "." }))).toBe(false);
    expect(isSpellMenuKey(new KeyboardEvent("keydown", { key: "F10" }))).toBe(false);
  });
});

describe("spelling menu from the keyboard", () => {
  it("finds the underlined word at the caret, inside it or at either end, and nothing elsewhere", async () => {
    const { view } = await setUp(0);
    const start = 1 + "আজ ".length;
    expect(misspellingAt(view.state, start + 2)?.word).toBe(WRONG);
    expect(misspellingAt(view.state, start + WRONG.length)?.from).toBe(start);
    expect(misspellingAt(view.state, start)?.to).toBe(start + WRONG.length);
    expect(misspellingAt(view.state, 1)).toBeNull();
  });

  it("Alt+Enter away from a misspelled word opens nothing and is left to the editor", async () => {
    const { view } = await setUp(1);
    const handled = !key(view.dom, "Enter", { altKey: true });
    expect(handled).toBe(false);
    expect(menu()).toBeNull();
  });

  it("Alt+Enter opens the menu for the word at the caret; arrows move; Enter takes a suggestion", async () => {
    const { view } = await setUp("আজ নির".length);
    expect(key(view.dom, "Enter", { altKey: true })).toBe(false); // handled: default prevented
    const box = menu()!;
    expect(box).not.toBeNull();
    const items = [...box.querySelectorAll<HTMLButtonElement>("button")];
    expect(items.map((b) => b.textContent)).toEqual([RIGHT, "নিবারণ", "add-word"]);
    expect(items[2].dataset.testid).toBe("spell-add");
    expect(document.activeElement).toBe(items[0]);
    key(document.activeElement!, "ArrowDown");
    expect(document.activeElement).toBe(items[1]);
    key(document.activeElement!, "ArrowUp");
    key(document.activeElement!, "ArrowUp");
    expect(document.activeElement).toBe(items[2]); // wraps round to "add to dictionary"
    key(document.activeElement!, "ArrowDown");
    expect(document.activeElement).toBe(items[0]);
    key(document.activeElement!, "Enter");
    expect(text()).toBe(`আজ ${RIGHT} হবে`);
    expect(menu()).toBeNull();
    expect(document.activeElement).toBe(view.dom);
    expect(view.state.selection.head).toBe(1 + `আজ ${RIGHT}`.length);
    expect(view.dom.querySelectorAll(".misspelled")).toHaveLength(0);
  });

  it("a keyboard contextmenu (Shift+F10, the menu key) on the editor opens it for the caret's word", async () => {
    const { view } = await setUp(`আজ ${WRONG}`.length);
    view.dom.dispatchEvent(new MouseEvent("contextmenu", { bubbles: true, cancelable: true, button: 0 }));
    expect(menu()?.getAttribute("aria-label")).toBe(WRONG);
  });

  it("Ctrl+. then \"add to dictionary\" adds the word and removes its underline", async () => {
    const { view, service } = await setUp("আজ নি".length);
    expect(view.dom.querySelectorAll(".misspelled")).toHaveLength(1);
    key(view.dom, ".", { ctrlKey: true });
    key(document.activeElement!, "End");
    expect(document.activeElement?.getAttribute("data-testid")).toBe("spell-add");
    key(document.activeElement!, "Enter");
    await settle(20);
    expect(service.added).toEqual([WRONG]);
    expect(view.dom.querySelectorAll(".misspelled")).toHaveLength(0);
    expect(text()).toBe(`আজ ${WRONG} হবে`);
  });

  it("Escape closes the menu and returns the focus to the editor at the same caret", async () => {
    const { view } = await setUp("আজ নির".length);
    const caret = view.state.selection.head;
    key(view.dom, "Enter", { altKey: true });
    key(document.activeElement!, "ArrowDown");
    expect(menu()!.contains(document.activeElement)).toBe(true);
    key(document.activeElement!, "Escape");
    expect(menu()).toBeNull();
    expect(document.activeElement).toBe(view.dom);
    expect(view.state.selection.head).toBe(caret);
    expect(text()).toBe(`আজ ${WRONG} হবে`);
  });

  it("an editor shares the word with the newsroom from the menu; a reporter has no such item", async () => {
    const { view, service } = await setUp("আজ নি".length, { share: true });
    key(view.dom, ".", { ctrlKey: true });
    key(document.activeElement!, "End");
    expect(document.activeElement?.getAttribute("data-testid")).toBe("spell-share");
    key(document.activeElement!, "Enter");
    await settle(20);
    expect(service.shared).toEqual([WRONG]);
    expect(view.dom.querySelectorAll(".misspelled")).toHaveLength(0);
    editor?.destroy();
    document.body.replaceChildren();
    const reporter = await setUp("আজ নি".length);
    key(reporter.view.dom, ".", { ctrlKey: true });
    expect(menu()?.querySelector('[data-testid="spell-share"]')).toBeNull();
  });

  it("a standard-spelling suggestion is drawn as a style note, not a misspelling", async () => {
    const { view } = await setUp(0, { style: true });
    expect(view.dom.querySelectorAll(".misspelled")).toHaveLength(0);
    const note = view.dom.querySelectorAll(".style-suggestion");
    expect(note).toHaveLength(1);
    expect(note[0].getAttribute("data-testid")).toBe("style-suggestion");
  });
});
