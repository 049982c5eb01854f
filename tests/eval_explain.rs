//! `guanxi eval` and `guanxi explain` through the binary.

mod common;

use common::*;

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn eval_scores_the_example_corpus_against_its_hand_written_gold() {
    let dir = tempfile::tempdir().unwrap();
    let gold = root().join("examples/gold.jsonl");
    let out = guanxi(&["eval", "--gold", gold.to_str().unwrap(), examples().to_str().unwrap()], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    // 14 required relations, all found; 德纳 located-in 综保区 is optional, so it is no false positive.
    let text = stdout(&out);
    assert_eq!(overall(&text), (1.0, 1.0, 1.0), "{text}");
    assert!(text.contains("leads             3    0    0"), "{text}");
}

#[test]
fn eval_verbose_lists_misses_and_false_positives() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("gold.jsonl"),
        "{\"doc\": \"03_investment.txt\", \"relations\": [\
         {\"head\": \"王斌\", \"relation\": \"leads\", \"tail\": \"安丘\"},\
         {\"head\": \"刘水源\", \"relation\": \"invests-in\", \"tail\": \"浙商(临朐)智能智造产业园\"}]}\n",
    )
    .unwrap();
    let doc = examples().join("03_investment.txt");
    let out = guanxi(&["eval", "-v", "--gold", "gold.jsonl", doc.to_str().unwrap()], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("missed: 王斌 leads -> 安丘市 [03_investment.txt]\n    王斌在安丘建设苏州(安丘)科技产业园。"),
        "{text}"
    );
    assert!(text.contains("false positive: 郭兴平 leads -> 潍坊市商务局 [03_investment.txt]"), "{text}");
    // The example text states 6 typed relations; this gold requires 2, of which 1 is found.
    let (p, r, _) = overall(&text);
    assert!((p - 1.0 / 6.0).abs() < 0.001 && (r - 0.5).abs() < 0.001, "{text}");
}

