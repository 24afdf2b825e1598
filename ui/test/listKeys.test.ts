// My articles from the keyboard: the rows are focusable buttons that the arrow keys move along
// and Enter opens; ArrowDown leaves the search box for the first hit; the refresh every two
// seconds keeps the focus on the same article. Rendered in jsdom against a stubbed IPC.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ArticleSummary, FoundArticle, UserInfo } from "../src/ipc";

const row = (n: number): ArticleSummary => ({
  id: `0190a4c8-0000-7000-8000-00000000000${n}`,
  headline: `শিরোনাম ${n}`,
  desk: "national",
  author: "rahim",
  state: "draft",
  sync_state: "synced",
  note: null,
  last_error: null,
  last_error_code: null,
  updated_at: "2026-01-01T00:00:00Z",
  created_at: "2026-01-01T00:00:00Z",
  words: 4n,
  urgency: null,
  conflicts: 0n,
  allowed_actions: [],
});
const hit = (n: number): FoundArticle => ({
  id: row(n).id,
  headline: `খোঁজ ${n}`,
  desk: "national",
  state: "draft",
  author: "rahim",
  updated_at: "2026-01-01T00:00:00Z",
  score: 1,
  headline_runs: [],
  snippet: [{ text: "নির্বাচন", hit: true }],
  source: "local",
});
const calls: { command: string; args: unknown }[] = [];
let listed: ArticleSummary[] = [row(1), row(2), row(3)];
vi.mock("@tauri-apps/api/core", () => ({
  invoke: async (command: string, args: unknown) => {
    calls.push({ command, args });
    if (command === "list_articles") return listed;
    if (command === "search_articles") return [hit(3), hit(1)];
    if (command === "search_archive") return { hits: [], not_searched: "offline" };
    return null;
  },
}));

const { articleListScreen } = await import("../src/features/articles/list");
const { setLang } = await import("../src/i18n/messages");

const reporter: UserInfo = { id: "u1", username: "rahim", role: "reporter", desks: ["national"] };
const settle = (ms = 50) => new Promise((r) => setTimeout(r, ms));
const key = (target: EventTarget, key: string) =>
  target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
const focusedId = () => (document.activeElement as HTMLElement | null)?.dataset.articleId;

async function render() {
  setLang("bn");
  const opened: string[] = [];
  const screen = articleListScreen(reporter, "mine", (id) => opened.push(id), () => {});
  document.body.replaceChildren(screen.root);
  await settle();
  const rows = () => [...screen.root.querySelectorAll<HTMLButtonElement>('[data-testid="article-row"]')];
  return { screen, opened, rows };
}

afterEach(() => {
  document.body.replaceChildren();
  listed = [row(1), row(2), row(3)];
  calls.length = 0;
});

describe("the article list from the keyboard", () => {
  it("rows are buttons in the Tab order; arrows, Home and End move along them; Enter opens", async () => {
    const { opened, rows } = await render();
    expect(rows()).toHaveLength(3);
    for (const b of rows()) {
      expect(b.tagName).toBe("BUTTON");
      expect(b.tabIndex).toBe(0);
    }
    rows()[0].focus();
    key(rows()[0], "ArrowDown");
    expect(focusedId()).toBe(row(2).id);
    key(document.activeElement!, "End");
    expect(focusedId()).toBe(row(3).id);
    key(document.activeElement!, "ArrowDown"); // stays on the last row
    expect(focusedId()).toBe(row(3).id);
    key(document.activeElement!, "Home");
    expect(focusedId()).toBe(row(1).id);
    key(document.activeElement!, "ArrowDown");
    expect(key(document.activeElement!, "Enter")).toBe(false);
    expect(opened).toEqual([row(2).id]);
  });

  it("ArrowUp from the first row goes back to the search box; ArrowDown there to the first row", async () => {
    const { screen, rows } = await render();
    const search = screen.root.querySelector<HTMLInputElement>('[data-testid="search"]')!;
    rows()[0].focus();
    key(rows()[0], "ArrowUp");
    expect(document.activeElement).toBe(search);
    key(search, "ArrowDown");
    await settle(0);
    expect(focusedId()).toBe(row(1).id);
  });

  it("the periodic refresh keeps the focus on the same article", async () => {
    const { screen, rows } = await render();
    rows()[1].focus();
    listed = [row(4), row(1), row(2), row(3)];
    await screen.refresh();
    expect(rows()).toHaveLength(4);
    expect(focusedId()).toBe(row(2).id);
    expect(document.activeElement).toBe(rows()[2]);
  });

  it("typing searches as you type; ArrowDown goes to the first hit at once; Enter opens it", async () => {
    const { screen, opened } = await render();
    const search = screen.root.querySelector<HTMLInputElement>('[data-testid="search"]')!;
    search.focus();
    search.value = "নির্বাচন";
    search.dispatchEvent(new Event("input", { bubbles: true }));
    // Before the typing pause is over: ArrowDown runs the search itself.
    key(search, "ArrowDown");
    await settle(0);
    expect(calls.filter((c) => c.command === "search_articles")).toHaveLength(1);
    expect(document.activeElement?.getAttribute("data-testid")).toBe("search-hit");
    expect(focusedId()).toBe(hit(3).id);
    key(document.activeElement!, "ArrowDown");
    expect(focusedId()).toBe(hit(1).id);
    key(document.activeElement!, "Enter");
    expect(opened).toEqual([hit(1).id]);
    // The debounced search does not run again afterwards.
    await settle(200);
    expect(calls.filter((c) => c.command === "search_articles")).toHaveLength(1);
  });

  it("typing alone searches after a short pause", async () => {
    const { screen } = await render();
    const search = screen.root.querySelector<HTMLInputElement>('[data-testid="search"]')!;
    search.value = "নির্বাচন";
    search.dispatchEvent(new Event("input", { bubbles: true }));
    await settle(200);
    const hits = screen.root.querySelectorAll('[data-testid="search-hit"]');
    expect(hits).toHaveLength(2);
    expect(screen.root.querySelector<HTMLElement>('[data-testid="list-mine"]')!.hidden).toBe(true);
  });
});
