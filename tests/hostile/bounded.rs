//! Issue 17, items 8-11, 16, 17: work and memory stay bounded whatever the
//! input, limits mean what they say, and a byte-order mark cannot hide text.
//! Time bounds only guard against hangs: each is many times what a debug
//! build takes on a busy machine, and far below what the old quadratic or
//! unbounded behaviour took (figures in each test's comment).

use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Duration;

use super::common::{self, commit_file, findings, git_init, run_git, stripe_live, write};
use super::{STRIPE, locations, run_within, stderr};

/// Peak resident memory (KiB) of `leakhound ARGS` run in `dir`, measured by
/// python's `resource` module around the child (the test process runs many
/// children at once, so its own `RUSAGE_CHILDREN` would mix them up).
fn peak_rss_kib(dir: &Path, args: &[&str]) -> (i32, u64, String) {
    let bin = assert_cmd::cargo::cargo_bin("leakhound");
    let script = "import resource, subprocess, sys\n\
                  p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n\
                  sys.stderr.buffer.write(p.stderr)\n\
                  print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n";
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&bin)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("python3 runs (CI installs it)");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut it = text.split_whitespace();
    let code = it.next().and_then(|c| c.parse().ok()).unwrap_or(-1);
    let kib = it.next().and_then(|c| c.parse().ok()).unwrap_or(u64::MAX);
    (code, kib, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Item 8: one 16 MB line of ` api_key=<4 KB>` repeated, with one key at its
/// end, `-j 1`. Each finding used to count its column from the line's start
/// and search the whole line for allow comments: 45 s in a release build
/// before, 0.6 s after (a few seconds in a debug build).
#[test]
fn many_findings_on_one_long_line_take_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let value = common::Rng::new(8).string(common::BASE62, 4096);
    let unit = format!(" api_key={value}");
    let n = 16 * 1024 * 1024 / unit.len();
    let key = stripe_live(808);
    let mut f = BufWriter::new(std::fs::File::create(dir.path().join("long.txt")).unwrap());
    for _ in 0..n {
        f.write_all(unit.as_bytes()).unwrap();
    }
    writeln!(f, " stripe={key}").unwrap();
    f.into_inner().unwrap().sync_all().ok();
    let (out, code, json) = run_within(
        dir.path(),
        &["scan", "long.txt", "-j", "1", "-f", "json"],
        Duration::from_secs(600),
    );
    assert_eq!(code, 1, "{}", stderr(&out));
    let column = (n * unit.len() + " stripe=".len() + 1) as u64;
    let stripe: Vec<_> = locations(&json)
        .into_iter()
        .filter(|l| l.0 == STRIPE)
        .collect();
    assert_eq!(stripe, [(STRIPE.into(), "long.txt".into(), 1, column)]);
    // The repeated value: its first places are reported, the rest counted.
    let notes = json["summary"]["notes"].to_string();
    assert!(notes.contains("long.txt"), "{notes}");
}

/// Item 9: two blobs of 12 MiB, each one `password=...` line repeated
/// (half a million matches apiece), in history. A 24 MiB blob took 683 MB
/// and 15 s before (four of them 2.8 GB), so these two about 700 MB; now the matches are capped and deduplicated as
/// they are found, and scratch memory is bounded by a batch. A blob with
/// more distinct secrets than the cap is said, not silently cut.
#[test]
fn a_flood_of_matches_in_history_stays_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    git_init(dir.path());
    for i in 0..2u64 {
        let pw = common::Rng::new(900 + i).string(common::BASE62, 20);
        let line = format!("password={pw}\n");
        let body = line.repeat(12 * 1024 * 1024 / line.len());
        write(dir.path(), &format!("dump{i}.txt"), body);
    }
    let mut many = String::new();
    let mut rng = common::Rng::new(999);
    for _ in 0..10_050 {
        many.push_str(&format!("password={}\n", rng.string(common::BASE62, 20)));
    }
    write(dir.path(), "many.txt", many);
    run_git(dir.path(), &["add", "."]);
    run_git(dir.path(), &["commit", "-q", "-m", "dumps"]);
    let (code, kib, err) = peak_rss_kib(
        dir.path(),
        &[
            "scan", "--git", ".", "-j", "2", "-f", "json", "-o", "r.json",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(kib < 300 * 1024, "peak {kib} KiB");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap();
    // One finding per dump's password (history keeps the first place), and
    // the cap's worth from many.txt, which is said.
    let found = findings(&json);
    let dumps = found
        .iter()
        .filter(|f| f["path"].as_str().unwrap().starts_with("dump"))
        .count();
    assert_eq!(dumps, 2);
    assert_eq!(found.len(), 2 + 10_000);
    let notes = json["summary"]["notes"].to_string();
    assert!(notes.contains("many.txt: "), "{notes}");
    assert!(notes.contains("matches past the cap of 10000"), "{notes}");
    assert!(err.contains("many.txt"), "{err}");
}

/// Item 10: the largest size is "no limit", not 0 (it wrapped to 0 and
/// skipped every file, exit 0); a size past it is a one-line error.
#[test]
fn the_largest_max_file_size_means_no_limit() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "k.txt", format!("key = {}\n", stripe_live(10)));
    let (out, code, json) = run_within(
        dir.path(),
        &[
            "scan",
            ".",
            "--max-file-size",
            "18446744073709551615",
            "-f",
            "json",
        ],
        Duration::from_secs(300),
    );
    assert_eq!(code, 1, "{}", stderr(&out));
    assert_eq!(findings(&json).len(), 1);
    let (out, code, _) = run_within(
        dir.path(),
        &["scan", ".", "--max-file-size", "18446744073709551616"],
        Duration::from_secs(300),
    );
    assert_eq!(code, 2);
    assert!(stderr(&out).contains("too large"), "{}", stderr(&out));
}

