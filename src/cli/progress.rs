//! The progress bar of a long build.

use guanxi::read::input;

/// A progress bar on standard error, shown only when it is a terminal, the run is not quiet and the input is large
/// (over 20 MB of files).
pub fn bar(sources: &[input::Source], quiet: bool) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    let total: u64 = sources
        .iter()
        .filter_map(|s| match s {
            input::Source::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            input::Source::Stdin => None,
        })
        .sum();
    if quiet || !std::io::stderr().is_terminal() || total < 20 << 20 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
    ) {
        bar.set_style(style);
    }
    bar
}
