/// <reference types="node" />
// Node types only here: these tests read the source files; the app itself never sees Node.
// The colour scheme's text/background pairs pass WCAG AA (4.5:1), in light and dark.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const css = readFileSync(join(__dirname, "app.css"), "utf8");
const darkStart = css.indexOf("@media (prefers-color-scheme: dark)");

function palette(block: string): Record<string, string> {
  const colours: Record<string, string> = {};
  for (const [, name, hex] of block.matchAll(/--([a-z-]+):\s*(#[0-9a-f]{6})\s*;/gi)) {
    colours[name!] = hex!;
  }
  return colours;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const PAIRS: [string, string][] = [
  ["info-fg", "info-bg"],
  ["warning-fg", "warning-bg"],
  ["critical-fg", "critical-bg"],
  ["critical-fg", "surface"],
  ["warning-fg", "surface"],
  ["ok-text", "surface"],
  ["muted", "bg"],
  ["muted", "surface"],
  ["text", "bg"],
  ["accent-strong", "accent-soft"],
];

describe("colours", () => {
  const light = palette(css.slice(0, darkStart));
  const dark = { ...light, ...palette(css.slice(darkStart)) };

  for (const [scheme, colours] of Object.entries({ light, dark })) {
    for (const [fg, bg] of PAIRS) {
      it(`${scheme}: ${fg} on ${bg} is readable`, () => {
        expect(colours[fg], fg).toBeDefined();
        expect(colours[bg], bg).toBeDefined();
        expect(contrast(colours[fg]!, colours[bg]!)).toBeGreaterThanOrEqual(4.5);
      });
    }
  }
});
