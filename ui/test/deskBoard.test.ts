// The desk board: every queue as a column with its count in Bengali digits, the layout choice
// remembered, the reading pane (text, changes since submission, comments) for the selected
// article, j/k/Enter/a from the keyboard (a only when Rust allows approving), and articles
// that arrive by sync highlighted. Rendered in jsdom against a stubbed IPC.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Action, ArticleSummary, Comment, DeskQueue, DocumentDiff, QueueQuery, QueueView } from "../src/ipc";

const ID = (n: number) => `0190a4c8-0000-7000-8000-0000000000${String(n).padStart(2, "0")}`;
const QUEUE_STATES: Record<DeskQueue, ArticleSummary["state"]> = {
  incoming: "submitted",
  in_progress: "in_progress",
  approved: "approved",
  published: "published",
};

function article(n: number, queue: DeskQueue, allowed: Action[] = ["take", "return", "approve", "spike"]): ArticleSummary {
  return {
    id: ID(n),
    headline: `শিরোনাম ${n}`,
    desk: "national",
    author: "rahim",
    state: QUEUE_STATES[queue],
    sync_state: "synced",
    note: null,
    last_error: null,
    last_error_code: null,
    updated_at: "2026-01-01T00:00:00Z",
    created_at: "2026-01-01T00:00:00Z",
    words: 120n,
    urgency: 3,
    conflicts: 0n,
    allowed_actions: queue === "incoming" ? allowed : [],
  };
}

/** The articles on the desk, by queue (the stub's local store). */
let desk: Record<DeskQueue, ArticleSummary[]>;
const calls: { command: string; args: Record<string, unknown> }[] = [];
const PAGE_HTML =
  "<!doctype html><html><head><title>x</title></head><body><header class=\"dateline\">ঢাকা</header>" +
  "<article><h1>শিরোনাম</h1><p data-testid=\"page-text\">সিলেটে বন্যা</p></article><script>window.ran = true</script></body></html>";
const DIFF: DocumentDiff = {
  headline: [{ op: "equal", text: "শিরোনাম" }],
  blocks: [{ id: "b1", change: "changed", runs: [{ op: "equal", text: "পাঁচ " }, { op: "insert", text: "জন" }] }],
  meta_changed: [],
} as unknown as DocumentDiff;
const COMMENT: Comment = {
  id: "c1",
  article_id: ID(1),
  parent_id: null,
  block_id: "b1",
  start: 0,
  end: 4,
  quote: "পাঁচ জন",
  author: "nasrin",
  body: "সংখ্যাটি নিশ্চিত?",
  created_at: "2026-01-01T04:42:00Z",
  resolved_at: null,
  resolved_by: null,
  detached: false,
  synced: true,
};

function view(query: QueueQuery): QueueView {
  const items = desk[query.queue].slice(0, query.limit ?? undefined);
  const counts = (Object.keys(desk) as DeskQueue[]).map((queue) => ({ queue, count: BigInt(desk[queue].length) }));
  return { items, counts };
}

vi.mock("@tauri-apps/api/core", () => ({
  invoke: async (command: string, args: Record<string, unknown>) => {
    calls.push({ command, args });
    switch (command) {
      case "desk_queue":
        return view(args.query as QueueQuery);
      case "approve_article": {
        const at = desk.incoming.findIndex((a) => a.id === args.id);
        const [moved] = desk.incoming.splice(at, 1);
        const approved = { ...moved, state: "approved" as const, allowed_actions: [] };
        desk.approved.unshift(approved);
        return approved;
      }
      case "preview_article":
        return PAGE_HTML;
      case "load_article":
        return { submitted_rev: "rev-1" };
      case "diff_revisions":
        return DIFF;
      case "article_comments":
        return args.id === ID(1) ? [COMMENT] : [];
      case "notifications":
        return false;
      default:
        return null;
    }
  },
}));

const { deskQueueScreen } = await import("../src/features/desk/queue");
const { setLang } = await import("../src/i18n/messages");
const { LAYOUT_KEY, savedLayout } = await import("../src/features/desk/boardLayout");
const { arrivalTracker } = await import("../src/features/desk/arrivals");
const { moveOnBoard } = await import("../src/features/desk/boardKeys");

const settle = (ms = 20) => new Promise((r) => setTimeout(r, ms));
const press = (key: string, target: EventTarget = document.activeElement ?? document.body) =>
  target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
