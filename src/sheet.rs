//! The editors' spreadsheet: a fiscal year's results as a workbook to fill in
//! (`prongsai sheet export`), and a filled sheet (xlsx, ods or csv) read back
//! into `content/results/<year>.json` (`prongsai sheet import`).
//!
//! The results files are formatted by hand (short objects on one line, keys
//! in the editors' order), which no serialiser reproduces, so an import does
//! not rewrite the file: it edits the values that changed in place, in the
//! text, and keeps every other byte. A sheet that changes nothing gives back
//! the same file, byte for byte.
//!
//! A workbook records the SHA-256 of the JSON it was made from (in a hidden
//! column of its header row, which survives "save as CSV"), so that an import
//! can refuse to overwrite a file edited since the export.

use crate::data::{self, Direction, Indicator, IndicatorResult, Loaded, Measure, Plan, Results, Status, TargetKind};
use crate::diagnostic::{Finding, Kind, SourceFile, closest, column_letters};
use crate::document::Located;
use crate::site::{PLAN_FILE, RESULTS_DIR};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The sheet the editor fills in.
pub const DATA_SHEET: &str = "ผลการดำเนินงาน";
/// The sheet that explains each column.
pub const HELP_SHEET: &str = "คำอธิบาย";
/// Starts the hidden cell that records where a sheet came from.
const STAMP: &str = "prongsai-sheet";

/// The columns of the data sheet, in order. The plan's columns are locked;
/// the editor's are open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Strategy,
    Indicator,
    Code,
    Name,
    Unit,
    Target,
    Value,
    Done,
    Total,
    Status,
    Summary,
    Line,
}

const COLUMNS: [Column; 12] = [
    Column::Strategy,
    Column::Indicator,
    Column::Code,
    Column::Name,
    Column::Unit,
    Column::Target,
    Column::Value,
    Column::Done,
    Column::Total,
    Column::Status,
    Column::Summary,
    Column::Line,
];

/// The hidden column holding the stamp, right of the last column.
const STAMP_COLUMN: u16 = COLUMNS.len() as u16;

impl Column {
    /// The header as written in row 1 (the target's header adds the year).
    fn header(self) -> &'static str {
        match self {
            Column::Strategy => "ยุทธศาสตร์",
            Column::Indicator => "รหัสตัวชี้วัด",
            Column::Code => "ตัวชี้วัดที่",
            Column::Name => "ชื่อตัวชี้วัด",
            Column::Unit => "หน่วย",
            Column::Target => "ค่าเป้าหมายปี",
            Column::Value => "ผลการดำเนินงาน",
            Column::Done => "จำนวนที่ทำได้",
            Column::Total => "จำนวนทั้งหมด",
            Column::Status => "สถานะ",
            Column::Summary => "สรุปผลการดำเนินงาน",
            Column::Line => "บรรทัดในเอกสารต้นทาง",
        }
    }

    fn editable(self) -> bool {
        matches!(self, Column::Value | Column::Done | Column::Total | Column::Status | Column::Summary | Column::Line)
    }

    /// Long text wraps in its cell: the width is capped, and the columns
    /// for text have room to write in even when empty.
    fn widths(self) -> (f64, f64) {
        match self {
            Column::Name => (30.0, 45.0),
            Column::Summary => (50.0, 60.0),
            Column::Target => (16.0, 30.0),
            _ => (8.0, 24.0),
        }
    }

    /// What the column holds and what to type, for the explanation sheet.
    fn explain(self) -> (&'static str, &'static str) {
        match self {
            Column::Strategy => ("รหัสยุทธศาสตร์ที่ตัวชี้วัดนี้สังกัด", "ล็อกไว้ (มาจากแผน)"),
            Column::Indicator => ("รหัสตัวชี้วัดใน plan.json ใช้จับคู่แถวกับตัวชี้วัด", "ล็อกไว้: อย่าแก้หรือลบ"),
            Column::Code => ("เลขตัวชี้วัดตามเอกสาร", "ล็อกไว้ (มาจากแผน)"),
            Column::Name => ("ชื่อตัวชี้วัด", "ล็อกไว้ (มาจากแผน)"),
            Column::Unit => ("หน่วยนับของผล", "ล็อกไว้ (มาจากแผน)"),
            Column::Target => ("ค่าเป้าหมายของปีนี้ตามแผน", "ล็อกไว้ (มาจากแผน)"),
            Column::Value => (
                "ค่าผลการดำเนินงาน",
                "ตัวเลขเท่านั้น ใช้เลขอารบิก ไม่ต้องใส่ % หรือหน่วย เช่น 66.36 (ไม่ใช่ ๖๖.๓๖ หรือ 66.36%) เว้นว่างถ้าไม่มีค่า",
            ),
            Column::Done => ("จำนวนที่ทำได้ ที่อยู่เบื้องหลังค่าร้อยละ เช่น 73", "จำนวนเต็ม ใส่คู่กับจำนวนทั้งหมด หรือเว้นว่างทั้งคู่"),
            Column::Total => ("จำนวนทั้งหมด เช่น 110", "จำนวนเต็ม ไม่น้อยกว่าจำนวนที่ทำได้"),
            Column::Status => ("สถานะที่เว็บไซต์เผยแพร่", "เลือกจากรายการ: ต้องมีทุกแถวที่กรอกผล"),
            Column::Summary => ("สรุปผลการดำเนินงาน ตามถ้อยคำของเอกสาร", "ข้อความ (Markdown ได้) ต้องมีเมื่อใส่สถานะ"),
            Column::Line => ("เลขบรรทัดในไฟล์ข้อความของเอกสารต้นทางที่ผลนี้มาจาก", "จำนวนเต็มตั้งแต่ 1 เว้นว่างได้"),
        }
    }
}

/// What went wrong with an export or an import, in Thai.
#[derive(Debug)]
pub enum SheetError {
    /// Problems in the content or in the sheet's cells, as `check` reports them.
    Findings(Vec<Finding>),
    /// The command was refused; the message says why and what to do.
    Refused(String),
    /// A file could not be read or written.
    Io { path: PathBuf, reason: String },
}

impl fmt::Display for SheetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SheetError::Findings(findings) => {
                for finding in findings {
                    write!(f, "{finding}")?;
                }
                let errors = findings.iter().filter(|f| f.is_error()).count();
                write!(f, "พบข้อผิดพลาด {errors} รายการ คำเตือน {} รายการ", findings.len() - errors)
            }
            SheetError::Refused(message) => f.write_str(message),
            SheetError::Io { path, reason } => write!(f, "{}: {reason}", path.display()),
        }
    }
}

impl std::error::Error for SheetError {}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> SheetError + '_ {
    move |e| SheetError::Io { path: path.to_path_buf(), reason: crate::files::io_reason(&e) }
}

/// The year's target as the plan states it, for a person to read.
pub fn target_text(ind: &Indicator, year: i32) -> String {
    match ind.targets.get(&year.to_string()) {
        None => "ไม่มีค่าเป้าหมายในปีนี้".to_string(),
        Some(t) => match t.kind {
            TargetKind::Numeric => t.text.clone().unwrap_or_else(|| {
                let value = t.value.map(number_text).unwrap_or_default();
                format!("{} {value} {}", direction_word(t.direction.unwrap_or(Direction::AtLeast)), ind.unit)
            }),
            TargetKind::Milestone => t.text.clone().unwrap_or_default(),
            TargetKind::NotAssessed => match (t.first_year, t.first_value) {
                (Some(y), Some(v)) => format!("ยังไม่ประเมินในปีนี้ (เริ่มประเมินปี {y} ค่าเป้าหมาย {})", number_text(v)),
                (Some(y), None) => format!("ยังไม่ประเมินในปีนี้ (เริ่มประเมินปี {y})"),
                _ => "ยังไม่ประเมินในปีนี้".to_string(),
            },
        },
    }
}

