//! Which files the build reads, and which file events mean "rebuild".
//!
//! The build reads `content/`, `themes/`, the site's own `templates/` and
//! `static/`, and the source documents the data cites (anywhere under the
//! site root, `seeds/` by default). Those folders are watched recursively;
//! the folder of each cited document and the site root itself are watched
//! one level deep, the root so that a `templates/` or `static/` created later
//! is noticed. The site root is often a repository with `target/` or
//! `node_modules/` in it: watching it whole would flood the watcher.
//!
//! Editors save in many steps (a temp file renamed over the original, vim's
//! `4913` probe and `~` backup, JetBrains' `___jb_tmp___`): events on such
//! names never start a build, and the debouncer turns each burst into one
//! batch.

use super::Watching;
use crate::site;
use notify::event::{CreateKind, ModifyKind};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, DebouncedEvent, Debouncer, NoCache, RecommendedCache};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// What the watcher sends the builder: events or errors, one debounced batch.
pub type Batch = DebounceEventResult;

/// The polling interval when polling was not asked for but is needed.
pub const DEFAULT_POLL: Duration = Duration::from_millis(500);

/// Folders under the site root whose every file may be an input.
pub fn input_dirs() -> [&'static str; 4] {
    ["content", "themes", crate::render::SITE_TEMPLATES, site::SITE_STATIC]
}

/// Version-control folders: their churn is never an input.
const VCS_DIRS: [&str; 3] = [".git", ".hg", ".svn"];

/// What a batch of events asks of the builder.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Trigger {
    /// Some input changed.
    pub rebuild: bool,
    /// A folder appeared: its files may have been missed, build again shortly.
    pub new_folder: bool,
    /// A watched folder itself was created, removed or renamed (or the
    /// system lost events): set the watches up again.
    pub rewatch: bool,
    /// The inputs that changed, root-relative, for the terminal.
    pub inputs: BTreeSet<String>,
}

impl Trigger {
    pub fn merge(&mut self, other: Trigger) {
        self.rebuild |= other.rebuild;
        self.new_folder |= other.new_folder;
        self.rewatch |= other.rewatch;
        self.inputs.extend(other.inputs);
    }
}

/// Decides what a batch of events means. `docs` are the cited documents'
/// absolute, normalised paths.
pub fn classify(root: &Path, docs: &BTreeSet<PathBuf>, events: &[DebouncedEvent]) -> Trigger {
    let mut trigger = Trigger::default();
    for event in events {
        if event.need_rescan() {
            // The system dropped events: anything may have changed.
            trigger.rebuild = true;
            trigger.rewatch = true;
            continue;
        }
        // Reading a file is not changing it (and one Access event arrives
        // right after a watch starts).
        if matches!(event.kind, EventKind::Access(_)) {
            continue;
        }
        for path in &event.paths {
            let Some(rel) = input_path(root, docs, path) else { continue };
            trigger.rebuild = true;
            let appeared = matches!(event.kind, EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(_)));
            if matches!(event.kind, EventKind::Create(CreateKind::Folder)) || (appeared && path.is_dir()) {
                trigger.new_folder = true;
            }
            let is_watched_dir = !rel.contains('/');
            if is_watched_dir
                && matches!(
                    event.kind,
                    EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
                )
            {
                trigger.rewatch = true;
            }
            trigger.inputs.insert(rel);
        }
    }
    trigger
}

/// The root-relative path of an input, or `None` for anything the build
/// does not read (editor temp files included).
fn input_path(root: &Path, docs: &BTreeSet<PathBuf>, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    if docs.contains(&normalize(path)) {
        return Some(crate::files::rel_path(root, path));
    }
    let mut components = rel.components();
    let first = components.next()?.as_os_str().to_str()?;
    if !input_dirs().contains(&first) {
        return None;
    }
    if rel.components().any(|c| VCS_DIRS.iter().any(|v| c.as_os_str() == *v)) {
        return None;
    }
    if crate::files::is_editor_temp(path) {
        return None;
    }
    Some(crate::files::rel_path(root, path))
}

