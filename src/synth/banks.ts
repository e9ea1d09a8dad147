/**
 * Word and phrase banks for synthetic posts and profiles, written for this generator. Short everyday texts in
 * English, Persian and Arabic; Persian uses the zero-width non-joiner (U+200C) where the orthography wants it
 * (می‌دونم, کتاب‌ها), because normalisation and near-duplicate detection must cope with it. Topics are
 * deliberately mundane: the data exercises detectors, it does not speak about real people or events.
 */
import type { SynthLang } from "./config.js";

const ZWNJ = "\u200c";

/** Persian phrases; `~` stands for a ZWNJ so the source stays readable. */
function fa(parts: string[]): string[] {
  return parts.map((p) => p.replaceAll("~", ZWNJ));
}

export const PHRASES: Readonly<Record<SynthLang, readonly string[]>> = {
  en: [
    "Good morning everyone",
    "Coffee first, then the world",
    "Can't believe it's already Friday",
    "Traffic was terrible today",
    "Finally finished that book, highly recommend",
    "Anyone else watching the game tonight?",
    "What a week it has been",
    "The weather is perfect for a walk",
    "Just landed, so tired",
    "New recipe turned out great",
    "Why is the internet so slow today",
    "Grateful for good friends",
    "That ending was unexpected",
    "Working late again",
    "Does anyone have a good podcast recommendation?",
    "Back to the gym after a long break",
    "Sunday plans: nothing at all",
    "Prices went up again, unbelievable",
    "This song has been stuck in my head all day",
    "Happy birthday to my best friend",
    "Can someone explain this to me?",
    "Rain all day, staying in",
    "Small wins count too",
    "Exams are finally over",
    "Trying to learn a new language this year",
    "The power went out again",
    "Great match, well played",
    "Need a vacation already",
    "Thanks for all the kind messages",
    "Honestly not sure what to think about this",
    "Cleaning out old photos today",
    "Late night thoughts",
  ],
  fa: fa([
    "صبح همگی بخیر",
    "امروز هوا خیلی خوب بود",
    "کسی می~دونه این فیلم کی اکران می~شه؟",
    "دارم کتاب~های قدیمی رو مرتب می~کنم",
    "چه بازی~ای بود دیشب",
    "ترافیک امروز وحشتناک بود",
    "این آهنگ رو چند بار گوش دادم",
    "قیمت~ها دوباره بالا رفته",
    "بالاخره امتحان~ها تموم شد",
    "یه چای داغ الان خیلی می~چسبه",
    "نمی~دونم چرا اینترنت انقدر کنده",
    "عکس~های سفر شمال رو ببینید",
    "کلاس امروز کنسل شد",
    "دلم برای خانواده تنگ شده",
    "شب همگی بخیر",
    "هفته~ی سختی بود",
    "پیشنهاد فیلم برای آخر هفته دارید؟",
    "کسی هست که بتونه کمک کنه؟",
    "برف امسال زود اومد",
    "ناهار امروز قورمه~سبزی بود",
    "به نظرم این تصمیم درستی نبود",
    "خیلی ممنون از همه~ی پیام~هاتون",
    "دوباره برق رفت",
    "یه کتاب جدید شروع کردم",
    "تولدت مبارک رفیق",
    "یه روز دیگه، یه تلاش دیگه",
    "چقدر این شهر عوض شده",
    "امروز رفتیم کوه، عالی بود",
    "می~خوام زبان جدید یاد بگیرم",
    "دیشب تا صبح بیدار بودم",
  ]),
  ar: [
    "صباح الخير جميعاً",
    "الجو اليوم جميل جداً",
    "هل شاهدتم المباراة أمس؟",
    "الزحمة اليوم لا تطاق",
    "كل عام وأنتم بخير",
    "قهوة الصباح ضرورية",
    "ما رأيكم في هذا الموضوع؟",
    "أخيراً انتهت الامتحانات",
    "تصبحون على خير",
    "الأسعار ارتفعت مرة أخرى",
    "أحتاج اقتراحات لكتب جديدة",
    "يوم طويل في العمل",
    "شكراً لكل من تواصل معي",
    "الحمد لله على كل حال",
    "رحلة رائعة إلى البحر",
    "هذا الفيلم يستحق المشاهدة",
    "الإنترنت بطيء جداً اليوم",
    "مبروك للفريق على الفوز",
    "لا تنسوا شرب الماء",
    "اشتقت للعائلة كثيراً",
    "عطلة نهاية الأسبوع بدأت",
    "من يعرف مطعماً جيداً في المدينة؟",
    "انقطعت الكهرباء مرة أخرى",
    "بدأت تعلم لغة جديدة",
    "أجمل شيء هو الهدوء",
  ],
};

