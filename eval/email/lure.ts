/** What every lure shares: the context a kind is made in, what it promises, and small helpers for bodies and senders. */
import { FREEMAIL, type Lang, type Org, type Person } from "./actors.js";
import { htmlBody, type Draft } from "./compose.js";
import { Rng } from "./mime.js";

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

export interface Ctx {
  rng: Rng;
  org: Org;
  victim: Person & { addr: string };
  lang: Lang;
}

export interface Made {
  draft: Draft;
  expect: Expectation;
}

export type KindMaker = (c: Ctx) => Promise<Made> | Made;

export const orgName = (o: Org, lang: Lang): string =>
  lang === "fa" ? o.nameFa : lang === "ar" ? o.nameAr : o.name;
export const by = <T>(lang: Lang, v: Record<Lang, T>): T => v[lang];

/** Body text and HTML of a lure with one call-to-action link; some messages carry only HTML, some only text. */
export function linkBodies(
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

export function freemailSender(rng: Rng, p: Person): { addr: string; sender: Draft["sender"] } {
  const fm = rng.pick(FREEMAIL);
  return {
    addr: `${p.local}${rng.chance(0.4) ? rng.int(1, 999) : ""}@${fm.domain}`,
    sender: { how: "freemail", domain: fm.domain },
  };
}
