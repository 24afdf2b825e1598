// Pastes that used to break the article: over-limit pastes (refused, document unchanged),
// control and bidi-override characters (removed and counted), unsafe links and web images
// (dropped), Word and web HTML (only schema nodes survive), and copies pasted next to their
// original (the original keeps its block id).
import { describe, expect, it } from "vitest";
import { DOMParser as PMDOMParser, type Node as PMNode } from "prosemirror-model";
import { TextSelection } from "prosemirror-state";
import { createBodyEditor, docToWire, type BodyEditor } from "../src/editor/editor";
import { pasteHandler, type PasteReport } from "../src/editor/paste";
import { sanitizeSlice, stripControls } from "../src/editor/sanitize";
import { MAX_BLOCKS, MAX_TEXT_BYTES, textBytes } from "../src/editor/limits";
import { schema } from "../src/editor/schema";
import type { Document, PastedText } from "../src/ipc";

const identity = async (texts: string[]): Promise<PastedText[]> => texts.map((text) => ({ text, bijoy_converted: false }));
const pasteEvent = () => new Event("paste") as ClipboardEvent;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function editorWith(body: Document, reports: PasteReport[] = [], clean = identity): BodyEditor {
  return createBodyEditor(document.createElement("div"), body, {
    onChange: () => {},
    label: "body",
    handlePaste: pasteHandler(clean, (r) => reports.push(r)),
  });
}

const para = (id: string, text: string) => ({ type: "paragraph", attrs: { id }, content: [{ type: "text", text }] });
const ids = (doc: PMNode) => docToWire(doc).content.map((b) => b.attrs!.id as string);

function parseHtml(html: string) {
  const div = document.createElement("div");
  div.innerHTML = html;
  return PMDOMParser.fromSchema(schema).parseSlice(div);
}

describe("paste limits", () => {
  it("refuses a paste that would go over the block limit and leaves the document as it was", async () => {
    const reports: PasteReport[] = [];
    let cleaned = 0;
    const editor = editorWith({ type: "doc", content: [para("p1", "আগের লেখা")] }, reports, async (t) => {
      cleaned++;
      return identity(t);
    });
    const before = editor.view.state.doc;
    const lines = Array.from({ length: MAX_BLOCKS + 1 }, (_, i) => `লাইন ${i}`).join("\n");
    editor.view.pasteText(lines, pasteEvent());
    await settle();
    expect(editor.view.state.doc).toBe(before);
    expect(cleaned).toBe(0);
    expect(reports).toHaveLength(1);
    expect(reports[0].refused).toMatchObject({ kind: "too-many-blocks", pasted: MAX_BLOCKS + 1, limit: MAX_BLOCKS });
    editor.destroy();
  });

  it("refuses a paste over the text-size limit", async () => {
    const reports: PasteReport[] = [];
    const editor = editorWith({ type: "doc", content: [] }, reports);
    editor.view.pasteText("ক".repeat(MAX_TEXT_BYTES / 3 + 10), pasteEvent());
    await settle();
    expect(editor.getDoc().content).toEqual([]);
    expect(reports[0].refused?.kind).toBe("too-much-text");
  });

  it("takes a 50,000-word plain-text paste as paragraphs", async () => {
    const reports: PasteReport[] = [];
    const editor = editorWith({ type: "doc", content: [] }, reports);
    const line = Array.from({ length: 50 }, () => "বাংলাদেশ").join(" ");
    editor.view.pasteText(Array.from({ length: 1000 }, () => line).join("\n"), pasteEvent());
    await settle();
    const doc = editor.view.state.doc;
    expect(doc.childCount).toBe(1000);
    expect(doc.textContent.split("বাংলাদেশ").length - 1).toBe(50_000);
    expect(textBytes(doc)).toBeLessThan(MAX_TEXT_BYTES);
    expect(new Set(ids(doc)).size).toBe(1000);
    expect(reports).toEqual([]);
  });
});

describe("control characters", () => {
  it("are removed and counted; tabs and line breaks become spaces", () => {
    const s = stripControls("এক\u0000দুই\tতিন\u202Eচার\uFFFD\uFFFDপাঁচ\u0085ছয়\u2066\u007F\nসাত");
    expect(s.text).toBe("একদুই তিনচারপাঁচছয় সাত");
    expect(s.removed).toBe(7);
  });

  it("keep ZWJ and ZWNJ, which Bengali needs", () => {
    expect(stripControls("র\u200D্য\u200C").text).toBe("র\u200D্য\u200C");
  });

  it("are stripped from a real paste and reported, with an undo for the body", async () => {
    const reports: PasteReport[] = [];
    const editor = editorWith({ type: "doc", content: [{ type: "paragraph", attrs: { id: "p1" } }] }, reports);
    editor.view.pasteHTML("<p>ঢাকা\u202E\u0007 শহর</p><p>\uFFFD\uFFFDনদী</p>", pasteEvent());
    await settle();
    expect(editor.getText()).toBe("ঢাকা শহর\n\nনদী");
    expect(reports[0].controls).toBe(4);
    reports[0].undo!();
    expect(editor.getText()).toBe("");
  });
});

