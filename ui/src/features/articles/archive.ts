// The newsroom's archive in the search list: the local hits first, then the archive's hits whose
// article is not among them; the line under the hits that says the archive is being asked or
// why it was not searched; and the words of a failed opening, in both languages.
import type { AppError, ArchiveSearch, FoundArticle, NotSearched } from "../../ipc";
import { bn, en, lang, t, type Lang, type MessageKey } from "../../i18n/messages";
import { errorWords, otherLang } from "../errors";

/** The local hits as they came (best first), then the archive's hits of other articles. */
export function mergeHits(local: FoundArticle[], archive: FoundArticle[]): FoundArticle[] {
  const held = new Set(local.map((h) => h.id));
  const more: FoundArticle[] = [];
  for (const h of archive) {
    if (held.has(h.id)) continue;
    held.add(h.id);
    more.push({ ...h, source: "archive" });
  }
  return [...local, ...more];
}

/** Why the archive was not searched, as the list says it; null where nothing needs saying (a
 *  query without words finds nothing anywhere). The compiler checks every reason is here. */
const WHY: Record<NotSearched, MessageKey | null> = {
  offline: "archiveWhy.offline",
  not_signed_in: "archiveWhy.not_signed_in",
  session_ended: "archiveWhy.session_ended",
  timed_out: "archiveWhy.timed_out",
  server_failed: "archiveWhy.server_failed",
  tag_filter: "archiveWhy.tag_filter",
  query_too_long: "archiveWhy.query_too_long",
  no_words: null,
};

/** Where the archive's part of a search stands: being asked, or its answer. */
export type ArchiveState = "asking" | ArchiveSearch;

/** The line under the hits ("আর্কাইভ খোঁজা হয়নি — অফলাইন"), or null when there is none. */
export function archiveLine(state: ArchiveState): string | null {
  if (state === "asking") return t("archiveAsking");
  if (state.not_searched === null) return null;
  const why = WHY[state.not_searched];
  return why ? `${t("archiveNotSearched")} — ${t(why)}` : null;
}

/** What the line's `data-archive` says: `asking`, `searched`, or the reason it was not. */
export function archiveMark(state: ArchiveState): string {
  if (state === "asking") return "asking";
  return state.not_searched ?? "searched";
}

function words(key: MessageKey, language: Lang): string {
  return (language === "bn" ? bn : en)[key];
}

/** Why an archive article did not open, in the UI's language and in the other one: an ended
 *  session is said as such (not as the login's "wrong password"). */
export function archiveOpenError(e: AppError): { main: string; other: string } {
  const reason = (language: Lang) =>
    e.code === "unauthorized" ? words("sessionEndedTitle", language) : errorWords(e.code, language);
  const say = (language: Lang) => `${words("archiveOpenFailed", language)}: ${reason(language)}`;
  return { main: say(lang()), other: say(otherLang()) };
}
