//! A document's date, as an ISO date (`2024-02-28`): from the metadata it came with (JSON Lines `date`, an HTML
//! `<meta>` or `<time>`), else from a date in its first lines (2024-02-28, 2024/2/28, 2024年2月28日; or 2月28日 with
//! the year from a `2024年` elsewhere in the document). News datelines put the date at the top; a date further down
//! is more often an event's than the article's, so only the first lines are searched.

/// How far into a text a dateline is looked for, in characters.
const HEAD: usize = 300;

/// A year, month and day, if they make a date (years 1949 to 2099).
fn iso(year: u32, month: u32, day: u32) -> Option<String> {
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        _ => return None,
    };
    ((1949..2100).contains(&year) && (1..=days).contains(&day)).then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// The runs of ASCII or full-width digits in `text`, with what follows each: (value, digits, next character,
/// byte offset after the run).
fn numbers(text: &str) -> Vec<(u32, usize, Option<char>, usize)> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        let Some(first) = digit(c) else { continue };
        let (mut value, mut len) = (first, 1usize);
        let mut end = text.len();
        let mut next = None;
        while let Some(&(i, c)) = chars.peek() {
            match digit(c) {
                Some(d) if len < 9 => {
                    value = value * 10 + d;
                    len += 1;
                    chars.next();
                }
                _ => {
                    end = i;
                    next = Some(c);
                    break;
                }
            }
        }
        out.push((value, len, next, end));
    }
    out
}

fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// The first full date in `text`: year, month and day joined by `-`, `/`, `.` or 年 月 (日).
fn full_date(text: &str) -> Option<String> {
    // The separator must sit right between two numbers.
    let joined = |end: usize| text[end..].chars().nth(1).and_then(digit).is_some();
    numbers(text).windows(3).find_map(|w| {
        let ((y, ylen, ysep, yend), (m, mlen, msep, mend), (d, dlen, _, _)) = (w[0], w[1], w[2]);
        let separators =
            matches!((ysep, msep), (Some('年'), Some('月'))) || (ysep == msep && matches!(ysep, Some('-' | '/' | '.')));
        (ylen == 4 && mlen <= 2 && dlen <= 2 && separators && joined(yend) && joined(mend))
            .then(|| iso(y, m, d))
            .flatten()
    })
}

/// The first 月日 date in `text` without a year: (month, day).
fn month_day(text: &str) -> Option<(u32, u32)> {
    numbers(text).windows(2).find_map(|w| {
        let [(m, mlen, msep, mend), (d, dlen, dsep, _)] = [w[0], w[1]];
        let adjacent = text[mend..].chars().nth(1).and_then(digit).is_some();
        (mlen <= 2 && dlen <= 2 && msep == Some('月') && dsep == Some('日') && adjacent).then_some((m, d))
    })
}

/// The first `2024年` in `text` that is not part of a full date: the year a 月日 date belongs to.
fn year_of(text: &str) -> Option<u32> {
    numbers(text)
        .into_iter()
        .find(|&(y, len, sep, _)| len == 4 && sep == Some('年') && (1949..2100).contains(&y))
        .map(|n| n.0)
}

/// A date given with a document (`2024-02-28`, `2024-02-28T08:00:00+08:00`, `2024/2/28`, `2024年2月28日`), as an
/// ISO date.
pub fn normalize(given: &str) -> Option<String> {
    full_date(given.trim())
}

/// The date of a document: `given` (its metadata's) if that reads as a date, else the first full date in its first
/// lines, else a 月日 date there with the year the document names first.
pub fn document_date(text: &str, given: Option<&str>) -> Option<String> {
    if let Some(date) = given.and_then(normalize) {
        return Some(date);
    }
    let head_end = text.char_indices().nth(HEAD).map_or(text.len(), |(i, _)| i);
    let head = &text[..head_end];
    if let Some(date) = full_date(head) {
        return Some(date);
    }
    let (month, day) = month_day(head)?;
    iso(year_of(text)?, month, day)
}

/// A date as a number that sorts like the date (`20240228`): what evidence and edges carry, 4 bytes each. It reads
/// and writes as an ISO date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(u32);

