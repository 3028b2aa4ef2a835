#!/usr/bin/env bash
# `orinsim check` and `orinsim compare` from the command line: exit codes and messages.
# `check` needs a CUDA build and a GPU; this test accepts the three machines it can run
# on and asserts what each must do:
#   built without CUDA        -> exit 5, "needs a CUDA build"
#   CUDA build, no GPU/driver -> exit 6, "no CUDA device found"
#   CUDA build and a GPU      -> exit 0 and a table for the one-op trace
# whichever it is, `check --info` and `check TRACE` must agree. Bad input is exit 2 on all
# three, before any device is touched. Usage: check_cli.sh ORINSIM SOURCE_DIR
set -u
bin=$1
src=$2
export ORINSIM_CONFIG_DIR="$src/configs"
. "$(dirname "$0")/lib.bash"

# expect NAME RC REGEX -- ARGS...: exit code RC and REGEX somewhere in stdout + stderr.
expect() {
  local name=$1 want=$2 re=$3
  shift 4
  local out rc
  out=$("$bin" "$@" 2>&1)
  rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "FAIL $name: exit $rc, expected $want; output: $out"; fails=$((fails + 1)); return
  fi
  if [ -n "$re" ] && ! printf '%s' "$out" | grep -Eq -- "$re"; then
    echo "FAIL $name: output does not match /$re/: $out"; fails=$((fails + 1)); return
  fi
  passes=$((passes + 1))
}

tiny="$src/tests/data/check/tiny.yaml"
synthetic="$src/tests/data/check/synthetic-sm90.yaml"

# Bad input: exit 2 whatever the build.
expect check-no-trace 2 'no trace given' -- check
expect check-missing-trace 2 'missing\.yaml.*cannot open' -- check "$tmp/missing.yaml"
expect check-bad-runs 2 '--runs expects a whole number' -- check --runs 0 "$tiny"
expect check-unknown-option 2 "unknown option '--frobnicate'" -- check --frobnicate "$tiny"
expect check-mode-without-sku 2 '--mode applies to --sku' -- check --mode MAXN "$tiny"
printf 'orinsim: 1\ntasks:\n  - id: a\n    engine: gpu\n    ops:\n      - {op: gemm, m: 8}\n' \
  > "$tmp/bad.yaml"
expect check-bad-trace 2 'bad\.yaml:6:9: error: .*' -- check "$tmp/bad.yaml"
expect compare-no-file 2 'no measurement file given' -- compare
expect compare-save-is-check-only 2 "unknown option '--save'" -- compare --save x "$synthetic"

# The build and the machine decide the rest.
info=$("$bin" check --info 2>&1); info_rc=$?
case $info_rc in
  5)
    expect info-no-cuda 5 'needs a CUDA build.*' -- check --info
    expect check-no-cuda 5 'ORINSIM_CUDA=ON' -- check "$tiny"
    ;;
  6)
    expect info-no-device 6 'no CUDA device found' -- check --info
    expect check-no-device 6 '^orinsim: error: no CUDA device found \(' -- check "$tiny"
    printf '%s\n' "$info" | grep -q '^backend: CUDA' && passes=$((passes + 1)) ||
      { echo "FAIL info-backend: $info"; fails=$((fails + 1)); }
    ;;
  0)
    expect check-real 0 'overall' -- check --runs 3 --warmup 1 --save "$tmp/m.yaml" "$tiny"
    expect compare-saved 0 'memcpy' -- compare "$tmp/m.yaml"
    ;;
  *)
    echo "FAIL check --info: exit $info_rc: $info"; fails=$((fails + 1))
    ;;
esac
echo "check --info said (exit $info_rc): $info"

# compare needs no GPU: the synthetic file (tests/data/check/, not a measurement).
expect compare-table 0 'gemm fp16 +[0-9.]+%  \(2 ops' -- compare "$synthetic"
expect compare-overall 0 'overall +[0-9.]+%  \(4 of 6 ops\)' -- compare "$synthetic"
expect compare-notes 0 'note: 2:4 sparse gemm needs cuSPARSELt' -- compare "$synthetic"
expect compare-json 0 '"mape_by_class"' -- compare --json - "$synthetic"
expect compare-bound-holds 0 '' -- compare --max-mape 1000 "$synthetic"
expect compare-bound-fails 3 "MAPE of class 'gemm fp16' is [0-9.]+%, above the bound of 0.5%" -- \
  compare --max-mape 0.5 "$synthetic"
expect compare-other-sku 0 'model: +agx64, mode MAXN' -- compare --sku agx64 --mode MAXN "$synthetic"
sed 's/measured: 200 us/measured: 200/' "$synthetic" > "$tmp/bad-m.yaml"
expect compare-bad-file 2 'bad-m\.yaml:[0-9]+:15: error: .*measured' -- compare "$tmp/bad-m.yaml"

finish
