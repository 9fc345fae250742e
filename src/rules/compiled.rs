//! A rule's regex compiled for the engine's hot path.
//!
//! The engine runs a rule's regex on many small windows, from every scanning
//! thread. The lazy DFA behind a regex learns its states as it meets input,
//! and that learning (determinization) costs far more than the search itself
//! on the large generic patterns. `regex::bytes::Regex` keeps one cache of
//! learnt states per thread, so every thread pays the warm-up again. Here
//! the caches live in one shared pool: a thread takes the warmest free one,
//! and when all are in use it puts the rule off ([`RuleRegex::try_with_scratch`])
//! and comes back to it at the end of its buffer, rather than warm up a cache
//! of its own. A regex has at most one cache per two cores
//! ([`max_scratches`]): on two cores one cache learns every state once
//! (moby: 8% less CPU than a cache per thread).
//!
//! Before the regex, every window meets the rule's [`RuleCheck`]: a forward
//! lazy DFA without captures that only tells whether the window can match,
//! and costs a fraction of the full regex to build. Most rules' keywords
//! open windows where they never match (moby: 184 rules see windows, a
//! handful match), so most full regexes are never built.
//!
//! The rule dialect is the one of [`super::build_regex`]: bytes, Unicode off,
//! leftmost-first.

use std::sync::{Condvar, Mutex, OnceLock};

use regex_automata::nfa::thompson;
use regex_automata::util::captures::Captures;
use regex_automata::util::syntax;
use regex_automata::{Input, PatternID, hybrid, meta};
use regex_syntax::hir::Hir;

/// Upper bound on a compiled NFA (the same as [`super::build_regex`]).
const NFA_SIZE_LIMIT: usize = 1 << 24;
/// Upper bound on one lazy-DFA cache (the same as [`super::build_regex`]).
const DFA_CACHE_CAPACITY: usize = 1 << 26;

/// A compiled pattern with a pool of search caches shared by all threads.
///
/// A pattern may be searched as its top-level alternatives apart
/// ([`RuleRegex::from_hir`] with `split`): the large generated patterns of
/// the generic rules are alternations of assignment forms whose lazy DFAs
/// multiply each other's states when searched together (the quoted generic
/// rule learns 2 MB of states on moby, its six forms apart 0.9 MB). The
/// matches are merged back into the order and choice of the whole pattern.
#[derive(Debug)]
pub struct RuleRegex {
    branches: Vec<Branch>,
    scratches: Shared<Scratch>,
}

/// One searched regex of a [`RuleRegex`] and the indices of its groups.
#[derive(Debug)]
pub struct Branch {
    re: meta::Regex,
    /// The index of the `secret` group, if the pattern has one.
    pub secret_group: Option<usize>,
    /// The indices of the `name...` groups.
    pub name_groups: Vec<usize>,
}

/// What the searches need besides the regexes: per branch, the lazy-DFA
/// cache and room for the capture groups.
#[derive(Debug)]
pub struct Scratch {
    per_branch: Vec<(meta::Cache, Captures)>,
}

impl RuleRegex {
    /// Compiles `pattern`. The error is the `regex` crate's, which explains
    /// syntax errors best.
    pub fn new(pattern: &str) -> Result<RuleRegex, regex::Error> {
        let re = meta::Builder::new()
            .configure(config())
            .syntax(syntax::Config::new().unicode(false).utf8(false))
            .build(pattern)
            .map_err(|_| match super::build_regex(pattern) {
                Err(e) => e,
                // Both compilers take the same dialect; should they disagree,
                // report the limit that is the likely cause.
                Ok(_) => regex::Error::CompiledTooBig(NFA_SIZE_LIMIT),
            })?;
        Ok(RuleRegex::with(vec![re]))
    }

    /// Compiles a syntax tree parsed by [`parse`] (a rule's pattern, parsed
    /// once for the regex and its check); `None` if it is too large. With
    /// `split`, a pattern that starts with an alternation is searched as
    /// its alternatives apart (each followed by the rest of the pattern).
    pub fn from_hir(hir: &Hir, split: bool) -> Option<RuleRegex> {
        let parts = match split.then(|| alternatives(hir)).flatten() {
            Some(parts) => parts,
            None => vec![hir.clone()],
        };
        let res = parts
            .iter()
            .map(|h| {
                meta::Builder::new()
                    .configure(config())
                    .build_from_hir(h)
                    .ok()
            })
            .collect::<Option<Vec<_>>>()?;
        Some(RuleRegex::with(res))
    }

