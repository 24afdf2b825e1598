// Block-type commands, their shortcuts, the Markdown-style input rules (with phonetic typing
// off and on) and the toolbar: every transform keeps the block's id on its top-level block,
// with no duplicates.
import { afterEach, describe, expect, it } from "vitest";
import { EditorView } from "prosemirror-view";
import { TextSelection, type Command, type Plugin } from "prosemirror-state";
import { createState, docToWire } from "../src/editor/editor";
import { toggleBulletList, toggleOrderedList, toggleQuote, toHeading, toParagraph } from "../src/editor/blocks";
import { blockToolbar, TOOLS } from "../src/editor/blockToolbar";
import { phoneticPlugin } from "../src/editor/phoneticAdapters";
import { setPhonetic, type PhoneticEngine } from "../src/editor/phonetic";
import type { Document } from "../src/ipc";

const body = (text = "আজকের খবর"): Document => ({
  type: "doc",
  content: [
    { type: "paragraph", attrs: { id: "p1" }, content: [{ type: "text", text }] },
    { type: "paragraph", attrs: { id: "p2" }, content: [{ type: "text", text: "পরের অনুচ্ছেদ" }] },
  ],
});

function viewOf(doc: Document, plugins: Plugin[] = []): EditorView {
  const view = new EditorView(document.createElement("div"), { state: createState(doc, plugins) });
  view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, 1)));
  return view;
}

function run(view: EditorView, command: Command): boolean {
  return command(view.state, view.dispatch, view);
}

/** Every block id in the wire document, top-level and nested. */
function allIds(view: EditorView): string[] {
  const out: string[] = [];
  view.state.doc.descendants((n) => {
    if (n.attrs.id) out.push(n.attrs.id as string);
  });
  return out;
}

const first = (view: EditorView) => docToWire(view.state.doc).content[0];

describe("block commands keep the block's id", () => {
  it("heading levels and back to a paragraph", () => {
    const view = viewOf(body());
    expect(run(view, toHeading(3))).toBe(true);
    expect(first(view)).toMatchObject({ type: "heading", attrs: { id: "p1", level: 3 } });
    run(view, toHeading(3));
    expect(first(view)).toMatchObject({ type: "paragraph", attrs: { id: "p1" } });
    run(view, toHeading(2));
    run(view, toParagraph);
    expect(first(view)).toMatchObject({ type: "paragraph", attrs: { id: "p1" } });
  });

  it("quote on and off, also from a heading", () => {
    const view = viewOf(body());
    run(view, toHeading(2));
    expect(run(view, toggleQuote)).toBe(true);
    expect(first(view)).toMatchObject({ type: "blockquote", attrs: { id: "p1" } });
    expect(first(view).content![0].type).toBe("paragraph");
    expect(allIds(view)).toEqual(["p1", "p2"]);
    run(view, toggleQuote);
    expect(first(view)).toMatchObject({ type: "paragraph", attrs: { id: "p1" } });
    expect(allIds(view)).toEqual(["p1", "p2"]);
  });

  it("lists on, switched between kinds, and off", () => {
    const view = viewOf(body());
    expect(run(view, toggleBulletList)).toBe(true);
    expect(first(view)).toMatchObject({ type: "bullet_list", attrs: { id: "p1" } });
    expect(allIds(view)).toEqual(["p1", "p2"]);
    run(view, toggleOrderedList);
    expect(first(view)).toMatchObject({ type: "ordered_list", attrs: { id: "p1" } });
    run(view, toggleOrderedList);
    expect(first(view)).toMatchObject({ type: "paragraph", attrs: { id: "p1" } });
    expect(first(view).content![0].text).toBe("আজকের খবর");
    expect(allIds(view)).toEqual(["p1", "p2"]);
  });

  it("a list of two paragraphs keeps the first id and gives none twice", () => {
    const view = viewOf(body());
    view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, 1, view.state.doc.content.size - 1)));
    run(view, toggleBulletList);
    const wire = docToWire(view.state.doc).content;
    expect(wire).toHaveLength(1);
    expect(wire[0].attrs!.id).toBe("p1");
    expect(new Set(allIds(view)).size).toBe(allIds(view).length);
  });
});

function key(view: EditorView, init: KeyboardEventInit): void {
  view.dom.dispatchEvent(new KeyboardEvent("keydown", { bubbles: true, cancelable: true, ...init }));
}

/** Typed text as the browser delivers it: through handleTextInput, else inserted. */
function typeText(view: EditorView, text: string): void {
  for (const ch of text) {
    const { from, to } = view.state.selection;
    const deflt = () => view.state.tr.insertText(ch, from, to);
    if (!view.someProp("handleTextInput", (f) => f(view, from, to, ch, deflt))) view.dispatch(deflt());
  }
}

