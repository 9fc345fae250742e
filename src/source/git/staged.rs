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

use git2::{Blob, Delta, DiffFindOptions, DiffLineType, DiffOptions, Patch, Repository, Tree};

use super::preflight::LooseObjects;
use super::{GitError, index, index_fast, mode, shown};
use crate::engine::Engine;
use crate::finding::{Finding, ScanPath};
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
    if let Some(done) = fast_path(repo, engine, opts)? {
        return Ok(done);
    }
    // libgit2's diff reads many objects: check them all first.
    super::preflight::all_loose_objects(repo.commondir())?;
    let index = staged_index(repo)?;
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
        let path = ScanPath::from_bytes(new.path_bytes().unwrap_or_default());
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
            Some(text) => {
                let found = buffer_findings(engine, &path, text, None);
                stats.capped.extend(found.capped);
                with_blob(found.findings, &blob_id)
            }
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
            let old_path = ScanPath::from_bytes(old.path_bytes().unwrap_or_default());
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
/// an unreadable blob, an index the fast path does not read. An index that
/// must not reach libgit2 either (see [`index_fast`]) is an error.
fn fast_path(
    repo: &Repository,
    engine: &Engine,
    opts: &StagedOptions,
) -> Result<Option<(Vec<Finding>, Stats)>, GitError> {
    let index_file = index_fast::index_path(repo);
    let loose = LooseObjects::new(repo.commondir());
    let Some(changed) = index_fast::changed_entries_checked(repo, &index_file, &loose)? else {
        return Ok(None);
    };
    fast_scan(repo, engine, opts, changed, &loose)
}

/// `HEAD`'s tree, each object checked before it is read
/// ([`LooseObjects`]); `None` before the first commit.
pub(crate) fn head_tree<'r>(
    repo: &'r Repository,
    loose: &LooseObjects,
) -> Result<Option<Tree<'r>>, GitError> {
    let head = match repo.head() {
        Ok(h) => h,
        Err(e)
            if matches!(
                e.code(),
                git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
            ) =>
        {
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    let id = head
        .target()
        .ok_or_else(|| GitError::Git("HEAD names no object".into()))?;
    loose.check(id)?;
    let commit = repo.find_object(id, None)?.peel_to_commit()?;
    loose.check(commit.tree_id())?;
    Ok(Some(repo.find_tree(commit.tree_id())?))
}

/// The fast path's scan of the `changed` entries; `Ok(None)` when only the
/// exact diff can tell. Every object is checked before it is read.
fn fast_scan(
    repo: &Repository,
    engine: &Engine,
    opts: &StagedOptions,
    changed: Vec<index_fast::Changed>,
    loose: &LooseObjects,
) -> Result<Option<(Vec<Finding>, Stats)>, GitError> {
    let mut head_tree: Option<Option<Tree>> = None;
    let mut findings = Vec::new();
    let mut stats = Stats::default();
    for c in changed {
        loose.check(c.oid)?;
        let Ok(blob) = repo.find_blob(c.oid) else {
            return Ok(None);
        };
        let content = blob.content();
        if content.len() as u64 > opts.max_file_size {
            stats.skipped_large += 1;
            continue;
        }
        let text = text_of(content);
        let blob_id = c.oid.to_string();
        let mut found = match &text {
            Some(text) => {
                let found = buffer_findings(engine, &c.path, text, None);
                stats.capped.extend(found.capped);
                found.findings
            }
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
                // Before the first commit every line is added.
                head_tree = Some(match head_tree_of(repo, loose)? {
                    Some(t) => t,
                    None => return Ok(None),
                });
            }
            if let Some(Some(tree)) = &head_tree {
                let old = tree
                    .get_path(&c.path.to_path())
                    .ok()
                    .filter(|e| e.filemode() & mode::TYPE_MASK == mode::FILE);
                let Some(old) = old else {
                    return Ok(None);
                };
                loose.check(old.id())?;
                let Ok(old_blob) = repo.find_blob(old.id()) else {
                    return Ok(None);
                };
                let Ok(added) = added_lines(&old_blob, &blob) else {
                    return Ok(None);
                };
                found.retain(|f| {
                    (f.line..=f.end_line).any(|l| added.binary_search(&(l as u32)).is_ok())
                });
            }
        }
        findings.extend(with_blob(found, &blob_id));
    }
    Ok(Some((findings, stats)))
}

/// [`head_tree`] for the fast path: `Some(None)` before the first commit,
/// `None` when `HEAD` cannot be read (the exact diff will say why), an
/// error only for a hostile object.
fn head_tree_of<'r>(
    repo: &'r Repository,
    loose: &LooseObjects,
) -> Result<Option<Option<Tree<'r>>>, GitError> {
    match head_tree(repo, loose) {
        Ok(t) => Ok(Some(t)),
        Err(e @ GitError::Hostile(_)) => Err(e),
        Err(_) => Ok(None),
    }
}

/// The staged index for the exact diff, read by [`index`] (so that split
/// and sparse indexes work, which libgit2 does not read, and a hostile
/// index never reaches libgit2's reader) and handed to libgit2 in memory.
/// A sparse index's directory entries are expanded from their trees.
fn staged_index(repo: &Repository) -> Result<git2::Index, GitError> {
    use index::{IndexError, ParseOptions};
    let path = index_fast::index_path(repo);
    let opts = ParseOptions {
        hash_len: 20,
        cache_tree: false,
    };
    let mut out = git2::Index::new()?;
    let parsed = match index::read(&path, repo.path(), opts) {
        Ok(i) => i,
        Err(IndexError::Missing(_)) => return Ok(out), // nothing staged yet
        Err(e) => return Err(GitError::Index(e)),
    };
    let entry = |path: Vec<u8>, mode: u32, id: git2::Oid, flags: u16, ext: u16| git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode,
        uid: 0,
        gid: 0,
        file_size: 0,
        id,
        flags: flags & 0x3000,        // the stage; libgit2 sets the rest
        flags_extended: ext & 0x2000, // intent-to-add
        path,
    };
    for e in parsed.entries() {
        let id = git2::Oid::from_bytes(parsed.oid(e))?;
        let path = parsed.path(e);
        if e.is_sparse_dir() {
            let tree = repo.find_tree(id)?;
            let mut failed = None;
            tree.walk(git2::TreeWalkMode::PreOrder, |dir, te| {
                if te.kind() == Some(git2::ObjectType::Tree) {
                    return git2::TreeWalkResult::Ok;
                }
                let mut full = path.to_vec();
                full.extend_from_slice(dir.as_bytes());
                full.extend_from_slice(te.name_bytes());
                let added = out.add(&entry(full, te.filemode() as u32, te.id(), 0, 0));
                match added {
                    Ok(()) => git2::TreeWalkResult::Ok,
                    Err(err) => {
                        failed = Some(err);
                        git2::TreeWalkResult::Abort
                    }
                }
            })?;
            if let Some(err) = failed {
                return Err(err.into());
            }
            continue;
        }
        out.add(&entry(
            path.to_vec(),
            e.mode,
            id,
            e.stage() << 12,
            if e.intent_to_add() { 0x2000 } else { 0 },
        ))?;
    }
    Ok(out)
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
