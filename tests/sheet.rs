//! The editors' workflow: `new-year`, `sheet export` and `sheet import`
//! (xlsx, ods, csv), `init`. Sheets are filled here the way an editor fills
//! them: by reading the exported workbook and writing a new one with the
//! same header row (and its hidden stamp) and typed cells.

mod common;

use calamine::{Data, Reader};
use common::{default_site_copy, repo};
use prongsai::data::{self, Results, Status};
use prongsai::diagnostic::Finding;
use prongsai::scaffold;
use prongsai::sheet::{self, ImportOptions, SheetError};
use prongsai::site::{self, Options};
use std::path::Path;

/// A cell as a test writes it.
#[derive(Debug, Clone, PartialEq)]
enum C {
    E,
    N(f64),
    S(String),
}

fn s(text: &str) -> C {
    C::S(text.to_string())
}

/// A sheet: the header row and one row per indicator.
type Grid = Vec<Vec<C>>;

/// The data sheet of a workbook as typed cells (empty cells padded out).
fn read_xlsx(path: &Path) -> Grid {
    let mut book = calamine::open_workbook_auto(path).expect("a workbook");
    assert_eq!(book.sheet_names(), vec![sheet::DATA_SHEET.to_string(), sheet::HELP_SHEET.to_string()]);
    let range = book.worksheet_range(sheet::DATA_SHEET).expect("the data sheet");
    assert_eq!(range.start(), Some((0, 0)));
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|d| match d {
                    Data::Empty => C::E,
                    Data::Float(v) => C::N(*v),
                    Data::Int(v) => C::N(*v as f64),
                    Data::String(t) => C::S(t.clone()),
                    other => panic!("unexpected cell {other:?}"),
                })
                .collect()
        })
        .collect()
}

fn write_xlsx(grid: &Grid, path: &Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet::DATA_SHEET).unwrap();
    for (r, row) in grid.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match cell {
                C::E => {}
                C::N(v) => {
                    sheet.write_number(r as u32, c as u16, *v).unwrap();
                }
                C::S(t) => {
                    sheet.write_string(r as u32, c as u16, t).unwrap();
                }
            }
        }
    }
    book.save(path).unwrap();
}

/// Every cell as text, as a spreadsheet saves CSV: with a byte-order mark
/// and CRLF, as Excel's "CSV UTF-8" does.
fn write_csv(grid: &Grid, path: &Path) {
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    for row in grid {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                C::E => String::new(),
                C::N(v) => format!("{v}"),
                C::S(t) => t.clone(),
            })
            .collect();
        w.write_record(&cells).unwrap();
    }
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(w.into_inner().unwrap());
    std::fs::write(path, bytes).unwrap();
}

/// A minimal OpenDocument spreadsheet, as the format defines it.
fn write_ods(grid: &Grid, path: &Path) {
    use std::io::Write;
    let esc = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let mut body = String::new();
    for row in grid {
        body.push_str("<table:table-row>");
        for cell in row {
            match cell {
                C::E => body.push_str("<table:table-cell/>"),
                C::N(v) => body.push_str(&format!(
                    "<table:table-cell office:value-type=\"float\" office:value=\"{v}\"><text:p>{v}</text:p></table:table-cell>"
                )),
                C::S(t) => {
                    body.push_str("<table:table-cell office:value-type=\"string\">");
                    for p in t.split('\n') {
                        body.push_str(&format!("<text:p>{}</text:p>", esc(p)));
                    }
                    body.push_str("</table:table-cell>");
                }
            }
        }
        body.push_str("</table:table-row>");
    }
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="{}">{body}</table:table></office:spreadsheet></office:body></office:document-content>"#,
        sheet::DATA_SHEET
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap();
}

/// The column of a header, by its text (the target's header carries the year).
fn col(grid: &Grid, header: &str) -> usize {
    grid[0]
        .iter()
        .position(|c| matches!(c, C::S(t) if t.starts_with(header)))
        .unwrap_or_else(|| panic!("no column {header}"))
}

