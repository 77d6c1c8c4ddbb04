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
        lines: (1..=d.file.line_count() as u32)
            .map(|n| SourceLine {
                number: n,
                number_text: f.count(n),
                text: d.file.line_text(n).unwrap_or("").to_string(),
            })
            .collect(),
    }
}
