//! Command-line definitions (clap). Parsing only: `app` resolves these plain
//! values into a scan policy once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::{Format, ReportSpec};
use crate::rules::Severity;

/// leakhound: find secrets in files, staged changes and git history.
#[derive(Debug, Parser)]
#[command(name = "leakhound", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and directories (default: the current directory), or `-` for standard input.
    Scan(ScanArgs),
    /// List the loaded rules (id, severity, name, keywords); `rules check` tests them.
    Rules(RulesArgs),
    /// Explain a rule: what it finds, its format, examples and what to do.
    Explain(ExplainArgs),
    /// Create, update or audit a `.secrets.baseline` (detect-secrets format).
    #[command(subcommand)]
    Baseline(BaselineCommand),
    /// Check a project config (`.leakhound.toml`).
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Install or remove leakhound's native git pre-commit hook.
    Hook(HookArgs),
}

/// When to colour the human report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// `leakhound scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan; `-` reads standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Report format.
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    pub format: Format,

    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also write a report in FORMAT to PATH (atomically), e.g. `sarif:leakhound.sarif`.
    /// Repeatable: one scan, several outputs.
    #[arg(long = "report", value_name = "FORMAT:PATH")]
    pub reports: Vec<ReportSpec>,

    /// Fail only for findings of this severity or above (critical, high, medium, low, info);
    /// findings below it are still reported. Default: low (`info` findings,
    /// which are not secrets, never fail unless `--fail-on info`).
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,

    /// Report only findings of this severity or above. Default: low, so
    /// `info` findings (known public example keys such as AWS's
    /// `...EXAMPLE`, keys that are public by design) are left out; `info`
    /// shows them, with the reason. `--fail-on info` implies it.
    #[arg(long, value_name = "SEVERITY", default_value = "low")]
    pub min_severity: Severity,

    /// Exit code when a finding fails the scan (see --fail-on): 1 (default)
    /// or 3-125, so that it never reads as success (0), an error (2), or a
    /// command that could not run or was killed by a signal (126-255, such as
    /// 130 and 143 for an interrupted scan).
    #[arg(long, value_name = "N", default_value_t = crate::app::EXIT_FINDINGS, value_parser = parse_exit_code)]
    pub exit_code: u8,

    /// Show secrets in full in reports (they are redacted by default).
    #[arg(long)]
    pub no_redact: bool,

    /// Exit 2 when any path or blob could not be read (after writing the
    /// report). Default: unreadable paths are warnings, and only a scan that
    /// could read nothing fails.
    #[arg(long)]
    pub strict: bool,

    #[command(flatten)]
    pub walk: WalkArgs,

    /// Colour the human report.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,

    /// Scan the staged changes (the git index) of the repository at PATH or
    /// here: only lines the commit adds. For pre-commit hooks.
    #[arg(long, conflicts_with = "git", help_heading = "Git")]
    pub staged: bool,

    /// With --staged: report secrets on every line of the staged files.
    #[arg(long, requires = "staged", help_heading = "Git")]
    pub all_lines: bool,

    /// Scan the git history of the repository at PATH or here: every unique
    /// blob of every commit reachable from any ref, once.
    #[arg(long, help_heading = "Git")]
    pub git: bool,

    /// With --git: only the history of this branch (or any revision).
    #[arg(
        long,
        value_name = "NAME",
        requires = "git",
        conflicts_with = "range",
        help_heading = "Git"
    )]
    pub branch: Option<String>,

    /// With --git: only commits in B and not in A, and only secrets not already in A.
    #[arg(long, value_name = "A..B", requires = "git", help_heading = "Git")]
    pub range: Option<String>,

    /// With --range: take `.leakhound.toml` and `.secrets.baseline` from B's
    /// tree. By default they come from A, so a change cannot suppress its own secrets.
    #[arg(long, requires = "range", help_heading = "Git")]
    pub trust_range_config: bool,

    /// With --range: honour inline allow comments (`leakhound:allow`, ...) on
    /// lines the range adds. By default such findings are still reported.
    #[arg(long, requires = "range", help_heading = "Git")]
    pub trust_range_allow_comments: bool,

    /// With --git: only commits made on or after DATE (YYYY-MM-DD, UTC, or RFC 3339).
    #[arg(long, value_name = "DATE", requires = "git", value_parser = parse_date, help_heading = "Git")]
    pub since: Option<i64>,

    #[command(flatten)]
    pub suppress: SuppressArgs,
}

