//! Look-alikes that must stay quiet: one test per category (UUIDs, digests,
//! lockfile hashes, data URIs, minified code, CSS colours, translations,
//! documented example keys, template variables and environment lookups,
//! public keys, publishable keys, repeated-character fixtures). Every value
//! is built at test time from a seeded generator, in files named and shaped
//! as they are in real projects. Where it fits, a real-format secret sits in
//! the same file and must be the only finding, so each test can fail both
//! ways.

mod common;

use common::*;

const HEX: &[u8] = b"0123456789abcdef";
const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Asserts that the files give no finding and exit code 0.
fn assert_quiet(files: &[(&str, String)]) {
    let (code, found) = scan_files(files);
    assert!(
        found.is_empty() && code == 0,
        "expected no findings, got (exit {code}):\n{}",
        describe(&found)
    );
}

/// Standard base64 of `n` random bytes, with padding.
fn b64_bytes(r: &mut Rng, n: usize) -> String {
    use base64::Engine as _;
    let bytes: Vec<u8> = (0..n).map(|_| r.next() as u8).collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn uuids() {
    let mut r = Rng::new(101);
    let mut yaml = String::from("service:\n");
    for name in [
        "client_id",
        "tenant_id",
        "subscription_id",
        "secret_id",
        "key_id",
        "token_id",
        "request_id",
        "correlationId",
        "session_id",
        "api_key_id",
    ] {
        yaml.push_str(&format!("  {name}: {}\n", uuid(&mut r)));
    }
    let json = format!(
        "{{\n  \"id\": \"{}\",\n  \"secretId\": \"{}\",\n  \"tokenId\": \"{}\",\n  \"password_reset_id\": \"{}\"\n}}\n",
        uuid(&mut r),
        uuid(&mut r),
        uuid(&mut r),
        uuid(&mut r)
    );
    let upper = format!(
        "[Guid(\"{}\")]\npublic class SecretStore {{}}\n",
        uuid(&mut r).to_uppercase()
    );
    assert_quiet(&[
        ("deploy/values.yaml", yaml.clone()),
        ("fixtures/ids.json", json),
        ("src/SecretStore.cs", upper),
    ]);
    // A real key among the ids is still found.
    let with_key = format!("{yaml}  stripe_key: {}\n", stripe_live(7));
    assert_only(
        &[("deploy/values.yaml", with_key)],
        &[("deploy/values.yaml", "stripe-secret-key-live")],
    );
}

#[test]
fn git_and_docker_digests() {
    let mut r = Rng::new(202);
    let sha1 = |r: &mut Rng| r.string(HEX, 40);
    let sha256 = |r: &mut Rng| r.string(HEX, 64);
    let workflow = format!(
        "name: ci\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      \
         - uses: actions/checkout@{} # v4.1.1\n      \
         - uses: actions/setup-node@{} # v4\n      \
         - uses: docker/login-action@{}\n",
        sha1(&mut r),
        sha1(&mut r),
        sha1(&mut r)
    );
    let compose = format!(
        "services:\n  db:\n    image: postgres@sha256:{}\n  cache:\n    image: redis:7@sha256:{}\n",
        sha256(&mut r),
        sha256(&mut r)
    );
    let manifest = format!(
        "{{\n  \"schemaVersion\": 2,\n  \"config\": {{\"digest\": \"sha256:{}\", \"size\": 7023}},\n  \
         \"layers\": [{{\"digest\": \"sha256:{}\"}}]\n}}\n",
        sha256(&mut r),
        sha256(&mut r)
    );
    let build_info = format!(
        "GIT_COMMIT={}\nGIT_SHA = \"{}\"\nrevision: {}\nparent_sha: {}\nsecret_rotation_commit = \"{}\"\n",
        sha1(&mut r),
        sha1(&mut r),
        sha1(&mut r),
        sha1(&mut r),
        sha1(&mut r)
    );
    let blame = format!(
        "# .git-blame-ignore-revs\n{}\n{}\n",
        sha1(&mut r),
        sha1(&mut r)
    );
    let kustomize = format!(
        "images:\n  - name: api\n    newName: ghcr.io/acme/api\n    digest: sha256:{}\n",
        sha256(&mut r)
    );
    assert_quiet(&[
        (".github/workflows/ci.yml", workflow),
        ("docker-compose.yml", compose),
        ("oci/manifest.json", manifest),
        ("build/info.env.txt", build_info.clone()),
        ("git-blame-ignore-revs.txt", blame),
        ("k8s/kustomization.yaml", kustomize),
    ]);
    let with_key = format!(
        "{build_info}AWS_ACCESS_KEY_ID={}\nAWS_SECRET_ACCESS_KEY={}\n",
        aws_key_id(3),
        aws_secret(4)
    );
    assert_only(
        &[("build/info.env.txt", with_key)],
        &[
            ("build/info.env.txt", "aws-access-key-id"),
            ("build/info.env.txt", "aws-secret-access-key"),
        ],
    );
}

#[test]
fn lockfile_hashes() {
    let mut r = Rng::new(303);
    let mut npm = String::from(
        "{\n  \"name\": \"web\",\n  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {\n",
    );
    for (i, name) in [
        "lodash",
        "secret-handshake",
        "jsonwebtoken",
        "keygrip",
        "token-types",
    ]
    .iter()
    .enumerate()
    {
        npm.push_str(&format!(
            "    \"node_modules/{name}\": {{\n      \"version\": \"{i}.2.3\",\n      \
             \"resolved\": \"https://registry.npmjs.org/{name}/-/{name}-{i}.2.3.tgz\",\n      \
             \"integrity\": \"sha512-{}\",\n      \"license\": \"MIT\"\n    }},\n",
            b64_bytes(&mut r, 64)
        ));
    }
    npm.push_str("    \"\": {}\n  }\n}\n");
    let mut cargo = String::from("version = 4\n\n");
    for name in ["ring", "secrecy", "jsonwebtoken", "aws-sigv4"] {
        cargo.push_str(&format!(
            "[[package]]\nname = \"{name}\"\nversion = \"0.17.8\"\n\
             source = \"registry+https://github.com/rust-lang/crates.io-index\"\n\
             checksum = \"{}\"\n\n",
            r.string(HEX, 64)
        ));
    }
    cargo.push_str(&format!(
        "[[package]]\nname = \"forked\"\nversion = \"0.1.0\"\n\
         source = \"git+https://github.com/acme/forked?rev=main#{}\"\n",
        r.string(HEX, 40)
    ));
    let mut gosum = String::new();
    for m in [
        "github.com/aws/aws-sdk-go-v2",
        "github.com/golang-jwt/jwt/v5",
        "golang.org/x/crypto",
    ] {
        gosum.push_str(&format!("{m} v1.24.0 h1:{}\n", b64_bytes(&mut r, 32)));
        gosum.push_str(&format!(
            "{m} v1.24.0/go.mod h1:{}\n",
            b64_bytes(&mut r, 32)
        ));
    }
    let mut yarn = String::from("# yarn lockfile v1\n\n");
    for name in ["jsonwebtoken", "secure-random", "api-key-auth"] {
        yarn.push_str(&format!(
            "{name}@^9.0.0:\n  version \"9.0.2\"\n  \
             resolved \"https://registry.yarnpkg.com/{name}/-/{name}-9.0.2.tgz#{}\"\n  \
             integrity sha512-{}\n\n",
            r.string(HEX, 40),
            b64_bytes(&mut r, 64)
        ));
    }
    let yarn_berry = format!(
        "\"token-types@npm:^5.0.0\":\n  version: 5.0.1\n  resolution: \"token-types@npm:5.0.1\"\n  \
         checksum: 10c0/{}\n  languageName: node\n",
        r.string(HEX, 128)
    );
    let mut poetry = String::new();
    for name in ["cryptography", "pyjwt", "keyring"] {
        poetry.push_str(&format!(
            "[[package]]\nname = \"{name}\"\nversion = \"42.0.5\"\noptional = false\n\
             files = [\n    {{file = \"{name}-42.0.5-py3-none-any.whl\", hash = \"sha256:{}\"}},\n    \
             {{file = \"{name}-42.0.5.tar.gz\", hash = \"sha256:{}\"}},\n]\n\n",
            r.string(HEX, 64),
            r.string(HEX, 64)
        ));
    }
    poetry.push_str(&format!(
        "[metadata]\nlock-version = \"2.0\"\npython-versions = \"^3.11\"\ncontent-hash = \"{}\"\n",
        r.string(HEX, 64)
    ));
    let pnpm = format!(
        "lockfileVersion: '9.0'\npackages:\n  jsonwebtoken@9.0.2:\n    resolution: {{integrity: sha512-{}}}\n",
        b64_bytes(&mut r, 64)
    );
    let requirements = format!(
        "cryptography==42.0.5 \\\n    --hash=sha256:{} \\\n    --hash=sha256:{}\n",
        r.string(HEX, 64),
        r.string(HEX, 64)
    );
    assert_quiet(&[
        ("web/package-lock.json", npm),
        ("Cargo.lock", cargo),
        ("go.sum", gosum),
        ("web/yarn.lock", yarn),
        ("app/yarn.lock", yarn_berry),
        ("poetry.lock", poetry),
        ("web/pnpm-lock.yaml", pnpm),
        ("requirements.txt", requirements),
    ]);
}

#[test]
fn data_uris_and_embedded_images() {
    let mut r = Rng::new(404);
    let png = b64_bytes(&mut r, 3000);
    let woff = b64_bytes(&mut r, 2000);
    let svg = b64_bytes(&mut r, 600);
    let css = format!(
        ".logo {{ background-image: url(data:image/png;base64,{png}); }}\n\
         @font-face {{ font-family: Inter; src: url(\"data:font/woff2;base64,{woff}\") format(\"woff2\"); }}\n"
    );
    let html = format!(
        "<!doctype html>\n<html><body>\n<img alt=\"secret badge\" src=\"data:image/svg+xml;base64,{svg}\">\n\
         <link rel=\"icon\" href=\"data:image/x-icon;base64,{}\">\n</body></html>\n",
        b64_bytes(&mut r, 400)
    );
    let json = format!(
        "{{\n  \"avatar\": \"data:image/jpeg;base64,{}\",\n  \"token_icon\": \"data:image/png;base64,{}\"\n}}\n",
        b64_bytes(&mut r, 900),
        b64_bytes(&mut r, 300)
    );
    // An image embedded in a notebook output.
    let ipynb = format!(
        "{{\"cells\": [{{\"outputs\": [{{\"data\": {{\"image/png\": \"{}\\n{}\\n\"}}}}]}}]}}\n",
        b64_bytes(&mut r, 57),
        b64_bytes(&mut r, 1500)
    );
    assert_quiet(&[
        ("static/site.css", css),
        ("templates/index.html", html.clone()),
        ("fixtures/user.json", json),
        ("notebooks/plot.ipynb", ipynb),
    ]);
    let with_key = html.replace(
        "</body>",
        &format!(
            "<script>const stripe = Stripe(\"{}\");</script>\n</body>",
            stripe_live(8)
        ),
    );
    assert_only(
        &[("templates/index.html", with_key)],
        &[("templates/index.html", "stripe-secret-key-live")],
    );
}

/// A minified bundle: long lines of short identifiers, property accesses
/// named like secrets, chunk hashes and a source map comment.
fn minified_bundle(r: &mut Rng) -> String {
    let mut js = String::from("!function(){\"use strict\";var e={};");
    for i in 0..200 {
        let a = r.string(b"abcdefghijklmnopqrstuvwxyz", 1);
        let b = r.string(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 2);
        js.push_str(&match i % 8 {
            0 => format!(
                "function {b}({a},t){{return {a}.apiKey=t.apiKey||\"\",{a}.secret=t.secret,{a}}}"
            ),
            1 => format!(
                "var {b}={{token:{a}.token,accessToken:{a}.accessToken,password:{a}.password}};"
            ),
            2 => format!("{a}.headers.Authorization=\"Bearer \"+{a}.token;"),
            3 => format!("e[{i}]=\"{}\";", r.string(HEX, 20)),
            4 => format!(
                "var _0x{}=[\"{}\",\"{}\"];",
                r.string(HEX, 4),
                r.string(B64URL, 12),
                r.string(B64URL, 9)
            ),
            5 => format!("this.secretKey=this.options.secretKey||{a}.secretKey;"),
            6 => format!("{b}.chunkHash=\"{}\";", r.string(HEX, 16)),
            _ => format!("const {b}=({a})=>{a}.replace(/[A-Za-z0-9+/=]/g,\"\");"),
        });
    }
    js.push_str("}();\n//# sourceMappingURL=app.3f9a1c.min.js.map\n");
    js
}

#[test]
fn minified_identifiers() {
    let mut r = Rng::new(505);
    let bundle = minified_bundle(&mut r);
    let chunks = format!(
        "(self.webpackChunkweb=self.webpackChunkweb||[]).push([[179],{{{}:function(e,t,n){{}}}}]);\n\
         var u={{{}}};\n",
        r.string(b"0123456789", 5),
        (0..60)
            .map(|i| format!("{i}:\"{}\"", r.string(HEX, 8)))
            .collect::<Vec<_>>()
            .join(",")
    );
    assert_quiet(&[
        ("dist/app.3f9a1c.min.js", bundle.clone()),
        ("dist/chunks.js", chunks),
    ]);
    // A key baked into the bundle at build time is still found.
    let key_id = aws_key_id(9);
    let with_key = bundle.replacen(
        "var e={};",
        &format!("var e={{}};var s3={{accessKeyId:\"{key_id}\",region:\"eu-west-1\"}};"),
        1,
    );
    assert_only(
        &[("dist/app.3f9a1c.min.js", with_key)],
        &[("dist/app.3f9a1c.min.js", "aws-access-key-id")],
    );
}

#[test]
fn css_colours() {
    let mut r = Rng::new(606);
    let mut css = String::from(":root {\n");
    for name in [
        "--color-primary",
        "--token-bg",
        "--secret-badge-color",
        "--password-strength-weak",
        "--key-highlight",
        "--auth-token-border",
    ] {
        css.push_str(&format!("  {name}: #{};\n", r.string(HEX, 6)));
    }
    css.push_str(&format!(
        "}}\n.api-key {{ color: #{}; background: #{}cc; box-shadow: 0 0 0 1px #{}; }}\n",
        r.string(HEX, 6),
        r.string(HEX, 6),
        r.string(HEX, 3)
    ));
    let scss = format!(
        "$secret-color: #{};\n$token-accent: #{};\n$password-input-bg: rgba(12, 34, 56, 0.4);\n",
        r.string(HEX, 6),
        r.string(HEX, 8)
    );
    let tokens = format!(
        "{{\n  \"color\": {{\n    \"token\": {{ \"value\": \"#{}\" }},\n    \"secret\": \"#{}\",\n    \
         \"key\": \"#{}\"\n  }}\n}}\n",
        r.string(HEX, 6),
        r.string(HEX, 6),
        r.string(HEX, 8)
    );
    let tailwind = format!(
        "module.exports = {{ theme: {{ colors: {{ 'secret': '#{}', 'token-muted': '#{}' }} }} }};\n",
        r.string(HEX, 6),
        r.string(HEX, 6)
    );
    assert_quiet(&[
        ("static/theme.css", css),
        ("styles/_variables.scss", scss),
        ("design/tokens.json", tokens),
        ("tailwind.config.js", tailwind),
    ]);
}

#[test]
fn translation_strings() {
    let en = r#"{
  "auth": {
    "password": "Password",
    "password_hint": "At least 12 characters, one number and one symbol",
    "password_reset_token_expired": "Your password reset link has expired",
    "secret_key_label": "Secret key",
    "api_key": "API key",
    "apiKeyPlaceholder": "Paste your API key",
    "token_invalid": "Invalid or expired token",
    "enter_password": "Enter your password",
    "confirmPassword": "Confirm password",
    "secret": "Secret",
    "token": "Token",
    "passwordStrength": "Strength: {{level}}",
    "api_secret_help": "Find it under Settings > API > Secrets"
  }
}
"#;
    let de = r#"{
  "auth": {
    "password": "Passwort",
    "secret_key_label": "Geheimer Schlüssel",
    "token_invalid": "Ungültiges oder abgelaufenes Token",
    "password_forgotten": "Passwort vergessen?",
    "apiKey": "API-Schlüssel"
  }
}
"#;
    let yml = "en:\n  devise:\n    passwords:\n      password: \"Password\"\n      \
               no_token: \"You can't access this page without a reset token.\"\n      \
               secret_question: \"What was the name of your first pet?\"\n";
    let po = "msgid \"Password\"\nmsgstr \"Mot de passe\"\n\nmsgid \"Secret key\"\nmsgstr \"Clé secrète\"\n\n\
              msgid \"password_too_short\"\nmsgstr \"Le mot de passe est trop court\"\n";
    let properties = "login.password=Password\nlogin.password.forgot=Forgot your password?\n\
                      api.token.label=Access token\napi.secret=Client secret\n";
    assert_quiet(&[
        ("locales/en.json", en.to_string()),
        ("locales/de.json", de.to_string()),
        ("config/locales/en.yml", yml.to_string()),
        ("locale/fr/LC_MESSAGES/django.po", po.to_string()),
        (
            "src/main/resources/messages.properties",
            properties.to_string(),
        ),
    ]);
}

