//! The flow's audience as an ESP-ready CSV: one row per person who entered
//! the flow in a dry run, with the fields an e-mail platform merges
//! (names, country, locale, time zone), the ids to match the person by
//! (the workspace keeps e-mails only hashed: `email_sha256`, and the shop's
//! customer or user id), consent, and the personalised subject and
//! preheader of their first e-mail in the flow, rendered for them.
//! Cells that a spreadsheet would run as a formula are prefixed with `'`.

use rebound_core::Workspace;
use sqlx::Row;

use crate::engine::DryRun;
use crate::error::{Error, Result};
use crate::history::person_fields;
use crate::message::{render, PersonFields};
use crate::model::{Flow, Message, Step};

pub const CSV_COLUMNS: &[&str] = &[
    "person_id",
    "customer_id",
    "email_sha256",
    "first_name",
    "last_name",
    "country",
    "locale",
    "time_zone",
    "email_consent",
    "entered_at",
    "split_arms",
    "first_email_step",
    "subject",
    "preheader",
    "last_viewed_product",
    "cart_product",
    "cart_price",
    "cart_link",
];

/// A cell made safe for spreadsheets (no formula injection).
pub fn safe_cell(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    }
}

fn rfc3339(micros: i64) -> String {
    chrono::DateTime::from_timestamp_micros(micros)
        .expect("instant in range")
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The CSV text for a dry run's audience. `as_of` is when consent is read.
pub async fn audience_csv(
    workspace: &Workspace,
    flow: &Flow,
    run: &DryRun,
    as_of: i64,
) -> Result<String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| Error::Template {
        what: "the audience CSV".into(),
        reason: e.to_string(),
    };
    out.write_record(CSV_COLUMNS).map_err(csv_err)?;
    for (person_id, entered_at) in &run.entered_people {
        let fields: PersonFields = person_fields(workspace, *person_id, as_of).await?;
        let ids = sqlx::query(
            "SELECT
               (SELECT value FROM identities WHERE person_id = ?1 AND kind IN ('customer_id', 'user_id') ORDER BY kind = 'user_id', id LIMIT 1),
               (SELECT email_sha256 FROM people WHERE id = ?1),
               (SELECT status FROM consent WHERE person_id = ?1 AND channel = 'email' AND recorded_at < ?2 ORDER BY recorded_at DESC, id DESC LIMIT 1)",
        )
        .bind(person_id)
        .bind(as_of)
        .fetch_one(workspace.pool())
        .await
        .map_err(Error::db("reading a person's ids"))?;
        let customer_id: Option<String> = ids.get(0);
        let email_sha256: Option<String> = ids.get(1);
        let consent: Option<String> = ids.get(2);
        let (step_id, subject, preheader) = match run.first_emails.get(person_id) {
            Some((step_id, variant)) => match flow.step(step_id) {
                Some(Step::Message {
                    message: Message::Email(e),
                    ..
                }) => {
                    let source = e
                        .subjects
                        .get(*variant)
                        .or(e.subjects.first())
                        .cloned()
                        .unwrap_or_default();
                    (
                        step_id.clone(),
                        render("subject.txt", &source, &fields)?,
                        render("preheader.txt", &e.preheader, &fields)?,
                    )
                }
                _ => (step_id.clone(), String::new(), String::new()),
            },
            None => (String::new(), String::new(), String::new()),
        };
        let arms = run
            .person_arms
            .get(person_id)
            .map(|a| {
                a.iter()
                    .map(|(s, arm)| format!("{s}={arm}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default();
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let record = vec![
            person_id.to_string(),
            opt(&customer_id),
            opt(&email_sha256),
            opt(&fields.first_name),
            opt(&fields.last_name),
            opt(&fields.country),
            opt(&fields.locale),
            fields.time_zone.clone(),
            consent.unwrap_or_else(|| "unknown".into()),
            rfc3339(*entered_at),
            arms,
            step_id,
            subject,
            preheader,
            fields
                .last_viewed
                .as_ref()
                .map(|p| p.title.clone())
                .unwrap_or_default(),
            fields
                .cart
                .as_ref()
                .map(|p| p.title.clone())
                .unwrap_or_default(),
            fields
                .cart
                .as_ref()
                .and_then(|p| p.price.clone())
                .unwrap_or_default(),
            fields
                .cart
                .as_ref()
                .and_then(|p| p.link.clone())
                .unwrap_or_default(),
        ];
        out.write_record(record.iter().map(|v| safe_cell(v)))
            .map_err(csv_err)?;
    }
    let bytes = out.into_inner().map_err(|e| Error::Template {
        what: "the audience CSV".into(),
        reason: e.to_string(),
    })?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 text is UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(safe_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_cell("+1"), "'+1");
        assert_eq!(safe_cell("Ann"), "Ann");
        assert_eq!(safe_cell(""), "");
    }
}
