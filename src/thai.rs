//! Thai language support: digits, Buddhist-era dates, fiscal years, word breaks,
//! heading slugs and an estimate of how wide Thai text is when drawn.
//!
//! Everything here is pure and cheap, except [`line_breaks`], which runs the ICU
//! LSTM segmenter (the dictionary model splits common Thai words wrongly, see
//! CRATES.md).

use serde::{Deserialize, Serialize};
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// Which digits the site prints numbers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Digits {
    /// เลขไทย ๐–๙ แบบที่เอกสารราชการใช้.
    #[default]
    Thai,
    /// เลขอารบิก 0–9.
    Arabic,
}

/// Which era years are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Era {
    /// พุทธศักราช (พ.ศ. = ค.ศ. + 543).
    #[default]
    Be,
    /// คริสต์ศักราช (ค.ศ.).
    Ce,
}

/// Difference between the Buddhist era and the common era.
pub const BE_OFFSET: i32 = 543;

const THAI_DIGITS: [char; 10] = ['๐', '๑', '๒', '๓', '๔', '๕', '๖', '๗', '๘', '๙'];

const MONTHS: [&str; 12] = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
];

const MONTHS_SHORT: [&str; 12] =
    ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."];

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const MONTHS_SHORT_EN: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The words dates and years are written with: Thai ("ปีงบประมาณ พ.ศ.
/// ๒๕๖๖", "๒๑ ธันวาคม ๒๕๖๕") or English ("FY2023 (B.E. 2566)",
/// "21 December 2022"), which any language other than Thai uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Words {
    #[default]
    Thai,
    English,
}

impl Words {
    /// The words of a language code.
    pub fn of(language: &str) -> Words {
        if language == "th" { Words::Thai } else { Words::English }
    }

    fn month(self, month: u8) -> &'static str {
        let m = usize::from(month - 1);
        match self {
            Words::Thai => MONTHS[m],
            Words::English => MONTHS_EN[m],
        }
    }

    fn month_short(self, month: u8) -> &'static str {
        let m = usize::from(month - 1);
        match self {
            Words::Thai => MONTHS_SHORT[m],
            Words::English => MONTHS_SHORT_EN[m],
        }
    }
}

/// Number formatting as the site is configured: digits, era and the
/// language's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Numerals {
    pub digits: Digits,
    pub era: Era,
    pub words: Words,
}

impl Numerals {
    /// Rewrites the ASCII digits of `s` in the configured digit style.
    pub fn digits(&self, s: &str) -> String {
        match self.digits {
            Digits::Arabic => s.to_string(),
            Digits::Thai => to_thai_digits(s),
        }
    }

    /// Formats a number with at most `decimals` decimals: whole numbers print
    /// without decimals, others with exactly `decimals` (69.8 → "69.80" when
    /// the source writes two decimals). Thousands are grouped from 10,000 up,
    /// as Thai documents do.
    pub fn number(&self, value: f64, decimals: u8) -> String {
        self.digits(&format_number(value, decimals))
    }

    /// A year, given in the Buddhist era, in the configured era (without prefix).
    pub fn year(&self, be_year: i32) -> String {
        let y = match self.era {
            Era::Be => be_year,
            Era::Ce => be_year - BE_OFFSET,
        };
        self.digits(&y.to_string())
    }

