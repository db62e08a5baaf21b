#!/bin/bash
# kafka-broker-api-versions.sh, as in the Kafka distribution: runs org.apache.kafka.tools.BrokerApiVersionsCommand.
exec /opt/kafka/bin/kafka-run-class.sh org.apache.kafka.tools.BrokerApiVersionsCommand "$@"
