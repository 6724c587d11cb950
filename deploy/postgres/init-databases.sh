#!/usr/bin/env bash
# Runs once, when the postgres container creates its data folder: the same databases and roles the
# AppHost provisions (an owner role that migrates, a least-privileged application role per database).
set -euo pipefail
for db in appdb auditdb; do
  owner_pw_var="${db^^}_OWNER_PASSWORD"; app_pw_var="${db^^}_APP_PASSWORD"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" <<SQL
CREATE ROLE ${db}_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '${!owner_pw_var}';
CREATE ROLE ${db}_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '${!app_pw_var}';
CREATE DATABASE ${db} OWNER ${db}_owner ENCODING 'UTF8';
GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${db}_app;
\connect ${db}
ALTER SCHEMA public OWNER TO ${db}_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
done
# PostgreSQL's own metrics for prometheus-postgres-exporter: read-only monitoring, nothing else.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" <<SQL
CREATE ROLE postgres_exporter LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '${POSTGRES_EXPORTER_PASSWORD}';
GRANT pg_monitor TO postgres_exporter;
SQL
