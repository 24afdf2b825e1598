// A visible focus ring: styles.css outlines every kind of control on :focus-visible, never
// removes the ring, and the ring's colour stands out (3:1) from the page and the cards in the
// light and the dark theme.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const css = readFileSync(`${process.cwd()}/src/styles.css`, "utf8");

/** [selector list, body] of every plain rule (media blocks flattened). */
const rules = [...css.replace(/@media[^{]*\{/g, "").matchAll(/([^{}]+)\{([^{}]*)\}/g)].map((m) => [
  m[1].replace(/\/\*[\s\S]*?\*\//g, "").trim(),
  m[2],
]);

function vars(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of block.matchAll(/(--[\w-]+)\s*:\s*(#[0-9a-fA-F]{6})\s*;/g)) out[m[1]] = m[2];
  return out;
}
const light = vars(/:root\s*\{([^}]*)\}/.exec(css)?.[1] ?? "");
const dark = { ...light, ...vars(/prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{([^}]*)\}/.exec(css)?.[1] ?? "") };

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};

/** The outline colour variable a `:focus-visible` rule covering `what` sets, if any. */
function ringFor(what: string): string | null {
  for (const [selectors, body] of rules) {
    const covers = selectors.split(",").some((s) => s.trim() === `${what}:focus-visible`);
    const outline = /outline:\s*(\d+)px\s+solid\s+var\((--[\w-]+)\)/.exec(body);
    if (covers && outline && Number(outline[1]) >= 2) return outline[2];
  }
  return null;
}

describe("focus ring", () => {
  it("every kind of control has a ring of at least 2px", () => {
    for (const what of ["", "button", "a", "input", "select", "textarea", "summary", "[tabindex]", ".article-row", ".block-toolbar button", ".body-editor"]) {
      expect(ringFor(what), what || "*").not.toBeNull();
    }
  });

  it("no rule takes the ring away on focus", () => {
    for (const [selectors, body] of rules) {
      if (!/:focus/.test(selectors)) continue;
      expect(body, selectors).not.toMatch(/outline:\s*(none|0)\b/);
    }
  });

  it("the ring colour stands out from the page and the cards in both themes", () => {
    const ring = ringFor("button")!;
    expect(dark[ring]).not.toBe(light[ring]);
    for (const theme of [light, dark]) {
      expect(contrast(theme[ring], theme["--bg"])).toBeGreaterThanOrEqual(3);
      expect(contrast(theme[ring], theme["--card"])).toBeGreaterThanOrEqual(3);
    }
  });
});