/// Baseline, config and unused-suppression flags of `scan`.
#[derive(Debug, Clone, Default, Args)]
pub struct SuppressArgs {
    /// Baseline file (default: `.secrets.baseline` at the repository root, if present).
    #[arg(long, value_name = "FILE", conflicts_with = "no_baseline")]
    pub baseline: Option<PathBuf>,

    /// Ignore any baseline.
    #[arg(long)]
    pub no_baseline: bool,

    /// Config file (default: `.leakhound.toml` at the repository root, if present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// List suppressions that suppressed nothing (baseline entries, allow comments, config allowlists).
    #[arg(long)]
    pub report_unused: bool,

    /// Like --report-unused, and exit 1 when there are any.
    #[arg(long)]
    pub fail_on_unused: bool,
}

/// `leakhound baseline ...`.
#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Scan and write a new baseline of every finding.
    Create(BaselineCreateArgs),
    /// Add new findings to the baseline and drop entries whose secret is gone.
    Update(BaselineUpdateArgs),
    /// Mark baseline entries as real secrets or false positives.
    Audit(BaselineAuditArgs),
}

/// What a working-tree walk reads (shared by `scan` and `baseline`).
#[derive(Debug, Clone, Args)]
pub struct WalkArgs {
    /// Scan files that .gitignore and .ignore exclude too.
    #[arg(long)]
    pub no_ignore: bool,

    /// Skip files larger than this (bytes, or with K/KiB/M/MiB/G/GiB).
    #[arg(long, value_name = "SIZE", default_value = "25MiB", value_parser = parse_size)]
    pub max_file_size: u64,

    /// Worker threads (default: one per core; at most 4 per core).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
}

impl WalkArgs {
    /// The walk options these flags ask for.
    pub fn options(&self) -> crate::source::fs::WalkOptions {
        crate::source::fs::WalkOptions {
            respect_ignore: !self.no_ignore,
            max_file_size: self.max_file_size,
            threads: effective_threads(self.threads),
        }
    }
}

/// What a baseline scan reads.
#[derive(Debug, Clone, Args)]
pub struct BaselineScanArgs {
    /// Directory to scan; its repository root holds the baseline and config.
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: PathBuf,

    /// Config file (default: `.leakhound.toml` at the repository root, if present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(flatten)]
    pub walk: WalkArgs,
}

/// `leakhound baseline create`.
#[derive(Debug, Args)]
pub struct BaselineCreateArgs {
    #[command(flatten)]
    pub scan: BaselineScanArgs,

    /// Where to write it (default: `.secrets.baseline` at the repository root).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `leakhound baseline update`.
#[derive(Debug, Args)]
pub struct BaselineUpdateArgs {
    #[command(flatten)]
    pub scan: BaselineScanArgs,

    /// Baseline file (default: `.secrets.baseline` at the repository root).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Rewrite line numbers of entries that moved, even if no entry was added or dropped.
    #[arg(long)]
    pub refresh_lines: bool,
}

/// `leakhound baseline audit`.
#[derive(Debug, Args)]
pub struct BaselineAuditArgs {
    /// Baseline file (default: `.secrets.baseline` at the repository root).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Print a summary instead of asking.
    #[arg(long)]
    pub report: bool,
}

/// `leakhound config ...`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Validate a config and print the effective rules.
    Check(ConfigCheckArgs),
}

/// `leakhound config check`.
#[derive(Debug, Args)]
pub struct ConfigCheckArgs {
    /// Config file (default: `.leakhound.toml` at the repository root).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// `leakhound explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule id (see `leakhound rules`).
    #[arg(value_name = "RULE_ID")]
    pub rule: String,
}

