// Bundles the browser code that needs npm packages into static/js/ (committed, so `make run`
// needs no Node), with the licences of what went into it beside it.
//   node build.mjs          write static/js/coedit.bundle.js and its .LICENSE.txt
//   node build.mjs --check  build in memory; exit 1 if the committed files differ (CI)
// esbuild's output depends only on the sources and these options (no timestamps, no absolute
// paths), so the same lock file gives the same bytes on every machine.
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "static", "js");
const check = process.argv.includes("--check");

const bundles = [{ entry: "coedit/main.js", name: "coedit.bundle.js" }];

function licences(metafile) {
  const packages = new Map();
  const output = Object.values(metafile.outputs)[0];
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    if (!bytesInOutput) continue; // imported, then shaken out
    const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (!match || packages.has(match[1])) continue;
    const dir = join(here, "node_modules", match[1]);
    const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const file = ["LICENSE", "LICENSE.md", "LICENSE.txt", "license"]
      .map((name) => join(dir, name))
      .find((path) => { try { readFileSync(path); return true; } catch { return false; } });
    const text = file ? readFileSync(file, "utf8").trim() : `License: ${meta.license}`;
    packages.set(match[1], `${meta.name} ${meta.version} (${meta.license})\n\n${text}\n`);
  }
  return [...packages.keys()].sort().map((name) => packages.get(name)).join(`\n${"-".repeat(72)}\n\n`);
}

let stale = [];
for (const { entry, name } of bundles) {
  const result = await build({
    entryPoints: [join(here, entry)],
    absWorkingDir: here,
    bundle: true,
    minify: true,
    format: "esm",
    target: ["es2020"],
    charset: "utf8",
    legalComments: "none", // the licences go into the .LICENSE.txt file beside the bundle
    metafile: true,
    outfile: join(out, name),
    write: false,
    logLevel: "warning",
  });
  const files = {
    [name]: `/*! ${name}: built by \`make assets\` from assets/${entry}; licences in ${name.replace(/\.js$/, ".LICENSE.txt")} */\n`
      + result.outputFiles[0].text,
    [name.replace(/\.js$/, ".LICENSE.txt")]: licences(result.metafile),
  };
  for (const [file, text] of Object.entries(files)) {
    const path = join(out, file);
    if (check) {
      let committed = null;
      try { committed = readFileSync(path, "utf8"); } catch { /* missing counts as stale */ }
      if (committed !== text) stale.push(relative(join(here, ".."), path));
    } else {
      writeFileSync(path, text);
    }
  }
}
if (stale.length) {
  console.error(`Out of date (run \`make assets\` and commit): ${stale.join(", ")}`);
  process.exit(1);
}
