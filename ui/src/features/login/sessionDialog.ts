// The session-ended dialog: when the server no longer accepts this session (it expired, an
// administrator revoked it, the password changed), a dialog over whatever screen is open asks
// for the password, in plain words — never "wrong username or password". Nothing typed or
// queued is touched; syncing goes on once the password is accepted.
import { asAppError, ipc, type SyncStatus, type UserInfo } from "../../ipc";
import { on } from "../../ipc/events";
import { t } from "../../i18n/messages";
import { el, errorText } from "../dom";

export interface SessionApi {
  syncStatus(): Promise<SyncStatus>;
  onStatus(fn: (status: SyncStatus) => void): () => void;
  resume(password: string): Promise<UserInfo>;
  logout(): Promise<void>;
}

export const appSession: SessionApi = {
  syncStatus: ipc.syncStatus,
  onStatus: (fn) => on("sync_status", (e) => fn(e.status)),
  resume: ipc.resumeSession,
  logout: ipc.logout,
};

/** Builds the dialog (not yet shown). `onLoggedOut` runs after the user chose to log out. */
function sessionDialog(username: string, api: SessionApi, onLoggedOut: () => void, onResumed: () => void): HTMLDialogElement {
  const title = el("h2", { id: "session-ended-title" }, t("sessionEndedTitle"));
  const password = el("input", {
    id: "session-password",
    "data-testid": "session-password",
    type: "password",
    autocomplete: "current-password",
    required: "",
  });
  const error = el("p", { class: "error", role: "alert", "data-testid": "session-error" });
  const resume = el("button", { type: "submit", "data-testid": "session-resume" }, t("sessionGoOn"));
  const logout = el("button", { type: "button", "data-testid": "session-logout", class: "secondary" }, t("logOut"));
  const form = el(
    "form",
    { method: "dialog" },
    el("p", { "data-testid": "session-ended-text" }, t("sessionEndedText")),
    el("p", { class: "muted" }, `${t("username")}: ${username}`),
    el("label", { for: "session-password" }, t("password")),
    password,
    el("div", { class: "session-actions" }, resume, logout),
    error,
  );
  const dialog = el(
    "dialog",
    { class: "session-ended", "data-testid": "session-ended", role: "alertdialog", "aria-labelledby": title.id },
    title,
    form,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    resume.disabled = true;
    try {
      await api.resume(password.value);
      password.value = "";
      onResumed();
    } catch (e) {
      error.textContent = errorText(asAppError(e));
      password.select();
    } finally {
      resume.disabled = false;
    }
  });
  logout.addEventListener("click", async () => {
    await api.logout();
    onLoggedOut();
  });
  // The dialog stays until the password is accepted or the user logs out: Escape does not
  // leave it (the text stays safe underneath either way).
  dialog.addEventListener("cancel", (e) => e.preventDefault());
  return dialog;
}

/** Watches the sync status while `user` is logged in and shows the dialog when the server
 *  ends the session. Returns how to stop watching (and remove a shown dialog). */
export function watchSession(user: UserInfo, onLoggedOut: () => void, api: SessionApi = appSession): () => void {
  let open: HTMLDialogElement | null = null;
  let stopped = false;
  const close = () => {
    if (!open) return;
    if (open.open && typeof open.close === "function") open.close();
    open.remove();
    open = null;
  };
  const render = (status: SyncStatus) => {
    if (stopped) return;
    if (!status.session_ended) {
      close();
      return;
    }
    if (open) return;
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    open = sessionDialog(user.username, api, () => {
      close();
      onLoggedOut();
    }, () => {
      close();
      if (returnTo?.isConnected) returnTo.focus();
    });
    document.body.append(open);
    if (typeof open.showModal === "function") open.showModal();
    else open.setAttribute("open", "");
    open.querySelector<HTMLInputElement>("input[type=password]")?.focus();
  };
  const stop = api.onStatus(render);
  void api.syncStatus().then(render, () => {});
  return () => {
    stopped = true;
    stop();
    close();
  };
}
