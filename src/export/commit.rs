//! The commit protocol for a run's outputs. Every output (file or directory) is first written completely to a
//! temporary beside its target and synced to disk; only when all of them are written are they renamed into place,
//! in the order they were staged, under a lock on each output directory. So a failed, interrupted or concurrent
//! run never leaves a partial output, nor an output set half from one run and half from another.
//!
//! Temporaries follow one naming scheme, `.NAME.guanxi-PID-XXXXXX.tmp` beside the output `NAME`. A run that is
//! killed outright (SIGKILL, a crash, power loss) may leave one; the next run that commits to `NAME` removes it
//! once process PID is gone, and puts back a directory output that was moved aside (`.NAME.guanxi-PID-old.tmp`)
//! if the crash came between the two renames of a directory swap.
//!
//! A signal handler calls [`abandon`], which removes every temporary of this process; it waits for a commit in
//! progress, so the outputs are either all earlier ones or all new ones.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use crate::error::{Error, Result};

/// The temporaries of this process that exist now: removed by [`abandon`] on a signal. Held while one is created
/// or while outputs are renamed into place, so that a signal never sees half of either.
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn registry() -> MutexGuard<'static, Vec<PathBuf>> {
    TEMPORARIES.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Whether a commit has put outputs in place in this process.
static COMMITTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Removes every temporary output of this process and keeps any other thread from creating or committing more.
/// For a signal handler that then exits: a commit under way is finished first. Returns whether any outputs were
/// committed before.
pub fn abandon() -> bool {
    let guard = registry();
    for path in guard.iter() {
        remove(path);
    }
    // The process is about to exit: never release the registry, so no output is staged or committed after this.
    std::mem::forget(guard);
    COMMITTED.load(std::sync::atomic::Ordering::SeqCst)
}

fn remove(path: &Path) {
    if path.is_dir() {
        // A writer may add a file while the directory is emptied; a second pass removes it.
        if std::fs::remove_dir_all(path).is_err() {
            let _ = std::fs::remove_dir_all(path);
        }
    } else {
        let _ = std::fs::remove_file(path);
    }
}

/// The directory an output lives in (where its temporary goes, so that the rename is atomic) and its file name.
pub(super) fn place(target: &Path) -> (PathBuf, String) {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    (dir, target.file_name().map_or("guanxi".into(), |n| n.to_string_lossy().into_owned()))
}

/// The start of the names of every temporary of `name`, whatever process wrote it.
fn leftover_prefix(name: &str) -> String {
    format!(".{name}.guanxi-")
}

/// One output written to its temporary, waiting to be renamed into place.
struct Staged {
    tmp: PathBuf,
    target: PathBuf,
    is_dir: bool,
}

/// The outputs of one run: stage each, then [`Outputs::commit`] them together. Dropping it without a commit
/// removes every temporary.
#[derive(Default)]
pub struct Outputs {
    staged: Vec<Staged>,
}

impl Outputs {
    /// No outputs yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The targets staged so far, in commit order.
    pub fn targets(&self) -> impl Iterator<Item = &Path> {
        self.staged.iter().map(|s| s.target.as_path())
    }

