# Sourced by ./lifeboat and the bench scripts: exports JAVA_HOME as a JDK 21 or newer — the one
# already in JAVA_HOME if it qualifies, else the newest found under /usr/lib/jvm or beside `java` —
# and sets store_jvm, the JVM options of the store tool (`lifeboat store`). Every store command
# runs this first, so it starts no process where bash can do the work itself: each costs 5–15 ms on
# this project's VM, and they made up a third of `lifeboat store --help` (0.25 against 0.17 s).

# java_major DIR: sets major to the JDK's major version, read from its release file without starting
# a JVM (~0.1 s here), else from `java -version`; empty when DIR holds no JDK.
java_major() {
  major=""
  local line
  if [ -r "$1/release" ]; then
    while IFS= read -r line; do
      if [[ $line =~ ^JAVA_VERSION=\"([0-9]+) ]]; then major=${BASH_REMATCH[1]}; return; fi
    done <"$1/release"
  fi
  [ -x "$1/bin/java" ] && major=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  return 0
}
java_major "${JAVA_HOME:-/nonexistent}"
if [ -z "$major" ] || [ "$major" -lt 21 ]; then
  best="" best_major=0
  for d in /usr/lib/jvm/* "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"; do
    [ -x "$d/bin/java" ] || continue
    java_major "$d"
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$d" best_major=$major; fi
  done
  [ -n "$best" ] || { echo "lifeboat: needs a JDK 21 or newer (set JAVA_HOME)" >&2; exit 1; }
  export JAVA_HOME="$best"
  major=$best_major
fi

# The store tool keeps memory bounded by design (bounded buffers and pack segments); hold it to that. It
# is short-lived and its heavy lifting is native (OpenSSL, zstd): the C2 compiler would spend a third
# of its CPU compiling code the run is nearly done with, so it stops at C1. Its heap is faulted in as
# it is first used, 4 KiB at a time unless huge pages back it: -0.2 s of a 0.9 s unchanged-tree
# backup on this project's VM (docs/benchmarks.md); asked for only where the kernel offers them.
# Memory a process touches for the first time is dear there (~3.6 ms per MiB), so the young
# generation stays at 24 MiB and is reused, rather than grown by G1 to 100 MiB over a tree backup.
store_jvm=(-Xmx256m -Xmn24m -XX:TieredStopAtLevel=1)
thp=""; [ -r /sys/kernel/mm/transparent_hugepage/enabled ] && read -r thp </sys/kernel/mm/transparent_hugepage/enabled
if [ -n "$thp" ] && [[ $thp != *"[never]"* ]]; then store_jvm+=(-XX:+UseTransparentHugePages); fi
# The classes a store command loads, parsed and linked ahead of time (tools/aot-train.sh records it
# when the jar is built on JDK 25 or newer): -0.09 s of every store command here.
tools_dir=.; [[ ${BASH_SOURCE[0]} == */* ]] && tools_dir=${BASH_SOURCE[0]%/*}
[[ $tools_dir == /* ]] || tools_dir="$PWD/$tools_dir"
aot_cache="$tools_dir/../server/target/lifeboat-store.aot"
if [ -f "$aot_cache" ] && [ "$major" -ge 25 ]; then store_jvm+=(-XX:AOTCache="$aot_cache"); fi
