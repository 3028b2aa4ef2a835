#!/usr/bin/env bash
# same-reports.sh: do two orinsim binaries give byte-identical reports?
#
#   tests/tools/same-reports.sh OLD_ORINSIM NEW_ORINSIM [SOURCE_DIR] [-- EXTRA RUN OPTIONS]
#
# Runs every trace under traces/ and every zoo network (default options) through both
# binaries with `--reproducible --json -` on the default module, and compares stdout,
# stderr and the exit code of each run. A refactoring must leave all of them unchanged;
# a change of the model shows here as the list of runs whose reports moved.
# Prints one line per differing run and exits 1 if any differ, 0 if all are identical.
set -uo pipefail
old=${1:?usage: same-reports.sh OLD NEW [SOURCE_DIR] [-- OPTIONS]}
new=${2:?usage: same-reports.sh OLD NEW [SOURCE_DIR] [-- OPTIONS]}
shift 2
src=.
if [ $# -gt 0 ] && [ "$1" != "--" ]; then src=$1; shift; fi
[ "${1:-}" = "--" ] && shift
extra=("$@")
cd "$src" || exit 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

runs=0 differ=0
one() {  # one NAME INPUT_FILE_OR_- [stdin file]
    local name=$1 input=$2 stdin=${3:-/dev/null} b
    for b in old new; do
        local bin=$old; [ $b = new ] && bin=$new
        "$bin" --reproducible --json - "${extra[@]}" "$input" <"$stdin" \
            >"$work/$b.out" 2>"$work/$b.err"
        echo "exit $?" >>"$work/$b.out"
    done
    runs=$((runs + 1))
    if ! cmp -s "$work/old.out" "$work/new.out" || ! cmp -s "$work/old.err" "$work/new.err"; then
        echo "differs: $name"
        differ=$((differ + 1))
    fi
}

while IFS= read -r t; do
    one "$t" "$t"
done < <(find traces -name '*.yaml' | LC_ALL=C sort)

for net in $("$old" zoo list | awk '/^[a-z]/ {print $1}'); do
    # the trace and the exit code (its notes on stderr are not the trace)
    "$old" zoo "$net" >"$work/zoo-old.yaml" 2>/dev/null; echo "exit $?" >"$work/zoo-old.rc"
    "$new" zoo "$net" >"$work/zoo-new.yaml" 2>/dev/null; echo "exit $?" >"$work/zoo-new.rc"
    runs=$((runs + 1))
    if ! cmp -s "$work/zoo-old.yaml" "$work/zoo-new.yaml" ||
       ! cmp -s "$work/zoo-old.rc" "$work/zoo-new.rc"; then
        echo "differs: zoo $net (the trace itself)"
        differ=$((differ + 1))
    fi
    one "zoo $net" - "$work/zoo-old.yaml"
done

echo "$runs comparisons, $differ differ"
[ "$differ" -eq 0 ]
