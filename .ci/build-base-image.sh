#!/usr/bin/env bash
# Builds the CI base image for the Dockerfile without any registry: Debian bookworm with OpenJDK 17 JRE,
# PoCL (OpenCL on the CPU) and the OpenCL ICD loader, from the host's own apt sources. Skips if the tag exists.
# Usage: build-base-image.sh [tag]   (default cortado-ci-base:bookworm)
set -euo pipefail
tag=${1:-cortado-ci-base:bookworm}
if docker image inspect "$tag" >/dev/null 2>&1; then echo "base image: $tag already present"; exit 0; fi

if ! command -v mmdebstrap >/dev/null; then
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 \
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends mmdebstrap >/dev/null
fi

# The host's apt sources (main, updates, security) so no mirror name lives in the repository.
sources=/etc/apt/sources.list.d/debian.sources
[ -f "$sources" ] || sources=/etc/apt/sources.list
lib=/usr/lib/x86_64-linux-gnu
log=${TMPDIR:-/tmp}/mmdebstrap.log
start=$SECONDS
# - merged-usr hook: otherwise --variant=apt pulls in usrmerge and perl.
# - man1 must exist: the JRE's postinst registers java.1.gz with update-alternatives.
# - passwd: useradd for the Dockerfile's non-root user (Debian and Ubuntu images carry it).
# - libOpenCL.so: the unversioned name JOCL may look for.
# - The removed compiler-rt, Polly and sanitizer libraries are not needed by PoCL (about 90 MB).
# The stream goes to a temporary tag, renamed only on success: a truncated tar would still import.
mmdebstrap --mode=root --variant=apt --format=tar \
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
  --include=openjdk-17-jre-headless,pocl-opencl-icd,ocl-icd-libopencl1,passwd \
  --dpkgopt=force-unsafe-io \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
  --customize-hook="ln -sf libOpenCL.so.1 \"\$1$lib/libOpenCL.so\"" \
  --customize-hook="rm -rf \"\$1\"/usr/lib/llvm-15/lib/clang/*/lib/linux \"\$1\"/usr/lib/llvm-15/lib/libPolly*.a \"\$1\"/usr/lib32 \"\$1\"$lib/libasan.so* \"\$1\"$lib/libtsan.so* \"\$1\"$lib/liblsan.so* \"\$1\"$lib/libubsan.so* \"\$1\"$lib/libhwasan.so*" \
  bookworm - "$sources" 2>"$log" \
  | docker import --change 'ENV LANG=C.UTF-8' - "$tag.tmp" >/dev/null \
  || { tail -30 "$log" >&2; docker rmi "$tag.tmp" >/dev/null 2>&1 || true; exit 1; }
docker tag "$tag.tmp" "$tag"
docker rmi "$tag.tmp" >/dev/null
echo "base image: built $tag in $((SECONDS - start)) s"
docker image ls "$tag"
