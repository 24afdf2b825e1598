// The ProseMirror schema of an article body. It mirrors barta-model's document module
// (BLOCK_TYPES, INNER_TYPES, MARK_TYPES): every top-level block carries a stable `id` attr.
import { Schema, type NodeSpec, type MarkSpec } from "prosemirror-model";

const blockId = { id: { default: null as string | null } };

function idAttrs(dom: HTMLElement): { id: string | null } {
  return { id: dom.getAttribute("data-block-id") };
}

const nodes: Record<string, NodeSpec> = {
  doc: { content: "block+" },
  paragraph: {
    group: "block",
    content: "inline*",
    attrs: blockId,
    parseDOM: [{ tag: "p", getAttrs: idAttrs }],
    toDOM: (n) => ["p", { "data-block-id": n.attrs.id }, 0],
  },
  heading: {
    group: "block",
    content: "inline*",
    attrs: { ...blockId, level: { default: 2 } },
    defining: true,
    parseDOM: [2, 3, 4].map((level) => ({
      tag: `h${level}`,
      getAttrs: (dom: HTMLElement) => ({ ...idAttrs(dom), level }),
    })),
    toDOM: (n) => [`h${n.attrs.level}`, { "data-block-id": n.attrs.id }, 0],
  },
  blockquote: {
    group: "block",
    content: "paragraph+",
    attrs: blockId,
    defining: true,
    parseDOM: [{ tag: "blockquote", getAttrs: idAttrs }],
    toDOM: (n) => ["blockquote", { "data-block-id": n.attrs.id }, 0],
  },
  bullet_list: {
    group: "block",
    content: "list_item+",
    attrs: blockId,
    parseDOM: [{ tag: "ul", getAttrs: idAttrs }],
    toDOM: (n) => ["ul", { "data-block-id": n.attrs.id }, 0],
  },
  ordered_list: {
    group: "block",
    content: "list_item+",
    attrs: blockId,
    parseDOM: [{ tag: "ol", getAttrs: idAttrs }],
    toDOM: (n) => ["ol", { "data-block-id": n.attrs.id }, 0],
  },
  list_item: {
    content: "paragraph+",
    defining: true,
    parseDOM: [{ tag: "li" }],
    toDOM: () => ["li", 0],
  },
  text: { group: "inline" },
  hard_break: {
    inline: true,
    group: "inline",
    selectable: false,
    parseDOM: [{ tag: "br" }],
    toDOM: () => ["br"],
  },
};

const marks: Record<string, MarkSpec> = {
  strong: { parseDOM: [{ tag: "strong" }, { tag: "b" }], toDOM: () => ["strong", 0] },
  em: { parseDOM: [{ tag: "em" }, { tag: "i" }], toDOM: () => ["em", 0] },
};

export const schema = new Schema({ nodes, marks });

/** The top-level block types, as barta-model's BLOCK_TYPES lists them (images and conflict
 * blocks arrive with their issues). */
export const topLevelTypes = Object.entries(nodes)
  .filter(([, spec]) => spec.group === "block")
  .map(([name]) => name);
