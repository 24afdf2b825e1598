// The "on the website" panel: the link once delivered, the website's reason and a retry
// button when not, drawn from the article store as Rust's events fill it (jsdom, stubbed IPC).
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ArticleSummary, DeliveryInfo } from "../src/ipc";

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
const { articleStore } = await import("../src/features/article/articleStore");
const { dispatch, on, lastOf } = await import("../src/ipc/events");

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

function storeOf(id: string) {
  const summary = { id, allowed_actions: [] } as unknown as ArticleSummary;
  return articleStore(summary, { summary: async () => summary, comments: async () => [] }, { on, lastOf });
}
const deliveries = (list: DeliveryInfo[]) => dispatch({ kind: "deliveries", article_id: ID, deliveries: list });

afterEach(() => {
  calls.length = 0;
  answers = {};
  vi.useRealTimers();
});

describe("website panel", () => {
  it("shows the website's link once delivered, in Bengali", async () => {
    setLang("bn");
    const panel = websitePanel(storeOf(ID), true, () => undefined);
    expect(panel.root.hidden).toBe(true);
    deliveries([delivered]);
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
    answers = { retry_delivery: [delivered] };
    const panel = websitePanel(storeOf(ID), true, () => undefined);
    deliveries([failed]);
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
    const panel = websitePanel(storeOf(ID), false, () => undefined);
    deliveries([failed]);
    expect(panel.root.querySelector("[data-testid=delivery-retry]")).toBeNull();
    deliveries([]);
    expect(panel.root.hidden).toBe(true);
    panel.destroy();
  });

  it("shows what Rust sent before the screen opened, and nothing of another article", async () => {
    deliveries([delivered]);
    const panel = websitePanel(storeOf(ID), true, () => undefined);
    expect(panel.root.hidden).toBe(false);
    const line = () => panel.root.querySelector("[data-testid=delivery]")!;
    const before = line();
    dispatch({ kind: "deliveries", article_id: "another", deliveries: [failed] });
    deliveries([delivered]);
    expect(line()).toBe(before);
    expect(calls).toHaveLength(0);
    panel.destroy();
  });
});
