// The article screen: every field of the article as a newsroom form, the body editor, live
// counts and typing-error flags, the dateline printed in Bengali with the Bangla date, and
// the actions. Saved to the local store as the user types (within about 150 ms of every
// change, the blocks that changed only); submit works offline (it is queued); editors approve
// the exact version they see.
import { ipc, textIpc, asAppError, type ArticleDraft, type EditPlace, type UserInfo } from "../../ipc";
import { dhakaClock, num, t, type MessageKey } from "../../i18n/messages";
import { el, errorText } from "../dom";
import { settle, TYPING_MAX_UNSAVED_MS, TYPING_SAVE_DELAY_MS } from "../settle";
import { createBodyEditor } from "../../editor/editor";
import { phoneticPlugin } from "../../editor/phoneticAdapters";
import { pasteHandler, type PasteReport } from "../../editor/paste";
import { spellingPlugin } from "../../editor/spelling";
import { imageView, insertImage, sizeChange, type ImageService } from "../../editor/image";
import { PHONETIC_ENGINE, PLACES, deskSelect, dhakaLocalToUtc, readMeta, scheduleField, setUpTextInput, textField } from "./fields";
import { liveStatus } from "./liveStatus";
import { placeOf, type TextPlace } from "./textPlaces";
import { rejectedSlot } from "./rejected";
import { Selection, TextSelection } from "prosemirror-state";
import { blockDelta, savedBlocks, type SavedBlocks } from "../../editor/blockDelta";
import { docToWire } from "../../editor/editor";
import type { Node as PMNode } from "prosemirror-model";
import { historyPanel } from "./history";
import { candidateBar } from "./candidates";
import { showPasteNotice } from "./pasteNotice";
import { bodyToolbar } from "./bodyToolbar";
import { conflictView } from "../../editor/conflict";
import { reviewPlugins, reviewTools, type ReviewTools } from "../review/review";
import { articleStore } from "./articleStore";
import { detailsToggle, focusMode, moreMenu } from "./writingView";
import * as events from "../../ipc/events";

/** The cursor's place, when it moves without typing, is remembered this long after it stops. */
const PLACE_DELAY_MS = 300;
const STATS_DELAY_MS = 250;
const STATS_MAX_BEHIND_MS = 1000;
/** A long article is counted less often while the reporter types without a pause: sending its
 *  whole text costs the keystrokes around it (a 10,000-word article is counted every 5 s). */
const STATS_MS_PER_CHAR = 1 / 12;
/** Where the app remembers that the photo-metadata notice was shown (nothing secret). */
const METADATA_NOTICE_KEY = "barta.photoMetadataNoticeShown";
const metadataNoticeShown = () => {
  try {
    return localStorage.getItem(METADATA_NOTICE_KEY) === "1";
  } catch {
    return false;
  }
};
const rememberMetadataNotice = () => {
  try {
    localStorage.setItem(METADATA_NOTICE_KEY, "1");
  } catch {
    // Without storage the notice shows again next time: harmless.
  }
};

