#!/usr/bin/env bash
# Builds a Debian bookworm image without any registry: mmdebstrap from the host's own apt sources, streamed into
# docker import, without docs, man pages, locales and info pages. Skips if the tag exists.
# Usage: debian-image.sh TAG [mmdebstrap options: the variant, --include, hooks]
set -euo pipefail
tag=$1
shift
if docker image inspect "$tag" >/dev/null 2>&1; then echo "image: $tag already present"; exit 0; fi

if ! command -v mmdebstrap >/dev/null; then
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 \
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends mmdebstrap >/dev/null
fi

# The host's apt sources (main, updates, security) so no mirror name lives in the repository.
sources=/etc/apt/sources.list.d/debian.sources
[ -f "$sources" ] || sources=/etc/apt/sources.list
log=${TMPDIR:-/tmp}/mmdebstrap-${tag//[:\/]/-}.log
start=$SECONDS
# - merged-usr hook: otherwise the apt and minbase variants pull in usrmerge and perl.
# The stream goes to a temporary tag, renamed only on success: a truncated tar would still import.
mmdebstrap --mode=root --format=tar --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
  --dpkgopt=force-unsafe-io \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  "$@" bookworm - "$sources" 2>"$log" \
  | docker import --change 'ENV LANG=C.UTF-8' - "$tag.tmp" >/dev/null \
  || { tail -30 "$log" >&2; docker rmi "$tag.tmp" >/dev/null 2>&1 || true; exit 1; }
docker tag "$tag.tmp" "$tag"
docker rmi "$tag.tmp" >/dev/null
echo "image: built $tag in $((SECONDS - start)) s"
docker image ls "$tag"
