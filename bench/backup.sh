#!/usr/bin/env bash
# Backup and restore benchmark: `candor-cli backup` / `restore` on a data folder of many takes,
# against the same work done by plain tools (`tar cf` of the folder, then `sha256sum` of every
# file; `tar xf`), so the figures show what checksums, the SQLite snapshot and verification cost.
#
#   bench/backup.sh                      40 takes of 5 min at 16 kHz (~ 384 MB of WAV)
#   BENCH_BACKUP_TAKES=10 ...            quicker
#
# Timing: wall clock, best of 3, files in the page cache. Peak RSS from /usr/bin/time. Nothing
# about time is asserted; the script fails only if a tool fails or a restore is not byte-identical.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$PATH"

TAKES=${BENCH_BACKUP_TAKES:-40}
if ! [[ $TAKES =~ ^[1-9][0-9]*$ ]]; then
    echo "BENCH_BACKUP_TAKES must be a positive whole number (got '$TAKES')" >&2
    exit 2
fi
OUT=$ROOT/bench/out/backup
REPORT=$ROOT/bench/out/backup.txt
CLI=$ROOT/target/release/candor-cli
for tool in sox python3 tar sha256sum /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing $tool (run make setup)" >&2; exit 1; }
done

echo "Building candor-cli (release)..."
cargo build --release -p candor-cli --quiet
[[ -x $CLI ]] || { echo "missing $CLI after the build" >&2; exit 1; }

DATA=$OUT/data
if [[ ! -f $OUT/ready-$TAKES ]]; then
    rm -rf "$OUT"
    mkdir -p "$DATA/recordings"
    "$CLI" --data-dir "$DATA" export --csv >/dev/null # creates the database
    echo "Making $TAKES takes of 5 minutes..."
    sox -n -r 16000 -c 1 -b 16 "$OUT/take.wav" synth 300 pinknoise vol 0.2
    python3 - "$DATA" "$TAKES" "$OUT/take.wav" <<'PY'
import shutil, sqlite3, sys, uuid
data, n, src = sys.argv[1], int(sys.argv[2]), sys.argv[3]
c = sqlite3.connect(f"{data}/candor.db")
for i in range(n):
    tid = uuid.uuid4().hex
    shutil.copyfile(src, f"{data}/recordings/{tid}.wav")
    c.execute("INSERT INTO takes (id, question_id, status, sample_rate, frames) VALUES (?, 'q', 'complete', 16000, 4800000)", (tid,))
    c.execute("INSERT INTO markers (id, take_id, at_s, note) VALUES (?, ?, 1.5, 'm')", (uuid.uuid4().hex, tid))
c.commit()
PY
    touch "$OUT/ready-$TAKES"
fi
cat "$DATA"/recordings/*.wav >/dev/null # page cache
BYTES=$(du -sb "$DATA" | cut -f1)

best() { # best LABEL CMD... : best wall time of 3 and the peak RSS, after a clean-up hook
    local label=$1; shift
    local best_s="" rss=0
    for _ in 1 2 3; do
        "$PREPARE"
        /usr/bin/time -f '%e %M' -o "$OUT/time.txt" "$@" >/dev/null
        read -r s kb <"$OUT/time.txt"
        if [[ -z $best_s ]] || awk -v a="$s" -v b="$best_s" 'BEGIN{exit !(a<b)}'; then best_s=$s; fi
        (( kb > rss )) && rss=$kb
    done
    printf '%-44s %7.2f s  %7.1f MB/s  peak RSS %6.1f MB\n' "$label" "$best_s" \
        "$(awk -v b="$BYTES" -v s="$best_s" 'BEGIN{print (s>0 ? b/1e6/s : 0)}')" "$(awk -v k="$rss" 'BEGIN{print k/1024}')"
}

clean_archive() { rm -f "$OUT/b.candorbackup" "$OUT/b.tar"; }
PREPARE=clean_archive
{
    echo "Data folder: $TAKES takes, $(awk -v b="$BYTES" 'BEGIN{printf "%.0f", b/1e6}') MB"
    best "candor-cli backup (snapshot + SHA-256)" "$CLI" --data-dir "$DATA" backup "$OUT/b.candorbackup"
    best "tar cf + sha256sum of every file" bash -c "tar cf '$OUT/b.tar' -C '$DATA' . && sha256sum '$DATA'/candor.db '$DATA'/recordings/*.wav"
} | tee "$REPORT"

# Restore: the archive is made once, restored three times into a copy of the folder.
"$CLI" --data-dir "$DATA" backup "$OUT/b.candorbackup" >/dev/null
tar cf "$OUT/b.tar" -C "$DATA" .
cat "$OUT/b.candorbackup" >/dev/null
fresh_copy() { rm -rf "$OUT/restored"; mkdir -p "$OUT/restored"; }
PREPARE=fresh_copy
{
    best "candor-cli restore (verify, migrate, swap)" "$CLI" --data-dir "$OUT/restored" restore "$OUT/b.candorbackup"
    best "tar xf" tar xf "$OUT/b.tar" -C "$OUT/restored"
} | tee -a "$REPORT"

# Correctness: the last Candor restore gave every WAV back byte for byte.
fresh_copy
"$CLI" --data-dir "$OUT/restored" restore "$OUT/b.candorbackup" >/dev/null
diff -r "$DATA/recordings" "$OUT/restored/recordings"
echo "restore is byte-identical: ok" | tee -a "$REPORT"
