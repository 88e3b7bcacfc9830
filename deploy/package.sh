#!/usr/bin/env bash
# Builds the Debian package of Evok.Orleans: deploy/package.sh amd64|arm64 [output directory, default artifacts/]
#
# Self-contained (the .NET runtime inside, ~45 MB packed): Unipi's OS and most controller images have no .NET and no
# Microsoft apt repository, and the package must install offline. Everything is built under artifacts/build (kept,
# so the second architecture and later runs rebuild only what changed), apart from the bin/obj folders a build
# running next to this one (the test suite) uses.
set -euo pipefail
arch="${1:-}"
case "$arch" in
    amd64) rid=linux-x64 ;;
    arm64) rid=linux-arm64 ;;
    *) echo "usage: $0 amd64|arm64 [output directory]" >&2; exit 2 ;;
esac
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "${2:-$root/artifacts}" && cd "${2:-$root/artifacts}" && pwd)"
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props" | head -n1)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
stage="$work/root"

publish() {
    dotnet publish "$root/$1" -c Release -r "$rid" --self-contained true --artifacts-path "$root/artifacts/build" \
        -p:InvariantGlobalization=true -p:SatelliteResourceLanguages=en -p:GenerateDocumentationFile=false -o "$stage/opt/evok-orleans" --nologo -v quiet
}
publish silo/Evok.Orleans.Silo
publish src/Evok.Orleans.Cli
rm -f "$stage"/opt/evok-orleans/*.pdb
cp "$root/README.md" "$stage/opt/evok-orleans/README.md"

install -D -m 644 "$root/deploy/evok-orleans.service" "$stage/lib/systemd/system/evok-orleans.service"
install -D -m 644 "$root/deploy/debian/config.yaml" "$stage/etc/evok-orleans/config.yaml"
mkdir -p "$stage/usr/bin"
ln -s /opt/evok-orleans/evok-orleans "$stage/usr/bin/evok-orleans"
ln -s /opt/evok-orleans/evok-orleans-silo "$stage/usr/bin/evok-orleans-silo"

mkdir -p "$stage/DEBIAN"
install -m 755 "$root/deploy/debian/postinst" "$root/deploy/debian/prerm" "$root/deploy/debian/postrm" "$stage/DEBIAN/"
echo /etc/evok-orleans/config.yaml > "$stage/DEBIAN/conffiles"
cat > "$stage/DEBIAN/control" <<CONTROL
Package: evok-orleans
Version: $version
Architecture: $arch
Maintainer: Evok.Orleans developers <evok-orleans@localhost>
Section: misc
Priority: optional
Depends: adduser, libc6, libgcc-s1, libstdc++6, zlib1g, libssl3 | libssl3t64
Installed-Size: $(du -sk "$stage" | cut -f1)
Homepage: https://github.com/evok-orleans/evok-orleans
Description: I/O server for Unipi controllers on Microsoft Orleans
 Polls Modbus TCP/RTU boards and 1-Wire sensors, keeps every relay, input and
 output as an Orleans grain, serves Evok's REST/JSON/WebSocket API and delivers
 every change to webhooks in order, retried and signed. Reads Evok's
 config.yaml and hardware definitions unchanged.
CONTROL

package="$out/evok-orleans_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$package" >/dev/null
echo "$package"
