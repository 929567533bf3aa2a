#!/usr/bin/env bash
# Installs what the test suite needs beyond a JDK and Maven, from Debian's packages:
#   argon2   - the C reference implementation of Argon2, an oracle for the Argon2 tests
#   softhsm2 - a software PKCS#11 token that stands in for an HSM in the PKCS#11 tests
#   opensc   - pkcs11-tool, an independent PKCS#11 client used by the interop tests
#   pgbouncer  - a transaction-pooling connection pooler the PostgreSQL keyring tests put in front of it
#   postgresql - the server the PostgreSQL keyring tests start a throw-away cluster of (initdb, pg_ctl;
#              the tests start it themselves, on their own port and data directory)
# Safe to run again: it installs only what is missing.
set -euo pipefail

need=()
command -v argon2 >/dev/null 2>&1 || need+=(argon2)
[ -e /usr/lib/softhsm/libsofthsm2.so ] || need+=(softhsm2)
command -v pkcs11-tool >/dev/null 2>&1 || need+=(opensc)
[ -x /usr/sbin/pgbouncer ] || need+=(pgbouncer)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)

if [ ${#need[@]} -eq 0 ]; then
  echo "test dependencies present: argon2, softhsm2, opensc, postgresql, pgbouncer"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "need root or sudo to install: ${need[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "installing: ${need[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
