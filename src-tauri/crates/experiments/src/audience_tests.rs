//! Experiments on things in the workspace: an audience (a segment's members
//! on the start day) is split at random among arms — a holdout that gets
//! nothing, two versions of a creative, two versions of a sequence step — and
//! each person's outcome is read from the event log after the start.
//!
//! The split is seeded and repeatable: a person's arm depends only on the
//! seed and their id, so the arms can be exported (to upload as ad audiences
//! or send lists) and the same people land in the same arms when the result
//! is read again later. Revenue is counted in one currency only, and the
//! same revenue in the period before the start is kept as the covariate for
//! CUPED.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::Row as _;
use ts_rs::TS;

use rebound_core::bulk::{Batch, Value};
use rebound_core::time::{end_of_day, MICROS_PER_DAY};
use rebound_core::{Error, Result, Workspace};

/// What the arms are versions of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AudienceSubject {
    /// A segment with a holdout (or several treatments of it).
    Segment,
    /// Versions of a creative.
    Creative,
    /// Versions of one step of a sequence.
    SequenceStep,
}

impl AudienceSubject {
    fn key(self) -> &'static str {
        match self {
            AudienceSubject::Segment => "segment",
            AudienceSubject::Creative => "creative",
            AudienceSubject::SequenceStep => "sequence_step",
        }
    }
}

/// One arm and its share of the audience (weights are relative).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AudienceArm {
    pub name: String,
    pub weight: u32,
    pub is_control: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AudienceTestRequest {
    pub name: String,
    pub subject: AudienceSubject,
    /// The segment, creative or sequence the arms belong to, if stored.
    #[ts(optional, type = "number")]
    pub subject_id: Option<i64>,
    /// How the marketer knows the subject ("Cart abandoners").
    pub subject_label: String,
    pub arms: Vec<AudienceArm>,
    /// Seeds the split; the same seed puts the same people in the same arms.
    pub seed: u32,
    /// The day whose end the audience is taken at (UTC): the same moment as
    /// the segment "as of" that day. Outcomes count from that moment.
    #[ts(type = "string")]
    pub start: NaiveDate,
    /// The last day outcomes count (inclusive), after the start day.
    #[ts(type = "string")]
    pub end: NaiveDate,
    /// The event that counts as a conversion (`purchase`).
    pub outcome_event: String,
    /// Revenue of outcome events in this currency only (ISO code).
    pub currency: String,
    /// Days before the start whose revenue is the CUPED covariate (0: none).
    pub pre_period_days: u32,
    /// For versions of a sequence step: the flow and split step the arms
    /// are. People are then split as the sequence dry run splits them, so
    /// with the same seed every person is in the same arm in both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub split: Option<SplitOf>,
}

/// A random split step of a saved flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SplitOf {
    /// The flow's name (what the dry run draws with).
    pub flow: String,
    /// The split step's id.
    pub step: String,
}

impl AudienceTestRequest {
    /// The arm (index into `arms`) of a person: depends only on the seed and
    /// their id, and for a flow's split on the flow and step too, drawn as
    /// the dry run draws.
    pub fn arm_of(&self, person_id: i64) -> usize {
        match &self.split {
            Some(split) => rebound_core::random::split_arm(
                u64::from(self.seed),
                &split.flow,
                &split.step,
                person_id,
                self.arms.iter().map(|a| a.weight),
            ),
            None => arm_of(person_id, self.seed, &self.arms),
        }
    }
}

/// Longest list of arms a test accepts.
pub const MAX_ARMS: usize = 10;

/// SplitMix64's finaliser: a well-mixed 64-bit value from a seed.
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The arm (index into `arms`) of a person: depends only on seed and id.
pub fn arm_of(person_id: i64, seed: u32, arms: &[AudienceArm]) -> usize {
    let total: u64 = arms.iter().map(|a| u64::from(a.weight)).sum();
    let mut point = mix((u64::from(seed) << 32) ^ person_id as u64 ^ mix(u64::from(seed))) % total;
    for (i, arm) in arms.iter().enumerate() {
        if point < u64::from(arm.weight) {
            return i;
        }
        point -= u64::from(arm.weight);
    }
    unreachable!("the point is below the total weight")
}

impl AudienceTestRequest {
    /// The moment people are assigned to arms: the end of the start day, the
    /// moment a segment counted "as of" that day is counted at.
    pub fn assigned_at(&self) -> i64 {
        end_of_day(self.start)
    }

