// The shortcut list: F1 and Ctrl+/ open it, it lists the keys the code really binds, in both
// languages from the message files, and Escape closes it and gives the focus back.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { SHORTCUT_GROUPS, installShortcutsHelp, isHelpKey } from "../src/features/shortcuts/shortcutsHelp";
import { bn, en, setLang, t } from "../src/i18n/messages";
import { blockKeys } from "../src/editor/blocks";
import { TOGGLE_KEY } from "../src/editor/phonetic";

const press = (target: EventTarget, key: string, extra: KeyboardEventInit = {}) =>
  target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...extra }));
const help = () => document.querySelector<HTMLDialogElement>('[data-testid="shortcuts-help"]');

let uninstall = () => {};
afterEach(() => {
  uninstall();
  document.body.replaceChildren();
  setLang("bn");
});

describe("shortcut list", () => {
  it("F1 and Ctrl+/ are its keys; plain / and Ctrl+F1 are not", () => {
    expect(isHelpKey(new KeyboardEvent("keydown", { key: "F1" }))).toBe(true);
    expect(isHelpKey(new KeyboardEvent("keydown", { key: "/", ctrlKey: true }))).toBe(true);
    expect(isHelpKey(new KeyboardEvent("keydown", { key: "/" }))).toBe(false);
    expect(isHelpKey(new KeyboardEvent("keydown", { key: "F1", ctrlKey: true }))).toBe(false);
  });

  it("lists the shortcuts the editor really binds", () => {
    const listed = SHORTCUT_GROUPS.flatMap((g) => g.rows.map(([keys]) => en[keys])).join(" | ");
    expect(listed).toContain(TOGGLE_KEY);
    // Every Mod-… block shortcut of blocks.ts, written as Ctrl+…
    for (const binding of Object.keys(blockKeys).filter((k) => k.startsWith("Mod-"))) {
      expect(listed).toContain(binding.replace("Mod-", "Ctrl+").replace(/-/g, "+"));
    }
    // Undo/redo, bold, italic as editor.ts binds them.
    const editorSource = readFileSync(`${process.cwd()}/src/editor/editor.ts`, "utf8");
    for (const [binding, shown] of [["Mod-z", "Ctrl+Z"], ["Mod-y", "Ctrl+Y"], ["Shift-Mod-z", "Ctrl+Shift+Z"], ["Mod-b", "Ctrl+B"], ["Mod-i", "Ctrl+I"]]) {
      expect(editorSource).toContain(`"${binding}"`);
      expect(listed).toContain(shown);
    }
    expect(listed).toContain("Alt+Enter");
  });

  for (const lang of ["bn", "en"] as const) {
    it(`F1 opens it in ${lang}; Escape closes it and gives the focus back`, () => {
      setLang(lang);
      uninstall = installShortcutsHelp();
      const before = document.createElement("button");
      document.body.append(before);
      before.focus();
      expect(press(before, "F1")).toBe(false);
      const dialog = help()!;
      expect(dialog).not.toBeNull();
      expect(dialog.open).toBe(true);
      expect(dialog.querySelector("h2")?.textContent).toBe(t("kbdTitle"));
      const rows = dialog.querySelectorAll("tbody tr");
      expect(rows).toHaveLength(SHORTCUT_GROUPS.reduce((n, g) => n + g.rows.length, 0));
      const words = lang === "bn" ? bn : en;
      expect(dialog.textContent).toContain(words.kbdPhonetic);
      expect(dialog.textContent).toContain(words.kbdSpelling);
      expect(document.activeElement?.getAttribute("data-testid")).toBe("shortcuts-close");
      press(document.activeElement!, "Escape");
      expect(help()).toBeNull();
      expect(document.activeElement).toBe(before);
    });
  }

  it("Ctrl+/ opens it and closes it again; the close button closes it too", () => {
    uninstall = installShortcutsHelp();
    press(document.body, "/", { ctrlKey: true });
    expect(help()).not.toBeNull();
    press(document.body, "/", { ctrlKey: true });
    expect(help()).toBeNull();
    press(document.body, "F1");
    help()!.querySelector<HTMLButtonElement>('[data-testid="shortcuts-close"]')!.click();
    expect(help()).toBeNull();
  });
});
