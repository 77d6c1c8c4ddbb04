//! Pictures drawn as PNG at build time: each chart's PNG download and each
//! page's share image (Open Graph, 1200×630).
//!
//! SVG is turned into pixels by resvg (pure Rust; text shaped by rustybuzz,
//! so Thai vowels and tone marks stack as in a browser) with the theme's own
//! fonts only (`themes/<name>/fonts/`), never the system's: the same input
//! makes the same PNG bytes on every machine. Share cards are laid out here
//! as SVG, their Thai titles broken at word boundaries with [`thai::wrap`].

use crate::cache::{Cache, Key};
use crate::charts::{ACCENT, INK, MUTED, PAPER, RULE};
use crate::data::Status;
use crate::escape::html as esc;
use crate::thai;
use plotters::style::RGBColor;
use resvg::{tiny_skia, usvg};
use std::sync::Arc;

/// Why a picture could not be drawn. Only our own SVG is drawn, so this is a
/// bug rather than bad content; the build reports it with the file's name.
#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    #[error("วาดภาพ {path} ไม่ได้: SVG อ่านไม่ได้ ({reason})")]
    Svg { path: String, reason: String },
    #[error("วาดภาพ {path} ไม่ได้: ขนาดภาพ {width}×{height} ใช้ไม่ได้")]
    Size { path: String, width: u32, height: u32 },
    #[error("เขียนไฟล์ PNG {path} ไม่ได้: {reason}")]
    Encode { path: String, reason: String },
}

/// Share images are this size: what Facebook, LINE and X show large.
pub const CARD_WIDTH: u32 = 1200;
pub const CARD_HEIGHT: u32 = 630;

/// Chart PNGs are this many pixels wide (three pixels per chart unit): sharp
/// in print and on a phone's screen.
pub const CHART_PNG_WIDTH: u32 = 1200;

/// What resvg draws with: the theme's fonts, loaded once per build, and the
/// cache of PNGs drawn before.
pub struct Raster {
    fonts: Arc<usvg::fontdb::Database>,
    family: String,
    /// Identifies the fonts in cache keys.
    fonts_key: String,
    cache: Cache,
}

impl Raster {
    /// `fonts` are the bytes of the theme's font files (TrueType or
    /// OpenType). The first family is the default for text that names none
    /// of them.
    pub fn new(fonts: &[Vec<u8>], cache: Cache) -> Raster {
        let mut db = usvg::fontdb::Database::new();
        let mut key = Key::new("fonts");
        for bytes in fonts {
            db.load_font_data(bytes.clone());
            key.add(bytes);
        }
        let family = db.faces().next().and_then(|f| f.families.first().map(|(n, _)| n.clone())).unwrap_or_default();
        Raster { fonts: Arc::new(db), family, fonts_key: key.hex(), cache }
    }

    /// How many font faces there are to draw text with.
    pub fn faces(&self) -> usize {
        self.fonts.len()
    }

    fn options(&self) -> usvg::Options<'static> {
        let mut opt = usvg::Options { font_family: self.family.clone(), ..usvg::Options::default() };
        opt.fontdb = Arc::clone(&self.fonts);
        opt.languages = vec!["th".into(), "en".into()];
        opt
    }

    /// Draws `svg` `width` pixels wide (height in proportion) on white.
    /// `path` names the output file in errors.
    pub fn png(&self, svg: &str, width: u32, path: &str) -> Result<Vec<u8>, RasterError> {
        let mut key = Key::new("png");
        key.add(self.fonts_key.as_bytes()).add(&width.to_le_bytes()).add(svg.as_bytes());
        if let Some(png) = self.cache.get("png", &key) {
            return Ok(png);
        }
        let png = self.draw(svg, width, path)?;
        self.cache.put("png", &key, &png);
        Ok(png)
    }

    fn draw(&self, svg: &str, width: u32, path: &str) -> Result<Vec<u8>, RasterError> {
        let tree = usvg::Tree::from_str(svg, &self.options())
            .map_err(|e| RasterError::Svg { path: path.into(), reason: e.to_string() })?;
        let size = tree.size();
        let scale = width as f32 / size.width();
        let height = (size.height() * scale).ceil() as u32;
        let mut pixmap =
            tiny_skia::Pixmap::new(width, height).ok_or(RasterError::Size { path: path.into(), width, height })?;
        pixmap.fill(tiny_skia::Color::WHITE);
        resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
        pixmap.encode_png().map_err(|e| RasterError::Encode { path: path.into(), reason: e.to_string() })
    }
}

