// The open article as Rust last told it: its summary (with the actions the user may take),
// its comments, who else has it open and where it stands on the website. Rust pushes events
// (ui/src/ipc/events.ts); the store reads again only what an event names, and calls a
// widget's subscriber only when the part it shows really changed. Nothing here polls.
import type { AppEvent, ArticleSummary, Comment, DeliveryInfo, PresenceEntry } from "../../ipc/bindings";

export interface ArticleFacts {
  summary: ArticleSummary;
  /** null until first read. */
  comments: Comment[] | null;
  others: PresenceEntry[];
  /** null until Rust said (editors, once the article was ever published). */
  deliveries: DeliveryInfo[] | null;
}

export type FactName = keyof ArticleFacts;

/** Where the store reads from: the app's commands. */
export interface ArticleReader {
  summary(id: string): Promise<ArticleSummary>;
  comments(id: string): Promise<Comment[]>;
}

/** Where events come from: ui/src/ipc/events.ts (or a test's own). */
export interface EventFeed {
  on<K extends AppEvent["kind"]>(kind: K, handler: (event: Extract<AppEvent, { kind: K }>) => void): () => void;
  lastOf(kind: "presence", articleId: string): Extract<AppEvent, { kind: "presence" }> | undefined;
  lastOf(kind: "deliveries", articleId: string): Extract<AppEvent, { kind: "deliveries" }> | undefined;
}

export interface ArticleStore {
  readonly id: string;
  get<K extends FactName>(name: K): ArticleFacts[K];
  /** Calls `fn` with the current value now (unless it is null) and after every change. */
  subscribe<K extends FactName>(name: K, fn: (value: NonNullable<ArticleFacts[K]>) => void): () => void;
  /** A value learnt from a command's answer (an action's new summary, a retry's deliveries). */
  set<K extends FactName>(name: K, value: ArticleFacts[K]): void;
  /** Reads the comments again (after adding or resolving one here). */
  reloadComments(): Promise<void>;
  destroy(): void;
}

/** A stable text of a value, bigints included (the i64 counts arrive as bigint). */
export function fingerprint(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
}

export function articleStore(initial: ArticleSummary, reader: ArticleReader, events: EventFeed): ArticleStore {
  const id = initial.id;
  const facts: ArticleFacts = {
    summary: initial,
    comments: null,
    others: events.lastOf("presence", id)?.others ?? [],
    deliveries: events.lastOf("deliveries", id)?.deliveries ?? null,
  };
  const prints = new Map<FactName, string>(Object.entries(facts).map(([k, v]) => [k as FactName, fingerprint(v)]));
  const subscribers = new Map<FactName, Set<(value: never) => void>>();
  let closed = false;

  const set = <K extends FactName>(name: K, value: ArticleFacts[K]) => {
    if (closed) return;
    const print = fingerprint(value);
    if (prints.get(name) === print) return;
    prints.set(name, print);
    facts[name] = value;
    if (value === null) return;
    for (const fn of subscribers.get(name) ?? []) (fn as (v: ArticleFacts[K]) => void)(value);
  };
  // Answers may come back out of order: only the newest read of each fact is kept.
  const asked = { summary: 0, comments: 0 };
  const read = async <K extends "summary" | "comments">(name: K, load: () => Promise<ArticleFacts[K]>) => {
    const ticket = ++asked[name];
    try {
      const value = await load();
      if (ticket === asked[name]) set(name, value);
    } catch {
      // The store keeps what it had; the next event reads again.
    }
  };
  const readSummary = () => read("summary", () => reader.summary(id));
  const reloadComments = () => read("comments", () => reader.comments(id));

  const stops = [
    events.on("articles_changed", (e) => {
      if (e.ids.includes(id)) void readSummary();
    }),
    events.on("comments_changed", (e) => {
      if (e.article_id === id) void reloadComments();
    }),
    events.on("presence", (e) => {
      if (e.article_id === id) set("others", e.others);
    }),
    events.on("deliveries", (e) => {
      if (e.article_id === id) set("deliveries", e.deliveries);
    }),
  ];
  void reloadComments();

  return {
    id,
    get: (name) => facts[name],
    subscribe(name, fn) {
      let set = subscribers.get(name);
      if (!set) subscribers.set(name, (set = new Set()));
      set.add(fn as (value: never) => void);
      const now = facts[name];
      if (now !== null) fn(now as NonNullable<ArticleFacts[typeof name]>);
      return () => set.delete(fn as (value: never) => void);
    },
    set,
    reloadComments,
    destroy() {
      closed = true;
      for (const stop of stops) stop();
      subscribers.clear();
    },
  };
}