    /// Writes one file's content with `write` into a temporary beside `target`, flushed and synced to disk. Returns
    /// the temporary file (for its identity: the query index is stamped with it).
    pub fn stage_file(
        &mut self,
        target: &Path,
        write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<std::fs::Metadata> {
        let (dir, name) = place(target);
        let mut builder = tempfile::Builder::new();
        let prefix = format!("{}{}-", leftover_prefix(&name), std::process::id());
        builder.prefix(&prefix).suffix(".tmp");
        if let Some(permissions) = output_permissions(target) {
            builder.permissions(permissions);
        }
        let file = {
            let mut registry = registry();
            let tmp = builder.tempfile_in(&dir).map_err(|e| Error::io(&dir, e))?;
            let (file, path) = tmp.keep().map_err(|e| Error::io(&dir, e.error))?;
            registry.push(path.clone());
            self.staged.push(Staged { tmp: path, target: target.to_path_buf(), is_dir: false });
            file
        };
        {
            let mut out = io::BufWriter::with_capacity(super::OUTPUT_BUFFER, &file);
            write(&mut out).map_err(|e| Error::io(target, e))?;
            out.flush().map_err(|e| Error::io(target, e))?;
        }
        file.sync_all().map_err(|e| Error::io(target, e))?;
        file.metadata().map_err(|e| Error::io(target, e))
    }

    /// Writes a directory output: `write` fills the temporary directory given to it.
    pub fn stage_dir(&mut self, target: &Path, write: &mut dyn FnMut(&Path) -> Result<()>) -> Result<()> {
        let (dir, name) = place(target);
        let prefix = format!("{}{}-", leftover_prefix(&name), std::process::id());
        let tmp = {
            let mut registry = registry();
            let tmp = tempfile::Builder::new()
                .prefix(&prefix)
                .suffix(".tmp")
                .tempdir_in(&dir)
                .map_err(|e| Error::io(&dir, e))?
                .keep();
            registry.push(tmp.clone());
            self.staged.push(Staged { tmp: tmp.clone(), target: target.to_path_buf(), is_dir: true });
            tmp
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755));
        }
        write(&tmp)
    }

    /// Renames every staged output into place, in the order staged, each output directory locked against other
    /// runs meanwhile (the last run to commit wins, with its whole set). Leftovers of killed runs are removed first.
    pub fn commit(mut self) -> Result<()> {
        let staged = std::mem::take(&mut self.staged);
        let mut registry = registry();
        let mut dirs: Vec<PathBuf> = staged.iter().map(|s| place(&s.target).0).collect();
        dirs.sort();
        dirs.dedup();
        // Held until the end of the commit; closing a file releases its lock.
        let _locks: Vec<File> = dirs.iter().filter_map(|d| lock_dir(d)).collect();
        let mut result = Ok(());
        for (i, s) in staged.iter().enumerate() {
            clean_leftovers(&s.target);
            let done = if s.is_dir { swap_dir(&s.tmp, &s.target) } else { rename(&s.tmp, &s.target) };
            if let Err(e) = done {
                // The remaining outputs stay as they were; their temporaries go.
                for rest in &staged[i..] {
                    remove(&rest.tmp);
                }
                result = Err(e);
                break;
            }
        }
        for d in &dirs {
            if let Ok(dir) = File::open(d) {
                let _ = dir.sync_all();
            }
        }
        let committed: Vec<&PathBuf> = staged.iter().map(|s| &s.tmp).collect();
        registry.retain(|p| !committed.contains(&p));
        COMMITTED.store(true, std::sync::atomic::Ordering::SeqCst);
        result
    }
}

impl Drop for Outputs {
    fn drop(&mut self) {
        if self.staged.is_empty() {
            return;
        }
        let mut registry = registry();
        for s in &self.staged {
            remove(&s.tmp);
        }
        let gone: Vec<&PathBuf> = self.staged.iter().map(|s| &s.tmp).collect();
        registry.retain(|p| !gone.contains(&p));
    }
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).map_err(|e| Error::io(to, e))
}

/// Puts a directory output in place of an earlier one: the earlier one is moved aside under a temporary's name,
/// the new one renamed in, the earlier one removed.
fn swap_dir(tmp: &Path, target: &Path) -> Result<()> {
    let (dir, name) = place(target);
    let old = dir.join(format!("{}{}-old.tmp", leftover_prefix(&name), std::process::id()));
    let moved = target.exists();
    if moved {
        rename(target, &old)?;
    }
    if let Err(e) = rename(tmp, target) {
        if moved {
            let _ = std::fs::rename(&old, target);
        }
        return Err(e);
    }
    if moved {
        std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
    }
    Ok(())
}

/// Locks an output directory against other runs' commits (an advisory lock; none where the system has none).
fn lock_dir(dir: &Path) -> Option<File> {
    let file = File::open(dir).ok()?;
    file.lock().ok()?;
    Some(file)
}

/// Whether process `pid` is running (on systems without `/proc`: assumed so, and nothing is removed).
fn alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

/// Removes the temporaries of `target` left by runs that no longer exist; a directory output moved aside by a run
/// killed in the middle of its swap is put back if the output is missing.
pub fn clean_leftovers(target: &Path) {
    let (dir, name) = place(target);
    let prefix = leftover_prefix(&name);
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else { continue };
        let Some((pid, tail)) = rest.split_once('-') else { continue };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        if !tail.ends_with(".tmp") || pid == std::process::id() || alive(pid) {
            continue;
        }
        let path = entry.path();
        if tail == "old.tmp" && !target.exists() {
            let _ = std::fs::rename(&path, target);
        } else {
            remove(&path);
        }
    }
    // The name earlier versions moved a directory output aside to.
    let legacy = dir.join(format!(".{name}.old"));
    if legacy.is_dir() && super::is_own_output_dir(&legacy) {
        let _ = std::fs::remove_dir_all(legacy);
    }
}

