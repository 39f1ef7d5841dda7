#!/usr/bin/env bash
# Candor end-to-end tests: the real desktop app under Xvfb, driven by WebdriverIO through
# tauri-driver (WebKitWebDriver), with a fake microphone (a PulseAudio null sink fed with
# speech that espeak-ng makes at test time).
#
# Usage:  e2e/run.sh [SPEC...]        SPEC = name in e2e/specs/ (smoke, no-microphone, ...)
#         SPEC=smoke e2e/run.sh       same, from the environment (space or comma separated)
#         e2e/run.sh --self-test      check the environment only (no app needed)
#
# Each spec runs in an environment of its own: a fresh run folder under ${TMPDIR:-/tmp}
# holding HOME, XDG_RUNTIME_DIR (mode 700) and CANDOR_DATA_DIR, its own Xvfb, its own sound
# set-up and its own tauri-driver. A spec chooses its sound set-up with a header line:
#     // e2e-audio: pulse     (default) PulseAudio null-sink microphone playing speech in a loop
#     // e2e-audio: silent    the same PulseAudio microphone with nothing playing (digital silence)
#     // e2e-audio: none      no sound server, and an ALSA configuration without capture device
# and may seed its data folder before the app starts with a candor-cli command line, e.g.
#     // e2e-seed: gen-history --weeks 8 --takes 60 --audio
# and may ask for the app to run under strace (e2e/specs/network.ts reads $E2E_RUN_DIR/strace.log):
#     // e2e-app: strace
# and may ask for a private D-Bus session bus (the single-instance check needs one):
#     // e2e-dbus: session
# and may ask for the interviewer's voice: speech-dispatcher (espeak-ng) running on the spec's
# PulseAudio, its socket where the app looks for it ($XDG_RUNTIME_DIR/speech-dispatcher):
#     // e2e-voice: speechd
# and may ask for a speech model in its data folder (the model $CANDOR_TEST_MODEL names, added
# with `candor-cli model import` as a user would):
#     // e2e-model: test
# and may ask for a desktop that wants less motion (GTK's animations off in the spec's own
# settings.ini, which WebKitGTK reports as prefers-reduced-motion: reduce):
#     // e2e-motion: reduced
# and may ask to run with no other spec beside it when the suite runs in lanes (a check of
# seconds that a shared CPU stretches; specs with e2e-model or e2e-voice run so anyway):
#     // e2e-lane: alone
# Specs get E2E_RUN_DIR (the run folder) and E2E_APP_ENV (the app's environment, NAME=value lines).
#
# Environment: CANDOR_BIN, CANDOR_CLI (default target/debug/candor{,-cli}), E2E_PORT and
# E2E_NATIVE_PORT (tauri-driver's ports, default 4444/4445, so two runs can share a machine), E2E_DISPLAY
# (X display number to use; default the first free one >= 90), E2E_SPEC_TIMEOUT (seconds per
# spec, default 300), E2E_KEEP_RUN=1 (keep the run folders), RUST_LOG (passed to the app),
# E2E_NOMIC_ALSA_CONF (another ALSA config file for the "none" set-up, e.g. one whose default is
# `type hw card 0` like a machine without sound card). To try the harness itself without the
# app: E2E_BROWSER_NAME=MiniBrowser E2E_START_URL=file:///page.html CANDOR_BIN=<wrapper script
# running /usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser --automation "$@">.
#
# Lanes: the whole suite runs in E2E_LANES lanes at once (default 2 on a machine with 2 or more
# cores; 1, one spec after the other, when specs are named). Lane i has its own tauri-driver
# ports, E2E_PORT+2i and E2E_NATIVE_PORT+2i, and its own displays: E2E_DISPLAY+i when
# E2E_DISPLAY is set, otherwise the first free one of 90+i, 90+i+LANES, ... Each spec runs as a
# child run.sh (the same environment of its own as above); the specs go out longest first to
# whichever lane is free. Heavy specs (an e2e-model, e2e-voice or e2e-lane: alone header: whisper
# on the CPU, the interviewer's voice in real time, timeouts that a shared CPU can overrun) follow
# E2E_HEAVY: "alone" (default) runs each with no other spec beside it, first, one after the
# other; "beside" runs one heavy spec at a time with light ones beside it; "any" treats them as
# light. A spec's output is printed whole when it ends (also in logs/<spec>/console.log).
#
# Screenshots and logs go to e2e/artifacts/ (git-ignored). The last line printed is
#     e2e: N passed, N failed
# counting mocha tests over all specs (all lanes); the exit status is non-zero if any test failed
# or a spec could not run.
set -euo pipefail

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUN_SH="$E2E_DIR/$(basename "${BASH_SOURCE[0]}")"
ROOT=$(cd "$E2E_DIR/.." && pwd)
ART="$E2E_DIR/artifacts"
LOGS="$ART/logs"
CANDOR_BIN=${CANDOR_BIN:-$ROOT/target/debug/candor}
CANDOR_CLI=${CANDOR_CLI:-$ROOT/target/debug/candor-cli}
PORT=${E2E_PORT:-4444}
NATIVE_PORT=${E2E_NATIVE_PORT:-4445}
SPEC_TIMEOUT=${E2E_SPEC_TIMEOUT:-300}
# What the fake microphone says, over and over (about 11 s): an answer with voiced uncertainty, a
# way to find out after it, and consequence language (the transcript spec looks for the hints).
SPEECH_TEXT="I'm not sure I was right, so I asked the team to check the data. \
We ran a small experiment, which means we changed the plan the following month."

