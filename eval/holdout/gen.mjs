#!/usr/bin/env node
// Independent synthetic social-media world generator with planted coordinated campaigns
// and organic traps. Plain Node.js 20 ESM, no dependencies, seeded PRNG (mulberry32).
// usage: node gen.mjs --seed N --posts 300000 --out DIR
import fs from "node:fs";
import path from "node:path";
import { CORPUS } from "./corpora.mjs";

const argv = process.argv.slice(2);
const arg = (n, d) => {
  const i = argv.indexOf("--" + n);
  return i >= 0 ? argv[i + 1] : d;
};
const SEED = parseInt(arg("seed", "1"), 10);
const TARGET = parseInt(arg("posts", "300000"), 10);
const OUT = arg("out", `out/holdout-w${SEED}`);
const S = TARGET / 300000; // scale of every population / event size
const sc = (n) => Math.max(1, Math.round(n * S));

// ---------------------------------------------------------------- PRNG & helpers
function mulberry32(a) {
  return function () {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = mulberry32((Math.imul(SEED, 0x9e3779b1) ^ 0x5bd1e995) >>> 0);
const U = (a, b) => a + (b - a) * rnd();
const RI = (a, b) => Math.floor(U(a, b + 1));
const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
const chance = (p) => rnd() < p;
let spare = null;
function gauss() {
  if (spare !== null) {
    const s = spare;
    spare = null;
    return s;
  }
  let u = 0;
  while (u === 0) u = rnd();
  const v = rnd();
  const r = Math.sqrt(-2 * Math.log(u));
  spare = r * Math.sin(2 * Math.PI * v);
  return r * Math.cos(2 * Math.PI * v);
}
const logn = (median, sigma) => median * Math.exp(sigma * gauss());
const expo = (mean) => -mean * Math.log(1 - rnd());
function poisson(l) {
  if (l <= 0) return 0;
  if (l > 40) return Math.max(0, Math.round(l + Math.sqrt(l) * gauss()));
  const L = Math.exp(-l);
  let k = 0,
    p = 1;
  do {
    k++;
    p *= rnd();
  } while (p > L);
  return k - 1;
}
function shuffle(a) {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
function sampleK(arr, k) {
  const a = arr.slice();
  const n = Math.min(k, a.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rnd() * (a.length - i));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}
class Weighted {
  constructor(items, weights) {
    this.items = items;
    this.cum = new Float64Array(items.length);
    let c = 0;
    for (let i = 0; i < items.length; i++) {
      c += weights[i];
      this.cum[i] = c;
    }
    this.total = c;
  }
  pick() {
    const x = rnd() * this.total;
    let lo = 0,
      hi = this.cum.length - 1;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (this.cum[m] > x) hi = m;
      else lo = m + 1;
    }
    return this.items[lo];
  }
}
const randStr = (n, al = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") => {
  let s = "";
  for (let i = 0; i < n; i++) s += al[Math.floor(rnd() * al.length)];
  return s;
};
const randDigits = (n) => randStr(n, "0123456789");

// ---------------------------------------------------------------- time
const SEC = 1000,
  MIN = 60 * SEC,
  HOUR = 60 * MIN,
  DAY = 24 * HOUR;
const T0 = Date.UTC(2024, 2, 12); // 2024-03-12
const DAYS = 36;
const T1 = T0 + DAYS * DAY;
const NOWRUZ = Date.UTC(2024, 2, 20, 3, 6, 24); // Sal-e Tahvil 1403
const EID = Date.UTC(2024, 3, 10); // Eid al-Fitr 2024-04-10

// ---------------------------------------------------------------- lexicon
const EN_FIRST =
  "james john robert michael david william richard joseph thomas chris daniel matt anthony mark paul steven andrew josh kevin brian mary patricia jennifer linda elizabeth barbara susan jessica sarah karen emily emma olivia sophia megan hannah laura rachel amy nicole tom lucas ryan jake nathan ben sam alex jordan taylor priya rahul amit sanjay neha ana carlos maria diego sofia".split(
    " ",
  );
const EN_LAST =
  "smith johnson williams brown jones garcia miller davis rodriguez martinez wilson anderson taylor thomas moore jackson martin lee thompson white harris clark lewis walker hall allen young king wright scott green baker adams nelson hill campbell mitchell roberts carter phillips evans turner patel sharma singh khan gupta silva lopez murphy kelly cooper reed bailey bell ward cox price wood hughes".split(
    " ",
  );
const FA_FIRST =
  "ali reza mohammad hossein mehdi amir saeed hamid majid babak arash kaveh omid behnam farhad sina pouya navid sahar maryam zahra fatemeh niloofar parisa shirin mina leila nazanin sara roya mahsa elham azadeh yasaman negar golnaz shadi taraneh donya ladan".split(
    " ",
  );
const FA_FIRST_S =
  "علی رضا محمد حسین مهدی امیر سعید حمید مجید بابک آرش کاوه امید بهنام فرهاد سینا پویا نوید سحر مریم زهرا فاطمه نیلوفر پریسا شیرین مینا لیلا نازنین سارا رویا مهسا الهام آزاده یاسمن نگار گلناز شادی ترانه دنیا لادن".split(
    " ",
  );
const FA_LAST =
  "ahmadi hosseini mohammadi rezaei karimi moradi hashemi jafari rahimi kazemi ghasemi sadeghi ebrahimi mousavi tehrani shirazi esfahani tabrizi rostami farahani kiani nouri akbari bagheri heidari zamani soltani alavi nazari safavi".split(
    " ",
  );
const FA_LAST_S =
  "احمدی حسینی محمدی رضایی کریمی مرادی هاشمی جعفری رحیمی کاظمی قاسمی صادقی ابراهیمی موسوی تهرانی شیرازی اصفهانی تبریزی رستمی فراهانی کیانی نوری اکبری باقری حیدری زمانی سلطانی علوی نظری صفوی".split(
    " ",
  );
const AR_FIRST =
  "mohammed ahmed abdullah khalid omar ali hassan youssef ibrahim faisal saud sultan fahad nasser majed turki hamad salman tariq waleed fatima aisha noura sara maha reem huda laila mariam amal hind lama dana ghada rana salma yasmin nada haya jawaher".split(
    " ",
  );
const AR_FIRST_S =
  "محمد أحمد عبدالله خالد عمر علي حسن يوسف إبراهيم فيصل سعود سلطان فهد ناصر ماجد تركي حمد سلمان طارق وليد فاطمة عائشة نورة سارة مها ريم هدى ليلى مريم أمل هند لمى دانة غادة رنا سلمى ياسمين ندى هيا جواهر".split(
    " ",
  );
const AR_LAST =
  "alharbi alotaibi alqahtani alghamdi alzahrani aldosari alshehri almutairi alanazi alshammari hassan mahmoud ibrahim saleh mansour alali khalil nasser alsayed abdelrahman".split(
    " ",
  );
const AR_LAST_S =
  "الحربي العتيبي القحطاني الغامدي الزهراني الدوسري الشهري المطيري العنزي الشمري حسن محمود إبراهيم صالح منصور العلي خليل ناصر السيد عبدالرحمن".split(
    " ",
  );
const HANDLE_WORDS =
  "coffee music night sky blue moon star real the its mr ms dr iam just daily life dream free wild urban tiny happy lost city ocean rose black golden silent fox wolf tiger".split(
    " ",
  );

const LEX = {
  en: {
    open: [
      "",
      "",
      "",
      "Honestly,",
      "Wow.",
      "Just saw this:",
      "Reminder:",
      "Can't believe",
      "So",
      "Today",
      "lol",
      "Hot take:",
      "ICYMI",
      "Interesting:",
      "Ok but",
      "Unpopular opinion:",
      "Not gonna lie,",
      "Imagine thinking",
      "Breaking my brain:",
      "Fun fact:",
      "PSA:",
      "Morning thought:",
    ],
    subj: [
      "the new budget",
      "this weather",
      "my coffee",
      "the game last night",
      "the election",
      "oil prices",
      "the traffic on 5th",
      "our team",
      "the stock market",
      "this album",
      "the city council",
      "my cat",
      "remote work",
      "the new phone",
      "inflation",
      "the protest downtown",
      "the ceasefire talks",
      "rent in this city",
      "the school board",
      "that movie",
      "the playoffs",
      "AI art",
      "the new season",
      "my landlord",
      "public transit",
      "the housing market",
      "gas prices",
      "the debate",
      "this podcast",
      "the heat wave",
      "college tuition",
      "the new policy",
      "my sourdough",
      "the finale",
      "grocery prices",
      "the airport",
      "the hospital wait times",
      "the senate vote",
      "that interview",
      "the concert",
    ],
    pred: [
      "is wild",
      "makes no sense",
      "is getting worse",
      "finally happened",
      "is underrated",
      "needs more attention",
      "was amazing",
      "is everything",
      "is a mess",
      "could change everything",
      "is so overrated",
      "broke me",
      "is actually good",
      "is not it",
      "deserves better",
      "is hilarious",
      "is exhausting",
      "made my day",
      "is a scam",
      "is peak",
      "went off",
      "is the worst",
      "keeps surprising me",
      "is a disaster",
      "is long overdue",
    ],
    conj: ["and", "but", "while", "because", "and honestly"],
    tail: [
      "",
      "",
      "",
      "!",
      "...",
      " 😂",
      " 🙏",
      " tbh",
      " imo",
      " thoughts?",
      " smh",
      " 🔥",
      " 💀",
      "!!",
      " lmao",
      " 😭",
    ],
  },
  fa: {
    open: [
      "",
      "",
      "",
      "واقعا",
      "امروز",
      "به نظرم",
      "خبر داری",
      "دوستان",
      "عجب",
      "باور کنید",
      "راستش",
      "یعنی",
      "بچه‌ها",
      "ببینید",
      "خلاصه",
    ],
    subj: [
      "قیمت دلار",
      "هوای تهران",
      "اینترنت",
      "تورم",
      "انتخابات",
      "فیلم جدید",
      "تیم ملی",
      "کنکور",
      "ترافیک",
      "بنزین",
      "اجاره خانه",
      "قیمت مرغ",
      "فیلترینگ",
      "دانشگاه",
      "پرسپولیس",
      "استقلال",
      "سریال جدید",
      "آلودگی هوا",
      "بورس",
      "حقوق کارمندان",
      "مترو",
      "سفر نوروزی",
      "کرایه تاکسی",
      "قطعی برق",
      "کم‌آبی",
      "مهاجرت",
      "این آهنگ",
      "کتاب جدید",
      "قیمت خودرو",
      "کلاس آنلاین",
    ],
    pred: [
      "دیوانه‌کننده است",
      "هر روز بدتر می‌شود",
      "باورنکردنی است",
      "خیلی عالی بود",
      "واقعا خسته‌کننده است",
      "را باید جدی گرفت",
      "شوخی است",
      "حال همه را گرفته",
      "دیگر قابل تحمل نیست",
      "معرکه بود",
      "یک فاجعه است",
      "را کسی نمی‌فهمد",
      "حالم را خوب کرد",
      "از کنترل خارج شده",
      "عجیب است",
    ],
    conj: ["و", "ولی", "اما", "چون"],
    tail: ["", "", "", "!", "...", " 😔", " 😂", " والا", " جدی میگم", " 💔", " 🙏", "؟"],
  },
  ar: {
    open: [
      "",
      "",
      "",
      "والله",
      "اليوم",
      "صراحة",
      "يا جماعة",
      "سبحان الله",
      "للأسف",
      "بصراحة",
      "تخيلوا",
      "ما شاء الله",
      "الحمدلله",
    ],
    subj: [
      "أسعار البنزين",
      "الطقس اليوم",
      "مباراة الأمس",
      "الانتخابات",
      "الاقتصاد",
      "رمضان هذه السنة",
      "الزحمة",
      "الدوري",
      "الإنترنت",
      "الغلاء",
      "الهلال",
      "النصر",
      "المسلسل الجديد",
      "الإيجارات",
      "الدوام",
      "المدارس",
      "الأسهم",
      "السفر",
      "التمور",
      "الرواتب",
      "العمرة",
      "الحر",
      "القهوة",
      "الاختبارات",
      "المطاعم",
    ],
    pred: [
      "شيء لا يصدق",
      "يزداد سوءا",
      "كان رائعا",
      "يحتاج إلى حل",
      "مهم جدا",
      "أمر محزن",
      "فوق الخيال",
      "صار مبالغ فيه",
      "أسعدني كثيرا",
      "لا يطاق",
      "غريب جدا",
      "يستحق المتابعة",
    ],
    conj: ["و", "لكن", "لأن", "بينما"],
    tail: ["", "", "", "!", "...", " 😂", " 🤲", " 💔", " والله", " 🌙", "؟"],
  },
};
const EMOJI = ["😂", "🔥", "❤️", "🙏", "😭", "👏", "💯", "🤔", "😍", "👀", "🌹", "✌️"];
const CW = { en: CORPUS.en.split(/\s+/), fa: CORPUS.fa.split(/\s+/), ar: CORPUS.ar.split(/\s+/) };
function _excerpt(lang, n) {
  const w = CW[lang];
  const i = RI(0, w.length - n - 1);
  const xs = w.slice(i, i + n);
  if (chance(0.5)) {
    const j = RI(0, xs.length - 1);
    xs[j] = pick(w);
  }
  return xs.join(" ");
}
const VOC = { en: [...new Set(CW.en)], fa: [...new Set(CW.fa)], ar: [...new Set(CW.ar)] };
function salad(lang, n) {
  const xs = [];
  for (let i = 0; i < n; i++) xs.push(chance(0.75) ? pick(VOC[lang]) : pick(CW[lang]));
  return xs.join(" ");
}
function sentence(lang) {
  const L = LEX[lang];
  let s;
  const r = rnd();
  if (r < 0.8) s = salad(lang, RI(5, 18));
  else if (r < 0.95)
    s = pick(L.open) + " " + pick(L.subj) + " " + pick(L.pred) + " " + salad(lang, RI(5, 12));
  else s = pick(L.open) + " " + pick(L.subj) + " " + pick(L.pred);
  if (chance(0.25))
    s += " " + pick(L.conj) + " " + (chance(0.5) ? salad(lang, RI(3, 8)) : pick(L.subj) + " " + pick(L.pred));
  if (lang === "en" && chance(0.6)) s = cap(s);
  if (chance(0.12)) s += " " + RI(2, 99) + (lang === "en" ? "%" : "");
  s += pick(L.tail);
  if (chance(0.15)) s += " " + pick(EMOJI);
  return s.replace(/\s+/g, " ").trim();
}
const GEN_TAGS = {
  en: "news music NBA AI crypto football travel photography tbt MondayMotivation Bitcoin NFL gaming art books climate tech movies StPatricksDay MarchMadness Oscars food fitness science economy".split(
    " ",
  ),
  fa: "ایران تهران فوتبال مهسا_امینی زن_زندگی_آزادی اینترنت دلار نوروز پرسپولیس استقلال سینما کتاب موسیقی اعدام_نکنید مهاجرت تورم".split(
    " ",
  ),
  ar: "رمضان السعودية الهلال مصر دبي النصر الكويت رمضان_كريم قطر الامارات كرة_القدم عاجل اليمن فلسطين".split(
    " ",
  ),
};
const tagPickers = {};
for (const l of ["en", "fa", "ar"])
  tagPickers[l] = new Weighted(
    GEN_TAGS[l],
    GEN_TAGS[l].map((_, i) => 1 / Math.pow(i + 1, 0.9)),
  );
const SLUG_WORDS =
  "government minister plan report talks deal market crisis court ruling storm fire vote budget sanctions oil prices strike border police protest health study school new says warns record first after over amid how why what inside world city election energy war peace climate tech ai chip bank rate inflation jobs housing water drought football final league star film music festival award".split(
    " ",
  );
const slug = () => Array.from({ length: RI(4, 9) }, () => pick(SLUG_WORDS)).join("-");

// ---------------------------------------------------------------- accounts
const accounts = [];
const handleSet = new Set();
const handleToAcc = new Map();
const EPOCH_TW = 1288834974657n;
const userIdSet = new Set();
function userId(created) {
  let id;
  for (;;) {
    if (created >= Date.UTC(2014, 0, 1))
      id = (
        ((BigInt(Math.floor(created)) - EPOCH_TW) << 22n) |
        BigInt(Math.floor(rnd() * 4194304))
      ).toString();
    else
      id = String(
        Math.floor(
          1e7 + ((created - Date.UTC(2007, 0, 1)) / (Date.UTC(2014, 0, 1) - Date.UTC(2007, 0, 1))) * 2.2e9,
        ) + RI(0, 99999),
      );
    if (!userIdSet.has(id)) {
      userIdSet.add(id);
      return id;
    }
    created += RI(1, 1000);
  }
}
const cap = (s) => s[0].toUpperCase() + s.slice(1);
function makeHandle(base) {
  let h = base.replace(/[^A-Za-z0-9_]/g, "").slice(0, 15);
  if (h.length < 4) h = (h + randStr(4, "abcdefghijklmnopqrstuvwxyz")).slice(0, 8);
  while (handleSet.has(h.toLowerCase())) h = (h.slice(0, 11) + randDigits(RI(1, 4))).slice(0, 15);
  handleSet.add(h.toLowerCase());
  return h;
}
function personName(lang) {
  if (lang === "fa") {
    const i = RI(0, FA_FIRST.length - 1),
      j = RI(0, FA_LAST.length - 1);
    return { f: FA_FIRST[i], l: FA_LAST[j], fs: FA_FIRST_S[i], ls: FA_LAST_S[j] };
  }
  if (lang === "ar") {
    const i = RI(0, AR_FIRST.length - 1),
      j = RI(0, AR_LAST.length - 1);
    return { f: AR_FIRST[i], l: AR_LAST[j], fs: AR_FIRST_S[i], ls: AR_LAST_S[j] };
  }
  const f = pick(EN_FIRST),
    l = pick(EN_LAST);
  return { f, l, fs: cap(f), ls: cap(l) };
}
function handleFor(n, style) {
  const r = style ?? rnd();
  if (r < 0.18) return makeHandle(`${n.f}_${n.l}`);
  if (r < 0.3) return makeHandle(`${cap(n.f)}${cap(n.l)}`);
  if (r < 0.45) return makeHandle(`${n.f}${n.l}${RI(1, 99)}`);
  if (r < 0.6) return makeHandle(`${n.f}${randDigits(8)}`); // Twitter's suggested default
  if (r < 0.7) return makeHandle(`${n.f}_${n.l[0]}${RI(70, 2005)}`);
  if (r < 0.8) return makeHandle(`${pick(HANDLE_WORDS)}_${n.f}`);
  if (r < 0.9) return makeHandle(`${n.f}${pick(HANDLE_WORDS)}${RI(1, 999)}`);
  return makeHandle(`${cap(n.f)}${n.l[0].toUpperCase()}`);
}
function displayName(lang, n) {
  const r = rnd();
  if (lang === "fa" && r < 0.6)
    return `${n.fs} ${chance(0.7) ? n.ls : ""}`.trim() + (chance(0.1) ? " 🕊" : "");
  if (lang === "ar" && r < 0.7)
    return `${n.fs} ${chance(0.7) ? n.ls : ""}`.trim() + (chance(0.1) ? " 🇸🇦" : "");
  if (r < 0.8) return `${cap(n.f)} ${cap(n.l)}`;
  if (r < 0.9) return cap(n.f) + " " + pick(EMOJI);
  return cap(n.f);
}
const BIO = {
  en: [
    "Dad. Runner. Coffee addict.",
    "Views my own.",
    "Journalist",
    "Software engineer",
    "Teacher | Reader",
    "Football fan",
    "Nurse",
    "Photographer 📷",
    "Student",
    "Living my best life",
    "Mom of 2",
    "Proud veteran",
    "Retired",
    "Music is life 🎶",
    "Foodie",
    "Gamer",
    "Lawyer",
    "Activist",
    "Travel ✈️",
  ],
  fa: [
    "دانشجو",
    "عاشق کتاب",
    "مهندس نرم‌افزار",
    "زن زندگی آزادی",
    "معلم",
    "عکاس",
    "پرسپولیسی",
    "استقلالی",
    "روزنامه‌نگار",
    "دلتنگ ایران",
    "پزشک",
    "موسیقی",
    "آزادی",
  ],
  ar: [
    "طالب",
    "مهندس",
    "هلالي 💙",
    "نصراوي 💛",
    "اللهم ارحم أبي",
    "معلمة",
    "مصور",
    "صحفي",
    "محب للخير",
    "سبحان الله وبحمده",
    "طبيب",
    "رحالة",
  ],
};
const bioFor = (lang) => (chance(0.25) ? "" : sampleK(BIO[lang], RI(1, 3)).join(" | "));
const BASE_PROF = [
  0.35, 0.2, 0.1, 0.06, 0.05, 0.07, 0.15, 0.35, 0.6, 0.8, 0.9, 0.95, 1, 0.95, 0.9, 0.9, 0.95, 1, 1.05, 1.15,
  1.25, 1.3, 1.15, 0.7,
];
function makeProfile(shift) {
  const p = new Float64Array(24);
  let mx = 0;
  for (let h = 0; h < 24; h++) {
    p[h] = BASE_PROF[(h - shift + 240) % 24] * (0.6 + 0.8 * rnd());
    mx = Math.max(mx, p[h]);
  }
  for (let h = 0; h < 24; h++) p[h] /= mx;
  return p;
}
const TZ = {
  en: [
    [-300, 3],
    [-240, 2],
    [-360, 2],
    [-420, 1.5],
    [0, 2],
    [60, 2],
    [120, 0.7],
    [330, 1.5],
    [300, 0.5],
    [600, 0.4],
  ],
  fa: [
    [210, 7],
    [60, 1],
    [0, 0.7],
    [-300, 0.6],
    [-420, 0.5],
    [240, 0.3],
  ],
  ar: [
    [180, 4],
    [240, 2],
    [120, 2.5],
    [60, 0.6],
    [0, 0.4],
    [-300, 0.3],
  ],
};
const tzPickers = {};
for (const l in TZ)
  tzPickers[l] = new Weighted(
    TZ[l].map((x) => x[0]),
    TZ[l].map((x) => x[1]),
  );
const CLIENTS = {
  en: new Weighted(
    ["Twitter for iPhone", "Twitter for Android", "Twitter Web App", "Twitter for iPad"],
    [45, 30, 22, 3],
  ),
  fa: new Weighted(["Twitter for Android", "Twitter for iPhone", "Twitter Web App"], [60, 25, 15]),
  ar: new Weighted(["Twitter for iPhone", "Twitter for Android", "Twitter Web App"], [55, 35, 10]),
};
function randomCreated() {
  // accounts created 2008..2024-02, more recent more frequent
  const y0 = Date.UTC(2008, 0, 1),
    y1 = T0 - 20 * DAY;
  return y0 + Math.pow(rnd(), 0.7) * (y1 - y0);
}
function newAccount(o = {}) {
  const lang = o.lang ?? pick(["en", "en", "en", "en", "en", "fa", "fa", "fa", "ar", "ar"]);
  const n = personName(lang);
  const created = Math.floor(o.created ?? randomCreated());
  const acc = {
    idx: accounts.length,
    id: userId(created),
    handle: o.handle ? makeHandle(o.handle) : handleFor(n, o.style),
    name: o.name ?? displayName(lang, n),
    lang,
    tz: o.tz ?? tzPickers[lang].pick(),
    created,
    bio: o.bio ?? bioFor(lang),
    w: o.w ?? Math.min(60, logn(1, 1.25)),
    kind: o.kind ?? "organic",
    client: o.client ?? CLIENTS[lang].pick(),
    followers: o.followers ?? Math.round(logn(120, 1.6)),
    following: o.following ?? Math.round(logn(250, 1.0)),
    n: 0,
    traps: new Set(),
  };
  acc.prof = o.prof ?? makeProfile(chance(0.12) ? RI(3, 6) : RI(-2, 2));
  accounts.push(acc);
  handleToAcc.set(acc.handle, acc);
  return acc;
}
const localHour = (acc, t) => Math.floor((((t / HOUR + acc.tz / 60) % 24) + 24) % 24);
const awake = (acc, t) => acc.prof[localHour(acc, t)];
function sampleTime(acc, lo, hi) {
  let t = U(lo, hi);
  for (let i = 0; i < 30; i++) {
    if (chance(awake(acc, t))) return t;
    t = U(lo, hi);
  }
  return t;
}

// ---------------------------------------------------------------- posts
const posts = [];
const tweetIds = new Set();
function tweetId(ts) {
  for (;;) {
    const id = (
      ((BigInt(Math.floor(ts)) - EPOCH_TW) << 22n) |
      BigInt(Math.floor(rnd() * 4194304))
    ).toString();
    if (!tweetIds.has(id)) {
      tweetIds.add(id);
      return id;
    }
  }
}
const tco = () => "https://t.co/" + randStr(10);
function addPost(acc, ts, o = {}) {
  ts = Math.round(ts);
  if (!(ts >= T0 && ts < T1) || ts < acc.created + HOUR) return null;
  const urls = o.urls ?? [];
  const tags = o.tags ?? [];
  let text = o.text ?? "";
  if (!o.rawText) {
    for (const t of tags) if (!text.includes("#" + t)) text += " #" + t;
    for (let k = 0; k < urls.length; k++) text += " " + tco();
  }
  const p = {
    id: tweetId(ts),
    a: acc,
    ts,
    text: text.trim(),
    urls,
    tags,
    ments: o.ments ?? [],
    rp: null,
    rt: null,
    client: o.client ?? acc.client,
    cat: o.cat ?? "misc",
  };
  posts.push(p);
  acc.n++;
  return p;
}
function doRepost(acc, orig, ts, cat) {
  if (!orig) return null;
  if (orig.rp) orig = orig.rp;
  if (orig.a === acc) return null;
  if (ts <= orig.ts + 2000) ts = orig.ts + 2000 + rnd() * 3000;
  const p = addPost(acc, ts, {
    text: Array.from(`RT @${orig.a.handle}: ${orig.text}`).slice(0, 280).join(""),
    urls: orig.urls,
    tags: orig.tags,
    ments: [orig.a.handle, ...orig.ments.filter((m) => m !== orig.a.handle)],
    rawText: true,
    cat,
  });
  if (p) p.rp = orig;
  return p;
}
const REPLY_SHORT = {
  en: [
    "😍😍",
    "Love this!",
    "So true",
    "Facts",
    "This!!",
    "❤️❤️❤️",
    "Agreed",
    "lol",
    "Legend",
    "Congrats!",
    "No way",
    "Exactly",
    "💯",
    "Well said",
    "haha",
    "Yes!!",
  ],
  fa: [
    "قربونت برم",
    "دقیقا",
    "عالی بود",
    "❤️❤️",
    "حق",
    "آفرین",
    "موافقم",
    "خیلی خوب",
    "دمت گرم",
    "😂😂",
    "ایول",
  ],
  ar: [
    "صح لسانك",
    "الله يعطيك العافية",
    "ما شاء الله",
    "❤️❤️",
    "صدقت",
    "أحسنت",
    "كلام جميل",
    "😂😂",
    "تبارك الله",
    "يا سلام",
  ],
};
function doReply(acc, orig, ts, text, cat) {
  if (!orig || orig.a === acc) return null;
  if (ts <= orig.ts + 5000) ts = orig.ts + 5000 + rnd() * 20000;
  const p = addPost(acc, ts, {
    text: `@${orig.a.handle} ${text ?? (chance(0.5) ? pick(REPLY_SHORT[acc.lang]) : sentence(acc.lang))}`,
    ments: [orig.a.handle],
    cat,
  });
  if (p) p.rt = orig;
  return p;
}

// ---------------------------------------------------------------- domains & urls
const MAJOR = [
  ["youtube.com", "any", 40, "yt"],
  ["instagram.com", "any", 8, "ig"],
  ["twitter.com", "any", 5, "tw"],
  ["tiktok.com", "any", 4, "tt"],
  ["nytimes.com", "en", 6],
  ["cnn.com", "en", 6],
  ["bbc.com", "any", 9],
  ["theguardian.com", "en", 5],
  ["washingtonpost.com", "en", 4],
  ["foxnews.com", "en", 4],
  ["reuters.com", "any", 5],
  ["apnews.com", "en", 4],
  ["bloomberg.com", "en", 2.5],
  ["npr.org", "en", 2],
  ["nbcnews.com", "en", 2.5],
  ["politico.com", "en", 2],
  ["axios.com", "en", 1.5],
  ["reddit.com", "en", 3],
  ["en.wikipedia.org", "en", 2, "wiki"],
  ["medium.com", "en", 1.5],
  ["open.spotify.com", "any", 2, "sp"],
  ["amazon.com", "en", 1],
  ["github.com", "en", 0.8],
  ["espn.com", "en", 1.5],
  ["iranintl.com", "fa", 6],
  ["radiofarda.com", "fa", 3],
  ["manototv.com", "fa", 1.5],
  ["isna.ir", "fa", 2],
  ["irna.ir", "fa", 2],
  ["tasnimnews.com", "fa", 2],
  ["farsnews.ir", "fa", 1.5],
  ["khabaronline.ir", "fa", 2],
  ["hamshahrionline.ir", "fa", 1],
  ["parsi.euronews.com", "fa", 1],
  ["aparat.com", "fa", 2, "ap"],
  ["virgool.io", "fa", 1],
  ["t.me", "any", 3, "tg"],
  ["entekhab.ir", "fa", 1],
  ["independentpersian.com", "fa", 1.5],
  ["aljazeera.net", "ar", 5],
  ["alarabiya.net", "ar", 4],
  ["skynewsarabia.com", "ar", 3],
  ["independentarabia.com", "ar", 1.5],
  ["asharq.com", "ar", 1.5],
  ["youm7.com", "ar", 2],
  ["masrawy.com", "ar", 1],
  ["sabq.org", "ar", 2],
  ["okaz.com.sa", "ar", 1.5],
  ["alriyadh.com", "ar", 1.2],
  ["arabic.cnn.com", "ar", 1],
  ["arabic.rt.com", "ar", 1],
  ["alqabas.com", "ar", 0.8],
  ["annahar.com", "ar", 0.8],
  ["mawdoo3.com", "ar", 0.8],
];
const TLDS = [
  ".com",
  ".com",
  ".com",
  ".net",
  ".org",
  ".info",
  ".io",
  ".co",
  ".blog",
  ".ir",
  ".me",
  ".co.uk",
  ".news",
  ".online",
];
const domains = MAJOR.map(([d, lang, w, kind]) => ({ d, lang, w, kind: kind ?? "news", boost: 1 + w / 8 }));
const usedDomain = new Set(domains.map((x) => x.d));
for (let i = 0; i < sc(1500); i++) {
  let d;
  do {
    d =
      pick(HANDLE_WORDS.concat(SLUG_WORDS)) +
      (chance(0.5) ? pick(SLUG_WORDS) : "") +
      (chance(0.2) ? RI(1, 99) : "") +
      pick(TLDS);
  } while (usedDomain.has(d));
  usedDomain.add(d);
  domains.push({
    d: chance(0.3) ? "www." + d : d,
    lang: pick(["en", "en", "en", "fa", "ar", "any"]),
    w: 2.5 / Math.pow(i + 2, 0.85),
    kind: "blog",
    boost: 1,
  });
}
const domPicker = new Weighted(
  domains,
  domains.map((x) => x.w),
);
function articleUrl(dom, pub) {
  const dt = new Date(pub);
  const y = dt.getUTCFullYear(),
    m = String(dt.getUTCMonth() + 1).padStart(2, "0"),
    dd = String(dt.getUTCDate()).padStart(2, "0");
  switch (dom.kind) {
    case "yt":
      return `https://www.youtube.com/watch?v=${randStr(11, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")}`;
    case "ig":
      return `https://www.instagram.com/p/${randStr(11)}/`;
    case "tw":
      return `https://twitter.com/${pick(accounts).handle}/status/${tweetId(pub - RI(1, 1e6))}`;
    case "tt":
      return `https://www.tiktok.com/@${pick(accounts).handle.toLowerCase()}/video/${randDigits(19)}`;
    case "wiki":
      return `https://en.wikipedia.org/wiki/${cap(pick(SLUG_WORDS))}_${cap(pick(SLUG_WORDS))}`;
    case "sp":
      return `https://open.spotify.com/track/${randStr(22)}`;
    case "ap":
      return `https://www.aparat.com/v/${randStr(7)}`;
    case "tg":
      return `https://t.me/${pick(HANDLE_WORDS)}${pick(SLUG_WORDS)}/${RI(100, 90000)}`;
    default: {
      const host = dom.d.split(".").length === 2 && chance(0.7) ? "www." + dom.d : dom.d;
      if (dom.lang === "fa" && dom.kind === "news")
        return `https://${host}/news/${RI(1000000, 9999999)}/${slug()}`;
      if (dom.lang === "ar" && dom.kind === "news")
        return `https://${host}/${pick(["news", "article", "politics", "sport", "economy"])}/${y}/${m}/${dd}/${slug()}`;
      if (dom.kind === "blog")
        return `https://${host}/${chance(0.5) ? `${y}/${m}/` : ""}${slug()}${chance(0.3) ? "/" : ""}`;
      return `https://${host}/${pick(["world", "us", "politics", "business", "tech", "sport", "culture", "news"])}/${y}/${m}/${dd}/${slug()}${chance(0.3) ? ".html" : ""}`;
    }
  }
}
// how an ordinary user's copy of a link looks (share buttons, mobile versions, ...)
function organicVariant(url) {
  const r = rnd();
  if (url.includes("youtube.com/watch")) {
    const id = url.split("v=")[1];
    if (r < 0.3) return `https://youtu.be/${id}`;
    if (r < 0.4) return `https://youtu.be/${id}?si=${randStr(16)}`;
    if (r < 0.5) return `https://m.youtube.com/watch?v=${id}`;
    if (r < 0.55) return `${url}&t=${RI(5, 600)}s`;
    return url;
  }
  if (r < 0.1)
    return (
      url +
      (url.includes("?") ? "&" : "?") +
      `utm_source=twitter&utm_medium=social&utm_campaign=${pick(["share", "sharebar", "echobox", "socialflow"])}`
    );
  if (r < 0.13) return url + (url.includes("?") ? "&" : "?") + "amp=1";
  if (r < 0.16) return url + (url.includes("?") ? "&" : "?") + "s=" + RI(1, 21);
  return url;
}
const articles = [];

// ---------------------------------------------------------------- populations
const N_ORG = Math.round(TARGET / 15);
const ordinary = [];
for (let i = 0; i < N_ORG; i++) ordinary.push(newAccount());
// organic creation burst: newcomers who joined after a news event three weeks before the period
const newcomers = [];
const ncBase = T0 - 20 * DAY;
for (let i = 0; i < sc(400); i++) {
  const a = newAccount({
    lang: chance(0.7) ? "fa" : "en",
    created: ncBase + rnd() * 3 * DAY,
    style: chance(0.5) ? 0.5 : undefined,
    w: logn(0.7, 1.0),
    followers: Math.round(logn(15, 1.2)),
    bio: chance(0.6) ? "" : undefined,
  });
  a.traps.add("newcomers");
  ordinary.push(a);
  newcomers.push(a);
}
// hyperactive accounts
const hyper = [];
for (let i = 0; i < sc(18); i++) {
  const a = ordinary[RI(0, ordinary.length - 1)];
  if (a.traps.size) continue;
  a.w = U(120, 450);
  a.traps.add("hyperactive");
  a.prof = makeProfile(RI(-2, 3)).map((x) => 0.4 + 0.6 * x);
  hyper.push(a);
}
function buildPickers() {
  const P = {
    any: new Weighted(
      ordinary,
      ordinary.map((a) => a.w),
    ),
  };
  for (const l of ["en", "fa", "ar"]) {
    const xs = ordinary.filter((a) => a.lang === l);
    P[l] = new Weighted(
      xs,
      xs.map((a) => a.w),
    );
  }
  return P;
}
const P = buildPickers();
const pickSharer = (lang) => (lang === "any" || chance(0.15) ? P.any : P[lang]).pick();
function pickAwake(lang, t, tries = 12) {
  let a;
  for (let i = 0; i < tries; i++) {
    a = pickSharer(lang);
    if (chance(awake(a, t))) return a;
  }
  return a;
}
const byLang = {
  en: ordinary.filter((a) => a.lang === "en"),
  fa: ordinary.filter((a) => a.lang === "fa"),
  ar: ordinary.filter((a) => a.lang === "ar"),
};

const trap = {}; // name -> Set(acc)
const addTrap = (name, acc) => {
  (trap[name] ??= new Set()).add(acc);
  acc.traps.add(name);
};
for (const a of newcomers) addTrap("newcomers", a);
for (const a of hyper) addTrap("hyperactive", a);

// ---------------------------------------------------------------- news outlets (syndication) and wire aggregators
const OUTLET_DEFS = [
  ["nytimes.com", "en", "nytimes", ["NYTWorld", "nytpolitics"]],
  ["cnn.com", "en", "CNN", ["cnnbrk", "CNNPolitics"]],
  ["bbc.com", "en", "BBCWorld", ["BBCBreaking"]],
  ["theguardian.com", "en", "guardian", ["guardiannews"]],
  ["washingtonpost.com", "en", "washingtonpost", []],
  ["foxnews.com", "en", "FoxNews", ["foxnewsalert"]],
  ["reuters.com", "en", "Reuters", ["ReutersWorld", "ReutersBiz"]],
  ["apnews.com", "en", "AP", ["AP_Politics"]],
  ["npr.org", "en", "NPR", []],
  ["nbcnews.com", "en", "NBCNews", []],
  ["politico.com", "en", "politico", []],
  ["espn.com", "en", "espn", ["SportsCenter"]],
  ["iranintl.com", "fa", "IranIntl", ["IranIntl_En", "iranintltv"]],
  ["radiofarda.com", "fa", "RadioFarda_", []],
  ["isna.ir", "fa", "isna_farsi", []],
  ["irna.ir", "fa", "IRNA_1313", []],
  ["tasnimnews.com", "fa", "Tasnimnews_Fa", ["TasnimNews_EN"]],
  ["khabaronline.ir", "fa", "khabaronline_ir", []],
  ["independentpersian.com", "fa", "indypersian", []],
  ["manototv.com", "fa", "manototv", []],
  ["aljazeera.net", "ar", "AJArabic", ["AJABreaking", "AJArabicnet"]],
  ["alarabiya.net", "ar", "AlArabiya", ["AlArabiya_Brk"]],
  ["skynewsarabia.com", "ar", "skynewsarabia", ["SkyNewsArabia_B"]],
  ["youm7.com", "ar", "youm7", []],
  ["sabq.org", "ar", "sabqorg", []],
  ["okaz.com.sa", "ar", "OKAZ_online", []],
  ["independentarabia.com", "ar", "indyarabia", []],
  ["asharq.com", "ar", "AsharqNews", []],
];
const outlets = [];
for (const [d, lang, main, subs] of OUTLET_DEFS) {
  const dom = domains.find((x) => x.d === d);
  const tz = lang === "fa" ? 210 : lang === "ar" ? 180 : chance(0.5) ? -300 : 0;
  const client = pick(["SocialFlow", "dlvr.it", "Twitter Web App", "Echobox", "WordPress.com", "TweetDeck"]);
  const mk = (h, isMain) =>
    newAccount({
      lang,
      handle: h,
      name: h.replace(/_/g, " "),
      created: Date.UTC(2008 + RI(0, 5), RI(0, 11), RI(1, 28)),
      kind: "news",
      w: 0,
      client,
      followers: Math.round(logn(isMain ? 2e6 : 3e5, 0.8)),
      following: RI(5, 900),
      bio: `Official account of ${d}`,
      tz,
      prof: makeProfile(0).map((x) => 0.3 + 0.7 * x),
    });
  const o = {
    dom,
    lang,
    main: mk(main, true),
    subs: subs.map((h) => mk(h, false)),
    rate: U(8, 28),
    schedule: chance(0.35) ? RI(1, 2) * 15 : 0,
    posts: [],
  };
  outlets.push(o);
  for (const a of [o.main, ...o.subs]) addTrap("newsOutlets", a);
}
const HEADLINE = {
  en: () => {
    const s = slug().split("-").slice(0, RI(5, 9)).join(" ");
    return cap(s);
  },
  fa: () =>
    sentence("fa")
      .replace(/[😔😂💔🙏!؟.]/gu, "")
      .trim(),
  ar: () =>
    sentence("ar")
      .replace(/[😂🤲💔🌙!؟.]/gu, "")
      .trim(),
};
// outlet posting
for (const o of outlets) {
  const nposts = Math.round(o.rate * DAYS * S);
  for (let i = 0; i < nposts; i++) {
    let t = sampleTime(o.main, T0, T1);
    if (o.schedule) t = Math.floor(t / (o.schedule * MIN)) * o.schedule * MIN + RI(0, 4000); // RSS schedule on the clock
    const url = articleUrl(o.dom, t);
    const head = HEADLINE[o.lang]();
    const art = { url, dom: o.dom, lang: o.lang, pub: t, pop: logn(2, 1.2) * (o.dom.boost / 2) };
    articles.push(art);
    const p = addPost(o.main, t, { text: head, urls: [url], cat: "news" });
    if (p) {
      o.posts.push(p);
      art.root = p;
    }
    for (const s of o.subs)
      if (chance(0.45)) {
        // same CMS push, seconds later
        const q = addPost(s, t + RI(0, 40) * 1000 + rnd() * 999, {
          text: chance(0.7) ? head : (o.lang === "en" ? "BREAKING: " : "") + head,
          urls: [chance(0.3) ? url + "?utm_source=twitter&utm_medium=" + s.handle.toLowerCase() : url],
          cat: "news",
        });
        if (q) o.posts.push(q);
      }
  }
}
// wire aggregators: different services re-posting the same wire story links within minutes
const wireAgg = [];
const AGG_NAMES = [
  "WorldNewsWire",
  "BreakingAlerts",
  "NewsNowLive",
  "GlobalHeadlines",
  "HeadlineFeed",
  "NewsDeskAuto",
  "TopStoriesNow",
  "InstaNewsBot",
  "WireUpdates",
  "LatestWorld",
  "DailyBrief24",
  "NewsRadar",
];
for (let i = 0; i < 11; i++) {
  const a = newAccount({
    lang: "en",
    handle: AGG_NAMES[i],
    name: AGG_NAMES[i].replace(/([a-z])([A-Z])/g, "$1 $2"),
    kind: "wire",
    w: 0,
    client: pick(["IFTTT", "dlvr.it", "Zapier.com", "twittbot.net", "Buffer"]),
    followers: Math.round(logn(8000, 1)),
    bio: "Automated news headlines",
    prof: new Float64Array(24).fill(1),
  });
  a.poll = RI(1, 10) * 60 * SEC;
  a.lat = RI(5, 90) * SEC;
  a.prob = U(0.35, 0.9);
  wireAgg.push(a);
  addTrap("wireAggregators", a);
}
const wireDoms = ["reuters.com", "apnews.com"].map((d) => domains.find((x) => x.d === d));
for (let i = 0; i < sc(260); i++) {
  const t0 = U(T0, T1);
  const dom = pick(wireDoms);
  const url = articleUrl(dom, t0);
  const head = HEADLINE.en();
  articles.push({ url, dom, lang: "en", pub: t0, pop: 3 });
  for (const a of wireAgg)
    if (chance(a.prob)) {
      const t = Math.ceil((t0 + a.lat) / a.poll) * a.poll + RI(0, 20000);
      addPost(a, t, {
        text: chance(0.5) ? head : head + " - " + (dom.d === "reuters.com" ? "Reuters" : "AP News"),
        urls: [url],
        cat: "wire",
      });
    }
}
// organic readers reposting outlet posts (news junkies with notifications on: fast)
for (const o of outlets)
  for (const p of o.posts) {
    const k = poisson(0.45);
    for (let j = 0; j < k; j++) doRepost(pickSharer(o.lang), p, p.ts + logn(40 * MIN, 1.5), "newsRT");
    for (const h of hyper) if (chance(0.007)) doRepost(h, p, p.ts + 20 * SEC + logn(60 * SEC, 1), "hyperRT");
  }

// ---------------------------------------------------------------- celebrities, superfans, fan hubs
const celebs = [];
const celebPosts = [];
for (let i = 0; i < 40; i++) {
  const mega = i < 10;
  const lang = pick(["en", "en", "fa", "fa", "ar"]);
  const c = newAccount({
    lang,
    kind: "celeb",
    w: 0,
    followers: Math.round(logn(mega ? 3e6 : 2e5, 0.7)),
    client: "Twitter for iPhone",
    style: 0.1,
    created: Date.UTC(2009 + RI(0, 4), RI(0, 11), RI(1, 28)),
  });
  addTrap("celebrities", c);
  const pool = byLang[lang];
  const nf = sc(mega ? RI(600, 1500) : RI(100, 400));
  c.fans = sampleK(pool, nf);
  c.superfans = c.fans.slice(0, Math.max(3, Math.round(nf * (mega ? U(0.05, 0.09) : U(0.06, 0.12)))));
  for (const h of hyper) if (chance(0.3)) c.superfans.push(h);
  for (const f of c.superfans) addTrap("celebrityFans", f);
  c.mega = mega;
  celebs.push(c);
}
for (const c of celebs) {
  const n = Math.round((c.mega ? U(2, 4) : U(0.8, 2)) * DAYS);
  const sfP = U(0.2, 0.4);
  for (let i = 0; i < n; i++) {
    const t = sampleTime(c, T0, T1);
    let urls = [];
    if (chance(0.15)) {
      const dom = chance(0.5) ? domains[0] : domains[1];
      urls = [articleUrl(dom, t)];
    }
    const p = addPost(c, t, {
      text: sentence(c.lang),
      urls,
      tags: chance(0.2) ? [tagPickers[c.lang].pick()] : [],
      cat: "celeb",
    });
    if (!p) continue;
    celebPosts.push(p);
    for (const f of c.superfans) {
      if (chance(f.traps.has("hyperactive") ? 0.3 : sfP))
        doRepost(f, p, t + 15 * SEC + logn(120 * SEC, 0.7), "fanRT");
      else if (chance(0.05)) doReply(f, p, t + logn(4 * MIN, 0.8), undefined, "fanReply");
    }
    const kf = poisson(c.fans.length * 0.004);
    for (let j = 0; j < kf; j++) doRepost(pick(c.fans), p, t + logn(90 * MIN, 1.3), "fanRT");
    const kr = poisson(c.fans.length * 0.002 + 1);
    for (let j = 0; j < kr; j++) doReply(pick(c.fans), p, t + logn(30 * MIN, 1.3), undefined, "fanReply");
  }
}
// fan hub accounts (stan "updates" accounts) that repost each other and get reposted by superfans
for (const c of celebs.filter((x) => x.mega).slice(0, 3)) {
  const hubs = [];
  for (let i = 0; i < RI(5, 8); i++) {
    const h = newAccount({
      lang: c.lang,
      handle: `${c.handle.slice(0, 8)}${pick(["_updates", "daily", "_fans", "news", "_hq", "nation", "media"])}`,
      kind: "organic",
      w: 2,
      followers: Math.round(logn(20000, 0.8)),
    });
    hubs.push(h);
    addTrap("fanHubs", h);
  }
  for (const h of hubs) {
    const n = Math.round(U(2, 5) * DAYS * S);
    for (let i = 0; i < n; i++) {
      const t = sampleTime(h, T0, T1);
      const p = addPost(h, t, {
        text: sentence(c.lang),
        ments: chance(0.5) ? [c.handle] : [],
        tags: chance(0.3) ? [c.handle.toLowerCase()] : [],
        urls: chance(0.3) ? [articleUrl(domains[1], t)] : [],
        cat: "hub",
      });
      if (!p) continue;
      for (const o of hubs)
        if (o !== h && chance(0.25)) doRepost(o, p, t + 30 * SEC + logn(3 * MIN, 0.9), "hubRT");
      for (const f of c.superfans) if (chance(0.02)) doRepost(f, p, t + logn(6 * MIN, 0.9), "hubRT");
    }
    // hubs also repost the idol instantly
  }
  for (const p of celebPosts.filter((x) => x.a === c))
    for (const h of hubs) if (chance(0.8)) doRepost(h, p, p.ts + 10 * SEC + logn(50 * SEC, 0.7), "hubRT");
}

// ---------------------------------------------------------------- viral events (breaking news)
const VIRAL = [];
const nViral = RI(7, 10);
for (let i = 0; i < nViral; i++) {
  const lang = pick(["en", "en", "fa", "fa", "ar"]);
  const outs = outlets.filter((o) => o.lang === lang);
  const o = pick(outs),
    o2 = pick(outs);
  const t0 = U(T0 + DAY, T1 - DAY);
  const url = articleUrl(o.dom, t0),
    url2 = articleUrl(o2.dom, t0 + RI(2, 10) * MIN);
  articles.push({ url, dom: o.dom, lang, pub: t0, pop: 40 });
  const tag =
    lang === "en"
      ? pick(["BreakingNews", "Earthquake", "Shooting", "Explosion", "Blackout", "Breaking"]) + RI(1, 9)
      : lang === "fa"
        ? pick(["زلزله", "انفجار", "فوری", "خبر_فوری", "آتش_سوزی"]) +
          "_" +
          pick(["تهران", "کرمان", "شیراز", "مشهد", "اصفهان"])
        : pick(["عاجل", "زلزال", "انفجار"]) + "_" + pick(["الرياض", "القاهرة", "بيروت", "دبي"]);
  const root = addPost(o.main, t0, {
    text: (lang === "en" ? "BREAKING: " : lang === "fa" ? "فوری: " : "عاجل: ") + HEADLINE[lang](),
    urls: [url],
    tags: [tag],
    cat: "viral",
  });
  const nShare = sc(RI(1000, 3000)),
    nRT = sc(RI(500, 1500));
  const seen = new Set();
  for (let j = 0; j < nShare; j++) {
    const d = chance(0.85) ? logn(7 * MIN, 0.75) : logn(3 * HOUR, 1.2);
    const a = pickAwake(lang, t0 + d);
    if (seen.has(a)) continue;
    seen.add(a);
    addTrap("viralEvent", a);
    const u = chance(0.8) ? url : url2;
    addPost(a, t0 + d, {
      text: chance(0.3) ? HEADLINE[lang]() : sentence(lang),
      urls: [organicVariant(u)],
      tags: chance(0.5) ? [tag] : [],
      cat: "viral",
    });
  }
  for (let j = 0; j < nRT; j++) {
    const d = chance(0.85) ? 20 * SEC + logn(4 * MIN, 0.8) : logn(2 * HOUR, 1.2);
    const a = pickAwake(lang, t0 + d);
    addTrap("viralEvent", a);
    doRepost(a, root, t0 + d, "viralRT");
  }
  VIRAL.push({ lang, t0, url, tag });
}

// ---------------------------------------------------------------- trending hashtags, twitter storms
const trends = [];
const TREND_EN = [
  "SuperTuesday",
  "MarchMadness",
  "Oscars2024",
  "TaylorSwift",
  "WWE",
  "EclipseDay",
  "BaltimoreBridge",
  "ChampionsLeague",
  "GameOfThrones",
  "AprilFools",
  "TikTokBan",
  "ElClasico",
  "WrestleMania",
  "Dune2",
  "iPhone16",
];
const TREND_FA = [
  "پرسپولیس_استقلال",
  "چهارشنبه_سوری",
  "سیزده_بدر",
  "نه_به_حجاب_اجباری",
  "قطعی_اینترنت",
  "گرانی",
  "کنسرت",
  "آزادی_بیان",
  "تحریم",
  "شب_قدر",
];
const TREND_AR = [
  "ليلة_القدر",
  "الهلال_النصر",
  "رمضان_يجمعنا",
  "زكاة_الفطر",
  "غزة",
  "مسلسلات_رمضان",
  "العشر_الأواخر",
  "دوري_روشن",
];
const nTrends = sc(RI(18, 24));
for (let i = 0; i < nTrends; i++) {
  const lang = pick(["en", "en", "fa", "ar"]);
  const tag = pick(lang === "en" ? TREND_EN : lang === "fa" ? TREND_FA : TREND_AR);
  const t0 = U(T0, T1 - 6 * HOUR);
  const dur = U(1.5, 6) * HOUR;
  const n = Math.round(logn(600, 0.6) * S);
  trends.push({ tag, t0, t1: t0 + dur * 2, lang });
  for (let j = 0; j < n; j++) {
    const d = Math.min(expo(dur / 2) + expo(dur / 4), 30 * HOUR);
    const a = pickAwake(lang, t0 + d);
    addTrap("trendingHashtag", a);
    const k = chance(0.2) ? RI(2, 4) : 1;
    for (let q = 0; q < k; q++)
      addPost(a, t0 + d + q * logn(15 * MIN, 1), {
        text: sentence(lang),
        tags: chance(0.2) ? [tag, tagPickers[lang].pick()] : [tag],
        cat: "trend",
      });
  }
}
// twitter storms: an organised, open, organic call to tweet a hashtag at a fixed time, with suggested texts
const STORM_TEXTS = {
  fa: [
    "صدای مردم ایران باشید",
    "ما فراموش نمی‌کنیم",
    "آزادی حق ماست",
    "اعدام نکنید",
    "زندانیان سیاسی را آزاد کنید",
    "جهان صدای ما را بشنود",
    "ما یک صدا هستیم",
    "برای آزادی",
  ],
  en: [
    "Stand with the people of Iran",
    "We will not forget",
    "Free all political prisoners",
    "Stop the executions now",
    "The world must listen",
    "Justice for the victims",
    "Say their names",
  ],
};
const storms = [];
for (let i = 0; i < RI(2, 4); i++) {
  const tag =
    pick([
      "FreeIranNow",
      "StopExecutionsInIran",
      "MahsaAmini",
      "IranRevolution",
      "WomanLifeFreedom",
      "نه_به_اعدام",
      "آزادی_زندانیان_سیاسی",
      "توئیت_استورم",
    ]) + (chance(0.5) ? "" : String(RI(1, 9)));
  const day = RI(1, DAYS - 2);
  const t0 = T0 + day * DAY + (20 * HOUR - 210 * MIN) + pick([0, 30, 60, 90]) * MIN; // 20:00-21:30 Tehran
  storms.push({ tag, t0 });
  const n = sc(RI(700, 1800));
  const suggested = [...sampleK(STORM_TEXTS.fa, 4), ...sampleK(STORM_TEXTS.en, 3)];
  for (let j = 0; j < n; j++) {
    const lang = chance(0.7) ? "fa" : "en";
    const a = pickSharer(lang);
    addTrap("twitterStorm", a);
    const k = chance(0.3) ? RI(2, 4) : 1;
    let t = t0 + (chance(0.1) ? rnd() * 4 * SEC : logn(4 * MIN, 0.9));
    for (let q = 0; q < k; q++) {
      const txt = chance(0.4) ? pick(suggested) : sentence(a.lang);
      addPost(a, t, {
        text: txt,
        tags: chance(0.3) ? [tag, pick(["Iran", "ایران", "MahsaAmini", "IranProtests"])] : [tag],
        ments: chance(0.1) ? [pick(outlets).main.handle] : [],
        cat: "storm",
      });
      t += logn(3 * MIN, 0.8);
    }
  }
}

// ---------------------------------------------------------------- greetings (Nowruz, Eid al-Fitr)
const NOWRUZ_T = [
  "سال نو مبارک",
  "نوروزتان پیروز",
  "سال نو مبارک 🌱",
  "عید همگی مبارک",
  "نوروز ۱۴۰۳ مبارک",
  "سال خوبی داشته باشید",
  "Happy Nowruz!",
  "Happy Persian New Year 🌸",
  "نوروزتون مبارک ❤️",
  "سال نو مبارک باد",
];
for (const a of byLang.fa.concat(sampleK(byLang.en, sc(800))))
  if (chance(a.lang === "fa" ? 0.22 : 0.1)) {
    const d = chance(0.3) ? logn(70 * SEC, 0.8) : logn(3 * HOUR, 1);
    addTrap("greetings", a);
    addPost(a, NOWRUZ + d, {
      text: pick(NOWRUZ_T),
      tags: chance(0.5) ? [pick(["نوروز", "Nowruz", "نوروز_۱۴۰۳"])] : [],
      cat: "greet",
    });
  }
const EID_T = [
  "عيد مبارك",
  "كل عام وأنتم بخير",
  "عيدكم مبارك",
  "تقبل الله منا ومنكم",
  "عساكم من عواده",
  "عيد فطر سعيد",
  "كل عام وانتم بخير 🌙",
  "Eid Mubarak!",
];
for (const a of byLang.ar.concat(sampleK(byLang.en, sc(600))))
  if (chance(a.lang === "ar" ? 0.28 : 0.1)) {
    const local = EID - a.tz * MIN + 6.5 * HOUR + logn(2 * HOUR, 0.8);
    addTrap("greetings", a);
    addPost(a, local, {
      text: pick(EID_T),
      tags: chance(0.5) ? [pick(["عيد_الفطر", "عيد_مبارك", "EidMubarak"])] : [],
      cat: "greet",
    });
  }

// ---------------------------------------------------------------- auto-post app (dhikr app posting on its users' behalf)
const appSubs = sampleK(
  byLang.ar.filter((a) => !a.traps.size),
  sc(150),
);
const appDom = "athkar-daily.app";
for (const a of appSubs) addTrap("autoPostApp", a);
const DHIKR = [
  "سبحان الله وبحمده سبحان الله العظيم",
  "اللهم صل وسلم على نبينا محمد",
  "لا إله إلا الله وحده لا شريك له",
  "أستغفر الله العظيم وأتوب إليه",
  "اللهم إنك عفو تحب العفو فاعف عنا",
  "الحمد لله حمدا كثيرا طيبا مباركا فيه",
  "لا حول ولا قوة إلا بالله",
  "حسبي الله لا إله إلا هو عليه توكلت",
  "رب اغفر لي ولوالدي",
  "اللهم بلغنا ليلة القدر",
];
for (let d = 0; d < DAYS; d++)
  for (const hh of [4.5, 12.2, 18.2]) {
    const slot = T0 + d * DAY + (hh - 3) * HOUR + RI(0, 300) * SEC;
    const txt = pick(DHIKR) + " " + pick(["", "🤍", "📿", "🌙"]);
    for (const a of appSubs)
      if (chance(0.22))
        addPost(a, slot + rnd() * 90 * SEC, {
          text: txt + "\n— تطبيق أذكار",
          urls: [`https://${appDom}/`],
          client: "Athkar Daily",
          cat: "app",
        });
  }

// ---------------------------------------------------------------- friends cliques
const cliques = [];
for (let i = 0; i < sc(30); i++) {
  const lang = pick(["en", "en", "fa", "fa", "ar"]);
  const tz = tzPickers[lang].pick();
  const cand = byLang[lang].filter((a) => a.tz === tz && !a.traps.has("hyperactive"));
  const members = sampleK(cand, RI(5, 12));
  if (members.length < 4) continue;
  cliques.push(members);
  for (const m of members) {
    addTrap("friendsCliques", m);
    m.w *= 1.5;
  }
  const nconv = Math.round(U(30, 80));
  for (let c = 0; c < nconv; c++) {
    const poster = pick(members);
    const t = sampleTime(poster, T0, T1);
    let urls = [];
    if (chance(0.35)) {
      const dom = domPicker.pick();
      const url = articleUrl(dom, t);
      urls = [url];
      articles.push({ url, dom, lang, pub: t, pop: 1 });
    }
    const root = addPost(poster, t, {
      text: sentence(lang),
      urls,
      ments: chance(0.4) ? [pick(members).handle].filter((h) => h !== poster.handle) : [],
      tags: chance(0.15) ? [tagPickers[lang].pick()] : [],
      cat: "clique",
    });
    if (!root) continue;
    for (const m of members)
      if (m !== poster) {
        const online = awake(m, t) > 0.5;
        if (online && chance(0.3)) doReply(m, root, t + logn(4 * MIN, 1), undefined, "clique");
        if (online && chance(0.25)) doRepost(m, root, t + logn(3 * MIN, 1), "clique");
        if (urls.length && online && chance(0.2))
          addPost(m, t + logn(8 * MIN, 1), {
            text: sentence(lang),
            urls: [organicVariant(urls[0])],
            ments: [poster.handle],
            cat: "clique",
          });
      }
  }
}

// ---------------------------------------------------------------- article cascades (ordinary link sharing)
const nArt = Math.round(6000 * S);
for (let i = 0; i < nArt; i++) {
  const dom = domPicker.pick();
  const lang = dom.lang;
  const pub = U(T0 - 2 * DAY, T1);
  const url = articleUrl(dom, pub);
  const pop = Math.min(400, logn(1.1, 1.25) * dom.boost);
  articles.push({ url, dom, lang, pub, pop });
  const k = Math.max(1, Math.round(pop));
  for (let j = 0; j < k; j++) {
    const t = pub + logn(100 * MIN, 1.6);
    const a = pickAwake(lang, t);
    const L = a.lang;
    addPost(a, t, {
      text: chance(0.25) ? "" : chance(0.3) ? HEADLINE[L]() : sentence(L),
      urls: [organicVariant(url)],
      tags: chance(0.1) ? [tagPickers[L].pick()] : [],
      cat: "share",
    });
  }
}
const artPicker = new Weighted(
  articles,
  articles.map((a) => a.pop),
);

// ---------------------------------------------------------------- planted campaigns
const campaigns = [];
const CDOM_W1 =
  "truth voice daily news report today free nation watch insight press times post wire front pulse view focus line hub real people".split(
    " ",
  );
const CDOM_TLD = [".com", ".net", ".info", ".online", ".site", ".news", ".org", ".xyz", ".press", ".live"];
const campDomain = () => {
  let d;
  do {
    d = pick(CDOM_W1) + pick(CDOM_W1) + (chance(0.5) ? RI(1, 99) : "") + pick(CDOM_TLD);
  } while (usedDomain.has(d));
  usedDomain.add(d);
  return d;
};
const CTAG = {
  en: () =>
    pick(["Boycott", "Stop", "Expose", "Justice4", "Reject", "Ban"]) +
    pick(["Meridia", "Varden", "Halcor", "Tessaly", "Norvik", "Ostrava", "Kelmar"]) +
    pick(["", "Now", "Lies", "Truth", ""]),
  fa: () =>
    pick(["نه_به_", "افشای_", "حمایت_از_", "تحریم_", "محاکمه_"]) +
    pick(["مذاکره", "سلبریتی_ها", "براندازان", "آشوبگران", "رسانه_های_معاند", "فتنه"]),
  ar: () =>
    pick(["قاطعوا_", "لا_لـ", "افضحوا_", "ادعموا_", "ارفضوا_"]) +
    pick(["الفساد", "المرتزقة", "الخونة", "التطبيع", "الإخوان", "القرار"]),
};
const CCOMMENT = {
  en: [
    "Must read",
    "Shocking",
    "Share this",
    "They don't want you to see this",
    "Read this",
    "Wow",
    "The truth comes out",
    "Spread the word",
    "Everyone needs to see this",
    "Unbelievable",
    "Finally someone says it",
    "",
  ],
  fa: [
    "حتما بخوانید",
    "ببینید",
    "افشاگری",
    "منتشر کنید",
    "این را ببینید",
    "باورنکردنی",
    "حقیقت",
    "همه باید بدانند",
    "",
  ],
  ar: ["اقرأ", "عاجل", "شاهد", "انشر", "الحقيقة", "فضيحة", "للجميع", "لا تفوتكم", ""],
};
const OPS = [
  { tz: 210, off: [5], h: [9, 18] },
  { tz: 210, off: [5], h: [8, 16] },
  { tz: 180, off: [6, 0], h: [10, 19] },
  { tz: 240, off: [5], h: [9, 17] },
  { tz: 210, off: [], h: [0, 24] },
];
function opTime(op, lo, hi) {
  for (let i = 0; i < 200; i++) {
    const t = U(lo, hi);
    const loc = new Date(t + op.tz * MIN);
    const h = loc.getUTCHours() + loc.getUTCMinutes() / 60;
    if (h >= op.h[0] && h < op.h[1] && !op.off.includes(loc.getUTCDay())) return t;
  }
  return U(lo, hi);
}
function variantLink(url) {
  // campaign members' copies: utm, scheme, trailing slash
  let u = url;
  if (chance(0.2)) u = u.replace("https://", "http://");
  if (chance(0.3)) u = u.endsWith("/") ? u.slice(0, -1) : u + "/";
  if (chance(0.4))
    u += `?utm_source=${pick(["twitter", "tw", "social", "x"])}&utm_medium=${pick(["social", "post", "share"])}&utm_campaign=${randStr(5, "abcdefghijklmnopqrstuvwxyz")}`;
  return u;
}
const kinds = ["link-burst", "repost-ring", "hashtag-flood", "slow", "small"];
const K = RI(6, 10);
while (kinds.length < K)
  kinds.push(pick(["link-burst", "repost-ring", "hashtag-flood", "slow", "link-burst", "repost-ring"]));
shuffle(kinds);
let cnum = 0;
for (const kind of kinds) {
  cnum++;
  const id = `P${cnum}`;
  const lang = pick(["fa", "fa", "en", "en", "ar"]);
  const size = kind === "small" ? RI(5, 8) : Math.round(Math.exp(U(Math.log(8), Math.log(60))));
  const op = pick(OPS);
  const wStart = T0 + U(0, 10) * DAY,
    wEnd = Math.min(T1 - HOUR, wStart + U(15, 34) * DAY);
  const burstCreated = chance(0.7);
  const cBase = T0 - U(25, 420) * DAY;
  const members = [];
  for (let i = 0; i < size; i++) {
    const created = burstCreated ? cBase + rnd() * U(1, 4) * DAY : randomCreated();
    const a = newAccount({
      lang,
      created,
      kind: "campaign",
      w: 0,
      tz: chance(0.7) ? op.tz : tzPickers[lang].pick(),
      style: chance(0.5) ? 0.5 : undefined,
      followers: Math.round(logn(80, 1.0)),
      following: Math.round(logn(400, 0.6)),
      bio: chance(0.4) ? "" : bioFor(lang),
      client: chance(0.6) ? "Twitter Web App" : CLIENTS[lang].pick(),
    });
    a.part = kind === "repost-ring" || kind === "slow" ? U(0.4, 0.9) : U(0.5, 0.95);
    members.push(a);
  }
  const c = { id, kind, lang, members, seeds: [], op, bursts: 0, mode: null };
  campaigns.push(c);
  let mode = kind;
  if (kind === "slow") mode = pick(["link", "hashtag", "repost"]);
  if (kind === "small") mode = pick(["link", "repost"]);
  if (kind === "link-burst") mode = "link";
  if (kind === "repost-ring") mode = "repost";
  if (kind === "hashtag-flood") mode = "hashtag";
  c.mode = mode;
  const B =
    kind === "link-burst"
      ? RI(5, 20)
      : kind === "repost-ring"
        ? RI(8, 25)
        : kind === "hashtag-flood"
          ? RI(5, 15)
          : kind === "slow"
            ? RI(8, 15)
            : RI(10, 20);
  const span = () =>
    kind === "slow"
      ? U(120, 300) * SEC
      : mode === "hashtag"
        ? U(60, 240) * SEC
        : kind === "small"
          ? U(10, 90) * SEC
          : mode === "repost"
            ? U(20, 85) * SEC
            : U(10, 120) * SEC;
  c.bursts = B;
  const cdoms = Array.from({ length: RI(2, 4) }, campDomain);
  const ctags = Array.from({ length: RI(1, 2) }, CTAG[lang]);
  const target = pick(
    celebs.filter((x) => x.lang === lang).concat(outlets.filter((o) => o.lang === lang).map((o) => o.main)),
  );
  // seeds for repost rings (operator-run "influencer" personas), or a mutual ring
  const mutual = mode === "repost" && chance(0.45);
  if (mode === "repost" && !mutual) {
    for (let i = 0; i < RI(2, 4); i++) {
      const s = newAccount({
        lang,
        kind: "seed",
        w: 0,
        tz: op.tz,
        followers: Math.round(logn(3000, 1)),
        created: chance(0.5) ? cBase - U(30, 300) * DAY : randomCreated(),
        client: "Twitter Web App",
      });
      c.seeds.push(s);
    }
    for (const s of c.seeds) {
      // seeds' own stream
      const n = Math.round((U(1, 4) * (wEnd - wStart)) / DAY);
      for (let i = 0; i < n; i++) {
        const t = opTime(op, wStart, wEnd);
        const p = addPost(s, t, {
          text: sentence(lang),
          urls: chance(0.3) ? [`https://${pick(cdoms)}/${slug()}`] : [],
          tags: chance(0.3) ? [pick(ctags)] : [],
          cat: "seed",
        });
        if (p && chance(0.2)) {
          const m = pick(members);
          doRepost(m, p, t + logn(20 * MIN, 1), "camp");
        }
        if (p && chance(0.1)) doRepost(pickSharer(lang), p, t + logn(2 * HOUR, 1), "seedOrgRT");
      }
    }
  }
  c.mutual = mutual;
  for (let b = 0; b < B; b++) {
    const t0 = opTime(op, wStart, wEnd);
    const sp = span();
    const parts = members.filter((m) => chance(m.part));
    if (parts.length < 2) parts.push(...sampleK(members, 2));
    if (mode === "link") {
      const url = chance(0.15)
        ? articleUrl(domains[0], t0)
        : `https://${chance(0.3) ? "www." : ""}${pick(cdoms)}/${chance(0.5) ? new Date(t0).toISOString().slice(0, 7).replace("-", "/") + "/" : ""}${slug()}${chance(0.5) ? "-" + RI(1000, 99999) : ""}/`;
      const head = HEADLINE[lang]();
      for (const m of parts) {
        const txt = pick([
          head,
          `${pick(CCOMMENT[lang])} ${head}`,
          `${head} ${pick(CCOMMENT[lang])}`,
          pick(CCOMMENT[lang]) || sentence(lang),
          sentence(lang),
        ]);
        addPost(m, t0 + rnd() * sp, {
          text: txt,
          urls: [variantLink(url)],
          tags: chance(0.3) ? [pick(ctags)] : [],
          ments: chance(0.15) ? [target.handle] : [],
          cat: "camp",
        });
      }
      if (chance(0.3))
        for (let j = 0; j < RI(1, 5); j++)
          addPost(pickSharer(lang), t0 + logn(5 * HOUR, 1), {
            text: sentence(lang),
            urls: [url],
            cat: "campOrg",
          });
    } else if (mode === "repost") {
      let root;
      if (mutual) {
        const poster = pick(members);
        root = addPost(poster, t0, {
          text: sentence(lang),
          urls: chance(0.3) ? [`https://${pick(cdoms)}/${slug()}`] : [],
          tags: chance(0.4) ? [pick(ctags)] : [],
          cat: "camp",
        });
      } else {
        const s = pick(c.seeds);
        root = addPost(s, t0, {
          text: sentence(lang),
          urls: chance(0.4) ? [`https://${pick(cdoms)}/${slug()}`] : [],
          tags: chance(0.4) ? [pick(ctags)] : [],
          cat: "seed",
        });
      }
      if (!root) continue;
      for (const m of parts) {
        if (m === root.a) continue;
        doRepost(m, root, t0 + 5 * SEC + rnd() * sp, "camp");
        if (chance(0.08)) doReply(m, root, t0 + logn(5 * MIN, 0.6), undefined, "camp");
      }
      if (chance(0.4))
        for (let j = 0; j < RI(1, 4); j++)
          doRepost(pickSharer(lang), root, t0 + logn(2 * HOUR, 1), "seedOrgRT");
    } else {
      // hashtag
      const tr = trends.filter((x) => x.lang === lang && x.t0 < t0 && x.t1 > t0);
      for (const m of parts) {
        const k = chance(0.2) ? 2 : 1;
        for (let q = 0; q < k; q++) {
          const tags = [pick(ctags)];
          if (tr.length && chance(0.5)) tags.push(pick(tr).tag);
          else if (chance(0.2)) tags.push(tagPickers[lang].pick());
          const txt = chance(0.5) ? `${pick(CCOMMENT[lang])} ${sentence(lang)}` : sentence(lang);
          addPost(m, t0 + rnd() * sp + q * U(20, 90) * SEC, {
            text: txt,
            tags: shuffle(tags),
            ments: chance(0.3) ? [target.handle] : [],
            cat: "camp",
          });
        }
      }
    }
  }
  // camouflage: organic-looking activity, 30-70% of each member's posts
  for (const m of members) {
    const f = U(0.3, 0.7);
    const o = Math.max(1, Math.round((m.n * f) / (1 - f)));
    for (let i = 0; i < o; i++) {
      const r = rnd();
      const t = chance(0.7) ? opTime(op, Math.max(T0, wStart - 3 * DAY), wEnd) : sampleTime(m, T0, T1);
      if (r < 0.45)
        addPost(m, t, {
          text: sentence(lang),
          tags: chance(0.15) ? [tagPickers[lang].pick()] : [],
          cat: "camo",
        });
      else if (r < 0.65) {
        const art = artPicker.pick();
        addPost(m, Math.max(t, art.pub + logn(2 * HOUR, 1)), {
          text: chance(0.5) ? "" : sentence(lang),
          urls: [organicVariant(art.url)],
          cat: "camo",
        });
      } else if (r < 0.85) {
        const cp = pick(celebPosts.filter((x) => x.a.lang === lang || chance(0.1)));
        doRepost(m, cp, cp.ts + logn(40 * MIN, 1.2), "camo");
      } else if (r < 0.95) {
        const tr = pick(trends);
        addPost(m, tr.t0 + expo(2 * HOUR), { text: sentence(lang), tags: [tr.tag], cat: "camo" });
      } else {
        const cp = pick(celebPosts);
        doReply(m, cp, cp.ts + logn(30 * MIN, 1), undefined, "camo");
      }
    }
  }
}

// ---------------------------------------------------------------- personal posts fill (bottom-up)
const recent = posts.filter((p) => !p.rp).map((p) => p);
const fill = Math.max(0, TARGET - posts.length);
const totW = ordinary.reduce((s, a) => s + a.w, 0);
const lam = fill / totW;
for (const a of ordinary) {
  const n = poisson(lam * a.w);
  for (let i = 0; i < n; i++) {
    const t = sampleTime(a, T0, T1);
    const r = rnd();
    if (r < 0.72) {
      const tags = chance(0.14) ? [tagPickers[a.lang].pick()] : [];
      const ments = chance(0.07) ? [pick(celebs).handle] : [];
      addPost(a, t, {
        text: (ments.length ? `@${ments[0]} ` : "") + sentence(a.lang),
        tags,
        ments,
        cat: "personal",
      });
    } else if (r < 0.84) {
      const orig = pick(recent);
      doReply(a, orig, Math.max(t, orig.ts + logn(20 * MIN, 1.5)), undefined, "personalReply");
    } else {
      const orig = pick(recent);
      doRepost(a, orig, Math.max(t, orig.ts + logn(45 * MIN, 1.6)), "personalRT");
    }
  }
}

// ---------------------------------------------------------------- output
posts.sort((x, y) => x.ts - y.ts || (x.id < y.id ? -1 : 1));
fs.mkdirSync(OUT, { recursive: true });
const iso = (t) => new Date(t).toISOString();
const jl = fs.openSync(path.join(OUT, "posts.jsonl"), "w");
const csvf = fs.openSync(path.join(OUT, "posts.csv"), "w");
const csvq = (v) => {
  const s = String(v ?? "");
  return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
};
const br = (xs) => "[" + xs.map((x) => `'${x}'`).join(", ") + "]";
const ctime = (t) => iso(t).replace("T", " ").slice(0, 19);
fs.writeSync(
  csvf,
  "tweetid,userid,user_screen_name,user_display_name,tweet_text,tweet_time,is_retweet,retweet_tweetid,in_reply_to_tweetid,hashtags,urls,user_mentions,account_creation_date,tweet_language,follower_count,following_count,tweet_client_name\n",
);
let bufJ = [],
  bufC = [];
const flush = () => {
  fs.writeSync(jl, bufJ.join(""));
  fs.writeSync(csvf, bufC.join(""));
  bufJ = [];
  bufC = [];
};
const cats = {};
for (const p of posts) {
  cats[p.cat] = (cats[p.cat] ?? 0) + 1;
  const a = p.a;
  const o = {
    platform: "twitter",
    post_id: p.id,
    account_id: a.id,
    handle: a.handle,
    display_name: a.name,
    ts: iso(p.ts),
    text: p.text,
    urls: p.urls,
    hashtags: p.tags,
    mentions: p.ments,
  };
  if (p.rp) {
    o.repost_of = p.rp.id;
    o.ref_account_id = p.rp.a.id;
  }
  if (p.rt) {
    o.reply_to = p.rt.id;
    o.ref_account_id = p.rt.a.id;
  }
  Object.assign(o, {
    lang: a.lang,
    client: p.client,
    account_created_at: iso(a.created),
    bio: a.bio,
    followers: a.followers,
    following: a.following,
  });
  bufJ.push(JSON.stringify(o) + "\n");
  const mids = p.ments.map((h) => handleToAcc.get(h)?.id).filter(Boolean);
  bufC.push(
    [
      p.id,
      a.id,
      a.handle,
      a.name,
      p.text,
      ctime(p.ts),
      p.rp ? "True" : "False",
      p.rp ? p.rp.id : "",
      p.rt ? p.rt.id : "",
      br(p.tags),
      br(p.urls),
      br(mids),
      iso(a.created).slice(0, 10),
      a.lang,
      a.followers,
      a.following,
      p.client,
    ]
      .map(csvq)
      .join(",") + "\n",
  );
  if (bufJ.length >= 5000) flush();
}
flush();
fs.closeSync(jl);
fs.closeSync(csvf);

const active = (xs) => xs.filter((a) => a.n > 0).map((a) => a.id);
const truth = {
  seed: SEED,
  posts: posts.length,
  campaigns: campaigns.map((c) => ({
    id: c.id,
    kind: c.kind,
    mode: c.mode,
    mutual: c.mutual || undefined,
    lang: c.lang,
    bursts: c.bursts,
    operatorTz: c.op.tz,
    accounts: active(c.members),
    seeds: active(c.seeds),
  })),
  organicTraps: Object.fromEntries(Object.entries(trap).map(([k, v]) => [k, active([...v])])),
};
fs.writeFileSync(path.join(OUT, "truth.json"), JSON.stringify(truth, null, 1));
const nAct = accounts.filter((a) => a.n > 0).length;
const stats = {
  posts: posts.length,
  activeAccounts: nAct,
  ordinaryActive: ordinary.filter((a) => a.n > 0).length,
  maxPostsPerAccount: Math.max(...accounts.map((a) => a.n)),
  byCategory: cats,
  campaigns: campaigns.map(
    (c) =>
      `${c.id} ${c.kind}/${c.mode}${c.mutual ? "(mutual)" : ""} ${c.lang} members=${c.members.length} seeds=${c.seeds.length} bursts=${c.bursts} posts=${c.members.reduce((s, m) => s + m.n, 0)}`,
  ),
  traps: Object.fromEntries(Object.entries(truth.organicTraps).map(([k, v]) => [k, v.length])),
};
fs.writeFileSync(path.join(OUT, "stats.json"), JSON.stringify(stats, null, 1));
console.error(JSON.stringify(stats, null, 1));
