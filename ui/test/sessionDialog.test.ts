// The session-ended dialog: shown over the current screen when Rust says the server ended the
// session, in plain words; a wrong password keeps it open with the reason; the right one
// closes it and leaves what was being typed untouched; logging out from it is possible.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { watchSession, type SessionApi } from "../src/features/login/sessionDialog";
import { setLang } from "../src/i18n/messages";
import type { SyncStatus, UserInfo } from "../src/ipc";

const user: UserInfo = { id: "u1", username: "rahim", role: "reporter", desks: ["national"] };

function status(session_ended: boolean): SyncStatus {
  return {
    online: true,
    syncing: false,
    pending: 2n,
    last_error: null,
    last_synced_at: null,
    media_pending: 0n,
    session_ended,
    progress: { items_done: 0n, items_total: 0n, bytes_done: 0n, bytes_total: 0n, state: "up_to_date" } as SyncStatus["progress"],
  };
}

function fakeApi(first: boolean) {
  const listeners = new Set<(s: SyncStatus) => void>();
  const calls = { resumed: [] as string[], loggedOut: 0 };
  const api: SessionApi = {
    syncStatus: async () => status(first),
    onStatus: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    resume: async (password) => {
      calls.resumed.push(password);
      if (password !== "গোপন-pass") throw { code: "unauthorized", message: "wrong username or password" };
      for (const fn of listeners) fn(status(false));
      return user;
    },
    logout: async () => {
      calls.loggedOut += 1;
    },
  };
  const push = (ended: boolean) => {
    for (const fn of listeners) fn(status(ended));
  };
  return { api, push, calls };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const dialog = () => document.querySelector<HTMLDialogElement>('[data-testid="session-ended"]');

describe("the session-ended dialog", () => {
  beforeEach(() => {
    setLang("en");
    document.body.replaceChildren();
  });
  afterEach(() => document.body.replaceChildren());

  it("asks for the password over the screen, keeps what is typed, and goes away once it is accepted", async () => {
    const draft = document.createElement("textarea");
    draft.value = "সিলেটে বন্যা, লেখা চলছে";
    document.body.append(draft);
    draft.focus();
    const { api, push, calls } = fakeApi(false);
    const stop = watchSession(user, () => {}, api);
    await settle();
    expect(dialog()).toBeNull();

    push(true);
    const shown = dialog()!;
    expect(shown).not.toBeNull();
    expect(shown.textContent).toContain("Your session has ended; enter your password to go on sending.");
    expect(shown.textContent).not.toMatch(/wrong username or password/i);
    expect(shown.textContent).toContain("rahim");
    // A second status saying the same does not stack dialogs.
    push(true);
    expect(document.querySelectorAll('[data-testid="session-ended"]')).toHaveLength(1);

    const password = shown.querySelector<HTMLInputElement>('[data-testid="session-password"]')!;
    password.value = "ভুল";
    shown.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await settle();
    expect(dialog()).not.toBeNull();
    expect(shown.querySelector('[data-testid="session-error"]')!.textContent).not.toBe("");

    password.value = "গোপন-pass";
    shown.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await settle();
    expect(calls.resumed).toEqual(["ভুল", "গোপন-pass"]);
    expect(dialog()).toBeNull();
    expect(draft.value).toBe("সিলেটে বন্যা, লেখা চলছে");
    expect(document.activeElement).toBe(draft);
    stop();
  });

  it("is there at once when the app starts with an ended session, and can log out instead", async () => {
    const { api, calls } = fakeApi(true);
    let loggedOut = 0;
    const stop = watchSession(user, () => (loggedOut += 1), api);
    await settle();
    const shown = dialog()!;
    expect(shown).not.toBeNull();
    // Escape does not dismiss it.
    shown.dispatchEvent(new Event("cancel", { cancelable: true }));
    expect(dialog()).not.toBeNull();
    shown.querySelector<HTMLButtonElement>('[data-testid="session-logout"]')!.click();
    await settle();
    expect(calls.loggedOut).toBe(1);
    expect(loggedOut).toBe(1);
    expect(dialog()).toBeNull();
    stop();
  });

  it("says it in Bengali in the Bengali interface", async () => {
    setLang("bn");
    const { api } = fakeApi(true);
    const stop = watchSession(user, () => {}, api);
    await settle();
    expect(dialog()!.textContent).toContain("আপনার সেশন শেষ হয়েছে; পাঠানো চালিয়ে যেতে পাসওয়ার্ড দিন।");
    stop();
    expect(dialog()).toBeNull();
  });
});
