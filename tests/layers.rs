//! The layers of `src/`, kept honest: every `crate::` path (and `super::` path
//! that climbs into another module) in the source is an arrow from the file's
//! module to the module it names, and an arrow may only point down the table
//! below. Inside the engine (`diagnose`), the stages are layers of their own:
//! a later stage may use an earlier one, never the reverse.
//!
//! This table is the one statement of the layering; `src/lib.rs` describes it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Top-level modules, lowest first. A module may use the ones before it.
const LAYERS: &[&str] = &[
    "base",       // self-contained helpers; imports nothing of ours
    "redact",     // the one redaction layer
    "logging",    // the log file, scrubbed
    "profile",    // the files: lossless document, SDK view, safe store
    "vocabulary", // steps, statuses, the one cause table, findings, key ids, regions, guides
    "policy",     // the local IAM policy evaluator
    "netpath",    // the network path probe
    "aws",        // the SDK call layer
    "hops",       // every credential source, hop by hop
    "diagnose",   // the engine
    "scan",       // every profile at once
    "cli",        // arguments to options, completions, man pages
    "commands",   // check, scan, set
    "tui",        // the wizard
    "main",       // the binary
    "lib",        // the crate root declares every module
];

/// The engine's stages, earliest first; the engine's own root files (its facade,
/// `session`) come after all of them.
const STAGES: &[&str] = &["input", "run", "judge", "report"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `diagnose/judge/expiry.rs` -> `["diagnose", "judge", "expiry"]`; `mod.rs` names its folder.
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if let Some(last) = parts.last_mut() {
        *last = last.trim_end_matches(".rs").to_string();
    }
    if parts.last().is_some_and(|l| l == "mod") {
        parts.pop();
    }
    parts
}

/// The code of a file without comments (doc comments name modules in prose).
fn code_of(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The segments of a path at the start of `text`: `a::b::C(x)` -> `[a, b, C]`.
fn path_segments(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    for segment in text.split("::") {
        let name: String = segment.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        let whole = name.len() == segment.len();
        if !name.is_empty() {
            parts.push(name);
        }
        if !whole {
            break;
        }
    }
    parts
}

/// Every module path a file names: `crate::a::b`, `crate::{a, b}`, `super::x` resolved.
fn named_paths(file_module: &[String], code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    let bytes = code.as_bytes();
    let mut at = 0;
    while at < code.len() {
        let rest = &code[at..];
        let boundary =
            at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_' || bytes[at - 1] == b':');
        if boundary && rest.starts_with("crate::") {
            let after = &rest["crate::".len()..];
            if let Some(group) = after.strip_prefix('{') {
                let inner = &group[..group.find('}').unwrap_or(group.len())];
                for item in inner.split(',') {
                    let parts = path_segments(item.trim());
                    if !parts.is_empty() {
                        out.push(parts);
                    }
                }
            } else {
                out.push(path_segments(after));
            }
            at += "crate::".len();
            continue;
        }
        if boundary && rest.starts_with("super::") {
            // Each `super` climbs one module (a `mod.rs` already names its folder).
            let mut base: Vec<String> = file_module.to_vec();
            let mut tail = rest;
            while let Some(next) = tail.strip_prefix("super::") {
                tail = next;
                base.pop();
            }
            let first = ident(tail.trim_start_matches('{'));
            if !first.is_empty() && first != "super" {
                base.push(first);
                out.push(base);
            }
            at += "super::".len();
            continue;
        }
        at += rest.chars().next().map_or(1, char::len_utf8);
    }
    out
}

fn rank(layer: &str) -> Option<usize> {
    LAYERS.iter().position(|l| *l == layer)
}

/// The engine stage of a module path inside `diagnose` (`None` for its root files).
fn stage(path: &[String]) -> Option<usize> {
    if path.first().map(String::as_str) != Some("diagnose") {
        return None;
    }
    path.get(1).and_then(|s| STAGES.iter().position(|x| x == s))
}

struct Arrow {
    from_file: String,
    from: Vec<String>,
    to: Vec<String>,
}

fn arrows() -> Vec<Arrow> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&src).expect("under src").to_path_buf();
        let module = module_path(&relative);
        let text = std::fs::read_to_string(&file).expect("read");
        for to in named_paths(&module, &code_of(&text)) {
            if to.is_empty() || to[0] == module[0] && stage(&to).is_none() && stage(&module).is_none() {
                continue;
            }
            out.push(Arrow { from_file: relative.display().to_string(), from: module.clone(), to });
        }
    }
    out
}

#[test]
fn every_arrow_between_layers_points_down() {
    let mut wrong = Vec::new();
    let mut down: BTreeMap<(String, String), usize> = BTreeMap::new();
    for arrow in arrows() {
        let (from, to) = (arrow.from[0].as_str(), arrow.to[0].as_str());
        if from == to {
            continue;
        }
        let (Some(a), Some(b)) = (rank(from), rank(to)) else {
            // A path into something that is not a module of ours (a type at the crate root, a macro).
            if rank(to).is_none() && ["main", "lib"].contains(&from) {
                continue;
            }
            wrong.push(format!("{}: crate::{} names no layer of the table", arrow.from_file, arrow.to.join("::")));
            continue;
        };
        if b < a {
            *down.entry((from.to_string(), to.to_string())).or_default() += 1;
        } else {
            wrong.push(format!("{}: {from} -> {to} (crate::{}) points up", arrow.from_file, arrow.to.join("::")));
        }
    }
    let count: usize = down.values().sum();
    assert!(wrong.is_empty(), "arrows that break the layering:\n{}", wrong.join("\n"));
    eprintln!("{count} arrows between layers, all pointing down, over {} pairs of layers", down.len());
    assert!(count > 100, "the source names too few other layers ({count}): is the reader broken?");
}

#[test]
fn the_engine_stages_only_use_earlier_ones() {
    let mut wrong = Vec::new();
    let mut seen = 0;
    for arrow in arrows() {
        if arrow.from[0] != "diagnose" || arrow.to[0] != "diagnose" {
            continue;
        }
        seen += 1;
        let (from, to) = (stage(&arrow.from), stage(&arrow.to));
        let fine = match (from, to) {
            (Some(a), Some(b)) => b <= a,
            (None, _) => true, // the facade and session come after every stage
            (Some(_), None) => arrow.to.len() >= 2 && STAGES.contains(&arrow.to[1].as_str()) || arrow.to.len() == 1,
        };
        if !fine {
            wrong.push(format!("{}: crate::{} is a later stage", arrow.from_file, arrow.to.join("::")));
        }
    }
    assert!(seen > 50, "too few arrows inside the engine ({seen}): is the reader broken?");
    assert!(wrong.is_empty(), "the engine's stages point backwards:\n{}", wrong.join("\n"));
}

#[test]
fn the_reader_sees_groups_and_super_paths() {
    let module: Vec<String> = ["diagnose", "judge", "expiry"].iter().map(|s| s.to_string()).collect();
    let named = named_paths(&module, "use crate::{base::sanitize, vocabulary::Cause};\nuse super::super::run::plan;");
    assert!(named.contains(&vec!["base".to_string(), "sanitize".to_string()]), "{named:?}");
    assert!(named.contains(&vec!["vocabulary".to_string(), "Cause".to_string()]), "{named:?}");
    assert!(named.contains(&vec!["diagnose".to_string(), "run".to_string()]), "{named:?}");
}
