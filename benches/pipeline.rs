//! The pipeline benchmark: `cargo bench --bench pipeline`.
//!
//! With a fixed seed it generates a 100,000-entry dictionary of realistic names and a corpus of news-style
//! sentences (`GUANXI_BENCH_MB` megabytes, default 200) under `target/bench-data/`. Two corpora
//! (`GUANXI_BENCH_CORPUS`):
//! - `zipf` (the default), like real news: each mention drawn with a Zipf law (exponent 1.0) over its type's names,
//!   so a few hundred entities take most mentions; sentences from templates with the constructions the rules
//!   handle, and companies no dictionary lists in constructions discovery handles;
//! - `uniform`, the stress test for flat memory: mentions drawn uniformly, so almost every pair is new.
//!
//! One run measures, and prints in the same table for both: dictionary load; the raw aho-corasick crate scan and
//! the raw daachorse scan (the matching ceiling); guanxi's matcher alone; `guanxi extract -j1` to /dev/null;
//! `guanxi build` to JSON with one thread and with all cores (and whether their outputs are byte-identical); `build`
//! to every format; `build -j1 --no-discover`; a query; and the peer, `benches/peer.py` (the Python pipeline a user
//! would write instead: pyahocorasick, a jieba word-boundary check on each hit, co-occurrence, networkx GraphML),
//! run in a virtual environment the benchmark makes under `target/bench-data/` (`GUANXI_PEER_MB` limits it to the
//! corpus's first megabytes). Discovery is on in every figure but the one named so. Wall time, MB/s and peak RSS of
//! each command; the last lines are the ratios.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SEED: u64 = 20_241_122;
const ENTRIES: usize = 100_000;

/// splitmix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chars(&mut self, pool: &[char], n: usize) -> String {
        (0..n).map(|_| *self.pick(pool)).collect()
    }
}

const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔向汤";
const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志文斌辉鹏宇浩凯健俊帆帅旭宁龙林欣佳雪婷玉兰红梅琳晶颖倩慧峰波鑫东晓春";
const PLACE: &str =
    "青东西南北安宁和平兴华丰泰康临长新明阳山水河江湖海云龙凤金银石桥林泉源溪岭峰川原庄集店营坊城岗潍寿昌诸滨";
const BRAND: &str = "瑞祥鑫隆昌盛达通宏远恒信德利泰安嘉禾润邦正诚汇源创联众博立凯晟腾飞卓越美亿华天宇新星";
const INDUSTRY: &[&str] = &[
    "科技",
    "机械",
    "新材料",
    "电子",
    "生物",
    "化工",
    "食品",
    "物流",
    "能源",
    "医药",
    "纺织",
    "汽车",
    "智能",
    "环保",
    "农业",
    "装备",
];
const COMPANY_SUFFIX: &[&str] = &["有限公司", "股份有限公司", "集团有限公司"];
const PARK_SUFFIX: &[&str] = &["产业园", "科技园", "工业园", "智慧园", "产业基地", "创新港", "物流园", "孵化园"];
const DISTRICT_SUFFIX: &[&str] = &["区", "县", "市", "镇"];
const ORG_SUFFIX: &[&str] = &["商会", "协会", "管理局", "发展局", "促进会", "研究院"];
const POSTS: &[&str] = &["区委书记", "区长", "党工委书记", "县长", "市长", "副市长"];
const PRODUCTS: &[&str] = &["汽车零部件", "新型薄膜", "智能装备", "生物医药", "精细化工", "电子元件", "高端面料"];
const FILLERS: &[&str] = &[
    "今年以来，全区经济运行稳中有进，主要经济指标保持较快增长。",
    "项目建成后，预计年产值可达{n}亿元，带动就业{n}人。",
    "下一步，将持续优化营商环境，加快推进重点项目建设，推动经济高质量发展。",
    "据了解，一季度全区完成固定资产投资{n}亿元，同比增长{n}%。",
    "会议强调，要坚持稳中求进工作总基调，扎实做好各项工作。",
    "截至目前，已有{n}个项目完成备案，{n}个项目进入施工阶段。",
    "与会人员实地观摩了生产车间，详细了解企业生产经营和项目推进情况。",
    "围绕主导产业，强化链式招商，全力以赴拼经济、抓发展、促转型。",
];