#[test]
fn eval_follows_the_guidelines_forms_and_chains() {
    let dir = tempfile::tempdir().unwrap();
    // 苏州安丘园 is a form the set's dictionary (beside the gold file) gives the park found in 安丘市. The gold puts
    // 浙商(临朐)智能智造产业园 in a made-up 临朐智造片区 in 临朐, so the edge found from the park to 临朐县 follows from a
    // chain: optional, no false positive; the two links of the chain are missed.
    std::fs::write(
        dir.path().join("g.jsonl"),
        "{\"doc\": \"03_investment.txt\", \"relations\": [\
         {\"head\": \"苏州安丘园\", \"relation\": \"located-in\", \"tail\": \"安丘\"},\
         {\"head\": \"浙商(临朐)智能智造产业园\", \"relation\": \"located-in\", \"tail\": \"临朐智造片区\"},\
         {\"head\": \"临朐智造片区\", \"relation\": \"located-in\", \"tail\": \"临朐\"}]}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("g.dictionary.csv"), "name,type,aliases\n苏州(安丘)科技产业园,park,苏州安丘园\n")
        .unwrap();
    let doc = examples().join("03_investment.txt");
    let out = guanxi(&["eval", "-v", "--gold", "g.jsonl", doc.to_str().unwrap()], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("located-in        1    0    2"), "{text}");
    // Without the dictionary beside it, the park's form is unknown: a miss, and the edge found a false positive.
    std::fs::remove_file(dir.path().join("g.dictionary.csv")).unwrap();
    let out = guanxi(&["eval", "-v", "--gold", "g.jsonl", doc.to_str().unwrap()], dir.path());
    let text = stdout(&out);
    assert!(text.contains("located-in        0    1    3"), "{text}");
}

#[test]
fn eval_meets_the_targets_on_the_seed_articles() {
    let Some(shared) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let gold = shared.join("gold/seeds.jsonl");
    let seeds = shared.join("corpus/seeds");
    // The built-in dictionaries and rules. The seeds' gold was redone to the guidelines (55 required relations,
    // named projects and every company counted), and the same binary that scored P 1.000 R 1.000 against the old
    // gold scores P 1.000 R 0.564 here with `--no-discover` and P 1.000 R 0.636 with discovery (measured when the
    // gold changed): precision stays at 0.95 or more, and recall may not drop below those figures.
    let args = ["eval", "--no-discover", "--gold", gold.to_str().unwrap(), seeds.to_str().unwrap()];
    let out = guanxi(&args, dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let (p, r, _) = overall(&stdout(&out));
    assert!(p >= 0.95 && r >= 0.56, "precision {p} recall {r}\n{}", stdout(&out));
    let out = guanxi(&["eval", "--gold", gold.to_str().unwrap(), seeds.to_str().unwrap()], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let (p, r, _) = overall(&stdout(&out));
    assert!(p >= 0.95 && r >= 0.63, "precision {p} recall {r}\n{}", stdout(&out));
}

#[test]
fn eval_rejects_a_malformed_gold_file_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gold.jsonl"), "{\"doc\": \"a.txt\", \"relations\": []}\n{oops\n").unwrap();
    let out = guanxi(&["eval", "--gold", "gold.jsonl", examples().to_str().unwrap()], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("gold.jsonl:2:"), "{}", stderr(&out));
}

#[test]
fn explain_shows_mentions_edges_and_near_misses() {
    let dir = tempfile::tempdir().unwrap();
    let out = guanxi(&["explain", "--text", "高密度材料企业孚日集团股份有限公司洽谈落户高密市。"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("mention  高密 → 高密市 (district) [0..2]: rejected, word boundary: cuts through '高密度'"),
        "{text}"
    );
    assert!(text.contains("mention  高密市 (district) [21..24]: kept"), "{text}");
    assert!(text.contains("no edge  located-in/settles-in: cancelled by 洽谈"), "{text}");

    let doc = examples().join("01_bonded_zone.txt");
    let out = guanxi(&["explain", doc.to_str().unwrap(), "--grep", "王龙堂"], dir.path());
    let text = stdout(&out);
    assert!(
        text.contains("edge     王龙堂 -[leads]-> 潍坊综合保税区: rule leads/org-title-person, trigger '党工委书记'"),
        "{text}"
    );
    assert_eq!(text.matches("\nsentence ").count(), 1, "{text}");
}

#[test]
fn explain_exits_1_when_nothing_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let out = guanxi(&["explain", "--text", "今天天气很好。"], dir.path());
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_document_place_from_the_title_places_its_projects_and_says_where_it_came_from() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.csv"), "name,type,aliases\n年产十万吨薄膜项目,park,\n").unwrap();
    std::fs::write(dir.path().join("a.txt"), "奎文区重点项目集中开工\n年产十万吨薄膜项目总投资10亿元。\n").unwrap();
    let out = guanxi(&["build", "a.txt", "--no-model", "--dict", "d.csv", "-o", "g.json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let g = json(&dir.path().join("g.json"));
    let edge = g["edges"].as_array().unwrap().iter().find(|e| e["relation"] == "located-in").unwrap().clone();
    assert_eq!((edge["source"].as_str(), edge["target"].as_str()), (Some("年产十万吨薄膜项目"), Some("奎文区")));
    let ev = &edge["evidence"][0];
    assert_eq!(ev["rule"], "located-in/document-place");
    assert_eq!(ev["context"], "title");
    // The tail span points at the title's words that name the place: characters 0..3 (奎文区).
    assert_eq!((ev["tail"]["start"].as_u64(), ev["tail"]["end"].as_u64()), (Some(0), Some(3)));
}

#[test]
fn evidence_says_when_a_relation_rests_on_a_name_a_reference_back_or_the_title() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("d.csv"),
        "name,type,aliases\n星河电子有限公司,company,星河电子\n星河电子智能终端产业园,park,\n张明,official,\n蓝海新材料有限公司,company,蓝海新材料\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "奎文区项目建设提速\n记者走进星河电子有限公司。公司董事长张明介绍,星河电子智能终端产业园即将投产。蓝海新材料等企业集中落户。\n",
    )
    .unwrap();
    let out = guanxi(&["build", "a.txt", "--no-model", "--dict", "d.csv", "-o", "g.json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let g = json(&dir.path().join("g.json"));
    let evidence = |source: &str, relation: &str, target: &str| {
        let edge = g["edges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["source"] == source && e["relation"] == relation && e["target"] == target);
        edge.unwrap_or_else(|| panic!("no {source} {relation} {target}: {g}"))["evidence"][0].clone()
    };
    // 公司董事长张明: the company mentioned last.
    let ev = evidence("张明", "leads", "星河电子有限公司");
    assert_eq!((ev["rule"].as_str(), ev["context"].as_str()), (Some("leads/company-post"), Some("anaphora")));
    // The park is named after the company.
    let ev = evidence("星河电子有限公司", "invests-in", "星河电子智能终端产业园");
    assert_eq!((ev["rule"].as_str(), ev["context"].as_str()), (Some("invests-in/own-project-name"), Some("name")));
    // 集中落户 with no place: the title's.
    let ev = evidence("蓝海新材料有限公司", "located-in", "奎文区");
    assert_eq!((ev["rule"].as_str(), ev["context"].as_str()), (Some("located-in/settles-here"), Some("title")));
    // The park is the title's place's.
    let ev = evidence("星河电子智能终端产业园", "located-in", "奎文区");
    assert_eq!((ev["rule"].as_str(), ev["context"].as_str()), (Some("located-in/document-place"), Some("title")));
}

#[test]
fn a_rules_file_adds_to_the_built_in_rules_unless_they_are_dropped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("r.toml"),
        "[words]\nnot_yet = [\"拟\"]\n[[rule]]\nname = \"located-in/moves-to\"\nrelation = \"located-in\"\npattern = \"{head} 迁往 {tail}\"\n\
         head = [\"company\"]\ntail = [\"district\"]\nunless = [\"[not_yet]\"]\n",
    )
    .unwrap();
    let text = "歌尔迁往奎文区。歌尔落户寿光市。";
    let edges = |extra: &[&str]| {
        let mut args = vec!["explain", "--text", text, "--rules", "r.toml"];
        args.extend_from_slice(extra);
        let out = guanxi(&args, dir.path());
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out).lines().filter(|l| l.trim_start().starts_with("edge")).map(str::to_string).collect::<Vec<_>>()
    };
    let both = edges(&[]);
    assert!(both.iter().any(|l| l.contains("rule located-in/moves-to")), "{both:?}");
    assert!(both.iter().any(|l| l.contains("rule located-in/settles-in")), "{both:?}");
    let own = edges(&["--no-default-rules"]);
    assert!(own.iter().any(|l| l.contains("rule located-in/moves-to")), "{own:?}");
    assert!(!own.iter().any(|l| l.contains("settles-in")), "{own:?}");
}

#[test]
fn eval_refuses_inputs_that_share_no_document_with_the_gold() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gold.jsonl"), "{\"doc\": \"elsewhere.txt\", \"relations\": []}\n").unwrap();
    let out = guanxi(&["eval", "--gold", "gold.jsonl", examples().to_str().unwrap()], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("share no document with the gold file gold.jsonl"), "{}", stderr(&out));
}