/// A random password with digits and symbols, as a team would keep in config.
fn password(r: &mut Rng) -> String {
    format!("{}#{}!", r.string(BASE62, 10), r.string(b"0123456789", 3))
}

/// Issue 19, item 4: UI text in other scripts (and Latin text with diacritics
/// and typographic punctuation) under password, token and key names is prose,
/// in every file format that holds translations, with the counts,
/// placeholders and punctuation translators write. A real password beside
/// them, and a human one with diacritics and digits, are still found.
/// (Before: 14 of these were generic secrets or passwords.)
#[test]
fn text_in_other_scripts() {
    let mut r = Rng::new(1901);
    let json = r#"{
  "login.password.hint": "パスワード（8文字以上）",
  "password": "«Пароль»",
  "passwordRule": "密码长度至少为8个字符",
  "forgot_password": "¿Olvidó_su_contraseña?",
  "wrong_password": "¡Contraseña_incorrecta!",
  "api_key": "API-Schlüssel%s",
  "token_expired": "トークンの有効期限が切れました。",
  "secret_question": "«Question_secrète»"
}
"#;
    let yml = "ru:\n  auth:\n    password: Пароль(мин.8символов)\n    \
               auth_token: Ваш_токен_устарел,_войдите_снова!\n    \
               secret_key_label: 비밀번호、확인\n    new_password: 密码：\n";
    let properties = "login.password=كلمة_المرور_غير_صحيحة\nauth.password.error=パスワードが違います！\n\
                      user.secret_key=Секретный_ключ(2шт.)\n";
    let strings_xml = "<resources>\n    <string name=\"password_hint\">Κωδικός(8+χαρακτήρες)</string>\n    \
                       <string name=\"api_secret\">הסיסמה_שגויה!</string>\n</resources>\n";
    let ios =
        "\"password\" = \"Mot_de_passe_oublié?\";\n\"secret_token\" = \"รหัสผ่านอย่างน้อย8ตัว\";\n";
    let ts =
        "export default { password: 'पासवर्ड(8अक्षर)', apiToken: \"Токен_истёк,_войдите_снова\" };\n";
    let prose = [
        ("locales/ja.json", json.to_string()),
        ("config/locales/ru.yml", yml.to_string()),
        (
            "src/main/resources/messages_ar.properties",
            properties.to_string(),
        ),
        (
            "app/src/main/res/values-el/strings.xml",
            strings_xml.to_string(),
        ),
        ("Resources/fr.lproj/Localizable.strings", ios.to_string()),
        ("src/i18n/hi.ts", ts.to_string()),
    ];
    assert_quiet(&prose);
    let human = format!(
        "Añejo-{}{}!",
        r.string(b"KLMNOP", 1),
        r.string(b"0123456789", 4)
    );
    let config = format!(
        "DB_PASSWORD = \"{}\"\nSMTP_PASSWORD = \"{human}\"\n",
        password(&mut r)
    );
    let mut files = prose.to_vec();
    files.push(("config/settings.py", config));
    assert_only(
        &files,
        &[
            ("config/settings.py", "generic-password"),
            ("config/settings.py", "generic-password"),
        ],
    );
}

