//! Repositories that attack whoever scans them, or are merely unusual
//! (issue 17, items 3, 4, 7, 12 and 13): no process is ever started; the
//! files git tracks are listed from the index by leakhound itself (versions
//! 2 to 4, split and sparse indexes, worktrees, submodules, a repository
//! owned by someone else, no git installed), and said when they cannot be;
//! FIFOs, devices and links where git keeps its files, or where the
//! baseline is, neither hang nor fill the memory; a crafted cache-tree is
//! bounded.

use std::ffi::OsString;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{STRIPE, commit_all, locations, stderr};
use crate::common::{findings, git_init, leakhound, run_git, stripe_live, write};

const BOUND: Duration = Duration::from_secs(150);

/// Runs `leakhound ARGS` in `dir` with `env` set, killed after `bound`; as
/// `run_within`.
fn run_env(
    dir: &Path,
    args: &[&str],
    env: &[(&str, OsString)],
    bound: Duration,
) -> (Output, i32, Value) {
    let started = Instant::now();
    let mut cmd = leakhound();
    cmd.current_dir(dir).args(args).timeout(bound);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let elapsed = started.elapsed();
    let code = out.status.code().unwrap_or_else(|| {
        panic!(
            "leakhound {args:?} in {} did not finish within {bound:?} (killed after \
             {elapsed:?}, {:?}): {}",
            dir.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out, code, json)
}

/// A `PATH` holding no `git` (nor anything else).
fn path_without_git(tmp: &Path) -> (&'static str, OsString) {
    let empty = tmp.join("empty-bin");
    std::fs::create_dir_all(&empty).unwrap();
    ("PATH", empty.into_os_string())
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

/// (rule, path) of every finding, sorted.
fn found(json: &Value) -> Vec<(String, String)> {
    locations(json)
        .into_iter()
        .map(|(rule, path, _, _)| (rule, path))
        .collect()
}

fn stripe_at(paths: &[&str]) -> Vec<(String, String)> {
    let mut v: Vec<_> = paths
        .iter()
        .map(|p| (STRIPE.to_string(), p.to_string()))
        .collect();
    v.sort();
    v
}

fn notes(json: &Value) -> String {
    json["summary"]["notes"].to_string()
}

// ---- item 4: no process, ever ------------------------------------------------

/// Names a scanner might be tempted to run, faked first on `PATH` (as an
/// absolute directory, and as the relative entries `.` and the empty one,
/// which resolve to the scanned repository holding its own `./git`), in the
/// repository's config (fsmonitor, pager, filters, ...) and in the
/// environment. Each fake writes a marker; no command of leakhound may leave
/// one.
#[test]
fn no_process_is_started_in_any_mode() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let markers = tmp.path().join("markers");
    let fake = tmp.path().join("bin");
    for d in [&repo, &markers, &fake] {
        std::fs::create_dir_all(d).unwrap();
    }
    git_init(&repo);
    const NAMES: &[&str] = &[
        "git",
        "git-upload-pack",
        "git-receive-pack",
        "git-lfs",
        "git-remote-https",
        "git-credential-store",
        "sh",
        "bash",
        "dash",
        "env",
        "ssh",
        "gpg",
        "gpg2",
        "less",
        "more",
        "pager",
        "cat",
        "sed",
        "perl",
        "python3",
        "curl",
        "wget",
        "xdg-open",
        "sudo",
        "id",
        "uname",
        "ps",
        "hostname",
        "tput",
        "stty",
        "editor",
        "vi",
    ];
    for dir in [&fake, &repo] {
        for name in NAMES {
            let script = format!(
                "#!/bin/sh\necho \"$0 $*\" > '{}/{name}-from-{}'\nexit 1\n",
                markers.display(),
                dir.file_name().unwrap().to_string_lossy()
            );
            let path = dir.join(name);
            std::fs::write(&path, script).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    write(&repo, ".gitattributes", "*.env filter=x diff=x\n");
    write(&repo, ".gitignore", "ignored.env\n");
    write(&repo, "a.env", format!("K={}\n", stripe_live(1700)));
    write(&repo, "ignored.env", format!("K={}\n", stripe_live(1701)));
    run_git(&repo, &["add", "-f", "ignored.env"]);
    run_git(&repo, &["add", "-A"]);
    run_git(&repo, &["commit", "-q", "-m", "one"]);
    write(&repo, "b.txt", "nothing\n");
    run_git(&repo, &["add", "b.txt"]);
    run_git(&repo, &["commit", "-q", "-m", "two"]);
    write(&repo, "c.env", format!("K={}\n", stripe_live(1702)));
    run_git(&repo, &["add", "c.env"]);
    // The repository asks for programs too (set last: git itself would run them).
    let git_fake = fake.join("git").display().to_string();
    for (key, value) in [
        ("core.fsmonitor", "./git"),
        ("core.pager", "./git"),
        ("core.editor", "./git"),
        ("core.sshCommand", "./git"),
        ("gpg.program", "./git"),
        ("diff.external", "./git"),
        ("filter.x.clean", "./git"),
        ("filter.x.smudge", "./git"),
        ("filter.x.process", "./git"),
    ] {
        run_git(&repo, &["config", key, value]);
    }

    let orig = std::env::var_os("PATH").unwrap_or_default();
    let mut path = OsString::from(".::");
    path.push(fake.as_os_str());
    path.push(":");
    path.push(&orig);
    let mut env = vec![("PATH", path)];
    for var in [
        "GIT_PAGER",
        "PAGER",
        "EDITOR",
        "VISUAL",
        "GIT_EDITOR",
        "GIT_SSH",
        "GIT_SSH_COMMAND",
        "GIT_ASKPASS",
        "SSH_ASKPASS",
        "GIT_EXTERNAL_DIFF",
    ] {
        env.push((var, OsString::from(&git_fake)));
    }
    let commands: &[&[&str]] = &[
        &["scan", ".", "-f", "json"],
        &["scan", "-f", "json"],
        &["scan", "--staged", "-f", "json"],
        &["scan", "--git", "-f", "json"],
        &["scan", "--git", "--range", "HEAD~1..HEAD", "-f", "json"],
        &["scan", "--git", "--branch", "main", "--report-unused"],
        &["baseline", "create"],
        &["baseline", "update"],
        &["baseline", "audit", "--report"],
        &["hook", "install"],
        &["hook", "uninstall"],
        &["config", "check"],
        &["rules"],
        &["explain", STRIPE],
    ];
    for args in commands {
        let (out, code, _) = run_env(&repo, args, &env, BOUND);
        assert!(
            code == 0 || code == 1,
            "{args:?}: exit {code}: {}",
            stderr(&out)
        );
        let ran: Vec<_> = std::fs::read_dir(&markers)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(ran.is_empty(), "leakhound {args:?} started {ran:?}");
    }
    // The tree scan did find the ignored tracked file (so the fakes were in
    // its way).
    let args = ["scan", ".", "--no-baseline", "-f", "json"];
    let (_, _, json) = run_env(&repo, &args, &env, BOUND);
    assert!(
        found(&json).contains(&(STRIPE.into(), "ignored.env".into())),
        "{json:#}"
    );
}

// ---- item 3: tracked files, listed from the index ---------------------------

/// A repository with `.env` files that `.gitignore` matches but git tracks,
/// and one it does not track.
fn repo_with_ignored_tracked_files(dir: &Path) {
    git_init(dir);
    write(dir, ".gitignore", "*.env\nbuild/\n");
    write(dir, "keep.txt", "nothing to see\n");
    write(dir, ".env", format!("K={}\n", stripe_live(1710)));
    write(dir, "build/prod.env", format!("K={}\n", stripe_live(1711)));
    write(dir, "sub/deep/.env", format!("K={}\n", stripe_live(1712)));
    run_git(
        dir,
        &["add", "-f", ".env", "build/prod.env", "sub/deep/.env"],
    );
    run_git(dir, &["add", ".gitignore", "keep.txt"]);
    run_git(dir, &["commit", "-q", "-m", "one"]);
    // Ignored and untracked: never scanned by default.
    write(dir, "local.env", format!("K={}\n", stripe_live(1713)));
}

#[test]
fn tracked_ignored_files_are_found_without_git() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    std::fs::create_dir_all(&dir).unwrap();
    repo_with_ignored_tracked_files(&dir);
    let env = [path_without_git(tmp.path())];
    let all = stripe_at(&[".env", "build/prod.env", "sub/deep/.env"]);

    let (out, code, json) = run_env(&dir, &["scan", ".", "-f", "json"], &env, BOUND);
    assert_eq!(code, 1, "{}", stderr(&out));
    assert_eq!(found(&json), all);
    assert_eq!(json["summary"]["notes"], Value::Array(vec![]));
    assert_eq!(stderr(&out), "");

    // A subdirectory, named or as the working directory.
    let (_, _, json) = run_env(&dir, &["scan", "sub", "-f", "json"], &env, BOUND);
    assert_eq!(found(&json), stripe_at(&["sub/deep/.env"]));
    let (_, _, json) = run_env(&dir.join("sub"), &["scan", "-f", "json"], &env, BOUND);
    assert_eq!(found(&json), stripe_at(&["deep/.env"]));
    // `--no-ignore` scans the untracked one too.
    let (_, _, json) = run_env(&dir, &["scan", "--no-ignore", "-f", "json"], &env, BOUND);
    assert_eq!(found(&json).len(), 4);

    // An `.ignore` with `*` hides every file from the walk; the tracked ones
    // are still scanned, the untracked one is not.
    write(&dir, ".ignore", "*\n");
    let (out, code, json) = run_env(&dir, &["scan", ".", "-f", "json"], &env, BOUND);
    assert_eq!(code, 1, "{}", stderr(&out));
    assert_eq!(found(&json), all);
    assert_eq!(json["summary"]["files"], 5, "{json:#}");
}

/// A tracked file that `.gitignore` matches, named with bytes that are not
/// UTF-8, is scanned like any other.
#[test]
fn a_tracked_ignored_file_with_a_non_utf8_name_is_scanned() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    std::fs::create_dir_all(&dir).unwrap();
    git_init(&dir);
    write(&dir, ".gitignore", "*.env\n");
    let name = std::ffi::OsStr::from_bytes(b"bad\xff.env");
    std::fs::write(dir.join(name), format!("K={}\n", stripe_live(1715))).unwrap();
    run_git(&dir, &["add", "-f", "."]);
    run_git(&dir, &["commit", "-q", "-m", "one"]);
    let env = [path_without_git(tmp.path())];
    let (out, code, json) = run_env(&dir, &["scan", ".", "-f", "json"], &env, BOUND);
    assert_eq!(code, 1, "{}", stderr(&out));
    let paths: Vec<_> = findings(&json)
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths.len(), 1, "{json:#}");
    assert!(
        paths[0].starts_with("bad") && paths[0].ends_with(".env"),
        "{paths:?}"
    );
}

/// As in a container with a volume mount: the repository belongs to another
/// user, which git refuses ("dubious ownership"). leakhound only reads it.
#[test]
fn a_repository_owned_by_another_user_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    std::fs::create_dir_all(&dir).unwrap();
    repo_with_ignored_tracked_files(&dir);
    write(&dir, "staged.env", format!("K={}\n", stripe_live(1714)));
    run_git(&dir, &["add", "-f", "staged.env"]);
    // SAFETY: getuid has no preconditions.
    if unsafe { libc_getuid() } != 0 {
        eprintln!("note: not root: cannot give the repository to another user; skipped");
        return;
    }
    let status = std::process::Command::new("chown")
        .args(["-R", "65534:65534"])
        .arg(&dir)
        .status()
        .unwrap();
    assert!(status.success());
    let refused = std::process::Command::new("git")
        .args(["ls-files"])
        .current_dir(&dir)
        .env("HOME", tmp.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(
        !refused.status.success(),
        "git should refuse a repository owned by another user"
    );
    let (out, code, json) = run_env(&dir, &["scan", ".", "-f", "json"], &[], BOUND);
    assert_eq!(code, 1, "{}", stderr(&out));
    assert_eq!(
        found(&json),
        stripe_at(&[".env", "build/prod.env", "staged.env", "sub/deep/.env"])
    );
    let (out, code, json) = run_env(&dir, &["scan", "--staged", "-f", "json"], &[], BOUND);
    assert_eq!(code, 1, "{}", stderr(&out));
    assert_eq!(found(&json), stripe_at(&["staged.env"]));
    let (out, code, json) = run_env(&dir, &["scan", "--git", "-f", "json"], &[], BOUND);
    assert_eq!(code, 1, "{}", stderr(&out));
    assert_eq!(found(&json).len(), 3, "{json:#}");
}

unsafe extern "C" {
    #[link_name = "getuid"]
    fn libc_getuid() -> u32;
}

/// Index version 4 (path prefix compression), a split index (with entries
/// replaced, deleted and added in front of the shared index), an
/// intent-to-add entry (version 3) and a sparse index: all read without git.
#[test]
fn index_versions_split_and_sparse_indexes_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    std::fs::create_dir_all(&dir).unwrap();
    git_init(&dir);
    write(&dir, ".gitignore", "*.env\n");
    let mut tracked = Vec::new();
    for i in 0..40 {
        write(&dir, &format!("src/mod{i:02}/lib.txt"), "plain\n");
        if i % 8 == 0 {
            let p = format!("src/mod{i:02}/.env");
            write(&dir, &p, format!("K={}\n", stripe_live(1720 + i)));
            tracked.push(p);
        }
    }
    for p in ["config/a/.env", "config/ab/.env", "config/b.env"] {
        write(
            &dir,
            p,
            format!("K={}\n", stripe_live(p.len() as u64 + 1800)),
        );
        tracked.push(p.to_string());
    }
    run_git(&dir, &["add", "-A"]);
    let mut force = vec!["add", "-f"];
    force.extend(tracked.iter().map(String::as_str));
    run_git(&dir, &force);
    run_git(&dir, &["commit", "-q", "-m", "one"]);
    let env = [path_without_git(tmp.path())];
    let scan = |dir: &Path| {
        let (out, code, json) = run_env(dir, &["scan", ".", "-f", "json"], &env, BOUND);
        assert_eq!(code, 1, "{}", stderr(&out));
        assert_eq!(json["summary"]["notes"], Value::Array(vec![]), "{json:#}");
        found(&json)
    };
    let expect = |paths: &[String]| {
        let v: Vec<&str> = paths.iter().map(String::as_str).collect();
        stripe_at(&v)
    };

    run_git(&dir, &["update-index", "--index-version", "4"]);
    assert_eq!(
        run_git(&dir, &["update-index", "--show-index-version"]),
        "4"
    );
    assert_eq!(scan(&dir), expect(&tracked));

    // A split index over version 4, then changes in front of it: a
    // replaced entry, a deleted one (still on disk, ignored, no longer
    // tracked: not scanned), an added one and an intent-to-add one.
    run_git(&dir, &["update-index", "--split-index"]);
    write(&dir, "config/a/.env", format!("K={}\n", stripe_live(1890)));
    write(&dir, "config/c.env", format!("K={}\n", stripe_live(1891)));
    write(&dir, "config/ita.env", format!("K={}\n", stripe_live(1892)));
    run_git(&dir, &["add", "-f", "config/a/.env", "config/c.env"]);
    run_git(&dir, &["rm", "-q", "--cached", "config/b.env"]);
    run_git(&dir, &["add", "-f", "-N", "config/ita.env"]);
    let shared: Vec<_> = std::fs::read_dir(dir.join(".git"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.starts_with("sharedindex.").then_some(name)
        })
        .collect();
    assert_eq!(shared.len(), 1, "{shared:?}");
    let front = std::fs::read(dir.join(".git/index")).unwrap();
    assert!(front.windows(4).any(|w| w == b"link"), "a split index");
    tracked.retain(|p| p != "config/b.env");
    tracked.extend(["config/c.env".to_string(), "config/ita.env".to_string()]);
    assert_eq!(scan(&dir), expect(&tracked));
    // The same split index in version 2/3.
    run_git(&dir, &["update-index", "--index-version", "2"]);
    assert_eq!(scan(&dir), expect(&tracked));
    // `--staged` reads it too (libgit2 alone refuses a split index): the
    // changed and the added file; the deleted and intent-to-add ones stage
    // nothing.
    let staged = |dir: &Path| {
        let (out, code, json) = run_env(dir, &["scan", "--staged", "-f", "json"], &env, BOUND);
        assert_eq!(code, 1, "{}", stderr(&out));
        found(&json)
    };
    assert_eq!(staged(&dir), stripe_at(&["config/a/.env", "config/c.env"]));

    // A sparse index: `out/` is one directory entry, not on disk.
    let sparse = tmp.path().join("sparse");
    std::fs::create_dir_all(&sparse).unwrap();
    git_init(&sparse);
    write(&sparse, ".gitignore", "*.env\n");
    for p in ["in/.env", "out/.env", "out/deeper/x.txt"] {
        write(
            &sparse,
            p,
            format!("K={}\n", stripe_live(p.len() as u64 + 1900)),
        );
    }
    run_git(&sparse, &["add", "-A"]);
    run_git(&sparse, &["add", "-f", "in/.env", "out/.env"]);
    run_git(&sparse, &["commit", "-q", "-m", "one"]);
    run_git(
        &sparse,
        &["sparse-checkout", "set", "--cone", "--sparse-index", "in"],
    );
    assert!(!sparse.join("out").exists());
    assert!(
        run_git(&sparse, &["ls-files", "--sparse"])
            .lines()
            .any(|l| l == "out/"),
        "a sparse directory entry"
    );
    assert_eq!(scan(&sparse), stripe_at(&["in/.env"]));
    // A staged key in the sparse checkout (libgit2 alone refuses `sdir`).
    write(&sparse, "in/new.env", format!("K={}\n", stripe_live(1910)));
    run_git(&sparse, &["add", "-f", "in/new.env"]);
    assert!(
        std::fs::read(sparse.join(".git/index"))
            .unwrap()
            .windows(4)
            .any(|w| w == b"sdir")
    );
    assert_eq!(staged(&sparse), stripe_at(&["in/new.env"]));
}

