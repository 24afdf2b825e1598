// WCAG contrast of the colour pairs styles.css uses, in the light and the dark theme.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const css = readFileSync(`${process.cwd()}/src/styles.css`, "utf8");

/** The custom properties declared in the first `:root {…}` block of `text`. */
function rootVars(text: string): Record<string, string> {
  const block = /:root\s*\{([^}]*)\}/.exec(text)?.[1] ?? "";
  const vars: Record<string, string> = {};
  for (const m of block.matchAll(/(--[\w-]+)\s*:\s*(#[0-9a-fA-F]{3,6})\s*;/g)) vars[m[1]] = m[2];
  return vars;
}

/** The bodies of every `@media (prefers-color-scheme: dark) {…}` block (one level of nesting). */
function darkBlocks(text: string): string[] {
  const out: string[] = [];
  const re = /@media\s*\(prefers-color-scheme:\s*dark\)\s*\{/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let depth = 1;
    let i = re.lastIndex;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === "{") depth++;
      else if (text[i] === "}") depth--;
    }
    out.push(text.slice(re.lastIndex, i - 1));
  }
  return out;
}

const light = rootVars(css);
const dark = { ...light, ...rootVars(darkBlocks(css).join("\n")) };

function luminance(hex: string): number {
  let h = hex.replace("#", "");
  if (h.length === 3) h = [...h].map((c) => c + c).join("");
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** Text colour / background colour pairs, by custom property. */
const PAIRS: [string, string, string][] = [
  ["body text", "--fg", "--bg"],
  ["text on cards, buttons and inputs", "--fg", "--card"],
  ["muted text", "--muted", "--bg"],
  ["muted text on cards (footer)", "--muted", "--card"],
  ["errors and offline state", "--accent", "--bg"],
  ["errors in the footer", "--accent", "--card"],
  ["primary button and urgent badge", "--on-accent", "--accent"],
  ["conflict badge and warnings button", "--warn", "--card"],
  ["conflict badge on the page", "--warn", "--bg"],
  ["search marks", "--fg", "--mark"],
];

describe("colour contrast (WCAG AA, 4.5:1 for text)", () => {
  it("the contrast formula is right", () => {
    expect(contrast("#ffffff", "#000000")).toBeCloseTo(21, 5);
    expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });

  it("both themes declare every colour the pairs use", () => {
    for (const [, fg, bg] of PAIRS) {
      expect(light[fg], fg).toMatch(/^#/);
      expect(light[bg], bg).toMatch(/^#/);
    }
    // The dark theme really overrides the palette (it is not the light one by accident).
    expect(dark["--bg"]).not.toBe(light["--bg"]);
    expect(dark["--on-accent"]).not.toBe(light["--on-accent"]);
  });

  for (const [theme, vars] of [["light", light], ["dark", dark]] as const) {
    for (const [what, fg, bg] of PAIRS) {
      it(`${theme}: ${what} (${fg} on ${bg})`, () => {
        expect(contrast(vars[fg], vars[bg])).toBeGreaterThanOrEqual(4.5);
      });
    }
  }

  it("rules with both a literal text colour and a literal background pass too", () => {
    const rules = [...css.matchAll(/([^{}]+)\{([^{}]*)\}/g)];
    let checked = 0;
    for (const [, selector, body] of rules) {
      const color = /(?:^|;)\s*color:\s*(#[0-9a-fA-F]{3,6})/.exec(body)?.[1];
      const background = /background:\s*(#[0-9a-fA-F]{3,6})/.exec(body)?.[1];
      if (!color || !background) continue;
      checked++;
      expect(contrast(color, background), selector.trim()).toBeGreaterThanOrEqual(4.5);
    }
    expect(checked).toBeGreaterThan(0);
  });
});
