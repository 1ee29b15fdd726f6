#!/usr/bin/env bash
# Where the CPU backend spends a `cortado bench` run, by code path and by kernel: the run under Java Flight
# Recorder (a Java execution sample every millisecond, cpu-samples.jfc), its samples summed by jfr_summary.py. The
# frames come from C2's debug information at every instruction (-XX:+DebugNonSafepoints), not at the nearest
# safepoint, which put a quarter of LeNet-5's samples on a bounds check and 6% on a scalar tail loop that never ran.
#
#   benchmarks/scripts/profile-cpu.sh [--models lenet5] [--batch-size 64] [--batches 100] [--repeats 20] [--top 25]
#                                     [--keep run.jfr]
#
# Training and inference both, the first 5 s (start-up and the JIT's warm-up) left out. The launcher's JVM options
# stay: the recording's go in through JAVA_TOOL_OPTIONS. OpProfile (benchmarks/README.md) times the same models op
# by op instead; this shows what runs inside the ops, and the threads' waits, without timing each call. Run nothing
# else meanwhile. Needs the JDK's jfr tool (JAVA_HOME/bin, else the PATH) and python3.
set -euo pipefail
models=lenet5
batch=64
batches=100
repeats=20
top=25
keep=
while [ $# -gt 0 ]; do
  case "$1" in
    --models) models=$2; shift 2 ;;
    --batch-size) batch=$2; shift 2 ;;
    --batches) batches=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --top) top=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    *) echo "usage: $0 [--models M] [--batch-size N] [--batches N] [--repeats N] [--top N] [--keep FILE.jfr]" >&2
       exit 2 ;;
  esac
done
# No cd: --keep and a --models file are named from where the caller stands.
root="$(cd "$(dirname "$0")/../.." && pwd)"
jfr=${JAVA_HOME:+$JAVA_HOME/bin/}jfr
if ! command -v "$jfr" > /dev/null; then
  echo "profile-cpu.sh: no jfr tool ($jfr): it comes with a JDK (apt-get install openjdk-17-jdk-headless)" >&2
  exit 127
fi
recording=${keep:-$(mktemp --suffix .jfr)}
[ -n "$keep" ] || trap 'rm -f "$recording"' EXIT
"$root/cortado" --version > /dev/null 2>&1 # builds the jar first, outside the recording
settings="$root/benchmarks/scripts/cpu-samples.jfc"
JAVA_TOOL_OPTIONS="-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -Xlog:jfr+startup=error \
-XX:StartFlightRecording=filename=$recording,settings=$settings" \
  "$root/cortado" bench --models "$models" --batch-size "$batch" --batches "$batches" --repeats "$repeats" \
  2> >(grep -v -e '^WARNING: Using incubator modules' -e '^Picked up JAVA_TOOL_OPTIONS' >&2 || true)
echo
"$jfr" print --stack-depth 64 --events jdk.ExecutionSample "$recording" \
  | python3 "$root/benchmarks/scripts/jfr_summary.py" --top "$top" --skip-seconds 5
