//! The crate map holds: each crate's `[dependencies]` name only the crates
//! docs/architecture.md allows it, and the core and the report pull in no
//! web server, database driver, async runtime or template engine, even
//! through other crates (read from `Cargo.lock`, tests' own crates included).

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
    ("report", &["core", "plan"]),
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

/// Every package `name` reaches in `Cargo.lock`, itself included.
fn reached(lock: &toml::Table, name: &str) -> BTreeSet<String> {
    let packages = lock.get("package").and_then(|p| p.as_array()).expect("Cargo.lock lists packages");
    let deps_of = |n: &str| -> Vec<String> {
        packages
            .iter()
            .filter(|p| p.get("name").and_then(|v| v.as_str()) == Some(n))
            .flat_map(|p| p.get("dependencies").and_then(|d| d.as_array()).cloned().unwrap_or_default())
            .filter_map(|d| d.as_str().map(|d| d.split(' ').next().unwrap_or(d).to_string()))
            .collect()
    };
    let mut seen = BTreeSet::new();
    let mut todo = vec![name.to_string()];
    while let Some(n) = todo.pop() {
        if seen.insert(n.clone()) {
            todo.extend(deps_of(&n));
        }
    }
    seen
}

#[test]
fn the_core_and_the_report_reach_no_server_database_or_template_engine() {
    let path = format!("{CRATES}/../Cargo.lock");
    let lock: toml::Table = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for name in ["sightline-core", "sightline-report", "sightline-plan", "sightline-ingest", "sightline-csww"] {
        let all = reached(&lock, name);
        assert!(all.len() > 3, "{name} is in Cargo.lock with its dependencies");
        for server in SERVER_ONLY {
            assert!(!all.contains(server), "{name} reaches {server}");
        }
        assert!(
            !all.contains("sightline-web") && !all.contains("sightline-store"),
            "{name} reaches the store or the web"
        );
    }
    let web_users: Vec<String> =
        ALLOWED.iter().filter(|(_, uses)| uses.contains(&"web")).map(|(c, _)| c.to_string()).collect();
    assert_eq!(web_users, ["sightline"], "only the binary uses the dashboard");
}
