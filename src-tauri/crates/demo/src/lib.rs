//! Demo data: a deterministic, realistic workspace for a camera and
//! creator-gear shop that also sells a photo-editing subscription.
//!
//! The same options (people, seed, end date) always give the same rows. The
//! generator walks person by person: devices and ids (so identity stitching
//! has something to stitch), browsing sessions with product views, carts,
//! checkouts and purchases, pricing-page visits and trials, then what
//! marketing did to them: cart e-mails (with a finished subject-line A/B
//! test), trial nurture e-mails, a newsletter, retargeting ad clicks and an
//! SMS win-back. Campaign daily metrics are derived from those events, so the
//! dashboard's figures agree with the event log.
//!
//! Everything is written in one transaction: a cancel or a crash leaves the
//! workspace as it was.

mod catalog;
mod people;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use rand::distributions::WeightedIndex;
use rand::prelude::*;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;
use ts_rs::TS;

use rebound_core::bulk::{Batch, Value};
use rebound_core::progress::{CancelToken, Progress};
use rebound_core::schema::{ConsentRow, DeviceRow, EventRow, IdentityRow, PersonRow, ProductRow};
use rebound_core::store::Workspace;
use rebound_core::time::Clock;
use rebound_core::{Error, Result};

use catalog::{CATEGORIES, OUT_OF_STOCK, SOFTWARE};

/// Days of history a demo workspace covers, ending on `end_date`.
pub const HISTORY_DAYS: i64 = 90;
/// The demo shop's default currency.
pub const CURRENCY: &str = "USD";

/// An amount set in US cents, in minor units of `currency` at `dollar_rate`.
fn in_currency(usd_cents: f64, dollar_rate: f64, currency: &str) -> i64 {
    rebound_core::money::to_minor(
        rebound_core::money::minor_f64_to_major(usd_cents, CURRENCY) * dollar_rate,
        currency,
    )
}

/// The currencies a demo shop can sell in, with what a US dollar buys in each
/// (round 2026 figures: the shop's prices, budgets and bids are set in
/// dollars and shown at these rates, so a yen shop charges ¥3,000 where the
/// dollar one charges $20).
pub const CURRENCIES: &[(&str, f64)] = &[
    ("USD", 1.0),
    ("EUR", 0.92),
    ("GBP", 0.79),
    ("JPY", 150.0),
    ("KRW", 1350.0),
    ("HUF", 360.0),
    ("KWD", 0.31),
];
pub const MAX_PEOPLE: u32 = 5_000_000;

const SECOND: i64 = 1_000_000;
const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    pub people: u32,
    pub seed: u64,
    /// Last day of the history (inclusive), in UTC.
    pub end_date: NaiveDate,
    /// The ISO 4217 currency the shop sells in, one of [`CURRENCIES`].
    pub currency: String,
}

impl DemoOptions {
    /// A demo of `people` with `seed` up to `end_date`, selling in US dollars.
    pub fn new(people: u32, seed: u64, end_date: NaiveDate) -> DemoOptions {
        DemoOptions {
            people,
            seed,
            end_date,
            currency: CURRENCY.to_string(),
        }
    }

