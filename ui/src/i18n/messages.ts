// Every string the UI shows, in Bengali (the default) and English. Screens call t(key).
export const bn = {
  appName: "বার্তা",
  loginTitle: "লগইন",
  username: "ব্যবহারকারীর নাম",
  password: "পাসওয়ার্ড",
  logIn: "লগইন করুন",
  logOut: "লগআউট",
  server: "সার্ভার",
  mine: "আমার লেখা",
  deskQueue: "ডেস্কের সারি",
  newArticle: "নতুন লেখা",
  noArticles: "এখানে কোনো লেখা নেই",
  slugline: "স্লাগ",
  byline: "প্রতিবেদক",
  datelinePlace: "ডেটলাইন (স্থান)",
  sourceLine: "সূত্র",
  signOff: "সাইন-অফ",
  tags: "ট্যাগ (কমা দিয়ে আলাদা)",
  urgency: "জরুরিত্ব",
  embargo: "প্রকাশের আগে নয় (ঢাকা সময়)",
  words: "শব্দ",
  characters: "অক্ষর",
  readingTime: "পড়ার সময়",
  minutes: "মিনিট",
  undo: "ফিরিয়ে নিন",
  bijoyConverted: "বিজয় থেকে ইউনিকোডে রূপান্তরিত",
  phonetic: "ফোনেটিক (F12)",
  phoneticOn: "চালু",
  phoneticOff: "বন্ধ",
  "flag.pre_base_sign_at_word_start": "শব্দের শুরুতে কার-চিহ্ন",
  "flag.vowel_sign_without_base": "ব্যঞ্জন ছাড়া কার-চিহ্ন",
  "flag.stray_hasanta": "অপ্রাসঙ্গিক হসন্ত",
  "flag.mixed_bijoy_unicode": "বিজয় ও ইউনিকোড মিশে আছে",
  headline: "শিরোনাম",
  body: "মূল লেখা",
  desk: "ডেস্ক",
  back: "ফিরে যান",
  submit: "জমা দিন",
  approve: "অনুমোদন করুন",
  saved: "সংরক্ষিত",
  saving: "সংরক্ষণ হচ্ছে…",
  online: "অনলাইন",
  offline: "অফলাইন",
  syncing: "সিঙ্ক হচ্ছে…",
  pending: "অপেক্ষমাণ",
  syncNow: "এখনই সিঙ্ক করুন",
  language: "English",
  "state.draft": "খসড়া",
  "state.submitted": "জমা দেওয়া",
  "state.in_progress": "সম্পাদনায়",
  "state.returned": "ফেরত",
  "state.approved": "অনুমোদিত",
  "state.scheduled": "নির্ধারিত",
  "state.published": "প্রকাশিত",
  "state.corrected": "সংশোধিত",
  "state.unpublished": "অপ্রকাশিত",
  "state.killed": "বাতিল",
  "state.spiked": "স্পাইকড",
  "sync.local_only": "শুধু এই কম্পিউটারে",
  "sync.pending": "পাঠানোর অপেক্ষায়",
  "sync.synced": "সার্ভারে আছে",
  "sync.conflict": "দ্বন্দ্ব",
  "sync.rejected": "প্রত্যাখ্যাত",
  "error.network": "সার্ভারে পৌঁছানো যাচ্ছে না। লেখা এই কম্পিউটারে নিরাপদ আছে।",
  "error.unauthorized": "নাম বা পাসওয়ার্ড ভুল।",
  "error.generic": "কিছু একটা ভুল হয়েছে",
} as const;

export type MessageKey = keyof typeof bn;

export const en: Record<MessageKey, string> = {
  appName: "Barta",
  loginTitle: "Log in",
  username: "Username",
  password: "Password",
  logIn: "Log in",
  logOut: "Log out",
  server: "Server",
  mine: "My articles",
  deskQueue: "Desk queue",
  newArticle: "New article",
  noArticles: "No articles here",
  slugline: "Slugline",
  byline: "Byline",
  datelinePlace: "Dateline (place)",
  sourceLine: "Source line",
  signOff: "Sign-off",
  tags: "Tags (comma separated)",
  urgency: "Urgency",
  embargo: "Not before (Dhaka time)",
  words: "Words",
  characters: "Characters",
  readingTime: "Reading time",
  minutes: "min",
  undo: "Undo",
  bijoyConverted: "Converted from Bijoy to Unicode",
  phonetic: "Phonetic (F12)",
  phoneticOn: "on",
  phoneticOff: "off",
  "flag.pre_base_sign_at_word_start": "Vowel sign at the start of a word",
  "flag.vowel_sign_without_base": "Vowel sign without a consonant",
  "flag.stray_hasanta": "Stray hasanta",
  "flag.mixed_bijoy_unicode": "Bijoy and Unicode mixed",
  headline: "Headline",
  body: "Body",
  desk: "Desk",
  back: "Back",
  submit: "Submit",
  approve: "Approve",
  saved: "Saved",
  saving: "Saving…",
  online: "Online",
  offline: "Offline",
  syncing: "Syncing…",
  pending: "pending",
  syncNow: "Sync now",
  language: "বাংলা",
  "state.draft": "Draft",
  "state.submitted": "Submitted",
  "state.in_progress": "In progress",
  "state.returned": "Returned",
  "state.approved": "Approved",
  "state.scheduled": "Scheduled",
  "state.published": "Published",
  "state.corrected": "Corrected",
  "state.unpublished": "Unpublished",
  "state.killed": "Killed",
  "state.spiked": "Spiked",
  "sync.local_only": "Only on this computer",
  "sync.pending": "Waiting to send",
  "sync.synced": "On the server",
  "sync.conflict": "Conflict",
  "sync.rejected": "Rejected",
  "error.network": "The server cannot be reached. Your text is safe on this computer.",
  "error.unauthorized": "Wrong username or password.",
  "error.generic": "Something went wrong",
};

export type Lang = "bn" | "en";
let current: Lang = "bn";

export function setLang(lang: Lang): void {
  current = lang;
  document.documentElement.lang = lang;
}

export function lang(): Lang {
  return current;
}

export function t(key: MessageKey): string {
  return current === "bn" ? bn[key] : en[key];
}

const BENGALI_DIGITS = "০১২৩৪৫৬৭৮৯";

/** A number in the current language's digits (০–৯ in Bengali). */
export function num(n: number | bigint): string {
  const text = String(n);
  return current === "bn" ? text.replace(/[0-9]/g, (d) => BENGALI_DIGITS[Number(d)]) : text;
}
