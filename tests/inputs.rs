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
