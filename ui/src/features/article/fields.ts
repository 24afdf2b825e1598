// The article's metadata fields as a newsroom form: each field reads and writes one part of
// ArticleMeta. Text fields type phonetically when phonetic mode is on and clean their pastes.
import { textIpc, type ArticleMeta, type DeskInfo } from "../../ipc";
import { bn, digits, lang, t, type MessageKey } from "../../i18n/messages";
import { el } from "../dom";
import { attachPhonetic } from "../../editor/phoneticAdapters";
import { rememberingEngine, type Composer, type PhoneticEngine } from "../../editor/phonetic";
import { stripControls } from "../../editor/sanitize";
import type { PasteReport } from "../../editor/paste";
import type { CandidateBar } from "./candidates";

export const PHONETIC_ENGINE = rememberingEngine({
  preview: textIpc.phoneticPreview,
  suggestions: textIpc.phoneticSuggestions,
  previews: textIpc.phoneticPreviews,
});

/** Common dateline places, offered in the dateline field. */
export const PLACES = ["ঢাকা", "চট্টগ্রাম", "রাজশাহী", "খুলনা", "সিলেট", "বরিশাল", "রংপুর", "ময়মনসিংহ", "কুমিল্লা", "গাজীপুর"];

/** An undo for a paste into `input`: the value and cursor from before it come back, as
 * long as nothing was typed since (then the paste is left alone). */
export function fieldUndo(input: HTMLInputElement | HTMLTextAreaElement, before: string, cursor: number): () => void {
  const after = input.value;
  return () => {
    if (input.value !== after) return;
    input.value = before;
    input.setSelectionRange(cursor, cursor);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  };
}

/** Pastes into an input are cleaned like pastes into the body: line breaks become spaces,
 * control characters are removed, Bijoy is converted; `onPaste` hears what was done. */
export function cleanPastes(
  input: HTMLInputElement,
  onPaste: (report: PasteReport) => void,
  clean: (text: string) => Promise<{ text: string; bijoy_converted: boolean }> = textIpc.pasteText,
): void {
  input.addEventListener("paste", async (e) => {
    const text = e.clipboardData?.getData("text/plain");
    if (!text) return;
    e.preventDefault();
    const stripped = stripControls(text.replace(/\s*\n\s*/g, " "));
    const cleaned = await clean(stripped.text);
    const before = input.value;
    const cursor = input.selectionStart ?? before.length;
    input.setRangeText(cleaned.text, cursor, input.selectionEnd ?? cursor, "end");
    input.dispatchEvent(new Event("input", { bubbles: true }));
    if (cleaned.bijoy_converted || stripped.removed > 0) {
      const undo = fieldUndo(input, before, cursor);
      onPaste({ bijoy: cleaned.bijoy_converted, controls: stripped.removed, remoteImages: 0, undo });
    }
  });
}

/** Phonetic typing (its candidates in `candidates`) and paste cleaning for a text input of
 * the article: a field or an image caption. */
export function setUpTextInput(
  input: HTMLInputElement,
  candidates: CandidateBar,
  onPaste: (report: PasteReport) => void,
  engine: PhoneticEngine = PHONETIC_ENGINE,
): Composer {
  let composer: Composer | null = null;
  composer = attachPhonetic(input, engine, candidates.listenerFor(() => composer));
  cleanPastes(input, onPaste);
  return composer;
}

export interface TextField {
  label: HTMLLabelElement;
  input: HTMLInputElement;
}

export function textField(
  name: string,
  labelKey: MessageKey,
  value: string,
  candidates: CandidateBar,
  onPaste: (report: PasteReport) => void,
  extra: Record<string, string> = {},
): TextField {
  const input = el("input", { id: `field-${name}`, name, "data-testid": name, lang: "bn", ...extra });
  input.value = value;
  setUpTextInput(input, candidates, onPaste);
  return { label: el("label", { for: `field-${name}` }, t(labelKey)), input };
}

/** "2025-08-01T10:00" typed in Dhaka time ↔ the stored UTC instant. Bangladesh keeps UTC+6
 * all year (no daylight saving). */
