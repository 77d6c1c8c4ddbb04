//! The Atom feed of what the site publishes (`atom.xml`, RFC 4287): each
//! fiscal year's results and each narrative page, newest first.
//!
//! Dates come from the content, never from the clock or the files' times, so
//! two builds of the same input write the same feed: a results file's
//! `published`, a page's `date`; without them, a year's results are dated the
//! last day of its fiscal year, and a page of a year the date of that year's
//! results. A page with neither date nor year is not in the feed. An entry's
//! id is its page's address (or, for a site without `base_url`, a URN made
//! from the plan's name and the page's path), so adding a year adds entries
//! and changes none.

use crate::content::{Page, Role};
use crate::data::Dataset;
use crate::escape::html as esc;
use crate::model::Model;
use crate::routes;
use crate::thai::{BE_OFFSET, ThaiDate, fiscal_year_bounds};
use std::collections::HashMap;

/// One update.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub title: String,
    /// Root-relative page path.
    pub path: String,
    pub date: ThaiDate,
    pub summary: Option<String>,
}

/// Every update the site has, newest first (ties by path, so the order never
/// depends on how the content was read).
pub fn entries(model: &Model, data: &Dataset, pages: &[Page]) -> Vec<Entry> {
    let labels = &model.site.labels;
    let l = |k: &str| labels.get(k).cloned().unwrap_or_else(|| k.to_string());
    let mut year_dates: HashMap<i32, ThaiDate> = HashMap::new();
    for r in &data.results {
        let date = r.data.published.as_deref().and_then(|d| ThaiDate::parse(d).ok());
        year_dates.insert(r.data.year, date.unwrap_or_else(|| fiscal_year_bounds(r.data.year).1));
    }
    let mut out: Vec<Entry> = model
        .years
        .iter()
        .filter_map(|y| {
            let date = *year_dates.get(&y.year)?;
            let t = &y.tally;
            let summary = format!(
                "{} {} · {} {} · {} {} · {} {}",
                l("summary_indicators"),
                t.indicators,
                l("summary_with_target"),
                t.with_target,
                l("summary_achieved"),
                t.achieved,
                l("summary_not_assessed"),
                t.not_assessed
            );
            Some(Entry {
                title: format!("{} {}", l("report_title"), y.fiscal_year_text),
                path: y.path.clone(),
                date,
                summary: Some(summary),
            })
        })
        .collect();
    let page_dates: HashMap<&str, (Option<&str>, Option<i32>)> = pages
        .iter()
        .filter_map(|p| match &p.role {
            Role::Standalone { url } => Some((url.as_str(), (p.front.data.date.as_deref(), p.front.data.year))),
            _ => None,
        })
        .collect();
    for n in &model.narratives {
        let Some(&(date, year)) = page_dates.get(n.path.as_str()) else { continue };
        let date = date
            .and_then(|d| ThaiDate::parse(d).ok())
            .or_else(|| year.and_then(|y| year_dates.get(&y).copied().or_else(|| Some(fiscal_year_bounds(y).1))));
        if let Some(date) = date {
            out.push(Entry { title: n.title.clone(), path: n.path.clone(), date, summary: n.description.clone() });
        }
    }
    out.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path)));
    out
}

/// RFC 3339 date-time of a day, at midnight in Thailand.
fn datetime(d: ThaiDate) -> String {
    format!("{:04}-{:02}-{:02}T00:00:00+07:00", d.year - BE_OFFSET, d.month, d.day)
}

/// A stable, absolute id for a page of a site with no address: a name-based
/// URN from the plan's name and the page's path.
fn urn(plan: &str, path: &str) -> String {
    // Two FNV-1a hashes with different offsets make 128 bits: ids, not
    // security, so a well-known simple hash is enough.
    let fnv = |seed: u64| {
        let mut h = seed;
        for b in plan.bytes().chain([0]).chain(path.bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h
    };
    let (a, b) = (fnv(0xcbf2_9ce4_8422_2325), fnv(0x8422_2325_cbf2_9ce4));
    format!(
        "urn:uuid:{:08x}-{:04x}-5{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0x0fff,
        (b >> 48) & 0x3fff | 0x8000,
        b & 0xffff_ffff_ffff
    )
}

/// The feed as XML. Links are relative to the feed (which sits at the root
/// of its language's pages: `atom.xml`, `en/atom.xml`), with `xml:base` when
/// the site knows its address, so the feed works at any subpath.
pub fn atom(model: &Model, plan_name: &str, entries: &[Entry], lang: &str) -> Vec<u8> {
    let site = &model.site;
    let base = format!("{}/{lang}", site.base_url.trim_end_matches('/'));
    let base = base.trim_end_matches('/');
    let absolute = base.starts_with("http");
    let id = |path: &str| if absolute { format!("{base}/{path}") } else { urn(plan_name, &format!("{lang}{path}")) };
    let href = |path: &str| if path.is_empty() { "./".to_string() } else { path.to_string() };
    let updated = entries.iter().map(|e| e.date).max().unwrap_or(ThaiDate { year: 2513, month: 1, day: 1 });
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\"", esc(&site.lang)));
    if absolute {
        out.push_str(&format!(" xml:base=\"{}/\"", esc(base)));
    }
    out.push_str(">\n");
    out.push_str(&format!("  <title>{}</title>\n", esc(&site.title)));
    if let Some(d) = &site.description {
        out.push_str(&format!("  <subtitle>{}</subtitle>\n", esc(d)));
    }
    out.push_str(&format!("  <id>{}</id>\n", esc(&id(routes::FEED))));
    out.push_str(&format!("  <updated>{}</updated>\n", datetime(updated)));
    out.push_str(&format!("  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n", routes::FEED));
    out.push_str("  <link rel=\"alternate\" type=\"text/html\" href=\"./\"/>\n");
    out.push_str(&format!("  <author><name>{}</name></author>\n", esc(&site.organization)));
    out.push_str("  <generator>prongsai</generator>\n");
    for e in entries {
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", esc(&e.title)));
        out.push_str(&format!("    <id>{}</id>\n", esc(&id(&e.path))));
        out.push_str(&format!("    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", esc(&href(&e.path))));
        out.push_str(&format!("    <published>{}</published>\n", datetime(e.date)));
        out.push_str(&format!("    <updated>{}</updated>\n", datetime(e.date)));
        if let Some(s) = &e.summary {
            out.push_str(&format!("    <summary>{}</summary>\n", esc(s)));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_in_the_common_era_at_thai_midnight() {
        assert_eq!(datetime(ThaiDate { year: 2566, month: 9, day: 30 }), "2023-09-30T00:00:00+07:00");
    }

    #[test]
    fn urns_are_stable_distinct_and_well_formed() {
        let a = urn("แผน", "years/2566/");
        assert_eq!(a, urn("แผน", "years/2566/"));
        assert_ne!(a, urn("แผน", "years/2567/"));
        assert_ne!(a, urn("อีกแผน", "years/2566/"));
        let hex = a.strip_prefix("urn:uuid:").unwrap();
        let parts: Vec<usize> = hex.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12], "{a}");
        assert!(hex.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }
}
