#!/usr/bin/env bash
# --tegrastats and --csv (docs/power.md, "Logs of a run"), and the power counters of the
# timeline. For AGX Orin, Orin NX and Orin Nano: every line of the log is a tegrastats
# line of that family (the regular expressions below spell out tegrastats' fields on
# JetPack 5/6), with the module's rail and zone names. The run is 30 frames of the camera
# trace, 0.967 s of arrivals plus the last frame's 4-5 ms, at the 10 ms default sampler:
# at least 97 lines.
set -u
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passes=0 fails=0
pass() { passes=$((passes + 1)); }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

d='[0-9]+'
f='[0-9]+\.[0-9]{3}'
head="^01-01-2026 00:00:0[0-9] RAM $d/${d}MB SWAP 0/0MB \(cached 0MB\) CPU \[($d%@$d,)*$d%@$d\] EMC_FREQ $d%@$d GR3D_FREQ $d%@\[$d,$d\]"
agx_tail=" CPU@${f}C GPU@${f}C CV0@${f}C CV1@${f}C CV2@${f}C SOC0@${f}C SOC1@${f}C SOC2@${f}C tj@${f}C VDD_GPU_SOC ${d}mW/${d}mW VDD_CPU_CV ${d}mW/${d}mW VIN_SYS_5V0 ${d}mW/${d}mW VDDQ_VDD2_1V8AO ${d}mW/${d}mW$"
nx_tail=" cpu@${f}C gpu@${f}C cv0@${f}C cv1@${f}C cv2@${f}C soc0@${f}C soc1@${f}C soc2@${f}C tj@${f}C VDD_IN ${d}mW/${d}mW VDD_CPU_GPU_CV ${d}mW/${d}mW VDD_SOC ${d}mW/${d}mW$"
nano_tail=" cpu@${f}C gpu@${f}C soc0@${f}C soc1@${f}C soc2@${f}C tj@${f}C VDD_IN ${d}mW/${d}mW VDD_CPU_GPU_CV ${d}mW/${d}mW VDD_SOC ${d}mW/${d}mW$"

check() {  # check SKU TAIL CPUS
  local sku=$1 tail=$2 cpus=$3 log=$tmp/$1.log
  if ! "$bin" --sku "$sku" --frames 30 --quiet --tegrastats "$log" --csv "$tmp/$sku.csv" \
      "$src/traces/camera-detector.yaml" 2>"$tmp/err"; then
    fail "$sku: run failed: $(cat "$tmp/err")"; return
  fi
  local n bad
  n=$(wc -l <"$log")
  bad=$(grep -cvE "$head$tail" "$log")
  if [ "$n" -ge 97 ] && [ "$bad" -eq 0 ]; then pass
  else fail "$sku: $n lines, $bad not in tegrastats' format, e.g.:"; grep -vE "$head$tail" "$log" | head -1; fi
  # one CPU entry per online core of the mode
  if [ "$(head -1 "$log" | sed 's/.*CPU \[\([^]]*\)\].*/\1/' | tr ',' '\n' | wc -l)" -eq "$cpus" ]; then pass
  else fail "$sku: CPU list is not $cpus cores: $(head -1 "$log")"; fi
  # CSV: a header naming each series with its unit, then one row per line of the log
  if head -1 "$tmp/$sku.csv" | grep -qE '^time_s,.*module\[W\],util\.gpu\[%\].*temp\.gpu\[C\].*clock\.gpu\[MHz\]' &&
     [ "$(($(wc -l <"$tmp/$sku.csv") - 1))" -eq "$n" ]; then pass
  else fail "$sku: CSV header or length: $(head -1 "$tmp/$sku.csv")"; fi
}
# online cores in each module's default mode: agx64 MAXN... read from `orinsim sku`
cores() { "$bin" sku "$1" | sed -n 's/.*CPU *\([0-9]*\) of [0-9]* cores online.*/\1/p'; }
check agx64 "$agx_tail" "$(cores agx64)"
check nx16 "$nx_tail" "$(cores nx16)"
check nano8 "$nano_tail" "$(cores nano8)"

# The timeline carries rails, module power, zones, clocks, utilisation, DRAM and latency.
if "$bin" --sku nano8 --frames 10 --quiet --power --timeline "$tmp/t.json" \
    "$src/traces/camera-detector.yaml" 2>"$tmp/err"; then
  missing=
  for c in "VDD_CPU_GPU_CV W" "VDD_SOC W" "module W" "temp.gpu C" "temp.soc C" "clock.gpu MHz" \
           "clock.emc MHz" "util.emc %" "DRAM GB/s" "frame latency ms"; do
    grep -q "\"ph\":\"C\",\"name\":\"$c\"" "$tmp/t.json" || missing="$missing [$c]"
  done
  if [ -z "$missing" ]; then pass; else fail "timeline counters missing:$missing"; fi
else
  fail "timeline run failed: $(cat "$tmp/err")"
fi
# One run only.
if "$bin" --sku nano8,agx64 --tegrastats "$tmp/x.log" "$src/traces/camera-detector.yaml" \
    >/dev/null 2>"$tmp/err"; then fail "two modules with --tegrastats: exit 0"
elif [ $? -eq 2 ]; then pass; else fail "two modules with --tegrastats: not exit 2"; fi

echo "tegrastats: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
