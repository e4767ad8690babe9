//! Format detection from content only (never the file name). [`sniff`] looks at the first
//! bytes of a file and returns the format with a confidence and the evidence in plain
//! sentences, so the user can see why and override it.

use crate::decode::decode_prefix;
use serde::{Deserialize, Serialize};

/// Every file format this crate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Rees46Events,
    RetailrocketEvents,
    Ga4BigQueryNdjson,
    Ga4Report,
    Ga4Exploration,
    GoogleAdsReport,
    GoogleAdsEditor,
    MetaAdsExport,
    SearchConsolePerformance,
    SearchConsoleFilters,
    ShopifyOrders,
    MerchantCenterFeed,
    MerchantCenterXml,
    MetaCatalog,
    ContactList,
    AbPerPerson,
    AbAggregate,
    /// A delimited file with a header nobody recognised: it goes through a column mapping.
    GenericCsv,
    /// JSON lines nobody recognised: they go through a column mapping.
    GenericJsonl,
    /// An Excel workbook; its first sheet is sniffed again as rows.
    Xlsx,
    Unknown,
}

impl Format {
    /// Every format, in a stable order.
    pub const ALL: [Format; 21] = [
        Format::Rees46Events,
        Format::RetailrocketEvents,
        Format::Ga4BigQueryNdjson,
        Format::Ga4Report,
        Format::Ga4Exploration,
        Format::GoogleAdsReport,
        Format::GoogleAdsEditor,
        Format::MetaAdsExport,
        Format::SearchConsolePerformance,
        Format::SearchConsoleFilters,
        Format::ShopifyOrders,
        Format::MerchantCenterFeed,
        Format::MerchantCenterXml,
        Format::MetaCatalog,
        Format::ContactList,
        Format::AbPerPerson,
        Format::AbAggregate,
        Format::GenericCsv,
        Format::GenericJsonl,
        Format::Xlsx,
        Format::Unknown,
    ];

    /// The name shown to a marketer.
    pub fn label(&self) -> &'static str {
        match self {
            Format::Rees46Events => "REES46 event log",
            Format::RetailrocketEvents => "Retailrocket event log",
            Format::Ga4BigQueryNdjson => "GA4 BigQuery export (NDJSON)",
            Format::Ga4Report => "GA4 report download",
            Format::Ga4Exploration => "GA4 exploration download",
            Format::GoogleAdsReport => "Google Ads report",
            Format::GoogleAdsEditor => "Google Ads Editor export",
            Format::MetaAdsExport => "Meta Ads Manager export",
            Format::SearchConsolePerformance => "Search Console performance export",
            Format::SearchConsoleFilters => "Search Console filters file",
            Format::ShopifyOrders => "Shopify order export",
            Format::MerchantCenterFeed => "Google Merchant Center product feed",
            Format::MerchantCenterXml => "Google Merchant Center XML feed",
            Format::MetaCatalog => "Meta catalog CSV",
            Format::ContactList => "contact list",
            Format::AbPerPerson => "A/B test results (one row per person)",
            Format::AbAggregate => "A/B test results (totals per variant)",
            Format::GenericCsv => "CSV file (needs a column mapping)",
            Format::GenericJsonl => "JSON lines file (needs a column mapping)",
            Format::Xlsx => "Excel workbook",
            Format::Unknown => "unrecognised file",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// What [`sniff`] concluded and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Detection {
    pub format: Format,
    /// 0.0 to 1.0.
    pub confidence: f32,
    /// Sentences such as "line 3 is a Google Ads header with 'Campaign', 'Cost'".
    pub evidence: Vec<String>,
    /// "UTF-8", "UTF-16LE with BOM", ...
    pub encoding: String,
    /// The field delimiter: ",", "\t" or ";".
    pub delimiter: String,
}

/// How many bytes of a file [`sniff`] wants to see; more is ignored.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// Splits one text line into cells, honouring double quotes (good enough for headers).
pub(crate) fn split_line(line: &str, delimiter: char) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' if quoted => quoted = false,
            // A quote opens a quoted field only at the start of the field, as in RFC 4180.
            '"' if cur.is_empty() => quoted = true,
            c if c == delimiter && !quoted => cells.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    cells.push(cur);
    cells
}

