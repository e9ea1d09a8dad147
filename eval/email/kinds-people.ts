/** Lures that work on people rather than through a payload (payment fraud, extortion, threats, hijacked threads) and the hard subset: kinds of eval/email/phish.ts. */
import {
  attackerDomain,
  businessDomain,
  compromisedSiteUrl,
  EVENTS,
  freeHostedUrl,
  lookalikeOf,
  OUTLETS,
  PARTNERS,
  person,
} from "./actors.js";
import { photoJpeg } from "./files.js";
import { Rng } from "./mime.js";
import { by, freemailSender, type KindMaker } from "./lure.js";
import { scriptArchive } from "./kinds-files.js";

// ---------------------------------------------------------------- payment-change fraud (BEC)

export const becPayment: KindMaker = (c) => {
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

export const extortion: KindMaker = (c) => {
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

export function threatKind(lang: "fa" | "ar"): KindMaker {
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

export const replyChain: KindMaker = async (c) => {
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

// ---------------------------------------------------------------- hard: built to look like ordinary mail

export const hardRapport: KindMaker = (c) => {
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

export const hardBec: KindMaker = (c) => {
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

export const hardCompromisedLink: KindMaker = (c) => {
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

export const hardVeiledThreat: KindMaker = (c) => {
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
