//! Turns parsed records into workspace rows, inside the import's transaction.
//!
//! People are found by the ids they carry (user id, hashed e-mail, visitor id,
//! ...), in that order of trust; an id seen for the first time is attached to
//! the person found by the others, or to a new person. The id maps are loaded
//! once per import, so no row costs a lookup query.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use chrono::{DateTime, Utc};
use rebound_formats::{
    AdPlatform, Availability, CampaignMetrics, Channel, Contact, EditorEntity, Event, Money, Order,
    ParseSummary, Product, Record, Rejection,
};
use serde_json::{json, Value as Json};
use sha2::{Digest, Sha256};
use sqlx::{Row as _, SqliteConnection};

use super::{micros, StoredCount};
use crate::bulk::{Batch, Value};
use crate::{Error, Result};

/// Page cache while rebuilding event indexes, KiB.
const INDEX_BUILD_CACHE_KIB: i64 = 16_384;

/// Kinds of ids people are known by, as in `identities.kind`, in order of trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IdKind {
    UserId = 0,
    EmailSha256 = 1,
    PhoneSha256 = 2,
    CustomerId = 3,
    VisitorId = 4,
}

impl IdKind {
    const ALL: [IdKind; 5] = [
        IdKind::UserId,
        IdKind::EmailSha256,
        IdKind::PhoneSha256,
        IdKind::CustomerId,
        IdKind::VisitorId,
    ];

    fn name(self) -> &'static str {
        match self {
            IdKind::UserId => "user_id",
            IdKind::EmailSha256 => "email_sha256",
            IdKind::PhoneSha256 => "phone_sha256",
            IdKind::CustomerId => "customer_id",
            IdKind::VisitorId => "visitor_id",
        }
    }
}

/// SHA-256 of a trimmed, lower-cased e-mail address, hex: how the workspace
/// keeps e-mails (and how ad platforms match them).
pub fn email_sha256(email: &str) -> String {
    format!(
        "{:x}",
        Sha256::digest(email.trim().to_lowercase().as_bytes())
    )
}

/// SHA-256 of a phone number's digits (a leading `+` kept).
pub fn phone_sha256(phone: &str) -> Option<String> {
    let t = phone.trim();
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 5 {
        return None;
    }
    let normal = if t.starts_with('+') {
        format!("+{digits}")
    } else {
        digits
    };
    Some(format!("{:x}", Sha256::digest(normal.as_bytes())))
}

const EVENT_COLUMNS: &[&str] = &[
    "person_id",
    "ts",
    "name",
    "device_id",
    "product_id",
    "page",
    "source",
    "quantity",
    "value_minor",
    "currency",
    "order_id",
    "import_id",
    "properties",
];
const PEOPLE_COLUMNS: &[&str] = &[
    "id",
    "import_id",
    "first_name",
    "last_name",
    "email_sha256",
    "first_seen_at",
    "properties",
];
/// The `devices` columns both the import and the demo write.
pub(crate) const DEVICE_COLUMNS: &[&str] = &[
    "id",
    "person_id",
    "external_id",
    "category",
    "os",
    "browser",
    "first_seen_at",
    "import_id",
];
const IDENTITY_COLUMNS: &[&str] = &["person_id", "kind", "value", "first_seen_at", "import_id"];
const PRODUCT_COLUMNS: &[&str] = &[
    "id",
    "external_id",
    "title",
    "description",
    "price_minor",
    "currency",
    "availability",
    "link",
    "image_link",
    "brand",
    "category",
    "item_group_id",
    "import_id",
];
const CONSENT_COLUMNS: &[&str] = &[
    "person_id",
    "channel",
    "status",
    "lawful_basis",
    "source",
    "recorded_at",
    "import_id",
];
const REPORT_COLUMNS: &[&str] = &[
    "import_id",
    "source",
    "section",
    "line",
    "dimension",
    "key",
    "period_start",
    "period_end",
    "data",
];
const EXPOSURE_COLUMNS: &[&str] = &[
    "variant_id",
    "exposed_at",
    "converted",
    "value_minor",
    "unit_id",
    "metrics",
];

/// What the writer stored, for the history row.
pub(crate) struct Written {
    pub stored: Vec<StoredCount>,
    pub rows_rejected: u64,
    pub rejections: Vec<Rejection>,
    pub event_ids: Option<(i64, i64)>,
}

/// An experiment built from an A/B file.
struct AbState {
    experiment_id: i64,
    variants: HashMap<String, i64>,
    /// The outcome stored as `converted`: the first yes/no column.
    conversion_metric: Option<String>,
    /// This file is the other arm of an experiment an earlier file made: its
    /// variants carry this import's id, so undoing it takes only them away.
    joined: bool,
}

/// The columns whose totals count an aggregate file's units, most telling first.
const UNIT_COLUMNS: [&str; 7] = [
    "website clicks",
    "clicks",
    "users",
    "visitors",
    "sessions",
    "reach",
    "impressions",
];
/// The columns whose totals count an aggregate file's conversions.
const CONVERSION_COLUMNS: [&str; 4] = ["purchase", "purchases", "conversions", "orders"];

/// Words that name one arm of a test in a file name.
const ARM_WORDS: [&str; 8] = [
    "control",
    "test",
    "treatment",
    "variant",
    "variation",
    "a",
    "b",
    "group",
];