/// The percentage of characters that are not text (control characters other than tab and
/// line breaks, or bytes the encoding could not decode), when it is high enough to call the
/// content binary: exports are text, and even a damaged one has few such characters.
fn binary_share(text: &str) -> Option<u32> {
    let (mut total, mut odd) = (0u32, 0u32);
    for c in text.chars().take(4096) {
        total += 1;
        let control = c.is_control() && !matches!(c, '\t' | '\n' | '\r');
        if control || c == char::REPLACEMENT_CHARACTER {
            odd += 1;
        }
    }
    let share = (odd * 100).checked_div(total)?;
    (odd >= 8 && share >= 10).then_some(share)
}

fn guess_delimiter(line: &str) -> char {
    let count = |d: char| split_line(line, d).len();
    let (tabs, commas, semis) = (count('\t'), count(','), count(';'));
    if tabs > 1 && tabs >= commas {
        '\t'
    } else if commas <= 1 && semis > 1 {
        ';'
    } else {
        ','
    }
}

pub(crate) fn norm(s: &str) -> String {
    s.trim().trim_start_matches('\u{feff}').to_ascii_lowercase()
}

fn has_all(header: &[String], names: &[&str]) -> bool {
    names.iter().all(|n| header.iter().any(|h| norm(h) == *n))
}

fn has_any(header: &[String], names: &[&str]) -> bool {
    names.iter().any(|n| header.iter().any(|h| norm(h) == *n))
}

fn quote_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Recognises Google Ads report header cells in English (US and UK) and a few other UI
/// languages; used by the sniffer and the Google Ads parser alike.
pub(crate) fn google_ads_metric_header(h: &str) -> bool {
    matches!(
        norm(h).as_str(),
        "impr."
            | "impressions"
            | "cost"
            | "clicks"
            | "conversions"
            | "kosten"
            | "klicks"
            | "coût"
            | "clics"
            | "coste"
            | "costo"
            | "impr"
            | "conv."
    )
}

