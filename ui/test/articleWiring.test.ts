// The article screen's shared pieces: the paste notice (kinds, Undo where the paste
// happened, never the body for a field paste) and the candidate bar (a click picks the
// candidate in the composer that owns the word, body or field), and image captions typed
// phonetically like the fields.
import { describe, expect, it } from "vitest";
import { EditorView } from "prosemirror-view";
import { createState, docToWire } from "../src/editor/editor";
import { attachPhonetic, phoneticPlugin } from "../src/editor/phoneticAdapters";
import type { Composer, PhoneticEngine } from "../src/editor/phonetic";
import { cleanPastes, setUpTextInput } from "../src/features/article/fields";
import { imageView } from "../src/editor/image";
import { showPasteNotice } from "../src/features/article/pasteNotice";
import { candidateBar } from "../src/features/article/candidates";
import { setLang } from "../src/i18n/messages";
import type { PasteReport } from "../src/editor/paste";

function pasteInto(input: HTMLInputElement, text: string): void {
  const event = new Event("paste", { cancelable: true });
  Object.defineProperty(event, "clipboardData", { value: { getData: () => text } });
  input.dispatchEvent(event);
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("paste notice", () => {
  it("the Bijoy Undo of a headline paste restores the headline and leaves the body alone", async () => {
    setLang("en");
    const body = new EditorView(document.createElement("div"), {
      state: createState({ type: "doc", content: [{ type: "paragraph", attrs: { id: "p1" }, content: [{ type: "text", text: "দেহ" }] }] }),
    });
    // The body's last step, which the old Undo would have undone.
    body.dispatch(body.state.tr.insertText(" আরও", 4));
    const bodyBefore = docToWire(body.state.doc);
    const headline = document.createElement("input");
    document.body.append(headline);
    headline.value = "ঢাকায় বৃষ্টি";
    headline.setSelectionRange(6, 6);
    const notice = document.createElement("div");
    cleanPastes(headline, (r) => showPasteNotice(notice, r), async () => ({ text: " আজ", bijoy_converted: true }));
    pasteInto(headline, " AvR");
    await tick();
    expect(headline.value).toBe("ঢাকায় আজ বৃষ্টি");
    expect(notice.hidden).toBe(false);
    expect(notice.dataset.kind).toBe("bijoy");
    notice.querySelector<HTMLButtonElement>('[data-testid="paste-undo"]')!.click();
    expect(headline.value).toBe("ঢাকায় বৃষ্টি");
    expect(headline.selectionStart).toBe(6);
    expect(docToWire(body.state.doc)).toEqual(bodyBefore);
    expect(notice.hidden).toBe(true);
    headline.remove();
  });

  it("a field paste loses its control characters and says how many", async () => {
    setLang("en");
    const input = document.createElement("input");
    const reports: PasteReport[] = [];
    cleanPastes(input, (r) => reports.push(r), async (text) => ({ text, bijoy_converted: false }));
    pasteInto(input, "এক\u202Eদুই\u0000\nতিন");
    await tick();
    expect(input.value).toBe("একদুই তিন");
    expect(reports[0].controls).toBe(2);
    const notice = document.createElement("div");
    showPasteNotice(notice, reports[0]);
    expect(notice.dataset.kind).toBe("controls");
    expect(notice.textContent).toContain("2 control characters removed");
    expect(notice.querySelector('[data-testid="paste-undo"]')).toBeNull();
  });

  it("a refused paste says how many blocks it had and the limit, in grouped Bengali digits", () => {
    setLang("bn");
    const notice = document.createElement("div");
    showPasteNotice(notice, {
      bijoy: false, controls: 3, remoteImages: 0,
      refused: { kind: "too-many-blocks", pasted: 6000, total: 6001, limit: 5000 },
    });
    expect(notice.dataset.kind).toBe("too-many-blocks controls");
    expect(notice.querySelector('[data-kind="too-many-blocks"]')!.textContent).toContain("৬,০০০");
    expect(notice.querySelector('[data-kind="too-many-blocks"]')!.textContent).toContain("৫,০০০");
    expect(notice.querySelector('[data-kind="controls"]')!.textContent).toContain("৩ টি অদৃশ্য/নিয়ন্ত্রণ অক্ষর");
  });
});

const TABLE: Record<string, string> = { a: "আ", am: "আম", ami: "আমি" };
const engine: PhoneticEngine = {
  preview: async (roman) => TABLE[roman] ?? roman,
  suggestions: async (roman) => (roman === "ami" ? ["আমী"] : []),
};

function key(target: EventTarget, k: string): void {
  target.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true }));
}

describe("candidate bar", () => {
  it("a click picks the candidate for a word in a field, not in the body", async () => {
    const bar = candidateBar();
    const bodyPhonetic = phoneticPlugin(engine, bar.listenerFor(() => bodyPhonetic.composer()));
    const body = new EditorView(document.createElement("div"), {
      state: createState({ type: "doc", content: [] }, [bodyPhonetic.plugin]),
    });
    const input = document.createElement("input");
    document.body.append(input);
    let composer: Composer | null = null;
    composer = attachPhonetic(input, engine, bar.listenerFor(() => composer));
    for (const k of ["a", "m", "i"]) key(input, k);
    await composer.settled();
    await new Promise((resolve) => setTimeout(resolve, 250)); // candidates come on a pause
    const buttons = bar.element.querySelectorAll("button");
    expect([...buttons].map((b) => b.textContent)).toEqual(["আমি", "আমী"]);
    buttons[1].click();
    expect(input.value).toBe("আমী");
    expect(body.state.doc.textContent).toBe("");
    expect(composer.composing).toBe(false);
    input.remove();
    body.destroy();
  });
});

describe("image captions", () => {
  it("type phonetically, with candidates in the same bar", async () => {
    const bar = candidateBar();
    let captionComposer: Composer | null = null;
    const images = { add: async () => "", dataUrl: async () => "", maxEdge: async () => 2048 };
    const view = new EditorView(document.createElement("div"), {
      state: createState({
        type: "doc",
        content: [{ type: "image", attrs: { id: "i1", src: "media:x.png", alt: "", caption: "" } }],
      }),
      nodeViews: {
        image: imageView(images, { caption: "caption", tooLarge: () => "" }, (input) => {
          captionComposer = setUpTextInput(input, bar, () => {}, engine);
        }),
      },
    });
    const caption = view.dom.querySelector<HTMLInputElement>('[data-testid="image-caption"]')!;
    for (const k of ["a", "m", "i"]) key(caption, k);
    await captionComposer!.settled();
    expect(view.state.doc.child(0).attrs.caption).toBe("আমি");
    await new Promise((resolve) => setTimeout(resolve, 250));
    bar.element.querySelectorAll("button")[1].click();
    expect(view.state.doc.child(0).attrs).toMatchObject({ id: "i1", caption: "আমী" });
    view.destroy();
  });
});