/// The source documents that `content/plan.json` and `content/results/*.json`
/// cite, as absolute normalised paths. Read the way the build reads them
/// (a byte-order mark and Windows line endings are fine), so that what the
/// build accepts is watched. Read leniently: a file that does not parse
/// right now cites nothing (the build reports it), and the watches set up
/// before stay until it parses again.
pub fn cited_documents(root: &Path) -> BTreeSet<PathBuf> {
    let mut files = vec![site::PLAN_FILE.to_string()];
    files.extend(crate::files::files_in(root, site::RESULTS_DIR, "json"));
    files
        .iter()
        .filter_map(|rel| crate::data::read_source(root, rel).ok())
        .filter_map(|src| cited_by(&src.text))
        .map(|f| normalize(&root.join(f)))
        .collect()
}

/// The source document a content file cites, read without the rest of the
/// file: only `document.file` is kept, so a plan of thousands of indicators
/// is scanned, not loaded. The text is as the build reads it (no byte-order
/// mark, `\r\n` made `\n`).
fn cited_by(text: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct File {
        document: Option<Document>,
    }
    #[derive(serde::Deserialize)]
    struct Document {
        file: String,
    }
    serde_json::from_str::<File>(text).ok()?.document.map(|d| d.file)
}

/// `a/./b/../c` → `a/c`, without touching the filesystem (the file may not
/// exist yet, and symlinks must keep the name the events will carry).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// What should be watched: `(folder, recursive?)`.
pub fn desired(root: &Path, docs: &BTreeSet<PathBuf>) -> BTreeMap<PathBuf, RecursiveMode> {
    let mut want = BTreeMap::new();
    want.insert(root.to_path_buf(), RecursiveMode::NonRecursive);
    for dir in input_dirs() {
        want.insert(root.join(dir), RecursiveMode::Recursive);
    }
    for doc in docs {
        let Some(dir) = doc.parent() else { continue };
        let covered =
            want.iter().any(|(w, mode)| dir == w || (*mode == RecursiveMode::Recursive && dir.starts_with(w)));
        if !covered {
            want.insert(dir.to_path_buf(), RecursiveMode::NonRecursive);
        }
    }
    want.retain(|p, _| p.is_dir());
    want
}

enum Inner {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl Inner {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Inner::Native(d) => d.watch(path, mode),
            Inner::Poll(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match self {
            Inner::Native(d) => d.unwatch(path),
            Inner::Poll(d) => d.unwatch(path),
        }
    }
}

/// The debounced watcher and the folders it watches. Dropping it stops
/// watching, so the builder thread keeps it for as long as it runs.
pub struct Watcher {
    inner: Inner,
    how: Watching,
    root: PathBuf,
    watched: BTreeMap<PathBuf, RecursiveMode>,
    docs: BTreeSet<PathBuf>,
}

impl Watcher {
    /// Starts watching; batches go to `tx`. Fails if any folder cannot be
    /// watched (the caller may then fall back to polling).
    pub fn start(
        root: &Path,
        how: Watching,
        debounce: Duration,
        tx: Sender<Batch>,
        docs: &BTreeSet<PathBuf>,
    ) -> notify::Result<Watcher> {
        let inner = match how {
            Watching::Poll(interval) => Inner::Poll(notify_debouncer_full::new_debouncer_opt(
                debounce,
                None,
                tx,
                NoCache::new(),
                // notify's PollWatcher keeps modification times in whole
                // seconds: without comparing contents, a save in the same
                // second as the previous poll goes unseen. The inputs are
                // small text files, so hashing them each poll is cheap.
                notify::Config::default().with_poll_interval(interval).with_compare_contents(true),
            )?),
            _ => Inner::Native(notify_debouncer_full::new_debouncer(debounce, None, tx)?),
        };
        let mut watcher =
            Watcher { inner, how, root: root.to_path_buf(), watched: BTreeMap::new(), docs: docs.clone() };
        for (path, mode) in desired(root, docs) {
            watcher.inner.watch(&path, mode)?;
            watcher.watched.insert(path, mode);
        }
        Ok(watcher)
    }

