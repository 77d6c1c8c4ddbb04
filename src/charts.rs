//! SVG charts, drawn at build time.
//!
//! Layout is ours and drawing is plotters'. plotters measures text by bytes,
//! so a Thai label would come out three times too wide (CRATES.md): every
//! chart is laid out first on a [`Canvas`] that measures and wraps Thai with
//! `thai::wrap` (ICU word breaks), and only then replayed onto plotters' SVG
//! backend at a height known in advance. The finished SVG gets a `viewBox`
//! without fixed size (it follows its container), `role="img"`, and a
//! `<title>`/`<desc>` that state the data; the page puts a data table beside it.
//!
//! Charts are designed 400 units wide, so that on a 360 px phone a 14-unit
//! label is still about 12 px, and status is never colour alone: each status
//! has a shape and a word.

use crate::data::Status;
use crate::escape::html as escape;
use crate::thai::{Breaker, text_width_em};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The width every chart is laid out for.
pub const WIDTH: i32 = 400;

/// Right-aligned text stops this far from the edge: glyphs overhang their
/// advance a little, and a clipped Thai digit reads as another digit.
const EDGE: i32 = 4;

/// The page's font stack: inline SVG inherits it through CSS anyway; this is
/// for the chart opened on its own.
const FONT: &str = "Sarabun, 'Noto Sans Thai', 'Leelawadee UI', Thonburi, Tahoma, sans-serif";

/// Text is laid out in lines this many font sizes tall: Thai stacks vowels and
/// tone marks above and below, so lines need room (DESIGN.md).
const LINE: f64 = 1.6;

pub const INK: RGBColor = RGBColor(0x1f, 0x23, 0x28);
pub const MUTED: RGBColor = RGBColor(0x57, 0x5f, 0x67);
pub const RULE: RGBColor = RGBColor(0xd0, 0xd7, 0xde);
pub const PAPER: RGBColor = RGBColor(0xf6, 0xf8, 0xfa);
pub const ACCENT: RGBColor = RGBColor(0x0b, 0x4f, 0x8a);
pub const TARGET: RGBColor = RGBColor(0x8a, 0x3b, 0x00);

/// Charts already drawn, by a fingerprint of everything that drew them (the
/// chart kind and its id, title, description, rows and words). The preview
/// keeps one between builds, so that an edit redraws only the charts whose
/// data changed; `build` draws everything once and keeps nothing.
#[derive(Default)]
pub struct Cache {
    drawn: std::sync::Mutex<std::collections::HashMap<u128, std::sync::Arc<str>>>,
    used: std::sync::Mutex<std::collections::HashSet<u128>>,
}

