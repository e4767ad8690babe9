//! Meta Ads Manager exports: BOM (removed by decoding), the currency in the header
//! (`Amount spent (USD)`), duplicate column names (the first wins), empty cells for zero
//! or undefined metrics, age/gender breakdowns, `Reporting starts`/`ends` as columns, and
//! the empty export's single `"No data available."` row.

use super::text;
use crate::records::{AdPlatform, CampaignMetrics, Record};
use crate::rows::{Ctx, Header, Row};
use crate::values::{
    currency_in_header, is_blank, parse_count, parse_date, parse_decimal, parse_money, DateRange,
};
use crate::{FileMeta, Format, FormatError};

pub(crate) fn parse(ctx: &mut Ctx, meta: &mut FileMeta) -> Result<(), FormatError> {
    let Some(head) = ctx.next_row()? else {
        return Err(ctx.not_this(Format::MetaAdsExport, "it is empty"));
    };
    ctx.structural();
    meta.header = head.fields.clone();
    let h = Header::new(&head.fields);
    let Some(spent) = h.find_prefix("amount spent") else {
        return Err(ctx.not_this(Format::MetaAdsExport, "line 1 has no 'Amount spent' column"));
    };
    let currency = currency_in_header(&head.fields[spent]);
    meta.currency = currency.clone();
    let cols = [
        h.find(&["campaign name"]),
        h.find(&["ad set name"]),
        h.find(&["ad name", "ads"]),
        h.find(&["day"]),
        h.find(&["reporting starts"]),
        h.find(&["reporting ends"]),
        h.find(&["age"]),
        h.find(&["gender"]),
        h.find(&["impressions"]),
        h.find(&["reach"]),
        h.find(&["link clicks"]),
        h.find(&["results"]),
        Some(spent),
        h.find(&["delivery status", "campaign delivery"]),
        h.find(&["result type"]),
        h.find(&["purchases", "website purchases"]),
        h.find(&[
            "purchases conversion value",
            "website purchases conversion value",
        ]),
        h.find(&[
            "purchase roas (return on ad spend)",
            "website purchase roas (return on ad spend)",
        ]),
        h.find(&["objective"]),
    ];
    let mut starts_seen: Option<String> = None;
    let mut ends_seen: Option<String> = None;
    while let Some(row) = ctx.next_row()? {
        if row.is_blank() {
            continue;
        }
        if row.fields.len() == 1 && row.get(0).trim().eq_ignore_ascii_case("No data available.") {
            ctx.structural();
            meta.note = Some(row.get(0).trim().to_string());
            continue;
        }
        match meta_row(&row, &head.fields, &cols, currency.as_deref()) {
            Ok(m) => {
                if let Some(s) = &m.period.start {
                    if starts_seen.as_ref().is_none_or(|x| s < x) {
                        starts_seen = Some(s.clone());
                    }
                }
                if let Some(e) = &m.period.end {
                    if ends_seen.as_ref().is_none_or(|x| e > x) {
                        ends_seen = Some(e.clone());
                    }
                }
                ctx.accept(Record::CampaignMetrics(m))?
            }
            Err((column, value, reason)) => ctx.reject(row.line, Some(&column), &value, reason),
        }
    }
    if starts_seen.is_some() || ends_seen.is_some() {
        meta.period = Some(DateRange {
            label: format!(
                "{} - {}",
                starts_seen.as_deref().unwrap_or(""),
                ends_seen.as_deref().unwrap_or("")
            ),
            start: starts_seen,
            end: ends_seen,
        });
    }
    Ok(())
}

/// Whether Meta's "Result type" names a conversion (a purchase, a lead, a
/// registration, ...), so its "Results" count as conversions. Link clicks,
/// reach, impressions, video plays and engagement are results but not
/// conversions: counted as conversions they would make every click convert.
pub fn is_conversion_result(result_type: &str) -> bool {
    const CONVERSIONS: [&str; 14] = [
        "purchase",
        "lead",
        "registration",
        "conversion",
        "checkout",
        "add to cart",
        "adds to cart",
        "payment info",
        "subscri",
        "trial",
        "application",
        "contact",
        "schedule",
        "donat",
    ];
    let t = result_type.trim().to_lowercase();
    !t.is_empty()
        && !t.contains("click")
        && !t.contains("view")
        && CONVERSIONS.iter().any(|c| t.contains(c))
}

/// Meta's campaign objective in the words of Ads Manager.
fn objective_label(objective: &str) -> Option<String> {
    let o = objective.trim().to_ascii_uppercase();
    let label = match o.trim_start_matches("OUTCOME_") {
        "" => return None,
        "LINK_CLICKS" | "TRAFFIC" => "Traffic",
        "SALES" | "CONVERSIONS" => "Sales",
        "PRODUCT_CATALOG_SALES" => "Catalog sales",
        "LEADS" | "LEAD_GENERATION" => "Leads",
        "AWARENESS" | "REACH" | "BRAND_AWARENESS" => "Awareness",
        "ENGAGEMENT" | "POST_ENGAGEMENT" | "PAGE_LIKES" | "EVENT_RESPONSES" | "MESSAGES" => {
            "Engagement"
        }
        "APP_PROMOTION" | "APP_INSTALLS" => "App promotion",
        "VIDEO_VIEWS" => "Video views",
        _ => return Some(objective.trim().to_string()),
    };
    Some(label.to_string())
}