/// The row of an indicator.
fn row(grid: &Grid, id: &str) -> usize {
    let b = col(grid, "รหัสตัวชี้วัด");
    grid.iter().position(|r| r.get(b) == Some(&s(id))).unwrap_or_else(|| panic!("no row for {id}"))
}

fn set(grid: &mut Grid, id: &str, header: &str, cell: C) {
    let (r, c) = (row(grid, id), col(grid, header));
    if grid[r].len() <= c {
        grid[r].resize(c + 1, C::E);
    }
    grid[r][c] = cell;
}

fn results(root: &Path, year: i32) -> Results {
    let rel = format!("content/results/{year}.json");
    let src = data::read_source(root, &rel).unwrap();
    std::sync::Arc::unwrap_or_clone(
        data::load_json::<Results>(src, data::results_schema()).unwrap_or_else(|f| panic!("{f:?}")).data,
    )
}

fn import(root: &Path, file: &Path, force: bool) -> Result<sheet::Imported, SheetError> {
    sheet::import(root, file, &ImportOptions { force, ..ImportOptions::default() })
}

fn findings_of(e: SheetError) -> Vec<Finding> {
    match e {
        SheetError::Findings(f) => f,
        other => panic!("expected findings, got: {other}"),
    }
}

#[test]
fn the_default_years_round_trip_is_byte_identical_even_after_edits() {
    let site = default_site_copy();
    let root = site.path();
    let json = root.join("content/results/2566.json");
    let original = std::fs::read(&json).unwrap();
    let exported = root.join("results-2566.xlsx");
    sheet::export(root, 2566, &exported).unwrap();
    let again = root.join("again-2566.xlsx");
    sheet::export(root, 2566, &again).unwrap();
    assert!(std::fs::read(&exported).unwrap() == std::fs::read(&again).unwrap(), "the same content, the same workbook");
    let grid = read_xlsx(&exported);
    assert_eq!(grid.len(), 20, "a header and a row per indicator");
    // The plan's columns are filled, and so are the editor's from the JSON.
    assert_eq!(grid[row(&grid, "3-1.1")][col(&grid, "ผลการดำเนินงาน")], C::N(66.36));
    assert_eq!(grid[row(&grid, "3-1.1")][col(&grid, "จำนวนที่ทำได้")], C::N(73.0));
    assert_eq!(grid[row(&grid, "3-1.1")][col(&grid, "สถานะ")], s("สูงกว่าค่าเป้าหมาย"));
    assert!(matches!(&grid[row(&grid, "3-1.1")][col(&grid, "ค่าเป้าหมายปี")], C::S(t) if t.ends_with("ไม่ต่ำกว่าร้อยละ ๖๐")));

    let done = import(root, &exported, false).unwrap();
    assert!(done.changes.is_empty(), "{:?}", done.changes);
    assert_eq!(std::fs::read(&json).unwrap(), original, "an unchanged sheet gives back the same bytes");

    // An editor's changes: every kind of edit (replace, insert, remove).
    let mut edited = grid.clone();
    set(&mut edited, "3-1.1", "ผลการดำเนินงาน", C::N(70.5));
    set(&mut edited, "1-1.1", "สถานะ", s("ไม่บรรลุ"));
    set(&mut edited, "1-1.1", "สรุปผลการดำเนินงาน", s("สรุปใหม่ \"ในเครื่องหมายคำพูด\"\nบรรทัดที่สอง"));
    set(&mut edited, "1-1.1", "บรรทัดในเอกสารต้นทาง", C::E);
    set(&mut edited, "1-2.1", "ผลการดำเนินงาน", C::E);
    set(&mut edited, "1-2.1", "จำนวนที่ทำได้", C::N(5.0));
    set(&mut edited, "1-2.1", "จำนวนทั้งหมด", C::N(10.0));
    set(&mut edited, "3-1.2", "บรรทัดในเอกสารต้นทาง", C::N(300.0));
    let edited_file = root.join("edited-2566.xlsx");
    write_xlsx(&edited, &edited_file);
    let done = import(root, &edited_file, false).unwrap();
    assert!(done.written);
    let diff = done.diff();
    assert!(diff.contains("ยุทธศาสตร์ 3 ตัวชี้วัด 1.1 (3-1.1)\n  ผลการดำเนินงาน: \"66.36\" → \"70.5\"\n"), "{diff}");
    assert!(diff.contains("  สถานะ: \"บรรลุ\" → \"ไม่บรรลุ\"\n"), "{diff}");
    assert!(diff.contains("  จำนวนที่ทำได้: (ว่าง) → \"5\"\n"), "{diff}");
    assert_eq!(done.changes.len(), 8, "{diff}");

    let after = results(root, 2566);
    let before: std::sync::Arc<Results> = prongsai::data::load_json(
        prongsai::diagnostic::SourceFile::new("before.json", String::from_utf8(original.clone()).unwrap()),
        prongsai::data::results_schema(),
    )
    .unwrap()
    .data;
    let find = |r: &Results, id: &str| r.indicators.iter().find(|x| x.indicator == id).unwrap().clone();
    assert_eq!(find(&after, "3-1.1").value, Some(70.5));
    assert_eq!(find(&after, "3-1.1").count, find(&before, "3-1.1").count, "the count's unit is kept");
    assert_eq!(find(&after, "1-1.1").status, Status::NotMet);
    assert_eq!(find(&after, "1-1.1").summary, "สรุปใหม่ \"ในเครื่องหมายคำพูด\"\nบรรทัดที่สอง");
    let source = find(&after, "1-1.1").source.unwrap();
    assert_eq!((source.section.as_deref(), source.line), (Some("ตารางสรุปผลการดำเนินงาน"), None));
    assert_eq!(find(&after, "1-2.1").value, None);
    assert_eq!(find(&after, "1-2.1").count.map(|c| (c.done, c.total)), Some((5, 10)));
    assert_eq!(find(&after, "3-1.2").source.and_then(|s| s.line), Some(300));
    // What the sheet does not hold is kept: events, statements, notes, and
    // everything outside the indicators.
    for (a, b) in after.indicators.iter().zip(&before.indicators) {
        assert_eq!(a.indicator, b.indicator);
        assert_eq!(a.statements, b.statements);
        assert_eq!(a.events.len(), b.events.len());
        assert_eq!(a.note, b.note);
    }
    assert_eq!(serde_json::to_value(&after.policy).unwrap(), serde_json::to_value(&before.policy).unwrap());
    let text = std::fs::read_to_string(&json).unwrap();
    assert!(
        text.contains(
            "\"source\": { \"section\": { \"th\": \"ตารางสรุปผลการดำเนินงาน\", \"en\": \"Results Summary Table\" } }"
        ),
        "edited in the file's own layout"
    );
    assert!(text.contains("\"count\": { \"done\": 5, \"total\": 10 }"));

    // The first export no longer matches the file: refused without --force.
    match import(root, &exported, false) {
        Err(SheetError::Refused(why)) => assert!(why.contains("ถูกแก้ไขหลังจากส่งออก"), "{why}"),
        other => panic!("a stale sheet must be refused: {other:?}"),
    }
    // With --force it puts every value back, and the file is the original again.
    let done = import(root, &exported, true).unwrap();
    assert_eq!(done.changes.len(), 8);
    assert_eq!(std::fs::read_to_string(&json).unwrap(), String::from_utf8(original).unwrap());
}

