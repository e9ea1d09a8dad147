/** Sign-in talk with a link to a shortener, free host or bare IP: the shape of credential phishing, and what it is not. */
import { describe, expect, it } from "vitest";
import { triage } from "../src/email/index.js";

const mail = (from: string, subject: string, html: string): Buffer =>
  Buffer.from(
    [
      `From: ${from}`,
      "To: <sara@ngo.example>",
      `Subject: ${subject}`,
      "Date: Mon, 30 Nov 2026 09:00:00 +0000",
      "MIME-Version: 1.0",
      'Content-Type: text/html; charset="utf-8"',
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from(html, "utf8").toString("base64"),
      "",
    ].join("\r\n"),
  );
const lure = async (m: Buffer) => (await triage(m)).reasons.find((r) => r.code === "link.credential-lure");

describe("credential lures", () => {
  it("flags sign-in talk whose link goes to a shortener or a free host, in English and Persian", async () => {
    const en = await triage(
      mail(
        "Helpdesk <it.desk@confirm-account.example>",
        "Password expiry notice",
        '<p>The password for sara@ngo.example expires today.</p><a href="https://bit.ly/3xYz">Keep current password</a>',
      ),
    );
    expect(en.reasons.find((r) => r.code === "link.credential-lure")).toMatchObject({
      weight: 0.3,
      evidence: { ref: "https://bit.ly/3xYz", value: "password" },
    });
    expect(en.verdict).toBe("suspicious");
    const fa = await lure(
      mail(
        "پشتیبانی <support@mail-notice.example>",
        "اطلاعیه",
        '<p>برای ادامه، رمز عبور خود را در صفحه زیر تایید کنید.</p><a href="https://staff-portal.web.app/">ورود</a>',
      ),
    );
    expect(fa).toMatchObject({ evidence: { value: "رمز عبور" } });
  });

  it("leaves alone a genuine reset that links to the sender's own site, and a free-host link without sign-in talk", async () => {
    expect(
      await lure(
        mail(
          "GitHub <noreply@github.com>",
          "Reset your password",
          '<p>We heard you need a password reset.</p><a href="https://github.com/password_reset/abc">Reset</a>',
        ),
      ),
    ).toBeUndefined();
    expect(
      await lure(
        mail(
          "Sara <sara.k@partner.example>",
          "Photos from the workshop",
          '<p>Here are the photos from Tuesday.</p><a href="https://workshop-photos.web.app/">Album</a>',
        ),
      ),
    ).toBeUndefined();
  });
});
