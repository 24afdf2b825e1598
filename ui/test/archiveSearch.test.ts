// The archive in the search list: local hits at once, the archive's hits of other articles after
// them with a label, the line that says the archive is asked or why it was not searched, and an
// archive hit fetched before it opens (its failure said in both languages). Rendered in jsdom
// against a stubbed IPC whose archive answers when the test says.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AppError, ArchiveSearch, FoundArticle, UserInfo } from "../src/ipc";

const found = (n: number, source: "local" | "archive"): FoundArticle => ({
  id: `0190a4c8-0000-7000-8000-00000000001${n}`,
  headline: `বন্যার খবর ${n}`,
  desk: "national",
  state: source === "archive" ? "published" : "draft",
  author: "nasrin",
  updated_at: "2024-03-01T10:00:00Z",
  score: 10 - n,
  headline_runs: [{ text: "বন্যার", hit: true }, { text: ` খবর ${n}`, hit: false }],
  snippet: [{ text: "বন্যায়", hit: true }],
  source,
});

const calls: { command: string; args: Record<string, unknown> }[] = [];
let local: FoundArticle[] = [];
/** The archive's answers, in the order they are asked; each waits until the test settles it. */
let archive: { resolve: (a: ArchiveSearch) => void; promise: Promise<ArchiveSearch> }[] = [];
let openFails: AppError | null = null;

function deferred() {
  let resolve!: (a: ArchiveSearch) => void;
  const promise = new Promise<ArchiveSearch>((r) => (resolve = r));
  return { resolve, promise };
}

vi.mock("@tauri-apps/api/core", () => ({
  invoke: async (command: string, args: Record<string, unknown>) => {
    calls.push({ command, args });
    if (command === "list_articles") return [];
    if (command === "search_articles") return local;
    if (command === "search_archive") {
      const answer = deferred();
      archive.push(answer);
      return answer.promise;
    }
    if (command === "open_archived_article") {
      if (openFails) throw openFails;
      return null;
    }
    return null;
  },
}));

const { articleListScreen } = await import("../src/features/articles/list");
const { archiveLine, archiveMark, archiveOpenError, mergeHits } = await import("../src/features/articles/archive");
const { setLang } = await import("../src/i18n/messages");

const reporter: UserInfo = { id: "u1", username: "rahim", role: "reporter", desks: ["national"] };
const settle = (ms = 20) => new Promise((r) => setTimeout(r, ms));

async function render() {
  setLang("bn");
  const opened: string[] = [];
  const screen = articleListScreen(reporter, "mine", (id) => opened.push(id), () => {});
  document.body.replaceChildren(screen.root);
  await settle();
  const q = <T extends HTMLElement>(id: string) => screen.root.querySelector<T>(`[data-testid="${id}"]`)!;
  const search = q<HTMLInputElement>("search");
  const type = async (text: string) => {
    search.value = text;
    search.dispatchEvent(new Event("input", { bubbles: true }));
    // The local search after 120 ms, the archive asked 250 ms later.
    await settle(500);
  };
  const rows = () => [...screen.root.querySelectorAll<HTMLButtonElement>('[data-testid="search-hit"]')];
  return { screen, opened, q, type, rows };
}

afterEach(() => {
  document.body.replaceChildren();
  calls.length = 0;
  archive = [];
  local = [];
  openFails = null;
  setLang("bn");
});

