#!/usr/bin/env bash
# Ferry's benchmark: each workload's dataset, one S3Proxy server, Ferry and its peers in the same
# run, each tool into a bucket of its own, each result checked byte for byte by a tool that is not
# Ferry (`rclone check --download`): a fast wrong copy counts as a failure.
#
#   bench/run.sh                                   # every workload, defaults below
#   WORKLOADS="small incremental" SMALL_FILES=5000 bench/run.sh
#   LARGE_FILES=2 LARGE_MB=256 WORKLOADS=large bench/run.sh
#   WORKLOADS=wan-small WAN_SMALL="1gbit 20" bench/run.sh
#
# Workloads (datasets from bench's Datasets, the same bytes for the same SEED):
#   small        SMALL_FILES files of 1-64 KiB in a 3-level tree, half compressible -> S3, loopback
#   incremental  after small: 1 % modified (half to the same size), 0.5 % added, 0.5 % deleted;
#                each tool mirrors the change into its own copy (rclone sync; Ferry's task again,
#                with PreserveDeletedFiles=REMOVE)
#   large        LARGE_FILES files of LARGE_MB MiB, every other one compressible ~4x -> S3, loopback
#   wan-small    the small set over an emulated WAN (WAN_SMALL: rate and round trip in ms)
#   wan-large    two files of WAN_LARGE_MB MiB, one compressible, one random, each on its own,
#                over an emulated WAN (WAN_LARGE); figures against the link's rate
#   multi-agent  MULTI_FILES random files of MULTI_MB MiB read by one agent, then by MULTI_AGENTS
#                agents of one location, each at a site of its own behind its own link
#                (MULTI_LINK), all reading the same directory; Ferry alone
#   prepare      PREPARE_ENTRIES empty files, listed and compared on both sides (one directory as
#                both source and destination: all is skipped, so the run is all preparing), the
#                control plane and the agent each held to PREPARE_HEAP; the heap each needed after
#                collection is read from its GC log
#
# The emulated WAN: two network namespaces made for the run and removed after it, "cloud"
# (S3Proxy, the control plane) and "site" (the agent, next to the data, and the peers, which run
# where the data is), joined by a veth pair rate-limited by tc tbf at both ends, and a DelayProxy
# in cloud that relays everything site sends to cloud with half the round trip added each way
# (this kernel has no netem). Needs root.
#
# Other settings: DROP_CACHES (1: the page cache written out and dropped before each timed run,
# see page_in; 0: not), SEED (datasets), FERRY_VERIFY (Ferry's VerifyMode, ONLY_FILES_TRANSFERRED by
# default: verification as rclone and the AWS CLI do it, by what the store says of each upload),
# WARM_RUNS (runs of the daemons before any compared, default 2), BENCH_AOT (1: the daemons run on
# AOT caches trained first, as FERRY_AOT_DIR does for an operator; 0: without; AOT_TRAINING_FILES),
# FERRY_LOG_LEVEL (WARN),
# BENCH_DIR (where everything goes; bench/work by default), KEEP_DATA=1 (keep S3Proxy's buckets
# when its servers stop; by default they go, since every run of every tool has its own bucket and
# a whole run would leave tens of GB).
#
# Peers: rclone (best of TRANSFERS settings; a repeated setting is another round), and the AWS CLI
# on the large workloads. PROFILE=DIR records the control plane and the agent with Java Flight
# Recorder into DIR. Ferry runs as an operator runs it: a control plane and an agent, separate
# processes, the agent reading the dataset and sending it over the data channel; the control
# plane writes to S3. Its daemons start once per network; their first run is timed and shown
# apart as a cold start. Reported per run: seconds (a Ferry execution's own, created to ended;
# the CLI command's beside it), MB/s, CPU seconds per GB of the tool's own processes (S3Proxy's
# apart), on a WAN when each run's first and last bytes crossed the site's link (link_use), and
# at the end each target of the performance issue with the measured ratio. The table
# goes to stdout, one JSON object per run to $BENCH_DIR/results.jsonl.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/lib/java.sh"
. "$here/scripts/lib/s3proxy.sh"
WORKLOADS="${WORKLOADS:-small incremental large wan-small wan-large multi-agent prepare}"
SMALL_FILES="${SMALL_FILES:-20000}"
LARGE_FILES="${LARGE_FILES:-4}"
LARGE_MB="${LARGE_MB:-1024}"
WAN_SMALL="${WAN_SMALL:-1gbit 20}"
WAN_LARGE="${WAN_LARGE:-200mbit 80}"
WAN_LARGE_MB="${WAN_LARGE_MB:-512}"
PREPARE_ENTRIES="${PREPARE_ENTRIES:-10000000}"
PREPARE_HEAP="${PREPARE_HEAP:-1g}"
MULTI_AGENTS="${MULTI_AGENTS:-4}"
MULTI_LINK="${MULTI_LINK:-200mbit 20}"
MULTI_FILES="${MULTI_FILES:-8}"
MULTI_MB="${MULTI_MB:-128}"
# rclone reads every RCLONE_* variable as a flag of its own, so the settings to try are TRANSFERS.
TRANSFERS="${TRANSFERS:-16 32}"
FERRY_VERIFY="${FERRY_VERIFY:-ONLY_FILES_TRANSFERRED}"
BENCH_AOT="${BENCH_AOT:-1}"
SEED="${SEED:-42}"
work="${BENCH_DIR:-$here/bench/work}"
# rclone 1.60 refuses to start when AWS_CA_BUNDLE is set with a plain-HTTP endpoint; nothing here uses TLS to S3.
unset AWS_CA_BUNDLE

