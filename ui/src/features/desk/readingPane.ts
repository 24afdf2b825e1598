// The reading pane beside the desk board: the selected article read without opening it for
// editing. Its text as the portal will print it (the backend renderer's sanitized page, of which
// only the body is shown), what changed since it was submitted, and its comments (read only);
// a button opens it for editing, and Approve shows only when Rust allows it.
import { ipc, asAppError, type ArticleSummary, type Comment } from "../../ipc";
import { ago, dhakaClock, num, t, type MessageKey } from "../../i18n/messages";
import { on } from "../../ipc/events";
import { el, errorText } from "../dom";
import { isDiffEmpty, renderDiff } from "../article/history";
import { deskName } from "../article/fields";
import { threads } from "../review/comments";

export interface ReadingPaneActions {
  open(id: string): void;
  approve(summary: ArticleSummary): void;
}

export interface ReadingPane {
  root: HTMLElement;
  /** Shows `summary`'s article (nothing when null); reads it again only when it changed. */
  show(summary: ArticleSummary | null): void;
  /** The article shown, if any. */
  shown(): ArticleSummary | null;
  /** Says in the pane why an action failed. */
  fail(e: unknown): void;
}

/** The children of the page's body: the page was built by the backend's renderer and sanitized
 *  there; parsing it runs nothing (DOMParser never executes scripts). */
function pageBody(html: string): Node[] {
  const page = new DOMParser().parseFromString(html, "text/html");
  return Array.from(page.body.children).map((n) => document.importNode(n, true));
}

function commentItem(c: Comment, reply: boolean): HTMLElement {
  return el(
    "li",
    { class: `comment${reply ? " reply" : ""}${c.resolved_at ? " resolved" : ""}`, "data-testid": "reading-comment" },
    c.quote && !reply ? el("blockquote", { class: "quote" }, c.quote) : null,
    el("p", { class: "who" }, `${c.author} · ${dhakaClock(c.created_at)}`, c.resolved_at ? ` · ${t("resolve")}` : ""),
    el("p", { class: "comment-body" }, c.body),
  );
}

function commentList(all: Comment[]): HTMLElement[] {
  if (!all.length) return [el("li", { class: "muted" }, t("noComments"))];
  return threads(all).flatMap(({ root, replies }) => [commentItem(root, false), ...replies.map((r) => commentItem(r, true))]);
}

/** A fingerprint of what the pane shows of a summary: when it is the same, nothing is read. */
const version = (a: ArticleSummary) => `${a.id}|${a.updated_at}|${a.state}|${a.conflicts}|${a.allowed_actions.join(",")}`;

export function readingPane(actions: ReadingPaneActions): ReadingPane {
  const headline = el("h2", { class: "reading-headline", "data-testid": "reading-headline" });
  const meta = el("p", { class: "reading-meta" });
  const openButton = el("button", { type: "button", "data-testid": "reading-open" }, t("openForEditing"));
  const approveButton = el("button", { type: "button", class: "primary", "data-testid": "reading-approve", hidden: "" }, t("approve"));
  const error = el("p", { class: "error", role: "alert" });
  const text = el("div", { class: "reading-text", "data-testid": "reading-text", lang: "bn" });
  const changes = el("div", { class: "reading-changes", "data-testid": "reading-changes" });
  const comments = el("ul", { class: "comments", "data-testid": "reading-comments" });
  const empty = el("p", { class: "muted reading-empty", "data-testid": "reading-empty" }, t("readingNothing"));
  const article = el(
    "div",
    { class: "reading-article", hidden: "" },
    headline,
    meta,
    el("div", { class: "toolbar" }, openButton, approveButton),
    error,
    el("section", { "aria-label": t("readingText") }, text),
    el("section", { class: "reading-section" }, el("h3", {}, t("trackChanges")), changes),
    el("section", { class: "reading-section" }, el("h3", {}, t("comments")), comments),
  );
  const root = el("aside", { class: "reading-pane", "data-testid": "reading-pane", "aria-label": t("readingPane") }, empty, article);

  let current: ArticleSummary | null = null;
  let shownVersion = "";
  let seq = 0;

  openButton.addEventListener("click", () => current && actions.open(current.id));
  approveButton.addEventListener("click", () => current && actions.approve(current));

  function fail(e: unknown): void {
    error.textContent = errorText(asAppError(e));
  }

  async function loadComments(id: string, mySeq: number): Promise<void> {
    const all = await ipc.comments(id);
    if (mySeq === seq) comments.replaceChildren(...commentList(all));
  }

  async function load(a: ArticleSummary, mySeq: number): Promise<void> {
    const still = () => mySeq === seq;
    const textDone = ipc.preview(a.id, null).then((html) => {
      if (!still()) return;
      text.replaceChildren(...pageBody(html));
      text.dataset.loaded = "true";
    });
    const changesDone = ipc.loadArticle(a.id).then(async (draft) => {
      if (!draft.submitted_rev) {
        if (still()) changes.replaceChildren(el("p", { class: "muted" }, t("notSubmittedYet")));
        return;
      }
      const diff = await ipc.diff(a.id, draft.submitted_rev, null);
      if (still()) changes.replaceChildren(isDiffEmpty(diff) ? el("p", { class: "muted" }, t("noChanges")) : renderDiff(diff));
    });
    const results = await Promise.allSettled([textDone, changesDone, loadComments(a.id, mySeq)]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed && still()) fail(failed.reason);
  }

  function show(a: ArticleSummary | null): void {
    const sameArticle = current?.id === a?.id;
    current = a;
    empty.hidden = a !== null;
    article.hidden = a === null;
    root.dataset.articleId = a?.id ?? "";
    if (!a) {
      shownVersion = "";
      seq++;
      return;
    }
    const allowed = a.allowed_actions.includes("approve");
    approveButton.hidden = !allowed;
    // The article screen refuses to approve a text with a clash in it: so does the pane.
    approveButton.disabled = Number(a.conflicts) > 0;
    approveButton.title = Number(a.conflicts) > 0 ? `${t("conflictsLeft")}: ${num(Number(a.conflicts))}` : "";
    headline.textContent = a.headline || "—";
    meta.replaceChildren(
      el("span", {}, a.author),
      el("span", {}, deskName(a.desk)),
      el("span", { class: "badge state", "data-state": a.state }, t(`state.${a.state}` as MessageKey)),
      el("span", {}, `${num(Number(a.words))} ${t("words")}`),
      el("span", {}, ago(a.created_at)),
    );
    if (version(a) === shownVersion) return;
    shownVersion = version(a);
    const mySeq = ++seq;
    if (!sameArticle) {
      error.textContent = "";
      delete text.dataset.loaded;
      for (const part of [text, changes]) part.replaceChildren(el("p", { class: "muted" }, t("loading")));
      comments.replaceChildren(el("li", { class: "muted" }, t("loading")));
    }
    void load(a, mySeq);
  }

  // Comments arrive without the article changing: read them again for the article shown.
  const stop = on("comments_changed", (e) => {
    if (!root.isConnected) return stop();
    if (current && e.article_id === current.id) loadComments(current.id, seq).catch(fail);
  });

  return { root, show, shown: () => current, fail };
}
