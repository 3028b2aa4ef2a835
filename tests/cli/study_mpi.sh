#!/usr/bin/env bash
# orinsim study under MPI: `mpirun -n 2` and `-n 4` (oversubscribed on a 2-core machine)
# give the same files, byte for byte, as the study run in one process
# (tests/data/study/ci.yaml, 252 runs), which tests/cli/study_shards.sh finds equal to its
# 4 shards merged; a shard under MPI writes the part the shard writes in one process.
# Skipped (exit 77) when this build has no MPI or mpirun is not installed.
# Usage: study_mpi.sh ORINSIM SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.bash"
study=$src/tests/data/study/ci.yaml
if ! command -v mpirun >/dev/null 2>&1; then
  echo "SKIP: mpirun not found (Debian: apt-get install openmpi-bin libopenmpi-dev)"; exit 77
fi
if ! "$bin" study --help | grep -q 'built with MPI'; then
  echo "SKIP: this orinsim was built without MPI (libopenmpi-dev not found by CMake)"; exit 77
fi
cd "$tmp" || exit 1
# Open MPI refuses root unless told; CI runs as root. Its own allocations are not ours to
# check: leak detection is off for the ranks (the sanitizer build still checks the rest).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl=self,vader
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

"$bin" study "$study" -o one --quiet --threads 2
"$bin" study "$study" --shard 2/4 -o shard --quiet --threads 2
for n in 2 4; do
  mpirun --oversubscribe -n "$n" "$bin" study "$study" -o "mpi$n" --quiet 2>"mpi$n.log"
  rc=$?
  [ "$rc" -eq 3 ] && pass || fail "mpirun -n $n: exit $rc, expected 3 (a budget fails)"
  for f in csv json txt junit.xml; do
    cmp -s "one.$f" "mpi$n.$f" && pass || fail "one.$f and mpi$n.$f differ"
  done
done
# A shard under MPI writes the same part as the shard in one process.
mpirun --oversubscribe -n 2 "$bin" study "$study" --shard 2/4 -o mpishard --quiet
cmp -s shard.part-2-of-4.json mpishard.part-2-of-4.json && pass ||
  fail "shard 2/4 under mpirun -n 2 differs from the shard in one process"
finish study_mpi