/// Detects the format of a file from its first bytes (see [`SNIFF_BYTES`]).
pub fn sniff(prefix: &[u8]) -> Detection {
    let prefix = &prefix[..prefix.len().min(SNIFF_BYTES)];
    if prefix.starts_with(b"PK\x03\x04") {
        return Detection {
            format: Format::Xlsx,
            confidence: 0.9,
            evidence: vec!["the file starts with a ZIP signature, as Excel workbooks do".into()],
            encoding: "binary".into(),
            delimiter: String::new(),
        };
    }
    let (text, enc) = decode_prefix(prefix);
    let encoding = enc.describe();
    if let Some(share) = binary_share(&text) {
        return Detection {
            format: Format::Unknown,
            confidence: 0.95,
            evidence: vec![format!(
                "{share}% of its first characters are not text: it is binary content with no header row, not an export this app reads"
            )],
            encoding: "binary".into(),
            delimiter: String::new(),
        };
    }
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let first_idx = lines.iter().position(|l| !l.trim().is_empty());
    let Some(first_idx) = first_idx else {
        return Detection {
            format: Format::Unknown,
            confidence: 0.0,
            evidence: vec!["the file is empty".into()],
            encoding,
            delimiter: String::new(),
        };
    };
    let first = lines[first_idx];
    if first.trim_start().starts_with('<') {
        let has_items = text.contains("<item") || text.contains("<entry");
        let google = text.contains("xmlns:g=") || text.contains("<g:id");
        if has_items && google {
            return Detection {
                format: Format::MerchantCenterXml,
                confidence: 0.9,
                evidence: vec![
                    format!("the text is {encoding}"),
                    "the file is XML with <item>/<entry> elements in the Google 'g:' namespace"
                        .into(),
                ],
                encoding,
                delimiter: String::new(),
            };
        }
    }
    let mut evidence = vec![format!("the text is {encoding}")];
    let done = |format, confidence, mut evidence: Vec<String>, delimiter: char, more: String| {
        evidence.push(more);
        Detection {
            format,
            confidence,
            evidence,
            encoding: encoding.clone(),
            delimiter: delimiter.to_string(),
        }
    };

    if first.trim_start().starts_with('{') {
        let parsed: Option<serde_json::Value> = serde_json::from_str(first.trim()).ok();
        if let Some(obj) = parsed.as_ref().and_then(|v| v.as_object()) {
            if obj.contains_key("event_timestamp") && obj.contains_key("event_name") {
                return done(
                    Format::Ga4BigQueryNdjson,
                    0.95,
                    evidence,
                    ',',
                    format!(
                        "line {} is a JSON object with 'event_timestamp' and 'event_name', as in the GA4 BigQuery export",
                        first_idx + 1
                    ),
                );
            }
            return done(
                Format::GenericJsonl,
                0.6,
                evidence,
                ',',
                format!(
                    "line {} is a JSON object with keys nobody recognised",
                    first_idx + 1
                ),
            );
        }
    }

    // GA4 downloads start with a '# ----' comment block.
    if first.starts_with("# ---") {
        let comments: Vec<&str> = lines
            .iter()
            .skip(first_idx)
            .take_while(|l| l.starts_with('#'))
            .copied()
            .collect();
        if comments.iter().any(|l| l.starts_with("# Start date:"))
            || comments.get(1) == Some(&"# Report CSV Export")
        {
            let title = comments
                .get(1)
                .map(|l| l.trim_start_matches('#').trim())
                .unwrap_or("");
            return done(
                Format::Ga4Report,
                0.95,
                evidence,
                ',',
                format!("the file starts with a GA4 comment block titled '{title}' with '# Start date:' lines"),
            );
        }
        if let Some(range) = comments.get(3) {
            let r = range.trim_start_matches('#').trim();
            if r.len() == 17
                && r.as_bytes()[8] == b'-'
                && r.bytes().filter(u8::is_ascii_digit).count() == 16
            {
                return done(
                    Format::Ga4Exploration,
                    0.95,
                    evidence,
                    ',',
                    format!("line 4 is a GA4 exploration date range '{r}'"),
                );
            }
        }
    }

    let delimiter = guess_delimiter(first);
    let header = split_line(first, delimiter);
    if delimiter == '\t' {
        evidence.push("fields are separated by tabs".into());
    }

    // Google Ads UI download: title line, date line, then the header.
    if header.len() == 1 && first_idx + 2 < lines.len() {
        let third = lines[first_idx + 2];
        let d3 = guess_delimiter(third);
        let h3 = split_line(third, d3);
        let metrics: Vec<&String> = h3.iter().filter(|h| google_ads_metric_header(h)).collect();
        let has_campaign = h3.iter().any(|h| {
            matches!(
                norm(h).as_str(),
                "campaign"
                    | "kampagne"
                    | "campagne"
                    | "campaña"
                    | "campagna"
                    | "ad group"
                    | "ad status"
            )
        });
        if has_campaign && !metrics.is_empty() {
            let mut ev = evidence;
            ev.push(format!(
                "line {} is a report title '{}'",
                first_idx + 1,
                first.trim()
            ));
            ev.push(format!(
                "line {} is a date range '{}'",
                first_idx + 2,
                lines[first_idx + 1].trim().trim_matches('"')
            ));
            if d3 == '\t' {
                ev.push("fields are separated by tabs (the \"Excel CSV\" download)".into());
            }
            let shown: Vec<&str> = metrics.iter().take(3).map(|s| s.trim()).collect();
            return done(
                Format::GoogleAdsReport,
                0.95,
                ev,
                d3,
                format!(
                    "line {} is a Google Ads header with {}",
                    first_idx + 3,
                    quote_list(&shown)
                ),
            );
        }
    }

    if header
        .iter()
        .all(|c| c.starts_with("# Required |") || c.starts_with("# Optional |"))
        && header.len() > 3
    {
        return done(
            Format::MetaCatalog,
            0.95,
            evidence,
            delimiter,
            format!(
                "line {} is the Meta catalog description row ('# Required | ...')",
                first_idx + 1
            ),
        );
    }

    let line_no = first_idx + 1;
    let rees = [
        "event_time",
        "event_type",
        "product_id",
        "user_id",
        "user_session",
    ];
    if has_all(&header, &rees) {
        return done(
            Format::Rees46Events,
            0.95,
            evidence,
            delimiter,
            format!(
                "line {line_no} is a REES46 header with {}",
                quote_list(&rees)
            ),
        );
    }
    let rr = ["timestamp", "visitorid", "event", "itemid"];
    if has_all(&header, &rr) {
        return done(
            Format::RetailrocketEvents,
            0.95,
            evidence,
            delimiter,
            format!(
                "line {line_no} is a Retailrocket header with {}",
                quote_list(&rr)
            ),
        );
    }
    let spent = header.iter().find(|h| norm(h).starts_with("amount spent"));
    if let Some(spent) = spent {
        if has_any(
            &header,
            &["reporting starts", "campaign name", "ad set name", "day"],
        ) {
            return done(
                Format::MetaAdsExport,
                0.95,
                evidence,
                delimiter,
                format!(
                    "line {line_no} is a Meta Ads Manager header with '{}' and 'Reporting starts'",
                    spent.trim()
                ),
            );
        }
    }
    if delimiter == '\t'
        && has_all(&header, &["campaign"])
        && (has_all(&header, &["campaign type", "networks"])
            || has_all(&header, &["ad group", "keyword"])
            || has_all(&header, &["ad group", "criterion type"]))
    {
        return done(
            Format::GoogleAdsEditor,
            0.9,
            evidence,
            delimiter,
            format!(
                "line {line_no} is a Google Ads Editor header with 'Campaign' and Editor columns"
            ),
        );
    }
    let gsc_dims = [
        "date",
        "top queries",
        "top pages",
        "country",
        "device",
        "search appearance",
        "query",
        "page",
    ];
    if header.len() == 5
        && gsc_dims.contains(&norm(&header[0]).as_str())
        && has_all(&header, &["clicks", "impressions", "ctr", "position"])
    {
        return done(
            Format::SearchConsolePerformance,
            0.95,
            evidence,
            delimiter,
            format!("line {line_no} is a Search Console header '{}' with 'Clicks', 'Impressions', 'CTR', 'Position'", header[0].trim()),
        );
    }
    if header.len() == 2 && norm(&header[0]) == "filter" && norm(&header[1]) == "value" {
        return done(
            Format::SearchConsoleFilters,
            0.9,
            evidence,
            delimiter,
            format!("line {line_no} is the Search Console 'Filter,Value' header"),
        );
    }
    if has_all(
        &header,
        &[
            "name",
            "financial status",
            "lineitem quantity",
            "lineitem price",
        ],
    ) {
        return done(
            Format::ShopifyOrders,
            0.95,
            evidence,
            delimiter,
            format!("line {line_no} is a Shopify orders header with 'Name', 'Financial Status', 'Lineitem quantity'"),
        );
    }
    if has_all(&header, &["id", "title", "price"])
        && has_any(&header, &["availability", "link", "image_link"])
    {
        return done(
            Format::MerchantCenterFeed,
            0.9,
            evidence,
            delimiter,
            format!("line {line_no} is a product feed header with 'id', 'title', 'price', 'availability'"),
        );
    }
    let contact_cols = header.iter().any(|h| {
        matches!(
            norm(h).as_str(),
            "email" | "e-mail" | "email address" | "phone" | "phone number"
        )
    });
    let consent_col = header
        .iter()
        .find(|h| crate::parsers::contacts::consent_channel(h).is_some());
    if let (true, Some(c)) = (contact_cols, consent_col) {
        return done(
            Format::ContactList,
            0.85,
            evidence,
            delimiter,
            format!(
                "line {line_no} has an e-mail or phone column and a consent column '{}'",
                c.trim()
            ),
        );
    }
    if let Some(v) = header.iter().find(|h| crate::ab::is_variant_column(h)) {
        if header.iter().any(|h| crate::ab::is_unit_column(h)) {
            return done(
                Format::AbPerPerson,
                0.85,
                evidence,
                delimiter,
                format!(
                    "line {line_no} has a person id column and a variant column '{}'",
                    v.trim()
                ),
            );
        }
    }
    if has_all(&header, &["campaign name", "date"])
        && header.iter().any(|h| norm(h).starts_with("spend"))
    {
        return done(
            Format::AbAggregate,
            0.8,
            evidence,
            delimiter,
            format!("line {line_no} has 'Campaign Name', 'Date' and a spend column: totals per variant and day"),
        );
    }
    if header.len() > 1 {
        let shown: Vec<&str> = header.iter().take(4).map(|s| s.trim()).collect();
        return done(
            Format::GenericCsv,
            0.4,
            evidence,
            delimiter,
            format!(
                "line {line_no} is a header nobody recognised ({}): map its columns",
                quote_list(&shown)
            ),
        );
    }
    Detection {
        format: Format::Unknown,
        confidence: 0.1,
        evidence: vec![format!(
            "line {line_no} is not a header of any known export"
        )],
        encoding,
        delimiter: delimiter.to_string(),
    }
}