/// Draws ranks 0..n with a Zipf law: rank k with a probability proportional to 1 / (k + 1)^exponent.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, exponent: f64) -> Self {
        let mut total = 0.0;
        let cumulative = (1..=n)
            .map(|k| {
                total += 1.0 / (k as f64).powf(exponent);
                total
            })
            .collect();
        Zipf { cumulative }
    }

    fn draw(&self, rng: &mut Rng) -> usize {
        let total = *self.cumulative.last().unwrap_or(&1.0);
        let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        self.cumulative.partition_point(|&c| c < u).min(self.cumulative.len() - 1)
    }
}

/// Which corpus the benchmark runs on (`GUANXI_BENCH_CORPUS`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Like real news: mentions drawn with a Zipf law (exponent 1.0) over each type's names, so a few hundred
    /// entities take most of them; some sentences name companies no dictionary lists, for discovery.
    Zipf,
    /// The stress test for flat memory: mentions drawn uniformly, so almost every pair is new.
    Uniform,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Zipf => "zipf",
            Kind::Uniform => "uniform",
        }
    }
}

/// How mentions are drawn from the names.
struct Draw {
    kind: Kind,
    district: Zipf,
    park: Zipf,
    company: Zipf,
    official: Zipf,
    org: Zipf,
    unlisted: Zipf,
}

impl Draw {
    fn new(kind: Kind, names: &Names) -> Self {
        let z = |n: usize| Zipf::new(n.max(1), 1.0);
        Draw {
            kind,
            district: z(names.districts.len()),
            park: z(names.parks.len()),
            company: z(names.companies.len()),
            official: z(names.officials.len()),
            org: z(names.orgs.len()),
            unlisted: z(names.unlisted.len()),
        }
    }

    fn pick<'a, T>(&self, rng: &mut Rng, items: &'a [T], zipf: &Zipf) -> &'a T {
        match self.kind {
            Kind::Uniform => rng.pick(items),
            Kind::Zipf => &items[zipf.draw(rng)],
        }
    }
}

struct Names {
    districts: Vec<String>,
    parks: Vec<String>,
    companies: Vec<(String, String)>,
    officials: Vec<String>,
    orgs: Vec<String>,
    /// Companies in no dictionary (for discovery), in the Zipf corpus only.
    unlisted: Vec<String>,
}

