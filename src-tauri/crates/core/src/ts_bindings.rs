//! Keeping `ui/src/bindings` in step with the Rust types. The bindings tests
//! of `rebound-core` and `rebound-segments` export their types into a fresh
//! folder and hand it here: with `UPDATE_BINDINGS` set the committed folder's
//! top-level `.ts` files are replaced (subfolders belong to other crates),
//! otherwise any drift fails the test with what drifted.

use std::collections::BTreeMap;
use std::path::Path;

/// The `.ts` files directly in `dir`, by name, with LF line endings.
fn read_ts(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".ts") {
                let text = std::fs::read_to_string(entry.path()).expect("read binding");
                files.insert(name, text.replace("\r\n", "\n"));
            }
        }
    }
    files
}

/// Compares (or, with `UPDATE_BINDINGS`, rewrites) `committed` against the
/// freshly `generated` folder, which must contain `expected_file`. Panics on
/// drift: it is meant for tests.
#[doc(hidden)]
pub fn sync_bindings(generated: &Path, committed: &Path, expected_file: &str) {
    let fresh = read_ts(generated);
    assert!(fresh.contains_key(expected_file), "{:?}", fresh.keys());
    let old = read_ts(committed);
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        for name in old.keys() {
            let _ = std::fs::remove_file(committed.join(name));
        }
        std::fs::create_dir_all(committed).expect("create the bindings folder");
        for (name, text) in &fresh {
            std::fs::write(committed.join(name), text).expect("write a binding");
        }
        return;
    }
    let mut drift = Vec::new();
    for (name, text) in &fresh {
        match old.get(name) {
            None => drift.push(format!("{name} is missing")),
            Some(o) if o != text => drift.push(format!("{name} differs")),
            Some(_) => {}
        }
    }
    for name in old.keys().filter(|n| !fresh.contains_key(*n)) {
        drift.push(format!("{name} is no longer generated"));
    }
    assert!(
        drift.is_empty(),
        "{} is out of date with the Rust types ({}); run `make bindings`",
        committed.display(),
        drift.join(", ")
    );
}

/// The bindings test of a crate: exports each listed type (and the types it
/// refers to) into a fresh folder and syncs `ui/src/bindings/<folder>` with it
/// through [`sync_bindings`]; `expected` is a file the export must produce.
/// The crate needs `ts-rs` and (as a dev-dependency) `tempfile`.
#[macro_export]
macro_rules! bindings_test {
    ($folder:literal, $expected:literal; $($t:ty),* $(,)?) => {
        #[test]
        fn typescript_bindings_match_the_rust_types() {
            let fresh = tempfile::tempdir().expect("temp dir");
            let cfg = ts_rs::Config::new().with_out_dir(fresh.path());
            $( <$t as ts_rs::TS>::export_all(&cfg).expect(concat!("export ", stringify!($t))); )*
            let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../ui/src/bindings")
                .join($folder);
            $crate::ts_bindings::sync_bindings(fresh.path(), &committed, $expected);
        }
    };
}
