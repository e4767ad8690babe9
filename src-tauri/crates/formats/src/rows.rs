//! Row sources and the per-file bookkeeping every parser shares.
//!
//! A parser never sees bytes: it pulls [`Row`]s (a physical line number and the cells)
//! from a source — delimited text through the `csv` crate, JSON lines flattened to cells,
//! or the first sheet of a workbook — and reports each row as imported or rejected to a
//! [`Ctx`], which keeps `rows_read = rows_ok + rows_rejected` true by construction.

use crate::records::Record;
use crate::{Counts, FormatError, Rejection};
use std::io::{BufRead, BufReader, Read};
use std::ops::ControlFlow;

/// One row of cells and the line it starts on (1-based; for a workbook, the sheet row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    pub fields: Vec<String>,
    /// Set when the row's bytes were not valid text; the row is rejected, not altered.
    pub bad_text: bool,
}

impl Row {
    pub fn get(&self, i: usize) -> &str {
        self.fields.get(i).map_or("", |s| s.as_str())
    }
    pub fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.trim().is_empty())
    }
}

pub(crate) type RowIter<'a> = Box<dyn Iterator<Item = Result<Row, FormatError>> + 'a>;

/// Turns CRLF into LF so that line numbers can be computed from the CSV reader's
/// positions (a CRLF inside a quoted field becomes LF too).
struct CrlfToLf<R> {
    inner: R,
    buf: Vec<u8>,
    queue: Vec<u8>,
    pos: usize,
    pending_cr: bool,
    /// The last byte handed out, shared with the row iterator.
    last: std::rc::Rc<std::cell::Cell<u8>>,
}

impl<R: Read> Read for CrlfToLf<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.pos >= self.queue.len() {
            self.queue.clear();
            self.pos = 0;
            let n = self.inner.read(&mut self.buf)?;
            if n == 0 {
                if std::mem::take(&mut self.pending_cr) {
                    self.queue.push(b'\r');
                    continue;
                }
                return Ok(0);
            }
            for &b in &self.buf[..n] {
                if std::mem::take(&mut self.pending_cr) && b != b'\n' {
                    self.queue.push(b'\r');
                }
                if b == b'\r' {
                    self.pending_cr = true;
                } else {
                    self.queue.push(b);
                }
            }
        }
        let k = out.len().min(self.queue.len() - self.pos);
        out[..k].copy_from_slice(&self.queue[self.pos..self.pos + k]);
        self.pos += k;
        if k > 0 {
            self.last.set(out[k - 1]);
        }
        Ok(k)
    }
}

/// Rows of a delimited text file. Quoted fields may hold delimiters and newlines.
///
/// The `csv` crate reports a record's position before skipping the previous line's
/// terminator and any blank lines, so the line a record starts on is computed instead
/// from where it ends: end line, minus newlines inside its fields, minus its terminator
/// (a record at the very end of a file without a final newline has none). One record is
/// held back to know whether it was the last.
pub(crate) fn delimited_rows<'a, R: Read + 'a>(
    reader: R,
    delimiter: u8,
    file: &str,
) -> RowIter<'a> {
    let last = std::rc::Rc::new(std::cell::Cell::new(0u8));
    let lf = CrlfToLf {
        last: last.clone(),
        inner: reader,
        buf: vec![0; 64 * 1024],
        queue: Vec::new(),
        pos: 0,
        pending_cr: false,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(lf);
    let file = file.to_string();
    let mut record = csv::ByteRecord::new();
    let mut held: Option<(Row, u64, u64, u64)> = None;
    let mut done = false;
    let finish = |(mut row, end_line, inner, end_byte): (Row, u64, u64, u64), terminated: bool| {
        let _ = end_byte;
        row.line = end_line
            .saturating_sub(inner + u64::from(terminated))
            .max(1);
        row
    };
    Box::new(std::iter::from_fn(move || loop {
        if done {
            return None;
        }
        match rdr.read_byte_record(&mut record) {
            Ok(false) => {
                done = true;
                let total = rdr.position().byte();
                return held.take().map(|h| {
                    let terminated = h.3 < total || last.get() == b'\n';
                    Ok(finish(h, terminated))
                });
            }
            Ok(true) => {
                let end = rdr.position();
                let mut bad_text = false;
                let mut inner = 0u64;
                let fields = record
                    .iter()
                    .map(|f| {
                        inner += f.iter().filter(|b| **b == b'\n').count() as u64;
                        match std::str::from_utf8(f) {
                            Ok(s) => s.to_string(),
                            Err(_) => {
                                bad_text = true;
                                String::from_utf8_lossy(f).into_owned()
                            }
                        }
                    })
                    .collect();
                let row = Row {
                    line: 0,
                    fields,
                    bad_text,
                };
                let previous = held.replace((row, end.line(), inner, end.byte()));
                if let Some(p) = previous {
                    return Some(Ok(finish(p, true)));
                }
            }
            Err(e) => {
                done = true;
                let line = e.position().map_or(0, |p| p.line());
                return Some(Err(FormatError::Malformed {
                    file: file.clone(),
                    line,
                    reason: e.to_string(),
                }));
            }
        }
    }))
}