    /// "พ.ศ." or "ค.ศ." ("B.E." or "CE" in English).
    pub fn era_prefix(&self) -> &'static str {
        match (self.words, self.era) {
            (Words::Thai, Era::Be) => "พ.ศ.",
            (Words::Thai, Era::Ce) => "ค.ศ.",
            (Words::English, Era::Be) => "B.E.",
            (Words::English, Era::Ce) => "CE",
        }
    }

    /// "ปีงบประมาณ พ.ศ. ๒๕๖๖"; in English "FY2023 (B.E. 2566)", or "FY B.E.
    /// 2566" when the site counts in the Buddhist era. (A Thai fiscal year
    /// runs from 1 October to 30 September: FY2023 ends in September 2023.)
    pub fn fiscal_year(&self, be_year: i32) -> String {
        match (self.words, self.era) {
            (Words::Thai, _) => format!("ปีงบประมาณ {} {}", self.era_prefix(), self.year(be_year)),
            (Words::English, Era::Ce) => {
                format!("FY{} (B.E. {})", self.year(be_year), self.digits(&be_year.to_string()))
            }
            (Words::English, Era::Be) => format!("FY B.E. {}", self.year(be_year)),
        }
    }

    /// "๒๑ ธันวาคม ๒๕๖๕", "21 December 2022".
    pub fn date(&self, d: ThaiDate) -> String {
        format!("{} {} {}", self.digits(&d.day.to_string()), self.words.month(d.month), self.year(d.year))
    }

    /// A range of dates the way Thai writes them: "๓๑ พฤษภาคม – ๒ มิถุนายน ๒๕๖๖",
    /// "๒๕–๒๖ พฤศจิกายน ๒๕๖๕".
    pub fn date_range(&self, from: ThaiDate, to: ThaiDate) -> String {
        match self.date_range_parts(from, to) {
            (a, Some((sep, b))) => format!("{a}{sep}{b}"),
            (a, None) => a,
        }
    }

    /// [`Numerals::date_range`] in its two halves and the dash between them,
    /// so that each half can be its own `<time>` element.
    pub fn date_range_parts(&self, from: ThaiDate, to: ThaiDate) -> (String, Option<(&'static str, String)>) {
        if from == to {
            return (self.date(from), None);
        }
        if from.year == to.year && from.month == to.month {
            return (
                self.digits(&from.day.to_string()),
                Some((
                    "–",
                    format!(
                        "{} {} {}",
                        self.digits(&to.day.to_string()),
                        self.words.month(to.month),
                        self.year(to.year)
                    ),
                )),
            );
        }
        if from.year == to.year {
            return (
                format!("{} {}", self.digits(&from.day.to_string()), self.words.month(from.month)),
                Some((" – ", self.date(to))),
            );
        }
        (self.date(from), Some((" – ", self.date(to))))
    }

    /// "๑ ต.ค. ๒๕๖๕ – ๓๐ ก.ย. ๒๕๖๖": the span of a Thai fiscal year.
    pub fn fiscal_span(&self, be_year: i32) -> String {
        let (start, end) = fiscal_year_bounds(be_year);
        format!(
            "{} {} {} – {} {} {}",
            self.digits("1"),
            self.words.month_short(start.month),
            self.year(start.year),
            self.digits("30"),
            self.words.month_short(end.month),
            self.year(end.year)
        )
    }
}

/// Replaces ASCII digits with Thai digits.
pub fn to_thai_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) if c.is_ascii_digit() => THAI_DIGITS[d as usize],
            _ => c,
        })
        .collect()
}

/// Replaces Thai digits with ASCII digits.
pub fn to_arabic_digits(s: &str) -> String {
    s.chars()
        .map(|c| match THAI_DIGITS.iter().position(|&t| t == c) {
            Some(d) => char::from(b'0' + d as u8),
            None => c,
        })
        .collect()
}

/// Formats with at most `decimals` decimals, grouping thousands from 10,000.
pub fn format_number(value: f64, decimals: u8) -> String {
    let whole = (value - value.round()).abs() < 1e-9;
    let raw =
        if whole || decimals == 0 { format!("{:.0}", value) } else { format!("{:.*}", usize::from(decimals), value) };
    let (sign, rest) = raw.strip_prefix('-').map_or(("", raw.as_str()), |r| ("-", r));
    let (int, frac) = rest.split_once('.').map_or((rest, None), |(i, f)| (i, Some(f)));
    let grouped = if int.len() > 4 {
        let mut out = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    } else {
        int.to_string()
    };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A calendar date with its year in the Buddhist era.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ThaiDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl ThaiDate {
    /// The date in ISO 8601 (Gregorian), as `<time datetime>` wants it.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year - 543, self.month, self.day)
    }

    /// Parses "2566-12-21" (year in the Buddhist era). Returns a plain-language
    /// reason when the text is not such a date.
    pub fn parse(s: &str) -> Result<ThaiDate, String> {
        let parts: Vec<&str> = s.trim().split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return Err("วันที่ต้องเขียนแบบ ปปปป-ดด-วว เช่น 2566-12-21".into());
        };
        let ascii = |t: &str| to_arabic_digits(t);
        let (Ok(year), Ok(month), Ok(day)) = (ascii(y).parse::<i32>(), ascii(m).parse::<u8>(), ascii(d).parse::<u8>())
        else {
            return Err("วันที่ต้องเขียนแบบ ปปปป-ดด-วว เช่น 2566-12-21".into());
        };
        if year < 2400 {
            return Err(format!("ปี {year} ดูเหมือนเป็น ค.ศ.: ใช้ปี พ.ศ. (ค.ศ. + 543) เช่น {}", year + BE_OFFSET));
        }
        if !(1..=12).contains(&month) {
            return Err(format!("ไม่มีเดือนที่ {month}: เดือนต้องอยู่ระหว่าง 01 ถึง 12"));
        }
        let max = days_in_month(year - BE_OFFSET, month);
        if day == 0 || day > max {
            return Err(format!("เดือน{}มี {max} วัน ไม่มีวันที่ {day}", MONTHS[usize::from(month - 1)]));
        }
        Ok(ThaiDate { year, month, day })
    }

    /// The Thai fiscal year this date falls in: 1 October starts the next one.
    pub fn fiscal_year(&self) -> i32 {
        if self.month >= 10 { self.year + 1 } else { self.year }
    }
}

