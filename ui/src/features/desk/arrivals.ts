// Which articles just arrived on the desk board: after the first look, an article that was not
// on the board before is "arrived" for a few seconds (the board highlights it). The first look,
// and a look after the editor changed what the board shows, only set the baseline.

/** How long an arrival stays highlighted. */
export const ARRIVAL_MS = 8000;

export interface ArrivalTracker {
  /** How long an arrival stays marked. */
  readonly highlightMs: number;
  /** Takes the ids now on the board; returns those that were not on it at the last look. */
  see(ids: Iterable<string>, now?: number): string[];
  /** Whether `id` arrived less than ARRIVAL_MS ago. */
  isFresh(id: string, now?: number): boolean;
  /** Forgets what was on the board: the next look sets a new baseline (no arrivals). */
  rebase(): void;
}

export function arrivalTracker(highlightMs: number = ARRIVAL_MS): ArrivalTracker {
  let known: Set<string> | null = null;
  const freshUntil = new Map<string, number>();
  return {
    highlightMs,
    see(ids, now = Date.now()) {
      const current = new Set(ids);
      const arrived = known ? [...current].filter((id) => !known!.has(id)) : [];
      for (const id of arrived) freshUntil.set(id, now + highlightMs);
      for (const [id, until] of freshUntil) if (until <= now || !current.has(id)) freshUntil.delete(id);
      known = current;
      return arrived;
    },
    isFresh(id, now = Date.now()) {
      return (freshUntil.get(id) ?? 0) > now;
    },
    rebase() {
      known = null;
      freshUntil.clear();
    },
  };
}
