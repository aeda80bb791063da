// Build step of sitematch's web map: copies the sources (src/) and the pinned
// map library (node_modules/leaflet) into dist/, which web.go embeds.
//
//   npm ci && npm run build           (writes dist/)
//   node build.mjs --out DIR           (writes DIR instead: check-dist.sh)
//
// The output depends only on src/ and the installed packages: no
// timestamps, no absolute paths, files written in a fixed order, so that
// check-dist.sh can compare a fresh build with the committed dist/.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
const src = join(root, "src");
const outAt = process.argv.indexOf("--out");
const dist = outAt > 0 ? process.argv[outAt + 1] : join(root, "dist");
if (!dist) fail("--out needs a directory");

// The library version must be the one package.json pins.
const pinned = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).dependencies.leaflet;
const leafletDir = join(root, "node_modules", "leaflet");
if (!existsSync(leafletDir)) {
  fail("node_modules/leaflet is missing: run `npm ci` in api/web first");
}
const leafletVersion = JSON.parse(readFileSync(join(leafletDir, "package.json"), "utf8")).version;
if (leafletVersion !== pinned) {
  fail(`node_modules holds leaflet ${leafletVersion} but package.json pins ${pinned}: run \`npm ci\``);
}

const built = [];
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

// 1. The app: every file of src/, as is; index.html gets the library's
// versioned folder (the server caches that folder for a year).
const vendor = `vendor/leaflet-${leafletVersion}`;
for (const file of walk(src)) {
  const rel = relative(src, file);
  let body = readFileSync(file);
  if (rel === "index.html") {
    body = Buffer.from(body.toString("utf8").replaceAll("{{LEAFLET}}", vendor));
  }
  write(rel, body);
}

// 2. The map library: the minified build, its stylesheet and images, and
// its licence (BSD-2-Clause asks for the notice to travel with it).
for (const f of ["leaflet.js", "leaflet.css"]) {
  write(join(vendor, f), readFileSync(join(leafletDir, "dist", f)));
}
for (const f of readdirSync(join(leafletDir, "dist", "images")).sort()) {
  write(join(vendor, "images", f), readFileSync(join(leafletDir, "dist", "images", f)));
}
write(join(vendor, "LICENSE"), readFileSync(join(leafletDir, "LICENSE")));

// 3. A manifest of what was built, for reviewers and the dist check.
const manifest = built.map(([p, h]) => `${h}  ${p}`).join("\n") + "\n";
writeFileSync(join(dist, "MANIFEST.sha256"), manifest);
console.log(`built ${built.length} files into ${relative(process.cwd(), dist) || "."}/ (leaflet ${leafletVersion})`);

function write(rel, body) {
  const out = join(dist, rel);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, body);
  built.push([rel.split("\\").join("/"), createHash("sha256").update(body).digest("hex")]);
}

function* walk(dir) {
  for (const ent of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, ent.name);
    if (ent.isDirectory()) yield* walk(p);
    else if (ent.isFile() && !ent.name.startsWith(".")) yield p;
  }
}

function fail(msg) {
  console.error(`build: ${msg}`);
  process.exit(1);
}