fn days_in_month(ce_year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 => {
            let leap = (ce_year % 4 == 0 && ce_year % 100 != 0) || ce_year % 400 == 0;
            if leap { 29 } else { 28 }
        }
        _ => 31,
    }
}

/// First and last day of a Thai fiscal year: 1 October of the year before to
/// 30 September.
pub fn fiscal_year_bounds(be_year: i32) -> (ThaiDate, ThaiDate) {
    (ThaiDate { year: be_year - 1, month: 10, day: 1 }, ThaiDate { year: be_year, month: 9, day: 30 })
}

/// Byte offsets at which a line may break, by Unicode line breaking with the
/// ICU LSTM model for Thai (which has no spaces between words). The end of the
/// text is included; the start is not.
pub fn line_breaks(text: &str) -> Vec<usize> {
    use icu_segmenter::options::LineBreakOptions;
    use icu_segmenter::{LineSegmenter, LineSegmenterBorrowed};
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static SEGMENTER: OnceLock<LineSegmenterBorrowed<'static>> = OnceLock::new();
    // The LSTM costs about 3 µs a character; labels repeat across charts and,
    // in `serve`, across rebuilds, so remember what was segmented.
    static CACHE: OnceLock<Mutex<HashMap<String, Vec<usize>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(text).cloned()) {
        return hit;
    }
    let segmenter = *SEGMENTER.get_or_init(|| LineSegmenter::new_lstm(LineBreakOptions::default()));
    let breaks: Vec<usize> = segmenter.segment_str(text).filter(|&i| i > 0).collect();
    if let Ok(mut c) = cache.lock() {
        if c.len() > 50_000 {
            c.clear();
        }
        c.insert(text.to_string(), breaks.clone());
    }
    breaks
}

/// Splits text into the pieces between line-break opportunities.
pub fn break_units(text: &str) -> Vec<&str> {
    let mut start = 0;
    let mut out = Vec::new();
    for end in line_breaks(text) {
        out.push(&text[start..end]);
        start = end;
    }
    out
}

/// Estimated width of `text` in em. Thai vowels and tone marks written above
/// or below a consonant take no width; everything else gets the advance of a
/// typical Thai UI face (Sarabun, Noto Sans Thai, Tahoma), erring wide so that
/// a label laid out with this estimate never overflows its box.
pub fn text_width_em(text: &str) -> f64 {
    text.chars().map(char_width_em).sum()
}

fn char_width_em(c: char) -> f64 {
    match c {
        // Thai above/below vowels, tone marks and other combining marks.
        '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}' => 0.0,
        '\u{0E33}' => 0.62, // สระอำ has its own advance
        '\u{0E00}'..='\u{0E7F}' => 0.64,
        ' ' => 0.28,
        '0'..='9' => 0.58,
        '.' | ',' | ':' | ';' | '\'' | '!' | '|' => 0.3,
        '(' | ')' | '[' | ']' | '/' | '-' => 0.36,
        'A'..='Z' | 'm' | 'w' | '%' => 0.74,
        c if c.is_ascii() => 0.56,
        c if is_mark(c) => 0.0,
        _ => 0.9,
    }
}