#[test]
fn an_import_refuses_a_json_changed_since_the_export() {
    let site = default_site_copy();
    let root = site.path();
    let json = root.join("content/results/2566.json");
    let exported = root.join("results-2566.xlsx");
    sheet::export(root, 2566, &exported).unwrap();
    let mut grid = read_xlsx(&exported);
    set(&mut grid, "3-1.1", "ผลการดำเนินงาน", C::N(70.0));
    write_xlsx(&grid, &exported);

    // Someone edits the JSON by hand after the export.
    let text = std::fs::read_to_string(&json).unwrap().replacen(
        "\"th\": \"ตารางสรุปผลการดำเนินงาน\"",
        "\"th\": \"ตารางสรุปผลการดำเนินงาน (แก้ด้วยมือ)\"",
        1,
    );
    std::fs::write(&json, &text).unwrap();
    let err = import(root, &exported, false).unwrap_err();
    assert!(matches!(&err, SheetError::Refused(m) if m.contains("--force")), "{err}");
    assert_eq!(std::fs::read_to_string(&json).unwrap(), text, "nothing written");

    // A dry run shows the change and writes nothing, stale or not.
    let dry = sheet::import(root, &exported, &ImportOptions { dry_run: true, ..ImportOptions::default() }).unwrap();
    assert!(!dry.written && dry.stamp_note.is_some());
    assert_eq!(dry.changes.len(), 1);
    assert_eq!(std::fs::read_to_string(&json).unwrap(), text);

    // --force writes the sheet's value and keeps the hand edit.
    let done = import(root, &exported, true).unwrap();
    assert!(done.written);
    let after = std::fs::read_to_string(&json).unwrap();
    assert!(after.contains("(แก้ด้วยมือ)"));
    assert_eq!(after, text.replacen("\"value\": 66.36", "\"value\": 70", 1));
}