    fn with(res: Vec<meta::Regex>) -> RuleRegex {
        let branches = res
            .into_iter()
            .map(|re| {
                let names: Vec<Option<&str>> =
                    re.group_info().pattern_names(PatternID::ZERO).collect();
                let secret_group = names.iter().position(|n| *n == Some("secret"));
                // Groups `name`, `name2`, ... hold the variable a value is
                // assigned to (one per alternation branch; group names must
                // be unique).
                let name_groups = names
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| n.is_some_and(|n| n.starts_with("name")))
                    .map(|(i, _)| i)
                    .collect();
                Branch {
                    re,
                    secret_group,
                    name_groups,
                }
            })
            .collect();
        RuleRegex {
            branches,
            scratches: Shared::new(),
        }
    }

    /// Whether every match holds a `secret` group.
    pub fn has_secret_group(&self) -> bool {
        self.branches.iter().all(|b| b.secret_group.is_some())
    }

    /// Runs `f` with a search scratch from the shared pool: the warmest
    /// free one; a new one when all are in use, up to [`max_scratches`];
    /// beyond that, the first one returned.
    pub fn with_scratch<R>(&self, f: impl FnOnce(&mut Scratch) -> R) -> R {
        self.scratches.with(|| self.fresh_scratch(), f)
    }

    /// Like [`RuleRegex::with_scratch`], but returns `None` without running
    /// `f` when every scratch of the pool is in use (the caller does other
    /// work and comes back).
    pub fn try_with_scratch<R>(&self, f: impl FnOnce(&mut Scratch) -> R) -> Option<R> {
        self.scratches.try_with(|| self.fresh_scratch(), f)
    }

    /// Calls `f` with each match of the pattern in `hay` from `from` on, in
    /// leftmost-first order: the branch that matched (its group indices) and
    /// the groups. `f` returns where the next search starts (after the
    /// match's start), or `None` to stop.
    pub fn each_match(
        &self,
        scratch: &mut Scratch,
        hay: &[u8],
        from: usize,
        mut f: impl FnMut(&Branch, &Captures) -> Option<usize>,
    ) {
        let mut input = Input::new(hay).range(from..);
        if let [branch] = &self.branches[..] {
            let (cache, caps) = &mut scratch.per_branch[0];
            loop {
                branch.re.search_captures_with(cache, &input, caps);
                if !caps.is_match() {
                    return;
                }
                match f(branch, caps) {
                    Some(next) if next <= hay.len() => input.set_start(next),
                    _ => return,
                }
            }
        }
        // Each branch's leftmost match from the current start is kept until
        // the start passes it: then it is searched again. The whole
        // pattern's leftmost-first match is the leftmost of them, the first
        // branch on a tie.
        let mut known = vec![false; self.branches.len()];
        loop {
            let at = input.start();
            for (i, branch) in self.branches.iter().enumerate() {
                let (cache, caps) = &mut scratch.per_branch[i];
                let stale = !known[i] || caps.get_match().is_some_and(|m| m.start() < at);
                if stale {
                    branch.re.search_captures_with(cache, &input, caps);
                    known[i] = true;
                }
            }
            let best = scratch
                .per_branch
                .iter()
                .enumerate()
                .filter_map(|(i, (_, caps))| Some((caps.get_match()?.start(), i)))
                .min();
            let Some((_, i)) = best else {
                return;
            };
            match f(&self.branches[i], &scratch.per_branch[i].1) {
                Some(next) if next <= hay.len() => input.set_start(next),
                _ => return,
            }
        }
    }

    fn fresh_scratch(&self) -> Scratch {
        Scratch {
            per_branch: self
                .branches
                .iter()
                .map(|b| (b.re.create_cache(), b.re.create_captures()))
                .collect(),
        }
    }

    /// Heap bytes held by the regex's idle search caches.
    pub fn cache_bytes(&self) -> usize {
        self.scratches
            .lock()
            .free
            .iter()
            .flat_map(|(s, _)| s.per_branch.iter())
            .map(|(c, _)| c.memory_usage())
            .sum()
    }

    #[cfg(test)]
    pub(crate) fn is_match_at(&self, hay: &[u8], start: usize) -> bool {
        self.with_scratch(|s| {
            let mut found = false;
            self.each_match(s, hay, start, |_, _| {
                found = true;
                None
            });
            found
        })
    }
}

