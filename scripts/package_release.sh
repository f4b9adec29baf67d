#!/usr/bin/env bash
# Packs one release archive: credwiz-VERSION-TARGET.tar.gz with the binary,
# README.md, LICENSE, completions/ (bash, zsh, fish, elvish, powershell) and
# man/ (credwiz.1, credwiz-check.1, credwiz-scan.1, credwiz-set.1), plus its
# SHA-256 checksum file beside it.
#
# Usage: scripts/package_release.sh TARGET BINARY OUTDIR [GENERATOR]
#   BINARY     the credwiz built for TARGET
#   GENERATOR  a credwiz that runs on this machine, to write the completions
#              and man pages (default: BINARY; they are the same on every target)
# Used by .github/workflows/release.yml; runs the same way by hand.
set -euo pipefail

target=${1:?target} binary=${2:?binary} outdir=${3:?outdir}
generator=${4:-$binary}
root=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)
name="credwiz-$version-$target"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage/$name/completions" "$stage/$name/man" "$outdir"
install -m 0755 "$binary" "$stage/$name/credwiz"
cp "$root/README.md" "$root/LICENSE" "$stage/$name/"
"$generator" completions bash > "$stage/$name/completions/credwiz.bash"
"$generator" completions zsh > "$stage/$name/completions/_credwiz"
"$generator" completions fish > "$stage/$name/completions/credwiz.fish"
"$generator" completions elvish > "$stage/$name/completions/credwiz.elv"
"$generator" completions powershell > "$stage/$name/completions/_credwiz.ps1"
"$generator" man > "$stage/$name/man/credwiz.1"
for command in check scan set; do
    "$generator" man "$command" > "$stage/$name/man/credwiz-$command.1"
done

archive="$name.tar.gz"
tar -C "$stage" --owner=0 --group=0 --numeric-owner -czf "$outdir/$archive" "$name" 2>/dev/null \
    || tar -C "$stage" -czf "$outdir/$archive" "$name"   # BSD tar (macOS) has no --owner
(cd "$outdir" && { sha256sum "$archive" 2>/dev/null || shasum -a 256 "$archive"; } > "$archive.sha256")
echo "$outdir/$archive"