impl Cache {
    /// The chart drawn from `inputs`: from the cache, else drawn now.
    /// `inputs` must hold everything `draw` reads.
    pub fn draw(&self, inputs: &impl serde::Serialize, draw: impl FnOnce() -> String) -> String {
        let key = crate::fingerprint::of_serialized(inputs);
        self.used.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(key);
        if let Some(svg) = self.drawn.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&key) {
            return svg.to_string();
        }
        let svg = draw();
        self.drawn.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(key, svg.as_str().into());
        svg
    }

    /// Forgets the charts not drawn since the last sweep, so that the cache
    /// holds one build's charts, not every chart ever drawn.
    pub fn sweep(&self) {
        let mut used = self.used.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.drawn.lock().unwrap_or_else(std::sync::PoisonError::into_inner).retain(|k, _| used.contains(k));
        used.clear();
    }

    /// Charts held.
    pub fn len(&self) -> usize {
        self.drawn.lock().unwrap_or_else(std::sync::PoisonError::into_inner).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Colour, light fill and glyph of a status. Colours pass 4.5:1 on white;
/// the glyph and the word carry the meaning for readers who cannot tell the
/// colours apart.
pub fn status_style(s: Status) -> (RGBColor, RGBColor, &'static str) {
    match s {
        Status::Exceeded => (RGBColor(0x0b, 0x5c, 0xad), RGBColor(0xd6, 0xe6, 0xf7), "▲"),
        Status::Met => (RGBColor(0x1e, 0x6b, 0x34), RGBColor(0xd7, 0xef, 0xdc), "✓"),
        Status::NotMet => (RGBColor(0xb3, 0x26, 0x1e), RGBColor(0xfa, 0xdb, 0xd8), "✗"),
        Status::NotAssessed => (RGBColor(0x59, 0x5f, 0x66), RGBColor(0xee, 0xef, 0xf1), "–"),
    }
}

#[derive(Clone)]
enum Op {
    Rect { x0: i32, y0: i32, x1: i32, y1: i32, fill: Option<RGBColor>, stroke: Option<(RGBColor, u32)> },
    Line { points: Vec<(i32, i32)>, color: RGBColor, width: u32, dashed: bool },
    Text { x: i32, y: i32, text: String, size: f64, color: RGBColor, bold: bool, anchor: HPos },
    Polygon { points: Vec<(i32, i32)>, color: RGBColor },
}

/// A chart being laid out: drawing operations in chart units, replayed onto
/// plotters when the height is known.
pub struct Canvas {
    ops: Vec<Op>,
    /// Breaks every label of the chart into lines.
    breaker: Breaker,
}

impl Canvas {
    fn new(breaker: &Breaker) -> Canvas {
        Canvas { ops: Vec::new(), breaker: breaker.clone() }
    }

    fn rect(&mut self, x0: i32, y0: i32, x1: i32, y1: i32, fill: Option<RGBColor>, stroke: Option<(RGBColor, u32)>) {
        self.ops.push(Op::Rect { x0, y0, x1, y1, fill, stroke });
    }

    fn line(&mut self, points: Vec<(i32, i32)>, color: RGBColor, width: u32, dashed: bool) {
        self.ops.push(Op::Line { points, color, width, dashed });
    }

    /// One line of text whose line box starts at `top`.
    // A drawing primitive: position and style, nothing worth a struct.
    #[allow(clippy::too_many_arguments)]
    fn text(&mut self, x: i32, top: i32, text: &str, size: f64, color: RGBColor, bold: bool, anchor: HPos) {
        // Baseline sits 1.18 em into a 1.6 em line box: room above for
        // stacked Thai marks, below for descenders (ฏ ฐ ุ ู).
        let y = top + (size * 0.42).round() as i32;
        self.ops.push(Op::Text { x, y, text: text.to_string(), size, color, bold, anchor });
    }

    /// Wrapped text; returns the height used.
    #[allow(clippy::too_many_arguments)]
    fn paragraph(
        &mut self,
        x: i32,
        top: i32,
        text: &str,
        size: f64,
        max_width: i32,
        color: RGBColor,
        bold: bool,
    ) -> i32 {
        let lines = self.breaker.wrap(text, f64::from(max_width) / size);
        let lh = line_height(size);
        for (i, l) in lines.iter().enumerate() {
            self.text(x, top + i as i32 * lh, l, size, color, bold, HPos::Left);
        }
        lines.len() as i32 * lh
    }

    /// The status glyph drawn as a shape, centred at (cx, cy).
    fn glyph(&mut self, s: Status, cx: i32, cy: i32, r: i32) {
        let (color, _, _) = status_style(s);
        match s {
            Status::Exceeded => self
                .ops
                .push(Op::Polygon { points: vec![(cx, cy - r), (cx + r, cy + r - 1), (cx - r, cy + r - 1)], color }),
            Status::Met => {
                self.ops.push(Op::Polygon { points: circle_points(cx, cy, r), color });
                self.line(
                    vec![(cx - r / 2, cy), (cx - r / 6, cy + r / 2 - 1), (cx + r / 2, cy - r / 2 + 1)],
                    WHITE,
                    2,
                    false,
                );
            }
            Status::NotMet => {
                self.line(vec![(cx - r + 1, cy - r + 1), (cx + r - 1, cy + r - 1)], color, 3, false);
                self.line(vec![(cx - r + 1, cy + r - 1), (cx + r - 1, cy - r + 1)], color, 3, false);
            }
            Status::NotAssessed => {
                let mut pts = circle_points(cx, cy, r);
                pts.push(pts[0]);
                self.line(pts, color, 2, false);
                self.line(vec![(cx - r / 2, cy), (cx + r / 2, cy)], color, 2, false);
            }
        }
    }

    /// Replays the layout onto plotters' SVG backend and finishes the SVG
    /// for inline use: viewBox only, role, title and description.
    pub fn finish(self, height: i32, id: &str, title: &str, desc: &str) -> String {
        let mut buf = String::new();
        {
            let backend = SVGBackend::with_string(&mut buf, (WIDTH as u32, height.max(1) as u32));
            let area = backend.into_drawing_area();
            for op in &self.ops {
                // Errors from the string backend cannot happen (it only appends).
                let _ = match op {
                    Op::Rect { x0, y0, x1, y1, fill, stroke } => {
                        if let Some(f) = fill {
                            let _ = area.draw(&Rectangle::new([(*x0, *y0), (*x1, *y1)], f.filled()));
                        }
                        match stroke {
                            Some((c, w)) => area.draw(&Rectangle::new([(*x0, *y0), (*x1, *y1)], c.stroke_width(*w))),
                            None => Ok(()),
                        }
                    }
                    Op::Line { points, color, width, dashed: false } => {
                        area.draw(&PathElement::new(points.clone(), color.stroke_width(*width)))
                    }
                    Op::Line { points, color, width, dashed: true } => {
                        area.draw(&DashedPathElement::new(points.clone(), 6, 4, color.stroke_width(*width)))
                    }
                    Op::Polygon { points, color } => area.draw(&Polygon::new(points.clone(), color.filled())),
                    Op::Text { x, y, text, size, color, bold, anchor } => {
                        // plotters writes font-size as size / 1.24.
                        let style = if *bold { FontStyle::Bold } else { FontStyle::Normal };
                        let font = FontDesc::new(FontFamily::Name(FONT), size * 1.24, style)
                            .color(color)
                            .pos(Pos::new(*anchor, VPos::Top));
                        area.draw(&Text::new(text.as_str(), (*x, *y), font))
                    }
                };
            }
            let _ = area.present();
        }
        accessible(&buf, id, title, desc)
    }
}

fn circle_points(cx: i32, cy: i32, r: i32) -> Vec<(i32, i32)> {
    (0..16)
        .map(|i| {
            let a = f64::from(i) / 16.0 * std::f64::consts::TAU;
            (cx + (f64::from(r) * a.cos()).round() as i32, cy + (f64::from(r) * a.sin()).round() as i32)
        })
        .collect()
}

fn line_height(size: f64) -> i32 {
    (size * LINE).round() as i32
}

fn em_width(text: &str, size: f64) -> i32 {
    (text_width_em(text) * size).ceil() as i32
}

/// Turns plotters' standalone SVG into one fit to inline in a page.
fn accessible(svg: &str, id: &str, title: &str, desc: &str) -> String {
    let body_start = svg.find('>').map_or(0, |i| i + 1);
    let open = &svg[..body_start];
    let view_box =
        open.split("viewBox=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or("0 0 400 300").to_string();
    // Every <text> repeats the font stack; the root element carries it once.
    let body =
        tidy_font_sizes(&svg[body_start..]).replace(&format!(" font-family=\"{}\"", FONT.replace('\'', "&apos;")), "");
    format!(
        "<svg viewBox=\"{view_box}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" class=\"chart\" font-family=\"{font}\">\n<title id=\"{id}-title\">{title}</title>\n<desc id=\"{id}-desc\">{desc}</desc>{body}",
        id = escape(id),
        font = escape(FONT),
        title = escape(title),
        desc = escape(desc),
    )
}

/// plotters divides font sizes by 1.24 in floating point; write them back
/// as the sizes the layout used (14, not 14.000000000000002).
fn tidy_font_sizes(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(i) = rest.find("font-size=\"") {
        let start = i + "font-size=\"".len();
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find('"').unwrap_or(0);
        match rest[..end].parse::<f64>() {
            Ok(v) => out.push_str(&format!("{}", (v * 10.0).round() / 10.0)),
            Err(_) => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Words for the four statuses and the legend, as the theme labels them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StatusWords {
    pub words: [String; 4],
}

impl StatusWords {
    pub fn word(&self, s: Status) -> &str {
        &self.words[status_index(s)]
    }
}

fn status_index(s: Status) -> usize {
    match s {
        Status::Exceeded => 0,
        Status::Met => 1,
        Status::NotMet => 2,
        Status::NotAssessed => 3,
    }
}

/// A legend of the statuses present, wrapped to the chart width. Returns the height used.
fn legend(c: &mut Canvas, top: i32, words: &StatusWords, present: &[Status]) -> i32 {
    let size = 14.0;
    let lh = line_height(size);
    let (mut x, mut y) = (0, top);
    for &s in present {
        let w = 18 + em_width(words.word(s), size) + 14;
        if x > 0 && x + w > WIDTH {
            x = 0;
            y += lh;
        }
        c.glyph(s, x + 7, y + lh / 2, 6);
        c.text(x + 18, y, words.word(s), size, INK, false, HPos::Left);
        x += w;
    }
    y + lh - top
}

/// One bar of the progress chart: a strategy (or the whole plan) and how many
/// of its indicators are in each status this year.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProgressRow {
    /// E.g. "ยุทธศาสตร์ที่ ๑ สร้างพลังความร่วมมือ…".
    pub label: String,
    /// Exceeded, met, not met, not assessed.
    pub counts: [u32; 4],
    /// Numbers as the site writes them, by count (index = number).
    pub total_text: String,
}

/// "สัดส่วนความก้าวหน้า": one 100 % bar per strategy, split by status, each
/// part labelled with its glyph and count.
pub fn progress(
    id: &str,
    title: &str,
    desc: &str,
    rows: &[ProgressRow],
    words: &StatusWords,
    digits: &dyn Fn(u32) -> String,
    breaker: &Breaker,
) -> String {
    let mut c = Canvas::new(breaker);
    let present: Vec<Status> =
        Status::ALL.iter().copied().filter(|s| rows.iter().any(|r| r.counts[status_index(*s)] > 0)).collect();
    let mut y = legend(&mut c, 0, words, &present) + 10;
    let label_size = 15.0;
    let bar_h = 34;
    for row in rows {
        let (lines, _) = c.breaker.wrap_lines(&row.label, f64::from(WIDTH - 70) / label_size, 2);
        for (i, l) in lines.iter().enumerate() {
            c.text(0, y + i as i32 * line_height(label_size), l, label_size, INK, i == 0, HPos::Left);
        }
        c.text(WIDTH - EDGE, y, &row.total_text, 14.0, MUTED, false, HPos::Right);
        y += lines.len() as i32 * line_height(label_size) + 2;
        let total: u32 = row.counts.iter().sum();
        let mut x = 0;
        for (k, &s) in Status::ALL.iter().enumerate() {
            let n = row.counts[k];
            if n == 0 || total == 0 {
                continue;
            }
            let w = ((f64::from(n) / f64::from(total)) * f64::from(WIDTH)).round() as i32;
            let x1 = if x + w > WIDTH - 2 { WIDTH } else { x + w };
            let (color, fill, _) = status_style(s);
            let solid = s.achieved();
            c.rect(
                x,
                y,
                x1,
                y + bar_h,
                Some(if solid { color } else { fill }),
                Some((if solid { WHITE } else { color }, 1)),
            );
            let label = digits(n);
            let label_w = 16 + em_width(&label, 15.0);
            if x1 - x >= label_w + 8 {
                let cx = x + (x1 - x - label_w) / 2;
                let ink = if solid { WHITE } else { color };
                glyph_on(&mut c, s, cx + 6, y + bar_h / 2, ink);
                c.text(cx + 17, y + (bar_h - line_height(15.0)) / 2, &label, 15.0, ink, true, HPos::Left);
            }
            x = x1;
        }
        y += bar_h + 18;
    }
    c.finish(y, id, title, desc)
}

/// A small glyph in a given ink (on a coloured bar).
fn glyph_on(c: &mut Canvas, s: Status, cx: i32, cy: i32, ink: RGBColor) {
    let r = 5;
    match s {
        Status::Exceeded => c
            .ops
            .push(Op::Polygon { points: vec![(cx, cy - r), (cx + r, cy + r - 1), (cx - r, cy + r - 1)], color: ink }),
        Status::Met => c.line(vec![(cx - r, cy), (cx - 1, cy + r - 1), (cx + r, cy - r + 1)], ink, 2, false),
        Status::NotMet => {
            c.line(vec![(cx - r, cy - r), (cx + r, cy + r)], ink, 2, false);
            c.line(vec![(cx - r, cy + r), (cx + r, cy - r)], ink, 2, false);
        }
        Status::NotAssessed => c.line(vec![(cx - r, cy), (cx + r, cy)], ink, 2, false),
    }
}

/// One indicator in a strategy's chart.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BulletRow {
    /// "1.1".
    pub code: String,
    pub name: String,
    pub status: Status,
    /// Value and target on a common scale (0..scale_max), when both are numbers.
    pub bullet: Option<Bullet>,
    /// What stands instead of a bar: the target in words.
    pub note: String,
    /// The result in words, drawn under the note when there is no bar.
    pub result_text: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Bullet {
    pub value: f64,
    pub target: f64,
    pub scale_max: f64,
    pub value_text: String,
    pub target_text: String,
    /// What the bar's full length stands for, drawn under it: "มาตราส่วน ๐ ถึง ๑๑ เรื่อง".
    pub scale_text: String,
}

/// A strategy's indicators this year: for each, its status (glyph and word)
/// and, where target and result are numbers, the result as a bar against a
/// target mark.
pub fn bullets(
    id: &str,
    title: &str,
    desc: &str,
    rows: &[BulletRow],
    words: &StatusWords,
    breaker: &Breaker,
) -> String {
    let mut c = Canvas::new(breaker);
    let mut y = 0;
    let name_size = 15.0;
    let code_w = 46;
    let text_w = WIDTH - code_w;
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            c.line(vec![(0, y), (WIDTH, y)], RULE, 1, false);
            y += 10;
        }
        c.text(0, y, &row.code, name_size, INK, true, HPos::Left);
        let (lines, _) = c.breaker.wrap_lines(&row.name, f64::from(text_w) / name_size, 2);
        for (k, l) in lines.iter().enumerate() {
            c.text(code_w, y + k as i32 * line_height(name_size), l, name_size, INK, false, HPos::Left);
        }
        y += lines.len() as i32 * line_height(name_size) + 4;
        // Status: glyph and word, on its own line so long words never collide.
        let lh = line_height(14.0);
        c.glyph(row.status, code_w + 7, y + lh / 2, 7);
        let (color, _, _) = status_style(row.status);
        c.text(code_w + 20, y, words.word(row.status), 14.0, color, true, HPos::Left);
        y += lh + 4;
        match &row.bullet {
            Some(b) => {
                let x0 = code_w;
                let span = f64::from(WIDTH - code_w);
                let scale = |v: f64| x0 + ((v / b.scale_max).clamp(0.0, 1.0) * span).round() as i32;
                c.rect(x0, y, WIDTH, y + 16, Some(PAPER), None);
                c.rect(x0, y, scale(b.value).max(x0 + 1), y + 16, Some(ACCENT), None);
                let tx = scale(b.target);
                c.line(vec![(tx, y - 4), (tx, y + 20)], TARGET, 3, false);
                y += 22;
                // Result on the left, target on the right: each in its own
                // half, so they cannot overlap however close the values are.
                c.text(x0, y, &b.value_text, 14.0, ACCENT, true, HPos::Left);
                c.text(WIDTH - EDGE, y, &b.target_text, 14.0, TARGET, false, HPos::Right);
                y += lh;
                let small = 12.5;
                c.text(x0, y, &b.scale_text, small, MUTED, false, HPos::Left);
                y += line_height(small) + 8;
            }
            None => {
                let (lines, _) = c.breaker.wrap_lines(&row.note, f64::from(text_w) / 14.0, 2);
                for (k, l) in lines.iter().enumerate() {
                    c.text(code_w, y + k as i32 * lh, l, 14.0, MUTED, false, HPos::Left);
                }
                y += lines.len() as i32 * lh;
                if let Some(r) = &row.result_text {
                    // On its own lines: a long target in words never pushes the
                    // result out of the chart.
                    let (lines, _) = c.breaker.wrap_lines(r, f64::from(text_w) / 14.0, 2);
                    for (k, l) in lines.iter().enumerate() {
                        c.text(code_w, y + k as i32 * lh, l, 14.0, ACCENT, true, HPos::Left);
                    }
                    y += lines.len() as i32 * lh;
                }
                y += 8;
            }
        }
    }
    c.finish(y.max(1), id, title, desc)
}

/// The text alternative of [`bullets`]: per row, exactly what is drawn (the
/// target in words in full, where the drawing shortens it).
pub fn bullets_desc(rows: &[BulletRow], words: &StatusWords, indicator_word: &str) -> String {
    rows.iter()
        .map(|r| {
            let mut parts = vec![format!("{indicator_word} {}: {}", r.code, words.word(r.status))];
            match &r.bullet {
                Some(b) => parts.push(format!("{}, {} ({})", b.value_text, b.target_text, b.scale_text)),
                None => {
                    parts.push(r.note.clone());
                    parts.extend(r.result_text.clone());
                }
            }
            parts.join(". ")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// One fiscal year of an indicator's history.
#[derive(Debug, Clone, serde::Serialize)]
pub struct YearPoint {
    /// "๒๕๖๖".
    pub label: String,
    pub target: Option<f64>,
    /// What to write for the target: "≥ ๖๐", "เชิงคุณภาพ", "ยังไม่ประเมิน".
    pub target_text: String,
    pub value: Option<f64>,
    pub value_text: Option<String>,
    pub status: Option<Status>,
}

/// What an indicator's chart shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IndicatorSeries {
    /// One point per fiscal year of the plan.
    pub years: Vec<YearPoint>,
    /// The five-year target, drawn as a dashed line, and its label.
    pub final_target: f64,
    pub final_text: String,
    /// The top of the value axis, and the gridlines with their labels.
    pub scale_max: f64,
    pub ticks: Vec<(f64, String)>,
    /// What an empty year says ("ยังไม่มีผล").
    pub no_result: String,
}

/// Targets and results across the plan's years: a bar per result with its
/// value written on it, a mark per yearly target, the five-year target as a
/// dashed line.
pub fn indicator(id: &str, title: &str, desc: &str, s: &IndicatorSeries, breaker: &Breaker) -> String {
    let IndicatorSeries { years, final_target, final_text, scale_max, ticks, no_result } = s;
    let (final_target, scale_max) = (*final_target, *scale_max);
    let mut c = Canvas::new(breaker);
    let size = 14.0;
    let small = 12.5;
    let lh = line_height(size);
    let left = 38;
    let top = lh + 6; // room for the five-year target's label
    let plot_h = 180;
    let bottom = top + plot_h;
    let slot = f64::from(WIDTH - left) / years.len().max(1) as f64;
    let y_of = |v: f64| bottom - ((v / scale_max).clamp(0.0, 1.0) * f64::from(plot_h)).round() as i32;

    for (v, label) in ticks {
        let y = y_of(*v);
        c.line(vec![(left, y), (WIDTH, y)], if *v == 0.0 { MUTED } else { RULE }, 1, false);
        c.text(left - 6, y - lh / 2, label, small, MUTED, false, HPos::Right);
    }
    let fy = y_of(final_target);
    c.line(vec![(left, fy), (WIDTH, fy)], TARGET, 2, true);
    let label_w = em_width(final_text, small);
    let label_top = (fy - lh - 2).max(0);
    c.rect(WIDTH - label_w - EDGE - 4, label_top, WIDTH, label_top + lh, Some(WHITE), None);
    c.text(WIDTH - EDGE, label_top, final_text, small, TARGET, true, HPos::Right);

    for (i, p) in years.iter().enumerate() {
        let x0 = left + (slot * i as f64).round() as i32;
        let x1 = left + (slot * (i + 1) as f64).round() as i32;
        let cx = (x0 + x1) / 2;
        let bw = ((x1 - x0) as f64 * 0.5) as i32;
        if let (Some(v), Some(text)) = (p.value, &p.value_text) {
            let y = y_of(v);
            c.rect(cx - bw / 2, y, cx + bw / 2, bottom, Some(ACCENT), None);
            // The value goes above the bar, or inside it when the bar nearly
            // fills the plot.
            if y - lh < top - lh {
                c.text(cx, y + 2, text, size, WHITE, true, HPos::Center);
            } else {
                c.text(cx, y - lh, text, size, ACCENT, true, HPos::Center);
            }
        } else if p.status.is_none() {
            // Nothing reported for the year yet (a year with a status but no
            // value shows its status glyph below instead).
            let (lines, _) = c.breaker.wrap_lines(no_result, (x1 - x0 - 4) as f64 / small, 2);
            let lsh = line_height(small);
            for (k, l) in lines.iter().enumerate() {
                c.text(cx, bottom - 2 - (lines.len() - k) as i32 * lsh, l, small, MUTED, false, HPos::Center);
            }
        }
        if let Some(t) = p.target {
            let y = y_of(t);
            c.line(vec![(cx - bw / 2 - 6, y), (cx + bw / 2 + 6, y)], TARGET, 3, false);
        }
        // Under the axis: the year, the target in words, the status glyph.
        c.text(cx, bottom + 4, &p.label, size, INK, true, HPos::Center);
        let (lines, _) = c.breaker.wrap_lines(&p.target_text, (x1 - x0 - 4) as f64 / small, 2);
        for (k, l) in lines.iter().enumerate() {
            c.text(cx, bottom + 4 + lh + k as i32 * line_height(small), l, small, TARGET, false, HPos::Center);
        }
        if let Some(s) = p.status {
            c.glyph(s, cx, bottom + 4 + lh + 2 * line_height(small) + 10, 7);
        }
    }
    let height = bottom + 4 + lh + 2 * line_height(small) + 22;
    c.finish(height, id, title, desc)
}

/// One strategy on the strategy map.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MapStrategy {
    pub heading: String,
    pub name: String,
    pub issues: Vec<String>,
    pub footer: String,
}

/// The strategy map (the source's lost figure 1): vision and goal on top,
/// then each strategy with its strategic issues. Stacked, not side by side,
/// so that it reads on a phone.
pub fn strategy_map(
    id: &str,
    title: &str,
    desc: &str,
    vision: (&str, &str),
    goal: (&str, &str),
    strategies: &[MapStrategy],
    breaker: &Breaker,
) -> String {
    let mut c = Canvas::new(breaker);
    let pad = 12;
    let inner = WIDTH - 2 * pad;
    let mut y = 0;
    for (label, text) in [vision, goal] {
        let h_label = line_height(13.0);
        let lines = c.breaker.wrap(text, f64::from(inner) / 16.0).len() as i32;
        let h = pad + h_label + lines * line_height(16.0) + pad;
        c.rect(0, y, WIDTH, y + h, Some(ACCENT), None);
        c.text(pad, y + pad, label, 13.0, WHITE, false, HPos::Left);
        c.paragraph(pad, y + pad + h_label, text, 16.0, inner, WHITE, true);
        y += h;
        c.ops.push(Op::Polygon {
            points: vec![(WIDTH / 2 - 8, y + 3), (WIDTH / 2 + 8, y + 3), (WIDTH / 2, y + 11)],
            color: ACCENT,
        });
        y += 16;
    }
    for s in strategies {
        let head_lines = c.breaker.wrap(&s.name, f64::from(inner) / 15.0);
        let head_h = pad + line_height(13.0) + head_lines.len() as i32 * line_height(15.0) + pad / 2;
        let issue_lines: Vec<Vec<String>> =
            s.issues.iter().map(|i| c.breaker.wrap(i, f64::from(inner - 10) / 14.0)).collect();
        let body_h: i32 =
            issue_lines.iter().map(|l| l.len() as i32 * line_height(14.0) + 4).sum::<i32>() + line_height(13.0) + pad;
        c.rect(0, y, WIDTH, y + head_h + body_h, Some(WHITE), Some((ACCENT, 2)));
        c.rect(1, y + 1, WIDTH - 1, y + head_h, Some(PAPER), None);
        c.text(pad, y + pad, &s.heading, 13.0, ACCENT, true, HPos::Left);
        c.paragraph(pad, y + pad + line_height(13.0), &s.name, 15.0, inner, INK, true);
        let mut iy = y + head_h + 4;
        for lines in &issue_lines {
            c.rect(pad, iy + 6, pad + 4, iy + line_height(14.0) - 6, Some(ACCENT), None);
            for (k, l) in lines.iter().enumerate() {
                c.text(pad + 10, iy + k as i32 * line_height(14.0), l, 14.0, INK, false, HPos::Left);
            }
            iy += lines.len() as i32 * line_height(14.0) + 4;
        }
        c.text(pad, iy, &s.footer, 13.0, MUTED, false, HPos::Left);
        y += head_h + body_h + 12;
    }
    c.finish(y, id, title, desc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> StatusWords {
        StatusWords {
            words: ["สูงกว่าค่าเป้าหมาย".into(), "บรรลุ".into(), "ไม่บรรลุ".into(), "ยังไม่ประเมิน".into()]
        }
    }

    #[test]
    fn svg_is_accessible_and_fluid() {
        let rows = vec![ProgressRow {
            label: "ยุทธศาสตร์ที่ ๑".into(), counts: [3, 2, 0, 0], total_text: "๕".into()
        }];
        let svg =
            progress("c1", "ชื่อ <กราฟ>", "คำอธิบาย & ข้อมูล", &rows, &words(), &|n| n.to_string(), &Breaker::default());
        assert!(svg.starts_with("<svg viewBox=\"0 0 400 "), "{}", &svg[..100]);
        assert!(!svg[..200].contains("width=\""));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title id=\"c1-title\">ชื่อ &lt;กราฟ&gt;</title>"));
        assert!(svg.contains("คำอธิบาย &amp; ข้อมูล"));
        assert!(!svg.contains("00000000"), "font sizes are tidy");
    }

    #[test]
    fn hostile_labels_are_escaped_in_svg() {
        let rows = vec![BulletRow {
            code: "1.1".into(),
            name: "<script>alert(\"x\")</script> & co".into(),
            status: Status::Met,
            bullet: None,
            note: "'".into(),
            result_text: Some("</text><script>".into()),
        }];
        let svg = bullets("b", "t", "d", &rows, &words(), &Breaker::default());
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("&lt;/text&gt;"));
    }

    #[test]
    fn long_thai_labels_wrap_within_the_width() {
        let name = "ร้อยละของข้อเสนอแนะจากการตรวจสอบที่หน่วยงานที่เกี่ยวข้องนำไปพิจารณาดำเนินการ (รวมถึงการเยียวยา)";
        let rows = vec![BulletRow {
            code: "2.1".into(),
            name: name.into(),
            status: Status::Exceeded,
            bullet: None,
            note: String::new(),
            result_text: None,
        }];
        let svg = bullets("b", "t", "d", &rows, &words(), &Breaker::default());
        // Each <text> line fits in the chart by our own measure.
        for line in svg.lines().filter(|l| !l.starts_with('<')) {
            assert!(text_width_em(line) * 15.0 <= f64::from(WIDTH), "{line}");
        }
    }

    #[test]
    fn output_is_deterministic() {
        let rows = vec![ProgressRow { label: "ก".into(), counts: [1, 1, 1, 1], total_text: "๔".into() }];
        let a = progress("c", "t", "d", &rows, &words(), &|n| n.to_string(), &Breaker::default());
        let b = progress("c", "t", "d", &rows, &words(), &|n| n.to_string(), &Breaker::default());
        assert_eq!(a, b);
    }
}