fn is_mark(c: char) -> bool {
    c.general_category_group() == GeneralCategoryGroup::Mark
}

/// Byte offsets of word boundaries by ICU's dictionary segmenter (the end
/// included, the start not). The LSTM line breaker splits compounds such as
/// ดำเนิน|การ and สิทธิ|มนุษยชน; the dictionary keeps them whole, so a break
/// inside one of its words is taken only when no other break fits.
pub fn dictionary_words(text: &str) -> Vec<usize> {
    use icu_segmenter::options::WordBreakInvariantOptions;
    use icu_segmenter::{WordSegmenter, WordSegmenterBorrowed};
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static SEGMENTER: OnceLock<WordSegmenterBorrowed<'static>> = OnceLock::new();
    static CACHE: OnceLock<Mutex<HashMap<String, Vec<usize>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(text).cloned()) {
        return hit;
    }
    let segmenter = *SEGMENTER.get_or_init(|| WordSegmenter::new_dictionary(WordBreakInvariantOptions::default()));
    let bounds: Vec<usize> = segmenter.segment_str(text).filter(|&i| i > 0).collect();
    if let Ok(mut c) = cache.lock() {
        if c.len() > 50_000 {
            c.clear();
        }
        c.insert(text.to_string(), bounds.clone());
    }
    bounds
}

/// Breaks chart labels into lines. Line-break opportunities come from the
/// LSTM segmenter; a break is never taken inside a term of the list (an
/// organisation's name, the theme's words, the site's `keep_together`) nor
/// beside a dot inside an abbreviation, and a break inside a word of the
/// dictionary segmentation only when no other break fits: fewer, longer
/// lines rather than a compound cut in two.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Breaker {
    /// Longest first, so that a term inside a longer one is covered by it.
    terms: Vec<String>,
    /// Each term's width, in `terms` order.
    #[serde(skip)]
    widths: Vec<f64>,
    /// Finds every term in a label in one pass: there are hundreds of terms
    /// (the theme's words among them) and thousands of labels at scale.
    #[serde(skip)]
    finder: Option<aho_corasick::AhoCorasick>,
}

/// How a break opportunity may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BreakQuality {
    /// Inside a term of the list or an abbreviation: only when a term is wider than a line.
    Forbidden,
    /// Inside a word of the dictionary segmentation.
    InsideWord,
    /// Between words.
    Good,
}

impl Breaker {
    pub fn new(terms: impl IntoIterator<Item = String>) -> Breaker {
        let mut terms: Vec<String> =
            terms.into_iter().map(|t| t.trim().to_string()).filter(|t| t.chars().count() > 1).collect();
        terms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        terms.dedup();
        let widths = terms.iter().map(|t| text_width_em(t)).collect();
        // Building fails only past the automaton's size limits, far beyond a
        // site's list of terms; then labels are searched term by term.
        let finder = aho_corasick::AhoCorasick::new(&terms).ok();
        Breaker { terms, widths, finder }
    }

    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    /// Every line-break opportunity of `text` (byte offset, end excluded) and
    /// how good it is, whatever the width.
    pub fn opportunities(&self, text: &str) -> Vec<(usize, BreakQuality)> {
        self.opportunities_within(text, f64::INFINITY)
    }

