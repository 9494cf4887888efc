#!/usr/bin/env bash
# Lifeboat's store against restic and borg on the same data, in one run: full image backup,
# incremental (changed) image backup, full image restore, tree backup, unchanged tree re-backup,
# tree restore — wall time, CPU, peak RSS, stored bytes (image and tree in separate repositories).
# The run makes $ROUNDS rounds (3 unless set), each tool on fresh repositories under $WORK in each,
# the tools' order rotated from round to round; the report gives each step's medians and each
# round's ratio. Every input is read once beforehand so all three start from the same warm page
# cache. Needs about 4 GB free under $WORK and 3 GB more per round; each tool's repositories are
# deleted after its steps, the restored trees at the end (results.tsv and the logs stay). Lifeboat runs as the operator tool (`lifeboat store`) with
# the JVM options the `./lifeboat` script gives it (tools/jdk.sh: 256 MiB heap, 24 MiB young
# generation, C1 only, huge pages, the ahead-of-time cache the build records on JDK 25+).
#
# Usage: [ROUNDS=3] bench/store-vs-peers.sh [DATASET_DIR]
#   DATASET_DIR defaults to /tmp/dataset, made by ../shared/bench/make-dataset.sh if missing.
#   Needs restic and borg (Debian packages:
#   apt-get install -y restic borgbackup).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/tools/jdk.sh"
data="${1:-/tmp/dataset}"
work="${WORK:-/tmp/lifeboat-bench-store}"
for tool in restic borg /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install -y restic borgbackup time)" >&2; exit 1; }
done
[ -f "$data/vol-a.img" ] && [ -d "$data/tree" ] || "$here/../shared/bench/make-dataset.sh" "$data"
[ -f "$here/server/target/lifeboat.jar" ] || (cd "$here" && ./mvnw -q -B -DskipTests package) >&2

. "$here/bench/measure.sh"
begin
key="$work/master.key"; head -c 32 /dev/urandom >"$key"
lb=("$JAVA_HOME/bin/java" "${store_jvm[@]}" -jar "$here/server/target/lifeboat.jar" store) # as ./lifeboat
export RESTIC_PASSWORD=bench BORG_PASSPHRASE=bench

steps_lifeboat() {
  "${lb[@]}" init --repo "$work/lifeboat" --master-key "$key" >/dev/null
  run full lifeboat "$work/lifeboat" "${lb[@]}" backup --repo "$work/lifeboat" --master-key "$key" \
    "$data/vol-a.img" day1
  run changed lifeboat "$work/lifeboat" "${lb[@]}" backup --repo "$work/lifeboat" --master-key "$key" \
    --parent day1 "$data/vol-a-changed.img" day2
  run restore lifeboat "$work/lifeboat" "${lb[@]}" restore --repo "$work/lifeboat" --master-key "$key" \
    day1 "$work/lifeboat-restored.img"
  cmp "$data/vol-a.img" "$work/lifeboat-restored.img"; rm -f "$work/lifeboat-restored.img"
  "${lb[@]}" init --repo "$work/lifeboat-tree" --master-key "$key" >/dev/null
  run tree lifeboat "$work/lifeboat-tree" "${lb[@]}" backup --repo "$work/lifeboat-tree" --master-key "$key" \
    "$data/tree" t1
  run tree-again lifeboat "$work/lifeboat-tree" "${lb[@]}" backup --repo "$work/lifeboat-tree" --master-key "$key" \
    --parent t1 "$data/tree" t2
  run tree-restore lifeboat "$work/lifeboat-tree" "${lb[@]}" restore --repo "$work/lifeboat-tree" --master-key "$key" \
    t1 "$kept/lifeboat"
  diff -r "$data/tree" "$kept/lifeboat"
}

# its default compression, "auto"
steps_restic() {
  export RESTIC_CACHE_DIR="$work/restic-cache"
  restic -r "$work/restic" init >/dev/null
  run full restic "$work/restic" restic -r "$work/restic" backup "$data/vol-a.img"
  run changed restic "$work/restic" restic -r "$work/restic" backup "$data/vol-a-changed.img"
  snap=$(restic -r "$work/restic" snapshots --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["short_id"])')
  run restore restic "$work/restic" restic -r "$work/restic" restore "$snap" --target "$work/restic-out"
  cmp "$data/vol-a.img" "$work/restic-out$data/vol-a.img"; rm -rf "$work/restic-out"
  restic -r "$work/restic-tree" init >/dev/null
  run tree restic "$work/restic-tree" restic -r "$work/restic-tree" backup "$data/tree"
  run tree-again restic "$work/restic-tree" restic -r "$work/restic-tree" backup "$data/tree"
  run tree-restore restic "$work/restic-tree" restic -r "$work/restic-tree" restore latest --target "$kept/restic"
  diff -r "$data/tree" "$kept/restic$data/tree"
}

# zstd level 3, as Lifeboat's and restic's compression class
steps_borg() {
  export BORG_BASE_DIR="$work/borg-home"
  borg init -e repokey-blake2 "$work/borg" >/dev/null 2>&1
  run full borg "$work/borg" borg create --compression zstd,3 "$work/borg::day1" "$data/vol-a.img"
  run changed borg "$work/borg" borg create --compression zstd,3 "$work/borg::day2" "$data/vol-a-changed.img"
  mkdir -p "$work/borg-out"
  run restore borg "$work/borg" sh -c "cd '$work/borg-out' && borg extract --sparse '$work/borg::day1'"
  cmp "$data/vol-a.img" "$work/borg-out$data/vol-a.img"; rm -rf "$work/borg-out"
  borg init -e repokey-blake2 "$work/borg-tree" >/dev/null 2>&1
  run tree borg "$work/borg-tree" borg create --compression zstd,3 "$work/borg-tree::t1" "$data/tree"
  run tree-again borg "$work/borg-tree" borg create --compression zstd,3 "$work/borg-tree::t2" "$data/tree"
  mkdir -p "$kept/borg"
  run tree-restore borg "$work/borg-tree" sh -c "cd '$kept/borg' && borg extract '$work/borg-tree::t1'"
  diff -r "$data/tree" "$kept/borg$data/tree"
}

# Restored trees stay until the end of the run: on a file system without a journal (this project's
# VM) ext4 skips inodes deleted in the last minute when it allocates new ones, one look-up per
# skipped inode, so a tree restored soon after another tree was deleted took up to twice the time
# (docs/benchmarks.md), and the tool that reached its restore soonest after a deletion paid most.
tools=(lifeboat restic borg)
for ((round = 1; round <= ${ROUNDS:-3}; round++)); do
  kept="$work/restored-trees/$round"; mkdir -p "$kept"
  for ((t = 0; t < ${#tools[@]}; t++)); do
    tool=${tools[(t + round - 1) % ${#tools[@]}]}
    cat "$data/vol-a.img" "$data/vol-a-changed.img" >/dev/null
    warm "$data/tree"
    "steps_$tool"
    # deleted before the next tool's first step, whose run() syncs (untimed) first
    rm -rf "${work:?}/$tool" "$work/$tool-tree" "$work/$tool-cache" "$work/$tool-home"
  done
done

report "full changed restore tree tree-again tree-restore" "lifeboat restic borg"
rm -rf "$work/restored-trees"
