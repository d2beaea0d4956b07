# ./oms's private PostgreSQL cluster for `./oms up --postgres`: sourced by ./oms.
#
# One cluster under $VAR/postgres, listening only on a unix socket in $VAR/postgres/run
# (port number $OMS_PG_PORT, default 55432, names the socket), trust authentication for
# its own user, one database per service (oms_order_svc, ...). PostgreSQL refuses to run as
# root, so as root the cluster belongs to Debian's `postgres` user; when that user cannot
# reach $VAR (a checkout under /root), the data lives under /var/lib/postgresql/oms-* and
# $VAR/postgres links to it.

PG_PORT="${OMS_PG_PORT:-55432}"

pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$dir" ]] || die "PostgreSQL is not installed (./oms install)"
  echo "$dir"
}

pg_user() { if [[ $EUID -eq 0 ]]; then echo postgres; else id -un; fi; }

as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_home() { echo "$VAR/postgres"; }
# Where the cluster really is (pg_home may link elsewhere): the paths its user is given.
pg_dir() { readlink -f "$(pg_home)"; }
pg_socket_dir() { echo "$(pg_dir)/run"; }

# The --db value of `service` in this cluster.
pg_target() {
  echo "host=$(pg_socket_dir) port=$PG_PORT user=$(pg_user) dbname=oms_$1"
}

pg_psql() {
  as_pg "$(pg_bin)/psql" -X -q -h "$(pg_socket_dir)" -p "$PG_PORT" -U "$(pg_user)" "$@"
}

# Creates $VAR/postgres where the cluster's user can reach it.
pg_make_home() {
  local home
  home="$(pg_home)"
  [[ -e "$home" ]] && return 0
  if [[ $EUID -eq 0 ]]; then
    mkdir -p "$VAR"
    if runuser -u postgres -- test -x "$VAR"; then
      mkdir -p "$home"
    else
      local elsewhere
      elsewhere="/var/lib/postgresql/oms-$(printf '%s' "$VAR" | sha256sum | cut -c1-12)"
      mkdir -p "$elsewhere"
      ln -s "$elsewhere" "$home"
      say "oms: $VAR is not reachable by the postgres user; the cluster lives in $elsewhere"
    fi
    chown postgres: "$(readlink -f "$home")"
  else
    mkdir -p "$home"
  fi
}

# Starts the cluster (creating it on first use) and the service databases.
pg_up() {
  local bin data name
  bin="$(pg_bin)"
  pg_make_home
  data="$(pg_dir)/data"
  as_pg mkdir -p "$(pg_socket_dir)"
  if ! as_pg test -f "$data/PG_VERSION"; then
    say "oms: creating the PostgreSQL cluster in $data"
    as_pg "$bin/initdb" -D "$data" -U "$(pg_user)" --auth=trust -E UTF8 >/dev/null
  fi
  if ! as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$data" -w -t 60 -l "$(pg_dir)/postgres.log" \
      -o "-k $(pg_socket_dir) -p $PG_PORT -c listen_addresses='' -c max_connections=500" \
      start >/dev/null || die "PostgreSQL did not start; see $(pg_dir)/postgres.log"
  fi
  for name in "${SERVICES[@]}"; do
    if [[ -z "$(pg_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'oms_$name'")" ]]; then
      pg_psql -d postgres -c "CREATE DATABASE oms_$name" >/dev/null
    fi
  done
}

pg_running() {
  [[ -e "$(pg_home)/data" ]] && as_pg "$(pg_bin)/pg_ctl" -D "$(pg_dir)/data" status >/dev/null 2>&1
}

pg_down() {
  pg_running || return 0
  as_pg "$(pg_bin)/pg_ctl" -D "$(pg_dir)/data" -m fast -w stop >/dev/null && say "oms: PostgreSQL stopped"
}

# pg_dump of every service database into DIR/<service>.pgdump (custom format).
pg_backup() {
  local dir="$1" name
  pg_running || die "PostgreSQL is not running (./oms up --postgres)"
  mkdir -p "$dir"
  for name in "${SERVICES[@]}"; do
    as_pg "$(pg_bin)/pg_dump" -Fc -h "$(pg_socket_dir)" -p "$PG_PORT" -U "$(pg_user)" \
      "oms_$name" >"$dir/$name.pgdump" || die "pg_dump of oms_$name failed"
  done
}

# Replaces every service database with DIR/<service>.pgdump; the services must be down.
pg_restore_all() {
  local dir="$1" name
  for name in "${SERVICES[@]}"; do
    [[ -s "$dir/$name.pgdump" ]] || die "$dir/$name.pgdump is missing"
    as_pg "$(pg_bin)/pg_restore" --list <"$dir/$name.pgdump" >/dev/null \
      || die "$dir/$name.pgdump is not a readable pg_dump archive; nothing was changed"
  done
  pg_up
  for name in "${SERVICES[@]}"; do
    pg_psql -d postgres -c "DROP DATABASE IF EXISTS oms_$name" -c "CREATE DATABASE oms_$name" >/dev/null
    as_pg "$(pg_bin)/pg_restore" --no-owner -h "$(pg_socket_dir)" -p "$PG_PORT" -U "$(pg_user)" \
      -d "oms_$name" <"$dir/$name.pgdump" || die "pg_restore into oms_$name failed"
  done
}
