//! The canonical CSV directory format (`docs/data-formats.md`): reading with
//! row-level validation, and writing.
//!
//! Files: `spells.csv` (required), `establishment.csv`, `absences.csv`,
//! `caseloads.csv` and `people.csv` (optional). UTF-8 with or without a byte
//! order mark, LF or CRLF line endings, quoted fields, columns in any order,
//! unknown columns ignored.

use crate::read::{ReadError, Strictness};
use crate::table::{read_table, read_table_lean, Lean, Part, Row};
use chrono::NaiveDate;
use hashbrown::HashTable;
use rustc_hash::{FxBuildHasher, FxHashSet};
use sightline_core::codes::ETHNICITY_CODES;
use sightline_core::source::RowProblem;
use sightline_core::source::{Mode, PersonDetails, SourceData};
use sightline_core::{
    Absence, AbsenceReason, CaseloadSnapshot, Date, Establishment, Gender, LeaverDestination, OrgRole, Person,
    PersonIdx, QualificationRoute, ReasonLeave, Spell, SpellKind, TeamId, Workforce, WorkforceBuilder,
};
use std::fs;
use std::hash::BuildHasher;
use std::io::Write;
use std::path::Path;

pub const SPELLS: &str = "spells.csv";
pub const ESTABLISHMENT: &str = "establishment.csv";
pub const ABSENCES: &str = "absences.csv";
pub const CASELOADS: &str = "caseloads.csv";
pub const PEOPLE: &str = "people.csv";

/// The columns of the spells, absences, caseloads and people files, in the order
/// Sightline writes them (and its lean readers read them).
const SPELL_COLUMNS: [&str; 11] = [
    "person_id",
    "swe_no",
    "kind",
    "team",
    "org_role",
    "start_date",
    "end_date",
    "fte",
    "reason_leave",
    "leaver_destination",
    "charge_rate",
];
const ABSENCE_COLUMNS: [&str; 5] = ["person_id", "start_date", "end_date", "reason", "days_lost"];
const CASELOAD_COLUMNS: [&str; 3] = ["person_id", "date", "cases"];
const PEOPLE_COLUMNS: [&str; 7] =
    ["person_id", "swe_no", "birth_date", "gender", "ethnicity", "qualification_date", "qualification_route"];

/// A dataset read from a directory, with the rows skipped in lenient mode.
#[derive(Debug)]
pub struct Loaded {
    pub workforce: Workforce,
    pub skipped: Vec<RowProblem>,
}

/// Reads a canonical data directory.
#[allow(clippy::expect_used)] // `read` gives a required file's text or an error; a reader or check thread's panic is passed on (the readers do not panic: tests/hostile.rs)
pub fn read_dir(dir: &Path, strictness: Strictness) -> Result<Loaded, ReadError> {
    let read = |name: &str, required: bool| -> Result<Option<Vec<u8>>, ReadError> {
        let path = dir.join(name);
        match fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(ReadError::NoSpells { dir: dir.to_path_buf() }),
            Err(source) => Err(ReadError::Io { path, source }),
        }
    };
    let spells = read(SPELLS, true)?.expect("a required file is read or an error");
    // The files are parsed side by side (large ones in parts) and joined on
    // people and teams in file order: spells, people and establishment
    // first; then absences and caseloads, whose people are looked up among
    // those already known, while the spells are checked for duplicates.
    // The later files are read while the spells are parsed; an error in
    // reading any file is given before any problem in its rows, in file order.
    std::thread::scope(|scope| {
        let people = scope.spawn(|| Ok::<_, ReadError>(read(PEOPLE, false)?.as_deref().map(parse_people)));
        let establishment =
            scope.spawn(|| Ok::<_, ReadError>(read(ESTABLISHMENT, false)?.as_deref().map(parse_establishment)));
        let later = scope.spawn(|| Ok::<_, ReadError>((read(ABSENCES, false)?, read(CASELOADS, false)?)));
        let spells = parse_spells(&spells);
        let join = "a reader thread finishes";
        let people = people.join().expect(join)?;
        let establishment = establishment.join().expect(join)?;
        let (absences, caseloads) = later.join().expect(join)?;
        let first = First { spells, people, establishment };
        assemble(strictness, first, absences.as_deref(), caseloads.as_deref())
    })
}

/// The files read first: those that name people and teams.
struct First {
    spells: Parts<(u64, Spell), SpellIds>,
    people: Option<Parts<(u64, Person)>>,
    establishment: Option<Parts<(u64, (String, Establishment))>>,
}

