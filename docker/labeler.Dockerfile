# The labeling application (Kafka Streams + EfficientNet on DJL's TensorFlow engine), CPU build.
#
#   docker build -f docker/labeler.Dockerfile -t kvl/labeler:0.1.0 .      (context: the repo root)
#
# The runtime base must have glibc: JavaCV's FFmpeg natives and TensorFlow's are glibc builds (no
# Alpine/musl). Ubuntu 22.04 "jammy" has glibc 2.35. The GPU build is labeler-gpu.Dockerfile.
# Works with the classic builder and BuildKit (no BuildKit-only syntax). With BuildKit,
# labeler.Dockerfile.dockerignore keeps target/ and .git out of the build context.

ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre-jammy

FROM ${MAVEN_IMAGE} AS build
WORKDIR /src
COPY . .
# The same build as bin/kvl. cli/target/classpath.txt is the exact runtime class path bin/kvl runs
# with (sibling modules as their jars); copy those files, nothing more.
RUN mvn -B -ntp -DskipTests -Dcheckstyle.skip -Dspotless.check.skip=true \
        clean package -pl cli -am \
 && mkdir -p /out/lib \
 && tr ':' '\n' < cli/target/classpath.txt | xargs -I{} cp {} /out/lib/ \
 && cp cli/target/kvl-cli-*.jar /out/lib/ \
 && test "$(ls /out/lib | wc -l)" -gt 10

FROM ${RUNTIME_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 kvl \
 && useradd --system --uid 10001 --gid kvl --home-dir /home/kvl --create-home kvl \
 && mkdir -p /etc/kvl /var/lib/kvl/streams /var/cache/kvl \
 && chown -R kvl:kvl /var/lib/kvl /var/cache/kvl
COPY --from=build /out/lib/ /opt/kvl/lib/
COPY docker/labeler/labeler.properties /etc/kvl/labeler.properties
# Natives (TensorFlow, FFmpeg) are extracted and the bundled model exported on first start, into
# /var/cache/kvl (mount a volume there to keep them across restarts). Kafka Streams state lives in
# /var/lib/kvl/streams (state.dir in labeler.properties).
# Not KVL_*: every KVL_<KEY> variable is read as a configuration key.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=50 -Dkvl.cache.dir=/var/cache/kvl -Dorg.bytedeco.javacpp.cachedir=/var/cache/kvl/javacpp" \
    TF_CPP_MIN_LOG_LEVEL=1 \
    DJL_CACHE_DIR=/var/cache/kvl/djl \
    HOME=/home/kvl
USER 10001:10001
WORKDIR /home/kvl
EXPOSE 9400
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 \
  CMD curl -fsS http://localhost:9400/health | grep -Eq '"state":"(RUNNING|REBALANCING)"' || exit 1
# Any kvl command works: docker run IMAGE classify /data/photo.jpg
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -cp '/opt/kvl/lib/*' io.kvl.cli.Kvl \"$@\"", "kvl"]
CMD ["run", "--config", "/etc/kvl/labeler.properties"]