/// A number as JSON and the sheet show it: whole numbers without a
/// decimal point (`120`, not `120.0`), others in their shortest exact form.
fn number_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { format!("{v}") }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn results_rel(year: i32) -> String {
    format!("{RESULTS_DIR}/{year}.json")
}

/// The plan, loaded and checked for form.
fn load_plan(root: &Path) -> Result<Loaded<Plan>, SheetError> {
    let src = data::read_source(root, PLAN_FILE).map_err(|f| SheetError::Findings(vec![f]))?;
    data::load_json(src, data::plan_schema()).map_err(SheetError::Findings)
}

/// "ยุทธศาสตร์ 3 ตัวชี้วัด 1.1 (3-1.1)" for each indicator, and its strategy id.
fn indicator_labels(plan: &Loaded<Plan>) -> Vec<(String, String)> {
    let strategy_of_issue: HashMap<&str, &str> =
        plan.data.issues.iter().map(|i| (i.id.as_str(), i.strategy.as_str())).collect();
    let issue_of_objective: HashMap<&str, &str> =
        plan.data.objectives.iter().map(|o| (o.id.as_str(), o.issue.as_str())).collect();
    plan.data
        .indicators
        .iter()
        .map(|ind| {
            let strategy = issue_of_objective
                .get(ind.objective.as_str())
                .and_then(|issue| strategy_of_issue.get(issue))
                .copied()
                .unwrap_or_default();
            let label = if strategy.is_empty() {
                format!("ตัวชี้วัด {} ({})", ind.code, ind.id)
            } else {
                format!("ยุทธศาสตร์ {strategy} ตัวชี้วัด {} ({})", ind.code, ind.id)
            };
            (strategy.to_string(), label)
        })
        .collect()
}

/// A year's results file as it is on disk: the bytes (for the stamp) and
/// the checked data with the position of every value.
struct YearFile {
    rel: String,
    bytes: Vec<u8>,
    results: Results,
    doc: Located,
    src: SourceFile,
}

fn read_year(root: &Path, year: i32) -> Result<YearFile, SheetError> {
    let rel = results_rel(year);
    if !root.join(&rel).exists() {
        return Err(SheetError::Refused(format!(
            "ยังไม่มีไฟล์ผลของปี {year} ({rel}): สร้างด้วย prongsai new-year {year} ก่อน"
        )));
    }
    let bytes = crate::files::read(root, &rel).map_err(|f| SheetError::Findings(vec![f]))?;
    let src = SourceFile::decode(rel.clone(), bytes.clone()).map_err(|f| SheetError::Findings(vec![f]))?;
    let doc = crate::document::parse_json(&src).map_err(SheetError::Findings)?;
    let findings = data::results_schema().check(&doc, &src);
    if !findings.is_empty() {
        return Err(SheetError::Findings(findings));
    }
    // Read as the build reads it: a text written in several languages is its Thai.
    let results: Results = std::sync::Arc::unwrap_or_clone(
        data::typed(doc.clone(), src.clone(), data::results_schema()).map_err(SheetError::Findings)?.data,
    );
    Ok(YearFile { rel, bytes, results, doc, src })
}

/// The status words the sheet offers, as `check` writes them.
fn status_choices() -> Vec<&'static str> {
    Status::ALL.iter().map(|&s| status_word(s)).collect()
}

/// What `sheet export` wrote.
#[derive(Debug)]
pub struct Exported {
    pub rows: usize,
    pub results_file: String,
}

