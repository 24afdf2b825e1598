// The footer's live counts: the counts follow every update; the flag list (where each flag is
// costs a walk of the text) is built only while its panel is open, and lists at most
// MAX_LISTED flags with the number left out.
import { describe, expect, it, vi } from "vitest";
import { MAX_LISTED, liveStatus } from "../src/features/article/liveStatus";
import { setLang } from "../src/i18n/messages";
import type { TextStats } from "../src/ipc";

function stats(flags: number, words = 10): TextStats {
  return {
    words,
    graphemes: words * 5,
    sentences: 1,
    paragraphs: 1,
    reading_seconds: 60,
    flags: Array.from({ length: flags }, (_, i) => ({ kind: "stray_hasanta", text: "্", start: i, end: i + 1 })),
    name_variants: [{ first: "কিম জং উন", second: "কিং জং উন", first_at: [0, 1], second_at: [2, 3] }],
  };
}

describe("live status", () => {
  it("counts at every update but places flags only while the panel is open", () => {
    setLang("en");
    const locate = vi.fn(() => null);
    const live = liveStatus(locate, () => {});
    live.update(stats(3, 12));
    expect(live.root.querySelector<HTMLElement>('[data-testid="stats"]')?.dataset.words).toBe("12");
    expect(live.root.querySelector('[data-testid="flags-toggle"]')?.getAttribute("data-count")).toBe("4");
    expect(locate).not.toHaveBeenCalled();
    expect(live.root.querySelectorAll('[data-testid="flags"] li')).toHaveLength(0);

    const toggle = live.root.querySelector<HTMLButtonElement>('[data-testid="flags-toggle"]')!;
    toggle.click();
    expect(live.root.querySelectorAll('[data-testid="flags"] li')).toHaveLength(4);
    expect(live.root.querySelector('[data-testid="name-variant"]')).not.toBeNull();
    const calls = locate.mock.calls.length;
    expect(calls).toBe(5); // three flags, and both places of the name

    // While it is open, a new count rebuilds it; once closed, counts no longer do.
    live.update(stats(1, 13));
    expect(live.root.querySelectorAll('[data-testid="flags"] li')).toHaveLength(2);
    toggle.click();
    const closedCalls = locate.mock.calls.length;
    live.update(stats(7, 14));
    expect(locate.mock.calls.length).toBe(closedCalls);
    expect(live.root.querySelector<HTMLElement>('[data-testid="stats"]')?.dataset.words).toBe("14");
  });

  it("lists at most MAX_LISTED flags and says how many more there are", () => {
    setLang("en");
    const live = liveStatus(() => null, () => {});
    live.update(stats(MAX_LISTED + 50));
    live.root.querySelector<HTMLButtonElement>('[data-testid="flags-toggle"]')!.click();
    const items = live.root.querySelectorAll('[data-testid="flags"] li');
    expect(items).toHaveLength(MAX_LISTED + 1);
    expect(live.root.querySelector('[data-testid="flags-more"]')?.textContent).toContain("51");
  });
});