const q = <T extends Element = HTMLElement>(selector: string) => document.querySelector<T>(selector);
const all = (selector: string) => [...document.querySelectorAll<HTMLElement>(selector)];
const rowsOf = (queue: DeskQueue) => all(`[data-testid="board-column"][data-queue="${queue}"] [data-testid="queue-row"]`);
const selectedId = () => q(".board-row.selected")?.dataset.articleId;
const commands = (name: string) => calls.filter((c) => c.command === name);

async function render(desks: string[] = ["national", "sports"]) {
  const opened: string[] = [];
  const screen = deskQueueScreen((id) => opened.push(id), () => {}, desks);
  document.body.replaceChildren(screen.root);
  await settle();
  return { screen, opened };
}

beforeEach(() => {
  setLang("bn");
  localStorage.clear();
  desk = {
    incoming: [article(1, "incoming"), article(2, "incoming"), article(3, "incoming", ["take", "return"])],
    in_progress: [article(4, "in_progress")],
    approved: [],
    published: [article(5, "published"), article(6, "published")],
  };
});

afterEach(() => {
  document.body.replaceChildren();
  calls.length = 0;
});

describe("the desk board", () => {
  it("shows the four queues as columns, each counted in Bengali digits", async () => {
    await render();
    const columns = all('[data-testid="board-column"]');
    expect(columns.map((c) => c.dataset.queue)).toEqual(["incoming", "in_progress", "approved", "published"]);
    expect(q('[data-testid="queue-incoming"]')!.dataset.count).toBe("3");
    expect(q('[data-testid="queue-incoming"] [data-testid="column-count"]')!.textContent).toBe("৩");
    expect(q('[data-testid="queue-published"] [data-testid="column-count"]')!.textContent).toBe("২");
    expect(q('[data-testid="queue-approved"] [data-testid="column-count"]')!.textContent).toBe("০");
    expect(rowsOf("incoming").map((r) => r.dataset.articleId)).toEqual([ID(1), ID(2), ID(3)]);
    expect(rowsOf("published")).toHaveLength(2);
    // One query per column, all the editor's desks together by default.
    expect(commands("desk_queue").map((c) => (c.args.query as QueueQuery).queue).sort()).toEqual(
      ["approved", "in_progress", "incoming", "published"],
    );
    for (const c of commands("desk_queue")) expect((c.args.query as QueueQuery).desks).toEqual([]);
  });

  it("counts in English digits in English", async () => {
    setLang("en");
    await render();
    expect(q('[data-testid="queue-incoming"]')!.textContent).toBe("Incoming3");
  });

  it("remembers the layout choice and the desk across restarts", async () => {
    await render();
    expect(q('[data-testid="board-layout-merged"]')!.getAttribute("aria-pressed")).toBe("true");
    expect(q<HTMLSelectElement>('[data-testid="board-desk"]')!.hidden).toBe(true);
    q<HTMLButtonElement>('[data-testid="board-layout-desk"]')!.click();
    const chooser = q<HTMLSelectElement>('[data-testid="board-desk"]')!;
    expect(chooser.hidden).toBe(false);
    chooser.value = "sports";
    chooser.dispatchEvent(new Event("change"));
    await settle();
    expect(savedLayout()).toEqual({ kind: "desk", desk: "sports" });
    expect(JSON.parse(localStorage.getItem(LAYOUT_KEY)!)).toEqual({ kind: "desk", desk: "sports" });
    const asked = commands("desk_queue");
    const last = asked[asked.length - 1].args.query as QueueQuery;
    expect(last.desks).toEqual(["sports"]);

    // A restart: the board opens as it was left.
    calls.length = 0;
    await render();
    expect(q('[data-testid="board-layout-desk"]')!.getAttribute("aria-pressed")).toBe("true");
    expect(q<HTMLSelectElement>('[data-testid="board-desk"]')!.value).toBe("sports");
    for (const c of commands("desk_queue")) expect((c.args.query as QueueQuery).desks).toEqual(["sports"]);
  });

  it("the notifications checkbox sits in its label on one line (no full-width input)", async () => {
    await render();
    const label = q('label.check')!;
    expect(label.querySelector('[data-testid="notify-toggle"]')).not.toBeNull();
    expect(label.querySelector("span")!.textContent).toBe("নতুন লেখার বিজ্ঞপ্তি");
  });
});

