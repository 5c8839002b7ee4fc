//! Splitting a variable number of rows into chunks of a few fixed sizes. A multi-row statement then has
//! only a handful of distinct texts, which the database parses and plans once and the driver keeps
//! prepared, instead of a new text — parsed and planned again — for every batch size a group commit
//! happens to have.

/// The chunk sizes, largest first (256 rows of 33 values stay under SQLite's 32 766 parameters).
const SIZES: [usize; 5] = [256, 64, 16, 4, 1];

/// `items` in consecutive chunks whose lengths are all in [`SIZES`] (as few as the greedy split gives).
pub fn fixed_chunks<T>(items: &[T]) -> impl Iterator<Item = &[T]> {
    let mut rest = items;
    std::iter::from_fn(move || {
        let size = *SIZES.iter().find(|s| **s <= rest.len())?;
        let (chunk, tail) = rest.split_at(size);
        rest = tail;
        Some(chunk)
    })
}

#[cfg(test)]
mod tests {
    use super::fixed_chunks;

    #[test]
    fn splits_into_fixed_sizes_in_order() {
        let items: Vec<u32> = (0..597).collect();
        let sizes: Vec<usize> = fixed_chunks(&items).map(<[u32]>::len).collect();
        assert_eq!(sizes, [256, 256, 64, 16, 4, 1]);
        assert_eq!(fixed_chunks(&items).flatten().copied().collect::<Vec<_>>(), items);
        assert_eq!(fixed_chunks::<u32>(&[]).count(), 0);
    }
}
