/// <reference types="node" />
// Node types only here: these tests read the source files; the app itself never sees Node.
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

  // Text taken from the messages and kept in a variable stays in the language it was made in
  // when the user switches: keep what happened (a Notice, an IpcError, a key) and word it in
  // the markup. This catches `x = m("id")…` / `x = … messages()…` assignments and `$state(m(…))`
  // in code (a <script> block or a .ts file); markup and `$derived` are worded at render time.
  it("keeps no worded message in state", () => {
    const STORED = [
      /^\s*(?!const\b|let\b|var\b|return\b|export\b)[\w$.]+(\[[^\]]*\])?\s*=(?![=>])[^;]*(\bm\(|\bmessages\(\))/,
      /\$state\b[^(]*\([^)]*(\bm\(|\bmessages\(\))/,
    ];
    const hits = files
      .filter((file) => /\.(svelte|ts)$/.test(file))
      .flatMap((file) => {
        const text = readFileSync(file, "utf8");
        const code = file.endsWith(".svelte")
          ? [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((s) => s[1] ?? "").join("\n")
          : text;
        return code
          .split("\n")
          .filter((line) => STORED.some((pattern) => pattern.test(line)))
          .map((line) => `${relative(ROOT, file)}: ${line.trim()}`);
      });
    expect(hits).toEqual([]);
  });
});
