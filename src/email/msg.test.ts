import { describe, expect, it } from "vitest";
import type { FieldsData } from "@kenjiuno/msgreader";
import {
  isCompoundFile,
  MSG_BOUNDS,
  msgFieldsToMessage,
  msgHeaderBlock,
  msgToParsed,
  readMsg,
} from "./msg.js";

/** msgreader's shape for a message, as `getFileData()` returns it. */
const fields = (extra: Partial<FieldsData>): FieldsData => ({
  dataType: "msg",
  attachments: [],
  recipients: [],
  ...extra,
});

describe("msgFieldsToMessage", () => {
  it("maps sender, recipients, bodies and attachment bytes, preferring SMTP addresses over Exchange ones", () => {
    const m = msgFieldsToMessage(
      fields({
        subject: "Quarterly report",
        senderName: "Ana",
        senderEmail: "/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=ANA",
        senderSmtpAddress: "ana@ngo.example",
        body: "see attached",
        recipients: [
          { dataType: "recipient", name: "Bo", email: "bo@ngo.example", recipType: "cc" },
          { dataType: "recipient", name: "Exchange only", email: "/O=EX/CN=X" },
        ],
        attachments: [
          { dataType: "attachment", fileName: "r.pdf", attachMimeTag: "application/pdf", dataId: 7 },
        ],
      }),
      (a) => (a.dataId === 7 ? new Uint8Array([0x25, 0x50, 0x44, 0x46]) : undefined),
    );
    expect(m.senderEmail).toBe("ana@ngo.example");
    expect(m.recipients).toEqual([
      { name: "Bo", email: "bo@ngo.example", type: "cc" },
      { name: "Exchange only", type: "to" },
    ]);
    expect(m.attachments).toEqual([
      { filename: "r.pdf", contentType: "application/pdf", content: Buffer.from("%PDF") },
    ]);
  });

  it("decodes a binary HTML body and says which attachments had no data", () => {
    const m = msgFieldsToMessage(
      fields({
        ...({ html: new Uint8Array(Buffer.from("<p>سلام</p>", "utf8")) } as Partial<FieldsData>),
        attachments: [{ dataType: "attachment", fileName: "ole.bin" }],
      }),
      () => undefined,
    );
    expect(m.html).toBe("<p>سلام</p>");
    expect(m.notRead).toEqual([expect.stringContaining("ole.bin")]);
  });

  it("follows embedded messages only to the depth bound", () => {
    let inner = fields({ subject: `level ${MSG_BOUNDS.maxDepth + 2}` });
    for (let d = MSG_BOUNDS.maxDepth + 1; d >= 1; d--) {
      inner = fields({
        subject: `level ${d}`,
        attachments: [
          {
            dataType: "attachment",
            name: `inner${d + 1}`,
            innerMsgContent: true,
            innerMsgContentFields: inner,
          },
        ],
      });
    }
    let m = msgFieldsToMessage(inner, () => undefined);
    let depth = 0;
    while (m.embedded[0]) {
      m = m.embedded[0].message;
      depth++;
    }
    expect(depth).toBe(MSG_BOUNDS.maxDepth);
    expect(m.notRead).toEqual([expect.stringMatching(/deeper than 3 levels/)]);
  });

  it("counts embedded messages across the whole file", () => {
    const many = Array.from({ length: MSG_BOUNDS.maxEmbedded + 5 }, (_, i) => ({
      dataType: "attachment" as const,
      name: `m${i}`,
      innerMsgContent: true as const,
      innerMsgContentFields: fields({ subject: `m${i}` }),
    }));
    const m = msgFieldsToMessage(fields({ attachments: many }), () => undefined);
    expect(m.embedded).toHaveLength(MSG_BOUNDS.maxEmbedded);
    expect(m.notRead).toHaveLength(5);
  });
});

describe("msgHeaderBlock and msgToParsed", () => {
  it("keeps transport headers but drops the original body's Content-Type and its folded lines", () => {
    const block = msgHeaderBlock({
      transportHeaders:
        "Received: from a\r\n\tby b; Mon, 16 Nov 2026 07:55:21 +0000\r\nContent-Type: multipart/mixed;\r\n\tboundary=x\r\nFrom: p@q.example\r\n\r\n",
      recipients: [],
      attachments: [],
      embedded: [],
      notRead: [],
    });
    expect(block).toBe(
      "Received: from a\r\n\tby b; Mon, 16 Nov 2026 07:55:21 +0000\r\nFrom: p@q.example\r\n",
    );
  });

  it("rebuilds headers from properties without letting a name inject a header", async () => {
    const parsed = await msgToParsed({
      senderName: "Bank\r\nReply-To: evil@x.example",
      senderEmail: "notify@bank.example",
      subject: "Ваш счёт",
      recipients: [{ name: "Me", email: "me@ngo.example", type: "to" }],
      attachments: [],
      embedded: [],
      notRead: [],
      body: "hello",
    });
    expect(parsed.headers.map((h) => h.key)).toEqual(["from", "to", "subject"]);
    expect(parsed.mail.from?.value[0]?.address).toBe("notify@bank.example");
    expect(parsed.mail.subject).toBe("Ваш счёт");
    expect(parsed.mail.text).toBe("hello");
    expect(parsed.mail.html).toBe(false);
  });
});

describe("readMsg", () => {
  it("refuses what is not a compound file, and a compound file that is not a message, with a reason", () => {
    expect(readMsg(Buffer.from("From: a@b.example\r\n\r\nhi"))).toEqual({
      ok: false,
      problem: expect.stringMatching(/not an Outlook \.msg/),
    });
    const header = Buffer.alloc(512);
    header.writeUInt32LE(0xe011cfd0, 0);
    header.writeUInt32LE(0xe11ab1a1, 4);
    expect(isCompoundFile(header)).toBe(true);
    const r = readMsg(header);
    expect(r.ok).toBe(false);
  });
});