describe("sanitizing HTML", () => {
  const allowedNodes = new Set(Object.keys(schema.nodes));
  const allowedMarks = new Set(Object.keys(schema.marks));
  function onlySchema(node: { type: string; marks?: { type: string }[]; content?: unknown[] }): void {
    expect(allowedNodes.has(node.type)).toBe(true);
    for (const m of node.marks ?? []) expect(allowedMarks.has(m.type)).toBe(true);
    for (const c of (node.content ?? []) as (typeof node)[]) onlySchema(c);
  }

  it("reduces Word HTML to paragraphs and marks", () => {
    const word = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{mso-style-parent:"";}</style>
      <!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]--></head><body lang=EN-US>
      <p class=MsoNormal style='mso-margin-top-alt:auto;mso-bidi-font-family:Vrinda'><span lang=BN style='font-family:"Nirmala UI";mso-bidi-language:BN'>সিলেটে বন্যা</span><o:p></o:p></p>
      <p class=MsoNormal><b style='mso-bidi-font-weight:normal'><span lang=BN>জরুরি</span></b> <span lang=BN>খবর</span><o:p>&nbsp;</o:p></p>
      <!--[if !supportLists]--><![endif]--></body></html>`;
    const { slice } = sanitizeSlice(parseHtml(word));
    for (const n of slice.content.toJSON() as []) onlySchema(n);
    const json = JSON.stringify(slice.content.toJSON());
    expect(json).not.toMatch(/mso|Nirmala|WordDocument|MsoNormal/);
    expect(slice.content.childCount).toBe(2);
    expect(slice.content.child(0).textContent).toBe("সিলেটে বন্যা");
    expect(slice.content.child(1).textContent.trim()).toBe("জরুরি খবর");
    expect(json).toContain('"strong"');
  });

  it("drops scripts, handlers, iframes, unsafe links and web images, keeping text and captions", () => {
    const web = `<script>steal()</script><style>body{}</style>
      <p onclick="steal()" style="color:red">দেখুন <a href="javascript:steal()">এখানে</a>, <a href=" data:text/html,x">ওখানে</a>,
      <a href="vbscript:x">সেখানে</a> আর <a href="https://example.com/a">সূত্র</a>, <a href="mailto:desk@example.com">ডেস্ক</a></p>
      <iframe src="https://evil.example"></iframe>
      <figure><img src="https://cdn.example/photo.jpg" onerror="steal()"><figcaption>বন্যার ছবি</figcaption></figure>
      <figure><img src="media:abc.png"><figcaption>নিজের ছবি</figcaption></figure>
      <b style="font-weight:normal">সাধারণ</b>`;
    const result = sanitizeSlice(parseHtml(web));
    const json = JSON.stringify(result.slice.content.toJSON());
    for (const n of result.slice.content.toJSON() as []) onlySchema(n);
    expect(json).not.toMatch(/steal|javascript|vbscript|data:|iframe|evil|cdn\.example|color/);
    const hrefs = [...json.matchAll(/"href":"([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual(["https://example.com/a", "mailto:desk@example.com"]);
    const text = result.slice.content.textBetween(0, result.slice.content.size, "|");
    for (const word of ["এখানে", "ওখানে", "সেখানে", "সূত্র", "বন্যার ছবি", "সাধারণ"]) expect(text).toContain(word);
    expect(result.remoteImages).toBe(1);
    const images = (result.slice.content.toJSON() as { type: string; attrs?: { src: string } }[]).filter((n) => n.type === "image");
    expect(images.map((i) => i.attrs!.src)).toEqual(["media:abc.png"]);
    expect(json).not.toContain('"strong"');
  });
});

describe("block ids through copy and paste", () => {
  it("a copy pasted above its original gets a new id; the original keeps its own", async () => {
    const editor = editorWith({
      type: "doc",
      content: [{ type: "paragraph", attrs: { id: "p0" } }, para("p1", "মূল অনুচ্ছেদ"), para("p2", "শেষ")],
    });
    const view = editor.view;
    view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, 1)));
    // What ProseMirror puts on the clipboard for a copied paragraph.
    view.pasteHTML('<p data-pm-slice="0 0 []" data-block-id="p1">মূল অনুচ্ছেদ</p>', pasteEvent());
    await settle();
    const wire = docToWire(view.state.doc).content;
    const texts = wire.map((b) => b.content?.[0]?.text ?? "");
    const original = wire[texts.lastIndexOf("মূল অনুচ্ছেদ")];
    const copy = wire[texts.indexOf("মূল অনুচ্ছেদ")];
    expect(copy).not.toBe(original);
    expect(original.attrs!.id).toBe("p1");
    expect(copy.attrs!.id).not.toBe("p1");
    expect(copy.attrs!.id).toMatch(/^b[0-9a-f]{12}$|^p0$/);
    expect(new Set(ids(view.state.doc)).size).toBe(wire.length);
    expect(ids(view.state.doc)).toContain("p2");
  });

  it("a cut-and-paste keeps the block's id (no copy of it is left)", async () => {
    const editor = editorWith({ type: "doc", content: [para("p1", "এক"), para("p2", "দুই")] });
    const view = editor.view;
    view.dispatch(view.state.tr.delete(0, view.state.doc.child(0).nodeSize));
    view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, view.state.doc.content.size - 1)));
    view.pasteHTML('<p data-pm-slice="0 0 []" data-block-id="p1">এক</p>', pasteEvent());
    await settle();
    expect(ids(view.state.doc)).toContain("p1");
    expect(ids(view.state.doc)).toContain("p2");
  });
});
