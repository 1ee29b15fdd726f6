#!/usr/bin/env bash
# Checks Cortado's CUDA backend on this host's first GPU (cuda:0) from the built jars, without Maven and without
# network, and measures it beside PyTorch on the same GPU. The checks: the conformance suite (with the kernel path
# and GEMM the host gives, then with the bundled PTX, then with the tiled GEMM kernel), the gradient checks, the
# layer and golden-value suites, the backend's lifecycle, the front door (fit, save, load, 8 threads predicting),
# the CPU/CUDA parity check; where the NVIDIA driver has
# its OpenCL library (libnvidia-opencl.so.1), the CPU/OpenCL parity check on that GPU. The measurements, each a
# check too: `cortado bench` (training and inference images/s, batch 64 and 256) and SGEMM GFLOP/s (n = 1024,
# 4096; the tiled kernel on GPUs) on cuda:0, on opencl:0 and on the CPU, and the same in PyTorch on cuda (with
# tools/torch_bench.py) when `python3 -c "import torch"` works. It prints one line per check as it ends, then one
# table of checks and one of figures with the ratio Cortado/PyTorch.
#
# Run it from the bundle that scripts/gpu-bundle.sh makes, which carries a Java runtime:
#     bash gpu-bundle/gpu-check.sh [--quick] [--out DIR]
# or from a checkout (after mvn -B -DskipTests -pl integration-tests -am package) or from
# integration-tests/target/gpu-check/, with JAVA_HOME set to a Java 17 or newer. --quick runs shorter
# benchmarks. The tables go to DIR/gpu-check.txt and the logs to DIR/gpu-check-logs.tar.gz; DIR is --out, else
# $GPU_CHECK_OUT, else a new folder in the working directory. GPU_CHECK_PYTHON names the Python (default python3),
# GPU_CHECK_OPENCL_DRIVER the OpenCL driver library to try (default libnvidia-opencl.so.1).
#
# Exit status: 0 every check passed on cuda:0; 1 a check failed or ran out of time; 2 none failed but cuda:0 is
# unavailable here (each GPU check says SKIPPED with the reason; the CPU benchmarks still run); 3 the setup is
# wrong.
set -uo pipefail

BUDGET_SECONDS=450              # the whole run, with a margin under 8 minutes
MODELS=(lenet5 mlp)
BATCH_SIZES=(64 256)
GEMM_SIZES=(1024 4096)
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

die() {
  echo "gpu-check: $*" >&2
  exit 3
}

# The first of the folders, relative to this script, that holds FILE.
beside() {
  local file="$1" folder
  shift
  for folder in "$@"; do
    if [ -f "$here/$folder/$file" ]; then
      (cd "$here/$folder" && pwd)
      return
    fi
  done
}

quick=0
out="${GPU_CHECK_OUT:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; shift ;;
    --out) [ $# -ge 2 ] || die "--out needs a folder"; out="$2"; shift 2 ;;
    *) die "unknown argument '$1' (options: --quick, --out DIR)" ;;
  esac
done
out="${out:-$PWD/gpu-check-$(date +%Y%m%d-%H%M%S)}"

build="mvn -B -DskipTests -pl integration-tests -am package"
lib="$(beside cortado.jar lib ../integration-tests/target/gpu-check/lib)"
[ -n "$lib" ] || die "no built jars next to this script nor in integration-tests/target/gpu-check/lib; build them with: $build"
for jar in cortado.jar cortado-runtime-tests.jar cortado-backend-cuda-tests.jar cortado-backend-opencl-tests.jar \
    junit-platform-console-standalone.jar; do
  [ -f "$lib/$jar" ] || die "$lib/$jar is missing; rebuild with: $build"
done
tools="$(beside torch_bench.py tools ../tools)"
[ -n "$tools" ] || die "no tools/torch_bench.py next to this script nor in the checkout"

java_home="${JAVA_HOME:-$here/jre}"
java="$java_home/bin/java"
[ -x "$java" ] || die "$java is not an executable: set JAVA_HOME to a Java 17 or newer (or use the bundle from" \
  "scripts/gpu-bundle.sh, which carries one in jre/)"
java_major="$("$java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | sed -n 1p)"
[ -n "$java_major" ] && [ "$java_major" -ge 17 ] || die "$java is not Java 17 or newer: $("$java" -version 2>&1 | sed -n 1p)"