/// What a page's share image shows.
#[derive(Debug, Clone, Default)]
pub struct Card {
    /// The site's name, small at the top.
    pub site: String,
    /// What the page is: "ตัวชี้วัด ยุทธศาสตร์ที่ ๓ ๑.๑", "รายงานประจำปี".
    pub eyebrow: String,
    pub title: String,
    /// A line under the title: the latest status and its word, or a tally.
    pub status: Option<(Option<Status>, String)>,
    /// A chart of the page (its inline SVG), drawn on the right.
    pub chart: Option<String>,
    /// At the foot: the organisation and the site's address.
    pub footer: String,
}

const FONT: &str = "Sarabun, 'Noto Sans Thai', sans-serif";

fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

impl Card {
    /// The card as a 1200×630 SVG. Text is wrapped at Thai word boundaries
    /// and cut with "…" where it would overflow its box, so nothing is
    /// clipped whatever the title's length.
    pub fn svg(&self) -> String {
        let (w, h) = (CARD_WIDTH as i32, CARD_HEIGHT as i32);
        let margin = 64;
        let text_width = if self.chart.is_some() { 600 } else { w - 2 * margin };
        let mut out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{}\">\n",
            esc(FONT)
        );
        out.push_str(&format!("<rect width=\"{w}\" height=\"{h}\" fill=\"#FFFFFF\"/>\n"));
        out.push_str(&format!("<rect width=\"{w}\" height=\"14\" fill=\"{}\"/>\n", hex(ACCENT)));
        let mut y = 44;
        let text = |out: &mut String, y: i32, size: i32, color: RGBColor, bold: bool, s: &str| {
            out.push_str(&format!(
                "<text x=\"{margin}\" y=\"{y}\" font-size=\"{size}\" fill=\"{}\"{}>{}</text>\n",
                hex(color),
                if bold { " font-weight=\"bold\"" } else { "" },
                esc(s)
            ));
        };
        // Line boxes 1.6 em tall, baseline about 1.1 em down: room for Thai
        // marks above and below (DESIGN.md).
        let (site_lines, _) = thai::wrap_lines(&self.site, f64::from(w - 2 * margin) / 26.0, 1);
        for l in &site_lines {
            text(&mut out, y + 28, 26, MUTED, false, l);
            y += 42;
        }
        y += 22;
        if !self.eyebrow.is_empty() {
            let (lines, _) = thai::wrap_lines(&self.eyebrow, f64::from(text_width) / 30.0, 1);
            for l in &lines {
                text(&mut out, y + 32, 30, ACCENT, true, l);
                y += 50;
            }
        }
        let footer_top = h - 96;
        // The status: up to two lines in a box under the title.
        const STATUS_SIZE: i32 = 28;
        const STATUS_LINE: i32 = 42;
        let status_lines = self
            .status
            .as_ref()
            .map(|(_, words)| thai::wrap_lines(words, f64::from(text_width - 40) / f64::from(STATUS_SIZE), 2).0)
            .unwrap_or_default();
        let status_room = if status_lines.is_empty() { 0 } else { status_lines.len() as i32 * STATUS_LINE + 36 };
        // The largest title size whose lines fit above the status and footer.
        let room = footer_top - 16 - status_room - y;
        let (size, lines) = [58, 50, 44, 38]
            .iter()
            .map(|&size| {
                let line = size * 8 / 5;
                let max_lines = (room / line).max(1) as usize;
                (size, thai::wrap_lines(&self.title, f64::from(text_width) / f64::from(size), max_lines))
            })
            .find(|(_, (_, cut))| !cut)
            .unwrap_or_else(|| {
                let size = 38;
                let max_lines = (room / (size * 8 / 5)).max(1) as usize;
                (size, thai::wrap_lines(&self.title, f64::from(text_width) / f64::from(size), max_lines))
            });
        let line = size * 8 / 5;
        for l in &lines.0 {
            text(&mut out, y + size * 11 / 10, size, INK, true, l);
            y += line;
        }
        if let (Some((status, _)), false) = (&self.status, status_lines.is_empty()) {
            y += 12;
            let (color, fill) = match status {
                Some(s) => {
                    let (c, f, _) = crate::charts::status_style(*s);
                    (c, f)
                }
                None => (INK, PAPER),
            };
            let widest = status_lines.iter().map(|l| thai::text_width_em(l)).fold(0.0, f64::max);
            out.push_str(&format!(
                "<rect x=\"{margin}\" y=\"{y}\" width=\"{}\" height=\"{}\" rx=\"10\" fill=\"{}\" stroke=\"{}\" stroke-width=\"2\"/>\n",
                (widest * f64::from(STATUS_SIZE)).ceil() as i32 + 40,
                status_lines.len() as i32 * STATUS_LINE + 16,
                hex(fill),
                hex(color)
            ));
            for (i, l) in status_lines.iter().enumerate() {
                out.push_str(&format!(
                    "<text x=\"{}\" y=\"{}\" font-size=\"{STATUS_SIZE}\" font-weight=\"bold\" fill=\"{}\">{}</text>\n",
                    margin + 20,
                    y + 8 + i as i32 * STATUS_LINE + 31,
                    hex(color),
                    esc(l)
                ));
            }
        }
        if let Some(chart) = &self.chart {
            // The chart keeps its proportions inside a box on the right.
            let (x0, y0, bw, bh) =
                (margin + text_width + 32, 96, w - margin - (margin + text_width + 32), footer_top - 96 - 16);
            out.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"12\" fill=\"#FFFFFF\" stroke=\"{}\" stroke-width=\"2\"/>\n",
                x0 - 12,
                y0 - 12,
                bw + 24,
                bh + 24,
                hex(RULE)
            ));
            out.push_str(&nested(chart, x0, y0, bw, bh));
            out.push('\n');
        }
        out.push_str(&format!(
            "<rect y=\"{footer_top}\" width=\"{w}\" height=\"{}\" fill=\"{}\"/>\n",
            h - footer_top,
            hex(PAPER)
        ));
        out.push_str(&format!(
            "<line x1=\"0\" y1=\"{footer_top}\" x2=\"{w}\" y2=\"{footer_top}\" stroke=\"{}\" stroke-width=\"2\"/>\n",
            hex(RULE)
        ));
        let (lines, _) = thai::wrap_lines(&self.footer, f64::from(w - 2 * margin) / 26.0, 1);
        for l in &lines {
            text(&mut out, footer_top + 58, 26, INK, false, l);
        }
        out.push_str("</svg>\n");
        out
    }
}

