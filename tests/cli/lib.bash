# Shared start and end of the shell tests in this directory (not a test itself: the
# build registers *.sh only). Source it after `set -u`:
#   . "$(dirname "$0")/lib.bash"
# It makes $tmp (removed on exit), the counters $passes and $fails, pass and fail,
# expect_stderr (runs $bin, which the script sets), and finish [NAME], which prints the
# summary and is the script's exit status as its last command.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
passes=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
pass() { passes=$((passes + 1)); }
finish() { echo "${1:+$1: }$passes passed, $fails failed"; [ "$fails" -eq 0 ]; }

# expect_stderr NAME RC REGEX -- ARGS...: run $bin with ARGS; its exit code must be RC and
# its standard error must match REGEX (when not empty). Bad input (RC 2) must say so in
# exactly one line.
expect_stderr() {
  local name=$1 want=$2 re=$3 out rc lines
  shift 4
  out=$("$bin" "$@" 2>&1 >/dev/null)
  rc=$?
  lines=$(printf '%s' "$out" | grep -c '' || true)
  if [ "$rc" -ne "$want" ]; then
    fail "$name: exit $rc, expected $want; stderr: $out"; return
  fi
  if [ "$want" -eq 2 ] && [ "$lines" -ne 1 ]; then
    fail "$name: expected one message line, got $lines: $out"; return
  fi
  if [ -n "$re" ] && ! printf '%s' "$out" | grep -Eq -- "$re"; then
    fail "$name: message does not match /$re/: $out"; return
  fi
  pass
}
