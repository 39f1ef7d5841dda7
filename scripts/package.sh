#!/usr/bin/env bash
# Builds the installable packages (.deb and .rpm) with the Tauri bundler, offline.
# AppImage needs linuxdeploy downloaded from the internet, so it is built elsewhere (see README).
#
# Usage: scripts/package.sh           release build, packages in target/release/bundle/
#        scripts/package.sh --debug   the same packages from the debug build `make test` already
#                                     made (target/debug/bundle/): what `make test` installs and
#                                     starts, without a second, optimised build of every crate
#        scripts/package.sh [--debug] -- CARGO_ARGS...
#                                     the same, with more arguments for `cargo build` (for example
#                                     bench/release.sh's --config settings)
set -euo pipefail
cd "$(dirname "$0")/.."
profile=release
args=()
if [[ ${1:-} == --debug ]]; then
  profile=debug
  args+=(--debug)
  shift
fi
[[ ${1:-} == -- ]] && shift
cargo_args=("$@")
(cd ui && npm run --silent build)
ui/node_modules/.bin/tauri build "${args[@]}" --bundles deb,rpm --ci -- "${cargo_args[@]}"
ls -l "target/$profile"/bundle/deb/*.deb "target/$profile"/bundle/rpm/*.rpm