    pub fn how(&self) -> Watching {
        self.how
    }

    /// The watched folders, root-relative, for the terminal.
    pub fn described(&self) -> Vec<String> {
        self.watched
            .keys()
            .filter(|p| **p != self.root)
            .map(|p| match p.strip_prefix(&self.root) {
                Ok(rel) => format!("{}/", crate::files::rel_path(Path::new(""), rel)),
                Err(_) => p.display().to_string(),
            })
            .collect()
    }

    pub fn classify(&self, events: &[DebouncedEvent]) -> Trigger {
        classify(&self.root, &self.docs, events)
    }

    /// Brings the watches in line with the folders that exist now and the
    /// documents cited now. Returns the problems, in Thai, for the terminal.
    pub fn reconcile(&mut self, docs: &BTreeSet<PathBuf>, rewatch: bool) -> Vec<String> {
        // A document that is no longer cited keeps its watch until the data
        // parses again: a broken JSON file cites nothing for a moment.
        let parsed_any = !docs.is_empty();
        if parsed_any {
            self.docs = docs.clone();
        }
        let want = desired(&self.root, &self.docs);
        let mut problems = Vec::new();
        let stale: Vec<PathBuf> = self
            .watched
            .iter()
            .filter(|(p, mode)| rewatch || want.get(*p) != Some(*mode))
            .map(|(p, _)| p.clone())
            .collect();
        for path in stale {
            // A folder that was deleted lost its watch already; that error is expected.
            let _ = self.inner.unwatch(&path);
            self.watched.remove(&path);
        }
        for (path, mode) in want {
            if self.watched.contains_key(&path) {
                continue;
            }
            match self.inner.watch(&path, mode) {
                Ok(()) => {
                    self.watched.insert(path, mode);
                }
                Err(e) => problems.push(format!("เฝ้าดู {} ไม่ได้: {e}", path.display())),
            }
        }
        problems
    }