    /// What a US dollar buys in the options' currency; an error naming the
    /// currencies a demo can use otherwise.
    fn dollar_rate(&self) -> Result<f64> {
        CURRENCIES
            .iter()
            .find(|(code, _)| code.eq_ignore_ascii_case(&self.currency))
            .map(|(_, rate)| *rate)
            .ok_or_else(|| {
                Error::InvalidInput(format!(
                    "the demo shop cannot sell in '{}'; it sells in {}",
                    self.currency,
                    CURRENCIES
                        .iter()
                        .map(|(code, _)| *code)
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })
    }
}

/// What a demo run wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DemoSummary {
    #[ts(type = "number")]
    pub people: u64,
    #[ts(type = "number")]
    pub devices: u64,
    #[ts(type = "number")]
    pub identities: u64,
    #[ts(type = "number")]
    pub sessions: u64,
    #[ts(type = "number")]
    pub events: u64,
    #[ts(type = "number")]
    pub products: u64,
    #[ts(type = "number")]
    pub campaigns: u64,
    #[ts(type = "number")]
    pub orders: u64,
    #[ts(type = "number")]
    pub consent_records: u64,
    #[ts(type = "number")]
    pub revenue_minor: i64,
    pub currency: String,
    pub first_day: String,
    pub last_day: String,
    #[ts(type = "number")]
    pub seed: u64,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
}

pub use rebound_core::progress::OnProgress;

/// Fills an empty workspace with demo data, in one transaction.
pub async fn generate(
    workspace: &Workspace,
    options: &DemoOptions,
    on_progress: OnProgress<'_>,
    cancel: &CancelToken,
) -> Result<DemoSummary> {
    if options.people == 0 || options.people > MAX_PEOPLE {
        return Err(Error::InvalidInput(format!(
            "the number of demo people must be between 1 and {MAX_PEOPLE}, not {}",
            options.people
        )));
    }
    options.dollar_rate()?;
    for table in ["people", "products", "campaigns", "experiments"] {
        if workspace.count(table).await? > 0 {
            return Err(Error::WorkspaceNotEmpty {
                path: workspace.path().to_path_buf(),
                what: format!(
                    "it has {table}; demo data goes into a new workspace (rebound demo --replace, or --workspace NEW.rebound)"
                ),
            });
        }
    }
    let started = Instant::now();
    let mut tx = workspace
        .pool()
        .begin()
        .await
        .map_err(Error::db("starting the demo transaction"))?;
    let mut generator = Generator::new(options, started, workspace.clock());
    generator.run(&mut tx, on_progress, cancel).await?;
    cancel.check()?;
    on_progress(&generator.progress("Saving the workspace", options.people as u64));
    tx.commit()
        .await
        .map_err(Error::db("saving the demo data"))?;
    let mut summary = generator.summary;
    summary.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(summary)
}

/// Builds a demo workspace file at `path`, replacing any file there, without
/// ever leaving a half-built file behind: the data goes into a temporary file
/// beside it, which is renamed over `path` only when complete.
pub async fn build_file(
    path: &Path,
    options: &DemoOptions,
    on_progress: OnProgress<'_>,
    cancel: &CancelToken,
) -> Result<DemoSummary> {
    let tmp = sibling(path, &format!(".building-{}", std::process::id()));
    remove_workspace_files(&tmp)?;
    let result = async {
        let workspace = Workspace::create(&tmp).await?;
        let summary = generate(&workspace, options, on_progress, cancel).await;
        workspace.close().await;
        summary
    }
    .await;
    match result {
        Ok(summary) => {
            // The checkpoint on close put everything in `tmp`; its companions are empty.
            let _ = std::fs::remove_file(sibling(&tmp, "-wal"));
            let _ = std::fs::remove_file(sibling(&tmp, "-shm"));
            remove_workspace_files(path)?;
            std::fs::rename(&tmp, path).map_err(Error::io("move the demo workspace to", path))?;
            Ok(summary)
        }
        Err(error) => {
            let _ = remove_workspace_files(&tmp);
            Err(error)
        }
    }
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(suffix);
    path.with_file_name(name)
}

/// Removes a workspace file and SQLite's companions (-wal, -shm) if present.
pub fn remove_workspace_files(path: &Path) -> Result<()> {
    for candidate in [
        path.to_path_buf(),
        sibling(path, "-wal"),
        sibling(path, "-shm"),
        sibling(path, "-journal"),
    ] {
        match std::fs::remove_file(&candidate) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io("remove", candidate)(e)),
        }
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Intent {
    Casual,
    Engaged,
    High,
}

#[derive(Clone, Copy)]
struct CampaignSpec {
    name: &'static str,
    platform: &'static str,
    goal: &'static str,
    channel: &'static str,
    status: &'static str,
    daily_budget_minor: Option<i64>,
}

const META_DPA: usize = 0;
const GOOGLE_CART: usize = 1;
const CART_EMAIL: usize = 2;
const TRIAL_EMAIL: usize = 3;
const NEWSLETTER: usize = 4;
const SMS_WINBACK: usize = 5;

const CAMPAIGNS: &[CampaignSpec] = &[
    CampaignSpec {
        name: "Meta DPA · Viewed, not bought",
        platform: "meta",
        goal: "retargeting",
        channel: "meta_ads",
        status: "active",
        daily_budget_minor: Some(15_000),
    },
    CampaignSpec {
        name: "Google Display · Cart abandoners",
        platform: "google_ads",
        goal: "retargeting",
        channel: "google_ads",
        status: "active",
        daily_budget_minor: Some(8_000),
    },
    CampaignSpec {
        name: "Abandoned cart e-mails",
        platform: "email",
        goal: "remarketing",
        channel: "email",
        status: "active",
        daily_budget_minor: None,
    },
    CampaignSpec {
        name: "Trial nurture e-mails",
        platform: "email",
        goal: "remarketing",
        channel: "email",
        status: "active",
        daily_budget_minor: None,
    },
    CampaignSpec {
        name: "Monthly newsletter",
        platform: "email",
        goal: "remarketing",
        channel: "email",
        status: "active",
        daily_budget_minor: None,
    },
    CampaignSpec {
        name: "SMS win-back",
        platform: "sms",
        goal: "remarketing",
        channel: "sms",
        status: "paused",
        daily_budget_minor: None,
    },
    CampaignSpec {
        name: "Pricing page journey",
        platform: "mixed",
        goal: "journey",
        channel: "mixed",
        status: "draft",
        daily_budget_minor: Some(5_000),
    },
];

#[derive(Default, Clone, Copy)]
struct DayMetrics {
    clicks: i64,
    conversions: i64,
    revenue_minor: i64,
    sends: i64,
    opens: i64,
}

#[derive(Default, Clone, Copy)]
struct VariantStats {
    n: i64,
    conversions: i64,
    value_sum: f64,
    value_sum_sq: f64,
}

struct Product {
    id: i64,
    price_minor: i64,
    slug: String,
}

/// One event before it is written.
struct Ev {
    ts: i64,
    name: &'static str,
    session: Option<i64>,
    device: Option<i64>,
    product: Option<usize>,
    page: Option<String>,
    source: Option<&'static str>,
    quantity: Option<i64>,
    value_minor: Option<i64>,
    order: Option<i64>,
    campaign: Option<usize>,
}

impl Ev {
    fn new(ts: i64, name: &'static str) -> Ev {
        Ev {
            ts,
            name,
            session: None,
            device: None,
            product: None,
            page: None,
            source: None,
            quantity: None,
            value_minor: None,
            order: None,
            campaign: None,
        }
    }
}

struct Generator {
    /// "Now" for the demo import's record (the workspace's clock).
    clock: Clock,
    /// The shop's currency and what a dollar buys in it.
    currency: String,
    dollar_rate: f64,
    rng: ChaCha8Rng,
    people: u32,
    seed: u64,
    start_us: i64,
    end_us: i64,
    start_day: NaiveDate,
    import_id: i64,
    started: Instant,
    products: Vec<Product>,
    by_category: Vec<Vec<usize>>,
    category_pick: WeightedIndex<u32>,
    place_pick: WeightedIndex<u32>,
    device_pick: WeightedIndex<u32>,
    source_pick: WeightedIndex<u32>,
    next_device: i64,
    next_identity: i64,
    next_session: i64,
    next_consent: i64,
    next_order: i64,
    next_exposure: i64,
    people_rows: Batch,
    device_rows: Batch,
    identity_rows: Batch,
    session_rows: Batch,
    event_rows: Batch,
    consent_rows: Batch,
    exposure_rows: Batch,
    metrics: BTreeMap<(usize, i64), DayMetrics>,
    variants: [VariantStats; 2],
    summary: DemoSummary,
}

impl Generator {
    /// An amount set in US cents, in the shop's currency.
    fn amount(&self, usd_cents: f64) -> i64 {
        in_currency(usd_cents, self.dollar_rate, &self.currency)
    }

    fn new(options: &DemoOptions, started: Instant, clock: Clock) -> Generator {
        let currency = options.currency.to_ascii_uppercase();
        let dollar_rate = options.dollar_rate().unwrap_or(1.0);
        let end =
            Utc.from_utc_datetime(&options.end_date.and_time(NaiveTime::MIN)) + Duration::days(1);
        let end_us = end.timestamp_micros();
        let start_us = end_us - HISTORY_DAYS * DAY;
        let start_day = options.end_date - Duration::days(HISTORY_DAYS - 1);
        let mut products = Vec::new();
        let mut by_category = vec![Vec::new(); CATEGORIES.len()];
        for (c, category) in CATEGORIES.iter().enumerate() {
            for (title, _, price) in category.products {
                by_category[c].push(products.len());
                products.push(Product {
                    id: products.len() as i64 + 1,
                    price_minor: in_currency(*price as f64, dollar_rate, &currency),
                    slug: catalog::slugify(title),
                });
            }
        }
        Generator {
            clock,
            currency,
            dollar_rate,
            rng: ChaCha8Rng::seed_from_u64(options.seed),
            people: options.people,
            seed: options.seed,
            start_us,
            end_us,
            start_day,
            import_id: 0,
            started,
            products,
            by_category,
            category_pick: WeightedIndex::new(CATEGORIES.iter().map(|c| c.weight))
                .expect("weights"),
            place_pick: WeightedIndex::new(people::PLACES.iter().map(|p| p.3)).expect("weights"),
            device_pick: WeightedIndex::new(people::DEVICES.iter().map(|d| d.3)).expect("weights"),
            source_pick: WeightedIndex::new(people::ORGANIC_SOURCES.iter().map(|s| s.2))
                .expect("weights"),
            next_device: 1,
            next_identity: 1,
            next_session: 1,
            next_consent: 1,
            next_order: 1001,
            next_exposure: 1,
            people_rows: PersonRow::batch(),
            device_rows: DeviceRow::batch(),
            identity_rows: IdentityRow::batch(),
            session_rows: Batch::new(
                "sessions",
                &[
                    "id",
                    "person_id",
                    "device_id",
                    "external_id",
                    "started_at",
                    "source",
                    "medium",
                    "campaign_id",
                    "landing_page",
                    "import_id",
                ],
            ),
            event_rows: EventRow::batch(),
            consent_rows: ConsentRow::batch(),
            exposure_rows: Batch::new(
                "experiment_exposures",
                &[
                    "id",
                    "variant_id",
                    "person_id",
                    "exposed_at",
                    "converted",
                    "value_minor",
                    "covariate",
                ],
            ),
            metrics: BTreeMap::new(),
            variants: [VariantStats::default(); 2],
            summary: DemoSummary {
                people: 0,
                devices: 0,
                identities: 0,
                sessions: 0,
                events: 0,
                products: 0,
                campaigns: 0,
                orders: 0,
                consent_records: 0,
                revenue_minor: 0,
                currency: options.currency.to_ascii_uppercase(),
                first_day: start_day.to_string(),
                last_day: options.end_date.to_string(),
                seed: options.seed,
                elapsed_ms: 0,
            },
        }
    }

