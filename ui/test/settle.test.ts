// The debounce behind the article's save and live counts: it runs after a pause, never falls
// more than its limit behind a long burst, and can be flushed.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { settle } from "../src/features/settle";

describe("settle", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs once, the delay after the last change of a short burst", () => {
    const run = vi.fn();
    const s = settle(250, 1000, run);
    s.poke();
    vi.advanceTimersByTime(100);
    s.poke();
    vi.advanceTimersByTime(249);
    expect(run).not.toHaveBeenCalled();
    expect(s.pending()).toBe(true);
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledTimes(1);
    expect(s.pending()).toBe(false);
  });

  it("keeps up with a long burst: a change every 60 ms runs it at least once a second", () => {
    const runs: number[] = [];
    const s = settle(250, 1000, () => runs.push(Date.now()));
    const start = Date.now();
    for (let i = 0; i < 50; i++) {
      s.poke();
      vi.advanceTimersByTime(60);
    }
    // 3 s of typing without a pause of 250 ms.
    expect(runs.length).toBeGreaterThanOrEqual(2);
    let last = start;
    for (const at of runs) {
      expect(at - last).toBeLessThanOrEqual(1000 + 60);
      last = at;
    }
    vi.advanceTimersByTime(250);
    expect(s.pending()).toBe(false);
  });

  it("reads a changing limit at each change (a long article is counted less often)", () => {
    const runs: number[] = [];
    let limit = 1000;
    const s = settle(250, () => limit, () => runs.push(Date.now()));
    const start = Date.now();
    limit = 5000;
    for (let i = 0; i < 100; i++) {
      s.poke();
      vi.advanceTimersByTime(60);
    }
    // 6 s of typing without a pause: one run, about 5 s in.
    expect(runs).toHaveLength(1);
    expect(runs[0] - start).toBeGreaterThanOrEqual(5000);
    expect(runs[0] - start).toBeLessThanOrEqual(5060);
  });

  it("cancel drops the waiting run and says whether there was one (a flush runs it now)", () => {
    const run = vi.fn();
    const s = settle(700, 1000, run);
    expect(s.cancel()).toBe(false);
    s.poke();
    expect(s.cancel()).toBe(true);
    vi.advanceTimersByTime(5000);
    expect(run).not.toHaveBeenCalled();
    // A new burst after a cancel is timed from its own start.
    s.poke();
    vi.advanceTimersByTime(700);
    expect(run).toHaveBeenCalledTimes(1);
  });
});
