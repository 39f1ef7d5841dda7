#!/usr/bin/env bash
# Recording-engine benchmark: a long take from a frame-exact fake microphone, Candor vs sox.
#
#   bench/recording.sh                  45 min take (BENCH_SECONDS=2700)
#   BENCH_SECONDS=60 bench/recording.sh quick check
#   BENCH_PACE=50                       speed of the fake mic in x real time (default 50); 0 = unpaced
#
# The fake mic is ALSA's `file` plugin (no daemon, frame-exact) with HOME pointing at a private
# .asoundrc. The plugin itself has no clock: read straight from a file it delivers audio as fast as
# the reader asks (over 1000x real time here), far faster than any consumer can keep up with, so
# Candor's 10 s ring overflows by construction. By default the infile is therefore a FIFO fed from
# the speech file by a small pacer at BENCH_PACE x real time: still far faster than a real device,
# but with a bound. BENCH_PACE=0 reads the file directly (the plugin's raw speed).
#
# Figures are printed, nothing about time is asserted. Exit status is non-zero only when Candor's
# take is not frame-exact or reports overruns (correctness), or when the set-up itself fails.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$PATH"

SECS=${BENCH_SECONDS:-2700}
PACE=${BENCH_PACE:-50}
RATE=16000
if ! [[ $SECS =~ ^[1-9][0-9]*$ ]]; then
    echo "BENCH_SECONDS must be a positive whole number of seconds (got '$SECS')" >&2
    exit 2
fi
if ! [[ $PACE =~ ^[0-9]+$ ]]; then
    echo "BENCH_PACE must be a whole number (x real time; 0 = unpaced), got '$PACE'" >&2
    exit 2
fi

OUT=$ROOT/bench/out
MIC=$OUT/mic
mkdir -p "$OUT" "$MIC/home"
CLI=$ROOT/target/release/candor-cli
INFILE=$OUT/speech_48k_stereo.f32le
FIFO=$MIC/mic.fifo
REPORT=$OUT/recording.txt
EXPECTED=$((SECS * RATE))
DEV_BYTES_PER_S=$((48000 * 2 * 4)) # f32le stereo 48 kHz
MARGIN_S=30
NEED_IN_BYTES=$(((SECS + MARGIN_S) * DEV_BYTES_PER_S))

say() { printf '%s\n' "$*"; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
gib() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1073741824 }'; }
# ALSA/JACK/Pulse chatter from device enumeration, not errors of the tools measured.
quiet_alsa() { grep -v -e '^ALSA lib' -e '^Cannot connect' -e 'jack server' -e '^Jack' -e '^$' || true; }

# --- 1. build ---------------------------------------------------------------------------------
say "Building candor-cli (release)..."
cargo build --release -p candor-cli
[[ -x $CLI ]] || { echo "missing $CLI after the build" >&2; exit 1; }

# --- 2. speech for the fake mic ------------------------------------------------------------------
have_in=0
if [[ -f $INFILE ]] && (($(stat -c %s "$INFILE") >= NEED_IN_BYTES)); then have_in=1; fi
need_disk=$((2 * SECS * RATE * 2 + 64 * 1048576)) # the two 16 kHz WAVs + slack
((have_in)) || need_disk=$((need_disk + NEED_IN_BYTES + 64 * 1048576))
free_disk=$(df -PB1 "$OUT" | awk 'NR == 2 { print $4 }')
say "Disk: this run needs about $(gib "$need_disk") GiB in $OUT, $(gib "$free_disk") GiB free."
if ((free_disk < need_disk)); then
    say "NOT ENOUGH FREE DISK: need $(gib "$need_disk") GiB, have $(gib "$free_disk") GiB in $OUT." >&2
    say "Free some space or run a shorter take (BENCH_SECONDS=600 needs about $(gib $(((600 + MARGIN_S) * DEV_BYTES_PER_S))) GiB)." >&2
    exit 3
fi
if ((have_in)); then
    say "Fake-mic speech: reusing $INFILE ($(mib "$(stat -c %s "$INFILE")") MiB)."
