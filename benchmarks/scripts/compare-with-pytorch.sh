#!/usr/bin/env bash
# Cortado's CPU fallback against PyTorch 1.13's CPU path (Debian's python3-torch with OpenBLAS), measured in one
# run on one machine, the two alternating workload by workload, for several rounds; prints one table of medians
# over the rounds and the ratio Cortado / PyTorch (for peak RSS, lower is better). Each round measures:
#
#   synthetic batches  cortado bench --json against pytorch_training_throughput.py: training and inference
#                      images/s on the same 60 to 64 batches; Cortado first warms up for three times the steps
#                      PyTorch times per repeat (its --list-steps: about a second of work per model), two repeats
#                      at least, as its kernels reach full speed only once the JIT has compiled them (the MLP
#                      after about 600 batches); PyTorch in three thread settings (torch 2 / OpenBLAS 1, 1 / 2,
#                      1 / 1), its best one the peer, as its threads and OpenBLAS's oversubscribe 2 cores
#   real epochs        ./cortado train --epochs 2 on the real data against pytorch_train_epochs.py in the thread
#                      setting that was best on the synthetic batches this round: epoch 2's training images/s
#                      and the peak RSS of each whole process (/usr/bin/time -f %M)
#   SGEMM              benchmarks' SgemmRate against pytorch_sgemm.py (torch.mm, that is OpenBLAS), square
#                      n = 256, 512, 1024, GFLOP/s; PyTorch's best of torch 2 / OpenBLAS 1 and torch 1 / OpenBLAS 2
#
#   benchmarks/scripts/compare-with-pytorch.sh [--rounds 3] [--models lenet5,mlp] [--data DIR] [--no-epochs]
#                                              [--batch-size 64]
#
# --models takes any of the built-ins: lenet5, mlp, resnet8, resnet20 (the ResNets' real epochs with their recipe:
# lr 0.05, weight decay 5e-4, cosine decay, on both sides). --batch-size sets the real epochs' batch (the synthetic
# batches stay 64). Real epochs of the ResNets take minutes (ResNet-20's about four a process), so
# `--models resnet8,resnet20 --no-epochs` compares them on the synthetic batches only.
#
# Run nothing else meanwhile, and quote the load average it prints. Needs python3-torch, libopenblas0-pthread and
# /usr/bin/time; builds cli/target/cortado.jar (through ./cortado) and benchmarks/target/benchmarks.jar when
# they are missing. Cortado runs with the launcher's JVM options (CORTADO_JAVA_OPTS replaces them).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=3
models=lenet5,mlp
data=/usr/share/datasets/fashion-mnist
epochs=yes
batch=64
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --models) models=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --no-epochs) epochs=no; shift ;;
    --batch-size) batch=$2; shift 2 ;;
    *) echo "usage: $0 [--rounds N] [--models a,b] [--data DIR] [--no-epochs] [--batch-size N]" >&2; exit 2 ;;
  esac
done
python=/usr/bin/python3
scripts=benchmarks/scripts
# The JVM's one line about the incubator module is dropped from stderr; build messages and errors still show.
quiet_jvm() { grep -v '^WARNING: Using incubator modules' >&2 || true; }

./cortado --version > /dev/null 2> >(quiet_jvm)
if [ ! -f benchmarks/target/benchmarks.jar ]; then
  echo "building benchmarks/target/benchmarks.jar..." >&2
  mvn -B -q -DskipTests -pl benchmarks -am package >&2
fi
read -r -a java_opts <<< "${CORTADO_JAVA_OPTS:-}"
declare -A steps
while read -r model count; do
  steps[$model]=$count
done < <($python $scripts/pytorch_training_throughput.py --models "$models" --list-steps)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "$(date -u +%FT%TZ), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores," \
  "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$rounds"); do
  echo "round $round of $rounds: synthetic batches (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  for model in ${models//,/ }; do
    warmup=$(((3 * steps[$model] + 59) / 60))
    ./cortado bench --json --models "$model" --batches 60 --warmup $((warmup > 2 ? warmup : 2)) --repeats 5 \
      > "$work/r$round-cortado-bench-$model.json" 2> >(quiet_jvm)
  done
  for setting in "2 1" "1 2" "1 1"; do
    set -- $setting
    OPENBLAS_NUM_THREADS=$2 $python $scripts/pytorch_training_throughput.py --threads "$1" --models "$models" \
      > "$work/r$round-pytorch-bench-$1-$2.jsonl"
  done
  if [ "$epochs" = yes ]; then
    for model in ${models//,/ }; do
      echo "round $round of $rounds: real epochs of $model (load $(cut -d' ' -f1 /proc/loadavg))" >&2
      /usr/bin/time -o "$work/r$round-cortado-rss-$model" -f %M ./cortado train --model "$model" --epochs 2 \
        --batch-size "$batch" --data "$data" --out "$work/r$round-cortado-run-$model" > /dev/null 2> >(quiet_jvm)
      cp "$work/r$round-cortado-run-$model/metrics.jsonl" "$work/r$round-cortado-epochs-$model.jsonl"
      read -r torch_threads blas_threads <<< "$($python $scripts/compare_table.py best-setting "$work" "$round" \
        "$model")"
      OPENBLAS_NUM_THREADS=$blas_threads /usr/bin/time -o "$work/r$round-pytorch-rss-$model" -f %M \
        $python $scripts/pytorch_train_epochs.py --model "$model" --epochs 2 --data "$data" \
        --batch-size "$batch" --threads "$torch_threads" > "$work/r$round-pytorch-epochs-$model.jsonl"
    done
  fi
  echo "round $round of $rounds: SGEMM (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  java "${java_opts[@]}" --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
    dev.cortado.benchmarks.SgemmRate > "$work/r$round-cortado-sgemm.jsonl" 2> >(quiet_jvm)
  for setting in "2 1" "1 2"; do
    set -- $setting
    OPENBLAS_NUM_THREADS=$2 $python $scripts/pytorch_sgemm.py --threads "$1" \
      > "$work/r$round-pytorch-sgemm-$1-$2.jsonl"
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
$python $scripts/compare_table.py table "$work" "$rounds"
