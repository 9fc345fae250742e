//! The history audit (`scan --git`): every unique blob that the selected
//! commits introduced, scanned once, attributed to the commit that first
//! brought it in.
//!
//! How it works, and why it is fast:
//!
//! 1. **Plan.** Walk the selected commits (all refs and `HEAD` by default, a
//!    branch, a range `A..B`, or those since a date) parents first
//!    (topological order, reversed). Commits just outside the selection (the
//!    parents of its oldest commits, and `A` for a range) form the *base*:
//!    their content is known already and is not reported as new.
//! 2. **Enumerate** (one thread, overlapping step 3 batch by batch). For
//!    each commit in order, visit its tree,
//!    skipping every tree id seen before: a seen tree holds only seen blobs,
//!    so the walk reads only the trees a commit changes, like a tree-level
//!    diff by object id against *every* earlier commit, not just the first
//!    parent (merges, octopus merges and re-added files fall out of it). Each
//!    blob id not seen before is sent, with its first appearance (commit,
//!    path), to the scanners. No blob is read here.
//! 3. **Scan** (rayon, a `Repository` per worker): take the blobs enumerated
//!    so far as one batch (at least 16k), read each once in pack
//!    order (see [`super::pack_order`]), check its path against the path
//!    rules (at the path it first appeared at), skip binary and oversized
//!    ones, and scan it. Only ids and paths are queued; a blob's bytes live only for
//!    its own scan.
//! 4. **Report.** A secret that stays in later versions of a file is one
//!    finding: findings are deduplicated by (rule, secret hash, path), keeping
//!    the earliest commit in walk order. For a range, secrets (rule, secret
//!    hash) already present in the base trees are dropped.
//!
//! Gitlinks (submodules) and symbolic links are skipped. A blob that cannot be
//! read (absent from a partial clone, say) is counted in [`Stats::errors`] and
//! the scan goes on; a commit or tree that cannot be read stops it with
//! [`GitError::Object`], since what lies behind it would be silently missed.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

use crossbeam_channel::bounded;
use git2::{ObjectType, Oid, Repository, Sort};
use rayon::iter::{IntoParallelIterator, ParallelIterator};

use super::pack_order::PackOrder;

use super::{GitError, mode};
use crate::engine::Engine;
use crate::finding::{CommitInfo, Finding};
use crate::scan::{buffer_findings_flagged, path_findings};
use crate::source::{Stats, text_of};

/// What to scan of a repository's history.
#[derive(Debug, Clone, Default)]
pub struct HistoryOptions {
    /// Only the history of this revision (a branch name or any revision).
    pub branch: Option<String>,
    /// `A..B`: only commits reachable from B and not from A, and only secrets
    /// not already present in A.
    pub range: Option<String>,
    /// Only commits whose commit date is at or after this Unix time.
    pub since: Option<i64>,
    /// Blobs larger than this many bytes are skipped.
    pub max_file_size: u64,
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Show a progress line on stderr if the scan runs longer than a second
    /// and stderr is a terminal.
    pub progress: bool,
    /// Keep the findings an inline allow comment allows, and list them in
    /// [`HistoryScan::comment_allowed`], instead of dropping them. A range
    /// scan sets it: a comment the change adds must not pass its own secret.
    pub keep_comment_allowed: bool,
}

/// The outcome of a history scan.
#[derive(Debug, Default)]
pub struct HistoryScan {
    pub findings: Vec<Finding>,
    pub stats: Stats,
    /// Notes for the reader (a truncated history).
    pub notes: Vec<String>,
    /// Commits walked.
    pub commits: usize,
    /// Fingerprints of findings an inline allow comment allows (only with
    /// [`HistoryOptions::keep_comment_allowed`]).
    pub comment_allowed: HashSet<String>,
}

/// The fewest unique blobs scanned as one batch (unless the enumeration is
/// over): enough for pack order to pay. Batches grow to whatever the
/// enumerator found while the previous batch was scanned.
const MIN_BATCH: usize = 16 * 1024;

