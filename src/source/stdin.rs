//! Standard input as one buffer.

use std::io::Read;

/// Reads standard input up to `limit` bytes; the rest is left unread, so an
/// endless stream (`/dev/zero`) costs at most `limit` bytes of memory.
pub fn read_at_most(limit: u64) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::io::stdin().lock().take(limit).read_to_end(&mut buf)?;
    Ok(buf)
}