/// Joins the parsed files into a workforce, in file order, checking the
/// rules that span rows (duplicates, overlaps, SWE numbers); absences and
/// caseloads are parsed here, once the people of the first files are known.
#[allow(clippy::expect_used)] // a reader or check thread's panic is passed on (they do not panic: tests/hostile.rs)
fn assemble(
    strictness: Strictness,
    first: First,
    absences: Option<&[u8]>,
    caseloads: Option<&[u8]>,
) -> Result<Loaded, ReadError> {
    let mut builder = WorkforceBuilder::new();
    let mut problems = Vec::new();
    let mut interned: Vec<(u64, Spell)> = Vec::new();
    // The line that gave each person their SWE number, by person.
    let mut swe_lines: Vec<u64> = Vec::new();
    let spells = first.spells?;
    interned.reserve(spells.iter().map(|p| p.rows.len()).sum());
    let named = spells.iter().map(|p| p.state.ids.names.len()).sum();
    builder.reserve_people(named);
    swe_lines.reserve(named);
    for part in spells {
        problems.extend(part.problems);
        let mut names = part.state;
        let persons = names.ids.move_into(&mut builder);
        swe_lines.resize(builder.people(), 0);
        let teams: Vec<TeamId> = names.teams.iter().map(|t| builder.team(t)).collect();
        for (local, swe) in names.swe_numbers.into_iter().enumerate() {
            let (Some(swe), person) = (swe, persons[local]) else {
                continue;
            };
            let line = names.swe_lines[local];
            let known = builder.person_mut(person);
            match &known.swe_no {
                None => {
                    known.swe_no = Some(swe);
                    swe_lines[person.0 as usize] = line;
                }
                Some(other) if *other != swe => {
                    problems.push(RowProblem {
                        file: SPELLS.to_string(),
                        line,
                        column: "swe_no".into(),
                        value: swe,
                        rule: format!(
                            "person `{}` has SWE number `{other}` on line {}",
                            known.id, swe_lines[person.0 as usize]
                        ),
                    });
                }
                Some(_) => {}
            }
        }
        interned.extend(part.rows.into_iter().map(|(line, s)| {
            (line, Spell { person: persons[s.person.0 as usize], team: teams[s.team.0 as usize], ..s })
        }));
    }
    // The checks across rows (duplicates, overlaps) sort whole files: they
    // run beside the reading and joining of the files after them.
    // Each check thread also leaves out the rows with a problem: the
    // problems of its file are all known by the time it starts.
    std::thread::scope(|scope| -> Result<(), ReadError> {
        let bad_spells = lines_of(&problems, SPELLS);
        let spell_check = scope.spawn(move || {
            let repeated = repeated_rows(
                SPELLS,
                &mut interned,
                |s| (s.person.0, s.start),
                |a, b| a == b,
                Some(&|a: &Spell, b: &Spell| {
                    (a.kind, a.team, a.org_role, a.fte) == (b.kind, b.team, b.org_role, b.fte)
                        && spans_overlap((a.start, a.end), (b.start, b.end))
                }),
                |s| ("start_date".into(), s.start.to_string()),
            );
            (keep_valid(interned, bad_spells, &repeated), repeated)
        });
        join_people_establishment(&mut builder, &mut problems, first.people, first.establishment)?;
        let join = "a reader thread finishes";
        let (absences, caseloads) = std::thread::scope(|inner| {
            let known = &builder;
            let absences = inner.spawn(move || absences.map(|b| parse_absences(b, known)));
            let caseloads = caseloads.map(|b| parse_caseloads(b, known));
            (absences.join().expect(join), caseloads)
        });
        let absence_check = match absences.transpose()? {
            None => None,
            Some(mut parts) => {
                resolve_new(&mut builder, &mut parts, |(_, a)| &mut a.person);
                let mut interned: Vec<(u64, Absence)> = Vec::with_capacity(parts.iter().map(|p| p.rows.len()).sum());
                for part in parts {
                    problems.extend(part.problems);
                    interned.extend(part.rows);
                }
                let bad_absences = lines_of(&problems, ABSENCES);
                Some(scope.spawn(move || {
                    let repeated = repeated_rows(
                        ABSENCES,
                        &mut interned,
                        |a| (a.person.0, a.start),
                        |a, b| a == b,
                        None,
                        |a| ("start_date".into(), a.start.to_string()),
                    );
                    (keep_valid(interned, bad_absences, &repeated), repeated)
                }))
            }
        };
        if let Some(mut parts) = caseloads.transpose()? {
            // Several rows for one person and date add up (cases held in several teams).
            resolve_new(&mut builder, &mut parts, |c| &mut c.person);
            builder.reserve(0, 0, parts.iter().map(|p| p.rows.len()).sum());
            for part in parts {
                problems.extend(part.problems);
                builder.add_caseloads(part.rows);
            }
        }
        let join = "a check thread finishes";
        let (spells, repeated) = spell_check.join().expect(join);
        problems.extend(repeated);
        builder.add_spells(spells);
        if let Some(check) = absence_check {
            let (absences, repeated) = check.join().expect(join);
            problems.extend(repeated);
            builder.add_absences(absences);
        }
        Ok(())
    })?;
    problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    if strictness == Strictness::Strict && !problems.is_empty() {
        return Err(ReadError::InvalidRows(problems));
    }
    Ok(Loaded { workforce: builder.build(), skipped: problems })
}

/// Joins in people and establishment.
fn join_people_establishment(
    builder: &mut WorkforceBuilder,
    problems: &mut Vec<RowProblem>,
    people: Option<Parts<(u64, Person)>>,
    establishment: Option<Parts<(u64, (String, Establishment))>>,
) -> Result<(), ReadError> {
    if let Some(parts) = people.transpose()? {
        for part in parts {
            problems.extend(part.problems);
            for (_, mut row) in part.rows {
                let p = builder.person(&row.id);
                let existing = builder.person_mut(p);
                if row.swe_no.is_none() {
                    row.swe_no = existing.swe_no.take();
                }
                *existing = row;
            }
        }
    }
    if let Some(parts) = establishment.transpose()? {
        let mut interned: Vec<(u64, Establishment)> = Vec::new();
        for part in parts {
            problems.extend(part.problems);
            interned.extend(
                part.rows.into_iter().map(|(line, (team, e))| (line, Establishment { team: builder.team(&team), ..e })),
            );
        }
        let repeated = repeated_rows(
            ESTABLISHMENT,
            &mut interned,
            |e| (e.team.0, e.start),
            |a, b| a == b,
            None,
            |e| ("start_date".into(), e.start.to_string()),
        );
        problems.extend(repeated);
        let bad = lines_of(problems, ESTABLISHMENT);
        keep_valid(interned, bad, &[]).into_iter().for_each(|e| builder.add_establishment(e));
    }
    Ok(())
}

/// The rows of a file whose line is neither `bad` nor that of one of `more`
/// (the file's own problems), in the rows' own memory.
fn keep_valid<T>(rows: Vec<(u64, T)>, mut bad: FxHashSet<u64>, more: &[RowProblem]) -> Vec<T> {
    bad.extend(more.iter().map(|p| p.line));
    rows.into_iter().filter(|(line, _)| bad.is_empty() || !bad.contains(line)).map(|(_, t)| t).collect()
}

/// The lines of `file` with a problem.
fn lines_of(problems: &[RowProblem], file: &str) -> FxHashSet<u64> {
    problems.iter().filter(|p| p.file == file).map(|p| p.line).collect()
}

// ---------------------------------------------------------------------------
// Row parsing.

/// The checks every canonical file shares, on top of [`table::Row`].
impl Row<'_> {
    fn required(&self, k: usize) -> Result<&str, RowProblem> {
        let t = self.text(k)?;
        if t.is_empty() {
            return Err(self.problem(self.name(k), "", "a value is required"));
        }
        Ok(t)
    }

    fn optional(&self, k: usize) -> Result<Option<&str>, RowProblem> {
        self.text(k).map(|t| (!t.is_empty()).then_some(t))
    }

    fn date(&self, k: usize) -> Result<Date, RowProblem> {
        // Dates are read from the bytes: the common case needs no text at all.
        match parse_date_bytes(self.raw(k)) {
            Some(d) => Ok(d),
            None => {
                let t = self.required(k)?;
                Err(self.problem(self.name(k), t, "not a date in the form YYYY-MM-DD"))
            }
        }
    }

    fn optional_date(&self, k: usize) -> Result<Option<Date>, RowProblem> {
        if self.raw(k).is_empty() {
            return Ok(None);
        }
        self.date(k).map(Some)
    }

    fn number(&self, k: usize, t: &str) -> Result<f64, RowProblem> {
        t.parse::<f64>().ok().filter(|x| x.is_finite()).ok_or_else(|| self.problem(self.name(k), t, "not a number"))
    }

    fn code<T>(&self, k: usize, parse: impl Fn(&str) -> Option<T>, rule: &str) -> Result<Option<T>, RowProblem> {
        match self.optional(k)? {
            None => Ok(None),
            Some(t) => parse(t).map(Some).ok_or_else(|| self.problem(self.name(k), t, rule)),
        }
    }

    fn swe_number(&self, k: usize) -> Result<Option<&str>, RowProblem> {
        match self.optional(k)? {
            Some(s) if !is_swe_number(s) => {
                Err(self.problem(self.name(k), s, "an SWE number is two letters followed by digits"))
            }
            other => Ok(other),
        }
    }

    fn end_not_before_start(&self, start: Date, end: Option<Date>, k_end: usize) -> Result<(), RowProblem> {
        match end {
            Some(e) if e < start => Err(self.problem(
                self.name(k_end),
                &e.to_string(),
                format!("the end date is before the start date {start}"),
            )),
            _ => Ok(()),
        }
    }
}

