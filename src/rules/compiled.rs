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
//! The rule dialect is the one of [`super::build_regex`]: bytes, Unicode off,
//! leftmost-first.

use std::sync::{Condvar, Mutex, OnceLock};

use regex_automata::util::captures::Captures;
use regex_automata::util::syntax;
use regex_automata::{Input, PatternID, meta};

/// Upper bound on a compiled NFA (the same as [`super::build_regex`]).
const NFA_SIZE_LIMIT: usize = 1 << 24;
/// Upper bound on one lazy-DFA cache (the same as [`super::build_regex`]).
const DFA_CACHE_CAPACITY: usize = 1 << 26;

/// A compiled pattern with a pool of search caches shared by all threads.
#[derive(Debug)]
pub struct RuleRegex {
    re: meta::Regex,
    pool: Mutex<Pool>,
    /// Signalled when a scratch goes back to the pool.
    returned: Condvar,
    /// At most this many scratches ([`max_scratches`]).
    max_scratches: usize,
    secret_group: Option<usize>,
    name_groups: Vec<usize>,
    /// A byte every match holds (for prechecks): windows without it are
    /// skipped with one `memchr` each.
    required: Option<u8>,
}

/// What one search needs besides the regex: the lazy-DFA cache and room for
/// the capture groups.
#[derive(Debug)]
pub struct Scratch {
    pub cache: meta::Cache,
    pub caps: Captures,
    /// How many times the scratch was used: the warmest is taken first.
    uses: u64,
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
        Ok(RuleRegex::with(re))
    }

    fn with(re: meta::Regex) -> RuleRegex {
        let names: Vec<Option<&str>> = re.group_info().pattern_names(PatternID::ZERO).collect();
        let secret_group = names.iter().position(|n| *n == Some("secret"));
        // Groups `name`, `name2`, ... hold the variable a value is assigned
        // to (one per alternation branch; group names must be unique).
        let name_groups = names
            .iter()
            .enumerate()
            .filter(|(_, n)| n.is_some_and(|n| n.starts_with("name")))
            .map(|(i, _)| i)
            .collect();
        RuleRegex {
            re,
            pool: Mutex::new(Pool::default()),
            returned: Condvar::new(),
            max_scratches: max_scratches(),
            secret_group,
            name_groups,
            required: None,
        }
    }

    /// Compiles a syntax tree (a derived precheck) in the same dialect;
    /// `None` if it is too large.
    pub fn from_hir(hir: &regex_syntax::hir::Hir) -> Option<RuleRegex> {
        let re = meta::Builder::new()
            .configure(config())
            .build_from_hir(hir)
            .ok()?;
        let mut bytes = Vec::new();
        required_bytes(hir, &mut bytes);
        // Only a rare byte (`@`, not `=` or `:`) skips enough windows to pay
        // for the extra pass over each.
        let rarity = crate::engine::prefilter::commonness;
        let required = bytes
            .into_iter()
            .min_by_key(|&b| rarity(b))
            .filter(|&b| rarity(b) <= rarity(b'#'));
        Some(RuleRegex {
            required,
            ..RuleRegex::with(re)
        })
    }

    /// The index of the `secret` group, if the pattern has one.
    pub fn secret_group(&self) -> Option<usize> {
        self.secret_group
    }

    /// The indices of the `name...` groups.
    pub fn name_groups(&self) -> &[usize] {
        &self.name_groups
    }

    /// Runs `f` with a search scratch from the shared pool: the warmest
    /// free one; a new one when all are in use, up to [`max_scratches`];
    /// beyond that, the first one returned.
    pub fn with_scratch<R>(&self, f: impl FnOnce(&meta::Regex, &mut Scratch) -> R) -> R {
        let mut pool = self.lock();
        let scratch = loop {
            if let Some(s) = pool.take() {
                drop(pool);
                break s;
            }
            if pool.made < self.max_scratches {
                pool.made += 1;
                drop(pool);
                break self.fresh_scratch();
            }
            // As many caches as half the cores: wait for one (it is held
            // for one buffer's windows at most).
            pool.waiters += 1;
            pool = self.returned.wait(pool).unwrap_or_else(|e| e.into_inner());
            pool.waiters -= 1;
        };
        self.run(scratch, f)
    }

    /// Like [`RuleRegex::with_scratch`], but returns `None` without running
    /// `f` when every scratch of the pool is in use (the caller does other
    /// work and comes back).
    pub fn try_with_scratch<R>(
        &self,
        f: impl FnOnce(&meta::Regex, &mut Scratch) -> R,
    ) -> Option<R> {
        let scratch = {
            let mut pool = self.lock();
            match pool.take() {
                Some(s) => s,
                None if pool.made == 0 => {
                    pool.made += 1;
                    drop(pool);
                    self.fresh_scratch()
                }
                None => return None,
            }
        };
        Some(self.run(scratch, f))
    }

    fn run<R>(&self, mut scratch: Scratch, f: impl FnOnce(&meta::Regex, &mut Scratch) -> R) -> R {
        let out = f(&self.re, &mut scratch);
        scratch.uses += 1;
        let mut pool = self.lock();
        pool.free.push(scratch);
        // A notify is a system call even with no one waiting: most returns
        // have none.
        let waiting = pool.waiters > 0;
        drop(pool);
        if waiting {
            self.returned.notify_one();
        }
        out
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pool> {
        self.pool.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn fresh_scratch(&self) -> Scratch {
        Scratch {
            cache: self.re.create_cache(),
            caps: self.re.create_captures(),
            uses: 0,
        }
    }

    /// The windows `(start, end)` of `buf` in which the pattern matches.
    /// Each search sees `buf[..end]` from `start`, so that look-behind
    /// assertions such as `\b` see the byte before the window.
    pub fn windows_matching(&self, buf: &[u8], wins: &[(usize, usize)]) -> Vec<(usize, usize)> {
        self.with_scratch(|re, scratch| {
            wins.iter()
                .copied()
                .filter(|&(start, end)| {
                    self.required
                        .is_none_or(|b| memchr::memchr(b, &buf[start..end]).is_some())
                })
                .filter(|&(start, end)| {
                    let input = Input::new(&buf[..end]).range(start..).earliest(true);
                    // `search` rather than `is_match`: for patterns whose
                    // strategy looks for an inner literal first, `is_match`
                    // can fall back to the slow PikeVM on text with many
                    // candidates (URLs and their `:`).
                    re.search_with(&mut scratch.cache, &input).is_some()
                })
                .collect()
        })
    }

    #[cfg(test)]
    pub(crate) fn is_match_at(&self, hay: &[u8], start: usize) -> bool {
        !self.windows_matching(hay, &[(start, hay.len())]).is_empty()
    }
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
fn required_bytes(hir: &regex_syntax::hir::Hir, out: &mut Vec<u8>) {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Literal(lit) => out.extend_from_slice(&lit.0),
        HirKind::Capture(c) => required_bytes(&c.sub, out),
        HirKind::Repetition(r) if r.min > 0 => required_bytes(&r.sub, out),
        HirKind::Concat(subs) => subs.iter().for_each(|h| required_bytes(h, out)),
        _ => {}
    }
}

/// The scratches of one regex.
#[derive(Debug, Default)]
struct Pool {
    /// The scratches not in use.
    free: Vec<Scratch>,
    /// How many scratches were made (free or in use).
    made: usize,
    /// How many threads wait for a scratch to be returned.
    waiters: usize,
}

impl Pool {
    /// The most used free scratch: its lazy DFA has learnt the most.
    fn take(&mut self) -> Option<Scratch> {
        let i = (0..self.free.len()).max_by_key(|&i| self.free[i].uses)?;
        Some(self.free.swap_remove(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_groups_by_name() {
        let re = RuleRegex::new(r"(?P<name1>\w+)=(?:x|(?P<name2>y))(?P<secret>[0-9]+)").unwrap();
        assert_eq!(re.secret_group(), Some(3));
        assert_eq!(re.name_groups(), &[1, 2]);
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

    #[test]
    fn a_check_from_a_syntax_tree_skips_windows_without_its_rarest_literal() {
        let hir = regex_syntax::ParserBuilder::new()
            .build()
            .parse(r"[a-z]+:(?P<secret>[a-z]{6,})@[a-z]")
            .unwrap();
        let re = RuleRegex::from_hir(&hir).unwrap();
        assert_eq!(re.required, Some(b'@'));
        let buf = b"user:secret1@h user:secretx@h user:secrets h";
        assert_eq!(
            re.windows_matching(buf, &[(0, 14), (15, 29), (30, 44)]),
            [(15, 29)]
        );
        let optional = regex_syntax::ParserBuilder::new()
            .build()
            .parse(r"(?:a@)?b|c")
            .unwrap();
        assert_eq!(RuleRegex::from_hir(&optional).unwrap().required, None);
        let common = regex_syntax::ParserBuilder::new()
            .build()
            .parse(r"k=v")
            .unwrap();
        assert_eq!(RuleRegex::from_hir(&common).unwrap().required, None);
    }

    #[test]
    fn scratches_are_reused() {
        let re = RuleRegex::new("a+").unwrap();
        for _ in 0..3 {
            assert!(re.is_match_at(b"baa", 0));
        }
        assert_eq!(re.lock().made, 1);
    }

    #[test]
    fn try_waits_for_a_busy_scratch_and_the_warmest_is_taken() {
        let re = RuleRegex {
            max_scratches: 2,
            ..RuleRegex::new("a+").unwrap()
        };
        // Nothing made yet: the first try makes one.
        assert_eq!(re.try_with_scratch(|_, _| 1), Some(1));
        re.with_scratch(|_, _| {
            // The only scratch is in use: a try gives way, a plain call
            // makes a second one.
            assert_eq!(re.try_with_scratch(|_, _| 2), None);
            re.with_scratch(|_, s| assert_eq!(s.uses, 0));
        });
        assert_eq!(re.lock().made, 2);
        re.with_scratch(|_, s| assert_eq!(s.uses, 2));
    }

    #[test]
    fn past_the_limit_a_thread_waits_for_a_returned_scratch() {
        let re = RuleRegex {
            max_scratches: 1,
            ..RuleRegex::new("a+").unwrap()
        };
        let (held, release) = (std::sync::Barrier::new(2), std::sync::Barrier::new(2));
        std::thread::scope(|scope| {
            scope.spawn(|| {
                re.with_scratch(|_, _| {
                    held.wait();
                    release.wait();
                })
            });
            held.wait();
            assert_eq!(re.try_with_scratch(|_, _| ()), None);
            release.wait();
            // Blocks until the other thread returns the only scratch.
            re.with_scratch(|_, s| assert_eq!(s.uses, 1));
        });
        assert_eq!(re.lock().made, 1);
    }
}