/// A fresh year, exported after `new-year`.
fn new_year_sheet(root: &Path) -> (std::path::PathBuf, Grid) {
    scaffold::new_year(root, 2567).unwrap();
    let exported = root.join("results-2567.xlsx");
    sheet::export(root, 2567, &exported).unwrap();
    let grid = read_xlsx(&exported);
    (exported, grid)
}

#[test]
fn a_sheet_filled_with_mistakes_gets_findings_naming_row_and_column() {
    let site = default_site_copy();
    let root = site.path();
    let (_, mut grid) = new_year_sheet(root);
    let json = root.join("content/results/2567.json");
    let before = std::fs::read(&json).unwrap();

    // Thai digits, a percent sign, a misspelt status, a count above its
    // total, a number stored as text, an empty required cell, a status left
    // out, and a row for an indicator the plan does not have.
    let value = "ผลการดำเนินงาน";
    let (status, summary) = ("สถานะ", "สรุปผลการดำเนินงาน");
    set(&mut grid, "1-1.1", value, s("๖๖.๓๖"));
    set(&mut grid, "1-1.1", status, s("บรรลุ"));
    set(&mut grid, "1-1.1", summary, s("สรุป"));
    set(&mut grid, "1-2.1", value, s("66.36%"));
    set(&mut grid, "1-2.1", status, s("บันลุ"));
    set(&mut grid, "1-2.1", summary, s("สรุป"));
    set(&mut grid, "3-1.1", "จำนวนที่ทำได้", C::N(113.0));
    set(&mut grid, "3-1.1", "จำนวนทั้งหมด", C::N(110.0));
    set(&mut grid, "3-1.1", status, s("บรรลุ"));
    set(&mut grid, "3-1.1", summary, s("สรุป"));
    set(&mut grid, "3-1.2", value, s("70"));
    set(&mut grid, "3-1.2", status, s("บรรลุ"));
    set(&mut grid, "3-2.1", value, C::N(90.0));
    set(&mut grid, "3-2.1", status, s("สูงกว่าค่าเป้าหมาย"));
    set(&mut grid, "3-2.1", "บรรทัดในเอกสารต้นทาง", C::N(12.0));
    set(&mut grid, "4-1.1", value, C::N(12.0));
    let mut extra = grid[row(&grid, "4-1.1")].clone();
    extra[col(&grid, "รหัสตัวชี้วัด")] = s("3-1.9");
    grid.push(extra);
    let filled = root.join("results-2567.xlsx");
    write_xlsx(&grid, &filled);

    let findings = findings_of(import(root, &filled, false).unwrap_err());
    let got: Vec<String> = findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {}: {} | {}",
                f.kind.code(),
                f.location(),
                f.field.as_deref().unwrap_or(""),
                f.message,
                f.help.as_deref().unwrap_or("")
            )
        })
        .collect();
    let expected = [
        "wrong-type results-2567.xlsx: แถว 2 คอลัมน์ G ผลการดำเนินงาน: ตัวเลข \"๖๖.๓๖\" เขียนด้วยเลขไทย | พิมพ์เป็นเลขอารบิก: 66.36",
        "wrong-type results-2567.xlsx: แถว 3 คอลัมน์ G ผลการดำเนินงาน: ช่องนี้ต้องเป็นตัวเลข แต่พบ \"66.36%\" ที่มีเครื่องหมาย % | พิมพ์เฉพาะตัวเลข ไม่ต้องมี % (หน่วยอยู่ในคอลัมน์หน่วยแล้ว): 66.36",
        "invalid-value results-2567.xlsx: แถว 3 คอลัมน์ J สถานะ: สถานะ \"บันลุ\" ไม่ใช่หนึ่งในสี่สถานะ | หมายถึง \"บรรลุ\" หรือไม่? เลือกจากรายการ: สูงกว่าค่าเป้าหมาย, บรรลุ, ไม่บรรลุ, ยังไม่ประเมิน",
        "impossible-value results-2567.xlsx: แถว 11 คอลัมน์ H จำนวนที่ทำได้: จำนวนที่ทำได้ (113) มากกว่าจำนวนทั้งหมด (110) ซึ่งเป็นไปไม่ได้ | ตรวจทั้งสองจำนวนอีกครั้ง",
        "wrong-type results-2567.xlsx: แถว 12 คอลัมน์ G ผลการดำเนินงาน: ตัวเลข \"70\" ถูกบันทึกเป็นข้อความ ไม่ใช่ตัวเลข | ตั้งรูปแบบเซลล์เป็นตัวเลข (Number) แล้วพิมพ์ 70 ใหม่ (หรือลบเครื่องหมาย ' ที่นำหน้า)",
        "missing-field results-2567.xlsx: แถว 12 คอลัมน์ K สรุปผลการดำเนินงาน: ยังไม่มีสรุปผลการดำเนินงาน ซึ่งต้องมีเมื่อใส่สถานะ | เขียนสรุปผลการดำเนินงานตามถ้อยคำของเอกสาร",
        "missing-field results-2567.xlsx: แถว 13 คอลัมน์ K สรุปผลการดำเนินงาน: ยังไม่มีสรุปผลการดำเนินงาน ซึ่งต้องมีเมื่อใส่สถานะ | เขียนสรุปผลการดำเนินงานตามถ้อยคำของเอกสาร",
        "invalid-value results-2567.xlsx: แถว 13 คอลัมน์ L บรรทัดในเอกสารต้นทาง: ไฟล์ผลของปีนี้ (content/results/2567.json) ยังไม่ได้ระบุเอกสารต้นทาง จึงอ้างเลขบรรทัดไม่ได้ | เพิ่ม \"document\": { \"title\": …, \"file\": … } ในไฟล์ผลของปี หรือเว้นช่องนี้ว่าง",
        "missing-field results-2567.xlsx: แถว 16 คอลัมน์ J สถานะ: แถวนี้กรอกผลแล้วแต่ยังไม่ได้เลือกสถานะ | เลือกสถานะจากรายการ: สูงกว่าค่าเป้าหมาย, บรรลุ, ไม่บรรลุ, ยังไม่ประเมิน",
        "unknown-reference results-2567.xlsx: แถว 21 คอลัมน์ B รหัสตัวชี้วัด: ไม่มีตัวชี้วัดรหัส \"3-1.9\" ในแผน | หมายถึง \"3-1.1\" หรือไม่? รหัสต้องตรงกับ id ใน indicators ของ plan.json",
    ];
    assert_eq!(got, expected, "\n{}", got.join("\n"));
    assert!(findings.iter().all(Finding::is_error));
    // As `check` prints them: the file, the row and the column.
    assert!(
        findings[0].to_string().contains("  --> results-2567.xlsx: แถว 2 คอลัมน์ G  (ผลการดำเนินงาน)\n"),
        "{}",
        findings[0]
    );
    assert_eq!(std::fs::read(&json).unwrap(), before, "a sheet with errors writes nothing");
}