else
    for tool in espeak-ng sox; do
        command -v "$tool" >/dev/null || { echo "$tool is needed to make the speech file" >&2; exit 2; }
    done
    total=$((SECS + MARGIN_S))
    say "Fake-mic speech: making $total s of 48 kHz stereo f32 ($(mib "$NEED_IN_BYTES") MiB)..."
    espeak-ng -w "$MIC/speech.wav" "Which scenario is the company planning for, and which is it hoping for? \
I do not know yet, and this is how I would find out. First I would ask the people closest to the customer. \
Then I would look at the numbers from the last three quarters, and only then would I decide."
    sox -V1 "$MIC/speech.wav" -r 48000 -c 2 "$MIC/unit48.wav" pad 0 0.7
    unit_s=$(soxi -D "$MIC/unit48.wav")
    reps=$(awk -v t="$total" -v u="$unit_s" 'BEGIN { printf "%d", t / u + 1 }')
    sox -V1 "$MIC/unit48.wav" -e floating-point -b 32 -t raw "$INFILE.tmp" repeat "$reps" trim 0 "$total"
    mv "$INFILE.tmp" "$INFILE"
    rm -f "$MIC/unit48.wav"
fi

# --- fake mic -------------------------------------------------------------------------------------
# The pacer writes whole 64 KiB chunks (whole frames) and restarts on each new reader, so every
# recorder gets the speech from its beginning; it drops what a reader that closes early left.
PACER_PID=
PACER_SRC='
use strict; use warnings; use Time::HiRes qw(time sleep);
my ($src, $fifo, $rate) = @ARGV;
$SIG{PIPE} = "IGNORE";
open(my $in, "<:raw", $src) or die "open $src: $!";
while (1) {
    open(my $out, ">:raw", $fifo) or die "open $fifo: $!";
    seek($in, 0, 0);
    my ($t0, $sent) = (time, 0);
    WRITE: while (1) {
        my $n = sysread($in, my $buf, 65536);
        if (!$n) { seek($in, 0, 0); next; }
        my $off = 0;
        while ($off < $n) {
            my $w = syswrite($out, $buf, $n - $off, $off);
            last WRITE unless defined $w;
            $off += $w;
        }
        $sent += $n;
        my $ahead = $sent / $rate - (time - $t0);
        sleep($ahead) if $ahead > 0;
    }
    close($out);
}'
stop_mic() {
    if [[ -n $PACER_PID ]]; then
        kill "$PACER_PID" 2>/dev/null || true
        wait "$PACER_PID" 2>/dev/null || true
        PACER_PID=
    fi
}
trap stop_mic EXIT
start_mic() {
    stop_mic
    local src=$INFILE
    if ((PACE > 0)); then
        rm -f "$FIFO"
        mkfifo "$FIFO"
        perl -e "$PACER_SRC" "$INFILE" "$FIFO" $((PACE * DEV_BYTES_PER_S)) &
        PACER_PID=$!
        src=$FIFO
    fi
    cat >"$MIC/home/.asoundrc" <<EOF
pcm.!default {
    type file
    slave.pcm "null"
    file "/dev/null"
    infile "$src"
    format "raw"
}
EOF
}
if ((PACE > 0)); then
    MIC_DESC="ALSA file plugin, infile = FIFO paced at ${PACE}x real time (48 kHz stereo f32 speech)"
else
    MIC_DESC="ALSA file plugin reading the speech file directly (unpaced, no clock)"
fi

