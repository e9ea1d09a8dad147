/**
 * The click-tracking domains of bulk-mail services: a newsletter sent through one of them has every link rewritten
 * to go through the service's redirect, which counts the click and forwards to the site the link shows. A link
 * that shows the sender's own site but goes to one of these is how bulk mail counts clicks, not a disguise, when the
 * receiving provider authenticated the sender (see `checkLink`); from a sender it did not authenticate, the same
 * link is weighed as any link that goes elsewhere than it shows, since anyone can open an account with these
 * services.
 *
 * Maintained by hand. Each entry names the service, the form its links take where documented, and where its use as
 * a click tracker was documented or reported; add new ones the same way. An entry is a registrable domain, not a
 * host (the services put account, region or data-centre labels in front of it), and one that is the service's
 * alone: a tracking domain a customer brands (a CNAME under the customer's own domain) is the sender's own site and
 * needs no entry.
 */

export interface ClickTracker {
  /** Registrable domain of the redirect (public suffix list). */
  domain: string;
  /** The bulk-mail service that runs it. */
  service: string;
  /** What its tracked links look like, where documented. */
  link?: string;
  /** Where the domain was documented or seen as the service's click tracker. */
  source: string;
  /**
   * The domain also serves pages its customers write (a landing page, a form): a link to one of those is the
   * sender's own content, which may be a phish's, and binds the messages that share it.
   */
  customerPages?: true;
}

/** The source of the entries that were listed before each entry named its source. */
const UNSOURCED = "listed before sources were recorded; to be sourced";

export const CLICK_TRACKER_LIST: readonly ClickTracker[] = [
  {
    domain: "list-manage.com",
    service: "Mailchimp",
    link: "https://ORG.usNN.list-manage.com/track/click?u=…&id=…",
    source:
      "Mailchimp's click-tracking, unsubscribe and view-in-browser domain " +
      "(mailflowauthority.com/definitions/list-manage-com-explained)",
  },
  {
    domain: "mailchimpapp.net",
    service: "Mailchimp",
    source:
      "QA report: the click-tracking links of an authenticated Mailchimp newsletter; the domain is Mailchimp's own " +
      "(spf.mailchimpapp.net, inbound.mailchimpapp.net)",
  },
  {
    domain: "sendgrid.net",
    service: "Twilio SendGrid",
    link: "https://uNNNN.ct.sendgrid.net/ls/click?upn=…",
    source:
      "SendGrid docs, Click Tracking: links are rewritten to SendGrid's servers unless the sender brands them " +
      "(docs.sendgrid.com/ui/analytics-and-reporting/click-tracking-html-best-practices)",
  },
  {
    domain: "awstrack.me",
    service: "Amazon SES",
    link: "https://XXXXX.r.us-west-1.awstrack.me/L0/https:%2F%2F…",
    source:
      "Amazon SES Developer Guide, Configuring custom domains to handle open and click tracking: by default links " +
      "go through an Amazon SES-operated domain (docs.aws.amazon.com/ses/latest/dg/configure-custom-open-click-domains.html)",
  },
  {
    domain: "pstmrk.it",
    service: "Postmark",
    link: "https://click.pstmrk.it/…",
    source:
      "Postmark user guide, Tracking links: the tracking domain recipients see is click.pstmrk.it " +
      "(postmarkapp.com/developer/user-guide/tracking-links)",
  },
  { domain: "mailchi.mp", service: "Mailchimp", source: UNSOURCED, customerPages: true },
  { domain: "mandrillapp.com", service: "Mailchimp Transactional (Mandrill)", source: UNSOURCED },
  { domain: "hubspotlinks.com", service: "HubSpot", source: UNSOURCED },
  { domain: "hubspotemail.net", service: "HubSpot", source: UNSOURCED },
  { domain: "rs6.net", service: "Constant Contact", source: UNSOURCED },
  { domain: "exct.net", service: "Salesforce Marketing Cloud (ExactTarget)", source: UNSOURCED },
  { domain: "sparkpostmail.com", service: "SparkPost", source: UNSOURCED },
  { domain: "mjt.lu", service: "Mailjet", source: UNSOURCED },
  { domain: "sendibt2.com", service: "Brevo (Sendinblue)", source: UNSOURCED },
  { domain: "sendibt3.com", service: "Brevo (Sendinblue)", source: UNSOURCED },
  { domain: "createsend1.com", service: "Campaign Monitor", source: UNSOURCED },
  { domain: "cmail19.com", service: "Campaign Monitor", source: UNSOURCED },
  { domain: "cmail20.com", service: "Campaign Monitor", source: UNSOURCED },
  { domain: "mlsend.com", service: "MailerLite", source: UNSOURCED },
  { domain: "klclick.com", service: "Klaviyo", source: UNSOURCED },
  { domain: "klclick1.com", service: "Klaviyo", source: UNSOURCED },
  { domain: "customeriomail.com", service: "Customer.io", source: UNSOURCED },
  { domain: "convertkit-mail2.com", service: "Kit (ConvertKit)", source: UNSOURCED },
];

const BY_DOMAIN: ReadonlyMap<string, ClickTracker> = new Map(CLICK_TRACKER_LIST.map((t) => [t.domain, t]));

/** The registrable domains of `CLICK_TRACKER_LIST`. */
export const CLICK_TRACKERS: ReadonlySet<string> = new Set(BY_DOMAIN.keys());

/**
 * The trackers' domains that serve only the service's redirects: every sender of the service links through them, so
 * they never bind strangers' messages nor go out as indicators (providers.ts).
 */
export const REDIRECT_ONLY_TRACKERS: ReadonlySet<string> = new Set(
  CLICK_TRACKER_LIST.filter((t) => t.customerPages !== true).map((t) => t.domain),
);

/** The click tracker a registrable domain belongs to, if it is one. */
export function clickTracker(registrable: string): ClickTracker | undefined {
  return BY_DOMAIN.get(registrable);
}
