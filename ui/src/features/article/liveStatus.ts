// The article's live counts for the footer status bar: words, characters and reading time, and
// a compact "⚠ N" button opening the list of typing-error flags and name variants; each flagged
// place can be shown (selected and scrolled to) in the text.
import type { TextStats } from "../../ipc";
import { num, t, type MessageKey } from "../../i18n/messages";
import { el } from "../dom";
import type { TextPlace } from "./textPlaces";

/** The most flags the panel lists (a long, messy paste can have thousands). */
export const MAX_LISTED = 200;

export interface LiveStatus {
  root: HTMLElement;
  update(s: TextStats): void;
}

/**
 * `locate` finds a byte range of the counted text (null when it is gone); `reveal` selects it.
 * Both see the text the stats were computed for (the caller keeps it).
 */
export function liveStatus(
  locate: (bytes: [number, number], text: string) => TextPlace | null,
  reveal: (place: TextPlace) => void,
): LiveStatus {
  const stats = el("span", { class: "stats", "data-testid": "stats" });
  const flags = el("ul", { class: "flags", "data-testid": "flags", id: "article-flags" });
  const empty = el("p", { class: "muted", "data-testid": "flags-empty" }, t("noWarnings"));
  const panel = el(
    "div",
    { class: "flags-panel", "data-testid": "flags-panel", id: "article-flags-panel", role: "region", "aria-label": t("warnings"), hidden: "" },
    el("h2", {}, t("warnings")),
    empty,
    flags,
  );
  const toggle = el("button", {
    type: "button",
    class: "flags-toggle",
    "data-testid": "flags-toggle",
    "data-count": "0",
    "aria-expanded": "false",
    "aria-controls": "article-flags-panel",
  });
  const close = el("button", { type: "button", "data-testid": "flags-close" }, t("close"));
  panel.append(close);
  const setOpen = (open: boolean) => {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open) list();
  };
  toggle.addEventListener("click", () => setOpen(panel.hidden));
  close.addEventListener("click", () => {
    setOpen(false);
    toggle.focus();
  });
  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      setOpen(false);
      toggle.focus();
    }
  });
  const root = el("div", { class: "live-status", "data-testid": "live-status", role: "group", "aria-label": t("liveCounts") }, stats, toggle, panel);

  const where = (place: TextPlace | null) =>
    !place ? "" : place.in === "headline" ? t("inHeadline") : `${t("paragraph")} ${num(place.paragraph)}`;

  /** A button showing one flagged spelling and where it is; clicking shows it in the text. */
  const spot = (testid: string, text: string, bytes: [number, number]) => {
    const place = locate(bytes, text);
    const at = where(place);
    const b = el("button", { type: "button", class: "flag-spot", "data-testid": testid, title: t("showInText") }, `“${text}”`, at ? el("span", { class: "where" }, ` (${at})`) : null);
    if (place) {
      b.dataset.in = place.in;
      b.dataset.from = String(place.from);
      b.dataset.to = String(place.to);
      if (place.in === "body") b.dataset.paragraph = String(place.paragraph);
      b.addEventListener("click", () => reveal(place));
    } else {
      b.disabled = true;
    }
    return b;
  };

  function update(s: TextStats): void {
    stats.dataset.words = String(s.words);
    stats.dataset.graphemes = String(s.graphemes);
    stats.dataset.chars = String(s.graphemes);
    stats.dataset.reading = String(s.reading_seconds);
    const minutes = Math.max(1, Math.ceil(s.reading_seconds / 60));
    stats.textContent = `${t("words")}: ${num(s.words)} · ${t("characters")}: ${num(s.graphemes)} · ${t("readingTime")}: ${num(minutes)} ${t("minutes")}`;
    const count = s.flags.length + s.name_variants.length;
    toggle.dataset.count = String(count);
    toggle.classList.toggle("has-flags", count > 0);
    toggle.textContent = `⚠ ${num(count)}`;
    toggle.setAttribute("aria-label", `${t("warnings")}: ${num(count)}`);
    empty.hidden = count > 0;
    latest = s;
    if (!panel.hidden) list();
  }

  // The list says where each flag is, which costs a walk of the text per flag: it is built only
  // while the panel is open (not at every count while the reporter types), and shows at most
  // MAX_LISTED flags.
  let latest: TextStats | null = null;
  let listed: TextStats | null = null;
  function list(): void {
    const s = latest;
    if (!s || s === listed) return;
    listed = s;
    const shown = s.name_variants.slice(0, MAX_LISTED);
    const flagsShown = s.flags.slice(0, MAX_LISTED - shown.length);
    const left = s.flags.length + s.name_variants.length - shown.length - flagsShown.length;
    flags.replaceChildren(
      ...shown.map((v) =>
        el(
          "li",
          { "data-kind": "name_variant", "data-testid": "name-variant" },
          `${t("flag.name_variant")}: `,
          spot("name-variant-first", v.first, v.first_at),
          " / ",
          spot("name-variant-second", v.second, v.second_at),
        ),
      ),
      ...flagsShown.map((f) =>
        el("li", { "data-kind": f.kind }, `${t(`flag.${f.kind}` as MessageKey)}: `, spot("flag-spot", f.text, [f.start, f.end])),
      ),
    );
    if (left > 0) flags.append(el("li", { class: "muted", "data-testid": "flags-more" }, `${t("moreFlags")}: ${num(left)}`));
  }
  return { root, update };
}
