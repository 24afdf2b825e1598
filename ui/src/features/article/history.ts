// The history of an article: its saved versions, a readable diff between any two (by block,
// and inside a block by Bengali word), and restoring an old version as a new one. All of it
// works from the keyboard: the two version choices compare as soon as one changes, and a
// restore asks first in an inline confirmation that takes the focus (Escape cancels).
import { ipc, textIpc, asAppError, type ArticleDraft, type DocumentDiff, type RevisionInfo } from "../../ipc";
import { num, t } from "../../i18n/messages";
import { el, errorText } from "../dom";
import { diffRuns } from "../dom-runs";

const CURRENT = "current";

/** "#২ · আগস্ট ১৫, ২০২২, ০১:৪২ পিএম · rahim · ৩০০ শব্দ" (`when` in the portal format). */
function label(r: RevisionInfo, i: number, when: string): string {
  return `#${num(i)} · ${when} · ${r.author} · ${num(r.words)} ${t("words")}`;
}

/** True when nothing changed: every block, the headline and the other fields are the same. */
export function isDiffEmpty(diff: DocumentDiff): boolean {
  return (
    diff.blocks.every((b) => b.change === "unchanged") &&
    diff.meta_changed.length === 0 &&
    diff.headline.every((r) => r.op === "equal")
  );
}

export function renderDiff(diff: DocumentDiff): HTMLElement {
  const out = el("div", { class: "diff", "data-testid": "diff" });
  out.append(el("h3", { class: "diff-headline" }, ...diffRuns(diff.headline)));
  for (const b of diff.blocks) {
    out.append(el("p", { class: `diff-block ${b.change}`, "data-change": b.change }, ...diffRuns(b.runs)));
  }
  if (diff.meta_changed.length) out.append(el("p", { class: "muted" }, `${t("metaChanged")}: ${diff.meta_changed.join(", ")}`));
  return out;
}

export function historyPanel(id: string, flush: () => Promise<void>, restored: (draft: ArticleDraft) => void): HTMLElement {
  const from = el("select", { "data-testid": "history-from", "aria-label": t("fromVersion") });
  const to = el("select", { "data-testid": "history-to", "aria-label": t("toVersion") });
  const compare = el("button", { type: "button", "data-testid": "history-compare" }, t("compare"));
  const restore = el("button", { type: "button", "data-testid": "history-restore" }, t("restore"));
  const output = el("div", { class: "diff-output" });
  const confirmBox = el("div", { class: "restore-confirm", hidden: "" });
  const error = el("p", { class: "error", role: "alert" });
  const panel = el(
    "section",
    { class: "history", "data-testid": "history", "aria-label": t("history"), tabindex: "-1" },
    el("h2", {}, t("history")),
    el("div", { class: "toolbar" }, from, to, compare, restore),
    confirmBox,
    error,
    output,
  );

  const load = async () => {
    await flush();
    const revisions = await ipc.history(id);
    if (revisions.length === 0) {
      panel.replaceChildren(el("h2", {}, t("history")), el("p", { class: "muted", "data-testid": "history-empty" }, t("noVersions")));
      return;
    }
    const n = revisions.length;
    const times = await textIpc.publishedTimes(revisions.map((r) => r.created_at));
    const option = (r: RevisionInfo, i: number) => el("option", { value: r.id }, label(r, n - i, times[i]));
    from.replaceChildren(...revisions.map(option));
    to.replaceChildren(el("option", { value: CURRENT }, t("current")), ...revisions.map(option));
    // The oldest version against the current text, to start with.
    from.value = revisions[n - 1].id;
    to.value = CURRENT;
    await show();
  };
  const show = async () => {
    error.textContent = "";
    try {
      const diff = await ipc.diff(id, from.value, to.value === CURRENT ? null : to.value);
      output.replaceChildren(renderDiff(diff));
    } catch (e) {
      error.textContent = errorText(asAppError(e));
    }
  };
  compare.addEventListener("click", () => void show());
  from.addEventListener("change", () => void show());
  to.addEventListener("change", () => void show());

  // Restoring asks first: the question names the version; the focus goes to "yes", Escape or
  // "cancel" puts it back on the restore button.
  const doRestore = async () => {
    try {
      await flush();
      restored(await ipc.restoreRevision(id, from.value));
    } catch (e) {
      error.textContent = errorText(asAppError(e));
    }
  };
  const closeConfirm = () => {
    confirmBox.hidden = true;
    confirmBox.replaceChildren();
    restore.setAttribute("aria-expanded", "false");
    restore.focus();
  };
  restore.setAttribute("aria-expanded", "false");
  restore.addEventListener("click", () => {
    const which = from.selectedOptions[0]?.textContent ?? "";
    const question = el("p", { id: `restore-q-${id}` }, el("strong", {}, t("restoreAsk")), " ", which);
    const note = el("p", { id: `restore-note-${id}`, class: "muted" }, t("restoreNote"));
    const yes = el("button", { type: "button", class: "primary", "data-testid": "history-restore-confirm" }, t("restoreYes"));
    const no = el("button", { type: "button", "data-testid": "history-restore-cancel" }, t("cancel"));
    yes.addEventListener("click", () => {
      yes.disabled = no.disabled = true;
      void doRestore().finally(() => {
        if (panel.isConnected) closeConfirm();
      });
    });
    no.addEventListener("click", closeConfirm);
    confirmBox.replaceChildren(question, note, yes, no);
    confirmBox.setAttribute("role", "alertdialog");
    confirmBox.setAttribute("aria-labelledby", question.id);
    confirmBox.setAttribute("aria-describedby", note.id);
    confirmBox.dataset.testid = "history-restore-dialog";
    confirmBox.hidden = false;
    restore.setAttribute("aria-expanded", "true");
    yes.focus();
  });
  confirmBox.addEventListener("keydown", (e) => {
    if (e.key !== "Escape") return;
    e.preventDefault();
    e.stopPropagation();
    closeConfirm();
  });
  void load().catch((e) => (error.textContent = errorText(asAppError(e))));
  return panel;
}
