#!/usr/bin/env bash
# Builds the Debian package of Evok.Orleans: deploy/package.sh amd64|arm64|all [output directory, default artifacts/]
#
# amd64 and arm64 are self-contained (the .NET runtime inside, ~55 MB packed): Unipi's OS and most controller images
# have no .NET and no Microsoft apt repository, and the package must install offline. They are compiled ReadyToRun
# (native code for the target next to the IL, made by crossgen2 on this machine), so a Cortex-A53 does not spend its
# first seconds in the JIT; READY_TO_RUN=false builds the JIT-only package the start-up benchmark compares with.
# all is framework-dependent, for the controllers no runtime pack is served for (armhf: Neuron's 32-bit image,
# Unipi 1.1): the same IL on every machine, run by the .NET 10 runtime with ASP.NET Core installed on the controller
# (aspnetcore-runtime-10.0, or Microsoft's dotnet-install.sh into /usr/share/dotnet); no ReadyToRun, as crossgen2
# needs the target's runtime pack.
# Everything is built under artifacts/build (kept, so the second architecture and later runs rebuild only what
# changed), apart from the bin/obj folders a build running next to this one (the test suite) uses.
# DEB_COMPRESSION=gzip (the tests) packs faster than the default xz.
set -euo pipefail
arch="${1:-}"
case "$arch" in
    amd64) rid=linux-x64 ;;
    arm64) rid=linux-arm64 ;;
    all) rid= ;;
    *) echo "usage: $0 amd64|arm64|all [output directory]" >&2; exit 2 ;;
esac
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "${2:-$root/artifacts}" && cd "${2:-$root/artifacts}" && pwd)"
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props" | head -n1)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
stage="$work/root"
program="$stage/opt/evok-orleans"

# publish <project> <ReadyToRun: true|false>
publish() {
    local target=(-r "$rid" --self-contained true -p:PublishReadyToRun="$2")
    if [ -z "$rid" ]; then
        # Portable: no apphost (it would be this machine's), the native parts of every RID under runtimes/.
        target=(--self-contained false -p:UseAppHost=false)
    fi
    dotnet publish "$root/$1" -c Release "${target[@]}" --artifacts-path "$root/artifacts/build" \
        -p:InvariantGlobalization=true -p:SatelliteResourceLanguages=en -o "$program" --nologo -v quiet
}
# The CLI first, on the JIT (a command that runs for a moment), then the silo ReadyToRun: the assemblies both use
# (Orleans, the hosting libraries) are compiled once, and the silo's ReadyToRun copies are the ones kept.
publish src/Evok.Orleans.Cli false
publish silo/Evok.Orleans.Silo "${READY_TO_RUN:-true}"
rm -f "$program"/*.pdb
cp "$root/README.md" "$program/README.md"
# Evok's definition files are built into the program: their license goes with it.
cp "$root/NOTICE" "$root/src/Evok.Orleans.Hardware/hw_definitions/LICENSE-evok" "$program/"
mkdir -p "$program/docs"
cp "$root"/docs/*.md "$root"/docs/*.png "$program/docs/"
if [ -z "$rid" ]; then
    # The programs' names, as in the self-contained packages (the unit and /usr/bin point at them).
    for name in evok-orleans-silo evok-orleans; do
        sed "s:@PROGRAM@:$name:g" "$root/deploy/debian/run-with-dotnet" > "$program/$name"
        chmod 755 "$program/$name"
    done
    # Native libraries (SQLite, serial ports) come for every platform NuGet knows; a Debian controller is one of
    # three (amd64, arm64, armhf), so the others (Android, macOS, Windows, musl, wasm, ...) are left out. unix holds
    # managed code every Linux uses (System.IO.Ports).
    find "$program/runtimes" -mindepth 1 -maxdepth 1 -type d ! -name linux-x64 ! -name linux-arm64 ! -name linux-arm ! -name unix -exec rm -rf {} +
fi

install -D -m 644 "$root/deploy/evok-orleans.service" "$stage/lib/systemd/system/evok-orleans.service"
install -D -m 644 "$root/deploy/debian/config.yaml" "$stage/etc/evok-orleans/config.yaml"
mkdir -p "$stage/usr/bin"
ln -s /opt/evok-orleans/evok-orleans "$stage/usr/bin/evok-orleans"
ln -s /opt/evok-orleans/evok-orleans-silo "$stage/usr/bin/evok-orleans-silo"

mkdir -p "$stage/DEBIAN"
install -m 755 "$root/deploy/debian/postinst" "$root/deploy/debian/prerm" "$root/deploy/debian/postrm" "$stage/DEBIAN/"
echo /etc/evok-orleans/config.yaml > "$stage/DEBIAN/conffiles"
{
    echo "Package: evok-orleans"
    echo "Version: $version"
    echo "Architecture: $arch"
    echo "Maintainer: Evok.Orleans developers <evok-orleans@localhost>"
    echo "Section: misc"
    echo "Priority: optional"
    # What the .NET runtime itself needs; the framework-dependent package also wants Microsoft's runtime package where
    # it exists (not on armhf, where dotnet-install.sh installs it).
    echo "Depends: adduser, libc6, libgcc-s1, libstdc++6, zlib1g, libssl3 | libssl3t64"
    [ -n "$rid" ] || echo "Recommends: aspnetcore-runtime-10.0"
    echo "Installed-Size: $(du -sk "$stage" | cut -f1)"
    echo "Homepage: https://github.com/evok-orleans/evok-orleans"
    echo "Description: I/O server for Unipi controllers on Microsoft Orleans"
    echo " Polls Modbus TCP/RTU boards and 1-Wire sensors, keeps every relay, input and"
    echo " output as an Orleans grain, serves Evok's REST/JSON/WebSocket API and delivers"
    echo " every change to webhooks in order, retried and signed. Reads Evok's"
    echo " config.yaml and hardware definitions unchanged."
    if [ -z "$rid" ]; then
        echo " ."
        echo " This package runs on any controller with the .NET 10 runtime and ASP.NET"
        echo " Core 10 installed (armhf: Neuron's 32-bit image, Unipi 1.1)."
    fi
} > "$stage/DEBIAN/control"

package="$out/evok-orleans_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Z"${DEB_COMPRESSION:-xz}" --build "$stage" "$package" >/dev/null
echo "$package"
