/**
 * Texts for the text and rhythm layers of the evaluation world, written for this generator: campaign messages
 * that are pasted through many accounts (15-40 words, in the register of real campaign copypasta: a grievance,
 * a claim, a call to share), words that copy editors slip in, holiday greetings, sentences that go viral as
 * text, and the talking points of a shift unit. Everything is fictional and names no real person, party or
 * event. Persian uses `~` for the zero-width non-joiner (U+200C), as in `banks.ts`.
 */
import type { SynthLang } from "./config.js";

const ZWNJ = "\u200c";

function fa(parts: string[]): string[] {
  return parts.map((p) => p.replaceAll("~", ZWNJ));
}

/** Messages a copypasta campaign pastes, one per burst (reused when a campaign has more bursts). */
export const COPYPASTA: Readonly<Record<SynthLang, readonly string[]>> = {
  en: [
    "The new fuel price increase is not an accident. Officials planned it months ago while families struggle to heat their homes. Share this before they delete it.",
    "Nobody is talking about the water shortage in the southern districts. Thousands of people have had no clean water for a week and the ministry stays silent.",
    "They promised jobs and delivered nothing. Our young people leave the country every day while those in charge celebrate on television. Enough is enough.",
    "The so-called independent report was written by the same people who caused this mess. Read it carefully and you will see who really benefits.",
    "Our nurses have not been paid for three months. They keep the hospitals running while the budget goes to projects nobody asked for. Stand with them today.",
    "Foreign media will never show you this side of the story. Ordinary people support the reforms and are tired of being told what to think.",
    "Every vote counts and every voice matters. Do not let a small group of loud accounts decide the future of our city. Speak up now.",
    "The bridge collapse was predicted two years ago by independent engineers. Their warnings were ignored and now families are paying the price for that silence.",
    "Teachers across the province are striking for fair wages. The government calls it a minor protest, but every school in our district is closed today.",
    "This is the third blackout this month. The power company blames the weather, yet the factories of well connected owners never lose power. Ask yourself why.",
    "Farmers are dumping their harvest because transport costs doubled overnight. Meanwhile imported vegetables fill the shelves at twice the price. Who profits from this?",
    "The university quietly raised tuition by forty percent. Students found out from a leaked memo, not from the administration. Share so every student knows.",
    "Journalists who asked questions about the housing fund were banned from the press conference. A free press is the first thing they take away from us.",
    "Rent in the capital has doubled in one year while wages stayed the same. Young couples cannot afford a single room. This crisis was made by policy.",
    "The opposition claims to care about workers, but their leaders have never worked a day in a factory. Look at their record, not at their slogans.",
    "Our soldiers protect the borders day and night. The least we can do is stand behind them and ignore the lies spread by foreign funded pages.",
    "Hospital waiting lists are longer than ever. Patients wait six months for a simple scan while the private clinic across the street has no queue at all.",
    "The factory fire was not an accident. Workers reported broken fire alarms for weeks and the management did nothing. Demand a real investigation today.",
    "Bread prices rose again this morning, the fourth time this year. Bakers say their flour deliveries were cut. Somebody is hoarding and we deserve to know who.",
    "Public transport fares went up on the same day the new tax was announced. Working people are paying for mistakes they did not make.",
  ],
  fa: fa([
    "افزایش قیمت بنزین اتفاقی نبود. مسئولان ماه~ها پیش برنامه~اش را ریخته بودند و حالا مردم باید تاوانش را بدهند. قبل از حذف شدن منتشر کنید.",
    "هیچ~کس درباره~ی بی~آبی شهرهای جنوبی حرف نمی~زند. هزاران خانواده یک هفته است آب آشامیدنی ندارند و وزارتخانه سکوت کرده است.",
    "وعده~ی اشتغال دادند و هیچ کاری نکردند. جوان~های ما هر روز کشور را ترک می~کنند و مسئولان در تلویزیون جشن می~گیرند. دیگر بس است.",
    "پرستاران ما سه ماه است حقوق نگرفته~اند. آن~ها بیمارستان~ها را سرپا نگه داشته~اند اما بودجه خرج پروژه~هایی می~شود که کسی نخواسته است.",
    "رسانه~های خارجی هیچ~وقت این روی ماجرا را نشان نمی~دهند. مردم عادی از اصلاحات حمایت می~کنند و از این~که برایشان تصمیم بگیرند خسته~اند.",
    "ریزش پل را مهندسان مستقل دو سال پیش پیش~بینی کرده بودند. هشدارهایشان نادیده گرفته شد و حالا خانواده~ها تاوان این سکوت را می~دهند.",
    "معلمان سراسر استان برای دستمزد عادلانه اعتصاب کرده~اند. دولت آن را اعتراضی کوچک می~نامد اما امروز همه~ی مدرسه~های منطقه~ی ما تعطیل است.",
    "این سومین خاموشی همین ماه است. شرکت برق هوا را مقصر می~داند اما برق کارخانه~های آدم~های بانفوذ هیچ~وقت قطع نمی~شود. از خودتان بپرسید چرا.",
    "کشاورزان محصولشان را دور می~ریزند چون هزینه~ی حمل یک~شبه دو برابر شد. در همین حال سبزی وارداتی با قیمت دو برابر در مغازه~هاست. چه کسی سود می~برد؟",
    "دانشگاه بی~سروصدا شهریه را چهل درصد بالا برد. دانشجوها از یک نامه~ی درزکرده باخبر شدند نه از خود دانشگاه. منتشر کنید تا همه بدانند.",
    "خبرنگارانی که درباره~ی صندوق مسکن سؤال پرسیدند از نشست خبری کنار گذاشته شدند. آزادی مطبوعات اولین چیزی است که از ما می~گیرند.",
    "اجاره~بها در پایتخت یک~ساله دو برابر شده و دستمزدها همان است. زوج~های جوان حتی یک اتاق هم نمی~توانند اجاره کنند. این بحران ساخته~ی سیاست~هاست.",
    "مدعیان دفاع از کارگران حتی یک روز هم در کارخانه کار نکرده~اند. به کارنامه~شان نگاه کنید نه به شعارهایشان. فریب حرف~های قشنگ را نخورید.",
    "سربازان ما شب و روز از مرزها محافظت می~کنند. کمترین کار ما این است که پشتشان بایستیم و به دروغ~های صفحه~های وابسته به خارج توجه نکنیم.",
    "صف انتظار بیمارستان~ها از همیشه طولانی~تر است. بیماران برای یک عکس ساده شش ماه صبر می~کنند اما کلینیک خصوصی آن طرف خیابان صف ندارد.",
    "آتش~سوزی کارخانه اتفاقی نبود. کارگران هفته~ها خرابی سیستم اعلام حریق را گزارش دادند و مدیریت هیچ کاری نکرد. خواستار تحقیق واقعی هستیم.",
    "قیمت نان امروز صبح دوباره بالا رفت، چهارمین بار در امسال. نانواها می~گویند سهمیه~ی آرد کم شده است. کسی احتکار می~کند و حق داریم بدانیم چه کسی.",
    "کرایه~ی حمل~ونقل عمومی همان روزی بالا رفت که مالیات جدید اعلام شد. مردم کارگر دارند هزینه~ی اشتباهاتی را می~دهند که خودشان نکرده~اند.",
    "اجازه نمی~دهیم چند حساب پرسروصدا آینده~ی شهرمان را تعیین کنند. هر رأی مهم است و هر صدا ارزش دارد. همین امروز صدایتان را بلند کنید.",
    "گزارش به~اصطلاح مستقل را همان کسانی نوشته~اند که این وضع را درست کردند. با دقت بخوانید تا ببینید واقعاً چه کسی سود می~برد.",
  ]),
  ar: [
    "ارتفاع أسعار الوقود لم يكن صدفة. خطط المسؤولون لذلك منذ أشهر بينما تعاني العائلات من البرد في بيوتها. انشروا هذا قبل أن يحذفوه.",
    "لا أحد يتحدث عن انقطاع المياه في الأحياء الجنوبية. آلاف العائلات بلا ماء نظيف منذ أسبوع كامل والوزارة صامتة تماماً.",
    "وعدونا بالوظائف ولم يقدموا شيئاً. شبابنا يغادرون البلاد كل يوم بينما يحتفل المسؤولون على شاشات التلفاز. كفى يعني كفى.",
    "الممرضات لم يتقاضين رواتبهن منذ ثلاثة أشهر. هن من يبقي المستشفيات تعمل بينما تذهب الميزانية إلى مشاريع لا يحتاجها أحد.",
    "الإعلام الأجنبي لن يريكم هذا الجانب من القصة أبداً. الناس العاديون يدعمون الإصلاحات وقد تعبوا ممن يقرر عنهم ماذا يفكرون.",
    "انهيار الجسر توقعه مهندسون مستقلون قبل عامين. تم تجاهل تحذيراتهم والآن تدفع العائلات ثمن ذلك الصمت الطويل.",
    "المعلمون في كل المحافظة مضربون من أجل أجور عادلة. الحكومة تسميه احتجاجاً صغيراً لكن كل مدارس منطقتنا مغلقة اليوم.",
    "هذا ثالث انقطاع للكهرباء هذا الشهر. الشركة تلوم الطقس لكن مصانع أصحاب النفوذ لا ينقطع عنها التيار أبداً. اسألوا أنفسكم لماذا.",
    "المزارعون يرمون محاصيلهم لأن تكاليف النقل تضاعفت في ليلة واحدة. وفي الوقت نفسه تملأ الخضار المستوردة الرفوف بضعف السعر. من المستفيد؟",
    "سعر الخبز ارتفع مرة أخرى صباح اليوم للمرة الرابعة هذا العام. الخبازون يقولون إن حصص الطحين قلصت. هناك من يحتكر ومن حقنا أن نعرف.",
  ],
};

