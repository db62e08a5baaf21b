# A glibc base with a Java 17 runtime from Debian's packages, built on this machine (no registry):
# FROM the Debian bookworm image that build-local-images.sh makes with debootstrap.
#   The labeler, Connect, registry and broker images take it as RUNTIME_IMAGE.
ARG BASE_IMAGE=kvl-local/debian:bookworm
FROM ${BASE_IMAGE}
ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless curl ca-certificates procps \
 && rm -rf /var/lib/apt/lists/* \
 && java -version
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
