//! The editors' workflow on a generated plan: how long `new-year`, `sheet
//! export` and `sheet import` take as the plan grows, in process (the same
//! library calls the commands make).
//!
//!   cargo run --release --example sheet_scale              # N = 2000 10000
//!   cargo run --release --example sheet_scale -- 500 5000
//!
//! For each N: a synthetic site (`prongsai::synthetic`), then
//! - export of a year that has every result (2566) and its import unchanged
//!   (the round trip: the JSON must come back byte-identical);
//! - `new-year 2569`, its export, every row filled (value, status, summary)
//!   as an editor would, written as a new workbook, and its import (every
//!   indicator goes from pending to a result).

use calamine::{Data, Reader};
use prongsai::{scaffold, sheet, synthetic};
use std::path::Path;
use std::time::Instant;

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![2000, 10000] } else { sizes };
    println!(
        "| N | export 2566 s | import 2566 (unchanged) s | new-year s | export 2569 s | import 2569 (all filled) s | workbook KB |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for n in sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        synthetic::generate(&root, n).expect("synthetic site");
        let json = root.join("content/results/2566.json");
        let before = std::fs::read(&json).unwrap();

        let xlsx = dir.path().join("r-2566.xlsx");
        let t = Instant::now();
        sheet::export(&root, 2566, &xlsx).unwrap_or_else(|e| panic!("{e}"));
        let export_full = t.elapsed().as_secs_f64();
        let size = std::fs::metadata(&xlsx).unwrap().len() / 1024;
        let t = Instant::now();
        let done = sheet::import(&root, &xlsx, &sheet::ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        let import_full = t.elapsed().as_secs_f64();
        assert!(done.changes.is_empty(), "{}", done.diff());
        assert_eq!(std::fs::read(&json).unwrap(), before, "round trip must be byte-identical");

        let t = Instant::now();
        scaffold::new_year(&root, 2569).unwrap_or_else(|e| panic!("{e}"));
        let new_year = t.elapsed().as_secs_f64();
        let empty = dir.path().join("r-2569.xlsx");
        let t = Instant::now();
        sheet::export(&root, 2569, &empty).unwrap_or_else(|e| panic!("{e}"));
        let export_new = t.elapsed().as_secs_f64();
        let filled = dir.path().join("filled-2569.xlsx");
        fill(&empty, &filled);
        let t = Instant::now();
        let done = sheet::import(&root, &filled, &sheet::ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        let import_new = t.elapsed().as_secs_f64();
        assert_eq!(done.changes.len(), n, "every indicator gets a result");
        println!(
            "| {n} | {export_full:.2} | {import_full:.2} | {new_year:.2} | {export_new:.2} | {import_new:.2} | {size} |"
        );
    }
}

/// Every row given a value, a status and a summary, as a new workbook with
/// the same header (and its hidden stamp).
fn fill(from: &Path, to: &Path) {
    let mut book = calamine::open_workbook_auto(from).unwrap();
    let range = book.worksheet_range(sheet::DATA_SHEET).unwrap();
    let mut out = rust_xlsxwriter::Workbook::new();
    let ws = out.add_worksheet();
    ws.set_name(sheet::DATA_SHEET).unwrap();
    let header: Vec<String> = range.rows().next().unwrap().iter().map(|d| d.to_string()).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap() as u16;
    let (value, status, summary) = (col("ผลการดำเนินงาน"), col("สถานะ"), col("สรุปผลการดำเนินงาน"));
    for (r, row) in range.rows().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Data::String(s) => {
                    ws.write_string(r as u32, c as u16, s).unwrap();
                }
                Data::Float(v) => {
                    ws.write_number(r as u32, c as u16, *v).unwrap();
                }
                _ => {}
            }
        }
        if r > 0 {
            let r = r as u32;
            ws.write_number(r, value, 1.0 + (r % 90) as f64).unwrap();
            ws.write_string(r, status, "ยังไม่ประเมิน").unwrap();
            ws.write_string(r, summary, "ผลการดำเนินงานตามที่หน่วยงานรายงาน").unwrap();
        }
    }
    out.save(to).unwrap();
}
