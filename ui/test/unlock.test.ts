import { describe, expect, it, vi } from "vitest";
import { reportActivity } from "../src/features/login/unlock";

describe("reportActivity", () => {
  it("tells the app the user is there, at most once per period", () => {
    vi.useFakeTimers();
    const send = vi.fn(async () => {});
    const stop = reportActivity(send, 2_000);
    document.dispatchEvent(new KeyboardEvent("keydown"));
    document.dispatchEvent(new KeyboardEvent("keydown"));
    expect(send).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(2_500);
    document.dispatchEvent(new Event("pointerdown"));
    expect(send).toHaveBeenCalledTimes(2);
    stop();
    vi.advanceTimersByTime(2_500);
    document.dispatchEvent(new KeyboardEvent("keydown"));
    expect(send).toHaveBeenCalledTimes(2);
    vi.useRealTimers();
  });
});
