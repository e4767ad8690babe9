//! The one reader of A/B result files: which column is the variant, the
//! person, the conversion, the value and the pre-period covariate, how a
//! yes/no cell reads, and the streaming of per-person rows and per-variant
//! totals. `rebound experiment analyze FILE` (through `rebound-stats`) and an
//! import of the same file (through [`crate::parsers`]) both decide here, so
//! they read a file identically: same columns, same booleans, same rows.
//!
//! Files for analysis are streamed with the `csv` crate (one record buffer),
//! so memory does not grow with the file. The delimiter (comma, tab or
//! semicolon) is sniffed from the header line; a UTF-8 BOM, CRLF line endings
//! and a missing final newline are handled. Columns are matched by
//! [`normalise`]d name. Every failure names the file, the line, the column
//! and the reason.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Names of the variant column, best first.
pub const VARIANT_NAMES: [&str; 14] = [
    "variant",
    "variation",
    "group",
    "version",
    "arm",
    "bucket",
    "treatment_group",
    "experiment_group",
    "test_group",
    "ab_group",
    "cohort",
    "branch",
    "variant_name",
    "variant_id",
];
/// A totals file may also call its variant column by a campaign's name
/// (the "Control Campaign"/"Test Campaign" daily files) or just `name`.
pub const TOTALS_VARIANT_NAMES: [&str; 2] = ["campaign_name", "name"];
/// Names of the person column of a per-person file.
pub const UNIT_NAMES: [&str; 8] = [
    "userid",
    "user_id",
    "visitor_id",
    "visitorid",
    "customer_id",
    "person_id",
    "uid",
    "player_id",
];
/// Names of a per-person file's timestamp column (never an outcome).
pub const TIME_NAMES: [&str; 3] = ["timestamp", "time", "exposed_at"];
const CONVERTED_NAMES: [&str; 10] = [
    "converted",
    "conversion",
    "is_converted",
    "purchased",
    "purchase",
    "retained",
    "clicked",
    "success",
    "signed_up",
    "did_convert",
];
const CONVERTED_PREFIXES: [&str; 3] = ["retention", "converted_", "conversion_"];
const VALUE_NAMES: [&str; 7] = [
    "value",
    "revenue",
    "amount",
    "order_value",
    "sales",
    "metric_value",
    "spend",
];
const VALUE_PREFIXES: [&str; 2] = ["revenue_", "value_"];
const COVARIATE_NAMES: [&str; 6] = [
    "covariate",
    "pre_value",
    "pre_revenue",
    "pre_period",
    "pre_period_value",
    "baseline_value",
];
const COVARIATE_PREFIXES: [&str; 1] = ["pre_"];
const N_NAMES: [&str; 9] = [
    "n",
    "users",
    "visitors",
    "units",
    "sample_size",
    "participants",
    "exposures",
    "count",
    "sessions",
];
const CONVERSIONS_NAMES: [&str; 5] = [
    "conversions",
    "converted",
    "successes",
    "orders",
    "purchases",
];
const SUM_NAMES: [&str; 6] = [
    "sum",
    "value_sum",
    "sum_value",
    "total_value",
    "revenue",
    "revenue_sum",
];
const SUM_SQUARES_NAMES: [&str; 7] = [
    "sum_squares",
    "sum_of_squares",
    "sum_sq",
    "sumsq",
    "sum_squared",
    "value_sum_squares",
    "revenue_sum_squares",
];

/// A header name as the tables spell it: trimmed, without a BOM,
/// lower-case, spaces and hyphens as underscores (`Test Group` → `test_group`).
pub fn normalise(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

/// Whether a header cell names a variant column.
pub fn is_variant_column(name: &str) -> bool {
    VARIANT_NAMES.contains(&normalise(name).as_str())
}

/// Whether a header cell names a person column.
pub fn is_unit_column(name: &str) -> bool {
    UNIT_NAMES.contains(&normalise(name).as_str())
}

/// A yes/no cell of an A/B file: TRUE/FALSE in any case, t/f, yes/no, y/n,
/// 1/0 and 1.0/0.0. Anything else is not a boolean.
pub fn parse_flag(cell: &str) -> Option<bool> {
    match cell.trim().to_lowercase().as_str() {
        "true" | "t" | "yes" | "y" | "1" | "1.0" => Some(true),
        "false" | "f" | "no" | "n" | "0" | "0.0" => Some(false),
        _ => None,
    }
}

/// A numeric cell of an A/B file (a dot decimal; no thousands separators).
pub fn parse_number(cell: &str) -> Option<f64> {
    cell.trim().parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Which columns of a per-person file play which role; `None` = detect.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PersonColumns {
    pub variant: Option<String>,
    pub converted: Option<String>,
    pub value: Option<String>,
    pub covariate: Option<String>,
}

/// The columns actually used, as spelled in the file's header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ResolvedColumns {
    pub variant: String,
    pub converted: Option<String>,
    pub value: Option<String>,
    pub covariate: Option<String>,
}

/// What a CSV file holds, judged from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CsvKind {
    PersonRows,
    Aggregates,
}