/// A file name without its extension and its arm words, in words:
/// `ab_control_group.csv` and `ab_test_group.csv` are both "ab". Two files
/// whose names differ only by their arm words are the arms of one test.
pub(crate) fn pair_stem(file_name: &str) -> String {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    stem.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !ARM_WORDS.contains(&w.to_lowercase().as_str()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Rows waiting to be written, in foreign-key order: people, their ids and
/// devices, products, then events and consent that refer to them.
pub(crate) struct RowSet {
    pub people: Batch,
    pub identities: Batch,
    pub devices: Batch,
    pub products: Batch,
    pub events: Batch,
    pub consent: Batch,
}

impl RowSet {
    pub fn new() -> RowSet {
        RowSet {
            people: Batch::new("people", PEOPLE_COLUMNS),
            identities: Batch::new("identities", IDENTITY_COLUMNS),
            devices: Batch::new("devices", DEVICE_COLUMNS),
            products: Batch::new("products", PRODUCT_COLUMNS),
            events: Batch::new("events", EVENT_COLUMNS),
            consent: Batch::new("consent", CONSENT_COLUMNS),
        }
    }

    /// Enough rows buffered to be worth a write.
    pub fn is_full(&self) -> bool {
        self.events.is_full()
            || self.consent.is_full()
            || self.people.is_full()
            || self.identities.is_full()
            || self.devices.is_full()
            || self.products.is_full()
    }

    pub async fn write(&mut self, conn: &mut SqliteConnection) -> Result<()> {
        self.people.write(conn).await?;
        self.identities.write(conn).await?;
        self.devices.write(conn).await?;
        self.products.write(conn).await?;
        self.events.write(conn).await?;
        self.consent.write(conn).await
    }
}

/// Who is who and which product is which: turns events, orders and contacts
/// into rows without touching the database, so it can run on the thread that
/// parses the file while the writer's thread only writes. Owns the id maps,
/// loaded once per import.
pub(crate) struct Resolver {
    import_id: i64,
    currency: String,
    now: DateTime<Utc>,
    ids: [IdMap; 5],
    products: FxHashMap<Box<str>, i64>,
    /// Devices by their external id (see [`Resolver::device_id`]).
    devices: FxHashMap<Box<str>, i64>,
    /// Event names and currencies, shared by every row that has them.
    interned: FxHashMap<Box<str>, Arc<str>>,
    next_person: i64,
    next_product: i64,
    next_device: i64,
    pub rows: RowSet,
    counts: BTreeMap<&'static str, u64>,
    rejected: u64,
    rejections: Vec<Rejection>,
}

impl Resolver {
    /// Takes the rows buffered so far, leaving an empty set.
    pub fn take_rows(&mut self) -> RowSet {
        std::mem::replace(&mut self.rows, RowSet::new())
    }

    /// Resolves and buffers one event.
    pub fn add_event(&mut self, e: Event) {
        self.event(e);
    }

    fn shared(&mut self, text: &str) -> Value {
        if let Some(v) = self.interned.get(text) {
            return Value::Shared(v.clone());
        }
        let v: Arc<str> = text.into();
        self.interned.insert(text.into(), v.clone());
        Value::Shared(v)
    }
    fn count(&mut self, what: &'static str, n: u64) {
        *self.counts.entry(what).or_default() += n;
    }
    fn reject(&mut self, line: u64, column: Option<&str>, value: &str, reason: String) {
        self.rejected += 1;
        if self.rejections.len() < rebound_formats::MAX_LISTED_REJECTIONS {
            self.rejections.push(Rejection {
                line,
                column: column.map(str::to_string),
                value: value.to_string(),
                reason,
            });
        }
    }
    /// The person these ids belong to, creating one (and any new ids) as needed.
    fn person(
        &mut self,
        ids: &[(IdKind, &str)],
        first_seen: Option<i64>,
        name: (Option<&str>, Option<&str>),
    ) -> i64 {
        let found = ids
            .iter()
            .find_map(|(kind, value)| self.ids[*kind as usize].get(value));
        let person = match found {
            Some(p) => p,
            None => {
                let id = self.next_person;
                self.next_person += 1;
                let email = ids
                    .iter()
                    .find(|(k, _)| *k == IdKind::EmailSha256)
                    .map(|(_, v)| v.to_string());
                self.rows.people.push([
                    id.into(),
                    self.import_id.into(),
                    name.0.map(str::to_string).into(),
                    name.1.map(str::to_string).into(),
                    email.into(),
                    first_seen.into(),
                    "{}".into(),
                ]);
                self.count("people", 1);
                id
            }
        };
        for (kind, value) in ids {
            let map = &mut self.ids[*kind as usize];
            if map.get(value).is_none() {
                map.insert(value, person);
                self.rows.identities.push([
                    person.into(),
                    kind.name().into(),
                    (*value).into(),
                    first_seen.into(),
                    self.import_id.into(),
                ]);
                self.count("identities", 1);
            }
        }
        person
    }
    fn product_id(&mut self, external: &str, make: impl FnOnce() -> ProductRow) -> i64 {
        if let Some(&id) = self.products.get(external) {
            return id;
        }
        let id = self.next_product;
        self.next_product += 1;
        self.products.insert(external.into(), id);
        let row = make();
        self.rows
            .products
            .push(row.into_values(id, external, self.import_id));
        self.count("products", 1);
        id
    }
    /// The device an event was seen on, creating it on first sight. A device is
    /// the visitor id (a browser's cookie, GA4's `user_pseudo_id`) with its
    /// category, system and browser; without a visitor id, the person's. Its
    /// external id says all of that: "1026454.42 (mobile, iOS, Safari)".
    fn device_id(&mut self, e: &Event, person: i64) -> Option<i64> {
        let written = e
            .device
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())?;
        let category = device_category(written);
        let (os, browser) = (e.device_os.as_deref(), e.device_browser.as_deref());
        let traits = [Some(category), os, browser]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        let key = match e.visitor_id.as_deref() {
            Some(v) => format!("{v} ({traits})"),
            None => format!("person {person} ({traits})"),
        };
        if let Some(&id) = self.devices.get(key.as_str()) {
            return Some(id);
        }
        let id = self.next_device;
        self.next_device += 1;
        self.rows.devices.push([
            id.into(),
            person.into(),
            key.clone().into(),
            category.into(),
            os.map(str::to_string).into(),
            browser.map(str::to_string).into(),
            e.timestamp_micros.into(),
            self.import_id.into(),
        ]);
        self.devices.insert(key.into_boxed_str(), id);
        self.count("devices", 1);
        Some(id)
    }
    fn event(&mut self, mut e: Event) {
        let email = e.email.as_deref().map(email_sha256);
        let mut ids: Vec<(IdKind, &str)> = Vec::with_capacity(3);
        if let Some(u) = e.user_id.as_deref() {
            ids.push((IdKind::UserId, u));
        }
        if let Some(h) = email.as_deref() {
            ids.push((IdKind::EmailSha256, h));
        }
        if let Some(v) = e.visitor_id.as_deref() {
            ids.push((IdKind::VisitorId, v));
        }
        if ids.is_empty() {
            self.reject(
                e.line,
                None,
                "",
                "the row has no visitor id, user id or e-mail, so it cannot be tied to a person"
                    .into(),
            );
            return;
        }
        let person = self.person(&ids, Some(e.timestamp_micros), (None, None));
        let mut props = JsonObject::default();
        props.add("session", e.session_id.as_deref());
        props.add("transaction", e.transaction_id.as_deref());
        let props = props.finish();
        let device = self.device_id(&e, person);
        let product = e.product_id.as_deref().map(|pid| {
            let title = product_title(e.brand.as_deref(), e.category_code.as_deref(), pid);
            let category = e.category_code.clone().or_else(|| e.category_id.clone());
            let (brand, price) = (e.brand.clone(), e.price.clone());
            self.product_id(pid, || ProductRow {
                title,
                brand,
                category,
                price,
                ..ProductRow::default()
            })
        });
        if e.items.len() > 1 || (product.is_none() && e.items.len() == 1) {
            // One row per item, as a store's order lines are, so "bought X" sees each.
            let items = std::mem::take(&mut e.items);
            for item in items {
                let pid = item.product_id.as_deref().map(|id| {
                    let title = item.name.clone().unwrap_or_else(|| {
                        product_title(item.brand.as_deref(), item.category.as_deref(), id)
                    });
                    let (brand, category, price) = (
                        item.brand.clone(),
                        item.category.clone(),
                        item.price.clone(),
                    );
                    self.product_id(id, || ProductRow {
                        title,
                        brand,
                        category,
                        price,
                        ..ProductRow::default()
                    })
                });
                let quantity = item.quantity;
                let value = item
                    .price
                    .as_ref()
                    .map(|m| m.minor.saturating_mul(quantity.unwrap_or(1)));
                let currency = item.price.as_ref().and_then(|m| m.currency.clone());
                let at = (person, device, pid);
                self.push_event(&e, at, quantity, value, currency, props.clone());
            }
            return;
        }
        let value = e
            .price
            .as_ref()
            .map(|m| m.minor.saturating_mul(e.quantity.unwrap_or(1)));
        let currency = e
            .price
            .as_ref()
            .map(|m| m.currency.clone().unwrap_or_else(|| self.currency.clone()));
        self.push_event(
            &e,
            (person, device, product),
            e.quantity,
            value,
            currency,
            props,
        );
    }
    /// `at` is who, on which device, about which product.
    fn push_event(
        &mut self,
        e: &Event,
        (person, device, product): (i64, Option<i64>, Option<i64>),
        quantity: Option<i64>,
        value: Option<i64>,
        currency: Option<String>,
        props: Option<String>,
    ) {
        let currency = match currency {
            Some(c) => self.shared(&c),
            None if value.is_some() => self.shared(&self.currency.clone()),
            None => Value::Null,
        };
        let name = self.shared(&e.event_name);
        self.rows.events.push([
            person.into(),
            e.timestamp_micros.into(),
            name,
            device.into(),
            product.into(),
            e.page.clone().into(),
            e.source.clone().into(),
            quantity.into(),
            value.into(),
            currency,
            e.transaction_id.clone().into(),
            self.import_id.into(),
            props.into(),
        ]);
        self.count("events", 1);
    }
    fn order(&mut self, o: Order) {
        let lines = o.line_items.len().max(1) as u64;
        let Some(at) = o.created_at_micros else {
            for _ in 0..lines {
                self.reject(
                    o.line,
                    Some("Created at"),
                    "",
                    format!("order {} has no time it was created", o.name),
                );
            }
            return;
        };
        let email = o
            .email
            .as_deref()
            .filter(|e| !e.trim().is_empty())
            .map(email_sha256);
        let order_key = format!("shopify-order:{}", o.name);
        let mut ids = vec![];
        if let Some(h) = email.as_deref() {
            ids.push((IdKind::EmailSha256, h));
        } else {
            ids.push((IdKind::CustomerId, order_key.as_str()));
        }
        let person = self.person(&ids, Some(at), (None, None));
        if let Some(accepts) = o.accepts_marketing {
            self.rows.consent.push([
                person.into(),
                "email".into(),
                if accepts { "granted" } else { "denied" }.into(),
                "consent".into(),
                format!("Shopify order {}", o.name).into(),
                at.into(),
                self.import_id.into(),
            ]);
            self.count("consent", 1);
        }
        let currency = o.currency.clone().unwrap_or_else(|| self.currency.clone());
        let mut props = serde_json::Map::new();
        props.insert("order".into(), o.name.clone().into());
        if let Some(s) = &o.financial_status {
            props.insert("financial_status".into(), s.clone().into());
        }
        if let Some(s) = &o.fulfillment_status {
            props.insert("fulfillment_status".into(), s.clone().into());
        }
        if let Some(c) = &o.discount_code {
            props.insert("discount_code".into(), c.clone().into());
        }
        if let Some(off) = o.created_at_offset_seconds {
            props.insert("utc_offset_seconds".into(), off.into());
        }
        let props = Json::Object(props).to_string();
        for item in &o.line_items {
            let external = item
                .sku
                .clone()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| item.name.clone());
            let (title, brand, price) =
                (item.name.clone(), item.vendor.clone(), item.price.clone());
            let product = self.product_id(&external, || ProductRow {
                title,
                brand,
                price,
                ..ProductRow::default()
            });
            let value = item
                .price
                .as_ref()
                .map(|p| p.minor.saturating_mul(item.quantity));
            let line_currency = item
                .price
                .as_ref()
                .and_then(|p| p.currency.clone())
                .unwrap_or_else(|| currency.clone());
            self.rows.events.push([
                person.into(),
                at.into(),
                "purchase".into(),
                Value::Null,
                product.into(),
                Value::Null,
                o.source.clone().into(),
                item.quantity.into(),
                value.into(),
                line_currency.into(),
                o.name.clone().into(),
                self.import_id.into(),
                props.clone().into(),
            ]);
            self.count("events", 1);
        }
        self.count("orders", 1);
    }
    fn contact(&mut self, c: Contact) {
        let email = c
            .email
            .as_deref()
            .filter(|e| e.contains('@'))
            .map(email_sha256);
        let phone = c.phone.as_deref().and_then(phone_sha256);
        let mut ids = Vec::new();
        if let Some(x) = c.external_id.as_deref() {
            ids.push((IdKind::CustomerId, x));
        }
        if let Some(h) = email.as_deref() {
            ids.push((IdKind::EmailSha256, h));
        }
        if let Some(h) = phone.as_deref() {
            ids.push((IdKind::PhoneSha256, h));
        }
        if ids.is_empty() {
            self.reject(
                c.line,
                None,
                "",
                "the contact has no e-mail, phone or customer id".into(),
            );
            return;
        }
        let person = self.person(
            &ids,
            None,
            (c.first_name.as_deref(), c.last_name.as_deref()),
        );
        self.count("contacts", 1);
        let now = micros(self.now);
        for consent in &c.consents {
            let channel = match consent.channel {
                Channel::Email => "email",
                Channel::Sms => "sms",
                Channel::Push => "push",
                Channel::Ads => "ads",
                // The ledger keeps the channels Rebound sends on; calls are not one.
                Channel::Phone => continue,
            };
            self.rows.consent.push([
                person.into(),
                channel.into(),
                if consent.granted { "granted" } else { "denied" }.into(),
                "consent".into(),
                format!("contact list, column {}", consent.column).into(),
                now.into(),
                self.import_id.into(),
            ]);
            self.count("consent", 1);
        }
    }
}

