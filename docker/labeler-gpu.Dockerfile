# The labeling application, GPU build: TensorFlow's CUDA natives (Maven profile -Pgpu:
# org.tensorflow:tensorflow-core-native:linux-x86_64-gpu), which need CUDA 12.3 and cuDNN 8.9.
#
#   docker build -f docker/labeler-gpu.Dockerfile -t kvl/labeler-gpu:0.1.0 .   (context: repo root)
#   docker run --gpus all kvl/labeler-gpu:0.1.0 ...          (needs the NVIDIA Container Toolkit)
#
# Base: NVIDIA's CUDA 12.3 runtime on Ubuntu 22.04 (glibc 2.35, which JavaCV's natives need too),
# cuDNN 8.9 from NVIDIA's apt repository (already configured in the base image), and the Temurin 17
# JRE copied from its official image. Unverified on a GPU: none exists where this was written.

ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17
ARG JRE_IMAGE=eclipse-temurin:17-jre-jammy
ARG CUDA_IMAGE=nvidia/cuda:12.3.2-runtime-ubuntu22.04

FROM ${MAVEN_IMAGE} AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -Pgpu -DskipTests -Dcheckstyle.skip -Dspotless.check.skip=true \
        clean package -pl cli -am \
 && mkdir -p /out/lib \
 && tr ':' '\n' < cli/target/classpath.txt | xargs -I{} cp {} /out/lib/ \
 && cp cli/target/kvl-cli-*.jar /out/lib/ \
 && ls /out/lib | grep -q 'tensorflow-core-native-.*-linux-x86_64-gpu\.jar'

FROM ${JRE_IMAGE} AS jre

FROM ${CUDA_IMAGE}
ARG CUDNN_VERSION=8.9.7.29-1+cuda12.2
RUN apt-get update \
 && apt-get install -y --no-install-recommends "libcudnn8=${CUDNN_VERSION}" curl ca-certificates \
 && apt-mark hold libcudnn8 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 kvl \
 && useradd --system --uid 10001 --gid kvl --home-dir /home/kvl --create-home kvl \
 && mkdir -p /etc/kvl /var/lib/kvl/streams /var/cache/kvl \
 && chown -R kvl:kvl /var/lib/kvl /var/cache/kvl
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH="${JAVA_HOME}/bin:${PATH}"
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
COPY --from=build /out/lib/ /opt/kvl/lib/
COPY docker/labeler/labeler.properties /etc/kvl/labeler.properties
# model.device=auto (the default) picks GPU 0 when TensorFlow sees one; set KVL_MODEL_DEVICE=gpu to
# fail at start instead of falling back to the CPU. Not KVL_*: every KVL_<KEY> is a config key.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=50 -Dkvl.cache.dir=/var/cache/kvl -Dorg.bytedeco.javacpp.cachedir=/var/cache/kvl/javacpp" \
    TF_CPP_MIN_LOG_LEVEL=1 \
    DJL_CACHE_DIR=/var/cache/kvl/djl \
    HOME=/home/kvl \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
USER 10001:10001
WORKDIR /home/kvl
EXPOSE 9400
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 \
  CMD curl -fsS http://localhost:9400/health | grep -Eq '"state":"(RUNNING|REBALANCING)"' || exit 1
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -cp '/opt/kvl/lib/*' io.kvl.cli.Kvl \"$@\"", "kvl"]
CMD ["run", "--config", "/etc/kvl/labeler.properties"]
