// The review tools of the article screen: soft presence ("nasrin has it open since 10:42"),
// the reporter's view of a return note, changes since submission (tracked changes, shown or
// hidden), comments on passages, and for desk editors: take, return with a note, approve the
// exact version shown, publish now or at a Dhaka time, correct, unpublish, kill, the
// publication preview, and "approved ≠ current" with what changed. Which actions show is
// decided in Rust (the summary's allowed_actions); everything follows the article store, so a
// change made by the desk or the sync loop updates the tools in place.
import { ipc, asAppError, type Action, type ArticleDraft, type ArticleSummary, type UserInfo } from "../../ipc";
import { dhakaClock, num, t, type MessageKey } from "../../i18n/messages";
import { el, errorText } from "../dom";
import { isDiffEmpty, renderDiff } from "../article/history";
import { scheduleField } from "../article/fields";
import type { BodyEditor } from "../../editor/editor";
import { commentHighlights } from "../../editor/commentAnchors";
import { conflictCount } from "../../editor/conflict";
import { websitePanel } from "./website";
import { commentsPanel } from "./comments";
import type { ArticleStore } from "../article/articleStore";

export interface ReviewHost {
  draft: ArticleDraft;
  store: ArticleStore;
  user: UserInfo;
  editor: BodyEditor;
  /** Saves what is typed (before any action). */
  flush: () => Promise<void>;
  /** Shows an error in the article's error line. */
  fail: (message: string) => void;
}

/** The highlight plugin must be in the editor from the start. */
export function reviewPlugins(): ReturnType<typeof commentHighlights> {
  return commentHighlights();
}

export interface ReviewTools {
  /** The primary action for the toolbar (approve, shown while allowed). */
  primary: HTMLElement[];
  /** The other actions, for the toolbar's menu (each shown only while allowed). */
  menu: HTMLElement[];
  /** Presence, notes, conflicts and forms, under the toolbar. */
  banners: HTMLElement;
  /** Tracked changes, approved ≠ current, comments and the preview, under the form. */
  panels: HTMLElement;
  /** To call after every edit (conflicts may have been resolved, the text may now differ
   * from the approved version). */
  changed(): void;
  destroy(): void;
}

/** States in which the article has a public page. */
const HAS_PUBLIC_PAGE = ["scheduled", "published", "corrected", "unpublished"];

