#!/bin/sh
# A 3-node RabbitMQ 3.10 cluster with the MQTT plugin on loopback, for comparing it with the
# nats-server cluster (bench/cluster.ts --target). Not what uavmec runs on: see README.md here.
# Usage: deploy/cluster/rabbitmq-loopback.sh start DIR   (prints the broker list to use)
#        deploy/cluster/rabbitmq-loopback.sh stop DIR
set -eu
cmd=${1:-}; dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then echo "usage: $0 start|stop DIR" >&2; exit 2; fi
RMQ=/usr/lib/rabbitmq/bin
if [ "$cmd" = stop ]; then
  for i in 1 2 3; do [ -f "$dir/r$i/env" ] && (. "$dir/r$i/env"; "$RMQ/rabbitmqctl" -n "r$i@localhost" stop >/dev/null 2>&1 || true); done
  [ -f "$dir/epmd.port" ] && ERL_EPMD_PORT=$(cat "$dir/epmd.port") epmd -kill >/dev/null 2>&1 || true
  exit 0
fi
[ "$cmd" = start ] || { echo "unknown command '$cmd': start or stop" >&2; exit 2; }
[ -x "$RMQ/rabbitmq-server" ] || { echo "RabbitMQ is not installed (apt-get install rabbitmq-server)" >&2; exit 1; }
mkdir -p "$dir"
free() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
epmd=$(free); echo "$epmd" > "$dir/epmd.port"
urls=""
for i in 1 2 3; do
  d="$dir/r$i"; mkdir -p "$d"
  amqp=$(free); dist=$(free); mq=$(free)
  printf 'listeners.tcp.default = 127.0.0.1:%s\nmqtt.listeners.tcp.default = 127.0.0.1:%s\nmqtt.allow_anonymous = true\nloopback_users = none\n' "$amqp" "$mq" > "$d/rabbitmq.conf"
  echo '[rabbitmq_mqtt].' > "$d/enabled_plugins"
  printf 'uavmec-loopback-cookie' > "$d/.erlang.cookie"; chmod 400 "$d/.erlang.cookie"
  cat > "$d/env" <<ENV
export HOME=$d RABBITMQ_NODENAME=r$i@localhost RABBITMQ_NODE_PORT=$amqp RABBITMQ_DIST_PORT=$dist ERL_EPMD_PORT=$epmd
export RABBITMQ_MNESIA_BASE=$d/mnesia RABBITMQ_LOG_BASE=$d/log RABBITMQ_CONFIG_FILE=$d/rabbitmq
export RABBITMQ_ENABLED_PLUGINS_FILE=$d/enabled_plugins RABBITMQ_PID_FILE=$d/pid
ENV
  (. "$d/env"; nohup "$RMQ/rabbitmq-server" > "$d/out.log" 2>&1 &)
  urls="$urls${urls:+,}mqtt://127.0.0.1:$mq"
done
for i in 1 2 3; do (. "$dir/r$i/env"; "$RMQ/rabbitmqctl" -n "r$i@localhost" await_startup >/dev/null); done
for i in 2 3; do
  (. "$dir/r$i/env"; "$RMQ/rabbitmqctl" -n "r$i@localhost" stop_app >/dev/null && "$RMQ/rabbitmqctl" -n "r$i@localhost" join_cluster r1@localhost >/dev/null && "$RMQ/rabbitmqctl" -n "r$i@localhost" start_app >/dev/null)
done
echo "$urls"
