// The review tools of the article screen: soft presence ("nasrin has it open since 10:42"),
// the reporter's view of a return note, changes since submission (tracked changes, shown or
// hidden), comments on passages (threaded, resolvable, synced), and for desk editors: take,
// return with a note, approve the exact version shown, publish now or at a Dhaka time, the
// publication preview, and "approved ≠ current" with what changed.
import { ipc, asAppError, type ArticleDraft, type Comment, type UserInfo, type WorkflowState } from "../../ipc";
import { dhakaClock, num, t, type MessageKey } from "../../i18n/messages";
import { el, errorText } from "../dom";
import { settle, TYPING_MAX_UNSAVED_MS, TYPING_SAVE_DELAY_MS } from "../settle";
import { renderDiff } from "../article/history";
import { dhakaLocalToUtc } from "../article/fields";
import type { BodyEditor } from "../../editor/editor";
import { anchorFromSelection, commentHighlights } from "../../editor/commentAnchors";
import { conflictCount } from "../../editor/conflict";
import { websitePanel } from "./website";

const PRESENCE_EVERY_MS = 20_000;
const PRESENCE_RETRY_MS = 3_000;

export interface ReviewHost {
  draft: ArticleDraft;
  user: UserInfo;
  editor: BodyEditor;
  /** Saves what is typed (before any action). */
  flush: () => Promise<void>;
  /** The article's state changed. */
  setState: (summary: { state: WorkflowState }) => void;
  /** Shows an error in the article's error line. */
  fail: (message: string) => void;
  /** Reopens the article (to show what an action changed). */
  reopen: () => void;
}

/** The highlight plugin must be in the editor from the start. */
export function reviewPlugins(): ReturnType<typeof commentHighlights> {
  return commentHighlights();
}

function isDiffEmpty(diff: Awaited<ReturnType<typeof ipc.diff>>): boolean {
  return (
    diff.blocks.every((b) => b.change === "unchanged") &&
    diff.meta_changed.length === 0 &&
    diff.headline.every((r) => r.op === "equal")
  );
}

export interface ReviewTools {
  /** Buttons for the article's toolbar. */
  actions: HTMLElement[];
  /** Presence, notes, conflicts and forms, under the toolbar. */
  banners: HTMLElement;
  /** Tracked changes, approved ≠ current, comments and the preview, under the form. */
  panels: HTMLElement;
  /** To call after every edit (conflicts may have been resolved, the text may now differ
   * from the approved version). */
  changed(): void;
  destroy(): void;
}