    fn progress(&self, stage: &str, done: u64) -> Progress {
        Progress {
            stage: stage.to_string(),
            done,
            total: Some(self.people as u64),
            unit: "people".to_string(),
            elapsed_ms: self.started.elapsed().as_millis() as u64,
            bytes_done: None,
            bytes_total: None,
        }
    }

    async fn run(
        &mut self,
        conn: &mut SqliteConnection,
        on_progress: OnProgress<'_>,
        cancel: &CancelToken,
    ) -> Result<()> {
        on_progress(&self.progress("Setting up the catalog and campaigns", 0));
        self.write_header(conn).await?;
        let report_every = (self.people / 200).clamp(250, 5_000);
        for person in 1..=self.people {
            self.person(person as i64);
            self.write_full(conn).await?;
            if person % report_every == 0 {
                cancel.check()?;
                on_progress(&self.progress("Generating people and their events", person as u64));
            }
        }
        cancel.check()?;
        for batch in self.batches() {
            batch.write(conn).await?;
        }
        on_progress(&self.progress(
            "Writing campaign metrics and the A/B test",
            self.people as u64,
        ));
        self.write_metrics(conn).await?;
        self.write_variant_totals(conn).await?;
        self.summary.events = self.event_rows.written();
        sqlx::query(
            "UPDATE imports SET rows_read = ?1, rows_imported = ?1, finished_at = ?2 WHERE id = ?3",
        )
        .bind(self.summary.events as i64)
        .bind((self.clock)().timestamp_micros())
        .bind(self.import_id)
        .execute(&mut *conn)
        .await
        .map_err(Error::db("recording the demo import"))?;
        Ok(())
    }

    fn batches(&mut self) -> [&mut Batch; 7] {
        [
            &mut self.people_rows,
            &mut self.device_rows,
            &mut self.identity_rows,
            &mut self.session_rows,
            &mut self.event_rows,
            &mut self.consent_rows,
            &mut self.exposure_rows,
        ]
    }

    /// When any batch is full, writes all of them, parents before children, so
    /// every foreign key finds its row. (Deferring the checks instead makes
    /// SQLite search child tables on every parent insert: quadratic.)
    async fn write_full(&mut self, conn: &mut SqliteConnection) -> Result<()> {
        if self.batches().iter().any(|b| b.is_full()) {
            for batch in self.batches() {
                batch.write(conn).await?;
            }
        }
        Ok(())
    }

    async fn write_header(&mut self, conn: &mut SqliteConnection) -> Result<()> {
        let now = (self.clock)().timestamp_micros();
        let details = serde_json::json!({
            "seed": self.seed,
            "people": self.people,
            "first_day": self.summary.first_day,
            "last_day": self.summary.last_day,
        });
        self.import_id = sqlx::query_scalar(
            "INSERT INTO imports (file_name, format, content_hash, started_at, status, details)
             VALUES (?1, 'demo', ?2, ?3, 'complete', ?4) RETURNING id",
        )
        .bind(format!(
            "Demo data ({} people, seed {})",
            self.people, self.seed
        ))
        .bind(format!(
            "demo:v1:{}:{}:{}",
            self.seed, self.people, self.summary.last_day
        ))
        .bind(now)
        .bind(details.to_string())
        .fetch_one(&mut *conn)
        .await
        .map_err(Error::db("recording the demo import"))?;

        for (key, value) in [
            ("currency", self.currency.as_str()),
            ("reporting_time_zone", "UTC"),
            ("demo", "true"),
        ] {
            sqlx::query("INSERT INTO workspace_meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
                .bind(key)
                .bind(value)
                .execute(&mut *conn)
                .await
                .map_err(Error::db("saving workspace settings"))?;
        }

        let mut products = ProductRow::batch();
        let mut index = 0;
        for category in CATEGORIES {
            for (title, brand, price) in category.products {
                let slug = catalog::slugify(title);
                let availability = if OUT_OF_STOCK.contains(&index) {
                    "out_of_stock"
                } else {
                    "in_stock"
                };
                ProductRow {
                    id: index as i64 + 1,
                    external_id: format!("SKU-{:05}", 10_000 + index * 7),
                    title: title.to_string(),
                    description: Some(format!(
                        "{title} from {brand}. Free 2-day shipping and 30-day returns."
                    )),
                    price_minor: Some(self.amount(*price as f64)),
                    currency: Some(self.currency.clone()),
                    availability: Some(availability),
                    link: Some(format!("https://shop.example/products/{slug}")),
                    image_link: Some(format!("https://shop.example/images/{slug}.jpg")),
                    brand: Some(brand.to_string()),
                    category: Some(category.name.to_string()),
                    item_group_id: Some(format!("{}-{}", category.slug, brand.to_lowercase())),
                    import_id: self.import_id,
                }
                .push(&mut products);
                index += 1;
            }
        }
        products.write(conn).await?;
        self.summary.products = products.written();

        let created = self.start_us - 14 * DAY;
        let mut campaigns = Batch::new(
            "campaigns",
            &[
                "id",
                "name",
                "external_id",
                "platform",
                "goal",
                "channel",
                "status",
                "daily_budget_minor",
                "currency",
                "starts_on",
                "ends_on",
                "created_at",
                "import_id",
            ],
        );
        for (i, c) in CAMPAIGNS.iter().enumerate() {
            let (starts, ends) = if c.status == "draft" {
                (
                    Some((self.start_day + Duration::days(HISTORY_DAYS + 7)).to_string()),
                    None,
                )
            } else {
                (Some(self.start_day.to_string()), None::<String>)
            };
            campaigns.push([
                Value::Int(i as i64 + 1),
                Value::from(c.name),
                Value::from(format!("{}", 20_000_000_000i64 + 7_919 * i as i64)),
                Value::from(c.platform),
                Value::from(c.goal),
                Value::from(c.channel),
                Value::from(c.status),
                Value::from(c.daily_budget_minor.map(|b| self.amount(b as f64))),
                Value::from(self.currency.as_str()),
                Value::from(starts),
                Value::from(ends),
                Value::Int(created),
                Value::Int(self.import_id),
            ]);
        }
        campaigns.write(conn).await?;
        self.summary.campaigns = campaigns.written();
        self.write_experiment(conn).await
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p.clamp(0.0, 1.0))
    }

    /// Exponentially distributed duration with the given mean.
    fn exp(&mut self, mean: i64) -> i64 {
        let u: f64 = self.rng.gen_range(f64::EPSILON..1.0);
        (-u.ln() * mean as f64) as i64
    }

    fn day_index(&self, ts: i64) -> i64 {
        (ts - self.start_us).div_euclid(DAY)
    }

    fn metric(&mut self, campaign: usize, ts: i64) -> &mut DayMetrics {
        let day = self.day_index(ts);
        self.metrics.entry((campaign, day)).or_default()
    }

    fn product_in(&mut self, category: usize) -> usize {
        let list = &self.by_category[category];
        list[self.rng.gen_range(0..list.len())]
    }

    fn complement_of(&mut self, category: usize) -> usize {
        let complements = CATEGORIES[category].complements;
        let slug = complements[self.rng.gen_range(0..complements.len())];
        CATEGORIES
            .iter()
            .position(|c| c.slug == slug)
            .expect("complement exists")
    }

