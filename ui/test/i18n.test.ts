// The message files: both languages complete, numbers in the right digits.
import { describe, expect, it } from "vitest";
import { bn, en, num, setLang, t } from "../src/i18n/messages";

describe("messages", () => {
  it("English has every Bengali key and no empty string", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(bn).sort());
    for (const value of [...Object.values(bn), ...Object.values(en)]) expect(value.trim()).not.toBe("");
  });

  it("switches language", () => {
    setLang("en");
    expect(t("submit")).toBe("Submit");
    setLang("bn");
    expect(t("submit")).toBe("জমা দিন");
    expect(document.documentElement.lang).toBe("bn");
  });

  it("prints numbers in Bengali digits in Bengali and ASCII in English", () => {
    setLang("bn");
    expect(num(2025)).toBe("২০২৫");
    expect(num(0)).toBe("০");
    setLang("en");
    expect(num(2025)).toBe("2025");
    setLang("bn");
  });
});
