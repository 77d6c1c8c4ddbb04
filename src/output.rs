//! Where the site is written, and the last step of a build.
//!
//! The output folder is replaced whole, so it is checked before anything is
//! built: [`Output::resolve`] refuses an output that is the site itself,
//! contains it, lies inside one of its input folders, is not a folder, or is
//! a folder of someone else's files (unless forced). The site is then written
//! into a staging folder beside the output ([`Staging`]) and swapped in only
//! when every file is there, so a failed build leaves the previous output as
//! it was. Every folder prongsai writes holds a small marker file
//! ([`MARKER`]), which is how it later knows a folder is its own: an output
//! it may replace, or the leftovers of a build that was killed midway.

use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// The file that marks a folder as prongsai's output. Like `CACHEDIR.TAG`,
/// its presence is what counts; its text explains it to a person who finds it.
pub const MARKER: &str = ".prongsai-output";
const MARKER_TEXT: &str = "This folder is the output of `prongsai build` and is replaced whole by the next build.\n\
     โฟลเดอร์นี้สร้างโดย prongsai build และจะถูกแทนที่ทั้งโฟลเดอร์เมื่อสร้างเว็บไซต์ครั้งต่อไป\n";

/// The folders of a site that hold its inputs: an output inside one of them
/// would be swapped away with the sources, or read back as input.
pub const INPUT_DIRS: &[&str] = &["content", "themes", "templates", "static", "seeds"];

/// Why an output folder is refused before anything is built. The command
/// line exits with status 2 for these: the command, not the content, is wrong.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("ไม่พบโฟลเดอร์ของเว็บไซต์ `{root}`: {reason}")]
    NoRoot { root: PathBuf, reason: String },
    #[error(
        "โฟลเดอร์ปลายทาง `{out}` คือโฟลเดอร์ของเว็บไซต์เอง: การสร้างจะแทนที่ต้นฉบับทั้งหมด (content/, themes/, seeds/) ด้วยเว็บไซต์ที่สร้างขึ้น\n  = วิธีแก้: ใช้โฟลเดอร์ใหม่ เช่น --out public"
    )]
    IsRoot { out: PathBuf },
    #[error(
        "โฟลเดอร์ปลายทาง `{out}` ครอบโฟลเดอร์ของเว็บไซต์ `{root}` อยู่: การสร้างจะแทนที่ต้นฉบับทั้งหมดด้วยเว็บไซต์ที่สร้างขึ้น\n  = วิธีแก้: ใช้โฟลเดอร์ที่อยู่นอกเส้นทางนี้ เช่น --out public"
    )]
    ContainsRoot { out: PathBuf, root: PathBuf },
    #[error(
        "โฟลเดอร์ปลายทาง `{out}` อยู่ในโฟลเดอร์ต้นฉบับ {input}/ ของเว็บไซต์: ผลลัพธ์จะปนกับต้นฉบับและถูกอ่านกลับเป็นเนื้อหา\n  = วิธีแก้: ใช้โฟลเดอร์นอก {input}/ เช่น --out public"
    )]
    InsideInput { out: PathBuf, input: String },
    #[error(
        "ปลายทาง `{out}` เป็นไฟล์ ไม่ใช่โฟลเดอร์: จะไม่แทนที่ไฟล์นี้\n  = วิธีแก้: ตั้งชื่อโฟลเดอร์ปลายทางอื่นด้วย --out หรือย้ายไฟล์นี้ออกก่อน"
    )]
    NotAFolder { out: PathBuf },
    #[error(
        "โฟลเดอร์ปลายทาง `{out}` มีไฟล์อยู่แล้วและไม่ได้สร้างโดย prongsai (ไม่มีไฟล์ {marker}): การสร้างจะแทนที่ทั้งโฟลเดอร์\n  = วิธีแก้: ใช้โฟลเดอร์ใหม่หรือโฟลเดอร์ว่าง หรือถ้าแน่ใจว่าแทนที่ได้ ให้สั่งซ้ำพร้อม --force"
    )]
    NotOurs { out: PathBuf, marker: &'static str },
}

