//! Reading the site's files from disk: the bottom of the pipeline.
//!
//! Two promises are kept here, for every input the build reads (content,
//! pages, results, templates, static files, source documents):
//! - **Inputs stay inside the site.** A file is read only when its real path
//!   (symbolic links followed) is inside the site folder, or inside the theme
//!   folder for a theme's files (a theme may be a link to a shared copy).
//!   Anything else could publish whatever the machine can read (`/etc/…`,
//!   another project's drafts) on a public website.
//! - **Nothing is skipped silently.** A link that leaves the site, a link
//!   loop, a dangling link or a name that is not UTF-8 is a finding naming the
//!   file and what to do, never a page that quietly goes missing.

use crate::diagnostic::{Finding, Kind};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// A file found by [`walk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Relative to the site root, with `/` separators: what findings name.
    pub rel: String,
    /// Relative to the folder walked: what a template or a static file is
    /// called on the site.
    pub name: String,
}

/// Reads a file under the site root, refusing one that resolves outside the
/// site. Errors name the file (or the link that leads out).
pub fn read(root: &Path, rel: &str) -> Result<Vec<u8>, Finding> {
    let path = root.join(rel);
    let bytes = std::fs::read(&path).map_err(|e| {
        Finding::new(Kind::Io, rel, format!("อ่านไฟล์ไม่ได้: {}", io_reason(&e))).with_help("ตรวจว่าไฟล์มีอยู่และเปิดอ่านได้")
    })?;
    // Checked after a successful read so that a missing file is reported as
    // missing, not as a path that cannot be resolved.
    inside(root, rel)?;
    Ok(bytes)
}

/// What the preview made of each file it read, by root-relative path, kept
/// between builds (see [`read_kept`]).
pub type Kept<T> = std::sync::Mutex<std::collections::HashMap<String, KeptFile<T>>>;

/// What was made of a file, and how to tell that the file is the same.
pub struct KeptFile<T> {
    /// Of the bytes read and the caller's salt.
    made_from: u128,
    salt: u128,
    stamp: Option<Stamp>,
    value: T,
}

impl<T> KeptFile<T> {
    pub fn value(&self) -> &T {
        &self.value
    }
}

/// What the preview made of `rel` when it last read it, if the file is the
/// same, else `make` of its bytes now (and kept). `salt` is whatever else
/// `make` depends on (the site's languages). The same file is known by its
/// [`Stamp`] without reading it (at 10,000 indicators a save would otherwise
/// read and hash 74 MB of JSON it did not touch), or else by its bytes.
pub fn read_kept<T: Clone>(
    root: &Path,
    rel: &str,
    salt: u128,
    kept: &Kept<T>,
    make: impl FnOnce(Vec<u8>) -> T,
) -> Result<T, Finding> {
    let lock = || kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    // Taken before the read: a change after it makes the next stamp differ.
    let stamp = Stamp::settled(&root.join(rel));
    if let Some(was) = lock().get(rel) {
        if stamp.is_some() && was.stamp == stamp && was.salt == salt {
            return Ok(was.value.clone());
        }
    }
    let bytes = read(root, rel)?;
    let made_from = crate::fingerprint::of(&(&bytes, salt));
    if let Some(was) = lock().get_mut(rel) {
        if was.made_from == made_from {
            was.stamp = stamp;
            return Ok(was.value.clone());
        }
    }
    let value = make(bytes);
    lock().insert(rel.to_string(), KeptFile { made_from, salt, stamp, value: value.clone() });
    Ok(value)
}

/// A file's length, modification and change times (and on Unix its device
/// and inode): what says that a file is the one read before without reading
/// it. Only for a file last changed more than [`SETTLED`] before it is looked
/// at: two writes of the same length within one tick of the file system's
/// clock (up to 2 s on FAT) leave the same times, so a file changed that
/// recently is read again (git's rule for "racily clean" files). The change
/// time cannot be set back by tools that restore a modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: std::time::SystemTime,
    #[cfg(unix)]
    inode: (u64, u64, i64, i64),
}

