// A debounce that cannot fall behind: the work runs a short while after the last change, and
// during a long burst of changes at least every so often. The article's save (a kill -9 loses
// at most about a second) and its live counts (they follow the typing) both run on it.

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
