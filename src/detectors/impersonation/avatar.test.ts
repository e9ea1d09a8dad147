import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { avatarHashFor, dHash, hamming, validHash } from "./avatar.js";
import { DEFAULT_MATCH_OPTIONS } from "./match.js";

/** A synthetic "portrait": a face-like disc and shoulders on a gradient, different per seed. */
async function portrait(seed: number, size = 256): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 100 100">
    <defs><linearGradient id="g" x1="0" y1="0" x2="${seed % 2}" y2="1">
      <stop offset="0" stop-color="#${(0x204060 + seed * 0x131313).toString(16).slice(-6)}"/><stop offset="1" stop-color="#e0d0c0"/></linearGradient></defs>
    <rect width="100" height="100" fill="url(#g)"/>
    <circle cx="${40 + ((seed * 7) % 20)}" cy="${35 + ((seed * 3) % 10)}" r="${16 + (seed % 5)}" fill="#c89070"/>
    <rect x="${20 + ((seed * 5) % 15)}" y="62" width="${50 + (seed % 3) * 5}" height="40" rx="12" fill="#303848"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

const tmp = mkdtempSync(join(tmpdir(), "chorus-avatar-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("dHash", () => {
  it("keeps resized and recompressed copies within the documented distance, and tells photos apart", async () => {
    const original = await portrait(3);
    const h = await dHash(original);
    expect(validHash(h)).toBe(h);
    const copies = [
      await sharp(original).resize(96, 96).jpeg({ quality: 55 }).toBuffer(),
      await sharp(original).resize(400, 400).webp({ quality: 40 }).toBuffer(),
      await sharp(original).jpeg({ quality: 20 }).toBuffer(),
      await sharp(original).modulate({ brightness: 1.08 }).png().toBuffer(),
    ];
    for (const c of copies)
      expect(hamming(h, await dHash(c))).toBeLessThanOrEqual(DEFAULT_MATCH_OPTIONS.avatarMaxHamming);
    for (const other of [1, 4, 8, 11]) {
      expect(hamming(h, await dHash(await portrait(other)))).toBeGreaterThan(
        DEFAULT_MATCH_OPTIONS.avatarMaxHamming,
      );
    }
  });

  it("counts differing bits", () => {
    expect(hamming("0000000000000000", "ffffffffffffffff")).toBe(64);
    expect(hamming("00ff00ff00ff00ff", "00ff00ff00ff00fe")).toBe(1);
    expect(validHash("not a hash")).toBeNull();
  });
});

describe("avatarHashFor", () => {
  it("reads local files, never fetches unless allowed, and caches what it fetched", async () => {
    const img = await portrait(5);
    const file = join(tmp, "a.png");
    writeFileSync(file, img);
    expect(await avatarHashFor(file, {})).toBe(await dHash(img));

    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.writeHead(200, { "content-type": "image/png" }).end(img);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const { port } = server.address() as { port: number };
    const url = `http://127.0.0.1:${port}/avatar.png`;
    const cacheDir = join(tmp, "cache");
    try {
      expect(await avatarHashFor(url, { cacheDir })).toBeNull(); // not allowed to fetch, nothing cached
      expect(requests).toBe(0);
      const fetcher = async (u: string): Promise<Buffer> => Buffer.from(await (await fetch(u)).arrayBuffer());
      expect(await avatarHashFor(url, { cacheDir, fetch: fetcher })).toBe(await dHash(img));
      expect(requests).toBe(1);
      expect(await avatarHashFor(url, { cacheDir })).toBe(await dHash(img)); // from the cache, offline
      expect(requests).toBe(1);
    } finally {
      server.close();
    }
  });
});
