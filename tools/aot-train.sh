#!/usr/bin/env bash
# Records the store tool's ahead-of-time cache (JDK 25 and newer): the classes `lifeboat store`
# loads, already parsed and linked, from one run of `lifeboat store selftest`; tools/jdk.sh hands it
# to every store command, which then starts ~0.09 s sooner (docs/benchmarks.md). The build runs
# this after packaging the jar (server/pom.xml, profile aot-cache). The JVM checks the cache against
# the jar and itself and quietly ignores one that does not match; on an older JDK, or when anything
# here fails, there is no cache and the store tool starts the ordinary way.
set -u
here="$(cd "$(dirname "$0")/.." && pwd)"
cache="$here/server/target/lifeboat-store.aot"
rm -f "$cache" # before tools/jdk.sh, which would hand a stale one to the recording run
. "$here/tools/jdk.sh"
[ "$major" -ge 25 ] || exit 0
log="$here/server/target/aot-train.log"
if ! "$JAVA_HOME/bin/java" "${store_jvm[@]}" -XX:AOTCacheOutput="$cache" -jar "$here/server/target/lifeboat.jar" \
    store selftest > "$log" 2>&1; then
  echo "aot-train: no ahead-of-time cache (the store tool starts without one): see $log" >&2
  rm -f "$cache"
fi
exit 0