/// The alternatives of a pattern that starts with an alternation, each
/// followed by the rest of the pattern (`(?:a|b)c` as `ac`, `bc`): searched
/// apart and merged leftmost-first, they match what the whole matches. `None`
/// for any other pattern. (An alternation after other pieces is not split:
/// `x(?:a|b)` searched as `xa`, `xb` could prefer another match.)
fn alternatives(hir: &Hir) -> Option<Vec<Hir>> {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Alternation(subs) => Some(subs.clone()),
        HirKind::Concat(subs) => match subs.first().map(Hir::kind) {
            Some(HirKind::Alternation(alts)) => Some(
                alts.iter()
                    .map(|a| {
                        let mut v = vec![a.clone()];
                        v.extend_from_slice(&subs[1..]);
                        Hir::concat(v)
                    })
                    .collect(),
            ),
            _ => None,
        },
        _ => None,
    }
}

/// A necessary condition for a rule's match, run on every window before the
/// rule's [`RuleRegex`]; it only says whether a window can match. Most rules'
/// keywords open windows where they never match, so most rules never build
/// their full regex at all.
#[derive(Debug)]
pub struct RuleCheck {
    imp: CheckImp,
    /// A byte every match holds: windows without it are skipped with one
    /// `memchr` each.
    required: Option<u8>,
}

#[derive(Debug)]
enum CheckImp {
    /// A forward lazy DFA without capture groups: a fraction of a full
    /// regex's cost to build (no reverse automaton, no literal prefilter,
    /// no capture machinery). For a rule's whole pattern, run on windows
    /// where it mostly fails early.
    Dfa(Box<hybrid::dfa::DFA>, Shared<hybrid::dfa::Cache>),
    /// A regex without its groups but with its literal prefilter, for
    /// the small pieces around a `secret` group ([`super::precheck`]): they
    /// run on many long windows, where finding their literal (the `=` of a
    /// Fernet key, the quote of a quoted value) first pays for the build.
    Meta(meta::Regex, Shared<meta::Cache>),
}

impl RuleCheck {
    /// The check that a rule's whole pattern `hir` matches somewhere; `None`
    /// if it is too large.
    pub fn whole(hir: &Hir) -> Option<RuleCheck> {
        let hir = &relaxed(hir);
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .which_captures(thompson::WhichCaptures::None)
                    .utf8(false)
                    .nfa_size_limit(Some(NFA_SIZE_LIMIT)),
            )
            .build_from_hir(hir)
            .ok()?;
        let dfa = hybrid::dfa::Builder::new()
            .configure(
                hybrid::dfa::Config::new()
                    .match_kind(regex_automata::MatchKind::LeftmostFirst)
                    .cache_capacity(DFA_CACHE_CAPACITY),
            )
            .build_from_nfa(nfa)
            .ok()?;
        Some(RuleCheck {
            imp: CheckImp::Dfa(Box::new(dfa), Shared::new()),
            required: required_byte(hir),
        })
    }

    /// The check that `hir`, a part of a rule's pattern that every match
    /// holds ([`super::precheck`]), matches; `None` if it is too large.
    pub fn part(hir: &Hir) -> Option<RuleCheck> {
        let hir = &relaxed(hir);
        let re = meta::Builder::new()
            .configure(
                config()
                    .auto_prefilter(true)
                    .backtrack(false)
                    .which_captures(thompson::WhichCaptures::Implicit),
            )
            .build_from_hir(hir)
            .ok()?;
        Some(RuleCheck {
            imp: CheckImp::Meta(re, Shared::new()),
            required: required_byte(hir),
        })
    }

    /// The windows `(start, end)` of `buf` in which the pattern matches.
    /// Each search sees `buf[..end]` from [`search_start`], so that
    /// look-behind assertions such as `\b` see the byte before the window.
    pub fn windows_matching(&self, buf: &[u8], wins: &[(usize, usize)]) -> Vec<(usize, usize)> {
        self.matching(buf, wins, true).unwrap_or_default()
    }

    /// Like [`RuleCheck::windows_matching`], but `None` without searching
    /// when every cache of the check is in use by other threads (the caller
    /// does other work and comes back).
    pub fn try_windows_matching(
        &self,
        buf: &[u8],
        wins: &[(usize, usize)],
    ) -> Option<Vec<(usize, usize)>> {
        self.matching(buf, wins, false)
    }

    fn matching(
        &self,
        buf: &[u8],
        wins: &[(usize, usize)],
        wait: bool,
    ) -> Option<Vec<(usize, usize)>> {
        let candidates = wins.iter().copied().filter(|&(start, end)| {
            self.required
                .is_none_or(|b| memchr::memchr(b, &buf[start..end]).is_some())
        });
        let input = |(start, end): (usize, usize)| {
            Input::new(&buf[..end])
                .range(search_start(buf, start)..)
                .earliest(true)
        };
        match &self.imp {
            CheckImp::Dfa(dfa, caches) => caches.run_with(
                wait,
                || dfa.create_cache(),
                |cache| {
                    candidates
                        // A search that gives up (it cannot with these
                        // settings) keeps the window: the full regex decides.
                        .filter(|&w| !matches!(dfa.try_search_fwd(cache, &input(w)), Ok(None)))
                        .collect()
                },
            ),
            // `search` rather than `is_match`: for patterns whose strategy
            // looks for an inner literal first, `is_match` can fall back to
            // the slow PikeVM on text with many candidates (URLs and their
            // `:`).
            CheckImp::Meta(re, caches) => caches.run_with(
                wait,
                || re.create_cache(),
                |cache| {
                    candidates
                        .filter(|&w| re.search_with(cache, &input(w)).is_some())
                        .collect()
                },
            ),
        }
    }

    /// Heap bytes held by the check's idle search caches (the states its lazy
    /// DFA has learnt).
    pub fn cache_bytes(&self) -> usize {
        match &self.imp {
            CheckImp::Dfa(_, c) => c.lock().free.iter().map(|(c, _)| c.memory_usage()).sum(),
            CheckImp::Meta(_, c) => c.lock().free.iter().map(|(c, _)| c.memory_usage()).sum(),
        }
    }

    #[cfg(test)]
    pub(crate) fn is_match_at(&self, hay: &[u8], start: usize) -> bool {
        !self.windows_matching(hay, &[(start, hay.len())]).is_empty()
    }
}

