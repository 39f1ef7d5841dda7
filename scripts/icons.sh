#!/usr/bin/env bash
# Makes every icon file from one source image, src-tauri/icons/candor.svg, with the Tauri CLI:
# the PNGs (Linux, and the window), icon.icns (macOS) and icon.ico (Windows). Only the files the
# bundle configs name are kept (Candor has no Android, iOS or Microsoft Store build).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
ui/node_modules/.bin/tauri icon src-tauri/icons/candor.svg --output "$out" >"$out/log" 2>&1 || { cat "$out/log"; exit 1; }
for f in 32x32.png 128x128.png 128x128@2x.png icon.png icon.icns icon.ico; do
  cp "$out/$f" "src-tauri/icons/$f"
done
ls -l src-tauri/icons