    /// Stops watching and waits for the debouncer's thread.
    pub fn stop(self) {
        match self.inner {
            Inner::Native(d) => d.stop(),
            Inner::Poll(d) => d.stop(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{DataChange, RemoveKind, RenameMode};
    use notify::{Event, event::Flag};
    use std::time::Instant;

    fn ev(kind: EventKind, paths: &[&str]) -> DebouncedEvent {
        let mut event = Event::new(kind);
        for p in paths {
            event = event.add_path(PathBuf::from(p));
        }
        DebouncedEvent::new(event, Instant::now())
    }

    fn modify(path: &str) -> DebouncedEvent {
        ev(EventKind::Modify(ModifyKind::Data(DataChange::Content)), &[path])
    }

    fn docs() -> BTreeSet<PathBuf> {
        [PathBuf::from("/site/seeds/doc.txt")].into_iter().collect()
    }

    #[test]
    fn editor_temp_files_never_trigger() {
        let root = Path::new("/site");
        for temp in [
            "/site/content/.plan.json.swp",
            "/site/content/.plan.json.swx",
            "/site/content/4913",
            "/site/content/plan.json~",
            "/site/content/pages/#plan.md#",
            "/site/content/pages/.#plan.md",
            "/site/content/plan.json___jb_tmp___",
            "/site/content/plan.json___jb_old___",
            "/site/themes/default/static/.goutputstream-ABC123",
            "/site/content/results/2566.json.tmp",
        ] {
            let t = classify(root, &docs(), &[modify(temp)]);
            assert!(!t.rebuild, "{temp} started a build");
            let t = classify(root, &docs(), &[ev(EventKind::Create(CreateKind::File), &[temp])]);
            assert!(!t.rebuild, "{temp} started a build");
        }
    }

    #[test]
    fn inputs_trigger_and_other_files_do_not() {
        let root = Path::new("/site");
        for input in [
            "/site/content/plan.json",
            "/site/content/pages/years/2566/analysis.md",
            "/site/themes/default/templates/base.html",
            "/site/themes/default/static/style.css",
            "/site/templates/page.html",
            "/site/static/logo.svg",
            "/site/seeds/doc.txt",
        ] {
            let t = classify(root, &docs(), &[modify(input)]);
            assert!(t.rebuild, "{input} did not start a build");
            assert_eq!(t.inputs.len(), 1);
        }
        for other in [
            "/site/Cargo.lock",
            "/site/target/debug/prongsai",
            "/site/public/index.html",
            "/site/seeds/other.txt",
            "/site/content/.git/index",
            "/elsewhere/content/plan.json",
        ] {
            assert!(!classify(root, &docs(), &[modify(other)]).rebuild, "{other} started a build");
        }
        let access = ev(EventKind::Access(notify::event::AccessKind::Any), &["/site/content/plan.json"]);
        assert!(!classify(root, &docs(), &[access]).rebuild);
    }

    #[test]
    fn atomic_save_renames_a_temp_file_over_the_input() {
        let root = Path::new("/site");
        let rename = ev(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &["/site/content/.plan.json.tmp123", "/site/content/plan.json"],
        );
        let t = classify(root, &docs(), &[rename]);
        assert!(t.rebuild);
        assert_eq!(t.inputs.into_iter().collect::<Vec<_>>(), vec!["content/plan.json"]);
        let removed = ev(EventKind::Remove(RemoveKind::File), &["/site/content/pages/plan.md"]);
        assert!(classify(root, &docs(), &[removed]).rebuild);
    }

    #[test]
    fn folders_and_lost_events() {
        let root = Path::new("/site");
        let t = classify(root, &docs(), &[ev(EventKind::Create(CreateKind::Folder), &["/site/content/pages/new"])]);
        assert!(t.rebuild && t.new_folder && !t.rewatch);
        let t = classify(root, &docs(), &[ev(EventKind::Create(CreateKind::Folder), &["/site/templates"])]);
        assert!(t.rebuild && t.rewatch);
        let t = classify(root, &docs(), &[ev(EventKind::Remove(RemoveKind::Folder), &["/site/content"])]);
        assert!(t.rebuild && t.rewatch);
        let lost = DebouncedEvent::new(Event::new(EventKind::Other).set_flag(Flag::Rescan), Instant::now());
        let t = classify(root, &docs(), &[lost]);
        assert!(t.rebuild && t.rewatch);
    }

    #[test]
    fn cited_documents_are_found_and_watched() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/results")).unwrap();
        std::fs::create_dir_all(root.join("docs/a")).unwrap();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("content/plan.json"), r#"{"document": {"file": "docs/a/plan.txt"}}"#).unwrap();
        std::fs::write(root.join("content/results/2566.json"), r#"{"document": {"file": "./content/r.txt"}}"#).unwrap();
        std::fs::write(root.join("content/results/2567.json"), "{ not json").unwrap();
        // Saved by Windows Notepad: a byte-order mark and CRLF, as the build accepts.
        std::fs::write(
            root.join("content/results/2568.json"),
            "\u{feff}{\r\n  \"document\": {\r\n    \"file\": \"docs/a/notepad.txt\"\r\n  }\r\n}\r\n",
        )
        .unwrap();
        let docs = cited_documents(root);
        assert!(docs.contains(&root.join("docs/a/plan.txt")), "{docs:?}");
        assert!(docs.contains(&root.join("content/r.txt")), "{docs:?}");
        assert!(docs.contains(&root.join("docs/a/notepad.txt")), "a BOM and CRLF: {docs:?}");
        let want = desired(root, &docs);
        assert_eq!(want.get(&root.join("docs/a")), Some(&RecursiveMode::NonRecursive));
        assert_eq!(want.get(&root.join("content")), Some(&RecursiveMode::Recursive));
        // Covered by the recursive watch of content/; themes/ does not exist.
        assert_eq!(want.len(), 3, "{want:?}");
    }
}
