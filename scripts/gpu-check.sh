#!/usr/bin/env bash
# Checks Cortado's CUDA backend on this host's first GPU (cuda:0) from the built jars, without Maven and without
# network: the conformance suite (with the kernel path and GEMM the host gives, then with the bundled PTX, then
# with the tiled GEMM kernel), the gradient checks, the layer and golden-value suites, the backend's lifecycle,
# the CPU/CUDA parity check, and `cortado bench` on cuda:0 and on the CPU; then prints one summary table.
#
# Build the folder it runs from (on any machine with Maven; nvcc there makes the jar carry the bundled PTX):
#     mvn -B -DskipTests -pl integration-tests -am package
# then copy integration-tests/target/gpu-check/ to the GPU host and run
#     JAVA_HOME=/path/to/jdk-17-or-newer bash gpu-check/gpu-check.sh [--quick]
# (or run scripts/gpu-check.sh in the checkout). It needs a JDK or JRE 17+ and the NVIDIA driver; the CUDA 12
# libraries (libnvrtc.so.12, libcublas.so.12) are used when present, else the bundled PTX and the tiled kernel.
# --quick runs shorter benchmarks. Logs go to $GPU_CHECK_LOGS (default: a new folder in the working directory).
#
# Exit status: 0 every check passed on cuda:0; 1 a check failed or ran out of time; 2 cuda:0 is unavailable here
# (every GPU check reports SKIPPED with the reason; the CPU benchmark still runs); 3 the setup is wrong.
set -uo pipefail

BUDGET_SECONDS=450              # the whole run, with a margin under 8 minutes
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

die() {
  echo "gpu-check: $*" >&2
  exit 3
}

lib=""
for candidate in "$here/lib" "$here/../integration-tests/target/gpu-check/lib"; do
  if [ -f "$candidate/cortado.jar" ]; then
    lib="$(cd "$candidate" && pwd)"
    break
  fi
done
[ -n "$lib" ] || die "no built jars next to this script nor in integration-tests/target/gpu-check/lib; build them with: mvn -B -DskipTests -pl integration-tests -am package"
for jar in cortado.jar cortado-runtime-tests.jar cortado-backend-cuda-tests.jar junit-platform-console-standalone.jar; do
  [ -f "$lib/$jar" ] || die "$lib/$jar is missing; rebuild with: mvn -B -DskipTests -pl integration-tests -am package"
done

[ -n "${JAVA_HOME:-}" ] || die "set JAVA_HOME to a Java 17 (or newer) installation"
java="$JAVA_HOME/bin/java"
[ -x "$java" ] || die "$java is not an executable (JAVA_HOME=$JAVA_HOME)"
java_major="$("$java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)"
[ -n "$java_major" ] && [ "$java_major" -ge 17 ] || die "$java is not Java 17 or newer: $("$java" -version 2>&1 | head -n 1)"

bench_args=(--models mlp,lenet5)
if [ "${1:-}" = "--quick" ]; then
  bench_args+=(--batches 5 --warmup 1 --repeats 3)
