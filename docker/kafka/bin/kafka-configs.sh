#!/bin/bash
# kafka-configs.sh, as in the Kafka distribution: runs kafka.admin.ConfigCommand.
exec /opt/kafka/bin/kafka-run-class.sh kafka.admin.ConfigCommand "$@"
