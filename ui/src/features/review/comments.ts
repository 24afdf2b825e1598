// Comments on passages: the article's threads, a comment on the selected passage, replies and
// resolving. The list follows the article store and is updated by thread, in place: a thread
// that did not change keeps its elements, and one that did keeps its reply field, so a reply
// being typed (its text, focus and caret) survives a comment arriving from the desk.
import { ipc, asAppError, type Comment } from "../../ipc";
import { dhakaClock, t } from "../../i18n/messages";
import { el, errorText } from "../dom";
import { settle, TYPING_MAX_UNSAVED_MS, TYPING_SAVE_DELAY_MS } from "../settle";
import { anchorFromSelection, type commentHighlights } from "../../editor/commentAnchors";
import { fingerprint, type ArticleStore } from "../article/articleStore";
import type { BodyEditor } from "../../editor/editor";

export interface CommentsHost {
  store: ArticleStore;
  editor: BodyEditor;
  /** Saves what is typed (a comment points at a saved block). */
  flush: () => Promise<void>;
}

/** One thread's elements: its root comment and replies are redrawn; its reply field stays. */
interface ThreadView {
  item: HTMLLIElement;
  print: string;
  bodies: HTMLElement;
  resolvedNote: HTMLElement;
  toolbar: HTMLElement;
}

/** Threads in order: a comment whose parent is not here is a root of its own. */
export function threads(all: Comment[]): { root: Comment; replies: Comment[] }[] {
  const roots = all.filter((c) => !c.parent_id || !all.some((p) => p.id === c.parent_id));
  return roots.map((root) => ({ root, replies: all.filter((r) => r.parent_id === root.id) }));
}

