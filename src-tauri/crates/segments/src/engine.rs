//! Evaluating segments against a workspace: live count, members, a
//! deterministic sample, breakdowns, membership over time and overlap.
//!
//! Every function takes the "as of" instant (UTC micros) or a date range as
//! input; none reads the clock. Each one compiles the definition with the
//! saved segments it refers to (see `compile.rs`) and runs one query per
//! figure. Membership over time and overlap run one query per day or per
//! segment and compare the id sets here, which keeps each query the same
//! shape as the live count.

use std::collections::HashSet;
use std::time::Instant;

use chrono::NaiveDate;
use rebound_core::{names, Workspace};
use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments, Row};
use ts_rs::TS;

use crate::compile::{compile, CompiledSegment, Library, Param};
use crate::error::{Error, Result};
use crate::model::{
    end_of_day, referenced_segments, Channel, Rule, SegmentDefinition, MICROS_PER_DAY,
};
use crate::moment::{DataSpan, ZeroHint};
use crate::store::rule_by_name;

/// The live count of a segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SegmentCount {
    /// People the rule matches, before the consent policy.
    #[ts(type = "number")]
    pub matched: u64,
    /// People in the audience: `matched` less those left out.
    #[ts(type = "number")]
    pub members: u64,
    /// Matched people whose latest consent for the channel is not granted.
    /// Left out of `members` unless the policy says to include them.
    #[ts(type = "number")]
    pub without_consent: u64,
    /// The channel whose consent was checked, if any.
    #[ts(optional)]
    pub consent_channel: Option<Channel>,
    /// Whether the people without consent were left out.
    pub left_out_without_consent: bool,
    #[ts(type = "number")]
    pub as_of: i64,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
    /// The days the events this segment is about span (all events when it
    /// is about none in particular); absent in a workspace without events.
    #[ts(optional)]
    pub data: Option<DataSpan>,
    /// With no members: where the data is and the nearest day that has some.
    #[ts(optional)]
    pub zero: Option<ZeroHint>,
}

/// One person in a member list or sample.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Member {
    #[ts(type = "number")]
    pub person_id: i64,
    #[ts(optional)]
    pub first_name: Option<String>,
    #[ts(optional)]
    pub last_name: Option<String>,
    #[ts(optional)]
    pub country: Option<String>,
    #[ts(optional, type = "number")]
    pub last_seen_at: Option<i64>,
}

/// One page of members, ordered by person id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MembersPage {
    #[ts(type = "number")]
    pub total: u64,
    #[ts(type = "number")]
    pub offset: u64,
    pub people: Vec<Member>,
}

/// What the breakdowns look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BreakdownOptions {
    /// How many products and categories to list.
    pub top: u32,
    /// Products and categories count events in the last `activity_days`
    /// days before the as-of instant (`[T - days, T)`).
    pub activity_days: u32,
}