/// Why an A/B file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum AbFileError {
    #[error("cannot open {file}: {source}")]
    Open {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read {file}: {reason}")]
    Header { file: String, reason: String },
    #[error("cannot read line {line} of {file}: {reason}")]
    Row {
        file: String,
        line: u64,
        reason: String,
    },
    #[error("cannot read line {line} of {file}: column {column}: '{value}' is {problem}")]
    Cell {
        file: String,
        line: u64,
        column: String,
        value: String,
        problem: String,
    },
}

type Result<T> = std::result::Result<T, AbFileError>;

/// A column the caller named that the header does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column '{wanted}' is not in the header (columns: {})", .columns.join(", "))]
pub struct MissingColumn {
    pub wanted: String,
    pub columns: Vec<String>,
}

/// A header row with the roles its columns can play.
#[derive(Debug, Clone)]
pub struct AbHeader {
    names: Vec<String>,
    normalised: Vec<String>,
}

/// Column indices of a per-person file's roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonRoles {
    pub variant: Option<usize>,
    pub unit: Option<usize>,
    pub time: Option<usize>,
    pub converted: Option<usize>,
    pub value: Option<usize>,
    pub covariate: Option<usize>,
}

impl AbHeader {
    pub fn new(fields: &[String]) -> AbHeader {
        let names: Vec<String> = fields
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
            .collect();
        let normalised = names.iter().map(|n| normalise(n)).collect();
        AbHeader { names, normalised }
    }

    /// The column names as written (trimmed).
    pub fn names(&self) -> &[String] {
        &self.names
    }

    fn explicit(&self, wanted: &str) -> std::result::Result<usize, MissingColumn> {
        let w = normalise(wanted);
        self.normalised
            .iter()
            .position(|n| *n == w)
            .ok_or_else(|| MissingColumn {
                wanted: wanted.to_string(),
                columns: self.names.clone(),
            })
    }

    /// The first free column named as one of `exact` (in that order), else
    /// the first free one starting with one of `prefixes`.
    pub fn detect(&self, exact: &[&str], prefixes: &[&str], taken: &[usize]) -> Option<usize> {
        let free = |i: &usize| !taken.contains(i);
        exact
            .iter()
            .find_map(|e| {
                (0..self.names.len())
                    .filter(free)
                    .find(|&i| self.normalised[i] == *e)
            })
            .or_else(|| {
                (0..self.names.len())
                    .filter(free)
                    .find(|&i| prefixes.iter().any(|p| self.normalised[i].starts_with(p)))
            })
    }

    fn role(
        &self,
        given: Option<&str>,
        exact: &[&str],
        prefixes: &[&str],
        taken: &[usize],
    ) -> std::result::Result<Option<usize>, MissingColumn> {
        match given {
            Some(name) => self.explicit(name).map(Some),
            None => Ok(self.detect(exact, prefixes, taken)),
        }
    }

    /// The roles of a per-person file's columns: the ones `columns` names,
    /// the others detected. Errs only on a named column that is not there.
    pub fn person_roles(
        &self,
        columns: &PersonColumns,
    ) -> std::result::Result<PersonRoles, MissingColumn> {
        let variant = self.role(columns.variant.as_deref(), &VARIANT_NAMES, &[], &[])?;
        let unit = self.detect(&UNIT_NAMES, &[], &[]);
        let time = self.detect(&TIME_NAMES, &[], &[]);
        let mut taken: Vec<usize> = [variant, unit, time].into_iter().flatten().collect();
        let converted = self.role(
            columns.converted.as_deref(),
            &CONVERTED_NAMES,
            &CONVERTED_PREFIXES,
            &taken,
        )?;
        taken.extend(converted);
        let value = self.role(
            columns.value.as_deref(),
            &VALUE_NAMES,
            &VALUE_PREFIXES,
            &taken,
        )?;
        taken.extend(value);
        let covariate = self.role(
            columns.covariate.as_deref(),
            &COVARIATE_NAMES,
            &COVARIATE_PREFIXES,
            &taken,
        )?;
        Ok(PersonRoles {
            variant,
            unit,
            time,
            converted,
            value,
            covariate,
        })
    }

