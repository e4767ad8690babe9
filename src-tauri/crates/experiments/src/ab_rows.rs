//! The rows an imported A/B file makes: an experiment named after the file,
//! its variants, and either one exposure per person (a per-person file) or
//! each arm's totals (an arm-totals file, whose two arms may come as two
//! files: see [`pair_stem`]). The import owns the transaction and hands its
//! connection in; what an experiment is stays here, beside its analysis.

use std::collections::{BTreeMap, HashMap};

use rebound_core::bulk::{Batch, Value};
use rebound_core::{Error, Result};
use rebound_formats::{AbAggregate, AbPerson};
use serde_json::{json, Value as Json};
use sqlx::SqliteConnection;

const EXPOSURE_COLUMNS: &[&str] = &[
    "variant_id",
    "exposed_at",
    "converted",
    "value_minor",
    "unit_id",
    "metrics",
];

/// An experiment built from an A/B file.
struct AbState {
    experiment_id: i64,
    variants: HashMap<String, i64>,
    /// The outcome stored as `converted`: the column chosen at import, else
    /// the one the A/B reader (`rebound_formats::ab`) detects.
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
pub fn pair_stem(file_name: &str) -> String {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    stem.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !ARM_WORDS.contains(&w.to_lowercase().as_str()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// An arm-totals row as its file had it, kept by the import as a report row.
pub struct AggregateRow {
    pub line: u64,
    pub variant: String,
    /// The day the row is about, when the file gives one.
    pub day: Option<String>,
    /// The row's spend and metrics, as JSON.
    pub data: String,
}

/// Builds the experiment of one imported A/B file.
pub struct AbRows {
    import_id: i64,
    /// When the import runs, in microseconds since the Unix epoch: an
    /// exposure without a time of its own is dated so.
    now_micros: i64,
    state: Option<AbState>,
    exposures: Batch,
    experiments: u64,
    exposure_count: u64,
}

impl AbRows {
    pub fn new(import_id: i64, now_micros: i64) -> AbRows {
        AbRows {
            import_id,
            now_micros,
            state: None,
            exposures: Batch::new("experiment_exposures", EXPOSURE_COLUMNS),
            experiments: 0,
            exposure_count: 0,
        }
    }

    async fn experiment(&mut self, conn: &mut SqliteConnection, metric: &str) -> Result<i64> {
        if let Some(ab) = &self.state {
            return Ok(ab.experiment_id);
        }
        let name: String = sqlx::query_scalar("SELECT file_name FROM imports WHERE id = ?1")
            .bind(self.import_id)
            .fetch_one(&mut *conn)
            .await
            .map_err(Error::db("naming the experiment"))?;
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
        .bind(self.now_micros)
        .bind(self.import_id)
        .fetch_one(&mut *conn)
        .await
        .map_err(Error::db("adding the experiment"))?;
        self.state = Some(AbState {
            experiment_id: id,
            variants: HashMap::new(),
            conversion_metric: None,
            joined: false,
        });
        self.experiments += 1;
        Ok(id)
    }

    async fn variant(&mut self, conn: &mut SqliteConnection, name: &str) -> Result<i64> {
        let ab = self.state.as_ref().expect("experiment first");
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
        .fetch_one(&mut *conn)
        .await
        .map_err(Error::db("adding a variant"))?;
        self.state
            .as_mut()
            .expect("experiment")
            .variants
            .insert(name.to_string(), id);
        Ok(id)
    }

    /// Stores one row of a per-person file: who was in which arm, and what they did.
    pub async fn person(&mut self, conn: &mut SqliteConnection, p: AbPerson) -> Result<()> {
        if self.state.is_none() {
            // The column chosen at import, else the one `experiment analyze`
            // would count: the A/B reader settled it with the header.
            let conversion = p.outcome.clone();
            self.experiment(
                conn,
                if conversion.is_some() {
                    "conversion"
                } else {
                    "mean"
                },
            )
            .await?;
            let experiment = self.state.as_ref().expect("experiment").experiment_id;
            sqlx::query(
                "UPDATE experiments SET unit_label = 'people', conversion_label = ?2 WHERE id = ?1",
            )
            .bind(experiment)
            .bind(conversion.as_deref())
            .execute(&mut *conn)
            .await
            .map_err(Error::db("naming the experiment's outcome"))?;
            self.state.as_mut().expect("experiment").conversion_metric = conversion;
        }
        let variant = self.variant(conn, &p.variant).await?;
        let metric = self
            .state
            .as_ref()
            .and_then(|a| a.conversion_metric.clone());
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
            p.timestamp_micros.unwrap_or(self.now_micros).into(),
            i64::from(converted).into(),
            Value::Null,
            p.unit_id.clone().into(),
            Json::Object(metrics).to_string().into(),
        ]);
        self.exposure_count += 1;
        Ok(())
    }

    /// The experiment an aggregate file's first row joins: the other arm's,
    /// when an earlier A/B totals file is its pair (see [`pair_stem`]) with
    /// the same columns and one variant that is not this one; else a new one.
    async fn aggregate_experiment(
        &mut self,
        conn: &mut SqliteConnection,
        first: &AbAggregate,
    ) -> Result<()> {
        let this: String = sqlx::query_scalar("SELECT file_name FROM imports WHERE id = ?1")
            .bind(self.import_id)
            .fetch_one(&mut *conn)
            .await
            .map_err(Error::db("naming the experiment"))?;
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
        .fetch_all(&mut *conn)
        .await
        .map_err(Error::db("looking for the other arm of the test"))?;
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
            return self.experiment(conn, "conversion").await.map(|_| ());
        };
        // Named by its arms, the control first: "Control Campaign vs Test Campaign".
        let other: String =
            sqlx::query_scalar("SELECT name FROM experiment_variants WHERE experiment_id = ?1")
                .bind(id)
                .fetch_one(&mut *conn)
                .await
                .map_err(Error::db("naming the paired experiment"))?;
        let this_is_control = first.variant.to_lowercase().contains("control");
        let (a, b) = if this_is_control {
            (first.variant.as_str(), other.as_str())
        } else {
            (other.as_str(), first.variant.as_str())
        };
        sqlx::query("UPDATE experiments SET name = ?2 WHERE id = ?1")
            .bind(id)
            .bind(format!("{a} vs {b}"))
            .execute(&mut *conn)
            .await
            .map_err(Error::db("naming the paired experiment"))?;
        self.state = Some(AbState {
            experiment_id: id,
            variants: HashMap::new(),
            conversion_metric: None,
            joined: true,
        });
        Ok(())
    }

