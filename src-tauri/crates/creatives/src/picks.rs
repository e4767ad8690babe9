//! Which products a person's ad shows, and why.
//!
//! From the person's own events (across all their devices, as stitched):
//! what they put in a cart and did not buy, then what they viewed, most
//! recent first; then complements computed from the whole workspace's events:
//! products bought by people who bought or looked at the same things
//! (co-bought), then products viewed by people who viewed the same things
//! (co-viewed). Products the person bought, and products the feed says are
//! out of stock, are never picked. Only when a format needs more products
//! than the behaviour gives are the workspace's best sellers used, and they
//! say so. Every ordering ends on the product id, so the picks are the same
//! on every run.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::DateTime;
use rebound_core::store::Generation;
use rebound_core::Workspace;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use crate::error::{Error, Result};

/// A catalog row as the creatives use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Product {
    #[ts(type = "number")]
    pub id: i64,
    pub external_id: String,
    pub title: String,
    #[ts(optional)]
    pub description: Option<String>,
    #[ts(optional, type = "number")]
    pub price_minor: Option<i64>,
    #[ts(optional)]
    pub currency: Option<String>,
    #[ts(optional)]
    pub availability: Option<String>,
    #[ts(optional)]
    pub link: Option<String>,
    #[ts(optional)]
    pub image_link: Option<String>,
    #[ts(optional)]
    pub brand: Option<String>,
    #[ts(optional)]
    pub category: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PickKind {
    /// Added to the cart and not bought.
    Carted,
    /// Viewed and not bought.
    Viewed,
    /// Bought by people who bought or viewed what this person did.
    CoBought,
    /// Viewed by people who viewed what this person did.
    CoViewed,
    /// A best seller, used only to fill a format that needs more products.
    BestSeller,
}

/// One product chosen for a person, with the reason in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Pick {
    pub product: Product,
    pub kind: PickKind,
    pub reason: String,
}

/// The catalog and the workspace-wide co-occurrence counts, loaded once and
/// shared by every person of a preview grid.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub products: HashMap<i64, Product>,
    /// product → (other product, people who bought the other and bought or viewed this one).
    co_bought: HashMap<i64, Vec<(i64, u32)>>,
    /// product → (other product, people who viewed both).
    co_viewed: HashMap<i64, Vec<(i64, u32)>>,
    /// (product, distinct buyers), best first.
    best_sellers: Vec<(i64, u32)>,
}

/// A person's products of one kind are looked at up to this many (most
/// recent first), which bounds the pair counting on large event logs.
const PER_PERSON: usize = 40;
/// Complements need at least this many people behind them.
const MIN_SUPPORT: u32 = 2;

fn product_from_row(row: &sqlx::sqlite::SqliteRow) -> Product {
    Product {
        id: row.get("id"),
        external_id: row.get("external_id"),
        title: row.get("title"),
        description: row.get("description"),
        price_minor: row.get("price_minor"),
        currency: row.get("currency"),
        availability: row.get("availability"),
        link: row.get("link"),
        image_link: row.get("image_link"),
        brand: row.get("brand"),
        category: row.get("category"),
    }
}

fn sort_counts(map: HashMap<(i64, i64), u32>) -> HashMap<i64, Vec<(i64, u32)>> {
    let mut out: HashMap<i64, Vec<(i64, u32)>> = HashMap::new();
    for ((a, b), n) in map {
        if n >= MIN_SUPPORT {
            out.entry(a).or_default().push((b, n));
        }
    }
    for list in out.values_mut() {
        list.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    }
    out
}