    /// Refuses what would make a meaningless test, saying why.
    pub fn validate(&self) -> Result<()> {
        let bad = |reason: String| Err(Error::InvalidInput(reason));
        if self.name.trim().is_empty() {
            return bad("give the test a name".into());
        }
        if let Some(problem) = arms_problem(&self.arms) {
            return bad(problem);
        }
        if self.end <= self.start {
            return bad(format!(
                "the test's last day ({}) must come after its start day ({}): the audience is \
                 taken at the end of the start day and outcomes count from then",
                self.end, self.start
            ));
        }
        if self.outcome_event.trim().is_empty() {
            return bad("choose the event that counts as a conversion".into());
        }
        if self.currency.len() != 3 || !self.currency.chars().all(|c| c.is_ascii_uppercase()) {
            return bad(format!("{:?} is not an ISO currency code", self.currency));
        }
        if self.split.is_some() && self.subject != AudienceSubject::SequenceStep {
            return bad("only a test of a sequence step is split as a flow's split".into());
        }
        Ok(())
    }
}

/// What is wrong with a test's arms, in words, or `None` when they make a
/// test: 2 to [`MAX_ARMS`] arms, exactly one the control, each with a name
/// of its own and a share above zero. The app checks the arms with this as
/// they are edited ([`check_arms`]) and [`AudienceTestRequest::validate`]
/// refuses a request with it.
pub fn arms_problem(arms: &[AudienceArm]) -> Option<String> {
    if !(2..=MAX_ARMS).contains(&arms.len()) {
        return Some(format!(
            "a test needs 2 to {MAX_ARMS} arms, not {}",
            arms.len()
        ));
    }
    let mut names: Vec<&str> = arms.iter().map(|a| a.name.trim()).collect();
    if names.iter().any(|n| n.is_empty()) {
        return Some("every arm needs a name".into());
    }
    names.sort_unstable();
    if names.windows(2).any(|w| w[0] == w[1]) {
        return Some("arm names must differ".into());
    }
    if let Some(arm) = arms.iter().find(|a| a.weight == 0) {
        return Some(format!(
            "arm {:?} has no share of the audience",
            arm.name.trim()
        ));
    }
    if arms.iter().filter(|a| a.is_control).count() != 1 {
        return Some("exactly one arm must be the control".into());
    }
    None
}

/// Each arm's planned share of the audience (0 to 1) from the relative
/// weights: what the test stores and the sample-ratio check compares with.
/// All zero when no arm has a weight.
pub fn planned_shares(arms: &[AudienceArm]) -> Vec<f64> {
    let total: f64 = arms.iter().map(|a| f64::from(a.weight)).sum();
    arms.iter()
        .map(|a| {
            if total > 0.0 {
                f64::from(a.weight) / total
            } else {
                0.0
            }
        })
        .collect()
}

/// The arms as the app shows them while they are edited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ArmsCheck {
    /// Each arm's planned share of the audience, 0 to 1, in the arms' order.
    pub shares: Vec<f64>,
    /// What is wrong with the arms, or `None` when they make a test.
    pub problem: Option<String>,
}

pub fn check_arms(arms: &[AudienceArm]) -> ArmsCheck {
    ArmsCheck {
        shares: planned_shares(arms),
        problem: arms_problem(arms),
    }
}

