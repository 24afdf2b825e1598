// The writing view's frame around the text: a "more" menu for the secondary actions (one
// primary action stays in view), the article's details in a side panel that can be hidden
// (remembered; Ctrl+Shift+D or its button) and focus mode (F11: only the headline, the body
// and the live counts; F11 or Escape leaves it).
import { t } from "../../i18n/messages";
import { el } from "../dom";

/** Where the details panel's shown/hidden choice is kept. */
export const DETAILS_KEY = "barta.detailsPanel";
/** The class on <body> while focus mode is on. */
export const FOCUS_CLASS = "focus-mode";

/** True for the details panel's key: Ctrl+Shift+D (Cmd+Shift+D on a Mac). */
export function isDetailsKey(e: KeyboardEvent): boolean {
  return (e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey && (e.code === "KeyD" || e.key.toLowerCase() === "d");
}

/** A menu of the actions that are not the primary one: a disclosure button and its list. A
 *  chosen item closes the menu; hidden items (actions not allowed now) are not shown. */
export function moreMenu(items: HTMLElement[]): HTMLDetailsElement {
  const list = el("div", { class: "menu-items", role: "group", "aria-label": t("moreActions") }, ...items);
  const menu = el(
    "details",
    { class: "more-menu", "data-testid": "more-menu" },
    el("summary", { "data-testid": "more-actions" }, t("moreActions")),
    list,
  );
  list.addEventListener("click", (e) => {
    if ((e.target as HTMLElement).closest("button")) menu.open = false;
  });
  menu.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && menu.open) {
      e.stopPropagation();
      menu.open = false;
      menu.querySelector("summary")?.focus();
    }
  });
  return menu;
}

type Store = Pick<Storage, "getItem" | "setItem">;

function storage(): Store | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** The button that shows or hides `panel` (shown unless the user hid it before). */
export function detailsToggle(panel: HTMLElement, kept: Store | undefined = storage()): { button: HTMLButtonElement; destroy(): void } {
  const button = el("button", {
    type: "button",
    "data-testid": "details-toggle",
    "aria-controls": panel.id,
    "aria-keyshortcuts": "Control+Shift+D",
  });
  const set = (shown: boolean, remember: boolean) => {
    panel.hidden = !shown;
    button.setAttribute("aria-expanded", String(shown));
    button.textContent = shown ? t("hideDetails") : t("showDetails");
    if (!remember) return;
    try {
      kept?.setItem(DETAILS_KEY, shown ? "shown" : "hidden");
    } catch {
      // A webview without storage still toggles for this session.
    }
  };
  let saved: string | null = null;
  try {
    saved = kept?.getItem(DETAILS_KEY) ?? null;
  } catch {
    saved = null;
  }
  set(saved !== "hidden", false);
  const toggle = () => {
    set(panel.hidden, true);
    if (!panel.hidden) panel.querySelector<HTMLElement>("input, select")?.focus();
  };
  button.addEventListener("click", toggle);
  const onKey = (e: KeyboardEvent) => {
    if (!isDetailsKey(e)) return;
    e.preventDefault();
    toggle();
  };
  document.addEventListener("keydown", onKey);
  return { button, destroy: () => document.removeEventListener("keydown", onKey) };
}

/** Focus mode's button and keys (F11 toggles; Escape leaves). */
export function focusMode(): { button: HTMLButtonElement; destroy(): void } {
  const button = el("button", { type: "button", "data-testid": "focus-toggle", "aria-pressed": "false", "aria-keyshortcuts": "F11" }, t("focusMode"));
  const hint = el("p", { class: "focus-hint", "data-testid": "focus-hint", role: "status" }, t("focusModeHint"));
  const set = (on: boolean) => {
    document.body.classList.toggle(FOCUS_CLASS, on);
    button.setAttribute("aria-pressed", String(on));
    if (on) document.body.append(hint);
    else hint.remove();
  };
  button.addEventListener("click", () => set(!document.body.classList.contains(FOCUS_CLASS)));
  const onKey = (e: KeyboardEvent) => {
    const on = document.body.classList.contains(FOCUS_CLASS);
    if (e.key === "F11" && !e.ctrlKey && !e.altKey && !e.metaKey) {
      e.preventDefault();
      set(!on);
    } else if (e.key === "Escape" && on && !document.querySelector("dialog[open], .spell-menu")) {
      set(false);
    }
  };
  document.addEventListener("keydown", onKey);
  return {
    button,
    destroy: () => {
      document.removeEventListener("keydown", onKey);
      set(false);
    },
  };
}