/** Words a person retyping or tweaking a pasted message slips in. */
export const COPY_FILLERS: Readonly<Record<SynthLang, readonly string[]>> = {
  en: ["really", "truly", "honestly", "just", "now", "all", "again", "seriously", "please"],
  fa: fa(["واقعاً", "دیگه", "همه", "حتماً", "لطفاً", "باز", "الان", "دوستان"]),
  ar: ["حقاً", "فعلاً", "الآن", "جميعاً", "أيضاً", "رجاءً"],
};

/** Emoji added to a pasted message. */
export const COPY_EMOJI: readonly string[] = ["🔥", "‼️", "😡", "👇", "🔴", "💔", "✊", "📢", "🙏"];

/**
 * Greetings ordinary people post on a holiday: the same few sentences from hundreds of unrelated accounts in one
 * day. Some are long enough for text matching; none is coordination.
 */
export const GREETINGS: Readonly<Record<SynthLang, readonly string[]>> = {
  en: [
    "Happy new year",
    "Happy new year everyone!",
    "Happy new year to all my friends and family",
    "Wishing everyone a happy and healthy new year",
    "Happy holidays to you and your loved ones",
    "Happy new year, may this one be better than the last",
  ],
  fa: fa([
    "سال نو مبارک",
    "نوروزتون مبارک",
    "سال نو بر همه~ی دوستان مبارک",
    "نوروز بر شما و خانواده~ی عزیزتون مبارک",
    "امیدوارم سال جدید پر از شادی و سلامتی باشه",
    "عید همگی مبارک، سال خوبی داشته باشید",
  ]),
  ar: [
    "كل عام وأنتم بخير",
    "عيد مبارك",
    "عيد سعيد للجميع",
    "كل عام وأنتم وعائلاتكم بألف خير",
    "أسأل الله أن يكون هذا العام عام خير وبركة على الجميع",
  ],
};