/// Why writing the output failed (the previous output is left as it was).
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("เขียนไฟล์ `{path}` ไม่ได้: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// Where a build puts each file as soon as it is made, so that a large site
/// never has to be held in memory whole: a [`Staging`] folder for `build`,
/// [`Memory`] for the preview and tests. Called from many threads at once.
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), WriteError>;

    /// A file made by writing to it, for files too large to hold whole.
    fn put_with(
        &self,
        path: &str,
        write: &dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), WriteError> {
        let mut bytes = Vec::new();
        write(&mut bytes).map_err(|source| WriteError::Io { path: PathBuf::from(path), source })?;
        self.put(path, bytes)
    }
}

/// A site kept in memory, by root-relative path.
#[derive(Debug, Default)]
pub struct Memory(Mutex<BTreeMap<String, Vec<u8>>>);

impl Memory {
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.0.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Sink for Memory {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), WriteError> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(path.to_string(), bytes);
        Ok(())
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io { path: path.to_path_buf(), source }
}

/// An output folder that passed the checks: its real location (links
/// followed, so a `public -> /var/www/site` link keeps pointing at the site).
#[derive(Debug, Clone)]
pub struct Output {
    path: PathBuf,
    parent: PathBuf,
    name: String,
}

impl Output {
    /// Checks where a site at `root` may be written. `force` allows
    /// replacing an existing folder that prongsai did not make; nothing
    /// allows replacing the sources.
    pub fn resolve(root: &Path, out: &Path, force: bool) -> Result<Output, Refusal> {
        let root_real = root
            .canonicalize()
            .map_err(|e| Refusal::NoRoot { root: root.to_path_buf(), reason: crate::files::io_reason(&e) })?;
        let out_abs = absolute(out);
        let path = real_path(&out_abs);
        if path == root_real {
            return Err(Refusal::IsRoot { out: out.to_path_buf() });
        }
        if root_real.starts_with(&path) {
            return Err(Refusal::ContainsRoot { out: out.to_path_buf(), root: root_real });
        }
        for input in input_folders(&root_real) {
            if path.starts_with(&input) {
                let name = crate::files::rel_path(&root_real, &input);
                return Err(Refusal::InsideInput { out: out.to_path_buf(), input: name });
            }
        }
        if path.exists() {
            if !path.is_dir() {
                return Err(Refusal::NotAFolder { out: out.to_path_buf() });
            }
            let empty = std::fs::read_dir(&path).map(|mut d| d.next().is_none()).unwrap_or(false);
            if !empty && !path.join(MARKER).is_file() && !force {
                return Err(Refusal::NotOurs { out: out.to_path_buf(), marker: MARKER });
            }
        } else if path.symlink_metadata().is_ok() {
            // A link to nothing: replacing it would be a surprise either way.
            return Err(Refusal::NotAFolder { out: out.to_path_buf() });
        }
        let parent = path.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("/"));
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        Ok(Output { path, parent, name })
    }

    /// The folder the site goes to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes a whole site held in memory.
    pub fn write(&self, files: &BTreeMap<String, Vec<u8>>) -> Result<(), WriteError> {
        let staging = self.stage()?;
        // In parallel: many small files, and the disk is rarely the limit.
        files.par_iter().try_for_each(|(rel, bytes)| staging.put(rel, bytes.clone()))?;
        staging.commit()
    }

    /// A fresh staging folder beside the output, after removing what killed
    /// builds left there.
    pub fn stage(&self) -> Result<Staging, WriteError> {
        std::fs::create_dir_all(&self.parent).map_err(io(&self.parent))?;
        self.remove_leftovers();
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{}.new-{}-", self.name, std::process::id()))
            .tempdir_in(&self.parent)
            .map_err(io(&self.parent))?
            .keep();
        // Marked before anything else is written, so that even a build killed
        // at its first file leaves a folder the next build knows it may remove.
        let marker = dir.join(MARKER);
        if let Err(e) = std::fs::write(&marker, MARKER_TEXT) {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(WriteError::Io { path: marker, source: e });
        }
        Ok(Staging { dir, output: self.clone(), committed: false })
    }

    /// Staging (`.public.new-PID-…`) and swapped-out (`.public.old-PID`)
    /// folders of builds that died before cleaning up. Only folders that
    /// carry the marker are removed, and none of a build still running.
    fn remove_leftovers(&self) {
        let Ok(entries) = std::fs::read_dir(&self.parent) else { return };
        let prefixes = [format!(".{}.new-", self.name), format!(".{}.old-", self.name)];
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(rest) = prefixes.iter().find_map(|p| name.strip_prefix(p.as_str())) else { continue };
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if !is_dir || !entry.path().join(MARKER).is_file() {
                continue;
            }
            let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
            if pid.is_some_and(|p| p != std::process::id() && running(p)) {
                continue;
            }
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// A staging folder being filled; removed unless [`Staging::commit`] swaps
/// it in.
pub struct Staging {
    dir: PathBuf,
    output: Output,
    committed: bool,
}

impl Staging {
    /// Where a file of the site goes, its folder made.
    fn path_of(&self, rel: &str) -> Result<PathBuf, WriteError> {
        let path = self.dir.join(rel);
        // Output paths come from the build, but a path that could climb out
        // of the staging folder must never be written whatever its origin.
        if !Path::new(rel).components().all(|c| matches!(c, Component::Normal(_))) {
            let source = std::io::Error::new(std::io::ErrorKind::InvalidInput, "path leaves the output folder");
            return Err(WriteError::Io { path, source });
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        Ok(path)
    }
}

impl Sink for Staging {
    /// Writes one file of the site.
    fn put(&self, rel: &str, bytes: Vec<u8>) -> Result<(), WriteError> {
        let path = self.path_of(rel)?;
        std::fs::write(&path, bytes).map_err(io(&path))
    }

    fn put_with(
        &self,
        rel: &str,
        write: &dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), WriteError> {
        use std::io::Write;
        let path = self.path_of(rel)?;
        let file = std::fs::File::create(&path).map_err(io(&path))?;
        let mut out = std::io::BufWriter::new(file);
        write(&mut out).and_then(|()| out.flush()).map_err(io(&path))
    }
}

impl Staging {
    /// Swaps the staging folder in as the output; the previous output is
    /// removed only once the new one is in place.
    pub fn commit(mut self) -> Result<(), WriteError> {
        // Folders from tempfile are 0700; a web server needs to read them.
        set_readable(&self.dir);
        let out = &self.output.path;
        let old = self.output.parent.join(format!(".{}.old-{}", self.output.name, std::process::id()));
        let had_old = out.exists();
        if had_old {
            std::fs::rename(out, &old).map_err(io(out))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, out) {
            if had_old {
                let _ = std::fs::rename(&old, out);
            }
            return Err(WriteError::Io { path: out.clone(), source: e });
        }
        self.committed = true;
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf())
    }
}

/// The real location of a path that may not exist yet: the longest part
/// that exists, with links resolved, then the rest as written.
fn real_path(path: &Path) -> PathBuf {
    let parts: Vec<Component> = path.components().collect();
    for split in (1..=parts.len()).rev() {
        let head: PathBuf = parts[..split].iter().collect();
        let Ok(mut real) = head.canonicalize() else { continue };
        for part in &parts[split..] {
            match part {
                Component::ParentDir => {
                    real.pop();
                }
                Component::Normal(p) => real.push(p),
                _ => {}
            }
        }
        return real;
    }
    path.to_path_buf()
}

/// The real locations of the site's input folders, and of each theme (a
/// theme may be a link to a folder elsewhere).
fn input_folders(root_real: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = INPUT_DIRS.iter().filter_map(|d| root_real.join(d).canonicalize().ok()).collect();
    if let Ok(themes) = std::fs::read_dir(root_real.join("themes")) {
        dirs.extend(themes.filter_map(Result::ok).filter_map(|t| t.path().canonicalize().ok()));
    }
    dirs
}

/// Whether a process is alive, where the system tells (Linux's /proc);
/// elsewhere a leftover is taken as dead, since its build cannot be asked.
fn running(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(unix)]
fn set_readable(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(dir).into_iter().filter_map(|e| e.ok()) {
        let mode = if entry.file_type().is_dir() { 0o755 } else { 0o644 };
        let _ = std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode));
    }
}

