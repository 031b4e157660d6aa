#!/bin/sh
# tests/run.sh TEST_BINARY...: run each cmocka test program (under valgrind
# when DHR_VALGRIND=1), add up cmocka's counts, and end with the line
# "check: N passed, N failed". Exits non-zero if any test or program failed.
# A skipped test counts as failed (a test that needs a missing tool must not
# pass quietly; `make deps` installs every tool): DHR_ALLOW_SKIP=1 lets one
# skip when you run a test binary by hand on a machine without, say, Chromium.
set -u
cd "$(dirname "$0")/.." || exit 2
passed=0
failed=0
broken=""
log=$(mktemp)
if [ "${DHR_VALGRIND:-0}" = 1 ] && [ -n "${DHR_BIN:-}" ]; then
	# the end-to-end tests start the binary: run it under valgrind as well
	DHR_REAL_BIN=$DHR_BIN
	DHR_BIN=$(pwd)/tests/valgrind-dhr.sh
	export DHR_REAL_BIN DHR_BIN DHR_UNDER_VALGRIND=1
fi
# one OpenMP thread for Tesseract (dhr sets it and execs itself again otherwise,
# which would leave valgrind behind)
OMP_THREAD_LIMIT=${OMP_THREAD_LIMIT:-1}
export OMP_THREAD_LIMIT
if [ "${DHR_VALGRIND:-0}" = 1 ]; then
	export DHR_NO_JIT=1 # valgrind cannot see into PCRE2's JIT code
fi
trap 'rm -f "$log"' EXIT
for t in "$@"; do
	name=$(basename "$t")
	start=$(date +%s)
	if [ "${DHR_VALGRIND:-0}" = 1 ]; then
		DHR_UNDER_VALGRIND=1 valgrind --quiet --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite --show-leak-kinds=definite --num-callers=40 \
			--suppressions=tests/valgrind.supp "$t" >"$log" 2>&1
	else
		"$t" >"$log" 2>&1
	fi
	rc=$?
	p=$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	f=$(sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	k=$(sed -n 's/.*\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	secs=$(( $(date +%s) - start ))
	if [ $rc -ne 0 ]; then
		broken="$broken $name"
		cat "$log"
		echo "FAIL $name (exit $rc, ${secs}s)"
		[ -z "$f" ] && failed=$((failed + 1))
	elif [ -n "$k" ] && [ "${DHR_ALLOW_SKIP:-0}" != 1 ]; then
		broken="$broken $name"
		cat "$log"
		echo "FAIL $name: $k test(s) skipped (${secs}s); the reasons are above (make deps installs what tests need)"
		failed=$((failed + k))
	else
		echo "ok   $name: ${p:-0} tests${k:+, $k skipped} (${secs}s)"
	fi
done
echo "check: $passed passed, $failed failed"
[ -z "$broken" ]
