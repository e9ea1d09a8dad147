/**
 * A structural check of `findings.json` against the output contract (DESIGN.md §6, schema chorus.findings/v1),
 * with cross-references: every campaign member is listed in `accounts` with that campaign, and the reverse.
 */
import { expect } from "vitest";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Every number finite; no value that JSON would drop or change. */
export function expectJsonSafe(v: unknown, path = "$"): void {
  if (typeof v === "number") expect(Number.isFinite(v), path).toBe(true);
  else if (["bigint", "undefined", "function", "symbol"].includes(typeof v))
    expect.fail(`${path}: ${typeof v}`);
  else if (Array.isArray(v)) v.forEach((x, i) => expectJsonSafe(x, `${path}[${i}]`));
  else if (isObject(v)) for (const [k, x] of Object.entries(v)) expectJsonSafe(x, `${path}.${k}`);
}

const num = (v: unknown, path: string, min = -Infinity, max = Infinity): void => {
  expect(typeof v, path).toBe("number");
  expect(v as number, path).toBeGreaterThanOrEqual(min);
  expect(v as number, path).toBeLessThanOrEqual(max);
};
const count = (v: unknown, path: string): void => {
  num(v, path, 0);
  expect(Number.isInteger(v), path).toBe(true);
};
const str = (v: unknown, path: string, nonEmpty = true): void => {
  expect(typeof v, path).toBe("string");
  if (nonEmpty) expect((v as string).length, path).toBeGreaterThan(0);
};

export interface FindingsShape {
  schema: string;
  tool: { name: string; version: string };
  inputs: Array<{ path: string; sha256: string; format: string; rows: number; rejected: number }>;
  params: Record<string, unknown>;
  detectors: Array<{
    id: string;
    version: string;
    status: string;
    message: string;
    counts: Record<string, number>;
  }>;
  campaigns: Array<{
    id: string;
    score: number;
    summary: string;
    layers: string[];
    accounts: Array<{ platform: string; id: string; handle: string | null }>;
    first_seen: string;
    last_seen: string;
    top_objects: Array<{ kind: string; value: string; shares: number }>;
  }>;
  ruled_out: Array<{ accounts: number; reason: string }>;
  accounts: Array<{
    platform: string;
    id: string;
    handle: string | null;
    score: number;
    campaigns: string[];
    findings: Array<{ detector: string; strength: string; explanation: string }>;
  }>;
}

/** Asserts the §6 shape and returns the document typed. */
export function expectFindingsShape(doc: unknown, toolVersion: string): FindingsShape {
  expectJsonSafe(doc);
  expect(isObject(doc)).toBe(true);
  const d = doc as unknown as FindingsShape;
  expect(d.schema).toBe("chorus.findings/v1");
  expect(d.tool).toEqual(expect.objectContaining({ name: "chorus", version: toolVersion }));
  expect(isObject(d.params)).toBe(true);

  expect(Array.isArray(d.inputs)).toBe(true);
  d.inputs.forEach((inp, i) => {
    str(inp.path, `inputs[${i}].path`);
    expect(inp.sha256, `inputs[${i}].sha256`).toMatch(/^[0-9a-f]{64}$/);
    str(inp.format, `inputs[${i}].format`);
    count(inp.rows, `inputs[${i}].rows`);
    count(inp.rejected, `inputs[${i}].rejected`);
  });

  expect(d.detectors.length).toBeGreaterThan(0);
  d.detectors.forEach((det, i) => {
    str(det.id, `detectors[${i}].id`);
    str(det.version, `detectors[${i}].version`);
    expect(["ok", "skipped", "error"], `detectors[${i}].status`).toContain(det.status);
    str(det.message, `detectors[${i}].message`, false);
    expect(isObject(det.counts), `detectors[${i}].counts`).toBe(true);
    for (const [k, v] of Object.entries(det.counts)) num(v, `detectors[${i}].counts.${k}`);
  });

  const ids = d.campaigns.map((c) => c.id);
  expect(ids).toEqual(d.campaigns.map((_, i) => `C${i + 1}`));
  d.campaigns.forEach((c, i) => {
    const p = `campaigns[${i}]`;
    num(c.score, `${p}.score`, 0, 1);
    str(c.summary, `${p}.summary`);
    expect(c.layers.length, `${p}.layers`).toBeGreaterThan(0);
    for (const l of c.layers) str(l, `${p}.layers`);
    expect(c.accounts.length, `${p}.accounts`).toBeGreaterThan(0);
    c.accounts.forEach((a, j) => {
      str(a.platform, `${p}.accounts[${j}].platform`);
      str(a.id, `${p}.accounts[${j}].id`);
      if (a.handle !== null) str(a.handle, `${p}.accounts[${j}].handle`);
    });
    expect(c.first_seen, `${p}.first_seen`).toMatch(ISO);
    expect(c.last_seen, `${p}.last_seen`).toMatch(ISO);
    expect(c.first_seen <= c.last_seen, `${p}: first_seen after last_seen`).toBe(true);
    expect(c.top_objects.length, `${p}.top_objects`).toBeGreaterThan(0);
    c.top_objects.forEach((o, j) => {
      str(o.kind, `${p}.top_objects[${j}].kind`);
      str(o.value, `${p}.top_objects[${j}].value`);
      count(o.shares, `${p}.top_objects[${j}].shares`);
    });
  });

  const accountKeys = new Set<string>();
  d.accounts.forEach((a, i) => {
    const p = `accounts[${i}]`;
    str(a.platform, `${p}.platform`);
    str(a.id, `${p}.id`);
    expect(accountKeys.has(`${a.platform}:${a.id}`), `${p} listed twice`).toBe(false);
    accountKeys.add(`${a.platform}:${a.id}`);
    num(a.score, `${p}.score`, 0, 1);
    for (const c of a.campaigns) expect(ids, `${p}.campaigns`).toContain(c);
    a.findings.forEach((f, j) => {
      str(f.detector, `${p}.findings[${j}].detector`);
      expect(["weak", "moderate", "strong"], `${p}.findings[${j}].strength`).toContain(f.strength);
      str(f.explanation, `${p}.findings[${j}].explanation`);
    });
  });
  // campaign membership is the same seen from either side
  const fromAccounts = new Set(
    d.accounts.flatMap((a) => a.campaigns.map((c) => `${c}|${a.platform}:${a.id}`)),
  );
  const fromCampaigns = new Set(
    d.campaigns.flatMap((c) => c.accounts.map((a) => `${c.id}|${a.platform}:${a.id}`)),
  );
  expect(fromAccounts).toEqual(fromCampaigns);
  // accounts are listed most suspicious first
  for (let i = 1; i < d.accounts.length; i++) {
    expect(d.accounts[i]!.score).toBeLessThanOrEqual(d.accounts[i - 1]!.score);
  }
  return d;
}
