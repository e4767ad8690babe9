//! Experiment files reduced to summaries: per-person rows folded per
//! variant, or per-variant totals checked. The file itself (columns,
//! booleans, lines, messages) is read by [`rebound_formats::ab`], the one A/B
//! reader an import of the same file uses too.

use std::io::Read;
use std::path::Path;

use rebound_formats::ab::{self, AbFileError, PersonReader};
pub use rebound_formats::ab::{CsvKind, PersonColumns, ResolvedColumns};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::input::{
    CovariateMoments, ExperimentData, PersonRow, RowAggregator, RowShape, VariantSummary,
};

/// A per-person file reduced to summaries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PersonFile {
    pub data: ExperimentData,
    pub columns: ResolvedColumns,
    #[ts(type = "number")]
    pub rows: u64,
}

/// Reads a per-person CSV file.
pub fn read_person_csv(path: &Path, columns: &PersonColumns) -> Result<PersonFile> {
    let file = ab::file_label(path);
    let handle = std::fs::File::open(path).map_err(|source| AbFileError::Open {
        file: file.clone(),
        source,
    })?;
    read_person_csv_from(handle, &file, columns)
}

/// Reads per-person rows from any reader; `file` names it in messages.
pub fn read_person_csv_from<R: Read>(
    reader: R,
    file: &str,
    columns: &PersonColumns,
) -> Result<PersonFile> {
    let mut reader = PersonReader::new(reader, file, columns)?;
    let resolved = reader.columns();
    let mut aggregator = RowAggregator::new(RowShape {
        converted: resolved.converted.is_some(),
        value: resolved.value.is_some(),
        covariate: resolved.covariate.is_some(),
    });
    let mut rows = 0u64;
    while let Some(row) = reader.next_row()? {
        aggregator.add(&PersonRow {
            variant: row.variant,
            converted: row.converted,
            value: row.value,
            covariate: row.covariate,
        })?;
        rows += 1;
    }
    let mut data = aggregator.finish();
    data.conversion_metric = resolved.converted.clone();
    data.value_metric = resolved.value.clone();
    Ok(PersonFile {
        data,
        columns: resolved,
        rows,
    })
}

/// Reads a per-variant aggregates CSV file: one row per variant with
/// `variant,n[,conversions][,sum,sum_squares][,covariate_sum,covariate_sum_squares,covariate_value_products,covariate_conversion_products]`.
pub fn read_aggregates_csv(path: &Path) -> Result<ExperimentData> {
    summaries(ab::read_totals(path)?)
}

/// Reads aggregates from any reader; `file` names it in messages.
pub fn read_aggregates_csv_from<R: Read>(reader: R, file: &str) -> Result<ExperimentData> {
    summaries(ab::read_totals_from(reader, file)?)
}

fn summaries(totals: ab::TotalsFile) -> Result<ExperimentData> {
    let variants = totals
        .rows
        .into_iter()
        .map(|r| VariantSummary {
            name: r.name,
            n: r.n,
            conversions: r.conversions,
            sum: r.sum,
            sum_squares: r.sum_squares,
            covariate: r.covariate.map(|c| CovariateMoments {
                sum: c.sum,
                sum_squares: c.sum_squares,
                value_products: c.value_products,
                conversion_products: c.conversion_products,
            }),
        })
        .collect();
    let mut data = ExperimentData::new(variants);
    data.conversion_metric = totals.conversion_metric;
    data.value_metric = totals.value_metric;
    data.validate()?;
    Ok(data)
}

/// Tells a per-person file from an aggregates file by its header.
pub fn detect_csv_kind(path: &Path) -> Result<CsvKind> {
    Ok(ab::detect_kind(path)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StatsError;

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
        assert!(
            matches!(e, StatsError::File(AbFileError::Cell { .. })),
            "{e:?}"
        );
    }

    #[test]
    fn line_numbers_are_exact_with_crlf_blank_lines_and_quoted_newlines() {
        let text = "group,converted\r\na,1\r\n\r\n\"b\r\nc\",0\r\nd,x\r\n";
        let e = person(text, &PersonColumns::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot read line 6 of test.csv: column converted: 'x' is not a boolean"
        );
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
