#!/bin/bash
# Runs OpenStack Placement (Debian's python3-placement, 8.0.0 on bookworm) under uWSGI on 127.0.0.1, as a deployment
# would (2 worker processes, request log on), so `placement-server claims --endpoint` can run the same claim race
# against it on the same machine. Needs: apt-get install -y python3-placement python3-psycopg2 uwsgi-core
# uwsgi-plugin-python3.
#
# usage: bench/openstack-placement.sh DATABASE-URL [PORT]     (PORT defaults to 8778; Ctrl-C stops it)
#   e.g. bench/openstack-placement.sh postgresql+psycopg2://postgres@127.0.0.1:5432/placement
#        (an empty database, created first: psql -c 'CREATE DATABASE placement')
set -euo pipefail
if [ $# -lt 1 ]; then
  sed -n '2,9p' "$0" >&2
  exit 2
fi
for tool in placement-manage uwsgi; do
  command -v $tool >/dev/null || { echo "$tool not found: apt-get install -y python3-placement python3-psycopg2 uwsgi-core uwsgi-plugin-python3" >&2; exit 2; }
done

config=$(mktemp -d -t openstack-placement.XXXXXX)
trap 'rm -rf "$config"' EXIT
cat > "$config/placement.conf" <<CONF
[api]
auth_strategy = noauth2
[placement_database]
connection = $1
CONF
# the schema first, once: two workers syncing it at start race each other
placement-manage --config-file "$config/placement.conf" db sync
OS_PLACEMENT_CONFIG_DIR=$config uwsgi --plugins python3 --http11-socket "127.0.0.1:${2:-8778}" \
  --wsgi-file /usr/bin/placement-api --processes 2 --threads 1 --master --lazy-apps --die-on-term
