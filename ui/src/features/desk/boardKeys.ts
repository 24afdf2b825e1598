// The desk board from the keyboard: j/k and ArrowDown/ArrowUp move the selection along a
// column, ArrowLeft/ArrowRight to the next column with articles, Home/End to a column's ends,
// Enter opens the selected article for editing and `a` approves it. Nothing fires while the
// editor types in a field, nor while a dialog is open.

/** A place on the board: a column (in the board's order) and a row in it. */
export interface BoardPlace {
  column: number;
  row: number;
}

export type BoardMove = "down" | "up" | "left" | "right" | "first" | "last";

export interface BoardKeyActions {
  move(step: BoardMove): void;
  open(): void;
  approve(): void;
}

const MOVES: Record<string, BoardMove> = {
  j: "down",
  ArrowDown: "down",
  k: "up",
  ArrowUp: "up",
  ArrowLeft: "left",
  ArrowRight: "right",
  Home: "first",
  End: "last",
};

/** Where `step` leads from `at` on a board whose columns hold `lengths[i]` rows; with nothing
 *  selected, any step selects the first row of the first column that has one (End its last). */
export function moveOnBoard(lengths: readonly number[], at: BoardPlace | null, step: BoardMove): BoardPlace | null {
  const firstFilled = lengths.findIndex((n) => n > 0);
  if (firstFilled < 0) return null;
  if (!at || !(lengths[at.column] > 0)) return { column: firstFilled, row: step === "last" ? lengths[firstFilled] - 1 : 0 };
  const last = lengths[at.column] - 1;
  const row = Math.min(at.row, last);
  switch (step) {
    case "down":
      return { column: at.column, row: Math.min(row + 1, last) };
    case "up":
      return { column: at.column, row: Math.max(row - 1, 0) };
    case "first":
      return { column: at.column, row: 0 };
    case "last":
      return { column: at.column, row: last };
    case "left":
    case "right": {
      const direction = step === "left" ? -1 : 1;
      for (let c = at.column + direction; c >= 0 && c < lengths.length; c += direction) {
        if (lengths[c] > 0) return { column: c, row: Math.min(row, lengths[c] - 1) };
      }
      return { column: at.column, row };
    }
  }
}

/** True when keys typed at `target` are text (a field, a choice, an editable area). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest("input, select, textarea, [contenteditable='true']") !== null;
}

/** Where Enter opens the selected article: on a board row, or with nothing focused (a button
 *  elsewhere keeps its own Enter). */
function enterOpensHere(target: EventTarget | null): boolean {
  return !(target instanceof HTMLElement) || target === document.body || target.closest(".board-row") !== null;
}

/** The key pressed, as on a Latin layout: with a Bengali keyboard layout (Avro, Bijoy…) `j`
 *  types "জ" or "ক", so a letter key that gives no Latin letter is read by its place. */
function latinKey(e: KeyboardEvent): string {
  if (e.key.length === 1 && !/[a-z]/i.test(e.key) && /^Key[A-Z]$/.test(e.code)) return e.code.slice(3).toLowerCase();
  return e.key;
}

/** The keydown handler for the board's keys. */
export function boardKeyHandler(actions: BoardKeyActions): (e: KeyboardEvent) => void {
  return (e) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    if (isTypingTarget(e.target)) return;
    if (e.target instanceof HTMLElement && e.target.closest("dialog")) return;
    const key = latinKey(e);
    const step = MOVES[key];
    if (step) {
      e.preventDefault();
      actions.move(step);
    } else if (key === "Enter" && !e.repeat && enterOpensHere(e.target)) {
      e.preventDefault();
      actions.open();
    } else if (key === "a" && !e.shiftKey && !e.repeat) {
      e.preventDefault();
      actions.approve();
    }
  };
}

/** Listens on the document while `board` is on the page (the keys work with the focus
 *  anywhere on the screen, or nowhere); stops by itself once the board has left the page.
 *  The board must be put on the page in the same task that calls this. */
export function installBoardKeys(board: HTMLElement, actions: BoardKeyActions): () => void {
  const handle = boardKeyHandler(actions);
  const listener = (e: KeyboardEvent) => {
    if (!board.isConnected) {
      stop();
      return;
    }
    handle(e);
  };
  const stop = () => document.removeEventListener("keydown", listener);
  document.addEventListener("keydown", listener);
  return stop;
}