impl Default for BreakdownOptions {
    fn default() -> Self {
        BreakdownOptions {
            top: 10,
            activity_days: 30,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BreakdownRow {
    /// Device category, product external id, or category name.
    pub key: String,
    /// Product title for products (with its id when another listed product
    /// shares it), the category's readable name, or the device category.
    pub label: String,
    /// Members with this device category, or with an event on this product
    /// or category in the activity window. A person can be in several rows.
    #[ts(type = "number")]
    pub people: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Breakdowns {
    #[ts(type = "number")]
    pub members: u64,
    /// Members by the categories of their devices seen before the as-of instant.
    pub devices: Vec<BreakdownRow>,
    /// Members with no device seen before the as-of instant.
    #[ts(type = "number")]
    pub without_device: u64,
    pub top_products: Vec<BreakdownRow>,
    pub top_categories: Vec<BreakdownRow>,
}

/// Audience size at the end of one UTC day, with who came and went that day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DailyMembership {
    /// `YYYY-MM-DD`; evaluated as of the end of this day (next day 00:00 UTC).
    pub day: String,
    #[ts(type = "number")]
    pub members: u64,
    /// In the audience at the end of this day, not at the end of the day before.
    #[ts(type = "number")]
    pub entries: u64,
    /// In the audience at the end of the day before, not at the end of this day.
    #[ts(type = "number")]
    pub exits: u64,
}

/// Pairwise overlap of audiences: `shared[i][j]` people are in both `i` and
/// `j`; the diagonal is each audience's size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OverlapMatrix {
    pub names: Vec<String>,
    #[ts(type = "Array<Array<number>>")]
    pub shared: Vec<Vec<u64>>,
    #[ts(type = "number")]
    pub as_of: i64,
}

/// Longest range `membership_over_time` accepts.
pub const MAX_MEMBERSHIP_DAYS: i64 = 400;

/// Loads the rules of every saved segment `rule` refers to, transitively.
pub async fn load_library(workspace: &Workspace, rule: &Rule) -> Result<Library> {
    let mut library = Library::new();
    let mut pending = referenced_segments(rule);
    while let Some(name) = pending.pop() {
        if library.contains_key(&name) {
            continue;
        }
        let rule = rule_by_name(workspace, &name).await?;
        pending.extend(
            referenced_segments(&rule)
                .into_iter()
                .filter(|n| !library.contains_key(n)),
        );
        library.insert(name, rule);
    }
    Ok(library)
}

/// Compiles a definition against the workspace's saved segments.
pub async fn compile_in(
    workspace: &Workspace,
    definition: &SegmentDefinition,
    as_of: i64,
) -> Result<CompiledSegment> {
    definition.validate()?;
    let library = load_library(workspace, &definition.rule).await?;
    compile(definition, as_of, &library)
}

fn arguments(params: &[Param]) -> SqliteArguments<'static> {
    let mut args = SqliteArguments::default();
    for p in params {
        // Adding an owned i64, String or Option<String> cannot fail.
        let added = match p {
            Param::Int(v) => args.add(*v),
            Param::Text(v) => args.add(v.clone()),
            Param::Null => args.add(Option::<String>::None),
        };
        added.expect("binding a plain value");
    }
    args
}

fn params_then(mut params: Vec<Param>, more: &[i64]) -> Vec<Param> {
    params.extend(more.iter().map(|v| Param::Int(*v)));
    params
}

/// An evaluated audience: every matched person, ascending, with whether
/// their latest consent for the policy's channel is granted.
struct Evaluated {
    matched: Vec<(i64, bool)>,
    leave_out_without_consent: bool,
}

impl Evaluated {
    /// Person ids of the audience (after the consent policy), ascending.
    fn audience(&self) -> Vec<i64> {
        self.matched
            .iter()
            .filter(|(_, consented)| *consented || !self.leave_out_without_consent)
            .map(|(id, _)| *id)
            .collect()
    }
}

/// Reads (or re-reads, when the workspace changed) the engine's in-memory
/// copy of people, events and consent. Counts do this themselves; calling it
/// ahead, when the segment editor opens, takes that wait off the first count.
/// Returns how many people and events it holds.
pub async fn prepare(workspace: &Workspace) -> Result<(u64, u64)> {
    let columns = crate::columns::columns(workspace).await?;
    Ok((columns.people() as u64, columns.ts.len() as u64))
}

/// Evaluates a definition with the in-memory engine (see `columns.rs` and
/// `eval.rs`), off the async threads.
async fn evaluate(
    workspace: &Workspace,
    definition: &SegmentDefinition,
    as_of: i64,
) -> Result<Evaluated> {
    let library = load_library(workspace, &definition.rule).await?;
    // Validates the definition and refuses cycles exactly as the SQL does.
    let compiled = compile(definition, as_of, &library)?;
    evaluate_with(
        workspace,
        definition,
        &library,
        as_of,
        compiled.leave_out_without_consent,
    )
    .await
}

async fn evaluate_with(
    workspace: &Workspace,
    definition: &SegmentDefinition,
    library: &Library,
    as_of: i64,
    leave_out_without_consent: bool,
) -> Result<Evaluated> {
    let columns = crate::columns::columns(workspace).await?;
    let definition = definition.clone();
    let library = library.clone();
    let matched = tokio::task::spawn_blocking(move || {
        crate::eval::evaluate(&columns, &definition, &library, as_of).map(|found| {
            found
                .into_iter()
                .map(|(at, consented)| (columns.person_ids[at as usize], consented))
                .collect::<Vec<_>>()
        })
    })
    .await
    .map_err(|e| Error::Load {
        op: "evaluating a segment",
        message: e.to_string(),
    })??;
    Ok(Evaluated {
        matched,
        leave_out_without_consent,
    })
}

/// The live count: matched people, the audience, and who was left out for consent.
pub async fn count(
    workspace: &Workspace,
    definition: &SegmentDefinition,
    as_of: i64,
) -> Result<SegmentCount> {
    let started = Instant::now();
    let evaluated = evaluate(workspace, definition, as_of).await?;
    let matched = evaluated.matched.len() as u64;
    let consented = evaluated.matched.iter().filter(|(_, c)| *c).count() as u64;
    let without_consent = matched - consented;
    let data = crate::moment::data_span(workspace, definition)
        .await?
        .map(|(names, span)| crate::moment::describe(names, &span));
    Ok(SegmentCount {
        matched,
        members: if evaluated.leave_out_without_consent {
            consented
        } else {
            matched
        },
        without_consent: if definition.consent.is_some() {
            without_consent
        } else {
            0
        },
        consent_channel: definition.consent.map(|c| c.channel),
        left_out_without_consent: evaluated.leave_out_without_consent,
        as_of,
        elapsed_ms: started.elapsed().as_millis() as u64,
        data,
        zero: None,
    })
}

/// The live count as the segment editor and `rebound segment count` show
/// it: [`count`], and when it is zero, why (see `moment::explain_zero`).
pub async fn count_explained(
    workspace: &Workspace,
    definition: &SegmentDefinition,
    as_of: i64,
) -> Result<SegmentCount> {
    let mut counted = count(workspace, definition, as_of).await?;
    if counted.members == 0 {
        counted.zero = crate::moment::explain_zero(workspace, definition, as_of, |t| async move {
            Ok(member_ids(workspace, definition, t).await?.len() as u64)
        })
        .await?;
    }
    Ok(counted)
}

/// Every audience member's person id, ascending.
pub async fn member_ids(
    workspace: &Workspace,
    definition: &SegmentDefinition,
    as_of: i64,
) -> Result<Vec<i64>> {
    Ok(evaluate(workspace, definition, as_of).await?.audience())
}

/// Every audience member's person id, ascending, from the compiled SQL
/// instead of the in-memory engine: the second engine the property tests
/// hold to the reference, and the query the DuckDB benchmark runs.
pub async fn sql_member_ids(
    workspace: &Workspace,
    definition: &SegmentDefinition,
    as_of: i64,
) -> Result<Vec<i64>> {
    let compiled = compile_in(workspace, definition, as_of).await?;
    let sql = format!("{} ORDER BY id", compiled.audience_sql());
    let mut conn = workspace
        .pool()
        .acquire()
        .await
        .map_err(Error::db("listing segment members"))?;
    // The `IN (subquery)` sets are temporary b-trees: keep them in memory.
    sqlx::query("PRAGMA temp_store = MEMORY")
        .execute(&mut *conn)
        .await
        .map_err(Error::db("listing segment members"))?;
    sqlx::query_scalar_with(&sql, arguments(&compiled.params))
        .fetch_all(&mut *conn)
        .await
        .map_err(Error::db("listing segment members"))
}

/// Person ids as one bound parameter: `SELECT value FROM json_each(?)`.
fn id_list(ids: &[i64]) -> Param {
    let mut json = String::with_capacity(ids.len() * 8 + 2);
    json.push('[');
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&id.to_string());
    }
    json.push(']');
    Param::Text(json)
}

