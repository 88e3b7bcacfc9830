#!/usr/bin/env bash
# Checks a package deploy/package.sh built: deploy/check-package.sh <package.deb> amd64|arm64|all
# The control fields, the files every installation needs, and that the programs are built for that machine (or, for
# all, that nothing in it is built for one machine but the native parts of each RID under runtimes/).
set -euo pipefail
package="$1" arch="$2"
case "$arch" in
    amd64) machine=003e ;;   # ELF e_machine of x86-64
    arm64) machine=00b7 ;;   # ELF e_machine of AArch64
    all) machine= ;;
    *) echo "usage: $0 <package.deb> amd64|arm64|all" >&2; exit 2 ;;
esac
fail() { echo "check-package: $package: $*" >&2; exit 1; }
tree="$(mktemp -d)"
trap 'rm -rf "$tree"' EXIT
dpkg-deb -x "$package" "$tree"
program="$tree/opt/evok-orleans"

dpkg-deb -f "$package" Package | grep -qx evok-orleans || fail "package name"
dpkg-deb -f "$package" Architecture | grep -qx "$arch" || fail "Architecture is not $arch"
for file in opt/evok-orleans/evok-orleans-silo opt/evok-orleans/evok-orleans opt/evok-orleans/evok-orleans-silo.dll \
            opt/evok-orleans/wwwroot/index.html opt/evok-orleans/docs/configuration.md opt/evok-orleans/NOTICE \
            opt/evok-orleans/LICENSE-evok lib/systemd/system/evok-orleans.service \
            etc/evok-orleans/config.yaml; do
    [ -f "$tree/$file" ] || fail "/$file is missing"
done
for link in usr/bin/evok-orleans usr/bin/evok-orleans-silo; do
    [ -L "$tree/$link" ] || fail "/$link is missing"
done
elf() { [ "$(head -c4 "$1" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; }
if [ -n "$machine" ]; then
    [ -f "$program/libcoreclr.so" ] || fail "/opt/evok-orleans/libcoreclr.so is missing (not self-contained)"
    for program_name in evok-orleans-silo evok-orleans; do
        found="$(od -An -tx2 -j18 -N2 "$program/$program_name" | tr -d ' ')"
        [ "$found" = "$machine" ] || fail "$program_name is built for ELF machine $found, not $arch ($machine)"
    done
    # ReadyToRun: the silo's own assembly carries native code (a managed-native header), not IL alone.
    grep -q RTR "$program/Evok.Orleans.Grains.dll" || fail "Evok.Orleans.Grains.dll is not ReadyToRun"
else
    [ ! -e "$program/libcoreclr.so" ] || fail "holds a runtime: it should use the controller's"
    for program_name in evok-orleans-silo evok-orleans; do
        head -c2 "$program/$program_name" | grep -q '#!' || fail "$program_name is not the script that starts it with dotnet"
    done
    grep -q '"Microsoft.AspNetCore.App"' "$program/evok-orleans-silo.runtimeconfig.json" || fail "the silo does not ask for ASP.NET Core"
    stray="$(find "$program" -type f ! -path "$program/runtimes/*" | while read -r file; do if elf "$file"; then echo "$file"; fi; done)"
    [ -z "$stray" ] || fail "machine code outside runtimes/: ${stray#"$tree"}"
    for native in linux-arm linux-arm64 linux-x64; do
        [ -d "$program/runtimes/$native" ] || fail "no native parts for $native under runtimes/"
        [ -f "$program/runtimes/$native/native/libe_sqlite3.so" ] || fail "no SQLite for $native (the change journal)"
    done
    [ -n "$(find "$program/runtimes/unix" -name System.IO.Ports.dll)" ] || fail "no System.IO.Ports for Linux under runtimes/unix"
fi
unit="$(cat "$tree/lib/systemd/system/evok-orleans.service")"
for line in NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes CapabilityBoundingSet= User=evok-orleans WatchdogSec=30; do
    grep -qx "$line" <<<"$unit" || fail "unit lacks $line"
done
echo "check-package: $package: $arch, $(dpkg-deb -f "$package" Installed-Size) KB installed, ok"
