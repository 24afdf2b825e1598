// The unlock screen: the app starts locked, and locks after the newsroom's idle time, at the
// user's request and at logout. The last user's password opens their encrypted store here,
// offline; someone else may log in instead (each user has a store of their own).
import { asAppError, ipc } from "../../ipc";
import { t } from "../../i18n/messages";
import { el, errorText } from "../dom";

export function unlockScreen(username: string, onUnlocked: () => void, onOtherUser: () => void): HTMLElement {
  const password = el("input", {
    id: "unlock-password",
    "data-testid": "unlock-password",
    type: "password",
    autocomplete: "current-password",
    required: "",
  });
  const error = el("p", { class: "error", role: "alert", "data-testid": "unlock-error" });
  const submit = el("button", { type: "submit", "data-testid": "unlock-submit" }, t("unlock"));
  const other = el("button", { type: "button", class: "secondary", "data-testid": "unlock-other-user" }, t("otherUser"));
  other.addEventListener("click", onOtherUser);
  const form = el(
    "form",
    { class: "login", "data-testid": "unlock-screen", "aria-labelledby": "unlock-title" },
    el("h1", { id: "unlock-title" }, t("lockedTitle")),
    el("p", {}, t("lockedText")),
    el("p", { class: "muted", "data-testid": "unlock-user" }, `${t("username")}: ${username}`),
    el("label", { for: "unlock-password" }, t("password")),
    password,
    submit,
    error,
    other,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    submit.disabled = true;
    try {
      await ipc.unlock(password.value);
      password.value = "";
      onUnlocked();
    } catch (e) {
      error.textContent = errorText(asAppError(e));
      password.select();
    } finally {
      submit.disabled = false;
    }
  });
  setTimeout(() => password.focus());
  return form;
}

/** Tells the app the user is still there (typing, clicking, scrolling), at most every 2 s
 *  (the shortest idle time is 5 s), so the idle lock counts from the last thing they did. */
export function reportActivity(send: () => Promise<void> = ipc.stillHere, every = 2_000): () => void {
  let last = 0;
  const seen = () => {
    const now = Date.now();
    if (now - last < every) return;
    last = now;
    void send().catch(() => {});
  };
  const kinds = ["keydown", "pointerdown", "wheel", "input"] as const;
  for (const kind of kinds) document.addEventListener(kind, seen, { capture: true, passive: true });
  return () => {
    for (const kind of kinds) document.removeEventListener(kind, seen, { capture: true });
  };
}