/// Writes the workbook of `year` to `out`: one row per indicator of the plan.
pub fn export(root: &Path, year: i32, out: &Path) -> Result<Exported, SheetError> {
    use rust_xlsxwriter::{
        DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
        ProtectionOptions, Workbook,
    };
    let plan = load_plan(root)?;
    let file = read_year(root, year)?;
    let labels = indicator_labels(&plan);
    let by_id: HashMap<&str, &IndicatorResult> =
        file.results.indicators.iter().rev().map(|r| (r.indicator.as_str(), r)).collect();
    let xlsx = |e: rust_xlsxwriter::XlsxError| SheetError::Io { path: out.to_path_buf(), reason: e.to_string() };

    // One row of text per indicator first, to size the columns to them.
    let rows: Vec<[Cell; 12]> = plan
        .data
        .indicators
        .iter()
        .zip(&labels)
        .map(|(ind, (strategy, _))| {
            let r = by_id.get(ind.id.as_str()).copied();
            [
                Cell::Text(strategy.clone()),
                Cell::Text(ind.id.clone()),
                Cell::Text(ind.code.clone()),
                Cell::Text(ind.name.clone()),
                Cell::Text(ind.unit.clone()),
                Cell::Text(target_text(ind, year)),
                r.and_then(|r| r.value).map_or(Cell::Empty, Cell::Number),
                r.and_then(|r| r.count.as_ref()).map_or(Cell::Empty, |c| Cell::Number(c.done as f64)),
                r.and_then(|r| r.count.as_ref()).map_or(Cell::Empty, |c| Cell::Number(c.total as f64)),
                r.map_or(Cell::Empty, |r| Cell::Text(status_word(r.status).to_string())),
                r.map_or(Cell::Empty, |r| Cell::Text(r.summary.clone())),
                r.and_then(|r| r.source.as_ref()).and_then(|s| s.line).map_or(Cell::Empty, |l| Cell::Number(l.into())),
            ]
        })
        .collect();

    let mut book = Workbook::new();
    // A fixed date: the same content gives the same workbook.
    let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(xlsx)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("ผลการดำเนินงานปีงบประมาณ {year}"))
            .set_comment(format!("สร้างโดย prongsai sheet export จาก {}", file.rel))
            .set_creation_datetime(&created),
    );
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(0xDDE6F0)
        .set_border(FormatBorder::Thin);
    let locked = Format::new().set_text_wrap().set_align(FormatAlign::Top).set_background_color(0xF0F0F0);
    let open = Format::new().set_unlocked().set_text_wrap().set_align(FormatAlign::Top);

    let sheet = book.add_worksheet();
    sheet.set_name(DATA_SHEET).map_err(xlsx)?;
    let year_header = format!("{} {year}", Column::Target.header());
    let mut widths = Vec::with_capacity(COLUMNS.len());
    for (c, col) in COLUMNS.iter().enumerate() {
        let c = c as u16;
        let title = if *col == Column::Target { year_header.as_str() } else { col.header() };
        // Excel widths count characters of about 0.5 em; Thai marks above and
        // below take none.
        let mut widest = rows
            .iter()
            .map(|r| r[c as usize].text().lines().map(crate::thai::text_width_em).fold(0.0, f64::max))
            .fold(crate::thai::text_width_em(title) * 1.1, f64::max);
        if *col == Column::Status {
            widest = status_choices().into_iter().map(crate::thai::text_width_em).fold(widest, f64::max);
        }
        let (min, max) = col.widths();
        let width = (widest * 2.0 + 3.0).clamp(min, max);
        widths.push(width);
        sheet.set_column_width(c, width).map_err(xlsx)?;
        if col.editable() {
            // Blank cells of the editor's columns stay open too.
            sheet.set_column_format(c, &open).map_err(xlsx)?;
        }
        sheet.write_string_with_format(0, c, title, &header).map_err(xlsx)?;
    }
    sheet.set_row_height(0, 36).map_err(xlsx)?;
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        // Spreadsheets do not all grow a row to its wrapped text when they
        // open a file (LibreOffice does not): give each row the height of
        // its longest cell, by the same width model as the columns.
        let lines = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| {
                let room = (width - 1.0).max(1.0) / 1.8;
                cell.text().lines().map(|l| (crate::thai::text_width_em(l) / room).ceil().max(1.0)).sum::<f64>()
            })
            .fold(1.0, f64::max);
        if lines > 1.0 {
            sheet.set_row_height(r, (lines * 18.0).min(409.0)).map_err(xlsx)?;
        }
        for (c, col) in COLUMNS.iter().enumerate() {
            let format = if col.editable() { &open } else { &locked };
            let c = c as u16;
            match &row[c as usize] {
                Cell::Number(v) => sheet.write_number_with_format(r, c, *v, format).map(|_| ()),
                Cell::Text(t) => sheet.write_string_with_format(r, c, t, format).map(|_| ()),
                _ => sheet.write_blank(r, c, format).map(|_| ()),
            }
            .map_err(xlsx)?;
        }
    }
    // Where this sheet came from, for the import: the year and the hash of
    // the file it was made from. Hidden, and in the data sheet itself so that
    // it survives saving the sheet as CSV.
    let stamp = format!("{STAMP} {year} sha256={}", sha256_hex(&file.bytes));
    sheet.write_string(0, STAMP_COLUMN, &stamp).map_err(xlsx)?;
    sheet.set_column_hidden(STAMP_COLUMN).map_err(xlsx)?;

    let last = rows.len().max(1) as u32;
    let status_col = COLUMNS.iter().position(|c| *c == Column::Status).unwrap_or_default() as u16;
    let choices = status_choices();
    let validation = DataValidation::new()
        .allow_list_strings(&choices)
        .and_then(|v| v.set_input_title("สถานะ"))
        .and_then(|v| v.set_input_message("เลือกสถานะจากรายการ"))
        .and_then(|v| v.set_error_title("สถานะไม่ถูกต้อง"))
        .and_then(|v| v.set_error_message(format!("เลือกหนึ่งในสี่สถานะ: {}", choices.join(", "))))
        .map_err(xlsx)?
        .set_error_style(DataValidationErrorStyle::Stop);
    sheet.add_data_validation(1, status_col, last, status_col, &validation).map_err(xlsx)?;
    // Printed for a meeting: A4 landscape, the header on every page.
    sheet.set_paper_size(9).set_landscape().set_print_gridlines(true);
    sheet.set_repeat_rows(0, 0).map_err(xlsx)?;
    // The header row and the columns that say which indicator a row is stay
    // in view while scrolling.
    sheet.set_freeze_panes(1, 3).map_err(xlsx)?;
    sheet.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    });

    let help = book.add_worksheet();
    help.set_name(HELP_SHEET).map_err(xlsx)?;
    help.set_paper_size(9).set_landscape().set_print_fit_to_pages(1, 0);
    help.set_column_width(0, 10).map_err(xlsx)?;
    help.set_column_width(1, 24).map_err(xlsx)?;
    help.set_column_width(2, 50).map_err(xlsx)?;
    help.set_column_width(3, 60).map_err(xlsx)?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let intro = [
        format!("แบบฟอร์มผลการดำเนินงานปีงบประมาณ {year} สร้างจาก {}", file.rel),
        format!(
            "กรอกในชีต \"{DATA_SHEET}\" เฉพาะคอลัมน์สีขาว (คอลัมน์สีเทามาจากแผนและล็อกไว้) แล้วนำเข้าด้วย: prongsai sheet import ชื่อไฟล์"
        ),
        "การนำเข้าแก้เฉพาะค่าที่เปลี่ยน และเก็บข้อมูลอื่นใน JSON ไว้ทั้งหมด (กิจกรรม ข้อความที่ระบุต่างกัน หมายเหตุ) ใช้ --dry-run เพื่อดูสิ่งที่จะเปลี่ยนก่อน".to_string(),
        "แถวที่ยังไม่มีผล ให้เว้นว่างทุกคอลัมน์ที่กรอกได้ ตัวชี้วัดนั้นจะยังรอผลอยู่".to_string(),
        "บันทึกเป็น .xlsx .ods หรือ .csv (UTF-8) ก็ได้".to_string(),
    ];
    for (r, line) in intro.iter().enumerate() {
        help.write_string(r as u32, 0, line).map_err(xlsx)?;
    }
    let top = intro.len() as u32 + 1;
    for (c, title) in ["คอลัมน์", "หัวคอลัมน์", "ความหมาย", "วิธีกรอก"].iter().enumerate()
    {
        help.write_string_with_format(top, c as u16, *title, &header).map_err(xlsx)?;
    }
    for (i, col) in COLUMNS.iter().enumerate() {
        let r = top + 1 + i as u32;
        let (meaning, how) = col.explain();
        let title = if *col == Column::Target { year_header.as_str() } else { col.header() };
        help.write_string_with_format(r, 0, column_letters(i as u32 + 1), &wrap).map_err(xlsx)?;
        help.write_string_with_format(r, 1, title, &wrap).map_err(xlsx)?;
        help.write_string_with_format(r, 2, meaning, &wrap).map_err(xlsx)?;
        help.write_string_with_format(r, 3, how, &wrap).map_err(xlsx)?;
        let lines = [(meaning, 50.0), (how, 60.0)]
            .iter()
            .map(|(text, width)| (crate::thai::text_width_em(text) / ((width - 1.0) / 1.8)).ceil())
            .fold(1.0, f64::max);
        if lines > 1.0 {
            help.set_row_height(r, lines * 18.0).map_err(xlsx)?;
        }
    }
    let r = top + 2 + COLUMNS.len() as u32;
    help.write_string(r, 0, "สถานะที่เลือกได้").map_err(xlsx)?;
    for (i, s) in Status::ALL.iter().enumerate() {
        help.write_string(r + 1 + i as u32, 1, status_word(*s)).map_err(xlsx)?;
        help.write_string(r + 1 + i as u32, 2, s.key()).map_err(xlsx)?;
    }

    let bytes = book.save_to_buffer().map_err(xlsx)?;
    write_atomically(out, &bytes)?;
    Ok(Exported { rows: rows.len(), results_file: file.rel })
}

/// Writes `bytes` to `path` through a temporary file beside it, so that a
/// failure never leaves half a file where the old one was.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), SheetError> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp =
        tempfile::Builder::new().prefix(".prongsai-").suffix(".tmp").tempfile_in(dir).map_err(io_error(path))?;
    tmp.write_all(bytes).map_err(io_error(path))?;
    tmp.as_file().sync_all().map_err(io_error(path))?;
    tmp.persist(path).map_err(|e| io_error(path)(e.error))?;
    Ok(())
}

/// One cell as read from a sheet.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Empty,
    Number(f64),
    Text(String),
    /// A date, a formula error, a true/false: never what a column wants.
    Other(String),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Number(v) => number_text(*v),
            Cell::Text(t) | Cell::Other(t) => t.clone(),
        }
    }

    fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// A sheet as rows of cells, whatever file it came from.
struct Grid {
    /// (1-based row number, cells by 0-based column).
    rows: Vec<(u32, Vec<Cell>)>,
    /// False for CSV, where every cell is text: a number written as text is
    /// then not a mistake.
    typed: bool,
}

