// The paste notice above the article: what a paste into the body or a field converted or
// removed, or why it was refused, with an Undo for a Bijoy conversion that undoes the paste
// where it happened. The notice carries data-kind (space-separated when several apply:
// bijoy, controls, remote-images, too-many-blocks, too-much-text) for tests.
import { num, t, type MessageKey } from "../../i18n/messages";
import { el } from "../dom";
import type { PasteReport, Refusal } from "../../editor/paste";

/** `template` with each {name} replaced by its value, numbers in the language's digits. */
export function fill(template: string, values: Record<string, number | string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = values[name];
    return v === undefined ? whole : typeof v === "number" ? num(v) : v;
  });
}

const megabytes = (bytes: number) => (bytes / 1_048_576).toFixed(1);

function refusalText(r: Refusal): string {
  if (r.kind === "too-many-blocks") {
    return fill(t("pasteTooManyBlocks"), { pasted: r.pasted, total: r.total, limit: r.limit });
  }
  return fill(t("pasteTooMuchText"), { total: megabytes(r.total), limit: megabytes(r.limit) });
}

interface Line {
  kind: string;
  text: string;
}

/** The notice's lines for a report, most important first. */
export function noticeLines(report: PasteReport): Line[] {
  const lines: Line[] = [];
  const count = (kind: string, key: MessageKey, n: number) => {
    if (n > 0) lines.push({ kind, text: fill(t(key), { n }) });
  };
  if (report.refused) lines.push({ kind: report.refused.kind, text: refusalText(report.refused) });
  if (report.bijoy && !report.refused) lines.push({ kind: "bijoy", text: t("bijoyConverted") });
  count("controls", "pasteControls", report.controls);
  count("remote-images", "pasteRemoteImages", report.remoteImages);
  return lines;
}

/** Shows what `report` says in `notice` (hides it when there is nothing to say). */
export function showPasteNotice(notice: HTMLElement, report: PasteReport): void {
  const lines = noticeLines(report);
  const children: HTMLElement[] = lines.map((l) => el("span", { "data-kind": l.kind }, l.text));
  const undo = report.undo;
  if (undo && lines.some((l) => l.kind === "bijoy")) {
    const button = el("button", { type: "button", "data-testid": "paste-undo" }, t("undo"));
    button.addEventListener("click", () => {
      undo();
      notice.hidden = true;
    });
    children.push(button);
  }
  notice.replaceChildren(...children);
  notice.dataset.kind = lines.map((l) => l.kind).join(" ");
  notice.classList.toggle("warn", Boolean(report.refused));
  notice.hidden = lines.length === 0;
}
