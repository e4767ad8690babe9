//! Turns parsed records into workspace rows, inside the import's transaction.
//! Who is who is [`crate::identity`]'s; the rows of A/B files are
//! `rebound-experiments`' ([`AbRows`]); the columns of people, ids, devices
//! and events are `rebound_core::schema`'s, shared with the demo.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use chrono::{DateTime, Utc};
use rebound_formats::{
    AdPlatform, Availability, CampaignMetrics, Channel, Contact, EditorEntity, Event, Money, Order,
    ParseSummary, Product, Record, Rejection,
};
use serde_json::{json, Value as Json};
use sqlx::{Row as _, SqliteConnection};

use super::{micros, StoredCount};
use crate::identity::{email_sha256, phone_sha256, IdKind, Identities};
use rebound_core::bulk::{Batch, Value};
use rebound_core::schema::{ConsentRow, DeviceRow, EventRow, IdentityRow, PersonRow, ProductRow};
use rebound_core::{Error, Result};
use rebound_experiments::ab_rows::AbRows;

/// Page cache while rebuilding event indexes, KiB.
const INDEX_BUILD_CACHE_KIB: i64 = 16_384;

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

/// What the writer stored, for the history row.
pub(crate) struct Written {
    pub stored: Vec<StoredCount>,
    pub rows_rejected: u64,
    pub rejections: Vec<Rejection>,
    pub event_ids: Option<(i64, i64)>,
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
            people: PersonRow::batch(),
            identities: IdentityRow::batch(),
            devices: DeviceRow::batch(),
            products: ProductRow::batch(),
            events: EventRow::batch(),
            consent: ConsentRow::batch(),
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
    identities: Identities,
    products: FxHashMap<Box<str>, i64>,
    /// Devices by their external id (see [`Resolver::device_id`]).
    devices: FxHashMap<Box<str>, i64>,
    /// Event names and currencies, shared by every row that has them.
    interned: FxHashMap<Box<str>, Arc<str>>,
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
        let person = match self.identities.find(ids) {
            Some(p) => p,
            None => {
                let id = self.identities.new_person();
                let email = ids
                    .iter()
                    .find(|(k, _)| *k == IdKind::EmailSha256)
                    .map(|(_, v)| v.to_string());
                PersonRow {
                    id,
                    import_id: self.import_id,
                    first_name: name.0.map(str::to_string),
                    last_name: name.1.map(str::to_string),
                    email_sha256: email,
                    first_seen_at: first_seen,
                    properties: "{}".into(),
                    ..PersonRow::default()
                }
                .push(&mut self.rows.people);
                self.count("people", 1);
                id
            }
        };
        for (kind, value) in ids {
            if self.identities.attach(*kind, value, person) {
                IdentityRow {
                    id: None,
                    person_id: person,
                    kind: kind.name(),
                    value,
                    first_seen_at: first_seen,
                    import_id: self.import_id,
                }
                .push(&mut self.rows.identities);
                self.count("identities", 1);
            }
        }
        person
    }
    fn product_id(&mut self, external: &str, make: impl FnOnce() -> ProductFields) -> i64 {
        if let Some(&id) = self.products.get(external) {
            return id;
        }
        let id = self.next_product;
        self.next_product += 1;
        self.products.insert(external.into(), id);
        make()
            .into_row(id, external, self.import_id)
            .push(&mut self.rows.products);
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
        DeviceRow {
            id,
            person_id: person,
            external_id: key.clone(),
            category,
            os: os.map(str::to_string),
            browser: browser.map(str::to_string),
            first_seen_at: e.timestamp_micros,
            import_id: self.import_id,
        }
        .push(&mut self.rows.devices);
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
            self.product_id(pid, || ProductFields {
                title,
                brand,
                category,
                price,
                ..ProductFields::default()
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
                    self.product_id(id, || ProductFields {
                        title,
                        brand,
                        category,
                        price,
                        ..ProductFields::default()
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
        EventRow {
            person_id: person,
            ts: e.timestamp_micros,
            name,
            session_id: None,
            device_id: device,
            product_id: product,
            page: e.page.clone(),
            source: e.source.clone(),
            quantity,
            value_minor: value,
            currency,
            order_id: e.transaction_id.clone(),
            campaign_id: None,
            import_id: self.import_id,
            properties: props,
        }
        .push(&mut self.rows.events);
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
            ConsentRow {
                id: None,
                person_id: person,
                channel: "email",
                granted: accepts,
                lawful_basis: "consent",
                source: format!("Shopify order {}", o.name),
                recorded_at: at,
                import_id: self.import_id,
            }
            .push(&mut self.rows.consent);
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
            let product = self.product_id(&external, || ProductFields {
                title,
                brand,
                price,
                ..ProductFields::default()
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
            EventRow {
                person_id: person,
                ts: at,
                name: "purchase".into(),
                session_id: None,
                device_id: None,
                product_id: Some(product),
                page: None,
                source: o.source.clone(),
                quantity: Some(item.quantity),
                value_minor: value,
                currency: line_currency.into(),
                order_id: Some(o.name.clone()),
                campaign_id: None,
                import_id: self.import_id,
                properties: Some(props.clone()),
            }
            .push(&mut self.rows.events);
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
            ConsentRow {
                id: None,
                person_id: person,
                channel,
                granted: consent.granted,
                lawful_basis: "consent",
                source: format!("contact list, column {}", consent.column),
                recorded_at: now,
                import_id: self.import_id,
            }
            .push(&mut self.rows.consent);
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
    ab: AbRows,
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
        let identities = Identities::load(&mut *conn).await?;
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
                identities,
                products,
                devices,
                interned: FxHashMap::default(),
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
            ab: AbRows::new(import_id, micros(now)),
            deferred_indexes,
        })
    }

    /// Hands the resolver to the thread that parses an event log, so ids are
    /// resolved and rows built there; [`Writer::write_rows`] writes what it
    /// sends and [`Writer::return_resolver`] takes it back at the end.
    pub fn lend_resolver(&mut self) -> Resolver {
        let placeholder = Resolver {
            import_id: self.import_id,
            currency: self.r.currency.clone(),
            now: self.now,
            identities: Identities::default(),
            products: FxHashMap::default(),
            devices: FxHashMap::default(),
            interned: FxHashMap::default(),
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
            Record::AbPerson(p) => self.ab.person(self.conn, p).await?,
            Record::AbAggregate(a) => {
                let row = self.ab.aggregate(self.conn, a).await?;
                self.report_on(
                    "ab_aggregate",
                    1,
                    row.line,
                    Some("variant".into()),
                    Some(row.variant),
                    row.day,
                    row.data,
                );
            }
        }
        self.flush_full().await
    }

    // ----- people and ids -------------------------------------------------

    // ----- events ----------------------------------------------------------

    // ----- orders ----------------------------------------------------------

    // ----- catalogue -------------------------------------------------------

    async fn product(&mut self, p: Product) -> Result<()> {
        let row = ProductFields {
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
            let v = row.into_row(id, &p.id, self.import_id).values();
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

    // ----- writing ---------------------------------------------------------

    /// Writes parents before children, so foreign keys hold at every statement.
    async fn flush_all(&mut self) -> Result<()> {
        self.r.rows.write(self.conn).await?;
        self.reports.write(self.conn).await?;
        self.ab.write(self.conn).await?;
        Ok(())
    }

    async fn flush_full(&mut self) -> Result<()> {
        if self.r.rows.is_full() {
            self.r.rows.write(self.conn).await?;
        }
        if self.ab.is_full() {
            self.r.rows.write(self.conn).await?;
            self.ab.write(self.conn).await?;
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
        self.r.identities.release();
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
            sqlx::query(&cache(rebound_core::store::CACHE_KIB))
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
        self.ab.finish(self.conn).await?;
        for (what, n) in self.ab.counts() {
            if n > 0 {
                self.r.count(what, n);
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
struct ProductFields {
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

impl ProductFields {
    fn into_row(self, id: i64, external: &str, import_id: i64) -> ProductRow {
        let availability = self.availability.and_then(|a| match a {
            Availability::InStock => Some("in_stock"),
            Availability::OutOfStock => Some("out_of_stock"),
            Availability::Preorder => Some("preorder"),
            Availability::Backorder => Some("backorder"),
            Availability::Other(_) => None,
        });
        ProductRow {
            id,
            external_id: external.to_string(),
            title: self.title,
            description: self.description,
            price_minor: self.price.as_ref().map(|p| p.minor),
            currency: self.price.and_then(|p| p.currency),
            availability,
            link: self.link,
            image_link: self.image_link,
            brand: self.brand,
            category: self.category,
            item_group_id: self.item_group_id,
            import_id,
        }
    }
}
