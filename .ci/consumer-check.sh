#!/usr/bin/env bash
# A user's project against the installed artifacts: installs the reactor (tests skipped: verify ran them), then
# builds examples/consumer on its own (cortado-bom + cortado + the OpenCL backend), which compiles the README's
# example and runs it on the CPU and on opencl:0. MAVEN_REPO_LOCAL chooses another local repository.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=()
[ -z "${MAVEN_REPO_LOCAL:-}" ] || repo=(-Dmaven.repo.local="$MAVEN_REPO_LOCAL")
mvn -B -q "${repo[@]}" -DskipTests install
out=$(mvn -B "${repo[@]}" -f examples/consumer/pom.xml verify 2>&1) || { echo "$out" >&2; exit 1; }
runs=$(grep -c '^test accuracy ' <<<"$out" || true)
if [ "$runs" -ne 2 ]; then
  echo "$out" >&2
  echo "ci: the consumer project ran the README's example $runs times, expected 2 (cpu and opencl:0)" >&2
  exit 1
fi
grep -E '^(test accuracy|predicted) ' <<<"$out" | sed 's/^/consumer: /'
