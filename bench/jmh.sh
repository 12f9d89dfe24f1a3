#!/usr/bin/env bash
# JMH micro-benchmarks of the data path, so that a regression shows where it came from: a chunk
# through the data channel's handlers (ChunkCodecBenchmark), zstd levels (ZstdBenchmark), the
# checksums (ChecksumBenchmark: CRC32C per chunk and per file, CRC32C and MD5 of parts, MD5, SHA-256), and TLS 1.3 with the JDK
# against BoringSSL (TlsBenchmark). Arguments go to JMH:
#
#   bench/jmh.sh                          # everything, a short run (1 fork, 3 x 2 s)
#   bench/jmh.sh Checksum -f 1 -wi 5 -i 10   # one benchmark class, longer
#
# Results in $BENCH_DIR (default bench/work-jmh)/jmh.json as well as on stdout. These are
# figures for comparing builds on one machine, not Ferry's speed against other tools (bench/run.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/lib/java.sh"
java_home="$(ferry_find_jdk)" || { echo "jmh: no JDK 21+ found" >&2; exit 1; }
export JAVA_HOME="$java_home"
out="${BENCH_DIR:-$here/bench/work-jmh}"; mkdir -p "$out"
cd "$here"
mvn -q -B -o install -DskipTests -pl bench -am 2>/dev/null || mvn -q -B install -DskipTests -pl bench -am >&2
# To a file: on a terminal Maven writes color codes around what it prints, which would spoil the path.
mvn -q -B -o -pl bench dependency:build-classpath -Dmdep.outputFile="$out/classpath.txt" >&2
classpath="$(cat "$out/classpath.txt")"
[ $# -gt 0 ] || set -- -f 1 -wi 3 -w 2s -i 3 -r 2s
exec "$java_home/bin/java" $(ferry_jvm_flags "$java_home") -cp "$here/bench/target/classes:$classpath" \
  org.openjdk.jmh.Main -rf json -rff "$out/jmh.json" -jvmArgsAppend "$(ferry_jvm_flags "$java_home")" "$@"
