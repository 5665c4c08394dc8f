//! The return checked against its XML Schema (`schema/csww.xsd`, built into
//! the program) before Sightline's own rules: every element in its place
//! and order, as often as it may be, and every value of its type and facets.
//!
//! The schema is read at run time, so the checks follow the file; what it
//! may use is the part of XML Schema that the census schema uses: element
//! declarations in sequences (`minOccurs`, `maxOccurs`), named and inline
//! simple types restricting the built-in types `string`, `integer`,
//! `nonNegativeInteger`, `decimal`, `date`, `dateTime` and `gYear` by
//! `enumeration`, `pattern`, `minInclusive`, `maxInclusive`,
//! `fractionDigits`, `length` and `maxLength`. Anything else in the schema is
//! refused when it is read, so a change to the schema cannot be silently
//! half-checked.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::HashMap;
use std::fmt;

/// The census schema, as shipped.
pub const CSWW_XSD: &str = include_str!("../schema/csww.xsd");

/// At most this many violations are kept; the rest are counted.
pub const MAX_VIOLATIONS: usize = 10_000;

/// Elements nested deeper than this are not looked into (the census has four levels).
const MAX_DEPTH: usize = 64;

/// One way a document breaks the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The line of the element concerned (from 1).
    pub line: u64,
    /// The SWE number of the worker record it is in, as written, when there is one.
    pub worker: Option<String>,
    /// The element's path from the root's child, as `CSWWWorker/FTE`.
    pub element: String,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, <{}>: {}", self.line, self.element, self.message)
    }
}

/// What [`Schema::validate`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validation {
    /// The first [`MAX_VIOLATIONS`] violations, in document order.
    pub violations: Vec<Violation>,
    /// How many there were in all.
    pub total: usize,
    /// Each worker record's first and last line and its SWE number as written.
    pub workers: Vec<(u64, u64, String)>,
}

impl Validation {
    /// The SWE number of the worker record holding `line`, if any.
    pub fn worker_at(&self, line: u64) -> Option<&str> {
        self.workers.iter().find(|(from, to, _)| (*from..=*to).contains(&line)).map(|(_, _, swe)| swe.as_str())
    }
}

