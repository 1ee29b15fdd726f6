#!/usr/bin/env bash
# Side-by-side training throughput: Cortado's CPU fallback (cortado bench) and PyTorch 1.13's CPU path
# (pytorch_training_throughput.py), the same models and batch size, one after the other in the same run, on the
# same machine. Prints both figures and the ratio Cortado / PyTorch per model. Run nothing else meanwhile.
#
#   benchmarks/scripts/compare-with-pytorch.sh [--device cpu] [--threads 2]
#
# Runs the CLI through ./cortado (which builds the jar when needed); needs Debian's python3-torch with
# libopenblas0-pthread.
set -euo pipefail
cd "$(dirname "$0")/../.."
device=cpu
threads=2
while [ $# -gt 0 ]; do
  case "$1" in
    --device) device=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    *) echo "usage: $0 [--device D] [--threads N]" >&2; exit 2 ;;
  esac
done
# ./cortado builds the jar when needed and preloads libjsig; of its stderr only the JVM's one line about the
# incubator module is dropped (build messages and errors still show).
ours=$(./cortado bench --json --device "$device" --batches 60 --repeats 5 \
  2> >(grep -v '^WARNING: Using incubator modules' >&2))
# PyTorch's own threads and OpenBLAS's threads oversubscribe 2 cores and collapse when anything else runs, so it
# is measured in three thread settings and its best figure per model is the peer (all are printed).
theirs=""
for setting in "$threads 1" "1 $threads" "1 1"; do
  set -- $setting
  theirs+=$(OPENBLAS_NUM_THREADS=$2 /usr/bin/python3 benchmarks/scripts/pytorch_training_throughput.py \
    --threads "$1")$'\n'
done
/usr/bin/python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours = {r["model"]: r for r in json.loads(sys.argv[1])["results"]}
theirs = {}
for line in sys.argv[2].splitlines():
    if not line.strip():
        continue
    row = json.loads(line)
    print("pytorch %-7s torch threads %s, OpenBLAS threads %s: %6d images/s" % (
        row["model"], row["threads"], row["openblas_threads"], row["images_per_s"]))
    if row["model"] not in theirs or row["images_per_s"] > theirs[row["model"]]["images_per_s"]:
        theirs[row["model"]] = row
print()
print("%-8s %22s %22s %8s" % ("model", "cortado train img/s", "pytorch best img/s", "ratio"))
for model in ("lenet5", "mlp"):
    a = ours[model]["train_images_per_second"]
    b = theirs[model]["images_per_s"]
    print("%-8s %22.0f %22.0f %8.2f" % (model, a, b, a / b))
PY
