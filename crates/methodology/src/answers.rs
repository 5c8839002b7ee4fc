//! Survey answers in compact form: question ids, one response as a pair of bit masks, per-question
//! «Да»/«Нет» counts, and the allocation-free aggregation of many masks.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Number of questions in the 675н questionnaire.
pub const QUESTION_COUNT: usize = 15;

/// A stable question id `q1`…`q15`. Valid values are 1..=15 (see [`QuestionId::new`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QuestionId(pub u8);

impl QuestionId {
    /// The id for question `n`, if `n` is in 1..=15.
    pub fn new(n: u8) -> Option<QuestionId> {
        (1..=QUESTION_COUNT as u8).contains(&n).then_some(QuestionId(n))
    }

    /// Whether the number is in 1..=15.
    pub fn is_valid(self) -> bool {
        (1..=QUESTION_COUNT as u8).contains(&self.0)
    }

    /// Zero-based index (`q1` → 0). Panics on an invalid id.
    pub fn index(self) -> usize {
        assert!(self.is_valid(), "invalid question id {}", self.0);
        usize::from(self.0 - 1)
    }

    /// The bit of this question in an [`AnswerMask`] (`q1` → bit 0); 0 for an invalid id.
    pub fn bit(self) -> u16 {
        if self.is_valid() { 1 << (self.0 - 1) } else { 0 }
    }

    /// All question ids in order.
    pub fn all() -> impl Iterator<Item = QuestionId> {
        (1..=QUESTION_COUNT as u8).map(QuestionId)
    }
}

impl fmt::Display for QuestionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "q{}", self.0)
    }
}

/// A string that is not `q1`…`q15`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a question id; expected q1 … q15")]
pub struct ParseQuestionIdError(pub String);

impl FromStr for QuestionId {
    type Err = ParseQuestionIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.strip_prefix('q')
            .filter(|n| !n.starts_with('0') && !n.starts_with('+'))
            .and_then(|n| n.parse::<u8>().ok())
            .and_then(QuestionId::new)
            .ok_or_else(|| ParseQuestionIdError(s.to_owned()))
    }
}

impl Serialize for QuestionId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for QuestionId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One response in 4 bytes: bit `n-1` of `asked` is set when question `qn` was answered, and the
/// same bit of `yes` when the answer was «Да». Bits outside 0..15 and `yes` bits without `asked`
/// are ignored by every consumer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct AnswerMask {
    /// Questions answered at all.
    pub asked: u16,
    /// Questions answered «Да».
    pub yes: u16,
}

impl AnswerMask {
    /// No answers.
    pub const EMPTY: AnswerMask = AnswerMask { asked: 0, yes: 0 };
    const VALID_BITS: u16 = 0x7fff;

    /// The answer to `q`: `Some(true)` for «Да», `Some(false)` for «Нет», `None` if not answered.
    pub fn answer(self, q: QuestionId) -> Option<bool> {
        let bit = q.bit();
        (self.asked & bit != 0).then_some(self.yes & bit != 0)
    }

    /// Records an answer to `q`.
    pub fn set(&mut self, q: QuestionId, yes: bool) {
        let bit = q.bit();
        self.asked |= bit;
        if yes {
            self.yes |= bit;
        } else {
            self.yes &= !bit;
        }
    }

    /// Removes the answer to `q`.
    pub fn clear(&mut self, q: QuestionId) {
        self.asked &= !q.bit();
        self.yes &= !q.bit();
    }

    /// Whether only bits of q1…q15 are used and every «Да» is also answered.
    pub fn is_valid(self) -> bool {
        self.asked & !Self::VALID_BITS == 0 && self.yes & !self.asked == 0
    }

    /// The mask packed into one `u32` (`asked` in the low half) for storage.
    pub fn to_u32(self) -> u32 {
        u32::from(self.asked) | (u32::from(self.yes) << 16)
    }

    /// Unpacks [`AnswerMask::to_u32`].
    pub fn from_u32(packed: u32) -> AnswerMask {
        AnswerMask { asked: packed as u16, yes: (packed >> 16) as u16 }
    }
}

/// «Да» and «Нет» counts of one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct YesNo {
    /// Respondents who answered «Да» (Y).
    pub yes: u64,
    /// Respondents who answered «Нет».
    pub no: u64,
}

impl YesNo {
    /// Respondents who answered the question at all (A = Да + Нет).
    pub fn answered(self) -> u64 {
        self.yes.saturating_add(self.no)
    }
}

/// Per-question «Да»/«Нет» counts of a set of responses; index 0 is `q1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AnswerCounts(pub [YesNo; QUESTION_COUNT]);

impl AnswerCounts {
    /// All zero: nobody asked anything.
    pub fn new() -> AnswerCounts {
        AnswerCounts::default()
    }

    /// Counts of question `q`.
    pub fn get(&self, q: QuestionId) -> YesNo {
        self.0[q.index()]
    }

    /// Replaces the counts of question `q`.
    pub fn set(&mut self, q: QuestionId, counts: YesNo) {
        self.0[q.index()] = counts;
    }

    /// Mutable counts of question `q`.
    pub fn get_mut(&mut self, q: QuestionId) -> &mut YesNo {
        &mut self.0[q.index()]
    }