fn read_grid(path: &Path, shown: &str) -> Result<Grid, SheetError> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    if ext == "csv" {
        let bytes = std::fs::read(path).map_err(io_error(path))?;
        // SourceFile accepts a byte-order mark (Excel writes one) and CRLF.
        let src = SourceFile::decode(shown, bytes).map_err(|f| SheetError::Findings(vec![f]))?;
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(src.text.as_bytes());
        let mut rows = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|e| {
                SheetError::Findings(vec![
                    Finding::new(Kind::InvalidValue, shown, format!("อ่าน CSV ไม่ได้ที่แถว {}: {e}", i + 1))
                        .with_help("บันทึกไฟล์ใหม่จากโปรแกรมตารางคำนวณเป็น CSV UTF-8"),
                ])
            })?;
            let cells =
                record.iter().map(|t| if t.is_empty() { Cell::Empty } else { Cell::Text(t.to_string()) }).collect();
            rows.push((i as u32 + 1, cells));
        }
        return Ok(Grid { rows, typed: false });
    }
    if !matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "xlsb" | "ods") {
        return Err(SheetError::Refused(format!("{shown}: อ่านได้เฉพาะไฟล์ .xlsx .ods และ .csv (ไฟล์นี้เป็น .{ext})")));
    }
    use calamine::{Data, Reader};
    let unreadable = |e: calamine::Error| {
        SheetError::Findings(vec![
            Finding::new(Kind::Io, shown, format!("เปิดไฟล์ตารางไม่ได้: {e}"))
                .with_help("ตรวจว่าไฟล์เป็น .xlsx หรือ .ods ที่บันทึกสมบูรณ์ (ปิดไฟล์ในโปรแกรมตารางคำนวณก่อน)"),
        ])
    };
    let mut book = calamine::open_workbook_auto(path).map_err(unreadable)?;
    let names = book.sheet_names();
    let name = names
        .iter()
        .find(|n| n.as_str() == DATA_SHEET)
        .or_else(|| names.first())
        .cloned()
        .ok_or_else(|| SheetError::Findings(vec![Finding::new(Kind::MissingField, shown, "ไฟล์นี้ไม่มีชีตใดเลย")]))?;
    let range = book.worksheet_range(&name).map_err(unreadable)?;
    let Some((top, left)) = range.start() else { return Ok(Grid { rows: Vec::new(), typed: true }) };
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            let mut cells = vec![Cell::Empty; left as usize];
            cells.extend(row.iter().map(|d| match d {
                Data::Empty => Cell::Empty,
                Data::Int(v) => Cell::Number(*v as f64),
                Data::Float(v) => Cell::Number(*v),
                Data::String(s) if s.is_empty() => Cell::Empty,
                Data::String(s) => Cell::Text(s.replace("\r\n", "\n")),
                other => Cell::Other(other.to_string()),
            }));
            (top + i as u32 + 1, cells)
        })
        .collect();
    Ok(Grid { rows, typed: true })
}

/// Options of `sheet import`.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Show what would change; write nothing.
    pub dry_run: bool,
    /// Write even if the JSON changed since the export, or the sheet does
    /// not say which JSON it came from.
    pub force: bool,
    /// The fiscal year, where the sheet does not record it.
    pub year: Option<i32>,
}

/// One value an import changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// "ยุทธศาสตร์ 3 ตัวชี้วัด 1.1 (3-1.1)".
    pub indicator: String,
    /// The column, as the sheet names it.
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// What an import did, or would do with `--dry-run`.
#[derive(Debug)]
pub struct Imported {
    pub year: i32,
    /// The results file, relative to the site root.
    pub file: String,
    pub changes: Vec<Change>,
    /// False on a dry run, or when nothing changed.
    pub written: bool,
    /// Why the stamp check was passed over (`--force`, or a dry run), if it was.
    pub stamp_note: Option<String>,
}

impl Imported {
    /// The changes as the terminal shows them, grouped by indicator.
    pub fn diff(&self) -> String {
        let mut out = String::new();
        let mut last = "";
        for c in &self.changes {
            if c.indicator != last {
                out.push_str(&c.indicator);
                out.push('\n');
                last = &c.indicator;
            }
            // Quoted, with line breaks shown: Rust's debug quoting would
            // escape Thai vowel and tone marks.
            let show = |v: &Option<String>| {
                v.as_deref().map_or("(ว่าง)".to_string(), |s| format!("\"{}\"", s.replace('\n', "\\n")))
            };
            out.push_str(&format!("  {}: {} → {}\n", c.field, show(&c.before), show(&c.after)));
        }
        out
    }
}

/// What a row of the sheet says about one indicator.
#[derive(Debug)]
struct Filled {
    indicator: usize,
    status: Option<Status>,
    value: Option<f64>,
    count: Option<(u64, u64)>,
    summary: Option<String>,
    line: Option<u32>,
}

