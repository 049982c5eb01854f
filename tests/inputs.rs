//! Inputs other than plain text files: JSON Lines, HTML, forced encodings; and the generated completions and man
//! page.

mod common;

use common::*;

#[test]
fn json_lines_records_are_documents_with_metadata() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("news.jsonl"),
        "{\"id\": \"n1\", \"text\": \"青啤数字化工厂落户奎文区。\", \"title\": \"奎文新闻\", \"date\": \"2024-07-06\", \"url\": \"http://example.invalid/1\"}\n\
         {\"id\": \"n2\", \"text\": \"歌尔股份有限公司总部位于潍坊高新区。\"}\n\
         {broken\n",
    )
    .unwrap();
    let out = guanxi(&["build", "news.jsonl", "-o", "g.json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("news.jsonl:3: not JSON"), "{}", stderr(&out));
    assert!(stderr(&out).contains("2 documents (0 skipped)"), "{}", stderr(&out));
    let g = json(&dir.path().join("g.json"));
    assert_eq!(
        g["documents"],
        serde_json::json!([
            {"id": "n1", "title": "奎文新闻", "date": "2024-07-06", "url": "http://example.invalid/1"},
            {"id": "n2"}
        ])
    );
    let located: Vec<&serde_json::Value> =
        g["edges"].as_array().unwrap().iter().filter(|e| e["relation"] == "located-in").collect();
    assert_eq!(located.len(), 2);
    // The evidence names the record; show prints its title and date.
    let out = guanxi(&["show", "青啤数字化工厂", "-g", "g.json"], dir.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("[n1 · 奎文新闻 · 2024-07-06]"), "{text}");

    // The same records on standard input.
    let stdin = std::fs::read(dir.path().join("news.jsonl")).unwrap();
    let out = guanxi_stdin(&["build", "-", "--stdin-format", "jsonl", "-o", "s.json"], dir.path(), Some(&stdin));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json(&dir.path().join("s.json"))["documents"], g["documents"]);
}

#[test]
fn html_pages_are_read_without_markup() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("page.html"),
        "<html><head><title>奎文区新闻</title><script>var s = '潍坊银行落户寿光市';</script></head>\
         <body><p>安全产业园落户<b>奎文区</b>&#12290;</p><!-- 歌尔落户寿光市 --></body></html>",
    )
    .unwrap();
    let out = guanxi(&["build", ".", "-o", "g.json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let g = json(&dir.path().join("g.json"));
    assert_eq!(g["documents"], serde_json::json!([{"id": "page.html", "title": "奎文区新闻"}]));
    let typed: Vec<(String, String)> = g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["relation"] != "co-occurs")
        .map(|e| (e["source"].as_str().unwrap().to_string(), e["target"].as_str().unwrap().to_string()))
        .collect();
    // Only the body text counts: not the script, not the comment.
    assert_eq!(typed, [("安全产业园".to_string(), "奎文区".to_string())]);
    assert_eq!(g["edges"][0]["evidence"][0]["sentence"], "安全产业园落户奎文区。");
}