PASSED=0
FAILED=0
SUMMARY=0          # print the summary line on exit once specs have started
STARTED=()         # PIDs we started; each is a session (and process group) leader via setsid
declare -A PNAME=()
RUN=""             # current run folder
declare -A LANE_SPEC=() LANE_SLOT=() LANE_HEAVY=() LANE_T0=()  # lanes: PID of a child run.sh -> ...
LANE_QUEUE=()      # lanes: the specs not started yet
LANE_TMP=""        # lanes: the children's output and counts

log() { printf '[e2e] %s\n' "$*" >&2; }
die() { printf '[e2e] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- process control (by PID)

# Start a command in the background in a new session, output appended to a log file.
# Sets LAST_PID. The PID is also the process group id and session id of the command.
start_bg() {
  local name=$1 logf=$2
  shift 2
  setsid "$@" >>"$logf" 2>&1 </dev/null &
  LAST_PID=$!
  STARTED+=("$LAST_PID")
  PNAME[$LAST_PID]=$name
}

# PID, its descendants, and the members of its session (catches processes re-parented to init).
tree_pids() {
  ps -e -o pid=,ppid=,sid= | awk -v root="$1" '
    { pid[NR] = $1; ppid[NR] = $2; sid[NR] = $3 }
    END {
      keep[root] = 1
      for (i = 1; i <= NR; i++) if (sid[i] == root) keep[pid[i]] = 1
      do {
        changed = 0
        for (i = 1; i <= NR; i++)
          if (!(pid[i] in keep) && (ppid[i] in keep)) { keep[pid[i]] = 1; changed = 1 }
      } while (changed)
      for (p in keep) print p
    }'
}

alive() { # a PID exists and is not a zombie
  local st
  st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ -n $st && $st != Z* ]]
}

stop_one() {
  local root=$1 pids p i left=""
  pids=$(tree_pids "$root" | sort -u)
  # The leader first, so that it can stop and reap its own children...
  kill -TERM "$root" 2>/dev/null || true
  for ((i = 0; i < 30; i++)); do alive "$root" || break; sleep 0.1; done
  # ...then whatever is left of its tree (and of its session).
  pids=$(printf '%s\n' $pids $(tree_pids "$root") | sort -u)
  for p in $pids; do alive "$p" && left+=" $p"; done
  # shellcheck disable=SC2086
  [[ -n $left ]] && kill -TERM $left 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    left=""
    for p in $pids; do alive "$p" && left+=" $p"; done
    [[ -z $left ]] && break
    sleep 0.1
  done
  if [[ -n $left ]]; then
    log "process ${PNAME[$root]:-?} (pid $root) did not stop on TERM; killing:$left"
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null || true
  fi
  wait "$root" 2>/dev/null || true
}

# Stop everything we started, newest first.
stop_all() {
  local i
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
    stop_one "${STARTED[$i]}"
  done
  STARTED=()
  # Safety net: anything still carrying this run's folder in its environment was started by us.
  if [[ -n $RUN ]]; then
    local strays
    strays=$(grep -lsF -- "$RUN" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3 | grep -vx "$$" || true)
    if [[ -n $strays ]]; then
      log "stray processes from this run, killing: $(echo $strays)"
      # shellcheck disable=SC2086
      kill -KILL $strays 2>/dev/null || true
    fi
  fi
}