mkdir -p "$out" || die "cannot create the output folder $out"
out="$(cd "$out" && pwd)"
work="$(mktemp -d)" || die "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
logs="$work/logs"
mkdir "$logs"

# cortado bench also warms up for a least time (--warmup-seconds), which torch_bench.py does not take.
if [ "$quick" -eq 1 ]; then
  bench_args=(--batches 5 --warmup 1 --repeats 3)
  warmup_seconds=0
  gemm_seconds=0.2
else
  bench_args=(--batches 30 --warmup 2 --repeats 5)
  warmup_seconds=5
  gemm_seconds=1
fi
jvm=("$java" --add-modules jdk.incubator.vector -Xmx4g)
# As ./cortado does: keep the JVM's signal handlers when an OpenCL driver installs its own. Only in the JVMs:
# libjsig complains about every other program that calls signal().
jsig="$java_home/lib/libjsig.so"
[ ! -f "$jsig" ] || jvm=(env "LD_PRELOAD=$jsig${LD_PRELOAD:+:$LD_PRELOAD}" "${jvm[@]}")
cortado=("${jvm[@]}" -jar "$lib/cortado.jar")
classpath="$lib/cortado.jar:$lib/cortado-runtime-tests.jar:$lib/cortado-backend-cuda-tests.jar"
classpath+=":$lib/cortado-backend-opencl-tests.jar"
python="${GPU_CHECK_PYTHON:-python3}"

rows=()          # "check|result|tests|seconds|note"
notes=()         # lines printed under the tables
overall=0        # becomes 1 on any failure
declare -A figure   # "column|row" -> value, e.g. "cuda:0|lenet5 train 64" -> 12345.6

remaining() {
  echo $((BUDGET_SECONDS - SECONDS))
}

csv() {
  local IFS=,
  echo "$*"
}

# record CHECK RESULT TESTS SECONDS NOTE: one row of the check table, also printed now.
record() {
  rows+=("$1|$2|$3|$4|$5")
  printf 'gpu-check: %-36s %-8s %4ss  %s\n' "$1" "$2" "$4" "$5"
  case "$2" in
    FAILED|TIMEOUT|ERROR|"NOT RUN") overall=1 ;;
  esac
}

# step CAP LOG COMMAND...: runs COMMAND, output to LOG, for at most CAP seconds and what is left of the budget;
# sets step_status (124: stopped) and step_cap. Returns 1 without running it when under 20 s are left.
step() {
  local cap="$1" log="$2" left
  shift 2
  left="$(remaining)"
  [ "$left" -ge 20 ] || return 1
  [ "$cap" -lt "$left" ] || cap="$left"
  step_cap="$cap"
  timeout "$cap" "$@" > "$log" 2>&1
  step_status=$?
}

# The last line of a log that is not the JVM's note about the incubator module.
last_line() {
  grep -v 'WARNING: Using incubator modules' "$1" | tail -n 1 | cut -c1-160
}

# not_run CHECK START: the row of a check that step did not run.
not_run() {
  record "$1" "NOT RUN" - $((SECONDS - $2)) "the 8-minute budget is spent"
}

# step_failed CHECK START WHAT LOG: the row of a check whose step WHAT exited with step_status, not 0.
step_failed() {
  if [ "$step_status" -eq 124 ]; then
    record "$1" TIMEOUT - $((SECONDS - $2)) "$3 stopped after $step_cap s"
  else
    record "$1" FAILED - $((SECONDS - $2)) "$3: $(last_line "$4")"
  fi
}

# The value of a JUnit summary counter ("tests successful") in a console launcher log, 0 when absent.
count() {
  local n
  n="$(grep -E "\[ *[0-9]+ $2 *\]" "$1" | grep -oE '[0-9]+' | sed -n 1p)"
  echo "${n:-0}"
}

