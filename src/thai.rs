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

/// Number formatting as the site is configured: digits and era.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Numerals {
    pub digits: Digits,
    pub era: Era,
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

    /// "พ.ศ." or "ค.ศ.".
    pub fn era_prefix(&self) -> &'static str {
        match self.era {
            Era::Be => "พ.ศ.",
            Era::Ce => "ค.ศ.",
        }
    }

    /// "ปีงบประมาณ พ.ศ. ๒๕๖๖".
    pub fn fiscal_year(&self, be_year: i32) -> String {
        format!("ปีงบประมาณ {} {}", self.era_prefix(), self.year(be_year))
    }

    /// "๒๑ ธันวาคม ๒๕๖๕".
    pub fn date(&self, d: ThaiDate) -> String {
        format!("{} {} {}", self.digits(&d.day.to_string()), MONTHS[usize::from(d.month - 1)], self.year(d.year))
    }

    /// A range of dates the way Thai writes them: "๓๑ พฤษภาคม – ๒ มิถุนายน ๒๕๖๖",
    /// "๒๕–๒๖ พฤศจิกายน ๒๕๖๕".
    pub fn date_range(&self, from: ThaiDate, to: ThaiDate) -> String {
        if from == to {
            return self.date(from);
        }
        if from.year == to.year && from.month == to.month {
            return format!(
                "{}–{} {} {}",
                self.digits(&from.day.to_string()),
                self.digits(&to.day.to_string()),
                MONTHS[usize::from(from.month - 1)],
                self.year(from.year)
            );
        }
        if from.year == to.year {
            return format!(
                "{} {} – {}",
                self.digits(&from.day.to_string()),
                MONTHS[usize::from(from.month - 1)],
                self.date(to)
            );
        }
        format!("{} – {}", self.date(from), self.date(to))
    }

    /// "๑ ต.ค. ๒๕๖๕ – ๓๐ ก.ย. ๒๕๖๖": the span of a Thai fiscal year.
    pub fn fiscal_span(&self, be_year: i32) -> String {
        let (start, end) = fiscal_year_bounds(be_year);
        format!(
            "{} {} {} – {} {} {}",
            self.digits("1"),
            MONTHS_SHORT[usize::from(start.month - 1)],
            self.year(start.year),
            self.digits("30"),
            MONTHS_SHORT[usize::from(end.month - 1)],
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

/// Wraps `text` into lines no wider than `max_em`, breaking only at word
/// boundaries (a single word wider than a line gets a line of its own).
pub fn wrap(text: &str, max_em: f64) -> Vec<String> {
    if text_width_em(text.trim()) <= max_em {
        return if text.trim().is_empty() { Vec::new() } else { vec![text.trim().to_string()] };
    }
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for unit in break_units(text) {
        let candidate = format!("{current}{unit}");
        if !current.is_empty() && text_width_em(candidate.trim_end()) > max_em {
            lines.push(current.trim_end().to_string());
            current = unit.trim_start().to_string();
        } else {
            current = candidate;
        }
    }
    if !current.trim().is_empty() {
        lines.push(current.trim_end().to_string());
    }
    lines
}

/// Like [`wrap`], but at most `max_lines` lines: the last line is shortened
/// at a word boundary and ends in "…". Returns the lines and whether the text
/// was shortened (the caller then shows the full text elsewhere).
pub fn wrap_lines(text: &str, max_em: f64, max_lines: usize) -> (Vec<String>, bool) {
    let mut lines = wrap(text, max_em);
    if lines.len() <= max_lines {
        return (lines, false);
    }
    lines.truncate(max_lines);
    let last = lines.pop().unwrap_or_default();
    let mut kept = String::new();
    for unit in break_units(&last) {
        let candidate = format!("{kept}{unit}");
        if text_width_em(&format!("{}…", candidate.trim_end())) > max_em {
            break;
        }
        kept = candidate;
    }
    lines.push(format!("{}…", kept.trim_end()));
    (lines, true)
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
        let ce = Numerals { digits: Digits::Arabic, era: Era::Ce };
        assert_eq!(ce.fiscal_year(2566), "ปีงบประมาณ ค.ศ. 2023");
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