/// Parses `YYYY-MM-DD` strictly.
pub fn parse_date(t: &str) -> Option<Date> {
    parse_date_bytes(t.as_bytes())
}

fn parse_date_bytes(b: &[u8]) -> Option<Date> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
    };
    NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
}

pub(crate) use sightline_core::codes::is_swe_number;

/// A whole number of at most nine digits, from its bytes. A decimal point
/// followed only by zeros is allowed (`3.0`), as spreadsheet and pandas
/// exports write whole numbers in a column with empty cells.
fn parse_count(b: &[u8]) -> Option<u32> {
    let digits = match b.iter().position(|c| *c == b'.') {
        Some(dot) if b[dot + 1..].iter().all(|c| *c == b'0') => &b[..dot],
        Some(_) => return None,
        None => b,
    };
    if digits.is_empty() || digits.len() > 9 {
        return None;
    }
    digits.iter().try_fold(0u32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
}

/// A code given as a whole number (see [`parse_count`]).
fn code_number(t: &str) -> Option<u8> {
    parse_count(t.as_bytes()).and_then(|n| u8::try_from(n).ok())
}

/// A table's parts as [`table::read_table`] gives them.
type Parts<T, S = ()> = Result<Vec<Part<T, S>>, ReadError>;

/// Person identifiers seen in one part of a file, numbered in order of
/// first sight, so that its rows carry a number rather than a copy of the text.
#[derive(Default)]
struct PersonIds {
    /// Local numbers, found by the hash of the identifier's bytes.
    index: HashTable<u32>,
    names: Vec<String>,
}

impl PersonIds {
    /// The number of the person named in column `k` of `row`. Identifiers
    /// are matched by their bytes; each is checked as text once, when first seen.
    fn intern(&mut self, row: &Row<'_>, k: usize) -> Result<u32, RowProblem> {
        self.intern_with(row.raw(k), || row.required(k))
    }

    /// The number of the person whose identifier has the bytes `raw`;
    /// `text` gives it as checked text, when it is first seen.
    fn intern_with<'t>(
        &mut self,
        raw: &[u8],
        text: impl FnOnce() -> Result<&'t str, RowProblem>,
    ) -> Result<u32, RowProblem> {
        let hash = FxBuildHasher.hash_one(raw);
        let names = &self.names;
        if let Some(i) = self.index.find(hash, |i| same_bytes(names[*i as usize].as_bytes(), raw)) {
            return Ok(*i);
        }
        let id = text()?;
        let i = self.names.len() as u32;
        self.names.push(id.to_string());
        let names = &self.names;
        self.index.insert_unique(hash, i, |i| FxBuildHasher.hash_one(names[*i as usize].as_bytes()));
        Ok(i)
    }

    /// The workforce's index for each local number.
    fn resolve(&self, builder: &mut WorkforceBuilder) -> Vec<PersonIdx> {
        self.names.iter().map(|n| builder.person(n)).collect()
    }

    /// [`PersonIds::resolve`], the identifiers moved into the workforce.
    fn move_into(&mut self, builder: &mut WorkforceBuilder) -> Vec<PersonIdx> {
        std::mem::take(&mut self.names).into_iter().map(|n| builder.person_from(n)).collect()
    }
}

/// The people of a part of the absences or caseloads file: each found
/// among the people already known from the spells and people files
/// (identifiers interned once, across files); one not known there is
/// numbered locally, with [`KnownPersons::NEW`] set, until [`resolve_new`]
/// adds it to the workforce.
struct KnownPersons<'b> {
    known: &'b WorkforceBuilder,
    /// The identifier of the row before and its person: rows of one person
    /// often follow each other.
    last: IdKey,
    /// The bytes of a long identifier on the row before (see [`IdKey`]).
    last_long: Vec<u8>,
    last_person: Option<PersonIdx>,
    new: PersonIds,
    dates: DateCache,
}

/// Dates met in a part, by their ten bytes: most dates in a file repeat.
struct DateCache {
    /// Direct-mapped: each slot holds the last date whose bytes hash to it,
    /// as its bytes (the first eight and the last two) and the date; every
    /// slot starts with a real date, so a match is always right.
    slots: Vec<(u64, u16, Date)>,
}

impl DateCache {
    const SLOT_BITS: u32 = 12;

    fn new() -> Self {
        let (head, tail) = Self::key(b"1970-01-01");
        let date = Date::from_ymd_opt(1970, 1, 1).unwrap_or_default();
        DateCache { slots: vec![(head, tail, date); 1 << Self::SLOT_BITS] }
    }

    fn key(b: &[u8; 10]) -> (u64, u16) {
        (u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]), u16::from_le_bytes([b[8], b[9]]))
    }

    /// [`parse_date_bytes`] of exactly ten bytes.
    fn parse(&mut self, b: &[u8; 10]) -> Option<Date> {
        let (head, tail) = Self::key(b);
        let mixed = (head ^ (u64::from(tail) << 48)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let slot = (mixed >> (64 - Self::SLOT_BITS)) as usize;
        let (h, t, date) = self.slots[slot];
        if (h, t) == (head, tail) {
            return Some(date);
        }
        let date = parse_date_bytes(b)?;
        self.slots[slot] = (head, tail, date);
        Some(date)
    }
}

impl<'b> KnownPersons<'b> {
    /// Marks a person numbered within the part rather than known.
    const NEW: u32 = 1 << 31;