# run_suite CHECK CAP_SECONDS CLASS... : runs test classes with the JUnit console launcher and records a row.
run_suite() {
  local label="$1" cap="$2"
  shift 2
  local log="$logs/$(echo "$label" | tr -c 'a-zA-Z0-9\n' '-').log" start=$SECONDS selectors=() class
  for class in "$@"; do
    selectors+=(--select-class "$class")
  done
  if ! step "$cap" "$log" "${jvm[@]}" -jar "$lib/junit-platform-console-standalone.jar" execute \
      --disable-banner --disable-ansi-colors --details=tree --details-theme=ascii --class-path "$classpath" \
      "${selectors[@]}"; then
    not_run "$label" "$start"
    return
  fi
  local seconds=$((SECONDS - start)) ok failed aborted broken result note=""
  ok="$(count "$log" "tests successful")"
  failed="$(count "$log" "tests failed")"
  aborted="$(count "$log" "tests aborted")"
  broken="$(count "$log" "containers failed")"
  if [ "$step_status" -eq 124 ]; then
    result="TIMEOUT"
    note="stopped after ${step_cap} s"
  elif ! grep -q "tests found" "$log"; then
    result="ERROR"
    note="the launcher exited with $step_status and no summary"
  elif [ "$failed" -gt 0 ] || [ "$broken" -gt 0 ]; then
    result="FAILED"
    note="$(grep -m 1 -E '^FAILED ' "$log" | cut -c1-100)"
  elif [ "$ok" -eq 0 ] && [ "$aborted" -gt 0 ]; then
    result="SKIPPED"
    note="$(grep -m 1 -E '^(SKIPPED|skipping) ' "$log" | sed -E 's/.*(is unavailable|cannot be used): //; s/: .*//')"
  else
    result="PASSED"
  fi
  if grep -q '^PARITY ' "$log"; then
    note="largest relative loss difference: $(sed -nE 's/^PARITY ([a-z0-9]+) on [^ ]*: [0-9]+ steps, largest relative loss difference ([^ ]+) .*tolerance ([^)]+)\)$/\1 \2/p' "$log" \
      | paste -sd ',' - | sed 's/,/, /g') (tolerance $(sed -nE 's/^PARITY .*tolerance ([^)]+)\)$/\1/p' "$log" | sed -n 1p))"
  fi
  record "$label" "$result" "$ok/$failed/$aborted" "$seconds" "$note"
}

# Why DEVICE cannot be used, from the device listing; empty when it is available.
unavailable() {
  local line
  line="$(grep -E "^$1 " "$logs/devices.txt")"
  if [ -z "$line" ]; then
    echo "cortado.jar lists no $1"
  elif [[ "$line" != *' available' ]]; then
    echo "$line" | sed -E 's/^.* unavailable: //'
  fi
}

# measure DEVICE REASON: unless REASON says why DEVICE cannot be used, cortado bench at each batch size, then the
# SGEMM benchmark (the tiled kernel on a GPU), on DEVICE; the figures go to its column, and one row says how it went.
measure() {
  local device="$1" label="benchmarks on $1" start=$SECONDS batch log
  if [ -n "$2" ]; then
    record "$label" SKIPPED - 0 "${2%%: *}"
    return
  fi
  for batch in "${BATCH_SIZES[@]}"; do
    log="$logs/bench-${device/:/}-$batch.log"
    if ! step 120 "$log" "${cortado[@]}" bench --device "$device" --models "$(csv "${MODELS[@]}")" \
        --batch-size "$batch" "${bench_args[@]}" --warmup-seconds "$warmup_seconds"; then
      not_run "$label" "$start"
      return
    elif [ "$step_status" -ne 0 ]; then
      step_failed "$label" "$start" "cortado bench --batch-size $batch" "$log"
      return
    fi
    while read -r model train inference; do
      figure["$device|$model train $batch"]="$train"
      figure["$device|$model inference $batch"]="$inference"
    done < <(awk -v b="$batch" '$2 == b { gsub(",", "", $3); gsub(",", "", $5); print $1, $3, $5 }' "$log")
  done
  log="$logs/sgemm-${device/:/}.log"
  if ! step 120 "$log" env CORTADO_CUDA_GEMM=tiled CORTADO_OPENCL_GEMM=tiled "${jvm[@]}" -cp "$classpath" \
      dev.cortado.testing.GemmThroughput "$device" "$gemm_seconds" "${GEMM_SIZES[@]}"; then
    not_run "$label" "$start"
    return
  elif [ "$step_status" -ne 0 ]; then
    step_failed "$label" "$start" "SGEMM" "$log"
    return
  fi
  while read -r n gflops; do
    figure["$device|sgemm $n"]="$gflops"
  done < <(sed -n 's/^sgemm //p' "$log")
  notes+=("SGEMM on $device: $(sed -n 's/^gemm: //p' "$log")")
  record "$label" PASSED - $((SECONDS - start)) "bench at batch ${BATCH_SIZES[*]}, SGEMM n = ${GEMM_SIZES[*]}"
}

