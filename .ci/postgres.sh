#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 for the tests that run once against a real server (the oracle
# network and store, the indexer), installing Debian's `postgresql` package when it is missing. Prints the server URL
# (a superuser, so the tests may create and drop their databases) on stdout; everything else goes to stderr.
# Usage: url=$(bash .ci/postgres.sh start PORT)   and later   bash .ci/postgres.sh stop PORT
set -euo pipefail
action=${1:?start or stop}
port=${2:-55432}
name=openledger_ci
sudo=""
[ "$(id -u)" -ne 0 ] && command -v sudo > /dev/null && sudo="sudo"

version() { ls /usr/lib/postgresql 2> /dev/null | sort -n | tail -1; }

if [ "$action" = stop ]; then
  v=$(version)
  [ -n "$v" ] && $sudo pg_dropcluster --stop "$v" "$name" > /dev/null 2>&1 || true
  exit 0
fi

if [ -z "$(version)" ] || ! command -v pg_createcluster > /dev/null; then
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql; } >&2
fi
v=$(version)
[ -n "$v" ] || { echo "PostgreSQL could not be installed." >&2; exit 1; }
# A cluster left by an earlier run on this machine is replaced.
$sudo pg_dropcluster --stop "$v" "$name" > /dev/null 2>&1 || true
$sudo pg_createcluster "$v" "$name" -p "$port" --start-conf manual -- --auth-local=trust --auth-host=scram-sha-256 >&2
conf=/etc/postgresql/$v/$name/postgresql.conf
echo "listen_addresses = '127.0.0.1'" | $sudo tee -a "$conf" > /dev/null
$sudo pg_ctlcluster "$v" "$name" start >&2
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
as_postgres psql -q -p "$port" -c "CREATE ROLE openledger LOGIN SUPERUSER PASSWORD 'openledger'" >&2
# The databases the store and indexer tests reset (the network test creates one per node itself).
for database in oracle_store indexer; do as_postgres createdb -p "$port" -O openledger "$database" >&2; done
echo "postgres://openledger:openledger@127.0.0.1:$port/postgres"
