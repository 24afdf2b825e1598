// A tiny DOM builder for the screens (plain TypeScript, no framework) and error wording.
import type { AppError } from "../ipc";
import { t } from "../i18n/messages";

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

/** An error in plain words: our own wording for the common cases, else the server's. */
export function errorText(e: AppError): string {
  if (e.code === "network") return `${t("error.network")} (${e.message})`;
  if (e.code === "unauthorized") return `${t("error.unauthorized")} (${e.message})`;
  return e.message || t("error.generic");
}
