# Sourced by .ci/run (and usable by hand: `source .ci/postgres.sh && postgres_start`): a private PostgreSQL
# cluster on 127.0.0.1 in a temp dir, for the tests that need PostgreSQL. postgres_start exports
# PCIPASSTHROUGH_TEST_POSTGRES (the tests create one database each through it); postgres_stop removes it all.

postgres_start() {
  if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  local bin port
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  PCIPT_PG_DIR="$(mktemp -d /tmp/pcipassthrough-pg.XXXXXX)"
  # initdb refuses root: as root, the cluster belongs to the package's postgres user.
  local -a as_owner=()
  if [[ "$(id -u)" -eq 0 ]]; then
    chown postgres: "$PCIPT_PG_DIR"
    as_owner=(runuser -u postgres --)
  fi
  PCIPT_PG_CTL=("${as_owner[@]}" "$bin/pg_ctl" -D "$PCIPT_PG_DIR/data")
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  "${as_owner[@]}" "$bin/initdb" -D "$PCIPT_PG_DIR/data" -U postgres --auth=trust --no-locale -E UTF8 >/dev/null \
    || return 1
  "${PCIPT_PG_CTL[@]}" -w -l "$PCIPT_PG_DIR/log" \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PCIPT_PG_DIR -c max_connections=300" start >/dev/null \
    || { cat "$PCIPT_PG_DIR/log"; return 1; }
  export PCIPASSTHROUGH_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
}

postgres_stop() {
  if [[ -n "${PCIPT_PG_DIR:-}" ]]; then
    "${PCIPT_PG_CTL[@]}" -m fast stop >/dev/null 2>&1
    rm -rf "$PCIPT_PG_DIR"
  fi
}
