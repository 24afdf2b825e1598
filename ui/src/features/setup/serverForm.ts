// The newsroom address form: the first-run setup screen and the About dialog's "change
// server" both use it. Rust checks the address (a Barta server, this app's API and version)
// before anything is saved, and a refusal is said in plain words by its code.
import { ipc, asAppError, type ServerSetup } from "../../ipc";
import { t } from "../../i18n/messages";
import { el, errorText } from "../dom";

/** The address field, the connect button and the error line. `connected` runs once the
 *  address was checked and saved (after a change of server the app restarts instead). */
export function serverForm(current: ServerSetup, connected: (setup: ServerSetup) => void): HTMLFormElement {
  const address = el("input", {
    id: "setup-address",
    "data-testid": "setup-address",
    type: "url",
    inputmode: "url",
    autocomplete: "url",
    spellcheck: "false",
    lang: "en",
    dir: "ltr",
    placeholder: "https://barta.example.com",
    required: "",
  });
  address.value = current.server_url ?? "";
  const error = el("p", { class: "error", role: "alert", "data-testid": "setup-error" });
  const busy = el("p", { class: "muted", "aria-live": "polite", "data-testid": "setup-busy" });
  const connect = el("button", { type: "submit", "data-testid": "setup-connect" }, t("setupConnect"));
  const form = el(
    "form",
    { class: "server-form", novalidate: "" },
    el("label", { for: "setup-address" }, t("setupAddress")),
    address,
    el("p", { class: "muted hint" }, t("setupExample")),
    connect,
    busy,
    error,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    error.removeAttribute("data-code");
    busy.textContent = t("setupChecking");
    connect.disabled = true;
    try {
      connected(await ipc.connectServer(address.value));
    } catch (e) {
      const failure = asAppError(e);
      error.setAttribute("data-code", failure.code);
      error.textContent = errorText(failure);
      address.focus();
    } finally {
      busy.textContent = "";
      connect.disabled = false;
    }
  });
  return form;
}

/** The first-run screen: what Barta needs and where to get it, then the address form. */
export function setupScreen(current: ServerSetup, connected: (setup: ServerSetup) => void): HTMLElement {
  const form = serverForm(current, connected);
  const screen = el(
    "section",
    { class: "setup", "data-testid": "setup-screen", "aria-labelledby": "setup-title" },
    el("h1", { id: "setup-title" }, `${t("appName")} — ${t("setupTitle")}`),
    el("p", {}, t("setupIntro")),
    form,
    el("p", { class: "muted version", "data-testid": "app-version" }, `${t("aboutVersion")} ${current.app_version}`),
  );
  // Keyboard first: the cursor waits in the address field.
  setTimeout(() => form.querySelector<HTMLInputElement>("input")?.focus());
  return screen;
}
