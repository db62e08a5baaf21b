#!/bin/bash
# kafka-storage.sh, as in the Kafka distribution: runs kafka.tools.StorageTool.
exec /opt/kafka/bin/kafka-run-class.sh kafka.tools.StorageTool "$@"