    /// Adds one row of an arm-totals file to its variant, and gives back the
    /// row as the file had it, for the import to keep as a report row.
    pub async fn aggregate(
        &mut self,
        conn: &mut SqliteConnection,
        a: AbAggregate,
    ) -> Result<AggregateRow> {
        let first = self.state.is_none();
        if first {
            self.aggregate_experiment(conn, &a).await?;
        }
        let variant = self.variant(conn, &a.variant).await?;
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
            let experiment = self.state.as_ref().expect("experiment").experiment_id;
            sqlx::query(
                "UPDATE experiments SET unit_label = coalesce(unit_label, ?2),
                                        conversion_label = coalesce(conversion_label, ?3)
                 WHERE id = ?1",
            )
            .bind(experiment)
            .bind(n.as_ref().map(|(k, _)| k.clone()))
            .bind(conversions.as_ref().map(|(k, _)| k.clone()))
            .execute(&mut *conn)
            .await
            .map_err(Error::db("naming the experiment's units"))?;
        }
        let (n, conversions) = (n.map(|(_, v)| v), conversions.map(|(_, v)| v));
        sqlx::query(
            "UPDATE experiment_variants SET n = coalesce(n, 0) + ?2, conversions = coalesce(conversions, 0) + ?3
             WHERE id = ?1",
        )
        .bind(variant)
        .bind(n.unwrap_or(0))
        .bind(conversions.unwrap_or(0))
        .execute(&mut *conn)
        .await
        .map_err(Error::db("adding variant totals"))?;
        let data = json!({
            "spend": a.spend,
            "metrics": a.metrics.iter().cloned().collect::<BTreeMap<_, _>>(),
        })
        .to_string();
        Ok(AggregateRow {
            line: a.line,
            variant: a.variant,
            day: a.date,
            data,
        })
    }

    /// Enough exposures buffered to be worth a write.
    pub fn is_full(&self) -> bool {
        self.exposures.is_full()
    }

    /// Writes the buffered exposures.
    pub async fn write(&mut self, conn: &mut SqliteConnection) -> Result<()> {
        self.exposures.write(conn).await
    }

    /// Writes what is buffered and totals the variants from their exposures;
    /// without a variant named control, the first one in the file is.
    pub async fn finish(&mut self, conn: &mut SqliteConnection) -> Result<()> {
        self.write(conn).await?;
        if let Some(ab) = &self.state {
            sqlx::query(
                "UPDATE experiment_variants SET
                     n = coalesce((SELECT count(*) FROM experiment_exposures x WHERE x.variant_id = experiment_variants.id), n),
                     conversions = coalesce((SELECT sum(converted) FROM experiment_exposures x WHERE x.variant_id = experiment_variants.id), conversions)
                 WHERE experiment_id = ?1
                   AND EXISTS (SELECT 1 FROM experiment_exposures x WHERE x.variant_id = experiment_variants.id)",
            )
            .bind(ab.experiment_id)
            .execute(&mut *conn)
            .await
            .map_err(Error::db("totalling variants"))?;
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
                .execute(&mut *conn)
                .await
                .map_err(Error::db("choosing the control"))?;
            }
        }
        Ok(())
    }

    /// What was stored, for the import's history: experiments and exposures.
    pub fn counts(&self) -> [(&'static str, u64); 2] {
        [
            ("experiments", self.experiments),
            ("exposures", self.exposure_count),
        ]
    }
}
