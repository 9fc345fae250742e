//! Embeds every `rules/**/*.toml` file in the binary: generates a list of
//! `(path under rules/, contents as JSON)` pairs, sorted, so adding a rule
//! file (or a category folder) needs no code change. The TOML is parsed
//! here, once, into the same tree as JSON: loading 300 rule files from JSON
//! at each start costs a fraction of parsing their TOML (the pre-commit
//! check's budget is a few milliseconds). A file that is not valid TOML
//! fails the build, naming the file.
use std::{env, fs, path::Path};

fn main() {
    // Read at run time: `env!` would bake in the directory the build script
    // was first compiled in, so a copied `target/` would embed another
    // checkout's rules.
    let manifest_dir = env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest_dir).join("rules");
    let mut files = Vec::new();
    collect(&dir, &mut files);
    files.sort();
    let mut out = String::from(
        "/// Built-in rule files: (file name, the file's TOML tree as JSON).\npub static BUILTIN_RULE_FILES: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f
            .strip_prefix(&dir)
            .expect("under rules/")
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let text = fs::read_to_string(f).expect("read a rule file");
        let tree: toml::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("rules/{name} is not valid TOML: {e}"));
        let json = serde_json::to_string(&tree).expect("rule file as JSON");
        out.push_str(&format!("    ({name:?}, {json:?}),\n"));
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("builtin_rules.rs");
    fs::write(dest, out).expect("write builtin_rules.rs");
}

/// The `.toml` files under `dir`, recursively; every folder is watched.
fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    for entry in fs::read_dir(dir).expect("rules/ directory").flatten() {
        let p = entry.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}
