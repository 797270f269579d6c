#!/usr/bin/env bash
# Vendors Swagger UI (swagger-ui-dist, Apache-2.0) into the package so /docs works offline and
# under the site's strict CSP (script-src 'self': no CDN, no inline script).
#
# Fetches the pinned version from the npm registry with npm, into a temporary folder, and copies
# swagger-ui-bundle.js and swagger-ui.css (without their source-map comments), the LICENSE and
# NOTICE, the bundle's third-party licence list, and a VERSION file with the tarball's integrity.
#
# Usage: scripts/vendor_swagger_ui.sh [version]     (default: the pinned version below)
set -euo pipefail

VERSION="${1:-5.35.0}"
PACKAGE="swagger-ui-dist"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/src/sdgkg/web/static/vendor/swagger-ui"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts --save-exact "$PACKAGE@$VERSION" >/dev/null
BUILD="$WORK/node_modules/$PACKAGE"

mkdir -p "$DEST"
rm -f "$DEST"/*
sed '/^\/\/# sourceMappingURL=/d' "$BUILD/swagger-ui-bundle.js" >"$DEST/swagger-ui-bundle.js"
sed 's#/\*\# sourceMappingURL=[^*]*\*/##' "$BUILD/swagger-ui.css" >"$DEST/swagger-ui.css"
cp "$BUILD/LICENSE" "$BUILD/NOTICE" "$DEST/"
cp "$BUILD/swagger-ui-bundle.js.LICENSE.txt" "$DEST/THIRD-PARTY-LICENSES.txt"

INTEGRITY="$(node -e "const l=require('./package-lock.json');console.log(l.packages['node_modules/$PACKAGE'].integrity)")"
printf '%s@%s\nintegrity %s\nfetched from the npm registry by scripts/vendor_swagger_ui.sh\n' \
  "$PACKAGE" "$VERSION" "$INTEGRITY" >"$DEST/VERSION"

echo "vendored $PACKAGE@$VERSION into ${DEST#"$ROOT"/}"
ls -l "$DEST"