java_home="$(ferry_find_jdk)" || { echo "bench: no JDK 21+ found" >&2; exit 1; }
# How Ferry's rows are labelled: its VerifyMode, and whether its daemons ran on AOT caches (JDK 25+).
unset FERRY_AOT_DIR
[ "$(ferry_java_major "$java_home")" -ge 25 ] || BENCH_AOT=0
ferry_mode="$FERRY_VERIFY"; [ "$BENCH_AOT" = 1 ] && ferry_mode="$FERRY_VERIFY, AOT cache"
need() { command -v "$1" >/dev/null || { echo "bench: installing $2" >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$2" >/dev/null; }; }
need rclone rclone; need bc bc; need python3 python3; need ip iproute2; need tc iproute2
[ -x /usr/bin/time ] || need time time
command -v aws >/dev/null || need aws awscli
"$here/ferry" --version >/dev/null
(cd "$here" && JAVA_HOME="$java_home" mvn -q -B -o -pl bench install -DskipTests 2>/dev/null || JAVA_HOME="$java_home" mvn -q -B -pl bench install -DskipTests) >&2
# To a file: on a terminal Maven writes color codes around what it prints, which would spoil the path.
(cd "$here" && JAVA_HOME="$java_home" mvn -q -B -o -pl bench dependency:build-classpath -Dmdep.outputFile="$here/bench/target/classpath.txt") >&2
bench_java() { "$java_home/bin/java" $(ferry_jvm_flags "$java_home") -cp "$here/bench/target/classes:$(cat "$here/bench/target/classpath.txt")" "$@"; }
generate() { bench_java dev.ferry.bench.GenerateDataset "$@"; }

rm -rf "$work"; mkdir -p "$work"
results="$work/results.jsonl"; : > "$results"
pids=()
stop_pids() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; pids=(); }
cleanup() { stop_pids; net_down; }
trap cleanup EXIT

cpu_seconds() { # user+system seconds of a process and its threads
  awk -v hz="$(getconf CLK_TCK)" '{print ($14+$15)/hz}' "/proc/$1/stat"
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
uuid_bucket() { echo "b$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"; }
# page_in DIR: every file of DIR read once, so that each timed run starts with its source in the
# page cache. rclone drops the pages of what it reads (its local backend advises the kernel it no
# longer needs them), and the checks that download and compare read with rclone too: without
# this, whichever tool ran after rclone or a check read from disk, while the PUT load read what
# its own untimed pass had just cached.
#
# Before that, unless DROP_CACHES=0, what the earlier runs left in the page cache is written out
# and dropped, so that every run meets the same memory: S3Proxy writes each run's objects (and
# joins their parts) through the page cache, and on a cache filled by the runs before, the
# kernel's copy of those writes ran at a fifth of its speed in some runs (S3Proxy's system time
# 17.7-19.9 s against 8.7-10.6 s for the same 4 GiB; `perf`: copy_folio_from_iter_atomic), which
# decided whichever run it hit. With the cache dropped first it was 8.1-9.4 s in every run.
page_in() {
  if [ "${DROP_CACHES:-1}" = 1 ]; then sync; echo 1 > /proc/sys/vm/drop_caches; fi
  find "$1" -type f -print0 | xargs -0 -r cat > /dev/null
}
new_bucket() { "${CLOUD[@]}" rclone mkdir "bench:$1" > "$work/mkdir.log" 2>&1 || { cat "$work/mkdir.log" >&2; echo "bench: cannot make bucket $1" >&2; exit 1; }; }

# --- Where things run. CLOUD and SITE prefix commands; site reaches cloud's services at
# cloud_addr, on the same port numbers (on a WAN through the DelayProxy listening there).
CLOUD=(); SITE=(); cloud_addr=127.0.0.1; network=loopback; link_mbit=0; site_ns=(); agent_pids=()
ns_cloud=ferry-bench-cloud; ns_site=ferry-bench-site

# net_up RATE RTT_MS [SITES]: the emulated WAN (see the top of this file); with several sites, each
# has a link of its own (a veth into a bridge in cloud), rate-limited at both ends
net_up() {
  local rate="$1" rtt="$2" sites="${3:-1}" i ns
  net_down
  ip netns add "$ns_cloud"
  ip -n "$ns_cloud" link add fbench-br type bridge
  ip -n "$ns_cloud" addr add 10.213.0.1/24 dev fbench-br
  ip -n "$ns_cloud" link set fbench-br up; ip -n "$ns_cloud" link set lo up
  for i in $(seq 1 "$sites"); do
    ns="$ns_site$i"; ip netns add "$ns"; site_ns+=("$ns")
    ip link add "fbench-c$i" type veth peer name "fbench-s$i"
    ip link set "fbench-c$i" netns "$ns_cloud"; ip link set "fbench-s$i" netns "$ns"
    ip -n "$ns_cloud" link set "fbench-c$i" master fbench-br
    ip -n "$ns" addr add "10.213.0.$((i + 1))/24" dev "fbench-s$i"
    ip -n "$ns" link set lo up; ip -n "$ns_cloud" link set "fbench-c$i" up; ip -n "$ns" link set "fbench-s$i" up
    # A burst of a few milliseconds at the rate, and a queue of about one round trip.
    ip netns exec "$ns_cloud" tc qdisc add dev "fbench-c$i" root tbf rate "$rate" burst 512kb latency "$((rtt + 20))ms"
    ip netns exec "$ns" tc qdisc add dev "fbench-s$i" root tbf rate "$rate" burst 512kb latency "$((rtt + 20))ms"
  done
  CLOUD=(ip netns exec "$ns_cloud"); SITE=(ip netns exec "${site_ns[0]}"); cloud_addr=10.213.0.1
  network="$rate, ${rtt} ms"; link_mbit=$(python3 -c 'import sys,re; m=re.match(r"(\d+)([gm])bit",sys.argv[1]); print(int(m[1])*(1000 if m[2]=="g" else 1))' "$rate")
  one_way=$((rtt / 2))
}

net_down() {
  local ns
  ip netns del "$ns_cloud" 2>/dev/null || true
  for ns in "${site_ns[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  site_ns=(); CLOUD=(); SITE=(); cloud_addr=127.0.0.1; network=loopback; link_mbit=0
}

# agent_up DIR NAME NETNS...: activates and runs one more agent (in NETNS when given); sets new_agent_id
agent_up() {
  local dir="$1" name="$2" key in=(); shift 2
  [ $# -gt 0 ] && in=(ip netns exec "$1")
  key=$("${CLOUD[@]}" "$here/ferry" activation-key create -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["activationKey"])')
  "${in[@]}" "$here/ferry" agent activate --control-plane "https://$cloud_addr:$api_port" --activation-key "$key" --name "$name" \
    --agent-dir "$dir/$name" >&2
  FERRY_JAVA_OPTS="${DAEMON_JAVA_OPTS:-}" "${in[@]}" "$here/ferry" agent run --agent-dir "$dir/$name" > "$dir/$name.log" 2>&1 &
  pids+=("$!"); agent_pids+=("$!")
  new_agent_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["agentId"])' "$dir/$name/agent.json")
  for _ in $(seq 1 600); do "${CLOUD[@]}" "$here/ferry" agent get "$new_agent_id" | grep -q ONLINE && break; sleep 0.1; done
}

# servers_up: S3Proxy and the control plane in cloud, the agent in site, and on a WAN the
# DelayProxy in between; rclone remotes "bench" (cloud's own view, for buckets and checks) and
# "site" (as site reaches S3)
servers_up() {
  local api data s3
  dir="$work/servers-$1"; mkdir -p "$dir"
  if [ ${#CLOUD[@]} -eq 0 ]; then s3=$(free_port); api=$(free_port); data=$(free_port); else s3=9000; api=9443; data=9444; fi
  ferry_start_s3proxy "$dir" bench bench-secret "$java_home" "$s3" "${CLOUD[*]:+$ns_cloud}"
  s3_port=$S3PROXY_PORT; s3_pid=$S3PROXY_PID; pids+=("$s3_pid")
  export RCLONE_CONFIG_BENCH_TYPE=s3 RCLONE_CONFIG_BENCH_PROVIDER=Other RCLONE_CONFIG_BENCH_ENDPOINT="http://127.0.0.1:$s3_port" \
    RCLONE_CONFIG_BENCH_ACCESS_KEY_ID=bench RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY=bench-secret RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE=true \
    RCLONE_CONFIG_SITE_TYPE=s3 RCLONE_CONFIG_SITE_PROVIDER=Other RCLONE_CONFIG_SITE_ENDPOINT="http://$cloud_addr:$s3_port" \
    RCLONE_CONFIG_SITE_ACCESS_KEY_ID=bench RCLONE_CONFIG_SITE_SECRET_ACCESS_KEY=bench-secret RCLONE_CONFIG_SITE_FORCE_PATH_STYLE=true \
    RCLONE_CONFIG_DIR="$work" AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret AWS_DEFAULT_REGION=us-east-1
  if [ ${#CLOUD[@]} -gt 0 ]; then
    "${CLOUD[@]}" "$java_home/bin/java" -cp "$here/bench/target/classes" dev.ferry.bench.DelayProxy "$one_way" \
      "$cloud_addr:$s3_port=127.0.0.1:$s3_port" "$cloud_addr:$api=127.0.0.1:$api" "$cloud_addr:$data=127.0.0.1:$data" \
      > "$dir/delay-proxy.log" 2>&1 &
    pids+=("$!")
    for _ in $(seq 1 300); do grep -q ready "$dir/delay-proxy.log" 2>/dev/null && break; sleep 0.1; done
  fi
  echo "== Ferry ($network): control plane and agent" >&2
  export FERRY_CONFIG="$dir/cli-config.json" FERRY_LOG_LEVEL="${FERRY_LOG_LEVEL:-WARN}"
  FERRY_JAVA_OPTS="${DAEMON_JAVA_OPTS:-}" "${CLOUD[@]}" "$here/ferry" control-plane run --data-dir "$dir/cp" --bind 127.0.0.1 --advertise-host "$cloud_addr" \
    --api-port "$api" --data-port "$data" > "$dir/cp.log" 2>&1 &
  cp_pid=$!; pids+=("$cp_pid")
  for _ in $(seq 1 600); do grep -q "CLI config written" "$dir/cp.log" 2>/dev/null && break; sleep 0.1; done
  api_port=$api
  agent_pids=()
  agent_up "$dir" agent "${site_ns[@]:0:1}"
  agent_id=$new_agent_id; agent_pid=${agent_pids[0]}
  cp_java=$cp_pid; agent_java=$agent_pid # ./ferry execs java, and so does ip netns exec.
  # PROFILE=DIR: Java Flight Recordings of the control plane and the agent, written there when the servers stop.
  if [ -n "${PROFILE:-}" ]; then
    mkdir -p "$PROFILE"
    for p in "$cp_java" "$agent_java"; do
      "$java_home/bin/jcmd" "$p" JFR.start name=bench settings=profile filename="$PROFILE/$1-$p.jfr" >/dev/null
    done
  fi
  warmed=""
}

servers_down() {
  if [ -n "${PROFILE:-}" ]; then
    for p in "$cp_java" "$agent_java"; do "$java_home/bin/jcmd" "$p" JFR.dump name=bench filename="$PROFILE/$1-$p.jfr" >/dev/null 2>&1 || true; done
  fi
  stop_pids
  [ -n "${KEEP_DATA:-}" ] || rm -rf "$dir/s3data"
}

json_id() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }

per_gb() { if [ "$2" -gt 0 ]; then echo "scale=3; $1 / ($2 / 1000000000)" | bc; else echo 0; fi; }

# record WORKLOAD TOOL SECONDS CPU S3PROXY_CPU BYTES CHECK [COMMAND_SECONDS]
# SECONDS is the work's own time: a peer's whole command, or a Ferry execution from the moment the
# control plane accepted the start to its end. COMMAND_SECONDS is the command's wall time when it
# differs: `ferry task start --wait` also starts the CLI's JVM and polls the API.
record() {
  LC_NUMERIC=C printf '{"workload":"%s","network":"%s","linkMbit":%d,"tool":"%s","seconds":%.3f,"commandSeconds":%.3f,"mbPerSecond":%.1f,"cpuSeconds":%.2f,"cpuSecondsPerGb":%.2f,"s3proxyCpuSeconds":%.2f,"bytes":%d,"check":"%s"}\n' \
    "$1" "$network" "$link_mbit" "$2" "$3" "${8:-$3}" "$(echo "scale=3; $6 / 1000000 / $3" | bc)" "$4" "$(per_gb "$4" "$6")" "$5" "$6" "$7" >> "$results"
}

# check SRC BUCKET: the bucket's objects against the directory, every byte downloaded and compared
check() {
  if "${CLOUD[@]}" rclone check --download "$1" "bench:$2/data" > "$work/check-$2.log" 2>&1; then echo ok; else echo WRONG; fi
}

# timed LABEL COMMAND...: runs a peer at the site, prints "SECONDS CPU S3PROXY_CPU"
timed() {
  local t0 t1 s0 s1 label="$1"; shift
  s0=$(cpu_seconds "$s3_pid"); t0=$(date +%s.%N)
  "${SITE[@]}" /usr/bin/time -f "%U %S" -o "$work/$label.time" "$@" > "$work/$label.out" 2>&1 || { cat "$work/$label.out" >&2; echo "bench: $label failed" >&2; exit 1; }
  t1=$(date +%s.%N); s1=$(cpu_seconds "$s3_pid")
  echo "$(echo "$t1 - $t0" | bc) $(tail -n1 "$work/$label.time" | awk '{print $1+$2}') $(echo "$s1 - $s0" | bc)"
}

# ferry_task SRC_DIR BUCKET [OPTION...]: a posix source on the agent (on every agent in AGENTS when
# set), an S3 destination; prints the task id
ferry_task() {
  local dir="$1" bucket="$2" src dst opts=() agents=() a; shift 2
  for o in "$@"; do opts+=(--option "$o"); done
  for a in ${AGENTS:-$agent_id}; do agents+=(--agent "$a"); done
  src=$("${CLOUD[@]}" "$here/ferry" location create --type posix "${agents[@]}" --path "$dir" -o json | json_id)
  dst=$("${CLOUD[@]}" "$here/ferry" location create --type s3 --bucket "$bucket" --prefix data --endpoint "http://127.0.0.1:$s3_port" \
    --access-key bench -o json | json_id)
  "${CLOUD[@]}" "$here/ferry" task create --source "$src" --destination "$dst" --option "VerifyMode=$FERRY_VERIFY" "${opts[@]}" -o json | json_id
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

# ferry_cpu: CPU seconds of the control plane and every agent so far
ferry_cpu() {
  local total p; total=$(cpu_seconds "$cp_pid")
  for p in "${agent_pids[@]}"; do total=$(echo "$total + $(cpu_seconds "$p")" | bc); done
  echo "$total"
}

# execution_times FILE: "CREATED ENDED" in epoch seconds, of an execution as the API returned it
execution_times() {
  python3 -c 'import json,sys,datetime as d; e=json.load(open(sys.argv[1])); p=lambda t: d.datetime.fromisoformat(t.replace("Z","+00:00")).timestamp(); print(p(e["createdAt"]), p(e["endedAt"]))' "$1"
}

# ferry_run LABEL TASK: prints "SECONDS CPU S3PROXY_CPU COMMAND_SECONDS" (SECONDS: the execution's
# own, created to ended; CPU of control plane and agent); CPU per thread of each Ferry process goes
# to $work/LABEL.threads
ferry_run() {
  local t0 t1 c0 c1 s0 s1 own
  thread_cpu "$cp_java" > "$work/$1.cp-before"; thread_cpu "$agent_java" > "$work/$1.agent-before"
  c0=$(ferry_cpu); s0=$(cpu_seconds "$s3_pid"); t0=$(date +%s.%N)
  "${CLOUD[@]}" "$here/ferry" task start "$2" --wait -o json > "$work/$1.json" 2> "$work/$1.out" || { cat "$work/$1.out" "$work/$1.json" >&2; echo "bench: Ferry run $1 failed" >&2; exit 1; }
  t1=$(date +%s.%N)
  c1=$(ferry_cpu); s1=$(cpu_seconds "$s3_pid")
  { echo "control plane:"; thread_delta "$work/$1.cp-before" <(thread_cpu "$cp_java")
    echo "agent:"; thread_delta "$work/$1.agent-before" <(thread_cpu "$agent_java"); } > "$work/$1.threads"
  own=$(execution_times "$work/$1.json" | awk '{print $2 - $1}')
  echo "$own $(echo "$c1 - $c0" | bc) $(echo "$s1 - $s0" | bc) $(echo "$t1 - $t0" | bc)"
}

# put_loads NAME DIR BYTES: the server's ceiling, what it takes from a direct parallel PUT load
# (Ferry's S3 driver alone, 64 at once, warm), of bare objects (content only) and of the same
# objects Ferry's run leaves (each file's times, permissions and owners as user metadata, and a
# marker per directory). Its CPU and S3Proxy's are those of its timed pass; shown, not compared (it
# is the ceiling, not a tool). A pair in each round, right after Ferry's run, as the peers
# alternate: S3Proxy is a JVM whose compilers go on working for some 100,000 requests, and loads
# run only after every round were timed on a server older than any Ferry run was (its compilers
# took 0.17 s of CPU during Ferry's last run, none during the loads). The ratio is Ferry's best
# against the load's best.
put_loads() {
  local name="$1" dir="$2" bytes="$3" b line objects flag
  for objects in bare same; do
    b=$(uuid_bucket); new_bucket "$b"
    flag=(); [ "$objects" = same ] && flag=(--same-objects)
    page_in "$dir"
    bench_java dev.ferry.bench.PutLoad "${flag[@]}" "$dir" "http://127.0.0.1:$s3_port" "$b" data/ \
      bench bench-secret 64 "$s3_pid" > "$work/$name-putload-$objects.json" 2> "$work/$name-putload-$objects.err" \
      || { cat "$work/$name-putload-$objects.err" >&2; exit 1; }
    line=$(python3 -c 'import json,sys; r=json.loads(open(sys.argv[1]).read().splitlines()[-1]); print(r["seconds"], r["cpuSeconds"], r["serverCpuSeconds"])' \
      "$work/$name-putload-$objects.json")
    case $objects in
      bare) record "$name" "direct PUT load of bare objects (S3 driver alone, 64 at once)" $line "$bytes" "$(check "$dir" "$b")" ;;
      same) record "$name" "direct PUT load of the same objects (metadata, directory markers)" $line "$bytes" "$(check "$dir" "$b")" ;;
    esac
  done
}

# link_use SAMPLES START END WORKLOAD TOOL: when, between START and END (epoch seconds), the
# site's link carried the run's bytes, from sample_links' file: the first and the last 0.1 % of
# them mark where it began and stopped, and the rate between is what went over the wire (headers
# included, as tbf counts them). Appended to links.jsonl. A run that keeps its link full from
# start to end differs from one whose link idles before the first byte or after the last.
link_use() {
  python3 - "$@" >> "$work/links.jsonl" <<'PY'
import json, sys
path, start, end, workload, tool = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
totals = {}
for line in open(path):
    t, _, received = line.split()
    totals[t] = totals.get(t, 0) + int(received)
series = sorted((float(t), v) for t, v in totals.items())
before = [v for t, v in series if t <= start] or [series[0][1]]
base = before[-1]
during = [(t, v - base) for t, v in series if t > start]
moved = next((v for t, v in during if t >= end), during[-1][1])
first = next(t for t, v in during if v >= moved * 0.001)
last = next(t for t, v in during if v >= moved * 0.999)
between = [v for t, v in during if first <= t <= last]
mbit = (between[-1] - between[0]) * 8 / (last - first) / 1e6 if last > first else 0
print(json.dumps({"workload": workload, "tool": tool, "seconds": round(end - start, 3), "firstByte": round(first - start, 2),
                  "lastByte": round(last - start, 2), "wireMbit": round(mbit, 1), "wireBytes": moved}))
PY
}

# copy_workload NAME DIR: every tool copies DIR into a fresh bucket of its own, alternating. On a
# WAN, each run's use of the link goes to links.jsonl (link_use).
declare -A bucket_of
copy_workload() {
  local name="$1" dir="$2" bytes b line i=0 sampler="" t0 t1
  bytes=$(du -sb --apparent-size "$dir" | cut -f1)
  for t in $TRANSFERS; do
    i=$((i + 1)) # A setting may repeat, for more rounds: each round has buckets of its own.
    b=$(uuid_bucket); new_bucket "$b"; bucket_of["$name/rclone-$i"]=$b
    page_in "$dir"
    links_start "$name-rclone-$i"; t0=$(date +%s.%N)
    line=$(timed "$name-rclone-$i" rclone copy "$dir" "site:$b/data" --transfers "$t" --checkers "$t" --s3-upload-concurrency 4)
    t1=$(date +%s.%N); links_end "$name-rclone-$i" "$t0" "$t1" "$name" "rclone --transfers $t"
    record "$name" "rclone --transfers $t" $line "$bytes" "$(check "$dir" "$b")"
    b=$(uuid_bucket); new_bucket "$b"; bucket_of["$name/ferry-$i"]=$b
    task=$(ferry_task "$dir" "$b"); bucket_of["$name/ferry-task-$i"]=$task
    page_in "$dir"
    links_start "$name-ferry-$i"
    line=($(ferry_run "$name-ferry-$i" "$task"))
    # Ferry's own time is its execution's, from the control plane accepting the start to the end.
    links_end "$name-ferry-$i" $(execution_times "$work/$name-ferry-$i.json") \
      "$name" "ferry ($ferry_mode)"
    record "$name" "ferry ($ferry_mode)" "${line[@]:0:3}" "$bytes" "$(check "$dir" "$b")" "${line[3]}"
    [ "$name" = small ] && put_loads "$name" "$dir" "$bytes"
  done
  if [[ "$name" == *large* ]]; then
    b=$(uuid_bucket); new_bucket "$b"
    page_in "$dir"
    links_start "$name-aws"; t0=$(date +%s.%N)
    line=$(timed "$name-aws" aws --endpoint-url "http://$cloud_addr:$s3_port" s3 cp --recursive --only-show-errors "$dir" "s3://$b/data")
    t1=$(date +%s.%N); links_end "$name-aws" "$t0" "$t1" "$name" "aws s3 cp"
    record "$name" "aws s3 cp" $line "$bytes" "$(check "$dir" "$b")"
  fi
}
# links_start LABEL / links_end LABEL START END WORKLOAD TOOL: a run's link samples, on a WAN only
links_start() {
  [ "$link_mbit" -gt 0 ] || return 0
  sample_links "$work/$1.links" & sampler=$!
  sleep 0.15 # A sample from before the run starts, as the base its bytes are counted from.
}
links_end() {
  [ "$link_mbit" -gt 0 ] || return 0
  sleep 0.15 # And one from after it ended.
  kill "$sampler"; wait "$sampler" 2>/dev/null || true
  link_use "$work/$1.links" "${@:2}"
}

# S3Proxy is a JVM too: its first few thousand requests run slowly while it compiles. An untimed
# copy first, so that whichever tool runs first does not pay for the server's warm-up. Ferry's
# control plane and agent are long-running daemons, so the figures compared are theirs once warm:
# their first run after start, which pays for compiling Ferry's own code, is timed and reported
# apart ("ferry cold start"), not in the ratios, and WARM_RUNS - 1 more runs go untimed before any
# that is compared (the JIT compiler still works through the second run; see each run's .threads).
# Each warm-up task also runs once more with nothing changed, as a scheduled task does between
# changes: an incremental run's code (listings compared, files skipped) is then warm too. The last
# one then meets changes, made at its destination so that the source stays as generated (see
# warm_up_changes).
warm_up() {
  [ -n "${warmed:-}" ] && return 0
  local b task line bytes n; b=$(uuid_bucket); new_bucket "$b"
  "${CLOUD[@]}" rclone copy "$1" "bench:$b/warm-up" --transfers 16 > "$work/warm-up.log" 2>&1 || true
  "${CLOUD[@]}" rclone purge "bench:$b" >> "$work/warm-up.log" 2>&1 || true
  bytes=$(du -sb --apparent-size "$1" | cut -f1)
  for n in $(seq 1 "${WARM_RUNS:-2}"); do
    b=$(uuid_bucket); new_bucket "$b"
    task=$(ferry_task "$1" "$b")
    page_in "$1"
    line=($(ferry_run "warm-up-$2-$n" "$task"))
    [ "$n" -eq 1 ] && record "$2" "ferry cold start ($ferry_mode)" "${line[@]:0:3}" "$bytes" "$(check "$1" "$b")" "${line[3]}"
    ferry_run "warm-up-$2-$n-unchanged" "$task" > /dev/null
    [ "$n" -eq "${WARM_RUNS:-2}" ] && warm_up_changes "$1" "$b" "$task" "$2"
    "${CLOUD[@]}" rclone purge "bench:$b" >> "$work/warm-up.log" 2>&1 || true
  done
  warmed=1
}

# warm_up_changes SRC BUCKET TASK LABEL: the warm-up copy changed behind the task's back (objects
# deleted, overwritten with other bytes, added where the source has nothing), then the task run
# again removing what the source lacks. A daemon's scheduled runs meet such changes every day; a
# warm-up that never did left the branches for files to copy again and to delete untaken, and the
# first compared run that took them deoptimized the listing merge and change detection and compiled
# them again. Needs at least 300 files in SRC; fewer, and it is left out.
warm_up_changes() {
  local src="$1" b="$2" task="$3" label="$4" changes="$work/warm-up-changes" f i=0 files
  mapfile -t files < <(cd "$src" && find . -type f -printf '%P\n' | sort | head -n 300)
  [ "${#files[@]}" -ge 300 ] || return 0
  rm -rf "$changes"; mkdir -p "$changes"
  printf '%s\n' "${files[@]:0:100}" > "$changes.deleted"
  for f in "${files[@]:100:100}"; do # Other bytes: half the same size, half longer.
    mkdir -p "$changes/$(dirname "$f")"
    head -c $(( $(stat -c %s "$src/$f") + (i++ % 2) * 100 )) /dev/urandom > "$changes/$f"
  done
  for f in "${files[@]:200:100}"; do mkdir -p "$changes/extra/$(dirname "$f")"; cp "$src/$f" "$changes/extra/$f"; done
  { "${CLOUD[@]}" rclone delete "bench:$b/data" --files-from "$changes.deleted"
    "${CLOUD[@]}" rclone copy "$changes" "bench:$b/data"; } >> "$work/warm-up.log" 2>&1
  "${CLOUD[@]}" "$here/ferry" task update "$task" --option PreserveDeletedFiles=REMOVE > /dev/null
  ferry_run "warm-up-$label-changes" "$task" > /dev/null
  rm -rf "$changes" "$changes.deleted"
}

# sample_links FILE: every 100 ms, "EPOCH_SECONDS LINK RECEIVED_BYTES" for each site's link as the
# cloud end sees it, until killed or the namespace is gone: where a link idles during a run (a
# late start, a gap between files, a tail) shows in its bytes over time.
sample_links() {
  while "${CLOUD[@]}" awk -v t="$(date +%s.%N)" '/fbench-c/ {sub(":", "", $1); print t, $1, $2}' /proc/net/dev; do
    sleep 0.1
  done > "$1" 2>/dev/null
}

# aot_train: Ferry's daemons as an operator runs them for speed, with FERRY_AOT_DIR (README): an AOT
# cache per daemon, which the JVM writes as a daemon stops. Daemons of their own train them first,
# on a dataset of its own (another seed; AOT_TRAINING_FILES small files, 20,000 by default, and two
# of 64 MiB, one compressible), as a day of scheduled runs would: copied into three buckets, each
# run again unchanged, the last after changes too. A cache holds what the training compiled: with
# much less (5,000 files, three runs), the per-file path had not reached C2 in training and was
# still being compiled in the compared runs. Every daemon started after it, on any network, starts
# from those caches; its warm-up runs and cold start row stay as without.
aot_train() {
  local set="$work/aot-training" b task i PROFILE="" # A training daemon is the launcher's child: nothing to record.
  export FERRY_AOT_DIR="$work/aot"
  echo "== AOT training: ${AOT_TRAINING_FILES:-20000} small files and 2 x 64 MiB" >&2
  generate small "$set" "${AOT_TRAINING_FILES:-20000}" $((SEED + 1)) >&2
  generate large "$set" 2 $((64 * 1048576)) $((SEED + 1)) >&2
  servers_up aot-training
  for i in 1 2 3; do
    b=$(uuid_bucket); new_bucket "$b"
    task=$(ferry_task "$set" "$b")
    ferry_run "aot-training-$i" "$task" > /dev/null
    ferry_run "aot-training-$i-unchanged" "$task" > /dev/null
  done
  warm_up_changes "$set" "$b" "$task" aot-training
  servers_down aot-training
  rm -rf "$set"
  ls "$FERRY_AOT_DIR"/control-plane-*.aot "$FERRY_AOT_DIR"/agent-*.aot > /dev/null \
    || { echo "bench: the daemons left no AOT cache in $FERRY_AOT_DIR" >&2; exit 1; }
}
# yardstick: seconds one core takes for the SHA-256 of 1 GiB of zeros. This VM has slow spells in
# which everything CPU-bound takes up to half as long again; taken at the start and the end, it
# says whether a run fell on one (compare ratios within a run, and runs only at like yardsticks).
yardstick() {
  local t0 t1; t0=$(date +%s.%N)
  head -c 1073741824 /dev/zero | sha256sum > /dev/null
  t1=$(date +%s.%N); echo "scale=2; ($t1 - $t0) / 1" | bc
}
yardstick_start=$(yardstick)
[ "$BENCH_AOT" = 1 ] && aot_train

# The workloads, grouped by the network they run on; each group starts servers of its own.
loopback=() wan_small=() wan_large=() multi=() prepare=()
for w in $WORKLOADS; do
  case "$w" in
    small|incremental|large) loopback+=("$w") ;;
    wan-small) wan_small+=("$w") ;;
    wan-large) wan_large+=("$w") ;;
    multi-agent) multi+=("$w") ;;
    prepare) prepare+=("$w") ;;
    *) echo "bench: unknown workload '$w' (small, incremental, large, wan-small, wan-large, multi-agent, prepare)" >&2; exit 2 ;;
  esac
