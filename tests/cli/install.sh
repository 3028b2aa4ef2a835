#!/usr/bin/env bash
# `cmake --install` gives a working orinsim anywhere: install to a prefix, move the tree
# elsewhere (so no path of the build or of the first prefix can be what it uses), and from
# another directory, with ORINSIM_CONFIG_DIR unset, simulate the installed example trace on
# nano8, list the modules, validate one case, and read the man page.
# Usage: install.sh ORINSIM SOURCE_DIR (the build directory is ORINSIM's).
set -u
bin=$1
src=$2
. "$(dirname "$0")/lib.bash"
build=$(cd "$(dirname "$bin")" && pwd)

if ! cmake --install "$build" --prefix "$tmp/first" >"$tmp/install.log" 2>&1; then
  fail "cmake --install: $(tail -5 "$tmp/install.log")"; finish install; exit
fi
mv "$tmp/first" "$tmp/moved"
p=$tmp/moved
for f in bin/orinsim share/orinsim/configs/nano8.yaml share/orinsim/traces/camera-detector.yaml \
         share/orinsim/traces/validation/cases.yaml share/man/man1/orinsim.1 \
         share/doc/orinsim/README.md share/doc/orinsim/docs/power.md \
         share/bash-completion/completions/orinsim share/zsh/vendor-completions/_orinsim; do
  [ -f "$p/$f" ] && pass || fail "not installed: $f"
done

mkdir "$tmp/elsewhere"
cd "$tmp/elsewhere" || exit 1
unset ORINSIM_CONFIG_DIR
inst=$p/bin/orinsim
out=$("$inst" --sku nano8 "$p/share/orinsim/traces/camera-detector.yaml" 2>&1)
rc=$?
if [ $rc -eq 0 ] && printf '%s' "$out" | grep -q '^module    nano8, Jetson Orin Nano 8GB'; then pass
else fail "installed run: exit $rc: $(printf '%s' "$out" | head -3)"; fi

# The modules come from the installed tree: an unknown name's message names its directory.
msg=$("$inst" --sku nope "$p/share/orinsim/traces/camera-detector.yaml" 2>&1)
if printf '%s' "$msg" | grep -qF "shipped SKUs in $p/bin/../share/orinsim/configs: agx-industrial"; then pass
else fail "configs not taken from the install: $msg"; fi
"$inst" skus | grep -q '^nano8 ' && pass || fail "installed skus lacks nano8"
# validate finds its registry and traces under share/orinsim/traces.
"$inst" validate --case "$("$inst" validate --json | sed -n 's/.*"id": "\([^"]*\)".*/\1/p' | head -1)" \
  >/dev/null 2>"$tmp/err" && pass || fail "installed validate: $(cat "$tmp/err")"

# Without the installed configs, the message lists every place it looked, in order.
mv "$p/share/orinsim/configs" "$p/share/orinsim/configs.away"
msg=$(ORINSIM_CONFIG_DIR=$tmp/none "$inst" --sku nope x.yaml 2>&1)
if printf '%s' "$msg" | grep -qF "$p/bin/../share/orinsim/configs (absent), \$ORINSIM_CONFIG_DIR ($tmp/none: absent)"; then pass
else fail "search list: $msg"; fi
mv "$p/share/orinsim/configs.away" "$p/share/orinsim/configs"

if command -v man >/dev/null 2>&1; then
  page=$(MANWIDTH=80 man -l "$p/share/man/man1/orinsim.1" 2>"$tmp/manerr" | col -b 2>/dev/null)
  for s in NAME SYNOPSIS RUN ZOO VALIDATE SWEEP DIFF VIEW 'CHECK AND COMPARE' PROFILE BENCH ENVIRONMENT 'EXIT STATUS'; do
    printf '%s\n' "$page" | grep -q "^$s" || fail "man page lacks section $s"
  done
  [ ! -s "$tmp/manerr" ] && pass || fail "man -l warns: $(cat "$tmp/manerr")"
fi
bash -n "$p/share/bash-completion/completions/orinsim" && pass || fail "bash completion syntax"
finish install
