//! Working-tree source: a parallel walk with the `ignore` crate.
//!
//! Honours `.gitignore` and global git excludes inside a git work tree, and
//! `.ignore` files anywhere, unless told not to; scans hidden files such as
//! `.env`, skips only `.git` directories, never follows symbolic links, skips
//! binary files and files over the size limit (both counted), and reads
//! invalid UTF-8 as bytes. Inside a git work tree, files that git tracks
//! are scanned even when `.gitignore` matches them: a `.env` committed
//! before it was ignored is still in the repository. They are listed from
//! the index by leakhound itself ([`super::git::tracked`], beside the walk),
//! never by running git; when they cannot be, [`Stats::incomplete`] says so.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};

use super::git::tracked;
use super::{Stats, text_of};
use crate::finding::{Finding, ScanPath};
use crate::scan::Found;

/// Options of a working-tree walk.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Honour `.gitignore` and friends.
    pub respect_ignore: bool,
    /// Files larger than this many bytes are skipped.
    pub max_file_size: u64,
    /// Worker threads (0: one per core).
    pub threads: usize,
}

/// Scans one file, given its path as reported ([`display_path`]: not UTF-8
/// names keep their bytes), its raw bytes and their text
/// (`None` for a binary file, which only path rules see): the engine plus
/// suppression, as the caller composes them
/// ([`crate::scan::file_findings`]).
pub type ScanFn<'a> = dyn Fn(&ScanPath, &[u8], Option<&[u8]>) -> Found + Sync + 'a;

/// Walks `roots` in parallel, calling `scan` on every file to scan.
/// Returns the findings (unordered) and what was read and skipped.
pub fn walk(roots: &[PathBuf], opts: &WalkOptions, scan: &ScanFn) -> (Vec<Finding>, Stats) {
    if !opts.respect_ignore {
        return walk_tree(roots, opts, scan, None, true);
    }
    // The index lists the tracked files beside the walk, which records what
    // it visited; the tracked files it did not visit (ignored ones) are
    // scanned after it.
    let dirs: Vec<(&PathBuf, PathBuf)> = roots
        .iter()
        .filter_map(|r| tracked::work_tree_top(r).map(|(_, canonical)| (r, canonical)))
        .collect();
    if dirs.is_empty() {
        return walk_tree(roots, opts, scan, None, true);
    }
    let mut incomplete = Vec::new();
    let mut notes = Vec::new();
    let git_exclude = dirs
        .iter()
        .all(|(r, _)| exclude_file_is_readable(r, &mut notes));
    let visited = Mutex::new(Vec::new());
    let (listings, (mut findings, mut stats)) = std::thread::scope(|s| {
        let listings = s.spawn(|| {
            dirs.iter()
                .map(|(r, _)| tracked::list(r))
                .collect::<Vec<_>>()
        });
        let walked = walk_tree(roots, opts, scan, Some(&visited), git_exclude);
        (listings.join().unwrap_or_default(), walked)
    });
    let visited = visited.into_inner().unwrap_or_else(|e| e.into_inner());
    for (listing, (root, _)) in listings.iter().zip(&dirs) {
        for e in &listing.errors {
            incomplete.push(format!(
                "{}: the files git tracks could not be listed ({e}); tracked files that \
                 .gitignore matches were not scanned",
                root.display()
            ));
        }
    }
    let (f, st) = scan_unvisited(&dirs, &listings, visited, opts.max_file_size, scan);
    findings.extend(f);
    stats.merge(st);
    stats.incomplete.extend(incomplete);
    stats.notes.extend(notes);
    (findings, stats)
}

/// Whether the `info/exclude` file of the repository holding `root` can be
/// read: the walk opens it, and a FIFO there would block it. When it is not
/// a regular file, says so in `notes`: the walk then applies no
/// `info/exclude` file (it scans more, never less).
fn exclude_file_is_readable(root: &Path, notes: &mut Vec<String>) -> bool {
    let Some((top, _)) = tracked::work_tree_top(root) else {
        return true;
    };
    let Ok((_, common)) = super::git::index::git_dirs(&top.join(".git")) else {
        return true;
    };
    let exclude = common.join("info").join("exclude");
    match crate::safe_read::check_regular(&exclude, crate::safe_read::Links::Follow) {
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
            notes.push(format!(
                "{}: {e}: not read; no info/exclude patterns were applied",
                exclude.display()
            ));
            false
        }
        _ => true,
    }
}