# The PyTorch peer on cuda, when this host's Python has PyTorch; its figures go to the "pytorch" column.
pytorch() {
  local label="PyTorch on cuda" log="$logs/pytorch.log" start=$SECONDS key value
  if ! command -v "$python" > /dev/null; then
    record "$label" SKIPPED - 0 "no $python on the PATH"
    return
  elif ! "$python" -c "import torch" > "$log" 2>&1; then
    record "$label" SKIPPED - 0 "$python cannot import torch ($(tail -n 1 "$log" | cut -c1-100))"
    return
  fi
  if ! step 240 "$log" "$python" "$tools/torch_bench.py" --jar "$lib/cortado.jar" --device cuda \
      --models "$(csv "${MODELS[@]}")" --batch-sizes "$(csv "${BATCH_SIZES[@]}")" \
      --gemm "$(csv "${GEMM_SIZES[@]}")" --gemm-seconds "$gemm_seconds" "${bench_args[@]}"; then
    not_run "$label" "$start"
  elif [ "$step_status" -eq 2 ]; then
    record "$label" SKIPPED - $((SECONDS - start)) "$(tail -n 1 "$log")"
  elif [ "$step_status" -ne 0 ]; then
    step_failed "$label" "$start" "torch_bench.py" "$log"
  else
    while read -r key value; do
      figure["pytorch|$key"]="$value"
    done < <(sed -nE 's/^([a-z0-9]+ (train|inference) [0-9]+|sgemm [0-9]+) ([0-9.]+)$/\1 \3/p' "$log")
    record "$label" PASSED - $((SECONDS - start)) "$(sed -n 's/^device: //p' "$log")"
  fi
}

# Where the dynamic linker finds the shared library LIBRARY (LD_LIBRARY_PATH, then its cache), or LIBRARY itself
# when it is a file.
library() {
  local dir IFS=:
  if [ -f "$1" ]; then
    echo "$1"
    return
  fi
  for dir in ${LD_LIBRARY_PATH:-}; do
    if [ -n "$dir" ] && [ -f "$dir/$1" ]; then
      echo "$dir/$1"
      return
    fi
  done
  { ldconfig -p || /sbin/ldconfig -p; } 2> /dev/null | awk -v n="$1" '$1 == n && /x86-64|AArch64/ && !found { print $NF; found = 1 }'
}

# OpenCL on the NVIDIA GPU goes through the driver's ICD library (GPU_CHECK_OPENCL_DRIVER names another). An ICD
# vendors folder that names only it makes that GPU opencl:0, whatever other OpenCL drivers the host has. The ICD
# loader is the host's libOpenCL.so.1, else the bundle's copy of ocl-icd's. Sets opencl_reason when OpenCL cannot
# be tried.
setup_opencl() {
  local driver="${GPU_CHECK_OPENCL_DRIVER:-libnvidia-opencl.so.1}" path
  path="$(library "$driver")"
  if [ -z "$path" ]; then
    opencl_reason="no $driver here (the NVIDIA driver's OpenCL library)"
    return
  fi
  if [ -n "$(library libOpenCL.so.1)" ]; then
    notes+=("OpenCL: the host's ICD loader, the driver $path")
  elif [ -f "$here/opencl/libOpenCL.so.1" ]; then
    export LD_LIBRARY_PATH="$here/opencl${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    notes+=("OpenCL: the bundle's ICD loader (opencl/libOpenCL.so.1), the driver $path")
  else
    opencl_reason="no OpenCL ICD loader (libOpenCL.so.1) here or in the bundle"
    return
  fi
  mkdir "$work/icd" && echo "$path" > "$work/icd/gpu.icd"
  export OCL_ICD_VENDORS="$work/icd"
}

