//! Which kind of file was uploaded, decided by its first bytes rather than its name.
//!
//! Owns the magic-number and "is this text?" checks; reading the file is left to the CSV and XLSX sources.

use super::ImportError;
use std::io::{Read, Seek, SeekFrom};

/// A registry file format that can be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Csv,
    Xlsx,
}

impl FileKind {
    /// A guess from the file name (`.csv`, `.txt`, `.xlsx`), to pass as the hint; the content still decides.
    pub fn from_file_name(name: &str) -> Option<FileKind> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "txt" | "tsv" => Some(FileKind::Csv),
            "xlsx" | "xlsm" => Some(FileKind::Xlsx),
            _ => None,
        }
    }
}

/// How many bytes are looked at to decide the kind, the encoding and the delimiter.
pub(super) const HEAD_LEN: usize = 64 * 1024;

/// The first bytes of the file.
pub(super) struct Head {
    pub bytes: Vec<u8>,
    /// The whole file fits in `bytes`.
    pub complete: bool,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Reads the head, decides the kind and rewinds the reader to the start.
pub(super) fn detect<R: Read + Seek>(reader: &mut R, hint: Option<FileKind>) -> Result<(FileKind, Head), ImportError> {
    let mut bytes = Vec::with_capacity(HEAD_LEN);
    reader.by_ref().take(HEAD_LEN as u64).read_to_end(&mut bytes)?;
    let complete = bytes.len() < HEAD_LEN;
    reader.seek(SeekFrom::Start(0))?;
    let kind = if bytes.is_empty() {
        return Err(ImportError::Empty);
    } else if bytes.starts_with(ZIP_MAGIC) {
        FileKind::Xlsx
    } else if bytes.starts_with(OLE_MAGIC) {
        return Err(ImportError::LegacyXls);
    } else if looks_like_text(&bytes) {
        FileKind::Csv
    } else if hint == Some(FileKind::Xlsx) {
        return Err(ImportError::NotXlsx);
    } else {
        return Err(ImportError::NotText);
    };
    Ok((kind, Head { bytes, complete }))
}

/// Text has no NUL bytes (unless it is UTF-16 with a byte-order mark) and almost no other control bytes.
fn looks_like_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return true;
    }
    if bytes.contains(&0) {
        return false;
    }
    let control = bytes.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A)).count();
    control * 100 <= bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn kind(bytes: &[u8], hint: Option<FileKind>) -> Result<FileKind, ImportError> {
        let mut cursor = Cursor::new(bytes.to_vec());
        let result = detect(&mut cursor, hint).map(|(k, _)| k);
        assert_eq!(cursor.position(), 0, "rewound");
        result
    }

    #[test]
    fn content_decides_not_the_name() {
        assert_eq!(kind(b"PK\x03\x04rest", Some(FileKind::Csv)).unwrap(), FileKind::Xlsx);
        assert_eq!(kind("ИНН;Сфера".as_bytes(), Some(FileKind::Xlsx)).unwrap(), FileKind::Csv);
        assert_eq!(kind(b"\xC8\xCD\xCD;\xD1\xF4\xE5\xF0\xE0", None).unwrap(), FileKind::Csv, "Windows-1251 is text");
        assert!(matches!(kind(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", Some(FileKind::Csv)), Err(ImportError::NotText)));
        assert!(matches!(kind(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", Some(FileKind::Xlsx)), Err(ImportError::NotXlsx)));
        assert!(matches!(kind(OLE_MAGIC, None), Err(ImportError::LegacyXls)));
        assert!(matches!(kind(b"", None), Err(ImportError::Empty)));
    }

    #[test]
    fn names_give_hints() {
        assert_eq!(FileKind::from_file_name("Реестр.CSV"), Some(FileKind::Csv));
        assert_eq!(FileKind::from_file_name("реестр 2026.xlsx"), Some(FileKind::Xlsx));
        assert_eq!(FileKind::from_file_name("реестр"), None);
    }
}
