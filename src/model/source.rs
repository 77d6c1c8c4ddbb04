//! Source document pages: the document the data cites, one anchor per line.

use super::context::Fmt;
use super::views::*;
use super::{Inputs, SourceDoc};

pub(super) fn build(f: &Fmt<'_>, inp: &Inputs<'_>) -> Vec<SourceDocView> {
    inp.documents.values().map(|d| view(f, d)).collect()
}

fn view(f: &Fmt<'_>, d: &SourceDoc) -> SourceDocView {
    SourceDocView {
        title: d.title.clone(),
        path: d.path.clone(),
        file: d.file.path.clone(),
        // Lines as editors and `wc -l` count them, and as the check that a
        // cited line exists does: a final line break starts no new line.
        lines: (1..=d.file.text.lines().count() as u32)
            .map(|n| SourceLine {
                number: n,
                number_text: f.count(n),
                text: d.file.line_text(n).unwrap_or("").to_string(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::SourceDocView;
    use super::super::testing;
    use crate::thai::to_thai_digits;

    /// One line of the view per line of the document, numbered from 1, each
    /// with its own text.
    fn assert_lines(view: &SourceDocView, text: &str) {
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(view.lines.len(), lines.len(), "{}: one line per line of the document", view.file);
        for (k, (line, text)) in view.lines.iter().zip(&lines).enumerate() {
            let n = k as u32 + 1;
            assert_eq!(line.number, n);
            assert_eq!(line.number_text, to_thai_digits(&n.to_string()));
            assert_eq!(&line.text, text, "line {n}");
        }
    }

    #[test]
    fn default_site_source_has_a_line_per_line_of_its_document() {
        let b = testing::default_site();
        let docs = &b.inputs.documents;
        assert!(!docs.is_empty(), "the default content cites its source");
        assert_eq!(b.model.sources.len(), docs.len());
        for (view, doc) in b.model.sources.iter().zip(docs.values()) {
            assert_eq!((&view.path, &view.title, &view.file), (&doc.path, &doc.title, &doc.file.path));
            assert_lines(view, &doc.file.text);
        }
    }

    #[test]
    fn a_document_ending_in_a_newline_has_no_extra_line() {
        let b = testing::build(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), |site| {
            for doc in site.documents.values_mut() {
                let text = format!("{}\n", doc.file.text.trim_end_matches('\n'));
                doc.file = crate::diagnostic::SourceFile::new(doc.file.path.clone(), text);
            }
        });
        for (view, doc) in b.model.sources.iter().zip(b.inputs.documents.values()) {
            assert_lines(view, &doc.file.text);
        }
    }
}
