#!/bin/bash
# Runs a Java class of the Kafka distribution (the jars in /opt/kafka/libs), like Kafka's own
# kafka-run-class.sh: KAFKA_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS, KAFKA_OPTS and KAFKA_LOG4J_OPTS
# are honoured. Tools log warnings to stderr; servers (KAFKA_LOG4J_OPTS set by their launcher) log
# to stdout.
set -euo pipefail
base=/opt/kafka
log4j="${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=$base/config/tools-log4j2.properties}"
# shellcheck disable=SC2086
exec java ${KAFKA_HEAP_OPTS:-} ${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true} \
  ${KAFKA_OPTS:-} $log4j -cp "$base/libs/*" "$@"