/// Reads the sheet at `path` into the year's results file.
pub fn import(root: &Path, path: &Path, options: &ImportOptions) -> Result<Imported, SheetError> {
    let shown = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let grid = read_grid(path, &shown)?;
    let plan = load_plan(root)?;

    // The header row: the first row with anything in it.
    let Some(header_at) = grid.rows.iter().position(|(_, cells)| cells.iter().any(|c| !c.is_blank())) else {
        return Err(SheetError::Findings(vec![Finding::new(Kind::MissingField, &shown, "ตารางนี้ว่างเปล่า")]));
    };
    let (header_row, headers) = &grid.rows[header_at];
    let mut columns: HashMap<Column, usize> = HashMap::new();
    let mut stamp: Option<(i32, String)> = None;
    for (c, cell) in headers.iter().enumerate() {
        let text = cell.text();
        let text = text.trim();
        if let Some(rest) = text.strip_prefix(STAMP) {
            let mut parts = rest.split_whitespace();
            let year = parts.next().and_then(|y| y.parse().ok());
            let hash = parts.next().and_then(|h| h.strip_prefix("sha256="));
            if let (Some(y), Some(h)) = (year, hash) {
                stamp = Some((y, h.to_string()));
            }
            continue;
        }
        let found = COLUMNS
            .iter()
            .find(|col| if **col == Column::Target { text.starts_with(col.header()) } else { text == col.header() });
        if let Some(col) = found {
            columns.entry(*col).or_insert(c);
        }
    }
    let missing: Vec<&str> = [Column::Indicator, Column::Status, Column::Summary]
        .iter()
        .filter(|c| !columns.contains_key(c))
        .map(|c| c.header())
        .collect();
    if !missing.is_empty() {
        return Err(SheetError::Findings(vec![
            Finding::new(
                Kind::MissingField,
                &shown,
                format!("แถวหัวตาราง (แถว {header_row}) ไม่มีคอลัมน์ {}", missing.join(", ")),
            )
            .with_help("ใช้แบบฟอร์มจาก prongsai sheet export และอย่าแก้ชื่อหัวคอลัมน์"),
        ]));
    }

    let year = match (stamp.as_ref().map(|s| s.0), options.year) {
        (Some(s), Some(y)) if s != y => {
            return Err(SheetError::Refused(format!("{shown} เป็นแบบฟอร์มของปี {s} แต่สั่งให้นำเข้าเป็นปี {y}: ตรวจปีให้ถูก")));
        }
        (Some(y), _) | (None, Some(y)) => y,
        (None, None) => year_in_name(&shown).ok_or_else(|| {
            SheetError::Refused(format!("{shown} ไม่ได้ระบุว่าเป็นผลของปีใด: ระบุด้วย --year เช่น --year 2567"))
        })?,
    };
    let file = read_year(root, year)?;

    let mut stamp_note = None;
    let current = sha256_hex(&file.bytes);
    let stale = match &stamp {
        Some((_, hash)) if *hash == current => None,
        Some(_) => Some(format!(
            "{} ถูกแก้ไขหลังจากส่งออก {shown}: การนำเข้าอาจทับการแก้ไขนั้น ดูสิ่งที่จะเปลี่ยนด้วย --dry-run แล้วใช้ --force ถ้าต้องการนำเข้าจริง หรือส่งออกแบบฟอร์มใหม่แล้วกรอกอีกครั้ง",
            file.rel
        )),
        None => Some(format!(
            "{shown} ไม่ได้บันทึกว่าสร้างจาก {} ฉบับใด (ไม่ได้มาจาก prongsai sheet export หรือคอลัมน์ที่ซ่อนไว้หายไป): ดูสิ่งที่จะเปลี่ยนด้วย --dry-run แล้วใช้ --force ถ้าต้องการนำเข้าจริง",
            file.rel
        )),
    };
    if let Some(why) = stale {
        if !options.force && !options.dry_run {
            return Err(SheetError::Refused(why));
        }
        stamp_note = Some(why);
    }

    let at_indicator: HashMap<&str, usize> =
        plan.data.indicators.iter().enumerate().rev().map(|(i, ind)| (ind.id.as_str(), i)).collect();
    let existing: HashMap<&str, usize> =
        file.results.indicators.iter().enumerate().rev().map(|(r, ir)| (ir.indicator.as_str(), r)).collect();
    let reader = RowReader {
        file: &shown,
        columns: &columns,
        typed: grid.typed,
        results_file: &file.rel,
        has_document: file.results.document.is_some(),
    };
    let mut findings = Vec::new();
    let mut filled: Vec<Filled> = Vec::new();
    let mut rows_of: HashMap<usize, u32> = HashMap::new();
    for (row, cells) in &grid.rows[header_at + 1..] {
        let blank = |col: Column| columns.get(&col).and_then(|&c| cells.get(c)).is_none_or(Cell::is_blank);
        let editor_blank = COLUMNS.iter().filter(|c| c.editable()).all(|&c| blank(c));
        if editor_blank && blank(Column::Indicator) {
            continue;
        }
        if let Some(f) = reader.read(*row, cells, &plan.data, &at_indicator, &existing, &mut rows_of, &mut findings) {
            filled.push(f);
        }
    }
    if findings.iter().any(Finding::is_error) {
        crate::diagnostic::sort(&mut findings);
        return Err(SheetError::Findings(findings));
    }

    let labels = indicator_labels(&plan);
    let mut edit = Editor::new(&file);
    let mut changes = Vec::new();
    let mut added: Vec<&Filled> = Vec::new();
    for f in &filled {
        let id = plan.data.indicators[f.indicator].id.as_str();
        match existing.get(id) {
            Some(&r) => edit.update(r, f, &columns, &labels[f.indicator].1, &mut changes),
            None if f.status.is_some() => added.push(f),
            None => {}
        }
    }
    added.sort_by_key(|f| f.indicator);
    if !added.is_empty() {
        edit.add(&added, &plan.data, &at_indicator, &labels, &mut changes);
    }

    let text = edit.finish();
    let mut written = false;
    if !changes.is_empty() {
        // Kept as the editor's file had it: a byte-order mark, CRLF.
        let mut bytes = Vec::new();
        if file.bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.extend_from_slice(b"\xEF\xBB\xBF");
        }
        let crlf = file.bytes.windows(2).any(|w| w == b"\r\n");
        bytes.extend_from_slice(if crlf { text.replace('\n', "\r\n") } else { text.clone() }.as_bytes());
        // The new file must load as any results file does before it replaces
        // the old one.
        data::load_json::<Results>(SourceFile::new(file.rel.clone(), text), data::results_schema())
            .map_err(SheetError::Findings)?;
        if !options.dry_run {
            write_atomically(&root.join(&file.rel), &bytes)?;
            written = true;
        }
    }
    Ok(Imported { year, file: file.rel, changes, written, stamp_note })
}

/// "results-2567.xlsx" → 2567: a four-digit Buddhist-era year in the name.
fn year_in_name(name: &str) -> Option<i32> {
    let digits: Vec<char> = name.chars().collect();
    digits.windows(4).enumerate().find_map(|(i, w)| {
        let before = i.checked_sub(1).map(|j| digits[j]);
        let after = digits.get(i + 4);
        let whole = w.iter().all(char::is_ascii_digit)
            && !before.is_some_and(|c| c.is_ascii_digit())
            && !after.is_some_and(char::is_ascii_digit);
        let year: i32 = if whole { w.iter().collect::<String>().parse().ok()? } else { return None };
        (2400..2700).contains(&year).then_some(year)
    })
}

/// Reads the cells of one row, with a finding per bad cell.
struct RowReader<'a> {
    file: &'a str,
    columns: &'a HashMap<Column, usize>,
    typed: bool,
    /// The results file, and whether it names its source document (a line
    /// number means nothing without one).
    results_file: &'a str,
    has_document: bool,
}

