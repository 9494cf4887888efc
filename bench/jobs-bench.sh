#!/usr/bin/env bash
# Control-plane scale of scheduled backups: 1,000 instances tagged into 20 teams, 20 plans (one per
# team, daily at 05:00 UTC). Measures how long the schedule tick takes to select the instances and
# enqueue their jobs, how many jobs complete per minute for small volumes (1 GiB sparse, 1 MiB of
# data each), and the server's resident memory before, after one day and after a second day.
# Needs the aws CLI v2 (/usr/bin/aws) and curl. Usage: bench/jobs-bench.sh [instances] [workers]
# LIFEBOAT_JAVA_OPTS (e.g. -Xmx512m) bounds the server's heap.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
WORKERS=${2:-2}
PORT=4610
DATA=$(mktemp -d /tmp/lifeboat-jobs-bench.XXXXXX)
AWS=${LIFEBOAT_AWS_CLI:-/usr/bin/aws}
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=
E=(--endpoint-url "http://127.0.0.1:$PORT")

./lifeboat serve --data "$DATA" --port "$PORT" --insecure-accept-any-credentials --job-workers "$WORKERS" \
  > "$DATA/server.log" 2>&1 &
trap 'kill %1 2>/dev/null; wait 2>/dev/null; rm -rf "$DATA"' EXIT
until curl -sf "http://127.0.0.1:$PORT/_lifeboat/health" >/dev/null; do sleep 0.5; done
PID=$(pgrep -f -- "--data $DATA" | tail -1)
JCMD="$(dirname "$(readlink -f "/proc/$PID/exe")")/jcmd"   # the server's own JDK
rss() { echo $(( $(ps -o rss= -p "$PID") / 1024 )); }
# the live heap: what is left after a full collection
live() { "$JCMD" "$PID" GC.run >/dev/null; "$JCMD" "$PID" GC.heap_info | grep -o 'used [0-9]*K' | head -1 | tr -dc 0-9 | awk '{print int($1/1024)}'; }
clock() { curl -sf -X POST "http://127.0.0.1:$PORT/_lifeboat/clock" -d "$1" >/dev/null; }
now_ms() { date +%s%3N; }

clock '{"set": "2031-01-10T04:00:00Z"}'
t0=$(now_ms)
"$AWS" "${E[@]}" ec2 run-instances --image-id ami-0000000000000b1a0 --count "$N" \
  --block-device-mappings 'DeviceName=/dev/xvda,Ebs={VolumeSize=1}' --query 'Instances[].InstanceId' \
  --output text | tr '\t' '\n' > "$DATA/ids"
echo "launched $N instances in $(( $(now_ms) - t0 )) ms"
n=0
for f in "$DATA"/volumes/*/*/*.img; do
  head -c 1048576 /dev/urandom | dd of="$f" bs=1M seek=$(( n % 512 )) conv=notrunc status=none
  n=$((n + 1))
done
split -n l/20 -d "$DATA/ids" "$DATA/team."
"$AWS" "${E[@]}" iam create-role --role-name AWSBackupRole --assume-role-policy-document \
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"backup.amazonaws.com"},"Action":"sts:AssumeRole"}]}' >/dev/null
"$AWS" "${E[@]}" iam attach-role-policy --role-name AWSBackupRole \
  --policy-arn arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup
"$AWS" "${E[@]}" backup create-backup-vault --backup-vault-name bench >/dev/null
for t in $(seq -w 0 19); do
  # shellcheck disable=SC2046
  "$AWS" "${E[@]}" ec2 create-tags --resources $(cat "$DATA/team.$t") --tags "Key=Team,Value=t$t"
  plan=$("$AWS" "${E[@]}" backup create-backup-plan --query BackupPlanId --output text --backup-plan \
    "{\"BackupPlanName\":\"team-$t\",\"Rules\":[{\"RuleName\":\"daily\",\"TargetBackupVaultName\":\"bench\",
      \"ScheduleExpression\":\"cron(0 5 ? * * *)\",\"Lifecycle\":{\"DeleteAfterDays\":35}}]}")
  "$AWS" "${E[@]}" backup create-backup-selection --backup-plan-id "$plan" --backup-selection \
    "{\"SelectionName\":\"team\",\"IamRoleArn\":\"arn:aws:iam::123456789012:role/AWSBackupRole\",
      \"ListOfTags\":[{\"ConditionType\":\"STRINGEQUALS\",\"ConditionKey\":\"Team\",\"ConditionValue\":\"t$t\"}]}" >/dev/null
done
echo "before the first run: rss $(rss) MiB, live heap $(live) MiB"

t0=$(now_ms)
clock '{"set": "2031-01-10T05:00:00Z"}'   # settles: returns when every job of the tick has ended
t1=$(now_ms)
grep -o 'rules due by .* created .* ms' "$DATA/server.log" | tail -1
done_jobs=$("$AWS" "${E[@]}" backup list-backup-jobs --by-state COMPLETED --query 'length(BackupJobs)')
echo "day 1: $done_jobs jobs completed in $(( t1 - t0 )) ms: $(( done_jobs * 60000 / (t1 - t0 + 1) )) jobs/min; rss $(rss) MiB, live heap $(live) MiB"

for day in 11 12 13 14; do
  t0=$(now_ms)
  clock "{\"set\": \"2031-01-${day}T05:00:00Z\"}"
  t1=$(now_ms)
  grep -o 'rules due by .* created .* ms' "$DATA/server.log" | tail -1
  echo "day $((day - 9)) (incremental): $N jobs in $(( t1 - t0 )) ms: $(( N * 60000 / (t1 - t0 + 1) )) jobs/min; rss $(rss) MiB, live heap $(live) MiB"
done
echo "vault: $(du -sh "$DATA/vaults" | cut -f1), catalog: $(du -sh "$DATA"/catalog* | tail -1 | cut -f1)"
