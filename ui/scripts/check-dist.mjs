// Fails the build when dist/ holds something the app's CSP (tauri.conf.json) would block:
// inline <script> or <style>, style="" attributes, or anything loaded from a remote URL.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const DIST = new URL("../dist/", import.meta.url).pathname;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const problems = [];
for (const file of files(DIST)) {
  const text = readFileSync(file, "utf8");
  if (file.endsWith(".html")) {
    for (const tag of text.match(/<script\b[^>]*>/g) ?? []) {
      if (!/\bsrc=/.test(tag)) problems.push(`${file}: inline script ${tag}`);
    }
    if (/<style\b/.test(text)) problems.push(`${file}: inline <style>`);
    if (/\sstyle\s*=/.test(text)) problems.push(`${file}: style attribute`);
    if (/(src|href)\s*=\s*["']?(https?:)?\/\//.test(text)) problems.push(`${file}: remote URL`);
  }
  if (file.endsWith(".css") && /url\(\s*["']?(https?:)?\/\/|@import/.test(text)) {
    problems.push(`${file}: remote or imported stylesheet resource`);
  }
  if (file.endsWith(".js") && /<style[\s>]|\sstyle="/.test(text)) {
    problems.push(`${file}: markup with inline style in a template`);
  }
}

if (problems.length) {
  console.error("dist/ would break the CSP:\n" + problems.join("\n"));
  process.exit(1);
}
console.log(`check-dist: ${files(DIST).length} files, nothing the CSP would block`);
