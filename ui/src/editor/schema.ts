// The ProseMirror schema of an article body. It follows the one schema definition,
// crates/barta-model/schema/document.json (node names, groups, content expressions, attrs and
// their defaults, marks), which the Rust validator reads too; ui/test/schema.test.ts checks
// that the two agree. Every top-level block carries a stable `id` attr.
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
  image: {
    group: "block",
    atom: true,
    attrs: { ...blockId, src: { default: "" }, alt: { default: "" }, caption: { default: "" } },
    parseDOM: [
      {
        tag: "figure",
        getAttrs: (dom: HTMLElement) => ({
          ...idAttrs(dom),
          src: dom.querySelector("img")?.getAttribute("src") ?? "",
          alt: dom.querySelector("img")?.getAttribute("alt") ?? "",
          caption: dom.querySelector("figcaption")?.textContent ?? "",
        }),
      },
    ],
    toDOM: (n) => [
      "figure",
      { "data-block-id": n.attrs.id },
      ["img", { src: n.attrs.src, alt: n.attrs.alt }],
      ["figcaption", n.attrs.caption],
    ],
  },
  conflict: {
    group: "block",
    content: "paragraph+",
    attrs: {
      ...blockId,
      authors: { default: [] as string[] },
      ours_author: { default: "" },
      ours_at: { default: "" },
      theirs_author: { default: "" },
      theirs_at: { default: "" },
    },
    defining: true,
    parseDOM: [{ tag: "div.conflict", getAttrs: idAttrs }],
    toDOM: (n) => ["div", { class: "conflict", "data-block-id": n.attrs.id }, 0],
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

/** Only web and mail links are kept from a paste (no javascript:, data:, vbscript:…). */
export function safeHref(href: string): boolean {
  return /^(https?:\/\/|mailto:)/i.test(href.trim());
}

/** A link's attrs, or false (no link mark, the text kept) for an unsafe href. */
function linkAttrs(dom: HTMLElement): { href: string } | false {
  const href = dom.getAttribute("href") ?? "";
  return safeHref(href) ? { href: href.trim() } : false;
}

const marks: Record<string, MarkSpec> = {
  strong: {
    // Google Docs wraps a whole copy in <b style="font-weight:normal">: that is not bold.
    parseDOM: [{ tag: "strong" }, { tag: "b", getAttrs: (dom: HTMLElement) => dom.style.fontWeight !== "normal" && null }],
    toDOM: () => ["strong", 0],
  },
  em: { parseDOM: [{ tag: "em" }, { tag: "i" }], toDOM: () => ["em", 0] },
  link: {
    attrs: { href: { default: "" } },
    inclusive: false,
    parseDOM: [{ tag: "a[href]", getAttrs: linkAttrs }],
    toDOM: (m) => ["a", { href: m.attrs.href, rel: "noopener noreferrer" }, 0],
  },
};

export const schema = new Schema({ nodes, marks });

/** The node and mark specs, for the test that checks them against document.json. */
export const specs = { nodes, marks };

/** The top-level block types (the `block` group of document.json, barta-model's BLOCK_TYPES). */
export const topLevelTypes = Object.entries(nodes)
  .filter(([, spec]) => spec.group === "block")
  .map(([name]) => name);
