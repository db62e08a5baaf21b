#!/bin/bash
# kafka-console-producer.sh, as in the Kafka distribution: runs org.apache.kafka.tools.ConsoleProducer.
exec /opt/kafka/bin/kafka-run-class.sh org.apache.kafka.tools.ConsoleProducer "$@"
