// The small toolbar above the body: block type (paragraph, subheadings, quote, lists) and
// undo/redo, as buttons with accessible names and data-testids. It is a ProseMirror plugin
// so that it acts on its editor and shows the current block type (aria-pressed). Arrow keys
// move between its buttons (one Tab stop, the ARIA toolbar pattern).
import { Plugin, type Command, type EditorState } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import { undo, redo } from "prosemirror-history";
import { activeBlock, ownStep, toggleBulletList, toggleOrderedList, toggleQuote, toHeading, toParagraph } from "./blocks";

/** One button: its test id, the block it shows pressed (if any), its command. */
interface ToolSpec {
  id: string;
  block?: string;
  command: Command;
}

export const TOOLS: ToolSpec[] = [
  { id: "block-p", block: "p", command: ownStep(toParagraph) },
  { id: "block-h2", block: "h2", command: ownStep(toHeading(2)) },
  { id: "block-h3", block: "h3", command: ownStep(toHeading(3)) },
  { id: "block-h4", block: "h4", command: ownStep(toHeading(4)) },
  { id: "block-quote", block: "quote", command: ownStep(toggleQuote) },
  { id: "block-ul", block: "ul", command: ownStep(toggleBulletList) },
  { id: "block-ol", block: "ol", command: ownStep(toggleOrderedList) },
  { id: "edit-undo", command: undo },
  { id: "edit-redo", command: redo },
];

/** The visible text and accessible name of each tool, by test id. */
export type ToolLabels = Record<string, { short: string; name: string }>;

function toolButton(spec: ToolSpec, label: { short: string; name: string }, first: boolean): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label.short;
  b.title = label.name;
  b.setAttribute("aria-label", label.name);
  b.dataset.testid = spec.id;
  b.tabIndex = first ? 0 : -1;
  // Keep the focus (and the selection) in the editor when clicked with the mouse.
  b.addEventListener("mousedown", (e) => e.preventDefault());
  return b;
}

/** Arrow keys, Home and End move the focus along the toolbar. */
function rovingFocus(bar: HTMLElement, buttons: HTMLButtonElement[]): void {
  bar.addEventListener("keydown", (e) => {
    const at = buttons.indexOf(e.target as HTMLButtonElement);
    if (at < 0) return;
    const moves: Record<string, number> = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: buttons.length - 1 };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const next = buttons[(moves[e.key] + buttons.length) % buttons.length];
    for (const b of buttons) b.tabIndex = b === next ? 0 : -1;
    next.focus();
  });
}

function refresh(state: EditorState, buttons: HTMLButtonElement[]): void {
  const active = activeBlock(state);
  TOOLS.forEach((spec, i) => {
    if (spec.block) buttons[i].setAttribute("aria-pressed", String(spec.block === active));
    // aria-disabled, not disabled: the button stays in the keyboard order.
    buttons[i].setAttribute("aria-disabled", String(!spec.command(state)));
  });
}

/** The toolbar element and the plugin that connects it to its editor. */
export function blockToolbar(labels: ToolLabels, name: string): { element: HTMLElement; plugin: Plugin } {
  const element = document.createElement("div");
  element.className = "block-toolbar";
  element.setAttribute("role", "toolbar");
  element.setAttribute("aria-label", name);
  element.dataset.testid = "block-toolbar";
  const buttons = TOOLS.map((spec, i) => toolButton(spec, labels[spec.id], i === 0));
  element.append(...buttons);
  rovingFocus(element, buttons);
  const plugin = new Plugin({
    view(view: EditorView) {
      TOOLS.forEach((spec, i) =>
        buttons[i].addEventListener("click", () => {
          spec.command(view.state, view.dispatch, view);
          view.focus();
        }),
      );
      refresh(view.state, buttons);
      return { update: (v) => refresh(v.state, buttons) };
    },
  });
  return { element, plugin };
}