/// A schema that cannot be used: not the part of XML Schema this module reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the XML Schema cannot be used: {0}")]
pub struct SchemaError(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Builtin {
    String,
    Integer,
    NonNegativeInteger,
    Decimal,
    Date,
    DateTime,
    GYear,
}

impl Builtin {
    fn named(name: &str) -> Option<Builtin> {
        Some(match name.strip_prefix("xs:")? {
            "string" => Builtin::String,
            "integer" => Builtin::Integer,
            "nonNegativeInteger" => Builtin::NonNegativeInteger,
            "decimal" => Builtin::Decimal,
            "date" => Builtin::Date,
            "dateTime" => Builtin::DateTime,
            "gYear" => Builtin::GYear,
            _ => return None,
        })
    }
}

/// A simple type: a built-in type and the facets restricting it.
#[derive(Debug, Clone)]
struct SimpleType {
    base: Builtin,
    enumeration: Vec<String>,
    pattern: Option<(String, regex_lite::Regex)>,
    min_inclusive: Option<f64>,
    max_inclusive: Option<f64>,
    fraction_digits: Option<usize>,
    length: Option<usize>,
    max_length: Option<usize>,
}

impl SimpleType {
    fn of(base: Builtin) -> SimpleType {
        SimpleType {
            base,
            enumeration: Vec::new(),
            pattern: None,
            min_inclusive: None,
            max_inclusive: None,
            fraction_digits: None,
            length: None,
            max_length: None,
        }
    }

    /// Why `raw` is not a value of this type, if it is not.
    fn fault(&self, raw: &str) -> Option<String> {
        // Every built-in type but string collapses white space.
        let value = if self.base == Builtin::String { raw } else { raw.trim() };
        let number = match self.base {
            Builtin::String => None,
            Builtin::Integer => Some(integer(value).ok_or("not a whole number")),
            Builtin::NonNegativeInteger => {
                Some(integer(value).filter(|n| *n >= 0.0).ok_or("not a whole number of 0 or more"))
            }
            Builtin::Decimal => Some(decimal(value).map(|(n, _)| n).ok_or("not a number")),
            Builtin::Date => {
                return date(value).is_none().then(|| "not a date written as YYYY-MM-DD".to_string());
            }
            Builtin::DateTime => {
                return date_time(value).is_none().then(|| "not a date and time written as YYYY-MM-DDThh:mm:ss".into());
            }
            Builtin::GYear => {
                let year = value.strip_suffix('Z').unwrap_or(value);
                return (year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| "not a year written as YYYY".to_string());
            }
        };
        let number = match number {
            Some(Ok(n)) => Some(n),
            Some(Err(e)) => return Some(e.to_string()),
            None => None,
        };
        if !self.enumeration.is_empty() {
            let listed = match number {
                Some(n) => self.enumeration.iter().any(|e| decimal(e).is_some_and(|(v, _)| v == n)),
                None => self.enumeration.iter().any(|e| e == value),
            };
            if !listed {
                return Some(format!("not one of the codes {}", self.enumeration.join(", ")));
            }
        }
        if let Some((written, pattern)) = &self.pattern {
            if !pattern.is_match(value) {
                return Some(format!("not of the form {written}"));
            }
        }
        let chars = value.chars().count();
        if self.length.is_some_and(|l| chars != l) {
            return Some(format!("not {} characters long", self.length.unwrap_or_default()));
        }
        if let Some(most) = self.max_length.filter(|m| chars > *m) {
            return Some(format!("longer than {most} characters"));
        }
        if let Some(n) = number {
            if let Some(least) = self.min_inclusive.filter(|m| n < *m) {
                return Some(format!("less than {least}, the least allowed"));
            }
            if let Some(most) = self.max_inclusive.filter(|m| n > *m) {
                return Some(format!("more than {most}, the most allowed"));
            }
            let places = decimal(value).map_or(0, |(_, places)| places);
            if let Some(most) = self.fraction_digits.filter(|m| places > *m) {
                return Some(format!("more than {most} decimal places"));
            }
        }
        None
    }
}

/// An integer as XML Schema writes one: an optional sign and digits.
fn integer(t: &str) -> Option<f64> {
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse::<f64>().ok()
}

/// A decimal as XML Schema writes one, and its decimal places (trailing zeros not counted).
fn decimal(t: &str) -> Option<(f64, usize)> {
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return None;
    }
    Some((t.parse::<f64>().ok()?, fraction.trim_end_matches('0').len()))
}

/// A time zone as XML Schema allows one after a date: `Z` or `+hh:mm`.
fn zone_free(t: &str) -> Option<&str> {
    if let Some(rest) = t.strip_suffix('Z') {
        return Some(rest);
    }
    let n = t.len();
    if n > 6 {
        let (rest, zone) = t.split_at(n - 6);
        let z = zone.as_bytes();
        if matches!(z.first(), Some(b'+' | b'-')) && z.get(3) == Some(&b':') {
            let hh = zone.get(1..3)?.parse::<u32>().ok()?;
            let mm = zone.get(4..6)?.parse::<u32>().ok()?;
            return (hh <= 14 && mm < 60).then_some(rest);
        }
    }
    Some(t)
}

fn date(t: &str) -> Option<chrono::NaiveDate> {
    let t = zone_free(t)?;
    (t.len() == 10).then(|| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()).flatten()
}

fn date_time(t: &str) -> Option<chrono::NaiveDateTime> {
    let t = zone_free(t)?;
    let (day, time) = t.split_once('T')?;
    let (hms, fraction) = time.split_once('.').unwrap_or((time, "0"));
    if hms.len() != 8 || fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    chrono::NaiveDateTime::parse_from_str(&format!("{day}T{hms}"), "%Y-%m-%dT%H:%M:%S").ok().filter(|_| day.len() == 10)
}