impl Catalog {
    /// Loads the feed and counts co-views and co-purchases over the events up
    /// to `as_of` (UTC micros).
    pub async fn load(workspace: &Workspace, as_of: i64) -> Result<Catalog> {
        let rows = sqlx::query(
            "SELECT id, external_id, title, description, price_minor, currency, availability,
                    link, image_link, brand, category FROM products",
        )
        .fetch_all(workspace.pool())
        .await
        .map_err(Error::db("reading the product feed"))?;
        let products: HashMap<i64, Product> = rows
            .iter()
            .map(|r| (r.get("id"), product_from_row(r)))
            .collect();

        // Each person's viewed and bought products, most recent first.
        let rows = sqlx::query(
            "SELECT person_id, product_id, name, max(ts) AS last FROM events
             WHERE name IN ('view_item', 'purchase') AND product_id IS NOT NULL AND ts <= ?1
             GROUP BY person_id, product_id, name
             ORDER BY person_id, name, last DESC, product_id",
        )
        .bind(as_of)
        .fetch_all(workspace.pool())
        .await
        .map_err(Error::db("counting products seen together"))?;

        let mut co_bought: HashMap<(i64, i64), u32> = HashMap::new();
        let mut co_viewed: HashMap<(i64, i64), u32> = HashMap::new();
        let mut buyers: HashMap<i64, u32> = HashMap::new();
        let mut flush = |viewed: &[i64], bought: &[i64]| {
            for &b in bought {
                *buyers.entry(b).or_default() += 1;
            }
            let touched: HashSet<i64> = viewed.iter().chain(bought).copied().collect();
            for &b in bought {
                for &t in &touched {
                    if t != b {
                        *co_bought.entry((t, b)).or_default() += 1;
                    }
                }
            }
            for (i, &a) in viewed.iter().enumerate() {
                for &b in &viewed[i + 1..] {
                    *co_viewed.entry((a, b)).or_default() += 1;
                    *co_viewed.entry((b, a)).or_default() += 1;
                }
            }
        };
        let mut current: Option<i64> = None;
        let (mut viewed, mut bought) = (Vec::new(), Vec::new());
        for row in &rows {
            let person: i64 = row.get("person_id");
            if current != Some(person) {
                flush(&viewed, &bought);
                viewed.clear();
                bought.clear();
                current = Some(person);
            }
            let product: i64 = row.get("product_id");
            let name: &str = row.get("name");
            let list = if name == "purchase" {
                &mut bought
            } else {
                &mut viewed
            };
            if list.len() < PER_PERSON {
                list.push(product);
            }
        }
        flush(&viewed, &bought);

        let mut best_sellers: Vec<(i64, u32)> = buyers.into_iter().collect();
        best_sellers.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        Ok(Catalog {
            products,
            co_bought: sort_counts(co_bought),
            co_viewed: sort_counts(co_viewed),
            best_sellers,
        })
    }

    fn pickable(&self, id: i64) -> Option<&Product> {
        self.products
            .get(&id)
            .filter(|p| p.availability.as_deref() != Some("out_of_stock"))
    }
}

/// The catalog kept beside an open workspace with the key it was read for.
#[derive(Default)]
struct CachedCatalog(tokio::sync::Mutex<Option<Cached>>);

struct Cached {
    /// The workspace's generation and the last event's time under it.
    rows: Generation,
    last_event: i64,
    /// `as_of`, cut just after the last event (an event counts when its
    /// time is before `as_of`): later moments all see the same data.
    as_of: i64,
    catalog: Arc<Catalog>,
}

/// The workspace's catalog as of `as_of`, read again only when the
/// workspace changed or a different past moment is asked for. Previews while
/// a template is edited reuse it, so a keystroke costs one person's query.
pub async fn catalog(workspace: &Workspace, as_of: i64) -> Result<Arc<Catalog>> {
    let cached = workspace.derived::<CachedCatalog>();
    let mut slot = cached.0.lock().await;
    let rows = workspace
        .generation()
        .await
        .map_err(Error::db("checking the workspace for changes"))?;
    // "As of" only matters while it is before the last event. That time
    // takes a scan of the events to find, so it is kept with the rows' key.
    let last_event = match slot.as_ref() {
        Some(c) if c.rows == rows => c.last_event,
        _ => sqlx::query_scalar("SELECT coalesce(max(ts), 0) FROM events")
            .fetch_one(workspace.pool())
            .await
            .map_err(Error::db("checking the workspace for changes"))?,
    };
    if let Some(c) = slot.as_ref() {
        if c.rows == rows && c.as_of == as_of.min(last_event + 1) {
            return Ok(Arc::clone(&c.catalog));
        }
    }
    *slot = None;
    let catalog = Arc::new(Catalog::load(workspace, as_of).await?);
    *slot = Some(Cached {
        rows,
        last_event,
        as_of: as_of.min(last_event + 1),
        catalog: Arc::clone(&catalog),
    });
    Ok(catalog)
}

fn day(ts: i64) -> String {
    DateTime::from_timestamp_micros(ts)
        .map(|d| d.format("%-d %b").to_string())
        .unwrap_or_default()
}

struct Seen {
    count: i64,
    last: i64,
}