/// Size of one memory-mapped pack window.
const MWINDOW_SIZE: usize = 32 << 20;
/// Upper bound of mapped pack windows, all packs and threads together.
const MWINDOW_MAPPED_LIMIT: usize = 128 << 20;

/// Commit index of base blobs (not in the selection).
const BASE: u32 = u32::MAX;

/// One unique blob and where it first appeared.
struct BlobJob {
    oid: Oid,
    /// Index into the plan's commits (walk order), or [`BASE`].
    commit: u32,
    path: crate::finding::ScanPath,
}

/// Scans the history of the repository whose git directory is `git_dir`.
///
/// Sets process-global libgit2 options (no object cache, no re-hashing of
/// read objects, bounded pack mappings): meant for a process that runs one
/// scan, as the command line does, not for a host using libgit2 elsewhere.
pub fn scan(
    git_dir: &Path,
    engine: &Engine,
    opts: &HistoryOptions,
) -> Result<HistoryScan, GitError> {
    // Every object is read once: the object cache would only cost memory, and
    // re-hashing every inflated object (libgit2's default) would cost a
    // SHA-1 per byte scanned. `git cat-file` does not verify either.
    git2::opts::enable_caching(false);
    git2::opts::strict_hash_verification(false);
    // Bound the memory-mapped pack windows (libgit2 maps up to 8 GiB by
    // default): mapped pack pages count towards resident memory, and with
    // pack-ordered reads a window once passed is not needed again.
    // SAFETY: these set process-global libgit2 options, which is sound only
    // while no other thread uses libgit2; the scan has not started any yet.
    unsafe {
        let _ = git2::opts::set_mwindow_size(MWINDOW_SIZE);
        let _ = git2::opts::set_mwindow_mapped_limit(MWINDOW_MAPPED_LIMIT);
    }

    let repo = Repository::open(git_dir)?;
    let plan = plan(&repo, opts)?;
    let mut notes = Vec::new();
    if repo.is_shallow() {
        notes.push(
            "history is truncated (shallow clone): commits before the shallow boundary were not scanned"
                .to_string(),
        );
    }
    if is_partial_clone(&repo) {
        notes.push(
            "partial clone: blobs it has not fetched were not scanned (counted as unreadable; \
             leakhound never fetches)"
                .to_string(),
        );
    }
    let counters = Arc::new(Counters::default());
    let progress = opts
        .progress
        .then(|| Progress::start(Arc::clone(&counters), plan.commits.len() as u64));

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| GitError::Git(format!("cannot start worker threads: {e}")))?;

    // Steps 2 and 3 overlap: the enumerator (its own thread and repository)
    // hands over batches of unique blobs; each batch is scanned in pack order
    // by the pool while the next one is enumerated.
    let order = PackOrder::load(&repo);
    let (tx, rx) = crossbeam_channel::unbounded::<Vec<BlobJob>>();
    let (enumerated, mut acc) = std::thread::scope(|s| {
        let plan = &plan;
        let counters = &counters;
        let producer = s.spawn(move || -> Result<Vec<BlobJob>, GitError> {
            let repo = Repository::open(git_dir)?;
            let mut e = Enumerator::new(&repo);
            let mut base_blobs = Vec::new();
            for &oid in &plan.base {
                let tree = commit_tree(&repo, oid)?;
                e.visit(tree, BASE, &mut |job| {
                    if plan.subtract {
                        base_blobs.push(job);
                    }
                })?;
            }
            for (i, &oid) in plan.commits.iter().enumerate() {
                let tree = commit_tree(&repo, oid)?;
                let mut new = Vec::new();
                e.visit(tree, i as u32, &mut |job| new.push(job))?;
                counters.commits.fetch_add(1, Relaxed);
                if !new.is_empty() && tx.send(new).is_err() {
                    break; // the scanners have stopped
                }
            }
            Ok(base_blobs)
        });
        let mut acc = Acc::default();
        // Each batch is what the enumerator produced while the previous one
        // was scanned, and at least MIN_BATCH blobs unless it has finished.
        loop {
            let mut batch: Vec<BlobJob> = Vec::new();
            while batch.len() < MIN_BATCH {
                match rx.recv() {
                    Ok(mut jobs) => batch.append(&mut jobs),
                    Err(_) => break,
                }
            }
            while let Ok(mut jobs) = rx.try_recv() {
                batch.append(&mut jobs);
            }
            if batch.is_empty() {
                break;
            }
            let scanned = pool.install(|| {
                let scan = Scan {
                    git_dir,
                    engine,
                    max: opts.max_file_size,
                    keep_allowed: opts.keep_comment_allowed,
                };
                scan_blobs(&scan, batch, &order, counters)
            });
            acc = acc.merge(scanned);
        }
        let enumerated = producer
            .join()
            .unwrap_or_else(|_| Err(GitError::Git("the history walk failed".into())));
        (enumerated, acc)
    });
    let base_blobs = enumerated?;

    // One finding per (rule, secret, path): the earliest commit's.
    acc.found.sort_by(|(oa, a, _), (ob, b, _)| {
        (oa, &a.path, a.line, a.column).cmp(&(ob, &b.path, b.line, b.column))
    });
    let mut seen = HashSet::new();
    acc.found.retain(|(_, f, _)| {
        seen.insert((
            f.rule_id.clone(),
            f.secret_sha1.clone(),
            f.raw_path().to_vec(),
        ))
    });

    // A range reports only what its side introduced.
    if plan.subtract && !acc.found.is_empty() && !base_blobs.is_empty() {
        // A secret in the base is not new even where a comment allowed it
        // there: moving an allowed line is not a new secret.
        let scan = Scan {
            git_dir,
            engine,
            max: opts.max_file_size,
            keep_allowed: true,
        };
        let base = pool.install(|| scan_blobs(&scan, base_blobs, &order, &Counters::default()));
        let present: HashSet<(String, String)> = base
            .found
            .into_iter()
            .map(|(_, f, _)| (f.rule_id, f.secret_sha1))
            .collect();
        acc.found
            .retain(|(_, f, _)| !present.contains(&(f.rule_id.clone(), f.secret_sha1.clone())));
    }
    drop(progress);

    let mut infos: HashMap<u32, Arc<CommitInfo>> = HashMap::new();
    let mut findings = Vec::with_capacity(acc.found.len());
    let mut comment_allowed = HashSet::new();
    for (order, mut f, allowed) in acc.found {
        if allowed {
            comment_allowed.insert(f.fingerprint());
        }
        if let Some(&oid) = plan.commits.get(order as usize) {
            let info = match infos.get(&order) {
                Some(i) => Arc::clone(i),
                None => {
                    let info = Arc::new(commit_info(&repo, oid)?);
                    infos.insert(order, Arc::clone(&info));
                    info
                }
            };
            f.commit = Some(info);
        }
        findings.push(f);
    }
    Ok(HistoryScan {
        findings,
        stats: acc.stats,
        notes,
        commits: plan.commits.len(),
        comment_allowed,
    })
}

