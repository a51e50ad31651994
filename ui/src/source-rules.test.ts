// Lint for the rules the CSP and the "server strings are text" rule depend on, over every source
// file in src/ (tests and their fixtures excepted: they hold hostile strings on purpose).

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "test" ? [] : sources(path);
    return /\.(svelte|ts|css|html)$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

const RULES: [RegExp, string][] = [
  [/\{@html\b/, "{@html} renders markup; server strings must be text"],
  [/\binnerHTML\b|\bouterHTML\b|insertAdjacentHTML|document\.write/, "raw HTML sink"],
  // CSP style-src 'self' refuses style attributes in markup; styles belong in <style> blocks.
  [/\sstyle\s*=|\sstyle:[a-z-]+/, "inline style attribute or style: directive"],
  [/<script(?![^>]*\blang="ts")[^>]*>/, "inline <script> other than a component's"],
  [/(src|href)\s*=\s*["']?https?:|url\(\s*["']?https?:|@import\s+["']?https?:/, "remote URL load"],
  [/__TAURI__\b/, "global Tauri object (withGlobalTauri is false; import @tauri-apps/api)"],
  [/\beval\s*\(|new Function\s*\(/, "eval (CSP has no 'unsafe-eval')"],
];

describe("source rules", () => {
  const files = sources(ROOT);

  it("finds the sources", () => {
    expect(files.some((f) => f.endsWith("SessionRow.svelte"))).toBe(true);
  });

  for (const [pattern, why] of RULES) {
    it(`has no ${why}`, () => {
      const hits = files.flatMap((file) =>
        readFileSync(file, "utf8")
          .split("\n")
          .map((line, i) => ({ line, i }))
          .filter(({ line }) => pattern.test(line))
          .map(({ line, i }) => `${relative(ROOT, file)}:${i + 1}: ${line.trim()}`),
      );
      expect(hits).toEqual([]);
    });
  }
});