#[test]
fn new_year_then_sheet_then_check_and_build_give_a_site_with_two_years() {
    let site = default_site_copy();
    let root = site.path();
    // The year must not exist yet, and is never overwritten.
    match scaffold::new_year(root, 2566) {
        Err(SheetError::Refused(why)) => assert!(why.contains("มีไฟล์ผลของปี 2566 อยู่แล้ว"), "{why}"),
        other => panic!("new-year must refuse an existing year: {other:?}"),
    }
    match scaffold::new_year(root, 2571) {
        Err(SheetError::Refused(why)) => assert!(why.contains("นอกช่วงของแผน"), "{why}"),
        other => panic!("new-year must refuse a year outside the plan: {other:?}"),
    }
    let (_, mut grid) = new_year_sheet(root);
    assert!(matches!(scaffold::new_year(root, 2567), Err(SheetError::Refused(_))));
    for page in ["strategies/1.md", "strategies/4.md", "analysis.md", "problems.md", "recommendations.md"] {
        let text = std::fs::read_to_string(root.join("content/pages/years/2567").join(page)).unwrap();
        assert!(text.contains("year = 2567") && text.contains("draft = true"), "{page}: {text}");
    }
    let pending = results(root, 2567);
    assert!(pending.indicators.is_empty());
    assert_eq!(pending.pending.len(), 19);
    let target = pending.pending.iter().find(|p| p.indicator == "4-1.2").unwrap();
    assert_eq!(target.target.as_deref(), Some("กำหนดค่าเป้าหมายไว้ร้อยละ ๗๕"));

    // A half-filled year: every indicator without a result is a warning,
    // and the site still checks and builds.
    let (_, findings, _) = site::check(root, &Options::default());
    assert!(!findings.iter().any(Finding::is_error), "{findings:?}");
    let missing = findings.iter().filter(|f| f.file == "content/results/2567.json").count();
    assert_eq!(missing, 19);

    // Fill two indicators, as text in a CSV (Excel's "CSV UTF-8").
    set(&mut grid, "4-1.2", "ผลการดำเนินงาน", C::N(80.25));
    set(&mut grid, "4-1.2", "สถานะ", s("สูงกว่าค่าเป้าหมาย"));
    set(&mut grid, "4-1.2", "สรุปผลการดำเนินงาน", s("ผลสำรวจความพึงพอใจ ร้อยละ ๘๐.๒๕"));
    set(&mut grid, "3-1.1", "ผลการดำเนินงาน", C::N(70.0));
    set(&mut grid, "3-1.1", "จำนวนที่ทำได้", C::N(77.0));
    set(&mut grid, "3-1.1", "จำนวนทั้งหมด", C::N(110.0));
    // No target this year: not assessed, as the source would say.
    set(&mut grid, "3-1.1", "สถานะ", s("not_assessed"));
    set(&mut grid, "3-1.1", "สรุปผลการดำเนินงาน", s("ตรวจสอบทันเวลา ๗๗ จาก ๑๑๐ คำร้อง"));
    let csv = root.join("results-2567.csv");
    write_csv(&grid, &csv);
    let done = import(root, &csv, false).unwrap();
    assert!(done.written, "the CSV keeps the export's stamp in its hidden column");
    let filled = results(root, 2567);
    let ids: Vec<&str> = filled.indicators.iter().map(|r| r.indicator.as_str()).collect();
    assert_eq!(ids, ["3-1.1", "4-1.2"], "new entries in plan order");
    assert_eq!(filled.pending.len(), 17);
    assert!(!filled.pending.iter().any(|p| p.indicator == "3-1.1" || p.indicator == "4-1.2"));
    assert_eq!(filled.indicators[0].count.as_ref().map(|c| (c.done, c.total)), Some((77, 110)));

    let (_, findings, _) = site::check(root, &Options::default());
    assert!(!findings.iter().any(Finding::is_error), "{findings:?}");
    let (untranslated, warned): (Vec<&Finding>, Vec<&Finding>) = findings
        .iter()
        .filter(|f| f.file == "content/results/2567.json")
        .partition(|f| f.kind.code() == "missing-translation");
    assert_eq!(warned.len(), 17, "{warned:?}");
    // The site is in Thai and English: the two summaries typed into the
    // sheet have no English yet.
    assert_eq!(untranslated.len(), 2, "{untranslated:?}");
    assert!(untranslated.iter().all(|f| f.field.as_deref().is_some_and(|p| p.contains("summary"))), "{untranslated:?}");

    let built = site::build(root, &Options::default()).unwrap_or_else(|f| panic!("{:?}", f.findings()));
    assert!(built.files.contains_key("years/2567/index.html"));
    for (id, years) in [
        ("4-1.2", ["ปี ๒๕๖๖: ค่าเป้าหมาย", "ปี ๒๕๖๗: ค่าเป้าหมาย ≥ ๗๕, ผล ๘๐.๒๕ (สูงกว่าค่าเป้าหมาย)"]),
        ("3-1.1", ["ปี ๒๕๖๖: ค่าเป้าหมาย ≥ ๖๐, ผล ๖๖.๓๖ (สูงกว่าค่าเป้าหมาย)", "ปี ๒๕๖๗: ค่าเป้าหมาย –, ผล ๗๐"]),
    ] {
        let html = String::from_utf8(built.files[&format!("indicators/{id}/index.html")].clone()).unwrap();
        let desc = html.split("<desc").nth(1).and_then(|d| d.split("</desc>").next()).unwrap();
        for year in years {
            assert!(desc.contains(year), "{id}: the chart shows {year}: {desc}");
        }
    }
    // The drafts are not published.
    assert!(!built.files.contains_key("years/2567/analysis/index.html"));
}

