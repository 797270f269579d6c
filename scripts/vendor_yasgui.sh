#!/usr/bin/env bash
# Vendors YASGUI (@zazuko/yasgui, MIT) into the package so the query editor works offline.
#
# Fetches the pinned version from the npm registry with npm, into a temporary folder, and copies
# its browser build (yasgui.min.js, yasgui.min.css) into src/sdgkg/web/static/vendor/yasgui/,
# with the licence of YASGUI and of every package bundled into that build, and a VERSION file
# recording the tarball's integrity hash. No CDN is involved at run time.
#
# Usage: scripts/vendor_yasgui.sh [version]     (default: the pinned version below)
set -euo pipefail

VERSION="${1:-4.6.2}"
PACKAGE="@zazuko/yasgui"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/src/sdgkg/web/static/vendor/yasgui"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts --save-exact "$PACKAGE@$VERSION" >/dev/null
BUILD="$WORK/node_modules/$PACKAGE/build"

mkdir -p "$DEST"
rm -f "$DEST"/*
# The source map is not shipped, so drop the comment that would make browsers ask for it.
sed '/^\/\/# sourceMappingURL=/d' "$BUILD/yasgui.min.js" >"$DEST/yasgui.min.js"
sed 's#/\*\# sourceMappingURL=[^*]*\*/##' "$BUILD/yasgui.min.css" >"$DEST/yasgui.min.css"

INTEGRITY="$(node -e "const l=require('./package-lock.json');console.log(l.packages['node_modules/$PACKAGE'].integrity)")"
printf '%s@%s\nintegrity %s\nfetched from the npm registry by scripts/vendor_yasgui.sh\n' \
  "$PACKAGE" "$VERSION" "$INTEGRITY" >"$DEST/VERSION"

# The npm tarball of @zazuko/yasgui carries no LICENSE file; its package.json declares MIT, and
# the upstream repository (github.com/zazuko/Yasgui) is MIT-licensed with this notice.
cat >"$DEST/LICENSE" <<'LICENSE'
MIT License

Copyright (c) Triply <info@triply.cc>
Copyright (c) Zazuko GmbH

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
LICENSE

# Licences of the packages npm installed with it (the build bundles its dependencies).
node - "$WORK/node_modules" >"$DEST/THIRD-PARTY-LICENSES.txt" <<'NODE'
const fs = require("fs"), path = require("path");
const root = process.argv[2];
const dirs = [];
for (const name of fs.readdirSync(root)) {
  if (name.startsWith(".")) continue;
  if (name.startsWith("@")) {
    for (const sub of fs.readdirSync(path.join(root, name))) dirs.push(path.join(root, name, sub));
  } else dirs.push(path.join(root, name));
}
for (const dir of dirs.sort()) {
  const pkgFile = path.join(dir, "package.json");
  if (!fs.existsSync(pkgFile)) continue;
  const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8"));
  const licence = typeof pkg.license === "string" ? pkg.license : JSON.stringify(pkg.license || pkg.licenses || "UNKNOWN");
  console.log("=".repeat(78));
  console.log(`${pkg.name}@${pkg.version}  (${licence})`);
  const file = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  if (file) { console.log(); console.log(fs.readFileSync(path.join(dir, file), "utf8").trim()); }
  console.log();
}
NODE

echo "vendored $PACKAGE@$VERSION into ${DEST#"$ROOT"/}"
ls -l "$DEST"
