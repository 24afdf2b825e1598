// Conflict blocks in the editor: a clash the 3-way merge could not settle, shown side by
// side — both versions, who wrote each and when — and resolved by keeping one, or keeping
// both as paragraphs to merge by hand. The resolved block keeps the conflict's block id.
import type { Node as PMNode } from "prosemirror-model";
import type { EditorState, Transaction } from "prosemirror-state";
import type { EditorView, NodeViewConstructor } from "prosemirror-view";
import { schema } from "./schema";
import { newBlockId } from "./blockIds";

export type ConflictChoice = "ours" | "theirs" | "both";

/** How many conflict blocks the document holds. */
export function conflictCount(doc: PMNode): number {
  let n = 0;
  doc.forEach((node) => {
    if (node.type === schema.nodes.conflict) n++;
  });
  return n;
}

/** Replaces the conflict block at `pos` by the chosen version(s); null when there is none. */
export function resolveConflict(state: EditorState, pos: number, choice: ConflictChoice): Transaction | null {
  const node = state.doc.nodeAt(pos);
  if (!node || node.type !== schema.nodes.conflict) return null;
  const versions: PMNode[] = [];
  node.forEach((v) => versions.push(v));
  const [ours, theirs] = [versions[0], versions[versions.length - 1]];
  const picked = choice === "ours" ? [ours] : choice === "theirs" ? [theirs] : versions;
  const blocks = picked.map((v, i) =>
    schema.nodes.paragraph.create({ id: i === 0 ? node.attrs.id : newBlockId() }, v.content),
  );
  return state.tr.replaceWith(pos, pos + node.nodeSize, blocks).scrollIntoView();
}

export interface ConflictText {
  title: string;
  left: string;
  right: string;
  keepThis: string;
  keepBoth: string;
  /** "10:42" of an RFC 3339 time. */
  clock: (iso: string) => string;
}

function side(label: string, author: string, at: string, text: ConflictText): string {
  const who = author || "?";
  const when = at ? ` · ${text.clock(at)}` : "";
  return `${label}: ${who}${when}`;
}

/** The node view: a header with who wrote each side and the choices, the two versions in
 * columns below (still editable text). */
export function conflictView(text: ConflictText): NodeViewConstructor {
  return (node: PMNode, view: EditorView, getPos: () => number | undefined) => {
    const dom = document.createElement("div");
    dom.className = "conflict";
    dom.dataset.blockId = node.attrs.id ?? "";
    dom.dataset.testid = "conflict";
    const head = document.createElement("div");
    head.className = "conflict-head";
    head.contentEditable = "false";
    const title = document.createElement("strong");
    title.textContent = text.title;
    head.append(title);
    const authors = (node.attrs.authors as string[]) ?? [];
    const oursAuthor = (node.attrs.ours_author as string) || authors[0] || "";
    const theirsAuthor = (node.attrs.theirs_author as string) || authors[1] || "";
    const choose = (choice: ConflictChoice, label: string, testid: string) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.dataset.testid = testid;
      b.addEventListener("mousedown", (e) => e.preventDefault());
      b.addEventListener("click", () => {
        const pos = getPos();
        if (pos === undefined) return;
        const tr = resolveConflict(view.state, pos, choice);
        if (tr) view.dispatch(tr);
        view.focus();
      });
      return b;
    };
    const columns = document.createElement("div");
    columns.className = "conflict-sides";
    columns.contentEditable = "false";
    const left = document.createElement("div");
    left.className = "conflict-side";
    left.dataset.side = "ours";
    left.append(side(text.left, oursAuthor, node.attrs.ours_at as string, text), choose("ours", text.keepThis, "conflict-keep-ours"));
    const right = document.createElement("div");
    right.className = "conflict-side";
    right.dataset.side = "theirs";
    right.append(side(text.right, theirsAuthor, node.attrs.theirs_at as string, text), choose("theirs", text.keepThis, "conflict-keep-theirs"));
    columns.append(left, right);
    head.append(columns, choose("both", text.keepBoth, "conflict-keep-both"));
    const contentDOM = document.createElement("div");
    contentDOM.className = "conflict-versions";
    dom.append(head, contentDOM);
    return {
      dom,
      contentDOM,
      // The header is ours: ProseMirror ignores what happens in it.
      stopEvent: (event: Event) => head.contains(event.target as Node),
      ignoreMutation: (m) => head.contains(m.target as Node),
    };
  };
}
