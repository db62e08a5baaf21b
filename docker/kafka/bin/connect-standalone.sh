#!/bin/bash
# connect-standalone.sh, as in the Kafka distribution: runs org.apache.kafka.connect.cli.ConnectStandalone.
export KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256M -Xmx2G}"
export KAFKA_LOG4J_OPTS="${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties}"
exec /opt/kafka/bin/kafka-run-class.sh org.apache.kafka.connect.cli.ConnectStandalone "$@"