export function dhakaLocalToUtc(local: string): string | undefined {
  // Bengali digits are read as well ("২০২৬-১২-০৬ ১৮:৩০"), and a space may stand for the T.
  const text = local.trim().replace(/[০-৯]/g, (d) => String(d.charCodeAt(0) - 0x09e6));
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const pad = (v: string) => v.padStart(2, "0");
  const d = new Date(`${m[1]}-${pad(m[2])}-${pad(m[3])}T${pad(m[4])}:${m[5]}:00+06:00`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** A Dhaka date and time typed as text, "২০২৬-১২-০৬ ১৮:৩০" in the UI's digits (Latin digits
 *  are read too): the WebView's own date picker shows a US-style date with Latin digits
 *  whatever the UI language. `utc()` is the instant typed, or undefined when it is not one. */
export function scheduleField(
  testid: string,
  label: string,
  initialUtc?: string,
  attrs: Record<string, string> = {},
): { input: HTMLInputElement; utc(): string | undefined } {
  const example = utcToDhakaLocal(new Date(Date.now() + 3600_000).toISOString()).replace("T", " ");
  const input = el("input", {
    type: "text",
    inputmode: "numeric",
    "data-testid": testid,
    "aria-label": label,
    placeholder: digits(example),
    class: "when-input",
    ...attrs,
  });
  if (initialUtc) input.value = digits(utcToDhakaLocal(initialUtc).replace("T", " "));
  input.addEventListener("change", () => {
    const utc = dhakaLocalToUtc(input.value);
    input.setAttribute("aria-invalid", String(input.value.trim() !== "" && utc === undefined));
    if (utc) input.value = digits(utcToDhakaLocal(utc).replace("T", " "));
  });
  return { input, utc: () => dhakaLocalToUtc(input.value) };
}

export function utcToDhakaLocal(utc: string | undefined): string {
  if (!utc) return "";
  const d = new Date(utc);
  if (Number.isNaN(d.getTime())) return "";
  return new Date(d.getTime() + 6 * 3600_000).toISOString().slice(0, 16);
}

/** Splits the tags field ("রাজনীতি, নির্বাচন") into tags. */
export function parseTags(text: string): string[] {
  return text
    .split(/[,،;]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** A desk's name for people: the messages know the common desks; any other shows its slug. */
let newsroomDeskNames = new Map<string, string>();

/** The names the newsroom gave the user's desks (the server's, kept by the app). */
export function setDeskNames(desks: readonly DeskInfo[]): void {
  newsroomDeskNames = new Map(desks.map((d) => [d.slug, d.name]));
}

/** A desk's name: in Bengali the newsroom's own name first, then ours; in English our
 *  translation first (the newsroom's names are usually Bengali); the slug when neither knows. */
export function deskName(slug: string): string {
  const key = `deskName.${slug}`;
  const ours = key in bn ? t(key as MessageKey) : undefined;
  const newsroom = newsroomDeskNames.get(slug);
  return (lang() === "bn" ? (newsroom ?? ours) : (ours ?? newsroom)) ?? slug;
}

/** The user's desks offered by name to a desk filter (which still takes a typed slug). */
export function deskChoices(id: string, desks: readonly string[]): HTMLDataListElement {
  return el("datalist", { id }, ...desks.map((slug) => el("option", { value: slug }, deskName(slug))));
}

/** The desk chooser: the user's desks, and the article's own one if it is not among them. */
export function deskSelect(current: string, desks: readonly string[]): { label: HTMLLabelElement; input: HTMLSelectElement } {
  const input = el("select", { id: "field-desk", name: "desk", "data-testid": "field-desk" });
  const slugs = [...new Set([current, ...desks].filter((d) => d))];
  for (const slug of slugs) input.append(el("option", { value: slug }, deskName(slug)));
  input.value = current;
  return { label: el("label", { for: "field-desk" }, t("desk")), input };
}

/** Reads the form back into ArticleMeta (the desk stays as it was when the form has none). */
export function readMeta(base: ArticleMeta, get: (name: string) => string | undefined): ArticleMeta {
  const opt = (name: string) => (get(name) ?? "").trim() || undefined;
  const urgency = Number(get("urgency"));
  return {
    headline: get("headline") ?? "",
    desk: get("desk")?.trim() || base.desk,
    slugline: opt("slugline"),
    byline: opt("byline"),
    dateline_place: opt("dateline_place"),
    source_line: opt("source_line"),
    sign_off: opt("sign_off"),
    tags: parseTags(get("tags") ?? ""),
    urgency: urgency >= 1 && urgency <= 5 ? urgency : undefined,
    embargo: dhakaLocalToUtc(get("embargo") ?? ""),
  };
}

/** Midnight in Dhaka (UTC+6, no daylight saving) of `date` (YYYY-MM-DD) plus `days`, written
 * as the store writes its UTC timestamps: the bounds of a date filter. */
export function dhakaMidnightUtc(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00+06:00`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString();
}
