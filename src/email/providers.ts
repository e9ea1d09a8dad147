/**
 * The big providers: free mail, platforms, mail-sending services, image hosts, CDNs, shorteners and file hosts,
 * whose domains strangers share all the time. Used by triage (a notification from one of them), by the
 * email-infrastructure detector (they never bind messages) and by sharing (they are never indicators).
 */
import { getDomain } from "tldts";
import { REDIRECT_ONLY_TRACKERS } from "./click-trackers.js";
import { FREEMAIL } from "./domains.js";
import { FREE_HOSTS } from "./links.js";

/**
 * Registrable domains that strangers share all the time and that never bind messages on their own: free mail,
 * big platforms, mail-sending services, image hosts, CDNs, shorteners, file hosts. Free-mail and file-host lists
 * come from the email triage; this adds the rest.
 */
export const PROVIDERS: ReadonlySet<string> = new Set([
  ...FREEMAIL,
  // bulk mail's click trackers (click-trackers.ts): every sender of the service links through them (not those that
  // also serve their customers' own pages, such as Mailchimp's landing pages on mailchi.mp)
  ...REDIRECT_ONLY_TRACKERS,
  // platforms and their static hosts
  "google.com",
  "googleusercontent.com",
  "googleapis.com",
  "gstatic.com",
  "ggpht.com",
  "youtube.com",
  "youtu.be",
  "microsoft.com",
  "office.com",
  "office365.com",
  "sharepoint.com",
  "live.net",
  "windows.net",
  "azureedge.net",
  "bing.com",
  "apple.com",
  "amazon.com",
  "amazonaws.com",
  "facebook.com",
  "fbcdn.net",
  "instagram.com",
  "whatsapp.com",
  "twitter.com",
  "x.com",
  "twimg.com",
  "linkedin.com",
  "licdn.com",
  "telegram.org",
  "t.me",
  "github.com",
  "githubusercontent.com",
  "wikipedia.org",
  "w3.org",
  "schema.org",
  // CDNs
  "cloudfront.net",
  "akamaihd.net",
  "akamai.net",
  "akamaized.net",
  "fastly.net",
  "cloudflare.com",
  "jsdelivr.net",
  // image hosts
  "imgur.com",
  "flickr.com",
  "staticflickr.com",
  "giphy.com",
  "gravatar.com",
  "wp.com",
  "wordpress.com",
  // mail-sending services and their tracking domains
  "mailchimp.com",
  "list-manage.com",
  "mcusercontent.com",
  "sendgrid.net",
  "sendgrid.com",
  "mailgun.org",
  "mailgun.net",
  "amazonses.com",
  "sparkpostmail.com",
  "mandrillapp.com",
  "constantcontact.com",
  "hubspot.com",
  "hubspotemail.net",
  "substack.com",
  "mailjet.com",
  "sendinblue.com",
  "brevo.com",
  "doubleclick.net",
  "google-analytics.com",
  // shorteners and file hosts
  "bit.ly",
  "tinyurl.com",
  "ow.ly",
  "t.co",
  "goo.gl",
  "is.gd",
  "dropbox.com",
  "box.com",
  "wetransfer.com",
]);

/** The registrable domain of a host (the host itself for IPs and unknown suffixes). */
export function registrable(host: string): string {
  return getDomain(host, { allowPrivateDomains: false }) ?? host;
}

/** Whether a host belongs to a big provider (by its registrable domain, or a listed file host). */
export function isProvider(host: string, extra: ReadonlySet<string>): boolean {
  const reg = registrable(host);
  return (
    PROVIDERS.has(reg) || extra.has(reg) || extra.has(host) || FREE_HOSTS.has(host) || FREE_HOSTS.has(reg)
  );
}