#[test]
fn worktrees_and_submodules_list_their_tracked_files() {
    let tmp = tempfile::tempdir().unwrap();
    let main = tmp.path().join("main");
    let sub = tmp.path().join("sub");
    for d in [&main, &sub] {
        std::fs::create_dir_all(d).unwrap();
        git_init(d);
        write(d, ".gitignore", "*.env\n");
    }
    write(&sub, "s.env", format!("K={}\n", stripe_live(1950)));
    run_git(&sub, &["add", "-A"]);
    run_git(&sub, &["add", "-f", "s.env"]);
    run_git(&sub, &["commit", "-q", "-m", "sub"]);
    write(&main, ".env", format!("K={}\n", stripe_live(1951)));
    run_git(&main, &["add", "-A"]);
    run_git(&main, &["add", "-f", ".env"]);
    run_git(&main, &["commit", "-q", "-m", "main"]);
    run_git(
        &main,
        &[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            sub.to_str().unwrap(),
            "libs/sub",
        ],
    );
    run_git(&main, &["commit", "-q", "-m", "add sub"]);
    assert!(main.join("libs/sub/.git").is_file(), "a gitlink .git file");
    let env = [path_without_git(tmp.path())];

    let (out, code, json) = run_env(&main, &["scan", ".", "-f", "json"], &env, BOUND);
    assert_eq!(code, 1, "{}", stderr(&out));
    assert_eq!(found(&json), stripe_at(&[".env", "libs/sub/s.env"]));
    assert_eq!(json["summary"]["notes"], Value::Array(vec![]), "{json:#}");
    // Inside the submodule, on its own.
    let (_, _, json) = run_env(&main.join("libs/sub"), &["scan", "-f", "json"], &env, BOUND);
    assert_eq!(found(&json), stripe_at(&["s.env"]));

    // A linked worktree, with a file only its own index tracks.
    let wt = tmp.path().join("wt");
    run_git(
        &main,
        &["worktree", "add", "-q", "-b", "side", wt.to_str().unwrap()],
    );
    assert!(wt.join(".git").is_file());
    write(&wt, "only-here.env", format!("K={}\n", stripe_live(1952)));
    run_git(&wt, &["add", "-f", "only-here.env"]);
    let (out, code, json) = run_env(&wt, &["scan", ".", "-f", "json"], &env, BOUND);
    assert_eq!(code, 1, "{}", stderr(&out));
    assert_eq!(found(&json), stripe_at(&[".env", "only-here.env"]));
    assert_eq!(json["summary"]["notes"], Value::Array(vec![]), "{json:#}");
}

