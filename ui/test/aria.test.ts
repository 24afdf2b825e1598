// Every button, input, select and text box of the screens has an accessible name: the screens are
// rendered in jsdom against a stubbed IPC (the Tauri bridge answers canned values).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ArticleDraft, ArticleSummary, TextStats, UserInfo } from "../src/ipc";

const summary: ArticleSummary = {
  id: "0190a4c8-0000-7000-8000-000000000001",
  headline: "কিম জং উনের চিঠি",
  desk: "national",
  author: "rahim",
  state: "draft",
  sync_state: "rejected",
  note: null,
  last_error: "document has no headline",
  last_error_code: "invalid",
  updated_at: "2026-01-01T00:00:00Z",
  created_at: "2026-01-01T00:00:00Z",
  words: 4n,
  urgency: null,
  conflicts: 0n,
  allowed_actions: [],
};
const stats: TextStats = {
  words: 9,
  graphemes: 40,
  sentences: 2,
  paragraphs: 2,
  reading_seconds: 3,
  flags: [{ kind: "stray_hasanta", text: "ক্", start: 0, end: 6 }],
  name_variants: [{ first: "কিং জং উন", second: "কিম জং উন", first_at: [0, 1], second_at: [0, 1] }],
};
const answers: Record<string, unknown> = {
  app_info: { server_url: "http://localhost:1", data_dir: "/tmp", user: null, image_max_edge: 2048 },
  list_articles: [summary],
  text_stats: stats,
  dateline: { dateline: "ঢাকা", bangabda: "১ বৈশাখ" },
  spell_check: { available: false, blocks: [] },
  article_comments: [],
  article_presence: [],
  article_history: [],
  desk_queue: { items: [summary], counts: [{ queue: "incoming", count: 1n }] },
  notifications: false,
  public_url: null,
  sync_status: {
    online: false,
    syncing: false,
    pending: 1n,
    last_error: { code: "network", message: "refused" },
    last_synced_at: null,
    progress: { items_done: 1n, items_total: 2n, bytes_done: 1n, bytes_total: 2n, state: "syncing" },
    media_pending: 1n,
    session_ended: false,
  },
  phonetic_preview: "",
  phonetic_suggestions: [],
};
vi.mock("@tauri-apps/api/core", () => ({
  invoke: async (command: string) => answers[command] ?? null,
}));

const { setLang } = await import("../src/i18n/messages");
const { syncStatusBar } = await import("../src/features/sync/statusBar");
const { loginScreen } = await import("../src/features/login/login");
const { articleListScreen } = await import("../src/features/articles/list");
const { deskQueueScreen } = await import("../src/features/desk/queue");
const { historyPanel } = await import("../src/features/article/history");
const { articleScreen } = await import("../src/features/article/articleScreen");

/** The accessible name, as far as the screens use the ways to give one. */
export function accessibleName(e: Element): string {
  const by = e.getAttribute("aria-labelledby");
  if (by) return by.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? "").join(" ").trim();
  const aria = e.getAttribute("aria-label")?.trim();
  if (aria) return aria;
  if (e instanceof HTMLInputElement || e instanceof HTMLSelectElement || e instanceof HTMLTextAreaElement) {
    const label = [...(e.labels ?? [])].map((l) => l.textContent ?? "").join(" ").trim();
    if (label) return label;
    if (e instanceof HTMLInputElement && ["button", "submit"].includes(e.type) && e.value) return e.value;
  } else if (e instanceof HTMLButtonElement || e.tagName === "SUMMARY" || e.tagName === "A") {
    const text = e.textContent?.trim();
    if (text) return text;
  }
  return (e.getAttribute("title") ?? e.getAttribute("placeholder") ?? "").trim();
}

const INTERACTIVE = "button, input, select, textarea, summary, a[href], [contenteditable='true'], [role='textbox']";

/** The interactive elements of `root` without a name ("tag#testid"). */
function unnamed(root: HTMLElement): string[] {
  document.body.replaceChildren(root);
  return [...root.querySelectorAll(INTERACTIVE)]
    .filter((e) => !e.hasAttribute("hidden") && !(e instanceof HTMLInputElement && e.type === "hidden"))
    .filter((e) => accessibleName(e) === "")
    .map((e) => `${e.tagName.toLowerCase()}#${e.getAttribute("data-testid") ?? e.className}`);
}

// jsdom lays nothing out: scrolling is a no-op here.
Element.prototype.scrollIntoView ??= function () {};

