# Shared by scripts/test: installs the servers the tests start themselves, each once, into
# places the tests find (see the ferry.test.* properties in pom.xml). Idempotent: a server already
# there at the pinned version is left alone. Network: the npm registry and Debian's archive only.

ferry_install_azurite() {
  local root="$1" version="$2"
  local dir="$root/.test-servers/npm"
  if [ -x "$dir/node_modules/.bin/azurite-blob" ] && grep -q "\"version\": \"$version\"" "$dir/node_modules/azurite/package.json" 2>/dev/null; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "scripts/test: installing Node.js and npm (for Azurite)" >&2
    ferry_apt_install nodejs npm
  fi
  echo "scripts/test: installing Azurite $version" >&2
  mkdir -p "$dir"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error --no-save "azurite@$version" >&2)
}

# Installs Debian packages that are missing; apt never starts them (there is no init system here).
ferry_apt_install() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "scripts/test: needs these Debian packages, and root to install them: ${missing[*]}" >&2
    return 1
  fi
  echo "scripts/test: installing ${missing[*]}" >&2
  # krb5-config would ask for a default realm; the tests write their own krb5.conf.
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; then
    apt-get update -q >&2 && apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
  fi
}
