// The desk editor's screen: the board of every queue at once (incoming, in progress,
// approved/scheduled, published) for all the editor's desks together or one desk at a time
// (the choice is remembered), with the reading pane beside it. Sorting and filters run in the
// local store. The board reads the queues again when Rust says articles changed and after the
// editor's own actions, never on a timer; articles that arrive by sync are highlighted, and new
// incoming ones announced (a desktop notification too, sent by the app, when turned on).
import { ipc, asAppError, type ArticleSummary, type DeskQueue, type QueueSort, type QueueView } from "../../ipc";
import { num, t, type MessageKey } from "../../i18n/messages";
import { el, errorText } from "../dom";
import { deskName } from "../article/fields";
import { BOARD_QUEUES, deskBoard, type BoardColumnData } from "./board";
import { readingPane } from "./readingPane";
import { installBoardKeys, moveOnBoard, type BoardMove, type BoardPlace } from "./boardKeys";
import { arrivalTracker } from "./arrivals";
import { desksShown, saveLayout, savedLayout, type BoardLayoutKind } from "./boardLayout";

const SORTS: QueueSort[] = ["newest", "oldest", "urgency", "words"];
const LAYOUTS: BoardLayoutKind[] = ["merged", "desk"];
/** Rows shown in a column at first (a screenful and more); "show more" adds as many again. */
const PAGE = 100;

