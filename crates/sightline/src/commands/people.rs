//! `sightline people`: suggested matches to decide, a person's history,
//! and where two sources disagree.

use crate::cli::login_name;
use crate::cli::{print_out, runtime};
use anyhow::{bail, Result};
use sightline_core::resolve::Disputed;
use sightline_core::words::long_date;
use sightline_store::{PersonSummary, Store};

#[derive(clap::Subcommand)]
pub enum PeopleCommand {
    /// List records that may be the same person (same name and birth date), or decide one.
    #[command(long_about = "Records from different sources are joined automatically only by Social Work \
England number or a cross-reference column. Records that share a name and birth date are suggested \
instead, for a person to decide: --accept N makes them one person (every fact of the later record moves \
to the earlier), --reject N keeps them apart for good.")]
    Review {
        #[arg(long, value_name = "URL")]
        db: String,
        /// Accept suggestion N: the two records are one person.
        #[arg(long, value_name = "N", conflicts_with = "reject")]
        accept: Option<i64>,
        /// Reject suggestion N: they are different people.
        #[arg(long, value_name = "N")]
        reject: Option<i64>,
        /// Who decides, for the record (by default the login name).
        #[arg(long, value_name = "NAME")]
        decided_by: Option<String>,
    },
    /// Everything the store holds of one person: each source's identifier, spells, absences, caseloads.
    Show {
        #[arg(long, value_name = "URL")]
        db: String,
        /// The person's key, any source's identifier of them, or their SWE number.
        who: String,
    },
    /// Where two sources disagree about a person's employment over the same days, and what was kept.
    Conflicts {
        #[arg(long, value_name = "URL")]
        db: String,
    },
}

fn describe_person(p: &PersonSummary) -> String {
    let name = [p.details.given_name.as_deref(), p.details.family_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let mut text = format!("`{}`", p.person.id);
    if !name.is_empty() {
        text.push_str(&format!(" {name}"));
    }
    if let Some(d) = p.person.birth_date {
        text.push_str(&format!(", born {d}"));
    }
    if let Some(swe) = &p.person.swe_no {
        text.push_str(&format!(", SWE {swe}"));
    }
    let ids: Vec<String> = p.identifiers.iter().map(|(s, k)| format!("{s}: {k}")).collect();
    if !ids.is_empty() {
        text.push_str(&format!(" [{}]", ids.join("; ")));
    }
    text
}

pub fn run_people(command: PeopleCommand) -> Result<()> {
    let rt = runtime()?;
    match command {
        PeopleCommand::Review { db, accept, reject, decided_by } => rt.block_on(async {
            let store = Store::open(&db).await?;
            if let Some((id, yes)) = accept.map(|n| (n, true)).or(reject.map(|n| (n, false))) {
                let by = login_name(decided_by);
                store.decide_suggestion(id, yes, &by).await?;
                let action = if yes { "accept match" } else { "reject match" };
                store.audit(&by, action, &format!("suggestion {id}")).await?;
                return print_out(&if yes {
                    format!("Suggestion {id} accepted: the two records are now one person.")
                } else {
                    format!("Suggestion {id} rejected: the two records stay apart and will not be suggested again.")
                });
            }
            let open = store.suggestions().await?;
            if open.is_empty() {
                return print_out("No suggested matches are waiting for a decision.");
            }
            let mut text = String::new();
            for s in &open {
                text.push_str(&format!(
                    "#{} ({}):\n  {}\n  may be {}\n",
                    s.id,
                    s.reason,
                    describe_person(&s.person),
                    describe_person(&s.candidate)
                ));
            }
            text.push_str("Decide each with --accept N (the same person) or --reject N (different people).");
            print_out(&text)
        }),
        PeopleCommand::Show { db, who } => rt.block_on(async {
            let store = Store::open(&db).await?;
            let Some(h) = store.person_history(&who).await? else {
                bail!("no one in the store is known as `{who}` (by key, any source's identifier, or SWE number)");
            };
            store
                .audit(&login_name(None), "view person", &format!("`{}` (asked for `{who}`)", h.summary.person.id))
                .await?;
            let mut text = describe_person(&h.summary);
            for f in &h.facts {
                let end = f.end.map_or_else(
                    || if f.what == "post" { "open".to_string() } else { String::new() },
                    |e| e.to_string(),
                );
                let span = if end.is_empty() { f.start.to_string() } else { format!("{} to {end}", f.start) };
                text.push_str(&format!("\n  {span:<26} {:<13} {:<10} {}", f.what, f.source, f.detail));
            }
            print_out(&text)
        }),
        PeopleCommand::Conflicts { db } => rt.block_on(async {
            let store = Store::open(&db).await?;
            let (wf, conflicts) = store.load_with_conflicts().await?;
            if conflicts.is_empty() {
                return print_out(
                    "No two sources disagree about anyone's employment, absences or caseloads over the same days.",
                );
            }
            let concurrent = conflicts.iter().filter(|c| c.what == Disputed::ConcurrentPost).count();
            let mut text = format!(
                "{} overlaps between sources. Records of the same team and role (or a census return's) over \
the same days are one employment recorded twice, settled by the rule: for the days two sources overlap, \
the higher-ranked source is kept (census returns rank below record-level exports; otherwise the source \
imported most recently); the other's days of employment outside the overlap stay, while an overlapping \
absence or a caseload on the same date is set aside whole. Records of another team or role are \
concurrent posts: both count ({concurrent} here).\n",
                conflicts.len()
            );
            for c in &conflicts {
                let show = |(s, e): (chrono::NaiveDate, Option<chrono::NaiveDate>)| {
                    format!("{} to {}", long_date(s), e.map_or("open".to_string(), long_date))
                };
                let id = &wf.person(c.person).id;
                if c.what == Disputed::ConcurrentPost {
                    text.push_str(&format!(
                        "  `{id}` (concurrent posts): `{}` and `{}` record different posts, both counted for {}\n",
                        c.kept_source,
                        c.set_aside_source,
                        show(c.overlap)
                    ));
                } else {
                    text.push_str(&format!(
                        "  `{id}` ({}): `{}` says {}, `{}` kept for {}\n",
                        c.what.as_str(),
                        c.set_aside_source,
                        show(c.set_aside),
                        c.kept_source,
                        show(c.overlap)
                    ));
                }
            }
            print_out(text.trim_end())
        }),
    }
}
