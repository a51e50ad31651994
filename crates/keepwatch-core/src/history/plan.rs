//! How a sessions query runs at any size: which index finds its rows, in what order they are
//! read, and when reading stops.
//!
//! Pages list sessions most recently seen first. Two ways give a page in milliseconds, one for
//! each kind of query:
//!
//! - **Sparse.** One condition of the query matches few sessions (at most [`SPARSE_MAX`]): its
//!   own index finds them all, the other conditions sift them, and they are sorted. The total
//!   is exact.
//! - **Dense.** Every condition matches many: reading sessions newest first through
//!   `sessions_order`, an index that holds every column a condition tests, meets the page's
//!   rows soon and stops there, without looking up a single row. The total is counted up to
//!   [`COUNT_CAP`], beyond which the page says "more than".
//!
//! The choice comes from counting, for each condition, up to `SPARSE_MAX + 1` of its rows in
//! its own index, which takes a few milliseconds at most. Both ways list rows in the same
//! order, that of `sessions_order` read backwards, so a page never depends on the way taken.

use rusqlite::{Connection, OptionalExtension};

use super::query::{Arg, HistoryQuery, SessionState};
use super::{like, micros};

/// The most rows a condition may match for the sparse way to read them all.
pub const SPARSE_MAX: u64 = 20_000;

/// Dense totals are counted up to this many; a larger total is "more than" it.
pub const COUNT_CAP: u64 = 1_000;

/// Where the planner's two ways part, and where dense counting stops: [`SPARSE_MAX`] and
/// [`COUNT_CAP`], but for tests, which move them to run both ways on a small history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryLimits {
    /// The most rows a condition may match for the sparse way.
    pub sparse_max: u64,
    /// Where dense counting stops.
    pub count_cap: u64,
}

impl Default for QueryLimits {
    fn default() -> Self {
        Self {
            sparse_max: SPARSE_MAX,
            count_cap: COUNT_CAP,
        }
    }
}

/// SQL text and the values of its `?` parameters, in order.
#[derive(Debug, Clone, Default)]
pub(super) struct Sql {
    pub(super) text: String,
    pub(super) args: Vec<Arg>,
}

impl Sql {
    pub(super) fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            args: Vec::new(),
        }
    }

    fn with(text: impl Into<String>, args: Vec<Arg>) -> Self {
        Self {
            text: text.into(),
            args,
        }
    }

    /// `self` followed by `other`.
    pub(super) fn then(mut self, other: &Sql) -> Self {
        self.text.push_str(&other.text);
        self.args.extend(other.args.iter().cloned());
        self
    }

    /// `self` followed by plain text.
    pub(super) fn and_text(mut self, text: &str) -> Self {
        self.text.push_str(text);
        self
    }

    /// The parts joined by `sep`.
    fn join(parts: &[Sql], sep: &str) -> Self {
        let mut out = Sql::default();
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                out.text.push_str(sep);
            }
            out = out.then(p);
        }
        out
    }

    pub(super) fn params(&self) -> rusqlite::ParamsFromIter<&Vec<Arg>> {
        rusqlite::params_from_iter(&self.args)
    }
}

/// How the rows meeting a condition are found.
#[derive(Debug, Clone)]
pub(super) enum Find {
    /// Through this index of `sessions`, which the condition itself looks up.
    Index(&'static str),
    /// By this query of their `rid`s (some more, never fewer).
    Rids(Sql),
}

/// One condition that every row of the answer meets.
#[derive(Debug, Clone)]
struct Term {
    /// The condition, over `s` (the sessions table).
    test: Sql,
    /// How its rows are found; `None` when no index finds them.
    find: Option<Find>,
    /// How many rows it holds, when that is already known (a list read once).
    rows: Option<u64>,
}

impl Term {
    /// A query of the `rid`s of its rows, some more, never fewer (`None`: no index finds them).
    fn rids(&self) -> Option<Sql> {
        match self.find.as_ref()? {
            Find::Index(index) => Some(
                Sql::new(format!(
                    "SELECT s.rid FROM sessions s INDEXED BY {index} WHERE "
                ))
                .then(&self.test),
            ),
            Find::Rids(rids) => Some(rids.clone()),
        }
    }
}

/// How a query is run.
#[derive(Debug, Clone)]
pub(super) enum Plan {
    /// No session can match: a condition matches none.
    Empty,
    /// Find the rows as `find` says, keep those meeting `test` (which holds the condition
    /// `find` looks up), sort them.
    Sparse { find: Find, test: Sql },
    /// Read `sessions_order` newest first, keeping the rows meeting `test` (none: every row).
    Dense { test: Option<Sql> },
}

/// An integer list for `IN (…)`, written into the SQL: the values are ids this module read.
fn id_list(ids: &[i64]) -> String {
    let mut s = String::with_capacity(ids.len() * 6);
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&id.to_string());
    }
    s
}

