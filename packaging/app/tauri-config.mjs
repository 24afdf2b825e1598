// Writes src-tauri/tauri.conf.json, the config the Tauri CLI (bundler) reads, from the
// project's own tauri.conf.json at the repository root (which src-tauri/build.rs and the
// app's generate_context! read). The CLI wants its config beside src-tauri/Cargo.toml: the
// copy has every path made relative to src-tauri/ and bundling switched on. The copy is
// generated (gitignored): edit the root config.
//
// What the copy adds for the Linux packages, where the bundler's own choices fail lintian:
// - the Debian changelog and the man page, gzipped (gzip -9n's form) into src-tauri/gen/package/
//   and installed under /usr/share/doc/barta/ and /usr/share/man/man1/ (the bundler's
//   `deb.changelog` would go to /usr/share/doc/Barta/, after the product name);
// - a contact in the publisher, which the bundler writes as the package's Maintainer.
// Updater artifacts (.sig files) are made only when TAURI_SIGNING_PRIVATE_KEY is set, since the
// bundler fails without the key.
//
// Usage: node packaging/app/tauri-config.mjs [--version V] [--targets deb,rpm]
//   --version V  the changelog gets an entry for V when its newest is another version
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { constants, gzipSync } from "node:zlib";

const MAINTAINER = "Barta maintainers <maintainers@barta.example.org>";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const config = JSON.parse(readFileSync(join(root, "tauri.conf.json"), "utf8"));
const fromSrcTauri = (path) => (path.startsWith("/") ? path : `../${path}`);
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

const bundle = config.bundle;
bundle.active = true;
if (option("--targets")) bundle.targets = option("--targets").split(",");
bundle.createUpdaterArtifacts = Boolean(process.env.TAURI_SIGNING_PRIVATE_KEY);
config.build.frontendDist = fromSrcTauri(config.build.frontendDist);
bundle.icon = bundle.icon.map(fromSrcTauri);
if (bundle.licenseFile) bundle.licenseFile = fromSrcTauri(bundle.licenseFile);
for (const kind of ["deb", "rpm"]) {
  const section = bundle.linux?.[kind];
  if (!section) continue;
  for (const key of ["changelog", "desktopTemplate", "preInstallScript", "postInstallScript",
    "preRemoveScript", "postRemoveScript"]) {
    if (section[key]) section[key] = fromSrcTauri(section[key]);
  }
  for (const [dest, src] of Object.entries(section.files ?? {})) section.files[dest] = fromSrcTauri(src);
}

if (process.platform === "linux") {
  if (!bundle.publisher.includes("<")) bundle.publisher = MAINTAINER;
  const generated = join(root, "src-tauri", "gen", "package");
  mkdirSync(generated, { recursive: true });
  const gzip = (text, name) => {
    // level 9, no name, mtime 0: the header `gzip -9n` writes, which lintian checks for
    writeFileSync(join(generated, name), gzipSync(text, { level: constants.Z_BEST_COMPRESSION }));
    return `gen/package/${name}`;
  };
  const deb = bundle.linux.deb;
  let changelog = readFileSync(join(root, deb.changelog.replace(/^\.\.\//, "")), "utf8");
  const newest = /^\S+ \(([^)]+)\)/.exec(changelog)?.[1];
  const version = option("--version");
  if (version && version !== newest) {
    const date = new Date().toUTCString().replace("GMT", "+0000");
    changelog = `barta (${version}) unstable; urgency=medium\n\n  * Built from the source of ` +
      `${newest}.\n\n -- ${MAINTAINER}  ${date}\n\n` + changelog;
  }
  delete deb.changelog;
  const manPage = readFileSync(join(root, "packaging", "app", "barta-app.1"), "utf8");
  deb.files["/usr/share/doc/barta/changelog.gz"] = gzip(changelog, "changelog.gz");
  deb.files["/usr/share/man/man1/barta-app.1.gz"] = gzip(manPage, "barta-app.1.gz");
  bundle.linux.rpm.files["/usr/share/man/man1/barta-app.1.gz"] = "gen/package/barta-app.1.gz";
}
writeFileSync(join(root, "src-tauri", "tauri.conf.json"), JSON.stringify(config, null, 2) + "\n");