#[cfg(not(unix))]
fn set_readable(_dir: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for d in ["content", "themes/default", "seeds"] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        dir
    }

    #[test]
    fn the_sources_are_never_an_output() {
        let s = site();
        let root = s.path();
        assert!(matches!(Output::resolve(root, root, true), Err(Refusal::IsRoot { .. })));
        assert!(matches!(Output::resolve(root, &root.join("content/.."), true), Err(Refusal::IsRoot { .. })));
        assert!(matches!(Output::resolve(root, root.parent().unwrap(), true), Err(Refusal::ContainsRoot { .. })));
        assert!(matches!(Output::resolve(root, Path::new("/"), true), Err(Refusal::ContainsRoot { .. })));
        for inside in ["content/public", "themes/default/out", "seeds", "static/x"] {
            std::fs::create_dir_all(root.join("static")).unwrap();
            let r = Output::resolve(root, &root.join(inside), true);
            assert!(matches!(r, Err(Refusal::InsideInput { .. })), "{inside}: {r:?}");
        }
        // Not yet existing, through `..`: resolved before it is judged.
        let r = Output::resolve(root, &root.join("new/../content/x"), true);
        assert!(matches!(r, Err(Refusal::InsideInput { .. })), "{r:?}");
        assert_eq!(
            Output::resolve(root, &root.join("public"), false).unwrap().path(),
            root.canonicalize().unwrap().join("public")
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_the_sources_is_refused_and_a_link_to_a_folder_is_followed() {
        let s = site();
        let root = s.path();
        std::os::unix::fs::symlink(root, root.join("self")).unwrap();
        assert!(matches!(Output::resolve(root, &root.join("self"), true), Err(Refusal::IsRoot { .. })));
        let www = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(www.path(), root.join("public")).unwrap();
        let out = Output::resolve(root, &root.join("public"), false).unwrap();
        assert_eq!(out.path(), www.path().canonicalize().unwrap());
    }

    #[test]
    fn files_and_foreign_folders_are_not_replaced() {
        let s = site();
        let root = s.path();
        std::fs::write(root.join("notes.txt"), "keep").unwrap();
        assert!(matches!(Output::resolve(root, &root.join("notes.txt"), true), Err(Refusal::NotAFolder { .. })));
        std::fs::create_dir(root.join("docs")).unwrap();
        std::fs::write(root.join("docs/report.docx"), "keep").unwrap();
        assert!(matches!(Output::resolve(root, &root.join("docs"), false), Err(Refusal::NotOurs { .. })));
        assert!(Output::resolve(root, &root.join("docs"), true).is_ok());
        std::fs::create_dir(root.join("empty")).unwrap();
        assert!(Output::resolve(root, &root.join("empty"), false).is_ok());
    }

    #[test]
    fn an_output_is_marked_and_replaced_whole() {
        let s = site();
        let root = s.path();
        let out = Output::resolve(root, &root.join("public"), false).unwrap();
        let files = [("index.html".to_string(), b"one".to_vec())].into_iter().collect();
        out.write(&files).unwrap();
        assert!(root.join("public").join(MARKER).is_file());
        // Its own output is replaced without --force.
        let out = Output::resolve(root, &root.join("public"), false).unwrap();
        let files = [("a/index.html".to_string(), b"two".to_vec())].into_iter().collect();
        out.write(&files).unwrap();
        assert!(!root.join("public/index.html").exists());
        assert_eq!(std::fs::read(root.join("public/a/index.html")).unwrap(), b"two");
        let staging = out.stage().unwrap();
        assert!(staging.put("../escape", b"x".to_vec()).is_err());
        drop(staging);
        let names: Vec<String> =
            std::fs::read_dir(root).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert!(!names.iter().any(|n| n.starts_with(".public.")), "staging left behind: {names:?}");
    }

    #[test]
    fn leftovers_of_killed_builds_go_and_foreign_folders_stay() {
        let s = site();
        let root = s.path();
        // A killed build: its staging folder (marked) and a swapped-out old output.
        for leftover in [".public.new-999999999-abc", ".public.old-999999999"] {
            std::fs::create_dir_all(root.join(leftover).join("x")).unwrap();
            std::fs::write(root.join(leftover).join(MARKER), MARKER_TEXT).unwrap();
        }
        // Same name pattern, not ours: never touched.
        std::fs::create_dir_all(root.join(".public.new-mine")).unwrap();
        std::fs::write(root.join(".public.new-mine/notes.txt"), "keep").unwrap();
        let out = Output::resolve(root, &root.join("public"), false).unwrap();
        out.write(&Default::default()).unwrap();
        assert!(!root.join(".public.new-999999999-abc").exists());
        assert!(!root.join(".public.old-999999999").exists());
        assert_eq!(std::fs::read(root.join(".public.new-mine/notes.txt")).unwrap(), b"keep");
    }
}