describe("the reading pane", () => {
  it("shows the selected article's text, its changes since submission and its comments", async () => {
    const { opened } = await render();
    expect(q('[data-testid="reading-empty"]')!.hidden).toBe(false);
    rowsOf("incoming")[0].click();
    await settle();
    expect(opened).toEqual([]);
    expect(q('[data-testid="reading-pane"]')!.dataset.articleId).toBe(ID(1));
    const text = q('[data-testid="reading-text"]')!;
    expect(text.querySelector('[data-testid="page-text"]')!.textContent).toBe("সিলেটে বন্যা");
    expect(text.querySelector("title")).toBeNull();
    expect((window as unknown as { ran?: boolean }).ran).toBeUndefined();
    expect(commands("diff_revisions")[0].args).toMatchObject({ id: ID(1), from: "rev-1", to: null });
    expect(q('[data-testid="reading-changes"] ins')!.textContent).toBe("জন");
    const comments = q('[data-testid="reading-comments"]')!.textContent!;
    expect(comments).toContain("nasrin");
    expect(comments).toContain("১০:৪২");
    expect(comments).toContain("সংখ্যাটি নিশ্চিত?");
    expect(comments).toContain("পাঁচ জন");
    expect(q('[data-testid="reading-approve"]')!.hidden).toBe(false);

    q<HTMLButtonElement>('[data-testid="reading-open"]')!.click();
    expect(opened).toEqual([ID(1)]);
  });

  it("offers Approve only when Rust allows it", async () => {
    await render();
    rowsOf("incoming")[2].click();
    await settle();
    expect(q('[data-testid="reading-approve"]')!.hidden).toBe(true);
    rowsOf("published")[0].click();
    await settle();
    expect(q('[data-testid="reading-approve"]')!.hidden).toBe(true);
    expect(commands("approve_article")).toHaveLength(0);

    rowsOf("incoming")[1].click();
    await settle();
    q<HTMLButtonElement>('[data-testid="reading-approve"]')!.click();
    await settle();
    expect(commands("approve_article").map((c) => c.args.id)).toEqual([ID(2)]);
    expect(rowsOf("approved").map((r) => r.dataset.articleId)).toEqual([ID(2)]);
  });
});

describe("the board from the keyboard", () => {
  it("j/k and the arrows move the selection, Enter opens, a approves", async () => {
    const { opened } = await render();
    press("j", document.body);
    expect(selectedId()).toBe(ID(1));
    expect(document.activeElement).toBe(rowsOf("incoming")[0]);
    press("j");
    expect(selectedId()).toBe(ID(2));
    press("ArrowDown");
    expect(selectedId()).toBe(ID(3));
    press("j"); // stays on the last row
    expect(selectedId()).toBe(ID(3));
    press("k");
    press("ArrowUp");
    expect(selectedId()).toBe(ID(1));
    press("ArrowRight");
    expect(selectedId()).toBe(ID(4));
    press("ArrowRight"); // the approved column is empty: on to published
    expect(selectedId()).toBe(ID(5));
    press("ArrowLeft");
    press("ArrowLeft");
    expect(selectedId()).toBe(ID(1));
    await settle();
    expect(q('[data-testid="reading-pane"]')!.dataset.articleId).toBe(ID(1));

    expect(press("Enter")).toBe(false);
    expect(opened).toEqual([ID(1)]);

    press("a");
    await settle();
    expect(commands("approve_article").map((c) => c.args.id)).toEqual([ID(1)]);
    expect(rowsOf("approved").map((r) => r.dataset.articleId)).toEqual([ID(1)]);
    expect(q('[data-testid="queue-approved"]')!.dataset.count).toBe("1");
    // The next incoming article takes the selection.
    expect(selectedId()).toBe(ID(2));
  });

  it("works with a Bengali keyboard layout (the key's place, not its letter)", async () => {
    await render();
    const bengali = (key: string, code: string) =>
      document.body.dispatchEvent(new KeyboardEvent("keydown", { key, code, bubbles: true, cancelable: true }));
    bengali("ক", "KeyJ");
    bengali("ক", "KeyJ");
    expect(selectedId()).toBe(ID(2));
    bengali("স", "KeyK");
    expect(selectedId()).toBe(ID(1));
    bengali("ঋ", "KeyA");
    await settle();
    expect(commands("approve_article").map((c) => c.args.id)).toEqual([ID(1)]);
  });

  it("a does nothing when approving is not allowed", async () => {
    await render();
    press("End", document.body);
    expect(selectedId()).toBe(ID(3));
    press("a");
    await settle();
    expect(commands("approve_article")).toHaveLength(0);
    press("ArrowRight");
    expect(selectedId()).toBe(ID(4));
    press("a");
    await settle();
    expect(commands("approve_article")).toHaveLength(0);
  });

  it("keys typed into a field or a choice are left alone", async () => {
    const { opened } = await render();
    const sort = q<HTMLSelectElement>('[data-testid="queue-sort"]')!;
    sort.focus();
    press("j", sort);
    press("ArrowDown", sort);
    expect(selectedId()).toBeUndefined();
    const field = document.createElement("input");
    document.body.append(field);
    press("j", document.body);
    field.focus();
    press("a", field);
    press("Enter", field);
    press("k", field);
    await settle();
    expect(selectedId()).toBe(ID(1));
    expect(commands("approve_article")).toHaveLength(0);
    expect(opened).toEqual([]);
  });
});

