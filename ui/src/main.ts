// The UI's entry: loads the Bengali font and styles, then routes between the first-run setup,
// login, list and article screens; a language switch re-renders the current screen and the status bar.
import "@fontsource/noto-sans-bengali/400.css";
import "@fontsource/noto-sans-bengali/600.css";
import "prosemirror-view/style/prosemirror.css";
import "./styles.css";
import { ipc, type ArticleList, type EditPlace, type UserInfo } from "./ipc";
import { lang, t, type MessageKey } from "./i18n/messages";
import { applySavedLang, chooseLang } from "./i18n/langStore";
import { el } from "./features/dom";
import { loginScreen } from "./features/login/login";
import { watchSession } from "./features/login/sessionDialog";
import { reportActivity, unlockScreen } from "./features/login/unlock";
import { setupScreen } from "./features/setup/serverForm";
import { aboutButton } from "./features/setup/about";
import { updateBanner } from "./features/setup/update";
import { articleListScreen } from "./features/articles/list";
import { deskQueueScreen } from "./features/desk/queue";
import { articleScreen } from "./features/article/articleScreen";
import { syncStatusBar } from "./features/sync/statusBar";
import { setDeskNames } from "./features/article/fields";
import { installToggleKey } from "./editor/phoneticAdapters";
import { onPhoneticChange, phoneticEnabled, setPhonetic } from "./editor/phonetic";
import { installShortcutsHelp, shortcutsButton } from "./features/shortcuts/shortcutsHelp";
import { on, startEvents } from "./ipc/events";

applySavedLang();
installToggleKey();
installShortcutsHelp();

/** The phonetic indicator and switch (F12 does the same). */
function phoneticToggle(): HTMLElement {
  const button = el("button", { type: "button", "data-testid": "phonetic-toggle", class: "phonetic-toggle" });
  const render = (on: boolean) => {
    button.textContent = `${t("phonetic")}: ${on ? t("phoneticOn") : t("phoneticOff")}`;
    button.setAttribute("aria-pressed", String(on));
  };
  render(phoneticEnabled());
  onPhoneticChange(render);
  button.addEventListener("click", () => setPhonetic(!phoneticEnabled()));
  return button;
}

const root = document.getElementById("app")!;
let leave: () => Promise<void> = async () => {};
/** Saves what is being typed in the open article (nothing when none is open). */
let saveOpen: () => Promise<void> = async () => {};
/** Made once, after Rust's events are listened to, and kept across screens. */
let banner: HTMLElement | null = null;
/** Shows the current screen again (after a language switch). */
let rerender: () => Promise<void> = async () => start();

async function show(screen: HTMLElement, user: UserInfo | null, status: HTMLElement | null = null): Promise<void> {
  const langButton = el(
    "button",
    { type: "button", "data-testid": "lang", lang: lang() === "bn" ? "en" : "bn", title: t("languageLabel") },
    t("language"),
  );
  langButton.addEventListener("click", () => {
    chooseLang(lang() === "bn" ? "en" : "bn");
    // The sync bar's texts and labels are built in the old language: build it again.
    syncBar.stop();
    syncBar = syncStatusBar();
    void rerender();
  });
  const header = el(
    "header",
    { class: "app-header" },
    el("strong", { class: "brand" }, t("appName")),
    user ? el("span", { "data-testid": "current-user", "data-role": user.role }, `${user.username} (${t(`role.${user.role}` as MessageKey)})`) : null,
    user ? phoneticToggle() : null,
    shortcutsButton(),
    aboutButton(),
    langButton,
  );
  if (user) {
    const lockButton = el("button", { type: "button", "data-testid": "lock-now", title: t("lockNow") }, t("lockNow"));
    lockButton.addEventListener("click", async () => {
      // What was typed in the last moments is saved before the store closes.
      await leave();
      await ipc.lockNow();
    });
    header.append(lockButton);
    const logout = el("button", { type: "button", "data-testid": "logout" }, t("logOut"));
    logout.addEventListener("click", async () => {
      await ipc.logout();
      void start();
    });
    header.append(logout);
  }
  banner ??= updateBanner(() => saveOpen());
  root.replaceChildren(header, banner, el("main", {}, screen));
  // The footer status bar: the screen's own status (the article's live counts) beside the
  // sync indicator; other screens have none, so it is cleared with the screen.
  if (user) root.append(el("footer", {}, el("div", { class: "footer-bar" }, status, syncBar.root)));
}

