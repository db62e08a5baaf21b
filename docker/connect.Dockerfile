# Kafka Connect worker with the project's plugins (camera source, Avro event converter, alert
# webhook sink), for docker-compose.yml.
#
#   docker build -f docker/connect.Dockerfile -t kvl/connect:0.1.0 .       (context: the repo root)
#
# The Kafka distribution comes from the official apache/kafka image, but that image is Alpine
# (musl): the camera source's FFmpeg natives (JavaCV) are glibc builds. So the worker runs on
# Temurin's Ubuntu 22.04 JRE (glibc 2.35) with /opt/kafka copied from the official image.
# (Kubernetes: deploy/ uses Strimzi's image instead, see connect-strimzi.Dockerfile.)

ARG KAFKA_IMAGE=apache/kafka:4.3.1
ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre-jammy

FROM ${MAVEN_IMAGE} AS build
WORKDIR /src
COPY . .
# The connectors module assembles its plugin directory (its jars and their dependencies, without
# what the worker provides) at connectors/target/plugin/kvl-connectors/.
RUN mvn -B -ntp -DskipTests -Dcheckstyle.skip -Dspotless.check.skip=true \
        clean package -pl connectors -am \
 && test -n "$(ls connectors/target/plugin/kvl-connectors/lib/*.jar)" \
 && test -n "$(ls registry-converter-plugin/target/plugin/apicurio-registry-converter/lib/*.jar)"

FROM ${KAFKA_IMAGE} AS kafka

FROM ${RUNTIME_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 kafka \
 && useradd --system --uid 10001 --gid kafka --home-dir /home/kafka --create-home kafka
COPY --from=kafka /opt/kafka /opt/kafka
COPY --from=build /src/connectors/target/plugin/kvl-connectors/ /opt/kafka/plugins/kvl-connectors/
# Apicurio's Avro converter, for sinks of events in the Confluent wire format (its own plugin).
COPY --from=build /src/registry-converter-plugin/target/plugin/apicurio-registry-converter/ /opt/kafka/plugins/apicurio-registry-converter/
COPY docker/connect/connect-distributed.properties /etc/kvl/connect-distributed.properties
RUN mkdir -p /opt/kafka/logs && chown -R kafka:kafka /opt/kafka/logs
ENV LOG_DIR=/opt/kafka/logs \
    HOME=/home/kafka
USER 10001:10001
EXPOSE 8083
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=6 \
  CMD curl -fsS http://localhost:8083/connector-plugins >/dev/null || exit 1
CMD ["/opt/kafka/bin/connect-distributed.sh", "/etc/kvl/connect-distributed.properties"]