# Lanes: stop the child run.sh of every running spec. Each stops its own processes (TERM runs its
# clean-up); what is left after a minute is stopped here like any other process.
stop_lanes() {
  local pid i
  ((${#LANE_QUEUE[@]} == 0)) || log "not run: ${LANE_QUEUE[*]}"
  LANE_QUEUE=()
  ((${#LANE_SPEC[@]})) || return 0
  log "stopping the specs still running: ${LANE_SPEC[*]}"
  for pid in "${!LANE_SPEC[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for ((i = 0; i < 600; i++)); do
    [[ -n $(jobs -rp) ]] || break
    sleep 0.1
  done
  for pid in "${!LANE_SPEC[@]}"; do
    alive "$pid" && stop_one "$pid"
    collect_lane "$pid"
  done
}

remove_run_dir() {
  [[ -n $RUN && -d $RUN ]] || return 0
  if [[ ${E2E_KEEP_RUN:-0} == 1 ]]; then
    log "kept run folder $RUN"
  else
    rm -rf -- "$RUN"
  fi
  RUN=""
}

on_exit() {
  local rc=$?
  trap - EXIT
  # A second Ctrl-C (or a TERM from a lane's parent) must not cut the clean-up short.
  trap '' INT TERM
  stop_lanes
  stop_all
  remove_run_dir
  [[ -n $LANE_TMP ]] && rm -rf -- "$LANE_TMP"
  if [[ -n ${E2E_COUNTS:-} ]]; then
    # A lane's child: the parent adds up the counts and prints the summary line.
    echo "$PASSED $FAILED" >"$E2E_COUNTS"
    if ((FAILED > 0)) && ((rc == 0)); then rc=1; fi
  elif [[ $SUMMARY == 1 ]]; then
    echo "e2e: $PASSED passed, $FAILED failed"
    if ((FAILED > 0)) && ((rc == 0)); then rc=1; fi
  fi
  exit "$rc"
}
trap on_exit EXIT
CURRENT_SPEC=""
interrupted() {
  log "$1${CURRENT_SPEC:+ during spec $CURRENT_SPEC}"
  [[ -n $CURRENT_SPEC ]] && FAILED=$((FAILED + 1))
  exit "$2"
}
trap 'interrupted interrupted 130' INT
trap 'interrupted terminated 143' TERM

# ---------------------------------------------------------------- checks

port_busy() {
  if command -v ss >/dev/null; then
    ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

display_busy() { [[ -e /tmp/.X$1-lock || -e /tmp/.X11-unix/X$1 ]]; }

check_ports() { # [PORT...] (default: this run's two)
  local p
  (($#)) || set -- "$PORT" "$NATIVE_PORT"
  for p in "$@"; do
    if port_busy "$p"; then
      log "port $p is already in use (a tauri-driver or WebKitWebDriver left running?):"
      ss -Hltnp "sport = :$p" 2>/dev/null | sed 's/^/[e2e]   /' >&2 || true
      log "refusing to start: stop that process (by its PID) and run again."
      return 1
    fi
  done
}

pick_display() {
  if [[ -n ${E2E_DISPLAY:-} ]]; then
    local n=${E2E_DISPLAY#:}
    if display_busy "$n"; then
      log "X display :$n is already taken (/tmp/.X$n-lock or /tmp/.X11-unix/X$n exists); refusing to start."
      return 1
    fi
    DISPLAY_NUM=$n
    return 0
  fi
  # A lane searches only its own numbers (E2E_DISPLAY_FROM, every E2E_DISPLAY_STEP): two lanes
  # never race for the same free display.
  local n from=${E2E_DISPLAY_FROM:-90} step=${E2E_DISPLAY_STEP:-1}
  for ((n = from; n < 200; n += step)); do
    if ! display_busy "$n"; then DISPLAY_NUM=$n; return 0; fi
  done
  log "no free X display number between $from and 199 (every $step)"
  return 1
}

need() { command -v "$1" >/dev/null || die "'$1' not found. $2"; }

preflight() {
  local apt="Install the Debian packages: xvfb x11-utils pulseaudio pulseaudio-utils espeak-ng sox imagemagick webkit2gtk-driver libasound2-plugins alsa-utils strace dbus-daemon"
  need Xvfb "$apt"
  need xdpyinfo "$apt"
  need pulseaudio "$apt"
  need pactl "$apt"
  need paplay "$apt"
  need espeak-ng "$apt"
  need sox "$apt"
  need arecord "$apt"
  need import "$apt"
  need WebKitWebDriver "$apt"
  need node "Install Node.js 20 or newer."
  need setsid "util-linux is missing."
  if ! command -v tauri-driver >/dev/null; then
    if [[ -x $HOME/.cargo/bin/tauri-driver ]]; then
      PATH="$HOME/.cargo/bin:$PATH"
    elif command -v cargo >/dev/null; then
      log "tauri-driver not found; installing it (cargo install tauri-driver --locked)"
      cargo install tauri-driver --locked >&2
      PATH="$HOME/.cargo/bin:$PATH"
    fi
  fi
  need tauri-driver "Install it with: cargo install tauri-driver --locked"
  if [[ $SELF_TEST == 0 ]]; then
    [[ -x $CANDOR_BIN ]] || die "app binary not found: $CANDOR_BIN (build it with 'cargo build -p candor', or set CANDOR_BIN)"
    [[ -x $CANDOR_CLI ]] || die "CLI binary not found: $CANDOR_CLI (build it with 'cargo build', or set CANDOR_CLI)"
    if [[ ! -x $E2E_DIR/node_modules/.bin/wdio ]]; then
      log "installing the test runner (npm ci in e2e/)"
      (cd "$E2E_DIR" && npm ci --no-audit --no-fund >&2)
    fi
  fi
}

# ---------------------------------------------------------------- one environment

wait_for() { # seconds description command...
  local secs=$1 what=$2 i
  shift 2
  for ((i = 0; i < secs * 10; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  log "timed out after ${secs}s waiting for $what"
  return 1
}

rms_of() { # WAV file -> RMS amplitude (0..1)
  sox "$1" -n stat 2>&1 | awk '/^RMS[ \t]+amplitude/ { print $3 }'
}

# Print the tails of this spec's logs.
show_logs() {
  local f
  for f in "$SPEC_LOGS"/*.log; do
    [[ -s $f ]] || continue
    echo "----- tail of ${f#"$ROOT"/} -----" >&2
    tail -n "${1:-30}" "$f" >&2
  done
  echo "-----" >&2
}

# Set up the environment for one spec: run folder, Xvfb, sound, tauri-driver.
# $1 = label (spec name), $2 = audio mode (pulse|none). Fills ENVV (array of NAME=value).
setup_env() {
  local label=$1 mode=$2
  SPEC_LOGS="$LOGS/$label"
  rm -rf -- "$SPEC_LOGS"
  mkdir -p "$SPEC_LOGS"
  check_ports || return 1
  pick_display || return 1

  RUN=$(mktemp -d "${TMPDIR:-/tmp}/candor-e2e.XXXXXX")
  # A lane's child tells its parent the run folder: should the child die without its clean-up,
  # the parent finds what it left running by this folder in their environment.
  if [[ -n ${E2E_COUNTS:-} ]]; then printf '%s\n' "$RUN" >"$E2E_COUNTS.run"; fi
  mkdir -p "$RUN/home" "$RUN/xdg" "$RUN/data"
  if [[ ${MOTION_WANTED:-} == reduced ]]; then
    mkdir -p "$RUN/home/.config/gtk-3.0"
    printf '[Settings]\ngtk-enable-animations=false\n' >"$RUN/home/.config/gtk-3.0/settings.ini"
  fi
  chmod 700 "$RUN/xdg"
  log "[$label] run folder $RUN, display :$DISPLAY_NUM, audio: $mode"

  # The pulse client must never start a daemon of its own.
  printf 'autospawn = no\n' >"$RUN/pulse-client.conf"

  ENVV=(
    "PATH=$PATH"
    "LANG=${LANG:-C.UTF-8}"
    "DISPLAY=:$DISPLAY_NUM"
    "HOME=$RUN/home"
    "XDG_RUNTIME_DIR=$RUN/xdg"
    "XDG_CONFIG_HOME=$RUN/home/.config"
    "XDG_DATA_HOME=$RUN/home/.local/share"
    "XDG_CACHE_HOME=$RUN/home/.cache"
    "TMPDIR=$RUN"
    "CANDOR_DATA_DIR=$RUN/data"
    "PULSE_CLIENTCONFIG=$RUN/pulse-client.conf"
    "RUST_BACKTRACE=1"
  )
  [[ -n ${RUST_LOG:-} ]] && ENVV+=("RUST_LOG=$RUST_LOG")

  # --- X server
  start_bg xvfb "$SPEC_LOGS/xvfb.log" Xvfb ":$DISPLAY_NUM" -screen 0 1280x800x24 -nolisten tcp
  local xpid=$LAST_PID
  wait_for 15 "Xvfb on :$DISPLAY_NUM" bash -c "kill -0 $xpid && xdpyinfo -display :$DISPLAY_NUM" || return 1

  # --- a D-Bus session bus, for specs that ask for one ("// e2e-dbus: session"): the
  # single-instance plugin finds the running app through it.
  if [[ ${DBUS_WANTED:-} == session ]]; then
    start_bg dbus "$SPEC_LOGS/dbus.log" env -i "${ENVV[@]}" \
      dbus-daemon --session --nofork --nopidfile --address="unix:path=$RUN/xdg/bus"
    wait_for 10 "the D-Bus session bus" test -S "$RUN/xdg/bus" || return 1
    ENVV+=("DBUS_SESSION_BUS_ADDRESS=unix:path=$RUN/xdg/bus")
  fi

  # --- sound
  case $mode in
    pulse | silent)
      cat >"$RUN/fake.pa" <<'EOF'
load-module module-native-protocol-unix auth-anonymous=1
load-module module-null-sink sink_name=vsink rate=48000 channels=1
set-default-sink vsink
set-default-source vsink.monitor
EOF
      # ALSA's default device goes to that PulseAudio (explicitly, whatever /etc says).
      cat >"$RUN/home/.asoundrc" <<'EOF'
pcm.!default { type pulse }
ctl.!default { type pulse }
EOF
      start_bg pulseaudio "$SPEC_LOGS/pulseaudio.log" env -i "${ENVV[@]}" \
        pulseaudio -n -F "$RUN/fake.pa" --exit-idle-time=-1 --daemonize=no --log-target=stderr
      local ppid=$LAST_PID
      wait_for 15 "PulseAudio" bash -c "kill -0 $ppid && env -i ${ENVV[*]@Q} pactl info" || return 1
      if [[ $mode == silent ]]; then
        log "[$label] silent microphone: PulseAudio running, nothing playing"
      else
      # (in the private environment: espeak-ng touches PulseAudio and would leave /tmp/pulse-*)
      env -i "${ENVV[@]}" espeak-ng -w "$RUN/speech.wav" "$SPEECH_TEXT" 2>>"$SPEC_LOGS/speech.log" \
        || { log "espeak-ng failed"; return 1; }
      start_bg speech-loop "$SPEC_LOGS/speech.log" env -i "${ENVV[@]}" \
        bash -c 'trap '\''kill $p 2>/dev/null; wait $p; exit 0'\'' TERM
                 while :; do paplay --device=vsink "$1" & p=$!; wait $p || sleep 0.5; done' _ "$RUN/speech.wav"
      # Check the fake microphone as the app will see it (ALSA default), 1 s of audio.
      sleep 0.5
      if ! env -i "${ENVV[@]}" timeout 10 arecord -q -D default -f S16_LE -r 16000 -c 1 -d 1 \
        "$RUN/mic-check.wav" 2>>"$SPEC_LOGS/speech.log"; then
        log "arecord -D default failed with the fake microphone"
        return 1
      fi
      local rms
      rms=$(rms_of "$RUN/mic-check.wav")
      if ! awk -v r="${rms:-0}" 'BEGIN { exit !(r > 0.01) }'; then
        log "the fake microphone records silence (RMS ${rms:-?})"
        return 1
      fi
      log "[$label] fake microphone OK (1 s via ALSA default, RMS $rms)"
      fi
      ;;
    none)
      # No sound server, and an ALSA configuration (replacing the system one) whose only PCM
      # is a playback-only default: there is no capture device at all.
      cat >"$RUN/alsa-nomic.conf" <<'EOF'
pcm.!default {
    type asym
    playback.pcm {
        type null
    }
    hint {
        show on
        description "Playback only (no microphone)"
        ioid Output
    }
}
EOF
      # E2E_NOMIC_ALSA_CONF: try another ALSA configuration without a capture device instead.
      [[ -n ${E2E_NOMIC_ALSA_CONF:-} ]] && cp -- "$E2E_NOMIC_ALSA_CONF" "$RUN/alsa-nomic.conf"
      ENVV+=("ALSA_CONFIG_PATH=$RUN/alsa-nomic.conf")
      if env -i "${ENVV[@]}" timeout 10 arecord -q -D default -d 1 "$RUN/mic-check.wav" \
        >>"$SPEC_LOGS/alsa-check.log" 2>&1; then
        log "arecord succeeded although there should be no capture device"
        return 1
      fi
      rm -f "$RUN/mic-check.wav"
      log "[$label] no microphone: confirmed (arecord -D default fails)"
      ;;
    *)
      log "unknown audio mode '$mode'"
      return 1
      ;;
  esac

  # --- the interviewer's voice (e2e-voice header): speech-dispatcher on this PulseAudio
  if [[ ${VOICE_WANTED:-} == speechd ]]; then
    if ! command -v speech-dispatcher >/dev/null; then
      log "[$label] this spec needs speech-dispatcher (apt-get install speech-dispatcher speech-dispatcher-espeak-ng)"
      return 1
    fi
    mkdir -p "$RUN/xdg/speech-dispatcher"
    start_bg speechd "$SPEC_LOGS/speechd.log" env -i "${ENVV[@]}" \
      speech-dispatcher --run-single --timeout 0 --socket-path "$RUN/xdg/speech-dispatcher/speechd.sock"
    wait_for 15 "speech-dispatcher" test -S "$RUN/xdg/speech-dispatcher/speechd.sock" || return 1
    log "[$label] speech-dispatcher listening"
  fi

  # --- seed the data folder before the app starts (e2e-seed header: candor-cli arguments)
  if [[ -n ${SEED_ARGS:-} ]]; then
    local -a seed
    read -r -a seed <<<"$SEED_ARGS"
    if ! env -i "${ENVV[@]}" "$CANDOR_CLI" --data-dir "$RUN/data" "${seed[@]}" >>"$SPEC_LOGS/seed.log" 2>&1; then
      log "[$label] seeding the data folder failed (candor-cli $SEED_ARGS)"
      return 1
    fi
    log "[$label] data folder seeded: $(tail -n1 "$SPEC_LOGS/seed.log")"
  fi

  # --- a speech model in the data folder (e2e-model header): the test model, as a user adds one
  if [[ -n ${MODEL_WANTED:-} ]]; then
    if [[ -z ${CANDOR_TEST_MODEL:-} || ! -f ${CANDOR_TEST_MODEL:-} ]]; then
      log "[$label] this spec needs a speech model: set CANDOR_TEST_MODEL (scripts/test-model.sh makes one)"
      return 1
    fi
    if ! env -i "${ENVV[@]}" "$CANDOR_CLI" --data-dir "$RUN/data" model import "$CANDOR_TEST_MODEL" >>"$SPEC_LOGS/seed.log" 2>&1; then
      log "[$label] adding the speech model failed (see seed.log)"
      return 1
    fi
  fi

  # --- tauri-driver (it starts WebKitWebDriver, which starts the app: they inherit this env)
  start_bg tauri-driver "$SPEC_LOGS/tauri-driver-and-app.log" env -i "${ENVV[@]}" \
    tauri-driver --port "$PORT" --native-port "$NATIVE_PORT" \
    --native-driver "$(command -v WebKitWebDriver)"
  local tpid=$LAST_PID
  wait_for 20 "tauri-driver on port $PORT" bash -c "kill -0 $tpid && (exec 3<>/dev/tcp/127.0.0.1/$PORT)" \
    || return 1
  log "[$label] tauri-driver listening on $PORT (pid $tpid)"
}

teardown_env() {
  stop_all
  local i
  for ((i = 0; i < 50; i++)); do
    port_busy "$PORT" || port_busy "$NATIVE_PORT" || break
    sleep 0.1
  done
  remove_run_dir
}

seed_of() { # spec file -> candor-cli arguments of its e2e-seed header (empty if none)
  sed -n 's|^[[:space:]]*//[[:space:]]*e2e-seed:[[:space:]]*\(.*\)$|\1|p' "$1" | head -n1
}

app_mode_of() { # spec file -> plain|strace (header line "// e2e-app: strace")
  local m
  m=$(sed -n 's|^[[:space:]]*//[[:space:]]*e2e-app:[[:space:]]*\([a-z]*\).*|\1|p' "$1" | head -n1)
  echo "${m:-plain}"
}

# The binary the driver starts. In "strace" mode, a wrapper that runs the app under
# `strace -f` recording every socket, connect, bind and sendto of the app and of the processes
# it starts (WebKit's web and network processes) into $RUN/strace.log.
app_bin_for() { # mode -> path
  if [[ $1 == strace ]]; then
    cat >"$RUN/candor-traced" <<EOF
#!/bin/sh
exec strace -f -qq --seccomp-bpf -e trace=socket,connect,bind,sendto -o "$RUN/strace.log" "$CANDOR_BIN" "\$@"
EOF
    chmod +x "$RUN/candor-traced"
    echo "$RUN/candor-traced"
  else
    echo "$CANDOR_BIN"
  fi
}

audio_mode_of() { # spec file -> pulse|silent|none
  local m
  m=$(sed -n 's|^[[:space:]]*//[[:space:]]*e2e-audio:[[:space:]]*\([a-z]*\).*|\1|p' "$1" | head -n1)
  echo "${m:-pulse}"
}

# ---------------------------------------------------------------- one spec

run_spec() {
  local name=$1 file="$E2E_DIR/specs/$1.ts" mode t0=$SECONDS
  mode=$(audio_mode_of "$file")
  SEED_ARGS=$(seed_of "$file")
  echo "=== spec $name (audio: $mode) ===" >&2
  CURRENT_SPEC=$name
  DBUS_WANTED=$(sed -n 's|^[[:space:]]*//[[:space:]]*e2e-dbus:[[:space:]]*\([a-z]*\).*|\1|p' "$file" | head -n1)
  MODEL_WANTED=$(sed -n 's|^[[:space:]]*//[[:space:]]*e2e-model:[[:space:]]*\([a-z]*\).*|\1|p' "$file" | head -n1)
  VOICE_WANTED=$(sed -n 's|^[[:space:]]*//[[:space:]]*e2e-voice:[[:space:]]*\([a-z]*\).*|\1|p' "$file" | head -n1)
  MOTION_WANTED=$(sed -n 's|^[[:space:]]*//[[:space:]]*e2e-motion:[[:space:]]*\([a-z]*\).*|\1|p' "$file" | head -n1)
  if ! setup_env "$name" "$mode"; then
    log "[$name] could not set up the environment; spec not run"
    show_logs 20
    FAILED=$((FAILED + 1))
    teardown_env
    CURRENT_SPEC=""
    return 0
  fi

  local results="$RUN/results.txt" rc=0 app_mode app_bin
  app_mode=$(app_mode_of "$file")
  if [[ $app_mode == strace ]] && ! command -v strace >/dev/null; then
    log "[$name] needs strace (apt-get install strace); spec not run"
    FAILED=$((FAILED + 1)); teardown_env; CURRENT_SPEC=""; return 0
  fi
  app_bin=$(app_bin_for "$app_mode")
  # The app's environment, one NAME=value per line, for specs that start a second app process.
  printf '%s\n' "${ENVV[@]}" >"$RUN/app.env"
  : >"$results"
  : >"$SPEC_LOGS/wdio.log"
  rm -f -- "$ART/$name"-*.png
  start_bg wdio "$SPEC_LOGS/wdio.log" env -u PULSE_SERVER \
    "CANDOR_BIN=$app_bin" "CANDOR_REAL_BIN=$CANDOR_BIN" "CANDOR_CLI=$CANDOR_CLI" "CANDOR_DATA_DIR=$RUN/data" \
    "E2E_RUN_DIR=$RUN" "E2E_APP_ENV=$RUN/app.env" \
    "DISPLAY=:$DISPLAY_NUM" "E2E_SPEC=$name" "E2E_MODE=$mode" "E2E_RESULTS=$results" \
    "E2E_ARTIFACTS=$ART" "FORCE_COLOR=0" ${E2E_BROWSER_NAME:+"E2E_BROWSER_NAME=$E2E_BROWSER_NAME"} \
    ${E2E_START_URL:+"E2E_START_URL=$E2E_START_URL"} \
    timeout -k 10 "$SPEC_TIMEOUT" bash -c 'cd "$1" && exec npx --no-install wdio run wdio.conf.ts --spec "specs/$2.ts"' \
    _ "$E2E_DIR" "$name"
  local wpid=$LAST_PID tailpid
  # (tail in the background: a TERM then finds bash in `wait`, which a trap interrupts at once)
  tail -n +1 -f --pid="$wpid" "$SPEC_LOGS/wdio.log" &
  tailpid=$!
  wait "$wpid" || rc=$?
  wait "$tailpid" 2>/dev/null || true

  local p f
  p=$(grep -c '^passed' "$results" || true)
  f=$(grep -c '^failed' "$results" || true)
  if ((rc == 124)); then
    log "[$name] timed out after ${SPEC_TIMEOUT}s"
  fi
  if ((rc != 0 && f == 0)); then
    log "[$name] wdio exited with status $rc before any test failed (spec could not run)"
    f=1
  elif ((p + f == 0)); then
    log "[$name] no test ran"
    f=1
  fi
  PASSED=$((PASSED + p))
  FAILED=$((FAILED + f))
  log "[$name] $p passed, $f failed ($((SECONDS - t0)) s)"
  if ((f > 0)); then
    show_logs 40
    log "[$name] screenshots: $(cd "$ART" && ls -1 "$name"-*.png 2>/dev/null | tr '\n' ' ')"
  fi
  teardown_env
  CURRENT_SPEC=""
}

# ---------------------------------------------------------------- lanes (several specs at once)

# Seconds a spec took here (2 cores, one lane): the longest go out first, so that the lanes end
# together. A spec not listed counts as 120 s if heavy, 30 s otherwise.
declare -A SPEC_SECONDS=(
  [conversation]=106 [interviewer]=104 [transcript]=48 [faults]=45 [second-opinion]=42
  [mock-round]=40 [regrade]=37 [review]=37 [screens]=35 [leave-recording]=29 [instance]=10
)

is_heavy() { # spec file: a speech model, the interviewer's voice, or asks to run alone
  grep -qE '^[[:space:]]*//[[:space:]]*e2e-((model|voice):|lane:[[:space:]]*alone)' "$1"
}

# Lane $1's ports and display settings, as env(1) arguments for its child run.sh.
lane_env() {
  local i=$1
  LANE_ENV=("E2E_PORT=$((PORT + 2 * i))" "E2E_NATIVE_PORT=$((NATIVE_PORT + 2 * i))")
  if [[ -n ${E2E_DISPLAY:-} ]]; then
    LANE_ENV+=("E2E_DISPLAY=$((${E2E_DISPLAY#:} + i))")
  else
    LANE_ENV+=("E2E_DISPLAY_FROM=$((90 + i))" "E2E_DISPLAY_STEP=$LANES")
  fi
}

start_lane() { # slot spec
  local i=$1 name=$2
  lane_env "$i"
  : >"$LANE_TMP/$name.out"
  rm -f -- "$LANE_TMP/$name.counts" "$LANE_TMP/$name.counts.run"
  start_bg "lane$i:$name" "$LANE_TMP/$name.out" env -u E2E_DISPLAY -u SPEC "${LANE_ENV[@]}" \
    E2E_LANES=1 "E2E_COUNTS=$LANE_TMP/$name.counts" bash "$RUN_SH" "$name"
  LANE_SPEC[$LAST_PID]=$name
  LANE_SLOT[$LAST_PID]=$i
  LANE_HEAVY[$LAST_PID]=0
  is_heavy "$E2E_DIR/specs/$name.ts" && LANE_HEAVY[$LAST_PID]=1
  LANE_T0[$LAST_PID]=$SECONDS
  log "lane $i: $name started (ports ${LANE_ENV[0]#*=}/${LANE_ENV[1]#*=})"
}

# A lane's child ended (or was stopped): add its counts, print its output whole, free the lane.
collect_lane() {
  local pid=$1 rc=0 name=${LANE_SPEC[$1]} p f i
  wait "$pid" 2>/dev/null || rc=$?
  for i in "${!STARTED[@]}"; do [[ ${STARTED[$i]} == "$pid" ]] && unset 'STARTED[i]'; done
  STARTED=("${STARTED[@]}")
  cat -- "$LANE_TMP/$name.out"
  if [[ -d $LOGS/$name ]]; then cp -- "$LANE_TMP/$name.out" "$LOGS/$name/console.log"; fi
  if ! read -r p f 2>/dev/null <"$LANE_TMP/$name.counts" || [[ ! $p =~ ^[0-9]+$ || ! $f =~ ^[0-9]+$ ]]; then
    log "[$name] its run.sh ended (status $rc) without counting its tests: counted as 1 failed"
    p=0 f=1
    sweep_lane "$name"
  elif ((rc != 0 && f == 0)); then
    log "[$name] its run.sh ended with status $rc: counted as 1 failed"
    f=1
  fi
  PASSED=$((PASSED + p))
  FAILED=$((FAILED + f))
  log "lane ${LANE_SLOT[$pid]}: $name done after $((SECONDS - LANE_T0[$pid])) s; total so far $PASSED passed, $FAILED failed"
  unset 'LANE_SPEC[$pid]' 'LANE_SLOT[$pid]' 'LANE_HEAVY[$pid]' 'LANE_T0[$pid]'
}

# What a lane's child that died without its clean-up left running: every process whose
# environment names the child's counts file (inherited from the child) or its run folder (the
# env -i ones: sound, speech, tauri-driver, the app).
sweep_lane() {
  local name=$1 run="" strays i p
  read -r run 2>/dev/null <"$LANE_TMP/$name.counts.run" || true
  strays=$(grep -lsF -e "$LANE_TMP/$name.counts" ${run:+-e "$run"} /proc/[0-9]*/environ 2>/dev/null |
    cut -d/ -f3 | grep -vx "$$" || true)
  [[ -n $strays ]] || return 0
  log "[$name] stopping what its run.sh left running: $(echo $strays)"
  # shellcheck disable=SC2086
  kill -TERM $strays 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    strays=$(for p in $strays; do if alive "$p"; then echo "$p"; fi; done)
    [[ -n $strays ]] || break
    sleep 0.1
  done
  # shellcheck disable=SC2086
  [[ -z $strays ]] || kill -KILL $strays 2>/dev/null || true
  [[ -n $run && -d $run && ${E2E_KEEP_RUN:-0} != 1 ]] && rm -rf -- "$run"
  return 0
}

run_lanes() {
  local -a free=()
  local s h i j pid heavy_now running t0=$SECONDS
  # Heavy specs first, then the longest first.
  mapfile -t LANE_QUEUE < <(for s in "${SPECS[@]}"; do
    h=0; is_heavy "$E2E_DIR/specs/$s.ts" && h=1
    printf '%d %d %s\n' "$h" "${SPEC_SECONDS[$s]:-$((h ? 120 : 30))}" "$s"
  done | sort -k1,1nr -k2,2nr -k3,3 | awk '{ print $3 }')
  for ((i = 0; i < LANES; i++)); do free+=("$i"); done
  LANE_TMP=$(mktemp -d "${TMPDIR:-/tmp}/candor-e2e-lanes.XXXXXX")
  log "${#LANE_QUEUE[@]} specs in $LANES lanes (heavy specs: $HEAVY): ${LANE_QUEUE[*]}"
  while ((${#LANE_QUEUE[@]} + ${#LANE_SPEC[@]} > 0)); do
    # Start what can start: a free lane takes the first spec in the queue that it may run.
    while ((${#free[@]} > 0 && ${#LANE_QUEUE[@]} > 0)); do
      heavy_now=0
      for pid in "${!LANE_HEAVY[@]}"; do heavy_now=$((heavy_now + LANE_HEAVY[$pid])); done
      j=-1
      for i in "${!LANE_QUEUE[@]}"; do
        h=0
        [[ $HEAVY != any ]] && is_heavy "$E2E_DIR/specs/${LANE_QUEUE[$i]}.ts" && h=1
        case $HEAVY in
          # alone: a heavy spec waits for every lane to be free, nothing starts beside it, and
          # nothing overtakes it (the heavy specs lead the queue: they run first, one by one)
          alone)
            if ((heavy_now == 0 && (h == 0 || ${#LANE_SPEC[@]} == 0))); then j=$i; fi
            break
            ;;
          # beside: one heavy spec at a time; light ones overtake a heavy one that must wait
          beside) if ((h == 0 || heavy_now == 0)); then j=$i; break; fi ;;
          *) j=$i; break ;;
        esac
      done
      ((j >= 0)) || break
      start_lane "${free[0]}" "${LANE_QUEUE[$j]}"
      free=("${free[@]:1}")
      unset 'LANE_QUEUE[j]'
      LANE_QUEUE=("${LANE_QUEUE[@]}")
    done
    sleep 0.5
    running=" $(jobs -rp | tr '\n' ' ') "
    for pid in "${!LANE_SPEC[@]}"; do
      if [[ $running != *" $pid "* ]]; then
        free+=("${LANE_SLOT[$pid]}")
        collect_lane "$pid"
      fi
    done
  done
  log "all specs done in $((SECONDS - t0)) s ($LANES lanes)"
}

# ---------------------------------------------------------------- self-test (no app needed)

self_test() {
  local mode ok=0 fails=0
  for mode in pulse none; do
    echo "=== self-test: audio $mode ===" >&2
    if setup_env "self-test-$mode" "$mode"; then
      # The screen is there and can be captured.
      if env DISPLAY=":$DISPLAY_NUM" import -window root "$RUN/screen.png" 2>/dev/null && [[ -s $RUN/screen.png ]]; then
        log "screenshot of :$DISPLAY_NUM OK"
      else
        log "screenshot failed"; fails=$((fails + 1))
      fi
      ok=$((ok + 1))
    else
      show_logs 20
      fails=$((fails + 1))
    fi
    teardown_env
  done
  if port_busy "$PORT" || port_busy "$NATIVE_PORT"; then
    log "a port is still in use after teardown"; fails=$((fails + 1))
  fi
  echo "self-test: $ok passed, $fails failed"
  ((fails == 0))
}

# ---------------------------------------------------------------- main

SELF_TEST=0
SPECS=()
for a in "$@"; do
  case $a in
    --self-test) SELF_TEST=1 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $a (see --help)" ;;
    *) SPECS+=("$a") ;;
  esac
done
if ((${#SPECS[@]} == 0)) && [[ -n ${SPEC:-} ]]; then
  read -r -a SPECS <<<"${SPEC//,/ }"
fi

# Lanes: 2 for the whole suite on a machine with 2 or more cores, 1 for named specs.
if [[ -n ${E2E_LANES:-} ]]; then
  LANES=$E2E_LANES
elif ((${#SPECS[@]} > 0)) || [[ $SELF_TEST == 1 ]]; then
  LANES=1
else
  LANES=$(($(nproc 2>/dev/null || echo 1) >= 2 ? 2 : 1))
fi
HEAVY=${E2E_HEAVY:-alone}
[[ $LANES =~ ^[1-9][0-9]*$ ]] || die "E2E_LANES must be a whole number of 1 or more (not '$LANES')"
[[ $HEAVY =~ ^(alone|beside|any)$ ]] || die "E2E_HEAVY must be alone, beside or any (not '$HEAVY')"

if ((${#SPECS[@]} == 0)) && [[ $SELF_TEST == 0 ]]; then
  for f in "$E2E_DIR"/specs/*.ts; do
    [[ -e $f ]] && SPECS+=("$(basename "$f" .ts)")
  done
fi
for i in "${!SPECS[@]}"; do # accept smoke, smoke.ts, specs/smoke.ts, e2e/specs/smoke.ts
  s=$(basename "${SPECS[$i]}")
  SPECS[$i]=${s%.ts}
  [[ -f $E2E_DIR/specs/${SPECS[$i]}.ts ]] || die "no such spec: ${SPECS[$i]} (looked for e2e/specs/${SPECS[$i]}.ts)"
done
if [[ $SELF_TEST == 1 ]] || ((LANES > ${#SPECS[@]})); then LANES=$((${#SPECS[@]} > 1 ? ${#SPECS[@]} : 1)); fi

unset PULSE_SERVER PULSE_COOKIE PULSE_SINK PULSE_SOURCE ALSA_CONFIG_PATH
mkdir -p "$ART" "$LOGS"
preflight
# Every lane's ports and fixed display must be free (and the lanes' ports all different).
LANE_PORTS=()
for ((i = 0; i < LANES; i++)); do LANE_PORTS+=($((PORT + 2 * i)) $((NATIVE_PORT + 2 * i))); done
if (($(printf '%s\n' "${LANE_PORTS[@]}" | sort -u | wc -l) != 2 * LANES)); then
  die "the lanes' ports collide (${LANE_PORTS[*]}): choose E2E_PORT and E2E_NATIVE_PORT next to each other"
fi
check_ports "${LANE_PORTS[@]}" || exit 1
if [[ -n ${E2E_DISPLAY:-} ]]; then
  for ((i = 0; i < LANES; i++)); do
    n=$((${E2E_DISPLAY#:} + i))
    if display_busy "$n"; then
      die "X display :$n is already taken (/tmp/.X$n-lock or /tmp/.X11-unix/X$n exists); refusing to start."
    fi
  done
fi

if [[ $SELF_TEST == 1 ]]; then
  self_test
  exit $?
fi

((${#SPECS[@]} > 0)) || die "no specs found in e2e/specs/"
SUMMARY=1
if ((LANES > 1)); then
  run_lanes
else
  for s in "${SPECS[@]}"; do
    run_spec "$s"
  done
fi
((FAILED == 0))
