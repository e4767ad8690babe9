//! CSV export of any table the dashboard shows. The UI sends the table as it
//! displays it (headers and cell text, in its current sort order); the csv
//! crate does the quoting. Cells that a spreadsheet would run as a formula
//! (`=`, `+`, `@`, or `-` not starting a number) get a leading apostrophe:
//! campaign names come from imported files and are not trusted.

use std::path::Path;

use rebound_core::{Error, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

fn defuse(cell: &str) -> String {
    let risky = match cell.chars().next() {
        Some('=') | Some('+') | Some('@') | Some('\t') | Some('\r') => true,
        Some('-') => cell[1..].trim().parse::<f64>().is_err(),
        _ => false,
    };
    if risky {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// The table as CSV text.
pub fn to_csv(table: &Table) -> Result<String> {
    let width = table.columns.len();
    if let Some((i, row)) = table
        .rows
        .iter()
        .enumerate()
        .find(|(_, r)| r.len() != width)
    {
        return Err(Error::InvalidInput(format!(
            "row {} of the table has {} cells for {width} columns",
            i + 1,
            row.len()
        )));
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Error::InvalidInput(format!("cannot write the CSV: {e}"));
    w.write_record(table.columns.iter().map(|c| defuse(c)))
        .map_err(fail)?;
    for row in &table.rows {
        w.write_record(row.iter().map(|c| defuse(c)))
            .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::InvalidInput(format!("cannot write the CSV: {e}")))?;
    Ok(String::from_utf8(bytes).expect("csv of strings is UTF-8"))
}

pub fn write_csv(table: &Table, path: &Path) -> Result<()> {
    std::fs::write(path, to_csv(table)?).map_err(|source| Error::Io {
        op: "write",
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_defuses_formulas() {
        let t = Table {
            columns: vec!["Campaign".into(), "Cost".into()],
            rows: vec![
                vec!["=HYPERLINK(\"x\")".into(), "-12.50".into()],
                vec!["A, \"B\"".into(), "-x".into()],
            ],
        };
        assert_eq!(
            to_csv(&t).unwrap(),
            "Campaign,Cost\n\"'=HYPERLINK(\"\"x\"\")\",-12.50\n\"A, \"\"B\"\"\",'-x\n"
        );
        let bad = Table {
            columns: vec!["a".into()],
            rows: vec![vec![]],
        };
        assert_eq!(
            to_csv(&bad).unwrap_err().to_string(),
            "row 1 of the table has 0 cells for 1 columns"
        );
    }
}