export function reviewTools(host: ReviewHost, highlights: ReturnType<typeof commentHighlights>): ReviewTools {
  const { draft, user, editor } = host;
  const id = draft.summary.id;
  const isEditor = user.role === "editor";
  const state = draft.summary.state;
  const actions: HTMLElement[] = [];
  const banners = el("div", { class: "review-banners" });
  const panels = el("div", { class: "review-panels" });
  const guard = async (run: () => Promise<void>) => {
    try {
      await host.flush();
      await run();
    } catch (e) {
      host.fail(errorText(asAppError(e)));
    }
  };
  const button = (key: MessageKey, testid: string, run: () => Promise<void>, primary = false) => {
    const b = el("button", { type: "button", "data-testid": testid, class: primary ? "primary" : "" }, t(key));
    b.addEventListener("click", async () => {
      b.disabled = true;
      await guard(run);
      b.disabled = false;
    });
    return b;
  };

  // Presence: a heartbeat while the article is open; never a lock.
  const presence = el("p", { class: "presence", "data-testid": "presence", role: "status", hidden: "" });
  let presenceTimer: number | undefined;
  let closed = false;
  const beat = async () => {
    let next = PRESENCE_EVERY_MS;
    try {
      const others = await ipc.presence(id);
      presence.hidden = others.length === 0;
      presence.textContent = others.map((p) => `${p.username} ${t("editingSince")} ${dhakaClock(p.since)}`).join(" · ");
    } catch {
      // Offline, or the article has not reached the server yet: try again soon.
      next = PRESENCE_RETRY_MS;
    }
    if (!closed) presenceTimer = window.setTimeout(() => void beat(), next);
  };
  void beat();
  banners.append(presence);

  // A return note, for the reporter (and anyone opening a returned article).
  if (state === "returned" && draft.summary.note) {
    banners.append(el("p", { class: "notice returned", "data-testid": "return-note", role: "status" }, `${t("returnedWithNote")}: ${draft.summary.note}`));
  }

  // Conflicts left in the text.
  const conflicts = el("p", { class: "notice conflicts", "data-testid": "conflict-count", role: "status", hidden: "" });
  const refreshConflicts = () => {
    const n = conflictCount(editor.view.state.doc);
    conflicts.hidden = n === 0;
    conflicts.dataset.count = String(n);
    conflicts.textContent = `${t("conflictsLeft")}: ${num(n)}`;
    approveButton?.toggleAttribute("disabled", n > 0);
  };
  banners.append(conflicts);

  // Changes since submission, shown or hidden.
  const changes = el("section", { class: "tracked", "data-testid": "tracked-changes", hidden: "" });
  if (draft.submitted_rev) {
    const toggle = el("button", { type: "button", "data-testid": "track-changes", "aria-pressed": "false" }, t("trackChanges"));
    toggle.addEventListener("click", () =>
      guard(async () => {
        if (!changes.hidden) {
          changes.hidden = true;
          toggle.setAttribute("aria-pressed", "false");
          toggle.textContent = t("trackChanges");
          return;
        }
        const diff = await ipc.diff(id, draft.submitted_rev!, null);
        changes.replaceChildren(
          el("h2", {}, t("trackChanges")),
          isDiffEmpty(diff) ? el("p", { class: "muted" }, t("noChanges")) : renderDiff(diff),
        );
        changes.hidden = false;
        toggle.setAttribute("aria-pressed", "true");
        toggle.textContent = t("hideChanges");
      }),
    );
    actions.push(toggle);
  }
  panels.append(changes);

  // Approved ≠ current.
  const approvedBox = el("section", { class: "approved-diff", "data-testid": "approved-diff", hidden: "" });
  const checkApproved = async () => {
    if (!draft.approved_rev || !["approved", "scheduled"].includes(state)) return;
    await host.flush();
    const diff = await ipc.diff(id, draft.approved_rev, null);
    const same = isDiffEmpty(diff);
    approvedBox.dataset.same = String(same);
    approvedBox.replaceChildren(
      el("p", { class: same ? "muted" : "notice warn", role: "status" }, same ? t("approvedSame") : t("approvedDiffers")),
      ...(same ? [] : [renderDiff(diff)]),
    );
    approvedBox.hidden = false;
  };
  panels.append(approvedBox);
  let approvedTimer: number | undefined;

  // Comments.
  const commentsBox = commentsPanel(host, highlights);
  panels.append(commentsBox.root);

  // The editor's actions.
  let approveButton: HTMLButtonElement | null = null;
  const publishBox = el("div", { class: "publish", "data-testid": "publish-box" });
  const previewBox = el("section", { class: "preview", "data-testid": "preview", hidden: "" });
  // Where the article stands on the newsroom's website(s), once it was ever published.
  const website = websitePanel(id, isEditor, host.fail);
  if (["scheduled", "published", "corrected", "unpublished", "killed"].includes(state)) website.refresh();
  if (isEditor) {
    const after = (summary: { state: WorkflowState }) => {
      host.setState(summary);
      website.refresh();
    };
    if (state === "submitted") actions.push(button("take", "take", async () => after(await ipc.act(id, "take", null))));
    if (["submitted", "in_progress", "approved"].includes(state)) {
      const form = el("div", { class: "return-form", hidden: "" });
      const note = el("textarea", { rows: "3", "data-testid": "return-note-input", "aria-label": t("returnNote"), placeholder: t("returnNote"), lang: "bn" });
      const send = button("returnSend", "return-send", async () => {
        after(await ipc.act(id, "return", note.value));
        form.hidden = true;
      }, true);
      const cancel = el("button", { type: "button" }, t("cancel"));
      cancel.addEventListener("click", () => (form.hidden = true));
      form.append(el("label", {}, t("returnNote")), note, el("div", { class: "toolbar" }, send, cancel));
      const open = el("button", { type: "button", "data-testid": "return" }, t("returnToReporter"));
      open.addEventListener("click", () => {
        form.hidden = false;
        note.focus();
      });
      actions.push(open);
      banners.append(form);
    }
    if (["submitted", "in_progress", "approved"].includes(state)) {
      approveButton = button("approve", "approve", async () => {
        after(await ipc.approveArticle(id));
        host.reopen();
      }, true);
      actions.push(approveButton);
    }
    const published = el("p", { class: "public-link", "data-testid": "public-link" });
    const showLink = (url: string, scheduled: boolean) =>
      published.replaceChildren(
        `${scheduled ? t("scheduledFor") : t("publishedAt")} · ${t("publicLink")}: `,
        el("a", { href: url, "data-testid": "public-url", target: "_blank", rel: "noopener" }, url),
      );
    if (["scheduled", "published", "corrected", "unpublished"].includes(state)) {
      void ipc
        .publicUrl(id)
        .then((url) => url && showLink(url, state === "scheduled"))
        .catch(() => undefined);
      publishBox.append(published);
    }
    if (["published", "corrected"].includes(state)) {
      // A correction: the text as now edited replaces the published one, with a note.
      const note = el("input", { type: "text", "data-testid": "correction-note", "aria-label": t("correctionNote"), placeholder: t("correctionNote"), lang: "bn" });
      publishBox.append(
        note,
        button("correction", "correct", async () => {
          const outcome = await ipc.correct(id, note.value);
          after({ state: outcome.state });
          showLink(outcome.public_url, false);
        }),
      );
      actions.push(button("unpublish", "unpublish", async () => after(await ipc.act(id, "unpublish", null))));
    }
    if (["published", "corrected", "unpublished"].includes(state)) {
      actions.push(button("kill", "kill", async () => after(await ipc.act(id, "kill", null))));
    }
    if (["approved", "scheduled"].includes(state)) {
      const at = el("input", { type: "datetime-local", "data-testid": "schedule-at", "aria-label": t("scheduleAt") });
      const publish = (when: () => string | null) => async () => {
        const outcome = await ipc.publish(id, when());
        after({ state: outcome.state });
        showLink(outcome.public_url, outcome.state === "scheduled");
      };
      publishBox.append(
        button("publishNow", "publish-now", publish(() => null), true),
        el("label", {}, t("scheduleAt"), at),
        button(
          "schedule",
          "schedule",
          publish(() => {
            const utc = dhakaLocalToUtc(at.value);
            if (!utc) throw { code: "invalid", message: t("chooseTime") };
            return utc;
          }),
        ),
      );
      if (!publishBox.contains(published)) publishBox.append(published);
    }
    actions.push(
      button("preview", "preview-open", async () => {
        const html = await ipc.preview(id, null);
        // The page is built by the backend's renderer and sanitized there; parsing it here
        // runs nothing (DOMParser never executes scripts) and only its article is shown.
        const page = new DOMParser().parseFromString(html, "text/html");
        previewBox.replaceChildren(
          el("h2", {}, t("preview")),
          ...Array.from(page.body.children).map((n) => document.importNode(n, true)),
        );
        previewBox.hidden = false;
        previewBox.scrollIntoView({ block: "start" });
      }),
    );
  }
  banners.append(publishBox, website.root);
  panels.append(previewBox);

  refreshConflicts();
  void checkApproved().catch((e) => host.fail(errorText(asAppError(e))));
  return {
    actions,
    banners,
    panels,
    changed: () => {
      refreshConflicts();
      window.clearTimeout(approvedTimer);
      approvedTimer = window.setTimeout(() => void checkApproved().catch(() => undefined), 800);
    },
    destroy: () => {
      closed = true;
      window.clearTimeout(presenceTimer);
      window.clearTimeout(approvedTimer);
      commentsBox.destroy();
      website.destroy();
      void ipc.leave(id).catch(() => undefined);
    },
  };
}

