#!/bin/bash
# kafka-console-consumer.sh, as in the Kafka distribution: runs org.apache.kafka.tools.consumer.ConsoleConsumer.
exec /opt/kafka/bin/kafka-run-class.sh org.apache.kafka.tools.consumer.ConsoleConsumer "$@"
