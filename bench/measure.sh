# Sourced by the store benchmarks (store-vs-peers.sh, large-tree.sh), which set $work.

# begin: a fresh $work and its results table, $results.
begin() {
  rm -rf "$work"; mkdir -p "$work"
  results="$work/results.tsv"
  printf 'step\ttool\twall_s\tcpu_s\trss_mb\tstored_mb\n' >"$results"
}

# warm DIR: reads every file under DIR into the page cache (through a pipe: GNU tar writing to
# /dev/null itself skips reading file contents).
warm() {
  tar -cf - -C "$1" . | cat >/dev/null
}

# run STEP TOOL REPO COMMAND...: times COMMAND, then records the repository's size.
run() {
  local step=$1 tool=$2 repo=$3; shift 3
  sync
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >"$work/$tool-$step.log" 2>&1 \
    || { echo "$tool $step failed:" >&2; cat "$work/$tool-$step.log" >&2; exit 1; }
  read -r wall user sys rss <"$work/time"
  local stored; stored=$(du -sb "$repo" | cut -f1)
  printf '%s\t%s\t%s\t%.2f\t%d\t%.1f\n' "$step" "$tool" "$wall" "$(echo "$user + $sys" | bc)" \
    $((rss / 1024)) "$(echo "$stored / 1000000" | bc -l)" >>"$results"
  echo "$tool $step: ${wall}s" >&2
}

# report "STEP..." "TOOL...": the results as a markdown table, each step's rows with restic's wall
# time divided by the tool's.
report() {
  python3 - "$results" "$1" "$2" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
by = {(r['step'], r['tool']): r for r in rows}
print('| step | tool | wall s | CPU s | peak RSS MB | repository MB | restic wall ÷ this |')
print('|---|---|---|---|---|---|---|')
for step in sys.argv[2].split():
    base = float(by[(step, 'restic')]['wall_s'])
    for tool in sys.argv[3].split():
        r = by[(step, tool)]
        print(f"| {step} | {tool} | {r['wall_s']} | {r['cpu_s']} | {r['rss_mb']} | {r['stored_mb']} | "
              f"{base / max(float(r['wall_s']), 0.01):.2f}× |")
PY
  echo "raw results: $results" >&2
}