/// An element of a sequence.
#[derive(Debug, Clone)]
struct Particle {
    name: String,
    min: u32,
    /// `None` is unbounded.
    max: Option<u32>,
    content: Content,
}

#[derive(Debug, Clone)]
enum Content {
    Simple(SimpleType),
    Sequence(Vec<Particle>),
}

/// A schema read from its XSD text.
#[derive(Debug, Clone)]
pub struct Schema {
    roots: Vec<Particle>,
}

/// An element of the XSD, read whole (the schema is small).
#[derive(Debug, Clone, Default)]
struct Node {
    name: String,
    attrs: HashMap<String, String>,
    children: Vec<Node>,
}

impl Node {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }
}

fn node_of(e: &BytesStart<'_>) -> Result<Node, SchemaError> {
    let mut attrs = HashMap::new();
    for a in e.attributes() {
        let a = a.map_err(|e| SchemaError(e.to_string()))?;
        let raw = String::from_utf8_lossy(&a.value).into_owned();
        let value = quick_xml::escape::unescape(&raw).map_err(|e| SchemaError(e.to_string()))?.into_owned();
        attrs.insert(String::from_utf8_lossy(a.key.as_ref()).into_owned(), value);
    }
    Ok(Node { name: String::from_utf8_lossy(e.name().as_ref()).into_owned(), attrs, children: Vec::new() })
}

