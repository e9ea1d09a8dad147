/**
 * Builds the investigation app (web/app) into dist/web, which `chorus serve` serves at `/`. Run from the package
 * root: `vite build --config web/app/vite.config.ts` (part of `npm run build`). The output must run under the
 * server's CSP (`script-src 'self'; style-src 'self'`): no inline script or style, so the module-preload
 * polyfill is left out and every asset is a file of its own.
 */
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  root: "web/app",
  base: "/",
  plugins: [react()],
  build: {
    outDir: "../../dist/web",
    emptyOutDir: true,
    target: "es2022",
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1000,
  },
});