/** Openers for posts that share a link. */
export const LINK_OPENERS: Readonly<Record<SynthLang, readonly string[]>> = {
  en: [
    "Worth reading:",
    "Interesting piece",
    "Must read",
    "This 👇",
    "Good analysis",
    "Wow",
    "Read this",
    "Via",
  ],
  fa: fa(["این رو بخونید", "گزارش جالبیه", "خبر مهم", "حتماً ببینید", "تحلیل خوبیه", "👇", "بخونید"]),
  ar: ["مقال مهم", "اقرأوا هذا", "تقرير مثير", "يستحق القراءة", "👇", "خبر مهم"],
};

export const REPLIES: Readonly<Record<SynthLang, readonly string[]>> = {
  en: [
    "Totally agree",
    "Source?",
    "So true",
    "lol",
    "Exactly this",
    "Not sure about that",
    "Thanks for sharing",
  ],
  fa: fa(["دقیقاً", "موافقم", "منبع؟", "چه جالب", "ممنون که گذاشتی", "نه فکر نمی~کنم", "😂"]),
  ar: ["صحيح", "أتفق معك", "المصدر؟", "شكراً للمشاركة", "بالضبط", "لا أظن ذلك"],
};

/** Reactions of people sharing a link that went viral. */
export const VIRAL_REACTIONS: Readonly<Record<SynthLang, readonly string[]>> = {
  en: ["Unbelievable", "Everyone needs to see this", "Wait what", "This is huge", "omg", "Breaking"],
  fa: fa(["باورم نمی~شه", "این رو ببینید", "چی شد؟", "خبر فوری", "عجب"]),
  ar: ["لا يصدق", "عاجل", "شاهدوا هذا", "ما هذا؟", "خبر كبير"],
};

/** Headlines for news-bot posts (outlets' feeds). */
export const HEADLINES: Readonly<Record<SynthLang, readonly string[]>> = {
  en: [
    "City council approves new budget",
    "Markets close higher after volatile session",
    "Storm warning issued for coastal areas",
    "New study on sleep and memory",
    "Local team wins regional final",
    "Fuel prices expected to rise next month",
    "Museum reopens after renovation",
    "Officials announce road closures for the weekend",
  ],
  fa: fa([
    "افزایش قیمت بلیت هواپیما از هفته~ی آینده",
    "پیش~بینی بارش برف در استان~های شمالی",
    "نتایج کنکور اعلام شد",
    "بازگشایی نمایشگاه کتاب",
    "تیم ملی برای اردوی تدارکاتی آماده می~شود",
    "گزارش تازه درباره~ی آلودگی هوا",
  ]),
  ar: [
    "ارتفاع أسعار الوقود الشهر المقبل",
    "افتتاح معرض الكتاب الدولي",
    "تحذير من عاصفة رملية",
    "المنتخب يستعد للمباراة الودية",
    "دراسة جديدة عن التعليم عن بعد",
    "إغلاق طرق رئيسية نهاية الأسبوع",
  ],
};

