//! Reports: every output format implements [`Report`], a narrow interface
//! over the finished scan. Reports know nothing of scanning.

pub mod human;
pub mod json;

use std::io::{self, Write};
use std::path::Path;
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
    Human,
    Json,
}

impl Format {
    /// The report that writes this format.
    pub fn report(self) -> Box<dyn Report> {
        match self {
            Format::Human => Box::new(human::Human),
            Format::Json => Box::new(json::Json),
        }
    }
}

/// Writes a file atomically: into a temporary file in the same directory,
/// then renamed over the target, so that a failed or interrupted write never
/// leaves a partial file. A target that exists and is not a regular file
/// (`/dev/null`, a FIFO, `/dev/stdout`) is written in place: renaming over it
/// would replace the device with a file.
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
    let mut tmp = tempfile::Builder::new()
        .prefix(".leakhound-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    {
        let mut w = io::BufWriter::new(tmp.as_file_mut());
        write(&mut w)?;
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    // Keep the mode of the file being replaced; a new file gets 0644 rather
    // than the temporary file's 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
