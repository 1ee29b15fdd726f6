#!/usr/bin/env python3
"""Reads the raw outputs compare-with-pytorch.sh leaves in its work directory and prints its table, or answers the
script's one question on the way (which PyTorch thread setting was best for a model in a round).

    compare_table.py best-setting WORK ROUND MODEL    -> "TORCH_THREADS OPENBLAS_THREADS"
    compare_table.py table WORK ROUNDS

Files, per round r: r{r}-cortado-bench-{model}.json (cortado bench --json), r{r}-pytorch-bench-{t}-{b}.jsonl
(pytorch_training_throughput.py with t torch and b OpenBLAS threads), r{r}-{cortado,pytorch}-epochs-{model}.jsonl
(metrics.jsonl of cortado train, pytorch_train_epochs.py), r{r}-{cortado,pytorch}-rss-{model} (/usr/bin/time -f %M,
KiB), r{r}-cortado-sgemm.jsonl (SgemmRate), r{r}-pytorch-sgemm-{t}-{b}.jsonl (pytorch_sgemm.py).
"""
import glob
import json
import os
import re
import statistics
import sys


def json_lines(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def pytorch_bench(work, rnd):
    """{model: [(images/s, inference images/s, torch threads, OpenBLAS threads), ...]} of a round's settings."""
    settings = {}
    for path in glob.glob(os.path.join(work, "r%d-pytorch-bench-*.jsonl" % rnd)):
        for row in json_lines(path):
            settings.setdefault(row["model"], []).append(
                (row["images_per_s"], row["inference_images_per_s"], row["threads"], row["openblas_threads"]))
    return settings


def best_setting(work, rnd, model):
    best = max(pytorch_bench(work, rnd)[model])
    return "%s %s" % (best[2], best[3])


def rounds_of(work, rounds, measure):
    """The per-round (cortado, pytorch) pairs of a measure, skipping rounds where a file is missing."""
    pairs = []
    for rnd in range(1, rounds + 1):
        try:
            pairs.append(measure(rnd))
        except (OSError, KeyError, IndexError, ValueError):
            pass
    return pairs


def table(work, rounds):
    bench = {}
    for rnd in range(1, rounds + 1):
        for path in glob.glob(os.path.join(work, "r%d-cortado-bench-*.json" % rnd)):
            for r in json.load(open(path))["results"]:
                bench.setdefault(rnd, {})[r["model"]] = r
    models = sorted({m for b in bench.values() for m in b}, key=lambda m: (m != "lenet5", m))
    rows = []  # (workload, unit, pairs, lower is better)

    def epoch2(path):
        return [r for r in json_lines(path) if r.get("type", "epoch") == "epoch" and r["epoch"] == 2][0]

    def rss_mib(path):
        with open(path) as f:
            return int(re.findall(r"\d+", f.read())[-1]) / 1024

    for model in models:
        rows.append(("%s training, synthetic batches of 64" % model, "images/s", rounds_of(work, rounds, lambda r: (
            bench[r][model]["train_images_per_second"], max(pytorch_bench(work, r)[model])[0])), False))
        epochs = rounds_of(work, rounds, lambda r: (
            epoch2(os.path.join(work, "r%d-cortado-epochs-%s.jsonl" % (r, model)))["images_per_second"],
            epoch2(os.path.join(work, "r%d-pytorch-epochs-%s.jsonl" % (r, model)))))
        batch = epochs[0][1].get("batch", 64) if epochs else 64
        rows.append(("%s training, epoch 2 of the real data, batch %d" % (model, batch), "images/s",
                     [(ours, theirs["images_per_s"]) for ours, theirs in epochs], False))
        rows.append(("%s inference, batches of 64" % model, "images/s", rounds_of(work, rounds, lambda r: (
            bench[r][model]["inference_images_per_second"],
            max(s[1] for s in pytorch_bench(work, r)[model]))), False))
        rows.append(("%s peak RSS, train --epochs 2 process" % model, "MiB", rounds_of(work, rounds, lambda r: (
            rss_mib(os.path.join(work, "r%d-cortado-rss-%s" % (r, model))),
            rss_mib(os.path.join(work, "r%d-pytorch-rss-%s" % (r, model))))), True))

    def sgemm(rnd, n):
        ours = [r["gflops"] for r in json_lines(os.path.join(work, "r%d-cortado-sgemm.jsonl" % rnd)) if r["n"] == n]
        theirs = [r["gflops"] for path in glob.glob(os.path.join(work, "r%d-pytorch-sgemm-*.jsonl" % rnd))
                  for r in json_lines(path) if r["n"] == n]
        return ours[0], max(theirs)

    for n in (256, 512, 1024):
        rows.append(("SGEMM n = %d (PyTorch: OpenBLAS)" % n, "GFLOP/s",
                     rounds_of(work, rounds, lambda r, n=n: sgemm(r, n)), False))

    print()
    print("%-54s %-9s %10s %10s %7s   %s" % ("workload", "unit", "cortado", "pytorch", "ratio", "ratio per round"))
    for name, unit, pairs, lower in rows:
        if not pairs:
            continue
        ratios = [a / b for a, b in pairs]
        print("%-54s %-9s %10.0f %10.0f %7.2f   %s%s" % (
            name, unit, statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs),
            statistics.median(ratios), " ".join("%.2f" % x for x in ratios), "  (lower is better)" if lower else ""))
    print()
    print("medians over %d rounds; ratio = median of the rounds' Cortado / PyTorch; PyTorch's thread setting "
          "(torch / OpenBLAS) per round and model: %s" % (rounds, ", ".join(
              "r%d %s %s" % (r, m, best_setting(work, r, m).replace(" ", "/")) for r in bench for m in models)))


def main(argv):
    if len(argv) == 5 and argv[1] == "best-setting":
        print(best_setting(argv[2], int(argv[3]), argv[4]))
    elif len(argv) == 4 and argv[1] == "table":
        table(argv[2], int(argv[3]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
