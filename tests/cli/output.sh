#!/usr/bin/env bash
# Every output is checked (soc/io/out.c): a write to a full device (/dev/full), to a
# closed standard output, or past a file size limit exits 8 with one message that says
# why, and leaves no partial file behind; a file that was there before is left as it was.
# A full file system is simulated with `ulimit -f` (EFBIG, "File too large"), which needs
# no privileges, and, where a mount namespace can be made (root), also made for real: a
# full 4 KiB tmpfs (ENOSPC). Every run is under `timeout`.
# Usage: output.sh ORINSIM SOURCE_DIR
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.bash"

trace=$src/traces/camera-detector.yaml
small=(--sku agx32 --frames 2 --reproducible)

# want NAME RC REGEX -- COMMAND...: COMMAND (its own redirections made by the caller
# through bash -c) exits RC and its stderr matches REGEX.
want() {
  local name=$1 rc_want=$2 re=$3 rc
  shift 4
  timeout 120 "$@" > /dev/null 2> "$tmp/err"
  rc=$?
  if [ "$rc" -ne "$rc_want" ]; then
    fail "$name: exit $rc, expected $rc_want; stderr: $(cat "$tmp/err")"; return
  fi
  if [ -n "$re" ] && ! grep -Eq -- "$re" "$tmp/err"; then
    fail "$name: stderr does not match /$re/: $(cat "$tmp/err")"; return
  fi
  pass
}

"$bin" "${small[@]}" --quiet --json "$tmp/base.json" "$trace" || fail "base report"
"$bin" zoo yolo11n --dtype fp16 --io-dtype fp32 > "$tmp/y.yaml" || fail "zoo"
cat > "$tmp/p.json" <<'JSON'
[ { "count" : 10 }
, { "name" : "/model.0/conv/Conv + PWN(PWN(/model.0/act/Sigmoid), /model.0/act/Mul)", "timeMs" : 2, "averageMs" : 0.2, "medianMs" : 0.2, "percentage" : 100 } ]
JSON

nospace='cannot write the .*: No space left on device'
if [ -w /dev/full ]; then
  # Standard output on a full device: every command that prints.
  want text 8 "^<stdout>: error: $nospace" -- bash -c '"$0" "$@" > /dev/full' "$bin" "${small[@]}" "$trace"
  want json_stdout 8 "^<stdout>: error: cannot write the JSON report: No space" -- \
    bash -c '"$0" "$@" > /dev/full' "$bin" "${small[@]}" --json - "$trace"
  want junit_stdout 8 "^<stdout>: error: cannot write the JUnit report: No space" -- \
    bash -c '"$0" "$@" > /dev/full' "$bin" "${small[@]}" --quiet --junit - "$trace"
  want skus 8 "^<stdout>: error: $nospace" -- bash -c '"$0" skus > /dev/full' "$bin"
  want sku 8 "^<stdout>: error: $nospace" -- bash -c '"$0" sku agx32 > /dev/full' "$bin"
  want help 8 "^<stdout>: error: $nospace" -- bash -c '"$0" --help > /dev/full' "$bin"
  want diff 8 "^<stdout>: error: $nospace" -- \
    bash -c '"$0" diff "$1" "$1" > /dev/full' "$bin" "$tmp/base.json"
  want zoo 8 "^<stdout>: error: cannot write the trace: No space" -- \
    bash -c '"$0" zoo resnet50 > /dev/full' "$bin"
  want validate 8 "^<stdout>: error: cannot write the validation table: No space" -- \
    bash -c '"$0" validate --json --case dla-resnet50-MAXN > /dev/full' "$bin"
  want sweep 8 "^<stdout>: error: $nospace" -- \
    bash -c '"$0" sweep --sku nano8 --mode all --frames 2 "$1" > /dev/full' "$bin" "$trace"
  want profile 8 "^<stdout>: error: $nospace" -- \
    bash -c '"$0" profile --sku nano8 "$1" "$2" > /dev/full' "$bin" "$tmp/p.json" "$tmp/y.yaml"
  want compare 8 "^<stdout>: error: $nospace" -- bash -c '"$0" compare "$1" > /dev/full' "$bin" \
    "$src/tests/data/measured/nvidia-h200-gemm.yaml"
  # Files on a full device: written in place (a device is not renamed over).
  want json_file 8 "^/dev/full: error: cannot write the JSON report: No space" -- \
    "$bin" "${small[@]}" --quiet --json /dev/full "$trace"
  want junit_file 8 "^/dev/full: error: cannot write the JUnit report: No space" -- \
    "$bin" "${small[@]}" --quiet --junit /dev/full "$trace"
  want timeline_file 8 "^/dev/full: error: cannot write the timeline: No space" -- \
    "$bin" "${small[@]}" --quiet --timeline /dev/full "$trace"
  want profile_json 8 "^/dev/full: error: cannot write the JSON output: No space" -- \
    "$bin" profile --sku nano8 --json /dev/full "$tmp/p.json" "$tmp/y.yaml"
  want compare_json 8 "^/dev/full: error: cannot write the JSON report: No space" -- \
    "$bin" compare --json /dev/full "$src/tests/data/measured/nvidia-h200-gemm.yaml"
fi