/// An index that cannot be read is said, in the notes and on stderr; with
/// `--strict` it is exit 2. The rest of the tree is scanned.
#[test]
fn unlistable_tracked_files_are_said_and_fail_strict() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    std::fs::create_dir_all(&dir).unwrap();
    repo_with_ignored_tracked_files(&dir);
    write(&dir, "visible.txt", format!("K={}\n", stripe_live(1960)));
    let index = dir.join(".git/index");
    let mut bad = b"DIRC\0\0\0\x63\0\0\0\x01".to_vec();
    bad.extend([0u8; 20]);
    for (why, kind) in [
        ("version 99", "bad"),
        ("not a regular file", "fifo"),
        ("not a regular file", "zero"),
    ] {
        std::fs::remove_file(&index).unwrap();
        match kind {
            "bad" => std::fs::write(&index, &bad).unwrap(),
            "fifo" => mkfifo(&index),
            _ => symlink("/dev/zero", &index).unwrap(),
        }
        let (out, code, json) = run_env(&dir, &["scan", ".", "-f", "json"], &[], BOUND);
        let err = stderr(&out);
        assert_eq!(code, 1, "{why}: {err}");
        assert_eq!(found(&json), stripe_at(&["visible.txt"]), "{why}");
        let notes = notes(&json);
        assert!(
            notes.contains("could not be listed") && notes.contains(why),
            "{why}: {notes}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("leakhound: warning: ") && err.contains("could not be listed"),
            "{err}"
        );
        let (out, code, json) = run_env(&dir, &["scan", ".", "--strict", "-f", "json"], &[], BOUND);
        let err = stderr(&out);
        assert_eq!(code, 2, "{why}: {err}");
        assert_eq!(found(&json), stripe_at(&["visible.txt"]), "report first");
        assert!(
            err.lines()
                .last()
                .unwrap()
                .starts_with("leakhound: error: ")
                && err.contains("--strict"),
            "{err}"
        );
    }
}

