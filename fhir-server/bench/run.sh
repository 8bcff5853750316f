#!/usr/bin/env bash
# The Sehat Hub benchmark in one command (docs/performance.md): builds the jar, then runs the
# benchmark profile, which fetches Synthea, generates (or reuses) the population, starts the server
# on an external PostgreSQL and on the embedded default (PostgreSQL run by the server), with our
# tuning and with HAPI's stock settings, and writes docs/performance/results-*.json and the results
# section of docs/performance.md.
#
#   fhir-server/bench/run.sh                                     # 200 patients, 3 repetitions
#   fhir-server/bench/run.sh -Dbench.patients=5 -Dbench.repetitions=1   # smoke run, a few minutes
#
# Any -Dbench.* option from docs/performance.md may follow.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec ./mvnw -B -Pbench -DskipTests package "$@"
