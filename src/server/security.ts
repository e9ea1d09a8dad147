/**
 * The server's guard rails, applied to every request before any route: the Host header must name the address we
 * are bound to (a page on another site that re-points its DNS name at 127.0.0.1 sends its own name, so DNS
 * rebinding gets nothing), a bearer token off loopback, no cross-site writes, and headers that keep responses out
 * of caches and out of other sites' frames.
 */
import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";

export const CSP_API = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Loopback addresses: the only ones served without a token. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Wildcard addresses: every interface, so clients name the machine as they know it. */
export const isWildcard = (host: string): boolean => host === "0.0.0.0" || host === "::" || host === "[::]";

/**
 * Host header values that name the bound address (the port is read per request: it may be known only after
 * listen); null for a wildcard bind, where any name is accepted and the token alone keeps rebinding pages out.
 */
export function allowedHosts(host: string, port: number): Set<string> | null {
  if (isWildcard(host)) return null;
  const names = isLoopback(host) ? new Set([host, "127.0.0.1", "localhost", "[::1]"]) : new Set([host]);
  const out = new Set<string>();
  for (const n of names) {
    const bracketed = n.includes(":") && !n.startsWith("[") ? `[${n}]` : n;
    out.add(`${bracketed}:${port}`.toLowerCase());
    if (port === 80) out.add(bracketed.toLowerCase());
  }
  return out;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface Binding {
  host: string;
  port: number;
  /** Required off loopback; optional on it (when set, always checked). */
  token?: string;
}

function problem(status: 400 | 401 | 403 | 415, error: string): Response {
  return new Response(JSON.stringify({ error }), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

/** Headers on every response, whatever the route or error. */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    if (!h.has("content-security-policy")) h.set("Content-Security-Policy", CSP_API);
    h.set("Cache-Control", "no-store");
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    h.set("X-Frame-Options", "DENY");
    h.set("Cross-Origin-Resource-Policy", "same-origin");
    h.set("Cross-Origin-Opener-Policy", "same-origin");
  };
}

/** Host check, token check, the API only for our own pages, and writes only from our own origin with a JSON body. */
export function guard(binding: Binding): MiddlewareHandler {
  return async (c, next) => {
    const hosts = allowedHosts(binding.host, binding.port);
    const hostHeader = (c.req.header("host") ?? new URL(c.req.url).host).toLowerCase();
    if (hosts && !hosts.has(hostHeader)) {
      return problem(
        403,
        `server: Host '${hostHeader.slice(0, 100)}' is not the address this server is bound to`,
      );
    }
    if (binding.token !== undefined) {
      const auth = c.req.header("authorization") ?? "";
      const given = auth.startsWith("Bearer ") ? auth.slice(7).trim() : (c.req.query("token") ?? "");
      if (!given || !sameToken(given, binding.token)) {
        return problem(401, "server: a token is required (Authorization: Bearer TOKEN, or ?token=TOKEN)");
      }
    }
    // a page of another site (another port of 127.0.0.1 is the same *site*) never reads the API: it could not see
    // the answer, but each request runs, and a page varying its queries could keep the case busy for minutes
    const site = c.req.header("sec-fetch-site");
    if (c.req.path.startsWith("/api/") && site !== undefined && site !== "same-origin" && site !== "none") {
      return problem(403, "server: requests from other sites are refused");
    }
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      const origin = c.req.header("origin");
      const originHost = origin?.replace(/^https?:\/\//i, "").toLowerCase();
      // on a wildcard bind, our origin is whatever name the client used for us
      const ours = (h: string): boolean => (hosts ? hosts.has(h) : h === hostHeader);
      if (originHost !== undefined && !ours(originHost)) {
        return problem(403, "server: cross-origin writes are refused");
      }
      if (c.req.header("sec-fetch-site") === "cross-site") {
        return problem(403, "server: cross-site writes are refused");
      }
      // a JSON content type cannot be sent cross-site without a preflight, which we never answer (PUT and
      // DELETE always need one)
      const type = c.req.header("content-type") ?? "";
      if ((c.req.method === "POST" || c.req.method === "PUT") && !/^application\/json\s*(;|$)/i.test(type)) {
        return problem(415, "server: writes need Content-Type: application/json");
      }
    }
    await next();
    return undefined;
  };
}
