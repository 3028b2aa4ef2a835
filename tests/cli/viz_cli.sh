#!/usr/bin/env bash
# The viewer and the timeline export from the command line: documented exit codes and
# one clear message for a missing display, a missing font, a corrupt trace, bad options
# and an unwritable file; --screenshot works with no display; --timeline writes JSON;
# the renderer benchmark runs. Usage: viz_cli.sh ORINSIM SOURCE_DIR
set -u
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
passes=0
trace=$src/tests/data/viz/camera-pipeline.yaml

# check NAME EXPECTED_RC REGEX -- ARGS... (stderr must match REGEX)
check() {
  local name=$1 want=$2 re=$3
  shift 4
  local out rc
  out=$("$@" 2>&1 >/dev/null)
  rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "FAIL $name: exit $rc, expected $want; stderr: $out"; fails=$((fails + 1)); return
  fi
  if [ -n "$re" ] && ! printf '%s' "$out" | grep -Eq -- "$re"; then
    echo "FAIL $name: message does not match /$re/: $out"; fails=$((fails + 1)); return
  fi
  if [ "$want" -ne 0 ] && [ "$(printf '%s' "$out" | grep -c '')" -ne 1 ]; then
    echo "FAIL $name: expected one message line: $out"; fails=$((fails + 1)); return
  fi
  passes=$((passes + 1))
}

# --timeline: a JSON document with complete events, whatever the viewer build
check timeline_ok 0 '' -- "$bin" run --quiet --timeline "$tmp/t.json" "$trace"
if ! grep -q '"traceEvents":\[' "$tmp/t.json" || ! grep -q '"ph":"X"' "$tmp/t.json"; then
  echo "FAIL timeline_content: no trace events in $tmp/t.json"; fails=$((fails + 1))
fi
check timeline_unwritable 8 '^/nonexistent/t.json: error: cannot write the timeline: No such file' -- \
  "$bin" run --quiet --timeline /nonexistent/t.json "$trace"
check timeline_no_value 2 'needs a value' -- "$bin" run --timeline
# The export parses back as JSON; a .gz name gives gzip whose content is the same JSON;
# bad --timeline-window / --timeline-detail values exit 2 with one message.
if command -v python3 >/dev/null 2>&1; then
  if ! python3 -m json.tool "$tmp/t.json" >/dev/null; then
    echo "FAIL timeline_parses: $tmp/t.json is not valid JSON"; fails=$((fails + 1))
  fi
fi
check timeline_gz 0 '' -- "$bin" run --quiet --timeline "$tmp/t.json.gz" "$trace"
if ! gzip -dc "$tmp/t.json.gz" | cmp -s - "$tmp/t.json"; then
  echo "FAIL timeline_gz_content: $tmp/t.json.gz does not inflate to $tmp/t.json"; fails=$((fails + 1))
fi
# frames detail: 4 frames (the trace's frames: 4), no slice; a window from 10 ms on
# (period 10 ms: frame 0 is done by then) leaves frames 1, 2 and 3.
check timeline_frames 0 '' -- "$bin" run --quiet --timeline "$tmp/f.json" --timeline-detail frames "$trace"
check timeline_window 0 '' -- "$bin" run --quiet --timeline "$tmp/w.json" --timeline-detail frames \
  --timeline-window 10ms: "$trace"
if [ "$(grep -c '"ph":"b"' "$tmp/f.json")" -ne 4 ] || grep -q '"ph":"X"' "$tmp/f.json" ||
   [ "$(grep -c '"ph":"b"' "$tmp/w.json")" -ne 3 ]; then
  echo "FAIL timeline_filters: frames $(grep -c '"ph":"b"' "$tmp/f.json") (want 4), windowed $(grep -c '"ph":"b"' "$tmp/w.json") (want 3)"
  fails=$((fails + 1))
fi
# The timeline's filters change the file, never the run: the same JSON report either way.
"$bin" run --quiet --reproducible --json "$tmp/r0.json" "$trace" 2>/dev/null
"$bin" run --quiet --reproducible --json "$tmp/r1.json" --timeline "$tmp/x.json.gz" \
  --timeline-detail tasks --timeline-window 5ms:20ms "$trace" 2>/dev/null
if ! cmp -s "$tmp/r0.json" "$tmp/r1.json"; then
  echo "FAIL timeline_report: the report changed with --timeline-detail/--timeline-window"; fails=$((fails + 1))
fi
check bad_window 2 "^orinsim: error: --timeline-window expects START:END.*got '5ms'" -- \
  "$bin" run --timeline "$tmp/x.json" --timeline-window 5ms "$trace"
