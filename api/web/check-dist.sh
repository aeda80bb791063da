#!/bin/sh
# Fails when api/web/dist/ (embedded into the binary) is not what the build
# step makes from api/web/src/ and the pinned packages: someone edited src/
# or package.json without running `npm ci && npm run build`, or edited dist/
# by hand. Needs Node.js 20+ and npm; installs the pinned packages with
# `npm ci` (from package-lock.json). Run from anywhere; .ci/run calls it.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
node build.mjs --out "$tmp/dist" >/dev/null
if ! diff -r "$tmp/dist" dist >"$tmp/diff.txt" 2>&1; then
	echo "api/web/dist is stale: it differs from a fresh build of api/web/src." >&2
	head -n 40 "$tmp/diff.txt" >&2
	echo "Fix: cd api/web && npm ci && npm run build, then commit api/web/dist." >&2
	exit 1
fi
echo "api/web/dist is up to date."
