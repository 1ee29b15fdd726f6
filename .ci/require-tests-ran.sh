#!/usr/bin/env bash
# Usage: require-tests-ran.sh WHAT REPORT-GLOB...
# Fails unless every matching JUnit XML report ran tests and skipped none. Tests that need a Docker engine, an
# OpenCL platform, nvcc, the Fashion-MNIST data or root rights skip (JUnit assumptions) where those are missing,
# which is right on a developer's machine and wrong in CI, where .ci/run installs them all and runs as root.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
what=$1
shift
reports=()
for pattern in "$@"; do
  reports+=($pattern)
done
if [ ${#reports[@]} -eq 0 ]; then
  echo "ci: no reports for $what ($*): the tests did not run" >&2
  exit 1
fi
status=0
for report in "${reports[@]}"; do
  # The <testsuite> element's attributes: tests="N" skipped="N" ...
  suite=$(grep -m1 -o '<testsuite [^>]*>' "$report")
  tests=$(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<<"$suite")
  skipped=$(sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' <<<"$suite")
  name=$(basename "$report" .xml)
  if [ "${tests:-0}" -eq 0 ] || [ "${skipped:-0}" -ne 0 ]; then
    echo "ci: ${name#TEST-}: ${tests:-0} tests, ${skipped:-0} skipped: the $what must run here" >&2
    grep -o 'Assumption failed: [^]]*' "$report" | sort -u >&2 || true
    status=1
  fi
done
[ $status -eq 0 ] && echo "ci: $what: ${#reports[@]} test classes ran, none skipped"
exit $status