    fn new(known: &'b WorkforceBuilder) -> Self {
        KnownPersons {
            known,
            last: IdKey::of(b""),
            last_long: Vec::new(),
            last_person: None,
            new: PersonIds::default(),
            dates: DateCache::new(),
        }
    }

    /// The person named by exactly these bytes on the row before, if any.
    fn cached(&self, raw: &[u8]) -> Option<PersonIdx> {
        let same = IdKey::of(raw) == self.last && (raw.len() <= IdKey::WHOLE || raw == self.last_long.as_slice());
        self.last_person.filter(|_| same)
    }

    fn remember(&mut self, raw: &[u8], person: PersonIdx) -> PersonIdx {
        self.last = IdKey::of(raw);
        if raw.len() > IdKey::WHOLE {
            self.last_long.clear();
            self.last_long.extend_from_slice(raw);
        }
        self.last_person = Some(person);
        person
    }

    /// The person known by exactly these bytes, if any (for a lean reader:
    /// it reads only rows of known people).
    fn known(&mut self, raw: &[u8]) -> Option<PersonIdx> {
        if let Some(p) = self.cached(raw) {
            return (p.0 & Self::NEW == 0).then_some(p);
        }
        let p = std::str::from_utf8(raw).ok().and_then(|id| self.known.find_person(id)).filter(|p| p.0 < Self::NEW)?;
        Some(self.remember(raw, p))
    }

    /// The person named in column `k` of `row`: known, or numbered here.
    fn person(&mut self, row: &Row<'_>, k: usize) -> Result<PersonIdx, RowProblem> {
        let raw = row.raw(k);
        if let Some(p) = self.known(raw).or_else(|| self.cached(raw)) {
            return Ok(p);
        }
        let person = PersonIdx(self.new.intern(row, k)? | Self::NEW);
        Ok(self.remember(raw, person))
    }
}

/// An identifier's length and its first and last eight bytes (fewer, for
/// a short one), read as numbers: equal for two identifiers of at most
/// [`IdKey::WHOLE`] bytes exactly when their bytes are, and compared in a
/// few instructions rather than through a call to `memcmp`. Identifiers
/// are compared at every row of the largest files.
#[derive(Clone, Copy, PartialEq, Eq)]
struct IdKey(u64, u64, usize);

impl IdKey {
    /// The longest identifier whose key holds all of its bytes.
    const WHOLE: usize = 16;

    fn of(b: &[u8]) -> IdKey {
        let n = b.len();
        let (head, tail) = match (b.first_chunk::<8>(), b.last_chunk::<8>(), b.first_chunk::<4>(), b.last_chunk::<4>())
        {
            (Some(head), Some(tail), _, _) => (u64::from_le_bytes(*head), u64::from_le_bytes(*tail)),
            (_, _, Some(head), Some(tail)) => {
                (u64::from(u32::from_le_bytes(*head)), u64::from(u32::from_le_bytes(*tail)))
            }
            _ => (b.iter().fold(0, |k, c| (k << 8) | u64::from(*c)), 0),
        };
        IdKey(head, tail, n)
    }
}

/// Whether two identifiers have the same bytes (see [`IdKey`]).
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    IdKey::of(a) == IdKey::of(b) && (a.len() <= IdKey::WHOLE || a == b)
}

/// Adds the people first met in these parts to the workforce, in order of
/// parts and of first sight, and gives their rows the workforce's index.
fn resolve_new<T>(
    builder: &mut WorkforceBuilder,
    parts: &mut [Part<T, PersonIds>],
    person: impl Fn(&mut T) -> &mut PersonIdx,
) {
    for part in parts {
        if part.state.names.is_empty() {
            continue;
        }
        let persons = part.state.resolve(builder);
        for row in &mut part.rows {
            let p = person(row);
            if p.0 & KnownPersons::NEW != 0 {
                *p = persons[(p.0 & !KnownPersons::NEW) as usize];
            }
        }
    }
}

/// What a part of the spells file names by text, numbered in order of first sight.
#[derive(Default)]
struct SpellIds {
    ids: PersonIds,
    /// Each person's SWE number, from the first row that gives one, and that row's line.
    swe_numbers: Vec<Option<String>>,
    swe_lines: Vec<u64>,
    teams: Vec<String>,
}

impl SpellIds {
    fn reserve(&mut self, people: usize) {
        self.ids.index.reserve(people, |_| 0);
        self.ids.names.reserve(people);
        self.swe_numbers.reserve(people);
        self.swe_lines.reserve(people);
    }

    fn team(&mut self, name: &str) -> u32 {
        match self.teams.iter().position(|t| t == name) {
            Some(i) => i as u32,
            None => {
                self.teams.push(name.to_string());
                self.teams.len() as u32 - 1
            }
        }
    }
}

/// Spells, with people and teams as numbers local to each part (see [`SpellIds`]).
fn parse_spells(bytes: &[u8]) -> Parts<(u64, Spell), SpellIds> {
    let required = ["person_id", "kind", "team", "org_role", "start_date", "fte"];
    let optional = ["swe_no", "end_date", "reason_leave", "leaver_destination", "charge_rate"];
    let lean: &Lean<(u64, Spell), SpellIds> = &lean_spell;
    let lean = Some((&SPELL_COLUMNS[..], lean));
    read_table_lean(SPELLS, bytes, &required, &optional, SpellIds::default, lean, |names: &mut SpellIds, row| {
        let person_id = row.required(0)?;
        let kind_text = row.required(1)?;
        let kind = SpellKind::parse(kind_text)
            .ok_or_else(|| row.problem("kind", kind_text, "unknown kind: use permanent, fixed_term or agency"))?;
        let team = row.required(2)?;
        let role_text = row.required(3)?;
        let org_role = code_number(role_text)
            .and_then(OrgRole::from_code)
            .ok_or_else(|| row.problem("org_role", role_text, "unknown CSWW OrgRole code: use 1 to 6"))?;
        let start = row.date(4)?;
        let fte_text = row.required(5)?;
        let fte = row.number(5, fte_text)?;
        if !fte_in_range(fte) {
            return Err(row.problem("fte", fte_text, "FTE must be greater than 0 and at most 1"));
        }
        let swe_no = row.swe_number(6)?;
        let end = row.optional_date(7)?;
        row.end_not_before_start(start, end, 7)?;
        let reason_leave = row.code(
            8,
            |t| code_number(t).and_then(ReasonLeave::from_code),
            "unknown CSWW ReasonLeave code: use 1 to 10",
        )?;
        let leaver_destination = row.code(
            9,
            |t| code_number(t).and_then(LeaverDestination::from_code),
            "unknown CSWW LeaverDestination code: use 1 to 9",
        )?;
        let charge_rate = match row.optional(10)? {
            None => None,
            Some(t) => {
                let rate = row.number(10, t)?;
                if rate < 0.0 {
                    return Err(row.problem("charge_rate", t, "a charge rate cannot be negative"));
                }
                if kind != SpellKind::Agency {
                    return Err(row.problem("charge_rate", t, "only an agency spell has a charge rate"));
                }
                Some(rate)
            }
        };
        let person = names.ids.intern(row, 0)? as usize;
        if names.swe_numbers.len() <= person {
            names.swe_numbers.push(None);
            names.swe_lines.push(0);
        }
        if let Some(swe) = swe_no {
            match &names.swe_numbers[person] {
                Some(other) if other != swe => {
                    let rule =
                        format!("person `{person_id}` has SWE number `{other}` on line {}", names.swe_lines[person]);
                    return Err(row.problem("swe_no", swe, rule));
                }
                Some(_) => {}
                None => {
                    names.swe_numbers[person] = Some(swe.to_string());
                    names.swe_lines[person] = row.line;
                }
            }
        }
        let team = TeamId(names.team(team));
        let person = PersonIdx(person as u32);
        Ok((
            row.line,
            Spell { person, kind, team, org_role, start, end, fte, reason_leave, leaver_destination, charge_rate },
        ))
    })
}

