#!/usr/bin/env python3
"""Writes the Homebrew formula (Formula/credwiz.rb) for a release from its
archives' checksum files: macOS and Linux, Intel and ARM, each from the
release archive, with the completions and man pages the archive holds.

Usage: scripts/homebrew_formula.py VERSION DIR [--repo credwiz/credwiz] > credwiz.rb
  DIR holds credwiz-VERSION-TARGET.tar.gz.sha256 for the four targets below.
Used by .github/workflows/release.yml.
"""
import argparse
import os
import sys

TARGETS = {
    ("macos", "arm"): "aarch64-apple-darwin",
    ("macos", "intel"): "x86_64-apple-darwin",
    ("linux", "arm"): "aarch64-unknown-linux-musl",
    ("linux", "intel"): "x86_64-unknown-linux-musl",
}


def checksum(directory, version, target):
    path = os.path.join(directory, f"credwiz-{version}-{target}.tar.gz.sha256")
    with open(path) as f:
        digest = f.read().split()[0]
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        sys.exit(f"{path}: not a SHA-256")
    return digest


def formula(version, directory, repo):
    def block(os_name, arch):
        target = TARGETS[(os_name, arch)]
        url = f"https://github.com/{repo}/releases/download/v{version}/credwiz-{version}-{target}.tar.gz"
        return (f"    on_{arch} do\n"
                f"      url \"{url}\"\n"
                f"      sha256 \"{checksum(directory, version, target)}\"\n"
                f"    end\n")

    return f'''class Credwiz < Formula
  desc "Finds out why AWS rejects your credentials, explains it, and fixes ~/.aws in place"
  homepage "https://github.com/{repo}"
  version "{version}"
  license "MIT"

  on_macos do
{block("macos", "arm")}{block("macos", "intel")}  end

  on_linux do
{block("linux", "arm")}{block("linux", "intel")}  end

  def install
    bin.install "credwiz"
    bash_completion.install "completions/credwiz.bash" => "credwiz"
    zsh_completion.install "completions/_credwiz"
    fish_completion.install "completions/credwiz.fish"
    man1.install Dir["man/*.1"]
  end

  test do
    assert_match version.to_s, shell_output("#{{bin}}/credwiz --version")
    assert_match "credwiz-check", shell_output("#{{bin}}/credwiz man check")
  end
end
'''


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("version")
    ap.add_argument("dir")
    ap.add_argument("--repo", default="credwiz/credwiz")
    args = ap.parse_args()
    sys.stdout.write(formula(args.version.removeprefix("v"), args.dir, args.repo))


if __name__ == "__main__":
    main()
