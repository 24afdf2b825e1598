// "On the website": where a published article stands on the newsroom's website(s) — the
// link once it is there, the website's own reason when it is not, and a retry button for the
// desk editor. Drawn from the article store, which Rust keeps up to date.
import { ipc, asAppError, type DeliveryInfo } from "../../ipc";
import { dhakaClock, num, t } from "../../i18n/messages";
import { el, errorText } from "../dom";
import type { ArticleStore } from "../article/articleStore";

export interface WebsitePanel {
  root: HTMLElement;
  destroy: () => void;
}

/** The line of one delivery: its state in plain words, the link or the reason, a retry. */
function deliveryLine(d: DeliveryInfo, retry: ((target: string) => Promise<void>) | null): HTMLElement {
  const line = el("li", { class: `delivery ${d.state}`, "data-testid": "delivery", "data-target": d.target, "data-state": d.state });
  const name = el("strong", {}, `${d.target}:`);
  if (d.state === "delivered") {
    const what = d.event === "unpublish" ? t("websiteWithdrawn") : d.event === "kill" ? t("websiteTrashed") : t("onTheWebsite");
    line.append(name, what);
    if (d.remote_url && d.event !== "kill") {
      line.append(" · ", el("a", { href: d.remote_url, "data-testid": "website-url", target: "_blank", rel: "noopener" }, d.remote_url));
    }
    return line;
  }
  if (d.state === "pending") {
    line.append(name, t("websiteSending"));
    if (d.attempts > 0 && d.next_attempt_at) {
      line.append(` · ${t("websiteNextTry")} ${dhakaClock(d.next_attempt_at)} (${num(d.attempts)} ${t("websiteTries")})`);
    }
  } else {
    line.append(name, t("websiteFailed"));
  }
  if (d.error) line.append(el("span", { class: "website-error", "data-testid": "delivery-error", lang: "en" }, d.error));
  if (retry) {
    const again = el("button", { type: "button", "data-testid": "delivery-retry" }, t("websiteRetry"));
    again.addEventListener("click", async () => {
      again.disabled = true;
      await retry(d.target);
      again.disabled = false;
    });
    line.append(again);
  }
  return line;
}

/** The panel of the store's article; `canRetry` for desk editors. Rust sends the deliveries
 *  when they change (looking again every 2 s while one is pending); the panel only draws. */
export function websitePanel(store: ArticleStore, canRetry: boolean, fail: (message: string) => void): WebsitePanel {
  const id = store.id;
  const list = el("ul", { class: "deliveries" });
  const root = el("section", { class: "website", "data-testid": "website", "aria-live": "polite", hidden: "" }, el("h3", {}, t("website")), list);
  const retry = canRetry
    ? async (target: string) => {
        try {
          store.set("deliveries", await ipc.retryDelivery(id, target));
        } catch (e) {
          fail(errorText(asAppError(e)));
        }
      }
    : null;
  const show = (deliveries: DeliveryInfo[]) => {
    list.replaceChildren(...deliveries.map((d) => deliveryLine(d, retry)));
    root.hidden = deliveries.length === 0;
  };
  const stop = store.subscribe("deliveries", show);
  return { root, destroy: stop };
}