/// Counted repetitions a check keeps: `X{m,n}` with `m` above this or a
/// wide range becomes `X{min(m, RELAXED_MIN),}`.
const RELAXED_MIN: u32 = 16;

/// `hir` with its wide counted repetitions opened up (`[a-z0-9]{32,64}` as
/// `[a-z0-9]{16,}`, `[a-z_]{0,24}?` as `[a-z_]*`): it matches everything
/// `hir` matches, so it is still a necessary condition, and its automaton
/// is a fraction of the size (a lazy DFA learns one state per count it
/// tracks, and each state costs thousands of instructions to learn).
fn relaxed(hir: &Hir) -> Hir {
    use regex_syntax::hir::{Capture, HirKind, Repetition};
    match hir.kind() {
        HirKind::Repetition(r) => {
            let sub = Box::new(relaxed(&r.sub));
            let wide = r.max.is_some_and(|max| max - r.min > 2);
            if r.min > RELAXED_MIN || wide {
                Hir::repetition(Repetition {
                    min: r.min.min(RELAXED_MIN),
                    max: None,
                    greedy: true,
                    sub,
                })
            } else {
                Hir::repetition(Repetition { sub, ..r.clone() })
            }
        }
        HirKind::Capture(c) => Hir::capture(Capture {
            sub: Box::new(relaxed(&c.sub)),
            ..c.clone()
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(relaxed).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(relaxed).collect()),
        _ => hir.clone(),
    }
}

/// A rare byte (`@`, not `=` or `:`) that every match of `hir` holds, if
/// there is one: only such a byte skips enough windows to pay for the extra
/// pass over each.
fn required_byte(hir: &Hir) -> Option<u8> {
    let mut bytes = Vec::new();
    required_bytes(hir, &mut bytes);
    let rarity = crate::engine::prefilter::commonness;
    bytes
        .into_iter()
        .min_by_key(|&b| rarity(b))
        .filter(|&b| rarity(b) <= rarity(b'#'))
}

/// Where the searches of a window starting at `start` begin: at the newline
/// before it, if there is one, as a pattern may take that newline as the
/// character before a name instead of anchoring at a line start.
pub fn search_start(buf: &[u8], start: usize) -> usize {
    if start > 0 && buf[start - 1] == b'\n' {
        start - 1
    } else {
        start
    }
}

/// Parses `pattern` in the rule dialect (bytes, Unicode off); `None` if it
/// does not parse (loading a rule set reports that).
pub fn parse(pattern: &str) -> Option<Hir> {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()
}

/// The engine configuration of every rule regex. No full DFA and no
/// one-pass DFA: building them costs more, at start-up, than they save on
/// windows of a few lines (the lazy DFA and the bounded backtracker do the
/// work).
fn config() -> meta::Config {
    meta::Config::new()
        .match_kind(regex_automata::MatchKind::LeftmostFirst)
        .utf8_empty(false)
        .dfa(false)
        .onepass(false)
        // The regex runs only on windows its check passed, near a match:
        // a literal prefilter would cost more to build than it saves.
        .auto_prefilter(false)
        .nfa_size_limit(Some(NFA_SIZE_LIMIT))
        .hybrid_cache_capacity(DFA_CACHE_CAPACITY)
}

/// At most this many scratches per regex: half the cores (at least one).
/// Every cache learns the same states, so fewer caches mean less warm-up;
/// a thread that finds them all busy puts the rule off, and waits only at
/// the end of its buffer. A thread never holds two scratches at once (the
/// engine runs one regex at a time), so waiting cannot deadlock.
fn max_scratches() -> usize {
    static MAX: OnceLock<usize> = OnceLock::new();
    *MAX.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        (cores / 2).max(1)
    })
}

