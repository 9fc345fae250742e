//! Engine throughput on realistic text (MB/s).
//!
//! By default the corpus is synthetic source code (Python, JS, Go, YAML,
//! .env and Markdown lines, with the keywords real code holds: `password`,
//! `token`, `secret`, `key`, URLs, base64) and a few planted secrets. Set
//! `LEAKHOUND_BENCH_CORPUS=DIR` to use the text files of a real tree instead
//! (up to 64 MB).

mod common;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use leakhound::engine::Engine;
use leakhound::rules::RuleSet;

const LINES: &[&str] = &[
    "def get_user(session, user_id: int) -> Optional[User]:",
    "    return session.query(User).filter(User.id == user_id).first()",
    "    password = request.form.get(\"password\")",
    "    if not verify_password(password, user.password_hash):",
    "const token = localStorage.getItem('auth_token');",
    "export async function fetchData(url, { headers = {} } = {}) {",
    "  const res = await fetch(`${API_BASE}/v1/items?page=${page}`, { headers });",
    "func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {",
    "\tsecret := os.Getenv(\"JWT_SECRET\")",
    "\tif err != nil { return fmt.Errorf(\"decode key: %w\", err) }",
    "  image: postgres:16-alpine",
    "      - DATABASE_URL=postgresql://app:${POSTGRES_PASSWORD}@db:5432/app",
    "SECRET_KEY=${SECRET_KEY}",
    "## Configure the API key in your environment before running the tests.",
    "integrity sha512-3Z9Xq8kV6u2Y1mQ0rB5nHcL7wE4tP9sJfGdA2oKxN8yRvT1zMbUiWcQeSlIhFpDg==",
    "    \"resolved\": \"https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz\",",
    "id: 3f2504e0-4f89-11d3-9a0c-0305e82c3301 commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
    "    color: #1e90ff; background: url(data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB);",
    "        self.assertEqual(response.status_code, 200, msg=response.content)",
    "// TODO: rotate the signing key once the new KMS key is live",
];

fn synthetic(size: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(size + 256);
    let mut i = 0usize;
    while out.len() < size {
        out.extend_from_slice(LINES[i % LINES.len()].as_bytes());
        out.push(b'\n');
        if i % 5003 == 0 {
            // A planted secret now and then, built here, not written literally.
            out.extend_from_slice(
                format!("STRIPE_KEY=sk_{}_{}\n", "live", "Zq81bT0pLmW4vXs7Kd2Rn6Yc").as_bytes(),
            );
        }
        i = i.wrapping_mul(31).wrapping_add(7) % 1_000_003;
    }
    out
}

fn corpus() -> Vec<Vec<u8>> {
    if let Some(files) = common::corpus_dir() {
        return files;
    }
    // 8 MB as files of 16 KiB, the shape of a source tree.
    synthetic(8 << 20)
        .chunks(16 << 10)
        .map(<[u8]>::to_vec)
        .collect()
}

fn bench(c: &mut Criterion) {
    let engine = Engine::new(RuleSet::builtin().expect("rules"));
    let files = corpus();
    let bytes: usize = files.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("scan", |b| {
        b.iter(|| {
            let n: usize = files.iter().map(|f| engine.scan(black_box(f)).len()).sum();
            black_box(n)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
