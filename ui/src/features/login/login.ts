// The login screen. Shows the server's own message when it refuses.
import { ipc, asAppError, type AppInfo, type UserInfo } from "../../ipc";
import { t } from "../../i18n/messages";
import { el, errorText } from "../dom";

export function loginScreen(info: AppInfo, onLoggedIn: (user: UserInfo) => void): HTMLElement {
  const username = el("input", {
    id: "login-username",
    "data-testid": "login-username",
    autocomplete: "username",
    required: "",
  });
  const password = el("input", {
    id: "login-password",
    "data-testid": "login-password",
    type: "password",
    autocomplete: "current-password",
    required: "",
  });
  const error = el("p", { class: "error", role: "alert", "data-testid": "login-error" });
  const submit = el("button", { type: "submit", "data-testid": "login-submit" }, t("logIn"));
  const form = el(
    "form",
    { class: "login", "aria-labelledby": "login-title" },
    el("h1", { id: "login-title" }, `${t("appName")} — ${t("loginTitle")}`),
    el("label", { for: "login-username" }, t("username")),
    username,
    el("label", { for: "login-password" }, t("password")),
    password,
    submit,
    error,
    el("p", { class: "muted" }, `${t("server")}: ${info.server_url}`),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    submit.disabled = true;
    try {
      onLoggedIn(await ipc.login(username.value, password.value));
    } catch (e) {
      error.textContent = errorText(asAppError(e));
    } finally {
      submit.disabled = false;
    }
  });
  // Keyboard first: the cursor waits in the username field.
  setTimeout(() => username.focus());
  return form;
}
