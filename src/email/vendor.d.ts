// Minimal typings for the parts of two CommonJS packages we use; neither ships its own.
declare module "mailparser" {
  export interface AddressObject {
    value: Array<{ address?: string; name: string; group?: unknown[] }>;
    text: string;
  }
  export interface Attachment {
    filename?: string;
    contentType: string;
    contentDisposition?: string;
    content: Buffer;
    size: number;
    related?: boolean;
    contentId?: string;
  }
  export interface ParsedMail {
    headerLines: Array<{ key: string; line: string }>;
    /** Parsed header values by lower-case name. */
    headers: Map<string, unknown>;
    inReplyTo?: string;
    references?: string | string[];
    subject?: string;
    from?: AddressObject;
    replyTo?: AddressObject;
    sender?: AddressObject;
    to?: AddressObject | AddressObject[];
    cc?: AddressObject | AddressObject[];
    date?: Date;
    messageId?: string;
    text?: string;
    html?: string | false;
    textAsHtml?: string;
    attachments: Attachment[];
  }
  export function simpleParser(
    input: Buffer | string,
    options?: { skipTextToHtml?: boolean; skipImageLinks?: boolean; maxHtmlLengthToParse?: number },
  ): Promise<ParsedMail>;
}

declare module "mailauth/lib/dkim/verify.js" {
  export interface DkimSignatureResult {
    signingDomain?: string;
    selector?: string;
    algo?: string;
    bodyHash?: string;
    bodyHashExpecting?: string;
    status: { result: string; comment?: string; aligned?: string | false; header?: Record<string, string> };
  }
  export function dkimVerify(
    input: Buffer,
    options: { resolver: (name: string, type: string) => Promise<unknown>; sender?: string },
  ): Promise<{ headerFrom?: string[]; envelopeFrom?: string | false; results: DkimSignatureResult[] }>;
}

declare module "mailauth" {
  export interface AuthStatus {
    result: string;
    comment?: string | boolean;
    aligned?: string | false;
  }
  export function authenticate(
    input: Buffer,
    options: {
      resolver: (name: string, type: string) => Promise<unknown>;
      ip?: string;
      helo?: string;
      sender?: string;
      mta?: string;
      disableBimi?: boolean;
      disableArc?: boolean;
    },
  ): Promise<{
    dkim?: { results?: Array<{ signingDomain?: string; selector?: string; status: AuthStatus }> };
    spf?: { domain?: string; status: AuthStatus } | false;
    dmarc?: { domain?: string; policy?: string; p?: string; status: AuthStatus } | false;
  }>;
}
