// The article form's conversions: Dhaka local time ↔ UTC, tags, and reading the form back.
import { describe, expect, it } from "vitest";
import { deskChoices, deskName, deskSelect, setDeskNames, dhakaLocalToUtc, dhakaMidnightUtc, parseTags, readMeta, scheduleField, utcToDhakaLocal } from "../src/features/article/fields";
import { setLang } from "../src/i18n/messages";

describe("article fields", () => {
  it("embargo times are typed in Dhaka time (UTC+6) and stored in UTC", () => {
    expect(dhakaLocalToUtc("2025-08-01T10:00")).toBe("2025-08-01T04:00:00.000Z");
    expect(utcToDhakaLocal("2025-08-01T04:00:00.000Z")).toBe("2025-08-01T10:00");
    expect(dhakaLocalToUtc("")).toBeUndefined();
    expect(dhakaLocalToUtc("not a time")).toBeUndefined();
  });

  it("a time field takes Bengali or Latin digits and shows the UI's digits, never a US date", () => {
    setLang("bn");
    expect(dhakaLocalToUtc("২০২৬-১২-০৬ ১৮:৩০")).toBe("2026-12-06T12:30:00.000Z");
    expect(dhakaLocalToUtc("2026-12-6 9:05")).toBe("2026-12-06T03:05:00.000Z");
    expect(dhakaLocalToUtc("১২/০৬/২০২৬ ১৮:৩০")).toBeUndefined();
    const field = scheduleField("schedule-at", "কখন", "2026-12-06T12:30:00.000Z");
    expect(field.input.value).toBe("২০২৬-১২-০৬ ১৮:৩০");
    expect(field.input.type).toBe("text");
    expect(field.input.placeholder).toMatch(/^[০-৯]{4}-[০-৯]{2}-[০-৯]{2} [০-৯]{2}:[০-৯]{2}$/);
    field.input.value = "2026-12-07 08:00";
    field.input.dispatchEvent(new Event("change"));
    expect(field.input.value).toBe("২০২৬-১২-০৭ ০৮:০০");
    expect(field.utc()).toBe("2026-12-07T02:00:00.000Z");
    field.input.value = "কাল সকালে";
    field.input.dispatchEvent(new Event("change"));
    expect(field.input.getAttribute("aria-invalid")).toBe("true");
    expect(field.utc()).toBeUndefined();
  });

  it("tags split on commas, empty ones dropped", () => {
    expect(parseTags("রাজনীতি, নির্বাচন,, ঢাকা ")).toEqual(["রাজনীতি", "নির্বাচন", "ঢাকা"]);
  });

  it("empty optional fields are left out; the desk is kept", () => {
    const values: Record<string, string> = {
      headline: "শিরোনাম", slugline: " ", byline: "নিজস্ব প্রতিবেদক", dateline_place: "ঢাকা",
      source_line: "", sign_off: "", tags: "", urgency: "3", embargo: "",
    };
    const meta = readMeta({ headline: "", desk: "national" }, (n) => values[n]);
    expect(meta).toEqual({
      headline: "শিরোনাম", desk: "national", slugline: undefined, byline: "নিজস্ব প্রতিবেদক",
      dateline_place: "ঢাকা", source_line: undefined, sign_off: undefined, tags: [], urgency: 3,
      embargo: undefined,
    });
  });
});

describe("the desk field", () => {
  it("the chosen desk is saved into the meta", () => {
    const values: Record<string, string> = { headline: "ক", desk: "sports" };
    expect(readMeta({ headline: "", desk: "national" }, (n) => values[n] ?? "").desk).toBe("sports");
  });

  it("lists the user's desks and the article's own, by name, with the article's chosen", () => {
    setLang("bn");
    const { input, label } = deskSelect("international", ["national", "sports", "national", "metro-x"]);
    expect([...input.options].map((o) => o.value)).toEqual(["international", "national", "sports", "metro-x"]);
    expect(input.value).toBe("international");
    expect(input.dataset.testid).toBe("field-desk");
    expect([...input.options].map((o) => o.textContent)).toEqual(["আন্তর্জাতিক", "জাতীয়", "খেলা", "metro-x"]);
    expect(label.htmlFor).toBe("field-desk");
    setLang("en");
    expect(deskName("national")).toBe("National");
    expect(deskName("toString")).toBe("toString");
    setLang("bn");
  });

  it("uses the newsroom's own desk names: first in Bengali, after our translation in English", () => {
    setDeskNames([
      { slug: "national", name: "জাতীয় ডেস্ক" },
      { slug: "metro-x", name: "মহানগর" },
    ]);
    try {
      setLang("bn");
      expect(deskName("national")).toBe("জাতীয় ডেস্ক");
      expect(deskName("metro-x")).toBe("মহানগর");
      expect(deskName("sports")).toBe("খেলা");
      const choices = deskChoices("desk-choices", ["national", "metro-x"]);
      expect([...choices.options].map((o) => [o.value, o.textContent])).toEqual([
        ["national", "জাতীয় ডেস্ক"],
        ["metro-x", "মহানগর"],
      ]);
      setLang("en");
      expect(deskName("national")).toBe("National");
      expect(deskName("metro-x")).toBe("মহানগর");
      expect(deskName("unknown-desk")).toBe("unknown-desk");
    } finally {
      setDeskNames([]);
      setLang("bn");
    }
  });
});

describe("date filter bounds", () => {
  it("are Dhaka midnights in UTC, the end one day later", () => {
    expect(dhakaMidnightUtc("2026-11-29", 0)).toBe("2026-11-28T18:00:00.000Z");
    expect(dhakaMidnightUtc("2026-11-29", 1)).toBe("2026-11-29T18:00:00.000Z");
    expect(dhakaMidnightUtc("2026-12-31", 1)).toBe("2026-12-31T18:00:00.000Z");
  });
});