/** Campaign talking points (generic, fictional). */
export const SLOGANS: Readonly<Record<SynthLang, readonly string[]>> = {
  en: [
    "They don't want you to see this",
    "Share before it gets deleted",
    "The media is silent about this",
    "Everyone needs to know the truth",
    "Read it and decide for yourself",
    "This is what they are hiding",
    "Wake up people",
  ],
  fa: fa([
    "این رو همه باید ببینن",
    "قبل از حذف شدن پخش کنید",
    "رسانه~ها درباره~ی این سکوت کردن",
    "حقیقت رو بدونید",
    "بخونید و خودتون قضاوت کنید",
    "این همون چیزیه که پنهان می~کنن",
  ]),
  ar: [
    "انشروا قبل الحذف",
    "الإعلام صامت عن هذا",
    "يجب أن يعرف الجميع الحقيقة",
    "اقرأوا واحكموا بأنفسكم",
    "هذا ما يخفونه عنكم",
    "استيقظوا",
  ],
};

export const SLOGAN_PREFIXES: readonly string[] = ["", "", "", "‼️ ", "🔴 ", "⚠️ ", "📢 "];
export const SLOGAN_SUFFIXES: readonly string[] = ["", "", "!", "!!", " 👇", " 🔥", " ✊", "."];
export const EMOJI: readonly string[] = ["😂", "🙏", "❤️", "🔥", "👏", "😢", "😅", "💯", "🤔", "☕"];

/** Organic hashtags by language; campaigns and trending days draw from these too. */
export const HASHTAGS: Readonly<Record<SynthLang, readonly string[]>> = {
  en: [
    "news",
    "football",
    "MondayMotivation",
    "books",
    "travel",
    "music",
    "coffee",
    "tech",
    "AI",
    "weather",
    "photography",
    "ChampionsLeague",
    "movies",
    "health",
    "gaming",
    "food",
    "climate",
    "science",
    "art",
    "running",
  ],
  fa: fa([
    "ایران",
    "تهران",
    "فوتبال",
    "کتاب_خوانی",
    "سینما",
    "موسیقی",
    "آلودگی_هوا",
    "شیراز",
    "اصفهان",
    "آشپزی",
    "سفر",
    "عکاسی",
    "پرسپولیس",
    "استقلال",
    "کنکور",
    "شب~های_تهران",
    "طبیعت",
    "شعر",
  ]),
  ar: [
    "السعودية",
    "مصر",
    "كرة_القدم",
    "الرياض",
    "القاهرة",
    "عاجل",
    "رمضان",
    "السفر",
    "الطقس",
    "قراءة",
    "تقنية",
    "دبي",
    "الدوري",
    "صحة",
  ],
};

/** Word stems for generated long-tail hashtags and domains (ASCII, so every script can carry them). */
export const STEMS: readonly string[] = [
  "daily",
  "city",
  "green",
  "north",
  "open",
  "bright",
  "river",
  "stone",
  "global",
  "local",
  "urban",
  "smart",
  "true",
  "first",
  "blue",
  "silver",
  "quick",
  "deep",
  "wide",
  "prime",
  "metro",
  "pixel",
  "orbit",
  "cedar",
  "harbor",
  "summit",
  "signal",
  "echo",
  "nova",
  "atlas",
];

export const STEM_TAILS: readonly string[] = [
  "news",
  "post",
  "times",
  "report",
  "hub",
  "wire",
  "daily",
  "review",
  "journal",
  "today",
  "line",
  "press",
  "watch",
  "view",
  "feed",
];

/** Large platforms and outlets at the head of the link distribution. */
export const HEAD_DOMAINS: readonly string[] = [
  "youtube.com",
  "instagram.com",
  "bbc.com",
  "reuters.com",
  "nytimes.com",
  "theguardian.com",
  "aljazeera.net",
  "wikipedia.org",
  "apnews.com",
  "t.me",
  "cnn.com",
  "washingtonpost.com",
  "independent.co.uk",
  "france24.com",
  "dw.com",
  "euronews.com",
  "bloomberg.com",
  "aparat.com",
  "soundcloud.com",
  "medium.com",
  "substack.com",
  "tiktok.com",
];

