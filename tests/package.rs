//! The published crate (`cargo package`): it holds what the build needs
//! (sources, the assets they include, the build script, README, licence) and
//! nothing of the test tree (the policy oracle and its node_modules, fixtures,
//! snapshots), fuzz targets, screenshots or scripts; and it stays small.

use std::path::Path;
use std::process::Command;

fn cargo_package(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["package", "--offline", "--allow-dirty"])
        .args(args)
        .output()
        .expect("cargo package");
    assert!(out.status.success(), "cargo package {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every `include_str!("...")` path of the sources, relative to the crate.
fn included_assets() -> Vec<String> {
    let mut found = Vec::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read");
            for piece in text.split("include_str!(").skip(1) {
                let arg = piece.split(')').next().unwrap_or_default();
                // `concat!("../../assets/guides/", $id, ".md")`: the folder.
                let Some(literal) = arg.split('"').nth(1) else { continue };
                let joined = dir.join(literal);
                let mut parts: Vec<&str> = Vec::new();
                let relative =
                    joined.strip_prefix(env!("CARGO_MANIFEST_DIR")).expect("inside").to_string_lossy().into_owned();
                for part in relative.split('/') {
                    match part {
                        ".." => {
                            parts.pop();
                        }
                        "" | "." => {}
                        p => parts.push(p),
                    }
                }
                found.push(parts.join("/"));
            }
        }
    }
    found
}

#[test]
fn the_package_holds_what_the_build_needs_and_no_test_tree() {
    let list = cargo_package(&["--list"]);
    let files: Vec<&str> = list.lines().collect();
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "README.md",
        "LICENSE",
        "build.rs",
        "build/version.rs",
        "src/main.rs",
        "src/lib.rs",
    ] {
        assert!(files.contains(&needed), "the package lacks {needed}:\n{list}");
    }
    let assets = included_assets();
    assert!(assets.iter().any(|a| a.starts_with("assets/guides")), "{assets:?}");
    for asset in &assets {
        assert!(files.iter().any(|f| f.starts_with(asset.as_str())), "the package lacks {asset}, which src includes");
    }
    let sources = files.iter().filter(|f| f.starts_with("src/")).count();
    assert!(sources > 100, "every source file: {sources}");
    for file in &files {
        for kept_out in
            ["tests/", "node_modules", "iam_oracle", "fuzz/", "screenshots/", "scripts/", "benches/", ".github/"]
        {
            assert!(!file.contains(kept_out), "the package holds {file}");
        }
    }
}

#[test]
fn the_package_is_under_two_megabytes_compressed() {
    // Its own target directory: the one of `cargo test` is locked while the tests run.
    let target = tempfile::tempdir().expect("target dir");
    cargo_package(&["--no-verify", "--target-dir", &target.path().to_string_lossy()]);
    let crate_file = target.path().join("package").join(format!("credwiz-{}.crate", env!("CARGO_PKG_VERSION")));
    let size = std::fs::metadata(&crate_file).expect("the .crate").len();
    assert!(size < 2 * 1024 * 1024, "{} is {size} bytes", crate_file.display());
}
