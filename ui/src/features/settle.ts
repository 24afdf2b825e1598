// A debounce that cannot fall behind: the work runs a short while after the last change, and
// during a long burst of changes at least every so often. The article's save and the comments
// being typed (a kill -9 loses nothing older than 200 ms) and its live counts (they follow the
// typing) run on it.

/** Typing is saved this long after it pauses, and never more than TYPING_MAX_UNSAVED_MS after
 *  a change, however fast it goes: with the save's own few milliseconds, every change is in the
 *  local store within 200 ms (a kill -9 keeps it; ARCHITECTURE.md, "What survives what"). */
export const TYPING_SAVE_DELAY_MS = 50;
export const TYPING_MAX_UNSAVED_MS = 120;

export interface Settle {
  /** A change: the work runs `delay` ms from now, or sooner if the burst is `maxBehind` old
   *  (read at each change, so it can follow the size of the work). */
  poke(): void;
  /** Drops the waiting run; true when one was waiting (the caller may run the work now). */
  cancel(): boolean;
  /** Whether a run is waiting. */
  pending(): boolean;
}

export function settle(delay: number, maxBehind: number | (() => number), run: () => void, clock: () => number = Date.now): Settle {
  const limit = typeof maxBehind === "number" ? () => maxBehind : maxBehind;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let burstStart: number | undefined;
  const cancel = () => {
    if (timer === undefined) return false;
    clearTimeout(timer);
    timer = undefined;
    burstStart = undefined;
    return true;
  };
  return {
    poke() {
      const now = clock();
      burstStart ??= now;
      if (timer !== undefined) clearTimeout(timer);
      const wait = Math.min(delay, Math.max(0, burstStart + limit() - now));
      timer = setTimeout(() => {
        timer = undefined;
        burstStart = undefined;
        run();
      }, wait);
    },
    cancel,
    pending: () => timer !== undefined,
  };
}
