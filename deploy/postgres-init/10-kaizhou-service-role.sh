#!/bin/sh
# The role the API's pool connects as (DATABASE_URL in docker-compose.yml). It owns nothing: the
# API's start-up, connected as POSTGRES_USER (the owner, MIGRATION_DATABASE_URL), migrates and
# grants it what it needs (README "Database roles"). The postgres image runs this once, when it
# initialises an empty data volume; on a volume made before, run it once by hand:
#   docker compose exec postgres sh /docker-entrypoint-initdb.d/10-kaizhou-service-role.sh
# Run again, it only sets the password.
set -eu
: "${KAIZHOU_SERVICE_PASSWORD:?set KAIZHOU_SERVICE_PASSWORD}"
psql -v ON_ERROR_STOP=1 -v role="${KAIZHOU_SERVICE_ROLE:-kaizhou_service}" -v password="$KAIZHOU_SERVICE_PASSWORD" \
  --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" LOGIN PASSWORD :'password';
SQL
