/** Lures whose payload is a link to a credential page (or a consent page): kinds of eval/email/phish.ts. */
import {
  attackerDomain,
  compromisedSiteUrl,
  EVENTS,
  freeHostedUrl,
  launder,
  loginPath,
  lookalikeOf,
  OUTLETS,
  PARTNERS,
  person,
  tenantAddress,
  type Lang,
  type Person,
} from "./actors.js";

import { by, freemailSender, linkBodies, orgName, type Ctx, type KindMaker } from "./lure.js";

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

export const deskNames: Record<Lang, string[]> = {
  en: ["IT Service Desk", "Mail Administrator", "IT Support", "Webmail Team", "Helpdesk"],
  fa: ["پشتیبانی فنی", "مدیر سیستم ایمیل", "واحد فناوری اطلاعات"],
  ar: ["الدعم الفني", "إدارة البريد", "قسم تقنية المعلومات"],
};

export const credentialLookalike: KindMaker = (c) => {
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

export const credentialFreeHost: KindMaker = (c) => {
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

export const fakeInvitation: KindMaker = (c) => {
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

export const securityAlert: KindMaker = (c) => {
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

export const sharedDocument: KindMaker = (c) => {
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

export const oauthConsent: KindMaker = (c) => {
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

// ---------------------------------------------------------------- compromised account

export const compromisedAccount: KindMaker = (c) => {
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
