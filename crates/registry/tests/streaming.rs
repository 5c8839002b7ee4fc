//! A 50 MB CSV is imported as a stream: rows are generated on the fly by a reader, and a counting allocator
//! checks that the importer's live memory stays small whatever the file size.

use nok_registry::ids::make_inn;
use nok_registry::read_organizations;
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{self, Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A CSV file of `rows` data rows, produced row by row; one bad row at `bad_row`.
struct GeneratedCsv {
    rows: u64,
    bad_row: u64,
    next: u64,
    line: Vec<u8>,
    pos: usize,
    produced: u64,
}

/// Long names make rows of about 1 KiB, so 50 MB needs only ~50 000 rows (fast in debug builds).
const FILLER: &str = "Ярославской области имени выдающегося земляка, ";

impl GeneratedCsv {
    fn new(rows: u64, bad_row: u64) -> Self {
        let header = "ИНН;Полное наименование;Сфера;Код региона;Число получателей услуг\r\n".as_bytes().to_vec();
        GeneratedCsv { rows, bad_row, next: 0, line: header, pos: 0, produced: 0 }
    }

    fn next_line(&mut self) -> bool {
        if self.next >= self.rows {
            return false;
        }
        self.next += 1;
        let i = self.next;
        let region = if i == self.bad_row { "00" } else { "76" };
        let name = format!("\"Учреждение № {i} {}\"\"филиал\"\"; корпус\nА\"", FILLER.repeat(11));
        self.line = format!("{};{name};Культура;{region};{}\r\n", make_inn(i), i % 20_000).into_bytes();
        self.pos = 0;
        true
    }
}

impl Read for GeneratedCsv {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.line.len() {
            if !self.next_line() {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.line.len() - self.pos);
        buf[..n].copy_from_slice(&self.line[self.pos..self.pos + n]);
        self.pos += n;
        self.produced += n as u64;
        Ok(n)
    }
}

impl Seek for GeneratedCsv {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        match to {
            SeekFrom::Start(0) => {
                *self = GeneratedCsv::new(self.rows, self.bad_row);
                Ok(0)
            }
            _ => Err(io::Error::new(io::ErrorKind::Unsupported, "generated stream rewinds only to the start")),
        }
    }
}

#[test]
fn a_50_mb_csv_streams_in_bounded_memory() {
    let rows = 50_000;
    let mut source = GeneratedCsv::new(rows, 43_210);
    // Measure the size first (same generator), to be sure the file really is 50 MB.
    let size = io::copy(&mut source, &mut io::sink()).unwrap();
    assert!(size >= 50_000_000, "generated {size} bytes");
    source.seek(SeekFrom::Start(0)).unwrap();

    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let mut ok = 0;
    let mut errors = Vec::new();
    for item in read_organizations(source, None).unwrap() {
        match item {
            Ok(record) => {
                ok += 1;
                assert!(record.full_name.contains("корпус\nА"));
            }
            Err(e) => errors.extend(e),
        }
    }
    let peak = PEAK.load(Ordering::Relaxed) - before;
    assert_eq!(ok, rows - 1);
    assert_eq!(errors.len(), 1);
    // Each record spans two lines (a line break inside a quoted cell) but one spreadsheet row: row = index + 1.
    assert_eq!((errors[0].row, errors[0].column.as_str()), (43_211, "Код региона"));
    // Buffers (~0.5 MiB) and the set of seen ИНН (50 000 × 16 bytes plus table overhead) — not the file.
    assert!(peak < 8 * 1024 * 1024, "peak live memory {peak} bytes while reading {size} bytes");
}