/// The delimiter to use when the user chose `format` (which may differ from detection).
pub(crate) fn delimiter_for(prefix: &[u8], format: Format) -> char {
    let (text, _) = decode_prefix(&prefix[..prefix.len().min(SNIFF_BYTES)]);
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("# "))
        .collect();
    let pick = match format {
        Format::GoogleAdsReport => lines.get(2),
        _ => lines.first(),
    };
    pick.map_or(',', |l| guess_delimiter(l))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_a_sentence_a_marketer_can_read() {
        let d = sniff(b"Campaign report\nAll time\nCampaign status,Campaign,Impr.,Cost\n");
        assert_eq!(d.format, Format::GoogleAdsReport);
        assert!(
            d.evidence
                .contains(&"line 3 is a Google Ads header with 'Impr.', 'Cost'".to_string()),
            "{:?}",
            d.evidence
        );
        assert!(d
            .evidence
            .contains(&"line 2 is a date range 'All time'".to_string()));
    }

    #[test]
    fn a_shopify_order_name_is_not_a_comment() {
        let d = sniff(b"Name,Email,Financial Status,Lineitem quantity,Lineitem price\n#1001,a@b.example,paid,1,2.00\n");
        assert_eq!(d.format, Format::ShopifyOrders);
    }

    #[test]
    fn empty_and_binary_input() {
        assert_eq!(sniff(b"").format, Format::Unknown);
        assert_eq!(sniff(b"\n\r\n").format, Format::Unknown);
        assert_eq!(sniff(b"PK\x03\x04rest").format, Format::Xlsx);
        // Bytes from a pseudo-random generator (xorshift), as a corrupted or wrong file has.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let random: Vec<u8> = (0..2048)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        let d = sniff(&random);
        assert_eq!(d.format, Format::Unknown, "{:?}", d.evidence);
        assert!(
            d.evidence[0].contains("binary content with no header row"),
            "{:?}",
            d.evidence
        );
        // A text export with a stray control character is still text.
        let text = b"Name,Email,Financial Status,Lineitem quantity,Lineitem price\n#1001,a\x01@b.example,paid,1,2.00\n";
        assert_eq!(sniff(text).format, Format::ShopifyOrders);
    }

    #[test]
    fn quotes_open_a_field_only_at_its_start() {
        assert_eq!(
            split_line("a \"b\",\"c,d\",e", ','),
            ["a \"b\"", "c,d", "e"]
        );
    }
}
