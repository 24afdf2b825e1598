// The desk board's columns: incoming, in progress, approved/scheduled and published side by
// side, each headed by its name and count (in the UI's digits), with compact rows (urgency,
// headline, reporter, words, age, state). A click selects a row for the reading pane, a double
// click opens it for editing; rows that just arrived by sync are marked for a few seconds.
import type { ArticleSummary, DeskQueue } from "../../ipc";
import { ago, num, t, type MessageKey } from "../../i18n/messages";
import { el } from "../dom";
import { deskName } from "../article/fields";

/** The columns, in the board's order (the workflow's). */
export const BOARD_QUEUES: readonly DeskQueue[] = ["incoming", "in_progress", "approved", "published"];

export interface BoardColumnData {
  items: ArticleSummary[];
  /** Every article in the queue (the rows may be fewer: a page at a time). */
  count: number;
}

export interface BoardRenderOptions {
  /** The article's desk on each row (when several desks share the board). */
  showDesk: boolean;
  arrived(id: string): boolean;
  selectedId: string | null;
}

export interface BoardHandlers {
  select(id: string): void;
  open(id: string): void;
  /** The column's header was pressed. */
  enterColumn(queue: DeskQueue): void;
  more(queue: DeskQueue): void;
}

interface ColumnParts {
  header: HTMLButtonElement;
  list: HTMLUListElement;
  more: HTMLButtonElement;
}

function boardRow(a: ArticleSummary, queue: DeskQueue, options: BoardRenderOptions, handlers: BoardHandlers): HTMLElement {
  const urgent = a.urgency !== null && a.urgency <= 2;
  const arrived = options.arrived(a.id);
  const selected = a.id === options.selectedId;
  const attrs: Record<string, string> = {
    type: "button",
    class: `article-row queue-row board-row${urgent ? " urgent" : ""}${arrived ? " arrived" : ""}${selected ? " selected" : ""}`,
    "data-testid": "queue-row",
    "data-article-id": a.id,
    "data-queue": queue,
  };
  if (selected) attrs["aria-current"] = "true";
  if (arrived) attrs["data-arrived"] = "true";
  const conflicts = Number(a.conflicts);
  const button = el(
    "button",
    attrs,
    el(
      "span",
      { class: "row-top" },
      el("span", { class: "urgency", "data-testid": "queue-urgency", title: t("urgency") }, a.urgency === null ? "—" : num(a.urgency)),
      el("span", { class: "headline" }, a.headline || "—"),
    ),
    el(
      "span",
      { class: "row-meta" },
      el("span", { class: "reporter" }, a.author),
      options.showDesk ? el("span", { class: "desk" }, deskName(a.desk)) : null,
      el("span", { class: "words", "data-testid": "queue-words" }, `${num(Number(a.words))} ${t("words")}`),
      el("span", { class: "age" }, ago(a.created_at)),
    ),
    el(
      "span",
      { class: "row-badges" },
      el("span", { class: "badge state", "data-state": a.state }, t(`state.${a.state}` as MessageKey)),
      a.sync_state === "synced" ? null : el("span", { class: "badge sync", "data-sync": a.sync_state }, t(`sync.${a.sync_state}` as MessageKey)),
      conflicts > 0 ? el("span", { class: "badge conflict", "data-testid": "queue-conflict" }, `${t("sync.conflict")}: ${num(conflicts)}`) : null,
    ),
  );
  button.addEventListener("click", () => handlers.select(a.id));
  button.addEventListener("dblclick", () => handlers.open(a.id));
  return el("li", {}, button);
}

export interface DeskBoard {
  /** The whole board (`data-testid="board"`). */
  root: HTMLElement;
  /** The columns together (`data-testid="queue-items"`: the old queue list's name). */
  columns: HTMLElement;
  render(data: ReadonlyMap<DeskQueue, BoardColumnData>, options: BoardRenderOptions): void;
  /** The row buttons of a column, in order. */
  rows(queue: DeskQueue): HTMLButtonElement[];
  /** Marks `id`'s row as the selected one (and focuses it when `focus`). */
  markSelected(id: string | null, focus: boolean): void;
}

export function deskBoard(handlers: BoardHandlers): DeskBoard {
  const parts = new Map<DeskQueue, ColumnParts>();
  // No live region here: the whole board is drawn again after each round; the notice above it
  // (a status) says what arrived.
  const columns = el("div", { class: "board-columns", "data-testid": "queue-items" });
  for (const queue of BOARD_QUEUES) {
    const header = el("button", { type: "button", class: "column-head", "data-testid": `queue-${queue}`, "data-queue": queue });
    header.addEventListener("click", () => handlers.enterColumn(queue));
    const list = el("ul", { class: "article-list queue board-list", "aria-label": t(`queue.${queue}` as MessageKey) });
    const more = el("button", { type: "button", class: "board-more", "data-testid": "queue-more", "data-queue": queue, hidden: "" }, t("showMore"));
    more.addEventListener("click", () => handlers.more(queue));
    parts.set(queue, { header, list, more });
    columns.append(el("section", { class: "board-column", "data-testid": "board-column", "data-queue": queue }, header, list, more));
  }
  const root = el("div", { class: "board", "data-testid": "board" }, columns);

  function render(data: ReadonlyMap<DeskQueue, BoardColumnData>, options: BoardRenderOptions): void {
    for (const queue of BOARD_QUEUES) {
      const { header, list, more } = parts.get(queue)!;
      const column = data.get(queue) ?? { items: [], count: 0 };
      header.replaceChildren(
        el("span", { class: "column-name" }, t(`queue.${queue}` as MessageKey)),
        el("span", { class: "count", "data-testid": "column-count" }, num(column.count)),
      );
      header.dataset.count = String(column.count);
      list.replaceChildren(
        ...(column.items.length
          ? column.items.map((a) => boardRow(a, queue, options, handlers))
          : [el("li", { class: "muted" }, t("noArticles"))]),
      );
      more.hidden = column.items.length >= column.count;
    }
  }

  const rows = (queue: DeskQueue) => [...parts.get(queue)!.list.querySelectorAll<HTMLButtonElement>("button.board-row")];

  function markSelected(id: string | null, focus: boolean): void {
    for (const row of columns.querySelectorAll<HTMLButtonElement>("button.board-row")) {
      const selected = row.dataset.articleId === id;
      row.classList.toggle("selected", selected);
      if (selected) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
      if (selected && focus) {
        row.focus();
        row.scrollIntoView?.({ block: "nearest" });
      }
    }
  }

  return { root, columns, render, rows, markSelected };
}
