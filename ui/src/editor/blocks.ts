// Block-type commands for the body: plain paragraph, subheadings (the levels the schema
// allows), quote, bulleted and numbered lists, as toggles; their keyboard shortcuts; and the
// Markdown-style input rules ("# ", "## ", "### ", "> ", "- ", "* ", "1. " at the start of a
// paragraph). The rules also match what phonetic typing shows for those keys ("১।" for
// "1."), so they work with phonetic mode on and off. Block ids survive every transform
// (blockIds.ts hands the id of a wrapped or retyped block to its new top-level block).
import type { NodeType } from "prosemirror-model";
import type { Command, EditorState, Transaction } from "prosemirror-state";
import { lift, setBlockType } from "prosemirror-commands";
import { liftListItem, wrapRangeInList } from "prosemirror-schema-list";
import { findWrapping } from "prosemirror-transform";
import { InputRule, inputRules, undoInputRule } from "prosemirror-inputrules";
import { closeHistory } from "prosemirror-history";
import type { Plugin } from "prosemirror-state";
import { schema } from "./schema";

const { paragraph, heading, blockquote, bullet_list, ordered_list, list_item } = schema.nodes;

/** The heading levels of the schema (h1 is the article's headline, not in the body). */
export const HEADING_LEVELS = [2, 3, 4] as const;
export type HeadingLevel = (typeof HEADING_LEVELS)[number];

/** The nearest ancestor of the selection of `type`: its node and position, or null. */
function ancestor(state: EditorState, type: NodeType) {
  const $from = state.selection.$from;
  for (let d = $from.depth; d > 0; d--) {
    if ($from.node(d).type === type) return { node: $from.node(d), pos: $from.before(d) };
  }
  return null;
}

/** The list the selection is in, if any. */
function currentList(state: EditorState) {
  return ancestor(state, bullet_list) ?? ancestor(state, ordered_list);
}

/** Makes the selected blocks plain paragraphs: a heading loses its level, a list item or
 * a quote is lifted out. */
export const toParagraph: Command = (state, dispatch) =>
  setBlockType(paragraph)(state, dispatch) ||
  liftListItem(list_item)(state, dispatch) ||
  (ancestor(state, blockquote) !== null && lift(state, dispatch));

/** Makes the selected blocks headings of `level`; again on such a heading, a paragraph. */
export function toHeading(level: HeadingLevel): Command {
  return (state, dispatch) => {
    const parent = state.selection.$from.parent;
    if (parent.type === heading && parent.attrs.level === level) return setBlockType(paragraph)(state, dispatch);
    return setBlockType(heading, { level })(state, dispatch);
  };
}

/** Headings in the selection become paragraphs (quotes and lists hold paragraphs only). */
function headingsToParagraphs(tr: Transaction): void {
  const { from, to } = tr.selection;
  let any = false;
  tr.doc.nodesBetween(from, to, (node) => {
    if (node.type === heading) any = true;
    return !node.isTextblock;
  });
  if (any) tr.setBlockType(from, to, paragraph, (node) => ({ id: node.attrs.id }));
}

/** Wraps the selected blocks in `type` (a quote or a list), in one step. */
function wrapSelection(type: NodeType): Command {
  return (state, dispatch) => {
    const tr = state.tr;
    headingsToParagraphs(tr);
    const { $from, $to } = tr.selection;
    const range = $from.blockRange($to);
    if (!range) return false;
    if (type === blockquote) {
      const wrapping = findWrapping(range, type);
      if (!wrapping) return false;
      tr.wrap(range, wrapping);
    } else if (!wrapRangeInList(tr, range, type)) {
      return false;
    }
    dispatch?.(tr.scrollIntoView());
    return true;
  };
}

/** Quote on/off. */
export const toggleQuote: Command = (state, dispatch) =>
  ancestor(state, blockquote) ? lift(state, dispatch) : wrapSelection(blockquote)(state, dispatch);

