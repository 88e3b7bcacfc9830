#!/usr/bin/env bash
# Checks a package deploy/package.sh built: deploy/check-package.sh <package.deb> amd64|arm64
# The control fields, the files every installation needs, and that the programs are built for that machine.
set -euo pipefail
package="$1" arch="$2"
case "$arch" in
    amd64) machine=003e ;;   # ELF e_machine of x86-64
    arm64) machine=00b7 ;;   # ELF e_machine of AArch64
    *) echo "usage: $0 <package.deb> amd64|arm64" >&2; exit 2 ;;
esac
fail() { echo "check-package: $package: $*" >&2; exit 1; }
tree="$(mktemp -d)"
trap 'rm -rf "$tree"' EXIT
dpkg-deb -x "$package" "$tree"

dpkg-deb -f "$package" Package | grep -qx evok-orleans || fail "package name"
dpkg-deb -f "$package" Architecture | grep -qx "$arch" || fail "Architecture is not $arch"
for file in opt/evok-orleans/evok-orleans-silo opt/evok-orleans/evok-orleans opt/evok-orleans/wwwroot/index.html \
            opt/evok-orleans/libcoreclr.so lib/systemd/system/evok-orleans.service etc/evok-orleans/config.yaml; do
    [ -f "$tree/$file" ] || fail "/$file is missing"
done
for link in usr/bin/evok-orleans usr/bin/evok-orleans-silo; do
    [ -L "$tree/$link" ] || fail "/$link is missing"
done
for program in evok-orleans-silo evok-orleans; do
    found="$(od -An -tx2 -j18 -N2 "$tree/opt/evok-orleans/$program" | tr -d ' ')"
    [ "$found" = "$machine" ] || fail "$program is built for ELF machine $found, not $arch ($machine)"
done
unit="$(cat "$tree/lib/systemd/system/evok-orleans.service")"
for line in NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes CapabilityBoundingSet= User=evok-orleans WatchdogSec=30; do
    grep -qx "$line" <<<"$unit" || fail "unit lacks $line"
done
echo "check-package: $package: $arch, $(dpkg-deb -f "$package" Installed-Size) KB installed, ok"
