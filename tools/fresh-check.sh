#!/bin/sh
# tools/fresh-check.sh [COMMAND...]: run the README's two commands as a new
# user would, on a machine that has never seen dhr: a clean clone of this
# repository's committed HEAD inside a fresh Debian 12 (bookworm) chroot that
# has only what a new build machine has (build-essential, git,
# ca-certificates, sudo) and none of dhr's dependencies. Prints each
# command's exit status, its duration, the last lines of its log, and which
# packages it installed. Exits 1 if any command failed. `make fresh-check`.
#
#   sudo sh tools/fresh-check.sh                        # make demo, then make check
#   sudo sh tools/fresh-check.sh 'make demo' 'make asan'
#
# Needs root (debootstrap, chroot, mounts) and installs debootstrap when it is
# missing. Uncommitted changes are not in the clone: commit first.
#
# Where things go (each can be set in the environment):
#   DHR_FRESH_BASE  the cached minbase chroot with the base tools, built once
#                   (default /var/cache/dhr/fresh-base; delete it to rebuild)
#   DHR_FRESH_ROOT  the throwaway copy each run uses (default /var/tmp/dhr-fresh-root)
#   DHR_FRESH_LOGS  one log per command (default /var/tmp/dhr-fresh-logs)
#   DHR_FRESH_MIRROR  the Debian mirror (default: this machine's apt source)
set -u

src=$(cd "$(dirname "$0")/.." && pwd)
base=${DHR_FRESH_BASE:-/var/cache/dhr/fresh-base}
root=${DHR_FRESH_ROOT:-/var/tmp/dhr-fresh-root}
logs=${DHR_FRESH_LOGS:-/var/tmp/dhr-fresh-logs}
[ $# -gt 0 ] || set -- 'make demo' 'make check'

say() { echo "fresh-check: $*"; }
die() {
	echo "fresh-check: $*" >&2
	exit 2
}
[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot and mounts): sudo sh tools/fresh-check.sh"
git -C "$src" rev-parse --verify -q HEAD > /dev/null || die "$src is not a git clone with a commit"
if [ -n "$(git -C "$src" status --porcelain --untracked-files=no)" ]; then
	say "uncommitted changes in $src are not tested (the clone has HEAD only)"
fi

# ---- the base: built once, then reused (a marker file says it is complete)
if [ ! -e "$base/.dhr-fresh-base" ]; then
	export DEBIAN_FRONTEND=noninteractive
	if ! command -v debootstrap > /dev/null; then
		say "installing debootstrap"
		apt-get install -y -qq -o DPkg::Lock::Timeout=600 debootstrap > /dev/null 2>&1 ||
			{ apt-get update -qq && apt-get install -y -qq debootstrap > /dev/null; } ||
			die "could not install debootstrap"
	fi
	mirror=${DHR_FRESH_MIRROR:-}
	# deb822 sources (Debian 12's default), then the one-line format
	[ -n "$mirror" ] || mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2> /dev/null)
	[ -n "$mirror" ] || mirror=$(awk '/^deb / { print $2; exit }' /etc/apt/sources.list 2> /dev/null)
	[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
	mkdir -p "$(dirname "$base")" "$logs"
	rm -rf "$base"
	say "debootstrap bookworm (minbase) into $base from $mirror (once; log $logs/debootstrap.log)"
	debootstrap --variant=minbase bookworm "$base" "$mirror" > "$logs/debootstrap.log" 2>&1 ||
		die "debootstrap failed (see $logs/debootstrap.log)"
	chroot "$base" sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential git ca-certificates sudo' \
		>> "$logs/debootstrap.log" 2>&1 || die "installing the base tools failed (see $logs/debootstrap.log)"
	chroot "$base" apt-get clean
	touch "$base/.dhr-fresh-base"
fi

# ---- a fresh copy of the base for this run, with /proc and /dev, and a clean clone
unmount() {
	for m in dev/pts dev proc; do
		umount "$root/$m" 2> /dev/null
	done
}
unmount
# never remove a tree with this machine's /dev still mounted in it
if awk -v r="$root/" 'index($2 "/", r) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
	die "something is still mounted under $root (see /proc/mounts): unmount it first"
fi
rm -rf --one-file-system "$root"
cp -a "$base" "$root" || die "could not copy $base to $root"
trap 'unmount' EXIT
trap 'exit 130' INT TERM
if ! { mount -t proc proc "$root/proc" && mount --bind /dev "$root/dev" && mount --bind /dev/pts "$root/dev/pts"; }; then
	die "could not mount /proc and /dev in $root"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf" 2> /dev/null
git clone -q "$src" "$root/src" || die "git clone of $src failed"
say "clean clone of $(git -C "$root/src" log -1 --format='%h %s' | cut -c1-70)"
mkdir -p "$logs"

rc=0
# shellcheck disable=SC2016 # dpkg-query's own ${Package}
chroot "$root" dpkg-query -W -f '${Package}\n' | sort > "$logs/packages-before"
for cmd in "$@"; do
	log=$logs/$(echo "$cmd" | tr -c 'a-zA-Z0-9\n' '-').log
	say "=== $cmd"
	start=$(date +%s)
	# a clean environment, as a new login has (none of this machine's variables)
	chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		sh -c "cd /src && $cmd" < /dev/null > "$log" 2>&1
	r=$?
	secs=$(($(date +%s) - start))
	# shellcheck disable=SC2016
	chroot "$root" dpkg-query -W -f '${Package}\n' | sort > "$logs/packages-after"
	new=$(comm -13 "$logs/packages-before" "$logs/packages-after")
	mv "$logs/packages-after" "$logs/packages-before"
	say "exit $r in ${secs} s (log $log); last lines:"
	tail -n 5 "$log" | sed 's/^/    /'
	echo "$new" | grep . > "$log.pkgs"
	heavy=$(grep -xE 'chromium|valgrind|clang(-[0-9]+)?' "$log.pkgs" | tr '\n' ' ')
	say "it installed $(grep -c . "$log.pkgs") packages (list: $log.pkgs); of chromium, valgrind, clang: ${heavy:-none}"
	[ $r = 0 ] || rc=1
done
exit $rc
