#!/usr/bin/env bash
# Reproduces issue #2's "must show" checks with tools that are not Ferry:
#  1. ./ferry quickstart --source D --destination DIR --exit  -> exit 0, DIR equals D (bytes, modes, mtimes)
#  2. ./ferry quickstart --source D --destination s3://ferry-check/p --endpoint URL --exit against S3Proxy
#     -> exit 0; rclone finds every object equal to its file after a download, with file-mtime metadata.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/lib/java.sh"
. "$here/scripts/lib/s3proxy.sh"
unset AWS_CA_BUNDLE
java_home="$(ferry_find_jdk)"
work="$(mktemp -d /tmp/ferry-check.XXXXXX)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"' EXIT
command -v rclone >/dev/null || apt-get install -y -q --no-install-recommends rclone >/dev/null
"$here/ferry" --version >/dev/null
export FERRY_CONFIG="$work/cli-config.json"

D="$work/D"
mkdir -p "$D/nested/deeper" "$D/empty dir" "$D/ünïcødé"
printf 'hello\n' > "$D/hello.txt"; : > "$D/zero"; printf 'x%.0s' $(seq 1 5000) > "$D/nested/deeper/x.txt"
printf 'é\n' > "$D/ünïcødé/naïve file.txt"; head -c 200000000 /dev/urandom > "$D/nested/200MB.bin"
chmod 600 "$D/hello.txt"; chmod 750 "$D/nested"
find "$D" -depth -exec touch -d '2021-03-04 05:06:07.123456789' {} +
touch -d '2020-01-01 00:00:00.5' "$D/zero"

echo "== 1. directory destination"
"$here/ferry" quickstart --source "$D" --destination "$work/DIR" --exit > "$work/q1.log" 2>&1 || { cat "$work/q1.log"; exit 1; }
grep -E "^Status" "$work/q1.log"
diff -r "$D" "$work/DIR" && echo "bytes: identical"
(cd "$D" && find . -printf '%p %m %T@\n' | sort) > "$work/a"
(cd "$work/DIR" && find . -printf '%p %m %T@\n' | sort) > "$work/b"
diff "$work/a" "$work/b" && echo "modes and mtimes (ns): identical for $(wc -l < "$work/a") entries"

echo "== 2. s3:// destination on S3Proxy"
ferry_start_s3proxy "$work" check check-secret "$java_home"
port=$S3PROXY_PORT; pids+=("$S3PROXY_PID")
export RCLONE_CONFIG_CHECK_TYPE=s3 RCLONE_CONFIG_CHECK_PROVIDER=Other RCLONE_CONFIG_CHECK_ENDPOINT="http://127.0.0.1:$port" \
  RCLONE_CONFIG_CHECK_ACCESS_KEY_ID=check RCLONE_CONFIG_CHECK_SECRET_ACCESS_KEY=check-secret RCLONE_CONFIG_CHECK_FORCE_PATH_STYLE=true
rclone mkdir check:ferry-check
AWS_ACCESS_KEY_ID=check AWS_SECRET_ACCESS_KEY=check-secret "$here/ferry" quickstart --source "$D" --destination s3://ferry-check/p \
  --endpoint "http://127.0.0.1:$port" --exit > "$work/q2.log" 2>&1 || { cat "$work/q2.log"; exit 1; }
grep -E "^Status" "$work/q2.log"
rclone check "$D" check:ferry-check/p --download --one-way 2>&1 | grep -E "matching|differences|ERROR" | sed 's/^.*NOTICE: //'
rclone lsjson -R --files-only --metadata check:ferry-check/p | python3 -c '
import json, sys
objects = json.load(sys.stdin)
missing = [o["Path"] for o in objects if "file-mtime" not in (o.get("Metadata") or {})]
print("%d objects, %d without file-mtime in user metadata" % (len(objects), len(missing)))
sys.exit(1 if missing else 0)'
echo "all checks passed"
