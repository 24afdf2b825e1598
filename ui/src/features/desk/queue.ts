// The desk editor's queues: incoming (submitted), in progress, approved/scheduled and
// published, each with its count; rows show urgency, headline, reporter, words and age;
// sorting and filters run in the local store. New incoming articles are announced as they
// sync: a notice here, and a desktop notification (sent by the app after each sync round)
// when the editor turns them on.
import { ipc, asAppError, type ArticleSummary, type DeskQueue, type QueueSort, type QueueView} from "../../ipc";
import { ago, num, t, type MessageKey } from "../../i18n/messages";
import { el, errorText } from "../dom";

const QUEUES: DeskQueue[] = ["incoming", "in_progress", "approved", "published"];
const SORTS: QueueSort[] = ["newest", "oldest", "urgency", "words"];
/** Rows shown when a queue opens (a screenful and more); "show more" adds as many again. */
const PAGE = 100;

function row(a: ArticleSummary, open: (id: string) => void): HTMLElement {
  const urgent = a.urgency !== null && a.urgency <= 2;
  const button = el(
    "button",
    { type: "button", class: `article-row queue-row${urgent ? " urgent" : ""}`, "data-testid": "queue-row", "data-article-id": a.id },
    el("span", { class: "urgency", "data-testid": "queue-urgency", title: t("urgency") }, a.urgency === null ? "—" : num(a.urgency)),
    el("span", { class: "headline" }, a.headline || "—"),
    el("span", { class: "reporter" }, a.author),
    el("span", { class: "words", "data-testid": "queue-words" }, `${num(Number(a.words))} ${t("words")}`),
    el("span", { class: "age" }, ago(a.created_at)),
    el("span", { class: "badge state", "data-state": a.state }, t(`state.${a.state}` as MessageKey)),
    el("span", { class: "badge sync", "data-sync": a.sync_state }, t(`sync.${a.sync_state}` as MessageKey)),
    Number(a.conflicts) > 0 ? el("span", { class: "badge conflict", "data-testid": "queue-conflict" }, `${t("sync.conflict")}: ${num(Number(a.conflicts))}`) : null,
  );
  button.addEventListener("click", () => open(a.id));
  return el("li", {}, button);
}

export function deskQueueScreen(
  open: (id: string) => void,
  showMine: () => void,
): { root: HTMLElement; refresh(): Promise<void> } {
  let queue: DeskQueue = "incoming";
  const error = el("p", { class: "error", role: "alert" });
  const notice = el("p", { class: "notice", role: "status", "data-testid": "queue-notice", hidden: "" });
  const tabs = el("nav", { class: "tabs queue-tabs", "aria-label": t("deskQueue") });
  const tabButtons = new Map<DeskQueue, HTMLButtonElement>();
  for (const q of QUEUES) {
    const b = el("button", { type: "button", "data-testid": `queue-${q}`, "data-queue": q }, t(`queue.${q}` as MessageKey));
    b.addEventListener("click", () => {
      queue = q;
      shown = PAGE;
      void refresh();
    });
    tabButtons.set(q, b);
    tabs.append(b);
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
      shown = PAGE;
      void refresh();
    });
  let shown = PAGE;
  const more = el("button", { type: "button", "data-testid": "queue-more", hidden: "" }, t("showMore"));
  more.addEventListener("click", () => {
    shown += PAGE;
    void refresh();
  });

  const notifyBox = el("input", { type: "checkbox", id: "notify-new", "data-testid": "notify-toggle" });
  void ipc.notifications().then((on) => (notifyBox.checked = on)).catch(() => undefined);
  notifyBox.addEventListener("change", () => {
    ipc.setNotifications(notifyBox.checked).catch((e) => (error.textContent = errorText(asAppError(e))));
  });

  const items = el("ul", { class: "article-list queue", "data-testid": "queue-items", "aria-live": "polite" });
  const root = el(
    "section",
    { class: "articles desk-queue", "data-testid": "desk-queue" },
    el("div", { class: "toolbar" }, tabs, mine),
    el(
      "div",
      { class: "toolbar" },
      sort,
      reporter,
      urgency,
      el("label", { for: "notify-new", class: "check" }, notifyBox, t("notifications")),
    ),
    notice,
    error,
    items,
    more,
  );

  let knownIncoming: Set<string> | null = null;
  const reporters = new Set<string>();
  let seq = 0;

  async function refresh(): Promise<void> {
    const mySeq = ++seq;
    const asked = performance.now();
    let view: QueueView;
    try {
      view = await ipc.deskQueue({
        queue,
        desks: [],
        sort: sort.value as QueueSort,
        author: reporter.value || null,
        max_urgency: urgency.value ? Number(urgency.value) : null,
        limit: shown,
      });
    } catch (e) {
      error.textContent = errorText(asAppError(e));
      return;
    }
    if (mySeq !== seq) return;
    // How long the query took, for the benchmark (tests/examples/queue_bench.rs).
    items.dataset.queryMs = (performance.now() - asked).toFixed(1);
    error.textContent = "";
    for (const c of view.counts) {
      const b = tabButtons.get(c.queue)!;
      b.textContent = `${t(`queue.${c.queue}` as MessageKey)} (${num(Number(c.count))})`;
      b.dataset.count = String(c.count);
      if (c.queue === queue) b.setAttribute("aria-current", "page");
      else b.removeAttribute("aria-current");
    }
    for (const a of view.items) {
      if (!reporters.has(a.author)) {
        reporters.add(a.author);
        reporter.append(el("option", { value: a.author }, a.author));
      }
    }
    // New arrivals in "incoming" since the last look.
    if (queue === "incoming" && !reporter.value && !urgency.value) {
      const ids = new Set(view.items.map((a) => a.id));
      if (knownIncoming) {
        const fresh = [...ids].filter((id) => !knownIncoming!.has(id)).length;
        if (fresh > 0) {
          notice.textContent = `${t("newInQueue")}: ${num(fresh)}`;
          notice.hidden = false;
        }
      }
      knownIncoming = ids;
    }
    items.replaceChildren(
      ...(view.items.length ? view.items.map((a) => row(a, open)) : [el("li", { class: "muted" }, t("noArticles"))]),
    );
    const total = Number(view.counts.find((c) => c.queue === queue)?.count ?? 0);
    more.hidden = view.items.length >= total || view.items.length < shown;
    items.dataset.queue = queue;
    items.dataset.loadedAt = String(performance.now());
  }
  void refresh();
  return { root, refresh };
}
