// The open article's store: it reads again only what an event names, calls a widget only when
// its part really changed, keeps the newest answer when reads cross, and stops listening when
// destroyed. The comments panel, fed by it, updates thread by thread: a reply being typed
// keeps its text, focus and caret when a comment arrives (jsdom, a fake event feed).
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AppEvent, ArticleSummary, Comment } from "../src/ipc";

vi.mock("@tauri-apps/api/core", () => ({
  invoke: async (command: string) => (command === "comment_drafts" ? {} : null),
}));

const { articleStore } = await import("../src/features/article/articleStore");
const { commentsPanel } = await import("../src/features/review/comments");
const { commentHighlights } = await import("../src/editor/commentAnchors");
const { createBodyEditor } = await import("../src/editor/editor");

const ID = "0190a4c8-0000-7000-8000-00000000000a";

function summary(over: Partial<ArticleSummary> = {}): ArticleSummary {
  return {
    id: ID,
    headline: "নদীর পানি বাড়ছে",
    desk: "national",
    author: "rina",
    state: "submitted",
    sync_state: "synced",
    note: null,
    last_error: null,
    last_error_code: null,
    updated_at: "2026-12-06T04:00:00Z",
    created_at: "2026-12-06T03:00:00Z",
    words: 120n,
    urgency: null,
    conflicts: 0n,
    allowed_actions: [],
    ...over,
  };
}

function comment(id: string, body: string, parent: string | null = null): Comment {
  return {
    id,
    article_id: ID,
    block_id: "b0",
    start: 0,
    end: 4,
    quote: "নদীর",
    parent_id: parent,
    author: "desk",
    body,
    created_at: "2026-12-06T04:10:00Z",
    resolved_at: null,
    resolved_by: null,
    synced: true,
    detached: false,
  } as Comment;
}

/** An event feed of the test's own, and an app whose answers the test sets. */
function fakes(first: ArticleSummary) {
  const handlers = new Map<string, Set<(e: AppEvent) => void>>();
  const feed = {
    on: (kind: string, fn: (e: never) => void) => {
      if (!handlers.has(kind)) handlers.set(kind, new Set());
      handlers.get(kind)!.add(fn as (e: AppEvent) => void);
      return () => handlers.get(kind)!.delete(fn as (e: AppEvent) => void);
    },
    lastOf: () => undefined,
    send: (e: AppEvent) => handlers.get(e.kind)?.forEach((fn) => fn(e)),
    listening: () => [...handlers.values()].reduce((n, s) => n + s.size, 0),
  };
  const app = {
    summary: first,
    comments: [] as Comment[],
    reads: { summary: 0, comments: 0 },
    reader: {
      summary: async () => {
        app.reads.summary++;
        return app.summary;
      },
      comments: async () => {
        app.reads.comments++;
        return app.comments;
      },
    },
  };
  return { feed: feed as unknown as Parameters<typeof articleStore>[2] & typeof feed, app };
}

const settled = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => document.body.replaceChildren());