/// Scans the files of each root's tracked-file listing that the walk did
/// not visit (`visited`: the [`path_key`]s of the paths it named): tracked
/// files that `.gitignore` matches. A listed path whose directory is reached
/// through a symbolic link is not read (a crafted index could name
/// `link/passwd`, with `link` pointing out of the work tree).
fn scan_unvisited(
    roots: &[(&PathBuf, PathBuf)],
    listings: &[tracked::Tracked],
    mut visited: Vec<u64>,
    max_file_size: u64,
    scan: &ScanFn,
) -> (Vec<Finding>, Stats) {
    visited.sort_unstable();
    let sink = Mutex::new(Default::default());
    let mut worker = Worker::new(max_file_size, &sink, None);
    let mut full = Vec::new();
    for ((root, canonical), listing) in roots.iter().zip(listings) {
        // The walk names a file `root/rel`.
        let prefix = with_separator(root);
        for rel in listing.paths.split(|&b| b == 0).filter(|r| !r.is_empty()) {
            let Some(rel) = native_path(rel) else {
                continue;
            };
            full.clear();
            full.extend_from_slice(&prefix);
            full.extend_from_slice(rel.as_os_str().as_encoded_bytes());
            if visited.binary_search(&path_key(&full)).is_ok() {
                continue;
            }
            let path = root.join(&rel);
            if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
                continue;
            }
            let parent = rel.parent().filter(|p| !p.as_os_str().is_empty());
            if let Some(parent) = parent
                && std::fs::canonicalize(root.join(parent)).ok() != Some(canonical.join(parent))
            {
                continue;
            }
            worker.file(&path, scan);
        }
    }
    drop(worker);
    sink.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// A 64-bit hash of a path's bytes: the walk records these rather than the
/// paths, so that looking up the index's listing is a sort and binary searches over
/// integers (a collision, at odds of about 2^-38 for a 13k-file tree, would
/// only skip one ignored tracked file).
fn path_key(path: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    h.write(path);
    h.finish()
}

/// The bytes a walk from `root` puts before a file's relative path: `root`
/// and a separator.
fn with_separator(root: &Path) -> Vec<u8> {
    let mut p = root.as_os_str().as_encoded_bytes().to_vec();
    if !p.ends_with(std::path::MAIN_SEPARATOR_STR.as_bytes()) && !p.ends_with(b"/") {
        p.extend_from_slice(std::path::MAIN_SEPARATOR_STR.as_bytes());
    }
    p
}

/// An index path (`/`-separated bytes) as a relative path of this platform
/// (its bytes as they are on Unix; `None` on Windows for a name that is not
/// UTF-8).
fn native_path(rel: &[u8]) -> Option<PathBuf> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Some(PathBuf::from(std::ffi::OsStr::from_bytes(rel)))
    }
    #[cfg(not(unix))]
    {
        Some(PathBuf::from(
            std::str::from_utf8(rel).ok()?.replace('/', "\\"),
        ))
    }
}

/// The ignore files the walk reads in each directory.
const IGNORE_FILES: [&str; 2] = [".gitignore", ".ignore"];

/// The largest ignore file the walk reads: real ones are a few KiB.
const MAX_IGNORE_FILE: u64 = 4 << 20;

/// The first ignore file of `dir` that the walk must not open (a FIFO, a
/// device, a link to one, a dangling link, or one over
/// [`MAX_IGNORE_FILE`]), with why: the `ignore` crate would open and read
/// it whole, and a FIFO blocks that open forever. One `lstat` per name in
/// the common case (no such file).
fn hostile_ignore_file(dir: &Path) -> Option<(PathBuf, String)> {
    IGNORE_FILES.iter().find_map(|name| {
        let path = dir.join(name);
        let meta = match std::fs::symlink_metadata(&path) {
            Err(_) => return None,
            Ok(m) if m.file_type().is_symlink() => {
                match crate::safe_read::check_regular(&path, crate::safe_read::Links::Follow) {
                    Ok(Some(m)) => m,
                    Ok(None) => return None,
                    Err(e) => return Some((path, e.to_string())),
                }
            }
            Ok(m) if !m.is_file() => {
                let e = crate::safe_read::check_regular(&path, crate::safe_read::Links::Refuse)
                    .err()
                    .map_or_else(|| "not a regular file".to_string(), |e| e.to_string());
                return Some((path, e));
            }
            Ok(m) => m,
        };
        (meta.len() > MAX_IGNORE_FILE)
            .then(|| (path, format!("larger than {MAX_IGNORE_FILE} bytes")))
    })
}

