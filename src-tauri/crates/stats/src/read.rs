//! Reading experiment files: per-person rows or per-variant aggregates.
//!
//! Files are streamed with the `csv` crate (one record buffer, one
//! accumulator per variant), so memory does not grow with the file. The
//! delimiter (comma, tab or semicolon) is sniffed from the header line;
//! a UTF-8 BOM, CRLF line endings and a missing final newline are handled.
//! Columns are matched by normalised name (trimmed, lower-case, spaces and
//! hyphens as underscores). Any column the caller does not name is
//! auto-detected from a list of usual names (`variant`, `group`, `version`
//! ...; `converted`, `purchased`, `retention_*` ...). Every failure names
//! the file, the line, the column and the reason.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{file_label, Result, StatsError};
use crate::input::{
    CovariateMoments, ExperimentData, PersonRow, RowAggregator, RowShape, VariantSummary,
};

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

/// A per-person file reduced to summaries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PersonFile {
    pub data: ExperimentData,
    pub columns: ResolvedColumns,
    #[ts(type = "number")]
    pub rows: u64,
}

/// What a CSV file holds, judged from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CsvKind {
    PersonRows,
    Aggregates,
}

const VARIANT_NAMES: [&str; 15] = [
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
    "name",
];
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

fn normalise(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

struct Header {
    file: String,
    names: Vec<String>,
    normalised: Vec<String>,
}

impl Header {
    fn explicit(&self, wanted: &str) -> Result<usize> {
        let w = normalise(wanted);
        self.normalised
            .iter()
            .position(|n| *n == w)
            .ok_or_else(|| StatsError::Header {
                file: self.file.clone(),
                reason: format!(
                    "column '{wanted}' is not in the header (columns: {})",
                    self.names.join(", ")
                ),
            })
    }

    fn detect(&self, exact: &[&str], prefixes: &[&str], taken: &[usize]) -> Option<usize> {
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
    ) -> Result<Option<usize>> {
        match given {
            Some(name) => self.explicit(name).map(Some),
            None => Ok(self.detect(exact, prefixes, taken)),
        }
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

/// Opens a CSV stream: sniffs the delimiter and reads the header.
fn open_csv<R: Read>(reader: R, file: &str) -> Result<(CsvStream<R>, Header)> {
    let mut buffered = BufReader::with_capacity(64 * 1024, CrlfToLf::new(reader));
    let peek = buffered.fill_buf().map_err(|e| StatsError::Open {
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
    let names: Vec<String> = csv
        .headers()
        .map_err(|e| csv_error(file, e))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if names.iter().all(|n| n.is_empty()) {
        return Err(StatsError::Header {
            file: file.to_string(),
            reason: "the file is empty or has no header line".into(),
        });
    }
    let normalised = names.iter().map(|n| normalise(n)).collect();
    Ok((
        csv,
        Header {
            file: file.to_string(),
            names,
            normalised,
        },
    ))
}

fn csv_error(file: &str, e: csv::Error) -> StatsError {
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
        StatsError::Header {
            file: file.to_string(),
            reason,
        }
    } else {
        StatsError::Row {
            file: file.to_string(),
            line,
            reason,
        }
    }
}

/// Parses TRUE/FALSE in any case, yes/no, 1/0 (and 1.0/0.0).
pub fn parse_bool(cell: &str) -> Option<bool> {
    match cell.trim().to_lowercase().as_str() {
        "true" | "t" | "yes" | "y" | "1" | "1.0" => Some(true),
        "false" | "f" | "no" | "n" | "0" | "0.0" => Some(false),
        _ => None,
    }
}

fn parse_number(cell: &str) -> Option<f64> {
    cell.trim().parse::<f64>().ok().filter(|x| x.is_finite())
}

struct CellContext<'a> {
    file: &'a str,
    line: u64,
    names: &'a [String],
}

impl CellContext<'_> {
    fn error(&self, column: usize, value: &str, problem: &str) -> StatsError {
        StatsError::Cell {
            file: self.file.to_string(),
            line: self.line,
            column: self.names[column].clone(),
            value: value.to_string(),
            problem: problem.to_string(),
        }
    }
}

/// Reads a per-person CSV file.
pub fn read_person_csv(path: &Path, columns: &PersonColumns) -> Result<PersonFile> {
    let file = file_label(path);
    let handle = File::open(path).map_err(|e| StatsError::Open {
        file: file.clone(),
        source: e,
    })?;
    read_person_csv_from(handle, &file, columns)
}

/// Reads per-person rows from any reader; `file` names it in messages.
pub fn read_person_csv_from<R: Read>(
    reader: R,
    file: &str,
    columns: &PersonColumns,
) -> Result<PersonFile> {
    let (mut csv, header) = open_csv(reader, file)?;
    let variant = header
        .role(columns.variant.as_deref(), &VARIANT_NAMES, &[], &[])?
        .ok_or_else(|| StatsError::Header {
            file: file.to_string(),
            reason: format!(
                "no variant column found (looked for {}; columns: {}); name it explicitly",
                VARIANT_NAMES.join(", "),
                header.names.join(", ")
            ),
        })?;
    let converted = header.role(
        columns.converted.as_deref(),
        &CONVERTED_NAMES,
        &CONVERTED_PREFIXES,
        &[variant],
    )?;
    let taken: Vec<usize> = [Some(variant), converted].into_iter().flatten().collect();
    let value = header.role(
        columns.value.as_deref(),
        &VALUE_NAMES,
        &VALUE_PREFIXES,
        &taken,
    )?;
    let taken: Vec<usize> = [Some(variant), converted, value]
        .into_iter()
        .flatten()
        .collect();
    let covariate = header.role(
        columns.covariate.as_deref(),
        &COVARIATE_NAMES,
        &COVARIATE_PREFIXES,
        &taken,
    )?;
    if converted.is_none() && value.is_none() {
        return Err(StatsError::Header {
            file: file.to_string(),
            reason: format!(
                "no conversion or value column found (columns: {}); name the metric column explicitly",
                header.names.join(", ")
            ),
        });
    }
    let mut aggregator = RowAggregator::new(RowShape {
        converted: converted.is_some(),
        value: value.is_some(),
        covariate: covariate.is_some(),
    });
    let mut record = csv::StringRecord::new();
    let mut rows = 0u64;
    while csv
        .read_record(&mut record)
        .map_err(|e| csv_error(file, e))?
    {
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        // A blank line reads as one empty field; skip it.
        if record.len() == 1 && record[0].trim().is_empty() {
            continue;
        }
        let ctx = CellContext {
            file,
            line,
            names: &header.names,
        };
        let name = record[variant].trim();
        if name.is_empty() {
            return Err(ctx.error(variant, "", "empty, not a variant name"));
        }
        let flag = match converted {
            Some(c) => Some(
                parse_bool(&record[c]).ok_or_else(|| ctx.error(c, &record[c], "not a boolean"))?,
            ),
            None => None,
        };
        let amount = match value {
            Some(c) => Some(
                parse_number(&record[c]).ok_or_else(|| ctx.error(c, &record[c], "not a number"))?,
            ),
            None => None,
        };
        let pre = match covariate {
            Some(c) if record[c].trim().is_empty() => None,
            Some(c) => Some(
                parse_number(&record[c]).ok_or_else(|| ctx.error(c, &record[c], "not a number"))?,
            ),
            None => None,
        };
        aggregator.add(&PersonRow {
            variant: name,
            converted: flag,
            value: amount,
            covariate: pre,
        })?;
        rows += 1;
    }
    let name_of = |i: Option<usize>| i.map(|i| header.names[i].clone());
    let mut data = aggregator.finish();
    data.conversion_metric = name_of(converted);
    data.value_metric = name_of(value);
    Ok(PersonFile {
        data,
        columns: ResolvedColumns {
            variant: header.names[variant].clone(),
            converted: name_of(converted),
            value: name_of(value),
            covariate: name_of(covariate),
        },
        rows,
    })
}

/// Reads a per-variant aggregates CSV file: one row per variant with
/// `variant,n[,conversions][,sum,sum_squares][,covariate_sum,covariate_sum_squares,covariate_value_products,covariate_conversion_products]`.
pub fn read_aggregates_csv(path: &Path) -> Result<ExperimentData> {
    let file = file_label(path);
    let handle = File::open(path).map_err(|e| StatsError::Open {
        file: file.clone(),
        source: e,
    })?;
    read_aggregates_csv_from(handle, &file)
}

/// Reads aggregates from any reader; `file` names it in messages.
pub fn read_aggregates_csv_from<R: Read>(reader: R, file: &str) -> Result<ExperimentData> {
    let (mut csv, header) = open_csv(reader, file)?;
    let missing = |what: &str, names: &[&str]| StatsError::Header {
        file: file.to_string(),
        reason: format!(
            "no {what} column found (looked for {}; columns: {})",
            names.join(", "),
            header.names.join(", ")
        ),
    };
    let variant = header
        .detect(&VARIANT_NAMES, &[], &[])
        .ok_or_else(|| missing("variant", &VARIANT_NAMES))?;
    let n = header
        .detect(&N_NAMES, &[], &[variant])
        .ok_or_else(|| missing("sample size", &N_NAMES))?;
    let conversions = header.detect(&CONVERSIONS_NAMES, &[], &[variant, n]);
    let sum = header.detect(&SUM_NAMES, &[], &[variant, n]);
    let sum_squares = header.detect(&SUM_SQUARES_NAMES, &[], &[variant, n]);
    if sum.is_some() != sum_squares.is_some() {
        return Err(StatsError::Header {
            file: file.to_string(),
            reason: "a value metric needs both a sum and a sum_squares column".into(),
        });
    }
    if conversions.is_none() && sum.is_none() {
        return Err(StatsError::Header {
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

    let mut variants = Vec::new();
    let mut record = csv::StringRecord::new();
    while csv
        .read_record(&mut record)
        .map_err(|e| csv_error(file, e))?
    {
        if record.len() == 1 && record[0].trim().is_empty() {
            continue;
        }
        let ctx = CellContext {
            file,
            line: record.position().map(|p| p.line()).unwrap_or(0),
            names: &header.names,
        };
        let count = |c: usize| -> Result<u64> {
            record[c]
                .trim()
                .parse::<u64>()
                .map_err(|_| ctx.error(c, &record[c], "not a whole number of units"))
        };
        let number = |c: usize| -> Result<f64> {
            parse_number(&record[c]).ok_or_else(|| ctx.error(c, &record[c], "not a number"))
        };
        let opt = |c: Option<usize>| -> Result<Option<f64>> { c.map(number).transpose() };
        let name = record[variant].trim().to_string();
        if name.is_empty() {
            return Err(ctx.error(variant, "", "empty, not a variant name"));
        }
        let covariate = match (cov_sum, cov_sq) {
            (Some(s), Some(q)) => Some(CovariateMoments {
                sum: number(s)?,
                sum_squares: number(q)?,
                value_products: opt(cov_value)?,
                conversion_products: opt(cov_conv)?,
            }),
            _ => None,
        };
        variants.push(VariantSummary {
            name,
            n: count(n)?,
            conversions: conversions.map(count).transpose()?,
            sum: opt(sum)?,
            sum_squares: opt(sum_squares)?,
            covariate,
        });
    }
    let mut data = ExperimentData::new(variants);
    data.conversion_metric = conversions.map(|i| header.names[i].clone());
    data.value_metric = sum.map(|i| header.names[i].clone());
    data.validate()?;
    Ok(data)
}

/// Tells a per-person file from an aggregates file by its header: an
/// aggregates file has a sample-size column and a conversions or sum column.
pub fn detect_csv_kind(path: &Path) -> Result<CsvKind> {
    let file = file_label(path);
    let handle = File::open(path).map_err(|e| StatsError::Open {
        file: file.clone(),
        source: e,
    })?;
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

    fn person(text: &str, columns: &PersonColumns) -> Result<PersonFile> {
        read_person_csv_from(text.as_bytes(), "test.csv", columns)
    }

    #[test]
    fn detects_columns_and_reads_crlf_without_final_newline() {
        let text = "userid,version,sum_gamerounds,retention_1,retention_7\r\n1,gate_30,3,FALSE,TRUE\r\n2,gate_40,5,True,0";
        let f = person(text, &PersonColumns::default()).unwrap();
        assert_eq!(f.columns.variant, "version");
        assert_eq!(f.columns.converted.as_deref(), Some("retention_1"));
        assert_eq!(f.rows, 2);
        assert_eq!(f.data.variants[1].conversions, Some(1));
    }

    #[test]
    fn a_bad_boolean_names_file_line_column_and_value() {
        let text = "version,retention_7\r\ngate_30,TRUE\r\ngate_40,yes?\r\n";
        let columns = PersonColumns {
            converted: Some("retention_7".into()),
            ..Default::default()
        };
        let e = person(text, &columns).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot read line 3 of test.csv: column retention_7: 'yes?' is not a boolean"
        );
        assert!(matches!(e, StatsError::Cell { .. }), "{e:?}");
    }

    #[test]
    fn line_numbers_are_exact_with_crlf_blank_lines_and_quoted_newlines() {
        let text = "group,converted\r\na,1\r\n\r\n\"b\r\nc\",0\r\nd,x\r\n";
        let e = person(text, &PersonColumns::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot read line 6 of test.csv: column converted: 'x' is not a boolean"
        );
        let mut lf = String::new();
        CrlfToLf::new("a\r\nb\rc\r".as_bytes())
            .read_to_string(&mut lf)
            .unwrap();
        assert_eq!(lf, "a\nb\rc\r");
    }

    #[test]
    fn a_short_row_is_reported_with_its_line() {
        let e = person("group,converted\na,1\nb\n", &PersonColumns::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot read line 3 of test.csv: expected 2 fields like the header, found 1"
        );
    }

    #[test]
    fn an_unknown_column_is_named() {
        let columns = PersonColumns {
            value: Some("revenue".into()),
            ..Default::default()
        };
        let e = person("group,converted\na,1\n", &columns).unwrap_err();
        assert!(e
            .to_string()
            .starts_with("cannot read test.csv: column 'revenue' is not in the header"));
    }

    #[test]
    fn tab_and_semicolon_files_and_a_bom_are_read() {
        let f = person(
            "\u{feff}group\tconverted\tpre_revenue\na\t1\t2.5\nb\t0\t\n",
            &PersonColumns::default(),
        )
        .unwrap();
        assert_eq!(f.columns.covariate.as_deref(), Some("pre_revenue"));
        assert_eq!(f.data.variants.len(), 2);
        let f = person("group;revenue\na;1,5\n", &PersonColumns::default());
        assert!(f.unwrap_err().to_string().contains("'1,5' is not a number"));
    }

    #[test]
    fn aggregates_are_read_and_validated() {
        let text = "variant,users,conversions,revenue,sum_squares\ncontrol,1000,100,5000,40000\nB,1000,120,5300,43000\n";
        let d = read_aggregates_csv_from(text.as_bytes(), "agg.csv").unwrap();
        assert_eq!(d.variants[1].n, 1000);
        assert_eq!(d.variants[1].sum, Some(5300.0));
        assert_eq!(d.conversion_metric.as_deref(), Some("conversions"));
        let bad = "variant,users,conversions\ncontrol,10,12\n";
        let e = read_aggregates_csv_from(bad.as_bytes(), "agg.csv").unwrap_err();
        assert!(e.to_string().contains("12 conversions out of 10"));
        let bad = "variant,users,conversions\ncontrol,ten,1\n";
        let e = read_aggregates_csv_from(bad.as_bytes(), "agg.csv").unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot read line 2 of agg.csv: column users: 'ten' is not a whole number of units"
        );
    }
}