    /// [`Breaker::opportunities`] for lines `max_em` wide: a break inside a
    /// term wider than that is judged as if the term were not on the list
    /// (it cannot stay whole), so that a long name ("คณะกรรมการสิทธิมนุษยชน
    /// แห่งชาติ") still keeps the shorter terms inside it whole.
    pub fn opportunities_within(&self, text: &str, max_em: f64) -> Vec<(usize, BreakQuality)> {
        // Byte ranges no break may fall strictly inside, with the term's width.
        let mut kept: Vec<(usize, usize, f64)> = Vec::new();
        match &self.finder {
            Some(finder) => {
                // As `match_indices` finds them term by term: every
                // occurrence, but one term's occurrences never overlap.
                let mut next_free = vec![0usize; self.terms.len()];
                for m in finder.find_overlapping_iter(text) {
                    let k = m.pattern().as_usize();
                    if m.start() >= next_free[k] {
                        next_free[k] = m.end();
                        kept.push((m.start(), m.end(), self.widths[k]));
                    }
                }
            }
            None => {
                for (term, &w) in self.terms.iter().zip(&self.widths) {
                    kept.extend(text.match_indices(term.as_str()).map(|(i, t)| (i, i + t.len(), w)));
                }
            }
        }
        let words = dictionary_words(text);
        let inside = |p: usize| kept.iter().any(|&(a, b, w)| a < p && p < b && w <= max_em);
        // A term's ends are breaks where the line segmenter saw none but the
        // dictionary does ("เทคโนโลยี|สารสนเทศ"); not where a short term
        // only matches inside a longer word ("ข้อ" in "เกี่ยวข้อง").
        let ends = kept
            .iter()
            .flat_map(|&(a, b, _)| [a, b])
            .filter(|&p| 0 < p && p < text.len() && words.binary_search(&p).is_ok());
        let mut at: Vec<usize> = line_breaks(text).into_iter().chain(ends).collect();
        at.sort_unstable();
        at.dedup();
        at.into_iter()
            .filter(|&p| p < text.len() && text.is_char_boundary(p))
            .map(|p| {
                let before = text[..p].chars().next_back();
                let after = text[p..].chars().next();
                // "ก.พ.ร.", "จ.พังงา": a dot with a letter right after it, or a
                // dot right after the break, belongs to an abbreviation.
                let abbreviation =
                    (before == Some('.') && after.is_some_and(char::is_alphanumeric)) || after == Some('.');
                let q = if abbreviation || inside(p) {
                    BreakQuality::Forbidden
                } else if words.binary_search(&p).is_err() {
                    BreakQuality::InsideWord
                } else {
                    BreakQuality::Good
                };
                (p, q)
            })
            .collect()
    }

    /// Wraps `text` into lines no wider than `max_em`: each line ends at the
    /// farthest break that fits, of the best quality that fits (a unit wider
    /// than a line gets a line of its own).
    pub fn wrap(&self, text: &str, max_em: f64) -> Vec<String> {
        let text = text.trim();
        if text.is_empty() {
            return Vec::new();
        }
        if text_width_em(text) <= max_em {
            return vec![text.to_string()];
        }
        let ops = self.opportunities_within(text, max_em);
        let mut lines = Vec::new();
        let mut start = 0;
        let mut k = 0; // first opportunity after `start`
        while start < text.len() {
            if text_width_em(text[start..].trim()) <= max_em {
                lines.push(text[start..].trim().to_string());
                break;
            }
            // The farthest fitting break of each quality, scanning only this
            // line's opportunities: linear over the text.
            let mut best: [Option<usize>; 3] = [None; 3];
            let mut j = k;
            let mut first_beyond = None;
            while j < ops.len() {
                let (p, q) = ops[j];
                if text_width_em(text[start..p].trim_end()) > max_em {
                    first_beyond = Some(j);
                    break;
                }
                best[q as usize] = Some(j);
                j += 1;
            }
            let pick = best[BreakQuality::Good as usize]
                .or(best[BreakQuality::InsideWord as usize])
                .or(best[BreakQuality::Forbidden as usize])
                // Nothing fits: the shortest acceptable unit, overflowing.
                .or_else(|| {
                    let from = first_beyond?;
                    (from..ops.len()).find(|&j| ops[j].1 != BreakQuality::Forbidden).or(Some(from))
                });
            let Some(j) = pick else {
                lines.push(text[start..].trim().to_string());
                break;
            };
            let p = ops[j].0;
            let line = text[start..p].trim();
            if !line.is_empty() {
                lines.push(line.to_string());
            }
            start = p;
            k = j + 1;
        }
        lines
    }