/// Stores records inside the import's transaction.
pub(crate) struct Writer<'c> {
    conn: &'c mut SqliteConnection,
    import_id: i64,
    now: DateTime<Utc>,
    /// A placeholder while lent to the parsing thread (see [`Writer::lend_resolver`]).
    r: Resolver,
    campaigns: HashMap<(&'static str, String), i64>,
    events_before: i64,
    reports: Batch,
    exposures: Batch,
    ab: Option<AbState>,
    /// The yes/no column the request chose as the conversion of a per-person A/B file.
    chosen_conversion: Option<String>,
    /// Event indexes dropped for this import, rebuilt (by sorting, much faster
    /// than row by row) in [`Writer::finish`]; same transaction, so atomic.
    deferred_indexes: Vec<String>,
}

fn db(op: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
    Error::db(op)
}

impl<'c> Writer<'c> {
    pub async fn new(
        conn: &'c mut SqliteConnection,
        import_id: i64,
        currency: &str,
        now: DateTime<Utc>,
        expected_events: u64,
    ) -> Result<Writer<'c>> {
        let mut ids: [IdMap; 5] = Default::default();
        let rows = sqlx::query("SELECT kind, value, person_id FROM identities")
            .fetch_all(&mut *conn)
            .await
            .map_err(db("reading known ids"))?;
        for row in rows {
            let kind: &str = row.get(0);
            if let Some(k) = IdKind::ALL.iter().find(|k| k.name() == kind) {
                ids[*k as usize].insert(row.get::<&str, _>(1), row.get(2));
            }
        }
        let mut products = FxHashMap::default();
        for row in sqlx::query("SELECT external_id, id FROM products")
            .fetch_all(&mut *conn)
            .await
            .map_err(db("reading known products"))?
        {
            products.insert(row.get::<String, _>(0).into_boxed_str(), row.get(1));
        }
        let mut devices = FxHashMap::default();
        for row in sqlx::query("SELECT external_id, id FROM devices")
            .fetch_all(&mut *conn)
            .await
            .map_err(db("reading known devices"))?
        {
            devices.insert(row.get::<String, _>(0).into_boxed_str(), row.get(1));
        }
        let mut campaigns = HashMap::new();
        for row in sqlx::query("SELECT channel, coalesce(external_id, ''), name, id FROM campaigns")
            .fetch_all(&mut *conn)
            .await
            .map_err(db("reading known campaigns"))?
        {
            let channel: String = row.get(0);
            let channel = match channel.as_str() {
                "google_ads" => "google_ads",
                "meta_ads" => "meta_ads",
                _ => continue,
            };
            let external: String = row.get(1);
            let id: i64 = row.get(3);
            if !external.is_empty() {
                campaigns.insert((channel, format!("id:{external}")), id);
            }
            campaigns.insert((channel, format!("name:{}", row.get::<String, _>(2))), id);
        }
        let max = |table: &'static str| format!("SELECT coalesce(max(id), 0) FROM {table}");
        let next_person: i64 = sqlx::query_scalar(&max("people"))
            .fetch_one(&mut *conn)
            .await
            .map_err(db("reading people"))?;
        let next_product: i64 = sqlx::query_scalar(&max("products"))
            .fetch_one(&mut *conn)
            .await
            .map_err(db("reading products"))?;
        let next_device: i64 = sqlx::query_scalar(&max("devices"))
            .fetch_one(&mut *conn)
            .await
            .map_err(db("reading devices"))?;
        let events_before: i64 = sqlx::query_scalar(&max("events"))
            .fetch_one(&mut *conn)
            .await
            .map_err(db("reading events"))?;
        let mut deferred_indexes = Vec::new();
        let existing: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
            .fetch_one(&mut *conn)
            .await
            .map_err(db("counting events"))?;
        // Rebuilding pays off when the import at least doubles the event log.
        if expected_events >= 50_000 && expected_events as i64 >= existing {
            let indexes: Vec<(String, String)> = sqlx::query_as(
                "SELECT name, sql FROM sqlite_master
                 WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL",
            )
            .fetch_all(&mut *conn)
            .await
            .map_err(db("reading the event indexes"))?;
            for (name, sql) in indexes {
                sqlx::query(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))
                    .execute(&mut *conn)
                    .await
                    .map_err(db("setting the event indexes aside"))?;
                deferred_indexes.push(sql);
            }
        }
        Ok(Writer {
            conn,
            import_id,
            now,
            r: Resolver {
                import_id,
                currency: currency.to_string(),
                now,
                ids,
                products,
                devices,
                interned: FxHashMap::default(),
                next_person: next_person + 1,
                next_product: next_product + 1,
                next_device: next_device + 1,
                rows: RowSet::new(),
                counts: BTreeMap::new(),
                rejected: 0,
                rejections: Vec::new(),
            },
            campaigns,
            events_before,
            reports: Batch::new("report_rows", REPORT_COLUMNS),
            exposures: Batch::new("experiment_exposures", EXPOSURE_COLUMNS),
            ab: None,
            chosen_conversion: None,
            deferred_indexes,
        })
    }

    /// The yes/no column that counts as converted in a per-person A/B file;
    /// without one, its first yes/no column.
    pub fn choose_conversion(&mut self, column: Option<String>) {
        self.chosen_conversion = column.filter(|c| !c.trim().is_empty());
    }

    /// Hands the resolver to the thread that parses an event log, so ids are
    /// resolved and rows built there; [`Writer::write_rows`] writes what it
    /// sends and [`Writer::return_resolver`] takes it back at the end.
    pub fn lend_resolver(&mut self) -> Resolver {
        let placeholder = Resolver {
            import_id: self.import_id,
            currency: self.r.currency.clone(),
            now: self.now,
            ids: Default::default(),
            products: FxHashMap::default(),
            devices: FxHashMap::default(),
            interned: FxHashMap::default(),
            next_person: 0,
            next_product: 0,
            next_device: 0,
            rows: RowSet::new(),
            counts: BTreeMap::new(),
            rejected: 0,
            rejections: Vec::new(),
        };
        std::mem::replace(&mut self.r, placeholder)
    }

    pub fn return_resolver(&mut self, resolver: Resolver) {
        self.r = resolver;
    }

    /// Writes rows a lent resolver built.
    pub async fn write_rows(&mut self, mut rows: RowSet) -> Result<()> {
        self.flush_all().await?;
        rows.write(self.conn).await
    }

    /// Stores one record (buffered; written in batches).
    pub async fn add(&mut self, record: Record) -> Result<()> {
        match record {
            Record::Event(e) => self.r.event(e),
            Record::Order(o) => self.r.order(o),
            Record::Product(p) => self.product(p).await?,
            Record::Contact(c) => self.r.contact(c),
            Record::CampaignMetrics(m) => self.ad_metrics(m).await?,
            Record::Ga4Row(r) => {
                let data = serde_json::to_string(&r.cells).expect("cells serialise");
                self.report("ga4", r.section, r.line, None, None, data);
            }
            Record::GscRow(r) => {
                let dimension = serde_json::to_value(r.dimension)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string));
                let data = json!({
                    "clicks": r.clicks, "impressions": r.impressions,
                    "ctr": r.ctr, "position": r.position,
                })
                .to_string();
                self.report("search_console", 1, r.line, dimension, Some(r.key), data);
            }
            Record::GscFilter(f) => {
                let data = json!({ "value": f.value }).to_string();
                self.report(
                    "search_console",
                    1,
                    f.line,
                    Some("filter".into()),
                    Some(f.filter),
                    data,
                );
            }
            Record::EditorEntity(e) => self.editor(e).await?,
            Record::AbPerson(p) => self.ab_person(p).await?,
            Record::AbAggregate(a) => self.ab_aggregate(a).await?,
        }
        self.flush_full().await
    }

    // ----- people and ids -------------------------------------------------

    // ----- events ----------------------------------------------------------

    // ----- orders ----------------------------------------------------------

    // ----- catalogue -------------------------------------------------------

    async fn product(&mut self, p: Product) -> Result<()> {
        let row = ProductRow {
            title: p
                .title
                .clone()
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| format!("Product {}", p.id)),
            description: p.description.clone(),
            price: p.sale_price.clone().or(p.price.clone()),
            availability: p.availability.clone(),
            link: p.link.clone(),
            image_link: p.image_link.clone(),
            brand: p.brand.clone(),
            category: p.product_type.clone().or(p.google_product_category.clone()),
            item_group_id: p.item_group_id.clone(),
        };
        if let Some(&id) = self.r.products.get(p.id.as_str()) {
            self.flush_all().await?;
            // Keep the old version so undo can put it back.
            sqlx::query(
                "INSERT INTO import_superseded (import_id, table_name, row_id, data)
                 SELECT ?1, 'products', id, json_object(
                     'title', title, 'description', description, 'price_minor', price_minor,
                     'currency', currency, 'availability', availability, 'link', link,
                     'image_link', image_link, 'brand', brand, 'category', category,
                     'item_group_id', item_group_id, 'import_id', import_id)
                 FROM products WHERE id = ?2 AND (import_id IS NOT ?1)",
            )
            .bind(self.import_id)
            .bind(id)
            .execute(&mut *self.conn)
            .await
            .map_err(db("keeping the previous product"))?;
            let v = row.into_values(id, &p.id, self.import_id);
            let mut q = sqlx::query(
                "UPDATE products SET title = ?3, description = ?4, price_minor = ?5, currency = ?6,
                        availability = ?7, link = ?8, image_link = ?9, brand = ?10, category = ?11,
                        item_group_id = ?12, import_id = ?13
                 WHERE id = ?1 AND external_id = ?2",
            );
            for value in v {
                q = bind(q, value);
            }
            q.execute(&mut *self.conn)
                .await
                .map_err(db("updating a product"))?;
            self.r.count("products updated", 1);
            return Ok(());
        }
        self.r.product_id(&p.id.clone(), || row);
        Ok(())
    }

    // ----- contacts --------------------------------------------------------

    // ----- ad reports ------------------------------------------------------

    async fn campaign(
        &mut self,
        channel: &'static str,
        name: &str,
        external_id: Option<&str>,
        status: Option<&str>,
        budget: Option<&Money>,
        campaign_type: Option<&str>,
    ) -> Result<i64> {
        let by_id = external_id.map(|x| (channel, format!("id:{x}")));
        let by_name = (channel, format!("name:{name}"));
        if let Some(id) = by_id
            .as_ref()
            .and_then(|k| self.campaigns.get(k))
            .or_else(|| self.campaigns.get(&by_name))
        {
            return Ok(*id);
        }
        let status = match status.map(|s| s.trim().to_ascii_lowercase()) {
            Some(s) if s.contains("paus") => "paused",
            Some(s)
                if s.contains("remov")
                    || s.contains("end")
                    || s.contains("complet")
                    || s.contains("delet") =>
            {
                "completed"
            }
            _ => "active",
        };
        let platform = if channel == "google_ads" {
            "Google Ads"
        } else {
            "Meta"
        };
        let id: i64 = sqlx::query_scalar(
            // A report does not say what a campaign is for: its goal is not
            // stated (the column needs one), its type is the platform's own.
            "INSERT INTO campaigns (name, external_id, platform, goal, channel, status,
                 daily_budget_minor, currency, created_at, import_id, campaign_type, goal_stated)
             VALUES (?1, ?2, ?3, 'retargeting', ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0) RETURNING id",
        )
        .bind(name)
        .bind(external_id)
        .bind(platform)
        .bind(channel)
        .bind(status)
        .bind(budget.map(|b| b.minor))
        .bind(budget.and_then(|b| b.currency.clone()))
        .bind(micros(self.now))
        .bind(self.import_id)
        .bind(campaign_type.map(str::trim).filter(|t| !t.is_empty()))
        .fetch_one(&mut *self.conn)
        .await
        .map_err(db("adding a campaign"))?;
        if let Some(k) = by_id {
            self.campaigns.insert(k, id);
        }
        self.campaigns.insert(by_name, id);
        self.r.count("campaigns", 1);
        Ok(id)
    }

    async fn ad_metrics(&mut self, m: CampaignMetrics) -> Result<()> {
        let channel = match m.platform {
            AdPlatform::GoogleAds => "google_ads",
            AdPlatform::Meta => "meta_ads",
        };
        let campaign = self
            .campaign(
                channel,
                &m.campaign,
                m.campaign_id.as_deref(),
                m.status.as_deref(),
                None,
                m.campaign_type.as_deref(),
            )
            .await?;
        let currency = m
            .cost
            .as_ref()
            .and_then(|c| c.currency.clone())
            .or_else(|| m.conversion_value.as_ref().and_then(|c| c.currency.clone()))
            .unwrap_or_else(|| self.r.currency.clone());
        let single_day = m.date.clone().or_else(|| {
            (m.period.start.is_some() && m.period.start == m.period.end)
                .then(|| m.period.start.clone().unwrap_or_default())
        });
        let mut other = serde_json::Map::new();
        for (k, v) in &m.other {
            other.insert(k.clone(), v.clone().into());
        }
        if let Some(t) = &m.campaign_type {
            other.insert("campaign_type".into(), t.clone().into());
        }
        if let Some(c) = &m.ctr {
            other.insert("ctr".into(), serde_json::to_value(c).unwrap_or_default());
        }
        if let Some(s) = &m.search_impression_share {
            other.insert(
                "search_impression_share".into(),
                serde_json::to_value(s).unwrap_or_default(),
            );
        }
        sqlx::query(
            "INSERT INTO ad_metrics (import_id, line, campaign_id, ad_group, ad, age, gender, day,
                 period_start, period_end, period_label, currency, impressions, reach, clicks,
                 cost_minor, conversions, conversion_value_minor, other)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
        )
        .bind(self.import_id)
        .bind(m.line as i64)
        .bind(campaign)
        .bind(&m.ad_group)
        .bind(&m.ad)
        .bind(&m.age)
        .bind(&m.gender)
        .bind(&single_day)
        .bind(&m.period.start)
        .bind(&m.period.end)
        .bind(&m.period.label)
        .bind(&currency)
        .bind(m.impressions)
        .bind(m.reach)
        .bind(m.clicks)
        .bind(m.cost.as_ref().map(|c| c.minor))
        .bind(m.conversions)
        .bind(m.conversion_value.as_ref().map(|c| c.minor))
        .bind(Json::Object(other).to_string())
        .execute(&mut *self.conn)
        .await
        .map_err(db("storing ad metrics"))?;
        self.r.count("ad report rows", 1);
        if let Some(day) = single_day {
            sqlx::query(&format!(
                "INSERT INTO campaign_daily_metrics (campaign_id, day, channel, currency, impressions,
                     reach, clicks, cost_minor, conversions, revenue_minor, import_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (campaign_id, day, channel, import_id) DO UPDATE SET
                     impressions = {impressions}, reach = {reach}, clicks = {clicks},
                     cost_minor = {cost_minor}, conversions = {conversions},
                     revenue_minor = {revenue_minor}",
                // A metric no row of the day reports stays NULL; reach is the
                // day's largest (breakdown rows share their people).
                impressions = null_safe("impressions", "+"),
                reach = null_safe("reach", "max"),
                clicks = null_safe("clicks", "+"),
                cost_minor = null_safe("cost_minor", "+"),
                conversions = null_safe("conversions", "+"),
                revenue_minor = null_safe("revenue_minor", "+"),
            ))
            .bind(campaign)
            .bind(&day)
            .bind(channel)
            .bind(&currency)
            .bind(m.impressions)
            .bind(m.reach)
            .bind(m.clicks)
            .bind(m.cost.as_ref().map(|c| c.minor))
            .bind(m.conversions)
            .bind(m.conversion_value.as_ref().map(|c| c.minor))
            .bind(self.import_id)
            .execute(&mut *self.conn)
            .await
            .map_err(db("storing daily campaign metrics"))?;
        }
        Ok(())
    }

    async fn editor(&mut self, e: EditorEntity) -> Result<()> {
        if e.entity == "campaign" {
            let status = e
                .attributes
                .iter()
                .find(|(k, _)| {
                    k.eq_ignore_ascii_case("Campaign status") || k.eq_ignore_ascii_case("Status")
                })
                .and_then(|(_, v)| v.first().cloned());
            let kind = e
                .attributes
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("Campaign Type"))
                .and_then(|(_, v)| v.first().cloned());
            self.campaign(
                "google_ads",
                &e.campaign,
                None,
                status.as_deref(),
                e.budget.as_ref(),
                kind.as_deref(),
            )
            .await?;
        }
        let data = json!({
            "campaign": e.campaign, "ad_group": e.ad_group, "keyword": e.keyword,
            "budget": e.budget, "attributes": e.attributes.iter().cloned().collect::<BTreeMap<_, _>>(),
        })
        .to_string();
        self.report(
            "google_ads_editor",
            1,
            e.line,
            Some(e.entity.clone()),
            Some(e.campaign.clone()),
            data,
        );
        Ok(())
    }

    fn report(
        &mut self,
        source: &str,
        section: u32,
        line: u64,
        dimension: Option<String>,
        key: Option<String>,
        data: String,
    ) {
        self.report_on(source, section, line, dimension, key, None, data);
    }

    /// A report row about one day (`day`), or about the file's period when `None`.
    #[allow(clippy::too_many_arguments)]
    fn report_on(
        &mut self,
        source: &str,
        section: u32,
        line: u64,
        dimension: Option<String>,
        key: Option<String>,
        day: Option<String>,
        data: String,
    ) {
        self.reports.push([
            self.import_id.into(),
            source.into(),
            i64::from(section).into(),
            (line as i64).into(),
            dimension.into(),
            key.into(),
            day.clone().into(),
            day.into(),
            data.into(),
        ]);
        self.r.count("report rows", 1);
    }

    // ----- A/B files -------------------------------------------------------

    async fn experiment(&mut self, metric: &str) -> Result<i64> {
        if let Some(ab) = &self.ab {
            return Ok(ab.experiment_id);
        }
        let name: String = sqlx::query_scalar("SELECT file_name FROM imports WHERE id = ?1")
            .bind(self.import_id)
            .fetch_one(&mut *self.conn)
            .await
            .map_err(db("naming the experiment"))?;
        let name = name
            .rsplit_once('.')
            .map_or(name.as_str(), |(stem, _)| stem)
            .replace(['_', '-'], " ");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO experiments (name, hypothesis, status, metric, subject_kind, created_at, import_id)
             VALUES (?1, NULL, 'finished', ?2, 'import', ?3, ?4) RETURNING id",
        )
        .bind(name)
        .bind(metric)
        .bind(micros(self.now))
        .bind(self.import_id)
        .fetch_one(&mut *self.conn)
        .await
        .map_err(db("adding the experiment"))?;
        self.ab = Some(AbState {
            experiment_id: id,
            variants: HashMap::new(),
            conversion_metric: None,
            joined: false,
        });
        self.r.count("experiments", 1);
        Ok(id)
    }

    async fn variant(&mut self, name: &str) -> Result<i64> {
        let ab = self.ab.as_ref().expect("experiment first");
        if let Some(id) = ab.variants.get(name) {
            return Ok(*id);
        }
        let experiment = ab.experiment_id;
        let first = ab.variants.is_empty();
        let lower = name.to_ascii_lowercase();
        // The control is the variant named so, else the first one in the file.
        let is_control = lower.contains("control") || (first && !lower.contains("test"));
        let joined = ab.joined.then_some(self.import_id);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO experiment_variants (experiment_id, name, is_control, import_id)
             VALUES (?1, ?2, ?3, ?4) RETURNING id",
        )
        .bind(experiment)
        .bind(name)
        .bind(i64::from(is_control))
        .bind(joined)
        .fetch_one(&mut *self.conn)
        .await
        .map_err(db("adding a variant"))?;
        self.ab
            .as_mut()
            .expect("experiment")
            .variants
            .insert(name.to_string(), id);
        Ok(id)
    }

    async fn ab_person(&mut self, p: rebound_formats::AbPerson) -> Result<()> {
        if self.ab.is_none() {
            let conversion = match &self.chosen_conversion {
                Some(chosen) => Some(
                    p.metrics
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(chosen.trim()))
                        .map(|(k, _)| k.clone())
                        .ok_or_else(|| {
                            let columns: Vec<&str> =
                                p.metrics.iter().map(|(k, _)| k.as_str()).collect();
                            Error::InvalidInput(format!(
                                "line {}: there is no column {chosen:?} to count as the conversion; the outcome columns are {}",
                                p.line,
                                columns.join(", ")
                            ))
                        })?,
                ),
                None => p
                    .metrics
                    .iter()
                    .find(|(k, v)| {
                        (*v == 0.0 || *v == 1.0) && !k.to_ascii_lowercase().contains("sum")
                    })
                    .map(|(k, _)| k.clone()),
            };
            self.experiment(if conversion.is_some() {
                "conversion"
            } else {
                "mean"
            })
            .await?;
            let experiment = self.ab.as_ref().expect("experiment").experiment_id;
            sqlx::query(
                "UPDATE experiments SET unit_label = 'people', conversion_label = ?2 WHERE id = ?1",
            )
            .bind(experiment)
            .bind(conversion.as_deref())
            .execute(&mut *self.conn)
            .await
            .map_err(db("naming the experiment's outcome"))?;
            self.ab.as_mut().expect("experiment").conversion_metric = conversion;
        }
        let variant = self.variant(&p.variant).await?;
        let metric = self.ab.as_ref().and_then(|a| a.conversion_metric.clone());
        let converted = metric
            .and_then(|m| p.metrics.iter().find(|(k, _)| *k == m).map(|(_, v)| *v))
            .is_some_and(|v| v >= 1.0);
        let metrics: serde_json::Map<String, Json> = p
            .metrics
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        self.exposures.push([
            variant.into(),
            p.timestamp_micros
                .unwrap_or_else(|| micros(self.now))
                .into(),
            i64::from(converted).into(),
            Value::Null,
            p.unit_id.clone().into(),
            Json::Object(metrics).to_string().into(),
        ]);
        self.r.count("exposures", 1);
        Ok(())
    }

    /// The experiment an aggregate file's first row joins: the other arm's,
    /// when an earlier A/B totals file is its pair (see [`pair_stem`]) with
    /// the same columns and one variant that is not this one; else a new one.
    async fn aggregate_experiment(&mut self, first: &rebound_formats::AbAggregate) -> Result<()> {
        let this: String = sqlx::query_scalar("SELECT file_name FROM imports WHERE id = ?1")
            .bind(self.import_id)
            .fetch_one(&mut *self.conn)
            .await
            .map_err(db("naming the experiment"))?;
        let stem = pair_stem(&this);
        let columns: std::collections::BTreeSet<&str> =
            first.metrics.iter().map(|(k, _)| k.as_str()).collect();
        let candidates: Vec<(i64, String, Option<String>)> = sqlx::query_as(
            "SELECT e.id, i.file_name,
                    (SELECT r.data FROM report_rows r WHERE r.import_id = i.id AND r.source = 'ab_aggregate' LIMIT 1)
             FROM experiments e JOIN imports i ON i.id = e.import_id
             WHERE e.subject_kind = 'import' AND i.format = 'ab_aggregate' AND i.status = 'complete'
               AND (SELECT count(*) FROM experiment_variants v WHERE v.experiment_id = e.id) = 1
               AND NOT EXISTS (SELECT 1 FROM experiment_variants v WHERE v.experiment_id = e.id AND v.name = ?1)
             ORDER BY e.id DESC",
        )
        .bind(&first.variant)
        .fetch_all(&mut *self.conn)
        .await
        .map_err(db("looking for the other arm of the test"))?;
        let partner = candidates.into_iter().find(|(_, file, data)| {
            let same_columns = data
                .as_deref()
                .and_then(|d| serde_json::from_str::<Json>(d).ok())
                .and_then(|d| {
                    d.get("metrics").and_then(Json::as_object).map(|m| {
                        m.keys()
                            .map(String::as_str)
                            .collect::<std::collections::BTreeSet<_>>()
                            == columns
                    })
                })
                .unwrap_or(false);
            !stem.is_empty() && pair_stem(file) == stem && same_columns
        });
        let Some((id, _, _)) = partner else {
            return self.experiment("conversion").await.map(|_| ());
        };
        // Named by its arms, the control first: "Control Campaign vs Test Campaign".
        let other: String =
            sqlx::query_scalar("SELECT name FROM experiment_variants WHERE experiment_id = ?1")
                .bind(id)
                .fetch_one(&mut *self.conn)
                .await
                .map_err(db("naming the paired experiment"))?;
        let this_is_control = first.variant.to_lowercase().contains("control");
        let (a, b) = if this_is_control {
            (first.variant.as_str(), other.as_str())
        } else {
            (other.as_str(), first.variant.as_str())
        };
        sqlx::query("UPDATE experiments SET name = ?2 WHERE id = ?1")
            .bind(id)
            .bind(format!("{a} vs {b}"))
            .execute(&mut *self.conn)
            .await
            .map_err(db("naming the paired experiment"))?;
        self.ab = Some(AbState {
            experiment_id: id,
            variants: HashMap::new(),
            conversion_metric: None,
            joined: true,
        });
        Ok(())
    }

    async fn ab_aggregate(&mut self, a: rebound_formats::AbAggregate) -> Result<()> {
        let first = self.ab.is_none();
        if first {
            self.aggregate_experiment(&a).await?;
        }
        let variant = self.variant(&a.variant).await?;
        // The first of `names` (most telling first) the file has.
        let get = |names: &[&str]| {
            names.iter().find_map(|n| {
                a.metrics
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(n))
                    .map(|(_, v)| (n.to_string(), *v))
            })
        };
        let n = get(&UNIT_COLUMNS);
        let conversions = get(&CONVERSION_COLUMNS);
        if first {
            // The units and the conversion are named as the file names them.
            let experiment = self.ab.as_ref().expect("experiment").experiment_id;
            sqlx::query(
                "UPDATE experiments SET unit_label = coalesce(unit_label, ?2),
                                        conversion_label = coalesce(conversion_label, ?3)
                 WHERE id = ?1",
            )
            .bind(experiment)
            .bind(n.as_ref().map(|(k, _)| k.clone()))
            .bind(conversions.as_ref().map(|(k, _)| k.clone()))
            .execute(&mut *self.conn)
            .await
            .map_err(db("naming the experiment's units"))?;
        }
        let (n, conversions) = (n.map(|(_, v)| v), conversions.map(|(_, v)| v));
        sqlx::query(
            "UPDATE experiment_variants SET n = coalesce(n, 0) + ?2, conversions = coalesce(conversions, 0) + ?3
             WHERE id = ?1",
        )
        .bind(variant)
        .bind(n.unwrap_or(0))
        .bind(conversions.unwrap_or(0))
        .execute(&mut *self.conn)
        .await
        .map_err(db("adding variant totals"))?;
        let data = json!({
            "spend": a.spend,
            "metrics": a.metrics.iter().cloned().collect::<BTreeMap<_, _>>(),
        })
        .to_string();
        self.report_on(
            "ab_aggregate",
            1,
            a.line,
            Some("variant".into()),
            Some(a.variant.clone()),
            a.date.clone(),
            data,
        );
        Ok(())
    }

    // ----- writing ---------------------------------------------------------

    /// Writes parents before children, so foreign keys hold at every statement.
    async fn flush_all(&mut self) -> Result<()> {
        self.r.rows.write(self.conn).await?;
        self.reports.write(self.conn).await?;
        self.exposures.write(self.conn).await?;
        Ok(())
    }

    async fn flush_full(&mut self) -> Result<()> {
        if self.r.rows.is_full() {
            self.r.rows.write(self.conn).await?;
        }
        if self.exposures.is_full() {
            self.r.rows.write(self.conn).await?;
            self.exposures.write(self.conn).await?;
        }
        if self.reports.is_full() {
            self.reports.write(self.conn).await?;
        }
        Ok(())
    }

    /// Writes what is buffered and finishes derived rows: report periods,
    /// people's first and last seen times, variant totals.
    pub async fn finish(mut self, summary: &ParseSummary) -> Result<Written> {
        self.flush_all().await?;
        // The id maps are done with; give their memory back before sorting.
        self.r.ids = Default::default();
        self.r.products = FxHashMap::default();
        let deferred = std::mem::take(&mut self.deferred_indexes);
        if !deferred.is_empty() {
            // SQLite sorts an index build in up to cache_size of memory on
            // top of the cache itself; a smaller cache keeps the peak low
            // and the sort spills to a temporary file instead.
            let cache = |kib: i64| format!("PRAGMA cache_size = -{kib}");
            sqlx::query(&cache(INDEX_BUILD_CACHE_KIB))
                .execute(&mut *self.conn)
                .await
                .map_err(db("preparing to index"))?;
            for sql in &deferred {
                sqlx::query(sql)
                    .execute(&mut *self.conn)
                    .await
                    .map_err(db("indexing the events"))?;
            }
            sqlx::query(&cache(crate::store::CACHE_KIB))
                .execute(&mut *self.conn)
                .await
                .map_err(db("finishing the index"))?;
        }
        for section in &summary.meta.sections {
            sqlx::query(
                "UPDATE report_rows SET period_start = ?3, period_end = ?4
                 WHERE import_id = ?1 AND section = ?2",
            )
            .bind(self.import_id)
            .bind(i64::from(section.number))
            .bind(&section.period.start)
            .bind(&section.period.end)
            .execute(&mut *self.conn)
            .await
            .map_err(db("dating report rows"))?;
        }
        if let Some(period) = &summary.meta.period {
            sqlx::query(
                "UPDATE report_rows SET period_start = ?2, period_end = ?3
                 WHERE import_id = ?1 AND period_start IS NULL",
            )
            .bind(self.import_id)
            .bind(&period.start)
            .bind(&period.end)
            .execute(&mut *self.conn)
            .await
            .map_err(db("dating report rows"))?;
        }
        tracing::debug!("import: event indexes rebuilt");
        let events_after: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM events")
            .fetch_one(&mut *self.conn)
            .await
            .map_err(db("reading events"))?;
        let event_ids =
            (events_after > self.events_before).then_some((self.events_before + 1, events_after));
        if event_ids.is_some() {
            sqlx::query(
                "UPDATE people SET
                     first_seen_at = (SELECT min(ts) FROM events e WHERE e.person_id = people.id),
                     last_seen_at = (SELECT max(ts) FROM events e WHERE e.person_id = people.id)
                 WHERE import_id = ?1",
            )
            .bind(self.import_id)
            .execute(&mut *self.conn)
            .await
            .map_err(db("dating people"))?;
        }
        if let Some(ab) = &self.ab {
            sqlx::query(
                "UPDATE experiment_variants SET
                     n = coalesce((SELECT count(*) FROM experiment_exposures x WHERE x.variant_id = experiment_variants.id), n),
                     conversions = coalesce((SELECT sum(converted) FROM experiment_exposures x WHERE x.variant_id = experiment_variants.id), conversions)
                 WHERE experiment_id = ?1
                   AND EXISTS (SELECT 1 FROM experiment_exposures x WHERE x.variant_id = experiment_variants.id)",
            )
            .bind(ab.experiment_id)
            .execute(&mut *self.conn)
            .await
            .map_err(db("totalling variants"))?;
            if ab.variants.len() >= 2
                && !ab
                    .variants
                    .keys()
                    .any(|v| v.to_ascii_lowercase().contains("control"))
            {
                // Without a variant named control, the first one in the file is.
                sqlx::query(
                    "UPDATE experiment_variants SET is_control = (id = (SELECT min(id) FROM experiment_variants WHERE experiment_id = ?1))
                     WHERE experiment_id = ?1",
                )
                .bind(ab.experiment_id)
                .execute(&mut *self.conn)
                .await
                .map_err(db("choosing the control"))?;
            }
        }
        Ok(Written {
            stored: self
                .r
                .counts
                .iter()
                .map(|(what, count)| StoredCount {
                    what: what.to_string(),
                    count: *count,
                })
                .collect(),
            rows_rejected: self.r.rejected,
            rejections: self.r.rejections,
            event_ids,
        })
    }
}

