/**
 * Authentication re-checked with DNS answers (opt-in: `--dns`, or a replayed `--dns-cache`): the DKIM signatures
 * against their published keys, SPF for the first external hop, and the From domain's DMARC policy, all through
 * mailauth. These answers are from now, not from delivery: keys rotate and records change, so results that the
 * receiving provider recorded at delivery stay the primary evidence, and these weigh little.
 */
import { authenticate } from "mailauth";
import { quietly } from "./auth.js";
import type { Resolver } from "./dns.js";
import type { Reason, ReceivedHop } from "./types.js";

export interface DnsAuthFindings {
  reasons: Reason[];
  notChecked: string[];
}

const H = "DNS (checked now)";

/**
 * Re-check a message's authentication with `resolver`. `receiverSaid` is true when the receiving provider's
 * Authentication-Results is present (then a failure found now is a note, not a signal).
 */
export async function checkAuthWithDns(
  raw: Buffer,
  resolver: Resolver,
  firstExternal: ReceivedHop | undefined,
  returnPath: string | undefined,
  receiverSaid: boolean,
): Promise<DnsAuthFindings> {
  const reasons: Reason[] = [];
  const notChecked: string[] = [];
  let r: Awaited<ReturnType<typeof authenticate>>;
  try {
    r = await quietly(() =>
      authenticate(raw, {
        resolver,
        ...(firstExternal?.ip ? { ip: firstExternal.ip } : {}),
        ...(firstExternal?.from ? { helo: firstExternal.from } : {}),
        ...(returnPath ? { sender: returnPath } : {}),
        mta: "chorus-triage",
        disableBimi: true,
      }),
    );
  } catch (err) {
    return {
      reasons,
      notChecked: [`authentication with DNS: it could not be run (${(err as Error).message})`],
    };
  }
  const comment = (s: { comment?: string | boolean }): string =>
    typeof s.comment === "string" && s.comment ? ` (${s.comment})` : "";
  for (const d of r.dkim?.results ?? []) {
    if (!d.signingDomain) continue;
    const res = d.status.result;
    const ev = {
      kind: "header" as const,
      ref: "DKIM-Signature",
      value: `d=${d.signingDomain} s=${d.selector ?? ""}`,
    };
    if (res === "pass") {
      reasons.push({
        code: "auth.dns-dkim-pass",
        severity: "info",
        weight: 0,
        message: `The DKIM signature of ${d.signingDomain} verifies with the key published now: the signed parts were not changed.`,
        evidence: ev,
      });
    } else if (res === "fail") {
      reasons.push({
        code: "auth.dns-dkim-fail",
        severity: "low",
        weight: receiverSaid ? 0 : 0.15,
        message: `The DKIM signature of ${d.signingDomain} does not verify with the key published now${comment(d.status)}: the message was altered, the signature forged, or the key has since changed.`,
        evidence: ev,
      });
    } else {
      notChecked.push(`the DKIM signature of ${d.signingDomain} with DNS: ${res}${comment(d.status)}`);
    }
  }
  const spf = r.spf || undefined;
  if (spf && firstExternal?.ip) {
    const res = spf.status.result;
    if (["fail", "softfail"].includes(res)) {
      reasons.push({
        code: "auth.dns-spf-fail",
        severity: "low",
        weight: receiverSaid ? 0 : res === "fail" ? 0.2 : 0.1,
        message: `Checked now, ${spf.domain ?? "the envelope sender's domain"} does not list ${firstExternal.ip}, where the message entered the mail system, as a sender (SPF ${res}).`,
        evidence: { kind: "header", ref: H, value: `spf=${res}` },
      });
    } else if (["temperror", "permerror"].includes(res)) {
      notChecked.push(`SPF with DNS: ${res}${comment(spf.status)}`);
    }
  } else if (!firstExternal?.ip) {
    notChecked.push("SPF with DNS: no Received header names the IP address the message came from");
  }
  const dmarc = r.dmarc || undefined;
  if (dmarc) {
    const res = dmarc.status.result;
    const policy = dmarc.policy ?? dmarc.p;
    if (res === "fail") {
      reasons.push({
        code: "auth.dns-dmarc-fail",
        severity: receiverSaid ? "info" : "medium",
        weight: receiverSaid ? 0 : 0.4,
        message: `Checked now, DMARC fails for ${dmarc.domain ?? "the From domain"}${policy ? ` (its policy: ${policy})` : ""}: neither an aligned DKIM signature nor SPF vouches for the From address.`,
        evidence: { kind: "header", ref: H, value: `dmarc=fail${policy ? ` p=${policy}` : ""}` },
      });
    } else if (res === "pass") {
      reasons.push({
        code: "auth.dns-dmarc-pass",
        severity: "info",
        weight: 0,
        message: `Checked now, DMARC passes for ${dmarc.domain ?? "the From domain"}: the message did come from that domain, which says nothing about whether the domain is honest.`,
        evidence: { kind: "header", ref: H, value: "dmarc=pass" },
      });
    } else if (res === "none") {
      reasons.push({
        code: "auth.dns-dmarc-none",
        severity: "info",
        weight: 0,
        message: `${dmarc.domain ?? "The From domain"} publishes no DMARC policy, so anyone can send mail in its name without receivers refusing it.`,
        evidence: { kind: "header", ref: H, value: "dmarc=none" },
      });
    } else {
      notChecked.push(`DMARC with DNS: ${res}${comment(dmarc.status)}`);
    }
  }
  return { reasons, notChecked };
}
