# Strimzi Kafka Connect image with the project's plugins, for deploy/connect/kafka-connect.yaml
# (spec.image). Strimzi's documented way to add plugins: its Kafka image plus /opt/kafka/plugins.
#
#   docker build -f docker/connect-strimzi.Dockerfile -t REGISTRY/kvl-connect-strimzi:0.1.0 .
#
# Keep STRIMZI_KAFKA_IMAGE in step with the operator and spec.version of the KafkaConnect
# (quay.io/strimzi/kafka:<strimzi version>-kafka-<kafka version>).
# Strimzi's images are Red Hat UBI 9 (glibc 2.34). The camera source's FFmpeg natives need
# GLIBC_2.29 and GLIBCXX_3.4.26 (read off the .so files of org.bytedeco:ffmpeg 7.1-1.5.11), so they
# load there; libstdc++ is installed in case the base lacks it.

ARG STRIMZI_KAFKA_IMAGE=quay.io/strimzi/kafka:1.2.0-kafka-4.3.1
ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17

FROM ${MAVEN_IMAGE} AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -DskipTests -Dcheckstyle.skip -Dspotless.check.skip=true \
        clean package -pl connectors -am \
 && test -n "$(ls connectors/target/plugin/kvl-connectors/lib/*.jar)" \
 && test -n "$(ls registry-converter-plugin/target/plugin/apicurio-registry-converter/lib/*.jar)"

FROM ${STRIMZI_KAFKA_IMAGE}
USER root:root
RUN (rpm -q libstdc++ >/dev/null 2>&1 || (microdnf install -y libstdc++ && microdnf clean all))
COPY --from=build /src/connectors/target/plugin/kvl-connectors/ /opt/kafka/plugins/kvl-connectors/
# Apicurio's Avro converter, for sinks of events in the Confluent wire format (its own plugin).
COPY --from=build /src/registry-converter-plugin/target/plugin/apicurio-registry-converter/ /opt/kafka/plugins/apicurio-registry-converter/
USER 1001