/// Issue 19, item 5b: identifiers with separators are code, not secrets:
/// Pulumi type tokens and URNs, ARNs, OAuth and SAML URNs, media types, and
/// shell comparisons (`test "$linkmode,$pass" = "prog,scan"`), under
/// secret-ish names. Real passwords in the same files are still found.
/// (Before: the type tokens, the media types and the comparisons were
/// reported.)
#[test]
fn identifiers_with_separators() {
    let mut r = Rng::new(1902);
    let pulumi_py = "import pulumi\n\n\
                     @pulumi.type_token(\"plant:tree/v1:Diameter\")\n\
                     class Diameter(pulumi.CustomResource):\n    pass\n\n\
                     token = \"azure-native:storage/v20230101:StorageAccount\"\n\
                     secret_urn = \"urn:pulumi:prod::web::aws:s3/bucket:Bucket::assets\"\n";
    let pulumi_ts = "export const bucket = { token: \"aws:s3/Bucket:Bucket\" };\n\
                     const token: string = \"gcp:compute/instanceIamMember:InstanceIamMember\";\n\
                     const tokenAccept = 'application/vnd.github.v3+json';\n\
                     const secretMime = \"application/vnd.oai.openapi+json;version=3.0\";\n";
    let auth = "auth:\n  subject_token_type: urn:ietf:params:oauth:token-type:refresh_token\n  \
                token: \"urn:oasis:names:tc:SAML:2.0:nameid-format:persistent\"\n  \
                secret_arn: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/Db-Xy12Ab\n  \
                signing_key: \"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\"\n";
    let q = '"';
    // Quotes by `q`: escaped in this file, they would read as a quoted assignment.
    let ltmain = format!(
        "for pass in $passes; do\n  \
                  if test {q}$linkmode,$pass{q} = {q}prog,scan{q}; then\n    :\n  fi\n  \
                  if test {q}$linkmode,$pass{q} = {q}lib,dlpreopen{q}; then\n    :\n  fi\n  \
                  test {q}X$password{q} = {q}X$confirmpwd{q} || exit 1\n  \
                  [ {q}x$auth_token{q} = {q}xdefault,disabled{q} ] && continue\n\
                  done\n"
    );
    let code = [
        ("infra/__main__.py", pulumi_py.to_string()),
        ("infra/components/storage.ts", pulumi_ts.to_string()),
        ("config/auth.yaml", auth.to_string()),
        ("build-aux/ltmain.sh", ltmain.to_string()),
    ];
    assert_quiet(&code);
    let mut files = code.to_vec();
    files[0]
        .1
        .push_str(&format!("admin_password = \"{}\"\n", password(&mut r)));
    files[3]
        .1
        .push_str(&format!("export DB_PASSWORD='{}'\n", password(&mut r)));
    files[2]
        .1
        .push_str(&format!("  client_secret: \"{}\"\n", r.string(BASE62, 40)));
    assert_only(
        &files,
        &[
            ("infra/__main__.py", "generic-password"),
            ("build-aux/ltmain.sh", "generic-password"),
            ("config/auth.yaml", "generic-secret"),
        ],
    );
}

