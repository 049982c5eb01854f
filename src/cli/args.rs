//! The argument groups several commands share: how inputs are read ([`InputArgs`]), which dictionaries and rules
//! are used ([`DictArgs`]), the graph a query reads ([`GraphArg`]), which edges it follows ([`FilterArgs`],
//! [`DateArgs`], [`ConfidenceArg`]) and the neighbourhood of an entity ([`AroundArgs`]). Each turns into the
//! library's settings here.

use std::path::PathBuf;

use clap::Args;

use guanxi::read::input;
use guanxi::Options;

#[derive(Args)]
pub struct InputArgs {
    /// Read every input in this encoding (utf-8, gbk, gb18030, utf-16le, big5 …) instead of detecting it.
    #[arg(long, value_name = "NAME")]
    encoding: Option<String>,
    /// What standard input holds [default: txt; jsonl for extract].
    #[arg(long, value_enum, value_name = "KIND")]
    stdin_format: Option<StdinFormat>,
    /// Follow symbolic links inside input directories (skipped with a warning otherwise).
    #[arg(long)]
    pub follow: bool,
    /// The largest text or HTML file, and JSON Lines record, that is read, in MiB; a larger one is skipped.
    #[arg(long, value_name = "MIB", default_value_t = 512, value_parser = clap::value_parser!(u64).range(1..=1 << 20))]
    max_file_size: u64,
    /// The place the inputs are about (a district in the dictionaries, e.g. 江华瑶族自治县), meant where a document says
    /// 我县 / 全区 / 本市 of its own level; a JSON Lines record's `place` field does the same for one document.
    #[arg(long, value_name = "NAME")]
    place: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum StdinFormat {
    Txt,
    Jsonl,
    Html,
}

impl InputArgs {
    /// Checks that `--place` names a district the dictionaries hold: an unknown place is an error, not a silent
    /// no-op.
    pub fn check_place(&self, dict: &guanxi::dict::Dictionary) -> anyhow::Result<()> {
        let Some(place) = &self.place else { return Ok(()) };
        match dict.lookup(place) {
            Some(e) if dict.entity(e).kind == "district" => Ok(()),
            Some(e) => {
                anyhow::bail!("--place {place}: {} is a {}, not a district", dict.entity(e).name, dict.entity(e).kind)
            }
            None => anyhow::bail!("--place {place}: no district of that name in the dictionaries (add it with --dict)"),
        }
    }

    pub fn options(&self) -> anyhow::Result<input::ReadOptions> {
        self.options_or(StdinFormat::Txt)
    }