    fn person(&mut self, pid: i64) {
        let intent = match self.rng.gen_range(0..100) {
            0..=61 => Intent::Casual,
            62..=89 => Intent::Engaged,
            _ => Intent::High,
        };
        let place = people::PLACES[self.place_pick.sample(&mut self.rng)];
        let first = people::FIRST_NAMES[self.rng.gen_range(0..people::FIRST_NAMES.len())];
        let last = people::LAST_NAMES[self.rng.gen_range(0..people::LAST_NAMES.len())];
        let has_email = self.chance(match intent {
            Intent::Casual => 0.38,
            Intent::Engaged => 0.62,
            Intent::High => 0.8,
        });
        let registered = has_email && self.chance(0.6);
        let device_count = match self.rng.gen_range(0..100) {
            0..=54 => 1,
            55..=87 => 2,
            _ => 3,
        };
        let first_seen = self.start_us + self.rng.gen_range(0..(HISTORY_DAYS - 1) * DAY);

        // Devices and the ids they carry.
        let mut devices: Vec<(i64, &'static str)> = Vec::with_capacity(device_count);
        for d in 0..device_count {
            let spec = people::DEVICES[self.device_pick.sample(&mut self.rng)];
            let id = self.next_device;
            self.next_device += 1;
            let seen = first_seen + d as i64 * self.rng.gen_range(0..10 * DAY);
            DeviceRow {
                id,
                person_id: pid,
                external_id: format!("dev-{:08x}{:04x}", id, self.rng.gen::<u16>()),
                category: spec.0,
                os: Some(spec.1.to_string()),
                browser: Some(spec.2.to_string()),
                first_seen_at: seen,
                import_id: self.import_id,
            }
            .push(&mut self.device_rows);
            let visitor = format!("GA1.1.{}.{}", 1_000_000_000 + id, seen / SECOND);
            self.identity(pid, "visitor_id", visitor, seen);
            devices.push((id, spec.0));
        }
        self.summary.devices += device_count as u64;
        let email_hash = has_email.then(|| {
            let email = format!("{}.{}{}@example.com", first, last, pid).to_lowercase();
            format!("{:x}", Sha256::digest(email.trim().as_bytes()))
        });
        if let Some(hash) = &email_hash {
            self.identity(pid, "email_sha256", hash.clone(), first_seen);
        }
        if registered {
            self.identity(pid, "user_id", format!("u{}", 500_000 + pid), first_seen);
        }

        // Consent: what they agreed to, and when.
        let ads_ok = self.chance(0.78);
        self.consent(pid, "ads", ads_ok, "cookie_banner", first_seen);
        let email_ok = has_email && self.chance(0.72);
        if has_email {
            self.consent(
                pid,
                "email",
                email_ok,
                "checkout_form",
                first_seen + 5 * MINUTE,
            );
        }
        let sms_ok = has_email && self.chance(0.3);
        if sms_ok {
            self.consent(pid, "sms", true, "checkout_form", first_seen + 5 * MINUTE);
        }
        let has_mobile = devices.iter().any(|d| d.1 == "mobile");
        if has_mobile && self.chance(0.3) {
            let granted = self.chance(0.7);
            self.consent(pid, "push", granted, "app_prompt", first_seen + HOUR);
        }

        // Browsing.
        let favourite = self.category_pick.sample(&mut self.rng);
        let wants_software = self.chance(0.12);
        let sessions = match intent {
            Intent::Casual => self.rng.gen_range(1..=2),
            Intent::Engaged => self.rng.gen_range(2..=4),
            Intent::High => self.rng.gen_range(3..=6),
        };
        let mean_gap = match intent {
            Intent::Casual => 10 * DAY,
            Intent::Engaged => 6 * DAY,
            Intent::High => 3 * DAY,
        };
        let mut events: Vec<Ev> = Vec::with_capacity(16);
        let mut t = first_seen;
        let mut abandoned: Option<(i64, Vec<usize>)> = None;
        let mut trial_at: Option<i64> = None;
        let mut last_purchase: Option<i64> = None;
        let mut last_viewed: Option<(i64, usize)> = None;
        let mut sessions_done = 0i64;
        for _ in 0..sessions {
            if t > self.end_us - HOUR {
                break;
            }
            let device = devices[self.rng.gen_range(0..devices.len())].0;
            let source = people::ORGANIC_SOURCES[self.source_pick.sample(&mut self.rng)];
            let category = if self.chance(0.72) {
                favourite
            } else {
                self.complement_of(favourite)
            };
            let views = match intent {
                Intent::Casual => self.rng.gen_range(1..=3),
                Intent::Engaged => self.rng.gen_range(2..=4),
                Intent::High => self.rng.gen_range(3..=6),
            };
            let landing = if self.chance(0.5) {
                format!("/collections/{}", CATEGORIES[category].slug)
            } else {
                "/".to_string()
            };
            let session = self.session(pid, device, t, source.0, source.1, None, &landing);
            sessions_done += 1;
            let mut e = Ev::new(t, "page_view");
            e.page = Some(landing);
            events.push(self.in_session(e, session, device, source.0));
            let mut viewed = Vec::with_capacity(views);
            for v in 0..views {
                t += self.rng.gen_range(20..240) * SECOND;
                let cat = if v > 0 && self.chance(0.25) {
                    self.complement_of(category)
                } else {
                    category
                };
                let product = self.product_in(cat);
                viewed.push(product);
                last_viewed = Some((t, product));
                let mut e = Ev::new(t, "view_item");
                e.product = Some(product);
                e.page = Some(format!("/products/{}", self.products[product].slug));
                events.push(self.in_session(e, session, device, source.0));
            }
            if wants_software && self.chance(0.6) {
                t += self.rng.gen_range(30..300) * SECOND;
                let mut e = Ev::new(t, "page_view");
                e.page = Some("/pricing".into());
                events.push(self.in_session(e, session, device, source.0));
                if trial_at.is_none() && self.chance(0.38) {
                    t += self.rng.gen_range(60..400) * SECOND;
                    let mut e = Ev::new(t, "sign_up");
                    e.page = Some("/signup".into());
                    events.push(self.in_session(e, session, device, source.0));
                    t += self.rng.gen_range(5..60) * SECOND;
                    let mut e = Ev::new(t, "start_trial");
                    e.product = Some(self.by_category[self.software()][0]);
                    events.push(self.in_session(e, session, device, source.0));
                    trial_at = Some(t);
                }
            }
            let cart_chance = match intent {
                Intent::Casual => 0.07,
                Intent::Engaged => 0.24,
                Intent::High => 0.48,
            };
            if self.chance(cart_chance) {
                let mut cart = vec![*viewed.last().expect("at least one view")];
                if viewed.len() > 1 && self.chance(0.3) {
                    cart.push(viewed[0]);
                }
                cart.dedup();
                for &product in &cart {
                    t += self.rng.gen_range(10..90) * SECOND;
                    let mut e = Ev::new(t, "add_to_cart");
                    e.product = Some(product);
                    e.quantity = Some(1);
                    e.value_minor = Some(self.products[product].price_minor);
                    events.push(self.in_session(e, session, device, source.0));
                }
                let checkout = self.chance(0.58);
                if checkout {
                    t += self.rng.gen_range(30..200) * SECOND;
                    let mut e = Ev::new(t, "begin_checkout");
                    e.page = Some("/checkout".into());
                    events.push(self.in_session(e, session, device, source.0));
                }
                if checkout && self.chance(0.62) {
                    t += self.rng.gen_range(60..400) * SECOND;
                    self.purchase(
                        &mut events,
                        t,
                        &cart,
                        Some(session),
                        Some(device),
                        source.0,
                        None,
                    );
                    last_purchase = Some(t);
                    abandoned = None;
                } else {
                    abandoned = Some((t, cart));
                }
            }
            t += HOUR + self.exp(mean_gap);
        }
        if sessions_done == 0 {
            // Seen too close to the end for a session: one landing view.
            let device = devices[0].0;
            let session = self.session(
                pid,
                device,
                t.min(self.end_us - MINUTE),
                "(direct)",
                "(none)",
                None,
                "/",
            );
            let mut e = Ev::new(t.min(self.end_us - MINUTE), "page_view");
            e.page = Some("/".into());
            events.push(self.in_session(e, session, device, "(direct)"));
            sessions_done = 1;
        }

        // Remarketing: abandoned-cart e-mails, with the subject-line A/B test.
        if let (Some((at, cart)), true) = (abandoned.clone(), email_ok) {
            let sent = at + HOUR;
            if sent < self.end_us {
                let variant = self.rng.gen_range(0..2usize);
                let converted = self.email(&mut events, CART_EMAIL, sent, 0.48, 0.33);
                let buy_chance = if variant == 0 { 0.095 } else { 0.125 };
                let mut value = 0;
                let mut did_convert = false;
                if (converted || self.chance(0.35)) && self.chance(buy_chance / 0.55) {
                    let when = sent + self.rng.gen_range(HOUR..3 * DAY);
                    if when < self.end_us {
                        let device = devices[self.rng.gen_range(0..devices.len())].0;
                        let session = self.session(
                            pid,
                            device,
                            when,
                            "newsletter",
                            "email",
                            Some(CART_EMAIL),
                            "/cart",
                        );
                        value = self.purchase(
                            &mut events,
                            when + 2 * MINUTE,
                            &cart,
                            Some(session),
                            Some(device),
                            "newsletter",
                            Some(CART_EMAIL),
                        );
                        last_purchase = Some(when);
                        did_convert = true;
                        abandoned = None;
                    }
                }
                if !did_convert && sent + DAY < self.end_us {
                    self.email(&mut events, CART_EMAIL, sent + DAY, 0.35, 0.2);
                }
                self.exposure(pid, variant, sent, did_convert, value, sessions_done);
            }
        }

        // Retargeting: a dynamic product ad clicked a few days after browsing.
        if let Some((seen, product)) = last_viewed {
            let bought_after = last_purchase.is_some_and(|p| p >= seen);
            if ads_ok && !bought_after && self.chance(0.24) {
                let campaign = if abandoned.is_some() {
                    GOOGLE_CART
                } else {
                    META_DPA
                };
                let when = seen + self.rng.gen_range(4 * HOUR..4 * DAY);
                if when < self.end_us {
                    let (source, medium) = if campaign == META_DPA {
                        ("facebook", "paid_social")
                    } else {
                        ("google", "display")
                    };
                    let device = devices[self.rng.gen_range(0..devices.len())].0;
                    let mut e = Ev::new(when, "ad_click");
                    e.product = Some(product);
                    e.campaign = Some(campaign);
                    e.device = Some(device);
                    e.source = Some(source);
                    events.push(e);
                    self.metric(campaign, when).clicks += 1;
                    let page = format!("/products/{}", self.products[product].slug);
                    let session =
                        self.session(pid, device, when, source, medium, Some(campaign), &page);
                    let mut e = Ev::new(when + 3 * SECOND, "view_item");
                    e.product = Some(product);
                    e.page = Some(page);
                    e.campaign = Some(campaign);
                    events.push(self.in_session(e, session, device, source));
                    if self.chance(0.05) {
                        let buy = when + self.rng.gen_range(2 * MINUTE..20 * MINUTE);
                        let cart = match &abandoned {
                            Some((_, cart)) => cart.clone(),
                            None => vec![product],
                        };
                        self.purchase(
                            &mut events,
                            buy,
                            &cart,
                            Some(session),
                            Some(device),
                            source,
                            Some(campaign),
                        );
                        last_purchase = Some(buy);
                    }
                }
            }
        }

        // Remarketing: trial nurture e-mails and conversion to a paid plan.
        if let Some(trial) = trial_at {
            let mut clicked = false;
            if email_ok {
                for (k, offset) in [DAY, 3 * DAY, 7 * DAY].into_iter().enumerate() {
                    if trial + offset < self.end_us {
                        clicked |= self.email(
                            &mut events,
                            TRIAL_EMAIL,
                            trial + offset + k as i64 * MINUTE,
                            0.52,
                            0.3,
                        );
                    }
                }
            }
            let convert = if clicked {
                0.34
            } else if email_ok {
                0.2
            } else {
                0.12
            };
            let when = trial + self.rng.gen_range(7 * DAY..14 * DAY);
            if when < self.end_us && self.chance(convert) {
                let which = if self.chance(0.7) { 0 } else { 1 };
                let plan = self.by_category[self.software()][which];
                let device = devices[0].0;
                let campaign = clicked.then_some(TRIAL_EMAIL);
                let (source, medium) = if clicked {
                    ("newsletter", "email")
                } else {
                    ("(direct)", "(none)")
                };
                let session = self.session(pid, device, when, source, medium, campaign, "/pricing");
                self.purchase(
                    &mut events,
                    when + MINUTE,
                    &[plan],
                    Some(session),
                    Some(device),
                    source,
                    campaign,
                );
            }
        }

        // Remarketing: the monthly newsletter.
        if email_ok {
            for days_before_end in [80, 50, 20] {
                let sent = self.end_us - days_before_end * DAY + 15 * HOUR;
                if sent > first_seen {
                    self.email(&mut events, NEWSLETTER, sent, 0.24, 0.14);
                }
            }
        }

        // Remarketing: an SMS win-back to buyers who went quiet.
        if sms_ok && last_purchase.is_some_and(|p| p < self.end_us - 35 * DAY) {
            let sent = self.end_us - 28 * DAY + 17 * HOUR;
            let mut e = Ev::new(sent, "sms_send");
            e.campaign = Some(SMS_WINBACK);
            events.push(e);
            self.metric(SMS_WINBACK, sent).sends += 1;
            if self.chance(0.07) {
                let mut e = Ev::new(sent + self.rng.gen_range(MINUTE..6 * HOUR), "sms_click");
                e.campaign = Some(SMS_WINBACK);
                events.push(e);
                self.metric(SMS_WINBACK, sent).clicks += 1;
            }
        }

        events.sort_by_key(|e| e.ts);
        let first_ts = events.first().map(|e| e.ts).unwrap_or(first_seen);
        let last_ts = events.last().map(|e| e.ts).unwrap_or(first_seen);
        let properties = serde_json::json!({
            "intent": match intent { Intent::Casual => "casual", Intent::Engaged => "engaged", Intent::High => "high" },
            "registered": registered,
        });
        PersonRow {
            id: pid,
            import_id: self.import_id,
            first_name: Some(first.to_string()),
            last_name: Some(last.to_string()),
            email_sha256: email_hash,
            country: Some(place.0.to_string()),
            time_zone: Some(place.1.to_string()),
            locale: Some(place.2.to_string()),
            first_seen_at: Some(first_ts.min(first_seen)),
            last_seen_at: Some(last_ts),
            properties: properties.to_string(),
        }
        .push(&mut self.people_rows);
        self.summary.people += 1;
        for e in events {
            let product = e.product.map(|p| self.products[p].id);
            let currency = e.value_minor.map(|_| self.currency.clone());
            EventRow {
                person_id: pid,
                ts: e.ts,
                name: e.name.into(),
                session_id: e.session,
                device_id: e.device,
                product_id: product,
                page: e.page,
                source: e.source.map(str::to_string),
                quantity: e.quantity,
                value_minor: e.value_minor,
                currency: currency.into(),
                order_id: e.order.map(|o| format!("#{o}")),
                campaign_id: e.campaign.map(|c| c as i64 + 1),
                import_id: self.import_id,
                properties: None,
            }
            .push(&mut self.event_rows);
        }
    }

    fn software(&self) -> usize {
        CATEGORIES
            .iter()
            .position(|c| c.slug == SOFTWARE)
            .expect("software category")
    }

    fn in_session(&self, mut e: Ev, session: i64, device: i64, source: &'static str) -> Ev {
        e.session = Some(session);
        e.device = Some(device);
        e.source = Some(source);
        e
    }

    #[allow(clippy::too_many_arguments)]
    fn session(
        &mut self,
        pid: i64,
        device: i64,
        at: i64,
        source: &'static str,
        medium: &'static str,
        campaign: Option<usize>,
        landing: &str,
    ) -> i64 {
        let id = self.next_session;
        self.next_session += 1;
        self.session_rows.push([
            Value::Int(id),
            Value::Int(pid),
            Value::Int(device),
            Value::from(format!("{}.{}", pid, at / SECOND)),
            Value::Int(at),
            Value::from(source),
            Value::from(medium),
            Value::from(campaign.map(|c| c as i64 + 1)),
            Value::from(landing),
            Value::Int(self.import_id),
        ]);
        self.summary.sessions += 1;
        id
    }

    fn identity(&mut self, pid: i64, kind: &'static str, value: String, seen: i64) {
        let id = self.next_identity;
        self.next_identity += 1;
        IdentityRow {
            id: Some(id),
            person_id: pid,
            kind,
            value: &value,
            first_seen_at: Some(seen),
            import_id: self.import_id,
        }
        .push(&mut self.identity_rows);
        self.summary.identities += 1;
    }

    fn consent(
        &mut self,
        pid: i64,
        channel: &'static str,
        granted: bool,
        source: &'static str,
        at: i64,
    ) {
        let id = self.next_consent;
        self.next_consent += 1;
        ConsentRow {
            id: Some(id),
            person_id: pid,
            channel,
            granted,
            lawful_basis: "consent",
            source: source.to_string(),
            recorded_at: at,
            import_id: self.import_id,
        }
        .push(&mut self.consent_rows);
        self.summary.consent_records += 1;
    }

    /// An e-mail send with its open and click; returns whether it was clicked.
    fn email(
        &mut self,
        events: &mut Vec<Ev>,
        campaign: usize,
        sent: i64,
        open: f64,
        click_given_open: f64,
    ) -> bool {
        let mut e = Ev::new(sent, "email_send");
        e.campaign = Some(campaign);
        events.push(e);
        self.metric(campaign, sent).sends += 1;
        if !self.chance(open) {
            return false;
        }
        let opened = sent + self.exp(3 * HOUR).min(2 * DAY);
        if opened >= self.end_us {
            return false;
        }
        let mut e = Ev::new(opened, "email_open");
        e.campaign = Some(campaign);
        events.push(e);
        self.metric(campaign, sent).opens += 1;
        if !self.chance(click_given_open) {
            return false;
        }
        let clicked = opened + self.rng.gen_range(5 * SECOND..5 * MINUTE);
        let mut e = Ev::new(clicked, "email_click");
        e.campaign = Some(campaign);
        events.push(e);
        self.metric(campaign, sent).clicks += 1;
        true
    }

    /// One order: a purchase event per line item sharing the order id.
    #[allow(clippy::too_many_arguments)]
    fn purchase(
        &mut self,
        events: &mut Vec<Ev>,
        at: i64,
        lines: &[usize],
        session: Option<i64>,
        device: Option<i64>,
        source: &'static str,
        campaign: Option<usize>,
    ) -> i64 {
        let order = self.next_order;
        self.next_order += 1;
        let mut total = 0;
        for &product in lines {
            let quantity = if self.chance(0.08) { 2 } else { 1 };
            let value = self.products[product].price_minor * quantity;
            total += value;
            let mut e = Ev::new(at, "purchase");
            e.product = Some(product);
            e.quantity = Some(quantity);
            e.value_minor = Some(value);
            e.order = Some(order);
            e.session = session;
            e.device = device;
            e.source = Some(source);
            e.campaign = campaign;
            e.page = Some("/checkout/thank-you".into());
            events.push(e);
        }
        if let Some(c) = campaign {
            let m = self.metric(c, at);
            m.conversions += 1;
            m.revenue_minor += total;
        }
        self.summary.orders += 1;
        self.summary.revenue_minor += total;
        total
    }

    fn exposure(
        &mut self,
        pid: i64,
        variant: usize,
        at: i64,
        converted: bool,
        value_minor: i64,
        prior_sessions: i64,
    ) {
        let id = self.next_exposure;
        self.next_exposure += 1;
        self.exposure_rows.push([
            Value::Int(id),
            Value::Int(variant as i64 + 1),
            Value::Int(pid),
            Value::Int(at),
            Value::Int(converted as i64),
            Value::from(converted.then_some(value_minor)),
            Value::Real(prior_sessions as f64),
        ]);
        let v = &mut self.variants[variant];
        v.n += 1;
        if converted {
            let value = rebound_core::money::to_major(value_minor, &self.currency);
            v.conversions += 1;
            v.value_sum += value;
            v.value_sum_sq += value * value;
        }
    }

    async fn write_metrics(&mut self, conn: &mut SqliteConnection) -> Result<()> {
        let mut rows = Batch::new(
            "campaign_daily_metrics",
            &[
                "campaign_id",
                "day",
                "channel",
                "currency",
                "impressions",
                "reach",
                "clicks",
                "cost_minor",
                "conversions",
                "revenue_minor",
                "sends",
                "opens",
                "unsubscribes",
                "bounces",
                "import_id",
            ],
        );
        let scale = (self.people as f64 / 1_000.0).max(0.05);
        let metrics = std::mem::take(&mut self.metrics);
        for (campaign, spec) in CAMPAIGNS.iter().enumerate() {
            if spec.status == "draft" {
                continue;
            }
            for day in 0..HISTORY_DAYS {
                let m = metrics.get(&(campaign, day)).copied().unwrap_or_default();
                let is_ads = matches!(spec.channel, "meta_ads" | "google_ads");
                if !is_ads && m.sends == 0 && m.clicks == 0 && m.conversions == 0 {
                    continue;
                }
                let (impressions, reach, cost) = if is_ads {
                    let ctr = self.rng.gen_range(0.006..0.012);
                    let impressions = if m.clicks > 0 {
                        (m.clicks as f64 / ctr).round() as i64
                    } else {
                        (self.rng.gen_range(20.0..60.0) * scale).round() as i64
                    };
                    let frequency = self.rng.gen_range(1.8..2.9);
                    // Retargeting clicks are dear: CPCs of $1.50-$3.50 on Meta, $1-$2.60 on Display.
                    let cpc = if spec.channel == "meta_ads" {
                        self.rng.gen_range(150.0..350.0)
                    } else {
                        self.rng.gen_range(100.0..260.0)
                    };
                    let cost = self.amount(m.clicks as f64 * cpc);
                    (
                        impressions,
                        (impressions as f64 / frequency).round() as i64,
                        cost,
                    )
                } else if spec.channel == "sms" {
                    (0, 0, self.amount((m.sends * 2) as f64))
                } else {
                    (0, 0, 0)
                };
                // What each kind of report gives: ads no sends, owned channels
                // no impressions or reach, e-mail and push no cost.
                let ads_only = |v: i64| if is_ads { Value::Int(v) } else { Value::Null };
                let owned_only = |v: i64| if is_ads { Value::Null } else { Value::Int(v) };
                let cost = if matches!(spec.channel, "email" | "push") {
                    Value::Null
                } else {
                    Value::Int(cost)
                };
                let bounces = (m.sends as f64 * self.rng.gen_range(0.002..0.01)).round() as i64;
                let unsubscribes =
                    (m.sends as f64 * self.rng.gen_range(0.001..0.005)).round() as i64;
                rows.push([
                    Value::Int(campaign as i64 + 1),
                    Value::from((self.start_day + Duration::days(day)).to_string()),
                    Value::from(spec.channel),
                    Value::from(self.currency.as_str()),
                    ads_only(impressions),
                    ads_only(reach),
                    Value::Int(m.clicks),
                    cost,
                    Value::Real(m.conversions as f64),
                    Value::Int(m.revenue_minor),
                    owned_only(m.sends),
                    owned_only(m.opens),
                    owned_only(unsubscribes),
                    owned_only(bounces),
                    Value::Int(self.import_id),
                ]);
            }
        }
        rows.write(conn).await
    }

    async fn write_experiment(&mut self, conn: &mut SqliteConnection) -> Result<()> {
        sqlx::query(
            "INSERT INTO experiments (id, name, hypothesis, status, metric, subject_kind, subject_id, started_at, ended_at, created_at, import_id, currency)
             VALUES (1, 'Cart e-mail subject line', ?1, 'finished', 'conversion', 'campaign', ?2, ?3, ?4, ?3, ?5, ?6)",
        )
        .bind("Promising 10% off in the subject line of the abandoned-cart e-mail brings more people back to buy than a plain reminder.")
        .bind(CART_EMAIL as i64 + 1)
        .bind(self.start_us)
        .bind(self.end_us)
        .bind(self.import_id)
        .bind(&self.currency)
        .execute(&mut *conn)
        .await
        .map_err(Error::db("writing the demo A/B test"))?;
        let names = [
            "A · \"You left something behind\"",
            "B · \"10% off what's in your cart\"",
        ];
        for (i, name) in names.iter().enumerate() {
            sqlx::query("INSERT INTO experiment_variants (id, experiment_id, name, is_control) VALUES (?1, 1, ?2, ?3)")
                .bind(i as i64 + 1)
                .bind(*name)
                .bind((i == 0) as i64)
                .execute(&mut *conn)
                .await
                .map_err(Error::db("writing the demo A/B test"))?;
        }
        Ok(())
    }

    /// The A/B test's per-variant totals, once every exposure is known.
    async fn write_variant_totals(&mut self, conn: &mut SqliteConnection) -> Result<()> {
        for (i, v) in self.variants.iter().enumerate() {
            sqlx::query("UPDATE experiment_variants SET n = ?2, conversions = ?3, value_sum = ?4, value_sum_sq = ?5 WHERE id = ?1")
            .bind(i as i64 + 1)
            .bind(v.n)
            .bind(v.conversions)
            .bind(v.value_sum)
            .bind(v.value_sum_sq)
            .execute(&mut *conn)
            .await
            .map_err(Error::db("writing the demo A/B test"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(people: u32, seed: u64) -> DemoOptions {
        DemoOptions {
            people,
            seed,
            end_date: NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
            currency: CURRENCY.to_string(),
        }
    }

    async fn fingerprint(ws: &Workspace) -> (i64, i64, i64, String) {
        let (events, revenue): (i64, i64) =
            sqlx::query_as("SELECT count(*), coalesce(sum(value_minor) FILTER (WHERE name = 'purchase'), 0) FROM events")
                .fetch_one(ws.pool())
                .await
                .unwrap();
        let identities: i64 = sqlx::query_scalar("SELECT count(*) FROM identities")
            .fetch_one(ws.pool())
            .await
            .unwrap();
        let checksum: String = sqlx::query_scalar(
            "SELECT group_concat(person_id || ':' || ts || ':' || name, ',') FROM (SELECT * FROM events ORDER BY id LIMIT 200)",
        )
        .fetch_one(ws.pool())
        .await
        .unwrap();
        (events, revenue, identities, checksum)
    }

    /// A yen shop is the dollar shop at ¥150 to the dollar in whole yen: the
    /// Dashboard's revenue is the summary's, and every product's price the
    /// dollar price × 1.5 rounded to the yen.
    #[tokio::test]
    async fn a_yen_shop_prices_and_reports_in_whole_yen() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(&dir.path().join("yen.rebound"))
            .await
            .unwrap();
        let mut yen = options(300, 4);
        yen.currency = "jpy".into();
        let summary = generate(&ws, &yen, &|_| {}, &CancelToken::new())
            .await
            .unwrap();
        assert_eq!(summary.currency, "JPY");
        let board = rebound_dashboard::dashboard(&ws, Default::default())
            .await
            .unwrap();
        assert_eq!(board.currencies.len(), 1);
        assert_eq!(board.currencies[0].currency, "JPY");
        assert_eq!(board.currencies[0].revenue_minor, summary.revenue_minor);
        let prices: Vec<(i64, String)> =
            sqlx::query_as("SELECT price_minor, currency FROM products ORDER BY id")
                .fetch_all(ws.pool())
                .await
                .unwrap();
        let dollar: Vec<i64> = CATEGORIES
            .iter()
            .flat_map(|c| c.products.iter().map(|p| p.2))
            .collect();
        assert_eq!(prices.len(), dollar.len());
        for ((yen, currency), cents) in prices.iter().zip(&dollar) {
            assert_eq!(currency, "JPY");
            assert!(
                (*yen as f64 - *cents as f64 * 1.5).abs() <= 0.5,
                "{yen} for {cents}"
            );
        }
        let err = generate(
            &ws,
            &DemoOptions {
                currency: "XYZ".into(),
                ..options(10, 1)
            },
            &|_| {},
            &CancelToken::new(),
        )
        .await
        .unwrap_err();
        assert_eq!(err.code(), rebound_core::ErrorCode::InvalidInput);
        assert!(err.to_string().contains("cannot sell in 'XYZ'"), "{err}");
    }

    #[tokio::test]
    async fn same_options_give_the_same_workspace() {
        let dir = tempfile::tempdir().unwrap();
        let a = Workspace::create(&dir.path().join("a.rebound"))
            .await
            .unwrap();
        let b = Workspace::create(&dir.path().join("b.rebound"))
            .await
            .unwrap();
        let c = Workspace::create(&dir.path().join("c.rebound"))
            .await
            .unwrap();
        let none = CancelToken::new();
        let sa = generate(&a, &options(400, 7), &|_| {}, &none)
            .await
            .unwrap();
        let sb = generate(&b, &options(400, 7), &|_| {}, &none)
            .await
            .unwrap();
        generate(&c, &options(400, 8), &|_| {}, &none)
            .await
            .unwrap();
        assert_eq!(fingerprint(&a).await, fingerprint(&b).await);
        assert_ne!(fingerprint(&a).await, fingerprint(&c).await);
        assert_eq!(sa.events, sb.events);
        assert_eq!(sa.events as i64, fingerprint(&a).await.0);
    }

    #[tokio::test]
    async fn demo_data_has_what_segments_and_campaigns_need() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(&dir.path().join("d.rebound"))
            .await
            .unwrap();
        let summary = generate(&ws, &options(2_000, 42), &|_| {}, &CancelToken::new())
            .await
            .unwrap();
        assert_eq!(summary.people, 2_000);
        let per_person = summary.events as f64 / summary.people as f64;
        assert!(
            (6.0..16.0).contains(&per_person),
            "{per_person} events per person"
        );

        let count = |sql: &'static str| {
            let pool = ws.pool().clone();
            async move {
                sqlx::query_scalar::<_, i64>(sql)
                    .fetch_one(&pool)
                    .await
                    .unwrap()
            }
        };
        for name in [
            "page_view",
            "view_item",
            "add_to_cart",
            "begin_checkout",
            "purchase",
            "sign_up",
            "start_trial",
            "email_send",
            "email_open",
            "email_click",
            "ad_click",
        ] {
            let n: i64 = sqlx::query_scalar("SELECT count(*) FROM events WHERE name = ?1")
                .bind(name)
                .fetch_one(ws.pool())
                .await
                .unwrap();
            assert!(n > 0, "no {name} events");
        }
        // People on several devices, with their sessions on more than one of them.
        assert!(count("SELECT count(*) FROM (SELECT person_id FROM devices GROUP BY person_id HAVING count(*) > 1)").await > 300);
        assert!(count("SELECT count(*) FROM (SELECT person_id FROM sessions GROUP BY person_id HAVING count(DISTINCT device_id) > 1)").await > 50);
        // Cart abandoners exist: carted, never bought afterwards.
        assert!(
            count(
                "SELECT count(DISTINCT c.person_id) FROM events c WHERE c.name = 'add_to_cart'
                 AND NOT EXISTS (SELECT 1 FROM events p WHERE p.person_id = c.person_id AND p.name = 'purchase' AND p.ts > c.ts)"
            )
            .await
                > 50
        );
        // Consent is not granted for everyone, on every channel.
        for channel in ["email", "ads"] {
            let (granted, denied): (i64, i64) = sqlx::query_as(
                "SELECT count(*) FILTER (WHERE status = 'granted'), count(*) FILTER (WHERE status = 'denied') FROM consent WHERE channel = ?1",
            )
            .bind(channel)
            .fetch_one(ws.pool())
            .await
            .unwrap();
            assert!(
                granted > 0 && denied > 0,
                "{channel}: {granted} granted, {denied} denied"
            );
        }
        // Purchases carry an order id, a value and the workspace currency.
        assert_eq!(count("SELECT count(*) FROM events WHERE name = 'purchase' AND (order_id IS NULL OR value_minor IS NULL OR currency IS NULL)").await, 0);
        assert_eq!(
            count("SELECT count(DISTINCT order_id) FROM events WHERE name = 'purchase'").await,
            summary.orders as i64
        );
        // Campaign metrics agree with the event log: ad clicks per campaign.
        let mismatched = count(
            "SELECT count(*) FROM (
                SELECT c.id, (SELECT coalesce(sum(clicks), 0) FROM campaign_daily_metrics m WHERE m.campaign_id = c.id) AS reported,
                       (SELECT count(*) FROM events e WHERE e.campaign_id = c.id AND e.name = 'ad_click') AS logged
                FROM campaigns c WHERE c.channel IN ('meta_ads', 'google_ads')) WHERE reported != logged",
        )
        .await;
        assert_eq!(mismatched, 0);
        // The finished A/B test: two variants whose counts match the exposures.
        let (n, conversions): (i64, i64) = sqlx::query_as(
            "SELECT sum(n), sum(conversions) FROM experiment_variants WHERE experiment_id = 1",
        )
        .fetch_one(ws.pool())
        .await
        .unwrap();
        assert_eq!(n, count("SELECT count(*) FROM experiment_exposures").await);
        assert_eq!(
            conversions,
            count("SELECT count(*) FROM experiment_exposures WHERE converted = 1").await
        );
        assert!(n > 100);
        // No event outside the history window.
        let (min_ts, max_ts): (i64, i64) = sqlx::query_as("SELECT min(ts), max(ts) FROM events")
            .fetch_one(ws.pool())
            .await
            .unwrap();
        let start = Utc
            .with_ymd_and_hms(2026, 8, 3, 0, 0, 0)
            .unwrap()
            .timestamp_micros();
        let end = Utc
            .with_ymd_and_hms(2026, 11, 1, 0, 0, 0)
            .unwrap()
            .timestamp_micros();
        assert!(min_ts >= start && max_ts < end, "{min_ts}..{max_ts}");
    }

    #[tokio::test]
    async fn cancel_leaves_the_workspace_empty() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(&dir.path().join("c.rebound"))
            .await
            .unwrap();
        let cancel = CancelToken::new();
        let seen = std::sync::atomic::AtomicU64::new(0);
        let on_progress = |p: &Progress| {
            if p.done > 0 {
                seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                cancel.cancel();
            }
        };
        let err = generate(&ws, &options(3_000, 1), &on_progress, &cancel)
            .await
            .unwrap_err();
        assert_eq!(err.code(), rebound_core::ErrorCode::Cancelled);
        assert!(seen.load(std::sync::atomic::Ordering::SeqCst) > 0);
        for table in rebound_core::store::TABLES {
            assert_eq!(ws.count(table).await.unwrap(), 0, "{table} after cancel");
        }
    }