#[test]
fn documented_example_keys() {
    // Example values from providers' own documentation and the JWT spec site.
    let aws_id = format!("AKIA{}", "IOSFODNN7EXAMPLE");
    let aws_secret = format!("wJalrXUtnFEMI/K7MDENG/bPxRfi{}", "CYEXAMPLEKEY");
    let stripe_docs = [
        format!("sk_{}_{}", "test", "4eC39HqLyjWDarjtT1zdp7dc"),
        format!("sk_{}_{}", "test", "BQokikJOvBiI2HlWgH4olfQ2"),
        format!("pk_{}_{}", "test", "TYooMQauvdEDq54NiTphI7jx"),
    ];
    let jwt_io = format!(
        "{}.{}.{}",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
        "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ",
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    );
    let docs = format!(
        "# Configuration\n\n```ini\n[default]\naws_access_key_id = {aws_id}\naws_secret_access_key = {aws_secret}\n```\n\n\
         ```python\nimport stripe\nstripe.api_key = \"{}\"\n```\n\n\
         ```bash\ncurl https://api.stripe.com/v1/charges -u {}:\n```\n\n\
         Publishable: `{}`\n\n\
         ```http\nAuthorization: Bearer {jwt_io}\n```\n\n\
         Slack: `SLACK_BOT_TOKEN=xoxb-{}`\n",
        stripe_docs[0], stripe_docs[1], stripe_docs[2], "your-bot-token"
    );
    assert_quiet(&[("docs/configuration.md", docs.clone())]);
    let with_key = format!(
        "{docs}\nProduction key (do not share): {}\n",
        stripe_live(10)
    );
    assert_only(
        &[("docs/configuration.md", with_key)],
        &[("docs/configuration.md", "stripe-secret-key-live")],
    );
}

