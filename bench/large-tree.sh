#!/usr/bin/env bash
# Lifeboat's store against restic on a tree of many small files (a million by default: 1,000 to a
# directory, 24 to 168 bytes each, every file different): what a tree backup's bounded memory and
# the compact index are for. Tree backup, unchanged re-backup and restore, each from a warm page
# cache: wall time, CPU, peak RSS, repository size. Lifeboat runs as the operator tool with the
# JVM options `./lifeboat` gives it (tools/jdk.sh: 256 MiB heap).
#
# Usage: bench/large-tree.sh [FILES]
#   The tree is made at $TREE (default /tmp/lifeboat-large-tree-FILES) unless it is there.
#   Needs restic (apt-get install -y restic).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/tools/jdk.sh"
. "$here/bench/measure.sh"
files="${1:-1000000}"
tree="${TREE:-/tmp/lifeboat-large-tree-$files}"
work="${WORK:-/tmp/lifeboat-bench-large-tree}"
command -v restic >/dev/null || { echo "needs restic (apt-get install -y restic)" >&2; exit 1; }
[ -f "$here/server/target/lifeboat.jar" ] || (cd "$here" && ./mvnw -q -B -DskipTests package) >&2
[ -d "$tree" ] || python3 - "$tree" "$files" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, "top%03d" % (i // 100000), "dir%03d" % ((i // 1000) % 100))
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "file-%04d.txt" % (i % 1000)), "w") as f:
        f.write("line %d of a small file\n" % i * (1 + i % 7))
PY
begin

key="$work/master.key"; head -c 32 /dev/urandom >"$key"
lb=("$JAVA_HOME/bin/java" "${store_jvm[@]}" -jar "$here/server/target/lifeboat.jar" store)
"${lb[@]}" init --repo "$work/lifeboat" --master-key "$key" >/dev/null
warm "$tree"
run tree lifeboat "$work/lifeboat" "${lb[@]}" backup --repo "$work/lifeboat" --master-key "$key" "$tree" t1
warm "$tree"
run tree-again lifeboat "$work/lifeboat" "${lb[@]}" backup --repo "$work/lifeboat" --master-key "$key" \
  --parent t1 "$tree" t2
run tree-restore lifeboat "$work/lifeboat" "${lb[@]}" restore --repo "$work/lifeboat" --master-key "$key" \
  t2 "$work/lifeboat-out"
diff -rq "$tree" "$work/lifeboat-out"; rm -rf "$work/lifeboat-out"

export RESTIC_PASSWORD=bench RESTIC_CACHE_DIR="$work/restic-cache"
restic -r "$work/restic" init >/dev/null
warm "$tree"
run tree restic "$work/restic" restic -r "$work/restic" backup "$tree"
warm "$tree"
run tree-again restic "$work/restic" restic -r "$work/restic" backup "$tree"
run tree-restore restic "$work/restic" restic -r "$work/restic" restore latest --target "$work/restic-out"
diff -rq "$tree" "$work/restic-out$tree"; rm -rf "$work/restic-out"

report "tree tree-again tree-restore" "lifeboat restic"
