#!/usr/bin/env bash
# The viewer under a real X server (Xvfb): scripted keys and mouse (xdotool, through the
# XTEST extension) zoom, pan, zoom to fit, select a range and switch the power mode, and
# F12 screenshots taken between them change, or do not, as each action implies.
# Usage: viz_xvfb.sh ORINSIM SOURCE_DIR. Exits 77 (skipped) without Xvfb/xdotool or
# without the viewer in this build; .ci/run installs both.
set -u
bin=$1
src=$2
for tool in Xvfb xdotool; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP: $tool is not installed (Debian: apt-get install xvfb xdotool); the interactive viewer test did not run"
    exit 77
  fi
done
if "$bin" view --help >/dev/null 2>&1; [ $? -eq 5 ]; then
  echo "SKIP: this orinsim was built without the viewer"
  exit 77
fi
# Sanitizer builds: SDL's X11 backend loads libdbus and input-method modules that keep
# memory until exit (some are unloaded before the leak check, so no suppression can name
# them). Leaks of the viewer's own code are checked by test_viz_view and viz_cli.sh.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
tmp=$(mktemp -d)
xpid=
vpid=
cleanup() {
  [ -n "$vpid" ] && kill "$vpid" 2>/dev/null
  [ -n "$xpid" ] && kill "$xpid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- viewer log:"; cat "$tmp/log" 2>/dev/null; exit 1; }

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$tmp/display" 2>"$tmp/xvfb.log" &
xpid=$!
for _ in $(seq 100); do [ -s "$tmp/display" ] && break; sleep 0.1; done
[ -s "$tmp/display" ] || fail "Xvfb did not start: $(cat "$tmp/xvfb.log")"
export DISPLAY=:$(head -n1 "$tmp/display")

"$bin" view --size 1000x600 --shots "$tmp" "$src/tests/data/viz/camera-pipeline.yaml" >"$tmp/log" 2>&1 &
vpid=$!
wid=$(timeout 20 xdotool search --sync --name '^orinsim view' | head -n1)
[ -n "$wid" ] || fail "no viewer window appeared"
for _ in $(seq 50); do grep -q "window open" "$tmp/log" && break; sleep 0.1; done
xdotool windowfocus --sync "$wid" 2>/dev/null || xdotool windowfocus "$wid"
xdotool mousemove --window "$wid" 500 150
sleep 0.3

n=0
# shot VAR: press F12, wait for the file, store its path in VAR
shot() {
  local f
  f=$(printf '%s/orinsim-shot-%03d.png' "$tmp" "$n")
  n=$((n + 1))
  xdotool key F12
  for _ in $(seq 100); do [ -s "$f" ] && grep -q "wrote $f" "$tmp/log" && break; sleep 0.1; done
  [ -s "$f" ] || fail "no screenshot $f"
  printf -v "$1" '%s' "$f"
}
same() { cmp -s "$1" "$2"; }

shot s0
xdotool key w w w
shot s1
same "$s0" "$s1" && fail "zooming in (W) did not change the picture"
xdotool key d d
shot s2
same "$s1" "$s2" && fail "panning (D) did not change the picture"
xdotool click 5 click 5
shot s3
same "$s2" "$s3" && fail "zooming out with the wheel did not change the picture"
xdotool key f
shot s4
same "$s0" "$s4" || fail "zoom to fit (F) did not return to the first picture"
# drag-select a range with the left button
xdotool mousemove --window "$wid" 400 150 mousedown 1 mousemove --window "$wid" 480 160 \
  mousemove --window "$wid" 600 170 mouseup 1
shot s5
same "$s4" "$s5" && fail "selecting a range did not change the picture"
# Escape clears the selection: back to the fitted picture
xdotool key Escape
shot s6
same "$s0" "$s6" || fail "Escape did not clear the selection"
# the next power mode re-simulates
xdotool key p
for _ in $(seq 100); do grep -q "orinsim view: agx64 mode" "$tmp/log" && break; sleep 0.1; done
grep -q "orinsim view: agx64 mode" "$tmp/log" || fail "P did not switch the power mode"
shot s7
same "$s6" "$s7" && fail "switching the power mode did not change the picture"
xdotool key q
for _ in $(seq 100); do kill -0 "$vpid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$vpid" 2>/dev/null && fail "Q did not quit"
wait "$vpid"
rc=$?
vpid=
[ "$rc" -eq 0 ] || fail "the viewer exited with $rc"
echo "PASS: $n screenshots; zoom, pan, wheel, fit, select, clear, mode switch and quit behaved"
