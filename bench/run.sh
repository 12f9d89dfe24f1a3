#!/usr/bin/env bash
# Ferry's benchmark: each workload's dataset, one S3Proxy server, Ferry and its peers in the same
# run, each tool into a bucket of its own, each result checked byte for byte by a tool that is not
# Ferry (`rclone check --download`): a fast wrong copy counts as a failure.
#
#   bench/run.sh                                   # every workload, defaults below
#   WORKLOADS="small incremental" SMALL_FILES=5000 bench/run.sh
#   LARGE_FILES=2 LARGE_MB=256 WORKLOADS=large bench/run.sh
#
# Workloads (datasets from bench's Datasets, the same bytes for the same SEED):
#   small        SMALL_FILES files of 1-64 KiB in a 3-level tree, half compressible -> S3
#   large        LARGE_FILES files of LARGE_MB MiB, every other one compressible ~4x -> S3
#   incremental  after small: 1 % modified (half to the same size), 0.5 % added, 0.5 % deleted;
#                each tool mirrors the change into its own copy (rclone sync; Ferry's task again,
#                with PreserveDeletedFiles=REMOVE)
#
# Peers: rclone (best of TRANSFERS settings), and the AWS CLI on the large workload.
# PROFILE=DIR records the control plane and the agent with Java Flight Recorder into DIR.
# Ferry runs as an operator runs it: a control plane and an agent, separate processes, the agent
# reading the dataset and sending it over the data channel; the control plane writes to S3.
# Reported per run: wall seconds, MB/s, CPU seconds per GB of the tool's own processes (S3Proxy's
# apart), and Ferry's ratio to the best peer. The table goes to stdout, one JSON object per run
# to $BENCH_DIR/results.jsonl.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/lib/java.sh"
. "$here/scripts/lib/s3proxy.sh"
WORKLOADS="${WORKLOADS:-small incremental large}"
SMALL_FILES="${SMALL_FILES:-20000}"
LARGE_FILES="${LARGE_FILES:-4}"
LARGE_MB="${LARGE_MB:-1024}"
# rclone reads every RCLONE_* variable as a flag of its own, so the settings to try are TRANSFERS.
TRANSFERS="${TRANSFERS:-16 32}"
FERRY_VERIFY="${FERRY_VERIFY:-POINT_IN_TIME_CONSISTENT}"
SEED="${SEED:-42}"
work="${BENCH_DIR:-$here/bench/work}"
# rclone 1.60 refuses to start when AWS_CA_BUNDLE is set with a plain-HTTP endpoint; nothing here uses TLS to S3.
unset AWS_CA_BUNDLE