/// `column` combined with `excluded.column` by `op` (`+` or `max`), NULL
/// only when both are: a metric a report row does not give is not a zero.
fn null_safe(column: &str, op: &str) -> String {
    let (a, b) = (
        format!("coalesce({column}, excluded.{column})"),
        format!("coalesce(excluded.{column}, {column})"),
    );
    match op {
        "max" => format!("max({a}, {b})"),
        _ => format!(
            "CASE WHEN {column} IS NULL THEN excluded.{column} \
             WHEN excluded.{column} IS NULL THEN {column} ELSE {column} + excluded.{column} END"
        ),
    }
}

fn bind<'q>(
    q: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    value: Value,
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>> {
    match value {
        Value::Null => q.bind(None::<i64>),
        Value::Int(v) => q.bind(v),
        Value::Real(v) => q.bind(v),
        Value::Text(v) => q.bind(v),
        Value::Shared(v) => q.bind(v.to_string()),
    }
}

/// Ids to people, compact enough for millions of ids: ids written as plain
/// decimal numbers (most platforms' user and visitor ids) are kept as `u64`,
/// others as text. "0042" is text, so it never meets "42".
#[derive(Default)]
struct IdMap {
    numbers: FxHashMap<u64, i64>,
    texts: FxHashMap<Box<str>, i64>,
}

