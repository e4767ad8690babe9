//! Excel workbooks: the first sheet is read with `calamine`, turned into rows, sniffed
//! like a text file and handed to the same parsers. A workbook is compressed XML and
//! cannot be streamed row by row, so it is held in memory; CSV stays the way for big files.
//! Numbers stored by Excel as floats are written back without a trailing `.0`; a 19-digit
//! id already stored as a float in the workbook cannot be recovered and is not guessed.

use crate::rows::{Row, RowIter};
use crate::{FormatError, ParseOptions, ParseSummary, Record};
use calamine::{Data, Reader, Xlsx};
use std::io::{Read, Seek};
use std::ops::ControlFlow;

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => dt.as_f64().to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Reads the first sheet of a workbook and parses it like the same file saved as CSV.
pub fn parse_xlsx<R: Read + Seek>(
    reader: R,
    opts: &ParseOptions,
    mut sink: impl FnMut(Record) -> ControlFlow<()>,
) -> Result<ParseSummary, FormatError> {
    let fail = |reason: String| FormatError::Spreadsheet {
        file: opts.file_name.clone(),
        reason,
    };
    let mut book = Xlsx::new(reader).map_err(|e| fail(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| fail("the workbook has no sheet".into()))?
        .map_err(|e| fail(e.to_string()))?;
    let start_row = range.start().map_or(0, |(r, _)| r as u64);
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    // The sniffer reads text: render the first rows as CSV.
    let mut sample = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for r in rows.iter().take(60) {
        sample.write_record(r).map_err(|e| fail(e.to_string()))?;
    }
    let sample = sample.into_inner().map_err(|e| fail(e.to_string()))?;
    let detection = crate::sniff(&sample);
    let format = opts
        .format
        .filter(|f| *f != crate::Format::Xlsx)
        .unwrap_or(detection.format);
    let progress = opts.progress.clone().unwrap_or_default();
    let row_iter: RowIter = if matches!(
        format,
        crate::Format::Ga4BigQueryNdjson | crate::Format::GenericJsonl
    ) {
        Box::new(rows.into_iter().enumerate().map(move |(i, f)| {
            Ok(Row {
                line: start_row + i as u64 + 1,
                fields: vec![f.join(",")],
                bad_text: false,
            })
        }))
    } else {
        Box::new(rows.into_iter().enumerate().map(move |(i, fields)| {
            Ok(Row {
                line: start_row + i as u64 + 1,
                fields,
                bad_text: false,
            })
        }))
    };
    let mut sink_dyn: &mut dyn FnMut(Record) -> ControlFlow<()> = &mut sink;
    let mut summary = crate::run(detection, format, row_iter, opts, &mut sink_dyn, &progress)?;
    summary.detection.evidence.insert(
        0,
        "the file is an Excel workbook; its first sheet was read".into(),
    );
    Ok(summary)
}