# A closed standard output: the write fails with EBADF.
closed='^<stdout>: error: cannot write the .*: Bad file descriptor'
want closed_text 8 "$closed" -- bash -c '"$0" "$@" >&-' "$bin" "${small[@]}" "$trace"
want closed_json 8 "$closed" -- bash -c '"$0" "$@" >&-' "$bin" "${small[@]}" --json - "$trace"
want closed_help 8 "$closed" -- bash -c '"$0" --help >&-' "$bin"
want closed_skus 8 "$closed" -- bash -c '"$0" skus >&-' "$bin"
# Nothing to print and stdout closed is no failure: --quiet with a report in a file.
want closed_quiet 0 '' -- bash -c '"$0" "$@" >&-' "$bin" "${small[@]}" --quiet --json "$tmp/q.json" "$trace"

# Past a file size limit (ulimit -f counts 1024-byte blocks): the 2.4 KB report does not
# fit in 1 KiB. The file is not created, and a file already there is left untouched.
toobig='cannot write the .*: File too large'
mkdir "$tmp/full"
want limit_json 8 "^$tmp/full/r.json: error: $toobig" -- \
  bash -c 'ulimit -f 1; exec "$0" "$@"' "$bin" "${small[@]}" --quiet --json "$tmp/full/r.json" "$trace"
[ -z "$(ls -A "$tmp/full")" ] && pass || fail "limit_json left files: $(ls -A "$tmp/full")"
echo 'previous report' > "$tmp/full/r.json"
want limit_keep 8 "$toobig" -- \
  bash -c 'ulimit -f 1; exec "$0" "$@"' "$bin" "${small[@]}" --quiet --json "$tmp/full/r.json" "$trace"
[ "$(cat "$tmp/full/r.json")" = 'previous report' ] && [ "$(ls -A "$tmp/full")" = r.json ] && pass ||
  fail "limit_keep: r.json changed or files left: $(ls -A "$tmp/full")"
rm -f "$tmp/full/r.json"
want limit_timeline 8 "^$tmp/full/t.json: error: $toobig" -- \
  bash -c 'ulimit -f 1; exec "$0" "$@"' "$bin" "${small[@]}" --quiet --timeline "$tmp/full/t.json" "$trace"
# The JUnit report of three runs is 1.6 KB.
want limit_junit 8 "^$tmp/full/j.xml: error: $toobig" -- \
  bash -c 'ulimit -f 1; exec "$0" "$@"' "$bin" "${small[@]}" --sku agx64,nano8 --quiet \
  --junit "$tmp/full/j.xml" "$trace"
want limit_stdout 8 "^<stdout>: error: $toobig" -- \
  env OUT="$tmp/full/out.txt" bash -c 'ulimit -f 1; exec "$0" "$@" > "$OUT"' "$bin" "${small[@]}" "$trace"
rm -f "$tmp/full/out.txt"
[ -z "$(ls -A "$tmp/full")" ] && pass || fail "limits left files: $(ls -A "$tmp/full")"

# A real full file system where one can be made: a 4 KiB tmpfs in a mount namespace of
# its own (root only; skipped elsewhere, the file size limit above stands in for it).
mkdir "$tmp/fs"
if unshare -m sh -c 'mount -t tmpfs -o size=4k tmpfs "$1"' sh "$tmp/fs" 2>/dev/null; then
  out=$(timeout 60 unshare -m sh -c '
    mount -t tmpfs -o size=4k tmpfs "$1" || exit 99
    echo previous > "$1/r.json"
    # Fill the rest of the 4 KiB, so that no byte of the report fits.
    head -c 8192 /dev/zero > "$1/filler" 2>/dev/null
    "$2" --sku agx32 --frames 2 --quiet --json "$1/r.json" "$3" 2>&1
    echo "rc=$?"
    ls -A "$1" | tr "\n" " "; echo
    cat "$1/r.json"' sh "$tmp/fs" "$bin" "$trace")
  if printf '%s\n' "$out" | grep -q "r.json: error: cannot write the JSON report: No space left on device" &&
     printf '%s\n' "$out" | grep -qx 'rc=8' && printf '%s\n' "$out" | grep -qx 'filler r.json ' &&
     printf '%s\n' "$out" | grep -qx previous; then pass; else fail "tmpfs full: $out"; fi
else
  echo "note: no mount namespace here: the full tmpfs case is skipped"
fi

# A report written in full is renamed into place with the permissions a new file gets,
# and an existing file keeps its own.
(umask 027; "$bin" "${small[@]}" --quiet --json "$tmp/m.json" "$trace")
[ "$(stat -c %a "$tmp/m.json")" = 640 ] && pass || fail "new file mode $(stat -c %a "$tmp/m.json")"
chmod 604 "$tmp/m.json"
"$bin" "${small[@]}" --quiet --json "$tmp/m.json" "$trace"
[ "$(stat -c %a "$tmp/m.json")" = 604 ] && cmp -s "$tmp/m.json" "$tmp/base.json" && pass ||
  fail "rewritten file: mode $(stat -c %a "$tmp/m.json") or content differs"
# Through a symbolic link, the target is replaced and the link kept.
ln -s m.json "$tmp/link.json"
"$bin" "${small[@]}" --quiet --json "$tmp/link.json" "$trace"
[ -L "$tmp/link.json" ] && cmp -s "$tmp/m.json" "$tmp/base.json" && pass || fail "symlink replaced"
want dir 8 "^$tmp: error: cannot write the JSON report: it is a directory" -- \
  "$bin" "${small[@]}" --quiet --json "$tmp" "$trace"

finish output