describe("merging the archive's hits", () => {
  it("keeps the local hits first, as they came, then the archive's of other articles", () => {
    const [a, b, c] = [found(1, "local"), found(2, "local"), found(3, "archive")];
    const again = { ...found(1, "archive"), headline: "the archive's copy" };
    const merged = mergeHits([a, b], [again, c, c]);
    expect(merged.map((h) => h.id)).toEqual([a.id, b.id, c.id]);
    expect(merged[0]).toBe(a);
    expect(merged.map((h) => h.source)).toEqual(["local", "local", "archive"]);
    expect(mergeHits([], [c]).map((h) => h.source)).toEqual(["archive"]);
    expect(mergeHits([a], [])).toEqual([a]);
  });

  it("says the archive is asked, or why it was not searched, in both languages", () => {
    setLang("bn");
    expect(archiveLine({ hits: [], not_searched: "offline" })).toBe("আর্কাইভ খোঁজা হয়নি — অফলাইন");
    expect(archiveLine("asking")).toBe("আর্কাইভে খোঁজা হচ্ছে…");
    expect(archiveLine({ hits: [], not_searched: null })).toBeNull();
    expect(archiveLine({ hits: [], not_searched: "no_words" })).toBeNull();
    setLang("en");
    expect(archiveLine({ hits: [], not_searched: "offline" })).toBe("Archive not searched — offline");
    expect(archiveLine({ hits: [], not_searched: "timed_out" })).toBe("Archive not searched — the server did not answer in time");
    expect(archiveLine({ hits: [], not_searched: "not_signed_in" })).toBe("Archive not searched — not logged in");
    expect(archiveMark({ hits: [], not_searched: null })).toBe("searched");
    expect(archiveMark({ hits: [], not_searched: "tag_filter" })).toBe("tag_filter");
    expect(archiveMark("asking")).toBe("asking");
  });

  it("words a failed opening in the UI's language and the other one", () => {
    setLang("bn");
    const offline = archiveOpenError({ code: "network", message: "refused" });
    expect(offline.main).toMatch(/^আর্কাইভের লেখাটি খোলা যায়নি: সার্ভারে পৌঁছানো যাচ্ছে না/);
    expect(offline.other).toMatch(/^The archive article could not be opened: The server cannot be reached/);
    const ended = archiveOpenError({ code: "unauthorized", message: "expired" });
    expect(ended.main).toBe("আর্কাইভের লেখাটি খোলা যায়নি: সেশন শেষ হয়েছে");
    expect(ended.other).toBe("The archive article could not be opened: Session ended");
  });
});

