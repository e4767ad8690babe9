//! Google Ads UI report downloads and Google Ads Editor exports.
//!
//! Reports: line 1 title, line 2 period in the UI locale (`All time`, `"January 20, 2026 -
//! January 21, 2026"`, `27 January 2026 - 23 February 2026`), line 3 header in the UI
//! language; counts with quoted thousands separators, ` --` placeholders, percent strings,
//! `< 10%`; `Total: ...` rows at the bottom are kept in [`crate::FileMeta::totals`] and
//! never become data. The UTF-16LE tab variant arrives here already decoded.
//!
//! Editor exports: tab-separated rows of campaigns or keywords with `[]`, ` -` and `;` lists.

use super::text;
use crate::records::{AdPlatform, CampaignMetrics, EditorEntity, Record};
use crate::rows::{Ctx, Header, Row};
use crate::values::{is_blank, parse_count, parse_decimal, parse_money, parse_percent, DateRange};
use crate::{FileMeta, Format, FormatError};

struct Columns {
    campaign: Option<usize>,
    campaign_id: Option<usize>,
    ad_group: Option<usize>,
    ad: Option<usize>,
    status: Option<usize>,
    campaign_type: Option<usize>,
    day: Option<usize>,
    impressions: Option<usize>,
    clicks: Option<usize>,
    cost: Option<usize>,
    conversions: Option<usize>,
    conversion_value: Option<usize>,
    currency: Option<usize>,
    ctr: Option<usize>,
    sis: Option<usize>,
}