/// The ids of the dictionary rows `sql` selects.
fn ids(conn: &Connection, sql: &Sql) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(&sql.text)?;
    let rows = stmt.query_map(sql.params(), |r| r.get(0))?;
    rows.collect()
}

/// How many rows `find` yields, counted up to `limit`.
fn count_up_to(conn: &Connection, find: &Sql, limit: u64) -> rusqlite::Result<u64> {
    let sql = Sql::new("SELECT count(*) FROM (")
        .then(find)
        .and_text(&format!(" LIMIT {limit})"));
    let n: i64 = conn.query_row(&sql.text, sql.params(), |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The condition that a dictionary column (`device_id`, `place_id`, `network_id`) is one of
/// `ids`, found through the sessions index on that column; `None` when `ids` is empty.
fn one_of(column: &str, index: &'static str, ids: &[i64]) -> Option<Term> {
    if ids.is_empty() {
        return None;
    }
    Some(Term {
        test: Sql::new(format!("s.{column} IN ({})", id_list(ids))),
        find: Some(Find::Index(index)),
        rows: None,
    })
}

/// The longest span between a session's first and last sighting: a session seen before `t`
/// was last seen before `t + span`, which bounds a time range on `last_seen` from above.
fn max_span(conn: &Connection) -> rusqlite::Result<i64> {
    Ok(conn
        .query_row(
            "SELECT max_span FROM session_bounds WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(i64::MAX / 4))
}

/// The conditions of `q`, or `None` when one of them can match no session.
fn terms(
    conn: &Connection,
    q: &HistoryQuery,
    limits: &QueryLimits,
) -> rusqlite::Result<Option<Vec<Term>>> {
    let mut terms = Vec::new();
    if q.since.is_some() || q.until.is_some() {
        let mut parts = Vec::new();
        if let Some(since) = &q.since {
            parts.push(Sql::with("s.last_seen >= ?", vec![Arg::Int(micros(since))]));
        }
        if let Some(until) = &q.until {
            let until = micros(until);
            let bound = until.saturating_add(max_span(conn)?).saturating_add(1);
            parts.push(Sql::with("s.first_seen < ?", vec![Arg::Int(until)]));
            parts.push(Sql::with("s.last_seen < ?", vec![Arg::Int(bound)]));
        }
        terms.push(Term {
            test: Sql::join(&parts, " AND "),
            find: Some(Find::Index("sessions_order")),
            rows: None,
        });
    }
    if let Some(c) = &q.country {
        let places = ids(
            conn,
            &Sql::with(
                "SELECT id FROM places WHERE country_code = ?1 COLLATE NOCASE \
                 OR country = ?1 COLLATE NOCASE",
                vec![Arg::Text(c.clone())],
            ),
        )?;
        match one_of("place_id", "sessions_place", &places) {
            Some(t) => terms.push(t),
            None => return Ok(None),
        }
    }
    if let Some(code) = &q.country_code {
        terms.push(Term {
            test: Sql::with("s.country_code = ?", vec![Arg::Text(code.clone())]),
            find: Some(Find::Index("sessions_country")),
            rows: None,
        });
    }
    let mut device_sets = Vec::new();
    if let Some(d) = &q.device {
        device_sets.push(Sql::with(
            "SELECT id FROM devices WHERE label LIKE ? ESCAPE '\\'",
            vec![Arg::Text(like(d))],
        ));
    }
    if let Some(label) = &q.device_label {
        device_sets.push(Sql::with(
            "SELECT id FROM devices WHERE label = ?",
            vec![Arg::Text(label.clone())],
        ));
    }
    for set in &device_sets {
        match one_of("device_id", "sessions_device", &ids(conn, set)?) {
            Some(t) => terms.push(t),
            None => return Ok(None),
        }
    }
    if let Some(state) = q.state {
        let n = state_number(state);
        terms.push(Term {
            test: Sql::new(format!("s.state = {n}")),
            find: Some(Find::Index("sessions_state")),
            rows: None,
        });
    }
    if let Some(t) = q.text.as_deref().filter(|t| !t.is_empty()) {
        match text_term(conn, t, limits)? {
            Some(term) => terms.push(term),
            None => return Ok(None),
        }
    }
    Ok(Some(terms))
}

/// The `state` column's number for `state` (see the schema's V6).
pub(super) fn state_number(state: SessionState) -> u8 {
    match state {
        SessionState::Active => 0,
        SessionState::SignedOut => 1,
        SessionState::Expired => 2,
    }
}

/// Text search: `t` anywhere in a session's device label, ISP, city, country, id or address,
/// case-insensitively. The first four are dictionary values, matched among a few thousand
/// rows; id and address are unique to a session, and found through their trigram index
/// (`sessions_text`) when `t` has three characters or more. Branches that match nothing are
/// left out.
fn text_term(conn: &Connection, t: &str, limits: &QueryLimits) -> rusqlite::Result<Option<Term>> {
    let pattern = Arg::Text(like(t));
    let dictionaries = [
        (
            "device_id",
            "sessions_device",
            "SELECT id FROM devices WHERE label LIKE ?1 ESCAPE '\\'",
        ),
        (
            "place_id",
            "sessions_place",
            "SELECT id FROM places WHERE city LIKE ?1 ESCAPE '\\' OR country LIKE ?1 ESCAPE '\\'",
        ),
        (
            "network_id",
            "sessions_network",
            "SELECT id FROM networks WHERE isp LIKE ?1 ESCAPE '\\'",
        ),
    ];
    let mut branches = Vec::new();
    for (column, index, sql) in dictionaries {
        let found = ids(conn, &Sql::with(sql, vec![pattern.clone()]))?;
        branches.extend(one_of(column, index, &found));
    }
    // One character that no id or address holds rules them out, whatever the length of `t`.
    let mut chars: Vec<String> = super::sessions::text_chars(t).map(String::from).collect();
    chars.sort_unstable();
    chars.dedup();
    let known: i64 = conn.query_row(
        &format!(
            "SELECT count(*) FROM session_text_chars WHERE ch IN ({})",
            vec!["?"; chars.len()].join(",")
        ),
        rusqlite::params_from_iter(&chars),
        |r| r.get(0),
    )?;
    if usize::try_from(known).unwrap_or(0) < chars.len() {
        return Ok(or_of(branches));
    }
    let like_unique = Sql::with(
        "(s.id LIKE ? ESCAPE '\\' OR s.ip LIKE ? ESCAPE '\\')",
        vec![pattern.clone(), pattern],
    );
    if t.chars().count() >= 3 {
        branches.extend(trigram_term(conn, t, like_unique, limits)?);
    } else {
        branches.push(Term {
            test: like_unique,
            find: None,
            rows: None,
        });
    }
    Ok(or_of(branches))
}

/// The most trigrams of a text a search counts, one by one, before it reads them as one phrase.
const TRIGRAM_PROBES: usize = 8;

/// The id-or-address branch of a text search for `t` (three characters or more) through the
/// trigram index; `None` when no id or address holds `t`. `like` is the branch's exact test.
///
/// A phrase costs FTS5 the sum of its trigrams' lists, and some trigrams are in nearly every
/// row (every id's `ses`, `es_`, `s_a`), so the rarest trigram finds the candidates instead:
/// each trigram is counted up to the sparse limit (a millisecond or two at most), and one
/// that few rows hold is read again as the branch's rows, which `like` then sifts. Only when
/// every trigram is common is the whole phrase read, once, and kept as a list when short.
fn trigram_term(
    conn: &Connection,
    t: &str,
    like: Sql,
    limits: &QueryLimits,
) -> rusqlite::Result<Option<Term>> {
    let chars: Vec<char> = t.chars().collect();
    let mut trigrams: Vec<String> = Vec::new();
    for w in chars.windows(3) {
        let trigram: String = w.iter().collect();
        if !trigrams.contains(&trigram) {
            trigrams.push(trigram);
        }
    }
    let matching = |text: &str| {
        Sql::with(
            "SELECT rowid FROM sessions_text WHERE sessions_text MATCH ?",
            vec![Arg::Text(phrase(text))],
        )
    };
    let mut rarest: Option<(u64, Sql)> = None;
    for trigram in trigrams.iter().take(TRIGRAM_PROBES) {
        let find = matching(trigram);
        let n = count_up_to(conn, &find, limits.sparse_max + 1)?;
        if n == 0 {
            return Ok(None);
        }
        if rarest.as_ref().is_none_or(|(m, _)| n < *m) {
            rarest = Some((n, find));
        }
    }
    if let Some((n, find)) = rarest.filter(|(n, _)| *n <= limits.sparse_max) {
        return Ok(Some(Term {
            test: like,
            find: Some(Find::Rids(find)),
            rows: Some(n),
        }));
    }
    let find = matching(t);
    let found = ids(
        conn,
        &find
            .clone()
            .and_text(&format!(" LIMIT {}", limits.sparse_max + 1)),
    )?;
    Ok(match found.len() as u64 {
        0 => None,
        n if n <= limits.sparse_max => Some(Term {
            test: like,
            find: Some(Find::Rids(Sql::new(format!(
                "SELECT rid FROM sessions WHERE rid IN ({})",
                id_list(&found)
            )))),
            rows: Some(n),
        }),
        _ => Some(Term {
            test: like,
            find: Some(Find::Rids(find)),
            rows: None,
        }),
    })
}

/// `text` as one FTS5 phrase: its trigrams in a row, which is `text` as a substring, whatever
/// punctuation it holds.
fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The term that any of `branches` holds; `None` when there are none.
fn or_of(mut branches: Vec<Term>) -> Option<Term> {
    if branches.len() <= 1 {
        return branches.pop();
    }
    let tests: Vec<Sql> = branches.iter().map(|b| b.test.clone()).collect();
    let find = branches
        .iter()
        .map(Term::rids)
        .collect::<Option<Vec<Sql>>>()
        .map(|finds| Find::Rids(Sql::join(&finds, " UNION ALL ")));
    Some(Term {
        test: Sql::new("(").then(&Sql::join(&tests, " OR ")).and_text(")"),
        find,
        rows: None,
    })
}

/// How to run `q`.
pub(super) fn plan(
    conn: &Connection,
    q: &HistoryQuery,
    limits: &QueryLimits,
) -> rusqlite::Result<Plan> {
    let Some(terms) = terms(conn, q, limits)? else {
        return Ok(Plan::Empty);
    };
    if terms.is_empty() {
        return Ok(Plan::Dense { test: None });
    }
    let test = Sql::join(
        &terms.iter().map(|t| t.test.clone()).collect::<Vec<_>>(),
        " AND ",
    );
    let mut narrowest: Option<(u64, &Term)> = None;
    for term in &terms {
        let n = match (term.rows, term.rids()) {
            (Some(n), _) => n,
            (None, Some(rids)) => count_up_to(conn, &rids, limits.sparse_max + 1)?,
            (None, None) => continue,
        };
        if n == 0 {
            return Ok(Plan::Empty);
        }
        if narrowest.is_none_or(|(m, _)| n < m) {
            narrowest = Some((n, term));
        }
    }
    Ok(match narrowest {
        Some((n, term)) if n <= limits.sparse_max => Plan::Sparse {
            find: term
                .find
                .clone()
                .expect("a term with rids has a way to find them"),
            test,
        },
        _ => Plan::Dense { test: Some(test) },
    })
}