/// Permissions for a new output: an existing file's own; otherwise, on Unix, those of any new file (0666 less the
/// umask, which the system applies on creation) rather than the private 0600 of a temporary file.
fn output_permissions(path: &Path) -> Option<std::fs::Permissions> {
    if let Ok(meta) = std::fs::metadata(path) {
        return Some(meta.permissions());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(std::fs::Permissions::from_mode(0o666))
    }
    #[cfg(not(unix))]
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn nothing_is_in_place_before_the_commit_and_everything_after() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.json"), dir.path().join("b.dot"));
        std::fs::write(&a, "earlier a").unwrap();
        let mut outputs = Outputs::new();
        outputs.stage_file(&a, &mut |w| w.write_all(b"new a")).unwrap();
        outputs.stage_file(&b, &mut |w| w.write_all(b"new b")).unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "earlier a");
        assert!(!b.exists());
        outputs.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "new a");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "new b");
        assert_eq!(names(dir.path()), ["a.json", "b.dot"]);
    }

    #[test]
    fn a_failure_in_any_output_leaves_every_earlier_output_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.json"), dir.path().join("b.dot"));
        std::fs::write(&a, "earlier a").unwrap();
        let mut outputs = Outputs::new();
        outputs.stage_file(&a, &mut |w| w.write_all(b"new a")).unwrap();
        let failed = outputs.stage_file(&b, &mut |w| {
            w.write_all(&[b'x'; 100_000])?;
            Err(io::Error::other("disk full"))
        });
        assert!(failed.unwrap_err().to_string().contains("disk full"));
        drop(outputs);
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "earlier a");
        assert_eq!(names(dir.path()), ["a.json"]);
        assert!(registry().iter().all(|p| !p.starts_with(dir.path())));
    }

    #[test]
    fn abandon_removes_every_temporary_of_the_process() {
        // `abandon` keeps the registry locked for good, so it runs in a child process: the test binary itself.
        if std::env::var_os("GUANXI_ABANDON_DIR").is_none() {
            let dir = tempfile::tempdir().unwrap();
            let out = std::process::Command::new(std::env::current_exe().unwrap())
                .args(["--exact", "export::commit::tests::abandon_removes_every_temporary_of_the_process"])
                .env("GUANXI_ABANDON_DIR", dir.path())
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
            assert_eq!(names(dir.path()), ["a.json"]);
            return;
        }
        let dir = PathBuf::from(std::env::var_os("GUANXI_ABANDON_DIR").unwrap());
        std::fs::write(dir.join("a.json"), "earlier").unwrap();
        let mut outputs = Outputs::new();
        outputs.stage_file(&dir.join("a.json"), &mut |w| w.write_all(b"new")).unwrap();
        outputs
            .stage_dir(&dir.join("g.neo4j"), &mut |d| {
                std::fs::write(d.join("nodes.csv"), "x").map_err(|e| Error::io(d, e))
            })
            .unwrap();
        assert_eq!(names(&dir).len(), 3);
        assert!(!abandon(), "nothing was committed");
        assert_eq!(names(&dir), ["a.json"]);
        std::mem::forget(outputs);
    }

    #[test]
    fn leftovers_of_dead_runs_are_removed_and_a_moved_aside_directory_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        // No process has PID 2^31 - 1 (Linux caps PIDs at 2^22).
        let dead = 2_147_483_647u32;
        let me = std::process::id();
        std::fs::write(dir.path().join(format!(".g.json.guanxi-{dead}-aB3xYz.tmp")), "partial").unwrap();
        std::fs::write(dir.path().join(format!(".g.json.guanxi-{me}-live01.tmp")), "mine").unwrap();
        std::fs::write(dir.path().join(".other.json.guanxi-1-x.tmp"), "another output's").unwrap();
        let old = dir.path().join(format!(".g.neo4j.guanxi-{dead}-old.tmp"));
        std::fs::create_dir(&old).unwrap();
        std::fs::write(old.join("nodes.csv"), "earlier").unwrap();
        std::fs::create_dir(dir.path().join(".g.neo4j.old")).unwrap();
        clean_leftovers(&dir.path().join("g.json"));
        clean_leftovers(&dir.path().join("g.neo4j"));
        let mut expected = vec![
            format!(".g.json.guanxi-{me}-live01.tmp"),
            ".other.json.guanxi-1-x.tmp".to_string(),
            "g.neo4j".to_string(),
        ];
        expected.sort();
        assert_eq!(names(dir.path()), expected);
        assert_eq!(std::fs::read_to_string(dir.path().join("g.neo4j/nodes.csv")).unwrap(), "earlier");
    }
}