export function reviewTools(host: ReviewHost, highlights: ReturnType<typeof commentHighlights>): ReviewTools {
  const { draft, user, editor, store } = host;
  const id = draft.summary.id;
  const isEditor = user.role === "editor";
  // The revision the desk approved: changes when the editor approves here.
  let approvedRev = draft.approved_rev;
  const primary: HTMLElement[] = [];
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
  /** Elements shown only while `action` is allowed. */
  const forAction = new Map<Action, HTMLElement[]>();
  const allowedOnly = <T extends HTMLElement>(action: Action, element: T): T => {
    forAction.set(action, [...(forAction.get(action) ?? []), element]);
    return element;
  };
  const after = (summary: ArticleSummary) => store.set("summary", summary);

  // Presence (Rust beats it while the article is open; never a lock).
  const presence = el("p", { class: "presence", "data-testid": "presence", role: "status", hidden: "" });
  const stopPresence = store.subscribe("others", (others) => {
    presence.hidden = others.length === 0;
    presence.textContent = others.map((p) => `${p.username} ${t("editingSince")} ${dhakaClock(p.since)}`).join(" · ");
  });
  banners.append(presence);

  // A return note, for the reporter (and anyone opening a returned article).
  const returnNote = el("p", { class: "notice returned", "data-testid": "return-note", role: "status", hidden: "" });
  banners.append(returnNote);

  // Conflicts left in the text.
  const conflicts = el("p", { class: "notice conflicts", "data-testid": "conflict-count", role: "status", hidden: "" });
  let approveButton: HTMLButtonElement | null = null;
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
  // Several looks may be under way (an edit, a sync round, the approval itself): only the
  // newest one's answer is shown.
  let approvedLooks = 0;
  const checkApproved = async () => {
    const look = ++approvedLooks;
    const state = store.get("summary").state;
    if (!approvedRev || !["approved", "scheduled"].includes(state)) {
      approvedBox.hidden = true;
      return;
    }
    await host.flush();
    const diff = await ipc.diff(id, approvedRev, null);
    if (look !== approvedLooks) return;
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
  const commentsBox = commentsPanel({ store, editor, flush: host.flush }, highlights);
  panels.append(commentsBox.root);

  // The desk's actions: built once, each shown while Rust allows it.
  const publishBox = el("div", { class: "publish", "data-testid": "publish-box" });
  const previewBox = el("section", { class: "preview", "data-testid": "preview", hidden: "" });
  // Where the article stands on the newsroom's website(s), once it was ever published.
  const website = websitePanel(store, isEditor, host.fail);
  const published = el("p", { class: "public-link", "data-testid": "public-link", hidden: "" });
  const showLink = (url: string, scheduled: boolean) => {
    published.replaceChildren(
      `${scheduled ? t("scheduledFor") : t("publishedAt")} · ${t("publicLink")}: `,
      el("a", { href: url, "data-testid": "public-url", target: "_blank", rel: "noopener" }, url),
    );
    published.hidden = false;
  };
  let linkAsked = false;
  if (isEditor) {
    actions.push(allowedOnly("take", button("take", "take", async () => after(await ipc.act(id, "take", null)))));

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
    actions.push(allowedOnly("return", open));
    banners.append(allowedOnly("return", el("div", {}, form)));

    approveButton = allowedOnly(
      "approve",
      button("approve", "approve", async () => {
        after(await ipc.approveArticle(id));
        // The version approved is now the one on screen.
        approvedRev = (await ipc.loadArticle(id)).approved_rev;
        void checkApproved();
      }, true),
    );
    primary.push(approveButton);

    // A correction: the text as now edited replaces the published one, with a note.
    const correctionNote = el("input", { type: "text", "data-testid": "correction-note", "aria-label": t("correctionNote"), placeholder: t("correctionNote"), lang: "bn" });
    publishBox.append(
      allowedOnly("correct", correctionNote),
      allowedOnly(
        "correct",
        button("correction", "correct", async () => {
          const outcome = await ipc.correct(id, correctionNote.value);
          showLink(outcome.public_url, false);
          after(await ipc.articleSummary(id));
        }),
      ),
    );
    actions.push(allowedOnly("unpublish", button("unpublish", "unpublish", async () => after(await ipc.act(id, "unpublish", null)))));
    actions.push(allowedOnly("kill", button("kill", "kill", async () => after(await ipc.act(id, "kill", null)))));

    const at = scheduleField("schedule-at", t("scheduleAt"));
    const publish = (when: () => string | null) => async () => {
      const outcome = await ipc.publish(id, when());
      showLink(outcome.public_url, outcome.state === "scheduled");
      after(await ipc.articleSummary(id));
    };
    publishBox.append(
      allowedOnly("publish", button("publishNow", "publish-now", publish(() => null), true)),
      allowedOnly("schedule", el("label", {}, t("scheduleAt"), at.input)),
      allowedOnly(
        "schedule",
        button(
          "schedule",
          "schedule",
          publish(() => {
            const utc = at.utc();
            if (!utc) throw { code: "invalid", message: t("chooseTime") };
            return utc;
          }),
        ),
      ),
      published,
    );
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

  // Everything that depends on the article's state follows the store.
  const stopSummary = store.subscribe("summary", (summary) => {
    const allowed = new Set(summary.allowed_actions);
    for (const [action, elements] of forAction) for (const e of elements) e.hidden = !allowed.has(action);
    returnNote.hidden = !(summary.state === "returned" && summary.note);
    returnNote.textContent = summary.note ? `${t("returnedWithNote")}: ${summary.note}` : "";
    if (isEditor && HAS_PUBLIC_PAGE.includes(summary.state) && !linkAsked) {
      linkAsked = true;
      void ipc
        .publicUrl(id)
        .then((url) => url && showLink(url, store.get("summary").state === "scheduled"))
        .catch(() => (linkAsked = false));
    }
    if (!HAS_PUBLIC_PAGE.includes(summary.state)) published.hidden = true;
    void checkApproved().catch((e) => host.fail(errorText(asAppError(e))));
  });

  refreshConflicts();
  return {
    primary,
    menu: actions,
    banners,
    panels,
    changed: () => {
      refreshConflicts();
      window.clearTimeout(approvedTimer);
      approvedTimer = window.setTimeout(() => void checkApproved().catch(() => undefined), 800);
    },
    destroy: () => {
      stopPresence();
      stopSummary();
      window.clearTimeout(approvedTimer);
      commentsBox.destroy();
      website.destroy();
    },
  };
}
