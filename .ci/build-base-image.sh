#!/usr/bin/env bash
# Builds the CI base image for the Dockerfile without any registry: Debian bookworm with OpenJDK 17 JRE,
# PoCL (OpenCL on the CPU) and the OpenCL ICD loader, from the host's own apt sources. Skips if the tag exists.
# Usage: build-base-image.sh [tag]   (default cortado-ci-base:bookworm)
set -euo pipefail
tag=${1:-cortado-ci-base:bookworm}
lib=/usr/lib/x86_64-linux-gnu
# - man1 must exist: the JRE's postinst registers java.1.gz with update-alternatives.
# - passwd: useradd for the Dockerfile's non-root user (Debian and Ubuntu images carry it).
# - libOpenCL.so: the unversioned name JOCL may look for.
# - The removed compiler-rt, Polly and sanitizer libraries are not needed by PoCL (about 90 MB).
exec bash "$(dirname "$0")/debian-image.sh" "$tag" --variant=apt \
  --include=openjdk-17-jre-headless,pocl-opencl-icd,ocl-icd-libopencl1,passwd \
  --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
  --customize-hook="ln -sf libOpenCL.so.1 \"\$1$lib/libOpenCL.so\"" \
  --customize-hook="rm -rf \"\$1\"/usr/lib/llvm-15/lib/clang/*/lib/linux \"\$1\"/usr/lib/llvm-15/lib/libPolly*.a \"\$1\"/usr/lib32 \"\$1\"$lib/libasan.so* \"\$1\"$lib/libtsan.so* \"\$1\"$lib/liblsan.so* \"\$1\"$lib/libubsan.so* \"\$1\"$lib/libhwasan.so*"