const settle = () => new Promise((r) => setTimeout(r, 400));
const reporter: UserInfo = { id: "u1", username: "rahim", role: "reporter", desks: ["national", "sports"] };
const editor: UserInfo = { ...reporter, username: "nasrin", role: "editor" };

describe("accessible names", () => {
  beforeEach(() => setLang("bn"));
  afterEach(() => document.body.replaceChildren());

  it("the helper finds a nameless control", () => {
    const root = document.createElement("div");
    root.innerHTML = `<button></button><input id="x"><label for="y">নাম</label><input id="y"><button aria-label="ক"></button><select title="খ"></select>`;
    expect(unnamed(root)).toEqual(["button#", "input#"]);
  });

  for (const lang of ["bn", "en"] as const) {
    it(`the status bar (${lang})`, async () => {
      setLang(lang);
      const bar = syncStatusBar();
      await settle();
      expect(bar.root.querySelector('[data-testid="sync-retry"]')?.hasAttribute("hidden")).toBe(false);
      expect(unnamed(bar.root)).toEqual([]);
      bar.stop();
    });
  }

  it("the login screen", () => {
    expect(unnamed(loginScreen(answers.app_info as never, () => {}))).toEqual([]);
  });

  it("the article list and the desk queue", async () => {
    const list = articleListScreen(editor, "mine", () => {}, () => {});
    await settle();
    expect(list.root.querySelectorAll('[data-testid="article-row"]')).toHaveLength(1);
    expect(unnamed(list.root)).toEqual([]);
    const queue = deskQueueScreen(() => {}, () => {});
    await settle();
    expect(unnamed(queue.root)).toEqual([]);
  });

  it("the history panel names its two version choosers apart", async () => {
    const panel = historyPanel(summary.id, async () => {}, () => {});
    document.body.replaceChildren(panel);
    const from = panel.querySelector('[data-testid="history-from"]')!;
    const to = panel.querySelector('[data-testid="history-to"]')!;
    expect(accessibleName(from)).not.toBe(accessibleName(to));
    expect(unnamed(panel)).toEqual([]);
  });

  it("the article screen and its footer status (counts, flags, name variants)", async () => {
    const draft: ArticleDraft = {
      summary,
      meta: { headline: "কিম জং উনের চিঠি", desk: "national", tags: [] },
      body: { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "কিং জং উন এলেন।" }] }] },
      head: null,
      head_sha256: null,
      submitted_rev: null,
      approved_rev: null,
    };
    const screen = articleScreen(draft, reporter, () => {});
    await settle();
    expect(screen.root.querySelector('[data-testid="article-rejected"]')).not.toBeNull();
    expect(screen.root.querySelector<HTMLSelectElement>('[data-testid="field-desk"]')?.value).toBe("national");
    expect(screen.root.querySelector('[data-testid="stats"]')).toBeNull();
    expect(unnamed(screen.root)).toEqual([]);
    const status = screen.status;
    expect(status.querySelector<HTMLElement>('[data-testid="stats"]')?.dataset).toMatchObject({ words: "9", chars: "40", reading: "3" });
    expect(status.querySelector('[data-testid="flags-toggle"]')?.getAttribute("data-count")).toBe("2");
    // The list is built when the panel opens.
    expect(status.querySelector('[data-testid="name-variant"]')).toBeNull();
    status.querySelector<HTMLButtonElement>('[data-testid="flags-toggle"]')!.click();
    expect(status.querySelector('[data-testid="name-variant"]')?.textContent).toContain("কিম জং উন");
    expect(unnamed(status)).toEqual([]);

    // Both spellings, each with where it is; clicking selects it there.
    document.body.replaceChildren(screen.root, status);
    const first = status.querySelector<HTMLButtonElement>('[data-testid="name-variant-first"]')!;
    const second = status.querySelector<HTMLButtonElement>('[data-testid="name-variant-second"]')!;
    expect(first.dataset).toMatchObject({ in: "body", paragraph: "1" });
    expect(first.textContent).toBe("“কিং জং উন” (অনুচ্ছেদ ১)");
    expect(second.dataset.in).toBe("headline");
    expect(second.textContent).toBe("“কিম জং উন” (শিরোনামে)");
    second.click();
    const headline = screen.root.querySelector<HTMLInputElement>('[data-testid="headline"]')!;
    expect(document.activeElement).toBe(headline);
    expect(headline.value.slice(headline.selectionStart!, headline.selectionEnd!)).toBe("কিম জং উন");
    first.click();
    expect(document.activeElement?.getAttribute("data-testid")).toBe("body-editor");
    expect(document.getSelection()?.toString()).toBe("কিং জং উন");
    screen.destroy();
  });
});