impl RowReader<'_> {
    fn cell<'c>(&self, cells: &'c [Cell], col: Column) -> Option<&'c Cell> {
        self.columns.get(&col).and_then(|&c| cells.get(c)).filter(|c| !c.is_blank())
    }

    fn finding(&self, row: u32, col: Column, kind: Kind, message: String, help: String) -> Finding {
        let column = self.columns.get(&col).map_or(0, |&c| c as u32 + 1);
        Finding::new(kind, self.file, message).with_field(col.header()).with_help(help).at_cell(row, column)
    }

    #[allow(clippy::too_many_arguments)]
    fn read(
        &self,
        row: u32,
        cells: &[Cell],
        plan: &Plan,
        at_indicator: &HashMap<&str, usize>,
        existing: &HashMap<&str, usize>,
        rows_of: &mut HashMap<usize, u32>,
        out: &mut Vec<Finding>,
    ) -> Option<Filled> {
        let errors_before = out.iter().filter(|f| f.is_error()).count();
        let id = match self.cell(cells, Column::Indicator) {
            None => {
                out.push(self.finding(
                    row,
                    Column::Indicator,
                    Kind::MissingField,
                    "แถวนี้มีผลแต่ไม่มีรหัสตัวชี้วัด".into(),
                    "ใส่รหัสตัวชี้วัดตาม plan.json (คัดลอกจากแบบฟอร์มที่ส่งออก) หรือลบแถวนี้".into(),
                ));
                return None;
            }
            Some(c) => c.text().trim().to_string(),
        };
        let Some(&indicator) = at_indicator.get(id.as_str()) else {
            let help = match closest(&id, plan.indicators.iter().map(|i| i.id.as_str())) {
                Some(s) => format!("หมายถึง \"{s}\" หรือไม่? รหัสต้องตรงกับ id ใน indicators ของ plan.json"),
                None => "ใช้รหัสที่มีใน indicators ของ plan.json (คัดลอกจากแบบฟอร์มที่ส่งออก)".into(),
            };
            out.push(self.finding(
                row,
                Column::Indicator,
                Kind::UnknownReference,
                format!("ไม่มีตัวชี้วัดรหัส \"{id}\" ในแผน"),
                help,
            ));
            return None;
        };
        if let Some(first) = rows_of.insert(indicator, row) {
            out.push(self.finding(
                row,
                Column::Indicator,
                Kind::DuplicateId,
                format!("ตัวชี้วัด \"{id}\" อยู่ในแถว {first} แล้ว"),
                "ตัวชี้วัดหนึ่งมีได้แถวเดียว: รวมเป็นแถวเดียวแล้วลบแถวที่ซ้ำ".into(),
            ));
            return None;
        }
        let ind = &plan.indicators[indicator];
        let value = self.number(row, cells, Column::Value, out);
        let done = self.whole(row, cells, Column::Done, out);
        let total = self.whole(row, cells, Column::Total, out);
        let line = self.whole(row, cells, Column::Line, out);
        let status = self.status(row, cells, out);
        let summary = self.cell(cells, Column::Summary).map(|c| c.text().replace("\r\n", "\n"));

        if let Some(v) = value {
            if v < 0.0 || (ind.measure == Measure::Percent && v > 100.0) {
                let what = if v < 0.0 { "ติดลบ" } else { "เกิน 100" };
                out.push(self.finding(
                    row,
                    Column::Value,
                    Kind::ImpossibleValue,
                    format!("ผล {} {what} ซึ่งเป็นไปไม่ได้สำหรับ{}", number_text(v), ind.unit),
                    "ตรวจตัวเลขอีกครั้ง (ร้อยละอยู่ระหว่าง 0 ถึง 100)".into(),
                ));
            }
        }
        let count = match (done, total) {
            (Some(d), Some(t)) if d > t => {
                out.push(self.finding(
                    row,
                    Column::Done,
                    Kind::ImpossibleValue,
                    format!("จำนวนที่ทำได้ ({d}) มากกว่าจำนวนทั้งหมด ({t}) ซึ่งเป็นไปไม่ได้"),
                    "ตรวจทั้งสองจำนวนอีกครั้ง".into(),
                ));
                None
            }
            (Some(d), Some(t)) => Some((d, t)),
            (None, None) => None,
            (Some(_), None) | (None, Some(_)) => {
                let (col, other) =
                    if done.is_none() { (Column::Done, Column::Total) } else { (Column::Total, Column::Done) };
                if self.cell(cells, col).is_none() {
                    out.push(self.finding(
                        row,
                        col,
                        Kind::MissingField,
                        format!("ช่อง{}ว่าง แต่มี{}", col.header(), other.header()),
                        "ใส่ทั้งจำนวนที่ทำได้และจำนวนทั้งหมด หรือเว้นว่างทั้งคู่".into(),
                    ));
                }
                None
            }
        };
        if line.is_some_and(|l| l > 0) && !self.has_document {
            out.push(self.finding(
                row,
                Column::Line,
                Kind::InvalidValue,
                format!("ไฟล์ผลของปีนี้ ({}) ยังไม่ได้ระบุเอกสารต้นทาง จึงอ้างเลขบรรทัดไม่ได้", self.results_file),
                "เพิ่ม \"document\": { \"title\": …, \"file\": … } ในไฟล์ผลของปี หรือเว้นช่องนี้ว่าง".into(),
            ));
        }
        if line == Some(0) {
            out.push(self.finding(
                row,
                Column::Line,
                Kind::InvalidValue,
                "เลขบรรทัดต้องเริ่มที่ 1".into(),
                "ใส่เลขบรรทัดในไฟล์ข้อความของเอกสารต้นทาง หรือเว้นว่าง".into(),
            ));
        }
        let filled_in = value.is_some() || count.is_some() || summary.is_some() || line.is_some();
        if status.is_none()
            && self.cell(cells, Column::Status).is_none()
            && (filled_in || existing.contains_key(id.as_str()))
        {
            let message = if filled_in {
                "แถวนี้กรอกผลแล้วแต่ยังไม่ได้เลือกสถานะ".to_string()
            } else {
                format!("ตัวชี้วัด \"{id}\" มีผลอยู่แล้วในไฟล์ JSON แต่ช่องสถานะในแถวนี้ว่าง")
            };
            out.push(self.finding(
                row,
                Column::Status,
                Kind::MissingField,
                message,
                format!("เลือกสถานะจากรายการ: {}", status_choices().join(", ")),
            ));
        }
        if status.is_some() && summary.is_none() {
            out.push(self.finding(
                row,
                Column::Summary,
                Kind::MissingField,
                "ยังไม่มีสรุปผลการดำเนินงาน ซึ่งต้องมีเมื่อใส่สถานะ".into(),
                "เขียนสรุปผลการดำเนินงานตามถ้อยคำของเอกสาร".into(),
            ));
        }
        let errors_after = out.iter().filter(|f| f.is_error()).count();
        (errors_after == errors_before).then_some(Filled {
            indicator,
            status,
            value,
            count,
            summary,
            line: line.map(|l| l as u32),
        })
    }

    /// A number cell. Text that only looks like a number is reported with
    /// the number to type instead: Thai digits, a `%`, thousands separators,
    /// or (in xlsx and ods) a number stored as text.
    fn number(&self, row: u32, cells: &[Cell], col: Column, out: &mut Vec<Finding>) -> Option<f64> {
        let cell = self.cell(cells, col)?;
        let text = match cell {
            Cell::Number(v) if v.is_finite() => return Some(*v),
            Cell::Text(t) => t.trim().to_string(),
            other => other.text(),
        };
        let arabic = crate::thai::to_arabic_digits(&text);
        let bare = arabic.trim_end_matches('%').trim().replace(',', "");
        let parsed = bare.parse::<f64>().ok().filter(|v| v.is_finite());
        if let (Some(v), false) = (parsed, arabic != text || text.contains(['%', ','])) {
            if !self.typed {
                return Some(v);
            }
        }
        let (message, help) = match parsed {
            Some(v) if arabic != text => {
                (format!("ตัวเลข \"{text}\" เขียนด้วยเลขไทย"), format!("พิมพ์เป็นเลขอารบิก: {}", number_text(v)))
            }
            Some(v) if text.contains('%') => (
                format!("ช่องนี้ต้องเป็นตัวเลข แต่พบ \"{text}\" ที่มีเครื่องหมาย %"),
                format!("พิมพ์เฉพาะตัวเลข ไม่ต้องมี % (หน่วยอยู่ในคอลัมน์หน่วยแล้ว): {}", number_text(v)),
            ),
            Some(v) if text.contains(',') => {
                (format!("ตัวเลข \"{text}\" มีเครื่องหมายจุลภาค"), format!("พิมพ์โดยไม่มีจุลภาค: {}", number_text(v)))
            }
            Some(v) => (
                format!("ตัวเลข \"{text}\" ถูกบันทึกเป็นข้อความ ไม่ใช่ตัวเลข"),
                format!("ตั้งรูปแบบเซลล์เป็นตัวเลข (Number) แล้วพิมพ์ {} ใหม่ (หรือลบเครื่องหมาย ' ที่นำหน้า)", number_text(v)),
            ),
            None => (
                format!("ช่องนี้ต้องเป็นตัวเลข แต่พบ \"{text}\""),
                "พิมพ์เฉพาะตัวเลขด้วยเลขอารบิก เช่น 66.36 หรือเว้นว่างถ้าไม่มีค่า".to_string(),
            ),
        };
        out.push(self.finding(row, col, Kind::WrongType, message, help));
        None
    }

    /// A whole number of at least 0.
    fn whole(&self, row: u32, cells: &[Cell], col: Column, out: &mut Vec<Finding>) -> Option<u64> {
        let v = self.number(row, cells, col, out)?;
        if v < 0.0 || v.fract() != 0.0 || v > u32::MAX as f64 {
            out.push(self.finding(
                row,
                col,
                Kind::WrongType,
                format!("ช่องนี้ต้องเป็นจำนวนเต็มตั้งแต่ 0 ขึ้นไป แต่พบ {}", number_text(v)),
                "พิมพ์จำนวนเต็ม เช่น 73".into(),
            ));
            return None;
        }
        Some(v as u64)
    }

    /// A status in the words the dropdown offers (or the JSON's own keys).
    fn status(&self, row: u32, cells: &[Cell], out: &mut Vec<Finding>) -> Option<Status> {
        let cell = self.cell(cells, Column::Status)?;
        let text = cell.text();
        let text = text.trim();
        let found = Status::ALL.iter().find(|s| status_word(**s) == text || s.key().eq_ignore_ascii_case(text));
        if found.is_none() {
            let choices = status_choices();
            let help = match closest(text, choices.iter().copied()) {
                Some(s) => format!("หมายถึง \"{s}\" หรือไม่? เลือกจากรายการ: {}", choices.join(", ")),
                None => format!("เลือกจากรายการ: {}", choices.join(", ")),
            };
            out.push(self.finding(
                row,
                Column::Status,
                Kind::InvalidValue,
                format!("สถานะ \"{text}\" ไม่ใช่หนึ่งในสี่สถานะ"),
                help,
            ));
        }
        found.copied()
    }
}

