//! What the benchmarks share.

/// The text files under `LEAKHOUND_BENCH_CORPUS=DIR` (binary files skipped),
/// up to about 64 MB, or `None` when the variable is not set.
pub fn corpus_dir() -> Option<Vec<Vec<u8>>> {
    let dir = std::env::var_os("LEAKHOUND_BENCH_CORPUS")?;
    let mut files = Vec::new();
    let mut total = 0;
    for entry in ignore::WalkBuilder::new(dir).build().flatten() {
        if total > 64 << 20 {
            break;
        }
        if entry.file_type().is_some_and(|t| t.is_file())
            && let Ok(bytes) = std::fs::read(entry.path())
            && !leakhound::source::is_binary(&bytes)
        {
            total += bytes.len();
            files.push(bytes);
        }
    }
    Some(files)
}
