/**
 * Bitcoin addresses in a message's text: extortion mail ("send 1500 USD in Bitcoin to bc1q...") names the wallet
 * that receives the money, the one indicator of such a campaign that the sender cannot change cheaply. Only
 * addresses whose checksum holds are taken (Base58Check for the legacy `1...` and `3...` forms, BIP 173 bech32 and
 * BIP 350 bech32m for `bc1...`), so a random run of letters is not one.
 *
 * @example bitcoinAddresses("to bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh now") // ["bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"]
 */
import { createHash } from "node:crypto";

/** Addresses kept per message: a page of them is no ransom note. */
const MAX_ADDRESSES = 20;

const CANDIDATE_RE =
  /(?<![A-Za-z0-9])(?:[13][1-9A-HJ-NP-Za-km-z]{25,34}|bc1[02-9ac-hj-np-z]{11,71}|BC1[02-9AC-HJ-NP-Z]{11,71})(?![A-Za-z0-9])/g;
const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

const sha256 = (b: Uint8Array): Buffer => createHash("sha256").update(b).digest();

/** Whether a legacy address's Base58Check checksum holds and its version byte is mainnet's (0 or 5). */
function base58Valid(s: string): boolean {
  let n = 0n;
  for (const c of s) {
    const v = BASE58.indexOf(c);
    if (v < 0) return false;
    n = n * 58n + BigInt(v);
  }
  const hex = n.toString(16);
  const body = Buffer.from(hex.length % 2 ? "0" + hex : hex, "hex");
  const zeros = s.length - s.replace(/^1+/, "").length;
  const bytes = Buffer.concat([Buffer.alloc(zeros), body]);
  if (bytes.length !== 25 || (bytes[0] !== 0 && bytes[0] !== 5)) return false;
  const check = sha256(sha256(bytes.subarray(0, 21))).subarray(0, 4);
  return check.equals(bytes.subarray(21));
}

function polymod(values: number[]): number {
  const gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= gen[i]!;
  }
  return chk >>> 0;
}

/** Whether a `bc1` address's bech32 (witness version 0) or bech32m (later versions) checksum holds. */
function bech32Valid(address: string): boolean {
  const s = address.toLowerCase();
  const data = [...s.slice(3)].map((c) => BECH32.indexOf(c));
  if (data.some((v) => v < 0) || data.length < 7) return false;
  const hrp = [..."bc"].map((c) => c.charCodeAt(0));
  const expanded = [...hrp.map((c) => c >> 5), 0, ...hrp.map((c) => c & 31)];
  const check = polymod([...expanded, ...data]);
  const version = data[0]!;
  return version === 0 ? check === 1 : version <= 16 && check === 0x2bc830a3;
}

/** The Bitcoin addresses in `text` whose checksums hold, in order, without repeats. */
export function bitcoinAddresses(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(CANDIDATE_RE)) {
    const a = m[0];
    const ok = /^bc1/i.test(a) ? bech32Valid(a) : base58Valid(a);
    const value = /^bc1/i.test(a) ? a.toLowerCase() : a;
    if (ok && !out.includes(value)) out.push(value);
    if (out.length >= MAX_ADDRESSES) break;
  }
  return out;
}