describe("shortcuts", () => {
  afterEach(() => setPhonetic(true));
  it("Ctrl+Alt+2 makes a subheading, Ctrl+Alt+0 a paragraph, Ctrl+Shift+8/7/9 lists and quotes", () => {
    setPhonetic(false);
    const view = viewOf(body());
    key(view, { key: "2", code: "Digit2", keyCode: 50, ctrlKey: true, altKey: true });
    expect(first(view)).toMatchObject({ type: "heading", attrs: { level: 2, id: "p1" } });
    key(view, { key: "0", code: "Digit0", keyCode: 48, ctrlKey: true, altKey: true });
    expect(first(view).type).toBe("paragraph");
    key(view, { key: "*", code: "Digit8", keyCode: 56, ctrlKey: true, shiftKey: true });
    expect(first(view).type).toBe("bullet_list");
    key(view, { key: "&", code: "Digit7", keyCode: 55, ctrlKey: true, shiftKey: true });
    expect(first(view).type).toBe("ordered_list");
    key(view, { key: "&", code: "Digit7", keyCode: 55, ctrlKey: true, shiftKey: true });
    key(view, { key: "(", code: "Digit9", keyCode: 57, ctrlKey: true, shiftKey: true });
    expect(first(view)).toMatchObject({ type: "blockquote", attrs: { id: "p1" } });
  });
});

describe("input rules", () => {
  afterEach(() => setPhonetic(true));
  const cases: [string, string, Record<string, unknown>][] = [
    ["# ", "heading", { level: 2 }],
    ["## ", "heading", { level: 3 }],
    ["### ", "heading", { level: 4 }],
    ["> ", "blockquote", {}],
    ["- ", "bullet_list", {}],
    ["* ", "bullet_list", {}],
    ["1. ", "ordered_list", {}],
  ];

  it("turn a new paragraph into a heading, quote or list (phonetic off), keeping its id", () => {
    setPhonetic(false);
    for (const [typed, type, attrs] of cases) {
      const view = viewOf({ type: "doc", content: [{ type: "paragraph", attrs: { id: "p1" } }] });
      typeText(view, typed);
      expect(first(view), typed).toMatchObject({ type, attrs: { id: "p1", ...attrs } });
      expect(view.state.doc.textContent, typed).toBe("");
      view.destroy();
    }
  });

  it("Backspace right after a rule gives the typed text back", () => {
    setPhonetic(false);
    const view = viewOf({ type: "doc", content: [{ type: "paragraph", attrs: { id: "p1" } }] });
    typeText(view, "# ");
    key(view, { key: "Backspace", keyCode: 8 });
    expect(first(view).type).toBe("paragraph");
    expect(view.state.doc.textContent).toBe("# ");
  });

  it("work with phonetic typing on (the engine shows ১। for 1.)", async () => {
    const avro: Record<string, string> = { "#": "#", "##": "##", "###": "###", ">": ">", "-": "-", "*": "*", "1": "১", "1.": "১।" };
    const engine: PhoneticEngine = { preview: async (r) => avro[r] ?? r, suggestions: async () => [] };
    setPhonetic(true);
    for (const [typed, type, attrs] of cases) {
      const phonetic = phoneticPlugin(engine);
      const view = viewOf({ type: "doc", content: [{ type: "paragraph", attrs: { id: "p1" } }] }, [phonetic.plugin]);
      for (const ch of typed.trimEnd()) key(view, { key: ch });
      await phonetic.composer()!.settled();
      key(view, { key: " " }); // ends the word; the space itself is typed by the browser
      typeText(view, " ");
      expect(first(view), typed).toMatchObject({ type, attrs: { id: "p1", ...attrs } });
      view.destroy();
    }
  });

  it("leave text alone in the middle of a paragraph", () => {
    setPhonetic(false);
    const view = viewOf(body("দাম"));
    view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, 4)));
    typeText(view, " # ");
    expect(first(view).type).toBe("paragraph");
    expect(view.state.doc.child(0).textContent).toBe("দাম # ");
  });
});

describe("toolbar", () => {
  const labels = Object.fromEntries(TOOLS.map((t) => [t.id, { short: t.id, name: `name of ${t.id}` }]));

  it("buttons change the block, show it pressed, undo and redo", () => {
    const bar = blockToolbar(labels, "Block type");
    document.body.append(bar.element);
    const view = viewOf(body(), [bar.plugin]);
    const button = (id: string) => bar.element.querySelector<HTMLButtonElement>(`[data-testid="${id}"]`)!;
    expect(bar.element.getAttribute("role")).toBe("toolbar");
    expect(button("block-h2").getAttribute("aria-label")).toBe("name of block-h2");
    button("block-h3").click();
    expect(first(view)).toMatchObject({ type: "heading", attrs: { level: 3, id: "p1" } });
    expect(button("block-h3").getAttribute("aria-pressed")).toBe("true");
    expect(button("block-p").getAttribute("aria-pressed")).toBe("false");
    button("block-quote").click();
    expect(first(view)).toMatchObject({ type: "blockquote", attrs: { id: "p1" } });
    button("edit-undo").click();
    expect(first(view).type).toBe("heading");
    button("edit-redo").click();
    expect(first(view).type).toBe("blockquote");
    view.destroy();
    bar.element.remove();
  });

  it("is one Tab stop; arrow keys move along it", () => {
    const bar = blockToolbar(labels, "Block type");
    document.body.append(bar.element);
    const buttons = [...bar.element.querySelectorAll("button")];
    expect(buttons.filter((b) => b.tabIndex === 0)).toHaveLength(1);
    buttons[0].focus();
    buttons[0].dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
    expect(document.activeElement).toBe(buttons[1]);
    buttons[1].dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowLeft", bubbles: true }));
    buttons[0].dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowLeft", bubbles: true }));
    expect(document.activeElement).toBe(buttons[buttons.length - 1]);
    bar.element.remove();
  });
});
