//! A council formed from two legacy councils, exported as its systems
//! export (`sightline_synth::exports::two_councils`: a Windows-1252 payroll
//! with a row per post and cost centres, an HR spreadsheet with a title
//! above its headings and hours over each row's standard week, agency,
//! caseload, absence and finance exports, and a team map). Read through
//! their profiles with no editing, on SQLite and PostgreSQL, they give the
//! figures of the same workforce in canonical form, concurrent posts and
//! old team names included; an agency assignment extended in a later export
//! is updated, never duplicated.

mod common;

use sightline_core::resolve::Disputed;
use sightline_core::{Calendar, Period, SpellKind, Workforce};
use sightline_import::{Import, ImportError, ImportOptions, ImportOutcome};
use sightline_ingest::profile::Profile;
use sightline_ingest::teams::read_team_map;
use sightline_ingest::Strictness;
use sightline_store::Store;
use sightline_synth::exports::two_councils;
use sightline_synth::{synthesize, Basis, Request};
use std::path::Path;

const YEARS: std::ops::RangeInclusive<i32> = 2021..=2024;

/// Every published figure alike, and every team's in-post FTE at the last census date.
fn assert_same_figures(a: &Workforce, b: &Workforce) {
    common::assert_same_figures(a, b, YEARS);
    for (t, name) in b.teams().iter().enumerate() {
        let r = Period::census_year(2024).end;
        let fte =
            |wf: &Workforce| -> f64 { wf.in_post_at(r).filter(|s| wf.team_name(s.team) == name).map(|s| s.fte).sum() };
        assert!((fte(a) - fte(b)).abs() < 1e-9, "team {t} `{name}`: {} and {}", fte(a), fte(b));
    }
}

async fn import(store: &Store, profile: &Path, file: &Path) -> Result<ImportOutcome, ImportError> {
    let text = std::fs::read_to_string(profile).unwrap();
    let profile = Profile::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", profile.display()));
    let source = profile.source.clone().unwrap();
    let options =
        ImportOptions { source: &source, imported_by: "tester", strictness: Strictness::Strict, ..Default::default() };
    store.import_export(file, &profile, &text, &options).await
}

async fn story(url: &str) {
    let request = Request::new(Basis::Size { people: 120 }, YEARS, 5);
    let made = synthesize(&request, &Calendar::england_and_wales()).unwrap().workforce;
    let exports = two_councils(&made).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let imports = exports.write(dir.path()).unwrap();
    let store = Store::open(url).await.unwrap();

    // Without the map, the payroll's cost centres would be teams of their
    // own; with it, an unknown name is refused and listed.
    store.set_team_map(&read_team_map(&dir.path().join("team-map.csv")).unwrap(), "tester").await.unwrap();
    let stray = dir.path().join("stray.csv");
    let payroll = std::fs::read(&imports[0].1).unwrap();
    let at = payroll.windows(6).position(|w| w == b"CC4100").expect("a cost centre");
    let mut changed = payroll.clone();
    changed[at..at + 6].copy_from_slice(b"CC9999");
    std::fs::write(&stray, &changed).unwrap();
    let refused = import(&store, &imports[0].0, &stray).await.unwrap_err().to_string();
    assert!(refused.contains("nothing was imported") && refused.contains("`CC9999`"), "{refused}");
    assert!(store.team_names().await.unwrap().is_empty(), "nothing written");

    for (profile, file) in &imports {
        let outcome = import(&store, profile, file).await.unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(
            matches!(&outcome, ImportOutcome::Imported { rejected, .. } if rejected.is_empty()),
            "{}: {outcome:?}",
            file.display()
        );
    }
    let (stored, conflicts) = store.load_with_conflicts().await.unwrap();
    assert!(!conflicts.is_empty() && conflicts.iter().all(|c| c.what == Disputed::ConcurrentPost), "{conflicts:?}");
    assert_eq!(stored.persons().len(), exports.workforce.persons().len(), "every record found its person");
    let mut teams = stored.teams().to_vec();
    teams.sort();
    let mut want = exports.workforce.teams().to_vec();
    want.sort();
    assert_eq!(teams, want, "old names and cost centres landed in today's teams");
    assert_same_figures(&stored, &exports.workforce);

    // The agency list, later, as changes only: an assignment extended (same
    // reference and start, a new end), and one whose extension the list
    // gives as a new row from the extension's first day.
    let agency = std::fs::read_to_string(&imports[2].1).unwrap();
    let rows: Vec<&str> = agency.lines().collect();
    let ended: Vec<&str> = rows[1..].iter().copied().filter(|l| !l.split(',').nth(8).unwrap().is_empty()).collect();
    assert!(ended.len() >= 2, "two ended assignments");
    let extend = |line: &str, start: Option<&str>, end: &str| -> String {
        let mut f: Vec<&str> = line.split(',').collect();
        if let Some(s) = start {
            f[7] = s;
        }
        f[8] = end;
        f.join(",")
    };
    let (first, second) = (ended[0], ended[1]);
    let uk = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    let start = chrono::NaiveDate::parse_from_str(second.split(',').nth(7).unwrap(), "%d/%m/%Y").unwrap();
    let (from, to) = (start + chrono::Days::new(10), start + chrono::Days::new(400));
    let later =
        format!("{}\n{}\n{}\n", rows[0], extend(first, None, "31/03/2026"), extend(second, Some(&uk(from)), &uk(to)));
    std::fs::write(dir.path().join("agency-changes.csv"), later).unwrap();
    let changes_profile = std::fs::read_to_string(&imports[2].0)
        .unwrap()
        .replace("kind = \"agency\"", "kind = \"agency\"\nmode = \"changes\"");
    std::fs::write(dir.path().join("agency-changes.toml"), changes_profile).unwrap();
    let before = store.load_workforce().await.unwrap();
    let outcome =
        import(&store, &dir.path().join("agency-changes.toml"), &dir.path().join("agency-changes.csv")).await.unwrap();
    let ImportOutcome::Imported { changes, .. } = outcome else { panic!("{outcome:?}") };
    assert_eq!((changes.rows_added, changes.rows_replaced), (2, 2), "one replaced, one ended the day before");
    let after = store.load_workforce().await.unwrap();
    let spells = |wf: &Workforce, worker: &str| -> Vec<(String, Option<String>)> {
        let swe = worker.split(',').nth(2).unwrap();
        let p = wf.persons().iter().position(|p| p.swe_no.as_deref() == Some(swe)).unwrap();
        wf.spells_of(sightline_core::PersonIdx(p as u32))
            .iter()
            .filter(|s| s.kind == SpellKind::Agency)
            .map(|s| (s.start.to_string(), s.end.map(|e| e.to_string())))
            .collect()
    };
    let (was, now) = (spells(&before, first), spells(&after, first));
    assert_eq!(was.len(), now.len(), "extended, not duplicated: {was:?} {now:?}");
    assert!(now.iter().any(|(_, e)| e.as_deref() == Some("2026-03-31")), "{now:?}");
    let now = spells(&after, second);
    assert!(now.contains(&(from.to_string(), Some(to.to_string()))), "{now:?}");
    let day_before = (from - chrono::Days::new(1)).to_string();
    assert!(now.contains(&(start.to_string(), Some(day_before))), "the earlier row runs up to it: {now:?}");
}