/// See [`Stamp`].
const SETTLED: std::time::Duration = std::time::Duration::from_secs(3);

impl Stamp {
    /// The stamp of the file at `path` (links followed), if it is settled.
    pub fn settled(path: &Path) -> Option<Stamp> {
        let now = std::time::SystemTime::now();
        let meta = std::fs::metadata(path).ok()?;
        if !meta.is_file() {
            return None;
        }
        let modified = meta.modified().ok()?;
        let mut newest = modified;
        #[cfg(unix)]
        let inode = {
            use std::os::unix::fs::MetadataExt;
            let changed = u64::try_from(meta.ctime()).ok().map(|s| {
                std::time::UNIX_EPOCH + std::time::Duration::new(s, u32::try_from(meta.ctime_nsec()).unwrap_or(0))
            })?;
            newest = newest.max(changed);
            (meta.dev(), meta.ino(), meta.ctime(), meta.ctime_nsec())
        };
        // A time in the future (a clock set back) is never settled.
        if now.duration_since(newest).ok()? < SETTLED {
            return None;
        }
        Some(Stamp {
            len: meta.len(),
            modified,
            #[cfg(unix)]
            inode,
        })
    }
}

/// Every file under `dir` (root-relative), sorted by path, following links
/// that stay inside the site. Editor temp files are passed over; everything
/// else that cannot be used is a finding pushed onto `findings`.
pub fn walk(root: &Path, dir: &str, findings: &mut Vec<Finding>) -> Vec<Entry> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    // The folder itself may be the link (`seeds -> /home/someone/docs`).
    if let Err(f) = inside(root, dir) {
        findings.push(f);
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut entries = walkdir::WalkDir::new(&base).follow_links(true).sort_by_file_name().into_iter();
    while let Some(next) = entries.next() {
        let entry = match next {
            Ok(entry) => entry,
            Err(e) => {
                if let Some(f) = walk_error(root, &e) {
                    findings.push(f);
                }
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let is_dir = entry.file_type().is_dir();
        let Some(name) = entry.file_name().to_str() else {
            findings.push(bad_name(root, entry.path(), is_dir));
            if is_dir {
                entries.skip_current_dir();
            }
            continue;
        };
        if !is_dir && is_editor_temp_name(name) {
            continue;
        }
        let rel = rel_path(root, entry.path());
        if entry.path_is_symlink() {
            if let Err(f) = inside(root, &rel) {
                findings.push(f);
                if is_dir {
                    entries.skip_current_dir();
                }
                continue;
            }
        }
        if entry.file_type().is_file() {
            out.push(Entry { rel, name: rel_path(&base, entry.path()) });
        }
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    out
}

/// Files with an extension under a folder, as sorted root-relative paths,
/// for callers that only need to know which files there are (the preview's
/// watcher); the build reports what this passes over through [`walk`].
pub fn files_in(root: &Path, dir: &str, ext: &str) -> Vec<String> {
    walk(root, dir, &mut Vec::new())
        .into_iter()
        .filter(|e| Path::new(&e.rel).extension().is_some_and(|x| x == ext))
        .map(|e| e.rel)
        .collect()
}

/// Refuses a path whose real location is outside the site root, or outside
/// the theme folder for a file under `themes/<name>/`.
pub fn inside(root: &Path, rel: &str) -> Result<(), Finding> {
    let Ok(real) = root.join(rel).canonicalize() else {
        // Nothing there to leak; the caller reports the missing file.
        return Ok(());
    };
    let root_real = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if real.starts_with(&root_real) {
        return Ok(());
    }
    let mut parts = rel.split('/');
    if let (Some("themes"), Some(theme)) = (parts.next(), parts.next()) {
        if parts.next().is_some() {
            if let Ok(theme_real) = root.join("themes").join(theme).canonicalize() {
                if real.starts_with(theme_real) {
                    return Ok(());
                }
            }
        }
    }
    Err(outside(root, rel, &real))
}

/// The finding for a path that leads out of the site: it names the link
/// itself (the deepest component of `rel` that is one: a theme folder may be
/// a link, a file in it that leads elsewhere is the culprit) and where it
/// points.
fn outside(root: &Path, rel: &str, real: &Path) -> Finding {
    let mut link = rel.to_string();
    let mut target = real.to_path_buf();
    let mut prefix = PathBuf::new();
    for part in rel.split('/') {
        prefix.push(part);
        let path = root.join(&prefix);
        if path.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()) {
            link = rel_path(Path::new(""), &prefix);
            target = std::fs::read_link(&path).unwrap_or_else(|_| real.to_path_buf());
        }
    }
    let shown =
        if link == rel { String::new() } else { format!(" (ซึ่ง {rel} อยู่ภายใต้)") };
    Finding::new(
        Kind::OutsideSite,
        link.clone(),
        format!("{link} เป็นลิงก์ (symbolic link) ที่ชี้ออกไปนอกโฟลเดอร์ของเว็บไซต์ ไปยัง {}{shown} จึงไม่นำมาใช้", target.display()),
    )
    .with_help(
        "ทุกไฟล์ที่เว็บไซต์ใช้ต้องอยู่ในโฟลเดอร์ของเว็บไซต์ เพื่อไม่ให้ไฟล์อื่นในเครื่องถูกเผยแพร่โดยไม่ตั้งใจ: \
         คัดลอกไฟล์เข้ามาไว้ในโฟลเดอร์ของเว็บไซต์แทนลิงก์",
    )
}

/// A walk error as a finding: a link loop, a dangling link, an unreadable
/// folder. `None` for what is deliberately passed over (an editor's lock
/// file, which is often a dangling link such as Emacs's `.#file`).
fn walk_error(root: &Path, e: &walkdir::Error) -> Option<Finding> {
    let path = e.path()?;
    if path.file_name().and_then(OsStr::to_str).is_some_and(is_editor_temp_name) {
        return None;
    }
    let rel = rel_path(root, path);
    if let Some(ancestor) = e.loop_ancestor() {
        return Some(
            Finding::new(
                Kind::LinkLoop,
                rel.clone(),
                format!("{rel} เป็นลิงก์ที่วนกลับไปยังโฟลเดอร์ {} ซึ่งอยู่เหนือตัวมันเอง จึงไม่ตามลิงก์นี้", display_rel(root, ancestor)),
            )
            .with_help("ลบลิงก์นี้ หรือให้ชี้ไปยังโฟลเดอร์อื่นที่ไม่ได้ครอบตัวมันอยู่"),
        );
    }
    let dangling = path.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()) && !path.exists();
    Some(if dangling {
        let target = std::fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_default();
        Finding::new(Kind::Io, rel.clone(), format!("{rel} เป็นลิงก์ที่ชี้ไปยัง {target} ซึ่งไม่มีอยู่"))
            .with_help("ลบลิงก์นี้ หรือแก้ให้ชี้ไปยังไฟล์ที่มีอยู่ในโฟลเดอร์ของเว็บไซต์")
    } else {
        let reason = e.io_error().map_or_else(|| e.to_string(), io_reason);
        Finding::new(Kind::Io, rel, format!("อ่านไม่ได้: {reason}")).with_help("ตรวจว่าไฟล์หรือโฟลเดอร์มีอยู่และเปิดอ่านได้")
    })
}

fn display_rel(root: &Path, path: &Path) -> String {
    let root_real = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    match path.strip_prefix(&root_real).or_else(|_| path.strip_prefix(root)) {
        Ok(rel) if rel.as_os_str().is_empty() => "ของเว็บไซต์เอง".to_string(),
        Ok(rel) => rel_path(Path::new(""), rel),
        Err(_) => path.display().to_string(),
    }
}

/// A file or folder name that is not UTF-8: named as best it can be, with
/// the bytes, and read as TIS-620 when it looks like one (old Thai Windows
/// tools save names in it), so the editor knows which file it is.
fn bad_name(root: &Path, path: &Path, is_dir: bool) -> Finding {
    let folder = path.parent().map(|p| rel_path(root, p)).unwrap_or_default();
    let raw = path.file_name().unwrap_or_default();
    let bytes = name_bytes(raw);
    let hex: Vec<String> = bytes.iter().filter(|b| !b.is_ascii()).map(|b| format!("{b:02X}")).collect();
    let what = if is_dir { "โฟลเดอร์" } else { "ไฟล์" };
    let mut message = format!(
        "ชื่อ{what} \"{}\" ในโฟลเดอร์ {} ไม่ได้เข้ารหัสเป็น UTF-8 (ไบต์ {}) จึงอ่านไม่ได้",
        raw.to_string_lossy(),
        if folder.is_empty() { "ของเว็บไซต์" } else { &folder },
        hex.join(" ")
    );
    if let Some(thai) = tis620(&bytes) {
        message.push_str(&format!(": น่าจะเป็นชื่อ \"{thai}\" ที่บันทึกด้วยรหัส TIS-620"));
    }
    let mut f = Finding::new(Kind::FileName, folder, message).with_help(format!(
        "เปลี่ยนชื่อ{what}ใหม่ในโปรแกรมจัดการไฟล์ หรือแปลงชื่อทั้งหมดเป็น UTF-8 ด้วยคำสั่ง \
         convmv -f tis-620 -t utf-8 -r --notest <โฟลเดอร์>"
    ));
    if is_dir {
        f.message.push_str(" (รวมทุกไฟล์ในโฟลเดอร์นี้)");
    }
    f
}

#[cfg(unix)]
fn name_bytes(name: &OsStr) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    name.as_bytes().to_vec()
}