fn walk_tree(
    roots: &[PathBuf],
    opts: &WalkOptions,
    scan: &ScanFn,
    visited: Option<&Mutex<Vec<u64>>>,
    git_exclude: bool,
) -> (Vec<Finding>, Stats) {
    if !opts.respect_ignore {
        return walk_dirs(roots, opts, scan, visited, git_exclude);
    }
    // An ignore file that is not a regular file in a root or above it (the
    // walk reads the parents' too): no ignore files at all for that root.
    let mut notes = Vec::new();
    let (hostile_roots, roots): (Vec<PathBuf>, Vec<PathBuf>) =
        roots.iter().cloned().partition(|r| {
            let dir = if r.is_dir() {
                r.clone()
            } else {
                r.parent().map(Path::to_path_buf).unwrap_or_default()
            };
            let abs = std::fs::canonicalize(&dir).unwrap_or(dir);
            abs.ancestors()
                .find_map(hostile_ignore_file)
                .is_some_and(|(path, why)| {
                    notes.push(ignore_note(&path, &why, r));
                    true
                })
        });
    let (mut findings, mut stats) = walk_dirs(&roots, opts, scan, visited, git_exclude);
    if !hostile_roots.is_empty() {
        let plain = WalkOptions {
            respect_ignore: false,
            ..opts.clone()
        };
        let (f, st) = walk_dirs(&hostile_roots, &plain, scan, visited, false);
        findings.extend(f);
        stats.merge(st);
    }
    stats.notes.extend(notes);
    (findings, stats)
}

/// The note for an ignore file the walk did not read.
fn ignore_note(path: &Path, why: &str, scanned: &Path) -> String {
    format!(
        "{}: {why}: not read; {} was scanned without ignore files",
        crate::report::escape::controls(&path.display().to_string()),
        crate::report::escape::controls(&scanned.display().to_string()),
    )
}

/// The walk proper. With ignore files, a directory holding one that must
/// not be opened ([`hostile_ignore_file`]) is not entered by this walk but
/// walked again after it without ignore files (it is scanned in full, never
/// less), and said in [`Stats::incomplete`].
fn walk_dirs(
    roots: &[PathBuf],
    opts: &WalkOptions,
    scan: &ScanFn,
    visited: Option<&Mutex<Vec<u64>>>,
    git_exclude: bool,
) -> (Vec<Finding>, Stats) {
    let results: Mutex<(Vec<Finding>, Stats)> = Mutex::new(Default::default());
    let Some((first, rest)) = roots.split_first() else {
        return Default::default();
    };
    // Directories not entered: (directory, ignore file, why). The filter
    // must be 'static, so the list is shared by an Arc.
    type Skipped = Vec<(PathBuf, PathBuf, String)>;
    let hostile: std::sync::Arc<Mutex<Skipped>> = Default::default();
    let skipped = std::sync::Arc::clone(&hostile);
    let respect_ignore = opts.respect_ignore;
    let mut builder = WalkBuilder::new(first);
    for r in rest {
        builder.add(r);
    }
    builder
        .hidden(false)
        .parents(opts.respect_ignore)
        .ignore(opts.respect_ignore)
        .git_ignore(opts.respect_ignore)
        .git_global(opts.respect_ignore)
        .git_exclude(opts.respect_ignore && git_exclude)
        // As git and ripgrep do: outside a work tree no repository exists
        // for `.gitignore` to keep files out of, so it does not apply there
        // (`.ignore` files always do).
        .require_git(true)
        .follow_links(false)
        .threads(opts.threads)
        .filter_entry(move |e| {
            if !e.file_type().is_some_and(|t| t.is_dir()) {
                return true;
            }
            if e.file_name() == ".git" {
                return false;
            }
            if !respect_ignore {
                return true;
            }
            match hostile_ignore_file(e.path()) {
                None => true,
                Some((file, why)) => {
                    let mut h = skipped.lock().unwrap_or_else(|e| e.into_inner());
                    h.push((e.path().to_path_buf(), file, why));
                    false
                }
            }
        });

    builder.build_parallel().run(|| {
        let mut worker = Worker::new(opts.max_file_size, &results, visited);
        Box::new(move |entry| {
            match entry {
                Ok(entry) => {
                    if entry.file_type().is_some_and(|t| t.is_file()) {
                        worker.file(entry.path(), scan);
                        if let Some(v) = &mut worker.visited {
                            v.push(path_key(entry.path().as_os_str().as_encoded_bytes()));
                        }
                    }
                }
                Err(err) => worker.stats.errors.push(
                    crate::report::escape::controls(&one_line(&err.to_string())).into_owned(),
                ),
            }
            WalkState::Continue
        })
    });
    let (mut findings, mut stats) = results.into_inner().unwrap_or_else(|e| e.into_inner());
    let hostile = std::mem::take(&mut *hostile.lock().unwrap_or_else(|e| e.into_inner()));
    if !hostile.is_empty() {
        let dirs: Vec<PathBuf> = hostile.iter().map(|(d, _, _)| d.clone()).collect();
        let plain = WalkOptions {
            respect_ignore: false,
            ..opts.clone()
        };
        let (f, st) = walk_dirs(&dirs, &plain, scan, visited, false);
        findings.extend(f);
        stats.merge(st);
        stats.notes.extend(
            hostile
                .iter()
                .map(|(d, file, why)| ignore_note(file, why, d)),
        );
    }
    (findings, stats)
}