check bad_window_order 2 "got '2s:1s'" -- "$bin" run --timeline "$tmp/x.json" --timeline-window 2s:1s "$trace"
check bad_window_unit 2 "got '1:2s'" -- "$bin" run --timeline "$tmp/x.json" --timeline-window 1:2s "$trace"
check bad_detail 2 "^orinsim: error: --timeline-detail expects frames, tasks, kernels or sm, got 'warps'" -- \
  "$bin" run --timeline "$tmp/x.json" --timeline-detail warps "$trace"
check detail_without_file 2 'need --timeline FILE' -- "$bin" run --timeline-detail tasks "$trace"

"$bin" view --help >/dev/null 2>&1
if [ $? -eq 5 ]; then
  # built without SDL2: `view` explains and exits 5
  check no_viewer 5 'built without the timeline viewer' -- "$bin" view "$trace"
  echo "viz_cli: $passes passed, $fails failed (viewer not built: viewer checks skipped)"
  [ "$fails" -eq 0 ] || exit 1
  exit 77
fi

check help 0 '' -- "$bin" view --help
check no_trace 2 'no trace given' -- "$bin" view
check bad_option 2 "unknown option '--zoom'" -- "$bin" view --zoom 2 "$trace"
check bad_size 2 'expects WxH' -- "$bin" view --size 10x10 "$trace"
check bad_range 2 'expected T0:T1' -- "$bin" view --range 5ms:1ms "$trace"
# The run options of `orinsim run`: power counters under the lanes, a seed; bad ones exit 2.
check power_shot 0 '' -- "$bin" view --sku nano8 --power --cooling sealed-housing --seed 3 \
  --frames 20 --screenshot "$tmp/power.png" "$src/traces/camera-jitter.yaml"
check bad_cooling 2 "unknown cooling preset 'igloo'" -- "$bin" view --cooling igloo \
  --screenshot "$tmp/x.png" "$trace"
check bad_seed 2 'expects a whole number' -- "$bin" view --seed -1 "$trace"
check bad_group 2 "unknown group 'GPX'" -- "$bin" view --collapse GPU,GPX "$trace"
# a missing display: no window, exit 5, a hint at --screenshot
check no_display 5 'no display.*--screenshot' -- env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER "$bin" view "$trace"
check offscreen_driver 5 'no display' -- env -u DISPLAY -u WAYLAND_DISPLAY SDL_VIDEODRIVER=offscreen "$bin" view "$trace"
# a missing font: exit 5, names the file and the Debian package
check no_font 5 '^/nonexistent/font.ttf: error: font not found.*fonts-dejavu-core' -- \
  "$bin" view --font /nonexistent/font.ttf --screenshot "$tmp/x.png" "$trace"
check no_font_env 5 'font not found' -- env ORINSIM_FONT=/nonexistent/f.ttf "$bin" view --screenshot "$tmp/x.png" "$trace"
printf 'not a font' > "$tmp/bad.ttf"
check bad_font 5 'not a usable TrueType font' -- "$bin" view --font "$tmp/bad.ttf" --screenshot "$tmp/x.png" "$trace"
# a corrupt trace: the parser's file:line:column message, exit 2
printf 'orinsim: 1\ntasks: [\n  - id: a\n' > "$tmp/corrupt.yaml"
check corrupt_trace 2 'corrupt.yaml:[0-9]+:[0-9]+: error: ' -- "$bin" view --screenshot "$tmp/x.png" "$tmp/corrupt.yaml"
check missing_trace 2 'error' -- "$bin" view --screenshot "$tmp/x.png" "$tmp/none.yaml"
# a trace the module cannot run: PVA work on a Nano
check no_pva 2 'error: task .isp. asks for engine .pva., but nano8' -- "$bin" view --sku nano8 --screenshot "$tmp/x.png" "$trace"
check unwritable_png 8 'cannot write the PNG: No such file' -- "$bin" view --screenshot /nonexistent/x.png "$trace"
# headless screenshot with no display at all
check screenshot 0 '' -- env -u DISPLAY -u WAYLAND_DISPLAY "$bin" view --size 800x480 --screenshot "$tmp/s.png" "$trace"
if [ "$(head -c 8 "$tmp/s.png" | od -An -tx1 | tr -d ' \n')" != "89504e470d0a1a0a" ]; then
  echo "FAIL screenshot_png: $tmp/s.png is not a PNG"; fails=$((fails + 1))
fi
check compare 0 '' -- "$bin" view --compare agx64:MAXN --screenshot "$tmp/c.png" "$trace"
# the renderer benchmark (small, so that sanitizer builds stay quick)
out=$("$bin" view --bench --slices 20000 --bench-frames 8 --json 2>&1)
if ! printf '%s' "$out" | grep -Eq '"slices": 20000, .*"fps": [0-9.]+'; then
  echo "FAIL bench: $out"; fails=$((fails + 1))
else
  passes=$((passes + 1))
fi

echo "viz_cli: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