impl Columns {
    fn new(h: &Header) -> Self {
        Columns {
            campaign: h.find(&["campaign", "kampagne", "campagne", "campaña", "campagna"]),
            campaign_id: h.find(&["campaign id", "kampagnen-id", "id de la campagne"]),
            ad_group: h.find(&[
                "ad group",
                "anzeigengruppe",
                "groupe d'annonces",
                "grupo de anuncios",
            ]),
            ad: h.find(&["ad id", "ad name", "ad"]),
            status: h.find(&["campaign status", "ad status", "status"]),
            campaign_type: h.find(&["campaign type", "ad type", "kampagnentyp"]),
            day: h.find(&["day", "date", "tag", "jour", "día"]),
            impressions: h.find(&["impr.", "impressions", "impr", "impressionen"]),
            clicks: h.find(&["clicks", "klicks", "clics"]),
            cost: h.find(&["cost", "kosten", "coût", "coste", "costo"]),
            conversions: h.find(&["conversions", "konversionen", "conversiones", "conv."]),
            conversion_value: h.find(&["conv. value", "conversion value", "konv.-wert"]),
            currency: h.find(&[
                "currency code",
                "currency",
                "währungscode",
                "code de la devise",
                "código de moneda",
            ]),
            ctr: h.find(&["ctr"]),
            sis: h.find(&["search impr. share"]),
        }
    }
    fn used(&self) -> Vec<usize> {
        [
            self.campaign,
            self.campaign_id,
            self.ad_group,
            self.ad,
            self.status,
            self.campaign_type,
            self.day,
            self.impressions,
            self.clicks,
            self.cost,
            self.conversions,
            self.conversion_value,
            self.currency,
            self.ctr,
            self.sis,
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// Parses one report row; `Err((column, value, reason))` names the bad cell.
fn metrics_row(
    row: &Row,
    c: &Columns,
    head: &[String],
    period: &DateRange,
) -> Result<CampaignMetrics, (String, String, String)> {
    let name = |i: usize| head.get(i).map_or(String::new(), |h| h.trim().to_string());
    let fail = |i: usize, reason: String| (name(i), row.get(i).to_string(), reason);
    let count = |i: Option<usize>| {
        i.map(|i| parse_count(row.get(i)).map_err(|r| fail(i, r)))
            .transpose()
            .map(Option::flatten)
    };
    let currency = c.currency.and_then(|i| text(row.get(i)));
    let money = |i: Option<usize>| {
        i.map(|i| parse_money(row.get(i), currency.as_deref()).map_err(|r| fail(i, r)))
            .transpose()
            .map(Option::flatten)
    };
    let percent = |i: Option<usize>| {
        i.map(|i| parse_percent(row.get(i)).map_err(|r| fail(i, r)))
            .transpose()
            .map(Option::flatten)
    };
    let cell = |i: Option<usize>| i.and_then(|i| text(row.get(i)));
    let used = c.used();
    let other = head
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i) && !is_blank(row.get(*i)))
        .map(|(i, h)| (h.trim().to_string(), row.get(i).trim().to_string()))
        .collect();
    Ok(CampaignMetrics {
        line: row.line,
        platform: AdPlatform::GoogleAds,
        campaign: cell(c.campaign).unwrap_or_default(),
        campaign_id: cell(c.campaign_id),
        ad_group: cell(c.ad_group),
        ad: cell(c.ad),
        status: cell(c.status),
        campaign_type: cell(c.campaign_type),
        date: match c.day.and_then(|i| text(row.get(i))) {
            Some(d) => Some(
                crate::values::parse_date(&d)
                    .map_err(|r| fail(c.day.unwrap_or(0), r))?
                    .to_string(),
            ),
            None => None,
        },
        period: period.clone(),
        age: None,
        gender: None,
        impressions: count(c.impressions)?,
        reach: None,
        clicks: count(c.clicks)?,
        cost: money(c.cost)?,
        conversions: c
            .conversions
            .map(|i| parse_decimal(row.get(i)).map_err(|r| fail(i, r)))
            .transpose()?
            .flatten(),
        conversion_value: money(c.conversion_value)?,
        ctr: percent(c.ctr)?,
        search_impression_share: percent(c.sis)?,
        other,
    })
}

fn is_totals_label(s: &str) -> bool {
    let t = s.trim();
    ["Total:", "Total :", "Gesamt:", "Totale:", "Totaal:"]
        .iter()
        .any(|p| t.starts_with(p))
}

pub(crate) fn report(ctx: &mut Ctx, meta: &mut FileMeta) -> Result<(), FormatError> {
    let mut pre = Vec::new();
    while pre.len() < 3 {
        match ctx.next_row()? {
            Some(r) if r.is_blank() => continue,
            Some(r) => {
                ctx.structural();
                pre.push(r);
            }
            None => {
                return Err(ctx.not_this(
                    Format::GoogleAdsReport,
                    "it ends before the title, date and header lines",
                ))
            }
        }
    }
    let head = pre.pop().unwrap_or_else(|| Row {
        line: 0,
        fields: vec![],
        bad_text: false,
    });
    meta.title = text(pre[0].get(0));
    let period = DateRange::parse(pre[1].get(0));
    meta.period = Some(period.clone());
    meta.header = head.fields.clone();
    let h = Header::new(&head.fields);
    let c = Columns::new(&h);
    if c.campaign.is_none() && c.ad_group.is_none() {
        return Err(ctx.not_this(
            Format::GoogleAdsReport,
            format!("line {} has no 'Campaign' or 'Ad group' column", head.line),
        ));
    }
    if c.impressions.is_none() && c.clicks.is_none() && c.cost.is_none() {
        return Err(ctx.not_this(
            Format::GoogleAdsReport,
            format!(
                "line {} has no 'Impr.', 'Clicks' or 'Cost' column",
                head.line
            ),
        ));
    }
    while let Some(row) = ctx.next_row()? {
        if row.is_blank() {
            continue;
        }
        if is_totals_label(row.get(0)) {
            ctx.structural();
            if let Ok(mut t) = metrics_row(&row, &c, &head.fields, &period) {
                t.campaign = row.get(0).trim().to_string();
                meta.totals.push(t);
            }
            continue;
        }
        match metrics_row(&row, &c, &head.fields, &period) {
            Ok(m) => ctx.accept(Record::CampaignMetrics(m))?,
            Err((column, value, reason)) => ctx.reject(row.line, Some(&column), &value, reason),
        }
    }
    Ok(())
}

pub(crate) fn editor(ctx: &mut Ctx, meta: &mut FileMeta) -> Result<(), FormatError> {
    let Some(head) = ctx.next_row()? else {
        return Err(ctx.not_this(Format::GoogleAdsEditor, "it is empty"));
    };
    ctx.structural();
    meta.header = head.fields.clone();
    let h = Header::new(&head.fields);
    let Some(campaign) = h.find(&["campaign"]) else {
        return Err(ctx.not_this(Format::GoogleAdsEditor, "line 1 has no 'Campaign' column"));
    };
    let ad_group = h.find(&["ad group"]);
    let keyword = h.find(&["keyword"]);
    let budget = h.find(&["budget"]);
    while let Some(row) = ctx.next_row()? {
        if row.is_blank() {
            continue;
        }
        let Some(campaign_name) = text(row.get(campaign)) else {
            ctx.reject(row.line, Some("Campaign"), "", "the campaign name is empty");
            continue;
        };
        let budget_v = match budget.map(|i| parse_money(row.get(i), None)).transpose() {
            Ok(b) => b.flatten(),
            Err(reason) => {
                ctx.reject(
                    row.line,
                    Some("Budget"),
                    row.get(budget.unwrap_or(0)),
                    reason,
                );
                continue;
            }
        };
        let kw = keyword.and_then(|i| text(row.get(i)));
        let ag = ad_group.and_then(|i| text(row.get(i)));
        let entity = match (&kw, &ag) {
            (Some(_), _) => "keyword",
            (None, Some(_)) => "ad_group",
            (None, None) if budget_v.is_some() || h.find(&["campaign type"]).is_some() => {
                "campaign"
            }
            _ => "row",
        };
        let skip = [Some(campaign), ad_group, keyword, budget];
        let attributes = head
            .fields
            .iter()
            .enumerate()
            .filter(|(i, _)| !skip.contains(&Some(*i)) && !is_blank(row.get(*i)))
            .map(|(i, name)| {
                let values = row
                    .get(i)
                    .split(';')
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
                    .collect();
                (name.trim().to_string(), values)
            })
            .collect();
        ctx.accept(Record::EditorEntity(EditorEntity {
            line: row.line,
            entity: entity.to_string(),
            campaign: campaign_name,
            ad_group: ag,
            keyword: kw,
            budget: budget_v,
            attributes,
        }))?;
    }
    Ok(())
}