/// Item 11: `\xff\xfe` before ASCII lines used to decode them as UTF-16
/// (nothing found, exit 0); also a real UTF-16 line followed by ASCII.
#[test]
fn a_fake_utf16_byte_order_mark_hides_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut fake = vec![0xFF, 0xFE];
    fake.extend_from_slice(format!("a=1\nkey = {}\n", stripe_live(11)).as_bytes());
    write(dir.path(), "fake.env", &fake);
    let mut mixed = vec![0xFF, 0xFE];
    mixed.extend("x=1\n".encode_utf16().flat_map(u16::to_le_bytes));
    mixed.extend_from_slice(format!("key = {}\n", stripe_live(12)).as_bytes());
    write(dir.path(), "mixed.env", &mixed);
    let (out, code, json) = run_within(
        dir.path(),
        &["scan", ".", "-f", "json"],
        Duration::from_secs(300),
    );
    assert_eq!(code, 1, "{}", stderr(&out));
    assert_eq!(
        locations(&json),
        [
            (STRIPE.into(), "fake.env".into(), 2, 7),
            (STRIPE.into(), "mixed.env".into(), 2, 7),
        ]
    );
}

/// Item 16: a pre-commit check whose findings are all suppressed (baseline)
/// or below `--fail-on` exits 0 and does not say "commit blocked".
#[test]
fn staged_says_commit_blocked_only_when_it_blocks() {
    let dir = tempfile::tempdir().unwrap();
    git_init(dir.path());
    commit_file(dir.path(), "README", "x\n", "init");
    write(
        dir.path(),
        "a.py",
        format!("key = \"{}\"\n", stripe_live(16)),
    );
    run_git(dir.path(), &["add", "a.py"]);
    let (out, code, _) = run_within(
        dir.path(),
        &["baseline", "create", "."],
        Duration::from_secs(300),
    );
    assert_eq!(code, 0, "{}", stderr(&out));
    run_git(dir.path(), &["add", ".secrets.baseline"]);
    let (out, code, _) = run_within(dir.path(), &["scan", "--staged"], Duration::from_secs(300));
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert_eq!(code, 0, "{all}");
    assert!(!all.contains("commit blocked"), "{all}");
    // A finding below --fail-on: reported, exit 0, no "commit blocked".
    let pw = common::Rng::new(1616).string(common::BASE62, 20);
    write(dir.path(), "b.env", format!("DB_PASSWORD={pw}\n"));
    run_git(dir.path(), &["add", "b.env"]);
    let (out, code, _) = run_within(
        dir.path(),
        &["scan", "--staged", "--fail-on", "critical"],
        Duration::from_secs(300),
    );
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert_eq!(code, 0, "{all}");
    assert!(
        all.contains("DB_PASSWORD") || all.contains("b.env"),
        "{all}"
    );
    assert!(!all.contains("commit blocked"), "{all}");
    // And when it does block, it says so.
    let (out, code, _) = run_within(dir.path(), &["scan", "--staged"], Duration::from_secs(300));
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert_eq!(code, 1, "{all}");
    assert!(all.contains("commit blocked"), "{all}");
}

/// Item 17: `-j 5000` on one small file stalled for a minute starting
/// threads; threads are capped at a few per core.
#[test]
fn thousands_of_threads_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    git_init(dir.path());
    commit_file(
        dir.path(),
        "k.txt",
        &format!("key = {}\n", stripe_live(17)),
        "k",
    );
    for args in [
        &["scan", ".", "-j", "5000", "-f", "json"][..],
        &["scan", "--git", ".", "-j", "5000", "-f", "json"][..],
    ] {
        let (out, code, json) = run_within(dir.path(), args, Duration::from_secs(100));
        assert_eq!(code, 1, "{}", stderr(&out));
        assert_eq!(findings(&json).len(), 1);
    }
}