export function articleScreen(
  draft: ArticleDraft,
  user: UserInfo,
  back: () => void,
  reopen: () => void = back,
  reopenAt: EditPlace | null = null,
): { root: HTMLElement; status: HTMLElement; flush(): Promise<void>; destroy(): void } {
  const id = draft.summary.id;
  const meta = draft.meta;
  // The article's state, comments, presence and deliveries as Rust pushes them.
  const store = articleStore(draft.summary, { summary: ipc.articleSummary, comments: ipc.comments }, events);
  const error = el("p", { class: "error", role: "alert", "data-testid": "article-error" });
  const notice = el("div", { class: "notice", role: "status", "data-testid": "paste-notice", hidden: "" });
  // Phonetic candidates of the word being typed, in whichever field has it.
  const candidates = candidateBar();
  const onPaste = (report: PasteReport) => showPasteNotice(notice, report);

  const field = (name: string, key: MessageKey, value: string, extra: Record<string, string> = {}) =>
    textField(name, key, value, candidates, onPaste, extra);
  const headline = field("headline", "headline", meta.headline, { class: "headline-input" });
  const slugline = field("slugline", "slugline", meta.slugline ?? "");
  const byline = field("byline", "byline", meta.byline ?? "");
  const place = field("dateline_place", "datelinePlace", meta.dateline_place ?? "", { list: "places" });
  const source = field("source_line", "sourceLine", meta.source_line ?? "", { placeholder: t("sourcePlaceholder") });
  const signOff = field("sign_off", "signOff", meta.sign_off ?? "", { placeholder: t("signOffPlaceholder") });
  const tags = field("tags", "tags", (meta.tags ?? []).join(", "));
  const urgency = el("select", { id: "field-urgency", name: "urgency", "data-testid": "urgency" });
  urgency.append(el("option", { value: "" }, t("noUrgency")));
  for (let u = 1; u <= 5; u++) urgency.append(el("option", { value: String(u) }, num(u)));
  urgency.value = meta.urgency ? String(meta.urgency) : "";
  // A Dhaka time typed in the UI's digits, as the schedule field (the WebView's date picker
  // would show a US-style date with Latin digits).
  const embargo = scheduleField("embargo", t("embargo"), meta.embargo, { id: "field-embargo", name: "embargo" }).input;
  const desk = deskSelect(meta.desk, user.desks);
  const places = el("datalist", { id: "places" }, ...PLACES.map((p) => el("option", { value: p })));
  const dateline = el("p", { class: "dateline", "data-testid": "dateline" });

  const inputs: Record<string, HTMLInputElement | HTMLSelectElement> = {
    headline: headline.input,
    slugline: slugline.input,
    byline: byline.input,
    dateline_place: place.input,
    source_line: source.input,
    sign_off: signOff.input,
    tags: tags.input,
    urgency,
    embargo,
    desk: desk.input,
  };

  // Saving: debounced, serialized, flushed before leaving and before actions.
  const saveState = el("span", { class: "save-state", "data-testid": "save-state", role: "status" }, t("saved"));
  let saving: Promise<void> = Promise.resolve();
  // Every change bumps `version`; "saved" is shown only when the save that just finished
  // holds the latest change (typing during a save keeps the indicator at "saving").
  let version = 0;
  // The blocks of the document the last save stored (null: the next save sends it whole).
  let stored: SavedBlocks | null = null;
  const save = async () => {
    const savedVersion = version;
    saveState.textContent = t("saving");
    const doc = editor.view.state.doc;
    const readAt = performance.now();
    const fields = readMeta(meta, (n) => inputs[n].value);
    const where = placeNow();
    try {
      const delta = blockDelta(doc, stored);
      stored = null;
      let whole = delta === null;
      if (delta) {
        try {
          await ipc.saveDraftBlocks(id, fields, delta.order, delta.changed, where);
        } catch (e) {
          // The store no longer holds what this screen last saved (a restore, a merge from
          // sync): it asks for the whole text.
          if (asAppError(e).code !== "conflict") throw e;
          whole = true;
        }
      }
      if (whole) await ipc.saveDraft(id, fields, docToWire(doc), where);
      stored = savedBlocks(doc);
      // Announced for measurements (app_bench): when the text saved was read, and how much
      // of it was sent.
      document.dispatchEvent(
        new CustomEvent("barta:saved", { detail: { readAt, whole, blocks: whole ? doc.childCount : (delta?.changed.length ?? 0) } }),
      );
      if (savedVersion === version && !saveLater.pending()) {
        saveState.textContent = t("saved");
        saveState.dataset.savedAt = String(Date.now());
      }
      error.textContent = "";
    } catch (e) {
      error.textContent = errorText(asAppError(e));
    }
  };
  // Debounced, but never more than TYPING_MAX_UNSAVED_MS behind: a kill -9 mid-typing loses nothing
  // older than 200 ms, however fast and long the reporter types.
  const saveLater = settle(TYPING_SAVE_DELAY_MS, TYPING_MAX_UNSAVED_MS, () => {
    saving = saving.then(save);
  });
  const flush = async () => {
    if (saveLater.cancel()) saving = saving.then(save);
    await saving;
  };

  // Where the cursor is: saved with the text, so that after a crash the article opens with
  // the cursor where it was; a move without typing is remembered on its own.
  const placeNow = (): EditPlace => {
    const scroll = Math.max(0, Math.round(document.scrollingElement?.scrollTop ?? 0));
    const focused = document.activeElement;
    for (const [name, input] of Object.entries(inputs)) {
      if (input === focused && input instanceof HTMLInputElement && input.type !== "datetime-local") {
        return { field: name, anchor: input.selectionStart ?? 0, head: input.selectionEnd ?? 0, scroll };
      }
    }
    const selection = editor.view.state.selection;
    return { field: "body", anchor: selection.anchor, head: selection.head, scroll };
  };
  let placeSaved = JSON.stringify(reopenAt);
  const placeLater = settle(PLACE_DELAY_MS, 2 * PLACE_DELAY_MS, () => {
    if (saveLater.pending()) return; // the save carries it
    const where = placeNow();
    const json = JSON.stringify(where);
    if (json === placeSaved) return;
    placeSaved = json;
    ipc.rememberPlace(id, where).catch(() => {}); // a failing store shows its error when saving
  });

  // Live counts and flags: shown in the footer status bar; a flagged place is shown in the
  // text (found in the headline and body the counts were computed for).
  let counted: { headline: string; doc: PMNode | null } = { headline: "", doc: null };
  const reveal = (place: TextPlace) => {
    if (place.in === "headline") {
      headline.input.focus();
      headline.input.setSelectionRange(place.from, place.to);
      headline.input.scrollIntoView({ block: "center" });
      return;
    }
    const view = editor.view;
    if (counted.doc !== view.state.doc || place.to > view.state.doc.content.size) return;
    view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, place.from, place.to)).scrollIntoView());
    view.focus();
  };
  const live = liveStatus((bytes, text) => (counted.doc ? placeOf(counted.headline, counted.doc, bytes, text) : null), reveal);
  // Counted STATS_DELAY_MS after typing stops, and at least every STATS_MAX_BEHIND_MS while it
  // goes on; an answer older than one already shown is dropped.
  let statsAsked = 0;
  let statsShown = 0;
  let countedChars = 0;
  const countNow = async () => {
    const asked = ++statsAsked;
    const now = { headline: headline.input.value, doc: editor.view.state.doc };
    const text = [now.headline, editor.getText()].join("\n\n");
    countedChars = text.length;
    const s = await textIpc.textStats(text);
    if (asked < statsShown) return;
    statsShown = asked;
    counted = now;
    live.update(s);
  };
  const statsLater = settle(
    STATS_DELAY_MS,
    () => Math.max(STATS_MAX_BEHIND_MS, countedChars * STATS_MS_PER_CHAR),
    () => void countNow(),
  );
  const refreshStats = statsLater.poke;

  const refreshDateline = async () => {
    const p = place.input.value.trim();
    if (!p) {
      dateline.textContent = "";
      return;
    }
    // The date printed is the publication's: the embargo's when there is one.
    const d = await textIpc.dateline(p, dhakaLocalToUtc(embargo.value) ?? null);
    dateline.textContent = `${d.dateline} · ${d.bangabda}`;
  };

  const changed = () => {
    version++;
    saveState.textContent = t("saving");
    delete saveState.dataset.savedAt;
    saveLater.poke();
    refreshStats();
    review?.changed();
  };

  const bodyMount = el("div", { class: "body-mount" });
  const blockTools = bodyToolbar();
  const phonetic = phoneticPlugin(PHONETIC_ENGINE, candidates.listenerFor(() => phonetic.composer()));
  const images: ImageService = {
    add: ipc.addImage,
    dataUrl: ipc.imageDataUrl,
    maxEdge: async () => (await ipc.appInfo()).image_max_edge,
  };
  const imageText = { caption: t("caption"), tooLarge: (mb: string) => `${t("imageTooLarge")} (${mb} MB)` };
  const addImage = async (file: Blob) => {
    error.textContent = "";
    try {
      const inserted = await insertImage(editor.view, file, images, imageText);
      const parts: HTMLElement[] = [];
      if (inserted.scaled) {
        parts.push(el("span", { "data-testid": "image-scaled" }, `${t("imageScaled")}: ${sizeChange(inserted)}`));
      }
      // Said once on this computer: the photo's hidden details (GPS, camera) were removed.
      if (!metadataNoticeShown()) {
        parts.push(el("span", { "data-testid": "image-metadata-removed" }, t("imageMetadataRemoved")));
        rememberMetadataNotice();
      }
      if (parts.length) {
        notice.replaceChildren(...parts);
        notice.dataset.kind = "image-scaled";
        notice.hidden = false;
      }
    } catch (e) {
      error.textContent = e instanceof Error ? e.message : errorText(asAppError(e));
    }
  };
  const cleanPaste = pasteHandler(textIpc.pasteTexts, onPaste);
  const highlights = reviewPlugins();
  let review: ReviewTools | undefined;
  const editor = createBodyEditor(bodyMount, draft.body, {
    onChange: changed,
    label: t("body"),
    nodeViews: {
      image: imageView(images, imageText, (caption) => setUpTextInput(caption, candidates, onPaste)),
      conflict: conflictView({
        title: t("conflictTitle"),
        left: t("conflictLeft"),
        right: t("conflictRight"),
        keepThis: t("keepThis"),
        keepBoth: t("keepBoth"),
        clock: dhakaClock,
      }),
    },
    plugins: [
      phonetic.plugin,
      blockTools.plugin,
      highlights.plugin,
      spellingPlugin(
        {
          check: textIpc.spellCheck,
          addWord: textIpc.addToDictionary,
          ...(user.role === "reporter" ? {} : { shareWord: textIpc.shareWord, fail: (e: unknown) => (error.textContent = errorText(asAppError(e))) }),
        },
        { addToDictionary: t("addToDictionary"), noSuggestions: t("noSuggestions"), shareWithNewsroom: t("shareWithNewsroom") },
      ),
    ],
    handlePaste: (view, event, slice) => {
      const file = Array.from(event.clipboardData?.files ?? []).find((f) => f.type.startsWith("image/"));
      if (file) {
        void addImage(file);
        return true;
      }
      return cleanPaste(view, event, slice);
    },
  });
  for (const input of Object.values(inputs)) input.addEventListener("input", changed);
  urgency.addEventListener("change", changed);
  desk.input.addEventListener("change", changed);
  place.input.addEventListener("input", () => void refreshDateline());
  embargo.addEventListener("change", () => void refreshDateline());

  // Actions.
  const state = el("span", { class: "badge state", "data-testid": "article-state", "data-state": draft.summary.state }, t(`state.${draft.summary.state}` as MessageKey));
  const actions = el("div", { class: "actions" });
  // The secondary actions, for the "more" menu (the primary one stays in the toolbar).
  const menuItems: HTMLElement[] = [];
  const backButton = el("button", { type: "button", "data-testid": "back" }, t("back"));
  backButton.addEventListener("click", async () => {
    await flush();
    back();
  });
  actions.append(backButton);
  // Submit (queued when offline), shown while Rust allows it.
  const submitButton = el("button", { type: "button", class: "primary", "data-testid": "submit", hidden: "" }, t("submit"));
  submitButton.addEventListener("click", async () => {
    error.textContent = "";
    submitButton.disabled = true;
    try {
      await flush();
      store.set("summary", await ipc.submitArticle(id));
    } catch (e) {
      error.textContent = errorText(asAppError(e));
    } finally {
      submitButton.disabled = false;
    }
  });
  // Bijoy text for print layout: shown ready to copy (the page-layout tools still want it).
  const exportButton = el("button", { type: "button", "data-testid": "export-bijoy" }, t("exportBijoy"));
  const exportBox = el("div", { class: "export", hidden: "" });
  exportButton.addEventListener("click", async () => {
    try {
      await flush();
      const text = el("textarea", { readonly: "", rows: "6", "data-testid": "bijoy-text", "aria-label": t("exportBijoy") });
      text.value = await ipc.exportBijoy(id);
      const close = el("button", { type: "button" }, t("close"));
      close.addEventListener("click", () => (exportBox.hidden = true));
      exportBox.replaceChildren(el("p", { class: "muted" }, t("exportBijoyHelp")), text, close);
      exportBox.hidden = false;
      text.focus();
      text.select();
    } catch (e) {
      error.textContent = errorText(asAppError(e));
    }
  });
  menuItems.push(exportButton);

  // Versions: save one explicitly; the history compares any two and restores an old one.
  const historyBox = el("div", { class: "history-box" });
  const saveVersionButton = el("button", { type: "button", "data-testid": "save-version" }, t("saveVersion"));
  saveVersionButton.addEventListener("click", async () => {
    try {
      await flush();
      await ipc.saveVersion(id);
      if (historyBox.childElementCount) historyBox.replaceChildren(historyPanel(id, flush, () => reopen()));
    } catch (e) {
      error.textContent = errorText(asAppError(e));
    }
  });
  const historyButton = el("button", { type: "button", "data-testid": "history-open" }, t("history"));
  historyButton.addEventListener("click", () => {
    historyBox.replaceChildren(historyPanel(id, flush, () => reopen()));
    historyBox.scrollIntoView({ block: "start" });
    historyBox.querySelector<HTMLElement>('[data-testid="history"]')?.focus();
  });
  menuItems.push(saveVersionButton, historyButton);

  // Images from disk.
  const filePicker = el("input", { type: "file", accept: "image/jpeg,image/png,image/gif,image/webp", hidden: "", "data-testid": "image-file" });
  filePicker.addEventListener("change", () => {
    const file = filePicker.files?.[0];
    if (file) void addImage(file).finally(() => (filePicker.value = ""));
  });
  const imageButton = el("button", { type: "button", "data-testid": "add-image" }, t("addImage"));
  imageButton.addEventListener("click", () => filePicker.click());
  menuItems.push(imageButton);

  const rejected = rejectedSlot(draft.summary);
  // The state shown, whether it can be submitted and the refusal banner follow every change:
  // the reporter's own submit, a desk's action arriving by sync, a restore.
  const stopSummary = store.subscribe("summary", (summary) => {
    state.textContent = t(`state.${summary.state}` as MessageKey);
    state.dataset.state = summary.state;
    submitButton.hidden = !summary.allowed_actions.includes("submit");
    rejected.update(summary);
  });
  review = reviewTools({ draft, store, user, editor, flush, fail: (m) => (error.textContent = m) }, highlights);
  menuItems.push(...review.menu);
  const menu = moreMenu(menuItems);

  const restorePlace = (at: EditPlace) => {
    const input = at.field === "body" ? undefined : inputs[at.field];
    if (input instanceof HTMLInputElement) {
      input.focus();
      input.setSelectionRange(Math.min(at.anchor, input.value.length), Math.min(at.head, input.value.length));
    } else {
      const view = editor.view;
      const size = view.state.doc.content.size;
      const resolve = (pos: number) => Selection.near(view.state.doc.resolve(Math.min(pos, size)));
      const anchor = resolve(at.anchor).anchor;
      const head = resolve(at.head).head;
      const selection =
        anchor === head ? Selection.near(view.state.doc.resolve(anchor)) : TextSelection.between(view.state.doc.resolve(anchor), view.state.doc.resolve(head));
      view.dispatch(view.state.tr.setSelection(selection));
      view.focus();
    }
    document.scrollingElement?.scrollTo(0, at.scroll);
  };

  const panelField = (f: { label: HTMLElement; input: HTMLElement }) => el("div", { class: "field" }, f.label, f.input);
  // The article's details beside the text, in a panel that can be hidden.
  const details = el(
    "aside",
    { class: "details-panel", id: "article-details", "data-testid": "details-panel", "aria-label": t("details") },
    el("h2", { class: "details-title" }, t("details")),
    panelField(slugline),
    panelField(byline),
    panelField(place),
    panelField({ label: el("label", { for: "field-urgency" }, t("urgency")), input: urgency }),
    panelField(desk),
    panelField(tags),
    panelField(source),
    panelField(signOff),
    panelField({ label: el("label", { for: "field-embargo" }, t("embargo")), input: embargo }),
    places,
  );
  const detailsButton = detailsToggle(details);
  const focus = focusMode();
  headline.label.classList.add("visually-hidden");
  const bodyLabel = el("label", { class: "visually-hidden" }, t("body"));

  const root = el(
    "section",
    { class: "article writing", "data-testid": "article-screen", "data-article-id": id },
    // Actions, save state and any error or notice stay in view however long the article is.
    // A refusal too: it may come while the reporter is deep in a long article.
    el(
      "div",
      { class: "article-head" },
      el("div", { class: "toolbar" }, actions, state, saveState, el("span", { class: "toolbar-gap" }), submitButton, ...review.primary, menu, detailsButton.button, focus.button),
      error,
      notice,
      rejected.root,
    ),
    el(
      "div",
      { class: "writing-columns" },
      el(
        "div",
        { class: "writing-main" },
        review.banners,
        headline.label,
        headline.input,
        dateline,
        bodyLabel,
        blockTools.element,
        bodyMount,
        candidates.element,
        filePicker,
        review.panels,
        exportBox,
        historyBox,
      ),
      details,
    ),
  );
  refreshStats();
  void refreshDateline();
  for (const event of ["keyup", "mouseup", "focusin"]) root.addEventListener(event, placeLater.poke);
  // Opened again after a restart (a crash included): the cursor goes back where it was. A new
  // article starts with the cursor in its headline.
  if (reopenAt) setTimeout(() => restorePlace(reopenAt));
  else if (!meta.headline) setTimeout(() => headline.input.focus());
  return {
    root,
    status: live.root,
    flush,
    destroy: () => {
      stopSummary();
      detailsButton.destroy();
      focus.destroy();
      statsLater.cancel();
      placeLater.cancel();
      review?.destroy();
      store.destroy();
      editor.destroy();
    },
  };
}