/// Splits `audience` (person ids) among the arms, reads each person's outcome
/// between the start and the end of the last day, and stores it all as one
/// experiment with per-person exposures. `now` (UTC micros) decides whether
/// the test is still running. Returns the experiment's id.
pub async fn create(
    workspace: &Workspace,
    request: &AudienceTestRequest,
    audience: &[i64],
    now: i64,
) -> Result<i64> {
    request.validate()?;
    if audience.is_empty() {
        return Err(Error::InvalidInput(format!(
            "{} has nobody in it at the end of {}: there is no one to split",
            request.subject_label, request.start
        )));
    }
    let start = request.assigned_at();
    let end = end_of_day(request.end);
    let pre_start = start - i64::from(request.pre_period_days) * MICROS_PER_DAY;

    let mut ids = String::with_capacity(audience.len() * 8);
    ids.push('[');
    for (i, id) in audience.iter().enumerate() {
        if i > 0 {
            ids.push(',');
        }
        ids.push_str(&id.to_string());
    }
    ids.push(']');
    // One indexed look-up per person on events(person_id, ts).
    let outcomes = sqlx::query(
        "WITH m(id) AS (SELECT value FROM json_each(?1))
         SELECT m.id,
           EXISTS (SELECT 1 FROM events e WHERE e.person_id = m.id AND e.name = ?2
                   AND e.ts >= ?3 AND e.ts < ?4),
           (SELECT sum(e.value_minor) FROM events e WHERE e.person_id = m.id AND e.name = ?2
                   AND e.ts >= ?3 AND e.ts < ?4 AND e.currency = ?5),
           (SELECT coalesce(sum(e.value_minor), 0) FROM events e WHERE e.person_id = m.id
                   AND e.name = ?2 AND e.ts >= ?6 AND e.ts < ?3 AND e.currency = ?5)
         FROM m JOIN people p ON p.id = m.id",
    )
    .bind(&ids)
    .bind(&request.outcome_event)
    .bind(start)
    .bind(end)
    .bind(&request.currency)
    .bind(pre_start)
    .fetch_all(workspace.pool())
    .await
    .map_err(Error::db("reading the audience's outcomes"))?;

    let status = if end <= now { "finished" } else { "running" };
    let mut tx = workspace
        .pool()
        .begin()
        .await
        .map_err(Error::db("starting to store the test"))?;
    let arms_text = request
        .arms
        .iter()
        .map(|a| format!("{} {}", a.name, a.weight))
        .collect::<Vec<_>>()
        .join(" / ");
    let hypothesis = format!(
        "{}: {} split at random (seed {}{}) on {}; a conversion is a {} by {} (revenue in {}).",
        request.subject_label,
        arms_text,
        request.seed,
        request
            .split
            .as_ref()
            .map(|s| format!(", as the dry run of {} splits at {}", s.flow, s.step))
            .unwrap_or_default(),
        request.start,
        request.outcome_event,
        request.end,
        request.currency
    );
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO experiments (name, hypothesis, status, metric, subject_kind, subject_id,
                                  started_at, ended_at, created_at, conversion_label, unit_label, currency)
         VALUES (?1, ?2, ?3, 'conversion', ?4, ?5, ?6, ?7, ?8, ?9, 'people', ?10) RETURNING id",
    )
    .bind(request.name.trim())
    .bind(hypothesis)
    .bind(status)
    .bind(request.subject.key())
    .bind(request.subject_id)
    .bind(start)
    .bind(end - 1)
    .bind(now)
    .bind(request.outcome_event.trim())
    .bind(&request.currency)
    .fetch_one(&mut *tx)
    .await
    .map_err(Error::db("storing the test"))?;
    let mut variant_ids = Vec::with_capacity(request.arms.len());
    let shares = planned_shares(&request.arms);
    for (arm, share) in request.arms.iter().zip(shares) {
        let variant: i64 = sqlx::query_scalar(
            "INSERT INTO experiment_variants (experiment_id, name, is_control, planned_share)
             VALUES (?1, ?2, ?3, ?4) RETURNING id",
        )
        .bind(id)
        .bind(arm.name.trim())
        .bind(i64::from(arm.is_control))
        .bind(share)
        .fetch_one(&mut *tx)
        .await
        .map_err(Error::db("storing an arm"))?;
        variant_ids.push(variant);
    }
    let mut batch = Batch::new(
        "experiment_exposures",
        &[
            "variant_id",
            "person_id",
            "exposed_at",
            "converted",
            "value_minor",
            "covariate",
        ],
    );
    for row in &outcomes {
        let person: i64 = row.get(0);
        let converted: i64 = row.get(1);
        let value: Option<i64> = row.get(2);
        let before: i64 = row.get(3);
        let arm = request.arm_of(person);
        batch.push([
            Value::Int(variant_ids[arm]),
            Value::Int(person),
            Value::Int(start),
            Value::Int(converted),
            value.map_or(Value::Int(0), Value::Int),
            if request.pre_period_days > 0 {
                Value::Real(rebound_core::money::to_major(before, &request.currency))
            } else {
                Value::Null
            },
        ]);
        if batch.is_full() {
            batch.write(&mut tx).await?;
        }
    }
    batch.write(&mut tx).await?;
    tx.commit().await.map_err(Error::db("saving the test"))?;
    Ok(id)
}