    fn name(&self, i: Option<usize>) -> Option<String> {
        i.map(|i| self.names[i].clone())
    }
}

/// Turns CRLF into LF on the fly. The `csv` crate reports the line of a
/// record one or more lines too early in CRLF files (it counts the `\n` of a
/// terminator only when it reads the next record), and every export from
/// Excel or Windows is CRLF; with LF its line numbers are exact. A `\r` not
/// followed by `\n` is kept.
struct CrlfToLf<R> {
    inner: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    pending_cr: bool,
    eof: bool,
}

impl<R: Read> CrlfToLf<R> {
    fn new(inner: R) -> Self {
        CrlfToLf {
            inner,
            buf: vec![0; 64 * 1024],
            start: 0,
            end: 0,
            pending_cr: false,
            eof: false,
        }
    }
}

impl<R: Read> Read for CrlfToLf<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            if self.start == self.end {
                if self.eof {
                    if self.pending_cr {
                        self.pending_cr = false;
                        out[0] = b'\r';
                        return Ok(1);
                    }
                    return Ok(0);
                }
                let n = self.inner.read(&mut self.buf)?;
                self.start = 0;
                self.end = n;
                self.eof = n == 0;
                continue;
            }
            let mut written = 0;
            while written < out.len() && self.start < self.end {
                let b = self.buf[self.start];
                if self.pending_cr {
                    self.pending_cr = false;
                    if b != b'\n' {
                        out[written] = b'\r';
                        written += 1;
                        continue;
                    }
                }
                self.start += 1;
                if b == b'\r' {
                    self.pending_cr = true;
                } else {
                    out[written] = b;
                    written += 1;
                }
            }
            if written > 0 {
                return Ok(written);
            }
        }
    }
}

type CsvStream<R> = csv::Reader<BufReader<CrlfToLf<R>>>;

/// The file name shown in messages: the last path component, as a marketer
/// recognises it, or the whole path when it has none.
pub fn file_label(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn open_path(path: &Path) -> Result<(File, String)> {
    let file = file_label(path);
    let handle = File::open(path).map_err(|e| AbFileError::Open {
        file: file.clone(),
        source: e,
    })?;
    Ok((handle, file))
}

/// Opens a CSV stream: sniffs the delimiter and reads the header.
fn open_csv<R: Read>(reader: R, file: &str) -> Result<(CsvStream<R>, AbHeader)> {
    let mut buffered = BufReader::with_capacity(64 * 1024, CrlfToLf::new(reader));
    let peek = buffered.fill_buf().map_err(|e| AbFileError::Open {
        file: file.to_string(),
        source: e,
    })?;
    let first_line = peek.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let count = |d: u8| first_line.iter().filter(|&&b| b == d).count();
    let delimiter = [b',', b'\t', b';']
        .into_iter()
        .max_by_key(|&d| (count(d), d == b','))
        .unwrap_or(b',');
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(false)
        .from_reader(buffered);
    let fields: Vec<String> = csv
        .headers()
        .map_err(|e| csv_error(file, e))?
        .iter()
        .map(str::to_string)
        .collect();
    let header = AbHeader::new(&fields);
    if header.names.iter().all(|n| n.is_empty()) {
        return Err(AbFileError::Header {
            file: file.to_string(),
            reason: "the file is empty or has no header line".into(),
        });
    }
    Ok((csv, header))
}

fn csv_error(file: &str, e: csv::Error) -> AbFileError {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    let reason = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields like the header, found {len}"),
        csv::ErrorKind::Utf8 { .. } => "the text is not valid UTF-8".to_string(),
        csv::ErrorKind::Io(io) => format!("read failed: {io}"),
        other => format!("{other:?}"),
    };
    if line == 0 {
        AbFileError::Header {
            file: file.to_string(),
            reason,
        }
    } else {
        AbFileError::Row {
            file: file.to_string(),
            line,
            reason,
        }
    }
}