/// Whether a spell's FTE may be taken: greater than 0 and at most 1.
fn fte_in_range(fte: f64) -> bool {
    fte > 0.0 && fte <= 1.0
}

/// Whether two rows that must not overlap in time do.
type Overlaps<'f, T> = &'f dyn Fn(&T, &T) -> bool;

/// Rows of `file` that repeat an earlier row exactly (`same`), or, for rows
/// that must not overlap in time, overlap one (`overlaps`). `rows` holds
/// (line, item), sorted here by `group_key` and line.
fn repeated_rows<T>(
    file: &'static str,
    rows: &mut [(u64, T)],
    group_key: impl Fn(&T) -> (u32, Date),
    same: impl Fn(&T, &T) -> bool,
    overlaps: Option<Overlaps<'_, T>>,
    describe: impl Fn(&T) -> (String, String),
) -> Vec<RowProblem> {
    rows.sort_unstable_by_key(|(line, t)| (group_key(t), *line));
    let mut problems = Vec::new();
    let mut flagged = std::collections::HashSet::new();
    let mut i = 0;
    while i < rows.len() {
        let group = group_key(&rows[i].1).0;
        let mut j = i + 1;
        while j < rows.len() && group_key(&rows[j].1).0 == group {
            j += 1;
        }
        for b in i + 1..j {
            for a in i..b {
                let (line_a, x) = (rows[a].0, &rows[a].1);
                let y = &rows[b].1;
                if flagged.contains(&line_a) {
                    continue;
                }
                let rule = if same(x, y) {
                    format!("duplicate of the row on line {line_a}")
                } else if overlaps.is_some_and(|o| o(x, y)) {
                    format!("overlaps the identical spell (same kind, team, role and FTE) on line {line_a}")
                } else {
                    continue;
                };
                let (column, value) = describe(y);
                flagged.insert(rows[b].0);
                problems.push(RowProblem { file: file.to_string(), line: rows[b].0, column, value, rule });
                break;
            }
        }
        i = j;
    }
    problems
}

fn spans_overlap(a: (Date, Option<Date>), b: (Date, Option<Date>)) -> bool {
    a.0 <= b.1.unwrap_or(Date::MAX) && b.0 <= a.1.unwrap_or(Date::MAX)
}

fn parse_people(bytes: &[u8]) -> Parts<(u64, Person)> {
    let lean: &Lean<(u64, Person), ()> = &lean_person;
    read_table_lean(
        PEOPLE,
        bytes,
        &PEOPLE_COLUMNS[..1],
        &PEOPLE_COLUMNS[1..],
        || (),
        Some((&PEOPLE_COLUMNS, lean)),
        |_: &mut (), row| {
            let ethnicity = row.code(
                4,
                |t| ETHNICITY_CODES.contains(&t).then(|| t.to_string()),
                "unknown CSWW Ethnicity code (see docs/data-formats.md)",
            )?;
            Ok((
            row.line,
            Person {
                id: row.required(0)?.to_string(),
                swe_no: row.swe_number(1)?.map(str::to_string),
                birth_date: row.optional_date(2)?,
                gender: row.code(
                    3,
                    |t| code_number(t).and_then(Gender::from_code),
                    "unknown CSWW GenderCurrent code: use 0, 1, 2 or 9",
                )?,
                ethnicity,
                qualification_date: row.optional_date(5)?,
                qualification_route: row.code(
                    6,
                    QualificationRoute::parse,
                    "unknown route: use undergraduate, postgraduate, step_up, frontline, apprenticeship, international or other",
                )?,
            },
        ))
        },
    )
}

fn parse_establishment(bytes: &[u8]) -> Parts<(u64, (String, Establishment))> {
    let optional = ["end_date", "post_id", "org_role"];
    read_table(
        ESTABLISHMENT,
        bytes,
        &["team", "fte", "start_date"],
        &optional,
        || (),
        |_: &mut (), row| {
            let team = row.required(0)?.to_string();
            let fte_text = row.required(1)?;
            let fte = row.number(1, fte_text)?;
            if fte <= 0.0 {
                return Err(row.problem("fte", fte_text, "funded FTE must be greater than 0"));
            }
            let start = row.date(2)?;
            let end = row.optional_date(3)?;
            row.end_not_before_start(start, end, 3)?;
            let org_role =
                row.code(5, |t| code_number(t).and_then(OrgRole::from_code), "unknown CSWW OrgRole code: use 1 to 6")?;
            let post_id = row.optional(4)?.map(str::to_string);
            Ok((row.line, (team, Establishment { team: TeamId(0), fte, start, end, post_id, org_role })))
        },
    )
}

