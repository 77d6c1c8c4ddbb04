//! The `prongsai check` command as editors and CI run it: exit codes, human
//! and JSON output, `--strict`.

mod common;
mod sites;

use std::path::Path;
use std::process::{Command, Output};

fn prongsai(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_prongsai")).args(args).output().expect("the binary runs")
}

fn check(root: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["check", "--root", root.to_str().expect("UTF-8 temp path")];
    args.extend_from_slice(extra);
    prongsai(&args)
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited, not killed")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn clean_site_exits_0() {
    let dir = sites::site(None);
    let out = check(dir.path(), &[]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("ไม่พบปัญหา"));
}

#[test]
fn warnings_exit_0_unless_strict() {
    let dir = sites::site(Some("61-lint-status-contradiction"));
    let out = check(dir.path(), &[]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stderr(&out);
    assert!(text.contains("คำเตือน[status-contradiction]"), "{text}");
    assert!(text.contains("content/results/2566.json:8:"), "{text}");
    assert!(text.contains("พบข้อผิดพลาด 0 รายการ คำเตือน 1 รายการ"), "{text}");

    let strict = check(dir.path(), &["--strict"]);
    assert_eq!(code(&strict), 1, "{}", stderr(&strict));
    assert!(stderr(&strict).contains("ข้อผิดพลาด[status-contradiction]"), "{}", stderr(&strict));
}

#[test]
fn errors_exit_1_with_rustc_like_output() {
    let dir = sites::site(Some("11-unknown-field-typo"));
    let out = check(dir.path(), &[]);
    assert_eq!(code(&out), 1);
    let text = stderr(&out);
    assert!(text.contains("ข้อผิดพลาด[unknown-field]: ไม่รู้จักช่อง \"vaule\""), "{text}");
    assert!(text.contains("--> content/results/2566.json:20:7  (indicators[1].vaule)"), "{text}");
    assert!(text.contains("20 |       \"vaule\": 12,"), "{text}");
    assert!(text.contains("= วิธีแก้: หมายถึง \"value\" หรือไม่?"), "{text}");
}

#[test]
fn usage_errors_exit_2() {
    for args in [&["check", "--no-such-option"][..], &["check", "--format", "xml"], &["no-such-command"], &[]] {
        let out = prongsai(args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn json_format_parses_and_carries_every_finding() {
    let dir = sites::site(Some("13-duplicate-id"));
    let out = check(dir.path(), &["--format", "json"]);
    assert_eq!(code(&out), 1);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(report["errors"], 2);
    assert_eq!(report["warnings"], 0);
    let findings = report["findings"].as_array().expect("a list of findings");
    assert_eq!(findings.len(), 2);
    let first = &findings[0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["kind"], "duplicate-id");
    assert_eq!(first["file"], "content/plan.json");
    assert_eq!(first["line"], 68);
    assert_eq!(first["field"], "indicators[3].id");
    assert!(first["message"].as_str().is_some_and(|m| m.contains("2-1.1")));
    assert!(first["help"].as_str().is_some_and(|h| !h.is_empty()));
    assert_eq!(first["excerpt"]["lines"][1][0], 68);
    // Nothing but the report goes to stdout.
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));

    let clean = sites::site(None);
    let out = check(clean.path(), &["--format", "json"]);
    assert_eq!(code(&out), 0);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(report["findings"], serde_json::json!([]));
}

#[test]
fn json_format_with_strict_marks_warnings_as_errors() {
    let dir = sites::site(Some("65-lint-projects-total-mismatch"));
    let out = check(dir.path(), &["--format", "json", "--strict"]);
    assert_eq!(code(&out), 1);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errors"], 1);
    assert_eq!(report["findings"][0]["kind"], "total-mismatch");
    assert_eq!(report["findings"][0]["severity"], "error");
}
