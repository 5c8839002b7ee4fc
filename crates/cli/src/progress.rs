//! Progress bars for long CLI work (hidden when stderr is not a terminal).

use indicatif::{ProgressBar, ProgressStyle};

/// A bar for `total` items, or a spinner with a count when the total is unknown.
pub fn bar(total: Option<u64>, message: &str) -> ProgressBar {
    let pb = match total {
        Some(t) => ProgressBar::new(t).with_style(
            ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta})")
                .expect("valid template")
                .progress_chars("=> "),
        ),
        None => ProgressBar::new_spinner()
            .with_style(ProgressStyle::with_template("{spinner} {msg}: {pos} ({per_sec})").expect("valid template")),
    };
    pb.set_message(message.to_string());
    pb
}