fn parse_absences(bytes: &[u8], known: &WorkforceBuilder) -> Parts<(u64, Absence), PersonIds> {
    let required = &ABSENCE_COLUMNS[..4];
    let new_state = || KnownPersons::new(known);
    let lean: &Lean<(u64, Absence), KnownPersons> = &lean_absence;
    let parts = read_table_lean(
        ABSENCES,
        bytes,
        required,
        &ABSENCE_COLUMNS[4..],
        new_state,
        Some((&ABSENCE_COLUMNS, lean)),
        |ids: &mut KnownPersons, row| {
            let person = ids.person(row, 0)?;
            let start = row.date(1)?;
            let end = row.date(2)?;
            row.end_not_before_start(start, Some(end), 2)?;
            let reason_text = row.required(3)?;
            let reason = AbsenceReason::from_code(reason_text).ok_or_else(|| {
                row.problem(
                    "reason",
                    reason_text,
                    "unknown CSWW ReasonAbsence code: use SIC, MAT, OTH, PUB, TRN, UNA or UNP",
                )
            })?;
            let days_lost = match row.optional(4)? {
                None => None,
                Some(t) => {
                    let d = row.number(4, t)?;
                    if d < 0.0 {
                        return Err(row.problem("days_lost", t, "days lost cannot be negative"));
                    }
                    Some(d)
                }
            };
            Ok((row.line, Absence { person, start, end, reason, days_lost }))
        },
    );
    new_people(parts)
}

/// Caseload snapshots, people as [`KnownPersons`] gives them.
fn parse_caseloads(bytes: &[u8], known: &WorkforceBuilder) -> Parts<CaseloadSnapshot, PersonIds> {
    let new_state = || KnownPersons::new(known);
    let lean: &Lean<CaseloadSnapshot, KnownPersons> = &lean_caseload;
    let parts = read_table_lean(
        CASELOADS,
        bytes,
        &CASELOAD_COLUMNS,
        &[],
        new_state,
        Some((&CASELOAD_COLUMNS, lean)),
        |ids: &mut KnownPersons, row| {
            let person = ids.person(row, 0)?;
            let date = row.date(1)?;
            let raw = row.raw(2);
            let cases = parse_count(raw).ok_or_else(|| {
                row.problem("cases", &String::from_utf8_lossy(raw), "cases must be a whole number, 0 or more")
            })?;
            Ok(CaseloadSnapshot { person, date, cases })
        },
    );
    new_people(parts)
}

// The lean readers: rows laid out exactly as Sightline writes them (in
// absences and caseloads, of people already known). Any other row (spaces,
// quotes, other codes or number forms, a new person, a problem) is left to
// the full reader, which gives the same row or names the problem.

/// The bytes before the first comma (within the longest field allowed) and those after it.
fn until_comma(b: &[u8]) -> Option<(&[u8], &[u8])> {
    let within = &b[..b.len().min(crate::read::MAX_FIELD_BYTES + 1)];
    // Identifiers are short: a plain loop finds their end sooner than a
    // call to `memchr`, which is kept for longer fields.
    let short = &within[..within.len().min(32)];
    let i = match short.iter().position(|c| *c == b',') {
        Some(i) => i,
        None => short.len() + memchr::memchr(b',', &within[short.len()..])?,
    };
    Some((&b[..i], &b[i + 1..]))
}

/// A date of exactly `YYYY-MM-DD` followed by a comma, and the bytes after it.
fn lean_date<'b>(dates: &mut DateCache, b: &'b [u8]) -> Option<(Date, &'b [u8])> {
    let (date, rest) = b.split_first_chunk::<10>()?;
    let rest = rest.strip_prefix(b",")?;
    Some((dates.parse(date)?, rest))
}

/// How many bytes the line end at the start of `b` takes (LF or CR LF),
/// 0 at the end of the part; None if the line goes on.
fn line_end(b: &[u8]) -> Option<usize> {
    match b {
        [] => Some(0),
        [b'\n', ..] => Some(1),
        [b'\r', b'\n', ..] => Some(2),
        _ => None,
    }
}

/// `person_id,date,cases`.
fn lean_caseload(ids: &mut KnownPersons<'_>, b: &[u8], _line: u64) -> Option<(CaseloadSnapshot, usize)> {
    let (id, rest) = until_comma(b)?;
    let person = ids.known(id)?;
    let (date, rest) = lean_date(&mut ids.dates, rest)?;
    let digits = rest.iter().take(10).take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let cases = rest[..digits].iter().fold(0u32, |n, c| n * 10 + u32::from(c - b'0'));
    let used = b.len() - rest.len() + digits + line_end(&rest[digits..])?;
    Some((CaseloadSnapshot { person, date, cases }, used))
}

/// `person_id,start_date,end_date,reason,days_lost`.
fn lean_absence(ids: &mut KnownPersons<'_>, b: &[u8], line: u64) -> Option<((u64, Absence), usize)> {
    let (id, rest) = until_comma(b)?;
    let person = ids.known(id)?;
    let (start, rest) = lean_date(&mut ids.dates, rest)?;
    let (end, rest) = lean_date(&mut ids.dates, rest)?;
    if end < start || rest.get(3) != Some(&b',') {
        return None;
    }
    let code = rest.first_chunk::<3>()?;
    let reason = AbsenceReason::ALL.into_iter().find(|r| r.code().as_bytes() == code.as_slice())?;
    let rest = &rest[4..];
    // Days lost: empty, or digits and points (at most 32: always finite).
    let n = rest.iter().take(33).take_while(|c| c.is_ascii_digit() || **c == b'.').count();
    let days_lost = match n {
        0 => None,
        1..=32 => Some(number(&rest[..n])?),
        _ => return None,
    };
    let used = b.len() - rest.len() + n + line_end(&rest[n..])?;
    Some(((line, Absence { person, start, end, reason, days_lost }), used))
}

/// A number as `str::parse::<f64>` reads it: a short decimal directly.
fn number(b: &[u8]) -> Option<f64> {
    short_decimal(b).or_else(|| std::str::from_utf8(b).ok()?.parse::<f64>().ok())
}

/// A number of digits with at most one point inside them and at most 15
/// digits in all (such as `3` or `2.5`), as `str::parse::<f64>` gives it:
/// the digits as a whole number divided by a power of ten, both exact in
/// an `f64`, so that the one rounding of the division gives the nearest
/// `f64` to the decimal, as parsing does. None for any other form.
fn short_decimal(b: &[u8]) -> Option<f64> {
    const POWERS: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
    let (whole, fraction) = match b.iter().position(|c| *c == b'.') {
        Some(i) => (&b[..i], &b[i + 1..]),
        None => (b, &b[b.len()..]),
    };
    let digits = whole.len() + fraction.len();
    if whole.is_empty() || (fraction.is_empty() && whole.len() < b.len()) || digits > 15 {
        return None;
    }
    let mut m: u64 = 0;
    for c in whole.iter().chain(fraction) {
        if !c.is_ascii_digit() {
            return None;
        }
        m = m * 10 + u64::from(c - b'0');
    }
    Some(m as f64 / POWERS[fraction.len()])
}