    /// The read options, standard input holding `default` unless `--stdin-format` says otherwise.
    pub fn options_or(&self, default: StdinFormat) -> anyhow::Result<input::ReadOptions> {
        let encoding = match &self.encoding {
            None => None,
            Some(label) => Some(
                encoding_rs::Encoding::for_label(label.trim().as_bytes())
                    .ok_or_else(|| anyhow::anyhow!("unknown encoding '{label}'"))?,
            ),
        };
        let stdin_kind = match self.stdin_format.unwrap_or(default) {
            StdinFormat::Txt => input::Kind::Text,
            StdinFormat::Jsonl => input::Kind::JsonLines,
            StdinFormat::Html => input::Kind::Html,
        };
        Ok(input::ReadOptions { encoding, stdin_kind, max_bytes: self.max_file_size << 20, place: self.place.clone() })
    }
}

#[derive(Args)]
pub struct GraphArg {
    /// The graph, as written by `guanxi build -o graph.json`.
    #[arg(short = 'g', long = "graph", value_name = "GRAPH.json")]
    pub graph: PathBuf,
}

#[derive(Args)]
pub struct FilterArgs {
    /// Follow only edges of this relation (repeatable).
    #[arg(long = "relation", value_name = "R")]
    pub relations: Vec<String>,
    /// Follow only edges leaving (out) or entering (in) an entity; undirected co-occurrence always counts.
    #[arg(long, value_enum, default_value = "both")]
    direction: DirectionArg,
    /// Follow only edges of at least this weight.
    #[arg(long, value_name = "W", default_value_t = 0)]
    min_weight: u64,
    #[command(flatten)]
    confidence: ConfidenceArg,
    #[command(flatten)]
    dates: DateArgs,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum DirectionArg {
    Out,
    In,
    Both,
}

impl FilterArgs {
    pub fn filter(&self) -> anyhow::Result<guanxi::query::EdgeFilter> {
        use guanxi::query::Direction;
        let direction = match self.direction {
            DirectionArg::Out => Direction::Out,
            DirectionArg::In => Direction::In,
            DirectionArg::Both => Direction::Both,
        };
        Ok(guanxi::query::EdgeFilter {
            relations: self.relations.clone(),
            direction: Some(direction),
            min_weight: self.min_weight,
            dates: self.dates.range()?,
            min_confidence: self.confidence.min_confidence,
        })
    }
}

/// `--within PLACE`: only what lies under a place.
#[derive(Args)]
pub struct WithinArg {
    /// Keep only the place and what is located under it, through chains of located-in edges (with a graph built with
    /// --hierarchy, a city's counties and all they hold).
    #[arg(long, value_name = "PLACE")]
    pub within: Option<String>,
}

impl WithinArg {
    /// The nodes under the place, if one was given; an unknown place is an error, with suggestions.
    pub fn nodes(
        &self,
        index: &guanxi::query::Index,
    ) -> anyhow::Result<Option<std::collections::BTreeSet<petgraph::graph::NodeIndex>>> {
        let Some(place) = &self.within else { return Ok(None) };
        match index.resolve(place) {
            Ok(n) => Ok(Some(guanxi::query::within(index.graph(), n))),
            Err(close) if close.is_empty() => anyhow::bail!("--within {place}: unknown entity"),
            Err(close) => anyhow::bail!("--within {place}: unknown entity; did you mean {}?", close.join(", ")),
        }
    }
}

/// The least confidence of the edges that count.
#[derive(Args)]
pub struct ConfidenceArg {
    /// Only edges of at least this confidence, 0 to 1: left out of the -o outputs below it (build, merge), not
    /// followed below it (queries). Edges without a confidence (co-occurrence, rule-only builds) always count.
    // A negative number is taken as the value, so that it is refused as one, not mistaken for a flag.
    #[arg(long, value_name = "X", allow_negative_numbers = true, value_parser = guanxi::model::Confidence::threshold)]
    pub min_confidence: Option<guanxi::model::Confidence>,
}

/// An entity and the neighbourhood around it: what `neighbors` lists and `subgraph` exports.
#[derive(Args)]
pub struct AroundArgs {
    /// The entity: canonical name or any alias.
    pub entity: String,
    #[command(flatten)]
    pub graph: GraphArg,
    /// How many hops to go (1 to 10).
    #[arg(long, default_value_t = 1, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=10))]
    pub depth: usize,
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// A date range: only what is dated within it counts.
#[derive(Args)]
pub struct DateArgs {
    /// Only documents (build) or edges and evidence (queries) dated on or after this day: 2024, 2024-06 or
    /// 2024-06-30.
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Only documents (build) or edges and evidence (queries) dated on or before this day: 2024, 2024-06 or
    /// 2024-06-30.
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
}

impl DateArgs {
    pub fn range(&self) -> anyhow::Result<guanxi::read::dates::Range> {
        guanxi::read::dates::Range::parse(self.since.as_deref(), self.until.as_deref()).map_err(anyhow::Error::msg)
    }
}

#[derive(Args)]
pub struct DictArgs {
    /// A dictionary CSV file or a directory of them (repeatable); added to the built-in dictionaries.
    #[arg(long = "dict", value_name = "PATH")]
    dicts: Vec<PathBuf>,
    /// Leave the built-in dictionaries out.
    #[arg(long)]
    no_default_dict: bool,
    /// A rules file (TOML) added to the built-in rules; a rule with the name of a built-in one replaces it.
    #[arg(long, value_name = "FILE")]
    rules: Option<PathBuf>,
    /// Leave the built-in rules out: only the --rules file counts.
    #[arg(long, requires = "rules")]
    no_default_rules: bool,
    /// Discover names the dictionaries do not list (companies, officials, parks and projects found by Chinese
    /// patterns): the default; the flag is accepted for clarity.
    #[arg(long, conflicts_with = "no_discover")]
    discover: bool,
    /// Dictionary-only graphs: no discovery of unlisted names (faster, and only names you curated).
    #[arg(long)]
    no_discover: bool,
    /// A stop list (repeatable): names or aliases, one per line, never looked for, in addition to the built-in
    /// dictionaries/stop.txt.
    #[arg(long, value_name = "FILE")]
    stop: Vec<PathBuf>,
    /// The trained model to read documents with (a folder written by `guanxi train`) instead of the built-in one.
    #[arg(long, value_name = "DIR", conflicts_with = "no_model")]
    model: Option<PathBuf>,
    /// No trained model: discovery's names and the rules' relations as they are (today's rule-only extraction,
    /// for comparison).
    #[arg(long)]
    no_model: bool,
}

impl DictArgs {
    pub fn options(&self) -> Options {
        Options {
            dicts: self.dicts.clone(),
            no_default_dict: self.no_default_dict,
            rules: self.rules.clone(),
            no_default_rules: self.no_default_rules,
            discover: !self.no_discover,
            stop: self.stop.clone(),
            model: match (&self.model, self.no_model) {
                (_, true) => guanxi::pipeline::ModelChoice::None,
                (Some(dir), false) => guanxi::pipeline::ModelChoice::Dir(dir.clone()),
                (None, false) => guanxi::pipeline::ModelChoice::Builtin,
            },
        }
    }
}

/// A long option written with one dash (`-out g.html`, which clap would read as `-o ut`): the message that says
/// how to write it, if any argument before `--` is one.
pub fn single_dash_long(args: impl Iterator<Item = std::ffi::OsString>) -> Option<String> {
    for arg in args.skip(1) {
        let Some(arg) = arg.to_str() else { continue };
        if arg == "--" {
            break;
        }
        let word = arg.split('=').next().unwrap_or(arg);
        if ["-out", "-output"].contains(&word) {
            return Some(format!("'{arg}' would read as -o {}; write -o FILE or --output FILE", &arg[2..]));
        }
    }
    None
}

#[cfg(test)]
mod single_dash_tests {
    use super::single_dash_long;

    #[test]
    fn one_dash_before_a_long_name_is_caught() {
        let table: &[(&[&str], bool)] = &[
            (&["guanxi", "build", "a", "-out", "g.html"], true),
            (&["guanxi", "build", "a", "-output=g.html"], true),
            (&["guanxi", "build", "a", "-o", "out.html"], false),
            (&["guanxi", "build", "a", "--output", "g.html"], false),
            (&["guanxi", "build", "--", "-out"], false),
        ];
        for (args, caught) in table {
            let got = single_dash_long(args.iter().map(|a| a.into()));
            assert_eq!(got.is_some(), *caught, "{args:?}: {got:?}");
        }
    }
}