/// Edits to the text of a results file, each a byte range and its
/// replacement, applied together at the end.
struct Editor<'a> {
    file: &'a YearFile,
    edits: Vec<(Range<usize>, String)>,
}

/// The order of an entry's members, for where to insert one that is new.
const ENTRY_ORDER: [&str; 9] =
    ["indicator", "status", "value", "count", "summary", "events", "statements", "note", "source"];

impl<'a> Editor<'a> {
    fn new(file: &'a YearFile) -> Editor<'a> {
        Editor { file, edits: Vec::new() }
    }

    fn text(&self) -> &str {
        &self.file.src.text
    }

    fn value(&self, pointer: &str) -> Option<&Value> {
        self.file.doc.value.pointer(pointer)
    }

    /// The members of the object at `pointer`: key, and the byte range from
    /// the key's opening quote to the end of its value, in file order.
    fn members(&self, pointer: &str) -> Vec<(String, Range<usize>)> {
        let Some(Value::Object(map)) = self.value(pointer) else { return Vec::new() };
        let mut members: Vec<(String, Range<usize>)> = map
            .keys()
            .map(|k| {
                let p = format!("{pointer}/{}", crate::document::escape(k));
                (k.clone(), self.file.doc.key_range(&p).start..self.file.doc.value_range(&p).end)
            })
            .collect();
        members.sort_by_key(|(_, r)| r.start);
        members
    }

    /// The whitespace before the line's first character at `at`.
    fn indent_at(&self, at: usize) -> String {
        let line_start = self.text()[..at].rfind('\n').map_or(0, |i| i + 1);
        self.text()[line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect()
    }

    fn replace(&mut self, pointer: &str, json: String) {
        let range = self.file.doc.value_range(pointer);
        self.edits.push((range, json));
    }

    /// Inserts `"key": json` into the object at `pointer`, after the member
    /// `after` (or after its last member), laid out like its neighbours: on a
    /// new line in an object written over several lines, after a space in
    /// one written on one line.
    fn insert(&mut self, pointer: &str, after: Option<&str>, key: &str, json: &str) {
        let members = self.members(pointer);
        let anchor = after.and_then(|a| members.iter().find(|(k, _)| k == a)).or(members.last());
        let key = serde_json::to_string(key).unwrap_or_default();
        match anchor {
            Some((_, range)) => {
                let object = self.file.doc.value_range(pointer);
                let separator = if self.text()[object.clone()].contains('\n') {
                    format!("\n{}", self.indent_at(range.start))
                } else {
                    " ".to_string()
                };
                self.edits.push((range.end..range.end, format!(",{separator}{key}: {json}")));
            }
            None => {
                let object = self.file.doc.value_range(pointer);
                self.edits.push((object, format!("{{ {key}: {json} }}")));
            }
        }
    }

    /// Removes the members `keys` of the object at `pointer` with the comma
    /// that joins each to its neighbour. At least one member must remain.
    fn remove(&mut self, pointer: &str, keys: &[&str]) {
        let members = self.members(pointer);
        let gone: Vec<bool> = members.iter().map(|(k, _)| keys.contains(&k.as_str())).collect();
        let spans: Vec<Range<usize>> = members.into_iter().map(|(_, r)| r).collect();
        self.remove_runs(&spans, &gone);
    }

    /// Removes the marked items of a list of sibling spans, run by run, each
    /// run with the separator before it (or, at the start, after it).
    fn remove_runs(&mut self, spans: &[Range<usize>], gone: &[bool]) {
        let mut i = 0;
        while i < spans.len() {
            if !gone[i] {
                i += 1;
                continue;
            }
            let start = i;
            while i < spans.len() && gone[i] {
                i += 1;
            }
            let end = i - 1;
            if start > 0 {
                self.edits.push((spans[start - 1].end..spans[end].end, String::new()));
            } else if i < spans.len() {
                self.edits.push((spans[0].start..spans[i].start, String::new()));
            }
        }
    }

    /// Brings an existing entry in line with its row.
    fn update(
        &mut self,
        r: usize,
        f: &Filled,
        columns: &HashMap<Column, usize>,
        label: &str,
        changes: &mut Vec<Change>,
    ) {
        let base = format!("/indicators/{r}");
        let old = &self.file.results.indicators[r];
        let has = |c: Column| columns.contains_key(&c);
        let mut change = |field: Column, before: Option<String>, after: Option<String>| {
            changes.push(Change { indicator: label.to_string(), field: field.header().to_string(), before, after });
        };
        if let Some(status) = f.status {
            if status != old.status {
                self.replace(&format!("{base}/status"), json_str(status.key()));
                change(Column::Status, Some(status_word(old.status).into()), Some(status_word(status).into()));
            }
        }
        if has(Column::Value) && f.value != old.value {
            match (old.value, f.value) {
                (Some(_), Some(v)) => self.replace(&format!("{base}/value"), number_text(v)),
                (None, Some(v)) => self.insert(&base, Some(self.before(&base, "value")), "value", &number_text(v)),
                (Some(_), None) => self.remove(&base, &["value"]),
                (None, None) => {}
            }
            change(Column::Value, old.value.map(number_text), f.value.map(number_text));
        }
        let old_count = old.count.as_ref().map(|c| (c.done, c.total));
        if has(Column::Done) && has(Column::Total) && f.count != old_count {
            match (old_count, f.count) {
                (Some((od, ot)), Some((d, t))) => {
                    if od != d {
                        self.replace(&format!("{base}/count/done"), d.to_string());
                    }
                    if ot != t {
                        self.replace(&format!("{base}/count/total"), t.to_string());
                    }
                }
                (None, Some((d, t))) => {
                    let after = self.before(&base, "count");
                    self.insert(&base, Some(after), "count", &format!("{{ \"done\": {d}, \"total\": {t} }}"))
                }
                (Some(_), None) => self.remove(&base, &["count"]),
                (None, None) => {}
            }
            for (col, before, after) in [
                (Column::Done, old_count.map(|c| c.0), f.count.map(|c| c.0)),
                (Column::Total, old_count.map(|c| c.1), f.count.map(|c| c.1)),
            ] {
                if before != after {
                    change(col, before.map(|v| v.to_string()), after.map(|v| v.to_string()));
                }
            }
        }
        if let Some(summary) = &f.summary {
            if *summary != old.summary {
                // A summary written in several languages keeps its
                // translations: the sheet edits its Thai.
                let pointer = format!("{base}/summary");
                let pointer = match self.file.doc.value.pointer(&pointer) {
                    Some(serde_json::Value::Object(_)) => format!("{pointer}/th"),
                    _ => pointer,
                };
                self.replace(&pointer, json_str(summary));
                change(Column::Summary, Some(old.summary.clone()), Some(summary.clone()));
            }
        }
        let old_line = old.source.as_ref().and_then(|s| s.line);
        if has(Column::Line) && f.line != old_line {
            let source = format!("{base}/source");
            match (old_line, f.line, &old.source) {
                (Some(_), Some(l), _) => self.replace(&format!("{source}/line"), l.to_string()),
                (None, Some(l), Some(_)) => self.insert(&source, None, "line", &l.to_string()),
                (None, Some(l), None) => self.insert(&base, None, "source", &format!("{{ \"line\": {l} }}")),
                (Some(_), None, Some(s)) if s.section.is_none() => self.remove(&base, &["source"]),
                (Some(_), None, _) => self.remove(&source, &["line"]),
                (None, None, _) => {}
            }
            change(Column::Line, old_line.map(|l| l.to_string()), f.line.map(|l| l.to_string()));
        }
    }

    /// The member present in the entry at `base` that `key` goes after.
    fn before(&self, base: &str, key: &str) -> &'static str {
        let at = ENTRY_ORDER.iter().position(|k| *k == key).unwrap_or(ENTRY_ORDER.len());
        ENTRY_ORDER[..at]
            .iter()
            .rev()
            .find(|k| self.value(&format!("{base}/{k}")).is_some())
            .copied()
            .unwrap_or("indicator")
    }

    /// Adds entries for indicators that had none, in plan order among the
    /// existing ones, and takes them off the pending list.
    fn add(
        &mut self,
        added: &[&Filled],
        plan: &Plan,
        at_indicator: &HashMap<&str, usize>,
        labels: &[(String, String)],
        changes: &mut Vec<Change>,
    ) {
        let entries: Vec<Range<usize>> = (0..self.file.results.indicators.len())
            .map(|r| self.file.doc.value_range(&format!("/indicators/{r}")))
            .collect();
        let array = self.file.doc.value_range("/indicators");
        // Items sit one indent deeper than the line that opens the array.
        let indent = match entries.first() {
            Some(first) => self.indent_at(first.start),
            None => format!("{}  ", self.indent_at(array.start)),
        };
        let position_of = |r: usize| {
            at_indicator.get(self.file.results.indicators[r].indicator.as_str()).copied().unwrap_or(usize::MAX)
        };
        // Each new entry goes before the first existing one (in file order)
        // that comes after it in the plan, else at the end: existing entries
        // by plan position, with the first file position from each onwards,
        // make that one binary search.
        let mut by_position: Vec<(usize, usize)> = (0..entries.len()).map(|r| (position_of(r), r)).collect();
        by_position.sort_unstable();
        let mut first_from = vec![entries.len(); by_position.len() + 1];
        for k in (0..by_position.len()).rev() {
            first_from[k] = first_from[k + 1].min(by_position[k].1);
        }
        let mut before: Vec<Vec<String>> = vec![Vec::new(); entries.len() + 1];
        for f in added {
            let k = by_position.partition_point(|(p, _)| *p <= f.indicator);
            let slot = first_from[k];
            before[slot].push(entry_text(&plan.indicators[f.indicator].id, f, &indent));
            let label = &labels[f.indicator].1;
            let status = f.status.map(|s| status_word(s).to_string());
            changes.push(Change {
                indicator: label.clone(), field: "ผลของปี".into(), before: None, after: status
            });
        }
        if entries.is_empty() {
            let closing = self.indent_at(array.start);
            let items = before[0].join(&format!(",\n{indent}"));
            self.edits.push((array, format!("[\n{indent}{items}\n{closing}]")));
        } else {
            for (slot, texts) in before.iter().enumerate() {
                if texts.is_empty() {
                    continue;
                }
                let joined = texts.join(&format!(",\n{indent}"));
                if slot < entries.len() {
                    let at = entries[slot].start;
                    self.edits.push((at..at, format!("{joined},\n{indent}")));
                } else {
                    let at = entries[entries.len() - 1].end;
                    self.edits.push((at..at, format!(",\n{indent}{joined}")));
                }
            }
        }
        // Off the pending list; the list itself goes when it empties.
        let pending = &self.file.results.pending;
        if pending.is_empty() {
            return;
        }
        let taken: std::collections::HashSet<&str> =
            added.iter().map(|f| plan.indicators[f.indicator].id.as_str()).collect();
        let gone: Vec<bool> = pending.iter().map(|p| taken.contains(p.indicator.as_str())).collect();
        if gone.iter().all(|g| *g) {
            self.remove("", &["pending"]);
        } else {
            let spans: Vec<Range<usize>> =
                (0..pending.len()).map(|i| self.file.doc.value_range(&format!("/pending/{i}"))).collect();
            self.remove_runs(&spans, &gone);
        }
    }

    /// The text with every edit applied, in one pass over the text (one
    /// splice per edit would copy the file once per edit).
    fn finish(mut self) -> String {
        let text = &self.file.src.text;
        self.edits.sort_by_key(|(range, _)| (range.start, range.end));
        let mut out = String::with_capacity(text.len() + self.edits.iter().map(|(_, r)| r.len()).sum::<usize>());
        let mut at = 0;
        for (range, replacement) in &self.edits {
            // Edits never overlap by construction; one that would is dropped
            // rather than corrupt the file, and the reload check catches it.
            if range.start < at {
                continue;
            }
            out.push_str(&text[at..range.start]);
            out.push_str(replacement);
            at = range.end;
        }
        out.push_str(&text[at..]);
        out
    }
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// A new result entry, formatted like the hand-written ones.
fn entry_text(id: &str, f: &Filled, indent: &str) -> String {
    let inner = format!("{indent}  ");
    let mut members = vec![format!("\"indicator\": {}", json_str(id))];
    if let Some(s) = f.status {
        members.push(format!("\"status\": {}", json_str(s.key())));
    }
    if let Some(v) = f.value {
        members.push(format!("\"value\": {}", number_text(v)));
    }
    if let Some((d, t)) = f.count {
        members.push(format!("\"count\": {{ \"done\": {d}, \"total\": {t} }}"));
    }
    members.push(format!("\"summary\": {}", json_str(f.summary.as_deref().unwrap_or_default())));
    if let Some(l) = f.line {
        members.push(format!("\"source\": {{ \"line\": {l} }}"));
    }
    format!("{{\n{inner}{}\n{indent}}}", members.join(&format!(",\n{inner}")))
}

/// A status in the sheet's words, the dropdown's list. Fixed rather than the
/// site's labels: a sheet is a form passed between offices, and its words
/// must read back the same whatever site imports it (the JSON keys, `met`
/// and so on, are accepted too).
fn status_word(s: Status) -> &'static str {
    match s {
        Status::Exceeded => "สูงกว่าค่าเป้าหมาย",
        Status::Met => "บรรลุ",
        Status::NotMet => "ไม่บรรลุ",
        Status::NotAssessed => "ยังไม่ประเมิน",
    }
}

/// A target's direction in the sheet's words (see [`status_word`]).
fn direction_word(d: Direction) -> &'static str {
    match d {
        Direction::AtLeast => "ไม่ต่ำกว่า",
        Direction::AtMost => "ไม่เกิน",
        Direction::Exactly => "เท่ากับ",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_found_in_file_names() {
        assert_eq!(year_in_name("results-2567.xlsx"), Some(2567));
        assert_eq!(year_in_name("ผล2568.csv"), Some(2568));
        assert_eq!(year_in_name("results-12567.csv"), None);
        assert_eq!(year_in_name("sheet.csv"), None);
        assert_eq!(year_in_name("2024.csv"), None);
    }

    #[test]
    fn numbers_print_as_json_writes_them() {
        assert_eq!(number_text(120.0), "120");
        assert_eq!(number_text(66.36), "66.36");
        assert_eq!(number_text(0.1 + 0.2), "0.30000000000000004");
    }

    #[test]
    fn column_letters_follow_spreadsheets() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(10), "J");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
    }
}
