#!/bin/sh
# tests/report/chromium.sh PAGE DOM [PNG]: open the HTML report PAGE (a file
# path, optionally followed by #fragment) in headless Chromium, for the report
# tests (tests/test_report.c) and for looking at a report by hand. Writes the
# DOM as it is after the page's script has run to DOM, Chromium's log to
# DOM.log (console messages appear there as ":CONSOLE" lines, uncaught
# exceptions as "Uncaught"), and, given PNG, a 1280x2400 screenshot.
# Exit status: Chromium's, 124 on a time-out, or 77 when no Chromium is
# installed. DHR_CHROMIUM names a particular browser binary.
set -u
if [ $# -lt 2 ]; then
	echo "usage: $0 PAGE DOM [PNG]" >&2
	exit 2
fi
page=$1
dom=$2
png=${3:-}
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
# features it needs); logging to stderr so console messages can be checked.
set -- --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--disable-default-apps --disable-extensions --mute-audio --hide-scrollbars \
	--enable-logging=stderr --v=0 --user-data-dir="$profile" --window-size=1280,2400
if [ -n "$png" ]; then
	set -- "$@" --screenshot="$png"
fi
timeout 90 "$browser" "$@" --dump-dom "$url" >"$dom" 2>"$dom.log"