#[test]
fn an_ods_sheet_imports_like_an_xlsx() {
    let site = default_site_copy();
    let root = site.path();
    let (_, mut grid) = new_year_sheet(root);
    set(&mut grid, "2-1.1", "สถานะ", s("ยังไม่ประเมิน"));
    set(&mut grid, "2-1.1", "สรุปผลการดำเนินงาน", s("อยู่ระหว่างพัฒนาดัชนี\n\nยังไม่มีผลในปีนี้"));
    let ods = root.join("ผล-2567.ods");
    write_ods(&grid, &ods);
    let done = import(root, &ods, false).unwrap();
    assert!(done.written);
    let filled = results(root, 2567);
    assert_eq!(filled.indicators.len(), 1);
    assert_eq!(filled.indicators[0].status, Status::NotAssessed);
    assert_eq!(filled.indicators[0].summary, "อยู่ระหว่างพัฒนาดัชนี\n\nยังไม่มีผลในปีนี้");

    // A CSV made by hand records no export: refused without --force, and
    // the year comes from --year or the file name.
    let hand = root.join("hand.csv");
    std::fs::write(&hand, "รหัสตัวชี้วัด,สถานะ,สรุปผลการดำเนินงาน,ผลการดำเนินงาน\n4-1.2,บรรลุ,สรุป,75\n").unwrap();
    assert!(matches!(import(root, &hand, false), Err(SheetError::Refused(m)) if m.contains("--year")));
    let options = ImportOptions { year: Some(2567), ..ImportOptions::default() };
    assert!(matches!(sheet::import(root, &hand, &options), Err(SheetError::Refused(m)) if m.contains("--force")));
    let forced = sheet::import(root, &hand, &ImportOptions { force: true, ..options }).unwrap();
    assert!(forced.written);
    assert_eq!(
        results(root, 2567).indicators.iter().map(|r| r.indicator.as_str()).collect::<Vec<_>>(),
        ["2-1.1", "4-1.2"]
    );
}

