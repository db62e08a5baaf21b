#!/bin/bash
# kafka-consumer-groups.sh, as in the Kafka distribution: runs org.apache.kafka.tools.consumer.group.ConsumerGroupCommand.
exec /opt/kafka/bin/kafka-run-class.sh org.apache.kafka.tools.consumer.group.ConsumerGroupCommand "$@"