# --- measurement -----------------------------------------------------------------------------------
# measure LABEL WATCH CMD...: runs CMD with the fake mic's HOME, stderr to $OUT/recording-LABEL.stderr.
# Sets M_RC M_WALL M_USER M_SYS M_PEAK_KB and writes samples "ms rss_kb bytes_of_WATCH" every ~50 ms.
# (WATCH is the WAV being written: its size is the take's progress. The process's own write count
# would not do: the file plugin also copies every captured frame to its `file`, /dev/null.)
HAVE_TIME=0
[[ -x /usr/bin/time ]] && HAVE_TIME=1
exec {SLEEPFD}<> <(:)
nap() { read -r -t "$1" -u "$SLEEPFD" _ || true; } # sleep without forking
measure() {
    local label=$1 watch=$2
    shift 2
    local timef=$OUT/recording-$label.time errf=$OUT/recording-$label.stderr
    M_SAMPLES=$OUT/recording-$label.rss
    : >"$M_SAMPLES"
    local wpid cpid= t0=$EPOCHREALTIME
    if ((HAVE_TIME)); then
        env HOME="$MIC/home" /usr/bin/time -o "$timef" -f '%e %U %S %M' "$@" 2>"$errf" &
        wpid=$!
        while [[ -z $cpid && -e /proc/$wpid ]]; do
            read -r cpid _ <"/proc/$wpid/task/$wpid/children" 2>/dev/null || true
            [[ -n $cpid ]] || nap 0.002
        done
    else
        env HOME="$MIC/home" "$@" 2>"$errf" &
        wpid=$!
        cpid=$wpid
    fi
    local k v rss hwm state size st rest ut=0 sy=0 f
    while [[ -n $cpid && -d /proc/$cpid ]]; do
        rss= hwm= state=
        {
            while read -r k v _; do
                case $k in State:) state=$v ;; VmRSS:) rss=$v ;; VmHWM:) hwm=$v ;; esac
            done <"/proc/$cpid/status"
        } 2>/dev/null || true
        [[ $state != Z ]] || break # exited, not yet reaped
        if [[ -z $rss ]]; then     # mid-exec or gone: no sample this time
            nap 0.005
            continue
        fi
        size=$(stat -c %s "$watch" 2>/dev/null || echo 0)
        if ((!HAVE_TIME)); then
            if { read -r st <"/proc/$cpid/stat"; } 2>/dev/null; then
                rest=${st##*) }
                read -r -a f <<<"$rest"
                ut=${f[11]} sy=${f[12]} M_PEAK_KB=$hwm
            fi
        fi
        echo "$(((${EPOCHREALTIME/./} - ${t0/./}) / 1000)) $rss $size" >>"$M_SAMPLES"
        nap 0.05
    done
    M_RC=0
    wait "$wpid" || M_RC=$?
    if ((HAVE_TIME)); then
        read -r M_WALL M_USER M_SYS M_PEAK_KB < <(tail -n 1 "$timef")
    else
        local tck
        tck=$(getconf CLK_TCK)
        M_WALL=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
        M_USER=$(awk -v t="$ut" -v h="$tck" 'BEGIN { printf "%.2f", t / h }')
        M_SYS=$(awk -v t="$sy" -v h="$tck" 'BEGIN { printf "%.2f", t / h }')
        M_PEAK_KB=${M_PEAK_KB:-0}
    fi
}

say ""
say "Take: $SECS s ($((SECS / 60)) min $((SECS % 60)) s) at $RATE Hz; mic: $MIC_DESC."
if ((HAVE_TIME)); then
    say "Timing: /usr/bin/time (wall, user, sys, max RSS); VmRSS sampled from /proc every ~50 ms."
else
    say "Timing: /usr/bin/time is missing: CPU and peak RSS (VmHWM) read from /proc/PID/{stat,status} every ~50 ms (CPU slightly under-counted)."
fi

# --- 3. Candor --------------------------------------------------------------------------------------
CWAV=$OUT/recording-candor.wav
rm -f "$CWAV"
start_mic
say "Recording with candor-cli..."
measure candor "$CWAV" "$CLI" record --seconds "$SECS" --out "$CWAV" --rate "$RATE"
stop_mic
C_RC=$M_RC C_WALL=$M_WALL C_USER=$M_USER C_SYS=$M_SYS C_PEAK_KB=$M_PEAK_KB C_SAMPLES=$M_SAMPLES
wrote=$(grep -E '^Wrote ' "$OUT/recording-candor.stderr" | tail -n 1 || true)
if ((C_RC != 0)) || [[ -z $wrote ]]; then
    say "candor-cli record failed (exit $C_RC):"
    quiet_alsa <"$OUT/recording-candor.stderr" | tail -n 5
fi
C_FRAMES=$(sed -nE 's/.*\(([0-9]+) frames at.*/\1/p' <<<"$wrote")
C_OVER=$(sed -nE 's/.*, ([0-9]+) overruns.*/\1/p' <<<"$wrote")
C_XRUNS=$(sed -nE 's/.*, ([0-9]+) xruns.*/\1/p' <<<"$wrote")
C_FRAMES=${C_FRAMES:-0} C_OVER=${C_OVER:-?} C_XRUNS=${C_XRUNS:-?}
A_FRAMES=0 A_RATE=0 C_AUDIO_S=0
# The file's own length, from `analyze --json` (its "frames" if it has one, else duration x rate).
if [[ -f $CWAV ]] && json=$("$CLI" analyze "$CWAV" --json 2>/dev/null); then
    A_FRAMES=$(sed -nE 's/.*[{,]"frames":([0-9]+)[,}].*/\1/p' <<<"$json")
    A_RATE=$(sed -nE 's/.*[{,]"sample_rate":([0-9]+)[,}].*/\1/p' <<<"$json")
    C_AUDIO_S=$(sed -nE 's/.*[{,]"duration_s":([0-9.eE+-]+)[,}].*/\1/p' <<<"$json")
    A_RATE=${A_RATE:-0} C_AUDIO_S=${C_AUDIO_S:-0}
    [[ -n $A_FRAMES ]] || A_FRAMES=$(awk -v d="$C_AUDIO_S" -v r="$A_RATE" 'BEGIN { printf "%.0f", d * r }')
