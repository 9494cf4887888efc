# Sourced by ./lifeboat and the bench scripts: exports JAVA_HOME as a JDK 21 or newer — the one
# already in JAVA_HOME if it qualifies, else the newest found under /usr/lib/jvm or beside `java` —
# and sets store_jvm, the JVM options of the store tool (`lifeboat store`).
java_major() {
  # the JDK's release file says it without starting a JVM (~0.1 s here); `java -version` where there is none
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null | grep . ||
    "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1
}
if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME")" -lt 21 ] 2>/dev/null; then
  best=""
  for d in /usr/lib/jvm/* "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"; do
    [ -x "$d/bin/java" ] || continue
    m=$(java_major "$d"); [ -n "$m" ] && [ "$m" -ge 21 ] && best="$d"
  done
  [ -n "$best" ] || { echo "lifeboat: needs a JDK 21 or newer (set JAVA_HOME)" >&2; exit 1; }
  export JAVA_HOME="$best"
fi

# The store tool keeps memory bounded by design (bounded buffers and pack segments); hold it to that. It
# is short-lived and its heavy lifting is native (OpenSSL, zstd): the C2 compiler would spend a third
# of its CPU compiling code the run is nearly done with, so it stops at C1. Its heap is faulted in as
# it is first used, 4 KiB at a time unless huge pages back it: -0.2 s of a 0.9 s unchanged-tree
# backup on this project's VM (docs/benchmarks.md); asked for only where the kernel offers them.
# Memory a process touches for the first time is dear there (~3.6 ms per MiB), so the young
# generation stays at 24 MiB and is reused, rather than grown by G1 to 100 MiB over a tree backup.
store_jvm=(-Xmx256m -Xmn24m -XX:TieredStopAtLevel=1)
thp=/sys/kernel/mm/transparent_hugepage/enabled
if [ -r "$thp" ] && ! grep -q '\[never\]' "$thp"; then store_jvm+=(-XX:+UseTransparentHugePages); fi
# The classes a store command loads, parsed and linked ahead of time (tools/aot-train.sh records it
# when the jar is built on JDK 25 or newer): -0.09 s of every store command here.
aot_cache="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/server/target/lifeboat-store.aot"
if [ -f "$aot_cache" ] && [ "$(java_major "$JAVA_HOME")" -ge 25 ]; then store_jvm+=(-XX:AOTCache="$aot_cache"); fi