/// `leakhound hook`.
#[derive(Debug, Args)]
pub struct HookArgs {
    #[command(subcommand)]
    pub action: HookAction,
}

/// What to do with the hook.
#[derive(Debug, Subcommand)]
pub enum HookAction {
    /// Write a pre-commit hook that runs `leakhound scan --staged` (honours core.hooksPath).
    Install {
        /// Replace a pre-commit hook that leakhound did not write.
        #[arg(long)]
        force: bool,
    },
    /// Remove the pre-commit hook if leakhound wrote it.
    Uninstall,
}

/// Parses `2024-01-31` (midnight UTC) or an RFC 3339 time into Unix seconds.
pub fn parse_date(s: &str) -> Result<i64, String> {
    let s = s.trim();
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d
            .and_hms_opt(0, 0, 0)
            .map_or(0, |t| t.and_utc().timestamp()));
    }
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|d| d.timestamp())
        .map_err(|_| format!("not a date: {s:?} (expected YYYY-MM-DD or RFC 3339)"))
}

/// `leakhound rules`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: Option<RulesCommand>,

    /// Output format (human table or JSON).
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    pub format: Format,
}

/// `leakhound rules ...`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Run every rule's examples and negative examples and check its keywords
    /// and shape: the built-in rules, the config's, and those of FILEs.
    Check(RulesCheckArgs),
}

/// `leakhound rules check`.
#[derive(Debug, Args)]
pub struct RulesCheckArgs {
    /// Rule files to check too (the format of rules/*.toml: `[[rule]]` tables).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Config file (default: `.leakhound.toml` at the repository root, if present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    pub format: CheckFormat,
}

/// Output formats of `rules check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
}

/// Parses `--exit-code N`: 1 or 3-125. 0 is "no findings", 2 "could not
/// run"; 126 and above mean, to a shell, a command that could not be run
/// (126, 127) or was killed by a signal (128 + N: 130 and 143 are
/// leakhound's own interrupted exits, 137 an out-of-memory kill).
pub fn parse_exit_code(s: &str) -> Result<u8, String> {
    let n: u8 = s
        .trim()
        .parse()
        .map_err(|_| format!("not an exit code: {s:?} (expected 1 or 3-125)"))?;
    match n {
        1 | 3..=125 => Ok(n),
        0 => Err("0 means no findings: use 1 or 3-125".into()),
        2 => Err("2 means leakhound could not run: use 1 or 3-125".into()),
        _ => Err(format!(
            "{n} reads as a command that could not run or was killed by a signal \
             (130 and 143: interrupted): use 1 or 3-125"
        )),
    }
}

/// Reports a command-line parse failure: `--help` and `--version` print as
/// usual (exit 0); anything else is one line on stderr, `leakhound: error:
/// MESSAGE (see leakhound SUBCOMMAND --help)`, exit 2.
pub fn usage_error(e: &clap::Error) -> std::process::ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return std::process::ExitCode::SUCCESS;
    }
    let rendered = e.render().to_string();
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    crate::report::escape::stderr_line(&one_line_usage(
        &rendered,
        e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand,
        &command_path(&args),
    ));
    std::process::ExitCode::from(2)
}

/// The subcommands `args` name, as `leakhound baseline create`: each
/// argument that names a subcommand of the one before, up to the first that
/// does not.
fn command_path(args: &[String]) -> String {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    let mut path = vec!["leakhound".to_string()];
    for a in args {
        if a.starts_with('-') {
            continue;
        }
        match cmd.find_subcommand(a) {
            Some(sub) => {
                path.push(sub.get_name().to_string());
                let sub = sub.clone();
                cmd = sub;
            }
            None => break,
        }
    }
    path.join(" ")
}

/// The one-line form of clap's rendered error `rendered`: its message lines
/// joined, without tips and usage, and a pointer to the help of `command`.
/// `missing_command`: the rendering is a help text shown for a missing
/// subcommand.
fn one_line_usage(rendered: &str, missing_command: bool, command: &str) -> String {
    let message = if missing_command {
        "a subcommand is required".to_string()
    } else {
        rendered
            .lines()
            .map(str::trim)
            .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
            .filter(|l| !l.is_empty() && !l.starts_with("tip:"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let message = message.strip_prefix("error:").unwrap_or(&message).trim();
    let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("error: {message} (see {command} --help)")
}

/// Parses `25MiB`, `10M`, `4096`, `1.5G`: K/M/G are powers of 1000, KiB/MiB/GiB of 1024.
/// Whole numbers are exact up to `u64::MAX` bytes (no limit, in effect); a
/// size past that is an error, never a wrapped value.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        other => return Err(format!("unknown size unit {other:?} in {s:?}")),
    };
    let too_large = || format!("size too large: {s:?} (at most {} bytes)", u64::MAX);
    if let Ok(whole) = num.parse::<u64>() {
        return whole.checked_mul(mult).ok_or_else(too_large);
    }
    let num: f64 = num.parse().map_err(|_| format!("not a size: {s:?}"))?;
    let bytes = num * mult as f64;
    if !bytes.is_finite() || bytes >= u64::MAX as f64 {
        return Err(too_large());
    }
    Ok(bytes as u64)
}

/// Worker threads for `-j N`: 0 (one per core) stays 0; more than
/// [`MAX_THREADS_PER_CORE`] per core are capped there, since more threads
/// than that only cost memory and start-up time.
pub fn effective_threads(requested: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    requested.min(cores.saturating_mul(MAX_THREADS_PER_CORE))
}

/// The most worker threads per core that `-j` gives.
pub const MAX_THREADS_PER_CORE: usize = 4;

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("25MiB"), Ok(25 << 20));
        assert_eq!(parse_size("10k"), Ok(10_000));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("3 parsecs").is_err());
        assert_eq!(parse_size("1.5K"), Ok(1500));
        assert_eq!(parse_size("18446744073709551615"), Ok(u64::MAX));
        assert!(parse_size("18446744073709551616").is_err());
        assert!(parse_size("18446744073709551615G").is_err());
        assert!(parse_size("1e30").is_err());
    }

    #[test]
    fn exit_codes() {
        use super::parse_exit_code;
        assert_eq!(parse_exit_code("1"), Ok(1));
        assert_eq!(parse_exit_code("3"), Ok(3));
        assert_eq!(parse_exit_code("125"), Ok(125));
        for bad in ["0", "2", "126", "130", "143", "255", "256", "-1", "x"] {
            assert!(parse_exit_code(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn usage_errors_are_one_line() {
        let args = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert_eq!(
            super::command_path(&args("baseline --x create -o f")),
            "leakhound baseline create"
        );
        assert_eq!(super::command_path(&args("scan src")), "leakhound scan");
        assert_eq!(super::command_path(&args("nosuch")), "leakhound");
        let rendered = "error: unexpected argument '--foo' found\n\n  tip: to pass '--foo' as a \
                        value, use '-- --foo'\n\nUsage: leakhound scan [OPTIONS] [PATH]...\n\nFor \
                        more information, try '--help'.\n";
        assert_eq!(
            super::one_line_usage(rendered, false, "leakhound scan"),
            "error: unexpected argument '--foo' found (see leakhound scan --help)"
        );
        let rendered = "error: invalid value 'xml' for '--format <FORMAT>'\n  [possible values: \
                        human, json]\n\nFor more information, try '--help'.\n";
        assert_eq!(
            super::one_line_usage(rendered, false, "leakhound scan"),
            "error: invalid value 'xml' for '--format <FORMAT>' [possible values: human, json] \
             (see leakhound scan --help)"
        );
        let help = "Create ...\n\nUsage: leakhound baseline <COMMAND>\n\nCommands:\n  create\n";
        assert_eq!(
            super::one_line_usage(help, true, "leakhound baseline"),
            "error: a subcommand is required (see leakhound baseline --help)"
        );
    }

    #[test]
    fn dates() {
        use super::parse_date;
        assert_eq!(parse_date("1970-01-02"), Ok(86_400));
        assert_eq!(parse_date("1970-01-01T01:00:00+01:00"), Ok(0));
        assert!(parse_date("yesterday").is_err());
    }
}