#[test]
fn template_variables_and_environment_lookups() {
    let py = "import os\n\
              SECRET_KEY = os.getenv(\"DJANGO_SECRET_KEY\")\n\
              STRIPE_API_KEY = os.environ[\"STRIPE_API_KEY\"]\n\
              AWS_SECRET_ACCESS_KEY = os.environ.get('AWS_SECRET_ACCESS_KEY', '')\n\
              DATABASE_PASSWORD = config('DATABASE_PASSWORD', default='')\n\
              api_token = settings.API_TOKEN\n";
    let js = "const apiKey = process.env.API_KEY;\n\
              const secret = process.env[\"JWT_SECRET\"];\n\
              const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);\n\
              export const password = import.meta.env.VITE_DB_PASSWORD;\n";
    let workflow = "name: deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      \
                    AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}\n      \
                    AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n      \
                    NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n      \
                    STRIPE_SECRET_KEY: ${{ secrets.STRIPE_SECRET_KEY }}\n    steps:\n      \
                    - run: echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > ~/.npmrc\n      \
                    - run: docker login -u bot -p \"${{ secrets.REGISTRY_PASSWORD }}\" ghcr.io\n";
    let helm = "apiVersion: v1\nkind: ConfigMap\ndata:\n  \
                DB_PASSWORD: {{ .Values.postgresql.auth.password | quote }}\n  \
                API_KEY: \"{{ required \\\"apiKey\\\" .Values.apiKey }}\"\n  \
                SECRET_KEY: {{ include \"app.secretKey\" . }}\n";
    let jinja = "db_password: \"{{ vault_db_password }}\"\napi_token: \"{{ lookup('env', 'API_TOKEN') }}\"\n";
    let compose = "services:\n  db:\n    environment:\n      \
                   POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it}\n      \
                   DATABASE_URL: postgres://app:${POSTGRES_PASSWORD}@db:5432/app\n      \
                   REDIS_URL: redis://:${REDIS_PASSWORD}@cache:6379/0\n";
    let shell = "#!/bin/sh\nexport API_TOKEN=\"$(cat /run/secrets/api_token)\"\n\
                 export DB_PASSWORD=\"${DB_PASSWORD:-}\"\nSECRET_KEY=$(openssl rand -hex 32)\n";
    let go = "token := os.Getenv(\"GITHUB_TOKEN\")\nsecret, ok := os.LookupEnv(\"API_SECRET\")\n";
    let rb = "config.secret_key_base = ENV.fetch(\"SECRET_KEY_BASE\")\n\
              Stripe.api_key = ENV['STRIPE_SECRET_KEY']\n\
              password = Rails.application.credentials.dig(:db, :password)\n";
    let java = "String password = System.getenv(\"DB_PASSWORD\");\n\
                spring.datasource.password=${DB_PASSWORD}\n";
    let rs = "let api_key = std::env::var(\"API_KEY\")?;\n";
    let tf = "resource \"aws_db_instance\" \"db\" {\n  password = var.db_password\n}\n\
              provider \"aws\" {\n  access_key = var.aws_access_key\n  secret_key = var.aws_secret_key\n}\n";
    assert_quiet(&[
        ("app/settings.py", py.to_string()),
        ("web/src/config.js", js.to_string()),
        (".github/workflows/deploy.yml", workflow.to_string()),
        ("chart/templates/configmap.yaml", helm.to_string()),
        ("ansible/group_vars/all.yml", jinja.to_string()),
        ("docker-compose.yml", compose.to_string()),
        ("scripts/start.sh", shell.to_string()),
        ("cmd/server/main.go", go.to_string()),
        ("config/initializers/stripe.rb", rb.to_string()),
        ("src/main/resources/Config.java", java.to_string()),
        ("src/config.rs", rs.to_string()),
        ("infra/main.tf", tf.to_string()),
    ]);
    // A literal next to the lookups is still found.
    let with_key = format!(
        "{workflow}      - run: aws s3 sync . s3://bucket\n        env:\n          \
         AWS_ACCESS_KEY_ID: {}\n",
        aws_key_id(11)
    );
    assert_only(
        &[(".github/workflows/deploy.yml", with_key)],
        &[(".github/workflows/deploy.yml", "aws-access-key-id")],
    );
}

