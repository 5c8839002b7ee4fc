//! How many rows one multi-row statement carries, for the statement that still lists its values (the
//! recompute's counter rewrite). A group commit's insert and the screening of a batch pass the batch as one
//! JSON parameter instead (`survey`, `intake`), so that their text never changes.

/// Rows per statement: 256 rows of 33 values stay under SQLite's 32 766 parameters, and a group commit
/// (at most `NOK_INTAKE_BATCH_MAX`, 512 by default) needs one or two statements per table.
pub const MAX_ROWS: usize = 256;

/// `items` in consecutive chunks of at most [`MAX_ROWS`].
pub fn statement_chunks<T>(items: &[T]) -> std::slice::Chunks<'_, T> {
    items.chunks(MAX_ROWS)
}

#[cfg(test)]
mod tests {
    use super::statement_chunks;

    #[test]
    fn splits_in_order_into_bounded_chunks() {
        let items: Vec<u32> = (0..597).collect();
        let sizes: Vec<usize> = statement_chunks(&items).map(<[u32]>::len).collect();
        assert_eq!(sizes, [256, 256, 85]);
        assert_eq!(statement_chunks(&items).flatten().copied().collect::<Vec<_>>(), items);
        assert_eq!(statement_chunks::<u32>(&[]).count(), 0);
    }
}
