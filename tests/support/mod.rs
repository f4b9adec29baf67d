//! Test support shared by the integration tests: the pinned Python virtualenv
//! (moto, awscli) that `scripts/test` sets up.
#![allow(dead_code)]

use std::path::PathBuf;

/// The test virtualenv: `CREDWIZ_VENV`, else `.venv` in the repository.
/// Panics with the fix when it is missing: a test that needs it never passes silently.
pub fn venv() -> PathBuf {
    let path = std::env::var_os("CREDWIZ_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv"));
    for tool in ["bin/python", "bin/aws", "bin/moto_server"] {
        assert!(
            path.join(tool).exists(),
            "the test virtualenv lacks {tool} ({}): run ./scripts/test, which creates it",
            path.display()
        );
    }
    path
}
