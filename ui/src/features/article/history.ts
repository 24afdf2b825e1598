// The history of an article: its saved versions, a readable diff between any two (by block,
// and inside a block by Bengali word), and restoring an old version as a new one.
import { ipc, textIpc, asAppError, type ArticleDraft, type DocumentDiff, type RevisionInfo } from "../../ipc";
import { num, t } from "../../i18n/messages";
import { el, errorText } from "../dom";
import { diffRuns } from "../dom-runs";

const CURRENT = "current";

/** "#২ · আগস্ট ১৫, ২০২২, ০১:৪২ পিএম · rahim · ৩০০ শব্দ" (`when` in the portal format). */
function label(r: RevisionInfo, i: number, when: string): string {
  return `#${num(i)} · ${when} · ${r.author} · ${num(r.words)} ${t("words")}`;
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
  const error = el("p", { class: "error", role: "alert" });
  const panel = el(
    "section",
    { class: "history", "data-testid": "history", "aria-label": t("history") },
    el("h2", {}, t("history")),
    el("div", { class: "toolbar" }, from, to, compare, restore),
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
  restore.addEventListener("click", async () => {
    try {
      await flush();
      restored(await ipc.restoreRevision(id, from.value));
    } catch (e) {
      error.textContent = errorText(asAppError(e));
    }
  });
  void load().catch((e) => (error.textContent = errorText(asAppError(e))));
  return panel;
}