/** Comments: the threads of the article, a comment on the selected passage, replies and
 * resolving. */
function commentsPanel(host: ReviewHost, highlights: ReturnType<typeof commentHighlights>): { root: HTMLElement; destroy(): void } {
  const id = host.draft.summary.id;
  const list = el("ul", { class: "comments", "data-testid": "comments" });
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

  // The comments being typed, by the comment they answer ("" for a new one): kept in the store
  // as typing is (within 120 ms), put back after a restart, and into the reply fields that a
  // reload of the list builds again, with the focus and the caret.
  const drafts = new Map<string, string>();
  const saveDrafts = settle(TYPING_SAVE_DELAY_MS, TYPING_MAX_UNSAVED_MS, () => {
    ipc.saveCommentDrafts(id, Object.fromEntries(drafts)).catch((e) => (error.textContent = errorText(asAppError(e))));
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

  const render = (all: Comment[]) => {
    // A reply being typed keeps its focus and caret through the rebuild.
    const typing = document.activeElement instanceof HTMLInputElement && list.contains(document.activeElement) ? document.activeElement : null;
    const typingIn = typing?.closest<HTMLElement>("[data-comment-id]")?.dataset.commentId;
    const caret = typing ? [typing.selectionStart ?? 0, typing.selectionEnd ?? 0] : null;
    highlights.setComments(host.editor.view, all.map((c) => ({ id: c.id, anchor: { block_id: c.block_id, start: c.start, end: c.end, quote: c.quote }, resolved: c.resolved_at !== null })));
    const roots = all.filter((c) => !c.parent_id || !all.some((p) => p.id === c.parent_id));
    list.replaceChildren(
      ...(roots.length
        ? roots.map((c) => thread(c, all.filter((r) => r.parent_id === c.id)))
        : [el("li", { class: "muted" }, t("noComments"))]),
    );
    if (typingIn && caret) {
      const again = list.querySelector<HTMLInputElement>(`[data-comment-id="${CSS.escape(typingIn)}"] [data-testid="reply-input"]`);
      again?.focus();
      again?.setSelectionRange(caret[0], caret[1]);
    }
  };
  const one = (c: Comment) =>
    el(
      "div",
      { class: "comment-body" },
      el("span", { class: "who" }, `${c.author} · ${dhakaClock(c.created_at)}`),
      c.synced ? null : el("span", { class: "badge", "data-testid": "comment-unsynced" }, t("notSynced")),
      el("p", {}, c.body),
    );
  const thread = (c: Comment, replies: Comment[]) => {
    const item = el(
      "li",
      {
        class: `comment${c.resolved_at ? " resolved" : ""}${c.detached ? " orphaned" : ""}`,
        "data-testid": "comment",
        "data-comment-id": c.id,
        "data-resolved": String(c.resolved_at !== null),
        "data-orphaned": String(c.detached),
      },
      c.quote ? el("blockquote", { class: "quote" }, c.quote) : null,
      c.detached ? el("p", { class: "muted", "data-testid": "comment-orphaned" }, t("orphaned")) : null,
      one(c),
      ...replies.map((r) => el("div", { class: "reply" }, one(r))),
    );
    if (c.resolved_at) {
      item.append(el("p", { class: "muted" }, `${t("resolvedBy")}: ${c.resolved_by ?? ""}`));
      return item;
    }
    const replyInput = el("input", { type: "text", "data-testid": "reply-input", "aria-label": t("reply"), placeholder: t("reply"), lang: "bn" });
    keepDraft(c.id, replyInput);
    const replyButton = el("button", { type: "button", "data-testid": "reply-send" }, t("send"));
    replyButton.addEventListener("click", async () => {
      if (!replyInput.value.trim()) return;
      try {
        await ipc.addComment(id, { block_id: c.block_id, start: c.start, end: c.end, quote: c.quote }, c.id, replyInput.value);
        posted(c.id);
        await reload();
      } catch (e) {
        error.textContent = errorText(asAppError(e));
      }
    });
    const resolve = el("button", { type: "button", "data-testid": "comment-resolve" }, t("resolve"));
    resolve.addEventListener("click", async () => {
      try {
        await ipc.resolveComment(c.id);
        await reload();
      } catch (e) {
        error.textContent = errorText(asAppError(e));
      }
    });
    item.append(el("div", { class: "toolbar" }, replyInput, replyButton, resolve));
    return item;
  };
  const reload = async () => {
    try {
      render(await ipc.comments(id));
    } catch (e) {
      error.textContent = errorText(asAppError(e));
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
      await reload();
    } catch (e) {
      error.textContent = errorText(asAppError(e));
    }
  });
  keepDraft("", input);
  void ipc.commentDrafts(id).then(
    (kept) => {
      for (const [parent, text] of Object.entries(kept ?? {})) if (!drafts.has(parent)) drafts.set(parent, text);
      if (!input.value) input.value = drafts.get("") ?? "";
      return reload();
    },
    () => reload(),
  );
  const timer = window.setInterval(() => void reload(), 5000);
  return {
    root,
    destroy: () => {
      window.clearInterval(timer);
      // What was typed in the last moments is kept too.
      if (saveDrafts.cancel()) ipc.saveCommentDrafts(id, Object.fromEntries(drafts)).catch(() => {});
    },
  };
}