fn cell_error(file: &str, line: u64, column: &str, value: &str, problem: &str) -> AbFileError {
    AbFileError::Cell {
        file: file.to_string(),
        line,
        column: column.to_string(),
        value: value.to_string(),
        problem: problem.to_string(),
    }
}

/// One row of a per-person file, borrowed from the reader's buffer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PersonCells<'a> {
    pub line: u64,
    pub variant: &'a str,
    pub converted: Option<bool>,
    pub value: Option<f64>,
    pub covariate: Option<f64>,
}

/// Streams the rows of a per-person file.
pub struct PersonReader<R: Read> {
    file: String,
    csv: CsvStream<R>,
    header: AbHeader,
    variant: usize,
    roles: PersonRoles,
    record: csv::StringRecord,
}

impl PersonReader<File> {
    pub fn open_path(path: &Path, columns: &PersonColumns) -> Result<Self> {
        let (handle, file) = open_path(path)?;
        PersonReader::new(handle, &file, columns)
    }
}

impl<R: Read> PersonReader<R> {
    /// Reads the header and settles the columns; `file` names the file in messages.
    pub fn new(reader: R, file: &str, columns: &PersonColumns) -> Result<Self> {
        let (csv, header) = open_csv(reader, file)?;
        let bad_header = |reason: String| AbFileError::Header {
            file: file.to_string(),
            reason,
        };
        let roles = header
            .person_roles(columns)
            .map_err(|missing| bad_header(missing.to_string()))?;
        let variant = roles.variant.ok_or_else(|| {
            bad_header(format!(
                "no variant column found (looked for {}; columns: {}); name it explicitly",
                VARIANT_NAMES.join(", "),
                header.names.join(", ")
            ))
        })?;
        if roles.converted.is_none() && roles.value.is_none() {
            return Err(bad_header(format!(
                "no conversion or value column found (columns: {}); name the metric column explicitly",
                header.names.join(", ")
            )));
        }
        Ok(PersonReader {
            file: file.to_string(),
            csv,
            header,
            variant,
            roles,
            record: csv::StringRecord::new(),
        })
    }

    pub fn columns(&self) -> ResolvedColumns {
        ResolvedColumns {
            variant: self.header.names[self.variant].clone(),
            converted: self.header.name(self.roles.converted),
            value: self.header.name(self.roles.value),
            covariate: self.header.name(self.roles.covariate),
        }
    }

    /// The next row with data (blank lines are skipped), or `None` at the end.
    pub fn next_row(&mut self) -> Result<Option<PersonCells<'_>>> {
        loop {
            if !self
                .csv
                .read_record(&mut self.record)
                .map_err(|e| csv_error(&self.file, e))?
            {
                return Ok(None);
            }
            // A blank line reads as one empty field; skip it.
            if !(self.record.len() == 1 && self.record[0].trim().is_empty()) {
                break;
            }
        }
        let line = self.record.position().map(|p| p.line()).unwrap_or(0);
        let (file, names, record) = (&self.file, &self.header.names, &self.record);
        let error =
            |c: usize, problem: &str| cell_error(file, line, &names[c], &record[c], problem);
        let variant = record[self.variant].trim();
        if variant.is_empty() {
            return Err(error(self.variant, "empty, not a variant name"));
        }
        let converted = match self.roles.converted {
            Some(c) => Some(parse_flag(&record[c]).ok_or_else(|| error(c, "not a boolean"))?),
            None => None,
        };
        let value = match self.roles.value {
            Some(c) => Some(parse_number(&record[c]).ok_or_else(|| error(c, "not a number"))?),
            None => None,
        };
        let covariate = match self.roles.covariate {
            Some(c) if record[c].trim().is_empty() => None,
            Some(c) => Some(parse_number(&record[c]).ok_or_else(|| error(c, "not a number"))?),
            None => None,
        };
        Ok(Some(PersonCells {
            line,
            variant,
            converted,
            value,
            covariate,
        }))
    }
}

/// Pre-period moments of one variant in a totals file (for CUPED).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CovariateCells {
    pub sum: f64,
    pub sum_squares: f64,
    pub value_products: Option<f64>,
    pub conversion_products: Option<f64>,
}

