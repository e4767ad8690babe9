//! Reading marketers' export files: detection from content, then streaming parsers that
//! turn rows into typed [`Record`]s. No database and no UI here: the importer calls
//! [`parse`] (or [`parse_xlsx`]) with a callback and stores what it receives.
//!
//! Architecture Invariant: for every file, `rows_read = rows_ok + rows_rejected`; rows
//! that are part of the file's structure (titles, headers, comments, totals, grand
//! totals) are counted apart in `rows_not_data` and never become records.
//!
//! Architecture Invariant: money and ids never pass through `f64`.

pub mod ab;
pub mod decode;
pub mod error;
pub mod mapping;
pub mod parsers;
pub mod records;
pub mod rows;
pub mod sniff;
pub mod values;
pub mod xlsx;

pub use decode::Progress;
pub use error::FormatError;
pub use mapping::{
    header_fingerprint, normalise_column, preview, suggest, ColumnMapping, EventField,
    MappingSuggestion, Preview, TimestampFormat,
};
pub use records::*;
pub use rows::{Row, MAX_LISTED_REJECTIONS};
pub use sniff::{sniff, Detection, Format, SNIFF_BYTES};
pub use values::{Bound, DateRange, Money, Percent};
pub use xlsx::parse_xlsx;

use serde::{Deserialize, Serialize};
use std::io::{Cursor, Read};
use std::ops::ControlFlow;

/// Row counts of one file. `rows_read = rows_ok + rows_rejected` always holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Counts {
    #[ts(type = "number")]
    pub rows_read: u64,
    #[ts(type = "number")]
    pub rows_ok: u64,
    #[ts(type = "number")]
    pub rows_rejected: u64,
    /// Titles, headers, comments, totals: read but not data.
    #[ts(type = "number")]
    pub rows_not_data: u64,
    /// Records handed to the callback (a Shopify order groups several rows).
    #[ts(type = "number")]
    pub records: u64,
}

/// One rejected row: where, which column, what value and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Rejection {
    #[ts(type = "number")]
    pub line: u64,
    pub column: Option<String>,
    pub value: String,
    pub reason: String,
}

impl Rejection {
    /// "cannot read line 812 of campaign_report.csv: column Cost: '1,2x' is not a number"
    pub fn message(&self, file: &str) -> String {
        match &self.column {
            Some(c) => format!(
                "cannot read line {} of {file}: column {c}: {}",
                self.line, self.reason
            ),
            None => format!("cannot read line {} of {file}: {}", self.line, self.reason),
        }
    }
}

/// What a file says about itself besides its rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileMeta {
    /// Report title (`Campaign report`, GA4 `Events: Event name`).
    pub title: Option<String>,
    pub account: Option<String>,
    pub property: Option<String>,
    /// The reporting period when the file states one.
    pub period: Option<DateRange>,
    /// The currency of the file when stated once (Meta header, Shopify orders).
    pub currency: Option<String>,
    /// A note such as Meta's "No data available.".
    pub note: Option<String>,
    /// The header row as written.
    pub header: Vec<String>,
    /// Totals rows (Google Ads `Total: ...`), kept for cross-checks, never data.
    pub totals: Vec<CampaignMetrics>,
    /// GA4 sections.
    pub sections: Vec<Ga4Section>,
}

/// How to read a file.
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// The file name, used only in messages.
    pub file_name: String,
    /// The user's choice, overriding detection.
    pub format: Option<Format>,
    /// The mapping for a generic CSV/JSONL file.
    pub mapping: Option<ColumnMapping>,
    /// Saved mappings; one whose fingerprint matches the file's header is applied.
    pub saved_mappings: Vec<ColumnMapping>,
    /// Currency for files that do not state one (REES46 prices).
    pub default_currency: Option<String>,
    /// The yes/no column a per-person A/B file counts as converted; without
    /// one, the column `experiment analyze` would detect.
    pub ab_conversion: Option<String>,
    /// Bytes-read counter for a progress bar.
    pub progress: Option<Progress>,
}

/// The outcome of reading one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParseSummary {
    pub detection: Detection,
    /// The format actually used (the override when there was one).
    pub format: Format,
    pub counts: Counts,
    /// At most [`MAX_LISTED_REJECTIONS`]; `counts.rows_rejected` is exact.
    pub rejections: Vec<Rejection>,
    pub meta: FileMeta,
    pub bytes_read: u64,
}

