/**
 * The interface's own words in English and Persian, and how numbers and dates are shown. Data stays as it is:
 * timestamps are ISO UTC in the API; only their display changes (Persian digits, the Jalali calendar, a time
 * zone). A missing Persian string falls back to English, so a new string never shows as a key.
 *
 * @example
 * t("fa", "campaigns"); // "کارزارها"
 * formatNumber(1234, { lang: "fa", calendar: "gregorian", tz: "UTC" }); // "۱٬۲۳۴"
 */

export type Lang = "en" | "fa";
export type Calendar = "gregorian" | "persian";

export interface DisplayPrefs {
  lang: Lang;
  calendar: Calendar;
  /** An IANA time zone for dates and the heat map; "UTC" by default. */
  tz: string;
}

const EN = {
  appName: "Chorus",
  skip: "Skip to content",
  overview: "Case overview",
  campaigns: "Campaigns",
  campaign: "Campaign",
  account: "Account",
  accounts: "Accounts",
  tie: "Tie",
  explorer: "Whole-case graph",
  notes: "Notes",
  export: "Export",
  language: "Language",
  calendar: "Calendar",
  gregorian: "Gregorian",
  persian: "Jalali (Persian)",
  timeZone: "Time zone",
  inputs: "Inputs and provenance",
  file: "File",
  format: "Format",
  rows: "Rows",
  rejected: "Rejected",
  ingested: "Ingested",
  rejectReasons: "Why rows were rejected",
  noRejects: "No row was rejected.",
  detectors: "Detectors",
  detector: "Detector",
  status: "Status",
  message: "Message",
  status_ok: "ran",
  status_skipped: "skipped",
  status_error: "error",
  score: "Score",
  confidence: "Confidence",
  members: "Members",
  layers: "Layers",
  firstSeen: "First seen",
  lastSeen: "Last seen",
  label: "Label",
  label_confirmed: "confirmed",
  label_benign: "benign",
  label_unsure: "unsure",
  label_none: "no label",
  removeLabel: "Remove label",
  undo: "Undo last change",
  undone: "Undone",
  undoneLabel: "a label",
  undoneNote: "a note",
  undoneHere: "Undone: {what} on this page.",
  undoneElsewhere: "Undone: {what} on {kind} {id} (the case's latest change).",
  nothingToUndo: "Nothing left to undo.",
  addNote: "Add note",
  notePlaceholder: "What you checked, what you concluded…",
  deleteNote: "Delete",
  noNotes: "No notes yet.",
  summary: "Summary",
  canProve: "What this evidence can show",
  cannotProve: "What it cannot show",
  canProveText:
    "That these accounts acted together more often, and more closely in time, than chance and their own activity explain, on the objects and layers listed.",
  canProveTextCompat:
    "That these accounts shared the listed objects within the window often enough to pass CooRTweet's edge-weight quantile. In this compatibility mode the ties are raw counts: no test against chance or the accounts' own activity stands behind them.",
  cannotProveText:
    "Who runs them, why, or whether any account is automated or paid. Organic groups (fans, news syndication, trending moments) can look alike: read the post pairs before concluding.",
  tabGraph: "Account graph",
  tabTimeline: "Timeline",
  tabHeatmap: "Hour of week",
  tabObjects: "Shared objects",
  filters: "Filters",
  addFilter: "Add filter",
  remove: "Remove",
  clearFilters: "Clear all",
  f_layer: "Layer",
  f_window: "Window (s)",
  f_score: "Minimum score",
  f_dates: "Date range",
  f_platform: "Platform",
  f_campaign: "Campaign",
  f_ties: "Minimum ties",
  noFilters: "No filters.",
  notApplied: "not applied to this view",
  showing: "Showing {n} of {m} {what}",
  showMore: "Show {n} more",
  handle: "Handle",
  name: "Name",
  bio: "Bio",
  created: "Created",
  followers: "Followers",
  following: "Following",
  location: "Location",
  posts: "Posts",
  activePeriod: "Active",
  source: "Source",
  role: "Role",
  findings: "Findings",
  explanation: "Explanation",
  strength: "Strength",
  ties: "Ties",
  partner: "Partner",
  weight: "Weight",
  pValue: "p-value",
  lift: "Lift",
  tier: "Tier",
  open: "Open",
  openTie: "Open tie",
  pairs: "Post pairs",
  pairsIntro: "Every pair of their posts on a shared object within the window, in time order.",
  first: "First",
  gap: "Gap",
  object: "Object",
  layer: "Layer",
  text: "Text",
  row: "row",
  firstWas: "{who} first",
  sameTime: "same time",
  day: "Day",
  hour: "Hour",
  count: "Count",
  kind: "Kind",
  value: "Value",
  shares: "Shares",
  noData: "Nothing to show.",
  loading: "Loading…",
  error: "Could not load: {msg}",
  graphTable: "Table of the graph",
  graphHelp:
    "Arrow keys or Tab move between accounts; Enter opens one. Hover or focus an account to highlight its neighbours.",
  neighbours: "Neighbours",
  focused: "Selected account",
  legend: "Legend",
  nodeSize: "Node size: account score",
  coreMember: "core member (★ before the name)",
  role_core: "core",
  role_member: "member",
  role_fringe: "fringe",
  peripheral: "other member",
  inCampaign: "in a campaign (its number after the name)",
  inNoCampaign: "in no campaign",
  allDrawn: "Few enough accounts to draw them all; each campaign's members carry its number.",
  brushHelp: "Drag across the timeline to filter every view by date; Escape clears.",
  heatmapNote:
    "Posts by the members per hour of the week. The case stores UTC hours; the picker shifts them by the zone's offset on {date}.",
  heatmapServer:
    "Posts by the members per hour of the week, each read in the chosen zone (summer time included).",
  timelineServer: "Posts by the members per day (UTC).",
  tieTimeline: "Posts of A and B per day (UTC).",
  pairKeys: "j / k or ↓ / ↑ move between pairs.",
  copyPair: "Copy as text",
  copied: "Copied",
  timelineCampaign: "The members' shares inside bursts, per day (UTC).",
  downloadFindings: "findings.json (the findings document)",
  downloadCsv: "CSV table",
  downloadGexf: "GEXF (Gephi)",
  downloadGraphml: "GraphML",
  downloadPng: "PNG of the current graph view",
  downloadSvg: "SVG of the current graph view",
  close: "Close",
  fromServer: "From the case",
  ofView: "Of the current view",
  noGraphHere: "Open a campaign or the whole-case graph to export a picture of it.",
  expand: "Expand",
  collapse: "Collapse",
  grouped: "Campaign {id}: {n} accounts",
  ungrouped: "accounts in no campaign",
  explorerIntro:
    "Grouped, each campaign is one node and the accounts in no campaign one more; expand a campaign to see its accounts and ties. The tables list the campaigns and the accounts drawn.",
  groupByCampaign: "Group by campaign",
  groupedAbove: "More than {n} accounts are in scope: campaigns are always grouped.",
  groupedAlways: "This server always groups campaigns.",
  drawnAs: "Drawn as {groups} grouped nodes and {accounts} single accounts.",
  inView: "In this view",
  notesAll: "All notes and labels",
  target: "Target",
  written: "Written",
  labels: "Labels",
  prev: "Previous",
  next: "Next",
  none: "(none)",
  cut: "… ({n} more characters)",
  hiddenChar: "hidden character {cp}: {name}",
  example: "Example pair",
  examples: "Example post pairs",
  evidence: "Evidence",
  caseFile: "Case",
  analysis: "Analysis",
  ruledOut: "Groups ruled out as organic",
  counts: "Counts",
  total: "Total",
  backToCampaign: "Back to campaign",
  allCampaigns: "All campaigns",
  timelineTable: "Posts per day",
  heatmapTable: "Posts per hour of week",
  weekday0: "Mon",
  weekday1: "Tue",
  weekday2: "Wed",
  weekday3: "Thu",
  weekday4: "Fri",
  weekday5: "Sat",
  weekday6: "Sun",
  apply: "Apply",
  from: "From",
  to: "To",
  min: "Minimum",
  accountsWord: "accounts",
  campaignsWord: "campaigns",
  pairsWord: "post pairs",
  tiesWord: "ties",
  objectsWord: "objects",
  daysWord: "days",
  notesWord: "notes",
  chanceLevel: "chance level",
  tieNotes: "About these ties",
  fringe: "Fringe",
  fringeText:
    "Accounts in no campaign that joined this group's bursts on separate occasions: each post below came within the window of at least three members' shares of an object the members made most of. Too few posts to tie them to anyone; they add nothing to the campaign's ties or confidence.",
  fringeMembers: "{n} members within the window",
  search: "Find an account",
  searchLabel: "Handle, name or id",
  searchButton: "Find",
  searchResults: "Accounts matching “{q}”",
  searchNone: "No account's handle, name or id holds “{q}”.",
  platform: "Platform",
  messages: "Reported email",
  messagesWord: "messages",
  messagesIntro:
    "Messages reported to the helpline, triaged offline (headers, senders, links, attachments, language). A verdict says how dangerous a message looks and why, not who sent it. Senders, links and the URLs and addresses in subjects are defanged (hxxps://evil[.]example); subjects are otherwise shown as they arrived.",
  messagesLine: "{n} reported messages, {m} malicious or suspicious",
  messagesNone: "No message has this verdict.",
  verdict: "Verdict",
  verdictAll: "All verdicts",
  verdict_hostile: "malicious or suspicious",
  verdict_malicious: "malicious",
  verdict_suspicious: "suspicious",
  "verdict_no-signs-found": "no signs found",
  verdict_unknown: "unknown",
  time: "Time",
  sender: "Sender",
  subject: "Subject",
  reasons: "Strongest reasons",
  fileRow: "File and row",
  messageRow: "message {n}",
  notInCampaign: "not in a campaign",
  layer_url: "url",
  layer_domain: "domain",
  layer_hashtag: "hashtag",
  layer_mention: "mention",
  layer_repost: "repost",
  layer_reply: "reply",
  layer_quote: "quote",
  layer_text: "text",
  layer_image: "image",
  layer_sync: "sync",
  "layer_fast-repost": "fast-repost",
  layer_rhythm: "rhythm",
  layer_creation: "creation",
  "layer_email-infrastructure": "email-infrastructure",
  gapMedian: "Gap (median)",
  postId: "id",
  version: "v{v}",
  graphRole: "graph",
  tier_significant: "significant",
  tier_candidate: "candidate",
  tier_chance: "chance",
  tier_context: "context",
  strength_strong: "strong",
  strength_moderate: "moderate",
  strength_weak: "weak",
  "detector_co-share": "co-share",
  "detector_near-duplicate": "near-duplicate",
  detector_sync: "sync",
  detector_rhythm: "rhythm",
  "detector_creation-burst": "creation-burst",
  detector_impersonation: "impersonation",
  detector_automation: "automation",
  "detector_email-infrastructure": "email-infrastructure",
} as const;