/// Up to `limit` products for one person, at least `min` (filled with best
/// sellers when behaviour gives fewer), as of `as_of` (UTC micros).
pub async fn picks_for_person(
    workspace: &Workspace,
    catalog: &Catalog,
    person_id: i64,
    as_of: i64,
    limit: usize,
    min: usize,
) -> Result<Vec<Pick>> {
    let rows = sqlx::query(
        "SELECT name, product_id, count(*) AS n, max(ts) AS last FROM events
         WHERE person_id = ?1 AND ts <= ?2 AND product_id IS NOT NULL
           AND name IN ('view_item', 'add_to_cart', 'purchase')
         GROUP BY name, product_id",
    )
    .bind(person_id)
    .bind(as_of)
    .fetch_all(workspace.pool())
    .await
    .map_err(Error::db("reading the person's product events"))?;

    let mut viewed: BTreeMap<i64, Seen> = BTreeMap::new();
    let mut carted: BTreeMap<i64, Seen> = BTreeMap::new();
    let mut bought: HashSet<i64> = HashSet::new();
    for row in &rows {
        let name: &str = row.get("name");
        let product: i64 = row.get("product_id");
        let seen = Seen {
            count: row.get("n"),
            last: row.get("last"),
        };
        match name {
            "purchase" => {
                bought.insert(product);
            }
            "add_to_cart" => {
                carted.insert(product, seen);
            }
            _ => {
                viewed.insert(product, seen);
            }
        }
    }

    let mut chosen: Vec<Pick> = Vec::new();
    let mut taken: HashSet<i64> = HashSet::new();
    let mut push = |chosen: &mut Vec<Pick>, id: i64, kind: PickKind, reason: String| {
        if chosen.len() >= limit || bought.contains(&id) || !taken.insert(id) {
            return;
        }
        if let Some(product) = catalog.pickable(id) {
            chosen.push(Pick {
                product: product.clone(),
                kind,
                reason,
            });
        } else {
            taken.remove(&id);
        }
    };

    let recent = |m: &BTreeMap<i64, Seen>| {
        let mut list: Vec<(&i64, &Seen)> = m.iter().collect();
        list.sort_by(|a, b| b.1.last.cmp(&a.1.last).then(a.0.cmp(b.0)));
        list.into_iter()
            .map(|(id, s)| (*id, s.count, s.last))
            .collect::<Vec<_>>()
    };
    for (id, _, last) in recent(&carted) {
        push(
            &mut chosen,
            id,
            PickKind::Carted,
            format!("In their cart since {}, not bought", day(last)),
        );
    }
    for (id, count, last) in recent(&viewed) {
        let times = if count == 1 {
            "Viewed once".to_string()
        } else {
            format!("Viewed {count} times")
        };
        push(
            &mut chosen,
            id,
            PickKind::Viewed,
            format!("{times}, last on {}", day(last)),
        );
    }

    // Complements of everything the person touched, strongest first.
    let seeds: Vec<i64> = {
        let mut s: Vec<i64> = carted
            .keys()
            .chain(viewed.keys())
            .chain(bought.iter())
            .copied()
            .collect();
        s.sort_unstable();
        s.dedup();
        s
    };
    let title = |id: i64| {
        catalog
            .products
            .get(&id)
            .map(|p| p.title.clone())
            .unwrap_or_else(|| format!("product {id}"))
    };
    for (table, kind) in [
        (&catalog.co_bought, PickKind::CoBought),
        (&catalog.co_viewed, PickKind::CoViewed),
    ] {
        // candidate → (support, seed), keeping each candidate's best seed.
        let mut best: BTreeMap<i64, (u32, i64)> = BTreeMap::new();
        for &seed in &seeds {
            for &(other, n) in table.get(&seed).map(Vec::as_slice).unwrap_or(&[]) {
                let entry = best.entry(other).or_insert((n, seed));
                if n > entry.0 || (n == entry.0 && seed < entry.1) {
                    *entry = (n, seed);
                }
            }
        }
        let mut ranked: Vec<(i64, u32, i64)> = best
            .into_iter()
            .map(|(id, (n, seed))| (id, n, seed))
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (id, n, seed) in ranked {
            let reason = match kind {
                PickKind::CoBought => format!(
                    "Bought by {n} shoppers who also {} {}",
                    if bought.contains(&seed) {
                        "bought"
                    } else {
                        "looked at"
                    },
                    title(seed)
                ),
                _ => format!("Viewed by {n} shoppers who also viewed {}", title(seed)),
            };
            push(&mut chosen, id, kind, reason);
        }
    }

    if chosen.len() < min {
        for &(id, n) in &catalog.best_sellers {
            if chosen.len() >= min {
                break;
            }
            push(
                &mut chosen,
                id,
                PickKind::BestSeller,
                format!("Best seller, bought by {n} shoppers (not enough of their own behaviour)"),
            );
        }
    }
    Ok(chosen)
}
