//! Helpers shared by the integration tests: run the real binary in a fresh temporary directory, and find the
//! external consumers (xmllint, Graphviz, networkx) that check its outputs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn examples() -> PathBuf {
    root().join("examples/corpus")
}

/// `../shared`, when present. Under CI (`CI=true`) it must be: a test that needs it fails rather than skips.
pub fn shared() -> Option<PathBuf> {
    let p = root().join("../shared");
    if p.join("corpus/seeds").is_dir() {
        Some(p)
    } else {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "../shared is required under CI=true but is absent");
        eprintln!("skipped: ../shared is not present next to the project");
        None
    }
}

pub fn guanxi(args: &[&str], dir: &Path) -> Output {
    guanxi_stdin(args, dir, None)
}

pub fn guanxi_stdin(args: &[&str], dir: &Path, stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_guanxi"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run guanxi");
    {
        let mut pipe = child.stdin.take().unwrap();
        if let Some(bytes) = stdin {
            pipe.write_all(bytes).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Whether an external program is available. Under CI (the `CI` variable is set) a missing tool fails the test,
/// since `.ci/run` installs them; elsewhere the check is skipped with a message.
pub fn have(program: &str, probe: &[&str]) -> bool {
    let status = Command::new(program).args(probe).stdout(Stdio::null()).stderr(Stdio::null()).status();
    let missing = match status {
        Ok(s) if s.success() => return true,
        // The program runs but the probe fails: a module it needs is missing (python3 -c "import pandas").
        Ok(_) => format!("`{program} {}` failed (is what it needs installed?)", probe.join(" ")),
        Err(_) => format!("{program} is not installed"),
    };
    assert!(std::env::var("CI").as_deref() != Ok("true"), "required under CI=true: {missing}");
    eprintln!("skipped: {missing}");
    false
}

pub fn run(program: &str, args: &[&str], dir: &Path) -> Output {
    Command::new(program).args(args).current_dir(dir).output().unwrap_or_else(|e| panic!("{program}: {e}"))
}

/// Builds the example corpus into `dir` with the given output names and returns the output.
pub fn build_examples(dir: &Path, outputs: &[&str]) -> Output {
    build_examples_with(dir, outputs, &[])
}

/// Builds the example corpus by the rules alone (`--no-model`): edges without confidences, for tests of what
/// commands print that were worked out by hand.
pub fn build_rule_examples(dir: &Path, outputs: &[&str]) -> Output {
    build_examples_with(dir, outputs, &["--no-model"])
}

fn build_examples_with(dir: &Path, outputs: &[&str], more: &[&str]) -> Output {
    let corpus = examples();
    let mut args = vec!["build", corpus.to_str().unwrap()];
    args.extend(more);
    for o in outputs {
        args.push("-o");
        args.push(o);
    }
    let out = guanxi(&args, dir);
    assert!(out.status.success(), "build failed: {}", stderr(&out));
    out
}

pub fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The figures of `guanxi eval`'s last line, `overall precision=P recall=R f1=F` (`–`, nothing predicted or
/// required, reads as 0).
pub fn overall(out: &str) -> (f64, f64, f64) {
    let last = out.lines().last().unwrap_or_default();
    let rest = last.strip_prefix("overall ").unwrap_or_else(|| panic!("last line is {last:?}"));
    let v: Vec<f64> = rest.split(' ').map(|kv| kv.split_once('=').unwrap().1.parse().unwrap_or(0.0)).collect();
    (v[0], v[1], v[2])
}

/// The typed (not co-occurrence) edges of a JSON graph as (source, relation, target), sorted.
pub fn typed_edges(g: &serde_json::Value) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["relation"] != "co-occurs")
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_string();
            (s("source"), s("relation"), s("target"))
        })
        .collect();
    v.sort();
    v
}

/// Runs guanxi in `dir` and fails the test if it runs longer than `limit`: for inputs that once hung or took
/// minutes, where a generous limit flags a regression without timing anything finely.
pub fn guanxi_within(args: &[&str], dir: &Path, limit: std::time::Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_guanxi"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run guanxi");
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            child.kill().unwrap();
            panic!("{args:?} ran for over {limit:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// The export formats that two equivalent runs must write byte for byte (see [`outputs`]).
pub const FORMATS: [&str; 5] = ["json", "graphml", "gexf", "dot", "neo4j"];

/// `-o PREFIX.json -o PREFIX.graphml …`: one output of each of [`FORMATS`].
pub fn outputs(prefix: &str) -> Vec<String> {
    FORMATS.iter().flat_map(|f| ["-o".to_string(), format!("{prefix}.{f}")]).collect()
}

/// Every output [`outputs`] named with prefix `a` is byte-identical to that with prefix `b`.
pub fn assert_same_outputs(dir: &Path, a: &str, b: &str) {
    for f in FORMATS {
        let (x, y) = (dir.join(format!("{a}.{f}")), dir.join(format!("{b}.{f}")));
        if f == "neo4j" {
            for csv in ["nodes.csv", "relationships.csv"] {
                assert_eq!(std::fs::read(x.join(csv)).unwrap(), std::fs::read(y.join(csv)).unwrap(), "{f}/{csv}");
            }
        } else {
            let (x, y) = (std::fs::read(&x).unwrap(), std::fs::read(&y).unwrap());
            assert!(!x.is_empty());
            assert!(x == y, "{a}.{f} and {b}.{f} differ");
        }
    }
}

/// Runs guanxi with these arguments (and standard input) in `dir`, and fails the test unless it succeeds.
pub fn run_ok(args: &[String], dir: &Path, stdin: Option<&[u8]>) -> Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = guanxi_stdin(&args, dir, stdin);
    assert!(out.status.success(), "guanxi {args:?}: {}", stderr(&out));
    out
}