export type Key = keyof typeof EN;

const FA: Partial<Record<Key, string>> = {
  appName: "کُر",
  skip: "رفتن به محتوا",
  overview: "نمای کلی پرونده",
  campaigns: "کارزارها",
  campaign: "کارزار",
  account: "حساب",
  accounts: "حساب‌ها",
  tie: "پیوند",
  explorer: "گراف کل پرونده",
  notes: "یادداشت‌ها",
  export: "خروجی",
  language: "زبان",
  calendar: "تقویم",
  gregorian: "میلادی",
  persian: "شمسی (جلالی)",
  timeZone: "منطقهٔ زمانی",
  inputs: "ورودی‌ها و منشأ",
  file: "پرونده",
  format: "قالب",
  rows: "ردیف‌ها",
  rejected: "ردشده",
  ingested: "زمان ورود",
  rejectReasons: "چرا ردیف‌ها رد شدند",
  noRejects: "هیچ ردیفی رد نشد.",
  detectors: "آشکارسازها",
  detector: "آشکارساز",
  status: "وضعیت",
  message: "پیام",
  status_ok: "اجرا شد",
  status_skipped: "رد شد",
  status_error: "خطا",
  score: "امتیاز",
  confidence: "اطمینان",
  members: "اعضا",
  layers: "لایه‌ها",
  firstSeen: "نخستین فعالیت",
  lastSeen: "آخرین فعالیت",
  label: "برچسب",
  label_confirmed: "تأییدشده",
  label_benign: "بی‌خطر",
  label_unsure: "نامطمئن",
  label_none: "بدون برچسب",
  removeLabel: "حذف برچسب",
  undo: "واگرد آخرین تغییر",
  undone: "واگردانده شد",
  undoneLabel: "یک برچسب",
  undoneNote: "یک یادداشت",
  undoneHere: "واگردانده شد: {what} در همین صفحه.",
  undoneElsewhere: "واگردانده شد: {what} روی {kind} {id} (آخرین تغییر پرونده).",
  nothingToUndo: "چیزی برای واگرد نمانده است.",
  addNote: "افزودن یادداشت",
  notePlaceholder: "چه چیزی را بررسی کردید و به چه نتیجه‌ای رسیدید…",
  deleteNote: "حذف",
  noNotes: "هنوز یادداشتی نیست.",
  summary: "خلاصه",
  canProve: "این شواهد چه چیزی را نشان می‌دهند",
  cannotProve: "چه چیزی را نشان نمی‌دهند",
  canProveText:
    "این‌که این حساب‌ها روی اشیا و لایه‌های فهرست‌شده بیش از آنچه شانس و فعالیت خودشان توضیح می‌دهد، و در فاصلهٔ زمانی نزدیک‌تر، با هم عمل کرده‌اند.",
  canProveTextCompat:
    "این‌که این حساب‌ها اشیای فهرست‌شده را در بازهٔ زمانی آن‌قدر با هم هم‌رسانی کرده‌اند که از چندک وزن یال‌های CooRTweet گذشته‌اند. در این حالت سازگاری، پیوندها شمارش خام‌اند: هیچ آزمونی در برابر شانس یا فعالیت خود حساب‌ها پشتشان نیست.",
  cannotProveText:
    "این‌که چه کسی آن‌ها را اداره می‌کند، چرا، یا این‌که حسابی خودکار یا پولی است. گروه‌های طبیعی (هواداران، بازنشر خبر، لحظه‌های داغ) می‌توانند شبیه باشند: پیش از نتیجه‌گیری جفت پست‌ها را بخوانید.",
  tabGraph: "گراف حساب‌ها",
  tabTimeline: "خط زمان",
  tabHeatmap: "ساعت‌های هفته",
  tabObjects: "اشیای مشترک",
  filters: "پالایه‌ها",
  addFilter: "افزودن پالایه",
  remove: "حذف",
  clearFilters: "پاک کردن همه",
  f_layer: "لایه",
  f_window: "پنجره (ثانیه)",
  f_score: "کمترین امتیاز",
  f_dates: "بازهٔ تاریخ",
  f_platform: "سکو",
  f_campaign: "کارزار",
  f_ties: "کمترین تعداد پیوند",
  noFilters: "بدون پالایه.",
  notApplied: "در این نما اعمال نمی‌شود",
  showing: "نمایش {n} از {m} {what}",
  showMore: "نمایش {n} مورد دیگر",
  handle: "نام کاربری",
  name: "نام",
  bio: "زندگی‌نامه",
  created: "ساخته‌شده",
  followers: "دنبال‌کنندگان",
  following: "دنبال‌شوندگان",
  location: "مکان",
  posts: "پست‌ها",
  activePeriod: "دورهٔ فعالیت",
  source: "منبع",
  role: "نقش",
  findings: "یافته‌ها",
  explanation: "توضیح",
  strength: "قوت",
  ties: "پیوندها",
  partner: "طرف دیگر",
  weight: "وزن",
  pValue: "مقدار p",
  lift: "نسبت به انتظار",
  tier: "رده",
  open: "باز کردن",
  openTie: "باز کردن پیوند",
  pairs: "جفت پست‌ها",
  pairsIntro: "هر جفت از پست‌های آن دو روی یک شیء مشترک در پنجرهٔ زمانی، به ترتیب زمان.",
  first: "اول",
  gap: "فاصله",
  object: "شیء",
  layer: "لایه",
  text: "متن",
  row: "ردیف",
  firstWas: "{who} اول بود",
  sameTime: "هم‌زمان",
  day: "روز",
  hour: "ساعت",
  count: "تعداد",
  kind: "نوع",
  value: "مقدار",
  shares: "اشتراک‌ها",
  noData: "چیزی برای نمایش نیست.",
  loading: "در حال بارگذاری…",
  error: "بارگذاری نشد: {msg}",
  graphTable: "جدول گراف",
  graphHelp:
    "با کلیدهای جهت یا Tab میان حساب‌ها حرکت کنید؛ Enter یکی را باز می‌کند. با بردن نشانگر یا تمرکز روی یک حساب، همسایه‌هایش برجسته می‌شوند.",
  neighbours: "همسایه‌ها",
  focused: "حساب انتخاب‌شده",
  legend: "راهنما",
  nodeSize: "اندازهٔ گره: امتیاز حساب",
  coreMember: "عضو هسته (★ پیش از نام)",
  role_core: "هسته",
  role_member: "عضو",
  role_fringe: "حاشیه",
  peripheral: "عضو دیگر",
  inCampaign: "عضو یک کارزار (شمارهٔ آن پس از نام)",
  inNoCampaign: "بیرون از کارزارها",
  allDrawn: "حساب‌ها آن‌قدر کم‌اند که همه رسم شوند؛ اعضای هر کارزار شمارهٔ آن را دارند.",
  brushHelp: "برای پالایش همهٔ نماها بر اساس تاریخ، روی خط زمان بکشید؛ Escape پاک می‌کند.",
  heatmapServer: "پست‌های اعضا در هر ساعت هفته، هر کدام به وقت منطقهٔ انتخاب‌شده (با احتساب ساعت تابستانی).",
  timelineServer: "پست‌های اعضا در هر روز (UTC).",
  tieTimeline: "پست‌های A و B در هر روز (UTC).",
  pairKeys: "با j / k یا ↓ / ↑ میان جفت‌ها حرکت کنید.",
  copyPair: "رونوشت به صورت متن",
  copied: "رونوشت شد",
  timelineCampaign: "اشتراک‌های اعضا درون انفجارها، در هر روز (UTC).",
  heatmapNote:
    "پست‌های اعضا در هر ساعت هفته. پرونده ساعت‌ها را به UTC نگه می‌دارد؛ انتخابگر آن‌ها را به اندازهٔ اختلاف منطقه در {date} جابه‌جا می‌کند.",
  downloadFindings: "findings.json (سند یافته‌ها)",
  downloadCsv: "جدول CSV",
  downloadGexf: "GEXF (برای Gephi)",
  downloadGraphml: "GraphML",
  downloadPng: "تصویر PNG نمای کنونی گراف",
  downloadSvg: "تصویر SVG نمای کنونی گراف",
  close: "بستن",
  fromServer: "از پرونده",
  ofView: "از نمای کنونی",
  noGraphHere: "برای خروجی تصویر، یک کارزار یا گراف کل پرونده را باز کنید.",
  expand: "گشودن",
  collapse: "بستن",
  grouped: "کارزار {id}: {n} حساب",
  ungrouped: "حساب‌های بیرون از کارزارها",
  explorerIntro:
    "در نمای گروهی هر کارزار یک گره است و حساب‌های بیرون از کارزارها یک گرهٔ دیگر؛ با گشودن یک کارزار حساب‌ها و پیوندهایش دیده می‌شوند. جدول‌ها کارزارها و حساب‌های رسم‌شده را فهرست می‌کنند.",
  groupByCampaign: "گروه‌بندی بر پایهٔ کارزار",
  groupedAbove: "بیش از {n} حساب در دامنه است: کارزارها همیشه گروه‌بندی می‌شوند.",
  groupedAlways: "این سرور کارزارها را همیشه گروه‌بندی می‌کند.",
  drawnAs: "رسم‌شده به صورت {groups} گرهٔ گروهی و {accounts} حساب تکی.",
  inView: "در این نما",
  notesAll: "همهٔ یادداشت‌ها و برچسب‌ها",
  target: "موضوع",
  written: "نوشته‌شده",
  labels: "برچسب‌ها",
  prev: "قبلی",
  next: "بعدی",
  none: "(هیچ)",
  cut: "… ({n} نویسهٔ دیگر)",
  hiddenChar: "نویسهٔ پنهان {cp}: {name}",
  example: "جفت نمونه",
  examples: "جفت پست‌های نمونه",
  evidence: "شواهد",
  caseFile: "پرونده",
  analysis: "تحلیل",
  ruledOut: "گروه‌هایی که طبیعی تشخیص داده شدند",
  counts: "شمارش‌ها",
  total: "مجموع",
  backToCampaign: "بازگشت به کارزار",
  allCampaigns: "همهٔ کارزارها",
  timelineTable: "پست‌ها در هر روز",
  heatmapTable: "پست‌ها در هر ساعت هفته",
  weekday0: "دوشنبه",
  weekday1: "سه‌شنبه",
  weekday2: "چهارشنبه",
  weekday3: "پنجشنبه",
  weekday4: "جمعه",
  weekday5: "شنبه",
  weekday6: "یکشنبه",
  apply: "اعمال",
  from: "از",
  to: "تا",
  min: "کمینه",
  accountsWord: "حساب",
  campaignsWord: "کارزار",
  pairsWord: "جفت پست",
  tiesWord: "پیوند",
  objectsWord: "شیء",
  daysWord: "روز",
  notesWord: "یادداشت",
  chanceLevel: "در حد شانس",
  tieNotes: "دربارهٔ این پیوندها",
  fringe: "حاشیه",
  fringeText:
    "حساب‌هایی که در هیچ کارزاری نیستند اما در نوبت‌های جداگانه به فوران‌های این گروه پیوستند: هر پست زیر در بازهٔ زمانیِ دست‌کم سه هم‌رسانیِ اعضا از چیزی آمد که بیشترِ هم‌رسانی‌هایش از اعضا بود. پست‌هایشان کمتر از آن است که آن‌ها را به کسی پیوند دهد؛ چیزی به پیوندها یا اطمینانِ کارزار نمی‌افزایند.",
  fringeMembers: "{n} عضو در همان بازه",
  search: "یافتن حساب",
  searchLabel: "نام کاربری، نام یا شناسه",
  searchButton: "یافتن",
  searchResults: "حساب‌های مطابق با «{q}»",
  searchNone: "نام کاربری، نام یا شناسهٔ هیچ حسابی «{q}» را ندارد.",
  platform: "سکو",
  messages: "ایمیل‌های گزارش‌شده",
  messagesWord: "پیام",
  messagesIntro:
    "پیام‌هایی که به خط کمک گزارش شده‌اند و به‌صورت آفلاین بررسی شده‌اند (سرآیندها، فرستنده‌ها، پیوندها، پیوست‌ها، زبان). حکم هر پیام می‌گوید چقدر خطرناک به نظر می‌رسد و چرا، نه این‌که چه کسی آن را فرستاده است. فرستنده‌ها، پیوندها و نشانی‌های درون موضوع‌ها بی‌اثر شده‌اند (hxxps://evil[.]example)؛ موضوع‌ها جز این همان‌طور که رسیده‌اند نشان داده می‌شوند.",
  messagesLine: "{n} پیام گزارش‌شده، {m} مخرب یا مشکوک",
  messagesNone: "هیچ پیامی این حکم را ندارد.",
  verdict: "حکم",
  verdictAll: "همهٔ حکم‌ها",
  verdict_hostile: "مخرب یا مشکوک",
  verdict_malicious: "مخرب",
  verdict_suspicious: "مشکوک",
  "verdict_no-signs-found": "بی‌نشانه",
  verdict_unknown: "نامعلوم",
  time: "زمان",
  sender: "فرستنده",
  subject: "موضوع",
  reasons: "قوی‌ترین دلیل‌ها",
  fileRow: "پرونده و ردیف",
  messageRow: "پیام {n}",
  notInCampaign: "در هیچ کارزاری نیست",
  layer_url: "لینک",
  layer_domain: "دامنه",
  layer_hashtag: "هشتگ",
  layer_mention: "نام‌بردن",
  layer_repost: "بازنشر",
  layer_reply: "پاسخ",
  layer_quote: "نقل‌قول",
  layer_text: "متن",
  layer_image: "تصویر",
  layer_sync: "هم‌زمانی",
  "layer_fast-repost": "بازنشر سریع",
  layer_rhythm: "نوبت‌های کاری",
  layer_creation: "ساخت حساب",
  "layer_email-infrastructure": "زیرساخت ایمیل",
  gapMedian: "فاصله (میانه)",
  postId: "شناسه",
  version: "نسخهٔ {v}",
  graphRole: "گراف",
  tier_significant: "معنادار",
  tier_candidate: "نامزد",
  tier_chance: "تصادفی",
  tier_context: "زمینه‌ای",
  strength_strong: "قوی",
  strength_moderate: "متوسط",
  strength_weak: "ضعیف",
  "detector_co-share": "هم‌رسانی",
  "detector_near-duplicate": "متن‌های تقریباً یکسان",
  detector_sync: "هم‌زمانی",
  detector_rhythm: "نوبت‌های کاری",
  "detector_creation-burst": "موج ساخت حساب",
  detector_impersonation: "جعل هویت",
  detector_automation: "خودکارسازی",
  "detector_email-infrastructure": "زیرساخت ایمیل",
};

