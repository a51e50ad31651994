import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vite";

// The webview loads only what this build emits: no CDN, no remote fonts, no inline scripts,
// so the strict CSP in tauri.conf.json holds.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    // The wording catalogue lives with the Rust crate that also formats it (?raw imports).
    fs: { allow: [".", "../crates/keepwatch-l10n/locales"] },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari15",
    // Inlined assets would need `data:` in the CSP for scripts and styles.
    assetsInlineLimit: 0,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["@testing-library/svelte/vitest"],
    // A zone far from UTC, so tests see that times are shown in local time, not UTC.
    env: { TZ: "Asia/Tokyo" },
  },
  resolve: process.env.VITEST ? { conditions: ["browser"] } : undefined,
});