/// The fields of a plain row for a lean reader, and the bytes its line
/// takes: a line of printable ASCII of at most 1,000 bytes (so that every
/// field is text fit to keep), of exactly `N` fields, each trimmed.
fn plain_fields<const N: usize>(b: &[u8]) -> Option<([&str; N], usize)> {
    let max = crate::read::MAX_FIELD_BYTES;
    let (end, used) = match memchr::memchr(b'\n', &b[..b.len().min(max + 1)]) {
        Some(i) => (i, i + 1),
        None if b.len() <= max => (b.len(), b.len()),
        None => return None,
    };
    let line = b[..end].strip_suffix(b"\r").unwrap_or(&b[..end]);
    // Every byte checked, without stopping at the first bad one (the loop
    // then runs many bytes at a time).
    if !line.iter().fold(true, |ok, c| ok & crate::read::printable_ascii(*c)) {
        return None;
    }
    // Where each field ends: at its comma, the last at the line's end.
    // Fields are short: a plain loop finds their commas sooner than a
    // call to `memchr` for each.
    let mut cuts = [line.len(); N];
    let mut found = 0;
    for (i, c) in line.iter().enumerate() {
        if *c == b',' {
            *cuts.get_mut(found)? = i;
            found += 1;
        }
    }
    if found != N - 1 {
        return None;
    }
    let line = std::str::from_utf8(line).ok()?;
    let mut out = [""; N];
    let mut start = 0;
    for (field, cut) in out.iter_mut().zip(cuts) {
        *field = line.get(start..cut)?.trim_ascii();
        start = cut + 1;
    }
    Some((out, used))
}

/// An optional value of a plain row: Some(None) when empty, None when not valid.
fn optional<'t, T>(text: &'t str, parse: impl FnOnce(&'t str) -> Option<T>) -> Option<Option<T>> {
    if text.is_empty() {
        Some(None)
    } else {
        parse(text).map(Some)
    }
}

/// A person in the columns of [`PEOPLE_COLUMNS`], every value valid.
fn lean_person(_: &mut (), b: &[u8], line: u64) -> Option<((u64, Person), usize)> {
    let ([id, swe, birth, gender, ethnicity, qualified, route], used) = plain_fields::<7>(b)?;
    if id.is_empty() {
        return None;
    }
    let person = Person {
        id: id.to_string(),
        swe_no: optional(swe, |s| is_swe_number(s).then(|| s.to_string()))?,
        birth_date: optional(birth, parse_date)?,
        gender: optional(gender, |t| code_number(t).and_then(Gender::from_code))?,
        ethnicity: optional(ethnicity, |t| ETHNICITY_CODES.contains(&t).then(|| t.to_string()))?,
        qualification_date: optional(qualified, parse_date)?,
        qualification_route: optional(route, QualificationRoute::parse)?,
    };
    Some(((line, person), used))
}

/// A spell in the columns of [`SPELL_COLUMNS`], every value valid and the
/// person's SWE number, if given, the one the part already has for them
/// (or the first).
fn lean_spell(names: &mut SpellIds, b: &[u8], line: u64) -> Option<((u64, Spell), usize)> {
    if names.ids.names.is_empty() {
        // At the part's first row: room for the people of a part of this
        // size, at about one person for every 100 bytes of spells.
        names.reserve(b.len() / 100);
    }
    let ([id, swe, kind, team, role, start, end, fte, reason, destination, rate], used) = plain_fields::<11>(b)?;
    if id.is_empty() || team.is_empty() {
        return None;
    }
    let kind = SpellKind::parse(kind)?;
    let org_role = code_number(role).and_then(OrgRole::from_code)?;
    let start = parse_date(start)?;
    let fte = number(fte.as_bytes()).filter(|x| x.is_finite() && fte_in_range(*x))?;
    let swe = optional(swe, |s| is_swe_number(s).then_some(s))?;
    let end = optional(end, |e| parse_date(e).filter(|e| *e >= start))?;
    let reason_leave = optional(reason, |t| code_number(t).and_then(ReasonLeave::from_code))?;
    let leaver_destination = optional(destination, |t| code_number(t).and_then(LeaverDestination::from_code))?;
    let charge_rate = match rate {
        "" => None,
        _ if kind != SpellKind::Agency => return None,
        r => Some(number(r.as_bytes()).filter(|x| x.is_finite() && *x >= 0.0)?),
    };
    // As the full reader does, in its order: the person, their SWE number, the team.
    let person = names.ids.intern_with(id.as_bytes(), || Ok(id)).ok()? as usize;
    if names.swe_numbers.len() <= person {
        names.swe_numbers.push(None);
        names.swe_lines.push(0);
    }
    if let Some(swe) = swe {
        match &names.swe_numbers[person] {
            Some(other) if other != swe => return None,
            Some(_) => {}
            None => {
                names.swe_numbers[person] = Some(swe.to_string());
                names.swe_lines[person] = line;
            }
        }
    }
    let team = TeamId(names.team(team));
    let person = PersonIdx(person as u32);
    let spell = Spell { person, kind, team, org_role, start, end, fte, reason_leave, leaver_destination, charge_rate };
    Some(((line, spell), used))
}

/// Parts that keep, of the people they met, only those not known before.
fn new_people<T>(parts: Parts<T, KnownPersons<'_>>) -> Parts<T, PersonIds> {
    Ok(parts?.into_iter().map(|p| Part { rows: p.rows, problems: p.problems, state: p.state.new }).collect())
}

// ---------------------------------------------------------------------------
// Writing.

