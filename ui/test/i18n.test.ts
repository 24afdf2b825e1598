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

  it("prints counts in Bengali digits grouped by lakh and crore, and in ASCII by thousands", () => {
    setLang("bn");
    expect(num(0)).toBe("০");
    expect(num(999)).toBe("৯৯৯");
    expect(num(5000)).toBe("৫,০০০");
    expect(num(50024)).toBe("৫০,০২৪");
    expect(num(205100)).toBe("২,০৫,১০০");
    expect(num(1234567)).toBe("১২,৩৪,৫৬৭");
    expect(num(-12345)).toBe("-১২,৩৪৫");
    expect(num(10n)).toBe("১০");
    setLang("en");
    expect(num(2025)).toBe("2,025");
    expect(num(1234567)).toBe("1,234,567");
    expect(num(12)).toBe("12");
    setLang("bn");
  });
});
