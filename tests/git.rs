//! Binary-level tests of the git sources: `scan --staged`, `scan --git`
//! (history, `--branch`, `--range`, `--since`) and `hook install|uninstall`,
//! on temporary repositories built with the `git` CLI.

mod gitrepo;

use std::path::Path;

use gitrepo::{Repo, aws_key, findings, stripe_key};
use serde_json::Value;

fn paths_lines(report: &Value) -> Vec<(String, u64)> {
    findings(report)
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Runs `git` and expects it to fail (a blocked commit).
fn git_fails(repo: &Repo, args: &[&str]) -> String {
    let mut cmd = std::process::Command::new("git");
    gitrepo::isolate(&mut cmd)
        .current_dir(repo.path())
        .args(args);
    let out = cmd.output().unwrap();
    assert!(!out.status.success(), "git {args:?} should have failed");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

// ---- scan --staged -------------------------------------------------------

#[test]
fn staged_secret_is_found_with_path_and_line_from_a_subdirectory() {
    let repo = Repo::new();
    repo.write("app/config.py", "DEBUG = True\nNAME = 'x'\n");
    repo.commit("clean");
    let key = stripe_key();
    repo.write(
        "app/config.py",
        &format!("DEBUG = True\nNAME = 'x'\nSTRIPE = '{key}'\n"),
    );
    repo.git(&["add", "app/config.py"]);
    let (code, report, _) = repo.json(&repo.path().join("app"), &["scan", "--staged"]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(paths_lines(&report), [("app/config.py".to_string(), 3)]);
    let f = &findings(&report)[0];
    assert_eq!(f["column"], 11);
    assert_eq!(f["rule_id"], "stripe-secret-key-live");
    assert!(
        !f["secret"].as_str().unwrap().contains(&key[10..]),
        "redacted"
    );
    assert!(f["commit"].is_null());
}

#[test]
fn staged_does_not_report_a_committed_secret_the_change_leaves_alone() {
    let repo = Repo::new();
    let key = stripe_key();
    repo.write("settings.env", &format!("A=1\nSTRIPE={key}\nB=2\n"));
    repo.commit("old secret");
    repo.write("settings.env", &format!("A=1\nSTRIPE={key}\nB=3\nC=4\n"));
    repo.write("other.txt", "hello\n");
    repo.git(&["add", "-A"]);
    let (code, report, _) = repo.json(repo.path(), &["scan", "--staged"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["summary"]["files"], 2);
    // --all-lines reads the whole staged file.
    let (code, report, _) = repo.json(repo.path(), &["scan", "--staged", "--all-lines"]);
    assert_eq!(code, 1);
    assert_eq!(paths_lines(&report), [("settings.env".to_string(), 2)]);
}

#[test]
fn staged_reads_the_index_not_the_working_file() {
    let repo = Repo::new();
    repo.write("a.txt", "one\n");
    repo.commit("init");
    // Only in the working file: not reported.
    repo.write("a.txt", "one\ntwo\n");
    repo.git(&["add", "a.txt"]);
    repo.write("a.txt", &format!("one\ntwo\n{}\n", stripe_key()));
    let (code, report, _) = repo.json(repo.path(), &["scan", "--staged"]);
    assert_eq!(code, 0, "{report}");
    // Staged, then removed from the working file only: reported.
    repo.write("b.txt", &format!("key {}\n", aws_key()));
    repo.git(&["add", "b.txt"]);
    std::fs::write(repo.path().join("b.txt"), "clean now\n").unwrap();
    let (code, report, _) = repo.json(repo.path(), &["scan", "--staged"]);
    assert_eq!(code, 1);
    assert_eq!(paths_lines(&report), [("b.txt".to_string(), 1)]);
}

#[test]
fn staged_before_the_first_commit_scans_everything() {
    let repo = Repo::new();
    repo.write("x/y.txt", &format!("\n\n{}\n", stripe_key()));
    repo.git(&["add", "-A"]);
    let (code, report, _) = repo.json(repo.path(), &["scan", "--staged"]);
    assert_eq!(code, 1);
    assert_eq!(paths_lines(&report), [("x/y.txt".to_string(), 3)]);
}

#[test]
fn staged_skips_deletions_renames_binaries_and_gitlinks() {
    let repo = Repo::new();
    let key = stripe_key();
    repo.write("old.txt", &format!("line\nkey = {key}\n"));
    repo.write("gone.txt", &format!("{}\n", stripe_key()));
    let head = repo.commit("init");
    // A pure rename and a deletion add no line.
    repo.git(&["mv", "old.txt", "new.txt"]);
    repo.git(&["rm", "-q", "gone.txt"]);
    // A binary blob and a gitlink are skipped.
    std::fs::write(
        repo.path().join("bin.dat"),
        [b"\0\0\0".as_slice(), stripe_key().as_bytes()].concat(),
    )
    .unwrap();
    repo.git(&["add", "bin.dat"]);
    repo.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{head},vendor/sub"),
    ]);
    let (code, report, _) = repo.json(repo.path(), &["scan", "--staged"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["summary"]["skipped_binary"], 1);
    // A renamed file that also gains a secret reports only the new line.
    let added = aws_key();
    repo.write("new.txt", &format!("line\nkey = {key}\naws = {added}\n"));
    repo.git(&["add", "new.txt"]);
    let (code, report, _) = repo.json(repo.path(), &["scan", "--staged"]);
    assert_eq!(code, 1);
    assert_eq!(paths_lines(&report), [("new.txt".to_string(), 3)]);
}

#[test]
fn staged_works_in_a_linked_worktree() {
    let repo = Repo::new();
    repo.write("a.txt", "a\n");
    repo.commit("init");
    let wt = tempfile::tempdir().unwrap();
    let wt_path = wt.path().join("wt");
    repo.git(&[
        "worktree",
        "add",
        "-q",
        wt_path.to_str().unwrap(),
        "-b",
        "side",
    ]);
    std::fs::write(wt_path.join("a.txt"), format!("a\n{}\n", stripe_key())).unwrap();
    repo.git_in(&wt_path, &["add", "a.txt"], &[]);
    let (code, report, _) = repo.json(&wt_path, &["scan", "--staged"]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(paths_lines(&report), [("a.txt".to_string(), 2)]);
    // The main work tree's index is untouched.
    let (code, _, _) = repo.json(repo.path(), &["scan", "--staged"]);
    assert_eq!(code, 0);
}

#[test]
fn staged_in_an_empty_repository_is_clean() {
    let repo = Repo::new();
    let (code, report, _) = repo.json(repo.path(), &["scan", "--staged"]);
    assert_eq!(code, 0, "{report}");
}

// ---- errors ----------------------------------------------------------------

fn one_line_error(out: &std::process::Output, needle: &str) {
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains(needle), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn errors_are_one_line_with_exit_2() {
    let not_repo = tempfile::tempdir().unwrap();
    let repo = Repo::new();
    for args in [
        &["scan", "--staged"][..],
        &["scan", "--git"],
        &["hook", "install"],
    ] {
        let out = repo
            .leakhound_in(not_repo.path())
            .args(args)
            .output()
            .unwrap();
        one_line_error(&out, "not a git repository");
    }
    let out = repo
        .leakhound()
        .args(["scan", "--git", not_repo.path().to_str().unwrap()])
        .output()
        .unwrap();
    one_line_error(&out, "not a git repository");

    repo.write("a", "a\n");
    repo.commit("one");
    for (args, needle) in [
        (
            &["scan", "--git", "--range", "nope..HEAD"][..],
            "\"nope\" does not resolve",
        ),
        (
            &["scan", "--git", "--branch", "no-such-branch"],
            "does not resolve",
        ),
        (
            &["scan", "--git", "--range", "HEAD"],
            "expected a range A..B",
        ),
        (&["scan", "--git", "--range", "HEAD...HEAD"], "symmetric"),
    ] {
        let out = repo.leakhound().args(args).output().unwrap();
        one_line_error(&out, needle);
    }

    let bare = tempfile::tempdir().unwrap();
    repo.git(&["clone", "-q", "--bare", ".", bare.path().to_str().unwrap()]);
    let out = repo
        .leakhound_in(bare.path())
        .args(["scan", "--staged"])
        .output()
        .unwrap();
    one_line_error(&out, "bare repository");
    // History scans work on bare repositories.
    let out = repo
        .leakhound_in(bare.path())
        .args(["scan", "--git"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

// ---- scan --git --------------------------------------------------------------

#[test]
fn history_finds_a_deleted_secret_with_the_adding_commit() {
    let repo = Repo::new();
    repo.write("README", "hello\n");
    repo.commit("init");
    repo.write(
        "deploy/keys.sh",
        &format!("#!/bin/sh\nexport K={}\n", stripe_key()),
    );
    let date = "2021-03-04T05:06:07+02:00";
    repo.git(&["add", "-A"]);
    repo.git_in(
        repo.path(),
        &["commit", "-q", "-m", "add deploy keys\n\nlonger body"],
        &[
            ("GIT_AUTHOR_NAME", "Alice Leaker"),
            ("GIT_AUTHOR_EMAIL", "alice@example.org"),
            ("GIT_AUTHOR_DATE", date),
            ("GIT_COMMITTER_DATE", date),
        ],
    );
    let adding = repo.git(&["rev-parse", "HEAD"]);
    repo.git(&["rm", "-q", "deploy/keys.sh"]);
    repo.commit("remove keys");
    let (code, report, _) = repo.json(repo.path(), &["scan", "--git"]);
    assert_eq!(code, 1, "{report}");
    let f = findings(&report);
    assert_eq!(f.len(), 1, "{report}");
    assert_eq!(f[0]["path"], "deploy/keys.sh");
    assert_eq!(f[0]["line"], 2);
    assert_eq!(f[0]["column"], 10);
    let c = &f[0]["commit"];
    assert_eq!(c["id"], adding.as_str());
    assert_eq!(c["author_name"], "Alice Leaker");
    assert_eq!(c["author_email"], "alice@example.org");
    assert_eq!(c["date"], date);
    assert_eq!(c["summary"], "add deploy keys");
    // The human report says where it came in.
    let out = repo.leakhound().args(["scan", "--git"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("introduced in {} by Alice Leaker", &adding[..12])),
        "{text}"
    );
}

#[test]
fn history_reports_a_secret_kept_across_many_commits_once() {
    let repo = Repo::new();
    let key = stripe_key();
    repo.write("conf.ini", &format!("[stripe]\nkey={key}\nv=0\n"));
    let first = repo.commit("add key");
    for i in 1..=12 {
        repo.write("conf.ini", &format!("[stripe]\nkey={key}\nv={i}\n"));
        repo.write("other.txt", &format!("{i}\n"));
        repo.commit(&format!("change {i}"));
    }
    // Moved down a line in a later version: still the same finding.
    repo.write("conf.ini", &format!("# header\n[stripe]\nkey={key}\n"));
    repo.commit("header");
    let (code, report, _) = repo.json(repo.path(), &["scan", "--git"]);
    assert_eq!(code, 1);
    let f = findings(&report);
    assert_eq!(f.len(), 1, "{report}");
    assert_eq!(f[0]["commit"]["id"], first.as_str());
    assert_eq!(f[0]["line"], 2);
    // Every unique blob was read once: 14 versions of conf.ini, 12 of other.txt.
    assert_eq!(report["summary"]["files"], 14 + 12);
}

#[test]
fn range_reports_only_what_b_introduces() {
    let repo = Repo::new();
    let old = stripe_key();
    repo.write("a.env", &format!("OLD={old}\n"));
    repo.write("b.env", "clean\n");
    repo.commit("base with an old secret");
    repo.git(&["tag", "base"]);
    let new = aws_key();
    // B's side touches the file with the old secret (a new blob that still
    // holds it), moves it to a new path, and adds a new secret.
    repo.write("a.env", &format!("# moved\nOLD={old}\n"));
    repo.commit("touch old");
    repo.git(&["mv", "a.env", "moved.env"]);
    repo.commit("move");
    repo.write("b.env", &format!("clean\nNEW={new}\n"));
    let introducing = repo.commit("new secret");
    repo.write("c.txt", "after\n");
    repo.commit("after");
    let (code, report, _) = repo.json(repo.path(), &["scan", "--git", "--range", "base..HEAD"]);
    assert_eq!(code, 1, "{report}");
    let f = findings(&report);
    assert_eq!(f.len(), 1, "{report}");
    assert_eq!(f[0]["path"], "b.env");
    assert_eq!(f[0]["line"], 2);
    assert_eq!(f[0]["commit"]["id"], introducing.as_str());
    // The whole history has both.
    let (_, report, _) = repo.json(repo.path(), &["scan", "--git"]);
    assert_eq!(findings(&report).len(), 2, "{report}");
    // An empty range is clean; `A..` means `A..HEAD`.
    let (code, _, _) = repo.json(repo.path(), &["scan", "--git", "--range", "HEAD..HEAD"]);
    assert_eq!(code, 0);
    let (code, report, _) = repo.json(repo.path(), &["scan", "--git", "--range", "base.."]);
    assert_eq!((code, findings(&report).len()), (1, 1));
}

#[test]
fn merges_and_octopus_merges_attribute_secrets_to_their_branches() {
    let repo = Repo::new();
    repo.write("base.txt", "base\n");
    repo.commit("root");
    let mut tips = Vec::new();
    let mut keys = Vec::new();
    for b in ["one", "two", "three"] {
        repo.git(&["checkout", "-q", "-b", b, "main"]);
        let key = stripe_key();
        repo.write(&format!("{b}.txt"), &format!("k={key}\n"));
        tips.push(repo.commit(&format!("secret on {b}")));
        keys.push(key);
    }
    repo.git(&["checkout", "-q", "main"]);
    repo.git_in(
        repo.path(),
        &["merge", "-q", "--no-edit", "one", "two", "three"],
        &[],
    );
    let octopus = repo.git(&["rev-parse", "HEAD"]);
    assert_eq!(
        repo.git(&["rev-list", "--parents", "-n1", "HEAD"])
            .split(' ')
            .count(),
        4
    );
    // A two-parent merge whose result adds a secret of its own.
    repo.git(&["checkout", "-q", "-b", "side", "main~1"]);
    repo.write("side.txt", "side\n");
    repo.commit("side");
    repo.git(&["checkout", "-q", "main"]);
    repo.git_in(repo.path(), &["merge", "-q", "--no-commit", "side"], &[]);
    repo.write("merge.txt", &format!("m={}\n", aws_key()));
    let merge = repo.commit("merge side with a secret");
    // Delete every branch: the history is reachable from main only.
    repo.git(&["branch", "-q", "-D", "one", "two", "three", "side"]);
    let (code, report, _) = repo.json(repo.path(), &["scan", "--git"]);
    assert_eq!(code, 1);
    let mut got: Vec<(String, String)> = findings(&report)
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["commit"]["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    let mut want = vec![
        ("merge.txt".to_string(), merge),
        ("one.txt".to_string(), tips[0].clone()),
        ("three.txt".to_string(), tips[2].clone()),
        ("two.txt".to_string(), tips[1].clone()),
    ];
    want.sort();
    assert_eq!(got, want, "{report}");
    assert_ne!(octopus, "");
}

#[test]
fn renames_and_re_added_files_do_not_duplicate_findings() {
    let repo = Repo::new();
    let key = stripe_key();
    repo.write("a/secret.txt", &format!("{key}\n"));
    let first = repo.commit("add");
    repo.git(&["mv", "a", "b"]);
    repo.commit("rename dir");
    repo.git(&["rm", "-q", "-r", "b"]);
    repo.commit("delete");
    repo.write("a/secret.txt", &format!("{key}\n"));
    repo.commit("re-add");
    let (_, report, _) = repo.json(repo.path(), &["scan", "--git"]);
    let f = findings(&report);
    assert_eq!(f.len(), 1, "{report}");
    assert_eq!(f[0]["path"], "a/secret.txt");
    assert_eq!(f[0]["commit"]["id"], first.as_str());
}

#[test]
fn history_covers_all_refs_unless_narrowed_by_branch_or_since() {
    let repo = Repo::new();
    repo.write("a.txt", &format!("{}\n", stripe_key()));
    repo.commit_at("old secret", "2019-06-01T00:00:00+00:00");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("f.txt", &format!("{}\n", aws_key()));
    repo.commit_at("feature secret", "2023-06-01T00:00:00+00:00");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("b.txt", "clean\n");
    repo.commit_at("clean", "2023-07-01T00:00:00+00:00");
    // A tag on an orphan commit is a ref too.
    repo.git(&["checkout", "-q", "--orphan", "orphan"]);
    repo.git(&["rm", "-q", "-r", "--cached", "."]);
    std::fs::remove_file(repo.path().join("a.txt")).unwrap();
    std::fs::remove_file(repo.path().join("b.txt")).unwrap();
    repo.write("o.txt", &format!("{}\n", stripe_key()));
    repo.commit_at("orphan secret", "2023-08-01T00:00:00+00:00");
    repo.git(&["tag", "orphan-tag"]);
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["branch", "-q", "-D", "orphan"]);

    let count = |args: &[&str]| {
        let (_, report, _) = repo.json(repo.path(), args);
        let mut p: Vec<String> = findings(&report)
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect();
        p.sort();
        p
    };
    assert_eq!(count(&["scan", "--git"]), ["a.txt", "f.txt", "o.txt"]);
    assert_eq!(count(&["scan", "--git", "--branch", "main"]), ["a.txt"]);
    assert_eq!(
        count(&["scan", "--git", "--branch", "feature"]),
        ["a.txt", "f.txt"]
    );
    // Since 2023: the old secret, present before, is not new.
    assert_eq!(
        count(&["scan", "--git", "--since", "2023-01-01"]),
        ["f.txt", "o.txt"]
    );
    assert!(count(&["scan", "--git", "--since", "2024-01-01T00:00:00Z"]).is_empty());
}

#[test]
fn empty_repository_is_clean_and_path_argument_names_the_repo() {
    let repo = Repo::new();
    let elsewhere = tempfile::tempdir().unwrap();
    let (code, report, err) = repo.json(
        elsewhere.path(),
        &["scan", "--git", repo.path().to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    assert!(findings(&report).is_empty());
}

#[test]
fn shallow_clones_scan_what_they_have_and_say_so() {
    let repo = Repo::new();
    repo.write("a.txt", &format!("{}\n", stripe_key()));
    repo.commit("secret");
    repo.write("b.txt", &format!("{}\n", aws_key()));
    repo.commit("second");
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    repo.git(&[
        "clone",
        "-q",
        "--depth",
        "1",
        &url,
        clone.path().to_str().unwrap(),
    ]);
    let (code, report, _) = repo.json(clone.path(), &["scan", "--git"]);
    assert_eq!(code, 1);
    // Both files are in the one commit the clone has.
    assert_eq!(findings(&report).len(), 2);
    let notes = report["summary"]["notes"].to_string();
    assert!(
        notes.contains("history is truncated (shallow clone)"),
        "{notes}"
    );
}

#[test]
fn history_skips_gitlinks_and_binaries() {
    let repo = Repo::new();
    repo.write("a.txt", "a\n");
    let head = repo.commit("init");
    repo.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{head},sub"),
    ]);
    std::fs::write(
        repo.path().join("b.bin"),
        [b"\0".as_slice(), stripe_key().as_bytes()].concat(),
    )
    .unwrap();
    repo.git(&["add", "b.bin"]);
    repo.git(&["commit", "-q", "-m", "gitlink and binary"]);
    let (code, report, _) = repo.json(repo.path(), &["scan", "--git"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["summary"]["skipped_binary"], 1);
}

// ---- hook install / uninstall ---------------------------------------------

fn hook_cmd(repo: &Repo, dir: &Path, args: &[&str]) -> std::process::Output {
    repo.leakhound_in(dir)
        .arg("hook")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn hook_install_blocks_secret_commits_and_uninstall_removes_it() {
    let repo = Repo::new();
    repo.write("a.txt", "a\n");
    repo.commit("init");
    repo.write("sub/dir/x", "x\n");
    let out = hook_cmd(&repo, &repo.path().join("sub/dir"), &["install"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hook = repo.path().join(".git/hooks/pre-commit");
    let text = std::fs::read_to_string(&hook).unwrap();
    assert!(text.contains("leakhound-managed-hook") && text.contains("scan --staged"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&hook).unwrap().permissions().mode() & 0o111,
            0o111
        );
    }
    // A secret commit is blocked with a readable message; a clean one passes.
    repo.write("leak.txt", &format!("token {}\n", stripe_key()));
    repo.git(&["add", "leak.txt"]);
    let msg = git_fails(&repo, &["commit", "-q", "-m", "leak"]);
    assert!(msg.contains("leak.txt:1:7"), "{msg}");
    assert!(msg.contains("commit blocked"), "{msg}");
    repo.git(&["rm", "-q", "--cached", "leak.txt"]);
    repo.write("ok.txt", "fine\n");
    repo.git(&["add", "ok.txt"]);
    repo.git(&["commit", "-q", "-m", "clean"]);
    // `git commit -a` (a temporary index) is scanned too.
    repo.write("ok.txt", &format!("fine\n{}\n", aws_key()));
    let msg = git_fails(&repo, &["commit", "-q", "-a", "-m", "leak via -a"]);
    assert!(msg.contains("ok.txt:2:1"), "{msg}");
    // Reinstall updates; uninstall removes.
    assert!(hook_cmd(&repo, repo.path(), &["install"]).status.success());
    let out = hook_cmd(&repo, repo.path(), &["uninstall"]);
    assert!(out.status.success());
    assert!(!hook.exists());
    let out = hook_cmd(&repo, repo.path(), &["uninstall"]);
    assert!(out.status.success(), "nothing to remove is fine");
}

#[test]
fn hook_install_respects_foreign_hooks_and_force() {
    let repo = Repo::new();
    let hooks = repo.path().join(".git/hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    let foreign = "#!/bin/sh\necho mine\n";
    std::fs::write(hooks.join("pre-commit"), foreign).unwrap();
    let out = hook_cmd(&repo, repo.path(), &["install"]);
    one_line_error(&out, "--force");
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit")).unwrap(),
        foreign
    );
    let out = hook_cmd(&repo, repo.path(), &["uninstall"]);
    one_line_error(&out, "not written by leakhound");
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit")).unwrap(),
        foreign
    );
    let out = hook_cmd(&repo, repo.path(), &["install", "--force"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("replaced"));
    assert!(
        std::fs::read_to_string(hooks.join("pre-commit"))
            .unwrap()
            .contains("leakhound-managed-hook")
    );
}

#[test]
fn hook_install_honours_core_hooks_path_and_worktrees() {
    let repo = Repo::new();
    repo.write("a.txt", "a\n");
    repo.commit("init");
    // Relative core.hooksPath: from the work tree's root.
    repo.git(&["config", "core.hooksPath", ".githooks"]);
    repo.write("deep/er/x", "x\n");
    let out = hook_cmd(&repo, &repo.path().join("deep/er"), &["install"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(repo.path().join(".githooks/pre-commit").exists());
    assert!(!repo.path().join(".git/hooks/pre-commit").exists());
    repo.write("leak.txt", &format!("{}\n", stripe_key()));
    repo.git(&["add", "leak.txt"]);
    git_fails(&repo, &["commit", "-q", "-m", "leak"]);
    repo.git(&["rm", "-q", "--cached", "leak.txt"]);
    // Absolute core.hooksPath.
    let abs = tempfile::tempdir().unwrap();
    repo.git(&["config", "core.hooksPath", abs.path().to_str().unwrap()]);
    assert!(hook_cmd(&repo, repo.path(), &["install"]).status.success());
    assert!(abs.path().join("pre-commit").exists());
    assert!(
        hook_cmd(&repo, repo.path(), &["uninstall"])
            .status
            .success()
    );
    assert!(!abs.path().join("pre-commit").exists());
    // A linked worktree installs into the common git dir's hooks.
    repo.git(&["config", "--unset", "core.hooksPath"]);
    let wt = tempfile::tempdir().unwrap();
    let wt_path = wt.path().join("wt");
    repo.git(&[
        "worktree",
        "add",
        "-q",
        wt_path.to_str().unwrap(),
        "-b",
        "side",
    ]);
    assert!(hook_cmd(&repo, &wt_path, &["install"]).status.success());
    assert!(repo.path().join(".git/hooks/pre-commit").exists());
}

// ---- the staged fast path agrees with git ------------------------------------

#[test]
fn index_fast_path_lists_what_git_diff_cached_lists() {
    use leakhound::source::git::index_fast;
    let repo = Repo::new();
    for (p, c) in [
        ("top.txt", "t\n"),
        ("a/one.txt", "1\n"),
        ("a/b/two.txt", "2\n"),
        ("a/b/c/three.txt", "3\n"),
        ("a-b/dash.txt", "d\n"),
        ("z/keep.txt", "k\n"),
        ("z/gone.txt", "g\n"),
    ] {
        repo.write(p, c);
    }
    let check = |label: &str| {
        let git = git2::Repository::open(repo.path()).unwrap();
        let mut got: Vec<String> = index_fast::changed_entries(&git, &index_fast::index_path(&git))
            .expect("a readable index")
            .expect("fast path reads this index")
            .into_iter()
            .map(|c| c.path.as_str().to_owned())
            .collect();
        got.sort();
        // Regular files whose blob changed (a mode-only change adds no line).
        let raw = repo.git(&[
            "diff",
            "--cached",
            "--no-renames",
            "--raw",
            "--no-abbrev",
            "--diff-filter=AMT",
        ]);
        let mut want: Vec<String> = raw
            .lines()
            .filter_map(|l| {
                let (meta, path) = l.split_once('\t')?;
                let f: Vec<&str> = meta.split_whitespace().collect();
                (f[1].starts_with("100") && f[2] != f[3]).then(|| path.to_string())
            })
            .collect();
        want.sort();
        assert_eq!(got, want, "{label}");
    };
    repo.git(&["add", "-A"]);
    check("before the first commit");
    repo.commit("init");
    check("right after a commit (valid cache-tree)");
    repo.write("a/b/two.txt", "2 changed\n");
    repo.write("a/b/new.txt", "new\n");
    repo.write("a-b/dash.txt", "d2\n");
    repo.write("n/e/w/deep.txt", "deep\n");
    std::fs::remove_file(repo.path().join("z/gone.txt")).unwrap();
    repo.git(&["add", "-A"]);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("top.txt", repo.path().join("link")).unwrap();
        repo.git(&["add", "link"]);
    }
    repo.git(&["update-index", "--chmod=+x", "top.txt"]);
    check("changes in nested, new and sibling directories");
    // An index without a cache-tree.
    repo.git(&["read-tree", "HEAD"]);
    repo.write("a/b/c/three.txt", "3 changed\n");
    repo.git(&["add", "-A"]);
    check("after read-tree");
    // Version 4 (compressed paths), then a split index with changes in
    // front of the shared index.
    repo.git(&["update-index", "--index-version", "4"]);
    check("version 4");
    repo.git(&["update-index", "--split-index"]);
    repo.write("a/one.txt", "1 changed\n");
    repo.write("a/b/c/four.txt", "4\n");
    repo.git(&["rm", "-q", "--cached", "a-b/dash.txt"]);
    repo.git(&["add", "a/one.txt", "a/b/c/four.txt"]);
    check("split index");
}

#[test]
fn staged_findings_honour_the_baseline_from_a_subdirectory() {
    let repo = Repo::new();
    repo.write("app/keep.txt", "k\n");
    repo.commit("init");
    repo.write("app/conf.py", &format!("KEY = '{}'\n", stripe_key()));
    let out = repo
        .leakhound()
        .args(["baseline", "create", "."])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    repo.git(&["add", "app/conf.py"]);
    // Only the index has the file now, and the scan runs from `app/`: the
    // finding's path is repository-relative, so the baseline still applies.
    std::fs::remove_file(repo.path().join("app/conf.py")).unwrap();
    let app = repo.path().join("app");
    let (code, report, err) = repo.json(&app, &["scan", "--staged"]);
    assert_eq!(code, 0, "{report} {err}");
    let (code, report, _) = repo.json(&app, &["scan", "--staged", "--no-baseline"]);
    assert_eq!(code, 1);
    assert_eq!(paths_lines(&report), [("app/conf.py".to_string(), 1)]);
}

/// Deletes the loose object `oid` of `repo`.
fn delete_object(repo: &Repo, oid: &str) {
    let p = repo
        .path()
        .join(".git/objects")
        .join(&oid[..2])
        .join(&oid[2..]);
    std::fs::remove_file(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
}

#[test]
fn a_missing_blob_is_a_warning_and_a_missing_tree_an_error() {
    let repo = Repo::new();
    repo.write("keep.txt", &format!("{}\n", stripe_key()));
    repo.write("lost.txt", "this blob will be lost\n");
    repo.write("dir/x.txt", "x\n");
    repo.commit("one");
    let lost = repo.git(&["rev-parse", "HEAD:lost.txt"]);
    delete_object(&repo, &lost);
    let (code, report, err) = repo.json(repo.path(), &["scan", "--git"]);
    assert_eq!(code, 1, "the rest is still scanned: {err}");
    assert_eq!(findings(&report).len(), 1);
    assert_eq!(report["summary"]["errors"], 1);
    assert!(err.contains("lost.txt") && err.contains(&lost), "{err}");

    let tree = repo.git(&["rev-parse", "HEAD:dir"]);
    delete_object(&repo, &tree);
    let out = repo.leakhound().args(["scan", "--git"]).output().unwrap();
    one_line_error(&out, &format!("unreadable git object {tree}"));
}

/// `-o` onto something that is not a regular file (here a FIFO; `/dev/null`
/// in real life) writes into it instead of renaming a file over it.
#[cfg(unix)]
#[test]
fn output_to_a_fifo_or_device_writes_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let repo = Repo::new();
    repo.write("a.txt", "a\n");
    repo.commit("one");
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("report.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo unavailable: skipped");
        return;
    }
    // Held open for reading and writing: leakhound's open does not wait for a
    // reader, and the small report fits in the pipe's buffer.
    let mut held = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&fifo)
        .unwrap();
    let out = repo
        .leakhound()
        .args(["scan", "--git", "--format", "json", "-o"])
        .arg(&fifo)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    let mut buf = vec![0u8; 1 << 16];
    let n = std::io::Read::read(&mut held, &mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf[..n]);
    assert!(text.contains("\"findings\""), "{text}");
}

#[test]
fn staged_modification_reports_only_its_added_secret() {
    let repo = Repo::new();
    let old = stripe_key();
    repo.write("conf/app.env", &format!("A=1\nOLD={old}\nB=2\n"));
    repo.commit("old");
    let new = aws_key();
    repo.write(
        "conf/app.env",
        &format!("A=1\nOLD={old}\nB=2\nNEW={new}\nC=3\n"),
    );
    repo.git(&["add", "-A"]);
    let (code, report, _) = repo.json(&repo.path().join("conf"), &["scan", "--staged"]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(paths_lines(&report), [("conf/app.env".to_string(), 4)]);
    assert_eq!(findings(&report)[0]["rule_id"], "aws-access-key-id");
}