// ---- item 12: FIFOs and devices where git keeps its files -------------------

/// A repository with history in a pack (with a commit-graph and a
/// multi-pack-index), loose objects, loose and packed refs and a staged key.
fn hostile_template(dir: &Path) {
    git_init(dir);
    write(dir, "a.env", format!("K={}\n", stripe_live(1980)));
    commit_all(dir, "one");
    write(dir, "b.txt", "two\n");
    commit_all(dir, "two");
    run_git(dir, &["tag", "v1"]);
    run_git(dir, &["gc", "-q"]);
    run_git(dir, &["commit-graph", "write", "--reachable"]);
    run_git(dir, &["multi-pack-index", "write"]);
    run_git(dir, &["branch", "loose-ref"]);
    write(dir, "c.txt", "three\n");
    commit_all(dir, "three");
    write(dir, "d.env", format!("K={}\n", stripe_live(1981)));
    run_git(dir, &["add", "d.env"]);
}

fn loose_path(dir: &Path, rev: &str) -> String {
    let id = run_git(dir, &["rev-parse", rev]);
    format!(".git/objects/{}/{}", &id[..2], &id[2..])
}

fn copy_tree(from: &Path, to: &Path) {
    let status = std::process::Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .unwrap();
    assert!(status.success());
}

/// Every file libgit2 or leakhound would open in a history or staged scan,
/// replaced by a FIFO (which blocks whoever opens it) or by a link to
/// `/dev/zero` (endless): each scan ends within seconds, either with one
/// error line naming the file (exit 2) or, where the file does not matter
/// to it, with its findings. A tree scan only ever notes what it could not
/// list.
#[test]
fn hostile_git_files_neither_hang_nor_fill_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let template = tmp.path().join("template");
    std::fs::create_dir_all(&template).unwrap();
    hostile_template(&template);
    let idx = std::fs::read_dir(template.join(".git/objects/pack"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".idx"))
        .unwrap();
    let targets: Vec<String> = vec![
        format!(".git/objects/pack/{idx}"),
        ".git/objects/info/alternates".into(),
        ".git/index".into(),
        ".git/config".into(),
        ".git/packed-refs".into(),
        ".git/refs/heads/main".into(),
        ".git/refs/heads/loose-ref".into(),
        loose_path(&template, "HEAD:c.txt"),
        loose_path(&template, ":d.env"),
        loose_path(&template, "HEAD"),
        loose_path(&template, "HEAD^{tree}"),
        ".git/objects/info/commit-graph".into(),
        ".git/objects/pack/multi-pack-index".into(),
        ".git/shallow".into(),
        ".git/info/grafts".into(),
        ".git/info/exclude".into(),
    ];
    let mut n = 0;
    for target in &targets {
        for kind in ["fifo", "zero"] {
            n += 1;
            let dir = tmp.path().join(format!("case{n}"));
            copy_tree(&template, &dir);
            let path = dir.join(target);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let _ = std::fs::remove_file(&path);
            if kind == "fifo" {
                mkfifo(&path);
            } else {
                symlink("/dev/zero", &path).unwrap();
            }
            let name = Path::new(target).file_name().unwrap().to_string_lossy();
            for mode in ["--git", "--staged"] {
                let (out, code, json) = run_env(&dir, &["scan", mode, "-f", "json"], &[], BOUND);
                let err = stderr(&out);
                let what = format!("{target} as {kind}, {mode}");
                match code {
                    2 => {
                        assert_eq!(err.lines().count(), 1, "{what}: {err}");
                        assert!(
                            err.starts_with("leakhound: error: ") && err.contains(&*name),
                            "{what}: {err}"
                        );
                    }
                    1 => assert!(!findings(&json).is_empty(), "{what}"),
                    _ => panic!("{what}: exit {code}: {err}"),
                }
            }
            let (out, code, json) = run_env(&dir, &["scan", ".", "-f", "json"], &[], BOUND);
            let what = format!("{target} as {kind}, tree scan");
            assert_eq!(code, 1, "{what}: {}", stderr(&out));
            assert!(
                found(&json).contains(&(STRIPE.into(), "a.env".into())),
                "{what}"
            );
            std::fs::remove_dir_all(&dir).unwrap();
        }
    }
    // A `.git` file (as in worktrees) that is a FIFO.
    let fake = tmp.path().join("fifo-dot-git");
    std::fs::create_dir_all(&fake).unwrap();
    write(&fake, "a.env", format!("K={}\n", stripe_live(1982)));
    mkfifo(&fake.join(".git"));
    for mode in ["--git", "--staged"] {
        let (out, code, _) = run_env(&fake, &["scan", mode], &[], BOUND);
        let err = stderr(&out);
        assert_eq!(code, 2, "{mode}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(".git: not a regular file (a FIFO)"), "{err}");
    }
    let (out, code, json) = run_env(&fake, &["scan", ".", "-f", "json"], &[], BOUND);
    assert_eq!(code, 1, "{}", stderr(&out));
    assert_eq!(found(&json), stripe_at(&["a.env"]));
    assert!(notes(&json).contains("could not be listed"), "{json:#}");

    // The pre-commit hook `hook install` reads to see whose it is.
    let hook = template.join(".git/hooks/pre-commit");
    std::fs::create_dir_all(hook.parent().unwrap()).unwrap();
    mkfifo(&hook);
    for action in ["install", "uninstall"] {
        let (out, code, _) = run_env(&template, &["hook", action], &[], BOUND);
        let err = stderr(&out);
        assert_eq!(code, 2, "hook {action}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("pre-commit") && err.contains("FIFO"), "{err}");
    }
}

/// `GIT_INDEX_FILE` (as a hook gets it) naming a FIFO or a device.
#[test]
fn a_hostile_git_index_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    std::fs::create_dir_all(&dir).unwrap();
    hostile_template(&dir);
    let fifo = tmp.path().join("fifo");
    mkfifo(&fifo);
    for index in [fifo.as_path(), Path::new("/dev/zero")] {
        let env = [("GIT_INDEX_FILE", index.as_os_str().to_owned())];
        let (out, code, _) = run_env(&dir, &["scan", "--staged"], &env, BOUND);
        let err = stderr(&out);
        assert_eq!(code, 2, "{}: {err}", index.display());
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains(&*index.to_string_lossy()) && err.contains("not a regular file"),
            "{err}"
        );
    }
    // A real one elsewhere is used.
    let copy = tmp.path().join("other-index");
    std::fs::copy(dir.join(".git/index"), &copy).unwrap();
    let env = [("GIT_INDEX_FILE", copy.into_os_string())];
    let (out, code, json) = run_env(&dir, &["scan", "--staged", "-f", "json"], &env, BOUND);
    assert_eq!(code, 1, "{}", stderr(&out));
    assert_eq!(found(&json), stripe_at(&["d.env"]));
}

