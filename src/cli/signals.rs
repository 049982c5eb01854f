//! Ctrl-C, SIGTERM and SIGHUP during a command that writes files.

/// Ctrl-C, SIGTERM and SIGHUP stop the run at once, whatever it is doing: every temporary output is removed (a
/// commit under way is finished first) and the exit code is 128 + the signal (130 for Ctrl-C, 143 for SIGTERM).
/// Outputs are only ever renamed into place complete, so earlier files are never lost.
pub fn stop_on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else { return };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                if guanxi::export::commit::abandon() {
                    say!("guanxi: interrupted after the outputs were written");
                } else {
                    say!("guanxi: interrupted; no output was written");
                }
                std::process::exit(128 + signal);
            }
        });
    }
}