impl Date {
    /// An ISO date (`2024-02-28`) or any form [`normalize`] reads.
    pub fn parse(given: &str) -> Option<Date> {
        let iso = normalize(given)?;
        let n = |r: std::ops::Range<usize>| iso.get(r).and_then(|s| s.parse::<u32>().ok());
        Some(Date(n(0..4)? * 10_000 + n(5..7)? * 100 + n(8..10)?))
    }

    /// The date of a number [`Date::packed`] gave, if it is one.
    pub fn from_packed(n: u32) -> Option<Date> {
        iso(n / 10_000, n / 100 % 100, n % 100).map(|_| Date(n))
    }

    /// The date as the number `yyyymmdd`.
    pub fn packed(self) -> u32 {
        self.0
    }

    /// The year.
    pub fn year(self) -> u16 {
        (self.0 / 10_000) as u16
    }

    /// The first day of `year`.
    pub fn new_year(year: u16) -> Date {
        Date(u32::from(year) * 10_000 + 101)
    }

    /// The last day of `year`.
    pub fn year_end(year: u16) -> Date {
        Date(u32::from(year) * 10_000 + 1231)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0 / 10_000, self.0 / 100 % 100, self.0 % 100)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Date::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("'{s}' is not a date")))
    }
}

/// A range of dates, each end included; either may be open.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Range {
    /// The first date (ISO), if any.
    pub since: Option<String>,
    /// The last date (ISO), if any.
    pub until: Option<String>,
}

impl Range {
    /// Reads the ends a user gives (`2023`, `2023-06`, `2023-06-30`, `2023年6月30日` …): a year or month stands for
    /// its first day as `since` and its last as `until`.
    pub fn parse(since: Option<&str>, until: Option<&str>) -> Result<Range, String> {
        let end = |given: Option<&str>, last: bool| -> Result<Option<String>, String> {
            let Some(given) = given else { return Ok(None) };
            bound(given, last)
                .map(Some)
                .ok_or_else(|| format!("'{given}' is not a date (use 2024, 2024-06 or 2024-06-30)"))
        };
        let range = Range { since: end(since, false)?, until: end(until, true)? };
        if let (Some(a), Some(b)) = (&range.since, &range.until) {
            if a > b {
                return Err(format!("--since {a} is after --until {b}"));
            }
        }
        Ok(range)
    }

    /// Whether the range limits anything.
    pub fn is_open(&self) -> bool {
        self.since.is_none() && self.until.is_none()
    }

    /// The range's ends as dates (an open end is the earliest or latest date there is).
    pub fn bounds(&self) -> (Date, Date) {
        let end = |d: &Option<String>, open: u32| d.as_deref().and_then(Date::parse).unwrap_or(Date(open));
        (end(&self.since, 0), end(&self.until, u32::MAX))
    }

    /// Whether an ISO date lies in the range; an undated thing lies in an open range only.
    pub fn contains(&self, date: Option<&str>) -> bool {
        match date {
            None => self.is_open(),
            Some(d) => self.since.as_deref().is_none_or(|s| s <= d) && self.until.as_deref().is_none_or(|u| d <= u),
        }
    }
}

/// A date, a month (`2024-06`, `2024年6月`) or a year (`2024`) as its first or `last` day.
fn bound(given: &str, last: bool) -> Option<String> {
    if let Some(date) = normalize(given) {
        return Some(date);
    }
    let n = numbers(given.trim());
    match n.as_slice() {
        [(y, 4, _, _)] => iso(*y, if last { 12 } else { 1 }, if last { 31 } else { 1 }),
        [(y, 4, _, _), (m, 1..=2, _, _)] => {
            let last_day = (28..=31).rev().find(|&d| iso(*y, *m, d).is_some())?;
            iso(*y, *m, if last { last_day } else { 1 })
        }
        _ => None,
    }
}

