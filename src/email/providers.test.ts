import { describe, expect, it } from "vitest";
import { CLICK_TRACKER_LIST } from "./click-trackers.js";
import { isProvider } from "./providers.js";

describe("isProvider", () => {
  it("counts every click tracker that serves only redirects, so that a newsletter service never binds strangers' messages", () => {
    for (const t of CLICK_TRACKER_LIST.filter((x) => x.customerPages !== true)) {
      expect(isProvider(t.domain, new Set()), t.domain).toBe(true);
      // a tracking host under it too (Mailchimp's links go through <account>.us21.list-manage.com)
      expect(isProvider(`click.${t.domain}`, new Set()), t.domain).toBe(true);
    }
  });

  it("leaves out a tracker that also serves its customers' pages, where a phish's landing page may be", () => {
    expect(CLICK_TRACKER_LIST.some((t) => t.domain === "mailchi.mp" && t.customerPages)).toBe(true);
    expect(isProvider("mailchi.mp", new Set())).toBe(false);
  });

  it("leaves out a lookalike of a tracker, which is the sender's own domain", () => {
    expect(isProvider("list-manage-secure.com", new Set())).toBe(false);
    expect(isProvider("mailchimpapp.net.verify-account.example", new Set())).toBe(false);
  });
});