    /// Adds one response.
    pub fn add_mask(&mut self, mask: AnswerMask) {
        let mut asked = mask.asked & AnswerMask::VALID_BITS;
        while asked != 0 {
            let i = asked.trailing_zeros() as usize;
            asked &= asked - 1;
            if mask.yes & (1 << i) != 0 {
                self.0[i].yes += 1;
            } else {
                self.0[i].no += 1;
            }
        }
    }

    /// Adds all counts of `other` (e.g. summing organisations or batches).
    pub fn merge(&mut self, other: &AnswerCounts) {
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            a.yes = a.yes.saturating_add(b.yes);
            a.no = a.no.saturating_add(b.no);
        }
    }

    /// `(question, counts)` for every question, in order.
    pub fn iter(&self) -> impl Iterator<Item = (QuestionId, YesNo)> + '_ {
        QuestionId::all().zip(self.0.iter().copied())
    }

    /// Whether nobody answered anything.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|c| c.answered() == 0)
    }
}

/// Counts of many responses at once, allocation-free: each mask only bumps four byte histograms
/// (low/high byte of `asked` and of `yes`, 4 KiB in all, 32-bit bins flushed into 64-bit totals before
/// they could overflow); the per-question counts are expanded from the histograms at the end. This is
/// the path for recomputing all stored responses.
pub fn counts_from_masks<I: IntoIterator<Item = AnswerMask>>(masks: I) -> AnswerCounts {
    let mut hist = [[0u32; 256]; 4];
    let mut asked_bits = [0u64; 16];
    let mut yes_bits = [0u64; 16];
    let mut in_block: u32 = 0;
    for m in masks {
        let a = m.asked & AnswerMask::VALID_BITS;
        let y = m.yes & a;
        hist[0][usize::from(a & 0xff)] += 1;
        hist[1][usize::from(a >> 8)] += 1;
        hist[2][usize::from(y & 0xff)] += 1;
        hist[3][usize::from(y >> 8)] += 1;
        in_block += 1;
        if in_block == u32::MAX {
            flush(&mut hist, &mut asked_bits, &mut yes_bits);
            in_block = 0;
        }
    }
    flush(&mut hist, &mut asked_bits, &mut yes_bits);
    let mut out = AnswerCounts::new();
    for (i, c) in out.0.iter_mut().enumerate() {
        c.yes = yes_bits[i];
        c.no = asked_bits[i] - yes_bits[i];
    }
    out
}

/// Adds the byte histograms into per-bit totals and clears them.
fn flush(hist: &mut [[u32; 256]; 4], asked: &mut [u64; 16], yes: &mut [u64; 16]) {
    for (h, (totals, shift)) in hist.iter_mut().zip([(0, 0), (0, 8), (1, 0), (1, 8)]) {
        let totals = if totals == 0 { &mut *asked } else { &mut *yes };
        for (byte, count) in h.iter_mut().enumerate() {
            if *count == 0 {
                continue;
            }
            let mut bits = byte;
            while bits != 0 {
                let bit = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                totals[bit + shift] += u64::from(*count);
            }
            *count = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_id_parse_and_display() {
        assert_eq!("q7".parse::<QuestionId>(), Ok(QuestionId(7)));
        assert_eq!(QuestionId(15).to_string(), "q15");
        for bad in ["q0", "q16", "7", "Q7", "q07", "q", "q+7", "q-1"] {
            assert!(bad.parse::<QuestionId>().is_err(), "{bad}");
        }
        assert_eq!(QuestionId(0).bit(), 0);
        assert_eq!(QuestionId(1).bit(), 1);
        assert_eq!(QuestionId::all().count(), 15);
    }

    #[test]
    fn mask_set_clear_pack() {
        let mut m = AnswerMask::EMPTY;
        m.set(QuestionId(1), true);
        m.set(QuestionId(2), false);
        m.set(QuestionId(15), true);
        assert_eq!(m.answer(QuestionId(1)), Some(true));
        assert_eq!(m.answer(QuestionId(2)), Some(false));
        assert_eq!(m.answer(QuestionId(3)), None);
        assert!(m.is_valid());
        assert_eq!(AnswerMask::from_u32(m.to_u32()), m);
        m.clear(QuestionId(1));
        assert_eq!(m.answer(QuestionId(1)), None);
        assert!(!AnswerMask { asked: 0, yes: 1 }.is_valid());
        assert!(!AnswerMask { asked: 0x8000, yes: 0 }.is_valid());
    }

    #[test]
    fn fast_path_equals_add_mask() {
        let masks: Vec<AnswerMask> = (0u32..5000)
            .map(|i| {
                let x = i.wrapping_mul(2_654_435_761);
                AnswerMask { asked: x as u16, yes: (x >> 13) as u16 }
            })
            .collect();
        let mut slow = AnswerCounts::new();
        for &m in &masks {
            slow.add_mask(m);
        }
        assert_eq!(counts_from_masks(masks.iter().copied()), slow);
        let mut merged = counts_from_masks(masks[..100].iter().copied());
        merged.merge(&counts_from_masks(masks[100..].iter().copied()));
        assert_eq!(merged, slow);
    }
}
