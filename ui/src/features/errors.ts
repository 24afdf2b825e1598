// Stable error codes (the app's AppError codes, which include the server's ErrorCode values)
// in plain words, in either UI language: reporters forward errors to IT, who may read the other.
import type { ErrorCode } from "../ipc";
import { bn, en, lang, type Lang, type MessageKey } from "../i18n/messages";

/** Every code, checked complete by the compiler (a new Rust code fails the build here). */
const CODES: Record<ErrorCode, true> = {
  bad_request: true,
  invalid: true,
  hash_mismatch: true,
  idempotency_mismatch: true,
  unauthorized: true,
  forbidden: true,
  not_found: true,
  conflict: true,
  unresolved_conflict: true,
  payload_too_large: true,
  unsupported_media_type: true,
  network: true,
  storage: true,
  not_logged_in: true,
  internal: true,
  not_tried: true,
  client_too_old: true,
  not_barta_server: true,
  server_unreachable: true,
  certificate_problem: true,
  server_not_set: true,
  update_invalid: true,
  update_failed: true,
  too_many_requests: true,
  account_disabled: true,
  insecure_address: true,
  quota_exceeded: true,
  other_users_store: true,
  locked: true,
  wrong_password: true,
  previous_password_needed: true,
  unavailable: true,
};

export const ERROR_CODES = Object.keys(CODES) as ErrorCode[];

/** The plain-words message of `code` in `language` (the generic one for an unknown code). */
export function errorWords(code: string, language: Lang = lang()): string {
  const table: Record<string, string> = language === "bn" ? bn : en;
  return table[`error.${code}` as MessageKey] ?? table["error.generic"];
}

/** The language that is not the current one. */
export function otherLang(): Lang {
  return lang() === "bn" ? "en" : "bn";
}
