# Apicurio Registry (Confluent-compatible API at /apis/ccompat/v7) for docker-compose.yml and
# deploy/registry, built from its Maven Central distribution (the Quarkus app RegistryIT runs),
# so no registry image has to be pulled.
#
#   docker build -f docker/schema-registry.Dockerfile -t kvl/schema-registry:3.0.9 .   (context: the repo root)
#
# Storage: in-memory by default (schemas are lost on restart, and ids are issued anew: records on
# the topics would then name unknown ids). docker-compose.yml and deploy/ set
# APICURIO_STORAGE_KIND=kafkasql (a journal topic on the Kafka cluster) so schemas survive.

ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre-jammy

FROM ${MAVEN_IMAGE} AS fetch
WORKDIR /build
COPY docker/schema-registry/pom.xml pom.xml
RUN mvn -B -ntp -q package \
 && test -f /opt/apicurio-registry/apicurio-registry-app-3.0.9-runner.jar

FROM ${RUNTIME_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 registry \
 && useradd --system --uid 10001 --gid registry --home-dir /opt/apicurio-registry registry
COPY --from=fetch /opt/apicurio-registry /opt/apicurio-registry
WORKDIR /opt/apicurio-registry
USER 10001:10001
ENV QUARKUS_HTTP_HOST=0.0.0.0 \
    QUARKUS_HTTP_PORT=8080 \
    JAVA_OPTS="-XX:MaxRAMPercentage=75"
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=6 \
  CMD curl -fsS http://localhost:8080/health/ready >/dev/null || exit 1
CMD ["sh", "-c", "exec java $JAVA_OPTS -jar /opt/apicurio-registry/apicurio-registry-app-3.0.9-runner.jar"]