/// The selected commits, parents first, and the base they build on.
struct Plan {
    commits: Vec<Oid>,
    /// Commits outside the selection whose content is not new.
    base: Vec<Oid>,
    /// Whether secrets present in the base are dropped (ranges).
    subtract: bool,
}

fn plan(repo: &Repository, opts: &HistoryOptions) -> Result<Plan, GitError> {
    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME | Sort::REVERSE)?;
    let mut base = Vec::new();
    let mut subtract = false;
    if let Some(range) = &opts.range {
        let (from, to) = parse_range(repo, range)?;
        walk.push(to)?;
        walk.hide(from)?;
        base.push(from);
        subtract = true;
    } else if let Some(branch) = &opts.branch {
        walk.push(resolve_commit(repo, branch)?)?;
    } else {
        // Every ref (branches, tags, remotes, notes, stash), and HEAD when
        // detached. Refs to trees or blobs are ignored by the walk.
        walk.push_glob("*")?;
        if let Ok(head) = repo.head()
            && let Ok(commit) = head.peel_to_commit()
        {
            walk.push(commit.id())?;
        }
    }
    let mut commits = Vec::new();
    for oid in walk {
        commits.push(oid.map_err(|e| GitError::Git(format!("walking history: {}", e.message())))?);
    }
    if let Some(since) = opts.since {
        let mut kept = Vec::with_capacity(commits.len());
        for oid in commits {
            let c = repo
                .find_commit(oid)
                .map_err(|e| GitError::object(oid, &e))?;
            if c.time().seconds() >= since {
                kept.push(oid);
            }
        }
        commits = kept;
    }
    if opts.range.is_some() || opts.since.is_some() {
        // The parents just outside the selection: their trees are the base.
        let selected: HashSet<Oid, OidBuild> = commits.iter().copied().collect();
        let mut outside: HashSet<Oid, OidBuild> = base.iter().copied().collect();
        for &oid in &commits {
            let c = repo
                .find_commit(oid)
                .map_err(|e| GitError::object(oid, &e))?;
            for p in c.parent_ids() {
                if !selected.contains(&p) && outside.insert(p) {
                    base.push(p);
                }
            }
        }
    }
    Ok(Plan {
        commits,
        base,
        subtract,
    })
}