fn parse_tree(xsd: &str) -> Result<Node, SchemaError> {
    let mut reader = Reader::from_str(xsd);
    let mut stack: Vec<Node> = vec![Node::default()];
    loop {
        match reader.read_event().map_err(|e| SchemaError(e.to_string()))? {
            Event::Start(e) => stack.push(node_of(&e)?),
            Event::Empty(e) => {
                let node = node_of(&e)?;
                stack.last_mut().ok_or_else(|| SchemaError("unbalanced".into()))?.children.push(node);
            }
            Event::End(_) => {
                let node = stack.pop().ok_or_else(|| SchemaError("unbalanced".into()))?;
                stack.last_mut().ok_or_else(|| SchemaError("unbalanced".into()))?.children.push(node);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut top = stack.pop().filter(|_| stack.is_empty()).ok_or_else(|| SchemaError("unbalanced".into()))?;
    top.children.pop().filter(|n| n.name == "xs:schema").ok_or_else(|| SchemaError("no <xs:schema>".into()))
}

impl Schema {
    /// The census schema shipped with Sightline.
    pub fn csww() -> Result<Schema, SchemaError> {
        Schema::from_xsd(CSWW_XSD)
    }

    /// Reads a schema from its XSD text.
    pub fn from_xsd(xsd: &str) -> Result<Schema, SchemaError> {
        let tree = parse_tree(xsd)?;
        let mut named = HashMap::new();
        for n in tree.children.iter().filter(|n| n.name == "xs:simpleType") {
            let name = n.attr("name").ok_or_else(|| SchemaError("a top-level simple type without a name".into()))?;
            named.insert(name.to_string(), simple_type(n, &named)?);
        }
        let roots = tree
            .children
            .iter()
            .filter(|n| n.name == "xs:element")
            .map(|n| particle(n, &named))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(other) = tree.children.iter().find(|n| !matches!(n.name.as_str(), "xs:simpleType" | "xs:element")) {
            return Err(SchemaError(format!("<{}> at the top is not read", other.name)));
        }
        Ok(Schema { roots })
    }

    /// Checks a document against the schema, in one pass.
    pub fn validate(&self, text: &str) -> Validation {
        Validator::new(self, text).run()
    }
}

fn simple_type(n: &Node, named: &HashMap<String, SimpleType>) -> Result<SimpleType, SchemaError> {
    let unread = |what: &str| SchemaError(format!("{what} in a simple type is not read"));
    let [restriction] = n.children.as_slice() else { return Err(unread("anything but one restriction")) };
    if restriction.name != "xs:restriction" {
        return Err(unread(&format!("<{}>", restriction.name)));
    }
    let base = restriction.attr("base").ok_or_else(|| unread("a restriction without a base"))?;
    let mut ty = match (Builtin::named(base), named.get(base)) {
        (Some(b), _) => SimpleType::of(b),
        (None, Some(t)) => t.clone(),
        (None, None) => return Err(SchemaError(format!("unknown type {base}"))),
    };
    for facet in &restriction.children {
        let value = facet.attr("value").ok_or_else(|| unread("a facet without a value"))?;
        let number = || value.parse::<f64>().map_err(|_| SchemaError(format!("{} `{value}`", facet.name)));
        let count = || value.parse::<usize>().map_err(|_| SchemaError(format!("{} `{value}`", facet.name)));
        match facet.name.as_str() {
            "xs:enumeration" => ty.enumeration.push(value.to_string()),
            "xs:pattern" => {
                let re = regex_lite::Regex::new(&format!("^(?:{value})$"))
                    .map_err(|e| SchemaError(format!("pattern `{value}`: {e}")))?;
                ty.pattern = Some((value.to_string(), re));
            }
            "xs:minInclusive" => ty.min_inclusive = Some(number()?),
            "xs:maxInclusive" => ty.max_inclusive = Some(number()?),
            "xs:fractionDigits" => ty.fraction_digits = Some(count()?),
            "xs:length" => ty.length = Some(count()?),
            "xs:maxLength" => ty.max_length = Some(count()?),
            other => return Err(unread(&format!("the facet <{other}>"))),
        }
    }
    Ok(ty)
}

fn particle(n: &Node, named: &HashMap<String, SimpleType>) -> Result<Particle, SchemaError> {
    let name = n.attr("name").ok_or_else(|| SchemaError("an element without a name".into()))?.to_string();
    let occurs = |attr: &str, default: u32| -> Result<Option<u32>, SchemaError> {
        match n.attr(attr) {
            None => Ok(Some(default)),
            Some("unbounded") => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| SchemaError(format!("{attr} `{v}` of <{name}>"))),
        }
    };
    let min = occurs("minOccurs", 1)?.ok_or_else(|| SchemaError(format!("minOccurs of <{name}>")))?;
    let max = occurs("maxOccurs", 1)?;
    let content = match (n.attr("type"), n.children.as_slice()) {
        (Some(t), []) => Content::Simple(match (Builtin::named(t), named.get(t)) {
            (Some(b), _) => SimpleType::of(b),
            (None, Some(ty)) => ty.clone(),
            (None, None) => return Err(SchemaError(format!("unknown type {t} of <{name}>"))),
        }),
        (None, [child]) if child.name == "xs:simpleType" => Content::Simple(simple_type(child, named)?),
        (None, [child]) if child.name == "xs:complexType" => {
            let [sequence] = child.children.as_slice() else {
                return Err(SchemaError(format!("the complex type of <{name}> is not one sequence")));
            };
            if sequence.name != "xs:sequence" {
                return Err(SchemaError(format!("<{}> in <{name}> is not read", sequence.name)));
            }
            let items = sequence
                .children
                .iter()
                .map(|c| {
                    if c.name == "xs:element" {
                        particle(c, named)
                    } else {
                        Err(SchemaError(format!("<{}> in the sequence of <{name}> is not read", c.name)))
                    }
                })
                .collect::<Result<Vec<_>, _>>()?;
            Content::Sequence(items)
        }
        _ => return Err(SchemaError(format!("the content of <{name}> is not read"))),
    };
    Ok(Particle { name, min, max, content })
}

/// An open element as the validator walks the document.
enum Frame<'s> {
    /// An element of a sequence: the particle it is at and how often it has come.
    Sequence { name: String, items: &'s [Particle], at: usize, seen: u32, line: u64 },
    /// An element with a value: its text so far.
    Value { name: String, ty: &'s SimpleType, text: String, line: u64 },
    /// An element not in the schema, out of its place, or too deep: not
    /// looked into. A worker's SWE number out of place still names the worker.
    Skipped(Option<String>),
}

struct Validator<'s, 't> {
    schema: &'s Schema,
    text: &'t str,
    stack: Vec<Frame<'s>>,
    found: Validation,
    /// Violations in the open worker record, waiting for its SWE number.
    pending: Vec<Violation>,
    worker: Option<(u64, String)>,
    /// Where lines have been counted to.
    counted: (usize, u64),
    /// Whether the document has a root element.
    rooted: bool,
}

/// What the open element makes of a new child.
enum Decision<'s> {
    Root,
    Child(Place, &'s [Particle], String),
    InValue(String),
    Skip,
}

/// Where a child goes in a sequence.
enum Place {
    /// At `at`; the mandatory items skipped to reach it are missing.
    At {
        at: usize,
        missing: Vec<String>,
    },
    TooMany,
    /// Before the item the sequence is at.
    Early {
        before: String,
    },
    Unknown,
}

fn place(items: &[Particle], at: usize, seen: u32, name: &str) -> Place {
    let room = |p: &Particle, seen: u32| p.max.is_none_or(|m| seen < m);
    if let Some(p) = items.get(at) {
        if p.name == name && room(p, seen) {
            return Place::At { at, missing: Vec::new() };
        }
    }
    if let Some(j) = items.iter().enumerate().skip(at + 1).find(|(_, p)| p.name == name).map(|(j, _)| j) {
        let mut missing = Vec::new();
        for (k, p) in items.iter().enumerate().take(j).skip(at) {
            let have = if k == at { seen } else { 0 };
            if have < p.min {
                missing.push(p.name.clone());
            }
        }
        return Place::At { at: j, missing };
    }
    match items.iter().position(|p| p.name == name) {
        Some(j) if j == at => Place::TooMany,
        Some(_) => Place::Early { before: items.get(at).map(|p| p.name.clone()).unwrap_or_default() },
        None => Place::Unknown,
    }
}

impl<'s, 't> Validator<'s, 't> {
    fn new(schema: &'s Schema, text: &'t str) -> Self {
        Validator {
            schema,
            text,
            stack: Vec::new(),
            found: Validation::default(),
            pending: Vec::new(),
            worker: None,
            counted: (0, 1),
            rooted: false,
        }
    }

    fn line_at(&mut self, offset: usize) -> u64 {
        let (from, line) = self.counted;
        let to = offset.min(self.text.len()).max(from);
        let more = self.text.as_bytes().get(from..to).map_or(0, |b| b.iter().filter(|c| **c == b'\n').count());
        self.counted = (to, line + more as u64);
        self.counted.1
    }

    /// The path of the open elements below the root, with `name` after them.
    fn path(&self, name: &str) -> String {
        let mut parts: Vec<&str> = self
            .stack
            .iter()
            .skip(1)
            .filter_map(|f| match f {
                Frame::Sequence { name, .. } | Frame::Value { name, .. } => Some(name.as_str()),
                Frame::Skipped(_) => None,
            })
            .collect();
        parts.push(name);
        parts.join("/")
    }

    fn report(&mut self, line: u64, element: String, message: String) {
        let v = Violation { line, worker: None, element, message };
        if self.worker.is_some() {
            self.pending.push(v);
        } else {
            self.keep(v);
        }
    }

    fn keep(&mut self, v: Violation) {
        self.found.total += 1;
        if self.found.violations.len() < MAX_VIOLATIONS {
            self.found.violations.push(v);
        }
    }

    fn open(&mut self, name: String, line: u64) {
        if self.stack.len() >= MAX_DEPTH {
            self.stack.push(Frame::Skipped(None));
            return;
        }
        let schema = self.schema;
        // Where the element goes, decided while the parent is borrowed; said after.
        let decision = match self.stack.last_mut() {
            None if self.rooted => Decision::Child(Place::Unknown, &[], "the document".into()),
            None => {
                self.rooted = true;
                Decision::Root
            }
            Some(Frame::Sequence { items, at, seen, name: parent, .. }) => {
                let placed = place(items, *at, *seen, &name);
                if let Place::At { at: j, .. } = &placed {
                    if *j != *at {
                        *seen = 0;
                    }
                    *at = *j;
                    *seen += 1;
                }
                Decision::Child(placed, items, parent.clone())
            }
            Some(Frame::Value { name: parent, .. }) => Decision::InValue(parent.clone()),
            Some(Frame::Skipped(_)) => Decision::Skip,
        };
        let child: Option<&'s Particle> = match decision {
            Decision::Root => match schema.roots.iter().find(|p| p.name == name) {
                Some(p) => Some(p),
                None => {
                    let roots: Vec<&str> = schema.roots.iter().map(|p| p.name.as_str()).collect();
                    let message = format!("the document is <{name}>, not <{}>", roots.join("> or <"));
                    self.report(line, name.clone(), message);
                    None
                }
            },
            Decision::Child(Place::At { at, missing }, items, _) => {
                for m in missing {
                    let path = self.path(&m);
                    self.report(line, path, format!("missing before <{name}>: it is mandatory"));
                }
                items.get(at)
            }
            Decision::Child(Place::TooMany, _, _) => {
                let path = self.path(&name);
                self.report(line, path, "more times than the schema allows".into());
                None
            }
            Decision::Child(Place::Early { before }, _, _) => {
                let path = self.path(&name);
                self.report(line, path, format!("out of order: the schema has it before <{before}>"));
                None
            }
            Decision::Child(Place::Unknown, _, parent) => {
                let path = self.path(&name);
                self.report(line, path, format!("not an item of <{parent}>"));
                None
            }
            Decision::InValue(parent) => {
                let path = self.path(&name);
                self.report(line, path, format!("<{parent}> holds a value, not elements"));
                None
            }
            Decision::Skip => None,
        };
        let frame = match child {
            None if self.stack.len() == 2 && self.worker.is_some() && name == "SWENo" => {
                Frame::Skipped(Some(String::new()))
            }
            None => Frame::Skipped(None),
            Some(p) => match &p.content {
                Content::Sequence(items) => Frame::Sequence { name, items, at: 0, seen: 0, line },
                Content::Simple(ty) => Frame::Value { name, ty, text: String::new(), line },
            },
        };
        if self.stack.len() == 1 && matches!(&frame, Frame::Sequence { name, .. } if name == "CSWWWorker") {
            self.worker = Some((line, String::new()));
        }
        self.stack.push(frame);
    }

    fn close(&mut self, line: u64) {
        let Some(frame) = self.stack.pop() else { return };
        match frame {
            // What is missing is said at the line the element starts on.
            Frame::Sequence { name, items, at, seen, line: start } => {
                for (k, p) in items.iter().enumerate().skip(at) {
                    let have = if k == at { seen } else { 0 };
                    if have < p.min {
                        let path = self.path(&format!("{name}/{}", p.name));
                        self.report(start, path, "missing: it is mandatory".into());
                    }
                }
                if self.stack.len() == 1 && name == "CSWWWorker" {
                    if let Some((from, swe)) = self.worker.take() {
                        for mut v in std::mem::take(&mut self.pending) {
                            v.worker = (!swe.is_empty()).then(|| swe.clone());
                            self.keep(v);
                        }
                        self.found.workers.push((from, line, swe));
                    }
                }
            }
            Frame::Value { name, ty, text, line: at } => {
                if self.stack.len() == 2 && name == "SWENo" {
                    if let Some((_, swe)) = self.worker.as_mut() {
                        *swe = text.trim().to_string();
                    }
                }
                if let Some(fault) = ty.fault(&text) {
                    let shown: String = text.chars().take(40).collect();
                    let path = self.path(&name);
                    self.report(at, path, format!("`{shown}`: {fault}"));
                }
            }
            Frame::Skipped(Some(text)) => {
                if let Some((_, swe)) = self.worker.as_mut().filter(|(_, swe)| swe.is_empty()) {
                    *swe = text.trim().to_string();
                }
            }
            Frame::Skipped(None) => {}
        }
    }

    fn text(&mut self, value: &str, line: u64) {
        match self.stack.last_mut() {
            Some(Frame::Value { text, .. } | Frame::Skipped(Some(text))) if text.len() < 4096 => {
                text.push_str(value);
            }
            Some(Frame::Sequence { name, .. }) if !value.trim().is_empty() => {
                let message = format!("<{name}> holds elements, not text");
                let path = self.path("");
                self.report(line, path.trim_end_matches('/').to_string(), message);
            }
            _ => {}
        }
    }

    fn run(mut self) -> Validation {
        let mut reader = Reader::from_str(self.text);
        loop {
            let offset = reader.buffer_position() as usize;
            let event = match reader.read_event() {
                Ok(e) => e,
                Err(e) => {
                    let line = self.line_at(offset);
                    self.report(line, String::new(), format!("not well-formed XML: {e}"));
                    break;
                }
            };
            let line = self.line_at(offset);
            match event {
                Event::Start(e) => self.open(String::from_utf8_lossy(e.local_name().as_ref()).into_owned(), line),
                Event::Empty(e) => {
                    self.open(String::from_utf8_lossy(e.local_name().as_ref()).into_owned(), line);
                    self.close(line);
                }
                Event::End(_) => self.close(line),
                Event::Text(t) => {
                    let value = t.unescape().map(|v| v.into_owned()).unwrap_or_default();
                    self.text(&value, line);
                }
                Event::CData(t) => self.text(&String::from_utf8_lossy(&t), line),
                Event::Eof => {
                    if !self.rooted {
                        self.report(line, String::new(), "the document has no elements: it is not a return".into());
                    }
                    if let Some(open) = self.path("").strip_suffix('/').filter(|p| !p.is_empty()).map(String::from) {
                        self.report(
                            line,
                            open.clone(),
                            format!("not well-formed XML: the document ends inside <{open}>"),
                        );
                    } else if let Some(Frame::Sequence { name, .. }) = self.stack.first() {
                        let message = format!("not well-formed XML: the document ends inside <{name}>");
                        self.report(line, name.clone(), message);
                    }
                    break;
                }
                _ => {}
            }
        }
        // A record left open by broken XML still gets its violations.
        for v in std::mem::take(&mut self.pending) {
            self.keep(v);
        }
        self.found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn worker(items: &str) -> String {
        format!(
            "<Message><LALevelVacancies><NumberOfVacancies>1.5</NumberOfVacancies><NoAgencyFTE>2</NoAgencyFTE>\
<NoAgencyHeadcount>2</NoAgencyHeadcount></LALevelVacancies>\n<CSWWWorker>{items}</CSWWWorker>\n</Message>"
        )
    }

    fn messages(xml: &str) -> Vec<String> {
        Schema::csww()
            .unwrap()
            .validate(xml)
            .violations
            .iter()
            .map(|v| format!("{}: {}", v.element, v.message))
            .collect()
    }

    #[test]
    fn the_shipped_schema_is_read_whole() {
        let schema = Schema::csww().unwrap();
        assert_eq!(schema.roots.len(), 1);
        assert!(Schema::from_xsd("<xs:schema><xs:attribute name=\"a\"/></xs:schema>").is_err());
    }

    #[test]
    fn a_good_worker_passes() {
        let ok =
            worker("<AgencyWorker>0</AgencyWorker><SWENo>SW1234567890</SWENo><FTE>0.5</FTE><QualInst>Leeds</QualInst>");
        assert_eq!(messages(&ok), Vec::<String>::new());
    }

    #[test]
    fn order_count_and_presence_are_checked() {
        let swapped = worker("<SWENo>SW1234567890</SWENo><AgencyWorker>0</AgencyWorker><QualInst>X</QualInst>");
        assert_eq!(
            messages(&swapped),
            [
                "CSWWWorker/AgencyWorker: missing before <SWENo>: it is mandatory",
                "CSWWWorker/AgencyWorker: out of order: the schema has it before <SWENo>"
            ]
            .map(String::from)
        );
        let missing = worker("<AgencyWorker>1</AgencyWorker><SWENo>SW1234567890</SWENo><FTE>1</FTE>");
        assert_eq!(messages(&missing), ["CSWWWorker/QualInst: missing: it is mandatory"].map(String::from));
        let twice = worker("<AgencyWorker>1</AgencyWorker><SWENo>SW1234567890</SWENo><SWENo>SW1234567891</SWENo><QualInst>X</QualInst>");
        assert_eq!(messages(&twice), ["CSWWWorker/SWENo: more times than the schema allows"].map(String::from));
        let stranger = worker(
            "<AgencyWorker>1</AgencyWorker><Nickname>Jo</Nickname><SWENo>SW1234567890</SWENo><QualInst>X</QualInst>",
        );
        assert_eq!(messages(&stranger), ["CSWWWorker/Nickname: not an item of <CSWWWorker>"].map(String::from));
        let empty = worker("");
        assert_eq!(messages(&empty).len(), 3, "{:?}", messages(&empty));
    }

    #[test]
    fn values_are_checked_against_their_types_and_facets() {
        let bad = worker(
            "<AgencyWorker>2</AgencyWorker><SWENo>sw1234567890</SWENo><FTE>1.0000001</FTE>\
<PersonBirthDate>1980-02-30</PersonBirthDate><QualInst>X</QualInst><OrgRole>7</OrgRole><Cases30>-1</Cases30>",
        );
        let found = messages(&bad);
        assert_eq!(found.len(), 6, "{found:?}");
        assert!(found[0].starts_with("CSWWWorker/AgencyWorker: `2`: not one of the codes 0, 1"), "{found:?}");
        assert!(found[1].contains("not of the form [A-Z]{2}[0-9]{10}"), "{found:?}");
        assert!(found[2].contains("more than 1, the most allowed"), "{found:?}");
        assert!(found[3].contains("not a date"), "{found:?}");
        assert!(found[4].contains("more than 6, the most allowed"), "{found:?}");
        assert!(found[5].contains("not a whole number of 0 or more"), "{found:?}");
        // Whitespace around a number is allowed; trailing zeros are not decimal places.
        let fine = worker(
            "<AgencyWorker> 1 </AgencyWorker><SWENo>SW1234567890</SWENo><FTE>0.500000000</FTE><QualInst>X</QualInst>",
        );
        assert_eq!(messages(&fine), Vec::<String>::new());
    }

    #[test]
    fn each_violation_names_its_worker_and_line() {
        let xml =
            worker("<AgencyWorker>1</AgencyWorker>\n<FTE>3</FTE><SWENo>SW1234567890</SWENo><QualInst>X</QualInst>");
        let v = Schema::csww().unwrap().validate(&xml);
        // SWENo missing before FTE, FTE over 1, SWENo out of order.
        assert_eq!(v.total, 3, "{v:?}");
        assert!(v.violations.iter().all(|x| x.worker.as_deref() == Some("SW1234567890")), "{v:?}");
        assert_eq!(v.violations[0].line, 3);
        assert_eq!(v.worker_at(2), Some("SW1234567890"));
    }

    #[test]
    fn the_wrong_document_or_broken_xml_is_said() {
        assert_eq!(messages("<Return/>"), ["Return: the document is <Return>, not <Message>"].map(String::from));
        let broken = messages("<Message><LALevelVacancies>");
        assert_eq!(
            broken,
            ["LALevelVacancies: not well-formed XML: the document ends inside <LALevelVacancies>"].map(String::from)
        );
    }
}