// ---- item 13: a crafted cache-tree ------------------------------------------

/// `index` with its extensions replaced by a `TREE` extension holding
/// `tree`, and a valid checksum.
fn with_cache_tree(index: &[u8], tree: &[u8]) -> Vec<u8> {
    use sha1::Digest;
    // Keep the header and entries: find where the extensions start by
    // walking the version 2 entries.
    let count = u32::from_be_bytes(index[8..12].try_into().unwrap()) as usize;
    let mut at = 12;
    for _ in 0..count {
        let name_len = index[at + 62..].iter().position(|&b| b == 0).unwrap();
        at += (62 + name_len + 8) & !7;
    }
    let mut out = index[..at].to_vec();
    out.extend(b"TREE");
    out.extend((tree.len() as u32).to_be_bytes());
    out.extend(tree);
    let sum = sha1::Sha1::digest(&out);
    out.extend(sum);
    out
}

#[test]
fn a_crafted_cache_tree_is_bounded() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    std::fs::create_dir_all(&dir).unwrap();
    git_init(&dir);
    write(&dir, "a/b.txt", "one\n");
    commit_all(&dir, "one");
    write(&dir, "a/new.env", format!("K={}\n", stripe_live(1990)));
    run_git(&dir, &["add", "a/new.env"]);
    run_git(&dir, &["update-index", "--index-version", "2"]);
    let index = std::fs::read(dir.join(".git/index")).unwrap();

    let mut deep = Vec::new();
    for _ in 0..100_000 {
        deep.extend(b"d\0-1 1\n");
    }
    deep.extend(b"d\0-1 0\n");
    let huge = b"\0-1 1000000000000000\n".to_vec();
    let wide = b"\0-1 2000000000\n".to_vec();
    for (what, tree) in [("deep", deep), ("huge", huge), ("wide", wide)] {
        std::fs::write(dir.join(".git/index"), with_cache_tree(&index, &tree)).unwrap();
        let (out, code, json) = run_env(&dir, &["scan", "--staged", "-f", "json"], &[], BOUND);
        let err = stderr(&out);
        match code {
            1 => assert_eq!(found(&json), stripe_at(&["a/new.env"]), "{what}"),
            2 => {
                assert_eq!(err.lines().count(), 1, "{what}: {err}");
                assert!(err.contains("cache-tree"), "{what}: {err}");
            }
            _ => panic!("{what}: exit {code}: {err}"),
        }
        // A tree scan does not need the cache-tree.
        let (out, code, json) = run_env(&dir, &["scan", ".", "-f", "json"], &[], BOUND);
        assert_eq!(code, 1, "{what}: {}", stderr(&out));
        assert_eq!(json["summary"]["notes"], Value::Array(vec![]), "{what}");
    }
}

