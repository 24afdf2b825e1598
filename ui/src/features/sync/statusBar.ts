// The sync indicator: online/offline, pending count, the round's items/bytes, the last error in
// plain words (both languages, technical detail on demand) with a retry, and "sync now". Drawn
// from the status Rust pushes whenever it changes (read once at the start); nothing polls.
import { ipc, type SyncStatus } from "../../ipc";
import { on } from "../../ipc/events";
import { num, t } from "../../i18n/messages";
import { el } from "../dom";
import { errorWords, otherLang } from "../errors";

/** How long the last round's amount stays visible after it ends. */
export const AMOUNT_LINGER_MS = 5000;

export interface SyncApi {
  syncStatus(): Promise<SyncStatus>;
  syncNow(): Promise<SyncStatus>;
  /** Calls `fn` with every status Rust sends; returns how to stop. */
  onStatus(fn: (status: SyncStatus) => void): () => void;
}

/** The app's own status source: the first read, then Rust's events. */
export const appSync: SyncApi = {
  syncStatus: ipc.syncStatus,
  syncNow: ipc.syncNow,
  onStatus: (fn) => on("sync_status", (e) => fn(e.status)),
};

/** Sets a text only when it changes, so live regions announce changes, not polls. */
function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

export function syncStatusBar(api: SyncApi = appSync): { root: HTMLElement; stop(): void } {
  const state = el("span", { "data-testid": "sync-state", class: "sync-state", role: "status" });
  const pending = el("span", { "data-testid": "sync-pending", class: "sync-pending" });
  const button = el("button", { type: "button", "data-testid": "sync-now" }, t("syncNow"));
  const bar = el("progress", { "data-testid": "sync-progress", max: "1", value: "0", "aria-label": t("syncing") });
  const amount = el("span", { class: "sync-amount", "data-testid": "sync-amount", title: t("lastRound") });
  const photos = el("span", { class: "sync-photos", "data-testid": "sync-photos" });
  // The error: the UI language's words, the other language's below, the technical detail on
  // demand. Only this box is an alert, and it is rewritten only when the error changes.
  const errorMain = el("span", { class: "sync-error-main", "data-testid": "sync-error-text" });
  const errorOther = el("span", { class: "sync-error-other", "data-testid": "sync-error-other" });
  const detailText = el("code", { "data-testid": "sync-error-detail" });
  const details = el("details", { class: "sync-error-details" }, el("summary", {}, t("errorDetails")), detailText);
  const error = el("div", { "data-testid": "sync-error", class: "sync-error", role: "alert" });
  const retry = el("button", { type: "button", "data-testid": "sync-retry", hidden: "" }, t("retry"));
  const root = el(
    "div",
    { class: "sync-bar", "data-testid": "sync-bar" },
    state,
    pending,
    photos,
    bar,
    amount,
    error,
    retry,
    button,
  );

  let shownError = "";
  let lingerUntil = 0;
  let lastRound = "";
  let syncing = false;
  let stopped = false;
  let timer: number | undefined;

  function render(s: SyncStatus, fromClick = false): void {
    const now = Date.now();
    syncing = s.syncing;
    // Offline wins: while the server cannot be reached a round may still be retrying, but
    // the reporter needs to know the link is down (their text is safe either way).
    // An ended session is said as such (the dialog over the screen asks for the password),
    // never as the login's "wrong username or password", and Retry cannot help with it.
    setText(
      state,
      s.session_ended ? t("sessionEndedTitle") : !s.online ? t("offline") : s.syncing ? t("syncing") : t("online"),
    );
    state.dataset.online = String(s.online);
    setText(pending, `${num(s.pending)} ${t("pending")}`);
    pending.dataset.count = String(s.pending);
    const waiting = Number(s.media_pending);
    photos.hidden = waiting === 0;
    photos.dataset.count = String(waiting);
    setText(photos, `${t("photosPending")}: ${num(waiting)}`);

    const e = s.session_ended ? null : s.last_error;
    const key = e ? `${e.code}\u0000${e.message}` : "";
    if (key !== shownError) {
      shownError = key;
      if (e) {
        errorMain.textContent = errorWords(e.code);
        errorOther.textContent = errorWords(e.code, otherLang());
        errorOther.lang = otherLang();
        detailText.textContent = `${e.code}: ${e.message}`;
        error.title = `${e.code}: ${e.message}`;
        error.dataset.code = e.code;
        error.replaceChildren(errorMain, errorOther, details);
      } else {
        error.removeAttribute("title");
        delete error.dataset.code;
        error.replaceChildren();
      }
    }
    retry.hidden = !e;

    // The amount of the current or last round: kept for a while after the round ends, and
    // shown for a round whose start and end came in one status.
    const p = s.progress;
    const total = Number(p.items_total);
    const round = `${p.items_done}/${p.items_total}/${p.bytes_done}/${p.bytes_total}/${p.state}`;
    if (total > 0 && (s.syncing || fromClick || (lastRound !== "" && round !== lastRound))) {
      lingerUntil = now + AMOUNT_LINGER_MS;
    }
    lastRound = round;
    const visible = total > 0 && (s.syncing || now < lingerUntil);
    bar.hidden = !visible;
    amount.hidden = !visible;
    amount.dataset.itemsDone = String(p.items_done);
    amount.dataset.itemsTotal = String(p.items_total);
    amount.dataset.bytesDone = String(p.bytes_done);
    amount.dataset.bytesTotal = String(p.bytes_total);
    if (visible) {
      bar.max = total;
      bar.value = Number(p.items_done);
      setText(amount, `${num(Number(p.items_done))}/${num(total)} · ${kib(Number(p.bytes_done))}/${kib(Number(p.bytes_total))}`);
    }
  }

  function kib(bytes: number): string {
    return `${num(Math.ceil(bytes / 1024))} ${t("kilobytes")}`;
  }

  /** Draws again when the last round's amount is due to be hidden. */
  function hideAmountLater(): void {
    window.clearTimeout(timer);
    const now = Date.now();
    if (!stopped && !syncing && now < lingerUntil) timer = window.setTimeout(() => last && render(last), lingerUntil - now + 10);
  }
  let last: SyncStatus | null = null;
  const show = (s: SyncStatus, fromClick = false) => {
    last = s;
    render(s, fromClick);
    hideAmountLater();
  };
  async function syncNow(): Promise<void> {
    button.disabled = true;
    retry.disabled = true;
    try {
      const s = await api.syncNow();
      if (!stopped) show(s, true);
    } catch {
      // The status Rust sends shows what went wrong.
    } finally {
      button.disabled = false;
      retry.disabled = false;
    }
  }
  button.addEventListener("click", () => void syncNow());
  retry.addEventListener("click", () => void syncNow());
  const unsubscribe = api.onStatus((s) => {
    if (!stopped) show(s);
  });
  void api.syncStatus().then(
    (s) => {
      if (!stopped && !last) show(s);
    },
    () => undefined,
  );
  return {
    root,
    stop: () => {
      stopped = true;
      unsubscribe();
      window.clearTimeout(timer);
    },
  };
}
