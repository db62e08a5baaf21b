#!/bin/bash
# kafka-metadata-quorum.sh, as in the Kafka distribution: runs org.apache.kafka.tools.MetadataQuorumCommand.
exec /opt/kafka/bin/kafka-run-class.sh org.apache.kafka.tools.MetadataQuorumCommand "$@"