/// Reads a whole file: sniffs the first [`SNIFF_BYTES`], then streams the rest through the
/// parser of the detected (or chosen) format, calling `sink` once per record. Return
/// `ControlFlow::Break(())` from `sink` to cancel. Memory stays bounded by the longest row
/// (and for Shopify, the longest order), not the file.
pub fn parse<R: Read>(
    reader: R,
    opts: &ParseOptions,
    mut sink: impl FnMut(Record) -> ControlFlow<()>,
) -> Result<ParseSummary, FormatError> {
    let progress = opts.progress.clone().unwrap_or_default();
    let mut counting = decode::CountingReader {
        inner: reader,
        progress: progress.clone(),
    };
    let io_err = |source| FormatError::Io {
        file: opts.file_name.clone(),
        source,
    };
    let mut prefix = Vec::with_capacity(SNIFF_BYTES);
    (&mut counting)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut prefix)
        .map_err(io_err)?;
    let detection = sniff(&prefix);
    if detection.format == Format::Xlsx && opts.format.is_none_or(|f| f == Format::Xlsx) {
        let mut all = prefix;
        counting.read_to_end(&mut all).map_err(io_err)?;
        return parse_xlsx(Cursor::new(all), opts, sink);
    }
    let format = opts.format.unwrap_or(detection.format);
    let enc = decode::sniff_encoding(&prefix);
    let delimiter = if opts.format.is_some_and(|f| f != detection.format) {
        sniff::delimiter_for(&prefix, format)
    } else {
        detection.delimiter.chars().next().unwrap_or(',')
    };
    let text = decode::decoding_reader(Cursor::new(prefix).chain(counting), enc);
    if format == Format::MerchantCenterXml {
        let sink_ref: &mut dyn FnMut(Record) -> ControlFlow<()> = &mut sink;
        let mut ctx = rows::Ctx::new(&opts.file_name, Box::new(std::iter::empty()), sink_ref);
        parsers::products::xml(std::io::BufReader::new(text), &mut ctx)?;
        let rows::Ctx {
            counts, rejections, ..
        } = ctx;
        return Ok(ParseSummary {
            detection,
            format,
            counts,
            rejections,
            meta: FileMeta::default(),
            bytes_read: progress.bytes_read(),
        });
    }
    let rows: rows::RowIter = match format {
        Format::Ga4BigQueryNdjson | Format::GenericJsonl => {
            Box::new(rows::text_lines(text, &opts.file_name).map(|r| {
                r.map(|(line, l)| Row {
                    line,
                    fields: vec![l],
                    bad_text: false,
                })
            }))
        }
        _ => rows::delimited_rows(text, delimiter as u8, &opts.file_name),
    };
    let mut sink_ref: &mut dyn FnMut(Record) -> ControlFlow<()> = &mut sink;
    run(detection, format, rows, opts, &mut sink_ref, &progress)
}

pub(crate) fn run(
    detection: Detection,
    format: Format,
    rows: rows::RowIter<'_>,
    opts: &ParseOptions,
    sink: &mut &mut dyn FnMut(Record) -> ControlFlow<()>,
    progress: &Progress,
) -> Result<ParseSummary, FormatError> {
    let mut ctx = rows::Ctx::new(&opts.file_name, rows, *sink);
    let mut meta = FileMeta::default();
    use parsers::*;
    match format {
        Format::Rees46Events => events::rees46(&mut ctx, opts)?,
        Format::RetailrocketEvents => events::retailrocket(&mut ctx)?,
        Format::Ga4BigQueryNdjson => events::ga4_ndjson(&mut ctx)?,
        Format::Ga4Report | Format::Ga4Exploration => ga4::parse(&mut ctx, &mut meta, format)?,
        Format::GoogleAdsReport => google_ads::report(&mut ctx, &mut meta)?,
        Format::GoogleAdsEditor => google_ads::editor(&mut ctx, &mut meta)?,
        Format::MetaAdsExport => meta::parse(&mut ctx, &mut meta)?,
        Format::SearchConsolePerformance => gsc::performance(&mut ctx, &mut meta)?,
        Format::SearchConsoleFilters => gsc::filters(&mut ctx, &mut meta)?,
        Format::ShopifyOrders => shopify::parse(&mut ctx, &mut meta)?,
        Format::MerchantCenterFeed | Format::MetaCatalog => products::parse(&mut ctx, &mut meta)?,
        Format::ContactList => contacts::parse(&mut ctx, &mut meta)?,
        Format::AbPerPerson => ab::per_person(&mut ctx, &mut meta, opts)?,
        Format::AbAggregate => ab::aggregate(&mut ctx, &mut meta)?,
        Format::GenericCsv | Format::GenericJsonl => {
            mapping::apply(&mut ctx, &mut meta, opts, format)?
        }
        Format::MerchantCenterXml => {
            return Err(ctx.not_this(format, "an XML feed cannot come from a spreadsheet"));
        }
        Format::Xlsx => {
            return Err(ctx.not_this(Format::Xlsx, "it does not start with a ZIP signature"));
        }
        Format::Unknown => {
            return Err(FormatError::Unrecognised {
                file: opts.file_name.clone(),
                reason: detection.evidence.join("; "),
            })
        }
    }
    let rows::Ctx {
        counts, rejections, ..
    } = ctx;
    Ok(ParseSummary {
        detection,
        format,
        counts,
        rejections,
        meta,
        bytes_read: progress.bytes_read(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ts_rs::TS;

    #[test]
    fn typescript_shapes_use_numbers_for_64_bit_counts() {
        let cfg = ts_rs::Config::default();
        let counts = Counts::decl(&cfg);
        assert!(counts.contains("rows_read: number"), "{counts}");
        let rejection = Rejection::decl(&cfg);
        assert!(
            rejection.contains("line: number") && rejection.contains("column: string | null"),
            "{rejection}"
        );
        let detection = Detection::decl(&cfg);
        assert!(
            detection.contains("format: Format") && detection.contains("evidence: Array<string>"),
            "{detection}"
        );
        assert!(Format::decl(&cfg).contains("\"google_ads_report\""));
        assert!(Money::decl(&cfg).contains("minor: number"));
    }

    #[test]
    fn rejection_message_names_file_line_column_and_reason() {
        let r = Rejection {
            line: 812,
            column: Some("Cost".into()),
            value: "1,2x".into(),
            reason: "'1,2x' is not a number".into(),
        };
        assert_eq!(
            r.message("campaign_report.csv"),
            "cannot read line 812 of campaign_report.csv: column Cost: '1,2x' is not a number"
        );
    }
}