/// Profiles drafted by `profile suggest` from the exports alone, unedited,
/// read them as their own profiles do.
#[tokio::test]
async fn drafted_profiles_read_the_exports_as_they_are() {
    let request = Request::new(Basis::Size { people: 80 }, YEARS, 9);
    let made = synthesize(&request, &Calendar::england_and_wales()).unwrap().workforce;
    let exports = two_councils(&made).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let imports = exports.write(dir.path()).unwrap();
    let store = Store::open(dir.path().join("s.db").to_str().unwrap()).await.unwrap();
    store.set_team_map(&read_team_map(&dir.path().join("team-map.csv")).unwrap(), "tester").await.unwrap();
    for (_, file) in &imports {
        let sheet = sightline_ingest::sheet::read_sheet(file, None).unwrap();
        let draft = sightline_ingest::suggest::suggest(&sheet);
        let path = file.with_extension("draft.toml");
        std::fs::write(&path, &draft).unwrap();
        let outcome = import(&store, &path, file).await.unwrap_or_else(|e| panic!("{}: {e}\n{draft}", file.display()));
        assert!(matches!(&outcome, ImportOutcome::Imported { rejected, .. } if rejected.is_empty()), "{draft}");
    }
    assert_same_figures(&store.load_workforce().await.unwrap(), &exports.workforce);
}

#[tokio::test]
async fn a_two_council_authoritys_exports_give_the_canonical_figures_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    story(dir.path().join("sightline.db").to_str().unwrap()).await;
}

#[tokio::test]
async fn a_two_council_authoritys_exports_give_the_canonical_figures_on_postgres() {
    let Some(db) = common::postgres("councils").await else { return };
    story(&db.url).await;
    db.drop().await;
}

/// Two posts of one person alike but for their references: an export of
/// changes that ends one leaves the other as it was.
#[tokio::test]
async fn a_reference_keys_its_own_post_among_posts_alike() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("pay.toml");
    std::fs::write(
        &profile,
        "source = \"pay\"\nkind = \"hr\"\nmode = \"changes\"\n[columns]\nperson_id = \"Id\"\npost_id = \"Post\"\nteam = \"Team\"\norg_role = \"Role\"\nstart_date = \"Start\"\nend_date = \"End\"\nfte = \"FTE\"\n[defaults]\ncontract = \"permanent\"\n",
    )
    .unwrap();
    let store = Store::open(dir.path().join("s.db").to_str().unwrap()).await.unwrap();
    let export = |name: &str, rows: &str| {
        let file = dir.path().join(name);
        std::fs::write(&file, format!("Id,Post,Team,Role,Start,End,FTE\n{rows}")).unwrap();
        file
    };
    let first = export("1.csv", "A1,P1,MASH,5,2024-01-01,,0.5\nA1,P2,MASH,5,2024-01-01,,0.5\n");
    import(&store, &profile, &first).await.unwrap();
    let later = export("2.csv", "A1,P1,MASH,5,2024-01-01,2024-06-30,0.5\n");
    let ImportOutcome::Imported { changes, .. } = import(&store, &profile, &later).await.unwrap() else { panic!() };
    assert_eq!((changes.rows_added, changes.rows_replaced), (1, 1));
    let wf = store.load_workforce().await.unwrap();
    let mut posts: Vec<(f64, Option<String>)> =
        wf.spells().iter().map(|s| (s.fte, s.end.map(|e| e.to_string()))).collect();
    posts.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(posts, [(0.5, None), (0.5, Some("2024-06-30".to_string()))]);
}
