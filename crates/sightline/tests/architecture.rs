//! The crate map holds: each crate depends only on the crates
//! docs/architecture.md allows it, and nothing below the dashboard pulls in
//! a web server, a database driver, an async runtime or a template engine.

use std::collections::BTreeSet;

const CRATES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// (crate folder, the Sightline crates it may depend on).
const ALLOWED: [(&str, &[&str]); 10] = [
    ("core", &[]),
    ("synth", &["core"]),
    ("csww", &["core"]),
    ("ingest", &["core", "csww"]),
    ("store", &["core"]),
    ("import", &["core", "csww", "ingest", "store"]),
    ("plan", &["core"]),
    ("report", &["core"]),
    ("web", &["core", "plan", "report", "store"]),
    ("sightline", &["core", "csww", "import", "ingest", "plan", "report", "store", "synth", "web"]),
];

/// Crates that belong to the server and the database only.
const SERVER_ONLY: [&str; 4] = ["axum", "sqlx", "tokio", "maud"];

fn dependencies(folder: &str) -> BTreeSet<String> {
    let path = format!("{CRATES}/{folder}/Cargo.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let manifest: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    manifest.get("dependencies").and_then(|d| d.as_table()).map_or_else(BTreeSet::new, |d| d.keys().cloned().collect())
}

#[test]
fn each_crate_depends_only_on_what_it_may() {
    let folders: BTreeSet<String> = std::fs::read_dir(CRATES)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().join("Cargo.toml").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let listed: BTreeSet<String> = ALLOWED.iter().map(|(c, _)| c.to_string()).collect();
    assert_eq!(folders, listed, "every crate has its place in the map");
    for (folder, allowed) in ALLOWED {
        let deps = dependencies(folder);
        let ours: BTreeSet<&str> = deps.iter().filter_map(|d| d.strip_prefix("sightline-")).collect();
        let allowed: BTreeSet<&str> = allowed.iter().copied().collect();
        assert!(ours.is_subset(&allowed), "{folder} depends on {:?}, beyond {allowed:?}", ours.difference(&allowed));
        if !matches!(folder, "store" | "import" | "web" | "sightline") {
            for server in SERVER_ONLY {
                assert!(!deps.contains(server), "{folder} depends on {server}");
            }
        }
    }
    assert!(!dependencies("store").contains("maud") && !dependencies("store").contains("axum"));
}
