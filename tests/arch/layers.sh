#!/usr/bin/env bash
# layers.sh: the rooms of the source tree call only downwards, and no two files loop.
#
#   tests/arch/layers.sh SOURCE_DIR [LIBRARY.a]
#
# The rooms and their order are CMakeLists.txt's ORINSIM_ROOMS list, lowest first
# (docs/architecture.md). Two graphs are checked:
#   - includes: every `#include "x/y.h"` of a file is an edge from that file to x/y.h;
#   - calls (given the built library): an edge from each source file to the file that
#     defines a function or object it uses, read from the objects with `nm`.
# In both, an edge may stay inside a room or go to an earlier room, never to a later one,
# and the graph has no cycle (tsort finds one). Prints each violation; exit 1 if any.
set -uo pipefail
src=${1:?usage: layers.sh SOURCE_DIR [LIBRARY.a]}
lib=${2:-}
cd "$src" || exit 2
bad=0

# Rooms in layer order, from the one list the build uses.
mapfile -t rooms < <(awk '/^set\(ORINSIM_ROOMS/ {on = 1; next}
                          on { sub(/#.*/, ""); last = /\)/; gsub(/[()]/, " ");
                               for (i = 1; i <= NF; i++) print $i
                               if (last) exit }' CMakeLists.txt)
[ ${#rooms[@]} -ge 2 ] || { echo "layers: no ORINSIM_ROOMS list in CMakeLists.txt"; exit 2; }

# room_of PATH: the room holding the file (the longest room that is a prefix of its folder).
room_of() {
    local best="" r
    for r in "${rooms[@]}"; do
        case "$1" in "$r"/*) [ ${#r} -gt ${#best} ] && best=$r ;; esac
    done
    echo "$best"
}
declare -A rank
for i in "${!rooms[@]}"; do rank[${rooms[$i]}]=$i; done

# check_edge GRAPH FROM TO: FROM and TO are paths of files.
check_edge() {
    local from_room to_room
    from_room=$(room_of "$2"); to_room=$(room_of "$3")
    [ -n "$from_room" ] && [ -n "$to_room" ] || return 0
    if [ "${rank[$to_room]}" -gt "${rank[$from_room]}" ]; then
        echo "layers: $1: $2 ($from_room) uses $3 ($to_room), a later room"
        bad=1
    fi
}

files=()
for r in "${rooms[@]}"; do
    while IFS= read -r f; do files+=("$f"); done \
        < <(find "$r" -type f \( -name '*.c' -o -name '*.h' -o -name '*.cu' \) | LC_ALL=C sort)
done

# ---- the include graph ----
inc_pairs=$(mktemp); call_pairs=$(mktemp)
trap 'rm -f "$inc_pairs" "$call_pairs"' EXIT
for f in "${files[@]}"; do
    echo "$f $f" >>"$inc_pairs"
    while IFS= read -r h; do
        if [ ! -f "$h" ]; then
            case "$h" in */*) echo "layers: $f includes \"$h\", which is not in the tree"; bad=1 ;; esac
            continue
        fi
        check_edge includes "$f" "$h"
        echo "$f $h" >>"$inc_pairs"
    done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
done
if ! tsort "$inc_pairs" >/dev/null 2>"$inc_pairs.err"; then
    echo "layers: includes: a loop between headers:"
    sed 's/^tsort: /  /' "$inc_pairs.err"
    bad=1
fi
rm -f "$inc_pairs.err"

# ---- the call graph of the built library ----
if [ -n "$lib" ]; then
    declare -A obj_src
    for f in "${files[@]}"; do
        case "$f" in *.c)
            b=$(basename "$f")
            if [ -n "${obj_src[$b.o]:-}" ]; then
                echo "layers: two sources named $b (${obj_src[$b.o]}, $f): objects are told apart by name"
                bad=1
            fi
            obj_src[$b.o]=$f ;;
        esac
    done
    nm -A "$lib" 2>/dev/null | awk '
        { split($1, p, ":"); obj = p[2] }
        NF == 3 && $2 ~ /^[TDBRC]$/ { def[$3] = obj }
        NF == 3 && $2 == "U"        { n++; uo[n] = obj; us[n] = $3 }
        END { for (i = 1; i <= n; i++) if ((us[i] in def) && def[us[i]] != uo[i])
                  print uo[i], def[us[i]] }' | sort -u >"$call_pairs"
    while read -r a b; do
        from=${obj_src[$a]:-}; to=${obj_src[$b]:-}
        [ -n "$from" ] && [ -n "$to" ] || continue
        check_edge calls "$from" "$to"
        echo "$from $to"
    done <"$call_pairs" >"$call_pairs.mod"
    grep -v '^layers:' "$call_pairs.mod" >"$call_pairs.edges"
    grep '^layers:' "$call_pairs.mod" && bad=1
    if ! tsort "$call_pairs.edges" >/dev/null 2>"$call_pairs.err"; then
        echo "layers: calls: a loop between files:"
        sed 's/^tsort: /  /' "$call_pairs.err"
        bad=1
    fi
    [ -s "$call_pairs.edges" ] || { echo "layers: no calls read from $lib"; bad=1; }
    rm -f "$call_pairs.mod" "$call_pairs.edges" "$call_pairs.err"
fi

[ $bad -eq 0 ] && echo "layers: ${#rooms[@]} rooms, ${#files[@]} files: no upward use, no loop"
exit $bad
