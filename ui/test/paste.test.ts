// The paste sanitizer: HTML is parsed against the article schema (scripts, styles and foreign
// attributes are dropped), then every text run is cleaned in one call, in order.
import { describe, expect, it } from "vitest";
import { DOMParser as PMDOMParser } from "prosemirror-model";
import { schema } from "../src/editor/schema";
import { cleanSlice } from "../src/editor/paste";
import type { PastedText } from "../src/ipc";

function parseHtml(html: string) {
  const div = document.createElement("div");
  div.innerHTML = html;
  return PMDOMParser.fromSchema(schema).parseSlice(div);
}

describe("paste", () => {
  it("drops scripts, styles, event handlers and unknown attributes", () => {
    const slice = parseHtml(
      '<p style="color:red" onclick="alert(1)">এক <script>alert(2)</script><b>দুই</b></p><style>p{}</style><iframe src="x"></iframe>',
    );
    const json = JSON.stringify(slice.content.toJSON());
    expect(json).not.toContain("alert");
    expect(json).not.toContain("color");
    expect(json).not.toContain("onclick");
    expect(json).not.toContain("iframe");
    expect(slice.content.textBetween(0, slice.content.size)).toBe("এক দুই");
  });

  it("cleans every text run in one call and keeps marks and order", async () => {
    const slice = parseHtml("<p>Avwg <b>evsjvq</b></p><p>tail</p>");
    const calls: string[][] = [];
    const clean = async (texts: string[]): Promise<PastedText[]> => {
      calls.push(texts);
      return texts.map((t) => ({ text: `[${t}]`, bijoy_converted: t.startsWith("Avwg") }));
    };
    const result = await cleanSlice(slice, clean);
    expect(calls).toEqual([["Avwg ", "evsjvq", "tail"]]);
    expect(result.bijoy).toBe(true);
    expect(result.runs).toBe(3);
    expect(result.slice.content.textBetween(0, result.slice.content.size, "|")).toBe("[Avwg ][evsjvq]|[tail]");
    let bold = "";
    result.slice.content.descendants((n) => {
      if (n.isText && n.marks.some((m) => m.type.name === "strong")) bold = n.text ?? "";
    });
    expect(bold).toBe("[evsjvq]");
  });
});
