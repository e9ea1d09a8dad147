/**
 * The investigation app's files (built by `npm run build` into dist/web) served at `/`: `index.html` with the
 * app's Content-Security-Policy and `no-store`, hashed files under `/assets/` cacheable for a year (their names
 * change with their content). Files are read once, at start, into memory: a few hundred kilobytes.
 *
 * The files are the same for every case and user, carry nothing from the case, and are published with the
 * package, so they are served without the token a non-loopback bind asks of the API (a `<script src>` cannot send
 * one); the Host check against DNS rebinding still applies, and so do the other security headers.
 *
 * @example
 * app.use("*", webApp({ dir: defaultWebDir(), binding }));
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { MiddlewareHandler } from "hono";
import { allowedHosts, securityHeaders, type Binding } from "./security.js";

/**
 * The app's policy: its own scripts, styles, fonts and images, data and blob images (the PNG export draws one),
 * and requests to its own origin; nothing inline, nothing from elsewhere, no eval.
 */
export const APP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".txt": "text/plain; charset=utf-8",
};

/** The content type of a served file by its extension; unknown ones are sent as opaque bytes. */
export const contentType = (path: string): string =>
  TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";

/** dist/web of this package, whether running from src/ (tsx) or from the compiled dist/. */
export function defaultWebDir(): string {
  const here = fileURLToPath(new URL(".", import.meta.url));
  const fromDist = join(here, "..", "web");
  const fromSrc = join(here, "..", "..", "dist", "web");
  return existsSync(join(fromDist, "index.html")) ? fromDist : fromSrc;
}

interface WebFile {
  body: Uint8Array<ArrayBuffer>;
  type: string;
  immutable: boolean;
}

/** Every file under `dir` by its URL path; null when there is no built app there. */
export function readWebFiles(dir: string): Map<string, WebFile> | null {
  if (!existsSync(join(dir, "index.html"))) return null;
  const files = new Map<string, WebFile>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const path = "/" + relative(dir, full).split(sep).join("/");
        files.set(path, {
          body: new Uint8Array(readFileSync(full)),
          type: contentType(full),
          immutable: path.startsWith("/assets/"),
        });
      }
    }
  };
  walk(dir);
  const index = files.get("/index.html")!;
  files.set("/", index);
  return files;
}

export interface WebAppOptions {
  dir: string;
  binding: Binding;
}

/**
 * Middleware answering GET and HEAD for the app's files; anything else goes on to the API routes. Without a
 * built app in `dir` it passes everything on (the API's placeholder page then answers `/`).
 */
export function webApp(opts: WebAppOptions): MiddlewareHandler {
  const files = readWebFiles(opts.dir);
  const secure = securityHeaders();
  return async (c, next) => {
    if (!files || (c.req.method !== "GET" && c.req.method !== "HEAD")) return next();
    const path = c.req.path === "/index.html" ? "/" : c.req.path;
    const file = files.get(path);
    if (!file || (path !== "/" && !file.immutable)) return next();
    const hosts = allowedHosts(opts.binding.host, opts.binding.port);
    const host = (c.req.header("host") ?? new URL(c.req.url).host).toLowerCase();
    if (hosts && !hosts.has(host)) return next(); // the guard answers 403
    await secure(c, async () => {
      c.res = new Response(c.req.method === "HEAD" ? null : file.body, {
        status: 200,
        headers: {
          "content-type": file.type,
          "content-length": String(file.body.byteLength),
          ...(path === "/" ? { "content-security-policy": APP_CSP } : {}),
        },
      });
    });
    c.res.headers.set("Cache-Control", file.immutable ? "public, max-age=31536000, immutable" : "no-store");
    return c.res;
  };
}
