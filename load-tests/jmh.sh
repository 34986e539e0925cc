#!/usr/bin/env bash
# JMH benchmarks of the gateway's in-process hot path (seed decryption, TOTP window):
#   load-tests/jmh.sh                 # all of HotPathBenchmark
#   load-tests/jmh.sh openSeed -f 2   # any JMH arguments
set -euo pipefail
cd "$(dirname "$0")/.."
# One invocation: tenant-config resolves from the reactor (it need not be installed in ~/.m2).
./mvnw -q -B -pl gateway -am -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/jmh-classpath.txt -Dmdep.includeScope=test
cp="gateway/target/test-classes:gateway/target/classes:$(cat gateway/target/jmh-classpath.txt)"
exec java -cp "$cp" org.openjdk.jmh.Main "${@:-HotPathBenchmark}"