describe("the search list with the archive", () => {
  it("shows the local hits at once, then adds the archive's other hits labelled", async () => {
    local = [found(1, "local")];
    const { q, type, rows } = await render();
    await type("বন্যা");
    // The archive has not answered: the local hit is shown, and the line says it is asked.
    expect(rows().map((r) => r.dataset.source)).toEqual(["local"]);
    expect(q("archive-note").hidden).toBe(false);
    expect(q("archive-note").dataset.archive).toBe("asking");
    expect(q("archive-note").textContent).toBe("আর্কাইভে খোঁজা হচ্ছে…");
    const asked = calls.find((c) => c.command === "search_archive")!;
    expect((asked.args.query as { text: string }).text).toBe("বন্যা");

    // The user has moved to the local hit; the archive's answer leaves that row as it is.
    const localRow = rows()[0];
    localRow.focus();
    archive[0].resolve({ hits: [found(1, "archive"), found(2, "archive")], not_searched: null });
    await settle();
    expect(rows().map((r) => r.dataset.source)).toEqual(["local", "archive"]);
    expect(rows()[0]).toBe(localRow);
    expect(document.activeElement).toBe(localRow);
    expect(rows()[1].dataset.articleId).toBe(found(2, "archive").id);
    expect(rows()[1].querySelector('[data-testid="archive-label"]')!.textContent).toBe("আর্কাইভ");
    expect(rows()[0].querySelector('[data-testid="archive-label"]')).toBeNull();
    expect(q("archive-note").hidden).toBe(true);
    expect(q("archive-note").dataset.archive).toBe("searched");
  });

  it("says why the archive was not searched, under the local hits", async () => {
    local = [found(1, "local")];
    const { q, type, rows } = await render();
    await type("বন্যা");
    archive[0].resolve({ hits: [], not_searched: "offline" });
    await settle();
    expect(rows()).toHaveLength(1);
    expect(q("archive-note").hidden).toBe(false);
    expect(q("archive-note").textContent).toBe("আর্কাইভ খোঁজা হয়নি — অফলাইন");
    expect(q("archive-note").dataset.archive).toBe("offline");
  });

  it("drops an archive answer to an older query, and never holds the typing", async () => {
    local = [found(1, "local")];
    const { q, type, rows } = await render();
    await type("বন্যা");
    local = [found(3, "local")];
    await type("ত্রাণ");
    // The first query's archive is still out; the second's local hit is on screen.
    expect(rows().map((r) => r.dataset.articleId)).toEqual([found(3, "local").id]);
    archive[0].resolve({ hits: [found(2, "archive")], not_searched: null });
    await settle();
    expect(rows().map((r) => r.dataset.articleId)).toEqual([found(3, "local").id]);
    expect(q("archive-note").dataset.archive).toBe("asking");
    archive[1].resolve({ hits: [], not_searched: null });
    await settle();
    expect(q("archive-note").dataset.archive).toBe("searched");
    // Emptying the box hides the hits and the line.
    await type("");
    expect(q("search-hits").hidden).toBe(true);
    expect(q("archive-note").hidden).toBe(true);
  });

  it("asks the archive once typing pauses, not at every local search", async () => {
    local = [found(1, "local")];
    const { screen, q } = await render();
    const search = screen.root.querySelector<HTMLInputElement>('[data-testid="search"]')!;
    for (const text of ["ব", "বন্", "বন্যা"]) {
      search.value = text;
      search.dispatchEvent(new Event("input", { bubbles: true }));
      await settle(200); // the local search runs; the archive's pause is not over
    }
    expect(calls.filter((c) => c.command === "search_articles")).toHaveLength(3);
    await settle(300);
    const asked = calls.filter((c) => c.command === "search_archive");
    expect(asked.map((c) => (c.args.query as { text: string }).text)).toEqual(["বন্যা"]);
    expect(q("archive-note").dataset.archive).toBe("asking");
  });

  it("nothing local and nothing in the archive says so", async () => {
    const { q, type } = await render();
    await type("বন্যা");
    archive[0].resolve({ hits: [], not_searched: null });
    await settle();
    expect(q("search-hits").textContent).toBe("কিছু পাওয়া যায়নি");
  });

  it("an archive hit is fetched before it opens; a local one opens at once", async () => {
    local = [found(1, "local")];
    const { type, rows, opened } = await render();
    await type("বন্যা");
    archive[0].resolve({ hits: [found(2, "archive")], not_searched: null });
    await settle();
    rows()[0].click();
    expect(opened).toEqual([found(1, "local").id]);
    expect(calls.some((c) => c.command === "open_archived_article")).toBe(false);
    rows()[1].click();
    await settle();
    const fetched = calls.filter((c) => c.command === "open_archived_article");
    expect(fetched.map((c) => c.args.id)).toEqual([found(2, "archive").id]);
    expect(opened).toEqual([found(1, "local").id, found(2, "archive").id]);
  });

  it("an archive hit that cannot be fetched stays closed, with the reason in Bengali and English", async () => {
    const { screen, q, type, rows, opened } = await render();
    await type("বন্যা");
    archive[0].resolve({ hits: [found(2, "archive")], not_searched: null });
    await settle();
    openFails = { code: "network", message: "the server could not be reached" };
    rows()[0].click();
    await settle();
    expect(opened).toEqual([]);
    expect(q("archive-open-error").textContent).toMatch(/^আর্কাইভের লেখাটি খোলা যায়নি: /);
    const other = screen.root.querySelector<HTMLElement>(".error .other-lang")!;
    expect(other.lang).toBe("en");
    expect(other.textContent).toMatch(/^The archive article could not be opened: The server cannot be reached/);
  });
});
