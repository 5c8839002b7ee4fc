//! Text encoding of CSV files: detection (BOM, valid UTF-8, otherwise chardetng with a Russian hint) and a
//! streaming decoder to UTF-8 that holds two small buffers whatever the file size.

use encoding_rs::{CoderResult, Decoder, Encoding, IBM866, KOI8_R, UTF_8, WINDOWS_1251};
use std::io::{self, Read};

/// The encoding of a file that starts with `head`; `complete` says whether `head` is the whole file.
/// UTF-8 (with or without BOM) and Windows-1251 are the expected ones; UTF-16 with BOM, KOI8-R and CP866 are
/// also recognised. Anything else that is not UTF-8 is read as Windows-1251.
pub(super) fn detect_encoding(head: &[u8], complete: bool) -> &'static Encoding {
    if let Some((encoding, _)) = Encoding::for_bom(head) {
        return encoding;
    }
    if mostly_utf8(head, complete) {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(head, complete);
    let guess = detector.guess(Some(b"ru"), chardetng::Utf8Detection::Deny);
    if [WINDOWS_1251, KOI8_R, IBM866].contains(&guess) { guess } else { WINDOWS_1251 }
}

/// Valid UTF-8, or UTF-8 with a few stray bytes (those are then reported on their rows): in Windows-1251
/// Cyrillic text, byte pairs that form a valid multi-byte UTF-8 character are rare.
fn mostly_utf8(mut bytes: &[u8], complete: bool) -> bool {
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    loop {
        let (valid, rest) = match std::str::from_utf8(bytes) {
            Ok(text) => (text, &[][..]),
            Err(e) => {
                let (valid, rest) = bytes.split_at(e.valid_up_to());
                let valid = std::str::from_utf8(valid).unwrap_or_default();
                match e.error_len() {
                    Some(len) => {
                        invalid += 1;
                        (valid, &rest[len..])
                    }
                    // Cut in the middle of a character at the end of the sample: not an error unless the file ends.
                    None => {
                        invalid += usize::from(complete);
                        (valid, &[][..])
                    }
                }
            }
        };
        multibyte += valid.chars().filter(|c| !c.is_ascii()).count();
        if rest.is_empty() {
            return invalid == 0 || multibyte >= 10 * invalid;
        }
        bytes = rest;
    }
}

/// Reads `inner` in `encoding` and yields UTF-8; a byte-order mark is removed, undecodable bytes become U+FFFD.
pub(super) struct DecodeReader<R> {
    inner: R,
    decoder: Decoder,
    input: Box<[u8]>,
    in_start: usize,
    in_end: usize,
    input_ended: bool,
    output: Box<[u8]>,
    out_start: usize,
    out_end: usize,
    finished: bool,
    had_errors: bool,
}

const BUFFER: usize = 64 * 1024;

impl<R: Read> DecodeReader<R> {
    pub(super) fn new(inner: R, encoding: &'static Encoding) -> Self {
        DecodeReader {
            inner,
            decoder: encoding.new_decoder(),
            input: vec![0; BUFFER].into_boxed_slice(),
            in_start: 0,
            in_end: 0,
            input_ended: false,
            // Any single-byte encoding at most triples in UTF-8; UTF-16 at most 1.5×.
            output: vec![0; BUFFER * 3 + 16].into_boxed_slice(),
            out_start: 0,
            out_end: 0,
            finished: false,
            had_errors: false,
        }
    }

    /// Whether some bytes so far could not be decoded (and became U+FFFD).
    pub(super) fn had_errors(&self) -> bool {
        self.had_errors
    }

    fn fill_input(&mut self) -> io::Result<()> {
        loop {
            match self.inner.read(&mut self.input) {
                Ok(n) => {
                    self.in_start = 0;
                    self.in_end = n;
                    self.input_ended = n == 0;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

impl<R: Read> Read for DecodeReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_start < self.out_end {
                let n = buf.len().min(self.out_end - self.out_start);
                buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if self.finished || buf.is_empty() {
                return Ok(0);
            }
            if self.in_start == self.in_end && !self.input_ended {
                self.fill_input()?;
            }
            let last = self.input_ended;
            let (result, read, written, had_errors) =
                self.decoder.decode_to_utf8(&self.input[self.in_start..self.in_end], &mut self.output, last);
            self.in_start += read;
            self.had_errors |= had_errors;
            self.out_start = 0;
            self.out_end = written;
            if last && result == CoderResult::InputEmpty {
                self.finished = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out one byte at a time, to cut characters across reads.
    struct Trickle<'a>(&'a [u8]);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((&b, rest)), Some(slot)) => {
                    *slot = b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    fn decode_all(bytes: &[u8], encoding: &'static Encoding) -> String {
        let mut out = String::new();
        DecodeReader::new(Trickle(bytes), encoding).read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn detects_expected_encodings() {
        let text = "ИНН;Полное наименование;Сфера;Код региона\n7707083893;Школа;образование;76\n";
        let (cp1251, _, _) = WINDOWS_1251.encode(text);
        assert_eq!(detect_encoding(text.as_bytes(), true), UTF_8);
        assert_eq!(detect_encoding(&[b"\xEF\xBB\xBF", text.as_bytes()].concat(), true), UTF_8);
        assert_eq!(detect_encoding(&cp1251, true), WINDOWS_1251);
        assert_eq!(detect_encoding(&text.as_bytes()[..2], false), UTF_8, "truncated sample");
        assert_eq!(detect_encoding(b"plain ascii", true), UTF_8);
        let stray = [text.as_bytes(), b"\xB9"].concat();
        assert_eq!(detect_encoding(&stray, true), UTF_8, "one stray byte in Cyrillic UTF-8");
        assert_eq!(detect_encoding(b"abc\xE9", true), WINDOWS_1251, "no evidence of UTF-8");
    }

    #[test]
    fn streams_and_strips_bom() {
        let text = "Ярославль; «кавычки» — ёлка\n".repeat(5000);
        let (cp1251, _, _) = WINDOWS_1251.encode(&text);
        assert_eq!(decode_all(&cp1251, WINDOWS_1251), text);
        assert_eq!(decode_all(&[b"\xEF\xBB\xBF", text.as_bytes()].concat(), UTF_8), text);
        assert_eq!(decode_all(b"a\xFFb", UTF_8), "a\u{FFFD}b");
        let mut reader = DecodeReader::new(&b"ok"[..], UTF_8);
        io::copy(&mut reader, &mut io::sink()).unwrap();
        assert!(!reader.had_errors());
        let mut reader = DecodeReader::new(&b"\xFF"[..], UTF_8);
        io::copy(&mut reader, &mut io::sink()).unwrap();
        assert!(reader.had_errors());
        assert_eq!(decode_all(b"", UTF_8), "");
        let mut big = String::new();
        DecodeReader::new(io::Cursor::new(cp1251.to_vec()), WINDOWS_1251).read_to_string(&mut big).unwrap();
        assert_eq!(big, text);
    }
}
