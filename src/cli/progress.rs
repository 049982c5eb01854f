//! The progress of a long build: a bar when standard error is a terminal, plain lines at each tenth of the input
//! otherwise (a log file, a CI job), nothing when the run is quiet or the input small (under 20 MB of files).

use std::time::Instant;

use guanxi::read::input;

/// Progress on standard error.
pub struct Progress {
    bar: indicatif::ProgressBar,
    /// Without a terminal: the input's size, the bytes done, the tenths already said, and when the run started.
    plain: std::cell::RefCell<Option<(u64, u64, u64, Instant)>>,
}

/// The progress of reading `sources` (see the module's first lines).
pub fn bar(sources: &[input::Source], quiet: bool) -> Progress {
    use std::io::IsTerminal;
    let total: u64 = sources
        .iter()
        .filter_map(|s| match s {
            input::Source::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            input::Source::Stdin => None,
        })
        .sum();
    let hidden = indicatif::ProgressBar::hidden();
    if quiet || total < 20 << 20 {
        return Progress { bar: hidden, plain: None.into() };
    }
    if !std::io::stderr().is_terminal() {
        return Progress { bar: hidden, plain: Some((total, 0, 0, Instant::now())).into() };
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
    ) {
        bar.set_style(style);
    }
    Progress { bar, plain: None.into() }
}

impl Progress {
    /// Counts `bytes` more of the input as read.
    pub fn inc(&self, bytes: u64) {
        self.bar.inc(bytes);
        if let Some((total, done, said, started)) = &mut *self.plain.borrow_mut() {
            *done += bytes;
            let tenths = (*done * 10 / (*total).max(1)).min(10);
            if tenths > *said && tenths < 10 {
                *said = tenths;
                let mb = |b: u64| b as f64 / (1 << 20) as f64;
                eprintln!(
                    "guanxi: {}% read ({:.0} of {:.0} MB) in {:.0}s",
                    tenths * 10,
                    mb(*done),
                    mb(*total),
                    started.elapsed().as_secs_f64()
                );
            }
        }
    }

    /// Runs `f` (which prints) with the bar out of the way.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
