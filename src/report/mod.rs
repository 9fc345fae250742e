//! Reports: every output format implements [`Report`], a narrow interface
//! over the finished scan. Reports know nothing of scanning.

pub mod csv;
pub mod escape;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod paths;
pub mod sarif;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::finding::Finding;
use crate::rules::{RuleSet, Severity};
use crate::source::Stats;

/// Everything a report may show about one finished scan.
pub struct ScanResult<'a> {
    /// Findings after suppression, sorted by path, line, column.
    pub findings: &'a [Finding],
    pub stats: &'a Stats,
    pub elapsed: Duration,
    /// The rules that were loaded (for names and remediation text).
    pub rules: &'a RuleSet,
    /// Notes for the reader (e.g. a truncated history).
    pub notes: &'a [String],
}

impl ScanResult<'_> {
    /// Number of findings of each severity, most severe first.
    pub fn by_severity(&self) -> Vec<(Severity, usize)> {
        Severity::ALL
            .into_iter()
            .map(|s| (s, self.findings.iter().filter(|f| f.severity == s).count()))
            .collect()
    }

    /// The findings grouped by secret (the same SHA-1, whatever the rule or
    /// path): one item to act on, however many places hold it. Groups come
    /// in the order of their first finding, and list their findings' indexes
    /// in report order.
    pub fn secret_groups(&self) -> Vec<Vec<usize>> {
        let mut index: std::collections::HashMap<&str, usize> = Default::default();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (i, f) in self.findings.iter().enumerate() {
            let g = *index.entry(&f.secret_sha1).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(i);
        }
        groups
    }
}

/// Options that shape every report.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportOptions {
    /// Print raw secrets (`--no-redact`).
    pub reveal: bool,
    /// Use ANSI colours (human report on a terminal).
    pub color: bool,
}

/// One output format.
pub trait Report {
    /// Writes the whole report.
    fn write(
        &self,
        result: &ScanResult,
        opts: &ReportOptions,
        out: &mut dyn Write,
    ) -> io::Result<()>;
}

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Lines for people, with remediation once per rule.
    Human,
    /// leakhound's JSON schema (see README.md).
    Json,
    /// SARIF 2.1.0, as GitHub code scanning accepts it.
    Sarif,
    /// JUnit XML: one failing testcase per finding.
    Junit,
    /// GitHub Actions workflow commands (inline annotations).
    Github,
    /// CSV: a header and one row per finding.
    Csv,
}

impl Format {
    /// The report that writes this format.
    pub fn report(self) -> Box<dyn Report> {
        match self {
            Format::Human => Box::new(human::Human),
            Format::Json => Box::new(json::Json),
            Format::Sarif => Box::new(sarif::Sarif::from_current_dir()),
            Format::Junit => Box::new(junit::Junit),
            Format::Github => Box::new(github::Github::from_current_dir()),
            Format::Csv => Box::new(csv::Csv),
        }
    }
}

/// One `--report FORMAT:PATH`: an extra report written (atomically) to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSpec {
    pub format: Format,
    pub path: PathBuf,
}

impl std::str::FromStr for ReportSpec {
    type Err = String;

    /// Parses `FORMAT:PATH`; only the first `:` separates, so `sarif:C:\x` works.
    fn from_str(s: &str) -> Result<Self, String> {
        use clap::ValueEnum;
        let names = || {
            Format::value_variants()
                .iter()
                .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_string()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (format, path) = s
            .split_once(':')
            .ok_or_else(|| format!("expected FORMAT:PATH, got {s:?} (formats: {})", names()))?;
        let format = Format::from_str(format, true)
            .map_err(|_| format!("unknown report format {format:?} (formats: {})", names()))?;
        if path.is_empty() {
            return Err(format!("no path in {s:?}: expected FORMAT:PATH"));
        }
        Ok(ReportSpec {
            format,
            path: PathBuf::from(path),
        })
    }
}

/// The level CI tools use for a severity: `error` (critical, high),
/// `warning` (medium) or `note` (low, info). SARIF and JUnit use these
/// names; GitHub annotations say `notice` for `note`.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// A rule's remediation text with each line trimmed and blank runs collapsed,
/// so that indentation from a TOML multi-line string does not leak out.
pub fn remediation_text(raw: &str) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in raw.trim().lines().map(str::trim) {
        if line.is_empty() {
            blank = true;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        out.push_str(line);
    }
    out
}

/// Writes a file atomically: into a temporary file in the same directory,
/// then renamed over the target, so that a failed or interrupted write never
/// leaves a partial file (on SIGINT/SIGTERM the temporary file is removed:
/// see [`crate::interrupt`]). A target that exists and is not a regular file
/// (`/dev/null`, a FIFO, `/dev/stdout`) is written in place: renaming over it
/// would replace the device with a file.
///
/// On Unix the file gets the mode a plain write would give it: a replaced
/// file keeps its mode; a new file gets the mode a plain create gets (0666
/// less the umask). While it is being written, the temporary file is
/// readable by its owner only.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        let mut w = io::BufWriter::new(std::fs::OpenOptions::new().write(true).open(path)?);
        write(&mut w)?;
        return w.flush();
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // The temporary file is created with the mode a plain create of the
    // target would get (0666 less the umask, or what a default ACL says: the
    // kernel applies them), which is read back, then narrowed to 0600 before
    // anything is written to it.
    let mut builder = tempfile::Builder::new();
    builder.prefix(".leakhound-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    // Removed by the signal handler if the run is interrupted from here on.
    let registered = crate::interrupt::register(tmp.path());
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        let created = tmp.as_file().metadata()?.permissions().mode() & 0o777;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600 & created))?;
        // A replaced file keeps its mode, as when it is written in place
        // (`>`, or any non-atomic write); a new one gets the created mode.
        std::fs::metadata(path)
            .ok()
            .filter(std::fs::Metadata::is_file)
            .map_or(created, |m| m.permissions().mode() & 0o7777)
    };
    {
        let mut w = io::BufWriter::new(tmp.as_file_mut());
        write(&mut w)?;
        w.flush()?;
    }
    test_delay();
    tmp.as_file().sync_all()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    crate::interrupt::finish(registered, || tmp.persist(path)).map_err(|e| e.error)?;
    Ok(())
}

/// Debug builds only: `LEAKHOUND_TEST_WRITE_DELAY_MS` holds a finished
/// temporary file that long before the rename, so tests can interrupt a
/// write deterministically.
fn test_delay() {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("LEAKHOUND_TEST_WRITE_DELAY_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_specs_parse() {
        let spec: ReportSpec = "sarif:out/leakhound.sarif".parse().unwrap();
        assert_eq!(spec.format, Format::Sarif);
        assert_eq!(spec.path, PathBuf::from("out/leakhound.sarif"));
        let spec: ReportSpec = "JUnit:C:\\ci\\report.xml".parse().unwrap();
        assert_eq!(spec.format, Format::Junit);
        assert_eq!(spec.path, PathBuf::from("C:\\ci\\report.xml"));
        for bad in ["sarif", "xml:out.xml", "json:"] {
            assert!(bad.parse::<ReportSpec>().is_err(), "{bad}");
        }
    }

    #[test]
    fn remediation_is_dedented() {
        let raw = "\n   Roll the key.\n   Then rotate.\n\n\n   Purge history.\n  ";
        assert_eq!(
            remediation_text(raw),
            "Roll the key.\nThen rotate.\n\nPurge history."
        );
    }
}