fn generate_names(rng: &mut Rng) -> Names {
    let (surname, given, place, brand): (Vec<char>, Vec<char>, Vec<char>, Vec<char>) =
        (SURNAMES.chars().collect(), GIVEN.chars().collect(), PLACE.chars().collect(), BRAND.chars().collect());
    let mut used: HashSet<String> = HashSet::new();
    let mut unique = |make: &mut dyn FnMut(&mut Rng) -> String, rng: &mut Rng, n: usize| -> Vec<String> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let name = make(rng);
            if used.insert(name.clone()) {
                out.push(name);
            }
        }
        out
    };
    let districts = unique(&mut |r| format!("{}{}", r.chars(&place, 2), r.pick(DISTRICT_SUFFIX)), rng, 3_000);
    let parks = unique(
        &mut |r| {
            let k = 1 + r.below(2);
            format!("{}{}{}", r.chars(&place, 2), r.chars(&brand, k), r.pick(PARK_SUFFIX))
        },
        rng,
        12_000,
    );
    let officials = unique(
        &mut |r| {
            let k = 1 + r.below(2);
            format!("{}{}", r.pick(&surname), r.chars(&given, k))
        },
        rng,
        20_000,
    );
    let orgs = unique(&mut |r| format!("{}{}{}", r.chars(&place, 2), r.pick(INDUSTRY), r.pick(ORG_SUFFIX)), rng, 5_000);
    let company_names = unique(
        &mut |r| format!("{}{}{}{}", r.chars(&place, 2), r.chars(&brand, 2), r.pick(INDUSTRY), r.pick(COMPANY_SUFFIX)),
        rng,
        ENTRIES - 3_000 - 12_000 - 20_000 - 5_000,
    );
    // Names in the style of the companies but left out of the dictionary: what discovery finds. Drawn with a
    // generator of their own, so that the uniform corpus stays what it was.
    let unlisted = unique(
        &mut |r| format!("{}{}{}{}", r.chars(&place, 2), r.chars(&brand, 2), r.pick(INDUSTRY), r.pick(COMPANY_SUFFIX)),
        &mut Rng(SEED ^ 0x5eed),
        5_000,
    );
    let mut companies = Vec::with_capacity(company_names.len());
    for name in company_names {
        // The short form: brand + industry (青东瑞祥科技有限公司 → 瑞祥科技), when no other entity has it.
        let short: String = name.chars().skip(2).take_while(|c| !"有股集".contains(*c)).collect();
        let alias = if used.insert(short.clone()) { short } else { String::new() };
        companies.push((name, alias));
    }
    Names { districts, parks, companies, officials, orgs, unlisted }
}

fn write_dictionary(names: &Names, path: &Path) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(w, "name,type,aliases")?;
    for d in &names.districts {
        writeln!(w, "{d},district,")?;
    }
    for p in &names.parks {
        writeln!(w, "{p},park,")?;
    }
    for (c, a) in &names.companies {
        writeln!(w, "{c},company,{a}")?;
    }
    for o in &names.officials {
        writeln!(w, "{o},official,")?;
    }
    for o in &names.orgs {
        writeln!(w, "{o},organization,")?;
    }
    w.flush()
}

/// One sentence: a fifth are built from templates naming entities in the constructions the rules extract, the rest
/// are filler news prose, which gives about one mention per 50 characters. The Zipf corpus also names unlisted
/// companies in constructions discovery handles (a quarter of the templated sentences); the uniform corpus is the
/// benchmark's earlier corpus, unchanged.
fn sentence(rng: &mut Rng, names: &Names, draw: &Draw, out: &mut String) {
    let n = |r: &mut Rng| 1 + r.below(99);
    let c = |r: &mut Rng| {
        let (name, alias) = draw.pick(r, &names.companies, &draw.company);
        if !alias.is_empty() && r.below(3) == 0 {
            alias.clone()
        } else {
            name.clone()
        }
    };
    if rng.below(5) != 0 {
        let filler = rng.pick(FILLERS).to_string();
        let mut s = filler.clone();
        while let Some(i) = s.find("{n}") {
            s.replace_range(i..i + 3, &n(rng).to_string());
        }
        out.push_str(&s);
        return;
    }
    let d = draw.pick(rng, &names.districts, &draw.district).clone();
    let k = draw.pick(rng, &names.parks, &draw.park).clone();
    let p = draw.pick(rng, &names.officials, &draw.official).clone();
    let o = draw.pick(rng, &names.orgs, &draw.org).clone();
    if draw.kind == Kind::Zipf && rng.below(4) == 0 {
        let u = draw.pick(rng, &names.unlisted, &draw.unlisted).clone();
        let _ = match rng.below(3) {
            0 => write!(out, "{u}落户{d}，总投资{}亿元。", n(rng)),
            1 => write!(out, "{u}总经理{p}介绍，企业主要生产{}。", rng.pick(PRODUCTS)),
            _ => write!(out, "{k}引进了{u}等{}个项目。", n(rng)),
        };
        return;
    }
    let _ = match rng.below(7) {
        0 => write!(out, "{}落户{d}，总投资{}亿元。", c(rng), n(rng)),
        1 => write!(out, "{d}{}{p}到{k}调研{}项目建设情况。", rng.pick(POSTS), c(rng)),
        2 => write!(out, "{}董事长{p}表示，公司将在{d}投资建设{k}。", c(rng)),
        3 => write!(out, "{k}集聚{}、{}等企业{}家。", c(rng), c(rng), n(rng)),
        4 => write!(out, "{}位于{k}，主要生产{}。", c(rng), rng.pick(PRODUCTS)),
        5 => write!(out, "{o}会长、{}总经理{p}出席会议。", c(rng)),
        _ => write!(out, "{}与{}签约合作，计划投资{}亿元。", c(rng), c(rng), n(rng)),
    };
}

