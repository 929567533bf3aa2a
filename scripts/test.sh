#!/usr/bin/env bash
# The whole test suite: installs the test tools, builds and tests every module on the default JDK
# (17), then runs every test again on JDK 25 when one is installed. In CI (CI set) JDK 25 must be
# there; elsewhere its absence is reported and skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-test-deps.sh
mvn -B install

jdk25="${CLAVIS_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ -x "$jdk25/bin/java" ]; then
  echo "== the same tests on JDK 25 ($jdk25)"
  JAVA_HOME="$jdk25" mvn -B verify
elif [ -n "${CI:-}" ]; then
  echo "JDK 25 not found at $jdk25 (set CLAVIS_JDK25): CI must test on JDK 17 and JDK 25" >&2
  exit 1
else
  echo "SKIPPED: no JDK 25 at $jdk25 (set CLAVIS_JDK25 to test on it too)"
fi