/** Every key of the dictionary (for the completeness test). */
export const KEYS = Object.keys(EN) as Key[];

/** A campaign member's role in the interface's words; a role the interface does not know, as the data names it. */
export function roleKey(role: string): Key | null {
  const key = `role_${role}`;
  return (KEYS as string[]).includes(key) ? (key as Key) : null;
}
/**
 * The closed vocabularies of the data that the interface names in its own words: a tie's layer and tier, a
 * finding's strength, a detector, a reported message's verdict, a member's role, a detector's status, a label.
 * Each word is the key `<vocabulary>_<value>`; English says the value as the data names it.
 */
export type Vocabulary = "layer" | "tier" | "strength" | "detector" | "verdict" | "role" | "status" | "label";

/**
 * A value of one of the data's vocabularies in the interface's words; a value the interface does not know, as the
 * data names it. URLs, data attributes and the API keep the value itself.
 *
 * @example
 * term("fa", "strength", "strong"); // "قوی"
 * term("fa", "detector", "co-share"); // "هم‌رسانی"
 * term("fa", "tier", "someday"); // "someday"
 */
export function term(lang: Lang, vocabulary: Vocabulary, value: string): string {
  const key = `${vocabulary}_${value}`;
  return (KEYS as string[]).includes(key) ? t(lang, key as Key) : value;
}