export function deskQueueScreen(
  open: (id: string) => void,
  showMine: () => void,
  editorDesks: readonly string[] = [],
): { root: HTMLElement; refresh(): Promise<void> } {
  let layout = savedLayout();
  const error = el("p", { class: "error", role: "alert" });
  const notice = el("p", { class: "notice", role: "status", "data-testid": "queue-notice", hidden: "" });

  // The layout: merged or one desk (and which).
  const layoutGroup = el("div", { class: "segmented", role: "group", "data-testid": "board-layout", "aria-label": t("boardLayout") });
  const layoutButtons = LAYOUTS.map((kind) => {
    const b = el("button", { type: "button", "data-testid": `board-layout-${kind}`, "data-layout": kind }, t(`boardLayout.${kind}` as MessageKey));
    b.addEventListener("click", () => {
      layout = { ...layout, kind };
      chosenLayout();
    });
    layoutGroup.append(b);
    return b;
  });
  const deskChoice = el("select", { "data-testid": "board-desk", "aria-label": t("filterDesk") });
  for (const slug of editorDesks) deskChoice.append(el("option", { value: slug }, deskName(slug)));
  deskChoice.addEventListener("change", () => {
    layout = { ...layout, desk: deskChoice.value };
    chosenLayout();
  });
  function showLayout(): void {
    const desks = desksShown(layout, editorDesks);
    for (const b of layoutButtons) b.setAttribute("aria-pressed", String(b.dataset.layout === layout.kind));
    layoutGroup.dataset.layout = layout.kind;
    deskChoice.hidden = layout.kind !== "desk" || editorDesks.length === 0;
    if (desks.length) deskChoice.value = desks[0];
    board.root.dataset.layout = layout.kind;
  }
  function chosenLayout(): void {
    saveLayout(layout);
    showLayout();
    void reload(true);
  }

  const mine = el("button", { type: "button", "data-testid": "tab-mine" }, t("mine"));
  mine.addEventListener("click", showMine);

  const sort = el("select", { "data-testid": "queue-sort", "aria-label": t("sort") });
  for (const s of SORTS) sort.append(el("option", { value: s }, t(`sort.${s}` as MessageKey)));
  const reporter = el("select", { "data-testid": "queue-reporter", "aria-label": t("reporter") });
  reporter.append(el("option", { value: "" }, t("anyReporter")));
  const urgency = el("select", { "data-testid": "queue-urgency-filter", "aria-label": t("urgency") });
  urgency.append(el("option", { value: "" }, t("anyUrgency")), el("option", { value: "2" }, t("urgentOnly")));
  for (const select of [sort, reporter, urgency])
    select.addEventListener("change", () => {
      shown.clear();
      void reload(true);
    });
  /** Rows asked for per column ("show more" raises it). */
  const shown = new Map<DeskQueue, number>();

  const notifyBox = el("input", { type: "checkbox", id: "notify-new", "data-testid": "notify-toggle" });
  void ipc.notifications().then((on) => (notifyBox.checked = on)).catch(() => undefined);
  notifyBox.addEventListener("change", () => {
    ipc.setNotifications(notifyBox.checked).catch((e) => (error.textContent = errorText(asAppError(e))));
  });

  // What the board holds now, and the selection.
  let columnsData = new Map<DeskQueue, BoardColumnData>();
  let selectedId: string | null = null;
  const arrivals = arrivalTracker();

  const board = deskBoard({
    select: (id) => select(id, false),
    open,
    enterColumn(queue) {
      const first = board.rows(queue)[0];
      if (first) select(first.dataset.articleId!, true);
      // The column is open at once (what a queue's tab did): for tests/examples/queue_bench.rs.
      board.columns.dataset.queue = queue;
      board.columns.dataset.loadedAt = String(performance.now());
    },
    more(queue) {
      shown.set(queue, (shown.get(queue) ?? PAGE) + PAGE);
      void reload(true);
    },
  });
  const pane = readingPane({ open, approve: (a) => void approve(a) });

  const root = el(
    "section",
    { class: "articles desk-queue", "data-testid": "desk-queue" },
    el(
      "div",
      { class: "toolbar board-toolbar" },
      layoutGroup,
      deskChoice,
      sort,
      reporter,
      urgency,
      el("label", { for: "notify-new", class: "check" }, notifyBox, el("span", {}, t("notifications"))),
      mine,
    ),
    notice,
    error,
    el("div", { class: "desk-workspace" }, board.root, pane.root),
  );
  showLayout();

  function summaryOf(id: string | null): ArticleSummary | null {
    if (!id) return null;
    for (const column of columnsData.values()) {
      const found = column.items.find((a) => a.id === id);
      if (found) return found;
    }
    return null;
  }

  function placeOf(id: string | null): BoardPlace | null {
    if (!id) return null;
    for (const [column, queue] of BOARD_QUEUES.entries()) {
      const row = columnsData.get(queue)?.items.findIndex((a) => a.id === id) ?? -1;
      if (row >= 0) return { column, row };
    }
    return null;
  }

  const idAt = (place: BoardPlace | null) => (place ? (columnsData.get(BOARD_QUEUES[place.column])?.items[place.row]?.id ?? null) : null);

  function select(id: string | null, focus: boolean): void {
    selectedId = id;
    board.markSelected(id, focus);
    pane.show(summaryOf(id));
  }

  function move(step: BoardMove): void {
    const lengths = BOARD_QUEUES.map((q) => columnsData.get(q)?.items.length ?? 0);
    const to = idAt(moveOnBoard(lengths, placeOf(selectedId), step));
    if (to) select(to, true);
  }

  async function approve(a: ArticleSummary): Promise<void> {
    // Rust decides what the editor may do; a clash in the text must be settled first (as on
    // the article screen).
    if (!a.allowed_actions.includes("approve") || Number(a.conflicts) > 0) return;
    const place = placeOf(a.id);
    try {
      await ipc.approveArticle(a.id);
    } catch (e) {
      pane.fail(e);
      return;
    }
    notice.textContent = `${t("approvedNotice")}: ${a.headline || "—"}`;
    notice.hidden = false;
    await reload(false);
    // The next article of the column takes the selection (the approved one has moved on); in
    // an emptied column the selection follows the approved article.
    const lengths = BOARD_QUEUES.map((q) => columnsData.get(q)?.items.length ?? 0);
    const next = place && lengths[place.column] > 0 ? idAt({ column: place.column, row: Math.min(place.row, lengths[place.column] - 1) }) : a.id;
    select(summaryOf(next) ? next : null, true);
  }

  installBoardKeys(root, {
    move,
    open: () => selectedId && open(selectedId),
    approve: () => {
      const a = summaryOf(selectedId);
      if (a) void approve(a);
    },
  });

  const reporters = new Set<string>();
  let seq = 0;

  /** Reads every column again. `rebase`: the editor changed what the board shows, so what
   *  appears is no arrival. */
  async function reload(rebase: boolean): Promise<void> {
    const mySeq = ++seq;
    if (rebase) arrivals.rebase();
    const asked = performance.now();
    const desks = desksShown(layout, editorDesks);
    let views: QueueView[];
    try {
      views = await Promise.all(
        BOARD_QUEUES.map((queue) =>
          ipc.deskQueue({
            queue,
            desks,
            sort: sort.value as QueueSort,
            author: reporter.value || null,
            max_urgency: urgency.value ? Number(urgency.value) : null,
            limit: shown.get(queue) ?? PAGE,
          }),
        ),
      );
    } catch (e) {
      error.textContent = errorText(asAppError(e));
      return;
    }
    if (mySeq !== seq) return;
    // How long the queries took, for the benchmark (tests/examples/queue_bench.rs).
    board.columns.dataset.queryMs = (performance.now() - asked).toFixed(1);
    error.textContent = "";
    const counts = new Map(views[0].counts.map((c) => [c.queue, Number(c.count)]));
    columnsData = new Map(BOARD_QUEUES.map((queue, i) => [queue, { items: views[i].items, count: counts.get(queue) ?? views[i].items.length }]));
    for (const a of views.flatMap((v) => v.items)) {
      if (!reporters.has(a.author)) {
        reporters.add(a.author);
        reporter.append(el("option", { value: a.author }, a.author));
      }
    }
    const arrived = arrivals.see(views.flatMap((v) => v.items.map((a) => a.id)));
    const incomingArrived = arrived.filter((id) => columnsData.get("incoming")!.items.some((a) => a.id === id)).length;
    if (incomingArrived > 0) {
      notice.textContent = `${t("newInQueue")}: ${num(incomingArrived)}`;
      notice.hidden = false;
    }
    const hadFocus = board.root.contains(document.activeElement);
    if (!summaryOf(selectedId)) selectedId = null;
    board.render(columnsData, { showDesk: desks.length !== 1 && editorDesks.length !== 1, arrived: (id) => arrivals.isFresh(id), selectedId });
    board.markSelected(selectedId, hadFocus);
    pane.show(summaryOf(selectedId));
    if (arrived.length) unmarkArrivalsLater();
    board.columns.dataset.loadedAt = String(performance.now());
  }

  /** Takes the arrival mark off once it has been seen for a while (one timer per batch: the
   *  board is not read again for it). */
  function unmarkArrivalsLater(): void {
    window.setTimeout(() => {
      for (const row of board.columns.querySelectorAll<HTMLElement>(".board-row.arrived")) {
        if (arrivals.isFresh(row.dataset.articleId!)) continue;
        row.classList.remove("arrived");
        delete row.dataset.arrived;
      }
    }, arrivals.highlightMs + 50);
  }

  void reload(true);
  return { root, refresh: () => reload(false) };
}