done

if [ ${#loopback[@]} -gt 0 ]; then
  servers_up loopback
  for w in "${loopback[@]}"; do
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
        [ -d "$work/small" ] && [ -n "${bucket_of["small/ferry-1"]:-}" ] || { echo "bench: incremental needs small first (WORKLOADS=\"small incremental\")" >&2; exit 2; }
        echo "== incremental: $(generate mutate "$work/small" "$SMALL_FILES" "$SEED")" >&2
        bytes=$(du -sb --apparent-size "$work/small" | cut -f1)
        i=0
        for t in $TRANSFERS; do
          i=$((i + 1))
          b=${bucket_of["small/rclone-$i"]}
          page_in "$work/small"
          line=$(timed "incremental-rclone-$i" rclone sync "$work/small" "site:$b/data" --transfers "$t" --checkers "$t")
          record incremental "rclone sync --transfers $t" $line "$bytes" "$(check "$work/small" "$b")"
          b=${bucket_of["small/ferry-$i"]}
          "${CLOUD[@]}" "$here/ferry" task update "${bucket_of["small/ferry-task-$i"]}" --option PreserveDeletedFiles=REMOVE >/dev/null
          page_in "$work/small"
          line=($(ferry_run "incremental-ferry-$i" "${bucket_of["small/ferry-task-$i"]}"))
          record incremental "ferry ($ferry_mode, REMOVE)" "${line[@]:0:3}" "$bytes" "$(check "$work/small" "$b")" "${line[3]}"
        done ;;
    esac
  done
  servers_down loopback
fi

if [ ${#wan_small[@]} -gt 0 ]; then
  read -r rate rtt <<< "$WAN_SMALL"
  net_up "$rate" "$rtt"
  servers_up wan-small
  echo "== wan-small ($network): $SMALL_FILES files" >&2
  generate small "$work/wan-small" "$SMALL_FILES" "$SEED" >&2
  warm_up "$work/wan-small" wan-small
  copy_workload wan-small "$work/wan-small"
  servers_down wan-small
  net_down
fi

if [ ${#wan_large[@]} -gt 0 ]; then
  read -r rate rtt <<< "$WAN_LARGE"
  net_up "$rate" "$rtt"
  servers_up wan-large
  echo "== wan-large ($network): 2 x $WAN_LARGE_MB MiB" >&2
  generate large "$work/wan-large-set" 2 $((WAN_LARGE_MB * 1048576)) "$SEED" >&2
  # Each kind on its own, linked into a directory of its own (no second copy on disk).
  mkdir -p "$work/wan-large-text" "$work/wan-large-random"
  ln "$work/wan-large-set/large/large-0.log" "$work/wan-large-text/"; ln "$work/wan-large-set/large/large-1.bin" "$work/wan-large-random/"
  warm_up "$work/wan-large-text" wan-large-text
  copy_workload wan-large-text "$work/wan-large-text"
  copy_workload wan-large-random "$work/wan-large-random"
  rm -rf "$work/wan-large-set" "$work/wan-large-text" "$work/wan-large-random"
  servers_down wan-large
  net_down
fi

if [ ${#multi[@]} -gt 0 ]; then
  read -r rate rtt <<< "$MULTI_LINK"
  net_up "$rate" "$rtt" "$MULTI_AGENTS"
  servers_up multi-agent
  all_agents=("$agent_id")
  for i in $(seq 2 "$MULTI_AGENTS"); do agent_up "$dir" "agent$i" "${site_ns[$((i - 1))]}"; all_agents+=("$new_agent_id"); done
  echo "== multi-agent ($network each): $MULTI_FILES x $MULTI_MB MiB, 1 agent then ${#all_agents[@]}" >&2
  generate large "$work/multi-set" $((MULTI_FILES * 2)) $((MULTI_MB * 1048576)) "$SEED" >&2
  mkdir -p "$work/multi-random"; ln "$work/multi-set/large/"*.bin "$work/multi-random/" # Random: the links are what limits.
  bytes=$(du -sb --apparent-size "$work/multi-random" | cut -f1)
  # Every agent is a warm daemon too: the warm-up runs on all of them, so that the agents that
  # join for the compared run are not compiling their data path during it.
  AGENTS="${all_agents[*]}" warm_up "$work/multi-random" multi-agent
  for n in 1 "${#all_agents[@]}"; do
    b=$(uuid_bucket); new_bucket "$b"
    task=$(AGENTS="${all_agents[*]:0:$n}" ferry_task "$work/multi-random" "$b")
    page_in "$work/multi-random"
    sample_links "$work/multi-agent-$n.links" & sampler=$!
    line=($(ferry_run "multi-agent-$n" "$task"))
    kill "$sampler"; wait "$sampler" 2>/dev/null || true
    record multi-agent "ferry, $n agent(s) ($ferry_mode)" "${line[@]:0:3}" "$bytes" "$(check "$work/multi-random" "$b")" "${line[3]}"
  done
  rm -rf "$work/multi-set" "$work/multi-random"
  servers_down multi-agent
  net_down
fi

# max_heap_after_gc LOG: the largest heap occupancy right after a collection, in MiB
max_heap_after_gc() {
  grep -o '[0-9]*M->[0-9]*M([0-9]*M)' "$1" | sed 's/.*->\([0-9]*\)M.*/\1/' | sort -n | tail -n1
}

if [ ${#prepare[@]} -gt 0 ]; then
  echo "== prepare: $PREPARE_ENTRIES entries on each side, heaps of $PREPARE_HEAP" >&2
  generate entries "$work/entries" "$PREPARE_ENTRIES" >&2
  DAEMON_JAVA_OPTS="-Xmx$PREPARE_HEAP -Xlog:gc:file=$work/prepare-gc-%p.log" servers_up prepare
  src=$("${CLOUD[@]}" "$here/ferry" location create --type posix --agent "$agent_id" --path "$work/entries" -o json | json_id)
  dst=$("${CLOUD[@]}" "$here/ferry" location create --type posix --agent "$agent_id" --path "$work/entries" -o json | json_id)
  task=$("${CLOUD[@]}" "$here/ferry" task create --source "$src" --destination "$dst" --option VerifyMode=NONE -o json | json_id)
  line=($(ferry_run "prepare" "$task"))
  skipped=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["counters"]["FilesSkipped"])' "$work/prepare.json")
  cp_heap=$(max_heap_after_gc "$work/prepare-gc-$cp_pid.log"); agent_heap=$(max_heap_after_gc "$work/prepare-gc-$agent_pid.log")
  servers_down prepare
  check=WRONG; [ "$skipped" -eq "$PREPARE_ENTRIES" ] && check=ok
  record prepare "ferry (NONE), $PREPARE_ENTRIES files each side, heap after GC: control plane ${cp_heap:-?} MiB, agent ${agent_heap:-?} MiB" \
    "${line[@]:0:3}" 0 "$check" "${line[3]}"
  printf '{"workload":"prepare-heap","entries":%d,"heapLimit":"%s","controlPlaneMiB":%d,"agentMiB":%d}\n' "$PREPARE_ENTRIES" \
    "$PREPARE_HEAP" "${cp_heap:-0}" "${agent_heap:-0}" >> "$work/heap.jsonl"
  rm -rf "$work/entries"
fi

echo "machine yardstick (one core's SHA-256 of 1 GiB, s; more on a slow spell): $yardstick_start at the start, $(yardstick) at the end"
python3 - "$results" "$work/heap.jsonl" "$work/links.jsonl" <<'PY'
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
import os
heaps = [json.loads(l) for l in open(sys.argv[2])] if os.path.exists(sys.argv[2]) else []
links = [json.loads(l) for l in open(sys.argv[3])] if os.path.exists(sys.argv[3]) else []
print("\n| workload | network | tool | s | command s | MB/s | CPU s/GB | S3Proxy CPU s | check |")
print("|---|---|---|---:|---:|---:|---:|---:|---|")
for r in runs:
    print(f"| {r['workload']} | {r['network']} | {r['tool']} | {r['seconds']:.1f} | {r['commandSeconds']:.1f} | {r['mbPerSecond']} | "
          f"{r['cpuSecondsPerGb']} | {r['s3proxyCpuSeconds']:.1f} | {r['check']} |")
if links:
    print("\nThe site's link during each WAN run (from its first 0.1 % of the run's bytes to its last 0.1 %, sampled every 0.1 s, so a tail within 0.1 s may show as negative):\n")
    print("| workload | tool | s | first bytes at, s | last bytes at, s | Mbit/s on the wire between | s after the last bytes |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for l in links:
        print(f"| {l['workload']} | {l['tool']} | {l['seconds']:.2f} | {l['firstByte']:.2f} | {l['lastByte']:.2f} | {l['wireMbit']} | "
              f"{l['seconds'] - l['lastByte']:.2f} |")

def ok(w, pred):
    return [r for r in runs if r["workload"] == w and r["check"] == "ok" and pred(r["tool"])]
ferry = lambda w: ok(w, lambda t: t.startswith("ferry ("))
rclone = lambda w: ok(w, lambda t: t.startswith("rclone"))
aws = lambda w: ok(w, lambda t: t.startswith("aws"))
fastest = lambda rs: min(rs, key=lambda r: r["seconds"]) if rs else None
least_cpu = lambda rs: min(rs, key=lambda r: r["cpuSecondsPerGb"]) if rs else None

print("\n| target | measured | wanted | met |")
print("|---|---:|---:|---|")
def target(name, value, wanted, met):
    if value is not None:
        print(f"| {name} | {value:.2f} | {wanted} | {'yes' if met else 'no'} |")
def time_ratio(w, peers):
    f, p = fastest(ferry(w)), fastest(peers(w))
    return p["seconds"] / f["seconds"] if f and p else None
r = time_ratio("small", rclone); target("small -> S3, loopback: rclone's time / Ferry's", r, ">= 1.3", r is not None and r >= 1.3)
r = time_ratio("small", lambda w: ok(w, lambda t: t.startswith("direct PUT load of the same objects")))
target("small -> S3, loopback: Ferry's rate / a direct parallel PUT load of the same objects", r, ">= 0.9", r is not None and r >= 0.9)
r = time_ratio("small", lambda w: ok(w, lambda t: t.startswith("direct PUT load of bare objects")))
target("small -> S3, loopback: Ferry's rate / a direct parallel PUT load of bare objects", r, ">= 0.9", r is not None and r >= 0.9)
r = time_ratio("large", aws); target("large -> S3, loopback: AWS CLI's time / Ferry's", r, ">= 1.0", r is not None and r >= 1.0)
r = time_ratio("large", rclone); target("large -> S3, loopback: rclone's time / Ferry's", r, ">= 2.0", r is not None and r >= 2.0)
r = time_ratio("incremental", rclone); target("incremental: rclone sync's time / Ferry's", r, ">= 3.0", r is not None and r >= 3.0)
r = time_ratio("wan-small", rclone); target("small over WAN: rclone's time / Ferry's", r, ">= 3.0", r is not None and r >= 3.0)
multi = sorted(ok("multi-agent", lambda t: t.startswith("ferry, ")), key=lambda r: int(r["tool"].split()[1]))
if len(multi) >= 2:
    n = int(multi[-1]["tool"].split()[1])
    r = multi[0]["seconds"] / multi[-1]["seconds"]
    target(f"multi-agent: 1 agent's time / {n} agents' (each its own {multi[0]['network']} link)", r, f">= {0.9 * n:.1f}", r >= 0.9 * n)
for w, wanted in (("wan-large-random", 0.95), ("wan-large-text", 2.5)):
    f = fastest(ferry(w))
    if f and f["linkMbit"]:
        share = f["mbPerSecond"] * 8 / f["linkMbit"]
        target(f"{w}: Ferry's rate / the link's ({f['network']})", share, f">= {wanted}", share >= wanted)
for w in dict.fromkeys(r["workload"] for r in runs):
    f, p = least_cpu(ferry(w)), least_cpu(rclone(w))
    if f and p:
        target(f"{w}: rclone's CPU per GB / Ferry's", p["cpuSecondsPerGb"] / f["cpuSecondsPerGb"], ">= 1.0",
               f["cpuSecondsPerGb"] <= p["cpuSecondsPerGb"])
for h in heaps:
    most = max(h["controlPlaneMiB"], h["agentMiB"])
    done = any(r["workload"] == "prepare" and r["check"] == "ok" for r in runs)
    target(f"prepare over {h['entries']:,} entries each side: largest heap after GC, MiB (limit {h['heapLimit']})", most,
           "< 1024, and done", done and most < 1024)
wrong = [r for r in runs if r["check"] != "ok"]
if wrong:
    print("WRONG results: " + ", ".join(f"{r['workload']}/{r['tool']}" for r in wrong))
    sys.exit(1)
PY
