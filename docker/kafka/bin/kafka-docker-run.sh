#!/bin/bash
# Entry point of docker/kafka.Dockerfile, with the environment contract of the official
# apache/kafka image: every KAFKA_<NAME> variable sets a broker property (name lower-cased, "_"
# becomes ".", "__" becomes "_", "___" becomes "-"), CLUSTER_ID formats the storage on first start,
# and with no KAFKA_* property at all a single combined broker/controller starts from the defaults.
set -euo pipefail
config=/opt/kafka/config/server.properties
mkdir -p "$(dirname "$config")"

# The launcher's own variables are not broker properties.
skip='^KAFKA_(VERSION|HEAP_OPTS|OPTS|JMX_OPTS|JVM_PERFORMANCE_OPTS|GC_LOG_OPTS|LOG4J_OPTS|LOG4J_ROOT_LOGLEVEL|LOG4J_LOGGERS|TOOLS_LOG4J_LOGLEVEL)$'
props=""
while IFS='=' read -r name value; do
  [[ "$name" =~ ^KAFKA_ ]] || continue
  [[ "$name" =~ $skip ]] && continue
  key="${name#KAFKA_}"
  key="$(printf '%s' "$key" | tr '[:upper:]' '[:lower:]' | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g')"
  props+="$key=$value"$'\n'
done < <(env)

if [ -z "$props" ]; then
  props=$(cat <<'DEFAULTS'
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:9093
listeners=PLAINTEXT://:9092,CONTROLLER://:9093
advertised.listeners=PLAINTEXT://localhost:9092
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
DEFAULTS
)
fi
if ! grep -q '^log.dirs=' <<<"$props"; then
  props+=$'\n'"log.dirs=/tmp/kraft-combined-logs"
fi
printf '%s\n' "$props" > "$config"

logdirs="$(sed -n 's/^log.dirs=//p' "$config")"
first="${logdirs%%,*}"
if [ ! -f "$first/meta.properties" ]; then
  /opt/kafka/bin/kafka-storage.sh format --config "$config" \
    --cluster-id "${CLUSTER_ID:-$(/opt/kafka/bin/kafka-storage.sh random-uuid)}" --ignore-formatted
fi
exec /opt/kafka/bin/kafka-server-start.sh "$config"
