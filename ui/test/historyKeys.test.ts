// The history from the keyboard: changing a version choice compares at once; restore asks
// first in an inline confirmation that takes the focus; Escape or "cancel" restores nothing and
// returns the focus; "yes" restores the chosen version. Rendered in jsdom against a stubbed IPC.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ArticleDraft, RevisionInfo } from "../src/ipc";

const revision = (n: number): RevisionInfo =>
  ({
    id: `rev-${n}`,
    parent: null,
    merge_parent: null,
    author: "rahim",
    created_at: `2026-01-0${n}T00:00:00Z`,
    origin: "local",
    sha256: "x",
    headline: `শিরোনাম ${n}`,
    words: 10 * n,
  }) as unknown as RevisionInfo;
const calls: { command: string; args: Record<string, unknown> }[] = [];
const restoredDraft = { summary: { id: "a1" } } as unknown as ArticleDraft;
vi.mock("@tauri-apps/api/core", () => ({
  invoke: async (command: string, args: Record<string, unknown>) => {
    calls.push({ command, args });
    if (command === "article_history") return [revision(3), revision(2), revision(1)];
    if (command === "published_times") return (args.instants as string[]).map((_, i) => `সময় ${i}`);
    if (command === "diff_revisions") return { headline: [], meta_changed: [], blocks: [] };
    if (command === "restore_revision") return restoredDraft;
    return null;
  },
}));

const { historyPanel } = await import("../src/features/article/history");
const { setLang, t } = await import("../src/i18n/messages");

const settle = (ms = 30) => new Promise((r) => setTimeout(r, ms));
const of = (command: string) => calls.filter((c) => c.command === command);
const last = (command: string) => of(command)[of(command).length - 1];

async function render() {
  setLang("en");
  const restored: ArticleDraft[] = [];
  const panel = historyPanel("a1", async () => {}, (d) => restored.push(d));
  document.body.replaceChildren(panel);
  await settle();
  const q = <T extends HTMLElement>(id: string) => panel.querySelector<T>(`[data-testid="${id}"]`);
  return { panel, restored, q };
}

afterEach(() => {
  document.body.replaceChildren();
  calls.length = 0;
});

describe("history from the keyboard", () => {
  it("changing either version compares at once", async () => {
    const { q } = await render();
    expect(of("diff_revisions")).toHaveLength(1);
    const from = q<HTMLSelectElement>("history-from")!;
    from.value = "rev-2";
    from.dispatchEvent(new Event("change", { bubbles: true }));
    await settle();
    expect(last("diff_revisions")?.args).toMatchObject({ from: "rev-2", to: null });
    const to = q<HTMLSelectElement>("history-to")!;
    to.value = "rev-3";
    to.dispatchEvent(new Event("change", { bubbles: true }));
    await settle();
    expect(last("diff_revisions")?.args).toMatchObject({ from: "rev-2", to: "rev-3" });
  });

  it("restore asks first, with the focus on \"yes\"; Escape cancels and returns the focus", async () => {
    const { q, restored } = await render();
    const restore = q<HTMLButtonElement>("history-restore")!;
    restore.focus();
    restore.click();
    const dialog = q("history-restore-dialog")!;
    expect(dialog.hidden).toBe(false);
    expect(dialog.getAttribute("role")).toBe("alertdialog");
    expect(document.getElementById(dialog.getAttribute("aria-labelledby")!)?.textContent).toContain(t("restoreAsk"));
    expect(restore.getAttribute("aria-expanded")).toBe("true");
    expect(document.activeElement?.getAttribute("data-testid")).toBe("history-restore-confirm");
    document.activeElement!.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true }));
    expect(dialog.hidden).toBe(true);
    expect(q("history-restore-confirm")).toBeNull();
    expect(document.activeElement).toBe(restore);
    await settle();
    expect(of("restore_revision")).toHaveLength(0);
    expect(restored).toHaveLength(0);
  });

  it("\"cancel\" restores nothing; \"yes\" restores the chosen version", async () => {
    const { q, restored } = await render();
    const from = q<HTMLSelectElement>("history-from")!;
    from.value = "rev-2";
    q<HTMLButtonElement>("history-restore")!.click();
    expect(q("history-restore-dialog")!.textContent).toContain(from.selectedOptions[0].textContent!);
    q<HTMLButtonElement>("history-restore-cancel")!.click();
    expect(document.activeElement?.getAttribute("data-testid")).toBe("history-restore");
    q<HTMLButtonElement>("history-restore")!.click();
    q<HTMLButtonElement>("history-restore-confirm")!.click();
    await settle();
    expect(of("restore_revision").map((c) => c.args)).toEqual([{ id: "a1", rev: "rev-2" }]);
    expect(restored).toEqual([restoredDraft]);
  });
});
