#!/bin/bash
# kafka-transactions.sh, as in the Kafka distribution: runs org.apache.kafka.tools.TransactionsCommand.
exec /opt/kafka/bin/kafka-run-class.sh org.apache.kafka.tools.TransactionsCommand "$@"
