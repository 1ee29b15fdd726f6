# The Cortado job image: one image for CUDA, OpenCL and CPU hosts.
#
#   mvn -B -pl cli -am package -DskipTests       # builds cli/target/cortado.jar
#   docker build -t cortado .
#   docker run --rm -v "$PWD/data:/data:ro" -v "$PWD/out:/out" cortado                  # the CPU
#   docker run --rm --gpus all -v "$PWD/data:/data:ro" -v "$PWD/out:/out" cortado       # an NVIDIA GPU
#
# The default base is NVIDIA's public CUDA 12 runtime (cuBLAS and NVRTC included); the driver itself
# (libcuda.so.1, libnvidia-opencl.so.1) is mounted by the NVIDIA container toolkit at run time. CI builds the same
# file on a local Debian base that already carries a JRE, PoCL and the ICD loader (.ci/build-base-image.sh).
ARG BASE_IMAGE=nvidia/cuda:12.6.3-runtime-ubuntu22.04
FROM ${BASE_IMAGE}

# Install only what the base lacks, so a base with everything preinstalled builds without a network (man1 must
# exist for the JRE's postinst on slim bases that drop man pages).
# The vendor file lets the OpenCL ICD loader find NVIDIA's OpenCL driver; where that library is absent the
# loader skips it and the other platforms (or none) remain. JCuda unpacks its native libraries into
# java.io.tmpdir: a directory of its own, writable by any user (also one started with docker run --user) and not on
# a noexec /tmp mount.
RUN set -eu; \
    missing=""; \
    for pkg in openjdk-17-jre-headless ocl-icd-libopencl1; do \
      dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $pkg"; \
    done; \
    if [ -n "$missing" ]; then \
      mkdir -p /usr/share/man/man1; \
      apt-get update; \
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing; \
      rm -rf /var/lib/apt/lists/*; \
    fi; \
    mkdir -p /etc/OpenCL/vendors; \
    [ -e /etc/OpenCL/vendors/nvidia.icd ] || echo libnvidia-opencl.so.1 > /etc/OpenCL/vendors/nvidia.icd; \
    useradd --uid 10001 --user-group --create-home --home-dir /home/cortado --shell /usr/sbin/nologin cortado; \
    mkdir -p /var/tmp/cortado /out /opt/cortado; \
    ln -s "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/libjsig.so" /opt/cortado/libjsig.so; \
    [ -f /opt/cortado/libjsig.so ]; \
    chmod 1777 /var/tmp/cortado; \
    chown cortado:cortado /out

# LD_PRELOAD: the JVM's signal-chaining library, so an OpenCL driver (PoCL, through LLVM) cannot replace the JVM's
# SIGSEGV handler, which it needs for safepoints (see the README, "OpenCL drivers and the JVM's signals").
ENV NVIDIA_VISIBLE_DEVICES=all \
    LD_PRELOAD=/opt/cortado/libjsig.so \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    LANG=C.UTF-8

COPY cli/target/cortado.jar /opt/cortado/cortado.jar
COPY scripts/docker-entrypoint.sh /opt/cortado/entrypoint.sh

USER cortado
WORKDIR /home/cortado

# The entrypoint script starts java with the ./cortado launcher's JVM options (huge pages where the host's kernel
# offers them) and execs it, so java runs as PID 1 and docker stop's SIGTERM reaches the CLI's shutdown hook
# directly. sh runs it, so its file mode does not matter.
ENTRYPOINT ["/bin/sh", "/opt/cortado/entrypoint.sh"]
# A restarted job (docker start, a Kubernetes Job's next pod) runs the same command: --auto-resume continues the
# run in /out if there is one.
CMD ["train", "--data", "/data", "--out", "/out", "--auto-resume"]
