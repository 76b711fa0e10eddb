#!/bin/bash
# Renders the application icon (resources/icons/tollgate.svg) into the PNG sizes desktops look up in
# the hicolor theme, under resources/icons/hicolor/. Run it after changing the SVG and commit the PNGs:
# the build installs them as they are, so building a package needs no SVG renderer.
# Needs rsvg-convert (Debian: librsvg2-bin) and optipng when present.
set -euo pipefail
cd "$(dirname "$0")/.."
SVG=resources/icons/tollgate.svg
NAME=io.tollgate.Tollgate
for size in 16 22 24 32 48 64 128 256 512; do
  dir=resources/icons/hicolor/${size}x${size}/apps
  mkdir -p "$dir"
  rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio --format png "$SVG" -o "$dir/$NAME.png"
  if command -v optipng >/dev/null; then
    optipng -quiet -o5 -strip all "$dir/$NAME.png"
  fi
done
echo "rendered $(ls resources/icons/hicolor/*/apps/$NAME.png | wc -l) PNGs from $SVG"
