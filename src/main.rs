//! The `prongsai` command: parses arguments and calls the library.

use clap::{Parser, Subcommand, ValueEnum};
use prongsai::diagnostic::{Finding, Severity};
use prongsai::output::Output;
use prongsai::site::{self, Failure, Options, Progress, Stage};
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc, not the system's allocator: a build allocates millions of small
/// strings from several threads at once, and with glibc's allocator that was
/// a fifth of a large build's time and left the preview holding far more
/// memory than it used (10,000 indicators: a build 6.5 -> 4.2 s, the
/// preview's first build 2.0 -> 1.4 GB, without search; see README, Cost).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// prongsai (โปร่งใส): builds a Thai transparency website from a strategic
/// plan's indicator data (JSON) and narrative (Markdown).
#[derive(Parser)]
#[command(name = "prongsai", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --out). A failed build leaves the
    /// previous output as it was.
    Build {
        /// The site folder (holds content/, themes/, …).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: <root>/public).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The address the site is published at, e.g. https://example.go.th/nhrc/
        /// (for canonical links and the sitemap; internal links stay relative).
        #[arg(long)]
        base_url: Option<String>,
        /// Treat consistency warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Print how long each step took.
        #[arg(long, short)]
        verbose: bool,
        /// Replace the output folder even if it holds files prongsai did not
        /// write (it never replaces the site's own folders, whatever this says).
        #[arg(long)]
        force: bool,
    },
    /// Check all content, configuration and templates; write nothing.
    /// Exit status: 0 clean (warnings allowed unless --strict), 1 errors found, 2 usage error.
    Check {
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Treat consistency warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Preview the site while you edit, with live reload.
    ///
    /// Serves the site at http://127.0.0.1:1111/. Every save rebuilds it in
    /// memory and the browser reloads by itself. Mistakes show in the browser
    /// and here, and the last good version stays visible until they are
    /// fixed. public/ is never touched: build it with `prongsai build`.
    Serve {
        /// The site folder (holds content/, themes/, …).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on. If it is busy, the next free port is used
        /// and the address printed; 0 lets the system choose.
        #[arg(long, default_value_t = prongsai::serve::DEFAULT_PORT)]
        port: u16,
        /// The address to listen on. 127.0.0.1 (the default) keeps the preview
        /// on this computer; 0.0.0.0 lets phones and other computers on the
        /// same network open it too.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the preview in the web browser once it is ready.
        #[arg(long)]
        open: bool,
        /// Check the files for changes every half second instead of waiting
        /// for the system to report them. Use it when saves are not noticed:
        /// network drives, WSL, Docker or VirtualBox shared folders.
        #[arg(long)]
        poll: bool,
        /// Treat consistency warnings as errors, as `build --strict` does.
        #[arg(long)]
        strict: bool,
    },
    /// Write the JSON Schemas of the content files (for editors: autocompletion
    /// and checks in VS Code).
    Schema {
        /// Folder to write them into.
        #[arg(long, default_value = "schemas")]
        out: PathBuf,
    },
    /// Start a fiscal year: content/results/YEAR.json with every indicator
    /// waiting for its result, and the year's narrative pages as drafts.
    /// Never overwrites an existing year.
    NewYear {
        /// The fiscal year, Buddhist era (e.g. 2567).
        year: i32,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Fill in a year's results in a spreadsheet: export a workbook, import it back.
    Sheet {
        #[command(subcommand)]
        command: SheetCommand,
    },
    /// Create a new site in DIR (a folder that does not exist or is empty):
    /// a small plan to adapt, with its theme, schemas and a Thai README.
    Init {
        /// Where to create the site.
        dir: PathBuf,
        /// Copy the NHRC example site instead of the small starting plan.
        #[arg(long)]
        example: bool,
    },
}

#[derive(Subcommand)]
enum SheetCommand {
    /// Write the workbook of YEAR to FILE.xlsx: one row per indicator, the
    /// plan's columns locked, the editor's columns open.
    Export {
        /// The fiscal year, Buddhist era (e.g. 2567).
        year: i32,
        /// The workbook to write (.xlsx).
        file: PathBuf,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Read a filled sheet (.xlsx, .ods or .csv) into content/results/YEAR.json,
    /// changing only the values the sheet changes. Shows what changed.
    Import {
        /// The filled sheet.
        file: PathBuf,
        /// Show what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Write even if the JSON changed since the export (or the sheet
        /// does not say which JSON it came from).
        #[arg(long)]
        force: bool,
        /// The fiscal year, for a sheet that does not record it (a CSV made
        /// by hand) and whose name has no year.
        #[arg(long)]
        year: Option<i32>,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Messages for people, with the offending lines.
    Human,
    /// JSON for other tools.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { root, out, base_url, strict, verbose, force } => {
            let out = out.unwrap_or_else(|| root.join("public"));
            // Checked before building: a build of thousands of pages should
            // not run only to be refused, and nothing is written either way.
            let output = match Output::resolve(&root, &out, force) {
                Ok(o) => o,
                Err(refusal) => {
                    eprintln!("ข้อผิดพลาด: {refusal}");
                    return ExitCode::from(2);
                }
            };
            let (progress, bar) = terminal_progress();
            let options = Options { base_url, strict, progress, cache: true, cache_dir: None };
            // Pages go to disk as they are rendered, into a staging folder
            // that replaces the output only once the build has succeeded.
            let staging = match output.stage() {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("ข้อผิดพลาด: {e}");
                    return ExitCode::from(1);
                }
            };
            let built = site::build_into(&root, &options, &staging);
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            // Dropping the staging folder (on failure) removes it.
            match built.and_then(|report| staging.commit().map(|()| report).map_err(Failure::Write)) {
                Ok(report) => {
                    print_findings(&report.warnings);
                    if verbose {
                        for (step, d) in &report.timings {
                            eprintln!("  {step}: {:.1} ms", d.as_secs_f64() * 1000.0);
                        }
                    }
                    eprintln!("สร้างเว็บไซต์แล้ว: {} ไฟล์ใน {}", report.files, out.display());
                    ExitCode::SUCCESS
                }
                Err(Failure::Write(e)) => {
                    eprintln!("ข้อผิดพลาด: {e}");
                    eprintln!("ไม่ได้สร้างเว็บไซต์ ({} เดิมไม่ถูกแตะต้อง)", out.display());
                    ExitCode::from(1)
                }
                Err(failure) => {
                    print_findings(failure.findings());
                    eprintln!("ไม่ได้สร้างเว็บไซต์: แก้ข้อผิดพลาดข้างต้นแล้วลองอีกครั้ง ({} เดิมไม่ถูกแตะต้อง)", out.display());
                    ExitCode::from(1)
                }
            }
        }
        Command::Check { root, strict, format } => {
            let (_, findings, _) = site::check(&root, &Options { strict, ..Options::default() });
            match format {
                Format::Human => {
                    print_findings(&findings);
                    if findings.is_empty() {
                        eprintln!("ไม่พบปัญหา");
                    }
                }
                Format::Json => {
                    let errors = findings.iter().filter(|f| f.is_error()).count();
                    let report = serde_json::json!({
                        "errors": errors,
                        "warnings": findings.len() - errors,
                        "findings": findings,
                    });
                    println!("{}", serde_json::to_string_pretty(&report).expect("findings serialise"));
                }
            }
            if findings.iter().any(Finding::is_error) { ExitCode::from(1) } else { ExitCode::SUCCESS }
        }
        Command::Serve { root, port, bind, open, poll, strict } => {
            use prongsai::serve::{self, Server, Watching};
            let options = serve::Options {
                root,
                bind,
                port,
                strict,
                watching: if poll { Watching::Poll(serve::watch::DEFAULT_POLL) } else { Watching::Native },
                ..serve::Options::default()
            };
            match Server::start(options, |notice| eprintln!("{notice}")) {
                Ok(server) => {
                    if open {
                        if let Err(e) = open::that_detached(server.url()) {
                            eprintln!("เปิดเบราว์เซอร์ไม่ได้ ({e}): เปิด {} เองได้", server.url());
                        }
                    }
                    // Runs until Ctrl+C: nothing is written to disk, so there
                    // is nothing to clean up.
                    server.wait();
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("ข้อผิดพลาด: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Schema { out } => match prongsai::scaffold::write_schemas(&out) {
            Ok(n) => {
                eprintln!("เขียน JSON Schema {n} ไฟล์ใน {}", out.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("ข้อผิดพลาด: เขียน {} ไม่ได้: {e}", out.display());
                ExitCode::from(1)
            }
        },
        Command::NewYear { year, root } => match prongsai::scaffold::new_year(&root, year) {
            Ok(done) => {
                eprintln!("สร้าง {} แล้ว: ตัวชี้วัด {} ตัวรอผล (pending)", done.results, done.pending);
                for page in &done.pages {
                    eprintln!("  สร้างหน้าร่าง {page}");
                }
                for page in &done.kept {
                    eprintln!("  มีอยู่แล้ว ไม่แตะต้อง: {page}");
                }
                eprintln!("ขั้นต่อไป: prongsai sheet export {year} ผล-{year}.xlsx แล้วส่งให้ผู้รายงานผลกรอก");
                ExitCode::SUCCESS
            }
            Err(e) => sheet_failure(&e),
        },
        Command::Sheet { command: SheetCommand::Export { year, file, root } } => {
            match prongsai::sheet::export(&root, year, &file) {
                Ok(done) => {
                    eprintln!("เขียน {} แล้ว: ตัวชี้วัด {} แถว จาก {}", file.display(), done.rows, done.results_file);
                    ExitCode::SUCCESS
                }
                Err(e) => sheet_failure(&e),
            }
        }
        Command::Sheet { command: SheetCommand::Import { file, dry_run, force, year, root } } => {
            let options = prongsai::sheet::ImportOptions { dry_run, force, year };
            match prongsai::sheet::import(&root, &file, &options) {
                Ok(done) => {
                    if let Some(note) = &done.stamp_note {
                        eprintln!("คำเตือน: {note}");
                    }
                    if done.changes.is_empty() {
                        eprintln!("ไม่มีค่าใดเปลี่ยน: {} เหมือนเดิม", done.file);
                    } else {
                        print!("{}", done.diff());
                        if done.written {
                            eprintln!("บันทึก {} แล้ว ({} ค่า): ต่อไป prongsai check", done.file, done.changes.len());
                        } else {
                            eprintln!("--dry-run: ยังไม่ได้บันทึก {} ({} ค่าจะเปลี่ยน)", done.file, done.changes.len());
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => sheet_failure(&e),
            }
        }
        Command::Init { dir, example } => match prongsai::scaffold::init(&dir, example) {
            Ok(done) => {
                eprintln!("สร้างเว็บไซต์ใหม่ใน {} แล้ว ({} ไฟล์)", done.root.display(), done.files);
                eprintln!(
                    "อ่าน {} แล้วลอง: prongsai serve --root {}",
                    done.root.join("README.md").display(),
                    done.root.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => sheet_failure(&e),
        },
    }
}

/// Prints why a sheet, new-year or init command failed; exit status 1.
fn sheet_failure(e: &prongsai::sheet::SheetError) -> ExitCode {
    use prongsai::sheet::SheetError;
    match e {
        SheetError::Findings(findings) => {
            print_findings(findings);
            eprintln!("ไม่ได้เขียนไฟล์ใด: แก้ข้อผิดพลาดข้างต้นแล้วลองอีกครั้ง");
        }
        other => eprintln!("ข้อผิดพลาด: {other}"),
    }
    ExitCode::from(1)
}

/// A progress bar on stderr for a build that takes more than a second, when
/// stderr is a terminal; nothing otherwise (logs and CI stay clean). The bar
/// is returned too, to be cleared before the result is printed.
fn terminal_progress() -> (Progress, Option<indicatif::ProgressBar>) {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    use std::io::IsTerminal;
    use std::time::{Duration, Instant};
    if !std::io::stderr().is_terminal() {
        return (Progress::default(), None);
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {wide_bar} {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let shown = std::sync::atomic::AtomicBool::new(false);
    let (started, b) = (Instant::now(), bar.clone());
    let progress = Progress::new(move |stage| {
        match stage {
            Stage::Step(name) => b.set_message(name),
            Stage::Pages { done, total } => {
                b.set_length(total as u64);
                b.set_position(done as u64);
            }
        }
        // Shown only once the build has taken a second: a quick build
        // prints nothing but its result.
        if started.elapsed() >= Duration::from_secs(1) && !shown.swap(true, std::sync::atomic::Ordering::Relaxed) {
            b.set_draw_target(ProgressDrawTarget::stderr());
            b.enable_steady_tick(Duration::from_millis(120));
        }
    });
    (progress, Some(bar))
}

fn print_findings(findings: &[Finding]) {
    for f in findings {
        eprintln!("{f}");
    }
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
    let warnings = findings.len() - errors;
    if !findings.is_empty() {
        eprintln!("พบข้อผิดพลาด {errors} รายการ คำเตือน {warnings} รายการ");
    }
}