java_home="$(ferry_find_jdk)" || { echo "bench: no JDK 21+ found" >&2; exit 1; }
need() { command -v "$1" >/dev/null || { echo "bench: installing $2" >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$2" >/dev/null; }; }
need rclone rclone; need bc bc; need python3 python3
[ -x /usr/bin/time ] || need time time
command -v aws >/dev/null || need aws awscli
"$here/ferry" --version >/dev/null
(cd "$here" && JAVA_HOME="$java_home" mvn -q -B -o -pl bench install -DskipTests 2>/dev/null || JAVA_HOME="$java_home" mvn -q -B -pl bench install -DskipTests) >&2
generate() { "$java_home/bin/java" -cp "$here/bench/target/classes" dev.ferry.bench.GenerateDataset "$@"; }

rm -rf "$work"; mkdir -p "$work"
results="$work/results.jsonl"; : > "$results"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

cpu_seconds() { # user+system seconds of a process and its threads
  awk -v hz="$(getconf CLK_TCK)" '{print ($14+$15)/hz}' "/proc/$1/stat"
}
uuid_bucket() { echo "b$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"; }
new_bucket() { rclone mkdir "bench:$1" > "$work/mkdir.log" 2>&1 || { cat "$work/mkdir.log" >&2; echo "bench: cannot make bucket $1" >&2; exit 1; }; }

ferry_start_s3proxy "$work" bench bench-secret "$java_home"
s3_port=$S3PROXY_PORT; s3_pid=$S3PROXY_PID; pids+=("$s3_pid")
export RCLONE_CONFIG_BENCH_TYPE=s3 RCLONE_CONFIG_BENCH_PROVIDER=Other RCLONE_CONFIG_BENCH_ENDPOINT="http://127.0.0.1:$s3_port" \
  RCLONE_CONFIG_BENCH_ACCESS_KEY_ID=bench RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY=bench-secret RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE=true \
  RCLONE_CONFIG_DIR="$work" AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret AWS_DEFAULT_REGION=us-east-1

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
# The JVMs themselves (./ferry runs java in its own process, or execs it).
cp_java=$(pgrep -P "$cp_pid" java || echo "$cp_pid"); agent_java=$(pgrep -P "$agent_pid" java || echo "$agent_pid")
# PROFILE=DIR: Java Flight Recordings of the control plane and the agent, written there at the end.
if [ -n "${PROFILE:-}" ]; then
  mkdir -p "$PROFILE"
  for p in "$cp_pid" "$agent_pid"; do
    jpid=$(pgrep -P "$p" java || echo "$p")
    "$java_home/bin/jcmd" "$jpid" JFR.start name=bench settings=profile filename="$PROFILE/ferry-$p.jfr" >/dev/null
  done
  trap 'for p in "$cp_pid" "$agent_pid"; do jpid=$(pgrep -P "$p" java || echo "$p"); "$java_home/bin/jcmd" "$jpid" JFR.dump name=bench filename="$PROFILE/ferry-$p.jfr" >/dev/null 2>&1 || true; done; cleanup' EXIT
fi

json_id() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }

# record WORKLOAD TOOL SECONDS CPU S3PROXY_CPU BYTES CHECK [COMMAND_SECONDS]
# SECONDS is the work's own time: a peer's whole command, or a Ferry execution from the moment the
# control plane accepted the start to its end. COMMAND_SECONDS is the command's wall time when it
# differs: `ferry task start --wait` also starts the CLI's JVM and polls the API.
record() {
  LC_NUMERIC=C printf '{"workload":"%s","tool":"%s","seconds":%.3f,"commandSeconds":%.3f,"mbPerSecond":%.1f,"cpuSeconds":%.2f,"cpuSecondsPerGb":%.2f,"s3proxyCpuSeconds":%.2f,"bytes":%d,"check":"%s"}\n' \
    "$1" "$2" "$3" "${8:-$3}" "$(echo "scale=3; $6 / 1000000 / $3" | bc)" "$4" "$(echo "scale=3; $4 / ($6 / 1000000000)" | bc)" "$5" "$6" "$7" >> "$results"
}

# check SRC BUCKET: the bucket's objects against the directory, every byte downloaded and compared
check() {
  if rclone check --download "$1" "bench:$2/data" > "$work/check-$2.log" 2>&1; then echo ok; else echo WRONG; fi
}

# timed LABEL COMMAND...: runs a peer, prints "SECONDS CPU S3PROXY_CPU"
timed() {
  local t0 t1 s0 s1 label="$1"; shift
  s0=$(cpu_seconds "$s3_pid"); t0=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$work/$label.time" "$@" > "$work/$label.out" 2>&1 || { cat "$work/$label.out" >&2; echo "bench: $label failed" >&2; exit 1; }
  t1=$(date +%s.%N); s1=$(cpu_seconds "$s3_pid")
  echo "$(echo "$t1 - $t0" | bc) $(tail -n1 "$work/$label.time" | awk '{print $1+$2}') $(echo "$s1 - $s0" | bc)"
}

# ferry_task SRC_DIR BUCKET [OPTION...]: a posix source on the agent, an S3 destination; prints the task id
ferry_task() {
  local dir="$1" bucket="$2" src dst opts=(); shift 2
  for o in "$@"; do opts+=(--option "$o"); done
  src=$("$here/ferry" location create --type posix --agent "$agent_id" --path "$dir" -o json | json_id)
  dst=$("$here/ferry" location create --type s3 --bucket "$bucket" --prefix data --endpoint "http://127.0.0.1:$s3_port" \
    --access-key bench -o json | json_id)
  "$here/ferry" task create --source "$src" --destination "$dst" --option "VerifyMode=$FERRY_VERIFY" "${opts[@]}" -o json | json_id
}

# thread_cpu PID: "SECONDS NAME" for every thread of a process (JIT compilers, GC, event loops)
thread_cpu() {
  local hz; hz=$(getconf CLK_TCK)
  for t in /proc/"$1"/task/*; do
    [ -r "$t/stat" ] && awk -v hz="$hz" -v name="$(cat "$t/comm" 2>/dev/null)" '{sub(/^.*\) /, ""); print ($12+$13)/hz, name}' "$t/stat"
  done
}
# thread_delta BEFORE AFTER: CPU seconds per thread name between two thread_cpu snapshots, largest first
thread_delta() {
  awk 'NR==FNR {b[$2]+=$1; next} {a[$2]+=$1} END {for (n in a) if (a[n]-b[n] > 0.005) printf "%8.2f %s\n", a[n]-b[n], n}' "$1" "$2" | sort -rn
}

# ferry_run LABEL TASK: prints "SECONDS CPU S3PROXY_CPU COMMAND_SECONDS" (SECONDS: the execution's
# own, created to ended; CPU of control plane and agent); CPU per thread of each Ferry process goes
# to $work/LABEL.threads
ferry_run() {
  local t0 t1 c0 c1 s0 s1
  thread_cpu "$cp_java" > "$work/$1.cp-before"; thread_cpu "$agent_java" > "$work/$1.agent-before"
  c0=$(echo "$(cpu_seconds "$cp_pid") + $(cpu_seconds "$agent_pid")" | bc); s0=$(cpu_seconds "$s3_pid"); t0=$(date +%s.%N)
  "$here/ferry" task start "$2" --wait -o json > "$work/$1.json" 2> "$work/$1.out" || { cat "$work/$1.out" "$work/$1.json" >&2; echo "bench: Ferry run $1 failed" >&2; exit 1; }
  t1=$(date +%s.%N)
  c1=$(echo "$(cpu_seconds "$cp_pid") + $(cpu_seconds "$agent_pid")" | bc); s1=$(cpu_seconds "$s3_pid")
  { echo "control plane:"; thread_delta "$work/$1.cp-before" <(thread_cpu "$cp_java")
    echo "agent:"; thread_delta "$work/$1.agent-before" <(thread_cpu "$agent_java"); } > "$work/$1.threads"
  local own; own=$(python3 -c 'import json,sys,datetime as d; e=json.load(open(sys.argv[1])); p=lambda t: d.datetime.fromisoformat(t.replace("Z","+00:00")); print((p(e["endedAt"])-p(e["createdAt"])).total_seconds())' "$work/$1.json")
  echo "$own $(echo "$c1 - $c0" | bc) $(echo "$s1 - $s0" | bc) $(echo "$t1 - $t0" | bc)"
}

# copy_workload NAME DIR: every tool copies DIR into a fresh bucket of its own, alternating
declare -A bucket_of
copy_workload() {
  local name="$1" dir="$2" bytes b line
  bytes=$(du -sb --apparent-size "$dir" | cut -f1)
  local i=0
  for t in $TRANSFERS; do
    i=$((i + 1)) # A setting may repeat, for more rounds: each round has buckets of its own.
    b=$(uuid_bucket); new_bucket "$b"; bucket_of["$name/rclone-$i"]=$b
    line=$(timed "$name-rclone-$i" rclone copy "$dir" "bench:$b/data" --transfers "$t" --checkers "$t" --s3-upload-concurrency 4)
    record "$name" "rclone --transfers $t" $line "$bytes" "$(check "$dir" "$b")"
    b=$(uuid_bucket); new_bucket "$b"; bucket_of["$name/ferry-$i"]=$b
    task=$(ferry_task "$dir" "$b"); bucket_of["$name/ferry-task-$i"]=$task
    line=($(ferry_run "$name-ferry-$i" "$task"))
    record "$name" "ferry ($FERRY_VERIFY)" "${line[@]:0:3}" "$bytes" "$(check "$dir" "$b")" "${line[3]}"
  done
  if [ "$name" = large ]; then
    b=$(uuid_bucket); new_bucket "$b"
    line=$(timed "$name-aws" aws --endpoint-url "http://127.0.0.1:$s3_port" s3 cp --recursive --only-show-errors "$dir" "s3://$b/data")
    record "$name" "aws s3 cp" $line "$bytes" "$(check "$dir" "$b")"
  fi
}

# S3Proxy is a JVM too: its first few thousand requests run slowly while it compiles. An untimed
# copy first, so that whichever tool runs first does not pay for the server's warm-up. Ferry's
# control plane and agent are long-running daemons, so the figures compared are theirs once warm;
# their first run after start, which pays for compiling Ferry's own code, is timed and reported
# apart ("ferry cold start"), and is not in the ratios.
warm_up() {
  [ -n "${warmed:-}" ] && return 0
  local b task line bytes; b=$(uuid_bucket); new_bucket "$b"
  rclone copy "$1" "bench:$b/warm-up" --transfers 16 > "$work/warm-up.log" 2>&1 || true
  rclone purge "bench:$b" >> "$work/warm-up.log" 2>&1 || true
  b=$(uuid_bucket); new_bucket "$b"; bytes=$(du -sb --apparent-size "$1" | cut -f1)
  task=$(ferry_task "$1" "$b")
  line=($(ferry_run "cold-start" "$task"))
  record "$2" "ferry cold start ($FERRY_VERIFY)" "${line[@]:0:3}" "$bytes" "$(check "$1" "$b")" "${line[3]}"
  rclone purge "bench:$b" >> "$work/warm-up.log" 2>&1 || true
  warmed=1
}

for w in $WORKLOADS; do
  case "$w" in
    small)
      echo "== small: $SMALL_FILES files" >&2
      generate small "$work/small" "$SMALL_FILES" "$SEED" >&2
      warm_up "$work/small" small
      copy_workload small "$work/small" ;;
    large)
      echo "== large: $LARGE_FILES x $LARGE_MB MiB" >&2
      generate large "$work/large-set" "$LARGE_FILES" $((LARGE_MB * 1048576)) "$SEED" >&2
      warm_up "$work/large-set" large
      copy_workload large "$work/large-set"
      rm -rf "$work/large-set" ;;
    incremental)
      [ -d "$work/small" ] || { echo "bench: incremental needs small first (WORKLOADS=\"small incremental\")" >&2; exit 2; }
      echo "== incremental: $(generate mutate "$work/small" "$SMALL_FILES" "$SEED")" >&2
      bytes=$(du -sb --apparent-size "$work/small" | cut -f1)
      i=0
      for t in $TRANSFERS; do
        i=$((i + 1))
        b=${bucket_of["small/rclone-$i"]}
        line=$(timed "incremental-rclone-$i" rclone sync "$work/small" "bench:$b/data" --transfers "$t" --checkers "$t")
        record incremental "rclone sync --transfers $t" $line "$bytes" "$(check "$work/small" "$b")"
        b=${bucket_of["small/ferry-$i"]}
        "$here/ferry" task update "${bucket_of["small/ferry-task-$i"]}" --option PreserveDeletedFiles=REMOVE >/dev/null
        line=($(ferry_run "incremental-ferry-$i" "${bucket_of["small/ferry-task-$i"]}"))
        record incremental "ferry ($FERRY_VERIFY, REMOVE)" "${line[@]:0:3}" "$bytes" "$(check "$work/small" "$b")" "${line[3]}"
      done ;;
    *) echo "bench: unknown workload '$w' (small, large, incremental)" >&2; exit 2 ;;
  esac
done

python3 - "$results" <<'PY'
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
print("\n| workload | tool | s | command s | MB/s | CPU s/GB | S3Proxy CPU s | check |")
print("|---|---|---:|---:|---:|---:|---:|---|")
for r in runs:
    print(f"| {r['workload']} | {r['tool']} | {r['seconds']:.1f} | {r['commandSeconds']:.1f} | {r['mbPerSecond']} | {r['cpuSecondsPerGb']} | {r['s3proxyCpuSeconds']:.1f} | {r['check']} |")
print()
for w in dict.fromkeys(r["workload"] for r in runs):
    ferry = [r for r in runs if r["workload"] == w and r["tool"].startswith("ferry (") and r["check"] == "ok"]
    peers = [r for r in runs if r["workload"] == w and not r["tool"].startswith("ferry") and r["check"] == "ok"]
    if ferry and peers:
        f = min(r["seconds"] for r in ferry); p = min(peers, key=lambda r: r["seconds"])
        print(f"{w}: Ferry's best {f:.1f} s vs {p['tool']} {p['seconds']:.1f} s: time ratio peer/Ferry = {p['seconds'] / f:.2f}")
wrong = [r for r in runs if r["check"] != "ok"]
if wrong:
    print("WRONG results: " + ", ".join(f"{r['workload']}/{r['tool']}" for r in wrong))
    sys.exit(1)
PY