/// A chart's inline SVG placed in a box of another SVG: its root element
/// gets a position and size, and keeps its viewBox (and so its proportions).
fn nested(chart: &str, x: i32, y: i32, width: i32, height: i32) -> String {
    match chart.strip_prefix("<svg") {
        Some(rest) => format!("<svg x=\"{x}\" y=\"{y}\" width=\"{width}\" height=\"{height}\"{rest}"),
        None => String::new(),
    }
}

/// A chart's inline SVG as a file of its own: an XML declaration, and a
/// white background so that it reads on a dark page too.
pub fn standalone_svg(chart: &str) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    match chart.find('>') {
        Some(i) => {
            out.push_str(&chart[..=i]);
            out.push_str("\n<rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/>");
            out.push_str(&chart[i + 1..]);
        }
        None => out.push_str(chart),
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Vec<Vec<u8>> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/fonts");
        ["Sarabun-Regular.ttf", "Sarabun-Bold.ttf"]
            .iter()
            .map(|f| std::fs::read(format!("{dir}/{f}")).unwrap())
            .collect()
    }

    #[test]
    fn theme_fonts_load_and_name_the_default_family() {
        let r = Raster::new(&fonts(), Cache::none());
        assert_eq!(r.faces(), 2);
        assert_eq!(r.family, "Sarabun");
    }

    #[test]
    fn a_card_is_a_1200_by_630_png_and_the_same_bytes_each_time() {
        let r = Raster::new(&fonts(), Cache::none());
        let card = Card {
            site: "ผลการดำเนินงานตามแผนยุทธศาสตร์".into(),
            eyebrow: "ตัวชี้วัด".into(),
            title: "ร้อยละของเรื่องร้องเรียนที่ได้รับการตรวจสอบ <&> \"ทันเวลา\"".into(),
            status: Some((Some(Status::Exceeded), "สูงกว่าค่าเป้าหมาย".into())),
            chart: None,
            footer: "กสม.".into(),
        };
        let svg = card.svg();
        assert!(svg.contains("&lt;&amp;&gt; &quot;ทันเวลา&quot;"), "{svg}");
        let png = r.png(&svg, CARD_WIDTH, "x.png").unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR: width and height, big-endian, at bytes 16..24.
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 1200);
        assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 630);
        assert_eq!(png, r.png(&svg, CARD_WIDTH, "x.png").unwrap());
    }

    #[test]
    fn thai_text_is_drawn_with_the_theme_font() {
        // Text that found no font would draw nothing: a card with its title
        // must differ from the same card without it.
        let r = Raster::new(&fonts(), Cache::none());
        let with = Card { title: "สิทธิมนุษยชน".into(), ..Card::default() };
        let without = Card::default();
        assert_ne!(r.png(&with.svg(), 600, "a").unwrap(), r.png(&without.svg(), 600, "b").unwrap());
        let none = Raster::new(&[], Cache::none());
        assert_eq!(none.png(&with.svg(), 600, "a").unwrap(), none.png(&without.svg(), 600, "b").unwrap());
    }

    #[test]
    fn a_cached_png_is_the_bytes_drawn_and_used_again() {
        let dir = tempfile::tempdir().unwrap();
        let r = Raster::new(&fonts(), Cache::at(dir.path()));
        let svg = Card { title: "สิทธิมนุษยชน".into(), ..Card::default() }.svg();
        let drawn = r.png(&svg, 300, "a").unwrap();
        assert_eq!(drawn, r.draw(&svg, 300, "a").unwrap());
        let entries: Vec<_> = std::fs::read_dir(dir.path().join(".prongsai-cache/png")).unwrap().collect();
        assert_eq!(entries.len(), 1);
        // A hit is the cached file: change it and the next call returns it.
        let entry = entries[0].as_ref().unwrap().path();
        std::fs::write(&entry, b"cached").unwrap();
        assert_eq!(r.png(&svg, 300, "a").unwrap(), b"cached");
        assert_ne!(r.png(&svg, 301, "a").unwrap(), b"cached", "another width is another entry");
    }

    #[test]
    fn a_long_title_is_cut_with_an_ellipsis_not_clipped() {
        let card = Card {
            title: "การส่งเสริมและคุ้มครองสิทธิมนุษยชน".repeat(12), ..Card::default()
        };
        assert!(card.svg().contains('…'));
    }

    #[test]
    fn standalone_svg_has_a_prolog_and_a_background() {
        let s = standalone_svg("<svg viewBox=\"0 0 4 4\" xmlns=\"http://www.w3.org/2000/svg\"><title>t</title></svg>");
        assert!(s.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg viewBox"));
        assert!(s.contains("<rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/><title>"));
    }
}
