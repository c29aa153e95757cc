#!/usr/bin/env bash
# Prints the path of a valkey-server for the lesson proofs against Valkey (.ci/run): one on PATH, else Debian's own
# package, downloaded and unpacked into the directory given as $1. It is not installed: no service is started and
# nothing outside that directory holds it. On Debian 12 Valkey is in bookworm-backports (8.0.x); a release that
# has it in main needs no extra source.
set -euo pipefail
dest=${1:?usage: .ci/valkey.sh DIR}

if command -v valkey-server >/dev/null 2>&1; then
  command -v valkey-server
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if ! apt-cache show valkey-server >/dev/null 2>&1; then
  # shellcheck source=/dev/null
  . /etc/os-release
  list=/etc/apt/sources.list.d/rsl-ci-backports.list
  echo "deb http://deb.debian.org/debian ${VERSION_CODENAME}-backports main" >"$list"
  echo "ci: Valkey from ${VERSION_CODENAME}-backports" >&2
  apt-get update -qq >&2
fi

# The libraries it links against (Redis's package needs the same ones); only those missing are installed.
missing=()
for dep in $(apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
  --no-enhances valkey-tools | awk '$1 == "Depends:" && $2 !~ /^</ && $2 != "adduser" {print $2}'); do
  dpkg-query -W -f='${Status}' "$dep" 2>/dev/null | grep -q 'install ok installed' || missing+=("$dep")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "ci: installing ${missing[*]} for Valkey" >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

mkdir -p "$dest/debs" "$dest/root"
# apt-get download writes into the current directory (as root it warns that user _apt cannot write there: harmless).
(cd "$dest/debs" && apt-get download -qq valkey-server valkey-tools >&2)
for deb in "$dest"/debs/*.deb; do dpkg-deb -x "$deb" "$dest/root"; done
bin="$dest/root/usr/bin/valkey-server"
"$bin" --version >&2
echo "$bin"
