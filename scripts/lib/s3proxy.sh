# Starts S3Proxy (filesystem store under DIR/s3data) on loopback for scripts.
#   ferry_start_s3proxy DIR ACCESS_KEY SECRET_KEY JAVA_HOME [PORT [NETNS]]
# A free port unless PORT is given; inside the network namespace NETNS when given (where it
# listens on that namespace's loopback). Sets S3PROXY_PORT and S3PROXY_PID.
ferry_start_s3proxy() {
  local dir="$1" access="$2" secret="$3" java_home="$4" port="${5:-}" netns="${6:-}" here jar in=()
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  jar="$here/engine/target/test-servers/s3proxy.jar"
  [ -f "$jar" ] || (cd "$here" && JAVA_HOME="$java_home" mvn -q -B -pl engine dependency:copy@s3proxy-server-jar) >&2
  mkdir -p "$dir/s3data"
  [ -n "$netns" ] && in=(ip netns exec "$netns")
  S3PROXY_PORT=${port:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
  cat > "$dir/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$S3PROXY_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$access
s3proxy.credential=$secret
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem
jclouds.identity=$access
jclouds.credential=$secret
jclouds.filesystem.basedir=$dir/s3data
PROPS
  LOG_LEVEL=warn "${in[@]}" "$java_home/bin/java" -Xmx2g -jar "$jar" --properties "$dir/s3proxy.properties" > "$dir/s3proxy.log" 2>&1 &
  S3PROXY_PID=$!
  local _
  for _ in $(seq 1 300); do "${in[@]}" bash -c "echo > /dev/tcp/127.0.0.1/$S3PROXY_PORT" 2>/dev/null && return 0; sleep 0.1; done
  echo "S3Proxy did not start; see $dir/s3proxy.log" >&2
  return 1
}
