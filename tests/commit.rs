//! The commit protocol of a run's outputs: signals at any stage, failures half-way, concurrent runs and leftovers
//! of killed runs never cost an earlier output, and never leave a stale query index or a temporary file.
#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

fn temporaries(dir: &Path) -> Vec<String> {
    names(dir).into_iter().filter(|n| n.starts_with('.')).collect()
}

/// A corpus whose graph takes a while to write: many distinct companies (in `dict.csv`), each located in a zone.
fn corpus(dir: &Path, files: usize) {
    std::fs::create_dir_all(dir.join("corpus")).unwrap();
    let mut dict = String::from("name,type,aliases,parent,note\n");
    for f in 0..files {
        let mut text = String::new();
        for i in 0..2_000 {
            let name = format!("华{f}号{i}新材料有限公司");
            dict.push_str(&format!("{name},company,,,\n"));
            text.push_str(&format!("{name}总部位于潍坊高新区。"));
        }
        std::fs::write(dir.join("corpus").join(format!("{f:03}.txt")), text).unwrap();
    }
    std::fs::write(dir.join("dict.csv"), dict).unwrap();
}

fn spawn(args: &[&str], dir: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_guanxi"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits until a temporary of `output` appears in `dir` (the run is writing its outputs), up to a minute.
fn wait_for_writing(child: &mut Child, dir: &Path, output: &str) -> bool {
    let prefix = format!(".{output}.");
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if names(dir).iter().any(|n| n.starts_with(&prefix)) {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    false
}

fn signal(child: &Child, signal: libc::c_int) {
    // SAFETY: the child is ours; if it has just exited, kill fails harmlessly.
    unsafe { libc::kill(child.id() as libc::pid_t, signal) };
}

#[test]
fn a_signal_while_the_outputs_are_written_keeps_the_earlier_ones_and_leaves_no_temporary() {
    for (sig, code) in [(libc::SIGINT, 130), (libc::SIGTERM, 143)] {
        let dir = tempfile::tempdir().unwrap();
        corpus(dir.path(), 20);
        std::fs::write(dir.path().join("g.json"), "earlier json").unwrap();
        std::fs::write(dir.path().join("g.graphml"), "earlier graphml").unwrap();
        let mut child =
            spawn(&["build", "corpus", "--dict", "dict.csv", "-o", "g.graphml", "-o", "g.json", "-q"], dir.path());
        assert!(wait_for_writing(&mut child, dir.path(), "g.graphml"), "the build ended before writing");
        signal(&child, sig);
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{}", stderr(&out));
        assert!(stderr(&out).contains("interrupted; no output was written"), "{}", stderr(&out));
        assert_eq!(std::fs::read_to_string(dir.path().join("g.json")).unwrap(), "earlier json");
        assert_eq!(std::fs::read_to_string(dir.path().join("g.graphml")).unwrap(), "earlier graphml");
        assert_eq!(temporaries(dir.path()), Vec::<String>::new());
    }
}

#[test]
fn a_signal_while_the_documents_are_read_stops_merge_and_extract_too() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path(), 30);
    for (args, sig, code) in [
        (vec!["extract", "corpus", "--dict", "dict.csv", "-j", "1"], libc::SIGTERM, 143),
        (vec!["build", "corpus", "--dict", "dict.csv", "-o", "g.json", "-j", "1"], libc::SIGTERM, 143),
    ] {
        let mut child = spawn(&args, dir.path());
        std::thread::sleep(Duration::from_millis(800));
        assert!(child.try_wait().unwrap().is_none(), "{args:?} ended before the signal");
        signal(&child, sig);
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
    }
    // --update reads an earlier graph and writes it back: interrupted, it leaves that graph as it was.
    std::fs::write(dir.path().join("a.txt"), "歌尔股份有限公司总部位于潍坊高新区。").unwrap();
    let out = guanxi(&["build", "a.txt", "-o", "u.json", "-q"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let earlier = std::fs::read(dir.path().join("u.json")).unwrap();
    let mut child = spawn(&["build", "--update", "u.json", "corpus", "--dict", "dict.csv", "-j", "1"], dir.path());
    std::thread::sleep(Duration::from_millis(800));
    assert!(child.try_wait().unwrap().is_none(), "--update ended before the signal");
    signal(&child, libc::SIGINT);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert_eq!(std::fs::read(dir.path().join("u.json")).unwrap(), earlier);
    // merge reads extract results from a pipe that never ends: a signal still stops it at once.
    let mut child = Command::new(env!("CARGO_BIN_EXE_guanxi"))
        .args(["merge", "-", "-o", "m.json"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The pipe stays open until merge has ended: closed, it would end merge's input instead.
    let pipe = child.stdin.take();
    std::thread::sleep(Duration::from_millis(300));
    signal(&child, libc::SIGINT);
    let status = child.wait().unwrap();
    drop(pipe);
    assert_eq!(status.code(), Some(130));
    assert!(!dir.path().join("m.json").exists());
    assert_eq!(temporaries(dir.path()), Vec::<String>::new());
}

#[test]
fn a_failure_after_the_json_is_written_replaces_no_output() {
    // The query index's edge records wait in $TMPDIR: when it cannot be used, the run fails, and the earlier
    // graph and its index stay as they were.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "歌尔股份有限公司总部位于潍坊高新区。").unwrap();
    let out = guanxi(&["build", "a.txt", "-o", "g.json", "-q"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (json, idx) =
        (std::fs::read(dir.path().join("g.json")).unwrap(), std::fs::read(dir.path().join("g.json.idx")).unwrap());
    std::fs::write(dir.path().join("b.txt"), "青啤数字化工厂落户奎文区。").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_guanxi"))
        .args(["build", "a.txt", "b.txt", "-o", "g.dot", "-o", "g.json", "-q"])
        .current_dir(dir.path())
        .env("TMPDIR", dir.path().join("no-such-directory"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read(dir.path().join("g.json")).unwrap(), json);
    assert_eq!(std::fs::read(dir.path().join("g.json.idx")).unwrap(), idx);
    assert!(!dir.path().join("g.dot").exists(), "an output set is committed whole or not at all");
    assert_eq!(temporaries(dir.path()), Vec::<String>::new());
}

/// The entities a query sees (through the index when it is current) and the entities the JSON holds.
fn entities_seen_and_held(dir: &Path) -> (u64, usize) {
    let out = guanxi(&["stats", "--graph", "g.json", "--json"], dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let held = json(&dir.join("g.json"))["nodes"].as_array().unwrap().len();
    let seen = stats.get("entities").and_then(|v| v.as_u64()).unwrap_or_else(|| panic!("no entities in {stats}"));
    (seen, held)
}

#[test]
fn concurrent_builds_of_one_graph_leave_an_index_that_matches_the_json() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("small.txt"), "歌尔股份有限公司总部位于潍坊高新区。").unwrap();
    corpus(dir.path(), 2);
    for _ in 0..6 {
        let runs: Vec<Child> = ["small.txt", "corpus", "small.txt", "corpus"]
            .iter()
            .map(|input| {
                spawn(&["build", input, "--dict", "dict.csv", "-o", "g.neo4j", "-o", "g.json", "-q"], dir.path())
            })
            .collect();
        for child in runs {
            let out = child.wait_with_output().unwrap();
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        }
        let (seen, held) = entities_seen_and_held(dir.path());
        assert_eq!(seen as usize, held, "a query answered from another build's index");
        assert_eq!(temporaries(dir.path()), Vec::<String>::new());
        assert_eq!(names(&dir.path().join("g.neo4j")), ["nodes.csv", "relationships.csv"]);
    }
}

#[test]
fn leftovers_of_a_killed_run_are_removed_by_the_next_run_on_that_output() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path(), 20);
    let mut child = spawn(&["build", "corpus", "--dict", "dict.csv", "-o", "g.json", "-q"], dir.path());
    assert!(wait_for_writing(&mut child, dir.path(), "g.json"), "the build ended before writing");
    signal(&child, libc::SIGKILL);
    child.wait().unwrap();
    assert!(!temporaries(dir.path()).is_empty(), "SIGKILL left nothing to clean up");
    // A crash of an earlier version in the middle of a directory swap.
    std::fs::create_dir(dir.path().join(".g.neo4j.old")).unwrap();
    std::fs::write(dir.path().join(".g.neo4j.old/nodes.csv"), "x").unwrap();
    std::fs::write(dir.path().join("a.txt"), "歌尔股份有限公司总部位于潍坊高新区。").unwrap();
    let out = guanxi(&["build", "a.txt", "-o", "g.json", "-o", "g.neo4j", "-q"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(temporaries(dir.path()), Vec::<String>::new());
}