export const URL_SECTIONS: readonly string[] = [
  "news",
  "world",
  "sport",
  "culture",
  "business",
  "tech",
  "opinion",
];
export const SLUG_WORDS: readonly string[] = [
  "budget",
  "storm",
  "election",
  "market",
  "report",
  "study",
  "match",
  "festival",
  "prices",
  "energy",
  "water",
  "schools",
  "health",
  "museum",
  "train",
  "summit",
  "court",
  "film",
  "science",
  "housing",
];

export const CLIENTS_PEOPLE: readonly string[] = [
  "Twitter for Android",
  "Twitter for iPhone",
  "Twitter Web App",
  "Twitter for iPad",
  "TweetDeck",
];
/** Relative frequency of CLIENTS_PEOPLE. */
export const CLIENT_WEIGHTS: readonly number[] = [0.45, 0.3, 0.18, 0.04, 0.03];
export const CLIENTS_BOTS: readonly string[] = [
  "dlvr.it",
  "IFTTT",
  "Buffer",
  "Hootsuite Inc.",
  "WordPress.com",
];

/** Given names as [latin, native script]. */
export const GIVEN: Readonly<Record<SynthLang, ReadonlyArray<readonly [string, string]>>> = {
  en: [
    ["sarah", "Sarah"],
    ["james", "James"],
    ["emily", "Emily"],
    ["michael", "Michael"],
    ["olivia", "Olivia"],
    ["daniel", "Daniel"],
    ["sophie", "Sophie"],
    ["david", "David"],
    ["grace", "Grace"],
    ["ryan", "Ryan"],
    ["hannah", "Hannah"],
    ["chris", "Chris"],
    ["laura", "Laura"],
    ["tom", "Tom"],
    ["megan", "Megan"],
    ["alex", "Alex"],
    ["kate", "Kate"],
    ["ben", "Ben"],
    ["priya", "Priya"],
    ["lucas", "Lucas"],
  ],
  fa: fa([
    "sara|سارا",
    "mohammad|محمد",
    "ali|علی",
    "maryam|مریم",
    "reza|رضا",
    "zahra|زهرا",
    "hossein|حسین",
    "fatemeh|فاطمه",
    "amir|امیر",
    "niloofar|نیلوفر",
    "mehdi|مهدی",
    "parisa|پریسا",
    "hamed|حامد",
    "shirin|شیرین",
    "arash|آرش",
    "leila|لیلا",
    "babak|بابک",
    "nazanin|نازنین",
    "kaveh|کاوه",
    "mina|مینا",
  ]).map((s) => s.split("|") as [string, string]),
  ar: [
    ["ahmed", "أحمد"],
    ["mohammed", "محمد"],
    ["fatima", "فاطمة"],
    ["omar", "عمر"],
    ["aisha", "عائشة"],
    ["khaled", "خالد"],
    ["noura", "نورة"],
    ["youssef", "يوسف"],
    ["layla", "ليلى"],
    ["hassan", "حسن"],
    ["mariam", "مريم"],
    ["ibrahim", "إبراهيم"],
    ["sara", "سارة"],
    ["abdullah", "عبدالله"],
    ["huda", "هدى"],
  ],
};

