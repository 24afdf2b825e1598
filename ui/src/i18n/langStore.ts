// The UI language choice, kept across restarts in the webview's localStorage.
import { setLang, type Lang } from "./messages";

export const LANG_KEY = "barta.lang";

/** The saved language (Bengali, the default, when none or an unknown one is saved). */
export function savedLang(storage: Pick<Storage, "getItem"> | undefined = globalThis.localStorage): Lang {
  try {
    return storage?.getItem(LANG_KEY) === "en" ? "en" : "bn";
  } catch {
    return "bn";
  }
}

/** Switches the UI language and remembers it. */
export function chooseLang(lang: Lang, storage: Pick<Storage, "setItem"> | undefined = globalThis.localStorage): void {
  setLang(lang);
  try {
    storage?.setItem(LANG_KEY, lang);
  } catch {
    // A webview without storage still switches for this session.
  }
}

/** Applies the saved language (at startup). */
export function applySavedLang(): void {
  setLang(savedLang());
}
