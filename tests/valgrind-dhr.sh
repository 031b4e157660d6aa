#!/bin/sh
# tests/valgrind-dhr.sh: stands in for ./dhr when `make valgrind` runs the
# end-to-end tests, so the binary they start (and every worker it forks)
# runs under valgrind too; any error or definite leak makes it exit 99.
exec valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite --num-callers=40 --suppressions="$(dirname "$0")/valgrind.supp" \
	"$DHR_REAL_BIN" "$@"
