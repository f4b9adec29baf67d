//! Fuzz target: any bytes either fail cleanly (not UTF-8, binary) or parse to a
//! document that renders back byte for byte; the SDK view and an edit never panic,
//! and an edit keeps the text before the first changed line.
#![no_main]

use credwiz::profile::{Document, SdkView, SectionName};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = Document::parse_bytes(data) else { return };
    assert_eq!(doc.render().as_bytes(), data);
    let view = SdkView::build(Some(&doc), Some(&doc));
    let mut edited = doc.clone();
    let section = SectionName::from_header("profile dev");
    let line = edited.set(&section, "region", "eu-west-1");
    let rendered = edited.render();
    let lines: Vec<&str> = rendered.split_inclusive('\n').collect();
    assert!(lines.get(line - 1).is_some_and(|l| l.contains("eu-west-1")));
    let _ = edited.remove(&section, "region");
    let _ = view.is_broken();
});
