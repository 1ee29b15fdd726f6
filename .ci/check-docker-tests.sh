#!/usr/bin/env bash
# Fails unless the Docker job tests ran: they skip (JUnit assumptions) where no engine or base image is found,
# which is right on a developer's machine and wrong in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
reports=(integration-tests/target/failsafe-reports/TEST-dev.cortado.it.docker.*.xml)
if [ ${#reports[@]} -eq 0 ]; then
  echo "ci: no Docker job test reports in integration-tests/target/failsafe-reports: the tests did not run" >&2
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
    echo "ci: ${name#TEST-}: ${tests:-0} tests, ${skipped:-0} skipped: the Docker job tests must run here" >&2
    grep -o 'Assumption failed: [^]]*' "$report" | sort -u >&2 || true
    status=1
  else
    echo "ci: ${name#TEST-}: $tests tests ran, none skipped"
  fi
done
exit $status