/**
 * A layer of ties (the kind of object shared, or the behaviour) in the interface's words; a layer the interface does
 * not know, as the data names it. Data attributes and the URL keep the layer's own name.
 *
 * @example
 * layerName("fa", "repost"); // "بازنشر"
 */
export function layerName(lang: Lang, layer: string): string {
  return term(lang, "layer", layer);
}
/** Several layers in the interface's words, with its comma ("بازنشر، پاسخ"). */
export function layerList(lang: Lang, layers: readonly string[]): string {
  return layers.map((l) => layerName(lang, l)).join(lang === "fa" ? "، " : ", ");
}
export const PERSIAN = FA;

/**
 * The string for `key` in `lang`, with `{name}` placeholders filled from `vars`.
 *
 * @example
 * t("en", "showing", { n: 3, m: 10, what: "accounts" }); // "Showing 3 of 10 accounts"
 */
export function t(lang: Lang, key: Key, vars: Record<string, string | number> = {}): string {
  const s = (lang === "fa" ? FA[key] : undefined) ?? EN[key];
  return s.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** A count or measure in the interface's digits (Persian digits in Persian). */
export function formatNumber(n: number, prefs: Pick<DisplayPrefs, "lang">, maxFractionDigits = 3): string {
  const id = `${prefs.lang}|${maxFractionDigits}`;
  let f = numberFormats.get(id);
  if (!f) {
    f = new Intl.NumberFormat(prefs.lang === "fa" ? "fa-IR" : "en-US", {
      maximumFractionDigits: maxFractionDigits,
    });
    numberFormats.set(id, f);
  }
  return f.format(n);
}

/** A p-value: scientific notation below 0.001, so 1e-13 does not read as 0. */
export function formatP(p: number | null | undefined, prefs: Pick<DisplayPrefs, "lang">): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return "–";
  if (p >= 0.001) return formatNumber(p, prefs, 3);
  const [m, e] = p.toExponential(1).split("e");
  return `${formatNumber(Number(m), prefs, 1)}×10^${formatNumber(Number(e), prefs, 0)}`;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(prefs: DisplayPrefs, withTime: boolean): Intl.DateTimeFormat {
  const id = `${prefs.lang}|${prefs.calendar}|${prefs.tz}|${withTime}`;
  let f = dateFormats.get(id);
  if (!f) {
    const locale = `${prefs.lang === "fa" ? "fa-IR" : "en-GB"}-u-ca-${prefs.calendar === "persian" ? "persian" : "gregory"}-nu-${prefs.lang === "fa" ? "arabext" : "latn"}`;
    f = new Intl.DateTimeFormat(locale, {
      timeZone: prefs.tz,
      year: "numeric",
      month: "short",
      day: "numeric",
      ...(withTime ? { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" } : {}),
    });
    dateFormats.set(id, f);
  }
  return f;
}

/**
 * An ISO timestamp for display in the chosen calendar, digits and zone; the zone is named unless it is UTC.
 * Unreadable input is shown as it came, never dropped.
 *
 * @example
 * formatDate("2024-03-20T12:00:00Z", { lang: "fa", calendar: "persian", tz: "UTC" }, true);
 * // "۱ فروردین ۱۴۰۳، ۱۲:۰۰:۰۰"
 */
export function formatDate(iso: string | null | undefined, prefs: DisplayPrefs, withTime = false): string {
  if (!iso) return "–";
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  // a bare day is a UTC day: show it as such, whatever the zone
  const p = iso.length === 10 ? { ...prefs, tz: "UTC" } : prefs;
  return dateFormat(p, withTime).format(d);
}

/** Milliseconds, or null for an unreadable timestamp. */
export function parseTime(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * A gap between two posts, in the largest unit that keeps it readable: "2.1 s", "4 min 10 s", "3 h 5 min".
 */
export function formatGap(seconds: number, prefs: Pick<DisplayPrefs, "lang">): string {
  const s = Math.abs(seconds);
  const n = (v: number, d = 0) => formatNumber(v, prefs, d);
  const unit = (en: string, fa: string) => (prefs.lang === "fa" ? fa : en);
  if (s < 60) return `${n(s, s < 10 ? 3 : 1)} ${unit("s", "ثانیه")}`;
  if (s < 3600)
    return `${n(Math.floor(s / 60))} ${unit("min", "دقیقه")} ${n(Math.round(s % 60))} ${unit("s", "ثانیه")}`;
  if (s < 86400)
    return `${n(Math.floor(s / 3600))} ${unit("h", "ساعت")} ${n(Math.round((s % 3600) / 60))} ${unit("min", "دقیقه")}`;
  return `${n(s / 86400, 1)} ${unit("days", "روز")}`;
}
