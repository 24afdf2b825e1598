// The UI's ProseMirror schema follows the one schema definition that the Rust validator
// reads (crates/barta-model/schema/document.json): same node names, groups, content
// expressions, attrs with their defaults, leaf/inline flags and marks.
import { describe, expect, it } from "vitest";
import { schema, specs, topLevelTypes } from "../src/editor/schema";
import documentJson from "../../crates/barta-model/schema/document.json";

interface NodeDef {
  group?: string;
  content?: string;
  attrs?: Record<string, unknown>;
  inline?: boolean;
  atom?: boolean;
}
interface SchemaDef {
  topNode: string;
  nodes: Record<string, NodeDef>;
  marks: Record<string, { attrs?: Record<string, unknown> }>;
}

const def = documentJson as SchemaDef;

function defaults(attrs: Record<string, { default?: unknown }> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(attrs ?? {})) out[name] = spec.default;
  return out;
}

describe("the ProseMirror schema follows document.json", () => {
  it("has exactly the same node types", () => {
    expect(Object.keys(specs.nodes).sort()).toEqual(Object.keys(def.nodes).sort());
    expect(schema.topNodeType.name).toBe(def.topNode);
  });

  it("gives each node the same group, content, attrs and flags", () => {
    for (const [name, d] of Object.entries(def.nodes)) {
      const spec = specs.nodes[name];
      expect(spec.group, `${name}.group`).toBe(d.group);
      expect(spec.content, `${name}.content`).toBe(d.content);
      expect(defaults(spec.attrs as Record<string, { default?: unknown }>), `${name}.attrs`).toEqual(d.attrs ?? {});
      expect(Boolean(spec.atom), `${name}.atom`).toBe(Boolean(d.atom));
      if (name !== "text") expect(schema.nodes[name].isInline, `${name}.inline`).toBe(Boolean(d.inline));
    }
  });

  it("has the same marks with the same attrs", () => {
    expect(Object.keys(specs.marks).sort()).toEqual(Object.keys(def.marks).sort());
    for (const [name, d] of Object.entries(def.marks)) {
      expect(defaults(specs.marks[name].attrs as Record<string, { default?: unknown }>), name).toEqual(d.attrs ?? {});
    }
  });

  it("puts a stable id on every top-level block", () => {
    const blocks = Object.entries(def.nodes).filter(([, d]) => d.group === "block").map(([n]) => n);
    expect([...topLevelTypes].sort()).toEqual(blocks.sort());
    for (const name of blocks) expect(def.nodes[name].attrs).toHaveProperty("id");
  });

  it("accepts a document using every block type", () => {
    const doc = schema.nodeFromJSON({
      type: "doc",
      content: [
        { type: "paragraph", attrs: { id: "a" }, content: [{ type: "text", text: "ক", marks: [{ type: "link", attrs: { href: "https://example.com" } }] }] },
        { type: "image", attrs: { id: "b", src: "x.jpg", alt: "", caption: "ছবি" } },
        { type: "conflict", attrs: { id: "c", authors: ["rahim", "karim"] }, content: [
          { type: "paragraph", content: [{ type: "text", text: "এক" }] },
          { type: "paragraph", content: [{ type: "text", text: "দুই" }] },
        ] },
      ],
    });
    expect(() => doc.check()).not.toThrow();
  });
});
