/** Messages built in tests, so that every byte of an attachment is exactly known. */

export interface TestAttachment {
  name: string;
  data: Buffer;
  /** Declared type; application/octet-stream unless given. */
  type?: string;
}

/**
 * A multipart message with a short text part and the attachments in base64; `from` and `subject` as given.
 *
 * @example
 * const raw = messageWithAttachments([{ name: "a.rar", data: rar }], { from: "A <a@x.example>" });
 */
export function messageWithAttachments(
  attachments: TestAttachment[],
  opts: { from?: string; to?: string; subject?: string; messageId?: string } = {},
): string {
  return [
    `From: ${opts.from ?? "Sender <a@sender.example>"}`,
    `To: ${opts.to ?? "b@desk.example"}`,
    `Subject: ${opts.subject ?? "files"}`,
    "Date: Fri, 20 Nov 2026 10:00:00 +0000",
    ...(opts.messageId ? [`Message-ID: ${opts.messageId}`] : []),
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="b"',
    "",
    "--b",
    "Content-Type: text/plain",
    "",
    "attached",
    ...attachments.flatMap((a) => [
      "--b",
      `Content-Type: ${a.type ?? "application/octet-stream"}; name="${a.name}"`,
      `Content-Disposition: attachment; filename="${a.name}"`,
      "Content-Transfer-Encoding: base64",
      "",
      a.data.toString("base64"),
    ]),
    "--b--",
    "",
  ].join("\r\n");
}
