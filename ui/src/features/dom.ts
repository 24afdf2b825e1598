// A tiny DOM builder for the screens (plain TypeScript, no framework) and error wording.
import type { AppError } from "../ipc";
import { t } from "../i18n/messages";
import { errorWords } from "./errors";

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

/** An error in plain words (by its stable code, in the UI language), then the technical
 * message in brackets for whoever has to look into it. */
export function errorText(e: AppError): string {
  const words = e.code ? errorWords(e.code) : t("error.generic");
  return e.message && e.message !== words ? `${words} (${e.message})` : words;
}
