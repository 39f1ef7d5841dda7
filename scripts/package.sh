#!/usr/bin/env bash
# Builds the installable packages (.deb and .rpm) with the Tauri bundler, offline.
# AppImage needs linuxdeploy downloaded from the internet, so it is built elsewhere (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
(cd ui && npm run --silent build)
ui/node_modules/.bin/tauri build --bundles deb,rpm --ci
ls -l target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm
