//! The scanning engine: a pure, `Sync` function of (rules, bytes) to matches.
//!
//! Two stages. A keyword prefilter over every rule's keywords (ASCII
//! case-insensitive; see [`prefilter`]) runs over the whole buffer; each hit activates the rules
//! that own the keyword and opens a *window* for them: the line around the hit
//! (capped on very long lines), extended for multi-line rules. Windows of one
//! rule are merged, so no byte is regex-scanned twice by the same rule, and the
//! work stays linear in the input whatever its shape. Only then does a rule's
//! regex run, on its windows; candidates go through placeholder filtering,
//! `allow` regexes, entropy and structural validators.
//!
//! The engine knows nothing of files, git or reports. Line and column are
//! computed only for findings, by [`Locator`].

pub mod decode;
pub mod entropy;
pub mod placeholder;
pub mod prefilter;

use std::borrow::Cow;

use crate::rules::compiled::{Branch, Scratch};
use crate::rules::{PathMatcher, Rule, RuleSet};
use prefilter::Prefilter;
use regex_automata::util::captures::Captures;

/// How far a window reaches either side of a keyword hit on a long line.
pub const MAX_LINE_SIDE: usize = 2048;
/// Upper bound on a multi-line rule's extension past its line.
pub const MAX_MULTILINE: usize = 64 * 1024;

/// Windows collected (all rules together) before the rules run on them:
/// bounds the engine's memory on a buffer with millions of keyword hits.
pub const WINDOW_BATCH: usize = 64 * 1024;

/// Most matches one buffer yields: memory stays bounded whatever the input
/// (a 24 MiB file of one `password=...` line repeated holds a million).
pub const MAX_MATCHES: usize = 10_000;
/// Matches a buffer yields before repeats are dropped: past this many, a
/// match whose (rule, secret) is already among them is counted, not kept.
/// Below it every occurrence is kept, so a few repeats are each reported.
pub const REPEATS_KEPT: usize = 1_000;

/// One candidate that passed every check of its rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Index of the rule in [`Engine::rules`].
    pub rule: usize,
    /// Byte span of the secret in the scanned buffer.
    pub start: usize,
    pub end: usize,
    /// Byte span of the whole regex match (holds the secret).
    pub match_start: usize,
    pub match_end: usize,
    /// For a secret found inside an encoded value (base64), the decoded
    /// secret; the spans then cover the encoded value.
    pub decoded: Option<Vec<u8>>,
}

impl Match {
    /// The secret's bytes: decoded, or in `buf` (the buffer that was scanned).
    pub fn secret<'a>(&'a self, buf: &'a [u8]) -> &'a [u8] {
        match &self.decoded {
            Some(d) => d,
            None => &buf[self.start..self.end],
        }
    }
}

/// What one buffer's scan yields: its matches and what the caps dropped.
#[derive(Debug, Default)]
pub struct Scanned {
    /// The matches, ordered by position.
    pub matches: Vec<Match>,
    /// Occurrences dropped past [`REPEATS_KEPT`] whose (rule, secret) is
    /// among `matches`: nothing is lost but the extra places.
    pub repeats_dropped: usize,
    /// Occurrences dropped past [`MAX_MATCHES`] whose (rule, secret) is not
    /// among `matches`: secrets the scan found but does not report.
    pub dropped: usize,
}

/// Collects one buffer's candidate matches under the caps
/// ([`MAX_MATCHES`], [`REPEATS_KEPT`]); repeats are recognized by a hash of
/// (rule, secret). Shared by the nested scans of decoded values.
#[derive(Default)]
struct Kept {
    matches: Vec<Match>,
    /// Hashes of the kept (rule, secret) pairs.
    seen: std::collections::HashSet<u64>,
    repeats_dropped: usize,
    dropped: usize,
}

impl Kept {
    /// Keeps `m` (whose secret is `secret`) unless a cap says otherwise.
    fn push(&mut self, m: Match, secret: &[u8]) {
        let key = keyed(m.rule, secret);
        self.push_keyed(m, key);
    }

    /// [`Kept::push`] with the (rule, secret) hash computed.
    fn push_keyed(&mut self, m: Match, key: u64) {
        if self.matches.len() < REPEATS_KEPT {
            self.seen.insert(key);
            self.matches.push(m);
        } else if self.seen.contains(&key) {
            self.repeats_dropped += 1;
        } else if self.matches.len() >= MAX_MATCHES {
            self.dropped += 1;
        } else {
            self.seen.insert(key);
            self.matches.push(m);
        }
    }
}

/// A 64-bit hash of (rule, secret), to recognize repeats.
fn keyed(rule: usize, secret: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    rule.hash(&mut h);
    secret.hash(&mut h);
    h.finish()
}

/// The compiled rule set and keyword automaton. Immutable and `Sync`: build it
/// once and share it across threads.
#[derive(Debug)]
pub struct Engine {
    rules: RuleSet,
    prefilter: Prefilter,
    /// For each prefilter keyword, the rules that own that keyword.
    keyword_rules: Vec<Vec<usize>>,
    /// For each prefilter keyword, whether it is one of the engine's own
    /// [`decode::TRIGGERS`] (the start of an encoded value worth decoding).
    trigger: Vec<bool>,
    /// Whether each rule yields to specific rules (tag `generic`).
    generic: Vec<bool>,
    /// Per rule, the rules it supersedes (`supersedes`), as indices; only
    /// rules with a non-empty list, in rule order.
    supersedes: Vec<(usize, Vec<usize>)>,
    /// Per rule, the index in `literal_sets` of its `multiline_if` literals.
    multiline_if: Vec<Option<usize>>,
    /// The distinct `multiline_if` lists, lowercased.
    literal_sets: Vec<Vec<Vec<u8>>>,
    /// The globs of the path rules.
    paths: PathMatcher,
    /// Whether candidates that are known public examples (documentation
    /// keys, see [`crate::rules::public`]) are kept; by default they are
    /// dropped like placeholders.
    keep_public: bool,
}

impl Engine {
    /// Builds the keyword automaton for `rules`. Regexes compile lazily, the
    /// first time one of a rule's keywords hits.
    pub fn new(rules: RuleSet) -> Engine {
        let mut keywords: Vec<Vec<u8>> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        for (i, rule) in rules.rules().iter().enumerate() {
            // Path rules run on the files their globs name, not on keywords.
            if rule.spec.is_path_rule() {
                continue;
            }
            for kw in &rule.spec.keywords {
                let kw = kw.as_bytes().to_ascii_lowercase();
                match keywords.iter().position(|k| *k == kw) {
                    Some(p) if !keyword_rules[p].contains(&i) => keyword_rules[p].push(i),
                    Some(_) => {}
                    None => {
                        keywords.push(kw);
                        keyword_rules.push(vec![i]);
                    }
                }
            }
        }
        // The engine's own keywords: where they hit, an encoded value starts.
        let mut trigger = vec![false; keywords.len()];
        for t in decode::TRIGGERS {
            let t = t.to_ascii_lowercase();
            match keywords.iter().position(|k| *k == t) {
                Some(p) => trigger[p] = true,
                None => {
                    keywords.push(t);
                    keyword_rules.push(Vec::new());
                    trigger.push(true);
                }
            }
        }
        let prefilter = Prefilter::new(&keywords);
        let generic = rules
            .rules()
            .iter()
            .map(|r| r.spec.tags.iter().any(|t| t == "generic"))
            .collect();
        let supersedes = rules
            .rules()
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.spec.supersedes.is_empty())
            .map(|(i, r)| {
                let over = r
                    .spec
                    .supersedes
                    .iter()
                    .filter_map(|id| rules.rules().iter().position(|o| o.id() == id))
                    .filter(|&o| o != i)
                    .collect::<Vec<usize>>();
                (i, over)
            })
            .filter(|(_, over)| !over.is_empty())
            .collect();
        let mut literal_sets: Vec<Vec<Vec<u8>>> = Vec::new();
        let multiline_if = rules
            .rules()
            .iter()
            .map(|r| {
                let set: Vec<Vec<u8>> = r
                    .spec
                    .multiline_if
                    .iter()
                    .map(|l| l.as_bytes().to_ascii_lowercase())
                    .collect();
                if set.is_empty() {
                    return None;
                }
                Some(
                    literal_sets
                        .iter()
                        .position(|s| *s == set)
                        .unwrap_or_else(|| {
                            literal_sets.push(set);
                            literal_sets.len() - 1
                        }),
                )
            })
            .collect();
        let paths = PathMatcher::new(
            rules
                .rules()
                .iter()
                .enumerate()
                .filter(|(_, r)| r.spec.is_path_rule())
                .map(|(i, r)| (i, &r.spec)),
        )
        // Each rule's globs were checked by `Rule::new`.
        .unwrap_or_default();
        Engine {
            rules,
            prefilter,
            keyword_rules,
            trigger,
            generic,
            supersedes,
            multiline_if,
            literal_sets,
            paths,
            keep_public: false,
        }
    }

    /// Keeps (`true`) or drops (the default) candidates that are known
    /// public example values, such as AWS's `...EXAMPLE` keys: kept, they
    /// are reported at `info` (`--min-severity info`).
    pub fn keep_public_examples(mut self, keep: bool) -> Engine {
        self.keep_public = keep;
        self
    }

    /// The path rules whose globs name `path` (cheap: two glob-set lookups).
    pub fn path_rules_for(&self, path: &str) -> Vec<usize> {
        self.paths.rules_for(path)
    }

    /// Runs the path rules on one file: `path` as the source reports it,
    /// `raw` its bytes (binary files too), `text` the bytes to search (`raw`,
    /// or UTF-16 decoded to UTF-8). Returns at most one match per file: of
    /// the path rules that match, the most severe (then the first loaded)
    /// whose condition holds.
    ///
    /// A path rule without a regex matches on the path alone (unless the
    /// file is empty); its match has
    /// an empty span at the file's start and, as its secret, the SHA-1 hex of
    /// `raw` (the identity of the file's content). A path rule with a regex
    /// matches when the regex finds a candidate in `text` that passes the
    /// rule's filters; the first such candidate is the match.
    pub fn scan_path(&self, path: &str, raw: &[u8], text: &[u8]) -> Option<Match> {
        let mut candidates = self.paths.rules_for(path);
        if candidates.is_empty() {
            return None;
        }
        let rules = self.rules.rules();
        candidates.sort_by_key(|&i| (std::cmp::Reverse(rules[i].spec.severity), i));
        for i in candidates {
            let rule = &rules[i];
            if rule.spec.regex.is_empty() {
                // An empty file holds nothing to leak.
                if raw.is_empty() {
                    continue;
                }
                return Some(Match {
                    rule: i,
                    start: 0,
                    end: 0,
                    match_start: 0,
                    match_end: 0,
                    decoded: Some(crate::finding::sha1_hex(raw).into_bytes()),
                });
            }
            let mut out = Kept::default();
            let whole = [(0, text.len())];
            let wins = self
                .prechecked(rule, text, &whole, true)
                .unwrap_or(Cow::Borrowed(&whole));
            if !wins.is_empty() {
                self.run_rule(i, rule, text, &wins, &mut out, true);
            }
            if let Some(m) = out.matches.into_iter().next() {
                return Some(m);
            }
        }
        None
    }

    /// The rules, indexed as [`Match::rule`].
    pub fn rules(&self) -> &[Rule] {
        self.rules.rules()
    }

    /// The rule set.
    pub fn rule_set(&self) -> &RuleSet {
        &self.rules
    }

    /// Scans one buffer and returns its matches, ordered by position.
    /// Base64 values in Kubernetes Secrets and under secret-looking names are
    /// decoded and scanned too (see [`decode`]).
    pub fn scan(&self, buf: &[u8]) -> Vec<Match> {
        self.scan_counted(buf).matches
    }

    /// [`Engine::scan`], also saying what the per-buffer caps dropped
    /// ([`MAX_MATCHES`], [`REPEATS_KEPT`]).
    pub fn scan_counted(&self, buf: &[u8]) -> Scanned {
        let mut budget = decode::MAX_DECODED_TOTAL;
        let mut kept = self.scan_at_depth(buf, 0, &mut budget);
        self.resolve_overlaps(&mut kept.matches);
        kept.matches.sort_by_key(|m| (m.start, m.rule));
        Scanned {
            matches: kept.matches,
            repeats_dropped: kept.repeats_dropped,
            dropped: kept.dropped,
        }
    }

    /// The candidate matches of `buf` (a decoded value at `depth` > 0),
    /// under the caps, before overlaps are resolved.
    fn scan_at_depth(&self, buf: &[u8], depth: usize, budget: &mut usize) -> Kept {
        let mut out = Kept::default();
        // Base64 values worth decoding: those of a Kubernetes Secret, and
        // those assigned to names on the generic rules' windows.
        let mut candidates = Vec::new();
        let mut k8s: Option<bool> = None;
        let mut triggers = Vec::new();
        self.windows_batched(buf, WINDOW_BATCH, &mut triggers, |windows| {
            // Rules whose regex caches are all in use by other threads come
            // last, by when a cache is likely free again.
            // (Likewise a rule whose check is busy: its windows come back
            // unchecked.)
            let mut deferred = Vec::new();
            for (rule_index, wins) in windows.iter().enumerate() {
                if wins.is_empty() {
                    continue;
                }
                let rule = &self.rules.rules()[rule_index];
                let Some(checked) = self.prechecked(rule, buf, wins, false) else {
                    deferred.push((rule_index, Cow::Borrowed(&wins[..]), false));
                    continue;
                };
                if !checked.is_empty()
                    && !self.run_rule(rule_index, rule, buf, &checked, &mut out, false)
                {
                    deferred.push((rule_index, checked, true));
                }
            }
            for (rule_index, wins, checked) in deferred {
                let rule = &self.rules.rules()[rule_index];
                let wins = match rule.check() {
                    Some(check) if !checked => Cow::Owned(check.windows_matching(buf, &wins)),
                    _ => wins,
                };
                if !wins.is_empty() {
                    self.run_rule(rule_index, rule, buf, &wins, &mut out, true);
                }
            }
            if depth >= decode::MAX_DEPTH {
                return;
            }
            let mut named: Vec<(usize, usize)> = windows
                .iter()
                .enumerate()
                .filter(|(r, _)| self.generic[*r])
                .flat_map(|(_, w)| w.iter().copied())
                .collect();
            if named.is_empty() {
                return;
            }
            named.sort_unstable();
            // In a Kubernetes Secret the key names what the value is
            // (`fernet_key: <base64>`): rules that need that context see it.
            // (`kind: Secret` holds a generic keyword: no window, no Secret.)
            if k8s.is_none() {
                let is = depth == 0 && decode::is_k8s_secret(buf);
                k8s = Some(is);
                if is {
                    candidates.extend(decode::candidates(buf, true, &[]));
                }
            }
            candidates.extend(decode::candidates(buf, false, &named));
        });
        if depth < decode::MAX_DEPTH {
            let k8s = k8s.unwrap_or(false);
            // Encoded values whose start a trigger keyword marked (a base64
            // PEM block, `LS0tLS1CRUdJTi...`), wherever they stand.
            candidates.extend(
                triggers
                    .iter()
                    .filter_map(|&p| decode::triggered_value(buf, p)),
            );
            candidates.sort_unstable();
            candidates.dedup();
            // A decoded value that is itself one base64 value (double encoding).
            // (After the `key: ` a Kubernetes value was given, if any.)
            if depth > 0 {
                let after_key = memchr::memmem::find(buf, b": ").map_or(0, |i| i + 2);
                let whole = decode::whole_value(buf).or_else(|| {
                    decode::whole_value(&buf[after_key..])
                        .map(|(a, b)| (after_key + a, after_key + b))
                });
                candidates.extend(whole);
            }
            for (s, e) in candidates {
                if *budget < e - s {
                    break;
                }
                let Some(decoded) = decode::decode_text(&buf[s..e]) else {
                    continue;
                };
                let text = if k8s {
                    let mut t = key_of_value(buf, s).to_vec();
                    t.push(b' ');
                    t.extend_from_slice(&decoded);
                    t
                } else {
                    decoded
                };
                *budget -= text.len();
                let nested = self.scan_at_depth(&text, depth + 1, budget);
                out.repeats_dropped += nested.repeats_dropped;
                out.dropped += nested.dropped;
                for m in nested.matches {
                    let secret = m.secret(&text).to_vec();
                    let at = Match {
                        rule: m.rule,
                        start: s,
                        end: e,
                        match_start: s,
                        match_end: e,
                        decoded: None,
                    };
                    out.push(at, &secret);
                    if let Some(last) = out.matches.last_mut()
                        && (last.rule, last.start, last.end) == (m.rule, s, e)
                        && last.decoded.is_none()
                    {
                        last.decoded = Some(secret);
                    }
                }
            }
        }
        out
    }

    /// Per rule, the merged windows its keywords opened, all at once.
    #[cfg(test)]
    fn windows(&self, buf: &[u8]) -> Vec<Vec<(usize, usize)>> {
        let mut all: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.rules.len()];
        self.windows_batched(buf, usize::MAX, &mut Vec::new(), |batch| {
            for (a, b) in all.iter_mut().zip(batch) {
                a.extend_from_slice(b);
            }
        });
        all
    }

    /// Per rule, the merged windows its keywords opened, handed to `flush`
    /// in batches of about `batch` windows (each rule's windows in order,
    /// each window in exactly one batch), so that memory stays bounded on a
    /// buffer with millions of hits. A rule's last window stays behind until
    /// the next batch, as the next hit may still extend it.
    ///
    /// Hits of the engine's own [`decode::TRIGGERS`] are pushed to
    /// `triggers` (their starts, at most [`decode::MAX_TRIGGERS`]).
    fn windows_batched(
        &self,
        buf: &[u8],
        batch: usize,
        triggers: &mut Vec<usize>,
        mut flush: impl FnMut(&[Vec<(usize, usize)>]),
    ) {
        let mut windows: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.rules.len()];
        let mut newlines = NewlineCursor::default();
        let mut count = 0usize;
        self.prefilter.for_each_hit(buf, |hit| {
            let (hs, he) = (hit.start, hit.end);
            if self.trigger[hit.keyword] && triggers.len() < decode::MAX_TRIGGERS {
                triggers.push(hs);
            }
            // The hit's line: computed once per hit, when a rule first needs it.
            let mut line: Option<(usize, usize)> = None;
            // Which `multiline_if` sets hold before the hit (set i is known
            // when bit i of `known` is set, held when bit i of `held` is):
            // the rules of one keyword often share a set.
            let (mut known, mut held) = (0u64, 0u64);
            for &r in &self.keyword_rules[hit.keyword] {
                let wins = &mut windows[r];
                let mut multiline = self.rules.rules()[r].spec.multiline.min(MAX_MULTILINE);
                if multiline > 0
                    && let Some(set) = self.multiline_if[r]
                {
                    let (ls, le) = *line
                        .get_or_insert_with(|| (line_start(buf, hs), newlines.line_end(buf, he)));
                    // The literal comes before the keyword on its line, and
                    // not far: the work per hit stays bounded on long lines.
                    // A line that does not end within MAX_LINE_SIDE of the
                    // hit starts no multi-line form (they end their first
                    // line right after the name).
                    let ends = le == buf.len() || buf[le] == b'\n';
                    let span = (ls.max(hs.saturating_sub(MULTILINE_IF_REACH)), he);
                    let bit = 1u64 << (set % 64);
                    let holds = if set < 64 && known & bit != 0 {
                        held & bit != 0
                    } else {
                        let h = ends
                            && (holds_any(&buf[span.0..span.1], &self.literal_sets[set])
                                || opens_block_scalar(&buf[he..le]));
                        if set < 64 {
                            known |= bit;
                            held |= if h { bit } else { 0 };
                        }
                        h
                    };
                    if !holds {
                        multiline = 0;
                    }
                }
                // A hit inside the rule's current window needs no new window;
                // a multi-line rule still gets its reach past this hit. The
                // extension runs to a line end at most MAX_LINE_SIDE further,
                // so dense hits on one long line cost O(1) each, amortized.
                if let Some(last) = wins.last_mut()
                    && hs >= last.0
                    && he <= last.1
                {
                    if multiline > 0 {
                        let le = line.map_or_else(|| newlines.line_end(buf, he), |l| l.1);
                        let reach = (le + multiline).min(buf.len());
                        if reach > last.1 {
                            last.1 = line_end(buf, reach);
                        }
                    }
                    continue;
                }
                let (ws, le) =
                    *line.get_or_insert_with(|| (line_start(buf, hs), newlines.line_end(buf, he)));
                let we = if multiline > 0 && le < buf.len() {
                    line_end(buf, (le + multiline).min(buf.len()))
                } else {
                    le
                };
                match wins.last_mut() {
                    Some(last) if ws <= last.1 => {
                        last.0 = last.0.min(ws);
                        last.1 = last.1.max(we);
                    }
                    _ => {
                        wins.push((ws, we));
                        count += 1;
                    }
                }
            }
            if count >= batch {
                let done: Vec<Vec<(usize, usize)>> = windows
                    .iter_mut()
                    .map(|w| {
                        let last = w.pop();
                        let done = std::mem::take(w);
                        w.extend(last);
                        done
                    })
                    .collect();
                flush(&done);
                count = windows.iter().map(Vec::len).sum();
            }
        });
        flush(&windows);
    }

    /// The windows of `wins` where the rule's check matches (all of them
    /// when the rule has none). With `wait` false, `None` when every cache
    /// of the check is in use by other threads.
    fn prechecked<'w>(
        &self,
        rule: &Rule,
        buf: &[u8],
        wins: &'w [(usize, usize)],
        wait: bool,
    ) -> Option<Cow<'w, [(usize, usize)]>> {
        match rule.check() {
            Some(check) if wait => Some(Cow::Owned(check.windows_matching(buf, wins))),
            Some(check) => check.try_windows_matching(buf, wins).map(Cow::Owned),
            None => Some(Cow::Borrowed(wins)),
        }
    }

    /// Runs one rule's regex on its windows `wins` of `buf` (already
    /// prechecked), pushing what passes its filters to `out`. With `wait`
    /// false, gives way (returns false, having done nothing) when every
    /// search cache of the regex is in use by other threads; see
    /// [`crate::rules::compiled`].
    fn run_rule(
        &self,
        rule_index: usize,
        rule: &Rule,
        buf: &[u8],
        wins: &[(usize, usize)],
        out: &mut Kept,
        wait: bool,
    ) -> bool {
        let re = rule.regex();
        let search = |scratch: &mut Scratch| {
            for &(ws, we) in wins {
                let hay = &buf[..we];
                // From the newline before the window: a pattern may take it
                // as the character before a name instead of anchoring at a
                // line start.
                let from = crate::rules::compiled::search_start(buf, ws);
                re.each_match(scratch, hay, from, |branch, caps| {
                    let m = caps.get_match()?;
                    let named = self.candidate(rule_index, rule, branch, buf, caps, out);
                    // Past an empty match, the next search starts one byte
                    // on; past one whose name the rule does not take, one
                    // byte after its start (the exact name pattern would not
                    // have matched there, and may match inside it).
                    Some(if !named {
                        m.start() + 1
                    } else if m.is_empty() {
                        m.end() + 1
                    } else {
                        m.end()
                    })
                });
            }
        };
        if wait {
            re.with_scratch(search);
            true
        } else {
            re.try_with_scratch(search).is_some()
        }
    }

    /// Checks one regex match of `rule` (its groups in `caps`) and pushes it
    /// to `out` if it passes the rule's filters. Returns false when a `name`
    /// group fails the rule's `require_name` (the match does not count).
    fn candidate(
        &self,
        rule_index: usize,
        rule: &Rule,
        re: &Branch,
        buf: &[u8],
        caps: &Captures,
        out: &mut Kept,
    ) -> bool {
        let Some(m) = caps.get_match() else {
            return true;
        };
        let required = rule.require_name_regexes();
        if !required.is_empty()
            && re
                .name_groups
                .iter()
                .filter_map(|&g| caps.get_group(g))
                .any(|span| !required.iter().any(|r| r.is_match(&buf[span.range()])))
        {
            return false;
        }
        let (s, e) = match re.secret_group.map(|g| caps.get_group(g)) {
            Some(Some(span)) => (span.start, span.end),
            Some(None) => return true,
            None => (m.start(), m.end()),
        };
        if e <= s {
            return true;
        }
        // A URL's password may be percent-encoded: filters see (and the
        // finding reports) the decoded value, at the encoded span.
        let decoded = if rule.spec.url_decode {
            decode::percent_decode(&buf[s..e])
        } else {
            None
        };
        let allowed_name = re
            .name_groups
            .iter()
            .filter_map(|&g| caps.get_group(g))
            .any(|span| {
                rule.allow_name_regexes()
                    .iter()
                    .any(|a| a.is_match(&buf[span.range()]))
            });
        if allowed_name {
            return true;
        }
        let secret = decoded.as_deref().unwrap_or(&buf[s..e]);
        if self.accept(rule, secret, &buf[m.range()]) {
            let key = keyed(rule_index, secret);
            out.push_keyed(
                Match {
                    rule: rule_index,
                    start: s,
                    end: e,
                    match_start: m.start(),
                    match_end: m.end(),
                    decoded,
                },
                key,
            );
        }
        true
    }

    /// The filters a candidate secret must pass.
    fn accept(&self, rule: &Rule, secret: &[u8], whole: &[u8]) -> bool {
        // A documentation key's suffix (`...EXAMPLE`) is not a placeholder
        // mark: what comes before it still must not be one.
        let public = self.rules.public_examples();
        let suffixed = public.by_suffix(secret);
        let judged = suffixed.map_or(secret, |(_, rest)| rest);
        if rule.spec.placeholder_filter && placeholder::is_placeholder(judged) {
            return false;
        }
        if rule.allow_regexes().iter().any(|a| a.is_match(secret)) {
            return false;
        }
        if let Some(min) = rule.spec.min_entropy
            && !entropy::passes(min, secret)
        {
            return false;
        }
        if !rule.validator().is_none_or(|v| v.check(secret, whole)) {
            return false;
        }
        // Checked last: only candidates that pass every other filter pay
        // for the digest.
        self.keep_public || (suffixed.is_none() && !public.contains(secret))
    }

    /// A generic rule's match yields to a specific rule's match on an
    /// overlapping secret, and to an earlier generic rule's; equal spans of
    /// one rule are kept once. Before that, a match of a rule that another
    /// rule `supersedes` is dropped where a match of that other rule
    /// overlaps it (judged on the matches as found, so chains do not cascade).
    fn resolve_overlaps(&self, out: &mut Vec<Match>) {
        if out.len() < 2 {
            return;
        }
        self.drop_superseded(out);
        // One match per rule and span; a decoded secret wins over the encoded
        // value it was found in.
        out.sort_by_key(|m| {
            let encoded = m.decoded.is_none();
            (self.generic[m.rule], m.rule, m.start, m.end, encoded)
        });
        out.dedup_by_key(|m| (m.rule, m.start, m.end));
        let first_generic = out.partition_point(|m| !self.generic[m.rule]);
        let mut taken = Spans::default();
        taken.extend(out[..first_generic].iter().map(|m| (m.start, m.end)));
        let mut kept: Vec<Match> = out.drain(..first_generic).collect();
        // Generic rules in order: each sees the specific matches and the
        // generic matches of the rules before it.
        let generic: Vec<Match> = std::mem::take(out);
        for group in generic.chunk_by(|a, b| a.rule == b.rule) {
            let added: Vec<Match> = group
                .iter()
                .filter(|m| !taken.overlaps(m.start, m.end))
                .cloned()
                .collect();
            taken.extend(added.iter().map(|m| (m.start, m.end)));
            kept.extend(added);
        }
        *out = kept;
    }
}

impl Engine {
    /// Drops the matches that a superseding rule's overlapping match
    /// replaces. Costs nothing when no rule supersedes another, and one pass
    /// per superseding rule that matched otherwise.
    fn drop_superseded(&self, out: &mut Vec<Match>) {
        if self.supersedes.is_empty() {
            return;
        }
        let mut drop = vec![false; out.len()];
        for (a, over) in &self.supersedes {
            let mut spans = Spans::default();
            spans.extend(
                out.iter()
                    .filter(|m| m.rule == *a)
                    .map(|m| (m.start, m.end)),
            );
            if spans.0.is_empty() {
                continue;
            }
            for (m, d) in out.iter().zip(drop.iter_mut()) {
                if over.contains(&m.rule) && spans.overlaps(m.start, m.end) {
                    *d = true;
                }
            }
        }
        if drop.iter().any(|&d| d) {
            let mut flags = drop.into_iter();
            out.retain(|_| !flags.next().unwrap_or(false));
        }
    }
}

/// A union of byte spans, for overlap tests in O(log n).
#[derive(Default)]
struct Spans(Vec<(usize, usize)>);

impl Spans {
    fn extend(&mut self, spans: impl Iterator<Item = (usize, usize)>) {
        self.0.extend(spans);
        self.0.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(self.0.len());
        for &(s, e) in &self.0 {
            match merged.last_mut() {
                Some(last) if s < last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        self.0 = merged;
    }

    fn overlaps(&self, start: usize, end: usize) -> bool {
        // The last span starting before `end` is the only candidate.
        let i = self.0.partition_point(|&(s, _)| s < end);
        i > 0 && self.0[i - 1].1 > start
    }
}

/// The start of the line holding `hs` (at most [`MAX_LINE_SIDE`] before it).
fn line_start(buf: &[u8], hs: usize) -> usize {
    let floor = hs.saturating_sub(MAX_LINE_SIDE);
    memchr::memrchr(b'\n', &buf[floor..hs]).map_or(floor, |i| floor + i + 1)
}

/// How far before a keyword hit a `multiline_if` literal is looked for.
pub const MULTILINE_IF_REACH: usize = 256;

/// Whether `line` holds one of `literals` (lowercase), ASCII
/// case-insensitively. Each literal is looked for by its rarest byte (both
/// cases) with `memchr`, then compared in place.
fn holds_any(line: &[u8], literals: &[Vec<u8>]) -> bool {
    literals.iter().any(|lit| {
        let Some(k) = (0..lit.len()).min_by_key(|&i| prefilter::commonness(lit[i])) else {
            return true;
        };
        let b = lit[k];
        memchr::memchr2_iter(b, b.to_ascii_uppercase(), line).any(|i| {
            i >= k
                && i - k + lit.len() <= line.len()
                && line[i - k..i - k + lit.len()].eq_ignore_ascii_case(lit)
        })
    })
}

/// Whether a line's rest (after a keyword hit) ends with a YAML block scalar
/// header, `: |`, `: >-`, `: |+2`: the value is on the next line, so a
/// `multiline_if` rule's window takes it whatever literals the line holds.
fn opens_block_scalar(rest: &[u8]) -> bool {
    let mut t = rest.trim_ascii_end();
    while let [head @ .., b'-' | b'+' | b'0'..=b'9'] = t {
        t = head;
    }
    let [head @ .., b'|' | b'>'] = t else {
        return false;
    };
    head.trim_ascii_end().ends_with(b":")
}

/// The text before a value on its line, trimmed: `  "tls.key": "` gives
/// `"tls.key":`.
fn key_of_value(buf: &[u8], value_start: usize) -> &[u8] {
    let (line_start, _) = line_span(buf, value_start);
    let prefix = &buf[line_start..value_start];
    let start = prefix
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(prefix.len());
    let mut end = prefix.len();
    while end > start && matches!(prefix[end - 1], b' ' | b'\t' | b'"' | b'\'') {
        end -= 1;
    }
    &prefix[start..end]
}

/// Answers [`line_end`] for increasing offsets in amortized O(1): remembers
/// the stretch known to hold no newline, so dense keyword hits on one long
/// line do not search the same bytes again.
#[derive(Default)]
struct NewlineCursor {
    /// No newline in `clear_from..clear_to`; `newline_at` is the first one
    /// at or after `clear_to`, when found.
    clear_from: usize,
    clear_to: usize,
    newline_at: Option<usize>,
}

impl NewlineCursor {
    fn line_end(&mut self, buf: &[u8], from: usize) -> usize {
        let cap = (from + MAX_LINE_SIDE).min(buf.len());
        if from >= self.clear_from && from <= self.clear_to {
            if let Some(nl) = self.newline_at {
                return nl.min(cap);
            }
            if cap <= self.clear_to {
                return cap;
            }
            // Search only the bytes past the known newline-free stretch.
            let found = memchr::memchr(b'\n', &buf[self.clear_to..cap]).map(|i| self.clear_to + i);
            self.clear_to = found.unwrap_or(cap);
            self.newline_at = found;
            return found.unwrap_or(cap);
        }
        let found = memchr::memchr(b'\n', &buf[from..cap]).map(|i| from + i);
        self.clear_from = from;
        self.clear_to = found.unwrap_or(cap);
        self.newline_at = found;
        found.unwrap_or(cap)
    }
}

/// The end of the line holding `from` (its newline), at most
/// [`MAX_LINE_SIDE`] bytes further.
fn line_end(buf: &[u8], from: usize) -> usize {
    let cap = (from + MAX_LINE_SIDE).min(buf.len());
    memchr::memchr(b'\n', &buf[from..cap]).map_or(cap, |i| from + i)
}

/// Computes 1-based line and column numbers for offsets in one buffer,
/// walking forward so that many findings in one file cost one pass, also
/// on one long line (columns are counted on from the last offset there).
pub struct Locator<'a> {
    buf: &'a [u8],
    pos: usize,
    line: usize,
    line_start: usize,
    /// Characters from `line_start` to `pos`.
    chars: usize,
}

impl<'a> Locator<'a> {
    /// A locator at the start of `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Locator {
            buf,
            pos: 0,
            line: 1,
            line_start: 0,
            chars: 0,
        }
    }

    /// Line and column (in characters) of `offset`. Offsets are best given in
    /// increasing order; an earlier one restarts from the top.
    pub fn locate(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.buf.len());
        if offset < self.pos {
            *self = Locator::new(self.buf);
        }
        let from = self.pos;
        for i in memchr::memchr_iter(b'\n', &self.buf[from..offset]) {
            self.line += 1;
            self.line_start = from + i + 1;
        }
        let counted = if self.line_start > from {
            self.line_start
        } else {
            from
        };
        if self.line_start > from {
            self.chars = 0;
        }
        self.chars += chars(&self.buf[counted..offset]);
        self.pos = offset;
        (self.line, self.chars + 1)
    }

    /// Line and column of `end`, given those of `start` (at or before it):
    /// costs the bytes between them, and leaves the locator where it was.
    pub fn locate_from(&self, start: usize, at: (usize, usize), end: usize) -> (usize, usize) {
        let end = end.min(self.buf.len());
        let start = start.min(end);
        let span = &self.buf[start..end];
        match memchr::memrchr(b'\n', span) {
            None => (at.0, at.1 + chars(span)),
            Some(last) => (
                at.0 + memchr::memchr_iter(b'\n', span).count(),
                chars(&span[last + 1..]) + 1,
            ),
        }
    }

    /// The byte span of the line holding `offset` (without its newline).
    pub fn line_span(&self, offset: usize) -> (usize, usize) {
        line_span(self.buf, offset)
    }
}

/// The byte span of the line of `buf` that holds `offset`, without the newline.
pub fn line_span(buf: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(buf.len());
    let start = memchr::memrchr(b'\n', &buf[..offset]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &buf[offset..]).map_or(buf.len(), |i| offset + i);
    let end = if end > start && buf[end - 1] == b'\r' {
        end - 1
    } else {
        end
    };
    (start, end.max(start))
}

/// Characters in `bytes`: UTF-8 lead bytes, or bytes where the text is not
/// UTF-8.
fn chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// 1-based line and column of `offset` in `buf`.
pub fn line_col(buf: &[u8], offset: usize) -> (usize, usize) {
    Locator::new(buf).locate(offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Rule, parse_rule_file};

    fn engine(toml: &str) -> Engine {
        let mut set = RuleSet::default();
        for spec in parse_rule_file("t.toml", toml).unwrap() {
            set.add(Rule::new(spec, "t.toml").unwrap()).unwrap();
        }
        Engine::new(set)
    }

    const TOKEN_RULE: &str = r#"
[[rule]]
id = "tok"
name = "Token"
severity = "high"
keywords = ["tok_"]
regex = '\b(?P<secret>tok_[a-zA-Z0-9]{12,})\b'
"#;

    #[test]
    fn finds_only_where_keywords_hit_and_case_insensitively() {
        let e = engine(TOKEN_RULE);
        let buf = b"nothing here\nx = TOK_aZ3kQ9mW2pL7\ny = tok_b8Xq2Lm4Nz7Kw1\n";
        let found = e.scan(buf);
        // The regex is case-sensitive, the keyword is not: only the second.
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].secret(buf), b"tok_b8Xq2Lm4Nz7Kw1");
        assert_eq!(line_col(buf, found[0].start), (3, 5));
    }

    #[test]
    fn word_boundary_sees_the_byte_before_the_window() {
        let e = engine(TOKEN_RULE);
        let mut buf = vec![b'a'; MAX_LINE_SIDE + 100];
        buf.extend_from_slice(b"tok_b8Xq2Lm4Nz7Kw1");
        assert!(e.scan(&buf).is_empty(), "inside a longer word");
    }

    #[test]
    fn many_hits_on_one_line_are_one_window() {
        let e = engine(TOKEN_RULE);
        let line = b"tok_b8Xq2Lm4Nz7Kw1 ".repeat(10_000);
        let w = e.windows(&line);
        assert_eq!(w[0].len(), 1);
        // One secret 10,000 times: the first REPEATS_KEPT places are kept.
        let scanned = e.scan_counted(&line);
        assert_eq!(scanned.matches.len(), REPEATS_KEPT);
        assert_eq!(scanned.repeats_dropped, 10_000 - REPEATS_KEPT);
        assert_eq!(scanned.dropped, 0);
    }

    #[test]
    fn matches_are_capped_per_buffer_repeats_first() {
        let e = engine(TOKEN_RULE);
        // Distinct secrets, each twice: below REPEATS_KEPT both places are
        // kept, past it only new secrets, up to MAX_MATCHES.
        let mut buf = String::new();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..MAX_MATCHES {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let tok = format!("tok_{seed:016x}Zq");
            buf.push_str(&format!("{tok} {tok}\n"));
        }
        let scanned = e.scan_counted(buf.as_bytes());
        assert_eq!(scanned.matches.len(), MAX_MATCHES);
        // Lines past REPEATS_KEPT / 2 keep their first place until the cap
        // (MAX_MATCHES - REPEATS_KEPT of them); the lines after lose both.
        let lines_kept = REPEATS_KEPT / 2 + (MAX_MATCHES - REPEATS_KEPT);
        assert_eq!(scanned.repeats_dropped, MAX_MATCHES - REPEATS_KEPT);
        assert_eq!(scanned.dropped, 2 * (MAX_MATCHES - lines_kept));
        assert!(scanned.matches.windows(2).all(|w| w[0].start < w[1].start));
    }

    #[test]
    fn multiline_windows_reach_past_the_line() {
        let e = engine(
            r#"
[[rule]]
id = "block"
name = "Block"
severity = "high"
keywords = ["BEGIN"]
multiline = 200
regex = '(?s)BEGIN\n(?P<secret>[a-z0-9\n]+)\nEND'
"#,
        );
        let buf = b"x\nBEGIN\nq8z1m2\nk9w3p4\nEND\n";
        let found = e.scan(buf);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].secret(buf), b"q8z1m2\nk9w3p4");
    }

    #[test]
    fn every_hit_of_a_multiline_rule_reaches_past_its_line() {
        let e = engine(
            r#"
[[rule]]
id = "tf"
name = "Terraform default"
severity = "high"
keywords = ["variable"]
multiline = 20
regex = '(?s)variable "[a-z_]+" \{[^}]*?default = "(?P<secret>[A-Za-z0-9]{16})"'
"#,
        );
        // The second `variable` hit lies inside the first one's window; its
        // own default, two lines further, must still be in reach.
        let buf = b"variable \"a\" {}\nvariable \"b\" {\n  type = string\n  default = \"Q8z1m2k9W3p4Lx7T\"\n}\n";
        let found = e.scan(buf);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].secret(buf), b"Q8z1m2k9W3p4Lx7T");
    }

    #[test]
    fn a_loose_name_with_require_name_finds_what_the_exact_name_finds() {
        let rule = |regex: &str, require: &str| {
            engine(&format!(
                "[[rule]]\nid = \"kv\"\nname = \"KV\"\nseverity = \"high\"\n\
                 keywords = [\"key\"]\nplaceholder_filter = false\n\
                 regex = '{regex}'\nrequire_name = [{require}]\n"
            ))
        };
        let exact = rule(r"(?P<name>[a-z_]*key)=(?P<secret>[a-z_=]{8,})", "");
        let loose = rule(
            r"(?P<name>[a-z_]+)=(?P<secret>[a-z_=]{8,})",
            r"'^[a-z_]*key$'",
        );
        for text in [
            "foo=api_key=abcdefgh",
            "api_key=abcdefgh",
            "x=y, monkey=qwertyui",
            "mon=keyxx=abcdefgh=zzz key=abcdefghij",
            "foo=barbazqux",
        ] {
            let spans = |e: &Engine| -> Vec<(usize, usize)> {
                e.scan(text.as_bytes())
                    .iter()
                    .map(|m| (m.start, m.end))
                    .collect()
            };
            assert_eq!(spans(&loose), spans(&exact), "{text}");
        }
        assert_eq!(loose.scan(b"foo=api_key=abcdefgh").len(), 1);
    }

    #[test]
    fn line_literals_are_found_case_insensitively_and_whole() {
        let lits = [b"name:".to_vec(), b"variable".to_vec()];
        assert!(holds_any(b"  - NAME: SECRET_KEY", &lits));
        assert!(holds_any(b"Variable \"token\" {", &lits));
        assert!(holds_any(b"name:", &lits));
        assert!(!holds_any(b"ame: x", &lits));
        assert!(!holds_any(b"name = x; variabl", &lits));
        assert!(!holds_any(b"", &lits));
    }

    #[test]
    fn yaml_block_scalar_headers_open_a_multi_line_window() {
        for rest in [&b": >-"[..], b": |", b":   |+2 \r", b"\": >"] {
            assert!(
                opens_block_scalar(rest),
                "{}",
                String::from_utf8_lossy(rest)
            );
        }
        for rest in [&b": value"[..], b" | grep x", b"=> >", b": a->"] {
            assert!(
                !opens_block_scalar(rest),
                "{}",
                String::from_utf8_lossy(rest)
            );
        }
    }

    #[test]
    fn multiline_if_extends_only_from_lines_holding_a_literal() {
        let e = engine(
            r#"
[[rule]]
id = "env"
name = "Env value"
severity = "high"
keywords = ["secret"]
multiline = 40
multiline_if = ["name:"]
regex = '(?:(?i:name):[ \t]*SECRET\n[ \t]*value:|SECRET[ \t]*=)[ \t]*(?P<secret>[A-Za-z0-9]{16})'
"#,
        );
        let buf: &[u8] = b"- Name: SECRET\n  value: Q8z1m2k9W3p4Lx7T\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\nSECRET\n  value: Z8z1m2k9W3p4Lx7T\nSECRET = A8z1m2k9W3p4Lx7T\n";
        let found = e.scan(buf);
        let secrets: Vec<&[u8]> = found.iter().map(|m| m.secret(buf)).collect();
        assert_eq!(secrets, [&b"Q8z1m2k9W3p4Lx7T"[..], b"A8z1m2k9W3p4Lx7T"]);
        // The `name:` line's window takes the next lines; the others are
        // their own line.
        let w = e.windows(buf);
        let second = buf.windows(7).position(|x| x == b"\nSECRET").unwrap() + 1;
        assert_eq!(w[0].len(), 3, "{w:?}");
        assert!(w[0][0].1 >= 40, "{w:?}");
        assert_eq!(w[0][1], (second, second + 6), "{w:?}");
    }

    /// The token rule and a generic rule `gen` (keyword `secret`) with `regex`.
    fn with_generic_rule(regex: &str) -> String {
        format!(
            "{TOKEN_RULE}\n[[rule]]\nid = \"gen\"\nname = \"Generic\"\nseverity = \"medium\"\n\
             keywords = [\"secret\"]\ntags = [\"generic\"]\nregex = '{regex}'\n"
        )
    }

    #[test]
    fn generic_rules_yield_to_specific_ones() {
        let toml = with_generic_rule(r"secret\s*=\s*(?P<secret>\S+)");
        let e = engine(&toml);
        let buf = b"secret = tok_b8Xq2Lm4Nz7Kw1\nsecret = q8Zr2LxT9vKk\n";
        let ids: Vec<_> = e.scan(buf).iter().map(|m| e.rules()[m.rule].id()).collect();
        assert_eq!(ids, ["tok", "gen"]);
    }

    /// `supersedes`: where the specific rule's secret overlaps the broad
    /// rule's, only the specific finding is kept; elsewhere the broad rule
    /// still reports, and without `supersedes` both do.
    #[test]
    fn a_superseding_rule_replaces_the_overlapping_match_of_the_rule_it_names() {
        let hex = "\n[[rule]]\nid = \"tok-hex\"\nname = \"Hex token\"\nseverity = \"high\"\n\
                   keywords = [\"tok_\"]\nregex = '\\b(?P<secret>tok_[0-9a-f]{16})\\b'\n";
        let buf = b"a = tok_b8Xq2Lm4Nz7Kw1\nb = tok_3f9a0c7e5b2d8a41\n";
        let ids = |e: &Engine| -> Vec<(String, usize)> {
            e.scan(buf)
                .iter()
                .map(|m| (e.rules()[m.rule].id().to_string(), m.start))
                .collect()
        };
        let both = engine(&format!("{TOKEN_RULE}{hex}"));
        assert_eq!(
            ids(&both),
            [
                ("tok".into(), 4),
                ("tok".into(), 27),
                ("tok-hex".into(), 27)
            ]
        );
        let superseding = engine(&format!("{TOKEN_RULE}{hex}supersedes = [\"tok\"]\n"));
        assert_eq!(
            ids(&superseding),
            [("tok".into(), 4), ("tok-hex".into(), 27)]
        );
        // An id that is not loaded (a disabled rule) is ignored.
        let unknown = engine(&format!("{TOKEN_RULE}{hex}supersedes = [\"gone\"]\n"));
        assert_eq!(ids(&unknown), ids(&both));
    }

    #[test]
    fn placeholders_and_allow_and_entropy_filter() {
        let e = engine(
            r#"
[[rule]]
id = "tok"
name = "Token"
severity = "high"
keywords = ["tok_"]
regex = '\b(?P<secret>tok_[a-zA-Z0-9.]{12,})'
allow = ['^tok_allowed']
min_entropy = 3.0
"#,
        );
        for s in ["tok_...........", "tok_allowedQ8z1m2k9", "tok_abababababab"] {
            assert!(e.scan(s.as_bytes()).is_empty(), "{s}");
        }
        assert_eq!(e.scan(b"tok_Q8z1m2k9W3p4").len(), 1);
    }

    #[test]
    fn secrets_one_or_two_base64_encodings_away_are_found_at_the_encoded_value() {
        use base64::Engine as _;
        use base64::engine::general_purpose::STANDARD;
        let toml = with_generic_rule(r"secret\s*=\s*(?P<secret>\S{40,})");
        let e = engine(&toml);
        let token = format!("tok_{}", "b8Xq2Lm4Nz7Kw1");
        let once = STANDARD.encode(format!("user=app token={token}\n"));
        let twice = STANDARD.encode(&once);
        let thrice = STANDARD.encode(&twice);
        for (value, found) in [(&once, true), (&twice, true), (&thrice, false)] {
            let manifest = format!("kind: Secret\ndata:\n  creds: {value}\n");
            let buf = manifest.as_bytes();
            let m = e.scan(buf);
            assert_eq!(m.len(), usize::from(found), "{value} {m:?}");
            if found {
                assert_eq!(e.rules()[m[0].rule].id(), "tok");
                assert_eq!(m[0].secret(buf), token.as_bytes());
                assert_eq!(&buf[m[0].start..m[0].end], value.as_bytes());
            }
        }
        // A named base64 value: the specific decoded finding, not the generic one.
        let line = format!("MY_SECRET = {once}\n");
        let m = e.scan(line.as_bytes());
        let ids: Vec<_> = m.iter().map(|m| e.rules()[m.rule].id()).collect();
        assert_eq!(ids, ["tok"]);
        // Without a Secret manifest or a secret-looking name, nothing is decoded.
        assert!(e.scan(format!("image: {once}\n").as_bytes()).is_empty());
    }

    proptest::proptest! {
        /// Per rule, windows are ordered, disjoint and inside the buffer
        /// (so no byte is regex-scanned twice by one rule), and every keyword
        /// hit of the rule lies in one of them.
        #[test]
        fn windows_are_disjoint_and_cover_every_hit(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "tok_", "BEGIN", "secret", "\n", " ", "=", "q8z1m2k9W3p4Lx7T", "Name:",
                    "a", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                ]),
                0..400,
            ),
            long in 0usize..3,
        ) {
            let e = engine(&format!(
                "{TOKEN_RULE}\n{}",
                r#"
[[rule]]
id = "block"
name = "Block"
severity = "high"
keywords = ["BEGIN", "tok_"]
multiline = 100
regex = '(?s)BEGIN\n(?P<secret>[a-z0-9\n]+)\nEND'

[[rule]]
id = "gen"
name = "Generic"
severity = "medium"
keywords = ["secret"]
tags = ["generic"]
regex = 'secret\s*=\s*(?P<secret>\S+)'

[[rule]]
id = "cond"
name = "Conditional"
severity = "medium"
keywords = ["secret", "tok_"]
multiline = 50
multiline_if = ["name:"]
regex = 'secret\s*=\s*(?P<secret>\S+)'
"#
            ));
            let filler = "x".repeat(long * MAX_LINE_SIDE);
            let buf: Vec<u8> = parts
                .iter()
                .flat_map(|p| if *p == "a" { filler.as_bytes() } else { p.as_bytes() })
                .copied()
                .collect();
            let windows = e.windows(&buf);
            for wins in &windows {
                for w in wins {
                    proptest::prop_assert!(w.0 < w.1 && w.1 <= buf.len(), "{:?}", w);
                }
                for pair in wins.windows(2) {
                    proptest::prop_assert!(pair[0].1 < pair[1].0, "{:?}", pair);
                }
            }
            // In batches, the same windows, each once.
            let mut batched: Vec<Vec<(usize, usize)>> = vec![Vec::new(); windows.len()];
            e.windows_batched(&buf, 3, &mut Vec::new(), |b| {
                for (all, part) in batched.iter_mut().zip(b) {
                    all.extend_from_slice(part);
                }
            });
            proptest::prop_assert_eq!(&batched, &windows);
            let mut hits = Vec::new();
            e.prefilter.for_each_hit(&buf, |h| hits.push(h));
            for h in hits {
                for &r in &e.keyword_rules[h.keyword] {
                    proptest::prop_assert!(
                        windows[r].iter().any(|&(s, t)| s <= h.start && h.end <= t),
                        "hit {:?} of rule {} outside {:?}", h, r, windows[r]
                    );
                }
            }
        }
    }

    #[test]
    fn threads_sharing_the_regex_caches_find_what_one_thread_finds() {
        // Many threads at once on the same rules: rules put off while
        // another thread holds their cache, and waits for a cache, must
        // neither lose nor repeat a match (nor hang).
        let e = Engine::new(RuleSet::builtin().unwrap());
        let key = |i: usize| {
            (0..24)
                .map(|j| {
                    b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
                        [(i * 7 + j * 13) % 57] as char
                })
                .collect::<String>()
        };
        let bufs: Vec<Vec<u8>> = (0..64)
            .map(|i| {
                let mut text = String::new();
                for j in 0..20 {
                    let k = key(i * 20 + j);
                    text.push_str(&format!("let token = lookup(\"t{j}\");\n"));
                    text.push_str(&format!("API_TOKEN={k}\n"));
                    text.push_str(&format!("client_secret = \"{k}Q\"\n"));
                    text.push_str(&format!("db_password: \"{}\"\n", &k[..12]));
                }
                text.into_bytes()
            })
            .collect();
        let alone: Vec<Vec<Match>> = bufs.iter().map(|b| e.scan(b)).collect();
        assert!(alone.iter().all(|m| m.len() >= 40), "{:?}", alone[0]);
        for _ in 0..3 {
            std::thread::scope(|scope| {
                let handles: Vec<_> = (0..4)
                    .map(|t| {
                        let (e, bufs) = (&e, &bufs);
                        scope.spawn(move || {
                            // Each thread its own order over all buffers.
                            (0..bufs.len())
                                .map(|i| (i * (t + 1)) % bufs.len())
                                .map(|i| (i, e.scan(&bufs[i])))
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                for h in handles {
                    for (i, found) in h.join().unwrap() {
                        assert_eq!(found, alone[i], "buffer {i}");
                    }
                }
            });
        }
    }

    #[test]
    fn percent_encoded_url_passwords_are_decoded_before_the_filters() {
        let e = Engine::new(RuleSet::builtin().unwrap());
        let encoded = format!("{}%40{}%2F{}", "Xq7", "vL2", "k9Zp");
        let line = format!("DATABASE_URL=postgres://app:{encoded}@db.internal:5432/app\n");
        let buf = line.as_bytes();
        let m = e.scan(buf);
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(e.rules()[m[0].rule].id(), "database-url-password");
        // Found at the encoded text, reported (and hashed) decoded.
        assert_eq!(&buf[m[0].start..m[0].end], encoded.as_bytes());
        assert_eq!(m[0].secret(buf), b"Xq7@vL2/k9Zp");
        // Encoded placeholders stay placeholders.
        for pw in [
            "%3Cpassword%3E",
            "%24%7BDB_PASS%7D",
            "%7B%7Bdb_pass%7D%7D",
            "pass%77ord",
        ] {
            for url in [
                format!("DATABASE_URL=postgres://app:{pw}@db.internal:5432/app\n"),
                format!("proxy = \"http://svc:{pw}@proxy.corp.local:3128\"\n"),
            ] {
                assert!(e.scan(url.as_bytes()).is_empty(), "{url}");
            }
        }
    }

    #[test]
    fn path_rules_report_once_per_file() {
        let e = engine(
            r#"
[[rule]]
id = "env"
name = "env"
severity = "medium"
paths = [".env", ".env.*"]
path_exclude = [".env.example"]
regex = '(?m)^[A-Z_]+=(?P<secret>\S+)'

[[rule]]
id = "store"
name = "store"
severity = "high"
paths = ["*.p12", "*.env.prod"]
"#,
        );
        let text = b"A=q8Zr2LxT9v\nB=k9W3p4Lx7T\n";
        let m = e.scan_path("app/.env", text, text).unwrap();
        assert_eq!(
            (e.rules()[m.rule].id(), m.secret(text)),
            ("env", &b"q8Zr2LxT9v"[..])
        );
        assert!(e.scan_path(".env.example", text, text).is_none());
        assert!(e.scan_path(".env", b"# none\n", b"# none\n").is_none());
        // Path rules are not content rules: a buffer scan never runs them.
        assert!(e.scan(text).is_empty());
        // Without a regex, on the path alone; the secret is the content's
        // SHA-1. Of two rules, the more severe one reports.
        let raw = b"\x00\x01binary";
        let m = e.scan_path("x/.env.prod", raw, raw).unwrap();
        assert_eq!(e.rules()[m.rule].id(), "store");
        assert_eq!(m.secret(raw), crate::finding::sha1_hex(raw).as_bytes());
        assert_eq!((m.start, m.end), (0, 0));
        assert!(e.scan_path("a.p12", b"", b"").is_none());
    }

    #[test]
    fn locator_counts_lines_and_characters() {
        let buf = "a\nbé c\r\nd".as_bytes();
        let mut loc = Locator::new(buf);
        assert_eq!(loc.locate(0), (1, 1));
        assert_eq!(loc.locate(6), (2, 4));
        assert_eq!(loc.locate(9), (3, 1));
        assert_eq!(loc.locate(2), (2, 1));
        assert_eq!(line_span(buf, 4), (2, 7));
    }
}
