// What Rust pushes to the page (AppEvent, from src-tauri/src/core/events.rs): the one place the
// UI listens. Rust sends an event after each sync round and each local change, so no widget
// polls the app. The last presence and deliveries of each article are kept, so a screen that
// opens after they were sent still shows them.
import { listen } from "@tauri-apps/api/event";
import type { AppEvent } from "./bindings";

/** The Tauri event every AppEvent travels under (core::EVENT_NAME). */
export const EVENT_NAME = "barta://event";

type Kind = AppEvent["kind"];
type Of<K extends Kind> = Extract<AppEvent, { kind: K }>;
type Handler<K extends Kind> = (event: Of<K>) => void;

/** Every listener, by kind (each stored as taking any event; `on` pairs them up by kind). */
const handlers = new Map<Kind, Set<(event: AppEvent) => void>>();
const lastPresence = new Map<string, Of<"presence">>();
const lastDeliveries = new Map<string, Of<"deliveries">>();

/** Events received so far, by kind, and why listening failed if it did: read by the idle
 *  benchmark and by e2e tests when something never arrives. */
const received: Record<string, number> = {};
const seen = globalThis as { __bartaEvents?: Record<string, number>; __bartaListenError?: string };
seen.__bartaEvents = received;

/** Hands `event` to its listeners (the Tauri listener calls this; so do tests). */
export function dispatch(event: AppEvent): void {
  received[event.kind] = (received[event.kind] ?? 0) + 1;
  if (event.kind === "presence") lastPresence.set(event.article_id, event);
  if (event.kind === "deliveries") lastDeliveries.set(event.article_id, event);
  for (const handler of handlers.get(event.kind) ?? []) {
    try {
      handler(event);
    } catch (e) {
      console.error(`a ${event.kind} listener failed`, e);
    }
  }
}

/** Calls `handler` for every event of `kind` until the returned function is called. */
export function on<K extends Kind>(kind: K, handler: Handler<K>): () => void {
  let set = handlers.get(kind);
  if (!set) handlers.set(kind, (set = new Set()));
  const any = handler as unknown as (event: AppEvent) => void;
  set.add(any);
  return () => set.delete(any);
}

/** The last presence or deliveries event of an article, if one came. */
export function lastOf(kind: "presence", articleId: string): Of<"presence"> | undefined;
export function lastOf(kind: "deliveries", articleId: string): Of<"deliveries"> | undefined;
export function lastOf(kind: "presence" | "deliveries", articleId: string): AppEvent | undefined {
  return kind === "presence" ? lastPresence.get(articleId) : lastDeliveries.get(articleId);
}

let started: Promise<unknown> | null = null;

/** Starts listening to Rust (once, before the first screen). */
export function startEvents(): Promise<unknown> {
  started ??= listen<AppEvent>(EVENT_NAME, (e) => dispatch(e.payload)).catch((e: unknown) => {
    seen.__bartaListenError = String(e);
    throw e;
  });
  return started;
}
