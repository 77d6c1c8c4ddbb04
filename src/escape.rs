//! Escaping text for HTML and XML (SVG): the one escaper for everything the
//! build writes outside templates (charts, the sitemap, the preview's error
//! overlay) and for the templates' own output. A bottom-level module, so that
//! what draws charts or builds the model never depends on the templates.

/// Escapes text for HTML and XML content and quoted attribute values: `&`,
/// `<`, `>`, `"` and `'`, as the spec requires, and nothing else (a `/` stays
/// readable).
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_and_quotes_are_escaped_and_slashes_kept() {
        assert_eq!(super::html("<a href=\"x\">'ก' & </a>"), "&lt;a href=&quot;x&quot;&gt;&#39;ก&#39; &amp; &lt;/a&gt;");
    }
}