    /// Like [`Breaker::wrap`], but at most `max_lines` lines: the last line is
    /// shortened at a break and ends in "…". Returns the lines and whether the
    /// text was shortened (the caller then shows the full text elsewhere).
    pub fn wrap_lines(&self, text: &str, max_em: f64, max_lines: usize) -> (Vec<String>, bool) {
        let mut lines = self.wrap(text, max_em);
        if lines.len() <= max_lines {
            return (lines, false);
        }
        lines.truncate(max_lines);
        let last = lines.pop().unwrap_or_default();
        let mut kept = 0;
        for (p, q) in self.opportunities_within(&last, max_em) {
            if q == BreakQuality::Forbidden {
                continue;
            }
            if text_width_em(&format!("{}…", last[..p].trim_end())) > max_em {
                break;
            }
            kept = p;
        }
        lines.push(format!("{}…", last[..kept].trim_end()));
        (lines, true)
    }
}

/// [`Breaker::wrap`] with no list of terms.
pub fn wrap(text: &str, max_em: f64) -> Vec<String> {
    Breaker::default().wrap(text, max_em)
}

/// [`Breaker::wrap_lines`] with no list of terms.
pub fn wrap_lines(text: &str, max_em: f64, max_lines: usize) -> (Vec<String>, bool) {
    Breaker::default().wrap_lines(text, max_em, max_lines)
}

