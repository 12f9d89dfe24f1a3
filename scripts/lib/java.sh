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