#[test]
fn init_makes_a_site_that_checks_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("new-site");
    let done = scaffold::init(&root, false).unwrap();
    assert!(done.files > 20);
    for file in [
        "README.md",
        ".vscode/settings.json",
        "schemas/results.schema.json",
        "content/site.toml",
        "themes/default/theme.toml",
    ] {
        assert!(root.join(file).is_file(), "{file}");
    }
    let (_, findings, _) = site::check(&root, &Options::default());
    assert!(findings.is_empty(), "a new site checks clean: {findings:?}");
    let built = site::build(&root, &Options::default()).unwrap_or_else(|f| panic!("{:?}", f.findings()));
    for page in ["index.html", "indicators/1-1.1/index.html", "indicators/1-1.2/index.html", "years/2568/index.html"] {
        assert!(built.files.contains_key(page), "{page}");
    }
    // Its schemas are the ones the code publishes (and the repository holds).
    for (name, _) in data::published_schemas() {
        let same = std::fs::read(root.join("schemas").join(name)).unwrap()
            == std::fs::read(repo().join("schemas").join(name)).unwrap();
        assert!(same, "schemas/{name} differs from the repository's");
    }
    // The next year's cycle works on it too.
    scaffold::new_year(&root, 2569).unwrap();
    assert!(site::build(&root, &Options::default()).is_ok());

    // A folder with files in it is refused, and left alone.
    let err = scaffold::init(&root, false).unwrap_err();
    assert!(matches!(err, SheetError::Refused(_)), "{err}");

    // --example is the default site.
    let example = dir.path().join("example");
    scaffold::init(&example, true).unwrap();
    assert_eq!(
        std::fs::read(example.join("content/results/2566.json")).unwrap(),
        std::fs::read(repo().join("content/results/2566.json")).unwrap()
    );
    let (_, findings, _) = site::check(&example, &Options::default());
    assert!(!findings.iter().any(Finding::is_error));
    let mine = site::build(&example, &Options::default()).unwrap_or_else(|f| panic!("{:?}", f.findings()));
    let default = common::default_site();
    assert_eq!(mine.files.get("indicators/3-1.1/index.html"), default.files.get("indicators/3-1.1/index.html"));
}