/// An anchor id for a heading that keeps Thai intact: letters, marks (the
/// vowels and tone marks a naive slugger drops) and digits stay, runs of
/// anything else become one hyphen. ASCII letters are lower-cased.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut pending_dash = false;
    for c in text.chars() {
        let keep = c.is_alphanumeric() || is_mark(c);
        if keep {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.extend(c.to_lowercase());
        } else {
            pending_dash = true;
        }
    }
    if out.is_empty() { "section".to_string() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_both_ways() {
        assert_eq!(to_thai_digits("2566 และ 66.36"), "๒๕๖๖ และ ๖๖.๓๖");
        assert_eq!(to_arabic_digits("๒๕๖๖ และ ๖๖.๓๖"), "2566 และ 66.36");
    }

    #[test]
    fn numbers_keep_stated_precision() {
        assert_eq!(format_number(69.8, 2), "69.80");
        assert_eq!(format_number(60.0, 2), "60");
        assert_eq!(format_number(706500.0, 0), "706,500");
        assert_eq!(format_number(2566.0, 0), "2566");
        assert_eq!(format_number(-3.5, 1), "-3.5");
    }

    #[test]
    fn thai_dates_and_fiscal_years() {
        let n = Numerals::default();
        let d = ThaiDate::parse("2565-12-21").unwrap();
        assert_eq!(n.date(d), "๒๑ ธันวาคม ๒๕๖๕");
        assert_eq!(d.fiscal_year(), 2566);
        assert_eq!(ThaiDate::parse("2566-09-30").unwrap().fiscal_year(), 2566);
        assert_eq!(ThaiDate::parse("2566-10-01").unwrap().fiscal_year(), 2567);
        assert_eq!(n.fiscal_year(2566), "ปีงบประมาณ พ.ศ. ๒๕๖๖");
        assert_eq!(n.fiscal_span(2566), "๑ ต.ค. ๒๕๖๕ – ๓๐ ก.ย. ๒๕๖๖");
        let ce = Numerals { digits: Digits::Arabic, era: Era::Ce, ..Default::default() };
        assert_eq!(ce.fiscal_year(2566), "ปีงบประมาณ ค.ศ. 2023");
    }

    #[test]
    fn english_writes_fiscal_years_and_dates_in_english() {
        let en = Numerals { digits: Digits::Arabic, era: Era::Ce, words: Words::English };
        assert_eq!(en.fiscal_year(2566), "FY2023 (B.E. 2566)");
        assert_eq!(en.fiscal_span(2566), "1 Oct 2022 – 30 Sep 2023");
        assert_eq!(en.date(ThaiDate::parse("2565-12-21").unwrap()), "21 December 2022");
        let (a, b) = (ThaiDate::parse("2566-05-31").unwrap(), ThaiDate::parse("2566-06-02").unwrap());
        assert_eq!(en.date_range(a, b), "31 May – 2 June 2023");
        assert_eq!(en.era_prefix(), "CE");
        let be = Numerals { era: Era::Be, ..en };
        assert_eq!(be.fiscal_year(2566), "FY B.E. 2566");
        assert_eq!(Words::of("en"), Words::English);
        assert_eq!(Words::of("th"), Words::Thai);
    }

    #[test]
    fn date_errors_are_plain() {
        assert!(ThaiDate::parse("2023-12-21").unwrap_err().contains("2566"));
        assert!(ThaiDate::parse("2566-02-30").is_err());
        assert!(ThaiDate::parse("21/12/2566").is_err());
        assert_eq!(ThaiDate::parse("2567-02-29").unwrap().day, 29); // 2024 is a leap year
    }

    #[test]
    fn date_ranges_read_naturally() {
        let n = Numerals::default();
        let a = ThaiDate::parse("2566-05-31").unwrap();
        let b = ThaiDate::parse("2566-06-02").unwrap();
        assert_eq!(n.date_range(a, b), "๓๑ พฤษภาคม – ๒ มิถุนายน ๒๕๖๖");
        let c = ThaiDate::parse("2565-11-25").unwrap();
        let d = ThaiDate::parse("2565-11-26").unwrap();
        assert_eq!(n.date_range(c, d), "๒๕–๒๖ พฤศจิกายน ๒๕๖๕");
    }

    #[test]
    fn lstm_breaks_thai_at_words() {
        assert_eq!(break_units("ผลการดำเนินงาน"), vec!["ผล", "การ", "ดำเนิน", "งาน"]);
    }

    #[test]
    fn wrap_never_splits_a_word_and_respects_width() {
        let text = "ร้อยละของการดำเนินการตรวจสอบการละเมิดสิทธิมนุษยชนที่ทันระยะเวลาที่กำหนด";
        let lines = wrap(text, 8.0);
        assert!(lines.len() > 2);
        assert_eq!(lines.concat(), text);
        let words = break_units(text);
        for line in &lines {
            assert!(text_width_em(line) <= 8.0 || words.contains(&line.as_str()));
        }
    }

    /// Where `lines` break `text`: byte offsets into `text`.
    fn breaks_of(text: &str, lines: &[String]) -> Vec<usize> {
        let mut at = 0;
        let mut out = Vec::new();
        for (k, l) in lines.iter().enumerate() {
            at = text[at..].find(l.as_str()).map(|i| at + i).expect("each line is in the text") + l.len();
            if k + 1 < lines.len() {
                // The break is after the line and the spaces that follow it.
                while text[at..].starts_with(' ') {
                    at += 1;
                }
                out.push(at);
            }
        }
        out
    }

    #[test]
    fn breaker_keeps_terms_and_abbreviations_whole() {
        let b = Breaker::new(["กสม.".to_string(), "สิทธิมนุษยชน".to_string(), "ดำเนินการ".to_string()]);
        let text = "สำนักงาน กสม. มีการดำเนินการสอดคล้องกับหลักสิทธิมนุษยชน ก.พ.ร. จ.พังงา";
        for width in 4..30 {
            let lines = b.wrap(text, f64::from(width));
            assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""), "width {width}");
            for p in breaks_of(text, &lines) {
                // A term wider than a line cannot stay whole.
                for term in b.terms().iter().filter(|t| text_width_em(t) <= f64::from(width)) {
                    for (at, _) in text.match_indices(term.as_str()) {
                        assert!(!(at < p && p < at + term.len()), "width {width}: break inside {term}: {lines:?}");
                    }
                }
                assert!(!text[..p].ends_with('.') || text[p..].starts_with(' '), "width {width}: {lines:?}");
                assert!(!text[p..].starts_with('.'), "width {width}: {lines:?}");
            }
        }
        // Without the list the LSTM would break the abbreviation.
        assert!(wrap("ก สม. กสม.", 2.0).len() > 1);
    }

    #[test]
    fn breaker_breaks_inside_a_dictionary_word_only_when_nothing_else_fits() {
        let b = Breaker::default();
        let text = "ร้อยละของข้อเสนอแนะจากการตรวจสอบที่หน่วยงานที่เกี่ยวข้องนำไปพิจารณาดำเนินการ (รวมถึงการเยียวยา)";
        let words = dictionary_words(text);
        for width in 3..40 {
            let max = f64::from(width);
            let lines = b.wrap(text, max);
            let mut start = 0;
            for (k, p) in breaks_of(text, &lines).into_iter().enumerate() {
                if words.binary_search(&p).is_err() {
                    // Inside a word: no break between words fitted this line.
                    let ok = b.opportunities(text).into_iter().any(|(q, quality)| {
                        q > start && quality == BreakQuality::Good && text_width_em(text[start..q].trim()) <= max
                    });
                    assert!(!ok, "width {width}, line {k}: {lines:?}");
                }
                start = p;
            }
            // A line wider than the width holds no break that could have been taken.
            let bounds: Vec<usize> =
                std::iter::once(0).chain(breaks_of(text, &lines)).chain(std::iter::once(text.len())).collect();
            for (k, w) in bounds.windows(2).enumerate() {
                let (a, z) = (w[0], w[1]);
                let could = b.opportunities(text).into_iter().any(|(q, quality)| {
                    a < q && q < z && quality != BreakQuality::Forbidden && text_width_em(text[a..q].trim()) <= max
                });
                assert!(text_width_em(lines[k].as_str()) <= max || !could, "width {width}: {} overflows", lines[k]);
            }
        }
    }

    /// The rules of [`Breaker`] checked on every label the default site's
    /// charts wrap, at every width from a narrow phone column to a full chart.
    #[test]
    fn every_label_of_the_default_site_breaks_by_the_rules() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let inputs = crate::site::load(root, &Default::default()).unwrap_or_else(|f| panic!("{f:?}"));
        let plan = &inputs.data.plan.data;
        let org = &plan.organization;
        let b = inputs.config.keep_together(std::iter::once(org.name.clone()).chain(org.short.clone()));
        let mut labels: Vec<String> = vec![plan.vision.clone(), plan.goal.clone()];
        labels.extend(plan.strategies.iter().map(|s| s.name.clone()));
        labels.extend(plan.issues.iter().map(|i| format!("{} {}", i.id, i.name)));
        labels.extend(plan.indicators.iter().map(|i| i.name.clone()));
        labels.extend(plan.indicators.iter().flat_map(|i| i.targets.values().filter_map(|t| t.text.clone())));
        labels.extend(inputs.config.labels.values().cloned());
        for text in &labels {
            let text = text.trim();
            for width in 6..=28 {
                let max = f64::from(width);
                let ops = b.opportunities_within(text, max);
                let lines = b.wrap(text, max);
                let mut start = 0;
                for p in breaks_of(text, &lines) {
                    let quality = ops.iter().find(|(q, _)| *q == p).map_or(BreakQuality::Forbidden, |(_, q)| *q);
                    // A worse break is taken only when no better one fits the line.
                    let better_fits = ops
                        .iter()
                        .any(|&(q, other)| q > start && other > quality && text_width_em(text[start..q].trim()) <= max);
                    assert!(!better_fits, "{width} em: a {quality:?} break when a better one fitted: {lines:?}");
                    if quality == BreakQuality::Forbidden {
                        // Only where terms overlap or a term is wider than the line.
                        let terms_here: Vec<&String> = b
                            .terms()
                            .iter()
                            .filter(|t| text.match_indices(t.as_str()).any(|(a, _)| a < p && p < a + t.len()))
                            .collect();
                        assert!(!terms_here.is_empty() || text[..p].ends_with('.') || text[p..].starts_with('.'));
                    }
                    start = p;
                }
            }
        }
    }

    #[test]
    fn wrap_lines_shortens_with_ellipsis() {
        let text = "ร้อยละของการดำเนินการตรวจสอบการละเมิดสิทธิมนุษยชนที่ทันระยะเวลาที่กำหนด";
        let (lines, cut) = wrap_lines(text, 8.0, 2);
        assert!(cut);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
        assert!(text_width_em(&lines[1]) <= 8.0);
    }

    #[test]
    fn marks_take_no_width() {
        assert_eq!(text_width_em("กิ"), text_width_em("ก"));
        assert!(text_width_em("น้ำ") < text_width_em("นนน"));
    }

    #[test]
    fn slugs_keep_thai_marks() {
        assert_eq!(slug("ยุทธศาสตร์ที่ 1"), "ยุทธศาสตร์ที่-1");
        assert_eq!(slug("ส่วนที่ ๑: ภาพรวม"), "ส่วนที่-๑-ภาพรวม");
        assert_eq!(slug("Hello, World!"), "hello-world");
        assert_eq!(slug("!!!"), "section");
    }
}