#[cfg(not(unix))]
fn name_bytes(name: &OsStr) -> Vec<u8> {
    name.to_string_lossy().into_owned().into_bytes()
}

/// Decodes TIS-620 when every non-ASCII byte is a Thai character in it
/// (0xA1–0xFB map to U+0E01–U+0E5B).
fn tis620(bytes: &[u8]) -> Option<String> {
    bytes
        .iter()
        .map(|&b| match b {
            0..=0x7F => Some(b as char),
            0xA1..=0xDA | 0xDF..=0xFB => char::from_u32(0x0E00 + u32::from(b) - 0xA0),
            _ => None,
        })
        .collect()
}

/// A path relative to `base`, with `/` separators on every system.
pub fn rel_path(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Files editors leave behind while saving: never content, never a reason to
/// rebuild (the list Hugo and mdBook learned the hard way). A name that is
/// not UTF-8 is not one of them: it is reported, not passed over.
pub fn is_editor_temp(path: &Path) -> bool {
    path.file_name().and_then(OsStr::to_str).is_some_and(is_editor_temp_name)
}

fn is_editor_temp_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with('#')
        || name == "4913"
        || [".swp", ".swx", ".swo", ".tmp", ".bck", ".bak", ".part", ".crdownload"].iter().any(|s| name.ends_with(s))
        || name.contains("___jb_")
}

