# Shared start and end of the shell tests in this directory (not a test itself: the
# build registers *.sh only). Source it after `set -u`:
#   . "$(dirname "$0")/lib.bash"
# It makes $tmp (removed on exit), the counters $passes and $fails, pass and fail, and
# finish [NAME], which prints the summary and is the script's exit status as its last
# command.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
passes=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
pass() { passes=$((passes + 1)); }
finish() { echo "${1:+$1: }$passes passed, $fails failed"; [ "$fails" -eq 0 ]; }
