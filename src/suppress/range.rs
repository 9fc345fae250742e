//! The range gate: in `scan --git --range A..B`, the change under test must
//! not be able to pass its own secrets. Suppressions (`.leakhound.toml`,
//! `.secrets.baseline`, inline allow comments) therefore come from `A`, the
//! side the change is measured against, read from A's tree (not from the
//! working tree, which is B's checkout in CI). A range that edits those files
//! is called out in the report's notes.
//!
//! Escape hatches, each named on the command line: `--config` and
//! `--baseline` (the user's own files win), `--trust-range-config` (take
//! the config and baseline from B's tree) and `--trust-range-allow-comments`
//! (honour inline allow comments the range adds).

use git2::{ObjectType, Oid, Repository};

use crate::source::git::GitError;

/// The two ends of a range, resolved once, and the repository they live in.
pub struct RangeEnds {
    repo: Repository,
    /// The base: what the change is measured against.
    pub a: Oid,
    /// The tip: the change.
    pub b: Oid,
}

/// A root-level file as one end of a range holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeFile {
    /// No such entry.
    Absent,
    /// A regular file: its blob id and text.
    File { id: Oid, text: String },
    /// A symbolic link, submodule or directory: never followed or read.
    NotAFile { id: Oid },
}

impl TreeFile {
    /// The blob or entry id, if any (to compare the two ends).
    pub fn id(&self) -> Option<Oid> {
        match self {
            TreeFile::Absent => None,
            TreeFile::File { id, .. } | TreeFile::NotAFile { id } => Some(*id),
        }
    }

    /// The text of a regular file.
    pub fn text(&self) -> Option<&str> {
        match self {
            TreeFile::File { text, .. } => Some(text),
            _ => None,
        }
    }
}

impl RangeEnds {
    /// Resolves `range` (`A..B`) in `repo`.
    pub fn resolve(repo: Repository, range: &str) -> Result<RangeEnds, GitError> {
        let (a, b) = crate::source::git::history::parse_range(&repo, range)?;
        Ok(RangeEnds { repo, a, b })
    }

    /// The short form (7 hex digits) of a commit id, for messages.
    pub fn short(id: Oid) -> String {
        id.to_string()[..7].to_string()
    }

    /// The root-level file `name` in commit `at`'s tree. Only regular files
    /// are read; their text must be UTF-8.
    pub fn file(&self, at: Oid, name: &str) -> Result<TreeFile, GitError> {
        let commit = self
            .repo
            .find_commit(at)
            .map_err(|e| GitError::object(at, &e))?;
        let tree = commit.tree().map_err(|e| GitError::object(at, &e))?;
        let Some(entry) = tree.get_name(name) else {
            return Ok(TreeFile::Absent);
        };
        let id = entry.id();
        let regular = entry.kind() == Some(ObjectType::Blob)
            && entry.filemode() & crate::source::git::mode::TYPE_MASK
                == crate::source::git::mode::FILE;
        if !regular {
            return Ok(TreeFile::NotAFile { id });
        }
        let blob = self
            .repo
            .find_blob(id)
            .map_err(|e| GitError::object(id, &e))?;
        let text = String::from_utf8(blob.content().to_vec()).map_err(|_| GitError::Object {
            id: id.to_string(),
            message: format!("{}:{name} is not UTF-8 text", RangeEnds::short(at)),
        })?;
        Ok(TreeFile::File { id, text })
    }
}
