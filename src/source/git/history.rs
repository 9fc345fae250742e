//! The history audit (`scan --git`): every unique blob that the selected
//! commits introduced, scanned once, attributed to the commit that first
//! brought it in, and judged at every path it occupies; and every commit
//! message and annotated tag message of the selection.
//!
//! How it works, and why it is fast:
//!
//! 1. **Plan.** Walk the selected commits (all refs and `HEAD` by default, a
//!    branch, a range `A..B`, or those since a date) parents first
//!    (topological order, reversed). Commits just outside the selection (the
//!    parents of its oldest commits, and `A` for a range) form the *base*:
//!    their content is known already and is not reported as new.
//! 2. **Enumerate** (one thread, overlapping step 3 batch by batch). For
//!    each commit in order, visit its tree, skipping
//!    every (tree id, path) seen before: a tree seen at the same path holds
//!    only blobs seen at their paths, so the walk reads only the trees a
//!    commit changes, like a tree-level diff by object id against *every*
//!    earlier commit, not just the first parent (merges, octopus merges and
//!    re-added files fall out of it). A tree met at a new path (a renamed
//!    directory) is walked again. Each blob id not seen before is sent, with
//!    its first appearance (commit, path), to the scanners. A blob seen
//!    before at another path (renamed, copied) is recorded as an
//!    *appearance* (blob, path, commit), once per path; it is not scanned
//!    again. Paths are compared by a keyed SipHash of the path, so names
//!    cannot be crafted to collide. No blob is read here.
//! 3. **Scan** (rayon, a `Repository` per worker): take the blobs enumerated
//!    so far as one batch (at least 16k), read each once in pack
//!    order (see [`super::pack_order`]), check its path against the path
//!    rules, skip binary and oversized ones, and scan it. Only ids and paths
//!    are queued; a blob's bytes live only for its own scan.
//! 4. **Other names.** An appearance whose path a path rule names (random
//!    bytes renamed to `release.p12`) has its blob read again and the path
//!    rules run at that name. A content finding carries every appearance of
//!    its blob ([`Finding::appearances`]): suppression reports it at the
//!    first where it is not suppressed.
//! 5. **Report.** A secret that stays in later versions of a file is one
//!    finding: findings are deduplicated by (rule, secret hash, path), keeping
//!    the earliest commit in walk order (their appearances merged). For a
//!    range, secrets (rule, secret hash) already present in the base trees
//!    are dropped, where present means at a path where the scan's
//!    suppressions (A's) do not hide it: a secret that A holds only in an
//!    allowlisted or baselined file is new where the range moves it.
//!
//! Commit messages are scanned as text at the pseudo-path
//! [`COMMIT_MESSAGE`] (on the pool, once the walk is over), annotated tag
//! messages at `<tag-message:NAME>` (tags under `refs/tags` whose target
//! commit is in the selection), as findings of that commit, and go through
//! the same deduplication, range subtraction and suppression as files. Secrets in the commit metadata that reports print (summary,
//! author name and email) are redacted unless [`HistoryOptions::reveal`].
//!
//! Gitlinks (submodules) and symbolic links are skipped. A blob that cannot be
//! read (absent from a partial clone, say) is counted in [`Stats::errors`] and
//! the scan goes on; a commit or tree that cannot be read stops it with
//! [`GitError::Object`], since what lies behind it would be silently missed.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
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
use crate::finding::ScanPath;
use crate::finding::{Appearance, CommitInfo, Finding};
use crate::scan::{Baselines, buffer_findings_flagged, path_findings};
use crate::source::{PathSuppression, Stats, text_of};

/// The pseudo-path of findings in commit messages.
pub const COMMIT_MESSAGE: &str = "<commit-message>";

/// The pseudo-path of findings in the message of the annotated tag `name`.
pub fn tag_message_path(name: &str) -> String {
    format!("<tag-message:{name}>")
}

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
    /// Print secrets found in commit metadata (summary, author) as they are
    /// (`--no-redact`); by default they are redacted like findings.
    pub reveal: bool,
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
    /// [`HistoryOptions::keep_comment_allowed`]), at each of their paths.
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