impl IdMap {
    fn number(id: &str) -> Option<u64> {
        let canonical = !id.is_empty()
            && id.len() <= 19
            && id.bytes().all(|b| b.is_ascii_digit())
            && (id == "0" || !id.starts_with('0'));
        canonical.then(|| id.parse().ok()).flatten()
    }

    fn get(&self, id: &str) -> Option<i64> {
        match Self::number(id) {
            Some(n) => self.numbers.get(&n).copied(),
            None => self.texts.get(id).copied(),
        }
    }

    fn insert(&mut self, id: &str, person: i64) {
        match Self::number(id) {
            Some(n) => self.numbers.insert(n, person),
            None => self.texts.insert(id.into(), person),
        };
    }
}

/// A flat JSON object of text values, written straight into a string.
#[derive(Default)]
struct JsonObject(String);

impl JsonObject {
    fn add(&mut self, key: &str, value: Option<&str>) {
        let Some(value) = value else { return };
        self.0.push(if self.0.is_empty() { '{' } else { ',' });
        self.0.push('"');
        self.0.push_str(key);
        self.0.push_str("\":");
        self.0
            .push_str(&serde_json::to_string(value).expect("a string serialises"));
    }

    fn finish(mut self) -> Option<String> {
        (!self.0.is_empty()).then(|| {
            self.0.push('}');
            self.0
        })
    }
}

