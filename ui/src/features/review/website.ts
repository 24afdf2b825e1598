// "On the website": where a published article stands on the newsroom's website(s) — the
// link once it is there, the website's own reason when it is not, and a retry button for the
// desk editor. Asks the server again every few seconds while a delivery is still on its way.
import { ipc, asAppError, type DeliveryInfo } from "../../ipc";
import { dhakaClock, num, t } from "../../i18n/messages";
import { el, errorText } from "../dom";

/** How often the panel asks again while a delivery is pending. */
const PENDING_EVERY_MS = 2_000;

export interface WebsitePanel {
  root: HTMLElement;
  /** Asks the server now (after publishing, correcting, unpublishing or killing). */
  refresh: () => void;
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

/** The panel for article `id`; `canRetry` for desk editors. */
export function websitePanel(id: string, canRetry: boolean, fail: (message: string) => void): WebsitePanel {
  const list = el("ul", { class: "deliveries" });
  const root = el("section", { class: "website", "data-testid": "website", "aria-live": "polite", hidden: "" }, el("h3", {}, t("website")), list);
  let timer: number | undefined;
  let closed = false;
  // What is shown, so an unchanged answer leaves the DOM (and a focused button) alone.
  let shown = "";

  const show = (deliveries: DeliveryInfo[]) => {
    const retry = canRetry
      ? async (target: string) => {
          try {
            show(await ipc.retryDelivery(id, target));
          } catch (e) {
            fail(errorText(asAppError(e)));
          }
        }
      : null;
    const json = JSON.stringify(deliveries);
    if (json !== shown) {
      shown = json;
      list.replaceChildren(...deliveries.map((d) => deliveryLine(d, retry)));
      root.hidden = deliveries.length === 0;
    }
    window.clearTimeout(timer);
    if (!closed && deliveries.some((d) => d.state === "pending")) {
      timer = window.setTimeout(refresh, PENDING_EVERY_MS);
    }
  };
  const refresh = () => {
    window.clearTimeout(timer);
    ipc
      .deliveries(id)
      .then((deliveries) => {
        if (!closed) show(deliveries);
      })
      // Offline: the panel keeps what it showed and tries again later.
      .catch(() => {
        if (!closed) timer = window.setTimeout(refresh, PENDING_EVERY_MS * 5);
      });
  };
  return {
    root,
    refresh,
    destroy: () => {
      closed = true;
      window.clearTimeout(timer);
    },
  };
}
