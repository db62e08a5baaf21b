# A JDK 17 and Maven from Debian's packages, built on this machine: the MAVEN_IMAGE of the build
# stages of docker/*.Dockerfile when no registry is reachable.
ARG BASE_IMAGE=kvl-local/debian:bookworm
FROM ${BASE_IMAGE}
ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && mvn -version
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
