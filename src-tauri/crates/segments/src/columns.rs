//! The segment engine's in-memory, column-wise copy of what rules look at.
//!
//! A live count must answer within a keystroke's patience on millions of
//! events. Row-store SQL spends that budget building temporary b-trees of
//! person ids; here, instead, each person's events sit next to each other in
//! time order, in plain arrays (time, event name, product, device category,
//! page, source), with text replaced by dictionary numbers. A rule is then one
//! pass over each person's events (see `eval.rs`), on every core.
//!
//! The copy is read once per open workspace with [`rebound_core::bulk::scan`]
//! and kept beside it ([`Workspace::derived`]). Before each use a handful of
//! `max(id)` lookups and the import history tell whether anything was added,
//! replaced or undone since; if so, it is read again.

use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Instant;

use rebound_core::bulk::{scan, ScanRow};
use rebound_core::store::Generation;
use rebound_core::Workspace;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::{Channel, DeviceCategory};

/// "No value" in a dictionary-coded or index column.
pub(crate) const NONE: u32 = u32::MAX;

/// Device categories in column order; `NO_DEVICE` for an event without one.
pub(crate) const DEVICE_CATEGORIES: [DeviceCategory; 4] = [
    DeviceCategory::Desktop,
    DeviceCategory::Mobile,
    DeviceCategory::Tablet,
    DeviceCategory::Other,
];
pub(crate) const NO_DEVICE: u8 = u8::MAX;

pub(crate) const CHANNELS: [Channel; 4] =
    [Channel::Email, Channel::Sms, Channel::Push, Channel::Ads];

/// Text values numbered in order of first appearance. Reading millions of
/// rows is mostly looking values up here, hence the fast (non-keyed) hash and
/// the shortcut for a value repeating the one before.
#[derive(Debug, Default)]
pub(crate) struct Dict {
    ids: FxHashMap<Box<[u8]>, u32>,
    values: Vec<String>,
    last: Option<u32>,
}

impl Dict {
    fn code(&mut self, bytes: &[u8]) -> u32 {
        if let Some(last) = self.last {
            if self.values[last as usize].as_bytes() == bytes {
                return last;
            }
        }
        let id = match self.ids.get(bytes) {
            Some(&id) => id,
            None => {
                let id = self.values.len() as u32;
                self.values
                    .push(String::from_utf8_lossy(bytes).into_owned());
                self.ids.insert(bytes.into(), id);
                id
            }
        };
        self.last = Some(id);
        id
    }

    fn code_opt(&mut self, bytes: Option<&[u8]>) -> u32 {
        bytes.map_or(NONE, |b| self.code(b))
    }

    /// The number of `value`, if it occurs at all.
    pub(crate) fn get(&self, value: &str) -> Option<u32> {
        self.ids.get(value.as_bytes()).copied()
    }

    pub(crate) fn values(&self) -> &[String] {
        &self.values
    }
}

/// Maps row ids to dense positions: a direct table when the ids are close to
/// dense (rowids usually are), a hash map otherwise.
enum IdIndex {
    Dense { min: i64, slots: Vec<u32> },
    Sparse(FxHashMap<i64, u32>),
}

impl IdIndex {
    fn new(ids: &[i64]) -> IdIndex {
        let (Some(&min), Some(&max)) = (ids.iter().min(), ids.iter().max()) else {
            return IdIndex::Sparse(FxHashMap::default());
        };
        let span = (max - min) as u128 + 1;
        if span <= ids.len() as u128 * 4 + 1024 {
            let mut slots = vec![NONE; span as usize];
            for (i, id) in ids.iter().enumerate() {
                slots[(id - min) as usize] = i as u32;
            }
            IdIndex::Dense { min, slots }
        } else {
            IdIndex::Sparse(
                ids.iter()
                    .enumerate()
                    .map(|(i, id)| (*id, i as u32))
                    .collect(),
            )
        }
    }

    fn get(&self, id: i64) -> u32 {
        match self {
            IdIndex::Dense { min, slots } => id
                .checked_sub(*min)
                .and_then(|at| usize::try_from(at).ok())
                .and_then(|at| slots.get(at).copied())
                .unwrap_or(NONE),
            IdIndex::Sparse(map) => map.get(&id).copied().unwrap_or(NONE),
        }
    }
}

