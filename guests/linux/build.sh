#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# The Linux guest image recipe (docs/linux.md): Debian's stock kernel and a
# busybox-static initramfs that checks the machine it finds and prints one
# verdict line.
#
#   guests/linux/build.sh [OUTDIR]      (default build/linux)
#
# Produces OUTDIR/vmlinuz (from the linux-image-6.1*-amd64 package, fetched
# with `apt-get download` and unpacked with `dpkg-deb -x`, nothing installed)
# and OUTDIR/initramfs.cpio.gz (guests/linux/init + /bin/busybox from the
# busybox-static package). The .deb is cached in OUTDIR; neither it nor the
# kernel is ever committed. Exits 0 when both files exist, 77 when the kernel
# cannot be fetched (no network, no apt) and is not cached.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-build/linux}
mkdir -p "$out"
out=$(cd "$out" && pwd)

fetch_kernel() {
	[ -s "$out/vmlinuz" ] && return 0
	deb=$(ls "$out"/linux-image-6.1*-amd64_*.deb 2>/dev/null | tail -1 || true)
	if [ -z "$deb" ]; then
		# The metapackage names the current ABI (linux-image-6.1.0-N-amd64).
		pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
			sed -n 's/^ *Depends: \(linux-image-6\.1[^ ]*-amd64\)$/\1/p' | head -1)
		[ -n "$pkg" ] || pkg=$(apt-cache pkgnames linux-image-6.1 2>/dev/null |
			grep -E '^linux-image-6\.1[.0-9-]*-amd64$' | sort -V | tail -1)
		if [ -z "$pkg" ]; then
			echo "linux recipe: no linux-image-6.1*-amd64 package known to apt" >&2
			return 77
		fi
		echo "linux recipe: apt-get download $pkg" >&2
		(cd "$out" && apt-get download "$pkg") >&2 || {
			echo "linux recipe: cannot download $pkg" >&2
			return 77
		}
		deb=$(ls "$out"/linux-image-6.1*-amd64_*.deb | tail -1)
	fi
	rm -rf "$out/deb"
	dpkg-deb -x "$deb" "$out/deb"
	cp "$(ls "$out"/deb/boot/vmlinuz-* | head -1)" "$out/vmlinuz.tmp"
	mv "$out/vmlinuz.tmp" "$out/vmlinuz"
	rm -rf "$out/deb"
	echo "linux recipe: $out/vmlinuz from $(basename "$deb")" >&2
}

# The initramfs: /init, /bin/busybox and the mount points. No device nodes
# (no root needed): the kernel's built-in initramfs already holds
# /dev/console, and /init mounts devtmpfs.
build_initramfs() {
	bb=/bin/busybox
	[ -x "$bb" ] || bb=$(command -v busybox || true)
	if [ -z "$bb" ] || ! file -L "$bb" 2>/dev/null | grep -q 'statically linked'; then
		echo "linux recipe: needs a static busybox (package busybox-static)" >&2
		return 1
	fi
	if [ -s "$out/initramfs.cpio.gz" ] && [ "$out/initramfs.cpio.gz" -nt "$here/init" ] &&
		[ "$out/initramfs.cpio.gz" -nt "$0" ]; then
		return 0
	fi
	root="$out/initramfs"
	rm -rf "$root"
	mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/tmp"
	cp "$bb" "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	cp "$here/init" "$root/init"
	chmod 755 "$root/init" "$root/bin/busybox"
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
		gzip -9n >"$out/initramfs.cpio.gz.tmp"
	mv "$out/initramfs.cpio.gz.tmp" "$out/initramfs.cpio.gz"
	rm -rf "$root"
	echo "linux recipe: $out/initramfs.cpio.gz" >&2
}

rc=0
fetch_kernel || rc=$?
build_initramfs
exit $rc
