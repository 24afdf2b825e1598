// The article lists: the user's own articles, and (for editors) the desk queue. Worked from the
// keyboard too: arrow keys move along the rows, Enter opens one, ArrowDown leaves the search box
// for the first hit. A search shows the local hits at once, then asks the newsroom's archive on
// the server and adds its hits of articles the laptop does not show, labelled; opening one
// fetches it first.
import {
  ipc,
  asAppError,
  type ArticleList,
  type ArticleSummary,
  type FoundArticle,
  type SearchQuery,
  type UserInfo,
  type WorkflowState,
} from "../../ipc";
import { hitRuns } from "../dom-runs";
import { attachPhonetic } from "../../editor/phoneticAdapters";
import { PHONETIC_ENGINE, deskChoices, dhakaMidnightUtc } from "../article/fields";
import { t, type MessageKey } from "../../i18n/messages";
import { el, errorText } from "../dom";
import { errorWords, otherLang } from "../errors";
import { archiveLine, archiveMark, archiveOpenError, mergeHits, type ArchiveState } from "./archive";

/** How much longer than the local search (120 ms after a keystroke) the archive on the server
 *  waits for typing to pause. */
const ARCHIVE_PAUSE_MS = 250;

/** Every workflow state, in the workflow's order; the compiler checks none is missing. */
const STATE_ORDER = {
  draft: 0,
  submitted: 1,
  in_progress: 2,
  returned: 3,
  approved: 4,
  scheduled: 5,
  published: 6,
  corrected: 7,
  unpublished: 8,
  killed: 9,
  spiked: 10,
} satisfies Record<WorkflowState, number>;
export const EVERY_STATE = (Object.keys(STATE_ORDER) as WorkflowState[]).sort((a, b) => STATE_ORDER[a] - STATE_ORDER[b]);

export function articleRow(a: ArticleSummary, open: (id: string) => void): HTMLElement {
  const button = el(
    "button",
    { type: "button", class: "article-row", "data-testid": "article-row", "data-article-id": a.id },
    el("span", { class: "headline" }, a.headline || "—"),
    el("span", { class: "badge state", "data-state": a.state }, t(`state.${a.state}` as MessageKey)),
    el("span", { class: "badge sync", "data-sync": a.sync_state }, t(`sync.${a.sync_state}` as MessageKey)),
    Number(a.conflicts) > 0 ? el("span", { class: "badge conflict", "data-testid": "row-conflict" }, t("sync.conflict")) : null,
    a.last_error ? el("span", { class: "error", title: a.last_error }, a.last_error_code ? errorWords(a.last_error_code) : a.last_error) : null,
  );
  button.addEventListener("click", () => open(a.id));
  return el("li", {}, button);
}

/** One search hit: headline and snippet with the matched words marked; a hit of the archive
 *  on the server is labelled so. */
export function hitRow(h: FoundArticle, open: (hit: FoundArticle) => void): HTMLElement {
  const archived = h.source === "archive";
  const button = el(
    "button",
    {
      type: "button",
      class: archived ? "article-row hit archived" : "article-row hit",
      "data-testid": "search-hit",
      "data-article-id": h.id,
      "data-source": h.source,
    },
    el("span", { class: "headline" }, ...hitRuns(h.headline_runs.length ? h.headline_runs : [{ text: h.headline, hit: false }])),
    archived ? el("span", { class: "badge archive", "data-testid": "archive-label", title: t("archiveHitTitle") }, t("archive")) : null,
    el("span", { class: "badge state", "data-state": h.state }, t(`state.${h.state}` as MessageKey)),
    el("span", { class: "snippet", "data-testid": "search-snippet" }, ...hitRuns(h.snippet)),
  );
  button.addEventListener("click", () => open(h));
  return el("li", {}, button);
}

/** The row buttons of a list. */
function rowButtons(list: HTMLElement): HTMLButtonElement[] {
  return [...list.querySelectorAll<HTMLButtonElement>("button.article-row")];
}

/** ArrowDown/ArrowUp, Home and End move the focus along the rows; Enter opens the row (as a
 * click does); ArrowUp from the first row goes back to `above` (the search box). */
export function rowKeys(list: HTMLElement, above?: HTMLElement): void {
  list.addEventListener("keydown", (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const rows = rowButtons(list);
    const at = rows.indexOf(e.target as HTMLButtonElement);
    if (at < 0) return;
    if (e.key === "Enter") {
      e.preventDefault();
      rows[at].click();
      return;
    }
    const moves: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1 };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const to = moves[e.key];
    if (to < 0 && above) above.focus();
    else rows[Math.min(Math.max(to, 0), rows.length - 1)].focus();
  });
}

