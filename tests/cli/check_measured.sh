#!/usr/bin/env bash
# The model against real GPUs: `orinsim compare` on every measurement file under
# tests/data/measured/ (recorded with `orinsim check --save` on a named device), failing
# when any class's MAPE is above the documented bound (docs/check.md, 15 %). With no file
# there, the test says so and is reported as skipped (exit 77), never as a pass.
# Usage: check_measured.sh ORINSIM SOURCE_DIR
set -u
bin=$1
src=$2
bound=${ORINSIM_MAPE_BOUND:-15}
export ORINSIM_CONFIG_DIR="$src/configs"
shopt -s nullglob
files=("$src"/tests/data/measured/*.yaml)
if [ ${#files[@]} -eq 0 ]; then
  echo "SKIPPED: no measurement files under tests/data/measured/: the model's error against"
  echo "real GPUs is not tracked yet. Record one with \`orinsim check --save\` on a GPU"
  echo "(docs/check.md) and commit it there, named after the device."
  exit 77
fi
fails=0
passes=0
for f in "${files[@]}"; do
  if "$bin" compare --max-mape "$bound" "$f"; then
    passes=$((passes + 1))
  else
    echo "FAIL $f: a class's MAPE is above $bound % (or the file is bad)"
    fails=$((fails + 1))
  fi
done
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