# The report: the device, the check table, the figures with the ratio Cortado/PyTorch, the notes.
report() {
  local row label result tests seconds note model kind batch n keys key unit cortado_value peer ratio
  echo "Cortado GPU check, $(date '+%Y-%m-%d %H:%M'), $(uname -n), $SECONDS s"
  if [ -z "$cuda_reason" ]; then
    grep -E '^cuda:0 ' "$logs/devices.txt" | awk '{ $NF = ""; print "device: " $0 }'
    awk '/^cuda:0:$/ { on = 1; next } on && /^$/ { exit } on { print }' "$logs/devices.txt"
  else
    echo "cuda:0 unavailable: $cuda_reason"
  fi
  [ -z "$opencl_reason" ] || echo "opencl:0 not used: $opencl_reason"
  echo
  printf '%-36s %-8s %-21s %6s  %s\n' "check" "result" "passed/failed/skipped" "time" "note"
  for row in "${rows[@]}"; do
    IFS='|' read -r label result tests seconds note <<< "$row"
    printf '%-36s %-8s %-21s %5ss  %s\n' "$label" "$result" "$tests" "$seconds" "$note"
  done
  echo
  printf '%-28s %15s %15s %16s %15s %15s\n' "figure" "cortado cuda:0" "pytorch cuda" "cortado/pytorch" \
    "cortado opencl" "cortado cpu"
  keys=()
  for model in "${MODELS[@]}"; do
    for kind in train inference; do
      for batch in "${BATCH_SIZES[@]}"; do
        keys+=("$model $kind $batch")
      done
    done
  done
  for n in "${GEMM_SIZES[@]}"; do
    keys+=("sgemm $n")
  done
  for key in "${keys[@]}"; do
    cortado_value="${figure["cuda:0|$key"]:-}"
    peer="${figure["pytorch|$key"]:-}"
    ratio="-"
    [ -z "$cortado_value" ] || [ -z "$peer" ] \
      || ratio="$(awk -v a="$cortado_value" -v b="$peer" 'BEGIN { printf "%.2f", a / b }')"
    case "$key" in
      sgemm*) unit="GFLOP/s" ;;
      *) unit="img/s" ;;
    esac
    printf '%-28s %15s %15s %16s %15s %15s\n' "$key $unit" "${cortado_value:--}" "${peer:--}" "$ratio" \
      "${figure["opencl:0|$key"]:--}" "${figure["cpu|$key"]:--}"
  done
  if [ ${#notes[@]} -gt 0 ]; then
    echo
    printf '%s\n' "${notes[@]}"
  fi
}

echo "gpu-check: jars from $lib, Java $java_major from $java_home, results in $out"
opencl_reason=""
setup_opencl
"${cortado[@]}" devices > "$logs/devices.txt" 2> "$logs/devices.err" \
  || die "cortado devices failed: $(last_line "$logs/devices.err")"
cuda_reason="$(unavailable cuda:0)"
opencl_reason="${opencl_reason:-$(unavailable opencl:0)}"

cuda=dev.cortado.cuda
run_suite "conformance"                 150 $cuda.CudaConformanceTest
run_suite "conformance, bundled PTX"    120 $cuda.CudaPtxConformanceTest
run_suite "GEMM on the tiled kernel"    60  $cuda.CudaTiledGemmTest
run_suite "gradient checks"             90  $cuda.CudaGradientCheckTest
run_suite "layers and golden values"    60  $cuda.CudaLayerTest $cuda.CudaGoldenTest
run_suite "lifecycle"                   60  $cuda.CudaLifecycleTest
run_suite "fit, save, load, 8 threads"  90  $cuda.CudaModelTest
run_suite "CPU/CUDA parity"             90  $cuda.CudaParityTest
measure cuda:0 "$cuda_reason"
pytorch
if [ -n "$opencl_reason" ]; then
  record "CPU/OpenCL parity" SKIPPED - 0 "${opencl_reason%%: *}"
else
  run_suite "CPU/OpenCL parity" 90 dev.cortado.opencl.OpenClParityTest
fi
measure opencl:0 "$opencl_reason"
measure cpu "$(unavailable cpu)"

tar -czf "$out/gpu-check-logs.tar.gz" -C "$work" logs || die "cannot write $out/gpu-check-logs.tar.gz"
echo
report | tee "$out/gpu-check.txt"
echo
if [ "$overall" -ne 0 ]; then
  echo "gpu-check: FAILED (tables in $out/gpu-check.txt, logs in $out/gpu-check-logs.tar.gz)"
  exit 1
elif [ -n "$cuda_reason" ]; then
  echo "gpu-check: cuda:0 is unavailable here, so nothing ran on a GPU (tables in $out/gpu-check.txt)"
  exit 2
fi
echo "gpu-check: every check passed on cuda:0 (tables in $out/gpu-check.txt)"