/** Replaces the rows, keeping the keyboard focus on the same article if it had it. */
function replaceRows(list: HTMLElement, rows: HTMLElement[]): void {
  const focused = list.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.articleId : undefined;
  list.replaceChildren(...rows);
  if (focused) rowButtons(list).find((b) => b.dataset.articleId === focused)?.focus();
}

export function articleListScreen(
  user: UserInfo,
  list: ArticleList,
  open: (id: string) => void,
  switchList: (list: ArticleList) => void,
): { root: HTMLElement; refresh(): Promise<void> } {
  const items = el("ul", { class: "article-list", "data-testid": `list-${list}` });
  const error = el("p", { class: "error", role: "alert" });
  const tabs = el("nav", { class: "tabs", "aria-label": t("mine") });
  const tab = (which: ArticleList, key: MessageKey) => {
    const b = el("button", { type: "button", "data-testid": `tab-${which}` }, t(key));
    if (which === list) b.setAttribute("aria-current", "page");
    b.addEventListener("click", () => switchList(which));
    return b;
  };
  tabs.append(tab("mine", "mine"));
  if (user.role === "editor") tabs.append(tab("desk_queue", "deskQueue"));
  const create = el("button", { type: "button", "data-testid": "new-article", class: "primary" }, t("newArticle"));
  create.addEventListener("click", async () => {
    try {
      open((await ipc.createArticle()).summary.id);
    } catch (e) {
      error.textContent = errorText(asAppError(e));
    }
  });

  // Instant search as you type (phonetic typing works here too), with a state filter.
  const search = el("input", {
    type: "search",
    class: "search",
    "data-testid": "search",
    lang: "bn",
    "aria-label": t("search"),
    placeholder: t("search"),
  });
  attachPhonetic(search, PHONETIC_ENGINE);
  const stateFilter = el("select", { "data-testid": "state-filter", "aria-label": t("filterState") });
  stateFilter.append(el("option", { value: "" }, t("allStates")));
  for (const st of EVERY_STATE) stateFilter.append(el("option", { value: st }, t(`state.${st}` as MessageKey)));
  // Narrowing filters: desk, reporter, tag, and the Dhaka dates the article last changed.
  const textFilter = (name: string, key: MessageKey) =>
    el("input", { type: "text", class: "filter", "data-testid": `filter-${name}`, "aria-label": t(key), placeholder: t(key) });
  const deskFilter = textFilter("desk", "filterDesk");
  deskFilter.setAttribute("list", "desk-choices");
  const authorFilter = textFilter("author", "filterAuthor");
  const tagFilter = textFilter("tag", "filterTag");
  const dateFilter = (name: string, key: MessageKey) =>
    el("input", { type: "date", class: "filter", "data-testid": `filter-${name}`, "aria-label": t(key), title: t(key) });
  const fromFilter = dateFilter("from", "filterFrom");
  const untilFilter = dateFilter("until", "filterUntil");
  const filterValue = (input: HTMLInputElement) => input.value.trim() || null;
  const hits = el("ul", { class: "article-list hits", "data-testid": "search-hits" });
  // Under the hits: the archive being asked, or why it was not searched.
  const archiveNote = el("p", { class: "archive-note muted", "data-testid": "archive-note", role: "status" });
  archiveNote.hidden = true;

  // An archive hit is fetched into the laptop's store, then opens as any local article.
  let opening = false;
  const openHit = async (h: FoundArticle) => {
    if (h.source !== "archive") {
      open(h.id);
      return;
    }
    if (opening) return;
    opening = true;
    error.replaceChildren(el("span", { class: "muted" }, t("archiveOpening")));
    try {
      await ipc.openArchivedArticle(h.id);
      error.replaceChildren();
      open(h.id);
    } catch (e) {
      const words = archiveOpenError(asAppError(e));
      error.replaceChildren(
        el("span", { "data-testid": "archive-open-error" }, words.main),
        " ",
        el("span", { class: "other-lang", lang: otherLang() }, words.other),
      );
    } finally {
      opening = false;
    }
  };

  // The local hits replace the list; the archive's are added after them, the local rows left
  // as they are (a row the user has moved to keeps the focus when the archive answers).
  const showHits = (local: FoundArticle[], archive: ArchiveState) => {
    if (archive === "asking") {
      replaceRows(hits, local.length ? local.map((h) => hitRow(h, openHit)) : [el("li", { class: "muted" }, t("noHits"))]);
    } else {
      const added = mergeHits(local, archive.hits).slice(local.length);
      if (added.length && !local.length) hits.replaceChildren();
      hits.append(...added.map((h) => hitRow(h, openHit)));
    }
    const line = archiveLine(archive);
    archiveNote.textContent = line ?? "";
    archiveNote.dataset.archive = archiveMark(archive);
    archiveNote.hidden = line === null;
  };

  // The archive's answer, after the local hits are on screen: typing goes on meanwhile, and an
  // answer to an older query is dropped. The server is asked once typing has paused a little
  // longer than the local search waits (each ask is a request the server audits).
  const askArchive = async (seq: number, query: SearchQuery, local: FoundArticle[]) => {
    await new Promise((resolve) => window.setTimeout(resolve, ARCHIVE_PAUSE_MS));
    if (seq !== searchSeq) return;
    let answer: ArchiveState;
    try {
      answer = await ipc.searchArchive(query);
    } catch {
      answer = { hits: [], not_searched: "server_failed" };
    }
    if (seq !== searchSeq) return;
    showHits(local, answer);
  };

  let searchSeq = 0;
  const runSearch = async () => {
    const seq = ++searchSeq;
    searchTimer = undefined;
    const text = search.value.trim();
    if (!text) {
      hits.replaceChildren();
      hits.hidden = true;
      archiveNote.hidden = true;
      items.hidden = false;
      return;
    }
    try {
      const desk = filterValue(deskFilter);
      const query: SearchQuery = {
        text,
        desks: desk ? [desk] : [],
        states: stateFilter.value ? [stateFilter.value as WorkflowState] : [],
        author: filterValue(authorFilter),
        from: fromFilter.value ? dhakaMidnightUtc(fromFilter.value, 0) : null,
        until: untilFilter.value ? dhakaMidnightUtc(untilFilter.value, 1) : null,
        tag: filterValue(tagFilter),
        limit: 50,
      };
      const found = await ipc.searchArticles(list, query);
      if (seq !== searchSeq) return;
      showHits(found, "asking");
      hits.hidden = false;
      items.hidden = true;
      void askArchive(seq, query, found);
    } catch (e) {
      error.textContent = errorText(asAppError(e));
    }
  };
  let searchTimer: number | undefined;
  search.addEventListener("input", () => {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(runSearch, 120);
  });
  // ArrowDown: to the first hit (searching at once if typing has not paused yet), or to the
  // first article when nothing is searched. (While a phonetic word offers candidates, the
  // phonetic input takes the arrow keys first.)
  search.addEventListener("keydown", async (e) => {
    if (e.key !== "ArrowDown" || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    if (searchTimer !== undefined && search.value.trim()) {
      window.clearTimeout(searchTimer);
      searchTimer = undefined;
      await runSearch();
    }
    rowButtons(hits.hidden ? items : hits)[0]?.focus();
  });
  stateFilter.addEventListener("change", () => void runSearch());
  for (const input of [deskFilter, authorFilter, tagFilter]) {
    input.addEventListener("input", () => {
      window.clearTimeout(searchTimer);
      searchTimer = window.setTimeout(runSearch, 120);
    });
  }
  for (const input of [fromFilter, untilFilter]) input.addEventListener("change", () => void runSearch());

  const root = el(
    "section",
    { class: "articles" },
    el("div", { class: "toolbar" }, tabs, create),
    el("div", { class: "toolbar" }, search, stateFilter),
    el("div", { class: "toolbar filters" }, deskFilter, authorFilter, tagFilter, fromFilter, untilFilter),
    deskChoices("desk-choices", user.desks),
    error,
    hits,
    archiveNote,
    items,
  );
  hits.hidden = true;
  rowKeys(hits, search);
  rowKeys(items, search);

  async function refresh(): Promise<void> {
    if (search.value.trim()) return;
    try {
      const articles = await ipc.listArticles(list);
      replaceRows(
        items,
        articles.length ? articles.map((a) => articleRow(a, open)) : [el("li", { class: "muted" }, t("noArticles"))],
      );
    } catch (e) {
      error.textContent = errorText(asAppError(e));
    }
  }
  void refresh();
  return { root, refresh };
}
