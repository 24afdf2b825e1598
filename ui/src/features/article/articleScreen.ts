// The article screen: headline and body, saved to the local store as the user types (about
// once a second), submit (works offline: it is queued) and, for editors, approve.
import { ipc, asAppError, type ArticleDraft, type ArticleMeta, type UserInfo } from "../../ipc";
import { t, type MessageKey } from "../../i18n/messages";
import { el, errorText } from "../dom";
import { createBodyEditor } from "../../editor/editor";

const SAVE_DELAY_MS = 700;

export function articleScreen(
  draft: ArticleDraft,
  user: UserInfo,
  back: () => void,
): { root: HTMLElement; flush(): Promise<void>; destroy(): void } {
  const id = draft.summary.id;
  let meta: ArticleMeta = { ...draft.meta };
  const headline = el("input", {
    id: "headline",
    class: "headline-input",
    "data-testid": "headline",
    lang: "bn",
    value: meta.headline,
  });
  headline.value = meta.headline;
  const saveState = el("span", { class: "save-state", "data-testid": "save-state", role: "status" }, t("saved"));
  const state = el("span", { class: "badge state", "data-testid": "article-state" }, t(`state.${draft.summary.state}` as MessageKey));
  const error = el("p", { class: "error", role: "alert", "data-testid": "article-error" });
  const bodyMount = el("div", { class: "body-mount" });

  let timer: number | undefined;
  let saving: Promise<void> = Promise.resolve();
  const save = async () => {
    timer = undefined;
    meta = { ...meta, headline: headline.value };
    const body = editor.getDoc();
    saveState.textContent = t("saving");
    try {
      await ipc.saveDraft(id, meta, body);
      saveState.textContent = t("saved");
      saveState.dataset.savedAt = String(Date.now());
    } catch (e) {
      error.textContent = errorText(asAppError(e));
    }
  };
  const schedule = () => {
    saveState.textContent = t("saving");
    delete saveState.dataset.savedAt;
    if (timer !== undefined) window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      saving = saving.then(save);
    }, SAVE_DELAY_MS);
  };
  const flush = async () => {
    if (timer !== undefined) {
      window.clearTimeout(timer);
      saving = saving.then(save);
    }
    await saving;
  };
  const editor = createBodyEditor(bodyMount, draft.body, schedule, t("body"));
  headline.addEventListener("input", schedule);

  const actions = el("div", { class: "actions" });
  const backButton = el("button", { type: "button", "data-testid": "back" }, t("back"));
  backButton.addEventListener("click", async () => {
    await flush();
    back();
  });
  actions.append(backButton);
  const action = (key: MessageKey, testid: string, run: () => Promise<{ state: string }>) => {
    const b = el("button", { type: "button", class: "primary", "data-testid": testid }, t(key));
    b.addEventListener("click", async () => {
      error.textContent = "";
      b.disabled = true;
      try {
        await flush();
        const summary = await run();
        state.textContent = t(`state.${summary.state}` as MessageKey);
        state.dataset.state = summary.state;
      } catch (e) {
        error.textContent = errorText(asAppError(e));
      } finally {
        b.disabled = false;
      }
    });
    actions.append(b);
  };
  const mine = draft.summary.author === user.username;
  if (mine && (draft.summary.state === "draft" || draft.summary.state === "returned")) {
    action("submit", "submit", () => ipc.submitArticle(id));
  }
  if (user.role === "editor" && ["submitted", "in_progress"].includes(draft.summary.state)) {
    action("approve", "approve", () => ipc.approveArticle(id));
  }
  state.dataset.state = draft.summary.state;

  const root = el(
    "section",
    { class: "article", "data-testid": "article-screen", "data-article-id": id },
    el("div", { class: "toolbar" }, actions, state, saveState),
    el("label", { for: "headline" }, t("headline")),
    headline,
    el("p", { class: "muted" }, `${t("desk")}: ${meta.desk}`),
    el("label", {}, t("body")),
    bodyMount,
    error,
  );
  return { root, flush, destroy: () => editor.destroy() };
}
