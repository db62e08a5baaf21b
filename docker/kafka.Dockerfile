# A Kafka broker (KRaft) image built from Maven Central's Kafka jars, for machines that cannot pull
# the official apache/kafka image. It keeps that image's contract, so docker-compose.yml runs with
# it unchanged (KAFKA_IMAGE=kvl-local/kafka:4.3.1): /opt/kafka/bin/*.sh, /opt/kafka/libs, the
# KAFKA_* environment variables as broker properties, CLUSTER_ID, /var/lib/kafka/data.
#
#   docker build -f docker/kafka.Dockerfile -t kvl-local/kafka:4.3.1 \
#       --build-arg MAVEN_IMAGE=... --build-arg RUNTIME_IMAGE=... .   (context: the repo root)
#
# The bin/ scripts are thin launchers of the same main classes as the distribution's.

ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre-jammy

FROM ${MAVEN_IMAGE} AS fetch
WORKDIR /build
COPY docker/kafka/pom.xml pom.xml
RUN mvn -B -ntp -q package \
 && test -n "$(ls /opt/kafka/libs/kafka_2.13-*.jar)"

FROM ${RUNTIME_IMAGE}
RUN (getent group appuser || groupadd --system --gid 1000 appuser) \
 && (id appuser || useradd --system --uid 1000 --gid appuser --home-dir /home/appuser --create-home appuser) \
 && mkdir -p /var/lib/kafka/data /opt/kafka/config /opt/kafka/logs /tmp/kraft-combined-logs \
 && chown -R appuser:appuser /var/lib/kafka /opt/kafka/config /opt/kafka/logs /tmp/kraft-combined-logs
COPY --from=fetch /opt/kafka/libs/ /opt/kafka/libs/
COPY docker/kafka/bin/ /opt/kafka/bin/
COPY --chown=appuser:appuser docker/kafka/config/ /opt/kafka/config/
ENV PATH=/opt/kafka/bin:$PATH \
    LOG_DIR=/opt/kafka/logs
USER appuser
WORKDIR /opt/kafka
EXPOSE 9092
CMD ["/opt/kafka/bin/kafka-docker-run.sh"]