/// A person property value, as far as rules can compare it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prop {
    /// A JSON string, numbered in [`Columns::strings`].
    Text(u32),
    Bool(bool),
    /// Any other JSON value: present, but equal to no rule value.
    Other,
}

/// Everything a rule can look at, person by person.
pub(crate) struct Columns {
    key: Generation,
    /// Person ids, ascending; a person's position is its index everywhere.
    pub person_ids: Vec<i64>,
    /// `people.first_seen_at`, `i64::MIN` when unknown.
    pub first_seen: Vec<i64>,
    pub country: Vec<u32>,
    pub time_zone: Vec<u32>,
    pub locale: Vec<u32>,
    /// Person `p`'s properties are `props[props_start[p]..props_start[p + 1]]`.
    pub props_start: Vec<u32>,
    pub props: Vec<(u32, Prop)>,
    /// Countries, time zones, locales, property keys and text values.
    pub strings: Dict,

    /// Person `p`'s events are `event_start[p]..event_start[p + 1]`, by time
    /// (ties in the order they were stored).
    pub event_start: Vec<u32>,
    pub ts: Vec<i64>,
    pub name: Vec<u32>,
    pub product: Vec<u32>,
    pub device: Vec<u8>,
    pub page: Vec<u32>,
    pub source: Vec<u32>,
    /// Events with a currency, by position: (event, value or 0, currency).
    pub money: Vec<(u32, i64, u32)>,
    pub names: Dict,
    pub pages: Dict,
    pub sources: Dict,
    pub currencies: Dict,

    pub product_external: Vec<String>,
    pub product_category: Vec<u32>,
    pub product_price: Vec<Option<i64>>,

    /// Person `p`'s consent records are `consent_start[p]..consent_start[p + 1]`,
    /// by channel, then (recorded_at, id).
    pub consent_start: Vec<u32>,
    pub consent: Vec<ConsentEntry>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct ConsentEntry {
    pub recorded_at: i64,
    pub channel: u8,
    pub granted: bool,
}

impl Columns {
    pub fn people(&self) -> usize {
        self.person_ids.len()
    }

    pub fn events_of(&self, person: usize) -> std::ops::Range<usize> {
        self.event_start[person] as usize..self.event_start[person + 1] as usize
    }

    pub fn consent_of(&self, person: usize) -> &[ConsentEntry] {
        &self.consent[self.consent_start[person] as usize..self.consent_start[person + 1] as usize]
    }

    pub fn props_of(&self, person: usize) -> &[(u32, Prop)] {
        &self.props[self.props_start[person] as usize..self.props_start[person + 1] as usize]
    }

    /// The value and currency of event `e`, if it has a currency.
    pub fn money_of(&self, e: usize) -> Option<(i64, u32)> {
        self.money
            .binary_search_by_key(&(e as u32), |m| m.0)
            .ok()
            .map(|at| (self.money[at].1, self.money[at].2))
    }
}

/// The columns kept beside an open workspace, and the read under way.
#[derive(Default)]
pub(crate) struct Cached {
    slot: tokio::sync::Mutex<Option<Arc<Columns>>>,
    reading: Arc<Reading>,
}

/// Where the read of the workspace into memory has got. Events are most of
/// the work, so they measure it.
#[derive(Default)]
struct Reading {
    /// IDLE, READING or CANCELLED; a read ends by swapping READING for
    /// IDLE, so a cancel that was accepted always fails the read.
    state: AtomicU8,
    events_read: AtomicU64,
    events_total: AtomicU64,
}

const IDLE: u8 = 0;
const READING: u8 = 1;
const CANCELLED: u8 = 2;

impl Reading {
    fn cancelled(&self) -> Result<()> {
        if self.state.load(Ordering::Acquire) == CANCELLED {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Ends the read: Ok unless it was cancelled on the way.
    fn finish(&self) -> Result<()> {
        match self
            .state
            .compare_exchange(READING, IDLE, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => Ok(()),
            Err(_) => Err(Error::Cancelled),
        }
    }
}

/// Leaves the state IDLE however the read ends.
struct Active<'a>(&'a Reading);

impl Drop for Active<'_> {
    fn drop(&mut self) {
        self.0.state.store(IDLE, Ordering::Release);
    }
}

/// How far the read of the workspace into the engine's memory has got. The
/// first count after opening a workspace, or after an import or undo, waits
/// for it: at ten million events, some seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EngineReading {
    #[ts(type = "number")]
    pub events_read: u64,
    /// About how many events there are (the span of their ids), so a
    /// progress bar can end a little short of it.
    #[ts(type = "number")]
    pub events_total: u64,
}