    #[tokio::test]
    async fn refuses_a_workspace_with_data_and_bad_sizes() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(&dir.path().join("w.rebound"))
            .await
            .unwrap();
        let none = CancelToken::new();
        let err = generate(&ws, &options(0, 1), &|_| {}, &none)
            .await
            .unwrap_err();
        assert_eq!(err.code(), rebound_core::ErrorCode::InvalidInput);
        generate(&ws, &options(50, 1), &|_| {}, &none)
            .await
            .unwrap();
        let err = generate(&ws, &options(50, 1), &|_| {}, &none)
            .await
            .unwrap_err();
        assert_eq!(err.code(), rebound_core::ErrorCode::WorkspaceNotEmpty);
    }

    #[tokio::test]
    async fn build_file_replaces_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Demo.rebound");
        std::fs::write(&path, b"old").unwrap();
        let cancel = CancelToken::new();
        cancel.cancel();
        let err = build_file(&path, &options(600, 3), &|_| {}, &cancel)
            .await
            .unwrap_err();
        assert_eq!(err.code(), rebound_core::ErrorCode::Cancelled);
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"old",
            "a cancelled build keeps the old file"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
        let summary = build_file(&path, &options(600, 3), &|_| {}, &CancelToken::new())
            .await
            .unwrap();
        let ws = Workspace::open(&path).await.unwrap();
        assert_eq!(ws.count("people").await.unwrap(), 600);
        assert_eq!(ws.count("events").await.unwrap() as u64, summary.events);
    }
}
