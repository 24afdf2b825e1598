// The article lists: the user's own articles, and (for editors) the desk queue.
import { ipc, asAppError, type ArticleList, type ArticleSummary, type SearchHit, type UserInfo, type WorkflowState } from "../../ipc";
import { hitRuns } from "../dom-runs";
import { attachPhonetic } from "../../editor/phoneticAdapters";
import { PHONETIC_ENGINE, dhakaMidnightUtc } from "../article/fields";
import { t, type MessageKey } from "../../i18n/messages";
import { el, errorText } from "../dom";
import { errorWords } from "../errors";

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

/** One search hit: headline and snippet with the matched words marked. */
export function hitRow(h: SearchHit, open: (id: string) => void): HTMLElement {
  const button = el(
    "button",
    { type: "button", class: "article-row hit", "data-testid": "search-hit", "data-article-id": h.id },
    el("span", { class: "headline" }, ...hitRuns(h.headline_runs.length ? h.headline_runs : [{ text: h.headline, hit: false }])),
    el("span", { class: "badge state", "data-state": h.state }, t(`state.${h.state}` as MessageKey)),
    el("span", { class: "snippet", "data-testid": "search-snippet" }, ...hitRuns(h.snippet)),
  );
  button.addEventListener("click", () => open(h.id));
  return el("li", {}, button);
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
  const states: WorkflowState[] = ["draft", "submitted", "in_progress", "returned", "approved", "published"];
  for (const st of states) stateFilter.append(el("option", { value: st }, t(`state.${st}` as MessageKey)));
  // Narrowing filters: desk, reporter, tag, and the Dhaka dates the article last changed.
  const textFilter = (name: string, key: MessageKey) =>
    el("input", { type: "text", class: "filter", "data-testid": `filter-${name}`, "aria-label": t(key), placeholder: t(key) });
  const deskFilter = textFilter("desk", "filterDesk");
  const authorFilter = textFilter("author", "filterAuthor");
  const tagFilter = textFilter("tag", "filterTag");
  const dateFilter = (name: string, key: MessageKey) =>
    el("input", { type: "date", class: "filter", "data-testid": `filter-${name}`, "aria-label": t(key), title: t(key) });
  const fromFilter = dateFilter("from", "filterFrom");
  const untilFilter = dateFilter("until", "filterUntil");
  const filterValue = (input: HTMLInputElement) => input.value.trim() || null;
  const hits = el("ul", { class: "article-list hits", "data-testid": "search-hits" });
  let searchSeq = 0;
  const runSearch = async () => {
    const seq = ++searchSeq;
    const text = search.value.trim();
    if (!text) {
      hits.replaceChildren();
      hits.hidden = true;
      items.hidden = false;
      return;
    }
    try {
      const desk = filterValue(deskFilter);
      const found = await ipc.searchArticles(list, {
        text,
        desks: desk ? [desk] : [],
        states: stateFilter.value ? [stateFilter.value as WorkflowState] : [],
        author: filterValue(authorFilter),
        from: fromFilter.value ? dhakaMidnightUtc(fromFilter.value, 0) : null,
        until: untilFilter.value ? dhakaMidnightUtc(untilFilter.value, 1) : null,
        tag: filterValue(tagFilter),
        limit: 50,
      });
      if (seq !== searchSeq) return;
      hits.replaceChildren(...(found.length ? found.map((h) => hitRow(h, open)) : [el("li", { class: "muted" }, t("noHits"))]));
      hits.hidden = false;
      items.hidden = true;
    } catch (e) {
      error.textContent = errorText(asAppError(e));
    }
  };
  let searchTimer: number | undefined;
  search.addEventListener("input", () => {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(runSearch, 120);
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
    error,
    hits,
    items,
  );
  hits.hidden = true;

  async function refresh(): Promise<void> {
    if (search.value.trim()) return;
    try {
      const articles = await ipc.listArticles(list);
      items.replaceChildren(
        ...(articles.length
          ? articles.map((a) => articleRow(a, open))
          : [el("li", { class: "muted" }, t("noArticles"))]),
      );
    } catch (e) {
      error.textContent = errorText(asAppError(e));
    }
  }
  void refresh();
  return { root, refresh };
}