/// Per-thread state: a reusable read buffer and local results (and the
/// paths visited, when asked), handed to the shared sink once when the
/// worker is dropped.
struct Worker<'a> {
    buf: Vec<u8>,
    findings: Vec<Finding>,
    stats: Stats,
    max: u64,
    sink: &'a Mutex<(Vec<Finding>, Stats)>,
    visited: Option<Vec<u64>>,
    visited_sink: Option<&'a Mutex<Vec<u64>>>,
}

impl<'a> Worker<'a> {
    fn new(
        max: u64,
        sink: &'a Mutex<(Vec<Finding>, Stats)>,
        visited: Option<&'a Mutex<Vec<u64>>>,
    ) -> Worker<'a> {
        Worker {
            buf: Vec::new(),
            findings: Vec::new(),
            stats: Stats::default(),
            max,
            sink,
            visited: visited.map(|_| Vec::new()),
            visited_sink: visited,
        }
    }

    fn file(&mut self, path: &Path, scan: &ScanFn) {
        match read_file(path, self.max, &mut self.buf) {
            Ok(ReadOutcome::TooLarge) => self.stats.skipped_large += 1,
            Ok(ReadOutcome::Ok) => {
                let shown = display_path(path);
                let text = text_of(&self.buf);
                match &text {
                    // Binary files are not scanned, but path rules still see
                    // them (keystores are binary).
                    None => self.stats.skipped_binary += 1,
                    Some(_) => {
                        self.stats.files += 1;
                        self.stats.bytes += self.buf.len() as u64;
                    }
                }
                let found = scan(&shown, &self.buf, text.as_deref());
                self.findings.extend(found.findings);
                self.stats.capped.extend(found.capped);
            }
            Err(e) => self.stats.errors.push(format!(
                "{}: {}",
                crate::report::escape::bytes(path.as_os_str().as_encoded_bytes()),
                one_line(&e.to_string())
            )),
        }
    }
}

impl Drop for Worker<'_> {
    fn drop(&mut self) {
        let mut sink = self.sink.lock().unwrap_or_else(|e| e.into_inner());
        sink.0.append(&mut self.findings);
        sink.1.merge(std::mem::take(&mut self.stats));
        drop(sink);
        if let (Some(v), Some(vs)) = (&mut self.visited, self.visited_sink) {
            vs.lock().unwrap_or_else(|e| e.into_inner()).append(v);
        }
    }
}

enum ReadOutcome {
    Ok,
    TooLarge,
}

/// Files are read this far before their size is asked for: most source
/// files are smaller, and one system call per file is saved.
const READ_BEFORE_STAT: u64 = 1 << 20;

fn read_file(path: &Path, max: u64, buf: &mut Vec<u8>) -> std::io::Result<ReadOutcome> {
    let mut f = File::open(path)?;
    buf.clear();
    // `max + 1` bytes tell a file over the limit; `--max-file-size` may be
    // u64::MAX (no limit), where that would wrap to 0.
    let probe = READ_BEFORE_STAT.min(max.saturating_add(1));
    let first = (&mut f).take(probe).read_to_end(buf)? as u64;
    if first == probe {
        // A large file: skip it unread if it is over the limit.
        if f.metadata()?.len() > max {
            return Ok(ReadOutcome::TooLarge);
        }
        // Read at most max+1 bytes in all: a file that grew past the limit
        // is skipped too.
        (&mut f)
            .take(max.saturating_add(1) - first)
            .read_to_end(buf)?;
    }
    if buf.len() as u64 > max {
        return Ok(ReadOutcome::TooLarge);
    }
    Ok(ReadOutcome::Ok)
}

/// A path as reports show it: without a leading `./`, with `/` separators;
/// a name that is not UTF-8 keeps its bytes ([`ScanPath`]).
pub fn display_path(path: &Path) -> ScanPath {
    let raw = path.as_os_str().as_encoded_bytes();
    let raw = raw.strip_prefix(b"./").unwrap_or(raw);
    if cfg!(windows) {
        ScanPath::from(String::from_utf8_lossy(raw).replace('\\', "/"))
    } else {
        ScanPath::from_bytes(raw)
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
