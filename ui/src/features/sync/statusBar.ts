// The sync indicator: online/offline, pending count, the last error in plain words, and a
// "sync now" button. Polls the app every two seconds (no event permissions are granted).
import { ipc, type SyncStatus } from "../../ipc";
import { num, t } from "../../i18n/messages";
import { el, errorText } from "../dom";

export function syncStatusBar(): { root: HTMLElement; stop(): void } {
  const state = el("span", { "data-testid": "sync-state", class: "sync-state" });
  const pending = el("span", { "data-testid": "sync-pending", class: "sync-pending" });
  const error = el("span", { "data-testid": "sync-error", class: "sync-error", role: "alert" });
  const button = el("button", { type: "button", "data-testid": "sync-now" }, t("syncNow"));
  const bar = el("progress", { "data-testid": "sync-progress", max: "1", value: "0", "aria-label": t("syncing") });
  const amount = el("span", { class: "sync-amount", "data-testid": "sync-amount" });
  const photos = el("span", { class: "sync-photos", "data-testid": "sync-photos" });
  const root = el("div", { class: "sync-bar", role: "status" }, state, pending, photos, bar, amount, error, button);

  function render(s: SyncStatus): void {
    // Offline wins: while the server cannot be reached a round may still be retrying, but
    // the reporter needs to know the link is down (their text is safe either way).
    state.textContent = !s.online ? t("offline") : s.syncing ? t("syncing") : t("online");
    state.dataset.online = String(s.online);
    pending.textContent = `${num(s.pending)} ${t("pending")}`;
    pending.dataset.count = String(s.pending);
    const waiting = Number(s.media_pending);
    photos.hidden = waiting === 0;
    photos.dataset.count = String(waiting);
    photos.textContent = `${t("photosPending")}: ${num(waiting)}`;
    error.textContent = s.last_error ? errorText(s.last_error) : "";
    const p = s.progress;
    const total = Number(p.items_total);
    const running = s.syncing && total > 0;
    bar.hidden = !running;
    amount.hidden = !running;
    if (running) {
      bar.max = total;
      bar.value = Number(p.items_done);
      amount.textContent = `${num(Number(p.items_done))}/${num(total)} · ${kib(Number(p.bytes_done))}/${kib(Number(p.bytes_total))}`;
    }
  }

  function kib(bytes: number): string {
    return `${num(Math.ceil(bytes / 1024))} KB`;
  }
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      render(await ipc.syncNow());
    } finally {
      button.disabled = false;
    }
  });
  const poll = async () => render(await ipc.syncStatus());
  void poll();
  const timer = window.setInterval(poll, 2000);
  return { root, stop: () => window.clearInterval(timer) };
}
