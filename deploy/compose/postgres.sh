#!/bin/sh
# PostgreSQL in the compose set-up (Debian's postgresql-15): a cluster made on first start that
# checks passwords (scram-sha-256) like a bank's, the role otp and its database otp.
set -eu
PGBIN=/usr/lib/postgresql/15/bin
DATA=/var/lib/postgresql/data
if [ ! -s "$DATA/PG_VERSION" ]; then
  printf '%s\n' "$POSTGRES_PASSWORD" > /tmp/pw
  "$PGBIN/initdb" -D "$DATA" -U postgres --auth=scram-sha-256 --pwfile=/tmp/pw -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f /tmp/pw
  echo "host all all 0.0.0.0/0 scram-sha-256" >> "$DATA/pg_hba.conf"
  "$PGBIN/pg_ctl" -D "$DATA" -o "-c listen_addresses=''" -w start >/dev/null
  PGPASSWORD=$POSTGRES_PASSWORD psql -h /var/run/postgresql -U postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE otp LOGIN PASSWORD '$OTP_DB_PASSWORD'" -c "CREATE DATABASE otp OWNER otp"
  "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
fi
exec "$PGBIN/postgres" -D "$DATA" -c listen_addresses='*' -c unix_socket_directories=/var/run/postgresql
