//! Interrupted runs (SIGINT, SIGTERM) leave no partial report or baseline
//! and no temporary files: the target keeps its previous content.
#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{stripe_live, write};

fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".leakhound-") || n.ends_with(".tmp"))
        .collect()
}

fn spawn(dir: &Path, args: &[&str], delay_ms: Option<u64>) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_leakhound"));
    cmd.current_dir(dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(ms) = delay_ms {
        cmd.env("LEAKHOUND_TEST_WRITE_DELAY_MS", ms.to_string());
    }
    cmd.spawn().unwrap()
}

fn signal(child: &Child, sig: &str) {
    let st = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
}

/// Waits until a temporary file appears in `dir` (the write is in flight).
fn wait_for_temp(dir: &Path, child: &mut Child) {
    let start = Instant::now();
    while temp_files(dir).is_empty() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "finished before writing"
        );
        assert!(start.elapsed() < Duration::from_secs(300), "no temp file");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A small tree with one finding.
fn tree(dir: &Path) {
    write(dir, "src/app.env", format!("STRIPE={}\n", stripe_live(3)));
}

#[test]
fn sigint_during_a_report_write_keeps_the_previous_report() {
    if !cfg!(debug_assertions) {
        return; // the write delay exists in debug builds only
    }
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path());
    let out = dir.path().join("out.json");
    std::fs::write(&out, "previous complete report\n").unwrap();
    let mut child = spawn(
        dir.path(),
        &["scan", "src", "--format", "json", "-o", "out.json"],
        Some(20_000),
    );
    wait_for_temp(dir.path(), &mut child);
    signal(&child, "-INT");
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "previous complete report\n"
    );
    assert!(
        temp_files(dir.path()).is_empty(),
        "{:?}",
        temp_files(dir.path())
    );
}

#[test]
fn sigterm_during_baseline_create_leaves_no_baseline() {
    if !cfg!(debug_assertions) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path());
    let mut child = spawn(
        dir.path(),
        &["baseline", "create", ".", "-o", "new.baseline"],
        Some(20_000),
    );
    wait_for_temp(dir.path(), &mut child);
    signal(&child, "-TERM");
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(143));
    assert!(!dir.path().join("new.baseline").exists());
    assert!(
        temp_files(dir.path()).is_empty(),
        "{:?}",
        temp_files(dir.path())
    );
}

#[test]
fn sigint_at_any_moment_leaves_a_complete_report_or_none() {
    // A tree that takes a while to scan; the signal lands somewhere in the
    // scan or the write. Either way: no temp file, no partial report.
    let dir = tempfile::tempdir().unwrap();
    let line = "password = \"hunter2hunter2\" token=abc api_key=xyz secret=\n";
    let body = line.repeat(60_000 / line.len());
    for i in 0..300 {
        write(dir.path(), &format!("t/d{}/f{i}.txt", i % 10), &body);
    }
    for delay in [300, 50] {
        let _ = std::fs::remove_file(dir.path().join("out.json"));
        let mut child = spawn(
            dir.path(),
            &["scan", "t", "--format", "json", "-o", "out.json"],
            None,
        );
        std::thread::sleep(Duration::from_millis(delay));
        signal(&child, "-INT");
        let code = child.wait().unwrap().code();
        assert!(matches!(code, Some(0 | 1 | 130)), "{code:?}");
        if let Ok(text) = std::fs::read_to_string(dir.path().join("out.json")) {
            serde_json::from_str::<serde_json::Value>(&text).expect("a complete report");
        }
        assert!(temp_files(dir.path()).is_empty());
    }
}
