# Sourced by ./lifeboat and the bench scripts: exports JAVA_HOME as a JDK 21 or newer — the one
# already in JAVA_HOME if it qualifies, else the newest found under /usr/lib/jvm or beside `java`.
java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME")" -lt 21 ] 2>/dev/null; then
  best=""
  for d in /usr/lib/jvm/* "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"; do
    [ -x "$d/bin/java" ] || continue
    m=$(java_major "$d"); [ -n "$m" ] && [ "$m" -ge 21 ] && best="$d"
  done
  [ -n "$best" ] || { echo "lifeboat: needs a JDK 21 or newer (set JAVA_HOME)" >&2; exit 1; }
  export JAVA_HOME="$best"
fi