fi
if ((C_RC == 0 && C_FRAMES == EXPECTED && A_FRAMES == EXPECTED && A_RATE == RATE)); then
    C_EXACT=MATCH
else
    C_EXACT=MISMATCH
fi
say "  $wrote"
say "  Frames: $C_FRAMES reported, $A_FRAMES in the file (analyze), $EXPECTED expected ($SECS s x $RATE Hz): $C_EXACT"
say "  Overruns: $C_OVER, xruns: $C_XRUNS"

# RSS growth: baseline = first sample once 5% of the take (at least 15 s, at most half) is written,
# i.e. after start-up, device open and the first pass over the 10 s ring (whose pages are touched
# as it first fills). Growth = max after the baseline - baseline (the goal is judged on it);
# last sample - baseline is shown too.
base_s=$(awk -v s="$SECS" 'BEGIN { b = s * 0.05; if (b < 15) b = 15; if (b > s / 2) b = s / 2; printf "%.1f", b }')
base_bytes=$(awk -v b="$base_s" -v r="$RATE" 'BEGIN { printf "%d", b * r * 2 }')
read -r G_N G_BASE_MS G_BASE G_MAX G_LAST G_FIRST < <(awk -v th="$base_bytes" '
    { n++; if (n == 1) first = $2
      if (!seen && $3 >= th) { seen = 1; bt = $1; base = $2; max = $2 }
      if (seen && $2 > max) max = $2; last = $2 }
    END { if (!seen) { bt = -1; base = first; max = first; last = first }
          printf "%d %d %d %d %d %d\n", n, bt, base, max, last, first }' "$C_SAMPLES")
C_GROWTH_KB=$((G_MAX - G_BASE))
C_GROWTH_LAST_KB=$((G_LAST - G_BASE))
if ((G_BASE_MS >= 0)); then
    say "  RSS: $G_N samples; baseline $(mib $((G_BASE * 1024))) MiB at $(awk -v m="$G_BASE_MS" 'BEGIN { printf "%.2f", m / 1000 }') s (after $base_s s of audio written); max after it $(mib $((G_MAX * 1024))) MiB, last $(mib $((G_LAST * 1024))) MiB"
    say "  RSS growth: max - baseline = $(awk -v k="$C_GROWTH_KB" 'BEGIN { printf "%.2f", k / 1024 }') MiB (judged), last - baseline = $(awk -v k="$C_GROWTH_LAST_KB" 'BEGIN { printf "%.2f", k / 1024 }') MiB"
else
    say "  RSS: $G_N samples, none after $base_s s of audio: the take was too short to measure growth."
fi

# --- 4. sox -------------------------------------------------------------------------------------------
SWAV=$OUT/recording-sox.wav
rm -f "$SWAV"
S_OK=0 S_AUDIO_S=0 S_NOTE=
if ! command -v sox >/dev/null; then
    S_NOTE="sox is not installed: no comparison."
else
    start_mic
    say "Recording with sox..."
    # -V3 only adds a few lines on stderr: the sample format sox opened the device with.
    # sox opens the device in the format Candor gets (f32, 2 ch, 48 kHz), so both read the same bytes.
    measure sox "$SWAV" sox -V3 -q -t alsa -e floating-point -b 32 -c 2 -r 48000 default -r "$RATE" -c 1 -b 16 "$SWAV" trim 0 "$SECS"
    stop_mic
    S_RC=$M_RC S_WALL=$M_WALL S_USER=$M_USER S_SYS=$M_SYS S_PEAK_KB=$M_PEAK_KB
    if ((S_RC == 0)) && [[ -s $SWAV ]]; then
        S_AUDIO_S=$(soxi -D "$SWAV")
        S_OK=1
        S_FMT=$(sed -nE 's/^Sample Encoding: *(.*)$/\1/p' "$OUT/recording-sox.stderr" | head -n 1)
        say "  sox wrote $S_AUDIO_S s (soxi -D)."
    else
        S_NOTE="sox could not record from the fake mic (exit $S_RC): $(quiet_alsa <"$OUT/recording-sox.stderr" | tail -n 2 | tr '\n' ' ')"
    fi
fi
[[ -z $S_NOTE ]] || say "  $S_NOTE"

# --- 5./6. table and goals ----------------------------------------------------------------------------
row() { printf '%-7s %9s %8s %8s %13s %13s %15s %12s %9s\n' "$@"; }
cpu() { awk -v u="$1" -v s="$2" 'BEGIN { printf "%.2f", u + s }'; }
per_min() { awk -v c="$1" -v a="$2" 'BEGIN { if (a > 0) printf "%.4f", c / (a / 60); else print "n/a" }'; }
C_CPU=$(cpu "$C_USER" "$C_SYS")
C_MIN=$(awk -v a="$C_AUDIO_S" 'BEGIN { printf "%.2f", a / 60 }')
C_PER=$(per_min "$C_CPU" "$C_AUDIO_S")
C_GROWTH=$( ((G_BASE_MS >= 0)) && awk -v k="$C_GROWTH_KB" 'BEGIN { printf "%.2f", k / 1024 }' || echo n/a)
{
    say "Recording-engine benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
    say "Take: $SECS s at $RATE Hz mono; mic: $MIC_DESC"
    row tool "audio min" "wall s" "CPU s" "CPU s/aud min" "peak RSS MiB" "RSS growth MiB" "frames exact" overruns
    row candor "$C_MIN" "$C_WALL" "$C_CPU" "$C_PER" "$(mib $((C_PEAK_KB * 1024)))" "$C_GROWTH" \
        "$([[ $C_EXACT == MATCH ]] && echo yes || echo NO)" "$C_OVER"
    if ((S_OK)); then
        S_CPU=$(cpu "$S_USER" "$S_SYS")
        row sox "$(awk -v a="$S_AUDIO_S" 'BEGIN { printf "%.2f", a / 60 }')" "$S_WALL" "$S_CPU" \
            "$(per_min "$S_CPU" "$S_AUDIO_S")" "$(mib $((S_PEAK_KB * 1024)))" - - -
    else
        row sox - - - - - - - -
    fi
    say "Candor: frames $C_FRAMES of $EXPECTED expected ($C_EXACT), $C_OVER overruns, $C_XRUNS xruns."
    say "RSS growth = max VmRSS after the baseline minus the baseline, the baseline being the first ~50 ms sample after $base_s s of audio had been written (start-up and the 10 s ring's first fill done); last sample minus baseline: $(awk -v k="$C_GROWTH_LAST_KB" 'BEGIN { printf "%.2f", k / 1024 }') MiB. Peak RSS is the kernel's max RSS (/usr/bin/time %M)."
    if ((S_OK)); then
        say "sox audio minutes come from its output's duration (soxi -D), not assumed. sox opens the file plugin as ${S_FMT:-16-bit} (not f32; the plugin hands it the f32 bytes as if they were that format), so its audio is garbled; that does not change its CPU per minute of audio."
    else
        say "$S_NOTE"
    fi
    g_frames=$([[ $C_EXACT == MATCH ]] && echo met || echo NOT met)
    g_over=$([[ $C_OVER == 0 ]] && echo met || echo NOT met)
    g_rss=$( ((G_BASE_MS >= 0)) && { ((C_GROWTH_KB < 2048)) && echo met || echo NOT met; } || echo "not measured")
    if ((S_OK)) && [[ $C_PER != n/a ]]; then
        g_cpu=$(awk -v c="$C_PER" -v s="$(per_min "$S_CPU" "$S_AUDIO_S")" 'BEGIN { print (c <= s) ? "met" : "NOT met" }')
        g_cpu="$g_cpu ($C_PER vs $(per_min "$S_CPU" "$S_AUDIO_S"))"
    else
        g_cpu="not measured"
    fi
    say "Goals: frames exact: $g_frames; overruns 0: $g_over; RSS growth < 2 MiB: $g_rss ($C_GROWTH MiB); Candor CPU/min <= sox CPU/min: $g_cpu."
} | tee "$REPORT.tmp"
mv "$REPORT.tmp" "$REPORT"
say "(Table written to ${REPORT#"$ROOT"/}; raw samples and stderr in ${OUT#"$ROOT"/}/recording-*.)"

if [[ $C_EXACT != MATCH || $C_OVER != 0 ]]; then
    say "FAIL: Candor's take is not frame-exact or lost audio to overruns." >&2
    exit 1
fi
