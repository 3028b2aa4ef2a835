#!/usr/bin/env bash
# orinsim study: bad study files, options and parts exit 2 with one message naming
# file:line:column (or the option) and what was expected; a failed run does not stop the
# study. Usage: study_errors.sh ORINSIM SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.bash"
cd "$tmp" || exit 1

# study NAME BODY: a study file with the axes' body (indented two spaces under axes:)
study() {
  printf 'study: t\naxes:\n%s\nframes: 2\n%s' "$2" "${3:-}" > "$1.yaml"
}
study unknown_axis '  workload: [yolo11n]
  precision: [int8]'
expect_stderr "unknown axis" 2 "unknown_axis.yaml:4:3: error: unknown axis 'precision' \(expected one of: workload dtype" -- study unknown_axis.yaml
study empty '  workload: [yolo11n]
  seed: []'
expect_stderr "empty axis" 2 "empty.yaml:4:9: error: axis seed is empty: the study would have no runs" -- study empty.yaml
study metric '  workload: [yolo11n]' 'metrics: [throughput_fps, frame_latency.p98]
'
expect_stderr "unknown metric" 2 "metric.yaml:5:27: error: unknown metric 'frame_latency.p98'" -- study metric.yaml
study pareto '  workload: [yolo11n]' 'metrics: [throughput_fps, dram.avg_gbps]
pareto: [throughput_fps, dram.avg_gbps]
'
expect_stderr "neutral objective" 2 "pareto.yaml:6:26: error: pareto: 'dram.avg_gbps' is neither better higher nor lower" -- study pareto.yaml
study notkept '  workload: [yolo11n]' 'pareto: [throughput_fps, energy_per_frame]
'
expect_stderr "objective not kept" 2 "notkept.yaml:5:26: error: pareto: 'energy_per_frame' is not one of the study's metrics" -- study notkept.yaml
study workload '  workload: [yolo12n]'
expect_stderr "unknown workload" 2 "workload.yaml:3:14: error: axis workload: 'yolo12n' is neither a trace file" -- study workload.yaml
study twice '  workload: [yolo11n]
  sku: [nano8, nx16, nano8]'
expect_stderr "value twice" 2 "twice.yaml:4:22: error: axis sku: 'nano8' is given twice" -- study twice.yaml
study dtype '  workload: [yolo11n]
  dtype: [int8, fp12]'
expect_stderr "bad dtype" 2 "dtype.yaml:4:17: error: axis dtype: --dtype: unknown type 'fp12'" -- study dtype.yaml
study mode '  workload: [yolo11n]
  sku: [nano8]
  mode: [MAXN]'
expect_stderr "mode of no module" 2 "mode.yaml:5:10: error: axis mode: .*(module nano8)" -- study mode.yaml
study sku '  workload: [yolo11n]
  sku: [nano9]'
expect_stderr "unknown module" 2 "sku.yaml:4:9: error: .*nano9" -- study sku.yaml
study trace '  workload: [missing.yaml]'
expect_stderr "missing trace" 2 "trace.yaml:3:14: error: axis workload: missing.yaml: cannot open" -- study trace.yaml
study ambient '  workload: [yolo11n]
  ambient: [25C, hot]'
expect_stderr "bad ambient" 2 "ambient.yaml:4:18: error: axis ambient: expected a temperature" -- study ambient.yaml
study budget '  workload: [yolo11n]' 'budgets:
  - {metric: frame_latency.p99, max: 20W}
'
expect_stderr "budget unit" 2 "budget.yaml:6:38: error: budget 'frame_latency.p99' max" -- study budget.yaml
printf 'study: t\naxes: {workload: [yolo11n]}\ncolour: red\n' > key.yaml
expect_stderr "unknown key" 2 "key.yaml:3:1: error: unknown key 'colour'" -- study key.yaml
printf 'study: t\naxes: {workload: [yolo11n]\n' > syntax.yaml
expect_stderr "YAML syntax" 2 "syntax.yaml:[0-9]+:[0-9]+: error" -- study syntax.yaml

study ok '  workload: [yolo11n, bert-base]
  imgsz: [320]'
for s in 5/4 0/4 1/0 3 a/b 1/4x -1/4; do
  expect_stderr "--shard $s" 2 "--shard" -- study ok.yaml --shard "$s"
done
expect_stderr "unknown option" 2 "unknown option '--shards'" -- study ok.yaml --shards 1/2
expect_stderr "no file" 2 "no study file given" -- study

# bert-base takes no --imgsz: its run fails with the zoo's reason, yolo11n's runs.
"$bin" study ok.yaml -o ok --quiet
rc=$?
[ "$rc" -eq 0 ] && pass || fail "study with a failed run: exit $rc, expected 0"
grep -q '^1,"workload=bert-base.*,failed,.*takes no --imgsz' ok.csv && pass || fail "failed run: $(cat ok.csv)"
grep -q '^0,"workload=yolo11n.*,ok,' ok.csv && pass || fail "ok run: $(cat ok.csv)"
# --list: index and id of every run, or of the shard's (run 1 is the second: 1 % 2 = 1)
[ "$("$bin" study ok.yaml --list)" = "0 workload=yolo11n,imgsz=320,sku=agx64,mode=30W
1 workload=bert-base,imgsz=320,sku=agx64,mode=30W" ] && pass || fail "--list: $("$bin" study ok.yaml --list)"
[ "$("$bin" study ok.yaml --list --shard 2/2)" = "1 workload=bert-base,imgsz=320,sku=agx64,mode=30W" ] &&
  pass || fail "--list --shard 2/2"
# Progress goes to stderr only when it is a terminal (or with --progress).
"$bin" study ok.yaml -o quiet >/dev/null 2>err.txt
[ ! -s err.txt ] && pass || fail "stderr not a terminal, yet: $(cat err.txt)"
"$bin" study ok.yaml -o quiet --progress >/dev/null 2>err.txt
grep -q 'study: 2 of 2 runs done, 1 failed' err.txt && pass || fail "--progress: $(cat err.txt)"
# every run failing is bad input
study allbad '  workload: [bert-base]
  imgsz: [320]'
"$bin" study allbad.yaml -o allbad --quiet
[ $? -eq 2 ] && pass || fail "a study where every run fails: expected exit 2"

# Parts: of two studies, broken, missing runs.
"$bin" study ok.yaml --shard 1/2 -o a --quiet
study other '  workload: [yolo11n, resnet50]'
"$bin" study other.yaml --shard 2/2 -o b --quiet
expect_stderr "parts of two studies" 2 "part 2 is of another study" -- study merge a.part-1-of-2.json b.part-2-of-2.json -o m
expect_stderr "missing runs" 2 "1 of 2 runs are in no part \(the first: run 1\)" -- study merge a.part-1-of-2.json -o m
head -c 100 a.part-1-of-2.json > cut.json
expect_stderr "truncated part" 2 "cut.json" -- study merge cut.json -o m
printf '{"orinsim_study_part": 1}\n' > hollow.json
expect_stderr "hollow part" 2 "hollow.json: error: not a study part" -- study merge hollow.json -o m
expect_stderr "merge without -o" 2 "-o PREFIX is required" -- study merge a.part-1-of-2.json
"$bin" study merge a.part-1-of-2.json -o partial --partial --quiet
[ $? -eq 0 ] && grep -q 'a partial result: 1 of the study' partial.txt && pass || fail "--partial"
finish study_errors
