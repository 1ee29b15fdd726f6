#!/usr/bin/env bash
# Makes the GPU check's bundle: one folder with everything scripts/gpu-check.sh needs on a GPU host that has no
# Java, no Maven and no network: a Java runtime made with jlink from the build's JDK (the modules jdeps finds in
# the jars, plus jdk.incubator.vector), cortado.jar, the test-jars, JUnit's console launcher, the PyTorch peer,
# the OpenCL ICD loader (for hosts that lack one) and the script. The bundle must stay under 60 MiB to travel.
#
#     scripts/gpu-bundle.sh [--no-build] [--out DIR]
#
# It builds integration-tests/target/gpu-check/ with Maven (the reactor, tests skipped; it holds the jars, the
# script and the PyTorch peer) unless --no-build takes that folder as it is. DIR (default: gpu-bundle/ in the
# checkout, ignored by git) is replaced.
# Needs a JDK 17+ with jmods (JAVA_HOME, else the one whose javac is on the PATH), strip (binutils) and
# libOpenCL.so.1 (Debian: ocl-icd-libopencl1). Prints the bundle's size and the command to run on the GPU host.
set -euo pipefail

LIMIT_MIB=60
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jars="$root/integration-tests/target/gpu-check"

die() {
  echo "gpu-bundle: $*" >&2
  exit 1
}

build=1
dest="$root/gpu-bundle"
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0; shift ;;
    --out) [ $# -ge 2 ] || die "--out needs a folder"; dest="$2"; shift 2 ;;
    *) die "unknown argument '$1' (options: --no-build, --out DIR)" ;;
  esac
done

if [ -n "${JAVA_HOME:-}" ]; then
  jdk="$JAVA_HOME"
else
  javac="$(command -v javac)" || die "no JDK: set JAVA_HOME or put a JDK's javac on the PATH"
  jdk="$(dirname "$(dirname "$(readlink -f "$javac")")")"
fi
[ -d "$jdk/jmods" ] || die "$jdk has no jmods folder, which jlink needs (Debian: openjdk-17-jdk-headless)"
command -v strip > /dev/null || die "strip is missing (Debian: binutils)"
# awk reads to the end: exiting early would kill ldconfig with SIGPIPE, which pipefail turns into exit 141.
loader="$({ ldconfig -p || /sbin/ldconfig -p; } 2> /dev/null \
  | awk '$1 == "libOpenCL.so.1" && /x86-64/ && !found { print $NF; found = 1 }')"
[ -n "$loader" ] || die "no libOpenCL.so.1 to carry (Debian: ocl-icd-libopencl1)"

if [ "$build" -eq 1 ]; then
  echo "gpu-bundle: building the jars (mvn -B -q -DskipTests -pl integration-tests -am package)"
  # Maven 3.8 prints colour resets even in batch mode; keep the terminal clean (as ./cortado does).
  (cd "$root" && mvn -B -q -DskipTests -pl integration-tests -am package 2>&1 | sed 's/\x1b\[[0-9;]*m//g')
fi
[ -f "$jars/lib/cortado.jar" ] && [ -f "$jars/gpu-check.sh" ] \
  || die "no jars in $jars; build them (run without --no-build)"
# After --no-build, the folder's copies of the script and the PyTorch peer may be older than the checkout's.
(cmp -s "$jars/gpu-check.sh" "$root/scripts/gpu-check.sh" \
  && for copy in "$jars"/tools/*.py; do cmp -s "$copy" "$root/tools/${copy##*/}" || exit 1; done) \
  || die "$jars holds an older gpu-check.sh or tools/*.py than the checkout; run without --no-build"

rm -rf "$dest"
mkdir -p "$dest"
dest="$(cd "$dest" && pwd)"
cp -R "$jars/." "$dest/"

modules="$("$jdk/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 "$dest"/lib/*.jar)"
case ",$modules," in
  *,jdk.incubator.vector,*) ;;
  *) modules+=",jdk.incubator.vector" ;;
esac
echo "gpu-bundle: jlink $modules"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$dest/jre" 2>&1 | grep -v 'WARNING: Using incubator modules' >&2 || true
[ -x "$dest/jre/bin/java" ] || die "jlink made no runtime in $dest/jre"
# jlink's --strip-debug leaves the native libraries' symbol tables: about 4 MB of libjvm.so alone.
find "$dest/jre" -name '*.so' -exec strip --strip-unneeded {} +
[ -f "$dest/jre/lib/libjsig.so" ] || die "the runtime has no lib/libjsig.so, which gpu-check.sh preloads"

mkdir "$dest/opencl"
cp -L "$loader" "$dest/opencl/libOpenCL.so.1"
[ ! -f /usr/share/doc/ocl-icd-libopencl1/copyright ] \
  || cp /usr/share/doc/ocl-icd-libopencl1/copyright "$dest/opencl/copyright"

mib() {
  du -sb "$@" | awk '{ s += $1 } END { printf "%.1f", s / 1048576 }'
}
size="$(mib "$dest")"
echo "gpu-bundle: $dest: $size MiB (Java runtime $(mib "$dest/jre") MiB, jars $(mib "$dest/lib") MiB)"
awk -v s="$size" -v l="$LIMIT_MIB" 'BEGIN { exit !(s < l) }' \
  || die "the bundle is $size MiB, over the $LIMIT_MIB MiB limit"
echo "gpu-bundle: on the GPU host, run: bash ${dest#"$root/"}/gpu-check.sh --out \"\$OUT\""
