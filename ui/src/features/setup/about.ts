// The About dialog (the header's button): the app's version, the newsroom server and where
// the articles are kept, and the form to change the server (not when BARTA_SERVER_URL fixes
// it). Escape closes it, like the shortcut list.
import { ipc, asAppError } from "../../ipc";
import { digits, num, t } from "../../i18n/messages";
import { el, errorText } from "../dom";
import { serverForm } from "./serverForm";

/** Opens the dialog, read fresh from Rust; the focus goes to its close button. */
export async function openAbout(): Promise<HTMLDialogElement> {
  const setup = await ipc.serverSetup();
  const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const close = el("button", { type: "button", "data-testid": "about-close" }, t("close"));
  const facts = el(
    "dl",
    { class: "about-facts" },
    el("dt", {}, t("aboutVersion")),
    el("dd", { "data-testid": "about-version", lang: "en" }, setup.app_version),
    el("dt", {}, t("server")),
    el("dd", { "data-testid": "about-server", lang: "en", dir: "ltr" }, setup.server_url ?? "—"),
    el("dt", {}, t("aboutDataDir")),
    el("dd", { lang: "en", dir: "ltr" }, setup.data_dir),
  );
  // Asking the newsroom's server for a newer version now; one found shows in the banner.
  const checkResult = el("span", { class: "muted", "data-testid": "about-update-result", "aria-live": "polite" });
  const check = el("button", { type: "button", "data-testid": "about-check-update" }, t("updateCheck"));
  check.addEventListener("click", async () => {
    check.disabled = true;
    checkResult.textContent = "";
    try {
      const update = await ipc.checkForUpdate();
      checkResult.textContent = update ? `${t("updateAvailable")} ${digits(update.version)}` : t("updateNone");
    } catch (e) {
      checkResult.textContent = errorText(asAppError(e));
    } finally {
      check.disabled = false;
    }
  });
  const change = setup.from_env
    ? el("p", { class: "muted", "data-testid": "server-fixed" }, t("setupFixed"))
    : el(
        "section",
        { "aria-labelledby": "change-server-title" },
        el("h3", { id: "change-server-title" }, t("setupChangeTitle")),
        el("p", { class: "muted" }, t("setupChangeNote")),
        setup.pending > 0
          ? el("p", { "data-testid": "server-pending" }, `${t("setupPendingNote")} ${num(setup.pending)}`)
          : null,
        serverForm(setup, () => dialog.close()),
      );
  const title = el("h2", { id: "about-title" }, t("about"));
  const dialog = el(
    "dialog",
    { class: "about", "data-testid": "about-dialog", "aria-labelledby": title.id },
    title,
    facts,
    el("p", {}, check, " ", checkResult),
    change,
    close,
  );
  const done = () => {
    if (dialog.open) dialog.close();
    dialog.remove();
    if (returnTo?.isConnected) returnTo.focus();
  };
  close.addEventListener("click", done);
  dialog.addEventListener("close", done);
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
  return dialog;
}

/** The header's About button. */
export function aboutButton(): HTMLButtonElement {
  const button = el("button", { type: "button", "data-testid": "about", title: t("about") }, t("aboutShort"));
  button.addEventListener("click", () => void openAbout());
  return button;
}