/// SQL naming the people of an [`id_list`] parameter.
const ID_LIST: &str = "SELECT value AS id FROM json_each(?)";

const MEMBER_COLUMNS: &str = "pp.id, pp.first_name, pp.last_name, pp.country, pp.last_seen_at";

fn member(row: &sqlx::sqlite::SqliteRow) -> Member {
    Member {
        person_id: row.get(0),
        first_name: row.get(1),
        last_name: row.get(2),
        country: row.get(3),
        last_seen_at: row.get(4),
    }
}

/// One page of the audience, ordered by person id.
pub async fn members(
    workspace: &Workspace,
    definition: &SegmentDefinition,
    as_of: i64,
    offset: u64,
    limit: u32,
) -> Result<MembersPage> {
    let audience = member_ids(workspace, definition, as_of).await?;
    let from = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(audience.len());
    let to = from.saturating_add(limit as usize).min(audience.len());
    let people = people_rows(workspace, &audience[from..to]).await?;
    Ok(MembersPage {
        total: audience.len() as u64,
        offset,
        people,
    })
}

/// The member rows of these people, in the order given.
async fn people_rows(workspace: &Workspace, ids: &[i64]) -> Result<Vec<Member>> {
    let sql = format!("SELECT {MEMBER_COLUMNS} FROM people pp WHERE pp.id IN ({ID_LIST})");
    let rows = sqlx::query_with(&sql, arguments(&[id_list(ids)]))
        .fetch_all(workspace.pool())
        .await
        .map_err(Error::db("listing segment members"))?;
    let mut found: std::collections::HashMap<i64, Member> = rows
        .iter()
        .map(|row| {
            let m = member(row);
            (m.person_id, m)
        })
        .collect();
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// A prime just below 2^31: `(id mod P) · a + b mod P` with `0 < a < P` is a
/// permutation of the residues, so the order is a seeded shuffle of ids that
/// never overflows 64 bits.
const SAMPLE_PRIME: i64 = 2_147_483_647;

/// SplitMix64's finaliser: a well-mixed 64-bit value from a seed.
fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Up to `size` audience members in a seeded, repeatable pseudo-random order:
/// the same workspace, definition, as-of instant and seed give the same people.
pub async fn sample(
    workspace: &Workspace,
    definition: &SegmentDefinition,
    as_of: i64,
    size: u32,
    seed: u64,
) -> Result<Vec<Member>> {
    let audience = member_ids(workspace, definition, as_of).await?;
    // Mixing the seed first gives large multipliers, so even small ids wrap
    // around the prime many times and neighbouring seeds differ.
    let a = 1 + (splitmix64(seed) % (SAMPLE_PRIME as u64 - 1)) as i64;
    let b = (splitmix64(seed ^ 0x5EED) % SAMPLE_PRIME as u64) as i64;
    let place = |id: i64| (id.rem_euclid(SAMPLE_PRIME) * a + b) % SAMPLE_PRIME;
    let mut keyed: Vec<(i64, i64)> = audience.iter().map(|&id| (place(id), id)).collect();
    let size = (size as usize).min(keyed.len());
    if size < keyed.len() {
        keyed.select_nth_unstable(size);
        keyed.truncate(size);
    }
    keyed.sort_unstable();
    let ids: Vec<i64> = keyed.into_iter().map(|(_, id)| id).collect();
    people_rows(workspace, &ids).await
}

/// Device categories, top products and top categories of the audience.
pub async fn breakdowns(
    workspace: &Workspace,
    definition: &SegmentDefinition,
    as_of: i64,
    options: &BreakdownOptions,
) -> Result<Breakdowns> {
    let ids = member_ids(workspace, definition, as_of).await?;
    let members = ids.len() as i64;
    let audience = ID_LIST;
    let ids = vec![id_list(&ids)];
    let pool = workspace.pool();

    let sql = format!(
        "WITH m(id) AS MATERIALIZED ({audience}) \
         SELECT d.category, count(DISTINCT d.person_id) FROM devices d JOIN m ON m.id = d.person_id \
         WHERE d.first_seen_at IS NULL OR d.first_seen_at < ? GROUP BY d.category ORDER BY 2 DESC, 1"
    );
    let rows = sqlx::query_with(&sql, arguments(&params_then(ids.clone(), &[as_of])))
        .fetch_all(pool)
        .await
        .map_err(Error::db("breaking the segment down by device"))?;
    let devices: Vec<BreakdownRow> = rows
        .iter()
        .map(|r| {
            let key: String = r.get(0);
            BreakdownRow {
                label: key.clone(),
                key,
                people: r.get::<i64, _>(1) as u64,
            }
        })
        .collect();
    let sql = format!(
        "WITH m(id) AS MATERIALIZED ({audience}) \
         SELECT count(*) FROM m WHERE m.id NOT IN \
         (SELECT d.person_id FROM devices d WHERE d.first_seen_at IS NULL OR d.first_seen_at < ?)"
    );
    let without_device: i64 =
        sqlx::query_scalar_with(&sql, arguments(&params_then(ids.clone(), &[as_of])))
            .fetch_one(pool)
            .await
            .map_err(Error::db("breaking the segment down by device"))?;

    let start = as_of - i64::from(options.activity_days) * MICROS_PER_DAY;
    let activity = [start, as_of, i64::from(options.top)];
    let sql = format!(
        "WITH m(id) AS MATERIALIZED ({audience}) \
         SELECT pr.external_id, pr.title, count(DISTINCT e.person_id) AS people \
         FROM m JOIN events e ON e.person_id = m.id JOIN products pr ON pr.id = e.product_id \
         WHERE e.ts >= ? AND e.ts < ? GROUP BY pr.id ORDER BY people DESC, pr.external_id LIMIT ?"
    );
    let rows = sqlx::query_with(&sql, arguments(&params_then(ids.clone(), &activity)))
        .fetch_all(pool)
        .await
        .map_err(Error::db("finding the segment's top products"))?;
    let mut top_products: Vec<BreakdownRow> = rows
        .iter()
        .map(|r| BreakdownRow {
            key: r.get(0),
            label: r.get(1),
            people: r.get::<i64, _>(2) as u64,
        })
        .collect();
    names::tell_apart(
        top_products
            .iter_mut()
            .map(|row| (row.key.as_str(), &mut row.label)),
    );
    let sql = format!(
        "WITH m(id) AS MATERIALIZED ({audience}) \
         SELECT pr.category, count(DISTINCT e.person_id) AS people \
         FROM m JOIN events e ON e.person_id = m.id JOIN products pr ON pr.id = e.product_id \
         WHERE e.ts >= ? AND e.ts < ? AND pr.category IS NOT NULL \
         GROUP BY pr.category ORDER BY people DESC, pr.category LIMIT ?"
    );
    let rows = sqlx::query_with(&sql, arguments(&params_then(ids, &activity)))
        .fetch_all(pool)
        .await
        .map_err(Error::db("finding the segment's top categories"))?;
    let top_categories = rows
        .iter()
        .map(|r| {
            let key: String = r.get(0);
            BreakdownRow {
                label: names::category_label(&key),
                key,
                people: r.get::<i64, _>(1) as u64,
            }
        })
        .collect();
    Ok(Breakdowns {
        members: members as u64,
        devices,
        without_device: without_device as u64,
        top_products,
        top_categories,
    })
}

/// The audience at the end of each UTC day from `from` to `to` (inclusive),
/// with entries and exits against the end of the day before.
pub async fn membership_over_time(
    workspace: &Workspace,
    definition: &SegmentDefinition,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<DailyMembership>> {
    let days = (to - from).num_days() + 1;
    if !(1..=MAX_MEMBERSHIP_DAYS).contains(&days) {
        return Err(Error::InvalidRange {
            from: from.to_string(),
            to: to.to_string(),
            reason: format!("give 1 to {MAX_MEMBERSHIP_DAYS} days, the first not after the last"),
        });
    }
    definition.validate()?;
    let library = load_library(workspace, &definition.rule).await?;
    let ids_at = |as_of: i64| {
        let library = &library;
        async move {
            let compiled = compile(definition, as_of, library)?;
            let evaluated = evaluate_with(
                workspace,
                definition,
                library,
                as_of,
                compiled.leave_out_without_consent,
            )
            .await?;
            Ok::<HashSet<i64>, Error>(evaluated.audience().into_iter().collect())
        }
    };
    let mut previous = ids_at(end_of_day(from) - MICROS_PER_DAY).await?;
    let mut out = Vec::with_capacity(days as usize);
    for day in from.iter_days().take(days as usize) {
        let current = ids_at(end_of_day(day)).await?;
        out.push(DailyMembership {
            day: day.to_string(),
            members: current.len() as u64,
            entries: current.difference(&previous).count() as u64,
            exits: previous.difference(&current).count() as u64,
        });
        previous = current;
    }
    Ok(out)
}

/// How many people each pair of audiences shares, as of one instant.
pub async fn overlap(
    workspace: &Workspace,
    definitions: &[SegmentDefinition],
    as_of: i64,
) -> Result<OverlapMatrix> {
    let mut sets: Vec<HashSet<i64>> = Vec::with_capacity(definitions.len());
    for definition in definitions {
        sets.push(
            member_ids(workspace, definition, as_of)
                .await?
                .into_iter()
                .collect(),
        );
    }
    let shared = sets
        .iter()
        .map(|a| {
            sets.iter()
                .map(|b| a.intersection(b).count() as u64)
                .collect()
        })
        .collect();
    Ok(OverlapMatrix {
        names: definitions.iter().map(|d| d.name.clone()).collect(),
        shared,
        as_of,
    })
}