/// Bytes that every match of `hir` holds: its literals, outside
/// alternations and optional parts.
fn required_bytes(hir: &Hir, out: &mut Vec<u8>) {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Literal(lit) => out.extend_from_slice(&lit.0),
        HirKind::Capture(c) => required_bytes(&c.sub, out),
        HirKind::Repetition(r) if r.min > 0 => required_bytes(&r.sub, out),
        HirKind::Concat(subs) => subs.iter().for_each(|h| required_bytes(h, out)),
        _ => {}
    }
}

/// The search caches of one automaton, shared by all threads: a thread
/// takes the warmest free one (its lazy DFA has learnt the most), makes a
/// new one while there are fewer than [`max_scratches`], and otherwise
/// waits for one to come back (or gives way, with [`Shared::try_with`]).
#[derive(Debug)]
struct Shared<T> {
    pool: Mutex<Pool<T>>,
    /// Signalled when a cache goes back to the pool.
    returned: Condvar,
    /// At most this many caches ([`max_scratches`]).
    max: usize,
}

/// The caches of one automaton.
#[derive(Debug)]
struct Pool<T> {
    /// The caches not in use, with how many times each was used.
    free: Vec<(T, u64)>,
    /// How many caches were made (free or in use).
    made: usize,
    /// How many threads wait for a cache to be returned.
    waiters: usize,
}

impl<T> Shared<T> {
    fn new() -> Shared<T> {
        Shared::with_max(max_scratches())
    }

    /// A pool of at most `max` caches.
    fn with_max(max: usize) -> Shared<T> {
        Shared {
            pool: Mutex::new(Pool {
                free: Vec::new(),
                made: 0,
                waiters: 0,
            }),
            returned: Condvar::new(),
            max,
        }
    }

    /// Runs `f` with a cache: the warmest free one; a new one (`make`) when
    /// all are in use, up to `max`; beyond that, the first one returned.
    fn with<R>(&self, make: impl FnOnce() -> T, f: impl FnOnce(&mut T) -> R) -> R {
        let mut pool = self.lock();
        let taken = loop {
            if let Some(t) = pool.take() {
                drop(pool);
                break t;
            }
            if pool.made < self.max {
                pool.made += 1;
                drop(pool);
                break (make(), 0);
            }
            // As many caches as half the cores: wait for one (it is held
            // for one buffer's windows at most).
            pool.waiters += 1;
            pool = self.returned.wait(pool).unwrap_or_else(|e| e.into_inner());
            pool.waiters -= 1;
        };
        self.run(taken, f)
    }

    /// [`Shared::with`] if `wait`, else [`Shared::try_with`].
    fn run_with<R>(
        &self,
        wait: bool,
        make: impl FnOnce() -> T,
        f: impl FnOnce(&mut T) -> R,
    ) -> Option<R> {
        if wait {
            Some(self.with(make, f))
        } else {
            self.try_with(make, f)
        }
    }