/// The read under way, if there is one.
pub fn reading(workspace: &Workspace) -> Option<EngineReading> {
    let cached = workspace.derived::<Cached>();
    let r = &cached.reading;
    (r.state.load(Ordering::Acquire) == READING).then(|| EngineReading {
        events_read: r.events_read.load(Ordering::Relaxed),
        events_total: r.events_total.load(Ordering::Relaxed),
    })
}

/// Stops the read under way: the counts waiting for it fail as cancelled,
/// nothing is kept, and the next count reads again. False when there was
/// nothing to stop.
pub fn cancel_reading(workspace: &Workspace) -> bool {
    let cached = workspace.derived::<Cached>();
    cached
        .reading
        .state
        .compare_exchange(READING, CANCELLED, Ordering::AcqRel, Ordering::Acquire)
        .is_ok()
}

/// The workspace's columns, read again only when something changed.
pub(crate) async fn columns(workspace: &Workspace) -> Result<Arc<Columns>> {
    let cached = workspace.derived::<Cached>();
    let mut slot = cached.slot.lock().await;
    let key = workspace
        .generation()
        .await
        .map_err(Error::db("checking the workspace for changes"))?;
    if let Some(columns) = slot.as_ref() {
        if columns.key == key {
            return Ok(Arc::clone(columns));
        }
    }
    // Let go of the stale copy before reading the new one.
    *slot = None;
    let started = Instant::now();
    let reading = &cached.reading;
    reading.events_read.store(0, Ordering::Relaxed);
    reading.events_total.store(0, Ordering::Relaxed);
    reading.state.store(READING, Ordering::Release);
    let _active = Active(reading);
    let columns = load(workspace, key, Arc::clone(reading)).await?;
    reading.finish()?;
    let columns = Arc::new(columns);
    tracing::debug!(
        people = columns.people(),
        events = columns.ts.len(),
        ms = started.elapsed().as_millis() as u64,
        "segment columns loaded"
    );
    *slot = Some(Arc::clone(&columns));
    Ok(columns)
}

const OP: &str = "reading the workspace for segments";

fn read(op: &'static str) -> impl Fn(rebound_core::Error) -> Error {
    move |e| Error::Load {
        op,
        message: e.to_string(),
    }
}