/// A device category as the `devices` table keeps it: GA4 and most logs write
/// desktop, mobile and tablet; anything else (smart TV, console) is "other".
fn device_category(written: &str) -> &'static str {
    match written.to_lowercase().as_str() {
        "desktop" | "computer" | "pc" | "laptop" => "desktop",
        "mobile" | "phone" | "smartphone" | "mobile phone" => "mobile",
        "tablet" => "tablet",
        _ => "other",
    }
}

fn product_title(brand: Option<&str>, category: Option<&str>, id: &str) -> String {
    let category = category.map(|c| c.rsplit('.').next().unwrap_or(c).replace('_', " "));
    match (brand, category) {
        (Some(b), Some(c)) => format!("{b} {c}"),
        (Some(b), None) => format!("{b} product {id}"),
        (None, Some(c)) => format!("{c} {id}"),
        (None, None) => format!("Product {id}"),
    }
}

/// A product's columns besides its ids.
#[derive(Default)]
struct ProductRow {
    title: String,
    description: Option<String>,
    price: Option<Money>,
    availability: Option<Availability>,
    link: Option<String>,
    image_link: Option<String>,
    brand: Option<String>,
    category: Option<String>,
    item_group_id: Option<String>,
}

impl ProductRow {
    fn into_values(self, id: i64, external: &str, import_id: i64) -> [Value; 13] {
        let availability = self.availability.and_then(|a| match a {
            Availability::InStock => Some("in_stock"),
            Availability::OutOfStock => Some("out_of_stock"),
            Availability::Preorder => Some("preorder"),
            Availability::Backorder => Some("backorder"),
            Availability::Other(_) => None,
        });
        [
            id.into(),
            external.into(),
            self.title.into(),
            self.description.into(),
            self.price.as_ref().map(|p| p.minor).into(),
            self.price.and_then(|p| p.currency).into(),
            availability.into(),
            self.link.into(),
            self.image_link.into(),
            self.brand.into(),
            self.category.into(),
            self.item_group_id.into(),
            import_id.into(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_map_keeps_numeric_and_text_ids_apart_exactly() {
        let mut m = IdMap::default();
        m.insert("541312140", 1);
        m.insert("0541312140", 2);
        m.insert("9223372036854775807", 3);
        m.insert("99999999999999999999", 4);
        m.insert("abc", 5);
        assert_eq!(m.get("541312140"), Some(1));
        assert_eq!(m.get("0541312140"), Some(2));
        assert_eq!(m.get("9223372036854775807"), Some(3));
        assert_eq!(m.get("99999999999999999999"), Some(4));
        assert_eq!(m.get("abc"), Some(5));
        assert_eq!(m.get("0"), None);
        assert_eq!(m.numbers.len(), 2);
        assert_eq!(m.texts.len(), 3);
    }

    #[test]
    fn emails_are_hashed_trimmed_and_lower_case() {
        assert_eq!(
            email_sha256(" Jo@Example.com "),
            email_sha256("jo@example.com")
        );
        assert_eq!(
            phone_sha256("+1 (555) 010-9999"),
            phone_sha256("+15550109999")
        );
        assert_eq!(phone_sha256("12"), None);
    }
}
