#!/usr/bin/env bash
# Checks the .deb that scripts/package.sh built, then installs it on this machine, starts the
# installed /usr/bin/candor under its own Xvfb with a throwaway HOME, waits for its window
# titled "Candor", stops it and removes the package again.
#
# Usage: scripts/package-test.sh [file.deb]   (default: the newest target/release/bundle/deb/*.deb)
# Needs root (or sudo) for apt-get/dpkg, and Xvfb + xwininfo (x11-utils).
# Ends with "package-test: N passed, N failed"; exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAILED: $*"; }
finish() { echo "package-test: $passed passed, $failed failed"; ((failed == 0)); exit $?; }

SUDO=""
if [[ $(id -u) != 0 ]]; then
  command -v sudo >/dev/null || { bad "installing needs root or sudo"; finish; }
  SUDO=sudo
fi

deb=${1:-$(ls -t target/release/bundle/deb/*.deb 2>/dev/null | head -n1)}
if [[ -z $deb || ! -f $deb ]]; then
  bad "no .deb found: build it first with 'make package'"
  finish
fi
deb=$(realpath "$deb")
echo "==> checking $deb"

# --- what the package declares and carries
info=$(dpkg-deb -I "$deb")
contents=$(dpkg-deb -c "$deb")
pkg=$(dpkg-deb -f "$deb" Package)
depends=$(dpkg-deb -f "$deb" Depends)
echo "Package: $pkg; Depends: $depends"
for dep in libasound2 libwebkit2gtk-4.1-0 libgtk-3-0; do
  if grep -qw -- "$dep" <<<"$depends"; then ok "depends on $dep"; else bad "does not depend on $dep"; fi
done
# The interviewer's voice: recommended (Candor shows the text without it).
recommends=$(dpkg-deb -f "$deb" Recommends)
for dep in speech-dispatcher speech-dispatcher-espeak-ng; do
  if grep -qw -- "$dep" <<<"$recommends"; then ok "recommends $dep"; else bad "does not recommend $dep"; fi
done
extracted=$(mktemp -d "${TMPDIR:-/tmp}/candor-deb.XXXXXX")
dpkg-deb -x "$deb" "$extracted"
for f in usr/bin/candor usr/share/applications/Candor.desktop \
  usr/share/icons/hicolor/32x32/apps/candor.png usr/share/icons/hicolor/128x128/apps/candor.png; do
  if grep -qE " (\./)?$f\$" <<<"$contents" && [[ -s $extracted/$f ]]; then ok "carries /$f"; else bad "does not carry /$f"; fi
done
[[ -x $extracted/usr/bin/candor ]] && ok "/usr/bin/candor is executable" || bad "/usr/bin/candor is not executable"
grep -q '^ Section: education' <<<"$info" && ok "section education" || bad "section is not education"
desktop=$(cat "$extracted/usr/share/applications/Candor.desktop" 2>/dev/null)
for line in 'Name=Candor' 'Exec=candor' 'Icon=candor' 'Type=Application'; do
  grep -qx -- "$line" <<<"$desktop" && ok "desktop entry has $line" || bad "desktop entry lacks $line"
done
rm -rf -- "$extracted"

# --- install it (never over an existing install: that one stays untouched)
if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
  bad "$pkg is already installed on this machine; remove it first (sudo apt remove $pkg) so the test does not replace it"
  finish
fi
echo "==> installing"
if DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$deb" >/tmp/candor-package-test.$$.log 2>&1; then
  ok "apt-get install ./$(basename "$deb")"
else
  cat /tmp/candor-package-test.$$.log
  bad "apt-get install failed"
  finish
fi
rm -f /tmp/candor-package-test.$$.log
remove() {
  echo "==> removing $pkg"
  if DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -qq "$pkg" >/dev/null 2>&1 && [[ ! -e /usr/bin/candor ]]; then
    ok "removed again"
  else
    bad "could not remove $pkg"
  fi
}
[[ -x /usr/bin/candor ]] && ok "/usr/bin/candor installed" || bad "/usr/bin/candor missing after install"

# --- start the installed app on a display of its own, with a throwaway HOME
run=$(mktemp -d "${TMPDIR:-/tmp}/candor-pkgtest.XXXXXX")
mkdir -p "$run/home" "$run/xdg"
chmod 700 "$run/xdg"
n=${PACKAGE_TEST_DISPLAY:-}
if [[ -z $n ]]; then
  for ((n = 120; n < 200; n++)); do
    [[ -e /tmp/.X$n-lock || -e /tmp/.X11-unix/X$n ]] || break
  done
fi
Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >"$run/xvfb.log" 2>&1 &
xvfb=$!
app=""
cleanup() {
  [[ -n $app ]] && kill "$app" 2>/dev/null && wait "$app" 2>/dev/null
  kill "$xvfb" 2>/dev/null && wait "$xvfb" 2>/dev/null
  rm -rf -- "$run"
}
for ((i = 0; i < 150; i++)); do xwininfo -root -display ":$n" >/dev/null 2>&1 && break; sleep 0.1; done
env -i PATH=/usr/bin:/bin DISPLAY=":$n" HOME="$run/home" XDG_RUNTIME_DIR="$run/xdg" \
  XDG_CONFIG_HOME="$run/home/.config" XDG_DATA_HOME="$run/home/.local/share" LANG=C.UTF-8 \
  /usr/bin/candor >"$run/app.log" 2>&1 &
app=$!
seen=""
for ((i = 0; i < 600; i++)); do # up to a minute for WebKit to start
  if xwininfo -root -tree -display ":$n" 2>/dev/null | grep -q '"Candor"'; then seen=1; break; fi
  kill -0 "$app" 2>/dev/null || break
  sleep 0.1
done
if [[ -n $seen ]]; then
  ok "the installed app opened its window \"Candor\""
else
  echo "----- app log"; tail -n 20 "$run/app.log"
  bad "no window titled \"Candor\" appeared"
fi
db=$run/home/.local/share/org.candor.Candor/candor.db
for ((i = 0; i < 100; i++)); do [[ -f $db ]] && break; sleep 0.1; done
if [[ -f $db ]]; then
  ok "it created its database in the throwaway HOME"
else
  find "$run/home" -maxdepth 4 | head -n 20
  bad "no database in \$HOME/.local/share/org.candor.Candor"
fi
cleanup
app=""
remove
finish
