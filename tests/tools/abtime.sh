#!/usr/bin/env bash
# abtime.sh: time whole commands with GNU time (Debian package `time`), as the figures of
# docs/performance.md are taken.
#
#   tests/tools/abtime.sh [-n RUNS] [--timeout SECONDS] [--vs 'COMMAND_B'] -- COMMAND [ARG...]
#
# COMMAND runs RUNS times (default 5) after one warm-up run that is not counted; with
# --vs, COMMAND and COMMAND_B run in turn (A B A B ...) and the ratio A/B is taken pair by
# pair, so a machine whose speed drifts moves both sides of each ratio alike. Printed for
# each command: min, median and max of wall seconds, CPU seconds (user + system) and peak
# resident memory (MiB); with --vs, the median and range of the pairwise ratios. Quote the
# median. --timeout bounds each run (default 600 s; a run past it fails the script).
# COMMAND_B is one string split as the shell splits words. Output of the commands is
# discarded; a command that exits non-zero fails the script (exit 1).
set -euo pipefail

runs=5
limit=600
vs=""
while [ $# -gt 0 ]; do
    case "$1" in
    -n) runs="$2"; shift 2 ;;
    --timeout) limit="$2"; shift 2 ;;
    --vs) vs="$2"; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) break ;;
    esac
done
if [ $# -eq 0 ] || ! [[ "$runs" =~ ^[1-9][0-9]*$ ]] || ! [[ "$limit" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 [-n RUNS] [--timeout SECONDS] [--vs 'COMMAND_B'] -- COMMAND [ARG...]" >&2
    exit 2
fi
[ -x /usr/bin/time ] || { echo "$0: needs GNU time (/usr/bin/time, Debian package time)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# one run of "$@": appends "wall cpu peak_kib" to file $1
one() {
    local out="$1"; shift
    if ! /usr/bin/time -f '%e %U %S %M' -o "$tmp/t" timeout "$limit" "$@" > /dev/null 2>&1; then
        echo "$0: run failed or timed out: $*" >&2
        exit 1
    fi
    awk '{ printf "%s %.3f %s\n", $1, $2 + $3, $4 }' "$tmp/t" >> "$out"
}

read -r -a cmd_b <<< "$vs"
one "$tmp/warm" "$@"
[ -n "$vs" ] && one "$tmp/warm" "${cmd_b[@]}"
for _ in $(seq "$runs"); do
    one "$tmp/a" "$@"
    [ -n "$vs" ] && one "$tmp/b" "${cmd_b[@]}"
done

# min / median / max of column $2 of file $1, scaled by $3
stats() {
    awk -v c="$2" -v s="$3" '{ print $c * s }' "$1" | sort -g |
        awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
                                  printf "%.3f (%.3f-%.3f)", m, v[1], v[NR] }'
}
report() {
    printf '%s: wall %s s, cpu %s s, peak %s MiB\n' "$1" "$(stats "$2" 1 1)" "$(stats "$2" 2 1)" \
        "$(stats "$2" 3 0.0009765625)"
}
echo "runs: $runs, each command in turn after one warm-up"
report "A ($*)" "$tmp/a"
if [ -n "$vs" ]; then
    report "B ($vs)" "$tmp/b"
    paste -d' ' "$tmp/a" "$tmp/b" | awk '{ print $1 / $4, $2 / $5 }' > "$tmp/r"
    printf 'A/B pair by pair: wall %s, cpu %s\n' "$(stats "$tmp/r" 1 1)" "$(stats "$tmp/r" 2 1)"
fi