elif [ $# -gt 0 ]; then
  die "unknown argument '$1' (the only option is --quick)"
fi

logs="${GPU_CHECK_LOGS:-$PWD/gpu-check-logs-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$logs" || die "cannot create the log folder $logs"
jvm=(--add-modules jdk.incubator.vector -Xmx4g)
# As ./cortado does: keep the JVM's signal handlers when an OpenCL driver installs its own.
[ ! -f "$JAVA_HOME/lib/libjsig.so" ] || export LD_PRELOAD="$JAVA_HOME/lib/libjsig.so${LD_PRELOAD:+:$LD_PRELOAD}"
cortado=("$java" "${jvm[@]}" -jar "$lib/cortado.jar")
classpath="$lib/cortado.jar:$lib/cortado-runtime-tests.jar:$lib/cortado-backend-cuda-tests.jar"

rows=()          # "check|result|tests|seconds|note"
notes=()         # lines printed under the table
overall=0        # becomes 1 on any failure

remaining() {
  echo $((BUDGET_SECONDS - SECONDS))
}

# The value of a JUnit summary counter ("tests successful") in a console launcher log, 0 when absent.
count() {
  local n
  n="$(grep -E "\[ *[0-9]+ $2 *\]" "$1" | grep -oE '[0-9]+' | head -n 1)"
  echo "${n:-0}"
}

# run_suite LABEL CAP_SECONDS CLASS... : runs test classes with the JUnit console launcher and records a row.
run_suite() {
  local label="$1" cap="$2"
  shift 2
  local log="$logs/$(echo "$label" | tr -c 'a-zA-Z0-9\n' '-').log"
  local left
  left="$(remaining)"
  if [ "$left" -lt 20 ]; then
    rows+=("$label|NOT RUN|-|0|the 8-minute budget is spent")
    overall=1
    return
  fi
  [ "$cap" -lt "$left" ] || cap="$left"
  local selectors=()
  for class in "$@"; do
    selectors+=(--select-class "dev.cortado.cuda.$class")
  done
  local start=$SECONDS status
  timeout "$cap" "$java" "${jvm[@]}" -jar "$lib/junit-platform-console-standalone.jar" execute --disable-banner \
    --disable-ansi-colors --details=tree --details-theme=ascii --class-path "$classpath" "${selectors[@]}" \
    > "$log" 2>&1
  status=$?
  local seconds=$((SECONDS - start))
  local ok failed aborted broken result note=""
  ok="$(count "$log" "tests successful")"
  failed="$(count "$log" "tests failed")"
  aborted="$(count "$log" "tests aborted")"
  broken="$(count "$log" "containers failed")"
  if [ "$status" -eq 124 ]; then
    result="TIMEOUT"
    note="stopped after ${cap} s"
  elif ! grep -q "tests found" "$log"; then
    result="ERROR"
    note="the launcher exited with $status and no summary"
  elif [ "$failed" -gt 0 ] || [ "$broken" -gt 0 ]; then
    result="FAILED"
    note="$(grep -m 1 -E '^FAILED ' "$log" | cut -c1-100)"
  elif [ "$ok" -eq 0 ] && [ "$aborted" -gt 0 ]; then
    result="SKIPPED"
    note="$(grep -m 1 -E '^(SKIPPED|skipping) ' "$log" | sed -E 's/.*(is unavailable|cannot be used): //' | cut -c1-60)"
  else
    result="PASSED"
  fi
  if grep -q '^PARITY ' "$log"; then
    note="largest relative loss difference: $(sed -nE 's/^PARITY ([a-z0-9]+) on [^ ]*: [0-9]+ steps, largest relative loss difference ([^ ]+) .*tolerance ([^)]+)\)$/\1 \2/p' "$log" \
      | paste -sd ',' - | sed 's/,/, /g') (tolerance $(sed -nE 's/^PARITY .*tolerance ([^)]+)\)$/\1/p' "$log" | head -n 1))"
  fi
  case "$result" in
    FAILED|TIMEOUT|ERROR) overall=1 ;;
  esac
  rows+=("$label|$result|$ok/$failed/$aborted|$seconds|$note")
}

# bench DEVICE: runs cortado bench and prints "model train inference" lines, or nothing when it fails.
bench() {
  local device="$1" log="$logs/bench-${1/:/}.log" left
  left="$(remaining)"
  if [ "$left" -lt 15 ]; then
    echo "not run (time)"
    return
  fi
  timeout "$left" "${cortado[@]}" bench --device "$device" "${bench_args[@]}" > "$log" 2>&1
  local status=$?
  if [ "$status" -eq 5 ]; then
    echo "unavailable"
    return
  elif [ "$status" -ne 0 ]; then
    echo "failed"
    return
  fi
  awk '$1 == "mlp" || $1 == "lenet5" { gsub(",", "", $3); gsub(",", "", $5); print $1, $3, $5 }' "$log"
}

