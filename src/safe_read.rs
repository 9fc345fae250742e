//! Reading the files leakhound reads for its own purposes (its config and
//! baseline, git's index, pack indexes, alternates, `.git` files) from a
//! repository that may be hostile.
//!
//! Such a file may be a FIFO (opening it blocks until someone writes), a
//! device (`/dev/zero` never ends; opening some devices has effects), a
//! link to either, or a huge sparse file. So: only regular files are
//! opened, never through a symbolic link unless the caller allows it, and
//! never beyond a size limit. The file type is checked before the file is
//! opened (so no device is ever opened) and again on the open descriptor
//! (so a file swapped in between is caught); the open does not block on a
//! FIFO and does not follow a final symbolic link when links are refused.
//! Nothing is read past the limit, whatever the file claims.

use std::fs::{File, FileType, Metadata};
use std::io::{self, Read};
use std::path::Path;

/// Whether a symbolic link at the path itself is followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// Follow it (to a regular file only).
    Follow,
    /// Refuse it: the path itself must be a regular file.
    Refuse,
}

/// What a file that is not a regular file is, for messages: "a FIFO", "a
/// symbolic link", "a directory", ...
pub fn kind(t: &FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_symlink() {
        "a symbolic link"
    } else if t.is_dir() {
        "a directory"
    } else if t.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

/// The error for a path that is not a regular file: "not a regular file (a
/// FIFO)", or "a symbolic link (not followed)" for a refused link. Its kind
/// is [`io::ErrorKind::InvalidInput`].
fn not_regular(t: &FileType) -> io::Error {
    if t.is_symlink() {
        return link_refused();
    }
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("not a regular file ({})", kind(t)),
    )
}

fn link_refused() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        "a symbolic link (not followed)",
    )
}

/// The metadata of `path` if it is a regular file (through a link with
/// [`Links::Follow`]); `Ok(None)` if nothing is there; an error of kind
/// [`io::ErrorKind::InvalidInput`] if it is anything else. Opens nothing.
pub fn check_regular(path: &Path, links: Links) -> io::Result<Option<Metadata>> {
    let meta = match links {
        Links::Follow => std::fs::metadata(path),
        Links::Refuse => std::fs::symlink_metadata(path),
    };
    match meta {
        Ok(m) if m.is_file() => Ok(Some(m)),
        Ok(m) => Err(not_regular(&m.file_type())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // A dangling link is there, just not readable.
            match std::fs::symlink_metadata(path) {
                Ok(m) if links == Links::Refuse || !m.file_type().is_symlink() => {
                    Err(not_regular(&m.file_type()))
                }
                _ => Ok(None),
            }
        }
        Err(e) => Err(e),
    }
}

/// Opens `path` for reading if it is a regular file (see the module
/// documentation); the error for anything else is of kind
/// [`io::ErrorKind::InvalidInput`], a missing file is
/// [`io::ErrorKind::NotFound`].
pub fn open_regular(path: &Path, links: Links) -> io::Result<(File, Metadata)> {
    if check_regular(path, links)?.is_none() {
        return Err(io::Error::new(io::ErrorKind::NotFound, "no such file"));
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let mut flags = libc::O_NONBLOCK | libc::O_NOCTTY;
        if links == Links::Refuse {
            flags |= libc::O_NOFOLLOW;
        }
        opts.custom_flags(flags);
    }
    let file = opts.open(path).map_err(|e| {
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) && links == Links::Refuse {
            return link_refused();
        }
        e
    })?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta.file_type()));
    }
    Ok((file, meta))
}

/// Reads `path` whole if it is a regular file of at most `max` bytes (see
/// [`open_regular`]); a larger one is an error of kind
/// [`io::ErrorKind::InvalidData`], also if it grows past `max` while read.
pub fn read_regular(path: &Path, max: u64, links: Links) -> io::Result<Vec<u8>> {
    let (file, meta) = open_regular(path, links)?;
    let too_large = || {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than {} (not read)", human_size(max)),
        )
    };
    if meta.len() > max {
        return Err(too_large());
    }
    let mut buf = Vec::with_capacity(meta.len() as usize);
    file.take(max.saturating_add(1)).read_to_end(&mut buf)?;
    if buf.len() as u64 > max {
        return Err(too_large());
    }
    Ok(buf)
}

/// [`read_regular`] as UTF-8 text.
pub fn read_regular_text(path: &Path, max: u64, links: Links) -> io::Result<String> {
    String::from_utf8(read_regular(path, max, links)?)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))
}

fn human_size(n: u64) -> String {
    if n >= 1 << 30 && n % (1 << 30) == 0 {
        format!("{} GiB", n >> 30)
    } else if n >= 1 << 20 && n % (1 << 20) == 0 {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n % (1 << 10) == 0 {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn only_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, "hello").unwrap();
        assert_eq!(read_regular(&file, 5, Links::Refuse).unwrap(), b"hello");
        let err = read_regular(&file, 4, Links::Refuse).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(err.to_string(), "larger than 4 bytes (not read)");

        let link = dir.path().join("link");
        symlink(&file, &link).unwrap();
        assert_eq!(read_regular(&link, 5, Links::Follow).unwrap(), b"hello");
        let err = read_regular(&link, 5, Links::Refuse).unwrap_err();
        assert_eq!(err.to_string(), "a symbolic link (not followed)");

        let fifo = dir.path().join("fifo");
        let ok = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            let err = read_regular(&fifo, 5, Links::Follow).unwrap_err();
            assert_eq!(err.to_string(), "not a regular file (a FIFO)");
        }
        let zero = dir.path().join("zero");
        symlink("/dev/zero", &zero).unwrap();
        let err = read_regular(&zero, 5, Links::Follow).unwrap_err();
        assert_eq!(err.to_string(), "not a regular file (a character device)");
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        let err = read_regular(Path::new("/dev/zero"), 5, Links::Refuse).unwrap_err();
        assert_eq!(err.to_string(), "not a regular file (a character device)");
        let err = read_regular(dir.path(), 5, Links::Follow).unwrap_err();
        assert_eq!(err.to_string(), "not a regular file (a directory)");

        let gone = dir.path().join("gone");
        assert_eq!(
            read_regular(&gone, 5, Links::Follow).unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
        let dangling = dir.path().join("dangling");
        symlink(&gone, &dangling).unwrap();
        assert!(check_regular(&dangling, Links::Follow).unwrap().is_none());
        assert!(check_regular(&dangling, Links::Refuse).is_err());
    }
}
