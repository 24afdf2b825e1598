// The keyboard shortcut list: a dialog (F1 or Ctrl+/ anywhere, or the header's button) with
// every shortcut the app really has, in the UI language; Escape closes it and puts the focus
// back where it was.
import { t, type MessageKey } from "../../i18n/messages";
import { el } from "../dom";

/** The shortcut groups: a heading and rows of [keys, what they do]. The keys are the ones the
 * code binds (editor.ts, blocks.ts, phonetic.ts, spelling.ts, list.ts, history.ts, writingView.ts, here). */
export const SHORTCUT_GROUPS: { title: MessageKey; rows: [MessageKey, MessageKey][] }[] = [
  {
    title: "kbdAnywhere",
    rows: [
      ["kbdKeysPhonetic", "kbdPhonetic"],
      ["kbdKeysHelp", "kbdHelp"],
      ["kbdKeysEscape", "kbdEscape"],
    ],
  },
  {
    title: "kbdEditor",
    rows: [
      ["kbdKeysUndo", "kbdUndo"],
      ["kbdKeysRedo", "kbdRedo"],
      ["kbdKeysBold", "kbdBold"],
      ["kbdKeysItalic", "kbdItalic"],
      ["kbdKeysParagraph", "kbdParagraph"],
      ["kbdKeysHeadings", "kbdHeadings"],
      ["kbdKeysQuote", "kbdQuote"],
      ["kbdKeysBullets", "kbdBullets"],
      ["kbdKeysNumbers", "kbdNumbers"],
      ["kbdKeysIndent", "kbdIndent"],
      ["kbdKeysMarkdown", "kbdMarkdown"],
      ["kbdKeysCandidates", "kbdCandidates"],
      ["kbdKeysSpelling", "kbdSpelling"],
      ["kbdKeysSpellMenu", "kbdSpellMenu"],
      ["kbdKeysToolbar", "kbdToolbar"],
      ["kbdKeysFocusMode", "kbdFocusMode"],
      ["kbdKeysDetails", "kbdDetails"],
    ],
  },
  {
    title: "kbdLists",
    rows: [
      ["kbdKeysSearchDown", "kbdSearchDown"],
      ["kbdKeysRows", "kbdRows"],
      ["kbdKeysHistory", "kbdHistory"],
      ["kbdKeysBoard", "kbdBoard"],
    ],
  },
];

/** True for the keys that open (or close) the list: F1, Ctrl+/ (Cmd+/ on a Mac). */
export function isHelpKey(e: KeyboardEvent): boolean {
  if (e.key === "F1") return !e.ctrlKey && !e.altKey && !e.metaKey && !e.shiftKey;
  return e.key === "/" && (e.ctrlKey || e.metaKey) && !e.altKey;
}

let openDialog: HTMLDialogElement | null = null;

/** Closes the list if it is open. */
export function closeShortcutsHelp(): void {
  const dialog = openDialog;
  if (!dialog) return;
  openDialog = null;
  if (dialog.open && typeof dialog.close === "function") dialog.close();
  dialog.remove();
  const back = (dialog as HTMLDialogElement & { returnTo?: HTMLElement | null }).returnTo;
  if (back?.isConnected) back.focus();
}

/** Opens the list (built in the current language), the focus on its close button. */
export function openShortcutsHelp(): HTMLDialogElement {
  closeShortcutsHelp();
  const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const title = el("h2", { id: "shortcuts-help-title" }, t("kbdTitle"));
  const close = el("button", { type: "button", "data-testid": "shortcuts-close" }, t("close"));
  const dialog = el(
    "dialog",
    { class: "shortcuts-help", "data-testid": "shortcuts-help", "aria-labelledby": title.id },
    title,
  );
  for (const group of SHORTCUT_GROUPS) {
    const body = el("tbody", {});
    for (const [keys, what] of group.rows) {
      body.append(el("tr", { "data-keys": keys }, el("th", { scope: "row" }, el("kbd", {}, t(keys))), el("td", {}, t(what))));
    }
    dialog.append(el("table", {}, el("caption", {}, t(group.title)), body));
  }
  dialog.append(close);
  Object.assign(dialog, { returnTo });
  close.addEventListener("click", closeShortcutsHelp);
  // Escape: a modal dialog's own "cancel", or (where there is no modal dialog) the key itself.
  dialog.addEventListener("cancel", (e) => {
    e.preventDefault();
    closeShortcutsHelp();
  });
  dialog.addEventListener("keydown", (e) => {
    if (e.key !== "Escape") return;
    e.preventDefault();
    e.stopPropagation();
    closeShortcutsHelp();
  });
  document.body.append(dialog);
  openDialog = dialog;
  if (typeof dialog.showModal === "function") dialog.showModal();
  else dialog.setAttribute("open", "");
  close.focus();
  return dialog;
}

/** F1 or Ctrl+/ anywhere opens the list, or closes it when it is open. */
export function installShortcutsHelp(target: Window = window): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (!isHelpKey(e)) return;
    e.preventDefault();
    if (openDialog) closeShortcutsHelp();
    else openShortcutsHelp();
  };
  target.addEventListener("keydown", onKey);
  return () => target.removeEventListener("keydown", onKey);
}

/** The header's button that opens the list. */
export function shortcutsButton(): HTMLButtonElement {
  const b = el("button", { type: "button", "data-testid": "shortcuts-open", "aria-keyshortcuts": "F1 Control+/" }, t("kbdButton"));
  b.addEventListener("click", () => void openShortcutsHelp());
  return b;
}
