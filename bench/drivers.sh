#!/usr/bin/env bash
# Read and write MB/s of every location driver against its test server on this machine, measured
# the same way for all (dev.ferry.engine.bench.DriverThroughput): files of random bytes written
# through the Location API by several threads, then read back and checked.
#
#   bench/drivers.sh                                        # 8 files of 32 MiB, 4 streams
#   FILES=16 FILE_MB=64 STREAMS=8 ROUNDS=5 bench/drivers.sh  # each figure: median of ROUNDS (default 3)
#
# Installs the same servers as scripts/test; needs root (Samba and nfs-ganesha run as root).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/lib/java.sh"
. "$here/scripts/lib/test-servers.sh"
java_home="$(ferry_find_jdk)" || { echo "bench: no JDK 21+ found" >&2; exit 1; }
export JAVA_HOME="$java_home"
ferry_install_azurite "$here" "$(sed -n 's:.*<azurite.version>\(.*\)</azurite.version>.*:\1:p' "$here/pom.xml")"
ferry_apt_install samba samba-vfs-modules nfs-ganesha nfs-ganesha-vfs rpcbind
cd "$here"
mvn -B -ntp -q install -DskipTests >&2
# To a file: on a terminal Maven writes color codes around what it prints, which would spoil the path.
classpath_file="$(mktemp)"; trap 'rm -f "$classpath_file"' EXIT
mvn -B -ntp -q -pl engine dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file" >&2
classpath="$(cat "$classpath_file")"
exec "$java_home/bin/java" $(ferry_jvm_flags "$java_home") -Xmx2g \
  -Dferry.test.s3proxy.jar="$here/engine/target/test-servers/s3proxy.jar" \
  -Dferry.test.azurite="$here/.test-servers/npm/node_modules/.bin/azurite-blob" \
  -Dferry.bench.files="${FILES:-8}" -Dferry.bench.fileMb="${FILE_MB:-32}" -Dferry.bench.streams="${STREAMS:-4}" -Dferry.bench.rounds="${ROUNDS:-3}" \
  -cp "$here/engine/target/test-classes:$here/engine/target/classes:$classpath" dev.ferry.engine.bench.DriverThroughput