describe("article store", () => {
  it("reads the summary again only for events that name its article, and calls a widget only on a real change", async () => {
    const { feed, app } = fakes(summary());
    const store = articleStore(app.summary, app.reader, feed);
    const seen: ArticleSummary[] = [];
    store.subscribe("summary", (s) => seen.push(s));
    expect(seen).toHaveLength(1); // the current value at once
    await settled();
    feed.send({ kind: "articles_changed", ids: ["another"] });
    await settled();
    expect(app.reads.summary).toBe(0);
    feed.send({ kind: "articles_changed", ids: [ID] });
    await settled();
    expect(app.reads.summary).toBe(1);
    expect(seen).toHaveLength(1); // read again, but nothing changed
    app.summary = summary({ state: "returned", note: "সূত্র যোগ করুন", allowed_actions: ["submit", "spike"] });
    feed.send({ kind: "articles_changed", ids: [ID, "another"] });
    await settled();
    expect(seen).toHaveLength(2);
    expect(seen[1].state).toBe("returned");
    expect(store.get("summary").allowed_actions).toEqual(["submit", "spike"]);
    store.destroy();
  });

  it("takes presence and deliveries from the event itself, comments by reading them", async () => {
    const { feed, app } = fakes(summary());
    const store = articleStore(app.summary, app.reader, feed);
    await settled();
    expect(app.reads.comments).toBe(1);
    const others: string[][] = [];
    store.subscribe("others", (o) => others.push(o.map((p) => p.username)));
    feed.send({ kind: "presence", article_id: ID, others: [{ username: "nasrin", since: "2026-12-06T04:00:00Z" }] as never });
    feed.send({ kind: "presence", article_id: "another", others: [] });
    expect(others).toEqual([[], ["nasrin"]]);
    app.comments = [comment("c1", "তারিখটা দেখুন")];
    feed.send({ kind: "comments_changed", article_id: ID });
    await settled();
    expect(store.get("comments")!.map((c) => c.id)).toEqual(["c1"]);
    store.destroy();
    expect(feed.listening()).toBe(0);
  });

  it("keeps the newest answer when two reads cross", async () => {
    const { feed, app } = fakes(summary());
    let release: (s: ArticleSummary) => void = () => undefined;
    const slow = new Promise<ArticleSummary>((r) => (release = r));
    let first = true;
    const reader = {
      summary: () => {
        if (first) {
          first = false;
          return slow;
        }
        return Promise.resolve(summary({ state: "approved" }));
      },
      comments: app.reader.comments,
    };
    const store = articleStore(app.summary, reader, feed);
    feed.send({ kind: "articles_changed", ids: [ID] });
    feed.send({ kind: "articles_changed", ids: [ID] });
    await settled();
    release(summary({ state: "in_progress" }));
    await settled();
    expect(store.get("summary").state).toBe("approved");
    store.destroy();
  });
});

describe("comments panel", () => {
  it("keeps a reply being typed (text, focus, caret) when comments arrive from the desk", async () => {
    const { feed, app } = fakes(summary());
    app.comments = [comment("c1", "তারিখটা দেখুন"), comment("c2", "নাম ঠিক আছে?")];
    const store = articleStore(app.summary, app.reader, feed);
    const mount = document.createElement("div");
    document.body.append(mount);
    const highlights = commentHighlights();
    const editor = createBodyEditor(
      mount,
      { type: "doc", content: [{ type: "paragraph", attrs: { id: "b0" }, content: [{ type: "text", text: "নদীর পানি বাড়ছে" }] }] },
      { onChange: () => undefined, label: "body", plugins: [highlights.plugin] },
    );
    const panel = commentsPanel({ store, editor, flush: async () => undefined }, highlights);
    document.body.append(panel.root);
    await settled();
    const threadsNow = () => [...panel.root.querySelectorAll<HTMLElement>("[data-testid=comment]")];
    expect(threadsNow().map((t) => t.dataset.commentId)).toEqual(["c1", "c2"]);
    const untouched = threadsNow()[1];
    const reply = threadsNow()[0].querySelector<HTMLInputElement>("[data-testid=reply-input]")!;
    reply.focus();
    reply.value = "দেখছি, এখনই";
    reply.setSelectionRange(3, 3);

    // The desk answers in the same thread and opens a new one.
    app.comments = [comment("c1", "তারিখটা দেখুন"), comment("c1r", "১৫ তারিখ", "c1"), comment("c2", "নাম ঠিক আছে?"), comment("c3", "ছবি কার?")];
    feed.send({ kind: "comments_changed", article_id: ID });
    await settled();

    expect(threadsNow().map((t) => t.dataset.commentId)).toEqual(["c1", "c2", "c3"]);
    expect(threadsNow()[0].textContent).toContain("১৫ তারিখ");
    const after = threadsNow()[0].querySelector<HTMLInputElement>("[data-testid=reply-input]")!;
    expect(after).toBe(reply);
    expect(document.activeElement).toBe(reply);
    expect(reply.value).toBe("দেখছি, এখনই");
    expect(reply.selectionStart).toBe(3);
    expect(threadsNow()[1]).toBe(untouched);
    panel.destroy();
    store.destroy();
    editor.destroy();
  });
});
