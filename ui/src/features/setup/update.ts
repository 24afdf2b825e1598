// The update banner: when the newsroom's server offers a newer version (Rust's
// `update_available` event, or asked once when the banner is made), it shows the version and
// the newsroom's notes, and installs only when the reporter says so — after the open
// article's last edits are saved. A refused or failed install is said in plain words, and
// this version keeps running.
import { ipc, asAppError, type UpdateInfo } from "../../ipc";
import { on } from "../../ipc/events";
import { digits, t } from "../../i18n/messages";
import { el, errorText } from "../dom";

/** The banner (hidden until an update is there). `saveFirst` saves what is being typed. */
export function updateBanner(saveFirst: () => Promise<void>): HTMLElement {
  const words = el("span", { "data-testid": "update-text" });
  const notes = el("span", { class: "update-notes", "data-testid": "update-notes" });
  const install = el("button", { type: "button", "data-testid": "update-install" }, t("updateInstall"));
  const later = el("button", { type: "button", "data-testid": "update-later" }, t("updateLater"));
  const error = el("p", { class: "error", role: "alert", "data-testid": "update-error" });
  const banner = el(
    "div",
    { class: "update-banner", role: "status", "data-testid": "update-banner", hidden: "" },
    words,
    notes,
    install,
    later,
    error,
  );
  const showUpdate = (update: UpdateInfo) => {
    banner.dataset.version = update.version;
    words.textContent = `${t("updateAvailable")} ${digits(update.version)}`;
    notes.textContent = update.notes;
    banner.hidden = false;
  };
  install.addEventListener("click", async () => {
    install.disabled = true;
    error.textContent = "";
    error.removeAttribute("data-code");
    install.textContent = t("updateInstalling");
    try {
      await saveFirst();
      // On success the app is replaced and starts again: this call does not come back.
      await ipc.installUpdate();
    } catch (e) {
      const failure = asAppError(e);
      error.dataset.code = failure.code;
      error.textContent = errorText(failure);
      install.textContent = t("updateInstall");
      install.disabled = false;
    }
  });
  later.addEventListener("click", () => {
    banner.hidden = true;
  });
  on("update_available", (event) => showUpdate(event.update));
  void ipc.updateStatus().then((update) => update && showUpdate(update), () => {});
  return banner;
}
