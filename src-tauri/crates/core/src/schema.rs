//! The one description of the rows the importer and the demo both write:
//! `people`, `identities`, `devices` and `events`. Each row type names its
//! table's columns once and turns itself into a [`Batch`] row in that order,
//! so the two writers cannot disagree on a column (the migrations in
//! `migrations/` are the tables themselves). A column a writer does not know
//! is `None`, stored as NULL.

use crate::bulk::{Batch, Value};

/// A row of `people`. `first_seen_at` and `last_seen_at` are microseconds
/// since the Unix epoch; the importer leaves `last_seen_at` to be worked out
/// from the person's events once the file is in.
#[derive(Debug, Default)]
pub struct PersonRow {
    pub id: i64,
    pub import_id: i64,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email_sha256: Option<String>,
    pub country: Option<String>,
    pub time_zone: Option<String>,
    pub locale: Option<String>,
    pub first_seen_at: Option<i64>,
    pub last_seen_at: Option<i64>,
    /// A JSON object.
    pub properties: String,
}

impl PersonRow {
    pub const COLUMNS: &'static [&'static str] = &[
        "id",
        "import_id",
        "first_name",
        "last_name",
        "email_sha256",
        "country",
        "time_zone",
        "locale",
        "first_seen_at",
        "last_seen_at",
        "properties",
    ];

    pub fn batch() -> Batch {
        Batch::new("people", Self::COLUMNS)
    }

    pub fn push(self, batch: &mut Batch) {
        batch.push([
            self.id.into(),
            self.import_id.into(),
            self.first_name.into(),
            self.last_name.into(),
            self.email_sha256.into(),
            self.country.into(),
            self.time_zone.into(),
            self.locale.into(),
            self.first_seen_at.into(),
            self.last_seen_at.into(),
            self.properties.into(),
        ]);
    }
}

/// A row of `identities`: one id a person is known by. `kind` is one of
/// `user_id`, `email_sha256`, `phone_sha256`, `customer_id`, `visitor_id`.
/// Without an `id`, SQLite numbers the row.
#[derive(Debug)]
pub struct IdentityRow<'a> {
    pub id: Option<i64>,
    pub person_id: i64,
    pub kind: &'static str,
    pub value: &'a str,
    pub first_seen_at: Option<i64>,
    pub import_id: i64,
}

impl IdentityRow<'_> {
    pub const COLUMNS: &'static [&'static str] = &[
        "id",
        "person_id",
        "kind",
        "value",
        "first_seen_at",
        "import_id",
    ];

    pub fn batch() -> Batch {
        Batch::new("identities", Self::COLUMNS)
    }

    pub fn push(self, batch: &mut Batch) {
        batch.push([
            self.id.into(),
            self.person_id.into(),
            self.kind.into(),
            self.value.into(),
            self.first_seen_at.into(),
            self.import_id.into(),
        ]);
    }
}

/// A row of `devices`: a browser or app a person was seen on.
#[derive(Debug)]
pub struct DeviceRow {
    pub id: i64,
    pub person_id: i64,
    pub external_id: String,
    /// `desktop`, `mobile`, `tablet`, ...
    pub category: &'static str,
    pub os: Option<String>,
    pub browser: Option<String>,
    pub first_seen_at: i64,
    pub import_id: i64,
}

impl DeviceRow {
    pub const COLUMNS: &'static [&'static str] = &[
        "id",
        "person_id",
        "external_id",
        "category",
        "os",
        "browser",
        "first_seen_at",
        "import_id",
    ];

    pub fn batch() -> Batch {
        Batch::new("devices", Self::COLUMNS)
    }

    pub fn push(self, batch: &mut Batch) {
        batch.push([
            self.id.into(),
            self.person_id.into(),
            self.external_id.into(),
            self.category.into(),
            self.os.into(),
            self.browser.into(),
            self.first_seen_at.into(),
            self.import_id.into(),
        ]);
    }
}

/// A row of `events`. `name` and `currency` are text; the importer passes
/// them as [`Value::Shared`] so millions of rows share one copy of each.
/// `value_minor` is integer minor units of `currency` (see `money`).
#[derive(Debug)]
pub struct EventRow {
    pub person_id: i64,
    /// Microseconds since the Unix epoch.
    pub ts: i64,
    pub name: Value,
    pub session_id: Option<i64>,
    pub device_id: Option<i64>,
    pub product_id: Option<i64>,
    pub page: Option<String>,
    pub source: Option<String>,
    pub quantity: Option<i64>,
    pub value_minor: Option<i64>,
    pub currency: Value,
    pub order_id: Option<String>,
    pub campaign_id: Option<i64>,
    pub import_id: i64,
    /// A JSON object, or `None` for none.
    pub properties: Option<String>,
}