// ---- item 7: the baseline is a regular file or nothing ----------------------

/// A committed `.secrets.baseline` that is a link to a device, a FIFO, a
/// link to a FIFO, a link to a regular file elsewhere, or a FIFO itself:
/// `baseline create/update/audit` stop with one line (exit 2) without
/// opening it, and leave it and its target as they were; `scan` says it did
/// not read it and reports the finding. `--baseline` naming such a file is
/// refused the same way.
#[test]
fn a_baseline_that_is_not_a_regular_file_is_never_opened() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    std::fs::create_dir_all(&dir).unwrap();
    git_init(&dir);
    write(&dir, "a.env", format!("K={}\n", stripe_live(1995)));
    let outside = tmp.path().join("elsewhere.json");
    let outside_text = "{\"version\": \"1.5.0\", \"results\": {}}\n";
    std::fs::write(&outside, outside_text).unwrap();
    let fifo = tmp.path().join("fifo");
    mkfifo(&fifo);
    let baseline = dir.join(".secrets.baseline");
    let targets: [(&str, Option<PathBuf>); 5] = [
        ("link to /dev/zero", Some("/dev/zero".into())),
        ("link to /dev/null", Some("/dev/null".into())),
        ("link to a FIFO", Some(fifo.clone())),
        ("link to a regular file", Some(outside.clone())),
        ("a FIFO", None),
    ];
    for (what, target) in &targets {
        match target {
            Some(t) => symlink(t, &baseline).unwrap(),
            None => mkfifo(&baseline),
        }
        let is_link = target.is_some();
        for args in [
            &["baseline", "create"][..],
            &["baseline", "update"][..],
            &["baseline", "audit", "--report"][..],
            &["baseline", "create", "-o", ".secrets.baseline"][..],
            &["scan", ".", "--baseline", ".secrets.baseline"][..],
        ] {
            let (out, code, _) = run_env(&dir, args, &[], BOUND);
            let err = stderr(&out);
            assert_eq!(code, 2, "{what}, {args:?}: {err}");
            assert_eq!(err.lines().count(), 1, "{what}, {args:?}: {err}");
            assert!(
                err.starts_with("leakhound: error: ") && err.contains(".secrets.baseline"),
                "{what}, {args:?}: {err}"
            );
            let meta = std::fs::symlink_metadata(&baseline).unwrap();
            assert_eq!(meta.file_type().is_symlink(), is_link, "{what}: replaced");
        }
        // A scan goes on without it, and says so.
        let (out, code, json) = run_env(&dir, &["scan", ".", "-f", "json"], &[], BOUND);
        assert_eq!(code, 1, "{what}: {}", stderr(&out));
        assert_eq!(found(&json), stripe_at(&["a.env"]), "{what}");
        assert!(
            notes(&json).contains(".secrets.baseline"),
            "{what}: {json:#}"
        );
        std::fs::remove_file(&baseline).unwrap();
    }
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), outside_text);
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
}

