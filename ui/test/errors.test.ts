// Error codes in plain words (both languages), the rejected-article banner and the saved language.
import { describe, expect, it } from "vitest";
import { ERROR_CODES, errorWords } from "../src/features/errors";
import { errorText } from "../src/features/dom";
import { rejectedBanner, rejectedSlot } from "../src/features/article/rejected";
import { bn, en, lang, setLang } from "../src/i18n/messages";
import { LANG_KEY, applySavedLang, chooseLang, savedLang } from "../src/i18n/langStore";

describe("error words", () => {
  it("every stable code has its own words in Bengali and English", () => {
    expect(ERROR_CODES).toHaveLength(32);
    for (const code of ERROR_CODES) {
      const key = `error.${code}`;
      expect(bn, code).toHaveProperty([key]);
      expect(en, code).toHaveProperty([key]);
      expect(errorWords(code, "bn")).not.toBe(bn["error.generic"]);
      expect(errorWords(code, "en")).not.toBe(en["error.generic"]);
      expect(errorWords(code, "bn")).toMatch(/[\u0980-\u09FF]/);
      expect(errorWords(code, "en")).toMatch(/^[\x20-\x7E]+$/);
    }
    expect(new Set(ERROR_CODES.map((c) => errorWords(c, "en"))).size).toBe(ERROR_CODES.length);
    expect(errorWords("no_such_code", "en")).toBe(en["error.generic"]);
  });

  it("errorText gives the plain words first and the technical message after", () => {
    setLang("en");
    expect(errorText({ code: "conflict", message: "the schedule time is in the past" })).toBe(
      `${en["error.conflict"]} (the schedule time is in the past)`,
    );
    setLang("bn");
    expect(errorText({ code: "storage", message: "" })).toBe(bn["error.storage"]);
  });
});

describe("rejected banner", () => {
  it("says why in plain words, in both languages, and that the text is kept", () => {
    setLang("bn");
    const banner = rejectedBanner({ sync_state: "rejected", last_error: "document has no headline", last_error_code: "invalid" })!;
    expect(banner.dataset.testid).toBe("article-rejected");
    expect(banner.getAttribute("role")).toBe("alert");
    expect(banner.dataset.code).toBe("invalid");
    expect(banner.textContent).toContain(bn["error.invalid"]);
    expect(banner.textContent).toContain(en["error.invalid"]);
    expect(banner.textContent).toContain(bn.rejectedKept);
    expect(banner.querySelector('[data-testid="article-rejected-detail"]')?.textContent).toBe("invalid: document has no headline");
  });

  it("follows the article while it is open: shown when a refusal comes, kept (not re-announced) while it stays, gone when the text is accepted", () => {
    setLang("en");
    const slot = rejectedSlot({ sync_state: "pending", last_error: null, last_error_code: null });
    expect(slot.root.children).toHaveLength(0);
    slot.update({ sync_state: "rejected", last_error: "the article was spiked", last_error_code: "conflict" });
    const banner = slot.root.querySelector('[data-testid="article-rejected"]');
    expect(banner?.getAttribute("data-code")).toBe("conflict");
    expect(banner?.textContent).toContain(en["error.conflict"]);
    slot.update({ sync_state: "rejected", last_error: "the article was spiked", last_error_code: "conflict" });
    expect(slot.root.firstElementChild).toBe(banner);
    slot.update({ sync_state: "rejected", last_error: "no headline", last_error_code: "invalid" });
    expect(slot.root.firstElementChild).not.toBe(banner);
    expect(slot.root.querySelector('[data-testid="article-rejected"]')?.getAttribute("data-code")).toBe("invalid");
    slot.update({ sync_state: "synced", last_error: null, last_error_code: null });
    expect(slot.root.children).toHaveLength(0);
  });

  it("is absent unless the last sync was refused", () => {
    expect(rejectedBanner({ sync_state: "synced", last_error: null, last_error_code: null })).toBeNull();
    expect(rejectedBanner({ sync_state: "pending", last_error: null, last_error_code: null })).toBeNull();
  });
});

describe("saved language", () => {
  it("is remembered and applied at startup; Bengali by default", () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    expect(savedLang(storage)).toBe("bn");
    chooseLang("en", storage);
    expect(store.get(LANG_KEY)).toBe("en");
    expect(lang()).toBe("en");
    expect(savedLang(storage)).toBe("en");
    store.set(LANG_KEY, "fr");
    expect(savedLang(storage)).toBe("bn");
    // The real localStorage (jsdom's) round trip.
    chooseLang("en");
    setLang("bn");
    applySavedLang();
    expect(lang()).toBe("en");
    chooseLang("bn");
    expect(lang()).toBe("bn");
  });
});