/** Short everyday phrases anyone posts any day (too short to tie anyone, however many post them). */
export const EVERYDAY: Readonly<Record<SynthLang, readonly string[]>> = {
  en: ["Good morning", "Good night everyone", "Happy Friday", "Thank you all so much", "Happy new year"],
  fa: fa(["صبح بخیر", "شب بخیر", "سلام دوستان", "ممنون از همه", "روز خوبی داشته باشید"]),
  ar: ["صباح الخير", "مساء الخير", "جمعة مباركة", "شكراً لكم جميعاً"],
};

/** Sentences that circulate as text (a line from a speech, a proverb): people quote them hours apart. */
export const VIRAL_QUOTES: Readonly<Record<SynthLang, readonly string[]>> = {
  en: [
    "The best time to plant a tree was twenty years ago, and the second best time is today, so stop waiting and start now",
    "Be kind to the people who serve your food and clean your streets, because the way you treat them says everything about you",
    "Nobody remembers who was the loudest in the room, they remember who listened when it mattered",
  ],
  fa: fa([
    "هیچ~وقت برای شروع دوباره دیر نیست، فقط کافی است امروز اولین قدم را برداری و به عقب نگاه نکنی",
    "با آدم~هایی که کار ساده~ای برایت انجام می~دهند مهربان باش، رفتار تو با آن~ها نشان می~دهد چه کسی هستی",
    "آدم~ها حرف~های بلند را فراموش می~کنند اما کسی را که در روزهای سخت کنارشان ماند هرگز فراموش نمی~کنند",
  ]),
  ar: [
    "ليس المهم كم مرة سقطت بل كم مرة نهضت من جديد ولم تستسلم رغم كل شيء",
    "كن لطيفاً مع من يخدمونك كل يوم، فطريقة تعاملك معهم تقول كل شيء عنك",
  ],
};