/// Generates the dictionary and corpus unless a complete copy for this kind, size and seed exists.
fn generate(dir: &Path, kind: Kind, megabytes: usize) -> std::io::Result<()> {
    let done = dir.join("complete");
    if done.exists() {
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("corpus"))?;
    let mut rng = Rng(SEED);
    let names = generate_names(&mut rng);
    write_dictionary(&names, &dir.join("dictionary.csv"))?;
    let draw = Draw::new(kind, &names);
    let target = megabytes << 20;
    let mut written = 0;
    let mut doc = 0;
    let mut text = String::with_capacity(16 << 10);
    while written < target {
        text.clear();
        while text.len() < 12 << 10 {
            for _ in 0..4 {
                sentence(&mut rng, &names, &draw, &mut text);
            }
            text.push('\n');
        }
        std::fs::write(dir.join("corpus").join(format!("{doc:06}.txt")), &text)?;
        written += text.len();
        doc += 1;
    }
    std::fs::write(done, format!("{doc} documents, {written} bytes\n"))
}

fn mb(bytes: u64, d: Duration) -> f64 {
    bytes as f64 / (1 << 20) as f64 / d.as_secs_f64()
}

fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("corpus")).unwrap().flatten().map(|e| e.path()).collect();
    files.sort();
    files
}

/// The high-water mark of a running process's resident memory (`VmHWM` in /proc), in bytes.
fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse::<u64>().ok().map(|kb| kb * 1024)
}