/// A blob at a path in a commit: its first appearance (scanned), or another
/// path it occupies later (an appearance).
#[derive(Clone)]
struct BlobJob {
    oid: Oid,
    /// Index into the plan's commits (walk order), or [`BASE`].
    commit: u32,
    path: Arc<ScanPath>,
    /// Run only the path rules at `path` (another name of a scanned blob).
    path_only: bool,
}

/// One finding as the scan collects it.
struct Found {
    /// The commit's walk order, or [`BASE`].
    order: u32,
    finding: Finding,
    /// Whether an inline comment allows it.
    allowed: bool,
    /// The blob it is in (`None` for messages).
    blob: Option<Oid>,
    /// A content finding (the same wherever its blob is), not a path rule's.
    content: bool,
}

/// What the enumerator hands back when the walk is over.
#[derive(Default)]
struct Walked {
    /// The base's blobs at their first paths (ranges only).
    base_blobs: Vec<BlobJob>,
    /// Other paths of blobs seen before, in walk order.
    appearances: Vec<BlobJob>,
    /// The findings of the selected commits' messages.
    messages: Vec<Found>,
}

/// Scans the history of the repository whose git directory is `git_dir`.
///
/// `judge` (ranges) tells where the scan's suppressions hide a secret: a
/// secret present in the base only at such paths is not "already present"
/// for a path the range moves it to. Without it, any presence counts.
///
/// Sets process-global libgit2 options (no object cache, no re-hashing of
/// read objects, bounded pack mappings): meant for a process that runs one
/// scan, as the command line does, not for a host using libgit2 elsewhere.
pub fn scan(
    git_dir: &Path,
    engine: &Engine,
    opts: &HistoryOptions,
    judge: Option<&dyn PathSuppression>,
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
    let order = PackOrder::load(&repo);
    let scan_with = |keep_allowed: bool, baselines: Baselines| Scan {
        git_dir,
        engine,
        max: opts.max_file_size,
        keep_allowed,
        baselines,
    };
    // What a range adds or changes is scanned even where it parses as a
    // detect-secrets baseline (only its entries' hashes are not secrets):
    // a branch must not hide keys in such a file. Elsewhere, and in the
    // range's base, a baseline is read as one.
    let changed = if opts.range.is_some() {
        Baselines::HashesOnly
    } else {
        Baselines::Exempt
    };

    // Steps 2 and 3 overlap: the enumerator (its own thread and repository)
    // hands over batches of unique blobs; each batch is scanned in pack order
    // by the pool while the next one is enumerated.
    let (tx, rx) = crossbeam_channel::unbounded::<Vec<BlobJob>>();
    let (walked, mut acc) = std::thread::scope(|s| {
        let plan = &plan;
        let counters = &counters;
        let producer = s.spawn(move || -> Result<Walked, GitError> {
            let repo = Repository::open(git_dir)?;
            let mut e = Enumerator::new(&repo, plan.subtract);
            let mut walked = Walked::default();
            for &oid in &plan.base {
                let tree = commit_tree(&repo, oid)?;
                e.visit(tree, BASE, &mut |job| {
                    if plan.subtract {
                        walked.base_blobs.push(job);
                    }
                })?;
            }
            for (i, &oid) in plan.commits.iter().enumerate() {
                // The commit is read once: its tree for the walk, its
                // message scanned here (a few hundred bytes; reading the
                // commits again later cost more than scanning them now).
                let commit = repo
                    .find_commit(oid)
                    .map_err(|e| GitError::object(oid, &e))?;
                let tree = commit.tree_id();
                message_findings(
                    engine,
                    commit.message_bytes(),
                    i as u32,
                    opts.keep_comment_allowed,
                    &mut walked.messages,
                );
                drop(commit);
                let mut new = Vec::new();
                e.visit(tree, i as u32, &mut |job| new.push(job))?;
                counters.commits.fetch_add(1, Relaxed);
                if !new.is_empty() && tx.send(new).is_err() {
                    break; // the scanners have stopped
                }
            }
            walked.appearances = std::mem::take(&mut e.appearances);
            Ok(walked)
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
            let scan = scan_with(opts.keep_comment_allowed, changed);
            let scanned = pool.install(|| scan_blobs(&scan, batch, &order, counters));
            acc = acc.merge(scanned);
        }
        let walked = producer
            .join()
            .unwrap_or_else(|_| Err(GitError::Git("the history walk failed".into())));
        (walked, acc)
    });
    let Walked {
        base_blobs,
        appearances,
        messages,
    } = walked?;
    acc.found.extend(messages);
    let tags = tag_messages(
        &repo,
        &plan,
        engine,
        opts.keep_comment_allowed,
        &mut acc.stats,
    )?;
    acc.found.extend(tags);

    // Step 4: the path rules at the other names blobs take in the selection.
    let renamed: Vec<BlobJob> = appearances
        .iter()
        .filter(|a| a.commit != BASE && !engine.path_rules_for(&a.path).is_empty())
        .map(|a| BlobJob {
            path_only: true,
            ..a.clone()
        })
        .collect();
    if !renamed.is_empty() {
        let scan = scan_with(opts.keep_comment_allowed, changed);
        acc = acc.merge(pool.install(|| scan_blobs(&scan, renamed, &order, &counters)));
    }
    // Where each blob with content findings appears besides its first path.
    let mut others: HashMap<Oid, Vec<(Arc<ScanPath>, u32)>, OidBuild> = HashMap::default();
    let wanted: HashSet<Oid, OidBuild> = acc
        .found
        .iter()
        .filter(|f| f.content)
        .filter_map(|f| f.blob)
        .collect();
    for a in &appearances {
        if a.commit != BASE && wanted.contains(&a.oid) {
            others
                .entry(a.oid)
                .or_default()
                .push((Arc::clone(&a.path), a.commit));
        }
    }

    // A range reports only what its side introduced.
    if plan.subtract && !base_blobs.is_empty() {
        let scan = scan_with(true, Baselines::Exempt);
        let base = Base {
            engine,
            blobs: base_blobs,
            appearances: &appearances,
            judge,
        };
        base.subtract(&mut acc, &mut others, |jobs| {
            pool.install(|| scan_blobs(&scan, jobs, &order, &Counters::default()))
        });
    }
    drop(progress);

    // Each finding's appearances: its own, then its blob's other paths.
    let mut found: Vec<(u32, Finding, bool)> = Vec::with_capacity(acc.found.len());
    for f in acc.found {
        let mut finding = f.finding;
        finding.appearances.push(Appearance {
            path: ScanPath::from_bytes(finding.raw_path()),
            commit: None,
            order: f.order,
        });
        if f.content
            && let Some(list) = f.blob.and_then(|b| others.get(&b))
        {
            finding
                .appearances
                .extend(list.iter().map(|(path, order)| Appearance {
                    path: (**path).clone(),
                    commit: None,
                    order: *order,
                }));
        }
        found.push((f.order, finding, f.allowed));
    }

    // One finding per (rule, secret, path): the earliest commit's, with the
    // appearances of the others.
    found.sort_by(|(oa, a, _), (ob, b, _)| {
        (oa, &a.path, a.line, a.column).cmp(&(ob, &b.path, b.line, b.column))
    });
    let mut first: HashMap<(String, String, Vec<u8>), usize> = HashMap::new();
    let mut kept: Vec<(u32, Finding, bool)> = Vec::with_capacity(found.len());
    for (order, f, allowed) in found {
        let key = (
            f.rule_id.clone(),
            f.secret_sha1.clone(),
            f.raw_path().to_vec(),
        );
        match first.get(&key) {
            Some(&i) => {
                let later = f.appearances.into_iter().skip(1);
                kept[i].1.appearances.extend(later);
            }
            None => {
                first.insert(key, kept.len());
                kept.push((order, f, allowed));
            }
        }
    }

    let mut infos: HashMap<u32, Arc<CommitInfo>> = HashMap::new();
    let mut info = |order: u32| -> Result<Option<Arc<CommitInfo>>, GitError> {
        let Some(&oid) = plan.commits.get(order as usize) else {
            return Ok(None);
        };
        if let Some(i) = infos.get(&order) {
            return Ok(Some(Arc::clone(i)));
        }
        let i = Arc::new(commit_info(&repo, oid, engine, opts.reveal)?);
        infos.insert(order, Arc::clone(&i));
        Ok(Some(i))
    };
    let mut findings = Vec::with_capacity(kept.len());
    let mut comment_allowed = HashSet::new();
    for (order, mut f, allowed) in kept {
        // Later appearances in walk order, each path once.
        f.appearances[1..].sort_by_key(|a| a.order);
        let mut paths = HashSet::new();
        f.appearances.retain(|a| paths.insert(a.path.clone()));
        for a in &mut f.appearances {
            a.commit = info(a.order)?;
            if allowed {
                comment_allowed.insert(crate::finding::fingerprint_bytes(
                    &f.rule_id,
                    a.path.raw(),
                    &f.secret_sha1,
                ));
            }
        }
        f.commit = info(order)?;
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

/// The base of a range, for step 5: its blobs and the appearances.
struct Base<'a> {
    engine: &'a Engine,
    blobs: Vec<BlobJob>,
    appearances: &'a [BlobJob],
    judge: Option<&'a dyn PathSuppression>,
}

impl Base<'_> {
    /// Drops from `acc` the secrets present in the base, and adds the
    /// content findings of base blobs that the range gives a new path where
    /// the base held them only hidden (allowlisted, baselined). `others` (the
    /// appearances of blobs with findings) gains those blobs' range paths.
    /// `scan` scans blobs as the selection's are scanned, allowed findings kept.
    fn subtract(
        self,
        acc: &mut Acc,
        others: &mut HashMap<Oid, Vec<(Arc<ScanPath>, u32)>, OidBuild>,
        scan: impl Fn(Vec<BlobJob>) -> Acc,
    ) {
        // Base blobs the range gives another path, with those paths.
        let mut moved: HashMap<Oid, Vec<(Arc<ScanPath>, u32)>, OidBuild> = HashMap::default();
        let mut base_paths: HashMap<Oid, Vec<Arc<ScanPath>>, OidBuild> = HashMap::default();
        let is_base: HashSet<Oid, OidBuild> = self.blobs.iter().map(|b| b.oid).collect();
        for a in self.appearances {
            if !is_base.contains(&a.oid) {
                continue;
            }
            if a.commit == BASE {
                base_paths
                    .entry(a.oid)
                    .or_default()
                    .push(Arc::clone(&a.path));
            } else {
                moved
                    .entry(a.oid)
                    .or_default()
                    .push((Arc::clone(&a.path), a.commit));
            }
        }
        if acc.found.is_empty() && moved.is_empty() {
            return;
        }
        // The moved blobs first: when they hold nothing and the range found
        // nothing, the rest of the base need not be read.
        let (first, rest): (Vec<BlobJob>, Vec<BlobJob>) = self
            .blobs
            .into_iter()
            .partition(|b| moved.contains_key(&b.oid));
        let mut base = scan(first);
        if acc.found.is_empty() && base.found.iter().all(|f| !f.content) {
            return;
        }
        base = base.merge(scan(rest));
        // The path rules at the base's other names (a keystore copied there).
        let named: Vec<BlobJob> = self
            .appearances
            .iter()
            .filter(|a| a.commit == BASE && !self.engine.path_rules_for(&a.path).is_empty())
            .map(|a| BlobJob {
                path_only: true,
                ..a.clone()
            })
            .collect();
        if !named.is_empty() {
            base = base.merge(scan(named));
        }
        // Present: where the base holds a secret and its suppressions do not
        // hide it (allowed by an inline comment counts: the comment moves
        // with the line).
        let shown = |f: &Found, path: &str| {
            f.allowed || self.judge.is_none_or(|j| !j.hides_at(&f.finding, path))
        };
        let mut present: HashSet<(String, String)> = HashSet::new();
        for f in &base.found {
            let mut visible = shown(f, &f.finding.path);
            if !visible
                && f.content
                && let Some(paths) = f.blob.and_then(|b| base_paths.get(&b))
            {
                visible = paths.iter().any(|p| shown(f, p));
            }
            if visible {
                present.insert((f.finding.rule_id.clone(), f.finding.secret_sha1.clone()));
            }
        }
        let key = |f: &Found| (f.finding.rule_id.clone(), f.finding.secret_sha1.clone());
        acc.found.retain(|f| !present.contains(&key(f)));
        // Secrets the base held only where they were hidden, at their new paths.
        for f in base.found {
            let Some(blob) = f.blob.filter(|_| f.content) else {
                continue;
            };
            let Some(paths) = moved.get(&blob) else {
                continue;
            };
            if present.contains(&key(&f)) {
                continue;
            }
            let (path, order) = paths[0].clone();
            let mut finding = f.finding;
            finding.set_path(&**path);
            others.insert(blob, paths[1..].to_vec());
            acc.found.push(Found {
                order,
                finding,
                allowed: false,
                blob: Some(blob),
                content: true,
            });
        }
    }
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

/// Who made a commit, when, and why; secrets in the summary and the author
/// (found there, or anywhere in the message) redacted unless `reveal`.
fn commit_info(
    repo: &Repository,
    oid: Oid,
    engine: &Engine,
    reveal: bool,
) -> Result<CommitInfo, GitError> {
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
    let lossy = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let mut info = CommitInfo {
        id: oid.to_string(),
        author_name: lossy(author.name_bytes()),
        author_email: lossy(author.email_bytes()),
        date,
        summary: lossy(c.summary_bytes().unwrap_or_default()),
    };
    if !reveal {
        let known = crate::scan::match_texts(engine, c.message_bytes());
        for field in [
            &mut info.summary,
            &mut info.author_name,
            &mut info.author_email,
        ] {
            *field = crate::scan::redact_text(engine, field, &known);
        }
    }
    Ok(info)
}

/// Pushes to `out` the findings in the message of the commit at walk
/// position `order`, at [`COMMIT_MESSAGE`].
fn message_findings(
    engine: &Engine,
    message: &[u8],
    order: u32,
    keep_allowed: bool,
    out: &mut Vec<Found>,
) {
    if message.is_empty() {
        return;
    }
    for (finding, allowed) in
        buffer_findings_flagged(engine, COMMIT_MESSAGE, message, None, Baselines::HashesOnly)
            .findings
    {
        if keep_allowed || !allowed {
            out.push(Found {
                order,
                finding,
                allowed,
                blob: None,
                content: true,
            });
        }
    }
}

/// The findings in the messages of annotated tags (`refs/tags/*`, and tags
/// of tags) whose target commit is in the selection, as findings of that
/// commit. A tag that cannot be read is counted in `stats` and skipped.
/// Only tag refs are read: other refs (branches, pull requests, by the
/// thousand on a mirror) name commits.
fn tag_messages(
    repo: &Repository,
    plan: &Plan,
    engine: &Engine,
    keep_allowed: bool,
    stats: &mut Stats,
) -> Result<Vec<Found>, GitError> {
    let refs: Vec<(Oid, Option<Oid>)> = repo
        .references_glob("refs/tags/*")?
        .filter_map(|r| r.ok().and_then(|r| Some((r.target()?, r.target_peel()))))
        .collect();
    if refs.is_empty() {
        return Ok(Vec::new());
    }
    let odb = repo.odb()?;
    let index: HashMap<Oid, u32, OidBuild> = plan.commits.iter().copied().zip(0u32..).collect();
    let mut seen: HashSet<Oid, OidBuild> = HashSet::default();
    let mut out = Vec::new();
    for (mut id, peeled) in refs {
        // Packed refs record the commit an annotated tag peels to: a tag on
        // a commit outside the selection is not read at all.
        if peeled.is_some_and(|c| !index.contains_key(&c)) {
            continue;
        }
        // A chain of tag objects, down to what the last one names.
        while seen.insert(id) && matches!(odb.read_header(id), Ok((_, ObjectType::Tag))) {
            let tag = match repo.find_tag(id) {
                Ok(t) => t,
                Err(e) => {
                    stats.errors.push(format!(
                        "cannot read tag {id}: {}",
                        e.message().split_whitespace().collect::<Vec<_>>().join(" ")
                    ));
                    break;
                }
            };
            let commit = tag
                .as_object()
                .peel(ObjectType::Commit)
                .ok()
                .map(|c| c.id());
            if let (Some(order), Some(message)) =
                (commit.and_then(|c| index.get(&c)), tag.message_bytes())
            {
                let path = tag_message_path(&String::from_utf8_lossy(tag.name_bytes()));
                for (finding, allowed) in
                    buffer_findings_flagged(engine, &path, message, None, Baselines::HashesOnly)
                        .findings
                {
                    if keep_allowed || !allowed {
                        out.push(Found {
                            order: *order,
                            finding,
                            allowed,
                            blob: None,
                            content: true,
                        });
                    }
                }
            }
            if tag.target_type() != Some(ObjectType::Tag) {
                break;
            }
            id = tag.target_id();
        }
    }
    Ok(out)
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

/// An object id's bytes, as the walker's sets key them: compared inline
/// (`Oid`'s equality is a call into libgit2), hashed by [`OidHasher`].
type RawId = [u8; 20];

/// The [`RawId`] of `oid` (zeros past the end of a shorter id).
fn raw_id(oid: Oid) -> RawId {
    let mut id = [0u8; 20];
    let b = oid.as_bytes();
    let n = b.len().min(20);
    id[..n].copy_from_slice(&b[..n]);
    id
}

/// The tree walker of step 2: owns the seen sets.
///
/// Trees are keyed by (id, path) and blobs remember the path they were first
/// seen at, as a keyed SipHash of the path (random keys per process, so no
/// names can be crafted to collide; the hash of `dir/name` is that of
/// (hash of `dir`, `name`), so nothing is hashed twice).
struct Enumerator<'r> {
    repo: &'r Repository,
    keys: std::collections::hash_map::RandomState,
    seen_trees: HashSet<(RawId, u64), OidBuild>,
    /// Blob id -> hash of its first path.
    seen_blobs: HashMap<RawId, u64, OidBuild>,
    /// (blob, path hash) recorded in `appearances`.
    seen_other: HashSet<(RawId, u64), OidBuild>,
    /// Blobs met again at another path, in walk order.
    appearances: Vec<BlobJob>,
    /// Whether to record appearances in base trees (ranges need them).
    base_appearances: bool,
}

impl<'r> Enumerator<'r> {
    fn new(repo: &'r Repository, base_appearances: bool) -> Self {
        Enumerator {
            base_appearances,
            repo,
            keys: std::collections::hash_map::RandomState::new(),
            seen_trees: HashSet::default(),
            seen_blobs: HashMap::default(),
            seen_other: HashSet::default(),
            appearances: Vec::new(),
        }
    }

    /// The hash of the path `name` in the directory whose path hashes to `dir`.
    fn path_hash(&self, dir: u64, name: &[u8]) -> u64 {
        let mut h = self.keys.build_hasher();
        h.write_u64(dir);
        h.write(name);
        h.finish()
    }

    /// Visits the tree `root` of commit `commit`, calling `emit` for every
    /// regular-file blob not seen before, and recording in `appearances`
    /// blobs seen before at another path. Trees seen before at the same path
    /// are skipped whole.
    fn visit(
        &mut self,
        root: Oid,
        commit: u32,
        emit: &mut dyn FnMut(BlobJob),
    ) -> Result<(), GitError> {
        // The root's path is empty; its hash is 0.
        if !self.seen_trees.insert((raw_id(root), 0)) {
            return Ok(());
        }
        let mut stack: Vec<(Oid, ScanPath, u64)> = vec![(root, ScanPath::default(), 0)];
        while let Some((id, prefix, dir)) = stack.pop() {
            let tree = self
                .repo
                .find_tree(id)
                .map_err(|e| GitError::object(id, &e))?;
            for entry in tree.iter() {
                let kind = entry.filemode() & mode::TYPE_MASK;
                if kind != mode::TREE && kind != mode::FILE {
                    continue; // symbolic links, gitlinks
                }
                let eid = entry.id();
                let key = raw_id(eid);
                let name = entry.name_bytes();
                let h = self.path_hash(dir, name);
                let other = match kind {
                    mode::TREE => {
                        if !self.seen_trees.insert((key, h)) {
                            continue;
                        }
                        false
                    }
                    _ => match self.seen_blobs.entry(key) {
                        std::collections::hash_map::Entry::Vacant(v) => {
                            v.insert(h);
                            false
                        }
                        // The common case: the same blob at the same path.
                        std::collections::hash_map::Entry::Occupied(o) if *o.get() == h => {
                            continue;
                        }
                        std::collections::hash_map::Entry::Occupied(_) => {
                            if (commit == BASE && !self.base_appearances)
                                || !self.seen_other.insert((key, h))
                            {
                                continue;
                            }
                            true
                        }
                    },
                };
                let path = prefix.join(name);
                if kind == mode::TREE {
                    stack.push((eid, path, h));
                    continue;
                }
                let job = BlobJob {
                    oid: eid,
                    commit,
                    path: Arc::new(path),
                    path_only: false,
                };
                if other {
                    self.appearances.push(job);
                } else {
                    emit(job);
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

/// What the scanners produced.
#[derive(Default)]
struct Acc {
    found: Vec<Found>,
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
    /// How blobs that are detect-secrets baselines are read.
    baselines: Baselines,
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
    // Another name of a blob was counted at its first: skips are silent.
    let count = !job.path_only;
    match odb.read_header(job.oid) {
        Ok((size, ObjectType::Blob)) if size as u64 > max => {
            acc.stats.skipped_large += u64::from(count);
            return acc;
        }
        Ok(_) => {}
        Err(e) => {
            if count {
                acc.stats.errors.push(unreadable(e));
            }
            return acc;
        }
    }
    let obj = match odb.read(job.oid) {
        Ok(o) => o,
        Err(e) => {
            if count {
                acc.stats.errors.push(unreadable(e));
            }
            return acc;
        }
    };
    let data = obj.data();
    let text = text_of(data);
    let mut found: Vec<(Finding, bool)> = Vec::new();
    if let Some(text) = &text {
        let flagged = buffer_findings_flagged(engine, &*job.path, text, None, scan.baselines);
        // History reports each secret once per path anyway: only a cap
        // that lost secrets is worth saying.
        if !job.path_only {
            acc.stats.capped.extend(
                flagged
                    .capped
                    .filter(|c| c.dropped > 0)
                    .map(|c| crate::scan::Capped { repeats: 0, ..c }),
            );
        }
        found = flagged.findings;
    }
    let worst = found.iter().map(|(f, _)| f.severity).max();
    if job.path_only {
        // Another name of a blob scanned at its first: only the path rules
        // at this name are new (the content findings gave `worst`).
        found.clear();
    } else {
        c.blobs.fetch_add(1, Relaxed);
        c.bytes.fetch_add(data.len() as u64, Relaxed);
        if text.is_some() {
            acc.stats.files += 1;
            acc.stats.bytes += data.len() as u64;
        } else {
            acc.stats.skipped_binary += 1;
        }
    }
    // Path rules see every blob at each of its paths, binary ones too
    // (keystores), unless content rules flagged it as severely (see
    // `crate::scan::path_findings`).
    let content = found.len();
    found.extend(
        path_findings(engine, &*job.path, data, text.as_deref(), None, worst)
            .into_iter()
            .map(|f| (f, false)),
    );
    let blob = job.oid.to_string();
    for (i, (mut f, allowed)) in found.into_iter().enumerate() {
        if allowed && !scan.keep_allowed {
            continue;
        }
        c.findings.fetch_add(1, Relaxed);
        f.blob = Some(blob.clone());
        acc.found.push(Found {
            order: job.commit,
            finding: f,
            allowed,
            blob: Some(job.oid),
            content: i < content,
        });
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
