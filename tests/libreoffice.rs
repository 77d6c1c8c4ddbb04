//! The exported workbook opened by a real spreadsheet program: LibreOffice,
//! headless, converts it to CSV and to ODS, and both copies import back
//! without changing a byte of the JSON.
//!
//! It needs `soffice` (Debian: `libreoffice-calc-nogui`), so it is ignored
//! by a plain `cargo test` (which then says "ignored", not "ok") and run by
//! `.ci/run` after installing LibreOffice:
//!
//! ```sh
//! cargo test --test libreoffice -- --ignored
//! ```

mod common;

use prongsai::sheet::{self, ImportOptions};
use std::path::Path;
use std::process::Command;

/// Converts `file` with LibreOffice into `dir`; returns the new file.
fn convert(file: &Path, filter: &str, ext: &str, dir: &Path) -> std::path::PathBuf {
    // A profile of its own: no clash with a LibreOffice the user has open,
    // and nothing left in the user's home.
    let profile = format!("-env:UserInstallation=file://{}", dir.join("profile").display());
    let out = Command::new("soffice")
        .args([profile.as_str(), "--headless", "--norestore", "--convert-to", filter, "--outdir"])
        .arg(dir)
        .arg(file)
        .output()
        .expect("soffice (LibreOffice) must be installed for this test: apt-get install libreoffice-calc-nogui");
    assert!(out.status.success(), "soffice failed: {}", String::from_utf8_lossy(&out.stderr));
    let converted = dir.join(file.file_stem().unwrap()).with_extension(ext);
    assert!(converted.is_file(), "soffice wrote no {}: {}", converted.display(), String::from_utf8_lossy(&out.stdout));
    converted
}

#[test]
#[ignore = "needs LibreOffice (soffice): .ci/run installs it and runs this test"]
fn libreoffice_reads_the_workbook_and_its_copies_import_unchanged() {
    let site = common::default_site_copy();
    let root = site.path();
    let json = root.join("content/results/2566.json");
    let original = std::fs::read(&json).unwrap();
    let work = tempfile::tempdir().unwrap();
    let xlsx = work.path().join("results-2566.xlsx");
    sheet::export(root, 2566, &xlsx).unwrap();

    // CSV, UTF-8 (76), comma-separated (44), quoted with " (34): the data
    // sheet as LibreOffice reads it.
    let csv = convert(&xlsx, "csv:Text - txt - csv (StarCalc):44,34,76,1", "csv", work.path());
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_path(&csv).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 20, "a header and 19 indicators");
    let header: Vec<&str> = rows[0].iter().collect();
    assert_eq!(&header[..6], ["ยุทธศาสตร์", "รหัสตัวชี้วัด", "ตัวชี้วัดที่", "ชื่อตัวชี้วัด", "หน่วย", "ค่าเป้าหมายปี 2566"]);
    assert!(header[12].starts_with("prongsai-sheet 2566 sha256="), "the hidden stamp: {header:?}");
    let row = rows.iter().find(|r| r.get(1) == Some("3-1.1")).expect("the row of 3-1.1");
    assert_eq!(&row.iter().collect::<Vec<_>>()[6..10], ["66.36", "73", "110", "สูงกว่าค่าเป้าหมาย"]);

    let unchanged = |file: &Path| {
        let done = sheet::import(root, file, &ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        assert!(done.changes.is_empty(), "{}: {}", file.display(), done.diff());
        assert_eq!(std::fs::read(&json).unwrap(), original);
    };
    unchanged(&csv);
    // ODS written by LibreOffice itself, multi-line summaries included.
    let ods = convert(&xlsx, "ods", "ods", work.path());
    unchanged(&ods);
    // And the xlsx saved again by LibreOffice (as an editor's "Save").
    let resaved_dir = work.path().join("resaved");
    std::fs::create_dir_all(&resaved_dir).unwrap();
    let resaved = convert(&xlsx, "xlsx:Calc MS Excel 2007 XML", "xlsx", &resaved_dir);
    unchanged(&resaved);
}
