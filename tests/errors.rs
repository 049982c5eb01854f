//! Bad command lines and bad inputs: clear messages, the documented exit codes, and no lost output.

mod common;

use common::*;

#[test]
fn unknown_output_format_is_an_error_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = examples();
    let out = guanxi(&["build", corpus.to_str().unwrap(), "-o", "g.json", "-o", "g.pdf"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("g.pdf: unknown output format"), "{}", stderr(&out));
    assert!(!dir.path().join("g.json").exists(), "no output may be written when an output is invalid");
}

#[test]
fn output_into_a_missing_directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = examples();
    let out = guanxi(&["build", corpus.to_str().unwrap(), "-o", "nope/g.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("directory nope does not exist"), "{}", stderr(&out));
}

#[test]
fn a_bad_dictionary_names_file_and_line_and_keeps_earlier_output() {
    let dir = tempfile::tempdir().unwrap();
    build_examples(dir.path(), &["g.json"]);
    let before = std::fs::read(dir.path().join("g.json")).unwrap();
    std::fs::write(dir.path().join("bad.csv"), "name,type,aliases\n好公司,company,好\n坏公司,company\n").unwrap();
    let corpus = examples();
    let out = guanxi(&["build", corpus.to_str().unwrap(), "--dict", "bad.csv", "-o", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.csv:3: expected 3 fields as in the header, found 2"), "{}", stderr(&out));
    assert_eq!(std::fs::read(dir.path().join("g.json")).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind: {leftovers:?}");
}

#[test]
fn a_bad_rules_file_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("r.toml"),
        "[[rule]]\nname = \"x\"\nrelation = \"leads\"\npattern = \"{head} {tail\"\n",
    )
    .unwrap();
    let corpus = examples();
    let out = guanxi(&["build", corpus.to_str().unwrap(), "--rules", "r.toml", "-o", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("r.toml:1:1: rule 'x': unknown slot {tail"), "{}", stderr(&out));
}

#[test]
fn nothing_found_exits_1_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "今天天气很好。").unwrap();
    let out = guanxi(&["build", "a.txt", "-o", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("no dictionary entity was found in 1 document"), "{}", stderr(&out));
}

#[test]
fn unreadable_inputs_are_skipped_with_a_warning_and_no_input_at_all_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    std::fs::write(dir.path().join("bin.txt"), b"\x00\x01\x02").unwrap();
    std::fs::write(dir.path().join("ok.txt"), "歌尔股份有限公司总部位于潍坊高新区。").unwrap();
    let out = guanxi(&["build", "empty.txt", "bin.txt", "missing.txt", "ok.txt", "-o", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("empty.txt: empty file; skipped"), "{err}");
    assert!(err.contains("bin.txt: binary file (contains NUL bytes); skipped"), "{err}");
    assert!(err.contains("missing.txt: No such file"), "{err}");
    assert!(err.contains("1 document (3 skipped)"), "{err}");

    let out = guanxi(&["build", "empty.txt", "-o", "h.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no document could be read (1 input skipped)"), "{}", stderr(&out));
    assert!(!dir.path().join("h.json").exists());
}

#[test]
fn user_dictionaries_add_to_or_replace_the_builtin_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "潍坊星河电子有限公司落户奎文区。").unwrap();
    std::fs::write(dir.path().join("mine.csv"), "name,type,aliases\n潍坊星河电子有限公司,company,星河电子\n").unwrap();
    let out = guanxi(&["build", "a.txt", "--dict", "mine.csv", "-o", "g.json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let g = json(&dir.path().join("g.json"));
    assert_eq!(g["edges"].as_array().unwrap().iter().filter(|e| e["relation"] == "located-in").count(), 1);

    // Without the built-in dictionaries (and without discovery) 奎文区 is unknown: one entity, no edge.
    let out = guanxi(
        &["build", "a.txt", "--no-default-dict", "--no-discover", "--dict", "mine.csv", "-o", "h.json"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let h = json(&dir.path().join("h.json"));
    assert_eq!(h["nodes"].as_array().unwrap().len(), 1);
    assert!(h["edges"].as_array().unwrap().is_empty());

    let out = guanxi(&["build", "a.txt", "--no-default-dict", "-o", "i.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no dictionary entries"), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn outputs_get_ordinary_permissions_and_keep_existing_ones() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    build_examples(dir.path(), &["g.json"]);
    // Not the 0600 of a temporary file: readable by others under the usual umask (tests run with 022 or 002).
    let mode = std::fs::metadata(dir.path().join("g.json")).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode & 0o044, 0o044, "mode {mode:o}");
    std::fs::set_permissions(dir.path().join("g.json"), std::fs::Permissions::from_mode(0o640)).unwrap();
    build_examples(dir.path(), &["g.json"]);
    let mode = std::fs::metadata(dir.path().join("g.json")).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}

#[test]
fn a_dictionary_directory_loads_every_csv_in_it_and_conflicts_name_both_places() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("dicts")).unwrap();
    std::fs::write(dir.path().join("dicts/a.csv"), "name,type,aliases\n潍坊星河电子有限公司,company,星河电子\n")
        .unwrap();
    // GBK, as Excel on Chinese Windows writes it; it also claims 高新区, which the built-in dictionary gives to
    // 潍坊高新技术产业开发区.
    let (gbk, _, _) = encoding_rs::GBK.encode("name,type,aliases\n寿光高新区,district,高新区\n");
    std::fs::write(dir.path().join("dicts/b.csv"), gbk).unwrap();
    std::fs::write(dir.path().join("dicts/notes.txt"), "not a dictionary").unwrap();
    std::fs::write(dir.path().join("a.txt"), "寿光高新区召开大会。星河电子落户高新区。").unwrap();
    let out = guanxi(&["build", "a.txt", "--dict", "dicts", "-o", "g.json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let districts = std::fs::read_to_string(root().join("dictionaries/districts.csv")).unwrap();
    let line = districts.lines().position(|l| l.starts_with("潍坊高新技术产业开发区,")).unwrap() + 1;
    let want = format!(
        "'高新区' is claimed by 潍坊高新技术产业开发区 (builtin:districts.csv:{line}) and by 寿光高新区 (dicts/b.csv:2)"
    );
    assert!(err.contains(&want), "{err}");
    let g = json(&dir.path().join("g.json"));
    let edge = &g["edges"].as_array().unwrap().iter().find(|e| e["relation"] == "located-in").unwrap().clone();
    assert_eq!(edge["source"], "潍坊星河电子有限公司");
    assert_eq!(edge["target"], "寿光高新区", "the document names 寿光高新区, so its 高新区 is that one");

    // Where nothing in the document decides, the short name is left out rather than guessed.
    std::fs::write(dir.path().join("b.txt"), "星河电子落户高新区。").unwrap();
    let out = guanxi(&["build", "b.txt", "--dict", "dicts", "-o", "h.json"], dir.path());
    let g = json(&dir.path().join("h.json"));
    assert!(g["edges"].as_array().unwrap().iter().all(|e| e["relation"] != "located-in"), "{}", stderr(&out));
}

#[test]
fn numbers_out_of_range_are_refused_with_the_valid_range() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "歌尔股份有限公司总部位于潍坊高新区。").unwrap();
    for (args, want) in [
        (vec!["build", "a.txt", "-o", "g.json", "--edge-memory", "1000000000"], "0..=4096"),
        (vec!["build", "a.txt", "-o", "g.json", "--edge-memory", "18446744073709551615"], "0..=4096"),
        (vec!["build", "a.txt", "-o", "g.json", "-j", "10000"], "0..=1024"),
        (vec!["merge", "-o", "g.json", "--edge-memory", "5000"], "0..=4096"),
        (vec!["extract", "a.txt", "-j", "100000"], "0..=1024"),
        (vec!["build", "a.txt", "-o", "g.json", "--max-file-size", "0"], "1..=1048576"),
    ] {
        let out = guanxi(&args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(want), "{args:?}: {}", stderr(&out));
        assert!(!dir.path().join("g.json").exists());
    }
}

#[test]
fn a_long_option_with_one_dash_is_refused_with_its_spelling_and_help_lists_every_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "歌尔股份有限公司总部位于潍坊高新区。").unwrap();
    let out = guanxi(&["build", "a.txt", "-out", "g.html"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("'-out' would read as -o ut; write -o FILE or --output FILE"), "{}", stderr(&out));
    assert!(!dir.path().join("ut").exists() && !dir.path().join("g.html").exists());
    for command in ["build", "subgraph"] {
        let help = String::from_utf8_lossy(&guanxi(&[command, "--help"], dir.path()).stdout).into_owned();
        for ext in [".json", ".graphml", ".gexf", ".dot", ".html", ".csv", ".neo4j"] {
            assert!(help.contains(ext), "{command} --help omits {ext}: {help}");
        }
    }
}
