// The sync status bar: plain-words errors in both languages, no re-announcing, retry, drawn
// from the statuses Rust pushes (never polling) and the round's amount kept visible after it.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { syncStatusBar, AMOUNT_LINGER_MS, type SyncApi } from "../src/features/sync/statusBar";
import { setLang } from "../src/i18n/messages";
import type { AppError, SyncStatus } from "../src/ipc";

function status(over: Partial<SyncStatus> = {}, progress: Partial<SyncStatus["progress"]> = {}): SyncStatus {
  return {
    online: true,
    syncing: false,
    pending: 0n,
    last_error: null,
    last_synced_at: null,
    media_pending: 0n,
    session_ended: false,
    ...over,
    progress: { items_done: 0n, items_total: 0n, bytes_done: 0n, bytes_total: 0n, state: "up_to_date", ...progress } as SyncStatus["progress"],
  };
}

/** A fake app: `current` is what sync_status answers (asked once); `push` sends a status as
 *  Rust's event would; reads are counted. */
function fakeApi(first: SyncStatus) {
  const listeners = new Set<(s: SyncStatus) => void>();
  const api = {
    current: first,
    polls: 0,
    syncs: 0,
    afterSync: null as SyncStatus | null,
    syncStatus: async () => {
      api.polls++;
      return api.current;
    },
    syncNow: async () => {
      api.syncs++;
      if (api.afterSync) api.current = api.afterSync;
      return api.current;
    },
    onStatus: (fn: (s: SyncStatus) => void) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    push(s: SyncStatus) {
      api.current = s;
      for (const fn of listeners) fn(s);
    },
    listeners,
  };
  return api satisfies SyncApi;
}

const q = (root: HTMLElement, id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`)!;

describe("sync status bar", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    setLang("bn");
  });
  afterEach(() => {
    vi.useRealTimers();
    setLang("bn");
  });

  it("shows an error in plain words in both languages, the detail on demand, and a retry", async () => {
    const error: AppError = { code: "forbidden", message: "this article belongs to desk \"sports\"" };
    const api = fakeApi(status({ online: true, last_error: error }));
    const bar = syncStatusBar(api);
    await vi.advanceTimersByTimeAsync(0);
    expect(q(bar.root, "sync-error-text").textContent).toBe("এই কাজের অনুমতি আপনার নেই (ভূমিকা বা ডেস্কের কারণে)।");
    expect(q(bar.root, "sync-error-other").textContent).toBe("You are not allowed to do this (your role or desk).");
    expect(q(bar.root, "sync-error-other").lang).toBe("en");
    expect(q(bar.root, "sync-error").title).toContain("sports");
    expect(q(bar.root, "sync-error-detail").textContent).toBe(`forbidden: ${error.message}`);
    const retry = q(bar.root, "sync-retry") as HTMLButtonElement;
    expect(retry.hidden).toBe(false);
    retry.click();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.syncs).toBe(1);
    bar.stop();
  });

  it("says an ended session as such, not as a wrong password, and offers no retry", async () => {
    const api = fakeApi(status({ session_ended: true, last_error: { code: "unauthorized", message: "the token is invalid" } }));
    const bar = syncStatusBar(api);
    await vi.advanceTimersByTimeAsync(0);
    expect(q(bar.root, "sync-state").textContent).toBe("সেশন শেষ হয়েছে");
    expect(q(bar.root, "sync-error").textContent).toBe("");
    expect(q(bar.root, "sync-retry").hidden).toBe(true);
    bar.stop();
  });

  it("in English the other line is Bengali", async () => {
    setLang("en");
    const bar = syncStatusBar(fakeApi(status({ online: false, last_error: { code: "network", message: "connection refused" } })));
    await vi.advanceTimersByTimeAsync(0);
    expect(q(bar.root, "sync-error-text").textContent).toMatch(/^The server cannot be reached/);
    expect(q(bar.root, "sync-error-other").textContent).toMatch(/^সার্ভারে পৌঁছানো যাচ্ছে না/);
    expect(q(bar.root, "sync-state").textContent).toBe("Offline");
    bar.stop();
  });

  it("does not rewrite (re-announce) the same error or state when it comes again, and hides the retry without error", async () => {
    const api = fakeApi(status({ last_error: { code: "internal", message: "boom" } }));
    const bar = syncStatusBar(api);
    await vi.advanceTimersByTimeAsync(0);
    const alert = q(bar.root, "sync-error");
    const state = q(bar.root, "sync-state");
    const mutations: MutationRecord[] = [];
    const observer = new MutationObserver((m) => mutations.push(...m));
    observer.observe(alert, { childList: true, subtree: true, characterData: true });
    observer.observe(state, { childList: true, subtree: true, characterData: true });
    for (let i = 0; i < 3; i++) api.push(status({ last_error: { code: "internal", message: "boom" } }));
    await Promise.resolve();
    expect(mutations.splice(0)).toHaveLength(0);
    api.push(status());
    await Promise.resolve();
    expect(mutations.length).toBeGreaterThan(0);
    expect(alert.textContent).toBe("");
    expect((q(bar.root, "sync-retry") as HTMLButtonElement).hidden).toBe(true);
    observer.disconnect();
    bar.stop();
  });

  it("reads the status once and then only draws what Rust pushes, until stopped", async () => {
    const api = fakeApi(status());
    const bar = syncStatusBar(api);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(api.polls).toBe(1);
    api.push(status({ syncing: true }, { items_total: 4n, items_done: 1n, bytes_total: 4096n, bytes_done: 1024n, state: "syncing" }));
    expect(q(bar.root, "sync-state").textContent).toBe("সিঙ্ক হচ্ছে…");
    expect(q(bar.root, "sync-amount").dataset.itemsDone).toBe("1");
    bar.stop();
    expect(api.listeners.size).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(api.polls).toBe(1);
  });

  it("keeps the last round's amount visible for a while after it ends, with raw numbers", async () => {
    const api = fakeApi(status());
    api.afterSync = status({}, { items_total: 3n, items_done: 3n, bytes_total: 5000n, bytes_done: 5000n, state: "up_to_date" });
    const bar = syncStatusBar(api);
    await vi.advanceTimersByTimeAsync(0);
    const amount = q(bar.root, "sync-amount");
    expect(amount.hidden).toBe(true);
    q(bar.root, "sync-now").click();
    await vi.advanceTimersByTimeAsync(0);
    expect(amount.hidden).toBe(false);
    expect(amount.dataset).toMatchObject({ itemsDone: "3", itemsTotal: "3", bytesDone: "5000", bytesTotal: "5000" });
    expect(amount.textContent).toBe("৩/৩ · ৫ কেবি/৫ কেবি");
    await vi.advanceTimersByTimeAsync(AMOUNT_LINGER_MS - 1000);
    expect(amount.hidden).toBe(false);
    await vi.advanceTimersByTimeAsync(1100);
    expect(amount.hidden).toBe(true);
    bar.stop();
  });

  it("shows a round whose start and end came in one status", async () => {
    const api = fakeApi(status({}, { items_total: 1n, items_done: 1n, bytes_total: 10n, bytes_done: 10n }));
    const bar = syncStatusBar(api);
    await vi.advanceTimersByTimeAsync(0);
    // An old round at startup is not news.
    expect(q(bar.root, "sync-amount").hidden).toBe(true);
    api.push(status({}, { items_total: 2n, items_done: 2n, bytes_total: 20n, bytes_done: 20n }));
    expect(q(bar.root, "sync-amount").hidden).toBe(false);
    expect(q(bar.root, "sync-amount").dataset.itemsTotal).toBe("2");
    bar.stop();
  });
});