/** How people put a quote they liked into a post ({q} is the quote). */
export const QUOTE_FRAMES: Readonly<Record<SynthLang, readonly string[]>> = {
  en: ["{q}", "{q}", '"{q}"', "So true: {q}", "{q} 👏", "This. {q}"],
  fa: fa(["{q}", "{q}", "«{q}»", "چقدر درست: {q}", "{q} 👌"]),
  ar: ["{q}", "{q}", "«{q}»", "كلام جميل: {q}", "{q} 👏"],
};

/**
 * What the members of a shift unit write between their hashtags: short talking points and replies, each
 * member choosing for itself (a unit that shifts work does not paste one text).
 */
export const UNIT_POINTS: Readonly<Record<SynthLang, readonly string[]>> = {
  en: [
    "Same people, same lies, every single week",
    "Check who funds these pages before you share them",
    "The numbers they quote are simply made up",
    "Ordinary people see through this by now",
    "Another fake story from the usual accounts",
    "Ask them where they were when it mattered",
    "Real change comes from work, not from hashtags",
    "Funny how this only trends when they need it",
  ],
  fa: fa([
    "همان آدم~ها و همان دروغ~ها، هر هفته",
    "قبل از بازنشر ببینید این صفحه~ها را چه کسی می~چرخاند",
    "این آمارها از اساس ساختگی است",
    "مردم دیگر فریب این حرف~ها را نمی~خورند",
    "باز هم یک خبر جعلی از همان حساب~های همیشگی",
    "بپرسید وقتی لازم بود کجا بودند",
    "تغییر واقعی با کار است نه با هشتگ",
    "جالب است که این موضوع فقط وقتی لازمش دارند داغ می~شود",
    "کسی که دلش برای مردم می~سوزد از خارج نسخه نمی~پیچد",
    "این همه سروصدا برای یک ادعای بی~سند",
  ]),
  ar: [
    "نفس الأشخاص ونفس الأكاذيب كل أسبوع",
    "اسألوا من يمول هذه الصفحات قبل النشر",
    "هذه الأرقام مختلقة من الأساس",
    "الناس لم تعد تصدق هذا الكلام",
    "خبر كاذب آخر من الحسابات المعتادة",
  ],
};

/** Hashtags of shift units (their own, so they never ride another campaign's). */
export const UNIT_TAGS: Readonly<Record<SynthLang, readonly string[]>> = {
  en: ["RealVoices", "FactsFirst", "NoFakeNews", "StandFirm"],
  fa: fa(["روایت_درست", "صدای_مردم_واقعی", "دروغ_نفروشید", "ما_بیداریم", "پای_کار"]),
  ar: ["أصوات_حقيقية", "الحقائق_أولا", "لا_للأخبار_الكاذبة"],
};
