// The "on the website" panel: the link once delivered, the website's reason and a retry
// button when not, asking again while a delivery is pending (jsdom, stubbed IPC).
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DeliveryInfo } from "../src/ipc";

const calls: { command: string; args: unknown }[] = [];
let answers: Record<string, unknown> = {};
vi.mock("@tauri-apps/api/core", () => ({
  invoke: async (command: string, args: unknown) => {
    calls.push({ command, args });
    return answers[command] ?? null;
  },
}));

const { setLang } = await import("../src/i18n/messages");
const { websitePanel } = await import("../src/features/review/website");

const ID = "0190a4c8-0000-7000-8000-000000000001";
const delivered: DeliveryInfo = {
  target: "website",
  event: "publish",
  state: "delivered",
  remote_url: "https://news.example.com/2026/12/flood/",
  attempts: 1,
};
const failed: DeliveryInfo = {
  target: "website",
  event: "publish",
  state: "failed",
  error: "WordPress refused the user name or application password: HTTP 401: Sorry. (rest_forbidden)",
  attempts: 1,
};

const settled = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  calls.length = 0;
  answers = {};
  vi.useRealTimers();
});

describe("website panel", () => {
  it("shows the website's link once delivered, in Bengali", async () => {
    setLang("bn");
    answers = { article_deliveries: [delivered] };
    const panel = websitePanel(ID, true, () => undefined);
    panel.refresh();
    await settled();
    expect(panel.root.hidden).toBe(false);
    const line = panel.root.querySelector("[data-testid=delivery]")!;
    expect(line.getAttribute("data-state")).toBe("delivered");
    expect(line.textContent).toContain("ওয়েবসাইটে আছে");
    expect(line.querySelector("a")!.getAttribute("href")).toBe(delivered.remote_url);
    expect(line.querySelector("[data-testid=delivery-retry]")).toBeNull();
    panel.destroy();
  });

  it("shows a failure with the website's reason and retries it", async () => {
    setLang("en");
    answers = { article_deliveries: [failed], retry_delivery: [delivered] };
    const panel = websitePanel(ID, true, () => undefined);
    panel.refresh();
    await settled();
    const line = panel.root.querySelector("[data-testid=delivery]")!;
    expect(line.textContent).toContain("could not be put on the website");
    expect(line.querySelector("[data-testid=delivery-error]")!.textContent).toBe(failed.error);
    (line.querySelector("[data-testid=delivery-retry]") as HTMLButtonElement).click();
    await settled();
    await settled();
    expect(calls.find((c) => c.command === "retry_delivery")?.args).toEqual({ id: ID, target: "website" });
    expect(panel.root.querySelector("[data-testid=delivery]")!.getAttribute("data-state")).toBe("delivered");
    panel.destroy();
  });

  it("offers no retry to a reporter and stays hidden with no deliveries", async () => {
    answers = { article_deliveries: [failed] };
    const panel = websitePanel(ID, false, () => undefined);
    panel.refresh();
    await settled();
    expect(panel.root.querySelector("[data-testid=delivery-retry]")).toBeNull();
    answers = { article_deliveries: [] };
    panel.refresh();
    await settled();
    expect(panel.root.hidden).toBe(true);
    panel.destroy();
  });

  it("asks again while a delivery is pending, and stops once it is not", async () => {
    vi.useFakeTimers();
    answers = { article_deliveries: [{ ...failed, state: "pending", error: "cannot connect", next_attempt_at: "2026-12-05T10:00:00Z" }] };
    const panel = websitePanel(ID, true, () => undefined);
    panel.refresh();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.filter((c) => c.command === "article_deliveries")).toHaveLength(1);
    answers = { article_deliveries: [delivered] };
    await vi.advanceTimersByTimeAsync(2_100);
    expect(calls.filter((c) => c.command === "article_deliveries")).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls.filter((c) => c.command === "article_deliveries")).toHaveLength(2);
    panel.destroy();
  });
});
