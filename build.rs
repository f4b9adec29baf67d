//! Build script: sets `CREDWIZ_VERSION` (`credwiz --version`) to the crate's
//! version and the commit it is built from (see build/version.rs).

#[path = "build/version.rs"]
mod version;

fn main() {
    let dir = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let crate_version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let commit = version::find(&dir);
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=build/version.rs");
    // A path that does not exist would rerun this script on every build.
    for path in commit.iter().flat_map(|c| &c.watch).filter(|p| p.exists()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    println!("cargo:rustc-env=CREDWIZ_VERSION={}", version::version_line(&crate_version, commit.as_ref()));
}