/// Resolves `A..B` to (A, B) commits. `A..` and `..B` default to `HEAD`.
/// Whether `repo` is a partial clone (`git clone --filter`): objects may be
/// missing by design, to be fetched from a promisor remote on demand.
fn is_partial_clone(repo: &Repository) -> bool {
    let Ok(config) = repo.config() else {
        return false;
    };
    if config.get_string("extensions.partialclone").is_ok() {
        return true;
    }
    let Ok(mut entries) = config.entries(Some(r"remote\..*\.promisor")) else {
        return false;
    };
    let mut promisor = false;
    while let Some(Ok(e)) = entries.next() {
        promisor |= e.value().is_some_and(|v| v.eq_ignore_ascii_case("true"));
    }
    promisor
}

pub fn parse_range(repo: &Repository, range: &str) -> Result<(Oid, Oid), GitError> {
    if range.contains("...") {
        return Err(GitError::BadRevision {
            rev: range.to_string(),
            message: "symmetric ranges (A...B) are not supported; use A..B".into(),
        });
    }
    let Some((a, b)) = range.split_once("..") else {
        return Err(GitError::BadRevision {
            rev: range.to_string(),
            message: "expected a range A..B".into(),
        });
    };
    let side = |s: &str| resolve_commit(repo, if s.is_empty() { "HEAD" } else { s });
    Ok((side(a)?, side(b)?))
}

/// Resolves a revision (branch, tag, hash, `HEAD~2`, ...) to a commit.
fn resolve_commit(repo: &Repository, rev: &str) -> Result<Oid, GitError> {
    let obj = repo
        .revparse_single(rev)
        .map_err(|e| GitError::revision(rev, &e))?;
    let commit = obj
        .peel_to_commit()
        .map_err(|e| GitError::revision(rev, &e))?;
    Ok(commit.id())
}

fn commit_tree(repo: &Repository, oid: Oid) -> Result<Oid, GitError> {
    repo.find_commit(oid)
        .map(|c| c.tree_id())
        .map_err(|e| GitError::object(oid, &e))
}

/// Who made a commit, when, and why.
fn commit_info(repo: &Repository, oid: Oid) -> Result<CommitInfo, GitError> {
    let c = repo
        .find_commit(oid)
        .map_err(|e| GitError::object(oid, &e))?;
    let author = c.author();
    let when = author.when();
    let date = chrono::FixedOffset::east_opt(when.offset_minutes() * 60)
        .and_then(|tz| {
            chrono::DateTime::from_timestamp(when.seconds(), 0).map(|d| d.with_timezone(&tz))
        })
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
        .unwrap_or_default();
    let summary = String::from_utf8_lossy(c.summary_bytes().unwrap_or_default()).into_owned();
    Ok(CommitInfo {
        id: oid.to_string(),
        author_name: String::from_utf8_lossy(author.name_bytes()).into_owned(),
        author_email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
        date,
        summary,
    })
}