/// One variant's row of a totals file
/// (`variant,n[,conversions][,sum,sum_squares][,covariate_…]`).
#[derive(Debug, Clone, PartialEq)]
pub struct TotalsRow {
    pub name: String,
    pub n: u64,
    pub conversions: Option<u64>,
    pub sum: Option<f64>,
    pub sum_squares: Option<f64>,
    pub covariate: Option<CovariateCells>,
}

/// A totals file: its metric columns as written, and one row per variant.
#[derive(Debug, Clone, PartialEq)]
pub struct TotalsFile {
    pub conversion_metric: Option<String>,
    pub value_metric: Option<String>,
    pub rows: Vec<TotalsRow>,
}

/// Reads a per-variant totals file.
pub fn read_totals(path: &Path) -> Result<TotalsFile> {
    let (handle, file) = open_path(path)?;
    read_totals_from(handle, &file)
}

/// Reads a per-variant totals file from any reader; `file` names it in messages.
pub fn read_totals_from<R: Read>(reader: R, file: &str) -> Result<TotalsFile> {
    let (mut csv, header) = open_csv(reader, file)?;
    let missing = |what: &str, names: &[&str]| AbFileError::Header {
        file: file.to_string(),
        reason: format!(
            "no {what} column found (looked for {}; columns: {})",
            names.join(", "),
            header.names.join(", ")
        ),
    };
    let variant = header
        .detect(&VARIANT_NAMES, &[], &[])
        .or_else(|| header.detect(&TOTALS_VARIANT_NAMES, &[], &[]))
        .ok_or_else(|| missing("variant", &VARIANT_NAMES))?;
    let n = header
        .detect(&N_NAMES, &[], &[variant])
        .ok_or_else(|| missing("sample size", &N_NAMES))?;
    let conversions = header.detect(&CONVERSIONS_NAMES, &[], &[variant, n]);
    let sum = header.detect(&SUM_NAMES, &[], &[variant, n]);
    let sum_squares = header.detect(&SUM_SQUARES_NAMES, &[], &[variant, n]);
    if sum.is_some() != sum_squares.is_some() {
        return Err(AbFileError::Header {
            file: file.to_string(),
            reason: "a value metric needs both a sum and a sum_squares column".into(),
        });
    }
    if conversions.is_none() && sum.is_none() {
        return Err(AbFileError::Header {
            file: file.to_string(),
            reason: format!(
                "no conversions or sum column found (columns: {})",
                header.names.join(", ")
            ),
        });
    }
    let cov = |name: &str| header.detect(&[name], &[], &[]);
    let cov_sum = cov("covariate_sum");
    let cov_sq = cov("covariate_sum_squares");
    let cov_value = cov("covariate_value_products");
    let cov_conv = cov("covariate_conversion_products");

    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    while csv
        .read_record(&mut record)
        .map_err(|e| csv_error(file, e))?
    {
        if record.len() == 1 && record[0].trim().is_empty() {
            continue;
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let error =
            |c: usize, problem: &str| cell_error(file, line, &header.names[c], &record[c], problem);
        let count = |c: usize| -> Result<u64> {
            record[c]
                .trim()
                .parse::<u64>()
                .map_err(|_| error(c, "not a whole number of units"))
        };
        let number = |c: usize| -> Result<f64> {
            parse_number(&record[c]).ok_or_else(|| error(c, "not a number"))
        };
        let opt = |c: Option<usize>| -> Result<Option<f64>> { c.map(number).transpose() };
        let name = record[variant].trim().to_string();
        if name.is_empty() {
            return Err(error(variant, "empty, not a variant name"));
        }
        let covariate = match (cov_sum, cov_sq) {
            (Some(s), Some(q)) => Some(CovariateCells {
                sum: number(s)?,
                sum_squares: number(q)?,
                value_products: opt(cov_value)?,
                conversion_products: opt(cov_conv)?,
            }),
            _ => None,
        };
        rows.push(TotalsRow {
            name,
            n: count(n)?,
            conversions: conversions.map(count).transpose()?,
            sum: opt(sum)?,
            sum_squares: opt(sum_squares)?,
            covariate,
        });
    }
    Ok(TotalsFile {
        conversion_metric: header.name(conversions),
        value_metric: header.name(sum),
        rows,
    })
}

/// Tells a per-person file from a totals file by its header: a totals file
/// has a sample-size column and a conversions or sum column.
pub fn detect_kind(path: &Path) -> Result<CsvKind> {
    let (handle, file) = open_path(path)?;
    let (_, header) = open_csv(handle, &file)?;
    let has_n = header.detect(&N_NAMES, &[], &[]).is_some();
    let has_totals = header.detect(&CONVERSIONS_NAMES, &[], &[]).is_some()
        || header.detect(&SUM_SQUARES_NAMES, &[], &[]).is_some();
    Ok(if has_n && has_totals {
        CsvKind::Aggregates
    } else {
        CsvKind::PersonRows
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str, columns: &PersonColumns) -> Result<Vec<(u64, String, Option<bool>)>> {
        let mut reader = PersonReader::new(text.as_bytes(), "test.csv", columns)?;
        let mut out = Vec::new();
        while let Some(r) = reader.next_row()? {
            out.push((r.line, r.variant.to_string(), r.converted));
        }
        Ok(out)
    }

    #[test]
    fn roles_are_detected_by_name_and_the_person_and_time_are_never_outcomes() {
        let header = AbHeader::new(&[
            "\u{feff}user_id".into(),
            "timestamp".into(),
            "Test Group".into(),
            "landing_page".into(),
            "converted".into(),
        ]);
        let roles = header.person_roles(&PersonColumns::default()).unwrap();
        assert_eq!(
            roles,
            PersonRoles {
                variant: Some(2),
                unit: Some(0),
                time: Some(1),
                converted: Some(4),
                value: None,
                covariate: None,
            }
        );
        assert_eq!(header.names()[0], "user_id");
        let header = AbHeader::new(&[
            "userid".into(),
            "version".into(),
            "sum_gamerounds".into(),
            "retention_1".into(),
            "retention_7".into(),
        ]);
        let roles = header.person_roles(&PersonColumns::default()).unwrap();
        assert_eq!((roles.variant, roles.converted), (Some(1), Some(3)));
        let named = PersonColumns {
            converted: Some("Retention_7".into()),
            ..Default::default()
        };
        assert_eq!(header.person_roles(&named).unwrap().converted, Some(4));
    }

    #[test]
    fn flags_and_numbers() {
        for yes in ["TRUE", "true", " t", "Yes", "y", "1", "1.0"] {
            assert_eq!(parse_flag(yes), Some(true), "{yes}");
        }
        for no in ["FALSE", "f", "no", "N", "0", "0.0"] {
            assert_eq!(parse_flag(no), Some(false), "{no}");
        }
        assert_eq!(parse_flag("granted"), None);
        assert_eq!(parse_flag(""), None);
        assert_eq!(parse_number("2.5"), Some(2.5));
        assert_eq!(parse_number("1,5"), None);
        assert_eq!(parse_number("inf"), None);
    }

    #[test]
    fn line_numbers_are_exact_with_crlf_blank_lines_and_quoted_newlines() {
        let text = "group,converted\r\na,1\r\n\r\n\"b\r\nc\",0\r\nd,x\r\n";
        let e = rows(text, &PersonColumns::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot read line 6 of test.csv: column converted: 'x' is not a boolean"
        );
        let ok = rows(
            "group,converted\r\na,1\r\n\"b\r\nc\",0\r\nd,f\r\n",
            &PersonColumns::default(),
        )
        .unwrap();
        assert_eq!(
            ok,
            vec![
                (2, "a".into(), Some(true)),
                (3, "b\nc".into(), Some(false)),
                (5, "d".into(), Some(false))
            ]
        );
        let mut lf = String::new();
        CrlfToLf::new("a\r\nb\rc\r".as_bytes())
            .read_to_string(&mut lf)
            .unwrap();
        assert_eq!(lf, "a\nb\rc\r");
    }

    #[test]
    fn totals_name_their_metrics_and_reject_a_fractional_count() {
        let text = "name,users,conversions\ncontrol,1000,100\nB,1000,120\n";
        let t = read_totals_from(text.as_bytes(), "agg.csv").unwrap();
        assert_eq!(t.conversion_metric.as_deref(), Some("conversions"));
        assert_eq!(t.rows[1].name, "B");
        assert_eq!(t.rows[1].conversions, Some(120));
        let e =
            read_totals_from("variant,n,conversions\na,1.5,1\n".as_bytes(), "agg.csv").unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot read line 2 of agg.csv: column n: '1.5' is not a whole number of units"
        );
    }
}