/** A list of `type` on/off; in a list of the other kind, that list changes kind (its id kept). */
export function toggleList(type: NodeType): Command {
  return (state, dispatch) => {
    const list = currentList(state);
    if (list && list.node.type === type) return liftListItem(list_item)(state, dispatch);
    if (list) {
      dispatch?.(state.tr.setNodeMarkup(list.pos, type, list.node.attrs));
      return true;
    }
    return wrapSelection(type)(state, dispatch);
  };
}

export const toggleBulletList = toggleList(bullet_list);
export const toggleOrderedList = toggleList(ordered_list);

/** What the selection is in now, for the toolbar's pressed states. */
export function activeBlock(state: EditorState): string {
  const list = currentList(state);
  if (list) return list.node.type === bullet_list ? "ul" : "ol";
  if (ancestor(state, blockquote)) return "quote";
  const parent = state.selection.$from.parent;
  return parent.type === heading ? `h${parent.attrs.level}` : "p";
}

/** `command` as an undo step of its own (not merged with the typing just before it). */
export function ownStep(command: Command): Command {
  return (state, dispatch, view) => command(state, dispatch && ((tr) => dispatch(closeHistory(tr))), view);
}

/** The shortcuts (Mod is Ctrl, Cmd on a Mac). Ctrl+Alt+digit sets the heading level of
 * that number, Ctrl+Alt+0 a plain paragraph; Ctrl+Shift+9/8/7 quote, bullets, numbers. */
export const blockKeys: Record<string, Command> = {
  "Mod-Alt-0": ownStep(toParagraph),
  "Mod-Alt-2": ownStep(toHeading(2)),
  "Mod-Alt-3": ownStep(toHeading(3)),
  "Mod-Alt-4": ownStep(toHeading(4)),
  "Mod-Shift-9": ownStep(toggleQuote),
  "Mod-Shift-8": ownStep(toggleBulletList),
  "Mod-Shift-7": ownStep(toggleOrderedList),
  Backspace: undoInputRule,
};

/** The top-level paragraph an input rule's match starts in, or null. The rules below give
 * their result the paragraph's id in the same step (no id repair after it, which would
 * stop Backspace from undoing the rule). */
function topParagraph(state: EditorState, start: number) {
  const $start = state.doc.resolve(start);
  return $start.depth === 1 && $start.parent.type === paragraph ? $start.parent : null;
}

/** "#…# " at the start of a paragraph: a heading, one level below the number of #s. */
const headingRule = new InputRule(/^(#{1,3})\s$/, (state, match, start, end) => {
  const block = topParagraph(state, start);
  if (!block) return null;
  const level = 1 + match[1].length;
  return state.tr.delete(start, end).setBlockType(start, start, heading, { level, id: block.attrs.id });
});

/** A rule wrapping the paragraph in `type`; the wrapper takes the paragraph's id. */
function wrapRule(regexp: RegExp, type: NodeType): InputRule {
  return new InputRule(regexp, (state, _match, start, end) => {
    const block = topParagraph(state, start);
    if (!block) return null;
    const tr = state.tr.delete(start, end);
    const range = tr.doc.resolve(start).blockRange();
    const wrapping = range && findWrapping(range, type, { id: block.attrs.id });
    if (!range || !wrapping) return null;
    tr.wrap(range, wrapping);
    return tr.setNodeAttribute(range.start + wrapping.length, "id", null);
  });
}

/** "# " → h2, "## " → h3, "### " → h4; "> " quote; "- ", "* ", "• " bullets; "1. " (or the
 * phonetic "১।") numbers. */
export function blockInputRules(): Plugin {
  return inputRules({
    rules: [
      headingRule,
      wrapRule(/^\s*>\s$/, blockquote),
      wrapRule(/^\s*[-*•]\s$/, bullet_list),
      wrapRule(/^\s*[0-9০-৯]+[.।]\s$/, ordered_list),
    ],
  });
}
