//! Standard input as one buffer.

use std::io::Read;

/// Reads all of standard input.
pub fn read_all() -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::io::stdin().lock().read_to_end(&mut buf)?;
    Ok(buf)
}