describe("arrivals", () => {
  it("rows that came with a sync are highlighted; the first load is not", async () => {
    const { screen } = await render();
    expect(all('[data-arrived="true"]')).toHaveLength(0);
    expect(all(".board-row.arrived")).toHaveLength(0);
    desk.incoming.unshift(article(7, "incoming"));
    desk.in_progress.push(article(8, "in_progress"));
    // The approved one moved between columns: it was on the board, so it is no arrival.
    desk.approved.push({ ...desk.incoming.splice(1, 1)[0], state: "approved" });
    await screen.refresh();
    expect(all('[data-arrived="true"]').map((r) => r.dataset.articleId).sort()).toEqual([ID(7), ID(8)]);
    expect(q(`[data-article-id="${ID(7)}"]`)!.classList.contains("arrived")).toBe(true);
    expect(q('[data-testid="queue-notice"]')!.textContent).toBe("নতুন লেখা এসেছে: ১");
    // Still marked on the next look within the highlight's time.
    await screen.refresh();
    expect(all('[data-arrived="true"]')).toHaveLength(2);
  });

  it("a changed filter is no arrival", async () => {
    await render();
    desk.incoming.unshift(article(9, "incoming"));
    const sort = q<HTMLSelectElement>('[data-testid="queue-sort"]')!;
    sort.value = "oldest";
    sort.dispatchEvent(new Event("change"));
    await settle();
    expect(rowsOf("incoming")).toHaveLength(4);
    expect(all('[data-arrived="true"]')).toHaveLength(0);
  });

  it("an arrival stays marked for a few seconds only", () => {
    const tracker = arrivalTracker(5000);
    expect(tracker.see(["a", "b"], 0)).toEqual([]);
    expect(tracker.see(["a", "b", "c"], 1000)).toEqual(["c"]);
    expect(tracker.isFresh("c", 5999)).toBe(true);
    expect(tracker.isFresh("c", 6000)).toBe(false);
    expect(tracker.isFresh("a", 1000)).toBe(false);
  });
});

describe("moving on the board", () => {
  it("selects the first filled column's first row, clamps at the ends, skips empty columns", () => {
    expect(moveOnBoard([0, 0, 0, 0], null, "down")).toBeNull();
    expect(moveOnBoard([0, 2, 0, 1], null, "down")).toEqual({ column: 1, row: 0 });
    expect(moveOnBoard([3, 1, 0, 2], { column: 0, row: 2 }, "right")).toEqual({ column: 1, row: 0 });
    expect(moveOnBoard([3, 1, 0, 2], { column: 1, row: 0 }, "right")).toEqual({ column: 3, row: 0 });
    expect(moveOnBoard([3, 1, 0, 2], { column: 3, row: 1 }, "right")).toEqual({ column: 3, row: 1 });
    expect(moveOnBoard([3, 1, 0, 2], { column: 0, row: 0 }, "last")).toEqual({ column: 0, row: 2 });
    expect(moveOnBoard([3, 1, 0, 2], { column: 0, row: 0 }, "up")).toEqual({ column: 0, row: 0 });
  });
});
