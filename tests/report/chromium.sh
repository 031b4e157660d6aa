#!/bin/sh
# tests/report/chromium.sh MODE PAGE OUT: open the HTML report PAGE (a file
# path, optionally followed by #fragment) in headless Chromium, for the report
# tests (tests/test_report.c) and for looking at a report by hand.
#   MODE dom   write the DOM, after the page's scripts have run, to OUT
#   MODE shot  write a 1280x2400 screenshot (PNG) to OUT
# Chromium's log goes to OUT.log (console errors appear there as "Uncaught"
# or "CONSOLE"). Exit status: Chromium's, or 77 when no Chromium is installed.
# Set DHR_CHROMIUM to use a particular browser binary.
set -u
mode=$1
page=$2
out=$3
browser=${DHR_CHROMIUM:-}
if [ -z "$browser" ]; then
	for b in chromium chromium-browser google-chrome-stable google-chrome; do
		if command -v "$b" >/dev/null 2>&1; then
			browser=$b
			break
		fi
	done
fi
[ -n "$browser" ] || exit 77

case $page in
/*) url="file://$page" ;;
*) url="file://$(pwd)/$page" ;;
esac
profile=$(mktemp -d "${TMPDIR:-/tmp}/dhr-chromium-XXXXXX") || exit 2
trap 'rm -rf "$profile"' EXIT

# No network, no first-run work, no sandbox (containers often lack the kernel
# features it needs); logging to stderr so console errors can be checked.
set -- --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--disable-default-apps --disable-extensions --mute-audio --hide-scrollbars \
	--enable-logging=stderr --v=0 --user-data-dir="$profile"
case $mode in
dom)
	timeout 90 "$browser" "$@" --dump-dom "$url" >"$out" 2>"$out.log"
	;;
shot)
	timeout 90 "$browser" "$@" --window-size=1280,2400 --screenshot="$out" "$url" >"$out.log" 2>&1
	;;
*)
	echo "usage: $0 dom|shot PAGE OUT" >&2
	exit 2
	;;
esac