async fn load(workspace: &Workspace, key: Generation, reading: Arc<Reading>) -> Result<Columns> {
    // People.
    let mut strings = Dict::default();
    let mut person_ids = Vec::new();
    let mut first_seen = Vec::new();
    let (mut country, mut time_zone, mut locale) = (Vec::new(), Vec::new(), Vec::new());
    let mut props_start = vec![0u32];
    let mut props = Vec::new();
    scan(
        workspace,
        OP,
        "SELECT id, first_seen_at, country, time_zone, locale, properties FROM people ORDER BY id",
        |row| {
            person_ids.push(row.int(0));
            first_seen.push(row.opt_int(1).unwrap_or(i64::MIN));
            country.push(strings.code_opt(row.text(2)));
            time_zone.push(strings.code_opt(row.text(3)));
            locale.push(strings.code_opt(row.text(4)));
            read_properties(row.text(5), &mut strings, &mut props);
            props_start.push(props.len() as u32);
            true
        },
    )
    .await
    .map_err(read(OP))?;
    let people = IdIndex::new(&person_ids);

    // Products and devices, for filters.
    let mut product_ids = Vec::new();
    let mut product_external = Vec::new();
    let mut product_category = Vec::new();
    let mut product_price = Vec::new();
    scan(
        workspace,
        OP,
        "SELECT id, external_id, category, price_minor FROM products ORDER BY id",
        |row| {
            product_ids.push(row.int(0));
            product_external
                .push(String::from_utf8_lossy(row.text(1).unwrap_or_default()).into_owned());
            product_category.push(strings.code_opt(row.text(2)));
            product_price.push(row.opt_int(3));
            true
        },
    )
    .await
    .map_err(read(OP))?;
    reading.cancelled()?;
    let products = IdIndex::new(&product_ids);
    let mut device_ids = Vec::new();
    let mut device_category = Vec::new();
    scan(
        workspace,
        OP,
        "SELECT id, category FROM devices ORDER BY id",
        |row| {
            device_ids.push(row.int(0));
            let category = row.text(1).unwrap_or_default();
            device_category.push(
                DEVICE_CATEGORIES
                    .iter()
                    .position(|c| c.as_str().as_bytes() == category)
                    .map_or(NO_DEVICE, |at| at as u8),
            );
            true
        },
    )
    .await
    .map_err(read(OP))?;
    let devices = IdIndex::new(&device_ids);

    // Events, in storage order, read in parallel slices of the id range.
    let lookups = Arc::new(Lookups {
        people,
        products,
        devices,
        device_category,
    });
    let (first_id, last_id): (Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT min(id), max(id) FROM events")
            .fetch_one(workspace.pool())
            .await
            .map_err(Error::db(OP))?;
    if let (Some(first), Some(last)) = (first_id, last_id) {
        reading
            .events_total
            .store((last - first + 1) as u64, Ordering::Relaxed);
    }
    let slices = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4)) as i64;
    let mut tasks = Vec::new();
    if let (Some(first), Some(last)) = (first_id, last_id) {
        let step = ((last - first) / slices).max(1);
        let mut from = first;
        while from <= last {
            let to = if from + step > last || tasks.len() as i64 == slices - 1 {
                last + 1
            } else {
                from + step
            };
            tasks.push(tokio::spawn(scan_events(
                workspace.clone(),
                Arc::clone(&lookups),
                Arc::clone(&reading),
                from,
                to,
            )));
            from = to;
        }
    }
    let mut parts = Vec::with_capacity(tasks.len());
    for task in tasks {
        parts.push(task.await.map_err(|e| Error::Load {
            op: OP,
            message: e.to_string(),
        })??);
    }
    reading.cancelled()?;
    let EventPart {
        owner,
        ts,
        name,
        product,
        device,
        page,
        source,
        mut money,
        names,
        pages,
        sources,
        currencies,
    } = merge(parts);
    let people = &lookups.people;

    // Group by person (a stable counting sort), then order each person's
    // events by time; ties keep storage order.
    let n = person_ids.len();
    let mut event_start = vec![0u32; n + 1];
    for &p in &owner {
        event_start[p as usize + 1] += 1;
    }
    for p in 0..n {
        event_start[p + 1] += event_start[p];
    }
    let mut order = vec![0u32; owner.len()];
    let mut next = event_start.clone();
    for (e, &p) in owner.iter().enumerate() {
        order[next[p as usize] as usize] = e as u32;
        next[p as usize] += 1;
    }
    drop(next);
    drop(owner);
    for p in 0..n {
        let range = event_start[p] as usize..event_start[p + 1] as usize;
        order[range].sort_by_key(|&e| ts[e as usize]);
    }
    let ts = permute(&order, ts);
    let name = permute(&order, name);
    let product = permute(&order, product);
    let device = permute(&order, device);
    let page = permute(&order, page);
    let source = permute(&order, source);
    if !money.is_empty() {
        let mut position = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            position[old as usize] = new as u32;
        }
        for m in &mut money {
            m.0 = position[m.0 as usize];
        }
        money.sort_unstable_by_key(|m| m.0);
    }

    // Consent, grouped by person in (recorded_at, id) order.
    let mut consent_start = vec![0u32; n + 1];
    let mut consent = Vec::new();
    let mut current = 0usize;
    scan(
        workspace,
        OP,
        // The (person_id, channel, recorded_at) index gives this order
        // without sorting; a channel's records are then by (recorded_at, id).
        "SELECT person_id, channel, status, recorded_at FROM consent \
         ORDER BY person_id, channel, recorded_at, id",
        |row| {
            let person = people.get(row.int(0));
            if person == NONE {
                return true;
            }
            let person = person as usize;
            while current < person {
                current += 1;
                consent_start[current] = consent.len() as u32;
            }
            let channel = row.text(1).unwrap_or_default();
            let Some(channel) = CHANNELS
                .iter()
                .position(|c| c.as_str().as_bytes() == channel)
            else {
                return true;
            };
            consent.push(ConsentEntry {
                recorded_at: row.int(3),
                channel: channel as u8,
                granted: row.text(2) == Some(b"granted".as_slice()),
            });
            true
        },
    )
    .await
    .map_err(read(OP))?;
    while current < n {
        current += 1;
        consent_start[current] = consent.len() as u32;
    }

    Ok(Columns {
        key,
        person_ids,
        first_seen,
        country,
        time_zone,
        locale,
        props_start,
        props,
        strings,
        event_start,
        ts,
        name,
        product,
        device,
        page,
        source,
        money,
        names,
        pages,
        sources,
        currencies,
        product_external,
        product_category,
        product_price,
        consent_start,
        consent,
    })
}