    /// Like [`Shared::with`], but returns `None` without running `f` when
    /// every cache is in use.
    fn try_with<R>(&self, make: impl FnOnce() -> T, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        let taken = {
            let mut pool = self.lock();
            match pool.take() {
                Some(t) => t,
                None if pool.made == 0 => {
                    pool.made += 1;
                    drop(pool);
                    (make(), 0)
                }
                None => return None,
            }
        };
        Some(self.run(taken, f))
    }

    fn run<R>(&self, (mut t, uses): (T, u64), f: impl FnOnce(&mut T) -> R) -> R {
        let out = f(&mut t);
        let mut pool = self.lock();
        pool.free.push((t, uses + 1));
        // A notify is a system call even with no one waiting: most returns
        // have none.
        let waiting = pool.waiters > 0;
        drop(pool);
        if waiting {
            self.returned.notify_one();
        }
        out
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pool<T>> {
        self.pool.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<T> Pool<T> {
    /// The most used free cache: its lazy DFA has learnt the most.
    fn take(&mut self) -> Option<(T, u64)> {
        let i = (0..self.free.len()).max_by_key(|&i| self.free[i].1)?;
        Some(self.free.swap_remove(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_groups_by_name() {
        let re = RuleRegex::new(r"(?P<name1>\w+)=(?:x|(?P<name2>y))(?P<secret>[0-9]+)").unwrap();
        assert_eq!(re.branches[0].secret_group, Some(3));
        assert_eq!(re.branches[0].name_groups, &[1, 2]);
        assert!(re.has_secret_group());
    }

    #[test]
    fn dialect_is_bytes_without_unicode() {
        let re = RuleRegex::new(r"(?i)k\w+").unwrap();
        assert!(re.is_match_at(b"KEY\xff", 0));
        assert!(!re.is_match_at("kä".as_bytes(), 0));
        assert!(re.is_match_at(b"xx key", 2));
        assert!(!re.is_match_at(b"key xx", 2));
    }

    #[test]
    fn look_behind_sees_bytes_before_the_start() {
        let re = RuleRegex::new(r"\bkey").unwrap();
        assert!(!re.is_match_at(b"akey", 1));
        assert!(re.is_match_at(b" key", 1));
    }

    #[test]
    fn bad_patterns_report_the_regex_crate_error() {
        let e = RuleRegex::new("(unclosed").unwrap_err();
        assert!(e.to_string().contains("unclosed"), "{e}");
    }

    fn hir(pattern: &str) -> Hir {
        parse(pattern).unwrap()
    }

    #[test]
    fn a_check_skips_windows_without_its_rarest_literal() {
        let re = RuleCheck::part(&hir(r"[a-z]+:(?P<secret>[a-z]{6,})@[a-z]")).unwrap();
        assert_eq!(re.required, Some(b'@'));
        let buf = b"user:secret1@h user:secretx@h user:secrets h";
        assert_eq!(
            re.windows_matching(buf, &[(0, 14), (15, 29), (30, 44)]),
            [(15, 29)]
        );
        let optional = RuleCheck::part(&hir(r"(?:a@)?b|c")).unwrap();
        assert_eq!(optional.required, None);
        let common = RuleCheck::part(&hir(r"k=v")).unwrap();
        assert_eq!(common.required, None);
    }

    #[test]
    fn a_check_sees_the_bytes_before_its_window_and_the_newline_before_it() {
        let re = RuleCheck::part(&hir(r"\bkey")).unwrap();
        assert!(!re.is_match_at(b"akey", 1));
        assert!(re.is_match_at(b" key", 1));
        // A pattern that takes the newline as the byte before a name.
        let nl = RuleCheck::part(&hir(r"[^a-z]key")).unwrap();
        assert!(nl.is_match_at(b"x\nkey", 2));
        assert!(!nl.is_match_at(b"xkey", 1));
    }

    #[test]
    fn a_check_agrees_with_its_regex() {
        let patterns = [
            r"(?i)\b(?P<secret>sk_live_[0-9a-z]{8})\b",
            r"(?m)^[ \t]*(?P<name>[a-z_]+)[ \t]*=[ \t]*(?P<secret>[^\s]{4,})$",
            r#"["'](?P<secret>[A-Za-z0-9+/]{8}={0,2})["']"#,
        ];
        let hays: [&[u8]; 6] = [
            b"key = sk_live_abcdefgh",
            b"xsk_live_abcdefgh",
            b"  token = abcdef\n",
            b"token=ab",
            b"v = 'QUJDREVGR0g='",
            b"v = 'QUJD'",
        ];
        for p in patterns {
            let whole = RuleCheck::whole(&hir(p)).unwrap();
            let part = RuleCheck::part(&hir(p)).unwrap();
            let re = RuleRegex::from_hir(&hir(p), false).unwrap();
            for h in hays {
                for start in 0..h.len() {
                    let expected = re.is_match_at(h, search_start(h, start));
                    assert_eq!(part.is_match_at(h, start), expected, "{p} from {start}");
                    assert_eq!(
                        whole.is_match_at(h, start),
                        expected,
                        "{p} on {:?} from {start}",
                        String::from_utf8_lossy(h)
                    );
                }
            }
        }
    }

    /// Every match, in order: (branch's secret group text, start, end).
    fn matches(re: &RuleRegex, hay: &[u8]) -> Vec<(String, usize, usize)> {
        let mut v = Vec::new();
        re.with_scratch(|s| {
            re.each_match(s, hay, 0, |b, caps| {
                let m = caps.get_match()?;
                let secret = b
                    .secret_group
                    .and_then(|g| caps.get_group(g))
                    .map_or(String::new(), |sp| {
                        String::from_utf8_lossy(&hay[sp.range()]).into_owned()
                    });
                v.push((secret, m.start(), m.end()));
                Some(if m.is_empty() { m.end() + 1 } else { m.end() })
            })
        });
        v
    }

    #[test]
    fn alternatives_searched_apart_match_as_the_whole() {
        let patterns = [
            r#"(?i)(?:(?P<name1>[a-z_]*key)[ \t]*=|"(?P<name2>[a-z_]*token)",|set(?P<name3>[a-z]*)\()[ \t]*"(?P<secret>[^"]{4,})""#,
            r"(?:ab|a)(?P<secret>b*c)",
            r"(?:x|xy|y)(?P<secret>z?)",
        ];
        let hays: [&[u8]; 5] = [
            br#"api_key = "abcd" x "zzzz", setfoo("wxyz") "k", my_token", "efgh" KEY="1234""#,
            b"abc abbbc ac xabbc",
            b"xyz xz yz xyyz",
            b"",
            br#"key = "abc" token", "ab""#,
        ];
        for p in patterns {
            let whole = RuleRegex::from_hir(&hir(p), false).unwrap();
            let split = RuleRegex::from_hir(&hir(p), true).unwrap();
            assert!(split.branches.len() > 1, "{p}");
            for h in hays {
                assert_eq!(matches(&split, h), matches(&whole, h), "{p} on {h:?}");
            }
        }
        // A pattern that does not start with an alternation stays whole.
        let rest = RuleRegex::from_hir(&hir(r"x(?:a|b)"), true).unwrap();
        assert_eq!(rest.branches.len(), 1);
    }

    #[test]
    fn scratches_are_reused() {
        let re = RuleRegex::new("a+").unwrap();
        for _ in 0..3 {
            assert!(re.is_match_at(b"baa", 0));
        }
        assert_eq!(re.scratches.lock().made, 1);
    }

    #[test]
    fn try_waits_for_a_busy_scratch_and_the_warmest_is_taken() {
        let mut re = RuleRegex::new("a+").unwrap();
        re.scratches.max = 2;
        // Nothing made yet: the first try makes one.
        assert_eq!(re.try_with_scratch(|_| 1), Some(1));
        re.with_scratch(|_| {
            // The only scratch is in use: a try gives way, a plain call
            // makes a second one.
            assert_eq!(re.try_with_scratch(|_| 2), None);
            re.with_scratch(|_| ());
        });
        assert_eq!(re.scratches.lock().made, 2);
        // The warmest of the two (used twice) is taken first.
        let mut pool = re.scratches.lock();
        assert_eq!(pool.take().map(|t| t.1), Some(2));
    }

    #[test]
    fn past_the_limit_a_thread_waits_for_a_returned_scratch() {
        let mut re = RuleRegex::new("a+").unwrap();
        re.scratches.max = 1;
        let (held, release) = (std::sync::Barrier::new(2), std::sync::Barrier::new(2));
        std::thread::scope(|scope| {
            scope.spawn(|| {
                re.with_scratch(|_| {
                    held.wait();
                    release.wait();
                })
            });
            held.wait();
            assert_eq!(re.try_with_scratch(|_| ()), None);
            release.wait();
            // Blocks until the other thread returns the only scratch.
            re.with_scratch(|_| ());
        });
        assert_eq!(re.scratches.lock().made, 1);
    }
}