let syncBar = syncStatusBar();
/** Stops watching for the server ending the session (set while someone is logged in). */
let stopSessionWatch: () => void = () => {};

/** The desks' names as the app last heard them from the server (it asks once a run, so a
 *  session kept from before may learn them after the screen it started on). */
async function refreshDeskNames(): Promise<void> {
  setDeskNames((await ipc.appInfo()).desk_names);
}

async function showList(user: UserInfo, list: ArticleList): Promise<void> {
  await leave();
  // No article is open now: a restart opens this list, not the article left (sent after the
  // article's last save, which names it, has finished).
  void ipc.forgetOpenArticle().catch(() => {});
  await refreshDeskNames();
  leave = async () => {};
  rerender = () => showList(user, list);
  const openFrom = (id: string) => void openArticle(user, id, list);
  const screen =
    list === "desk_queue" && user.role === "editor"
      ? deskQueueScreen(openFrom, () => void showList(user, "mine"), user.desks)
      : articleListScreen(user, list, openFrom, (l) => void showList(user, l));
  await show(screen.root, user);
  // Read again when Rust says articles changed (a round, an action), at most every 150 ms.
  let soon: number | undefined;
  const stop = on("articles_changed", () => {
    window.clearTimeout(soon);
    soon = window.setTimeout(() => void screen.refresh(), 150);
  });
  leave = async () => {
    stop();
    window.clearTimeout(soon);
  };
}

async function openArticle(user: UserInfo, id: string, from: ArticleList, place: EditPlace | null = null): Promise<void> {
  await leave();
  leave = async () => {};
  rerender = () => openArticle(user, id, from);
  await refreshDeskNames();
  const draft = await ipc.loadArticle(id);
  // Remembered at once, so that a crash before the first keystroke opens it again.
  await ipc.rememberPlace(id, place).catch(() => {});
  const screen = articleScreen(
    draft,
    user,
    () => void showList(user, from),
    () => void openArticle(user, id, from),
    place,
  );
  saveOpen = () => screen.flush();
  leave = async () => {
    saveOpen = async () => {};
    await screen.flush();
    screen.destroy();
  };
  await show(screen.root, user, screen.status);
}

async function start(): Promise<void> {
  // A first run: no newsroom server yet. The setup screen asks for it, then the app opens.
  const setup = await ipc.serverSetup();
  if (!setup.server_url) {
    await leave();
    leave = async () => {};
    rerender = start;
    await show(setupScreen(setup, () => void start()), null);
    return;
  }
  const info = await ipc.appInfo();
  stopSessionWatch();
  stopSessionWatch = () => {};
  if (info.locked_user) {
    const username = info.locked_user;
    await leave();
    leave = async () => {};
    rerender = start;
    const other = async () => {
      rerender = other;
      await show(loginScreen(info, () => void start()), null);
    };
    await show(unlockScreen(username, () => void start(), () => void other()), null);
    return;
  }
  if (info.user) {
    stopSessionWatch = watchSession(info.user, () => void start());
    const list = info.user.role === "editor" ? "desk_queue" : "mine";
    // The article that was open when the app stopped (a crash or a power cut included) opens
    // again, with the cursor where it was.
    if (info.reopen) {
      try {
        await openArticle(info.user, info.reopen.id, list, info.reopen.place);
        return;
      } catch {
        // Gone or unreadable: the list, as on any start.
      }
    }
    await showList(info.user, list);
  } else {
    await leave();
    leave = async () => {};
    rerender = start;
    await show(loginScreen(info, () => void start()), null);
  }
}

/** A close request (the window's ✕): save what was typed in the last moments, then close.
 *  The shell closes the window anyway if this has not finished within a few seconds. */
(window as unknown as { __bartaClose: () => Promise<void> }).__bartaClose = async () => {
  try {
    await leave();
  } finally {
    await ipc.closeWindow();
  }
};

// Locked (idle, asked, logout): nothing of the user's work stays on the page; it starts again
// from the unlock screen.
on("locked", () => window.location.reload());
reportActivity();

// Rust's events (sync status, articles changed…) are listened to before the first screen.
void startEvents().finally(() => void start());