/// What event rows are resolved against: person, product and device ids to
/// positions, and each device's category.
struct Lookups {
    people: IdIndex,
    products: IdIndex,
    devices: IdIndex,
    device_category: Vec<u8>,
}

/// Events of one slice of ids, in storage order, with their own dictionaries.
#[derive(Default)]
struct EventPart {
    owner: Vec<u32>,
    ts: Vec<i64>,
    name: Vec<u32>,
    product: Vec<u32>,
    device: Vec<u8>,
    page: Vec<u32>,
    source: Vec<u32>,
    money: Vec<(u32, i64, u32)>,
    names: Dict,
    pages: Dict,
    sources: Dict,
    currencies: Dict,
}

/// Reads the events with `from <= id < to` on a connection of its own.
async fn scan_events(
    workspace: Workspace,
    lookups: Arc<Lookups>,
    reading: Arc<Reading>,
    from: i64,
    to: i64,
) -> Result<EventPart> {
    let mut part = EventPart::default();
    let sql = format!(
        "SELECT person_id, ts, name, product_id, device_id, page, source, value_minor, currency \
         FROM events WHERE id >= {from} AND id < {to}"
    );
    let p = &mut part;
    // Progress is told (and a cancel looked for) every so many rows.
    const EVERY: u64 = 1 << 14;
    let mut rows = 0u64;
    scan(&workspace, OP, &sql, |row: &ScanRow<'_>| {
        rows += 1;
        if rows % EVERY == 0 {
            reading.events_read.fetch_add(EVERY, Ordering::Relaxed);
            if reading.cancelled().is_err() {
                return false;
            }
        }
        let person = lookups.people.get(row.int(0));
        if person == NONE {
            return true;
        }
        let at = p.ts.len() as u32;
        p.owner.push(person);
        p.ts.push(row.int(1));
        p.name.push(p.names.code(row.text(2).unwrap_or_default()));
        p.product
            .push(row.opt_int(3).map_or(NONE, |id| lookups.products.get(id)));
        p.device.push(row.opt_int(4).map_or(NO_DEVICE, |id| {
            let d = lookups.devices.get(id);
            if d == NONE {
                NO_DEVICE
            } else {
                lookups.device_category[d as usize]
            }
        }));
        p.page.push(p.pages.code_opt(row.text(5)));
        p.source.push(p.sources.code_opt(row.text(6)));
        if let Some(currency) = row.text(8) {
            p.money
                .push((at, row.opt_int(7).unwrap_or(0), p.currencies.code(currency)));
        }
        true
    })
    .await
    .map_err(read(OP))?;
    reading
        .events_read
        .fetch_add(rows % EVERY, Ordering::Relaxed);
    reading.cancelled()?;
    Ok(part)
}

