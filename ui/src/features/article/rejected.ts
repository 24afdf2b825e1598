// The article screen's banner for a revision the server refused: its reason in plain words (by
// the stable error code, both languages), the server's own message, and that the text is kept.
import type { ArticleSummary } from "../../ipc";
import { t } from "../../i18n/messages";
import { el } from "../dom";
import { errorWords, otherLang } from "../errors";

/** The banner, or null when the article's last sync was not refused. */
export function rejectedBanner(summary: Pick<ArticleSummary, "sync_state" | "last_error" | "last_error_code">): HTMLElement | null {
  if (summary.sync_state !== "rejected") return null;
  const code = summary.last_error_code ?? "";
  const detail = summary.last_error ?? "";
  return el(
    "div",
    { class: "notice rejected", role: "alert", "data-testid": "article-rejected", "data-code": code },
    el("strong", {}, t("rejectedTitle")),
    el("p", { "data-testid": "article-rejected-reason" }, `${t("rejectedReason")}: ${errorWords(code)}`),
    el("p", { class: "other-lang", lang: otherLang() }, errorWords(code, otherLang())),
    el("p", {}, t("rejectedKept")),
    detail ? el("details", {}, el("summary", {}, t("errorDetails")), el("code", { "data-testid": "article-rejected-detail" }, code ? `${code}: ${detail}` : detail)) : null,
  );
}

type RejectionFacts = Pick<ArticleSummary, "sync_state" | "last_error" | "last_error_code">;

/**
 * Where the banner goes on the article screen, kept up to date while the article is open: the
 * sync loop may refuse (or accept after a fix) while the reporter is looking at it. The banner
 * is rebuilt only when the refusal changes, so its alert is announced once, not at every poll.
 */
export function rejectedSlot(first: RejectionFacts): { root: HTMLElement; update(s: RejectionFacts): void } {
  const root = el("div", { class: "rejected-slot", "data-testid": "article-rejected-slot" });
  let shown: string | null = null;
  const update = (s: RejectionFacts) => {
    const key = s.sync_state === "rejected" ? `${s.last_error_code ?? ""}\u0000${s.last_error ?? ""}` : "";
    if (key === shown) return;
    shown = key;
    const banner = rejectedBanner(s);
    if (banner) root.replaceChildren(banner);
    else root.replaceChildren();
  };
  update(first);
  return { root, update };
}