/// A plain-language reason for an I/O error.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "ไม่พบไฟล์หรือโฟลเดอร์".into(),
        std::io::ErrorKind::PermissionDenied => "ไม่มีสิทธิ์เข้าถึง".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `read_kept` gives for the file now, and whether `make` ran.
    fn kept_text(root: &Path, kept: &Kept<String>) -> (String, bool) {
        let mut made = false;
        let text = read_kept(root, "a.md", 7, kept, |b| {
            made = true;
            String::from_utf8(b).unwrap()
        })
        .unwrap();
        (text, made)
    }

    #[test]
    fn a_kept_file_is_read_again_whenever_it_changed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let kept = Kept::default();
        std::fs::write(root.join("a.md"), "หนึ่ง").unwrap();
        assert_eq!(kept_text(root, &kept), ("หนึ่ง".into(), true));
        assert_eq!(kept_text(root, &kept), ("หนึ่ง".into(), false), "the same bytes are not made again");
        // Just written, so not settled: known by its bytes, not its times.
        assert!(kept.lock().unwrap()["a.md"].stamp.is_none());
        // The same length at once (the same clock tick, perhaps): read again.
        std::fs::write(root.join("a.md"), "สองสอง".get(..15).unwrap()).unwrap();
        assert_eq!(kept_text(root, &kept).0, "สองสอ");
        // Settled: known by its stamp; then changed, still the same length.
        std::thread::sleep(SETTLED + std::time::Duration::from_millis(100));
        assert_eq!(kept_text(root, &kept), ("สองสอ".into(), false));
        assert!(kept.lock().unwrap()["a.md"].stamp.is_some(), "a settled file has a stamp");
        std::fs::write(root.join("a.md"), "สามสา").unwrap();
        assert_eq!(kept_text(root, &kept), ("สามสา".into(), true));
        // Another salt (the site's languages) makes it again.
        let mut made = false;
        read_kept(root, "a.md", 8, &kept, |b| {
            made = true;
            String::from_utf8(b).unwrap()
        })
        .unwrap();
        assert!(made);
    }

    #[test]
    fn editor_temp_files_are_recognised() {
        for name in [
            ".plan.json.swp",
            "plan.json~",
            "4913",
            "#plan.json#",
            "plan.json___jb_tmp___",
            ".goutputstream-XYZ",
            "x.tmp",
        ] {
            assert!(is_editor_temp(Path::new(name)), "{name}");
        }
        for name in ["plan.json", "2566.json", "analysis.md"] {
            assert!(!is_editor_temp(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn tis620_names_are_read_back() {
        // "ผลงาน" in TIS-620.
        assert_eq!(tis620(&[0xBC, 0xC5, 0xA7, 0xD2, 0xB9, b'.', b'm', b'd']).as_deref(), Some("ผลงาน.md"));
        // Latin-1 bytes outside the Thai range are not guessed at.
        assert_eq!(tis620(&[0xE9, 0xDC]), None);
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_site_are_refused_and_named() {
        let site = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::write(elsewhere.path().join("secret.txt"), "secret").unwrap();
        std::fs::create_dir_all(site.path().join("seeds")).unwrap();
        std::os::unix::fs::symlink(elsewhere.path().join("secret.txt"), site.path().join("seeds/doc.txt")).unwrap();
        std::fs::write(site.path().join("seeds/own.txt"), "own").unwrap();
        std::os::unix::fs::symlink("own.txt", site.path().join("seeds/alias.txt")).unwrap();

        let err = read(site.path(), "seeds/doc.txt").unwrap_err();
        assert_eq!(err.kind, Kind::OutsideSite);
        assert_eq!(err.file, "seeds/doc.txt");
        assert!(err.message.contains("secret.txt"), "{}", err.message);
        // A link that stays inside is followed.
        assert_eq!(read(site.path(), "seeds/alias.txt").unwrap(), b"own");

        let mut findings = Vec::new();
        let found: Vec<String> = walk(site.path(), "seeds", &mut findings).into_iter().map(|e| e.rel).collect();
        assert_eq!(found, ["seeds/alias.txt", "seeds/own.txt"]);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].kind, Kind::OutsideSite);
    }

    #[cfg(unix)]
    #[test]
    fn loops_and_bad_names_are_reported_once() {
        use std::os::unix::ffi::OsStrExt;
        let site = tempfile::tempdir().unwrap();
        let pages = site.path().join("content/pages/a");
        std::fs::create_dir_all(&pages).unwrap();
        std::os::unix::fs::symlink("..", pages.join("loop")).unwrap();
        std::fs::write(pages.join(OsStr::from_bytes(b"\xBC\xC5\xA7\xD2\xB9.md")), "x").unwrap();
        std::fs::write(pages.join("ok.md"), "x").unwrap();
        let mut findings = Vec::new();
        let found: Vec<String> = walk(site.path(), "content/pages", &mut findings).into_iter().map(|e| e.rel).collect();
        assert_eq!(found, ["content/pages/a/ok.md"]);
        let kinds: Vec<Kind> = findings.iter().map(|f| f.kind).collect();
        assert_eq!(kinds, [Kind::LinkLoop, Kind::FileName], "{findings:#?}");
        assert_eq!(findings[1].file, "content/pages/a");
        assert!(findings[1].message.contains("ผลงาน.md"), "{}", findings[1].message);
    }
}
