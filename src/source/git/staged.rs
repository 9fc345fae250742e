//! The staged scan (`scan --staged`): what a pre-commit hook runs.
//!
//! Reads the *index* version of every added, modified, copied, renamed or
//! type-changed regular file (never the working file, which may differ) and
//! keeps only findings on lines the staged change adds relative to `HEAD`
//! (every line before the first commit, or with `all_lines`). A line that a
//! rename moves out of a path where suppression hid its secret counts as
//! added: at its new path it is judged again. Deleted files,
//! gitlinks (submodules), symbolic links and blobs over the size limit are
//! skipped; binary blobs are seen only by path rules. A path rule's finding
//! (a staged `.env`, `id_rsa`, keystore) is kept whatever lines the change
//! adds: committing any version of such a file stores all of it.
//!
//! Cost: this is the hook's hot path. It opens the repository, finds the
//! index entries whose blob differs from `HEAD` (by object id, skipping
//! directories the index's cache-tree vouches for: [`super::index_fast`]) and
//! scans those blobs; a modified file with findings is diffed against its
//! `HEAD` version for its added lines. Only a finding in a file that is new at
//! its path (a rename, perhaps) runs the exact libgit2 diff of `HEAD`'s tree
//! to the index, with rename detection. No history walk, no status of the
//! working tree.

use git2::{Blob, Delta, DiffFindOptions, DiffLineType, DiffOptions, Patch, Repository};

use super::{GitError, index_fast, mode, shown};
use crate::engine::Engine;
use crate::finding::Finding;
use crate::scan::{buffer_findings, path_findings};
use crate::source::{PathSuppression, Stats, text_of};

/// Options of a staged scan.
#[derive(Debug, Clone, Copy)]
pub struct StagedOptions {
    /// Report secrets on every line of the staged files, not only added lines.
    pub all_lines: bool,
    /// Blobs larger than this many bytes are skipped.
    pub max_file_size: u64,
}

/// Scans the staged changes of `repo`. Paths in findings are relative to the
/// repository root. A blob that cannot be read is counted in
/// [`Stats::errors`]; only a repository that cannot be diffed is an error.
///
/// A rename adds no line, except that a line it moves from a path where
/// `judge` (the scan's suppressions) hides its secret is new at its new
/// path: suppression then judges it there, as a tree scan after the commit
/// would.
pub fn scan(
    repo: &Repository,
    engine: &Engine,
    opts: &StagedOptions,
    judge: Option<&dyn PathSuppression>,
) -> Result<(Vec<Finding>, Stats), GitError> {
    if repo.is_bare() {
        return Err(GitError::Bare(shown(repo)));
    }
    // git does not re-hash objects it reads; neither need we.
    git2::opts::strict_hash_verification(false);
    if let Some(done) = fast_path(repo, engine, opts) {
        return Ok(done);
    }
    let index = repo.index()?;
    let head_tree = match repo.head() {
        Ok(head) => Some(head.peel_to_tree()?),
        // Before the first commit everything in the index is added.
        Err(e)
            if matches!(
                e.code(),
                git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
            ) =>
        {
            None
        }
        Err(e) => return Err(e.into()),
    };
    let mut dopts = DiffOptions::new();
    dopts
        .skip_binary_check(true)
        .include_typechange(true)
        .ignore_submodules(true);
    let mut diff = repo.diff_tree_to_index(head_tree.as_ref(), Some(&index), Some(&mut dopts))?;
    // Rename detection, so that moving a file does not re-report its old
    // secrets. It reads blobs only of files added and deleted together.
    // Copies are not detected: a copy spreads a secret, so it is reported.
    let mut find = DiffFindOptions::new();
    find.renames(true);
    diff.find_similar(Some(&mut find))?;

    let mut findings = Vec::new();
    let mut stats = Stats::default();
    for delta in diff.deltas() {
        let status = delta.status();
        if !matches!(
            status,
            Delta::Added | Delta::Modified | Delta::Renamed | Delta::Copied | Delta::Typechange
        ) {
            continue;
        }
        let new = delta.new_file();
        if i32::from(new.mode()) & mode::TYPE_MASK != mode::FILE {
            continue; // gitlinks, symbolic links
        }
        let path = new
            .path_bytes()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .unwrap_or_default();
        let blob = match repo.find_blob(new.id()) {
            Ok(b) => b,
            Err(e) => {
                stats.errors.push(format!(
                    "{path}: cannot read staged blob {}: {}",
                    new.id(),
                    e.message()
                ));
                continue;
            }
        };
        let content = blob.content();
        if content.len() as u64 > opts.max_file_size {
            stats.skipped_large += 1;
            continue;
        }
        // UTF-16 with a byte-order mark is decoded; its lines stay its lines.
        let text = text_of(content);
        // A sensitive file is reported whatever lines the change adds: the
        // commit stores the whole file (and binary ones, such as keystores).
        // The blob marks the path as repository-relative (not relative to
        // the working directory) for suppression.
        let blob_id = new.id().to_string();
        let mut found = match &text {
            Some(text) => with_blob(buffer_findings(engine, &path, text, None), &blob_id),
            None => Vec::new(),
        };
        // The file's path finding, unless its content findings (before
        // the added-lines filter) flag it as severely.
        let worst = found.iter().map(|f| f.severity).max();
        findings.extend(with_blob(
            path_findings(engine, &path, content, text.as_deref(), None, worst),
            &blob_id,
        ));
        let Some(_) = text else {
            stats.skipped_binary += 1;
            continue;
        };
        stats.files += 1;
        stats.bytes += content.len() as u64;
        if found.is_empty() {
            continue;
        }
        let old = delta.old_file();
        let old_is_file = i32::from(old.mode()) & mode::TYPE_MASK == mode::FILE;
        if !opts.all_lines && status != Delta::Added && old_is_file && !old.id().is_zero() {
            let old_blob = repo.find_blob(old.id())?;
            let added = added_lines(&old_blob, &blob)?;
            let old_path = old
                .path_bytes()
                .map(|p| String::from_utf8_lossy(p).into_owned())
                .unwrap_or_default();
            let moved = old_path != path;
            found.retain(|f| {
                (f.line..=f.end_line).any(|l| added.binary_search(&(l as u32)).is_ok())
                    || (moved && judge.is_some_and(|j| j.hides_at(f, &old_path)))
            });
        }
        findings.extend(found);
    }
    Ok((findings, stats))
}