/// Hashes an object id by its first eight bytes: ids are already uniform.
#[derive(Default)]
struct OidHasher(u64);

impl Hasher for OidHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // `Oid`'s `Hash` writes its 20 raw bytes (after a length prefix on
        // some std versions): fold everything so that either works.
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 = self.0.rotate_left(5) ^ u64::from_le_bytes(b);
        }
    }
}

type OidBuild = BuildHasherDefault<OidHasher>;

/// The tree walker of step 2: owns the seen sets.
struct Enumerator<'r> {
    repo: &'r Repository,
    seen_trees: HashSet<Oid, OidBuild>,
    seen_blobs: HashSet<Oid, OidBuild>,
}

impl<'r> Enumerator<'r> {
    fn new(repo: &'r Repository) -> Self {
        Enumerator {
            repo,
            seen_trees: HashSet::default(),
            seen_blobs: HashSet::default(),
        }
    }

    /// Visits the tree `root` of commit `commit`, calling `emit` for every
    /// regular-file blob not seen before. Trees seen before are skipped whole.
    fn visit(
        &mut self,
        root: Oid,
        commit: u32,
        emit: &mut dyn FnMut(BlobJob),
    ) -> Result<(), GitError> {
        if !self.seen_trees.insert(root) {
            return Ok(());
        }
        let mut stack = vec![(root, crate::finding::ScanPath::default())];
        while let Some((id, prefix)) = stack.pop() {
            let tree = self
                .repo
                .find_tree(id)
                .map_err(|e| GitError::object(id, &e))?;
            for entry in tree.iter() {
                let kind = entry.filemode() & mode::TYPE_MASK;
                let eid = entry.id();
                let is_new = match kind {
                    mode::TREE => self.seen_trees.insert(eid),
                    mode::FILE => self.seen_blobs.insert(eid),
                    _ => false, // symbolic links, gitlinks
                };
                if !is_new {
                    continue;
                }
                let path = prefix.join(entry.name_bytes());
                if kind == mode::TREE {
                    stack.push((eid, path));
                } else {
                    emit(BlobJob {
                        oid: eid,
                        commit,
                        path,
                    });
                }
            }
        }
        Ok(())
    }
}

/// Shared counters for the progress line.
#[derive(Default)]
struct Counters {
    commits: AtomicU64,
    blobs: AtomicU64,
    bytes: AtomicU64,
    findings: AtomicU64,
}

/// What the scanners produced: findings with their commit's walk order and
/// whether an inline comment allows them.
#[derive(Default)]
struct Acc {
    found: Vec<(u32, Finding, bool)>,
    stats: Stats,
}

impl Acc {
    fn merge(mut self, mut other: Acc) -> Acc {
        if self.found.len() < other.found.len() {
            std::mem::swap(&mut self.found, &mut other.found);
        }
        self.found.append(&mut other.found);
        self.stats.merge(other.stats);
        self
    }
}

/// Step 3: scans `jobs` on the current rayon pool, one `Repository` per
/// worker thread, in pack order: each worker takes a contiguous stretch of
/// the pack, so reads are sequential and delta bases stay in libgit2's cache.
fn scan_blobs(scan: &Scan, mut jobs: Vec<BlobJob>, order: &PackOrder, counters: &Counters) -> Acc {
    jobs.sort_by_cached_key(|j| order.position(j.oid));
    jobs.into_par_iter()
        .map_init(
            || Repository::open(scan.git_dir),
            |repo, job| match repo {
                Ok(repo) => scan_blob(repo, scan, job, counters),
                Err(e) => {
                    let mut acc = Acc::default();
                    acc.stats
                        .errors
                        .push(format!("cannot open repository: {}", e.message()));
                    acc
                }
            },
        )
        .reduce(Acc::default, Acc::merge)
}

/// What step 3 needs besides the jobs.
struct Scan<'a> {
    git_dir: &'a Path,
    engine: &'a Engine,
    /// Largest blob scanned, in bytes.
    max: u64,
    /// Keep findings an inline comment allows (flagged).
    keep_allowed: bool,
}

