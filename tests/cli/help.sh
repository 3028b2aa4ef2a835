#!/usr/bin/env bash
# Every subcommand answers --help on stdout with exit 0 and lists its own options; a usage
# error still exits 2 with one message. Usage: help.sh ORINSIM SOURCE_DIR
set -u
bin=$1
. "$(dirname "$0")/lib.bash"

# help_lists NAME 'OPTION...' -- ARGS...: `orinsim ARGS` exits 0, writes nothing on stderr
# and names each OPTION on stdout.
help_lists() {
  local name=$1 opts=$2 out rc
  shift 3
  out=$("$bin" "$@" 2>"$tmp/err")
  rc=$?
  if [ "$rc" -ne 0 ] || [ -s "$tmp/err" ]; then
    fail "$name: exit $rc, stderr: $(cat "$tmp/err")"; return
  fi
  for o in $opts; do
    if ! printf '%s\n' "$out" | grep -q -- "$o"; then
      fail "$name: help does not list $o"; return
    fi
  done
  pass
}

# Each list holds the options that subcommand's parser accepts (soc/cli/cli.c and the
# subcommands' own files).
help_lists top      'run skus sku zoo validate view check compare profile sweep study diff bench' -- --help
help_lists run      '--sku --mode --frames --fps --period --budget --json --junit --threads --reproducible --quiet --timeline --timeline-window --timeline-detail --power --clocks --power-cap --ambient --power-sample' -- run --help
help_lists run_bare '--sku --fps --period' -- --sku nano8 --help
help_lists validate '--json --case --registry' -- validate --help
help_lists diff     '--threshold' -- diff --help
help_lists skus     'usage: orinsim skus' -- skus --help
help_lists sku      '--mode' -- sku --help
help_lists sku_name '--mode' -- sku nano8 --help
help_lists zoo      '--dtype --engine --batch --split --sparsity --seq --context --prompt --group --io-dtype --int8-fallback --frames --period' -- zoo --help
help_lists zoo_name '--dtype --engine --batch --frames' -- zoo yolo11n --help
help_lists zoo_list 'usage: orinsim zoo list' -- zoo list --help
help_lists bench    'phold replay' -- bench --help
help_lists replay   '--sku --duration --frames --repeat --timeline-detail --no-timeline --json' -- bench replay --help
help_lists phold    '--events' -- bench phold --help
help_lists view     '--sku --mode --screenshot' -- view --help
help_lists check    '--sku --mode --device --runs --warmup --json --save --info' -- check --help
help_lists compare  '--sku --mode --json --max-mape' -- compare --help
help_lists profile  '--sku --mode --json' -- profile --help
help_lists import   '--shape' -- import --help
help_lists sweep    '--sku --mode --deadline --frames --csv --json --junit --budget --threads --reproducible' -- sweep --help
help_lists study    '--output --shard --threads --list --quiet --progress --stats --partial' -- study --help
help_lists merge    '--partial' -- study merge --help

# Usage errors are unchanged: exit 2, one line.
expect_stderr run_bad 2 "unknown option '--nope'" -- --nope x.yaml
expect_stderr validate_bad 2 "unexpected argument" -- validate --nope
expect_stderr diff_bad 2 "unknown option" -- diff --nope
expect_stderr skus_bad 2 "unexpected argument" -- skus extra
expect_stderr sku_bad 2 "unknown option" -- sku nano8 --nope
expect_stderr zoo_bad 2 "unknown option" -- zoo yolo11n --nope 1
expect_stderr bench_bad 2 "benchmark name" -- bench nope
expect_stderr sweep_bad 2 "" -- sweep --nope
expect_stderr study_bad 2 "unknown option" -- study --nope
finish help
