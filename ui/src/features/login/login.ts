// The login screen. Shows the server's own message when it refuses. When the password changed
// since this computer's store was made, it asks once for the previous one as well.
import { ipc, asAppError, type AppInfo, type UserInfo } from "../../ipc";
import { t } from "../../i18n/messages";
import { el, errorText } from "../dom";

export function loginScreen(info: AppInfo, onLoggedIn: (user: UserInfo) => void, knownUser: string | null = null): HTMLElement {
  const username = el("input", {
    id: "login-username",
    "data-testid": "login-username",
    autocomplete: "username",
    required: "",
  });
  if (knownUser) username.value = knownUser;
  const password = el("input", {
    id: "login-password",
    "data-testid": "login-password",
    type: "password",
    autocomplete: "current-password",
    required: "",
  });
  const previous = el("input", {
    id: "login-previous-password",
    "data-testid": "login-previous-password",
    type: "password",
    autocomplete: "off",
  });
  const previousRow = el(
    "div",
    { class: "login-previous", hidden: "" },
    el("label", { for: "login-previous-password" }, t("previousPassword")),
    previous,
  );
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
    previousRow,
    submit,
    error,
    el("p", { class: "muted" }, `${t("server")}: ${info.server_url}`),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    submit.disabled = true;
    try {
      onLoggedIn(await ipc.login(username.value, password.value, previousRow.hidden ? null : previous.value));
      password.value = "";
      previous.value = "";
    } catch (e) {
      const refused = asAppError(e);
      error.textContent = errorText(refused);
      if (refused.code === "previous_password_needed") {
        previousRow.hidden = false;
        previous.focus();
      }
    } finally {
      submit.disabled = false;
    }
  });
  // Keyboard first: the cursor waits in the username field.
  setTimeout(() => (knownUser ? password : username).focus());
  return form;
}
