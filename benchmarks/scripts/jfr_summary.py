#!/usr/bin/env python3
"""Where a JFR recording of Cortado's CPU backend spends its samples: the text of
`jfr print --stack-depth 64 --events jdk.ExecutionSample` on stdin, three tables on stdout.

    jfr print --stack-depth 64 --events jdk.ExecutionSample run.jfr | benchmarks/scripts/jfr_summary.py [--top 25]

- by code path: the range a sample's thread was running inside Parallel, named by the method that holds its
  lambda (WideDirectConvolution.forward), so that the caller's and the worker's share of one op add up; samples
  outside any range by their innermost Cortado method (a sample may land on cheap code just after slow code:
  Shape.size after a cache miss, say);
- by kernel: the innermost Cortado method, with the Vector API's and the JDK's frames folded into the Cortado
  method that called them (a profile of raw frames gives a quarter of the samples to FloatVector.intoArray);
- waiting: samples in Parallel's hand-off, the worker between ranges and the caller at a range's end (while
  they spin: JFR's Java samples miss a thread inside Thread.yield or parked).

Record with -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints (benchmarks/scripts/profile-cpu.sh does):
without it C2's code reports the nearest safepoint's frame, and samples land on bounds checks and scalar tails.
"""
import argparse
import collections
import re
import sys

FRAME = re.compile(r"^\s+([\w$.]+)\.([\w$<>]+)\(")
TIME = re.compile(r"startTime = (\d+):(\d+):(\d+)\.(\d+)")
LAMBDA = re.compile(r"^lambda\$(.+)\$\d+$")
WAITING = {"Parallel$Worker.await": "the worker, between ranges",
           "Parallel$Team.tryRun": "the caller, at a range's end",
           "Parallel$Job.done": "the caller, at a range's end"}


def samples(lines):
    """(seconds since midnight, [(class, method), innermost first]) for each sample with a stack."""
    seconds, frames, in_stack = None, [], False
    for line in lines:
        if line.startswith("jdk.ExecutionSample"):
            seconds, frames, in_stack = None, [], False
        elif (m := TIME.search(line)) is not None:
            h, mi, s, frac = m.groups()
            seconds = int(h) * 3600 + int(mi) * 60 + int(s) + float("0." + frac)
        elif "stackTrace = [" in line:
            in_stack = True
        elif in_stack and line.strip() == "]":
            in_stack = False
            if frames:
                yield seconds, frames
        elif in_stack and (m := FRAME.match(line)) is not None:
            cls, method = m.groups()
            frames.append((cls, method))


def short(cls, method):
    """Class.method without the package, a lambda named by the method that holds it."""
    m = LAMBDA.match(method)
    return cls.rsplit(".", 1)[-1] + "." + (m.group(1) if m else method)


def is_cortado(cls):
    return cls.startswith("dev.cortado.")


def code_path(frames):
    """
    The method holding the range body the sample ran in (or, where that body calls a lambda of its caller's, as
    DirectConvolution.sumOverImages calls each weight gradient's, the innermost of those), else the innermost
    Cortado method.
    """
    for i, (cls, method) in enumerate(frames):
        if cls.endswith("Parallel$Job") and method == "work" and i > 0:
            body = i - 1
            while body > 0 and is_cortado(frames[body - 1][0]) and frames[body - 1][1].startswith("lambda$"):
                body -= 1
            return short(*frames[body])
    return kernel(frames)


def kernel(frames):
    """The innermost Cortado frame, the Vector API's and the JDK's folded into it."""
    for cls, method in frames:
        if is_cortado(cls):
            return short(cls, method)
    return short(*frames[0])


def table(title, counts, total, top):
    print(f"{title}")
    for name, n in counts.most_common(top):
        print(f"  {100.0 * n / total:5.1f}%  {name}")
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top", type=int, default=25, help="rows per table (default 25)")
    parser.add_argument("--skip-seconds", type=float, default=5.0,
                        help="leave out the recording's first seconds: start-up and the JIT's warm-up (default 5)")
    args = parser.parse_args()
    recorded = list(samples(sys.stdin))
    # jfr prints each thread's buffers in turn, not in time order; a run may pass midnight
    reference = next((seconds for seconds, _ in recorded if seconds is not None), 0.0)
    since = [None if seconds is None else (seconds - reference + 43200) % 86400 - 43200 for seconds, _ in recorded]
    start = min((t for t in since if t is not None), default=0.0)
    paths, kernels, waiting = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    for t, (_, frames) in zip(since, recorded):
        if t is not None and t - start < args.skip_seconds:
            continue
        total += 1
        k = kernel(frames)
        if k in WAITING:
            waiting[WAITING[k]] += 1
            continue
        paths[code_path(frames)] += 1
        kernels[k] += 1
    if total == 0:
        sys.exit("jfr_summary.py: no execution samples after the first %g s" % args.skip_seconds)
    print(f"{total} samples after the first {args.skip_seconds:g} s\n")
    table("by code path (the method holding the range, else the innermost Cortado method)", paths, total, args.top)
    table("by kernel (innermost Cortado method, the Vector API folded in)", kernels, total, args.top)
    table("waiting in Parallel's hand-off", waiting, total, args.top)


if __name__ == "__main__":
    main()
