//! CSV files: the delimiter (`;`, `,` or tab) sniffed from the header, rows read one at a time from the
//! decoding stream, and row numbers counted the way a spreadsheet shows them.

use super::decode::{DecodeReader, detect_encoding};
use super::detect::Head;
use super::row::{RawRow, RowSource};
use super::{ImportError, RowError};
use crate::cells::unescape_formula;
use crate::columns::Column;
use std::collections::VecDeque;
use std::io::{self, Read};

pub(super) struct CsvSource<R: Read> {
    reader: ::csv::Reader<LineCounter<DecodeReader<R>>>,
    row: CsvRow,
    /// Line breaks inside quoted cells so far (current record included): a spreadsheet shows such a cell in one row.
    embedded_newlines: u64,
    last_row: usize,
}

impl<R: Read> CsvSource<R> {
    /// `reader` must be at the start of the file; `head` is its beginning, already read for detection.
    pub(super) fn open(reader: R, head: &Head) -> Result<Self, ImportError> {
        let encoding = detect_encoding(&head.bytes, head.complete);
        let (sample, _, _) = encoding.decode(&head.bytes);
        let reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(sniff_delimiter(&sample))
            .from_reader(LineCounter::new(DecodeReader::new(reader, encoding)));
        let row = CsvRow { record: ::csv::StringRecord::new(), decode_errors: false };
        Ok(CsvSource { reader, row, embedded_newlines: 0, last_row: 0 })
    }
}

impl<R: Read> RowSource for CsvSource<R> {
    fn next_row(&mut self) -> Option<Result<(usize, &dyn RawRow), RowError>> {
        match self.reader.read_record(&mut self.row.record) {
            Ok(false) => None,
            Ok(true) => {
                // The reader stands just past the record's terminator (`\n`, or `\r` of CRLF): the line breaks
                // before that terminator, less those inside quoted cells, number the record's spreadsheet row.
                let end = self.reader.position().byte();
                let record = self.row.record.as_slice();
                if record.as_bytes().contains(&b'\n') {
                    self.embedded_newlines += record.bytes().filter(|&b| b == b'\n').count() as u64;
                }
                let counter = self.reader.get_mut();
                let breaks = counter.newlines_before(end.saturating_sub(1));
                self.row.decode_errors = counter.inner.had_errors();
                self.last_row = (1 + breaks - self.embedded_newlines) as usize;
                Some(Ok((self.last_row, &self.row)))
            }
            Err(e) => Some(Err(RowError::unreadable(self.last_row + 1, &e.to_string()))),
        }
    }
}

/// Remembers where line breaks are in the part of the stream not yet parsed, to tell the line a record starts
/// on (the csv crate's own line count is off by one after CRLF line ends, and record start offsets include
/// skipped blank lines). Holds at most one read's worth.
struct LineCounter<R> {
    inner: R,
    offset: u64,
    pending: VecDeque<u64>,
    passed: u64,
}

impl<R> LineCounter<R> {
    fn new(inner: R) -> Self {
        LineCounter { inner, offset: 0, pending: VecDeque::new(), passed: 0 }
    }

    /// Line breaks before byte `offset` of the stream; offsets must not decrease between calls.
    fn newlines_before(&mut self, offset: u64) -> u64 {
        while self.pending.front().is_some_and(|&at| at < offset) {
            self.pending.pop_front();
            self.passed += 1;
        }
        self.passed
    }
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        // Most of a registry row is text without line breaks: skip such blocks with a fast `contains`.
        for (block, bytes) in buf[..n].chunks(64).enumerate() {
            if bytes.contains(&b'\n') {
                let base = self.offset + 64 * block as u64;
                let at = bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| base + i as u64);
                self.pending.extend(at);
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

struct CsvRow {
    record: ::csv::StringRecord,
    /// The decoder has replaced undecodable bytes somewhere up to here: cells must be checked for U+FFFD.
    decode_errors: bool,
}

impl RawRow for CsvRow {
    fn width(&self) -> usize {
        self.record.len()
    }

    fn text(&self, i: usize) -> &str {
        unescape_formula(self.record.get(i).unwrap_or_default().trim())
    }

    fn is_number(&self, _: usize) -> bool {
        false
    }

    fn undecodable(&self, i: usize) -> bool {
        self.decode_errors && self.text(i).contains(char::REPLACEMENT_CHARACTER)
    }
}

const CANDIDATES: [u8; 3] = [b';', b',', b'\t'];
/// Rows searched for the header (a title line may stand above it).
const SNIFF_ROWS: usize = 10;

/// The delimiter under which some early row names the most known columns; failing that, the candidate
/// most frequent in the first line; failing that, `;`.
fn sniff_delimiter(sample: &str) -> u8 {
    let known_columns = |delimiter: u8| {
        ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(sample.as_bytes())
            .records()
            .take(SNIFF_ROWS)
            .map_while(Result::ok)
            .map(|r| r.iter().filter(|cell| Column::from_header(cell).is_some()).count())
            .max()
            .unwrap_or(0)
    };
    let (best, hits) = CANDIDATES.iter().map(|&d| (d, known_columns(d))).max_by_key(|&(_, n)| n).unwrap_or((b';', 0));
    if hits > 1 {
        return best;
    }
    let first_line = sample.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
    CANDIDATES
        .iter()
        .map(|&d| (d, first_line.bytes().filter(|&b| b == d).count()))
        .filter(|&(_, n)| n > 0)
        .max_by_key(|&(_, n)| n)
        .map_or(b';', |(d, _)| d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::detect::Head;

    fn rows(text: &str) -> Vec<(usize, String)> {
        let head = Head { bytes: text.as_bytes().to_vec(), complete: true };
        let mut source = CsvSource::open(text.as_bytes(), &head).unwrap();
        let mut out = Vec::new();
        while let Some(Ok((row, cells))) = source.next_row() {
            out.push((row, cells.text(0).to_owned()));
        }
        out
    }

    #[test]
    fn rows_numbered_as_a_spreadsheet_shows_them() {
        let expected = vec![(1, "h".to_owned()), (2, "a".into()), (3, "b".into()), (5, "c".into())];
        assert_eq!(rows("h;x\na;\"1\n2\"\nb;y\n\nc;z\n"), expected);
        assert_eq!(rows("h;x\r\na;\"1\r\n2\"\r\nb;y\r\n\r\nc;z"), expected);
    }

    #[test]
    fn delimiter_from_header_not_from_addresses() {
        assert_eq!(
            sniff_delimiter("ИНН;Полное наименование;Адрес\n1;\"a\";г. Ярославль, ул. Свободы, д. 1, кв. 2\n"),
            b';'
        );
        assert_eq!(sniff_delimiter("inn,full_name,sphere\n1,a,b\n"), b',');
        assert_eq!(sniff_delimiter("Реестр на 2026 год, версия 2\nИНН\tСфера\tАдрес\n"), b'\t');
        assert_eq!(sniff_delimiter("a,b;c;d\n"), b';');
        assert_eq!(sniff_delimiter("one column\n"), b';');
    }
}