#[test]
fn the_commands_print_the_diff_and_refuse_with_exit_status_1() {
    use std::process::Command;
    let site = default_site_copy();
    let root = site.path();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_prongsai")).args(args).arg("--root").arg(root).output().unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
    };
    let xlsx = root.join("r-2566.xlsx");
    let xlsx_arg = xlsx.to_str().unwrap();
    let (code, _, err) = run(&["sheet", "export", "2566", xlsx_arg]);
    assert_eq!(code, Some(0), "{err}");
    let mut grid = read_xlsx(&xlsx);
    set(&mut grid, "3-1.1", "ผลการดำเนินงาน", C::N(70.0));
    write_xlsx(&grid, &xlsx);
    let json = root.join("content/results/2566.json");
    let before = std::fs::read(&json).unwrap();

    let (code, out, err) = run(&["sheet", "import", xlsx_arg, "--dry-run"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, "ยุทธศาสตร์ 3 ตัวชี้วัด 1.1 (3-1.1)\n  ผลการดำเนินงาน: \"66.36\" → \"70\"\n");
    assert!(err.contains("--dry-run: ยังไม่ได้บันทึก"), "{err}");
    assert_eq!(std::fs::read(&json).unwrap(), before);

    set(&mut grid, "3-1.1", "สถานะ", s("บรรลุเป้า"));
    write_xlsx(&grid, &xlsx);
    let (code, _, err) = run(&["sheet", "import", xlsx_arg]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains(
            "ข้อผิดพลาด[invalid-value]: สถานะ \"บรรลุเป้า\" ไม่ใช่หนึ่งในสี่สถานะ\n  --> r-2566.xlsx: แถว 11 คอลัมน์ J  (สถานะ)\n"
        ),
        "{err}"
    );
    assert_eq!(std::fs::read(&json).unwrap(), before);

    let (code, _, err) = run(&["new-year", "2566"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("มีไฟล์ผลของปี 2566 อยู่แล้ว"), "{err}");
}
