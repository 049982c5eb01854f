//! Discovery of names no dictionary lists: on by default (--no-discover turns it off), marked `source` = `discovered` in the graph,
//! explained by `explain`, and scored as entities by `eval` when the gold lists them.
//!
//! These tests read discovery's cues as the rules use them (`--no-model`); the last test checks that the trained
//! tagger, which takes the cues' names as hints, keeps such names as discovered too.

mod common;

use common::*;

const TEXT: &str = "潍坊星河精工机械有限公司董事长张大伟表示,公司将在寿光市建设年产5万吨新材料项目。\n";

fn node_sources(g: &serde_json::Value) -> Vec<(String, String)> {
    g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap().to_string(), n["source"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn discovered_names_join_the_graph_marked_as_such() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), TEXT).unwrap();
    let out = guanxi(&["build", "--no-model", "a.txt", "--discover", "-o", "g.json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let g = json(&dir.path().join("g.json"));
    let nodes = node_sources(&g);
    for name in ["潍坊星河精工机械有限公司", "张大伟", "年产5万吨新材料项目"] {
        assert!(nodes.contains(&(name.to_string(), "discovered".to_string())), "{name}: {nodes:?}");
    }
    assert!(nodes.contains(&("寿光市".to_string(), "dictionary".to_string())), "{nodes:?}");
    // They take part in the rules like dictionary entities.
    let typed = typed_edges(&g);
    assert!(typed.contains(&("张大伟".into(), "leads".into(), "潍坊星河精工机械有限公司".into())), "{typed:?}");
    assert!(typed.contains(&("年产5万吨新材料项目".into(), "located-in".into(), "寿光市".into())), "{typed:?}");

    // Discovery is the default; --no-discover gives a dictionary-only graph.
    let out = guanxi(&["build", "--no-model", "a.txt", "-o", "d.json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(node_sources(&json(&dir.path().join("d.json"))), nodes);
    let out = guanxi(&["build", "--no-model", "a.txt", "--no-discover", "-o", "d.json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let nodes = node_sources(&json(&dir.path().join("d.json")));
    assert!(nodes.iter().all(|(_, s)| s == "dictionary"), "{nodes:?}");
}

#[test]
fn explain_says_why_a_name_was_discovered_and_eval_scores_entities() {
    let dir = tempfile::tempdir().unwrap();
    let out = guanxi(&["explain", "--no-model", "--discover", "--text", TEXT], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("mention  张大伟 (official) [15..18]: kept, discovered (a surname-led name after a post, or in the list of names after it)"),
        "{text}"
    );
    assert!(
        text.contains("潍坊 → 潍坊市 (district) [0..2]: rejected, overlap: inside '潍坊星河精工机械有限公司'"),
        "{text}"
    );

    std::fs::write(dir.path().join("a.txt"), TEXT).unwrap();
    // The gold lists three entities: discovery finds two of them and the dictionary the third, while
    // 年产5万吨新材料项目 is not listed: 3 true positives, 1 false positive, no miss.
    std::fs::write(
        dir.path().join("g.jsonl"),
        r#"{"doc": "a.txt", "entities": [{"name": "潍坊星河精工机械有限公司", "type": "company"}, {"name": "张大伟", "type": "official"}, {"name": "寿光", "type": "district", "aliases": ["寿光市"]}], "relations": [{"head": "张大伟", "relation": "leads", "tail": "潍坊星河精工机械有限公司"}]}"#,
    )
    .unwrap();
    let out = guanxi(&["eval", "--no-model", "--discover", "--gold", "g.jsonl", "a.txt"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("(entities)        3    1    0     0.750   1.000   0.857"), "{text}");
    assert!(text.contains("leads             1    0    0     1.000   1.000   1.000"), "{text}");
}

#[test]
fn a_stop_list_blocks_a_name_everywhere_and_a_misspelled_type_warns() {
    let dir = tempfile::tempdir().unwrap();
    // 江南 is a built-in official's name, but in many corpora mostly the region: a stop list blocks it.
    std::fs::write(dir.path().join("region.txt"), "江南\n").unwrap();
    let text = "来自江南的客商参观了江南大学。";
    let out = guanxi(&["explain", "--no-model", "--text", text], dir.path());
    assert!(String::from_utf8_lossy(&out.stdout).contains("mention  江南 (official)"));
    let out = guanxi(&["explain", "--no-model", "--stop", "region.txt", "--text", text], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    // A user's stop list blocks an alias of the built-in dictionaries; the run says what each line removed.
    std::fs::write(dir.path().join("stop.txt"), "# mine\n奎文\n不存在的词\n").unwrap();
    let out =
        guanxi(&["explain", "--no-model", "--stop", "stop.txt", "--text", "青啤数字化工厂落户奎文。"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("奎文区"), "{text}");
    let err = stderr(&out);
    assert!(err.contains("stop '奎文': 1 dictionary forms, 0 discovered mentions removed"), "{err}");
    assert!(err.contains("stop '不存在的词': 0 dictionary forms, 0 discovered mentions removed"), "{err}");
    // A type one edit away from a built-in type is probably a typo.
    std::fs::write(dir.path().join("d.csv"), "name,type,aliases\n星河精工,compnay,\n").unwrap();
    let out = guanxi(&["explain", "--no-model", "--dict", "d.csv", "--text", "星河精工开业。"], dir.path());
    assert!(
        stderr(&out).contains("d.csv:2:2: type 'compnay' is not a built-in type; did you mean 'company'?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn common_word_aliases_of_a_users_dictionary_get_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "园区建设提速。\n").unwrap();
    std::fs::write(
        dir.path().join("mine.csv"),
        "name,type,aliases,weak_aliases\n星河产业园,park,园区,\n河湾产业园,park,,新区\n",
    )
    .unwrap();
    let out = guanxi(&["build", "--no-model", "a.txt", "--dict", "mine.csv", "-o", "g.json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    // The regular alias is warned about, with its file and line; the weak one is not.
    assert!(err.contains("mine.csv:2: alias '园区' of 星河产业园 is a common word"), "{err}");
    assert!(err.contains("weak_aliases"), "{err}");
    assert!(!err.contains("河湾产业园"), "{err}");
}

#[test]
fn leaders_lists_clause_subjects_project_lists_and_other_cities() {
    // Sentences written for this test; the names are invented.
    let table: &[(&str, &[&str], &[&str])] = &[
        // A list of leaders after a post, and the subject of 主持.
        ("市领导王大明、李小红、张国庆出席活动。刘晓波主持仪式。", &["王大明", "李小红", "张国庆", "刘晓波"], &[]),
        // The items of a list closed by 等…个项目; a count is no item.
        (
            "星光模具制造、蓝海冷链物流、远航智能装备等3个项目集中开工。",
            &["星光模具制造", "蓝海冷链物流", "远航智能装备"],
            &["3个项目"],
        ),
        // A company before its project: two entities, the project starting at 年产.
        (
            "山东远航橡胶科技有限公司年产100万套轮胎项目开工。",
            &["山东远航橡胶科技有限公司", "年产100万套轮胎项目"],
            &[],
        ),
        // A list closed by a count alone (no 等), after the place the projects settle in.
        (
            "落户东湖镇工业园的金桥机械加工、银河冷链物流三个项目进展顺利。",
            &["金桥机械加工", "银河冷链物流"],
            &["三个项目"],
        ),
        // A name the segmenter splits before its last character; an adverb after a name is not part of it.
        ("公司副总经理王周刚介绍了进展。董事长王明也表示支持。", &["王周刚", "王明"], &["王周", "王明也"]),
        // A rarer surname after a post.
        ("县委副书记窦文波参加。", &["窦文波"], &[]),
        // A park's project, the park and the name after a place: one entity.
        (
            "星湖新材料产业园项目开工。高密市星湖新材料产业园占地300亩。",
            &["星湖新材料产业园项目"],
            &["高密市星湖新材料产业园"],
        ),
        // Another city's zone is not Weifang's 高新区.
        ("泰安高新区新签约项目12个。", &["泰安高新区"], &["潍坊高新技术产业开发区"]),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (text, want, not) in table {
        std::fs::write(dir.path().join("a.txt"), format!("{text}\n")).unwrap();
        let out = guanxi(&["build", "--no-model", "a.txt", "--discover", "-o", "g.json"], dir.path());
        assert!(out.status.success(), "{}", stderr(&out));
        let nodes: Vec<String> = node_sources(&json(&dir.path().join("g.json"))).into_iter().map(|n| n.0).collect();
        for name in *want {
            assert!(nodes.contains(&name.to_string()), "{text}: {name} missing from {nodes:?}");
        }
        for name in *not {
            assert!(!nodes.contains(&name.to_string()), "{text}: {name} should not be in {nodes:?}");
        }
    }
}

#[test]
fn discovered_projects_lie_in_the_county_an_article_is_about() {
    // Articles written for this test; the projects are invented. (text, edges wanted, edges not wanted)
    type Edge<'a> = (&'a str, &'a str, &'a str);
    let table: &[(&str, &[Edge], &[Edge])] = &[
        // An article about a county lists a project under way there without saying where in its sentence.
        (
            "临朐县重点项目建设提速\n临朐县今年开工项目42个。宏达化工年产5万吨环保树脂项目主体已完工。\n",
            &[("年产5万吨环保树脂项目", "located-in", "临朐县"), ("宏达化工", "invests-in", "年产5万吨环保树脂项目")],
            &[],
        ),
        // A city's article lists what its districts build: not placed in the whole city.
        (
            "潍坊市重点项目建设提速\n潍坊市今年开工项目42个。年产5万吨环保树脂项目主体已完工。\n",
            &[],
            &[("年产5万吨环保树脂项目", "located-in", "潍坊市")],
        ),
        // A park named after another place lies there, not in the article's county.
        (
            "临朐县赴外地学习\n临朐县企业家一行参观了深圳智能装备产业园,学习园区运营经验。\n",
            &[],
            &[("深圳智能装备产业园", "located-in", "临朐县")],
        ),
        // A discovered zone named most often is not thereby the article's place (the article is about its district).
        (
            "王大明调研重点项目建设情况\n区长王大明调研项目,鲁北化工区党工委书记李小红陪同。王大明先后到宏达化工年产5万吨环保树脂项目、鲁北化工区北部污水处理厂项目调研。\n",
            &[("宏达化工", "invests-in", "年产5万吨环保树脂项目")],
            &[("年产5万吨环保树脂项目", "located-in", "鲁北化工区")],
        ),
        // Only signed, not settled: not yet the county's.
        (
            "临朐县举行推介会\n临朐县推介会上,年产8万吨再生铝项目成功签约。\n",
            &[],
            &[("年产8万吨再生铝项目", "located-in", "临朐县")],
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (text, want, not) in table {
        std::fs::write(dir.path().join("a.txt"), text).unwrap();
        let out = guanxi(&["build", "--no-model", "a.txt", "-o", "g.json"], dir.path());
        assert!(out.status.success(), "{}", stderr(&out));
        let typed = typed_edges(&json(&dir.path().join("g.json")));
        for (h, r, t) in *want {
            assert!(
                typed.contains(&(h.to_string(), r.to_string(), t.to_string())),
                "{text}: {h} {r} {t} missing from {typed:?}"
            );
        }
        for (h, r, t) in *not {
            assert!(
                !typed.contains(&(h.to_string(), r.to_string(), t.to_string())),
                "{text}: {h} {r} {t} in {typed:?}"
            );
        }
    }
}

#[test]
fn the_trained_tagger_keeps_cue_names_as_discovered_with_a_confidence() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), TEXT).unwrap();
    let out = guanxi(&["build", "a.txt", "-o", "g.json"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let g = json(&dir.path().join("g.json"));
    let nodes = node_sources(&g);
    for name in ["潍坊星河精工机械有限公司", "张大伟", "年产5万吨新材料项目"] {
        assert!(nodes.contains(&(name.to_string(), "discovered".to_string())), "{name}: {nodes:?}");
        let node = g["nodes"].as_array().unwrap().iter().find(|n| n["id"] == name).unwrap();
        let c = node["confidence"].as_f64().unwrap_or_else(|| panic!("{name} has no confidence: {node}"));
        assert!(c > 0.0 && c <= 1.0, "{name}: {c}");
    }
    assert!(nodes.contains(&("寿光市".to_string(), "dictionary".to_string())), "{nodes:?}");
    let typed = typed_edges(&g);
    assert!(typed.contains(&("张大伟".into(), "leads".into(), "潍坊星河精工机械有限公司".into())), "{typed:?}");
}

/// A stop list removes discovered names too, exactly or by pattern, and the run counts what each line removed.
#[test]
fn a_stop_list_removes_discovered_names_exactly_or_by_pattern() {
    let dir = tempfile::tempdir().unwrap();
    let text = "潍坊星河精工机械有限公司董事长张大伟表示,公司将在寿光市建设城市更新示范项目。蓝海冷链物流有限公司落户寿光市。\n";
    std::fs::write(dir.path().join("a.txt"), text).unwrap();
    std::fs::write(dir.path().join("stop.txt"), "潍坊星河精工机械有限公司\n城市更新*\n**\n").unwrap();
    for model in [&["--no-model"][..], &[][..]] {
        let mut args = vec!["build", "a.txt", "-o", "g.json"];
        args.extend(model);
        let out = guanxi(&args, dir.path());
        assert!(out.status.success(), "{}", stderr(&out));
        let before = node_sources(&json(&dir.path().join("g.json")));
        args.extend(["--stop", "stop.txt"]);
        let out = guanxi(&args, dir.path());
        assert!(out.status.success(), "{}", stderr(&out));
        let after = node_sources(&json(&dir.path().join("g.json")));
        let names = |n: &[(String, String)]| n.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert!(names(&before).contains(&"潍坊星河精工机械有限公司".to_string()), "{model:?}: {before:?}");
        let stopped = |n: &String| n == "潍坊星河精工机械有限公司" || n.starts_with("城市更新");
        assert!(!names(&after).iter().any(stopped), "{model:?}: {after:?}");
        assert!(names(&after).contains(&"蓝海冷链物流有限公司".to_string()), "{model:?}: {after:?}");
        let err = stderr(&out);
        let want = "stop '潍坊星河精工机械有限公司': 0 dictionary forms, 1 discovered mentions removed";
        assert!(err.contains(want), "{model:?}: {err}");
        // A line of stars alone would stop every name: it is ignored with a warning.
        assert!(err.contains("stop.txt: stop list line '**' would stop every name; ignored"), "{err}");
        assert!(names(&after).contains(&"寿光市".to_string()), "{model:?}: {after:?}");
    }
}