#[test]
fn a_forced_encoding_is_used_and_an_unknown_one_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (big5, _, _) = encoding_rs::BIG5.encode("青啤數字化工廠落戶奎文區。");
    std::fs::write(dir.path().join("a.txt"), big5).unwrap();
    std::fs::write(dir.path().join("t.csv"), "name,type,aliases\n奎文區,district,\n").unwrap();
    let out = guanxi(
        &["build", "a.txt", "--encoding", "big5", "--no-default-dict", "--dict", "t.csv", "-o", "g.json"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json(&dir.path().join("g.json"))["nodes"][0]["id"], "奎文區");
    let out = guanxi(&["build", "a.txt", "--encoding", "klingon", "-o", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown encoding 'klingon'"));
}

#[test]
fn completions_and_man_page_are_generated_from_the_command_line_definition() {
    let dir = tempfile::tempdir().unwrap();
    let out = guanxi(&["completions", "bash"], dir.path());
    assert!(out.status.success());
    let bash = String::from_utf8_lossy(&out.stdout);
    assert!(bash.contains("_guanxi()") && bash.contains("neighbors") && bash.contains("--no-default-dict"));
    let out = guanxi(&["man"], dir.path());
    assert!(out.status.success());
    let man = String::from_utf8_lossy(&out.stdout);
    assert!(man.starts_with(".ie") || man.contains(".TH guanxi"), "{}", &man[..200.min(man.len())]);
    assert!(man.contains("typed knowledge graph"));
}

/// The names of the nodes of a JSON graph.
fn node_names(path: &std::path::Path) -> Vec<String> {
    json(path)["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn json_lines_in_utf16_or_gbk_are_decoded_once_per_file() {
    let dir = tempfile::tempdir().unwrap();
    // Short records: too short for a reliable guess one line at a time.
    let lines = "{\"id\": \"a\", \"text\": \"青啤数字化工厂落户奎文区。\"}\n{\"id\": \"b\", \"text\": \"潍坊市\"}\n";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(lines.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(dir.path().join("u16.jsonl"), utf16).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(lines);
    std::fs::write(dir.path().join("gbk.jsonl"), gbk).unwrap();
    for name in ["u16", "gbk"] {
        let out = guanxi(&["build", &format!("{name}.jsonl"), "-o", &format!("{name}.json")], dir.path());
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        assert!(stderr(&out).contains("2 documents (0 skipped)"), "{name}: {}", stderr(&out));
        let names = node_names(&dir.path().join(format!("{name}.json")));
        assert!(names.contains(&"青啤数字化工厂".to_string()) && names.contains(&"潍坊市".to_string()), "{names:?}");
    }
}

#[cfg(unix)]
#[test]
fn directories_yield_regular_files_and_links_only_with_follow() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(corpus.join("a.txt"), "歌尔股份有限公司总部位于潍坊高新区。").unwrap();
    std::fs::write(dir.path().join("outside.txt"), "青啤数字化工厂落户奎文区。").unwrap();
    std::os::unix::fs::symlink(dir.path().join("outside.txt"), corpus.join("link.txt")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", corpus.join("zero.txt")).unwrap();
    let fifo = std::ffi::CString::new(corpus.join("pipe.txt").to_str().unwrap()).unwrap();
    // SAFETY: a valid C string and mode.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    // A FIFO that no one writes would block the run for ever: a time limit guards the test.
    let run = |args: &[&str]| guanxi_within(args, dir.path(), std::time::Duration::from_secs(60));
    let out = run(&["build", "corpus", "-o", "g.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for warning in [
        "pipe.txt: not a regular file (a FIFO, socket or device), skipped",
        "link.txt: symbolic link, skipped (--follow reads it)",
        "zero.txt: symbolic link, skipped",
        "1 document (0 skipped)",
    ] {
        assert!(stderr(&out).contains(warning), "no {warning:?} in {}", stderr(&out));
    }
    assert!(!node_names(&dir.path().join("g.json")).contains(&"青啤数字化工厂".to_string()));
    let out = run(&["build", "corpus", "--follow", "-o", "g.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("zero.txt: not a regular file"), "{}", stderr(&out));
    assert!(stderr(&out).contains("2 documents (0 skipped)"), "{}", stderr(&out));
    assert!(node_names(&dir.path().join("g.json")).contains(&"青啤数字化工厂".to_string()));
}

#[cfg(unix)]
#[test]
fn the_size_limit_applies_to_what_is_read_from_an_endless_file() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.jsonl")).unwrap();
    for input in ["/dev/zero", "zero.jsonl"] {
        let out = guanxi(&["build", input, "--max-file-size", "2", "-o", "g.json"], dir.path());
        assert_eq!(out.status.code(), Some(2), "{input}: {}", stderr(&out));
        assert!(stderr(&out).contains("larger than 2 MiB (--max-file-size)"), "{input}: {}", stderr(&out));
    }
    let out = guanxi(&["build", "zero.jsonl", "--max-file-size", "0", "-o", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--max-file-size"), "{}", stderr(&out));
}

#[test]
fn an_output_that_is_also_an_input_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let text = "歌尔股份有限公司总部位于潍坊高新区。";
    std::fs::write(dir.path().join("notes.txt"), text).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("notes.txt", dir.path().join("notes.dot")).unwrap();
        let out = guanxi(&["build", "notes.txt", "-o", "notes.dot"], dir.path());
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains("notes.txt: is an input and an output of this run"), "{}", stderr(&out));
        assert_eq!(std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(), text);
    }
    let out = guanxi(&["build", "notes.txt", "-o", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let before = std::fs::read(dir.path().join("g.json")).unwrap();
    let out = guanxi(&["build", "--update", "g.json", "g.json"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("g.json: is the graph --update reads"), "{}", stderr(&out));
    assert_eq!(std::fs::read(dir.path().join("g.json")).unwrap(), before);
}

/// Runs guanxi with standard output (or error) sent to `/dev/full`.
#[cfg(target_os = "linux")]
fn into_full_device(args: &[&str], dir: &std::path::Path, stderr_full: bool) -> std::process::Output {
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_guanxi"));
    command.args(args).current_dir(dir);
    if stderr_full {
        command.stderr(full()).stdout(std::process::Stdio::piped());
    } else {
        command.stdout(full()).stderr(std::process::Stdio::piped());
    }
    command.output().unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_output_device_is_an_error_and_a_closed_pipe_is_not() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["completions", "bash"][..], &["man"]] {
        let out = into_full_device(args, dir.path(), false);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("No space left on device"), "{args:?}: {}", stderr(&out));
    }
    // Warnings to a full standard error are lost, the run is not.
    std::fs::write(dir.path().join("a.txt"), "歌尔股份有限公司总部位于潍坊高新区。").unwrap();
    let out = into_full_device(&["build", "a.txt", "empty.txt", "-o", "g.json"], dir.path(), true);
    assert_eq!(out.status.code(), Some(0));
    // A reader that stops early: the table and the JSON output end the same way, with success.
    let mut text = String::new();
    for i in 0..3_000 {
        text.push_str(&format!("华{i}新材料有限公司总部位于潍坊高新区。"));
    }
    let dict: String = (0..3_000).map(|i| format!("华{i}新材料有限公司,company,,,\n")).collect();
    std::fs::write(dir.path().join("many.txt"), text).unwrap();
    std::fs::write(dir.path().join("dict.csv"), format!("name,type,aliases,parent,note\n{dict}")).unwrap();
    let out = guanxi(&["build", "many.txt", "--dict", "dict.csv", "-o", "many.json", "-q"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for json in [false, true] {
        let mut args = vec!["neighbors", "潍坊高新区", "--graph", "many.json"];
        if json {
            args.push("--json");
        }
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_guanxi"))
            .args(&args)
            .current_dir(dir.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 1];
        std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{args:?}");
    }
}

/// A mixed folder: notes, tables and images are counted by extension in one warning, and guanxi's own outputs (a
/// page and extract results it wrote there earlier) are never read as news, found in a folder or named.
#[test]
fn what_is_not_news_is_counted_and_guanxis_own_outputs_are_never_read() {
    let dir = tempfile::tempdir().unwrap();
    let news = dir.path().join("news");
    std::fs::create_dir(&news).unwrap();
    std::fs::write(news.join("a.txt"), "星河电子有限公司落户奎文区。").unwrap();
    std::fs::write(news.join("notes.md"), "# notes").unwrap();
    std::fs::write(news.join("table.csv"), "a,b\n").unwrap();
    std::fs::write(news.join("b.png"), b"\x89PNG").unwrap();
    let out = guanxi(&["build", "news", "-o", "news/graph.html", "-q"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let results = guanxi(&["extract", "news", "-q"], dir.path());
    std::fs::write(news.join("results.jsonl"), &results.stdout).unwrap();
    let out = guanxi(&["build", "news", "-o", "g.json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let want = "skipped 5 files in input directories that are not news: .csv 1, .md 1, .png 1, guanxi's own outputs 2";
    assert!(err.contains(want), "{err}");
    assert!(err.contains("1 document (0 skipped)"), "{err}");
    let g = json(&dir.path().join("g.json"));
    assert_eq!(g["documents"].as_array().unwrap().len(), 1, "{g}");
    let out = guanxi(&["build", "news/graph.html", "-o", "h.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("news/graph.html: an HTML page written by guanxi, not news; skipped"),
        "{}",
        stderr(&out)
    );
}

/// A long build whose standard error is no terminal (a log, a CI job) says how far it is in plain lines, at each
/// tenth of the input; -q silences them.
#[test]
fn progress_goes_to_a_log_as_plain_lines() {
    let dir = tempfile::tempdir().unwrap();
    let news = dir.path().join("news");
    std::fs::create_dir(&news).unwrap();
    let text = "星河电子有限公司落户奎文区。\n".repeat(40_000);
    for i in 0..25 {
        std::fs::write(news.join(format!("{i:02}.txt")), &text).unwrap();
    }
    let out = guanxi(&["build", "news", "--no-model", "--no-discover", "-o", "g.json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("% read (")).collect();
    let tenths: Vec<&str> = lines.iter().map(|l| l.split('%').next().unwrap().trim_start_matches("guanxi: ")).collect();
    assert_eq!(tenths, ["10", "20", "30", "40", "50", "60", "70", "80", "90"], "{err}");
    let out = guanxi(&["build", "news", "--no-model", "--no-discover", "-q", "-o", "h.json"], dir.path());
    assert!(!stderr(&out).contains("% read"), "{}", stderr(&out));
}

/// A Traditional Chinese copy of the example corpus (made here by OpenCC's Simplified-to-Traditional conversion)
/// gives the same entities and typed edges as the Simplified one, with evidence in the original script.
#[test]
fn a_traditional_copy_of_the_examples_gives_the_same_graph() {
    use ferrous_opencc::{config::BuiltinConfig, OpenCC};
    let s2t = OpenCC::from_config(BuiltinConfig::S2t).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let trad = dir.path().join("trad");
    std::fs::create_dir(&trad).unwrap();
    for entry in std::fs::read_dir(examples()).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let converted = s2t.convert(&text);
        assert_ne!(converted, text, "{}: nothing converted", path.display());
        std::fs::write(trad.join(path.file_name().unwrap()), converted).unwrap();
    }
    build_examples(dir.path(), &["s.json"]);
    let out = guanxi(&["build", "trad", "-o", "t.json", "-q"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let (s, t) = (json(&dir.path().join("s.json")), json(&dir.path().join("t.json")));
    let ids = |g: &serde_json::Value| -> Vec<String> {
        g["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(ids(&t), ids(&s));
    assert_eq!(typed_edges(&t), typed_edges(&s));
    // The evidence quotes the Traditional text.
    let sentence = t["edges"][0]["evidence"][0]["sentence"].as_str().unwrap();
    assert!(["綜", "區", "產", "業", "東", "滙"].iter().any(|c| sentence.contains(c)), "{sentence}");
}

/// A dictionary written in Traditional form finds its entities in Simplified and in Traditional text alike.
#[test]
fn traditional_dictionary_names_resolve_to_the_same_entity() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.csv"), "name,type,aliases\n星河電子有限公司,company,星河電子\n").unwrap();
    std::fs::write(dir.path().join("s.txt"), "星河电子落户奎文区。").unwrap();
    std::fs::write(dir.path().join("t.txt"), "據報道,星河電子落戶奎文區,這個項目總投資5億元,將於年內開工建設。")
        .unwrap();
    for file in ["s.txt", "t.txt"] {
        let out = guanxi(&["build", file, "--no-model", "--dict", "d.csv", "-o", "g.json", "-q"], dir.path());
        assert!(out.status.success(), "{}", stderr(&out));
        let edges = typed_edges(&json(&dir.path().join("g.json")));
        assert!(
            edges.contains(&("星河電子有限公司".into(), "located-in".into(), "奎文区".into())),
            "{file}: {edges:?}"
        );
    }
}

/// A corpus from one county's own site says 全县 and never names itself: --place (or a record's `place`) says which
/// county it is; a place the dictionaries do not hold is an error.
#[test]
fn place_names_the_county_a_corpus_speaks_of_as_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        "重点项目建设提速\n全县今年以来新开工项目28个。星河电子有限公司投资建设的智能装备产业园项目在园区开工。\n";
    std::fs::write(dir.path().join("a.txt"), text).unwrap();
    let record = serde_json::json!({"id": "r1", "text": text, "place": "江华瑶族自治县"});
    std::fs::write(dir.path().join("b.jsonl"), format!("{record}\n")).unwrap();
    let located = |args: &[&str]| {
        let mut all = vec!["build", "--no-model", "-o", "g.json", "-q"];
        all.extend(args);
        let out = guanxi(&all, dir.path());
        assert!(out.status.success(), "{}", stderr(&out));
        typed_edges(&json(&dir.path().join("g.json")))
            .into_iter()
            .filter(|(_, r, _)| r == "located-in")
            .collect::<Vec<_>>()
    };
    let want = vec![("智能装备产业园项目".to_string(), "located-in".to_string(), "江华瑶族自治县".to_string())];
    assert_eq!(located(&["a.txt"]), vec![]);
    assert_eq!(located(&["a.txt", "--place", "江华瑶族自治县"]), want);
    assert_eq!(located(&["b.jsonl"]), want);
    let out = guanxi(&["explain", "a.txt", "--place", "江华瑶族自治县"], dir.path());
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(said.contains("江华瑶族自治县 (from its self-reference, read as the place given with --place)"), "{said}");
    let out = guanxi(&["build", "a.txt", "--place", "无名县", "-o", "h.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--place 无名县: no district of that name"), "{}", stderr(&out));
}