/// The arms of an audience test as CSV, one person per row, to upload as ad
/// audiences or send lists: `person_id,arm,email_sha256`.
pub async fn arms_csv(workspace: &Workspace, experiment_id: i64) -> Result<String> {
    let rows = sqlx::query(
        "SELECT x.person_id, v.name, p.email_sha256
         FROM experiment_exposures x
         JOIN experiment_variants v ON v.id = x.variant_id
         JOIN people p ON p.id = x.person_id
         WHERE v.experiment_id = ?1 ORDER BY v.id, x.person_id",
    )
    .bind(experiment_id)
    .fetch_all(workspace.pool())
    .await
    .map_err(Error::db("reading the test's arms"))?;
    if rows.is_empty() {
        return Err(Error::InvalidInput(format!(
            "experiment {experiment_id} has no people assigned to arms"
        )));
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    let write = |out: &mut csv::Writer<Vec<u8>>, record: &[String]| {
        out.write_record(record)
            .map_err(|e| Error::InvalidInput(format!("cannot write the arms: {e}")))
    };
    write(
        &mut out,
        &["person_id".into(), "arm".into(), "email_sha256".into()],
    )?;
    for row in rows {
        let person: i64 = row.get(0);
        let arm: String = row.get(1);
        let email: Option<String> = row.get(2);
        write(
            &mut out,
            &[person.to_string(), arm, email.unwrap_or_default()],
        )?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| Error::InvalidInput(format!("cannot write the arms: {e}")))?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 text is UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arms(weights: &[u32]) -> Vec<AudienceArm> {
        weights
            .iter()
            .enumerate()
            .map(|(i, w)| AudienceArm {
                name: format!("arm {i}"),
                weight: *w,
                is_control: i == 0,
            })
            .collect()
    }

    #[test]
    fn the_split_follows_the_weights_and_repeats_for_a_seed() {
        let arms = arms(&[10, 90]);
        let picks: Vec<usize> = (1..=20_000).map(|id| arm_of(id, 7, &arms)).collect();
        let holdout = picks.iter().filter(|&&a| a == 0).count() as f64 / 20_000.0;
        assert!((holdout - 0.10).abs() < 0.01, "holdout share {holdout}");
        let again: Vec<usize> = (1..=20_000).map(|id| arm_of(id, 7, &arms)).collect();
        assert_eq!(picks, again);
        let other: Vec<usize> = (1..=20_000).map(|id| arm_of(id, 8, &arms)).collect();
        assert_ne!(picks, other, "another seed is another split");
    }

    #[test]
    fn arms_are_checked_as_they_are_edited_with_their_shares() {
        let arm = |name: &str, weight: u32, is_control: bool| AudienceArm {
            name: name.into(),
            weight,
            is_control,
        };
        let ok = check_arms(&[arm("Holdout", 10, true), arm("Treatment", 30, false)]);
        assert_eq!(ok.shares, vec![0.25, 0.75]);
        assert_eq!(ok.problem, None);
        for (arms, problem) in [
            (
                vec![arm("Only", 1, true)],
                "a test needs 2 to 10 arms, not 1",
            ),
            (
                vec![arm("A", 1, true), arm(" ", 1, false)],
                "every arm needs a name",
            ),
            (
                vec![arm("A", 1, true), arm("A ", 1, false)],
                "arm names must differ",
            ),
            (
                vec![arm("A", 1, true), arm("B", 0, false)],
                "arm \"B\" has no share of the audience",
            ),
            (
                vec![arm("A", 1, false), arm("B", 1, false)],
                "exactly one arm must be the control",
            ),
        ] {
            assert_eq!(check_arms(&arms).problem.as_deref(), Some(problem));
        }
        let none = check_arms(&[arm("A", 0, true), arm("B", 0, false)]);
        assert_eq!(none.shares, vec![0.0, 0.0]);
    }

    #[test]
    fn requests_that_cannot_make_a_test_are_refused_with_the_reason() {
        let ok = AudienceTestRequest {
            name: "Holdout".into(),
            subject: AudienceSubject::Segment,
            subject_id: None,
            subject_label: "Cart abandoners".into(),
            arms: arms(&[10, 90]),
            seed: 1,
            start: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            end: NaiveDate::from_ymd_opt(2026, 10, 14).unwrap(),
            outcome_event: "purchase".into(),
            currency: "USD".into(),
            pre_period_days: 30,
            split: None,
        };
        assert!(ok.validate().is_ok());
        let refused = |change: &dyn Fn(&mut AudienceTestRequest), word: &str| {
            let mut r = ok.clone();
            change(&mut r);
            let message = r.validate().unwrap_err().to_string();
            assert!(message.contains(word), "{message}");
        };
        refused(&|r| r.arms.truncate(1), "2 to 10 arms");
        refused(&|r| r.arms[1].is_control = true, "exactly one arm");
        refused(&|r| r.arms[1].weight = 0, "no share");
        refused(&|r| r.arms[1].name = "arm 0".into(), "must differ");
        refused(&|r| r.arms[1].name = "  ".into(), "needs a name");
        refused(
            &|r| {
                r.split = Some(SplitOf {
                    flow: "Cart".into(),
                    step: "split-1".into(),
                })
            },
            "only a test of a sequence step",
        );
        refused(
            &|r| r.end = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            "must come after its start day",
        );
        // Taken at the end of its start day, a one-day test has no time left for outcomes.
        refused(&|r| r.end = r.start, "must come after its start day");
        assert_eq!(
            ok.assigned_at(),
            end_of_day(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap())
        );
        refused(&|r| r.currency = "usd".into(), "ISO currency");
    }

    #[tokio::test]
    async fn a_holdout_on_demo_buyers_is_stored_per_person_and_analysed_with_cuped() {
        use rebound_charts::ChartTheme;
        use rebound_demo::{generate, DemoOptions};
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(&dir.path().join("x.rebound"))
            .await
            .unwrap();
        let options = DemoOptions {
            people: 3_000,
            seed: 5,
            end_date: NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
            currency: rebound_demo::CURRENCY.to_string(),
        };
        generate(&ws, &options, &|_| {}, &rebound_core::CancelToken::new())
            .await
            .unwrap();
        let start = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
        // Everyone who viewed a product in the 30 days to the end of the start
        // day: the audience a segment "as of" that day has.
        let audience: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT person_id FROM events WHERE name = 'view_item' AND ts >= ?1 AND ts < ?2 ORDER BY 1",
        )
        .bind(end_of_day(start) - 30 * MICROS_PER_DAY)
        .bind(end_of_day(start))
        .fetch_all(ws.pool())
        .await
        .unwrap();
        assert!(audience.len() > 500, "{} people", audience.len());
        let request = AudienceTestRequest {
            name: "September viewers holdout".into(),
            subject: AudienceSubject::Segment,
            subject_id: None,
            subject_label: "September viewers".into(),
            arms: arms(&[20, 80]),
            seed: 11,
            start,
            end,
            outcome_event: "purchase".into(),
            currency: "USD".into(),
            pre_period_days: 30,
            split: None,
        };
        let now = end_of_day(end) + MICROS_PER_DAY;
        let id = create(&ws, &request, &audience, now).await.unwrap();

        let data = crate::data(&ws, id).await.unwrap();
        let n: u64 = data.variants.iter().map(|v| v.n).sum();
        assert_eq!(n, audience.len() as u64);
        let buyers: i64 = sqlx::query_scalar(
            "SELECT count(DISTINCT person_id) FROM events WHERE name = 'purchase' AND ts >= ?1 AND ts < ?2
             AND person_id IN (SELECT value FROM json_each(?3))",
        )
        .bind(end_of_day(start))
        .bind(end_of_day(end))
        .bind(serde_json::to_string(&audience).unwrap())
        .fetch_one(ws.pool())
        .await
        .unwrap();
        let conversions: u64 = data.variants.iter().map(|v| v.conversions.unwrap()).sum();
        assert_eq!(conversions, buyers as u64);
        assert!(data.variants.iter().all(|v| v.covariate.is_some()));
        assert_eq!(data.conversion_metric.as_deref(), Some("purchase"));
        let control_share = data.variants[0].n as f64 / n as f64;
        assert!(
            (control_share - 0.2).abs() < 0.05,
            "control share {control_share}"
        );

        let detail = crate::detail(&ws, id, ChartTheme::Light).await.unwrap();
        assert_eq!(detail.experiment.status, "finished");
        let srm = &detail.report.srm;
        assert!(
            !srm.flagged && srm.expected_shares == [0.2, 0.8],
            "a 20/80 split is checked against 20/80: {srm:?}"
        );
        assert!(!detail.report.verdict.headline.is_empty());

        let csv = arms_csv(&ws, id).await.unwrap();
        assert!(csv.starts_with("person_id,arm,email_sha256\n"));
        assert_eq!(csv.lines().count(), audience.len() + 1);
        // Read again, the same people are in the same arms.
        let again = create(&ws, &request, &audience, now).await.unwrap();
        let again_csv = arms_csv(&ws, again).await.unwrap();
        assert_eq!(csv, again_csv);
    }
}
