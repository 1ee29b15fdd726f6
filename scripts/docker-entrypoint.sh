#!/bin/sh
# The job image's entrypoint: the JVM options of the ./cortado launcher, then the CLI with the container's command
# (the image's CMD, or what `docker run IMAGE ...` gives). exec makes java PID 1, so docker stop's SIGTERM reaches
# the CLI's shutdown hook directly.
set -eu
# Transparent huge pages where the host's kernel offers them to a process that asks, as the launcher does (see its
# comment); where it has none the JVM would warn, so the flag is left out.
huge_pages=""
if grep -qE '\[(always|madvise)\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
  huge_pages="-XX:+UseTransparentHugePages"
fi
# The heap flags keep the heap near what the run holds live (the serial collector, a small young generation) and
# let it grow to three quarters of the container's memory.
# shellcheck disable=SC2086 # an empty $huge_pages must vanish, not become an empty argument
exec java --add-modules jdk.incubator.vector -XX:+UseSerialGC -Xms32m -Xmn16m -XX:MinHeapFreeRatio=10 \
  -XX:MaxHeapFreeRatio=20 -XX:MaxRAMPercentage=75 $huge_pages -Djava.io.tmpdir=/var/tmp/cortado \
  -jar /opt/cortado/cortado.jar "$@"
