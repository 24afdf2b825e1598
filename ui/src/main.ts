// The UI's entry: loads the Bengali font and styles, then routes between the login, list and
// article screens.
import "@fontsource/noto-sans-bengali/400.css";
import "@fontsource/noto-sans-bengali/600.css";
import "prosemirror-view/style/prosemirror.css";
import "./styles.css";
import { ipc, type ArticleList, type UserInfo } from "./ipc";
import { lang, setLang, t } from "./i18n/messages";
import { el } from "./features/dom";
import { loginScreen } from "./features/login/login";
import { articleListScreen } from "./features/articles/list";
import { deskQueueScreen } from "./features/desk/queue";
import { articleScreen } from "./features/article/articleScreen";
import { syncStatusBar } from "./features/sync/statusBar";
import { installToggleKey } from "./editor/phoneticAdapters";
import { onPhoneticChange, phoneticEnabled, setPhonetic } from "./editor/phonetic";

installToggleKey();

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

async function show(screen: HTMLElement, user: UserInfo | null): Promise<void> {
  const langButton = el("button", { type: "button", "data-testid": "lang" }, t("language"));
  langButton.addEventListener("click", () => {
    setLang(lang() === "bn" ? "en" : "bn");
    void start();
  });
  const header = el(
    "header",
    { class: "app-header" },
    el("strong", { class: "brand" }, t("appName")),
    user ? el("span", { "data-testid": "current-user" }, `${user.username} (${user.role})`) : null,
    user ? phoneticToggle() : null,
    langButton,
  );
  if (user) {
    const logout = el("button", { type: "button", "data-testid": "logout" }, t("logOut"));
    logout.addEventListener("click", async () => {
      await ipc.logout();
      void start();
    });
    header.append(logout);
  }
  root.replaceChildren(header, el("main", {}, screen));
  if (user) root.append(el("footer", {}, syncBar.root));
}

const syncBar = syncStatusBar();

async function showList(user: UserInfo, list: ArticleList): Promise<void> {
  await leave();
  leave = async () => {};
  const openFrom = (id: string) => void openArticle(user, id, list);
  const screen =
    list === "desk_queue" && user.role === "editor"
      ? deskQueueScreen(openFrom, () => void showList(user, "mine"))
      : articleListScreen(user, list, openFrom, (l) => void showList(user, l));
  await show(screen.root, user);
  const timer = window.setInterval(() => void screen.refresh(), 2000);
  leave = async () => window.clearInterval(timer);
}

async function openArticle(user: UserInfo, id: string, from: ArticleList): Promise<void> {
  await leave();
  const draft = await ipc.loadArticle(id);
  const screen = articleScreen(
    draft,
    user,
    () => void showList(user, from),
    () => void openArticle(user, id, from),
  );
  leave = async () => {
    await screen.flush();
    screen.destroy();
  };
  await show(screen.root, user);
}

async function start(): Promise<void> {
  const info = await ipc.appInfo();
  if (info.user) {
    await showList(info.user, info.user.role === "editor" ? "desk_queue" : "mine");
  } else {
    await show(loginScreen(info, () => void start()), null);
  }
}

void start();
