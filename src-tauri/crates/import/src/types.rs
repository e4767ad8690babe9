//! What crosses the IPC and `--json` boundary for imports.

use rebound_formats::{ColumnMapping, DateRange, Detection, Format, MappingSuggestion, Rejection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the app knows about a file before importing it: the detected format with
/// the evidence, the formats it may be overridden to, a preview of its first rows,
/// and whether it was imported before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportInspection {
    pub path: String,
    pub file_name: String,
    #[ts(type = "number")]
    pub byte_size: u64,
    pub detection: Detection,
    /// The detected format in words.
    pub format_label: String,
    /// Every format the person may choose instead, with its label.
    pub choices: Vec<FormatChoice>,
    /// Header and first rows (delimited and JSON-lines files; empty for XLSX and XML).
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The first lines of the file as text, for files that are text.
    pub first_lines: Vec<String>,
    /// Fingerprint of the header, the key of saved column mappings.
    pub fingerprint: String,
    /// The file is a generic CSV/JSONL: it needs a column mapping.
    pub needs_mapping: bool,
    /// A saved mapping whose fingerprint matches this header; it is applied
    /// automatically.
    pub saved_mapping: Option<ColumnMapping>,
    /// A first column mapping from the header and first rows (columns by
    /// name, the time format from the values), for the person to confirm when
    /// the file needs one or they choose to map it; empty without a header.
    pub suggested_mapping: MappingSuggestion,
    /// The same bytes were imported before (and not undone).
    pub already_imported: Option<ImportRecord>,
    /// For an A/B results file with one row per person: its yes/no columns,
    /// one of which counts as the conversion (cookie_cats: `retention_1`,
    /// `retention_7`). The first one unless the request chooses another.
    pub conversion_choices: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FormatChoice {
    pub format: Format,
    pub label: String,
}

/// What to import and how.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportRequest {
    pub path: String,
    /// Overrides detection.
    pub format: Option<Format>,
    /// The column mapping for a generic CSV/JSONL file.
    pub mapping: Option<ColumnMapping>,
    /// Keep `mapping` as a profile for files with the same header.
    pub save_mapping: bool,
    /// The yes/no column that counts as the conversion in a per-person A/B
    /// file (one of the inspection's `conversion_choices`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub conversion: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    Complete,
    Undone,
}

/// How many rows of one kind an import stored, e.g. `events: 17433`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StoredCount {
    /// Table-like name: `events`, `people`, `products`, `campaigns`, ...
    pub what: String,
    #[ts(type = "number")]
    pub count: u64,
}

/// One line of the import history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportRecord {
    #[ts(type = "number")]
    pub id: i64,
    pub file_name: String,
    /// Where the file was when it was imported.
    pub path: String,
    pub format: Format,
    pub format_label: String,
    /// SHA-256 of the file's bytes, hex.
    pub content_hash: String,
    #[ts(type = "number")]
    pub byte_size: u64,
    /// `rows_read = rows_imported + rows_rejected`, always.
    #[ts(type = "number")]
    pub rows_read: u64,
    #[ts(type = "number")]
    pub rows_imported: u64,
    #[ts(type = "number")]
    pub rows_rejected: u64,
    /// Titles, headers, comments and totals rows: read, not data, not counted above.
    #[ts(type = "number")]
    pub rows_not_data: u64,
    /// RFC 3339, UTC.
    pub started_at: String,
    pub finished_at: Option<String>,
    pub status: ImportStatus,
    pub stored: Vec<StoredCount>,
    /// The reporting period the file states (reports), if any.
    pub period: Option<DateRange>,
    pub title: Option<String>,
    /// A note the file carries, e.g. Meta's "No data available.".
    pub note: Option<String>,
}

/// The result of one import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportOutcome {
    pub import: ImportRecord,
    /// The file had been imported before: nothing was written.
    pub already_imported: bool,
    /// The first rejected rows (all of them are in [`crate::rejections`]).
    pub rejections: Vec<Rejection>,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
}

/// A page of an import's rejected rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RejectionPage {
    /// Rows rejected in all.
    #[ts(type = "number")]
    pub total: u64,
    /// Rows listed with their reason (the first 10,000 of a file are).
    #[ts(type = "number")]
    pub listed: u64,
    pub rows: Vec<Rejection>,
}