fn scan_blob(repo: &Repository, scan: &Scan, job: BlobJob, c: &Counters) -> Acc {
    let (engine, max) = (scan.engine, scan.max);
    let mut acc = Acc::default();
    let unreadable = |e: git2::Error| {
        format!(
            "{}: cannot read blob {}: {}",
            job.path,
            job.oid,
            e.message().split_whitespace().collect::<Vec<_>>().join(" ")
        )
    };
    let odb = match repo.odb() {
        Ok(o) => o,
        Err(e) => {
            acc.stats.errors.push(unreadable(e));
            return acc;
        }
    };
    match odb.read_header(job.oid) {
        Ok((size, ObjectType::Blob)) if size as u64 > max => {
            acc.stats.skipped_large += 1;
            return acc;
        }
        Ok(_) => {}
        Err(e) => {
            acc.stats.errors.push(unreadable(e));
            return acc;
        }
    }
    let obj = match odb.read(job.oid) {
        Ok(o) => o,
        Err(e) => {
            acc.stats.errors.push(unreadable(e));
            return acc;
        }
    };
    let data = obj.data();
    c.blobs.fetch_add(1, Relaxed);
    c.bytes.fetch_add(data.len() as u64, Relaxed);
    // Path rules see every blob at the path it first appeared at, binary
    // ones too (keystores), unless content rules flagged it as severely
    // (see `crate::scan::path_findings`).
    let text = text_of(data);
    let mut found: Vec<(Finding, bool)> = Vec::new();
    match &text {
        None => acc.stats.skipped_binary += 1,
        Some(text) => {
            acc.stats.files += 1;
            acc.stats.bytes += data.len() as u64;
            let flagged = buffer_findings_flagged(engine, &job.path, text, None);
            // History reports each secret once per path anyway: only a
            // cap that lost secrets is worth saying.
            acc.stats.capped.extend(
                flagged
                    .capped
                    .filter(|c| c.dropped > 0)
                    .map(|c| crate::scan::Capped { repeats: 0, ..c }),
            );
            found = flagged.findings;
        }
    }
    let worst = found.iter().map(|(f, _)| f.severity).max();
    found.extend(
        path_findings(engine, &job.path, data, text.as_deref(), None, worst)
            .into_iter()
            .map(|f| (f, false)),
    );
    if !scan.keep_allowed {
        found.retain(|(_, allowed)| !allowed);
    }
    if !found.is_empty() {
        c.findings.fetch_add(found.len() as u64, Relaxed);
        let blob = job.oid.to_string();
        acc.found.extend(found.into_iter().map(|(mut f, allowed)| {
            f.blob = Some(blob.clone());
            (job.commit, f, allowed)
        }));
    }
    acc
}

/// The progress line: drawn on stderr only once the scan has run a second.
struct Progress {
    done: Option<crossbeam_channel::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    fn start(counters: Arc<Counters>, total_commits: u64) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress {
                done: None,
                thread: None,
            };
        }
        let (done, wait) = bounded::<()>(0);
        let thread = std::thread::spawn(move || {
            if !matches!(
                wait.recv_timeout(Duration::from_secs(1)),
                Err(crossbeam_channel::RecvTimeoutError::Timeout)
            ) {
                return;
            }
            let bar = indicatif::ProgressBar::new_spinner();
            loop {
                bar.set_message(format!(
                    "commits {}/{}, blobs {}, {}, findings {}",
                    counters.commits.load(Relaxed),
                    total_commits,
                    counters.blobs.load(Relaxed),
                    crate::report::human::human_bytes(counters.bytes.load(Relaxed)),
                    counters.findings.load(Relaxed),
                ));
                bar.tick();
                if !matches!(
                    wait.recv_timeout(Duration::from_millis(100)),
                    Err(crossbeam_channel::RecvTimeoutError::Timeout)
                ) {
                    break;
                }
            }
            bar.finish_and_clear();
        });
        Progress {
            done: Some(done),
            thread: Some(thread),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        drop(self.done.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