/// Runs a command, returning its wall time and peak resident memory.
///
/// The peak is read from the child's own `VmHWM` while it runs. wait4's `ru_maxrss` would be wrong here: a child
/// started by vfork/posix_spawn takes the parent's memory high-water mark at exec, and this benchmark's process
/// has held the dictionary, the automaton and a corpus file by then. `ru_maxrss` is the fallback where /proc is
/// missing.
fn run_measured(cmd: &mut std::process::Command) -> (Duration, u64, bool) {
    use std::sync::atomic::{AtomicBool, Ordering};
    let started = Instant::now();
    // The child is reaped by wait4 below.
    #[allow(clippy::zombie_processes)]
    let child = cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::inherit()).spawn().expect("spawn");
    let done = std::sync::Arc::new(AtomicBool::new(false));
    let watcher = {
        let (done, id) = (done.clone(), child.id());
        std::thread::spawn(move || {
            let mut peak = None;
            while !done.load(Ordering::Relaxed) {
                if let Some(v) = vm_hwm(id) {
                    peak = Some(peak.map_or(v, |p: u64| p.max(v)));
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            peak
        })
    };
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our child; status and usage point to valid memory.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = started.elapsed();
    done.store(true, Ordering::Relaxed);
    let peak = watcher.join().ok().flatten().unwrap_or(usage.ru_maxrss as u64 * 1024);
    let ok = r == pid && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    (elapsed, peak, ok)
}

/// `guanxi build` of the benchmark corpus with its dictionary only, quiet, to `graph`.
fn build(exe: &str, dir: &std::path::Path, graph: &std::path::Path) -> std::process::Command {
    let mut command = std::process::Command::new(exe);
    command
        .arg("build")
        .arg(dir.join("corpus"))
        .args(["--no-default-dict", "--dict"])
        .arg(dir.join("dictionary.csv"))
        .arg("-o")
        .arg(graph)
        .arg("-q");
    command
}

/// The peer's Python: a virtual environment under `root` with pyahocorasick, jieba and networkx, made on first use.
/// `None` (with the reason printed) when it cannot be made.
fn peer_python(root: &Path) -> Option<PathBuf> {
    let venv = root.join("peer-venv");
    let python = venv.join("bin/python3");
    let ready = |p: &Path| {
        std::process::Command::new(p)
            .args(["-c", "import ahocorasick, jieba, networkx"])
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if ready(&python) {
        return Some(python);
    }
    let made = std::process::Command::new("python3").arg("-m").arg("venv").arg(&venv).status();
    if !made.is_ok_and(|s| s.success()) {
        println!("peer: skipped (python3 -m venv failed)");
        return None;
    }
    let pip = std::process::Command::new(&python)
        .args(["-m", "pip", "install", "--quiet", "pyahocorasick", "jieba", "networkx"])
        .status();
    if !pip.is_ok_and(|s| s.success()) || !ready(&python) {
        println!("peer: skipped (pip could not install pyahocorasick, jieba and networkx)");
        return None;
    }
    Some(python)
}

/// Times `count` (the matches of an automaton built in `build`) over every file, reading each; prints and returns
/// its MB/s.
fn raw_scan(name: &str, files: &[PathBuf], bytes: u64, build: Duration, count: &dyn Fn(&str) -> usize) -> f64 {
    let t = Instant::now();
    let mut matches = 0;
    for f in files {
        matches += count(&std::fs::read_to_string(f).unwrap());
    }
    let time = t.elapsed();
    let rate = mb(bytes, time);
    println!(
        "{name}: {:.2}s, {rate:.1} MB/s, {matches} matches (build {:.3}s)",
        time.as_secs_f64(),
        build.as_secs_f64()
    );
    rate
}

/// One measured command: its name, wall time, throughput and peak resident memory.
struct Measured {
    name: String,
    time: Duration,
    rate: f64,
    rss: u64,
}

impl Measured {
    fn print(&self, extra: &str) {
        println!(
            "{}: {:.2}s, {:.1} MB/s, peak RSS {:.0} MB{extra}",
            self.name,
            self.time.as_secs_f64(),
            self.rate,
            self.rss as f64 / (1 << 20) as f64
        );
    }
}

fn measure(name: &str, bytes: u64, cmd: &mut std::process::Command) -> Measured {
    let (time, rss, ok) = run_measured(cmd);
    assert!(ok, "{name} failed");
    Measured { name: name.to_string(), time, rate: mb(bytes, time), rss }
}

fn main() {
    let megabytes: usize = std::env::var("GUANXI_BENCH_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let kind = match std::env::var("GUANXI_BENCH_CORPUS").as_deref() {
        Ok("uniform") => Kind::Uniform,
        Ok("zipf") | Err(_) => Kind::Zipf,
        Ok(other) => panic!("GUANXI_BENCH_CORPUS is '{other}': use zipf (the default) or uniform"),
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let dir = root.join(format!("corpus-{}-{megabytes}mb-seed{SEED}", kind.name()));
    let started = Instant::now();
    generate(&dir, kind, megabytes).expect("generate the benchmark data");
    let files = corpus_files(&dir);
    let bytes: u64 = files.iter().map(|f| std::fs::metadata(f).map_or(0, |m| m.len())).sum();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("guanxi pipeline benchmark");
    println!(
        "corpus: {}, {} files, {:.1} MB, dictionary {} entries (prepared in {:.1}s)",
        kind.name(),
        files.len(),
        bytes as f64 / (1 << 20) as f64,
        ENTRIES,
        started.elapsed().as_secs_f64()
    );
    println!("cores: {cores}");

    // Dictionary load: CSV, merging, and the matcher (automaton and word segmenter).
    let t = Instant::now();
    let mut dict = guanxi::dict::Dictionary::empty();
    dict.load_path(&dir.join("dictionary.csv")).expect("dictionary");
    let csv_time = t.elapsed();
    let t = Instant::now();
    let matcher = guanxi::extract::mentions::Matcher::new(&dict).expect("matcher");
    let matcher_time = t.elapsed();
    let load = csv_time + matcher_time;
    println!(
        "dictionary load: {:.3}s ({} entries: csv {:.3}s, matcher {:.3}s)",
        load.as_secs_f64(),
        dict.len(),
        csv_time.as_secs_f64(),
        matcher_time.as_secs_f64()
    );

    // The matching ceiling: the raw aho-corasick crate scan (leftmost-longest, default automaton) and the raw
    // daachorse scan (character-wise double array, leftmost-longest), each reading every file.
    let patterns: Vec<&str> = dict.surfaces().map(|(s, _, _)| s).collect();
    let t = Instant::now();
    let ac = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(&patterns)
        .expect("automaton");
    let ac_rate = raw_scan("aho_corasick_scan", &files, bytes, t.elapsed(), &|text| ac.find_iter(text).count());
    drop(ac);
    let t = Instant::now();
    let da: daachorse::CharwiseDoubleArrayAhoCorasick<u32> = daachorse::CharwiseDoubleArrayAhoCorasickBuilder::new()
        .match_kind(daachorse::MatchKind::LeftmostLongest)
        .build(&patterns)
        .expect("daachorse automaton");
    let da_rate = raw_scan("daachorse_scan", &files, bytes, t.elapsed(), &|text| da.leftmost_find_iter(text).count());
    drop(da);

    // guanxi's matcher alone: normalisation, automaton, word boundaries.
    let t = Instant::now();
    let mut mentions = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let norm = guanxi::read::text::NormText::new(&text);
        mentions += matcher.find(&norm.text).len();
    }
    let matcher_scan = t.elapsed();
    let matcher_rate = mb(bytes, matcher_scan);
    println!(
        "guanxi_matcher: {:.2}s, {matcher_rate:.1} MB/s, {mentions} mentions ({:.2}x the raw scan)",
        matcher_scan.as_secs_f64(),
        matcher_rate / ac_rate
    );
    drop(matcher);
    drop(dict);

    // The command line, discovery on in every figure: extraction alone, then builds.
    let exe = env!("CARGO_BIN_EXE_guanxi");
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let mut extract = std::process::Command::new(exe);
    extract.arg("extract").arg(dir.join("corpus")).args(["--no-default-dict", "--dict"]);
    extract.arg(dir.join("dictionary.csv")).args(["-j", "1", "-q"]);
    let extract = measure("extract_1t", bytes, &mut extract);
    extract.print(" (results to /dev/null)");
    let mut builds = Vec::new();
    for threads in ["1", "0"] {
        let graph = out.join(format!("graph-j{threads}.json"));
        let name = if threads == "1" { "build_1t" } else { "build_all" };
        let m = measure(name, bytes, build(exe, &dir, &graph).args(["-j", threads]));
        let size = std::fs::metadata(&graph).map_or(0, |m| m.len()) as f64 / (1 << 20) as f64;
        m.print(&format!(", graph {size:.0} MB"));
        builds.push((m, graph));
    }
    let same = std::fs::read(&builds[0].1).ok() == std::fs::read(&builds[1].1).ok();
    println!("outputs of -j 1 and -j {cores} identical: {same}");
    let every = ["json", "graphml", "gexf", "dot", "html", "neo4j"];
    let mut all_formats = build(exe, &dir, &out.join("every.json"));
    for ext in &every[1..] {
        all_formats.arg("-o").arg(out.join(format!("every.{ext}")));
    }
    let all_formats = measure("build_all_formats", bytes, all_formats.args(["-j", "0"]));
    all_formats.print(&format!(" ({})", every.join(", ")));
    let graph = out.join("graph-j1-no-discover.json");
    let no_discover =
        measure("build_1t_no_discover", bytes, build(exe, &dir, &graph).args(["-j", "1", "--no-discover"]));
    no_discover.print("");
    let graph = out.join("graph-j1-no-model.json");
    let no_model = measure("build_1t_no_model", bytes, build(exe, &dir, &graph).args(["-j", "1", "--no-model"]));
    no_model.print(" (the rules alone)");

    // A query on the graph built, loading included.
    let first_company = std::fs::read_to_string(dir.join("dictionary.csv"))
        .unwrap()
        .lines()
        .find(|l| l.contains(",company,"))
        .and_then(|l| l.split(',').next().map(str::to_string))
        .unwrap();
    let (query, _, ok) =
        run_measured(std::process::Command::new(exe).args(["neighbors", &first_company, "-g"]).arg(&builds[0].1));
    println!("neighbors query ({first_company}): {:.3}s including loading (ok: {ok})", query.as_secs_f64());

    // The peer: the Python pipeline a user would write instead, on the same corpus (the first GUANXI_PEER_MB
    // megabytes of it, default all).
    let peer_mb: u64 = std::env::var("GUANXI_PEER_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(u64::MAX);
    let mut peer_files = Vec::new();
    let mut peer_bytes = 0;
    for f in &files {
        if peer_bytes >= peer_mb.saturating_mul(1 << 20) {
            break;
        }
        peer_bytes += std::fs::metadata(f).map_or(0, |m| m.len());
        peer_files.push(f.clone());
    }
    let peer = peer_python(&root).map(|python| {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/peer.py");
        let mut cmd = std::process::Command::new(python);
        cmd.arg(script).arg(dir.join("dictionary.csv")).arg(out.join("peer.graphml")).args(&peer_files);
        cmd.stdout(std::process::Stdio::piped());
        let t = Instant::now();
        let output = cmd.output().expect("run the peer");
        assert!(output.status.success(), "the peer failed");
        let line = String::from_utf8_lossy(&output.stdout).trim().to_string();
        println!(
            "{line} on {:.1} MB (wall {:.1}s with its load)",
            peer_bytes as f64 / (1 << 20) as f64,
            t.elapsed().as_secs_f64()
        );
        // Its own figure: scan, checks, graph and GraphML, without loading the dictionary.
        line.split(", ").nth(1).and_then(|r| r.trim_end_matches(" MB/s").parse::<f64>().ok()).unwrap_or(f64::NAN)
    });

    let build_1t = builds[0].0.rate;
    println!("ratios:");
    println!("guanxi_matcher/aho_corasick_scan = {:.2}", matcher_rate / ac_rate);
    println!("daachorse_scan/aho_corasick_scan = {:.2}", da_rate / ac_rate);
    println!("extract_1t/aho_corasick_scan = {:.2}", extract.rate / ac_rate);
    println!("build_1t/aho_corasick_scan = {:.2}", build_1t / ac_rate);
    if let Some(peer) = peer {
        println!("build_1t/peer = {:.1}", build_1t / peer);
    }
    println!("build_all/build_1t = {:.2}", builds[1].0.rate / build_1t);
    println!("build_1t/build_1t_no_discover = {:.2}", build_1t / no_discover.rate);
    println!("build_1t/build_1t_no_model = {:.2}", build_1t / no_model.rate);
    println!(
        "peak RSS (MB): extract {:.0}, build_1t {:.0}, build_all {:.0}, all formats {:.0}",
        extract.rss as f64 / (1 << 20) as f64,
        builds[0].0.rss as f64 / (1 << 20) as f64,
        builds[1].0.rss as f64 / (1 << 20) as f64,
        all_formats.rss as f64 / (1 << 20) as f64
    );
    println!("dictionary load = {:.3}s", load.as_secs_f64());
    println!("outputs of -j 1 and -j {cores} identical = {same}");
}