export function commentsPanel(host: CommentsHost, highlights: ReturnType<typeof commentHighlights>): { root: HTMLElement; destroy(): void } {
  const { store } = host;
  const id = store.id;
  const list = el("ul", { class: "comments", "data-testid": "comments" });
  const empty = el("li", { class: "muted" }, t("noComments"));
  const input = el("textarea", { rows: "2", "data-testid": "comment-input", "aria-label": t("comments"), placeholder: t("commentPlaceholder"), lang: "bn" });
  const error = el("p", { class: "error", role: "alert" });
  const add = el("button", { type: "button", "data-testid": "comment-add" }, t("addComment"));
  // The selection is read when the button is pressed, before the focus leaves the editor.
  add.addEventListener("mousedown", (e) => e.preventDefault());
  const root = el(
    "section",
    { class: "comments-box", "aria-label": t("comments") },
    el("h2", {}, t("comments")),
    input,
    el("div", { class: "toolbar" }, add),
    error,
    list,
  );
  const fail = (e: unknown) => (error.textContent = errorText(asAppError(e)));

  // The comments being typed, by the comment they answer ("" for a new one): kept in the store
  // as typing is (within 120 ms) and put back after a restart.
  const drafts = new Map<string, string>();
  const saveDrafts = settle(TYPING_SAVE_DELAY_MS, TYPING_MAX_UNSAVED_MS, () => {
    ipc.saveCommentDrafts(id, Object.fromEntries(drafts)).catch(fail);
  });
  const keepDraft = (parent: string, field: HTMLInputElement | HTMLTextAreaElement) => {
    field.value = drafts.get(parent) ?? "";
    field.addEventListener("input", () => {
      if (field.value) drafts.set(parent, field.value);
      else drafts.delete(parent);
      saveDrafts.poke();
    });
  };
  const posted = (parent: string) => {
    drafts.delete(parent);
    saveDrafts.cancel();
    ipc.saveCommentDrafts(id, Object.fromEntries(drafts)).catch(() => {});
  };

  const one = (c: Comment) =>
    el(
      "div",
      { class: "comment-body" },
      el("span", { class: "who" }, `${c.author} · ${dhakaClock(c.created_at)}`),
      c.synced ? null : el("span", { class: "badge", "data-testid": "comment-unsynced" }, t("notSynced")),
      el("p", {}, c.body),
    );

  const views = new Map<string, ThreadView>();
  const makeThread = (first: Comment): ThreadView => {
    const item = el("li", { "data-testid": "comment", "data-comment-id": first.id });
    const bodies = el("div", { class: "thread-bodies" });
    const resolvedNote = el("p", { class: "muted" });
    const replyInput = el("input", { type: "text", "data-testid": "reply-input", "aria-label": t("reply"), placeholder: t("reply"), lang: "bn" });
    keepDraft(first.id, replyInput);
    const replyButton = el("button", { type: "button", "data-testid": "reply-send" }, t("send"));
    replyButton.addEventListener("click", async () => {
      if (!replyInput.value.trim()) return;
      try {
        await ipc.addComment(id, { block_id: first.block_id, start: first.start, end: first.end, quote: first.quote }, first.id, replyInput.value);
        replyInput.value = "";
        posted(first.id);
        await store.reloadComments();
      } catch (e) {
        fail(e);
      }
    });
    const resolve = el("button", { type: "button", "data-testid": "comment-resolve" }, t("resolve"));
    resolve.addEventListener("click", async () => {
      try {
        await ipc.resolveComment(id, first.id);
        await store.reloadComments();
      } catch (e) {
        fail(e);
      }
    });
    const toolbar = el("div", { class: "toolbar" }, replyInput, replyButton, resolve);
    item.append(bodies, resolvedNote, toolbar);
    return { item, print: "", bodies, resolvedNote, toolbar };
  };
  const drawThread = (view: ThreadView, c: Comment, replies: Comment[]) => {
    const resolved = c.resolved_at !== null;
    view.item.className = `comment${resolved ? " resolved" : ""}${c.detached ? " orphaned" : ""}`;
    view.item.dataset.resolved = String(resolved);
    view.item.dataset.orphaned = String(c.detached);
    view.bodies.replaceChildren(
      ...(c.quote ? [el("blockquote", { class: "quote" }, c.quote)] : []),
      ...(c.detached ? [el("p", { class: "muted", "data-testid": "comment-orphaned" }, t("orphaned"))] : []),
      one(c),
      ...replies.map((r) => el("div", { class: "reply" }, one(r))),
    );
    view.resolvedNote.hidden = !resolved;
    view.resolvedNote.textContent = resolved ? `${t("resolvedBy")}: ${c.resolved_by ?? ""}` : "";
    view.toolbar.hidden = resolved;
  };

  const render = (all: Comment[]) => {
    highlights.setComments(
      host.editor.view,
      all.map((c) => ({ id: c.id, anchor: { block_id: c.block_id, start: c.start, end: c.end, quote: c.quote }, resolved: c.resolved_at !== null })),
    );
    const wanted = threads(all);
    const keep = new Set(wanted.map((w) => w.root.id));
    for (const [key, view] of views) {
      if (!keep.has(key)) {
        view.item.remove();
        views.delete(key);
      }
    }
    if (wanted.length === 0) {
      list.replaceChildren(empty);
      return;
    }
    empty.remove();
    // In order, moving an element only when it is out of place (a move would take the focus).
    let at = list.firstChild;
    for (const { root: c, replies } of wanted) {
      let view = views.get(c.id);
      if (!view) views.set(c.id, (view = makeThread(c)));
      const print = fingerprint([c, replies]);
      if (view.print !== print) {
        view.print = print;
        drawThread(view, c, replies);
      }
      if (view.item === at) at = at.nextSibling;
      else list.insertBefore(view.item, at);
    }
  };

  add.addEventListener("click", async () => {
    error.textContent = "";
    const anchor = anchorFromSelection(host.editor.view.state);
    if (!anchor) {
      error.textContent = t("selectFirst");
      return;
    }
    if (!input.value.trim()) {
      input.focus();
      return;
    }
    try {
      // The block must be in the saved working copy before a comment can point at it.
      await host.flush();
      await ipc.addComment(id, anchor, null, input.value);
      input.value = "";
      posted("");
      await store.reloadComments();
    } catch (e) {
      fail(e);
    }
  });
  keepDraft("", input);
  let stop = () => {};
  void ipc.commentDrafts(id).then(
    (kept) => {
      for (const [parent, text] of Object.entries(kept ?? {})) if (!drafts.has(parent)) drafts.set(parent, text);
      if (!input.value) input.value = drafts.get("") ?? "";
      for (const [parent, view] of views) {
        const field = view.toolbar.querySelector<HTMLInputElement>("[data-testid=reply-input]");
        if (field && !field.value) field.value = drafts.get(parent) ?? "";
      }
    },
    () => undefined,
  );
  stop = store.subscribe("comments", render);
  return {
    root,
    destroy: () => {
      stop();
      // What was typed in the last moments is kept too.
      if (saveDrafts.cancel()) ipc.saveCommentDrafts(id, Object.fromEntries(drafts)).catch(() => {});
    },
  };
}