/// Non-empty lines of a text file with their line numbers (for JSON lines).
pub(crate) fn text_lines<'a, R: Read + 'a>(
    reader: R,
    file: &str,
) -> Box<dyn Iterator<Item = Result<(u64, String), FormatError>> + 'a> {
    let mut rdr = BufReader::new(reader);
    let file = file.to_string();
    let mut line_no = 0u64;
    let mut buf = Vec::new();
    let mut done = false;
    Box::new(std::iter::from_fn(move || loop {
        if done {
            return None;
        }
        buf.clear();
        match rdr.read_until(b'\n', &mut buf) {
            Ok(0) => return None,
            Ok(_) => {
                line_no += 1;
                let text = String::from_utf8_lossy(&buf);
                let t = text.trim_end_matches(['\r', '\n']);
                if t.trim().is_empty() {
                    continue;
                }
                return Some(Ok((line_no, t.to_string())));
            }
            Err(source) => {
                done = true;
                return Some(Err(FormatError::Io {
                    file: file.clone(),
                    source,
                }));
            }
        }
    }))
}

/// At most this many rejections are listed; the count is always exact.
pub const MAX_LISTED_REJECTIONS: usize = 10_000;

/// Per-file bookkeeping handed to every parser.
pub(crate) struct Ctx<'a> {
    pub file: String,
    pub counts: Counts,
    pub rejections: Vec<Rejection>,
    pub rows: RowIter<'a>,
    sink: &'a mut dyn FnMut(Record) -> ControlFlow<()>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        file: &str,
        rows: RowIter<'a>,
        sink: &'a mut dyn FnMut(Record) -> ControlFlow<()>,
    ) -> Self {
        Ctx {
            file: file.to_string(),
            counts: Counts::default(),
            rejections: Vec::new(),
            rows,
            sink,
        }
    }

    /// The next row, with rows that are not valid text already rejected.
    pub fn next_row(&mut self) -> Result<Option<Row>, FormatError> {
        loop {
            match self.rows.next() {
                None => return Ok(None),
                Some(Err(e)) => return Err(e),
                Some(Ok(row)) if row.bad_text => {
                    self.reject(row.line, None, "", "the row is not valid UTF-8 text");
                }
                Some(Ok(row)) => return Ok(Some(row)),
            }
        }
    }

    /// A row that is part of the file's structure (title, header, comment, totals).
    pub fn structural(&mut self) {
        self.counts.rows_not_data += 1;
    }

    /// A data row that was read and accepted; `emit` its record(s) separately.
    pub fn row_ok(&mut self) {
        self.counts.rows_read += 1;
        self.counts.rows_ok += 1;
    }

    /// A data row that was read and rejected.
    pub fn reject(
        &mut self,
        line: u64,
        column: Option<&str>,
        value: &str,
        reason: impl Into<String>,
    ) {
        self.counts.rows_read += 1;
        self.counts.rows_rejected += 1;
        if self.rejections.len() < MAX_LISTED_REJECTIONS {
            self.rejections.push(Rejection {
                line,
                column: column.map(str::to_string),
                value: value.chars().take(200).collect(),
                reason: reason.into(),
            });
        }
    }

    /// Hands a record to the caller; a `Break` from the caller cancels the import.
    pub fn emit(&mut self, record: Record) -> Result<(), FormatError> {
        self.counts.records += 1;
        match (self.sink)(record) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(FormatError::Cancelled {
                file: self.file.clone(),
            }),
        }
    }

    /// `row_ok` followed by `emit`: the usual one-row-one-record case.
    pub fn accept(&mut self, record: Record) -> Result<(), FormatError> {
        self.row_ok();
        self.emit(record)
    }

    pub fn not_this(&self, format: crate::Format, reason: impl Into<String>) -> FormatError {
        FormatError::NotThisFormat {
            file: self.file.clone(),
            format: format.label().to_string(),
            reason: reason.into(),
        }
    }
}

/// Column lookup by (normalised) name; the first occurrence wins for duplicate names.
pub(crate) struct Header {
    pub names: Vec<String>,
}

impl Header {
    pub fn new(fields: &[String]) -> Self {
        Header {
            names: fields.iter().map(|f| crate::sniff::norm(f)).collect(),
        }
    }
    /// Index of the first column with one of these (lower-case) names.
    pub fn find(&self, candidates: &[&str]) -> Option<usize> {
        candidates
            .iter()
            .find_map(|c| self.names.iter().position(|n| n == c))
    }
    /// Index of the first column whose name starts with this (lower-case) prefix.
    pub fn find_prefix(&self, prefix: &str) -> Option<usize> {
        self.names.iter().position(|n| n.starts_with(prefix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers_follow_physical_lines() {
        let text = "a,b\r\n1,\"x\ny\"\r\n3,4";
        let rows: Vec<Row> = delimited_rows(text.as_bytes(), b',', "t.csv")
            .map(|r| r.unwrap())
            .collect();
        let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 2, 4]);
        assert_eq!(rows[1].fields[1], "x\ny");
        assert_eq!(rows[2].fields, ["3", "4"]);
        for (text, want) in [
            ("a,b\n\n1,2\n", vec![1, 3]),
            ("a\n\"p\r\nq\"\n\n\nz\n\n", vec![1, 2, 6]),
            ("x\r", vec![1]),
        ] {
            let lines: Vec<u64> = delimited_rows(text.as_bytes(), b',', "t.csv")
                .map(|r| r.unwrap().line)
                .collect();
            assert_eq!(lines, want, "{text:?}");
        }
    }
}
