// The body's block toolbar with its labels from the message files.
import { t, type MessageKey } from "../../i18n/messages";
import { blockToolbar, type ToolLabels } from "../../editor/blockToolbar";

const KEYS: Record<string, MessageKey> = {
  "block-p": "blockParagraph",
  "block-h2": "blockH2",
  "block-h3": "blockH3",
  "block-h4": "blockH4",
  "block-quote": "blockQuote",
  "block-ul": "blockBulletList",
  "block-ol": "blockOrderedList",
  "edit-undo": "editUndo",
  "edit-redo": "editRedo",
};

export function bodyToolbar(): ReturnType<typeof blockToolbar> {
  const labels: ToolLabels = {};
  for (const [id, key] of Object.entries(KEYS)) {
    labels[id] = { name: t(key), short: t(`${key}Short` as MessageKey) };
  }
  return blockToolbar(labels, t("blockToolbar"));
}