/// One part from many, in order: later parts' dictionary numbers are
/// renumbered into the first part's dictionaries.
fn merge(parts: Vec<EventPart>) -> EventPart {
    let mut parts = parts.into_iter();
    let Some(mut all) = parts.next() else {
        return EventPart::default();
    };
    for part in parts {
        let offset = all.ts.len() as u32;
        let renumber = |from: &Dict, into: &mut Dict| -> Vec<u32> {
            from.values()
                .iter()
                .map(|v| into.code(v.as_bytes()))
                .collect()
        };
        let names = renumber(&part.names, &mut all.names);
        let pages = renumber(&part.pages, &mut all.pages);
        let sources = renumber(&part.sources, &mut all.sources);
        let currencies = renumber(&part.currencies, &mut all.currencies);
        let map = |table: &[u32], code: u32| {
            if code == NONE {
                NONE
            } else {
                table[code as usize]
            }
        };
        all.owner.extend(part.owner);
        all.ts.extend(part.ts);
        all.name.extend(part.name.iter().map(|&c| map(&names, c)));
        all.product.extend(part.product);
        all.device.extend(part.device);
        all.page.extend(part.page.iter().map(|&c| map(&pages, c)));
        all.source
            .extend(part.source.iter().map(|&c| map(&sources, c)));
        all.money.extend(
            part.money
                .iter()
                .map(|&(at, value, currency)| (at + offset, value, map(&currencies, currency))),
        );
    }
    all
}

/// `column` reordered so that position `i` holds `column[order[i]]`.
fn permute<T: Copy>(order: &[u32], column: Vec<T>) -> Vec<T> {
    order.iter().map(|&e| column[e as usize]).collect()
}

/// A person's top-level JSON properties, keys sorted; anything but an object
/// (or text that is not JSON) has none, as the rule model says.
fn read_properties(text: Option<&[u8]>, strings: &mut Dict, props: &mut Vec<(u32, Prop)>) {
    let Some(text) = text else { return };
    if text == b"{}" {
        return;
    }
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(text)
    else {
        return;
    };
    let start = props.len();
    for (key, value) in map {
        let value = match value {
            serde_json::Value::String(s) => Prop::Text(strings.code(s.as_bytes())),
            serde_json::Value::Bool(b) => Prop::Bool(b),
            _ => Prop::Other,
        };
        props.push((strings.code(key.as_bytes()), value));
    }
    props[start..].sort_unstable_by_key(|p| p.0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_index_is_dense_for_rowids_and_sparse_for_scattered_ids() {
        let dense = IdIndex::new(&[3, 4, 5, 7]);
        assert!(matches!(dense, IdIndex::Dense { .. }));
        assert_eq!(dense.get(5), 2);
        assert_eq!(dense.get(6), NONE);
        assert_eq!(dense.get(-1), NONE);
        assert_eq!(dense.get(i64::MAX), NONE);
        let sparse = IdIndex::new(&[1, 1 << 40]);
        assert!(matches!(sparse, IdIndex::Sparse(_)));
        assert_eq!(sparse.get(1 << 40), 1);
        assert_eq!(sparse.get(2), NONE);
    }

    #[test]
    fn properties_keep_strings_and_booleans_and_ignore_non_objects() {
        let mut strings = Dict::default();
        let mut props = Vec::new();
        read_properties(
            Some(br#"{"b": true, "a": "high", "n": 3}"#),
            &mut strings,
            &mut props,
        );
        read_properties(Some(b"[1, 2]"), &mut strings, &mut props);
        read_properties(Some(b"not json"), &mut strings, &mut props);
        assert_eq!(props.len(), 3);
        let a = strings.get("a").unwrap();
        let high = strings.get("high").unwrap();
        assert!(props.contains(&(a, Prop::Text(high))));
        assert!(props.contains(&(strings.get("b").unwrap(), Prop::Bool(true))));
        assert!(props.contains(&(strings.get("n").unwrap(), Prop::Other)));
        assert!(props.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