fn meta_row(
    row: &Row,
    head: &[String],
    cols: &[Option<usize>; 19],
    currency: Option<&str>,
) -> Result<CampaignMetrics, (String, String, String)> {
    let [campaign, ad_set, ad, day, starts, ends, age, gender, impressions, reach, clicks, results, spent, status, result_type, purchases, purchase_value, roas, objective] =
        *cols;
    let fail =
        |i: usize, reason: String| (head[i].trim().to_string(), row.get(i).to_string(), reason);
    let cell = |i: Option<usize>| i.and_then(|i| text(row.get(i)));
    let count = |i: Option<usize>| {
        i.map(|i| parse_count(row.get(i)).map_err(|r| fail(i, r)))
            .transpose()
            .map(Option::flatten)
    };
    let date = |i: Option<usize>| match i.and_then(|i| text(row.get(i)).map(|t| (i, t))) {
        Some((i, t)) => parse_date(&t)
            .map(|d| Some(d.to_string()))
            .map_err(|r| fail(i, r)),
        None => Ok(None),
    };
    let cost = match spent {
        Some(i) => parse_money(row.get(i), currency).map_err(|r| fail(i, r))?,
        None => None,
    };
    let (s, e) = (date(starts)?, date(ends)?);
    let decimal = |i: Option<usize>| {
        i.map(|i| parse_decimal(row.get(i)).map_err(|r| fail(i, r)))
            .transpose()
            .map(Option::flatten)
    };
    // Results are conversions only when their type is one; else the
    // purchases column, if the export has one; else none reported.
    let result_kind = cell(result_type);
    let conversions = match (&result_kind, decimal(results)?) {
        (Some(kind), Some(n)) if is_conversion_result(kind) => Some(n),
        _ => decimal(purchases)?,
    };
    let conversion_value = match purchase_value {
        Some(i) if !is_blank(row.get(i)) => {
            parse_money(row.get(i), currency).map_err(|r| fail(i, r))?
        }
        _ => match (decimal(roas)?, &cost) {
            (Some(r), Some(c)) => Some(crate::values::Money {
                minor: (r * c.minor as f64).round() as i64,
                currency: c.currency.clone(),
            }),
            _ => None,
        },
    };
    let used = [
        campaign,
        ad_set,
        ad,
        day,
        starts,
        ends,
        age,
        gender,
        impressions,
        reach,
        clicks,
        results,
        spent,
        status,
    ];
    let mut other: Vec<(String, String)> = Vec::new();
    for (i, name) in head.iter().enumerate() {
        if used.contains(&Some(i)) || is_blank(row.get(i)) {
            continue;
        }
        // Duplicate column names (`Objective` twice): keep the first value only.
        if other.iter().any(|(n, _)| n == name.trim()) {
            continue;
        }
        other.push((name.trim().to_string(), row.get(i).trim().to_string()));
    }
    Ok(CampaignMetrics {
        line: row.line,
        platform: AdPlatform::Meta,
        campaign: cell(campaign).unwrap_or_default(),
        campaign_id: None,
        ad_group: cell(ad_set),
        ad: cell(ad),
        status: cell(status),
        campaign_type: cell(objective).and_then(|o| objective_label(&o)),
        date: date(day)?,
        period: DateRange {
            label: format!(
                "{} - {}",
                s.as_deref().unwrap_or(""),
                e.as_deref().unwrap_or("")
            ),
            start: s,
            end: e,
        },
        age: cell(age),
        gender: cell(gender),
        impressions: count(impressions)?,
        reach: count(reach)?,
        clicks: count(clicks)?,
        cost,
        conversions,
        conversion_value,
        ctr: None,
        search_impression_share: None,
        other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_conversion_result_types_are_conversions() {
        for kind in [
            "Purchases",
            "Website purchases",
            "Leads",
            "On-Facebook leads",
            "Registrations completed",
            "Adds to cart",
            "Checkouts initiated",
            "Trials started",
        ] {
            assert!(is_conversion_result(kind), "{kind}");
        }
        for kind in [
            "Link clicks",
            "Landing page views",
            "Reach",
            "Impressions",
            "ThruPlays",
            "Post engagements",
            "",
        ] {
            assert!(!is_conversion_result(kind), "{kind}");
        }
    }

    #[test]
    fn objectives_read_as_ads_manager_names_them() {
        assert_eq!(objective_label("LINK_CLICKS").as_deref(), Some("Traffic"));
        assert_eq!(objective_label("OUTCOME_SALES").as_deref(), Some("Sales"));
        assert_eq!(objective_label("OUTCOME_LEADS").as_deref(), Some("Leads"));
        assert_eq!(objective_label("").as_deref(), None);
    }
}
