#!/bin/bash
# Builds Tollgate and runs the whole test suite: the normal build (every label), then the suite
# again under AddressSanitizer + UndefinedBehaviorSanitizer, then the libFuzzer targets for a
# short fixed time. Build folders: build/ci, build/asan, build/fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
export QT_QPA_PLATFORM=offscreen
export XDG_RUNTIME_DIR=$(mktemp -d)
chmod 700 "$XDG_RUNTIME_DIR"

step() { printf '\n== %s ==\n' "$*"; }

step "format check"
files=$(git ls-files '*.cpp' '*.h' 2>/dev/null || find app gateway-core ui tests -name '*.cpp' -o -name '*.h')
clang-format --dry-run -Werror $files

step "build (gcc, RelWithDebInfo)"
cmake -S . -B build/ci -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON >/dev/null
cmake --build build/ci -j "$JOBS"

step "tests"
ctest --test-dir build/ci --output-on-failure -j "$JOBS"

step "build (clang, ASan + UBSan)"
CC=clang CXX=clang++ cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DBUILD_TESTING=ON \
  -DTOLLGATE_SANITIZE=ON -DTOLLGATE_BUILD_GUI=OFF >/dev/null
cmake --build build/asan -j "$JOBS"

step "tests under ASan + UBSan"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
ctest --test-dir build/asan --output-on-failure -j "$JOBS" -L 'core|integration'

step "fuzzers (libFuzzer, ${TOLLGATE_FUZZ_SECONDS:-20} s each)"
CC=clang CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON \
  -DTOLLGATE_FUZZ=ON -DTOLLGATE_BUILD_GUI=OFF -DTOLLGATE_FUZZ_SECONDS="${TOLLGATE_FUZZ_SECONDS:-20}" >/dev/null
targets=$(cd tests/fuzz && ls fuzz_*.cpp | sed 's/\.cpp$//')
cmake --build build/fuzz -j "$JOBS" --target $targets
ctest --test-dir build/fuzz --output-on-failure -L fuzz -E replay
