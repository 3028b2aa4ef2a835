#!/usr/bin/env bash
# The rooms call only downwards and no files loop (tests/arch/layers.sh,
# docs/architecture.md): on the tree and its built library, and, so that the check can
# fail, on small trees made here with each kind of fault.
#   arch_layers.sh ORINSIM_BINARY SOURCE_DIR
set -u
bin=$1 src=$2
. "$(dirname "$0")/lib.bash"
check=$src/tests/arch/layers.sh
lib=$(dirname "$bin")/liborinsim_core.a

# The real tree, includes and calls.
if out=$("$check" "$src" "$lib" 2>&1); then pass; else fail "the tree: $out"; fi

# mini NAME: a two-room tree under $tmp/NAME (lo below hi).
mini() {
  mkdir -p "$tmp/$1/lo" "$tmp/$1/hi"
  printf 'set(ORINSIM_ROOMS\n  lo   # below\n  hi)  # above\n' >"$tmp/$1/CMakeLists.txt"
}
# expect_fault NAME REGEX [LIB]: the check must fail on the tree NAME and say REGEX.
expect_fault() {
  local out
  if out=$("$check" "$tmp/$1" ${3:+"$3"} 2>&1); then
    fail "$1: the check passed a faulty tree"
  elif ! printf '%s' "$out" | grep -Eq -- "$2"; then
    fail "$1: message does not match /$2/: $out"
  else
    pass
  fi
}

# A clean tree passes: hi/b.c calls lo/a.c.
mini clean
printf 'int a(void);\n' >"$tmp/clean/lo/a.h"
printf '#include "lo/a.h"\nint a(void) { return 1; }\n' >"$tmp/clean/lo/a.c"
printf '#include "lo/a.h"\nint b(void) { return a(); }\n' >"$tmp/clean/hi/b.c"
if out=$("$check" "$tmp/clean" 2>&1); then pass; else fail "clean tree: $out"; fi

# A lower room including a higher one's header.
mini up
printf 'int b(void);\n' >"$tmp/up/hi/b.h"
printf '#include "hi/b.h"\nint a(void) { return b(); }\n' >"$tmp/up/lo/a.c"
expect_fault up 'includes: lo/a.c \(lo\) uses hi/b.h \(hi\), a later room'

# Two headers including each other.
mini hloop
printf '#include "lo/y.h"\n' >"$tmp/hloop/lo/x.h"
printf '#include "lo/x.h"\n' >"$tmp/hloop/lo/y.h"
expect_fault hloop 'a loop between headers'

# Calls: x.c and y.c in one room call each other (no include shows it); and a lower file
# calling a higher one through a declaration of its own.
if command -v cc >/dev/null && command -v ar >/dev/null; then
  mini cloop
  printf 'int y(int);\nint x(int n) { return n ? y(n - 1) : 0; }\n' >"$tmp/cloop/lo/x.c"
  printf 'int x(int);\nint y(int n) { return n ? x(n - 1) : 1; }\n' >"$tmp/cloop/lo/y.c"
  printf 'int b(void);\nint a(void) { return b(); }\n' >"$tmp/cloop/lo/a.c"
  printf 'int b(void) { return 2; }\n' >"$tmp/cloop/hi/b.c"
  for f in lo/x lo/y lo/a hi/b; do
    cc -c "$tmp/cloop/$f.c" -o "$tmp/cloop/$(basename $f).c.o" || fail "cc $f"
  done
  ar rcs "$tmp/cloop/lib.a" "$tmp"/cloop/*.c.o
  expect_fault cloop 'calls: a loop between files' "$tmp/cloop/lib.a"
  expect_fault cloop 'calls: lo/a.c \(lo\) uses hi/b.c \(hi\), a later room' "$tmp/cloop/lib.a"
fi

finish arch_layers
