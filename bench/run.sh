#!/usr/bin/env bash
# Ferry's benchmark: one dataset, one S3Proxy server, Ferry and rclone in the same run.
# Prints wall time, MB/s and CPU seconds for each, and Ferry's ratio to rclone.
#
#   bench/run.sh                  # defaults below
#   SMALL_FILES=20000 LARGE_FILES=4 LARGE_MB=512 bench/run.sh
#
# Ferry runs as an operator runs it: a control plane and an agent, separate processes, the agent
# reading the dataset and sending it over the data channel; the control plane writes to S3.
# CPU seconds are user+system time of the processes each tool runs (S3Proxy's own CPU, shared by
# both, is shown apart).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/lib/java.sh"
. "$here/scripts/lib/s3proxy.sh"
SMALL_FILES="${SMALL_FILES:-5000}"
LARGE_FILES="${LARGE_FILES:-4}"
LARGE_MB="${LARGE_MB:-256}"
PARALLEL="${PARALLEL:-16}"
work="${BENCH_DIR:-$here/bench/work}"
# rclone 1.60 refuses to start when AWS_CA_BUNDLE is set with a plain-HTTP endpoint; nothing here uses TLS to S3.
unset AWS_CA_BUNDLE

java_home="$(ferry_find_jdk)" || { echo "bench: no JDK 21+ found" >&2; exit 1; }
command -v rclone >/dev/null || { echo "bench: installing rclone" >&2; apt-get install -y -q --no-install-recommends rclone >/dev/null; }
command -v python3 >/dev/null || { echo "bench: python3 is needed to generate the dataset" >&2; exit 1; }
"$here/ferry" --version >/dev/null

rm -rf "$work"; mkdir -p "$work/s3data"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

cpu_seconds() { # user+system seconds of a process and its threads
  awk -v hz="$(getconf CLK_TCK)" '{print ($14+$15)/hz}' "/proc/$1/stat"
}