impl EventRow {
    pub const COLUMNS: &'static [&'static str] = &[
        "person_id",
        "ts",
        "name",
        "session_id",
        "device_id",
        "product_id",
        "page",
        "source",
        "quantity",
        "value_minor",
        "currency",
        "order_id",
        "campaign_id",
        "import_id",
        "properties",
    ];

    pub fn batch() -> Batch {
        Batch::new("events", Self::COLUMNS)
    }

    pub fn push(self, batch: &mut Batch) {
        batch.push([
            self.person_id.into(),
            self.ts.into(),
            self.name,
            self.session_id.into(),
            self.device_id.into(),
            self.product_id.into(),
            self.page.into(),
            self.source.into(),
            self.quantity.into(),
            self.value_minor.into(),
            self.currency,
            self.order_id.into(),
            self.campaign_id.into(),
            self.import_id.into(),
            self.properties.into(),
        ]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every column named here exists in the migrated workspace, so a typo
    /// or a renamed column fails here rather than in the middle of an import.
    #[tokio::test]
    async fn every_described_column_is_in_the_migrated_tables() {
        let dir = tempfile::tempdir().unwrap();
        let ws = crate::Workspace::create(&dir.path().join("w.rebound"))
            .await
            .unwrap();
        for (table, columns) in [
            ("people", PersonRow::COLUMNS),
            ("identities", IdentityRow::COLUMNS),
            ("devices", DeviceRow::COLUMNS),
            ("events", EventRow::COLUMNS),
        ] {
            let names: Vec<String> =
                sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
                    .fetch_all(ws.pool())
                    .await
                    .unwrap();
            for column in columns {
                assert!(
                    names.iter().any(|n| n == column),
                    "{table}.{column} is not in the schema: {names:?}"
                );
            }
        }
    }
}

/// A row of `products`: one item of the catalog. `availability` is one of
/// `in_stock`, `out_of_stock`, `preorder`, `backorder`, or `None`; the price
/// is minor units of `currency`.
#[derive(Debug, Default)]
pub struct ProductRow {
    pub id: i64,
    pub external_id: String,
    pub title: String,
    pub description: Option<String>,
    pub price_minor: Option<i64>,
    pub currency: Option<String>,
    pub availability: Option<&'static str>,
    pub link: Option<String>,
    pub image_link: Option<String>,
    pub brand: Option<String>,
    pub category: Option<String>,
    pub item_group_id: Option<String>,
    pub import_id: i64,
}

impl ProductRow {
    pub const COLUMNS: &'static [&'static str] = &[
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

    pub fn batch() -> Batch {
        Batch::new("products", Self::COLUMNS)
    }

    /// The row's values in [`Self::COLUMNS`] order.
    pub fn values(self) -> [Value; 13] {
        [
            self.id.into(),
            self.external_id.into(),
            self.title.into(),
            self.description.into(),
            self.price_minor.into(),
            self.currency.into(),
            self.availability.into(),
            self.link.into(),
            self.image_link.into(),
            self.brand.into(),
            self.category.into(),
            self.item_group_id.into(),
            self.import_id.into(),
        ]
    }

    pub fn push(self, batch: &mut Batch) {
        batch.push(self.values());
    }
}

/// A row of the `consent` ledger: a person's yes or no for one channel
/// (`email`, `sms`, `push`, `ads`), on a lawful basis, from a source, at a
/// time (microseconds since the Unix epoch). Without an `id`, SQLite numbers
/// the row.
#[derive(Debug)]
pub struct ConsentRow {
    pub id: Option<i64>,
    pub person_id: i64,
    pub channel: &'static str,
    pub granted: bool,
    pub lawful_basis: &'static str,
    pub source: String,
    pub recorded_at: i64,
    pub import_id: i64,
}

impl ConsentRow {
    pub const COLUMNS: &'static [&'static str] = &[
        "id",
        "person_id",
        "channel",
        "status",
        "lawful_basis",
        "source",
        "recorded_at",
        "import_id",
    ];

    pub fn batch() -> Batch {
        Batch::new("consent", Self::COLUMNS)
    }

    pub fn push(self, batch: &mut Batch) {
        batch.push([
            self.id.into(),
            self.person_id.into(),
            self.channel.into(),
            if self.granted { "granted" } else { "denied" }.into(),
            self.lawful_basis.into(),
            self.source.into(),
            self.recorded_at.into(),
            self.import_id.into(),
        ]);
    }
}