echo "gpu-check: jars from $lib, Java $java_major from $JAVA_HOME, logs in $logs"
"${cortado[@]}" devices > "$logs/devices.txt" 2> "$logs/devices.err"
grep -v 'WARNING: Using incubator modules' "$logs/devices.err" >&2
status_line="$(grep -E '^cuda:0 ' "$logs/devices.txt")"
details="$(awk '/^cuda:0:$/ { on = 1; next } on && /^$/ { exit } on { sub(/^  /, ""); print }' "$logs/devices.txt")"
available=0
if [ -z "$status_line" ]; then
  notes+=("cuda:0: the jar lists no cuda:0 (is the CUDA backend missing from cortado.jar?)")
elif echo "$status_line" | grep -qE ' available$'; then
  available=1
else
  notes+=("cuda:0 $(echo "$status_line" | sed -E 's/^.*(unavailable: )/\1/')")
fi

run_suite "conformance"                 150 CudaConformanceTest
run_suite "conformance, bundled PTX"    120 CudaPtxConformanceTest
run_suite "GEMM on the tiled kernel"    60  CudaTiledGemmTest
run_suite "gradient checks"             90  CudaGradientCheckTest
run_suite "layers and golden values"    60  CudaLayerTest CudaGoldenTest
run_suite "lifecycle"                   60  CudaLifecycleTest
run_suite "CPU/CUDA parity (40 steps)"  90  CudaParityTest

gpu_bench="$(bench cuda:0)"
cpu_bench="$(bench cpu)"

echo
echo "Cortado GPU check, $(date '+%Y-%m-%d %H:%M'), $(uname -n), $((SECONDS)) s"
if [ "$available" -eq 1 ]; then
  echo "$status_line" | awk '{ $NF = ""; print "device: " $0 }'
  echo "$details" | sed 's/^/  /'
fi
echo
printf '%-30s %-8s %-21s %6s  %s\n' "check" "result" "passed/failed/skipped" "time" "note"
for row in "${rows[@]}"; do
  IFS='|' read -r label result tests seconds note <<< "$row"
  printf '%-30s %-8s %-21s %5ss  %s\n' "$label" "$result" "$tests" "$seconds" "$note"
done
echo
printf '%-8s %22s %22s %26s\n' "model" "cuda:0 train img/s" "cpu train img/s" "cuda:0 inference img/s"
for model in mlp lenet5; do
  gpu_train="$(echo "$gpu_bench" | awk -v m="$model" '$1 == m { print $2 }')"
  gpu_infer="$(echo "$gpu_bench" | awk -v m="$model" '$1 == m { print $3 }')"
  cpu_train="$(echo "$cpu_bench" | awk -v m="$model" '$1 == m { print $2 }')"
  ratio=""
  if [ -n "$gpu_train" ] && [ -n "$cpu_train" ]; then
    ratio="$(awk -v g="$gpu_train" -v c="$cpu_train" 'BEGIN { printf " (%.1fx)", g / c }')"
  fi
  printf '%-8s %22s %22s %26s\n' "$model" "${gpu_train:-${gpu_bench:-none}}$ratio" "${cpu_train:-${cpu_bench:-none}}" \
    "${gpu_infer:--}"
done
case "$gpu_bench" in
  failed) notes+=("cortado bench --device cuda:0 failed: $(grep -v 'WARNING: Using incubator' "$logs/bench-cuda0.log" | tail -n 1)")
    overall=1 ;;
esac
case "$cpu_bench" in
  failed) notes+=("cortado bench --device cpu failed: see $logs/bench-cpu.log"); overall=1 ;;
esac
if [ ${#notes[@]} -gt 0 ]; then
  echo
  printf '%s\n' "${notes[@]}"
fi
echo
if [ "$available" -ne 1 ]; then
  echo "gpu-check: cuda:0 is unavailable here, so nothing ran on a GPU (logs: $logs)"
  exit 2
fi
if [ "$overall" -ne 0 ]; then
  echo "gpu-check: FAILED (logs: $logs)"
  exit 1
fi
echo "gpu-check: every check passed on cuda:0 (logs: $logs)"
