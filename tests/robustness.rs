//! Bad input never crashes guanxi or costs the user data: each kind of messy input the policy in docs/bad-input.md names,
//! with the behaviour it promises.

mod common;

use std::path::Path;

use common::*;

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

const GOOD: &str = "青啤数字化工厂落户奎文区。";

#[test]
fn invalid_utf8_in_the_middle_of_a_file_is_replaced_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = "歌尔股份有限公司总部位于潍坊高新区。".repeat(20).into_bytes();
    bytes.splice(300..300, [0xFF, 0xFE, 0x80]);
    bytes.extend_from_slice(GOOD.as_bytes());
    write(dir.path(), "a.txt", &bytes);
    let out = guanxi(&["build", "a.txt", "-o", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("a.txt: invalid UTF-8 byte sequences replaced by U+FFFD"), "{}", stderr(&out));
    let g = json(&dir.path().join("g.json"));
    let located = g["edges"].as_array().unwrap().iter().filter(|e| e["relation"] == "located-in").count();
    assert_eq!(located, 2, "text on both sides of the bad bytes is read");
    // --strict makes it an error, before anything is written.
    let out = guanxi(&["build", "a.txt", "-o", "h.json", "--strict"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("h.json").exists());
}

#[test]
fn unreadable_inputs_are_skipped_and_counted_or_with_strict_stop_the_run() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.txt", GOOD);
    write(dir.path(), "empty.txt", "");
    write(dir.path(), "binary.txt", [0x7F, b'E', b'L', b'F', 0, 0, 1, 2]);
    std::fs::create_dir(dir.path().join("x.txt")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("nowhere.txt"), dir.path().join("dangling.txt")).unwrap();
    let out =
        guanxi(&["build", "good.txt", "empty.txt", "binary.txt", "x.txt", "dangling.txt", "-o", "g.json"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    for warning in [
        "empty.txt: empty file; skipped",
        "binary.txt: binary file (contains NUL bytes); skipped",
        "x.txt: no .txt, .jsonl or .html file in this directory",
        "dangling.txt: No such file or directory",
        "1 document (3 skipped)",
    ] {
        assert!(err.contains(warning), "missing {warning:?} in {err}");
    }
    let out = guanxi(&["build", "good.txt", "binary.txt", "-o", "s.json", "--strict"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("binary.txt: binary file"), "{}", stderr(&out));
    assert!(!dir.path().join("s.json").exists());
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_an_input_directory_is_visited_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("news/sub")).unwrap();
    write(&dir.path().join("news"), "a.txt", GOOD);
    std::os::unix::fs::symlink(dir.path().join("news"), dir.path().join("news/sub/back")).unwrap();
    // Links are followed only with --follow; without it the loop is never entered.
    let out = guanxi(&["build", "news", "-o", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("back: symbolic link, skipped"), "{}", stderr(&out));
    let out = guanxi(&["build", "news", "--follow", "-o", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("already visited (symlink loop?)"), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 document (0 skipped)"), "{}", stderr(&out));
}

#[test]
fn control_characters_in_text_and_names_never_reach_xml() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "odd.csv", "name,type,aliases\n\"控\u{1}制\n公司\",company,控制公司\n");
    write(dir.path(), "a.txt", "控制公司\u{0}\u{8}落户\u{1b}[31m奎文区\u{7f}。\u{c}");
    let out = guanxi(
        &["build", "a.txt", "--dict", "odd.csv", "-o", "g.graphml", "-o", "g.gexf", "-o", "g.json", "-o", "g.dot"],
        dir.path(),
    );
    // A NUL byte makes the file binary: it is skipped, and then no document is left.
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    write(dir.path(), "a.txt", "控制公司\u{8}落户\u{1b}[31m奎文区\u{7f}。\u{c}");
    let out = guanxi(
        &["build", "a.txt", "--dict", "odd.csv", "-o", "g.graphml", "-o", "g.gexf", "-o", "g.json", "-o", "g.dot"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for file in ["g.graphml", "g.gexf"] {
        let xml = std::fs::read_to_string(dir.path().join(file)).unwrap();
        assert!(!xml.chars().any(|c| c < ' ' && !"\t\n\r".contains(c)), "{file} holds a control character");
    }
    let g = json(&dir.path().join("g.json"));
    let company = g["nodes"].as_array().unwrap().iter().find(|n| n["type"] == "company").unwrap().clone();
    assert_eq!(company["id"], "控\u{1}制\n公司", "JSON keeps the name as written, escaped");
    if let Some(shared) = shared() {
        if have("xmllint", &["--version"]) {
            let xsd = shared.join("schemas/graphml/graphml.xsd");
            let v = run("xmllint", &["--nonet", "--noout", "--schema", xsd.to_str().unwrap(), "g.graphml"], dir.path());
            assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
        }
    }
    if have("dot", &["-V"]) {
        assert!(run("dot", &["-Tsvg", "g.dot", "-o", "g.svg"], dir.path()).status.success());
    }
}

#[test]
fn bad_dictionaries_stop_before_any_output_with_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", GOOD);
    let table = [
        ("name,type,aliases\n甲公司,company\n", "bad.csv:2: expected 3 fields as in the header, found 2"),
        ("name,type,aliases\n\"\",company,\n", "bad.csv:2:1: empty name"),
        ("name,type,aliases,name\n甲,company,,甲\n", "bad.csv:1:4: column 'name' appears twice"),
        ("name,type,aliases\n\"甲公司,company,\n", "bad.csv:2:"),
        ("name,type,aliases\n甲公司,公司,\n", "bad.csv:2:2: type '公司' is not a lowercase word"),
    ];
    for (csv, want) in table {
        write(dir.path(), "bad.csv", csv);
        let out = guanxi(&["build", "a.txt", "--dict", "bad.csv", "-o", "g.json"], dir.path());
        assert_eq!(out.status.code(), Some(2), "{csv:?}");
        assert!(stderr(&out).contains(want), "{csv:?}: {}", stderr(&out));
        assert!(!dir.path().join("g.json").exists(), "{csv:?}: output written");
    }
    // An unknown column is only a warning: spreadsheets carry notes.
    write(dir.path(), "ok.csv", "name,type,aliases,备注\n甲公司,company,,note\n");
    let out = guanxi(&["build", "a.txt", "--dict", "ok.csv", "-o", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("ok.csv:1:4: unknown column '备注' ignored"), "{}", stderr(&out));
}

#[test]
fn a_single_200_mb_line_without_punctuation_is_read_in_bounded_sentences() {
    let dir = tempfile::tempdir().unwrap();
    // 200 MB of Chinese text on one line, no punctuation, with an entity every few dozen characters.
    let unit = "奎文区安全产业园落户今年以来全区经济运行稳中有进主要经济指标保持较快增长歌尔股份有限公司位于潍坊高新区";
    let mut text = String::with_capacity(200 << 20);
    while text.len() < 200 << 20 {
        text.push_str(unit);
    }
    write(dir.path(), "line.txt", &text);
    drop(text);
    let started = std::time::Instant::now();
    // The rules alone: what is tested is how the text is read into sentences (the model's cost on one long document
    // is in tests/cost.rs).
    let out = guanxi(&["build", "line.txt", "--no-model", "-o", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let g = json(&dir.path().join("g.json"));
    // The repeated text names four entities: 奎文区, 安全产业园, 歌尔股份有限公司, 潍坊高新区.
    assert_eq!(g["nodes"].as_array().unwrap().len(), 4);
    // Sentences are capped, so the entities pair up only with their neighbours: a handful of edges, each seen many
    // times, not one giant sentence.
    let edges = g["edges"].as_array().unwrap();
    assert!(edges.len() < 60, "{} edges", edges.len());
    assert!(edges.iter().any(|e| e["weight"].as_u64().unwrap() > 1000));
    eprintln!("200 MB line: {:.1}s", started.elapsed().as_secs_f64());
}

#[cfg(unix)]
fn interrupted_build(signal: libc::c_int) -> (tempfile::TempDir, std::process::Output) {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("corpus")).unwrap();
    let doc = "青啤数字化工厂落户奎文区。歌尔股份有限公司总部位于潍坊高新区。".repeat(20_000);
    for i in 0..40 {
        write(&dir.path().join("corpus"), &format!("{i:03}.txt"), &doc);
    }
    write(dir.path(), "g.json", "earlier output");
    let child = Command::new(env!("CARGO_BIN_EXE_guanxi"))
        .args(["build", "corpus", "-o", "g.json", "-j", "1"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    // SAFETY: the child is ours and still running (the build takes far longer than the wait).
    unsafe { libc::kill(child.id() as libc::pid_t, signal) };
    let out = child.wait_with_output().unwrap();
    (dir, out)
}

#[cfg(unix)]
#[test]
fn an_interrupted_build_keeps_the_earlier_output_and_leaves_no_partial_file() {
    for signal in [libc::SIGINT, libc::SIGKILL] {
        let (dir, out) = interrupted_build(signal);
        assert!(!out.status.success(), "the build finished before the signal; make the corpus larger");
        assert_eq!(std::fs::read_to_string(dir.path().join("g.json")).unwrap(), "earlier output");
        if signal == libc::SIGINT {
            // Ctrl-C stops the run at once: exit 130, and no temporary file is left.
            assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
            assert!(stderr(&out).contains("interrupted; no output was written"));
            let names: Vec<String> = std::fs::read_dir(dir.path())
                .unwrap()
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
        }
    }
}

#[test]
fn terminal_controls_from_scraped_text_ids_and_titles_are_printed_as_visible_escapes() {
    let dir = tempfile::tempdir().unwrap();
    // ESC [2J clears the screen, ESC ] 0; retitles the window, U+009B is a one-character CSI, CR rewrites a line.
    write(
        dir.path(),
        "evil.jsonl",
        "{\"id\": \"evil\\u001b[2J\", \"title\": \"t\\u009b31m\\r\", \"text\": \"歌尔股份有限公司\\u001b]0;owned\\u0007总部位于潍坊高新区。\"}\n",
    );
    let out = guanxi(&["build", "evil.jsonl", "-o", "g.json", "-q"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Each prints the document's id or the sentence.
    for args in [
        &["show", "歌尔股份有限公司", "--graph", "g.json"][..],
        &["path", "歌尔股份有限公司", "潍坊高新区", "--graph", "g.json"],
        &["explain", "evil.jsonl"],
    ] {
        let out = guanxi(args, dir.path());
        assert!(out.status.code() == Some(0), "{args:?}: {}", stderr(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains(['\u{1b}', '\u{9b}', '\u{7}', '\r']), "{args:?} printed a raw control: {text:?}");
        assert!(text.contains("\\u{1b}"), "{args:?}: {text}");
    }
}

/// Runs guanxi and fails the test if it takes more than two minutes: each input below took minutes or hours before
/// its cost was bounded, and takes a second or two now, so the limit flags a return to super-linear cost without
/// timing anything finely.
fn run_bounded(args: &[&str], dir: &Path) -> std::process::Output {
    guanxi_within(args, dir, std::time::Duration::from_secs(120))
}

#[test]
fn html_whose_tags_never_close_is_read_in_one_pass() {
    let dir = tempfile::tempdir().unwrap();
    // Two million '<' that never close: each was once a scan to the end of the page (minutes).
    write(
        dir.path(),
        "open.html",
        format!("<html><body>{}歌尔股份有限公司总部位于潍坊高新区。", "<a".repeat(2_000_000)),
    );
    let out = run_bounded(&["build", "open.html", "-o", "a.json"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_rule_with_a_long_gap_over_hundreds_of_trigger_words_has_a_bounded_cost() {
    let dir = tempfile::tempdir().unwrap();
    // Four trigger elements that may each bind any of 400 occurrences within the longest gap a sentence allows:
    // the bindings tried grew like the fourth power of the occurrences (minutes); a rule now stops on a sentence
    // after a fixed number of steps, and the edge its first binding makes is still found.
    write(dir.path(), "d.csv", "name,type,aliases\n甲公司,company,\n王志刚,official,\n");
    write(dir.path(), "d.txt", format!("甲公司{} 王志刚出席。", "的".repeat(400)));
    write(
        dir.path(),
        "wide.toml",
        "[[rule]]\nname = \"wide\"\nrelation = \"leads\"\npattern = \"{tail} 的 的 的 的 {head}\"\n\
         head = [\"official\"]\ntail = [\"company\"]\nmax_gap = 1000\n",
    );
    let out = run_bounded(&["build", "d.txt", "--dict", "d.csv", "--rules", "wide.toml", "-o", "b.json"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let g = json(&dir.path().join("b.json"));
    assert!(g["edges"].as_array().unwrap().iter().any(|e| e["relation"] == "leads" && e["source"] == "王志刚"), "{g}");
}

#[test]
fn names_nested_two_hundred_deep_on_a_run_of_their_character_have_a_bounded_cost() {
    let dir = tempfile::tempdir().unwrap();
    let nested: String = (1..=200).map(|k| format!("{},company,\n", "华".repeat(k))).collect();
    write(dir.path(), "nested.csv", format!("name,type,aliases\n{nested}"));
    write(dir.path(), "run.txt", format!("{}。", "华".repeat(8_000)));
    let out = run_bounded(&["build", "run.txt", "--dict", "nested.csv", "-o", "c.json"], dir.path());
    // Whether any name counts in such a run is moot; the run ends, and says so if it found nothing.
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
}

#[test]
fn co_occurrence_in_a_sentence_of_hundreds_of_names_grows_with_the_names_not_their_square() {
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<String> = (0..300).map(|i| format!("乙{i}号公司")).collect();
    let dict: String = names.iter().map(|n| format!("{n},company,\n")).collect();
    write(dir.path(), "many.csv", format!("name,type,aliases\n{dict}"));
    // One sentence of 300 names, and one of 12: every pair of the short one co-occurs.
    write(dir.path(), "long.txt", format!("{}。{}。", names.join(","), names[..12].join(",")));
    let out = guanxi(&["build", "long.txt", "--dict", "many.csv", "-o", "g.json", "-q"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let g = json(&dir.path().join("g.json"));
    let co = g["edges"].as_array().unwrap().iter().filter(|e| e["relation"] == "co-occurs").count();
    // At most 12 neighbours after each name: 300 × 12, against 44,850 pairs.
    assert!(co <= 300 * 12, "{co} co-occurrence edges");
    assert!(co >= 299, "{co}: each name still co-occurs with its neighbours");
    let short: std::collections::HashSet<&str> = names[..12].iter().map(String::as_str).collect();
    let within = g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["relation"] == "co-occurs"
                && short.contains(e["source"].as_str().unwrap())
                && short.contains(e["target"].as_str().unwrap())
        })
        .count();
    assert_eq!(within, 12 * 11 / 2);
}
