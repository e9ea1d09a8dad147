/**
 * Starting the API on a real socket (@hono/node-server). The port may be 0 (any free port): the app checks the
 * Host header against the port actually bound, which is known only once the socket listens.
 */
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { CaseStore } from "../store/case.js";
import { createApp, type AppOptions } from "./app.js";
import { isLoopback } from "./security.js";
import { defaultWebDir } from "./static.js";

export interface Listening {
  /** The URL to open (with the token in it, off loopback). */
  url: string;
  host: string;
  port: number;
  /** The token requests need, or undefined on loopback. */
  token: string | undefined;
  close(): Promise<void>;
}

/** A fresh random token (192 bits, URL-safe). */
export const newToken = (): string => randomBytes(24).toString("base64url");

export async function startServer(
  store: CaseStore,
  opts: {
    host?: string;
    port?: number;
    casePath?: string;
    token?: string;
    web?: string;
    onInternalError?: (err: Error) => void;
  },
): Promise<Listening> {
  const host = opts.host ?? "127.0.0.1";
  const token = opts.token ?? (isLoopback(host) ? undefined : newToken());
  const binding: AppOptions = {
    host,
    port: opts.port ?? 0,
    ...(token !== undefined ? { token } : {}),
    ...(opts.casePath !== undefined ? { casePath: opts.casePath } : {}),
    web: opts.web ?? defaultWebDir(),
    ...(opts.onInternalError !== undefined ? { onInternalError: opts.onInternalError } : {}),
  };
  const app = createApp(store, binding);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port: binding.port }, () => resolve(s));
    s.once("error", reject);
  });
  const port = (server.address() as AddressInfo).port;
  binding.port = port; // read by the Host check on every request
  // warm the overview (case totals and the parsed findings document) before the URL is handed out
  await app.request(`http://127.0.0.1:${port}/api/case${token ? `?token=${token}` : ""}`, {
    headers: { host: `${host.includes(":") ? `[${host}]` : host}:${port}` },
  });
  const shown = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/${token ? `?token=${token}` : ""}`,
    host,
    port,
    token,
    close: () =>
      new Promise<void>((resolve, reject) => {
        (server as import("node:http").Server).closeAllConnections?.();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