/// The common cases, cheaply: files whose index blob differs from `HEAD`'s
/// (see [`index_fast`]) are scanned; a file with findings that `HEAD` has at
/// the same path is a modification, filtered to its added lines here, as the
/// exact diff would. Returns `None` when only the exact diff can tell: a
/// finding in a file new at its path (it may be a rename), a type change,
/// an unreadable blob, an index the fast path does not read.
fn fast_path(
    repo: &Repository,
    engine: &Engine,
    opts: &StagedOptions,
) -> Option<(Vec<Finding>, Stats)> {
    let changed = index_fast::changed_entries(repo, &index_fast::index_path(repo))?;
    let mut head_tree = None;
    let mut findings = Vec::new();
    let mut stats = Stats::default();
    for c in changed {
        let blob = repo.find_blob(c.oid).ok()?;
        let content = blob.content();
        if content.len() as u64 > opts.max_file_size {
            stats.skipped_large += 1;
            continue;
        }
        let text = text_of(content);
        let blob_id = c.oid.to_string();
        let mut found = match &text {
            Some(text) => buffer_findings(engine, &c.path, text, None),
            None => Vec::new(),
        };
        // The file's path finding, unless its content findings (before
        // the added-lines filter) flag it as severely.
        let worst = found.iter().map(|f| f.severity).max();
        findings.extend(with_blob(
            path_findings(engine, &c.path, content, text.as_deref(), None, worst),
            &blob_id,
        ));
        let Some(_) = text else {
            stats.skipped_binary += 1;
            continue;
        };
        stats.files += 1;
        stats.bytes += content.len() as u64;
        if found.is_empty() {
            continue;
        }
        if !opts.all_lines {
            if head_tree.is_none() {
                head_tree = Some(match repo.head() {
                    Ok(h) => Some(h.peel_to_tree().ok()?),
                    Err(e)
                        if matches!(
                            e.code(),
                            git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
                        ) =>
                    {
                        None // before the first commit every line is added
                    }
                    Err(_) => return None,
                });
            }
            if let Some(Some(tree)) = &head_tree {
                let old = tree
                    .get_path(std::path::Path::new(&c.path))
                    .ok()
                    .filter(|e| e.filemode() & mode::TYPE_MASK == mode::FILE)?;
                let old_blob = repo.find_blob(old.id()).ok()?;
                let added = added_lines(&old_blob, &blob).ok()?;
                found.retain(|f| {
                    (f.line..=f.end_line).any(|l| added.binary_search(&(l as u32)).is_ok())
                });
            }
        }
        findings.extend(with_blob(found, &blob_id));
    }
    Some((findings, stats))
}

/// Marks findings as found in the staged blob `blob_id`.
fn with_blob(mut found: Vec<Finding>, blob_id: &str) -> Vec<Finding> {
    for f in &mut found {
        f.blob = Some(blob_id.to_string());
    }
    found
}

/// The 1-based line numbers, ascending, that `new` adds relative to `old`.
fn added_lines(old: &Blob, new: &Blob) -> Result<Vec<u32>, GitError> {
    let mut dopts = DiffOptions::new();
    dopts.context_lines(0).force_text(true);
    let patch = Patch::from_blobs(old, None, new, None, Some(&mut dopts))?;
    let mut added = Vec::new();
    for h in 0..patch.num_hunks() {
        for l in 0..patch.num_lines_in_hunk(h)? {
            let line = patch.line_in_hunk(h, l)?;
            if line.origin_value() == DiffLineType::Addition
                && let Some(n) = line.new_lineno()
            {
                added.push(n);
            }
        }
    }
    added.sort_unstable();
    Ok(added)
}