export const FAMILY: Readonly<Record<SynthLang, ReadonlyArray<readonly [string, string]>>> = {
  en: [
    ["smith", "Smith"],
    ["jones", "Jones"],
    ["taylor", "Taylor"],
    ["brown", "Brown"],
    ["wilson", "Wilson"],
    ["evans", "Evans"],
    ["walker", "Walker"],
    ["patel", "Patel"],
    ["clarke", "Clarke"],
    ["hughes", "Hughes"],
    ["martin", "Martin"],
    ["lee", "Lee"],
  ],
  fa: fa([
    "tehrani|تهرانی",
    "ahmadi|احمدی",
    "hosseini|حسینی",
    "rezaei|رضایی",
    "karimi|کریمی",
    "moradi|مرادی",
    "jafari|جعفری",
    "rahimi|رحیمی",
    "sadeghi|صادقی",
    "kazemi|کاظمی",
    "mousavi|موسوی",
    "shirazi|شیرازی",
    "hosseinzadeh|حسین~زاده",
    "esfahani|اصفهانی",
  ]).map((s) => s.split("|") as [string, string]),
  ar: [
    ["alharbi", "الحربي"],
    ["alqahtani", "القحطاني"],
    ["alotaibi", "العتيبي"],
    ["haddad", "حداد"],
    ["mansour", "منصور"],
    ["khalil", "خليل"],
    ["saleh", "صالح"],
    ["nasser", "ناصر"],
    ["alzahrani", "الزهراني"],
  ],
};

/** Handle words for people who do not use their name. */
export const HANDLE_WORDS: readonly string[] = [
  "night_owl",
  "coffee",
  "bookworm",
  "wanderer",
  "skyline",
  "moonlight",
  "pixel",
  "rainy_day",
  "daydreamer",
  "football_fan",
  "the_real",
  "just",
  "sunset",
  "quiet",
  "random",
];

/** Words for templated campaign handles (word + digits). */
export const TEMPLATE_WORDS: Readonly<Record<SynthLang, readonly string[]>> = {
  en: ["patriot", "truth", "freedom", "voice", "real", "eagle", "justice", "nation"],
  fa: ["vatan", "mihan", "haghighat", "sarbaz", "khorshid", "nasim", "azadeh", "iranzamin"],
  ar: ["alwatan", "sawt", "alhaq", "nour", "fajr", "watani", "alarabi"],
};

export const BIOS: Readonly<Record<SynthLang, readonly string[]>> = {
  en: [
    "Coffee, books and bad jokes",
    "Opinions are my own",
    "Dad. Runner. Engineer.",
    "Music lover 🎧",
    "Student | Dreamer",
    "Just here for the news",
    "Photographer based in the city",
    "Football and politics, sorry",
  ],
  fa: fa(["عاشق کتاب و چای", "دانشجو", "عکاس", "اینجا فقط می~خونم", "برنامه~نویس ☕", "زندگی همینه"]),
  ar: ["محب للقراءة", "طالب جامعي", "مهندس", "الحياة جميلة", "مصور هاوٍ", "مهتم بالتقنية"],
};

export const CAMPAIGN_BIOS: Readonly<Record<SynthLang, readonly string[]>> = {
  en: ["Patriot. Truth seeker.", "Free speech matters", "Follow for the real news", "God, family, country"],
  fa: fa(["عاشق وطن", "حقیقت را بگو", "ایران~زمین", "فقط حقیقت"]),
  ar: ["حب الوطن", "الحقيقة أولاً", "صوت الحق", "ابن الوطن"],
};

/** Campaign hashtags (fictional slogans). */
export const CAMPAIGN_TAGS: Readonly<Record<SynthLang, readonly string[]>> = {
  en: ["TruthMatters", "WakeUpNow", "StandTogether", "NoMoreLies", "SpeakTheTruth", "VoicesUnited"],
  fa: fa(["حقیقت_را_بگویید", "صدای_ما", "دروغ_بس_است", "با_هم_می~مانیم", "بیدار_شو"]),
  ar: ["الحقيقة_أولا", "صوت_الشعب", "كفى_كذبا", "معا_للحق", "استيقظوا"],
};

/** Fictional, plausible-looking domains of the kind campaigns register for their content. */
export const CAMPAIGN_DOMAIN_PARTS: readonly string[] = [
  "truthdaily",
  "realvoice",
  "peoplesreport",
  "freewire",
  "thenewsfront",
  "insightnow",
  "clearview-news",
  "openeyes",
];
export const CAMPAIGN_TLDS: readonly string[] = ["info", "news", "online", "xyz", "net"];