echo "== dataset: $SMALL_FILES small files (1-64 KiB), $LARGE_FILES x $LARGE_MB MiB; half compressible" >&2
python3 - "$work/data" "$SMALL_FILES" "$LARGE_FILES" "$LARGE_MB" <<'PY'
import os, random, sys
root, small, large, large_mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rnd = random.Random(42)
words = b"ferry moves files verified chunk stream agent control plane bucket object "
for i in range(small):
    d = os.path.join(root, "small", "d%03d" % (i % 100))
    os.makedirs(d, exist_ok=True)
    size = rnd.randint(1024, 65536)
    data = (words * (size // len(words) + 1))[:size] if i % 2 == 0 else rnd.randbytes(size)
    open(os.path.join(d, "f%06d.%s" % (i, "txt" if i % 2 == 0 else "bin")), "wb").write(data)
os.makedirs(os.path.join(root, "large"), exist_ok=True)
for i in range(large):
    with open(os.path.join(root, "large", "large-%d.%s" % (i, "log" if i % 2 == 0 else "bin")), "wb") as f:
        for _ in range(large_mb):
            f.write((words * (1048576 // len(words) + 1))[:1048576] if i % 2 == 0 else rnd.randbytes(1048576))
PY
total_bytes=$(du -sb "$work/data" | cut -f1)

ferry_start_s3proxy "$work" bench bench-secret "$java_home"
s3_port=$S3PROXY_PORT; s3_pid=$S3PROXY_PID; pids+=("$s3_pid")

export RCLONE_CONFIG_BENCH_TYPE=s3 RCLONE_CONFIG_BENCH_PROVIDER=Other RCLONE_CONFIG_BENCH_ENDPOINT="http://127.0.0.1:$s3_port" \
  RCLONE_CONFIG_BENCH_ACCESS_KEY_ID=bench RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY=bench-secret RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE=true
for b in rclone-bench ferry-bench ferry-bench-noverify ferry-bench-pitc; do rclone mkdir "bench:$b"; done

echo "== Ferry: control plane and agent" >&2
export FERRY_CONFIG="$work/cli-config.json" FERRY_LOG_LEVEL=WARN
"$here/ferry" control-plane run --data-dir "$work/cp" --api-port 0 --data-port 0 > "$work/cp.log" 2>&1 &
cp_pid=$!; pids+=("$cp_pid")
for _ in $(seq 1 600); do grep -q "CLI config written" "$work/cp.log" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^control plane listening at \(https:[^ ]*\).*/\1/p' "$work/cp.log")
key=$("$here/ferry" activation-key create -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["activationKey"])')
"$here/ferry" agent activate --control-plane "$url" --activation-key "$key" --name bench --agent-dir "$work/agent" >&2
"$here/ferry" agent run --agent-dir "$work/agent" > "$work/agent.log" 2>&1 &
agent_pid=$!; pids+=("$agent_pid")
agent_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["agentId"])' "$work/agent/agent.json")
for _ in $(seq 1 600); do "$here/ferry" agent get "$agent_id" | grep -q ONLINE && break; sleep 0.1; done

src=$("$here/ferry" location create --type posix --agent "$agent_id" --path "$work/data" -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
dst_for() {
  AWS_SECRET_ACCESS_KEY=bench-secret "$here/ferry" location create --type s3 --bucket "$1" --prefix data \
    --endpoint "http://127.0.0.1:$s3_port" --access-key bench -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}

run_ferry() { # label bucket verify-mode
  local dst task t0 t1 c0 c1 s0 s1
  dst=$(dst_for "$2")
  task=$("$here/ferry" task create --source "$src" --destination "$dst" --option "VerifyMode=$3" -o json \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  c0=$(echo "$(cpu_seconds "$cp_pid") + $(cpu_seconds "$agent_pid")" | bc); s0=$(cpu_seconds "$s3_pid")
  t0=$(date +%s.%N)
  "$here/ferry" task start "$task" --wait > "$work/$1.out" 2>&1 || { cat "$work/$1.out" >&2; echo "bench: Ferry run failed" >&2; exit 1; }
  t1=$(date +%s.%N)
  c1=$(echo "$(cpu_seconds "$cp_pid") + $(cpu_seconds "$agent_pid")" | bc); s1=$(cpu_seconds "$s3_pid")
  echo "$1 $(echo "$t1 - $t0" | bc) $(echo "$c1 - $c0" | bc) $(echo "$s1 - $s0" | bc)"
}

run_rclone() {
  local t0 t1 s0 s1 cpu
  s0=$(cpu_seconds "$s3_pid")
  t0=$(date +%s.%N)
  cpu=$( { /usr/bin/env time -f "%U %S" rclone copy "$work/data" bench:rclone-bench/data --transfers "$PARALLEL" \
      --checkers "$PARALLEL" --s3-upload-concurrency 4 2> "$work/rclone.time" > "$work/rclone.out"; } 2>&1; tail -n1 "$work/rclone.time")
  t1=$(date +%s.%N)
  s1=$(cpu_seconds "$s3_pid")
  echo "rclone $(echo "$t1 - $t0" | bc) $(echo "$cpu" | awk '{print $1+$2}') $(echo "$s1 - $s0" | bc)"
}

command -v bc >/dev/null || apt-get install -y -q bc >/dev/null
command -v time >/dev/null || [ -x /usr/bin/time ] || apt-get install -y -q time >/dev/null
echo "== running (each tool copies $(numfmt --to=iec "$total_bytes") into an empty bucket)" >&2
results=()
results+=("$(run_rclone)")
results+=("$(run_ferry ferry-verified ferry-bench ONLY_FILES_TRANSFERRED)")
results+=("$(run_ferry ferry-noverify ferry-bench-noverify NONE)")
results+=("$(run_ferry ferry-pitc ferry-bench-pitc POINT_IN_TIME_CONSISTENT)")

mb=$(echo "scale=2; $total_bytes / 1048576" | bc)
printf '\n%-16s %10s %10s %12s %14s\n' tool seconds MB/s "CPU s" "S3Proxy CPU s"
rclone_mbps=""
for line in "${results[@]}"; do
  set -- $line
  mbps=$(echo "scale=1; $mb / $2" | bc)
  [ "$1" = rclone ] && rclone_mbps=$mbps
  printf '%-16s %10.2f %10s %12.2f %14.2f\n' "$1" "$2" "$mbps" "$3" "$4"
done
echo
for line in "${results[@]}"; do
  set -- $line
  [ "$1" = rclone ] && continue
  printf '%s / rclone throughput ratio: %s\n' "$1" "$(echo "scale=2; ($mb / $2) / $rclone_mbps" | bc)"
done
echo "(ferry-verified: ONLY_FILES_TRANSFERRED reads every object back and compares SHA-256; ferry-pitc: POINT_IN_TIME_CONSISTENT,"
echo " DataSync's default, lists both sides again and hashes every file on both; rclone checks MD5 ETags of single-part uploads only)"