/// Words followed by more arguments, as owned strings.
pub fn args(words: &[&str], more: Vec<String>) -> Vec<String> {
    words.iter().map(|w| w.to_string()).chain(more).collect()
}

/// Three documents' `extract` results with confidences, written by hand (extraction sets none yet). 甲公司 is a
/// discovered name the tagger gave 0.7, 0.9 and 0.5; 甲公司 located-in 乙区 is said in five sentences scored 0.6, 0.3,
/// 0.2, 0.4 and 0.85, so the edge keeps the first three pieces and its confidence, 0.85, comes from one it does not
/// keep; 王五 leads 甲公司 (0.95); 丙镇 located-in 乙区 (0.45); two co-occurrences without confidence.
pub const SCORED_RESULTS: &str = r#"{"format":"guanxi-extract","version":1,"document":{"id":"a","title":"甲公司落户乙区"},"entities":[{"id":"甲公司","type":"company","mentions":2,"source":"discovered","confidence":0.7},{"id":"乙区","type":"district","mentions":1},{"id":"王五","type":"official","mentions":1}],"relations":[{"source":"甲公司","relation":"located-in","target":"乙区","evidence":{"doc":"a","sentence":"甲公司落户乙区。","head":{"start":0,"end":3},"tail":{"start":5,"end":7},"rule":"located-in/settles-in","trigger":"落户","confidence":0.6}},{"source":"王五","relation":"leads","target":"甲公司","evidence":{"doc":"a","sentence":"甲公司董事长王五表示。","head":{"start":14,"end":16},"tail":{"start":8,"end":11},"rule":"leads/org-title-person","trigger":"董事长","confidence":0.95}},{"source":"乙区","relation":"co-occurs","target":"甲公司","evidence":{"doc":"a","sentence":"甲公司落户乙区。","head":{"start":5,"end":7},"tail":{"start":0,"end":3},"rule":"co-occurrence"}},{"source":"王五","relation":"co-occurs","target":"甲公司","evidence":{"doc":"a","sentence":"甲公司董事长王五表示。","head":{"start":14,"end":16},"tail":{"start":8,"end":11},"rule":"co-occurrence"}}]}
{"format":"guanxi-extract","version":1,"document":{"id":"b"},"entities":[{"id":"甲公司","type":"company","mentions":2,"source":"discovered","confidence":0.9},{"id":"乙区","type":"district","mentions":2},{"id":"丙镇","type":"district","mentions":1}],"relations":[{"source":"甲公司","relation":"located-in","target":"乙区","evidence":{"doc":"b","sentence":"甲公司位于乙区。","head":{"start":0,"end":3},"tail":{"start":5,"end":7},"rule":"located-in/lies-in","confidence":0.3}},{"source":"甲公司","relation":"located-in","target":"乙区","evidence":{"doc":"b","sentence":"甲公司总部在乙区。","head":{"start":9,"end":12},"tail":{"start":15,"end":17},"rule":"located-in/lies-in","confidence":0.2}},{"source":"丙镇","relation":"located-in","target":"乙区","evidence":{"doc":"b","sentence":"丙镇隶属乙区。","head":{"start":18,"end":20},"tail":{"start":22,"end":24},"rule":"located-in/belongs-to","confidence":0.45}}]}
{"format":"guanxi-extract","version":1,"document":{"id":"c"},"entities":[{"id":"甲公司","type":"company","mentions":2,"source":"discovered","confidence":0.5},{"id":"乙区","type":"district","mentions":2}],"relations":[{"source":"甲公司","relation":"located-in","target":"乙区","evidence":{"doc":"c","sentence":"甲公司扎根乙区。","head":{"start":0,"end":3},"tail":{"start":5,"end":7},"rule":"located-in/lies-in","confidence":0.4}},{"source":"甲公司","relation":"located-in","target":"乙区","evidence":{"doc":"c","sentence":"甲公司新厂也在乙区。","head":{"start":9,"end":12},"tail":{"start":16,"end":18},"rule":"located-in/lies-in","confidence":0.85}}]}
"#;

/// Merges [`SCORED_RESULTS`] in `dir` into these outputs.
pub fn scored_graph(dir: &Path, outputs: &[&str]) {
    std::fs::write(dir.join("scored.jsonl"), SCORED_RESULTS).unwrap();
    let mut words = vec!["merge", "scored.jsonl", "-q"];
    for o in outputs {
        words.extend(["-o", o]);
    }
    run_ok(&args(&words, vec![]), dir, None);
}