/// Formats an FTE or day count without trailing zeros (up to 6 decimals).
fn decimal(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

fn opt_date(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// Writes `workforce` as a canonical directory. Each file is written beside
/// its final name and renamed into place, so a failed write leaves no
/// half-written file behind.
pub fn write_dir(workforce: &Workforce, dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    let person_id = |p: PersonIdx| workforce.person(p).id.as_str();
    write_file(dir, SPELLS, &SPELL_COLUMNS, |w| {
        for s in workforce.spells() {
            let person = workforce.person(s.person);
            w.write_record([
                person.id.as_str(),
                person.swe_no.as_deref().unwrap_or(""),
                s.kind.as_str(),
                workforce.team_name(s.team),
                &s.org_role.code().to_string(),
                &s.start.to_string(),
                &opt_date(s.end),
                &decimal(s.fte),
                &s.reason_leave.map(|r| r.code().to_string()).unwrap_or_default(),
                &s.leaver_destination.map(|d| d.code().to_string()).unwrap_or_default(),
                &s.charge_rate.map(decimal).unwrap_or_default(),
            ])?;
        }
        Ok(())
    })?;
    write_file(dir, PEOPLE, &PEOPLE_COLUMNS, |w| {
        for p in workforce.persons() {
            w.write_record([
                p.id.as_str(),
                p.swe_no.as_deref().unwrap_or(""),
                &opt_date(p.birth_date),
                &p.gender.map(|g| g.code().to_string()).unwrap_or_default(),
                p.ethnicity.as_deref().unwrap_or(""),
                &opt_date(p.qualification_date),
                p.qualification_route.map(|r| r.as_str()).unwrap_or(""),
            ])?;
        }
        Ok(())
    })?;
    write_file(dir, ESTABLISHMENT, &["team", "fte", "start_date", "end_date", "post_id", "org_role"], |w| {
        for e in workforce.establishment() {
            w.write_record([
                workforce.team_name(e.team),
                &decimal(e.fte),
                &e.start.to_string(),
                &opt_date(e.end),
                e.post_id.as_deref().unwrap_or(""),
                &e.org_role.map(|r| r.code().to_string()).unwrap_or_default(),
            ])?;
        }
        Ok(())
    })?;
    write_file(dir, ABSENCES, &ABSENCE_COLUMNS, |w| {
        for a in workforce.absences() {
            w.write_record([
                person_id(a.person),
                &a.start.to_string(),
                &a.end.to_string(),
                a.reason.code(),
                &a.days_lost.map(decimal).unwrap_or_default(),
            ])?;
        }
        Ok(())
    })?;
    write_file(dir, CASELOADS, &CASELOAD_COLUMNS, |w| {
        for c in workforce.caseloads() {
            w.write_record([person_id(c.person), &c.date.to_string(), &c.cases.to_string()])?;
        }
        Ok(())
    })
}

/// Marks a folder written with synthetic data, so that it may be written again.
pub const SYNTHETIC_MARK: &str = ".sightline-synthetic";

/// Checks that `dir` may take synthetic data: it is new, empty, or was
/// written with synthetic data before. Anything else may be someone's real
/// data, which synthetic files must never overwrite.
pub fn check_synthetic_dir(dir: &Path) -> std::io::Result<()> {
    let Ok(mut entries) = fs::read_dir(dir) else { return Ok(()) };
    if dir.join(SYNTHETIC_MARK).exists() || entries.next().is_none() {
        return Ok(());
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!(
            "{} already holds files that Sightline did not make; choose a new or empty folder for synthetic data \
(nothing was written)",
            dir.display()
        ),
    ))
}

/// Writes synthetic data as a canonical folder, after [`check_synthetic_dir`],
/// and marks the folder as synthetic.
pub fn write_synthetic_dir(workforce: &Workforce, dir: &Path) -> std::io::Result<()> {
    check_synthetic_dir(dir)?;
    write_dir(workforce, dir)?;
    fs::write(dir.join(SYNTHETIC_MARK), "Made by `sightline synth`: every person in this folder is made up.\n")
}

fn write_file(
    dir: &Path,
    name: &str,
    header: &[&str],
    rows: impl FnOnce(&mut csv::Writer<fs::File>) -> csv::Result<()>,
) -> std::io::Result<()> {
    let tmp = dir.join(format!(".{name}.partial"));
    let result = (|| {
        let mut w = csv::Writer::from_writer(fs::File::create(&tmp)?);
        w.write_record(header)?;
        rows(&mut w)?;
        let mut file = w.into_inner().map_err(|e| e.into_error())?;
        file.flush()?;
        file.sync_all()
    })();
    match result {
        Ok(()) => fs::rename(&tmp, dir.join(name)),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// A canonical folder as a source: its people are known by `person_id`.
impl From<Loaded> for SourceData {
    fn from(loaded: Loaded) -> SourceData {
        let wf = loaded.workforce;
        let rows_read = wf.spells().len()
            + wf.establishment().len()
            + wf.absences().len()
            + wf.caseloads().len()
            + loaded.skipped.len();
        SourceData {
            details: vec![PersonDetails::default(); wf.persons().len()],
            workforce: wf,
            agency_terms: Vec::new(),
            post_refs: Vec::new(),
            staff_groups: Vec::new(),
            funded_groups: Vec::new(),
            directorates: Vec::new(),
            caseload_weights: Vec::new(),
            development: Default::default(),
            voice: Default::default(),
            recruitment: Default::default(),
            skipped: loaded.skipped,
            rows_read,
            mode: Mode::Full,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{same_bytes, short_decimal, until_comma};
    use proptest::prelude::*;

    proptest! {
        /// Identifiers compared by their keys are equal exactly when their
        /// bytes are: of every length, differing in any one byte, or one a
        /// prefix of the other with zeros after it.
        #[test]
        fn identifiers_are_the_same_exactly_when_their_bytes_are(
            a in proptest::collection::vec(any::<u8>(), 0..40),
            at in any::<usize>(),
            flip in 1u8..,
            zeros in 1usize..4,
        ) {
            prop_assert!(same_bytes(&a, &a.clone()));
            if !a.is_empty() {
                let mut b = a.clone();
                b[at % a.len()] ^= flip;
                prop_assert!(!same_bytes(&a, &b));
                prop_assert!(!same_bytes(&b, &a));
            }
            let mut longer = a.clone();
            longer.extend(std::iter::repeat_n(0, zeros));
            prop_assert!(!same_bytes(&a, &longer));
        }

        /// A short decimal is the number `str::parse` gives for its text, to the bit.
        #[test]
        fn short_decimals_are_read_as_parsing_reads_them(text in "[0-9.]{1,18}") {
            if let Some(x) = short_decimal(text.as_bytes()) {
                prop_assert_eq!(Some(x.to_bits()), text.parse::<f64>().ok().map(f64::to_bits), "{}", text);
            }
        }

        /// The field before the first comma, at any length up to the longest allowed.
        #[test]
        fn a_field_ends_at_its_first_comma(field in "[A-Z0-9]{0,1100}", rest in "[a-z,]{0,5}") {
            let line = format!("{field},{rest}");
            let expected = (field.len() <= crate::read::MAX_FIELD_BYTES).then_some((field.as_bytes(), rest.as_bytes()));
            prop_assert_eq!(until_comma(line.as_bytes()), expected);
        }
    }

    #[test]
    fn short_decimals_take_only_digits_with_one_point_inside() {
        for (text, value) in [("3", Some(3.0)), ("2.5", Some(2.5)), ("0012", Some(12.0)), ("0.1", Some(0.1))] {
            assert_eq!(short_decimal(text.as_bytes()), value, "{text}");
        }
        for text in ["", ".", "1.", ".5", "1.2.3", "1234567890123456", "1e3", "-1"] {
            assert_eq!(short_decimal(text.as_bytes()), None, "{text}");
        }
    }
}
