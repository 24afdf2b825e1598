// The article lists: the user's own articles, and (for editors) the desk queue.
import { ipc, asAppError, type ArticleList, type ArticleSummary, type UserInfo } from "../../ipc";
import { t, type MessageKey } from "../../i18n/messages";
import { el, errorText } from "../dom";

export function articleRow(a: ArticleSummary, open: (id: string) => void): HTMLElement {
  const button = el(
    "button",
    { type: "button", class: "article-row", "data-testid": "article-row", "data-article-id": a.id },
    el("span", { class: "headline" }, a.headline || "—"),
    el("span", { class: "badge state", "data-state": a.state }, t(`state.${a.state}` as MessageKey)),
    el("span", { class: "badge sync", "data-sync": a.sync_state }, t(`sync.${a.sync_state}` as MessageKey)),
    a.last_error ? el("span", { class: "error" }, a.last_error) : null,
  );
  button.addEventListener("click", () => open(a.id));
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
  const root = el("section", { class: "articles" }, el("div", { class: "toolbar" }, tabs, create), error, items);

  async function refresh(): Promise<void> {
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