/// `.gitignore` and `.ignore` files the tree walk would open: a FIFO (the
/// open blocked forever), a link to `/dev/zero` (read forever) or one too
/// large, in a subdirectory or at the root, in a work tree or not. The
/// directory is scanned without ignore files (more, never less) and the
/// report says so; `--strict` does not fail for it.
#[test]
fn hostile_ignore_files_neither_hang_nor_hide_files() {
    for (case, in_git) in [("sub", true), ("sub", false), ("root", true)] {
        for kind in ["fifo", "zero", "huge"] {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path();
            if in_git {
                git_init(dir);
            }
            write(dir, "top.env", format!("K={}\n", stripe_live(1701)));
            write(dir, "sub/inner/a.env", format!("K={}\n", stripe_live(1702)));
            let at = if case == "root" {
                dir.to_path_buf()
            } else {
                dir.join("sub")
            };
            for name in [".gitignore", ".ignore"] {
                let path = at.join(name);
                match kind {
                    "fifo" => mkfifo(&path),
                    "zero" => symlink("/dev/zero", &path).unwrap(),
                    _ => std::fs::write(&path, "*.env\n".repeat(1 << 20)).unwrap(),
                }
            }
            let what = format!("{kind} {name} in {case}, git {in_git}", name = ".gitignore");
            let (out, code, json) =
                run_env(dir, &["scan", ".", "--strict", "-f", "json"], &[], BOUND);
            assert_eq!(code, 1, "{what}: {}", stderr(&out));
            assert_eq!(
                found(&json),
                stripe_at(&["sub/inner/a.env", "top.env"]),
                "{what}"
            );
            assert!(notes(&json).contains("not read"), "{what}: {json:#}");
        }
    }
}
