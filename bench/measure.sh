# Sourced by the store benchmarks (store-vs-peers.sh, large-tree.sh), which set $work.

# begin: a fresh $work and its results table, $results; $round numbers the rows run() records.
begin() {
  rm -rf "$work"; mkdir -p "$work"
  results="$work/results.tsv"
  printf 'round\tstep\ttool\twall_s\tcpu_s\trss_mb\tstored_mb\n' >"$results"
  round=1
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
  printf '%s\t%s\t%s\t%s\t%.2f\t%d\t%.1f\n' "$round" "$step" "$tool" "$wall" "$(echo "$user + $sys" | bc)" \
    $((rss / 1024)) "$(echo "$stored / 1000000" | bc -l)" >>"$results"
  echo "round $round: $tool $step: ${wall}s" >&2
}

# report "STEP..." "TOOL...": the results as a markdown table, each step's rows with restic's wall
# time divided by the tool's. Over several rounds wall and CPU time are the rounds' medians, peak RSS
# and repository size their largest, the ratio is of the median walls, and the last column lists
# each round's own ratio.
report() {
  python3 - "$results" "$1" "$2" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
rounds = sorted({r['round'] for r in rows}, key=int)
def cell(step, tool, col, rnd=None):
    vals = [float(r[col]) for r in rows if r['step'] == step and r['tool'] == tool and rnd in (None, r['round'])]
    return max(vals) if col in ('rss_mb', 'stored_mb') else statistics.median(vals)
many = len(rounds) > 1
print('| step | tool | wall s | CPU s | peak RSS MB | repository MB | restic wall ÷ this |'
      + (' each round |' if many else ''))
print('|---|---|---|---|---|---|---|' + ('---|' if many else ''))
for step in sys.argv[2].split():
    for tool in sys.argv[3].split():
        ratio = lambda rnd=None: cell(step, 'restic', 'wall_s', rnd) / max(cell(step, tool, 'wall_s', rnd), 0.01)
        line = (f"| {step} | {tool} | {cell(step, tool, 'wall_s'):.2f} | {cell(step, tool, 'cpu_s'):.2f} | "
                f"{cell(step, tool, 'rss_mb'):.0f} | {cell(step, tool, 'stored_mb'):.1f} | {ratio():.2f}× |")
        if many:
            line += ' ' + ' '.join(f'{ratio(r):.2f}×' for r in rounds) + ' |'
        print(line)
PY
  echo "raw results: $results" >&2
}