/// The date an HTML page states in its markup: a `<meta>` whose name or property says it is the publication date,
/// else the first `<time datetime=…>`.
pub fn html_date(html: &str) -> Option<String> {
    const NAMES: &[&str] = &[
        "date",
        "pubdate",
        "publishdate",
        "publish_date",
        "article:published_time",
        "og:published_time",
        "dc.date",
        "dc.date.issued",
        "citation_publication_date",
    ];
    let lower = html.to_ascii_lowercase();
    let attribute = |tag: &str, name: &str| -> Option<String> {
        let key = format!("{name}=");
        let at = tag.find(&key)? + key.len();
        let rest = &tag[at..];
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'');
        let value = match quote {
            Some(q) => rest[1..].split(q).next()?,
            None => rest.split(|c: char| c.is_whitespace() || c == '>').next()?,
        };
        Some(value.to_string())
    };
    let mut time = None;
    // One pass: each '>' closes the tag that the last '<' before it opened (a page of '<' that never close costs
    // no more than its length).
    let mut at = 0;
    while let Some(end) = lower[at..].find('>').map(|p| at + p) {
        let from = at;
        at = end + 1;
        let Some(start) = lower[from..end].rfind('<').map(|p| from + p) else { continue };
        let tag = &lower[start..end];
        if tag.starts_with("<meta") {
            let named = ["name", "property", "itemprop"]
                .iter()
                .filter_map(|a| attribute(tag, a))
                .any(|n| NAMES.contains(&n.as_str()));
            if named {
                // The value's case as written: offsets in `lower` are those of `html` (ASCII lowering).
                if let Some(date) = attribute(&html[start..end], "content").and_then(|v| normalize(&v)) {
                    return Some(date);
                }
            }
        } else if tag.starts_with("<time") && time.is_none() {
            time = attribute(&html[start..end], "datetime").and_then(|v| normalize(&v));
        }
    }
    time
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_come_from_metadata_or_the_first_lines() {
        let table: &[(&str, Option<&str>, Option<&str>)] = &[
            ("正文。", Some("2024-02-28"), Some("2024-02-28")),
            ("正文。", Some("2024-02-28T08:30:00+08:00"), Some("2024-02-28")),
            ("正文。", Some("2024/2/8"), Some("2024-02-08")),
            ("正文。", Some("2024年2月28日"), Some("2024-02-28")),
            // Metadata that is no date gives way to the text.
            ("2023年7月6日，新闻发布会召开。", Some("yesterday"), Some("2023-07-06")),
            ("发布时间：2023-07-06 10:00\n正文", None, Some("2023-07-06")),
            ("·新闻7月6日讯 6日，记者获悉，2023年以来全区经济稳中有进。", None, Some("2023-07-06")),
            ("全角２０２４年３月１日召开", None, Some("2024-03-01")),
            // Not dates: an impossible day, a count, a month and day with no year anywhere.
            ("2023年2月30日", None, None),
            ("投资15亿元，年产30万吨。", None, None),
            ("7月6日，项目开工。", None, None),
            // A date below the first lines is an event's, not the article's.
            (&"很长的正文。".repeat(60), None, None),
        ];
        for (text, given, want) in table {
            assert_eq!(document_date(text, *given).as_deref(), *want, "{text:?} {given:?}");
        }
    }

    #[test]
    fn ranges_take_years_months_and_days_and_leave_undated_things_out() {
        let r = Range::parse(Some("2023"), Some("2024-02")).unwrap();
        assert_eq!((r.since.as_deref(), r.until.as_deref()), (Some("2023-01-01"), Some("2024-02-29")));
        for (date, inside) in [
            (Some("2022-12-31"), false),
            (Some("2023-01-01"), true),
            (Some("2024-02-29"), true),
            (Some("2024-03-01"), false),
            (None, false),
        ] {
            assert_eq!(r.contains(date), inside, "{date:?}");
        }
        assert!(Range::default().contains(None));
        assert_eq!(
            Range::parse(Some("2024-13"), None).unwrap_err(),
            "'2024-13' is not a date (use 2024, 2024-06 or 2024-06-30)"
        );
        assert_eq!(
            Range::parse(Some("2024"), Some("2023")).unwrap_err(),
            "--since 2024-01-01 is after --until 2023-12-31"
        );
    }

    #[test]
    fn html_pages_state_their_date_in_meta_or_time() {
        let table: &[(&str, Option<&str>)] = &[
            ("<meta name=\"pubdate\" content=\"2024-02-28 09:00\">", Some("2024-02-28")),
            ("<META property='article:published_time' content='2024-03-01T08:00:00+08:00'/>", Some("2024-03-01")),
            ("<p>x</p><time datetime=\"2022-12-31\">去年</time>", Some("2022-12-31")),
            ("<meta name=\"keywords\" content=\"2024-02-28\">", None),
            ("<p>2024-02-28</p>", None),
        ];
        for (html, want) in table {
            assert_eq!(html_date(html).as_deref(), *want, "{html}");
        }
    }
}