fn pem(label: &str, body: &str) -> String {
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

#[test]
fn public_keys() {
    let mut r = Rng::new(707);
    let ed = format!(
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{} deploy@ci\n",
        r.string(BASE64, 43)
    );
    let rsa_pub = format!(
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ{} ops@bastion\n",
        r.string(BASE64, 512)
    );
    let cert = pem("CERTIFICATE", &b64_bytes(&mut r, 900));
    let public = pem("PUBLIC KEY", &b64_bytes(&mut r, 294));
    let rsa_public = pem("RSA PUBLIC KEY", &b64_bytes(&mut r, 270));
    let csr = pem("CERTIFICATE REQUEST", &b64_bytes(&mut r, 600));
    let jwks = format!(
        "{{\"keys\": [{{\"kty\": \"RSA\", \"kid\": \"{}\", \"use\": \"sig\", \"alg\": \"RS256\", \"n\": \"{}\", \"e\": \"AQAB\"}},\n\
         {{\"kty\": \"EC\", \"crv\": \"P-256\", \"x\": \"{}\", \"y\": \"{}\"}}]}}\n",
        r.string(B64URL, 43),
        r.string(B64URL, 342),
        r.string(B64URL, 43),
        r.string(B64URL, 43)
    );
    let wg = format!(
        "[Interface]\nAddress = 10.0.0.2/32\n\n[Peer]\nPublicKey = {}\nAllowedIPs = 0.0.0.0/0\n",
        b64_bytes(&mut r, 32)
    );
    let config = format!(
        "jwt:\n  public_key: |\n{}  verify_key: \"{}\"\n",
        public
            .lines()
            .map(|l| format!("    {l}\n"))
            .collect::<String>(),
        b64_bytes(&mut r, 32)
    );
    let known_hosts = format!(
        "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{}\n",
        r.string(BASE64, 43)
    );
    assert_quiet(&[
        ("keys/deploy_key.pub", ed),
        ("keys/ops.pub", rsa_pub),
        ("certs/server.crt", cert),
        ("certs/jwt-public.txt", public),
        ("certs/legacy-rsa-public.txt", rsa_public),
        ("certs/server.csr", csr),
        ("web/.well-known/jwks.json", jwks),
        ("vpn/wg0.conf", wg),
        ("config/auth.yaml", config.clone()),
        ("ssh/known_hosts", known_hosts),
    ]);
    // The private half next to the public one is found.
    let private = pem("PRIVATE KEY", &b64_bytes(&mut r, 1200));
    let with_key = format!(
        "{config}  signing_key: |\n{}",
        private
            .lines()
            .map(|l| format!("    {l}\n"))
            .collect::<String>()
    );
    assert_only(
        &[("config/auth.yaml", with_key)],
        &[("config/auth.yaml", "private-key")],
    );
}

#[test]
fn publishable_keys() {
    let mut r = Rng::new(808);
    let pk_live = format!("pk_{}_{}", "live", r.string(BASE62, 99));
    let pk_test = format!("pk_{}_{}", "test", r.string(BASE62, 24));
    let env = format!(
        "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY={pk_live}\nSTRIPE_PUBLISHABLE_KEY_TEST={pk_test}\n"
    );
    let js = format!(
        "const stripe = Stripe('{pk_live}');\nexport const publishableKey = \"{pk_test}\";\n\
         const options = {{ key: '{pk_live}', locale: 'auto' }};\n"
    );
    let html = format!(
        "<script src=\"https://js.stripe.com/v3/\"></script>\n<div data-key=\"{pk_live}\"></div>\n"
    );
    assert_quiet(&[
        ("web/config.env.txt", env.clone()),
        ("web/src/checkout.js", js),
        ("web/checkout.html", html),
    ]);
    let with_key = format!("{env}STRIPE_SECRET_KEY={}\n", stripe_live(12));
    assert_only(
        &[("web/config.env.txt", with_key)],
        &[("web/config.env.txt", "stripe-secret-key-live")],
    );
}

#[test]
fn repeated_character_fixtures() {
    let rep = |c: char, n: usize| c.to_string().repeat(n);
    let fixtures = format!(
        "STRIPE_SECRET_KEY = \"sk_{}_{}\"\n\
         AWS_ACCESS_KEY_ID = \"AKIA{}\"\n\
         AWS_SECRET_ACCESS_KEY = \"{}\"\n\
         GITHUB_TOKEN = \"ghp_{}\"\n\
         SLACK_TOKEN = \"xoxb-{}-{}-{}\"\n\
         API_KEY = \"{}\"\n\
         SECRET_KEY = \"{}\"\n\
         password = \"{}\"\n\
         token = \"{}\"\n\
         FERNET_KEY = \"{}=\"\n\
         OPENAI_API_KEY = \"sk-{}\"\n",
        "live",
        rep('0', 24),
        rep('A', 16),
        rep('x', 40),
        rep('a', 36),
        rep('0', 12),
        rep('0', 12),
        rep('x', 24),
        rep('x', 32),
        rep('0', 50),
        rep('a', 16),
        rep('1', 32),
        rep('A', 43),
        rep('x', 48)
    );
    let pem_fixture = format!(
        "-----BEGIN RSA PRIVATE KEY-----\n{}\n{}\n-----END RSA PRIVATE KEY-----\n",
        rep('A', 64),
        rep('A', 64)
    );
    assert_quiet(&[
        ("tests/fixtures/settings.py", fixtures.clone()),
        ("tests/fixtures/key_fixture.txt", pem_fixture),
    ]);
    let with_key = format!("{fixtures}REAL_STRIPE_KEY = \"{}\"\n", stripe_live(13));
    assert_only(
        &[("tests/fixtures/settings.py", with_key)],
        &[("tests/fixtures/settings.py", "stripe-secret-key-live")],
    );
}

/// The generated files must not be empty shells: a sanity check that the
/// helpers produce what the tests claim.
#[test]
fn generators_make_real_shapes() {
    let mut r = Rng::new(1);
    let u = uuid(&mut r);
    assert_eq!(u.len(), 36);
    assert!(
        pem("CERTIFICATE", &b64_bytes(&mut r, 100)).starts_with("-----BEGIN CERTIFICATE-----\n")
    );
    assert!(minified_bundle(&mut r).len() > 5000);
}
