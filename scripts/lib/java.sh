# Shared by ./ferry and scripts/*: find a JDK 21+ and the JVM flags it needs.

ferry_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1
}

# Prints the home of the newest JDK 21+ (JAVA_HOME first when it qualifies).
ferry_find_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major="$(ferry_java_major "$JAVA_HOME")"
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then echo "$JAVA_HOME"; return 0; fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major="$(ferry_java_major "$candidate")"
    if [ "${major:-0}" -ge 21 ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  [ -n "$best" ] && echo "$best"
}

# Flags for native libraries (zstd, BoringSSL, epoll) without warnings on JDK 21 to 25.
ferry_jvm_flags() {
  local major; major="$(ferry_java_major "$1")"
  printf '%s ' --enable-native-access=ALL-UNNAMED
  if [ "${major:-0}" -ge 23 ]; then printf '%s ' --sun-misc-unsafe-memory-access=allow; fi
}

# Ahead-of-time cache for the daemons (JDK 25+, when FERRY_AOT_DIR is set): the classes a daemon
# loaded and linked, and the method profiles it gathered, kept from one run for the next. A daemon
# started with a cache compiles its hot paths with C2 in its first minutes instead of after many
# runs of a task, when its one C2 thread gets to them (docs/performance.md). One cache per role
# and per build: the name carries a stamp of the JDK and the jars, so a rebuild trains anew.
#
# ferry_aot_plan JAVA_HOME ROLE JAR...: sets FERRY_AOT_FLAG (the JVM flag, or empty), FERRY_AOT_QUIET,
# FERRY_AOT_CACHE (the cache's path) and FERRY_AOT_TRAINING (where this run records one, or empty).
ferry_aot_plan() {
  local java_home="$1" role="$2" dir="${FERRY_AOT_DIR:-}" major stamp; shift 2
  FERRY_AOT_FLAG=""; FERRY_AOT_QUIET=""; FERRY_AOT_CACHE=""; FERRY_AOT_TRAINING=""
  [ -n "$dir" ] || return 0
  major="$(ferry_java_major "$java_home")"
  [ "${major:-0}" -ge 25 ] || return 0
  # The JVM trusts what it loads from a cache: the directory is the daemon user's alone.
  (umask 077; mkdir -p "$dir") || return 0
  # The JDK's release file names its build without starting another JVM; -version where there is none.
  stamp=$({ cat "$java_home/release" 2>/dev/null || "$java_home/bin/java" -version 2>&1; ls -l --time-style=+%s "$@"; } \
    | cksum | cut -d' ' -f1)
  FERRY_AOT_CACHE="$dir/$role-$stamp.aot"
  if [ -s "$FERRY_AOT_CACHE" ]; then
    FERRY_AOT_FLAG="-XX:AOTCache=$FERRY_AOT_CACHE"
  else
    # A name of this run's own: several daemons of one role may train at once (agents on one host).
    FERRY_AOT_TRAINING="$dir/$role-$stamp.training-$$.aot"
    FERRY_AOT_FLAG="-XX:AOTCacheOutput=$FERRY_AOT_TRAINING"
    # What the JVM leaves out of a cache (classes linked before it could record them) is no fault.
    FERRY_AOT_QUIET="-Xlog:aot=error"
  fi
}

# ferry_aot_train COMMAND...: runs a daemon that records a cache as it exits (FERRY_AOT_TRAINING),
# passing SIGTERM and SIGINT on, and keeps the cache (FERRY_AOT_CACHE, by an atomic rename) only
# when the daemon was stopped by one: a daemon that failed on its own (a bad setting, a missing
# activation) ran too little to teach anything, and a cache kept from it would be used from then on.
# Exits with the daemon's status.
ferry_aot_train() {
  local child status=0 old
  "$@" &
  child=$!
  trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP
  wait "$child" || status=$?
  # A trapped signal ends the first wait early: wait again for the daemon's own status.
  while kill -0 "$child" 2>/dev/null; do status=0; wait "$child" || status=$?; done
  if { [ "$status" -eq 143 ] || [ "$status" -eq 130 ]; } && [ -s "$FERRY_AOT_TRAINING" ]; then
    mv -f "$FERRY_AOT_TRAINING" "$FERRY_AOT_CACHE"
    # Caches of earlier builds are of no more use.
    for old in "${FERRY_AOT_CACHE%-*}"-*.aot; do
      case "$old" in "$FERRY_AOT_CACHE"|*.training-*) ;; *) rm -f "$old" ;; esac
    done
  else
    [ "$status" -eq 143 ] || [ "$status" -eq 130 ] \
      || echo "ferry: the $(basename "${FERRY_AOT_CACHE%-*}") exited with status $status; no AOT cache kept from this run" >&2
  fi
  rm -f "$FERRY_AOT_TRAINING" "$FERRY_AOT_TRAINING.config"
  exit "$status"
}
