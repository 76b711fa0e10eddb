#!/bin/bash
# Regenerates docs/screenshots/: the console at 1280x800 on a fresh demo workspace (its own data
# folder, so your workspaces and stores are untouched), each page after a few requests, then quits.
# Usage: tools/screenshots.sh [BUILD_DIR]   (default build/)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
data=$(mktemp -d)
runtime=$(mktemp -d)
chmod 700 "$runtime"
trap 'rm -rf "$data" "$runtime"' EXIT
mkdir -p docs/screenshots
XDG_DATA_HOME=$data XDG_RUNTIME_DIR=$runtime xvfb-run -a -s "-screen 0 1440x900x24" \
  "$build/app/tollgate" --screenshots docs/screenshots
ls docs/screenshots
