//! Working-tree source: a parallel walk with the `ignore` crate.
//!
//! Honours `.gitignore` (and `.ignore`, global git excludes) unless told not
//! to, scans hidden files such as `.env`, skips only `.git` directories, never
//! follows symbolic links, skips binary files and files over the size limit
//! (both counted), and reads invalid UTF-8 as bytes.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};

use super::{Stats, text_of};
use crate::finding::Finding;

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

/// Scans one file, given its display path, its raw bytes and their text
/// (`None` for a binary file, which only path rules see): the engine plus
/// suppression, as the caller composes them
/// ([`crate::scan::file_findings`]).
pub type ScanFn<'a> = dyn Fn(&str, &[u8], Option<&[u8]>) -> Vec<Finding> + Sync + 'a;

/// Walks `roots` in parallel, calling `scan` on every file to scan.
/// Returns the findings (unordered) and what was read and skipped.
pub fn walk(roots: &[PathBuf], opts: &WalkOptions, scan: &ScanFn) -> (Vec<Finding>, Stats) {
    let results: Mutex<(Vec<Finding>, Stats)> = Mutex::new(Default::default());
    let Some((first, rest)) = roots.split_first() else {
        return Default::default();
    };
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
        .git_exclude(opts.respect_ignore)
        .require_git(false)
        .follow_links(false)
        .threads(opts.threads)
        .filter_entry(|e| !(e.file_name() == ".git" && e.file_type().is_some_and(|t| t.is_dir())));

    builder.build_parallel().run(|| {
        let mut worker = Worker {
            buf: Vec::new(),
            findings: Vec::new(),
            stats: Stats::default(),
            max: opts.max_file_size,
            sink: &results,
        };
        Box::new(move |entry| {
            match entry {
                Ok(entry) => {
                    if entry.file_type().is_some_and(|t| t.is_file()) {
                        worker.file(entry.path(), scan);
                    }
                }
                Err(err) => worker.stats.errors.push(one_line(&err.to_string())),
            }
            WalkState::Continue
        })
    });
    results.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// Per-thread state: a reusable read buffer and local results, handed to
/// the shared sink once when the worker is dropped.
struct Worker<'a> {
    buf: Vec<u8>,
    findings: Vec<Finding>,
    stats: Stats,
    max: u64,
    sink: &'a Mutex<(Vec<Finding>, Stats)>,
}

impl Worker<'_> {
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
                self.findings
                    .extend(scan(&shown, &self.buf, text.as_deref()));
            }
            Err(e) => {
                self.stats
                    .errors
                    .push(format!("{}: {}", path.display(), one_line(&e.to_string())))
            }
        }
    }
}

impl Drop for Worker<'_> {
    fn drop(&mut self) {
        let mut sink = self.sink.lock().unwrap_or_else(|e| e.into_inner());
        sink.0.append(&mut self.findings);
        sink.1.merge(std::mem::take(&mut self.stats));
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
    let first = (&mut f)
        .take(READ_BEFORE_STAT.min(max + 1))
        .read_to_end(buf)? as u64;
    if first == READ_BEFORE_STAT.min(max + 1) {
        // A large file: skip it unread if it is over the limit.
        if f.metadata()?.len() > max {
            return Ok(ReadOutcome::TooLarge);
        }
        // Read at most max+1 bytes in all: a file that grew past the limit
        // is skipped too.
        (&mut f).take(max + 1 - first).read_to_end(buf)?;
    }
    if buf.len() as u64 > max {
        return Ok(ReadOutcome::TooLarge);
    }
    Ok(ReadOutcome::Ok)
}

/// A path as reports show it: without a leading `./`, with `/` separators.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    let s = s.strip_prefix("./").unwrap_or(&s);
    if cfg!(windows) {
        s.replace('\\', "/")
    } else {
        s.to_string()
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
