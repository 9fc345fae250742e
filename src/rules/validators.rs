//! Structural validators: offline checks that a candidate really has the
//! structure its format documents (a JWT header that is JSON with `alg`, a
//! Fernet key that decodes to 32 bytes, a PEM block with a body, ...).
//!
//! Each validator sees the extracted secret and the whole regex match.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};

/// A built-in validator, named by a rule's `validator` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validator {
    Jwt,
    FernetKey,
    FernetToken,
    PrivateKey,
    UrlPassword,
    GenericValue,
}

impl Validator {
    /// Names accepted in rule files.
    pub const NAMES: [&'static str; 6] = [
        "jwt",
        "fernet_key",
        "fernet_token",
        "private_key",
        "url_password",
        "generic_value",
    ];

    /// Looks a validator up by its rule-file name.
    pub fn from_name(name: &str) -> Option<Validator> {
        Some(match name {
            "jwt" => Validator::Jwt,
            "fernet_key" => Validator::FernetKey,
            "fernet_token" => Validator::FernetToken,
            "private_key" => Validator::PrivateKey,
            "url_password" => Validator::UrlPassword,
            "generic_value" => Validator::GenericValue,
            _ => return None,
        })
    }

    /// Whether `secret` (found inside `whole`, the regex match) passes.
    pub fn check(self, secret: &[u8], whole: &[u8]) -> bool {
        match self {
            Validator::Jwt => jwt(secret).is_some_and(|(_, payload)| !is_public_jwt(&payload)),
            Validator::FernetKey => fernet_key(secret),
            Validator::FernetToken => fernet_token(secret),
            Validator::PrivateKey => private_key(whole),
            Validator::UrlPassword => url_password(secret, whole),
            Validator::GenericValue => !is_shell_comparison(whole) && generic_value(secret),
        }
    }
}

fn b64url(part: &[u8]) -> Option<Vec<u8>> {
    let trimmed = trim_padding(part);
    URL_SAFE_NO_PAD.decode(trimmed).ok()
}

fn trim_padding(s: &[u8]) -> &[u8] {
    let mut end = s.len();
    while end > 0 && s[end - 1] == b'=' {
        end -= 1;
    }
    &s[..end]
}

/// The decoded header and payload of a JWT, when `s` is structurally one.
pub fn jwt(s: &[u8]) -> Option<(serde_json::Value, serde_json::Value)> {
    let mut parts = s.split(|&b| b == b'.');
    let (h, p, sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || h.is_empty() || p.is_empty() {
        return None;
    }
    let header: serde_json::Value = serde_json::from_slice(&b64url(h)?).ok()?;
    let alg = header.get("alg")?.as_str()?;
    // An unsigned token (`alg: none`) has an empty signature; a signed one has one.
    if sig.is_empty() && !alg.eq_ignore_ascii_case("none") {
        return None;
    }
    if !sig.is_empty() {
        b64url(sig)?;
    }
    let payload: serde_json::Value = serde_json::from_slice(&b64url(p)?).ok()?;
    payload.is_object().then_some((header, payload))
}

/// A token meant to be public: Supabase's `anon` key ships in browser code by
/// design (row-level security guards the data); its `service_role` key is a
/// secret.
pub fn is_public_jwt(payload: &serde_json::Value) -> bool {
    let field = |k: &str| payload.get(k).and_then(|v| v.as_str());
    field("iss") == Some("supabase") && field("role") == Some("anon")
}

/// A Fernet key: 32 bytes in url-safe base64 (44 characters with padding).
pub fn fernet_key(s: &[u8]) -> bool {
    s.len() == 44 && URL_SAFE.decode(s).is_ok_and(|k| k.len() == 32)
}

/// A Fernet token: version 0x80, timestamp, IV, ciphertext in whole AES
/// blocks, and an HMAC-SHA256.
pub fn fernet_token(s: &[u8]) -> bool {
    let Some(raw) = b64url(s) else { return false };
    raw.len() >= 1 + 8 + 16 + 16 + 32 && raw[0] == 0x80 && (raw.len() - 57) % 16 == 0
}

/// A PEM block as [`pem_block`] reads it from a match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PemBlock {
    /// The label between `-----BEGIN ` and `-----` (`RSA PRIVATE KEY`).
    pub label: String,
    /// The body's base64 characters, without whitespace, padding or headers.
    pub body: String,
    /// A legacy encrypted PEM header (`Proc-Type: 4,ENCRYPTED`) was present.
    pub legacy_encrypted: bool,
    /// The body holds a placeholder (`...`, `<...>`, `…`).
    pub placeholder: bool,
}

/// Reads the PEM block in `text`, however the source code around it wrote
/// it: with real newlines, with `\n` escapes on one line, or as string
/// literals joined by concatenation (`"-----BEGIN ...\n" + "MIIE...\n" + ...`
/// in Java, JavaScript, Go, C#; `.` in PHP; adjacent literals in Python and
/// C; a JSON or HCL list of lines). When the body holds a quote, the block
/// is taken to be such literals (base64 has no quotes): only what is inside
/// them counts, and the operators, commas and indentation between them are
/// dropped.
pub fn pem_block(text: &[u8]) -> Option<PemBlock> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    let begin = memchr::memmem::find(text, BEGIN)?;
    let label_start = begin + BEGIN.len();
    let label_len = memchr::memmem::find(&text[label_start..], b"-----")?;
    let label = String::from_utf8_lossy(&text[label_start..label_start + label_len]).into_owned();
    let body_start = label_start + label_len + 5;
    let end = body_start + memchr::memmem::find(&text[body_start..], b"-----END")?;
    let region = &text[body_start..end];
    // A block written as string literals: the BEGIN marker stands in one,
    // so the first quote in the body closes it, the next opens the next
    // literal, and so on.
    let inside: Vec<u8> = match region.iter().position(|b| matches!(b, b'"' | b'\'' | b'`')) {
        Some(i) => region
            .split(|&b| b == region[i])
            .step_by(2)
            .flat_map(|piece| piece.iter().copied().chain(std::iter::once(b'\n')))
            .collect(),
        None => region.to_vec(),
    };
    let inside = String::from_utf8_lossy(&inside)
        .replace("\\r", "")
        .replace("\\n", "\n");
    let mut block = PemBlock {
        label,
        body: String::new(),
        legacy_encrypted: false,
        placeholder: false,
    };
    for line in inside.lines() {
        let line = line
            .trim()
            .trim_matches(|c| c == '"' || c == '\'' || c == ',' || c == '\\')
            .trim();
        if line.contains(':') {
            block.legacy_encrypted |= line.starts_with("Proc-Type:") && line.contains("ENCRYPTED");
            continue;
        }
        block.placeholder |= line.contains("...") || line.contains('<') || line.contains('…');
        block
            .body
            .extend(line.chars().filter(|c| !c.is_whitespace() && *c != '='));
    }
    Some(block)
}

/// A complete PEM or OpenSSH private key block whose body is long enough to
/// be a key and holds no placeholder. The block may be written as string
/// literals joined in code (see [`pem_block`]).
pub fn private_key(block: &[u8]) -> bool {
    let Some(pem) = pem_block(block) else {
        return false;
    };
    let b64 = &pem.body;
    if pem.placeholder
        || b64.len() < 64
        || !b64
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
    {
        return false;
    }
    let decoded = STANDARD_NO_PAD.decode(&b64[..b64.len() / 4 * 4]);
    decoded.is_ok_and(|d| distinct_bytes(&d) >= 16)
}

fn distinct_bytes(d: &[u8]) -> usize {
    let mut seen = [false; 256];
    d.iter().for_each(|&b| seen[b as usize] = true);
    seen.iter().filter(|&&s| s).count()
}

const PLACEHOLDER_PASSWORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "changeme",
    "change_me",
    "change-me",
    "test",
    "testing",
    "example",
    "user",
    "username",
    "admin",
    "root",
    "guest",
    "postgres",
    "mysql",
    "redis",
    "mongo",
    "rabbitmq",
    "default",
    "dbpass",
    "db_password",
    "dbpassword",
    "mypassword",
    "yourpassword",
    "your_password",
    "your-password",
    "foo",
    "bar",
    "foobar",
    "xxx",
    "none",
    "null",
    "dev",
    "local",
    "localhost",
    "demo",
    "sample",
    "placeholder",
    "secretpassword",
    "supersecret",
    "s3cret",
    "p@ssw0rd",
    "passw0rd",
    "password123",
    "pass123",
    "123456",
    "1234",
];

/// The password of a connection URL is real-looking: not a placeholder,
/// template variable or the user name repeated.
pub fn url_password(secret: &[u8], whole: &[u8]) -> bool {
    let pw = String::from_utf8_lossy(secret);
    let lower = pw.to_ascii_lowercase();
    if pw.is_empty() || PLACEHOLDER_PASSWORDS.contains(&lower.as_str()) {
        return false;
    }
    if pw.starts_with('$')
        || pw.starts_with('%')
        || pw.starts_with(':')
        || pw.contains("{{")
        || pw.contains("${")
        || pw.contains('<')
        || pw.contains("***")
        || pw.contains("...")
        || pw.bytes().all(|b| b == b'*' || b == b'x' || b == b'X')
    {
        return false;
    }
    // The user name: the text between `//` and the `:` before the password.
    let whole = String::from_utf8_lossy(whole);
    if let Some(start) = whole.find("//") {
        let rest = &whole[start + 2..];
        if let Some(colon) = rest.find(':')
            && rest[..colon].eq_ignore_ascii_case(&pw)
        {
            return false;
        }
    }
    true
}

/// A value assigned to a secret-looking name is data, not code: not a dotted
/// identifier path (`settings.SECRET_KEY`, `resp.Credentials.SessionToken`),
/// an environment variable name, a call, a file path, a URL, a UUID, an
/// escaped byte string, or words joined by `-`/`_`.
pub fn generic_value(secret: &[u8]) -> bool {
    let s = String::from_utf8_lossy(secret);
    let s = s.trim_start_matches(['*', '&', '!', '@']);
    // In a string literal an escaped newline ends the value: judge what comes
    // before it (`secret_key = var.aws_secret_key\n}` is an identifier path).
    let s = s.split("\\n").next().unwrap_or(s);
    // The closing bracket of the call the value sits in
    // (`OpenAI(api_key=settings.OPENAI_API_KEY)`) is not part of it.
    let s = trim_unbalanced_closers(s.trim_end_matches(':'));
    if s.len() < 8 {
        return false;
    }
    if is_prose(s) {
        return false;
    }
    if is_urn(s) || is_arn(s) || is_media_type(s) || is_type_token(s) {
        return false;
    }
    if s.contains("://")
        || is_absolute_path(s)
        || s.starts_with("./")
        || s.starts_with("../")
        || s.starts_with("~/")
        || is_drive_path(s)
    {
        return false;
    }
    if s.contains(' ')
        || is_call(s)
        || is_signature_start(s)
        || s.contains("\\x")
        || s.contains("\\u")
    {
        return false;
    }
    // A setting written as text (`Trusted_Connection=True`).
    if let Some((k, v)) = s.split_once('=') {
        if is_words(k) && is_words(v) && v.as_bytes()[0].is_ascii_uppercase() {
            return false;
        }
    }
    if is_uuid(s) || is_sealed_secret(s) {
        return false;
    }
    let has_digit = s.bytes().any(|b| b.is_ascii_digit());
    let has_upper = s.bytes().any(|b| b.is_ascii_uppercase());
    let has_lower = s.bytes().any(|b| b.is_ascii_lowercase());
    let has_symbol = s.bytes().any(|b| !b.is_ascii_alphanumeric());
    // Code paths: parts separated by `.`, `#`, `::`, `->` or `:` that each
    // start with a letter and are identifiers (`oauth2.google.tokenSource`).
    let parts: Vec<&str> = s
        .split(['.', '#', ':', '>'])
        .map(|p| p.trim_end_matches('-'))
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() > 1
        && parts.iter().all(|p| {
            p.as_bytes()[0].is_ascii_alphabetic()
                && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                && !is_random_part(p)
                && !is_mixed_run(p)
        })
    {
        return false;
    }
    // Environment variable names (`GHCACHE_TOKEN_PW`, `env:API_TOKEN`), where
    // every part is a name (not `N..1bf@&AZ@-e._Y8`, a password ending `_Y8`).
    let last = parts.last().copied().unwrap_or(s);
    if last.contains('_')
        && last.as_bytes()[0].is_ascii_uppercase()
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        })
        && last
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && last
            .split('_')
            .all(|w| w.is_empty() || w.bytes().any(|b| b.is_ascii_uppercase()))
    {
        return false;
    }
    // Words joined by separators (super-secret-key-change-in-production,
    // MY_SECRET_NAME, some_function_name), or one pure word.
    // Letters of any script count: `Contraseña` in a locale file is a word.
    let wordy = s.split(['-', '_', '.']).all(|w| {
        w.chars().all(char::is_alphabetic)
            && (w.len() <= 12 || !has_digit)
            && lone_lowercase(w) < if w.len() >= 20 { 1 } else { 2 }
    });
    if wordy && !has_digit {
        return false;
    }
    // camelCase identifiers without digits (getSecretKey, SecretKeyProvider).
    if !has_digit && !has_symbol && has_upper && has_lower && camel_words(s) >= 2 {
        let longest = longest_lower_run(s);
        if longest >= 3 && s.len() / camel_words(s) >= 4 {
            return false;
        }
    }
    true
}

/// Text in a natural language rather than a machine-made value: a letter of
/// a script other than Latin (`Пароль`, `パスワード（8文字以上）`, `كلمة_المرور`;
/// generated secrets are ASCII), or words without a digit between
/// typographic punctuation, format placeholders and separators: Latin words
/// with diacritics (`¿Olvidó_su_contraseña?`, `«Question_secrète»`,
/// `API-Schlüssel%s`), or a sentence of two or more words ending in `?` or
/// `!` (`Esqueceu_a_senha?`).
fn is_prose(s: &str) -> bool {
    if !s.is_ascii()
        && s.chars()
            .any(|c| c.is_alphabetic() && !c.is_ascii() && !is_latin_letter(c))
    {
        return true;
    }
    let punct = |c: char| {
        matches!(
            c,
            '?' | '!' | '.' | ',' | ':' | ';' | '(' | ')' | '"' | '\''
        ) || (!c.is_ascii() && !c.is_alphanumeric() && !c.is_whitespace())
    };
    let core = s.trim_matches(punct);
    let sentence =
        core.len() < s.len() && s[s.trim_end_matches(punct).len()..].contains(['?', '!']);
    // `%s`, `%@`, `{0}`, `{count}`: where the app puts a value.
    let mut text = String::with_capacity(core.len());
    let mut chars = core.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '%' if chars.peek().is_some_and(|n| "sdif@".contains(*n)) => {
                chars.next();
                text.push('_');
            }
            '{' => {
                for n in chars.by_ref() {
                    if n == '}' {
                        break;
                    }
                }
                text.push('_');
            }
            _ => text.push(c),
        }
    }
    if text.chars().any(|c| c.is_numeric()) {
        return false;
    }
    let words: Vec<&str> = text
        .split(['-', '_', '.', '\'', '\u{2019}', '\u{a0}'])
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty()
        && words.iter().all(|w| w.chars().all(char::is_alphabetic))
        && (!s.is_ascii() || (sentence && words.len() >= 2))
}

/// A letter of the Latin script (with diacritics, in the Latin-1, Extended
/// and IPA blocks).
fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c as u32,
            0xAA | 0xBA | 0xC0..=0x24F | 0x250..=0x2AF | 0x1D00..=0x1D7F
            | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF | 0xAB30..=0xAB6F)
}

/// A URN (RFC 8141): `urn:`, a namespace id, `:` and the rest
/// (`urn:ietf:params:oauth:token-type:jwt`, `urn:uuid:...`, Pulumi's
/// `urn:pulumi:stack::project::type::name`). A name, not a credential.
fn is_urn(s: &str) -> bool {
    let Some(rest) = s
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("urn:"))
        .map(|_| &s[4..])
    else {
        return false;
    };
    let Some((nid, nss)) = rest.split_once(':') else {
        return false;
    };
    (1..=32).contains(&nid.len())
        && nid.as_bytes()[0].is_ascii_alphanumeric()
        && nid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !nss.is_empty()
}

/// An Amazon Resource Name: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`
/// (`arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf`):
/// where a secret is kept, not the secret.
fn is_arn(s: &str) -> bool {
    let mut parts = s.splitn(6, ':');
    let (Some("arn"), Some(partition), Some(service), Some(_), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    partition.starts_with("aws")
        && partition
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'-')
        && !service.is_empty()
        && service
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && account.bytes().all(|b| b.is_ascii_digit())
        && !resource.is_empty()
}

/// A media type (RFC 6838): a registered top-level type, `/`, a subtype,
/// and optional `;name=value` parameters (`application/vnd.api+json`,
/// `application/jose+json`, `text/plain;charset=UTF-8`).
fn is_media_type(s: &str) -> bool {
    let mut pieces = s.trim_end_matches(';').split(';');
    let Some((top, sub)) = pieces.next().and_then(|t| t.split_once('/')) else {
        return false;
    };
    const TOP: [&str; 10] = [
        "application",
        "audio",
        "example",
        "font",
        "image",
        "message",
        "model",
        "multipart",
        "text",
        "video",
    ];
    let token = |t: &str| {
        !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b))
    };
    TOP.iter().any(|t| top.eq_ignore_ascii_case(t))
        && token(sub)
        && sub.as_bytes()[0].is_ascii_alphanumeric()
        && pieces.all(|p| {
            p.trim()
                .split_once('=')
                .is_some_and(|(k, v)| token(k) && token(v.trim_matches('"')))
        })
}

/// A type token of the kind infrastructure SDKs name resources by:
/// `package:module:Type`, where the package is a lowercase name, the module a
/// `/`-separated path of names and versions, and the type an identifier
/// (Pulumi's `aws:s3/Bucket:Bucket`, `azure-native:storage/v20230101:StorageAccount`,
/// `plant:tree/v1:Diameter`). Parts that look random make it a password.
fn is_type_token(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    let [package, module, ty] = parts[..] else {
        return false;
    };
    let name = |w: &str| {
        w.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
            && w.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
            && !is_random_part(w)
            && !is_mixed_run(w)
    };
    package
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase())
        && package
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && module.split('/').all(name)
        && name(ty)
        && ty.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The match is a shell comparison, not an assignment: the name is a
/// variable expanded inside quotes, then ` = ` and the other operand
/// (`test "$linkmode,$pass" = "prog,scan"`, `[ "x$password" = "x$again" ]`).
/// No language assigns to a quoted `"$name"` (PHP's `$pass = "..."` has no
/// quote after the name).
fn is_shell_comparison(whole: &[u8]) -> bool {
    let Some(rest) = whole.strip_prefix(b"$") else {
        return false;
    };
    let rest = rest.strip_prefix(b"{").unwrap_or(rest);
    let name = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count();
    let rest = &rest[name..];
    let rest = rest.strip_prefix(b"}").unwrap_or(rest);
    let Some(rest) = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")) else {
        return false;
    };
    let rest = rest.trim_ascii_start();
    name > 0 && rest.starts_with(b"=")
}

/// `/run/secrets/jwt`, `/etc/app/key.pem`: a leading `/` and path
/// components, at least one of them a word. Base64 that happens to start with
/// `/` (`/3KtTnt47BD+awb...`) holds `+`/`=` or only random components.
fn is_absolute_path(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('/') else {
        return false;
    };
    let path_chars = |c: &str| {
        c.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-@~%$:{}".contains(&b))
    };
    rest.split('/').all(path_chars) && rest.split('/').any(|c| !c.is_empty() && !is_mixed_run(c))
}

/// 16 or more characters mixing upper and lower case, with digits inside
/// (a digit followed by a letter, twice): a random token rather than a file
/// name or an identifier such as `EncryptionKeySHA256`.
fn is_mixed_run(c: &str) -> bool {
    let b = c.as_bytes();
    b.len() >= 16
        && b.iter().any(u8::is_ascii_uppercase)
        && b.iter().any(u8::is_ascii_lowercase)
        && b.windows(2)
            .filter(|w| w[0].is_ascii_digit() && w[1].is_ascii_alphabetic())
            .count()
            >= 2
}

/// A part of a dotted value that no one would name a field or package:
/// mixed case with a digit inside it and no lowercase run of a word's length
/// (`rFB2ShMUpVG` of the random `rFB2ShMUpVG.RiZ28dP7g`), unlike `oauth2`,
/// `KeySHA256` (digits end them) or `v4Internal`, `S3Client` (words).
fn is_random_part(p: &str) -> bool {
    let b = p.as_bytes();
    b.iter().any(u8::is_ascii_uppercase)
        && b.iter().any(u8::is_ascii_lowercase)
        && b.windows(2)
            .any(|w| w[0].is_ascii_digit() && w[1].is_ascii_alphabetic())
        && longest_lower_run(p) <= 3
}

/// A call or index expression: the value starts with an identifier path
/// directly followed by `(` or `[`, and either the path is dotted
/// (`d1.JoinTokens(c).Worker`, `re.capture_names().position(|n|`) or the
/// brackets balance and close the value, up to a trailing `.field` chain
/// (`make_password(raw)`, `environ[X]`). A `(` inside random text
/// (`km(2&+6k@ob...`) is not one.
fn is_call(s: &str) -> bool {
    let b = s.as_bytes();
    let ident = b
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_' || **c == b'.')
        .count();
    if ident < 2
        || !b[0].is_ascii_alphabetic() && b[0] != b'_'
        || !matches!(b.get(ident), Some(b'(' | b'['))
    {
        return false;
    }
    let path = &s[..ident];
    if path.contains('.')
        && path.split('.').all(|p| {
            p.bytes()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        })
    {
        return true;
    }
    let mut depth = 0i32;
    let mut closed_at = 0;
    for (i, c) in b.iter().enumerate() {
        match c {
            b'(' | b'[' => depth += 1,
            b')' | b']' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
                closed_at = i + 1;
            }
            _ => {}
        }
    }
    let tail = &s[closed_at..];
    depth == 0
        && (tail.is_empty()
            || tail.starts_with('.')
                && tail
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.'))
}

/// A Bitnami Sealed Secrets ciphertext (`kubeseal` output, safe to commit):
/// base64 of a 2-byte length, that many bytes of RSA-encrypted session key
/// (256, 384 or 512 for 2048- to 4096-bit keys), then the AES-GCM ciphertext
/// of the value with its 16-byte tag. Only the length prefix is decoded, and
/// the text must be long enough for the smallest key: a value copied or
/// re-wrapped by hand (padding lost, line joined) is still ciphertext.
pub fn is_sealed_secret(s: &str) -> bool {
    if s.len() < 344
        || !s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    {
        return false;
    }
    let Ok(d) = STANDARD_NO_PAD.decode(&s[..4]) else {
        return false;
    };
    matches!(u16::from_be_bytes([d[0], d[1]]), 256 | 384 | 512)
}

fn is_drive_path(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() > 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b[2] == b'/' || b[2] == b'\\')
}

/// `8-4-4-4-12` hex digits.
pub fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Letters and `_`/`-`/`.`-joined words only (`openai_proj`, `True`).
fn is_words(s: &str) -> bool {
    !s.is_empty()
        && s.split(['_', '-', '.', ':', '|'])
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// The start of a call or signature cut at a space: `description(String`,
/// `apisForListener(ApiMessageType.ListenerType`, `createDelegationToken(`.
fn is_signature_start(s: &str) -> bool {
    // A method chain (`GITHUB_TOKEN).get_repo(GITHUB_REPO`) is code too.
    if s.as_bytes()
        .windows(3)
        .any(|w| w[0] == b')' && w[1] == b'.' && (w[2].is_ascii_alphabetic() || w[2] == b'_'))
    {
        return true;
    }
    let Some((head, rest)) = s.split_once('(') else {
        return false;
    };
    let ident = |t: &str| {
        t.bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
    };
    ident(head) && (rest.is_empty() || ident(rest.trim_end_matches(['<', '>', '[', ']'])))
}

/// `s` without the closing brackets at its end that open nowhere in it.
fn trim_unbalanced_closers(s: &str) -> &str {
    let mut t = s;
    while let Some(rest) = t.strip_suffix([')', ']', '}']) {
        let (open, close) = match &t[t.len() - 1..] {
            ")" => ('(', ')'),
            "]" => ('[', ']'),
            _ => ('{', '}'),
        };
        if t.matches(open).count() >= t.matches(close).count() {
            break;
        }
        t = rest;
    }
    t
}

/// Lowercase letters standing alone between capitals (`p` and `t` of
/// `guVpIUiuTtGrxjxd`): random mixed case, where words (`SecretKeyProvider`,
/// `XMLHttpRequest`) give lowercase runs.
fn lone_lowercase(w: &str) -> usize {
    w.as_bytes()
        .windows(3)
        .filter(|t| {
            t[0].is_ascii_uppercase() && t[1].is_ascii_lowercase() && t[2].is_ascii_uppercase()
        })
        .count()
}

fn camel_words(s: &str) -> usize {
    s.bytes().filter(|b| b.is_ascii_uppercase()).count().max(1)
}

fn longest_lower_run(s: &str) -> usize {
    let mut best = 0;
    let mut cur = 0;
    for b in s.bytes() {
        if b.is_ascii_lowercase() {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn b64(s: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    #[test]
    fn jwt_checks_header_and_payload() {
        let tok = format!(
            "{}.{}.{}",
            b64(br#"{"alg":"HS256","typ":"JWT"}"#),
            b64(br#"{"sub":"42"}"#),
            b64(&[7u8; 32])
        );
        assert!(jwt(tok.as_bytes()).is_some());
        let no_alg = format!("{}.{}.{}", b64(br#"{"typ":"JWT"}"#), b64(b"{}"), b64(b"x"));
        assert!(jwt(no_alg.as_bytes()).is_none());
        let none = format!("{}.{}.", b64(br#"{"alg":"none"}"#), b64(br#"{"a":1}"#));
        assert!(jwt(none.as_bytes()).is_some());
        assert!(jwt(b"eyJhbGciOi.not.json").is_none());
        let token = |payload: &[u8]| {
            format!(
                "{}.{}.{}",
                b64(br#"{"alg":"HS256"}"#),
                b64(payload),
                b64(&[7u8; 32])
            )
        };
        let anon = token(br#"{"iss":"supabase","ref":"abc","role":"anon"}"#);
        assert!(!Validator::Jwt.check(anon.as_bytes(), anon.as_bytes()));
        let service = token(br#"{"iss":"supabase","ref":"abc","role":"service_role"}"#);
        assert!(Validator::Jwt.check(service.as_bytes(), service.as_bytes()));
    }

    #[test]
    fn fernet_shapes() {
        let key = URL_SAFE.encode([3u8; 32]);
        assert!(fernet_key(key.as_bytes()));
        assert!(!fernet_key(URL_SAFE.encode([3u8; 31]).as_bytes()));
        let mut tok = vec![0x80u8];
        tok.extend([1u8; 8 + 16 + 32 + 32]);
        assert!(fernet_token(URL_SAFE.encode(&tok).as_bytes()));
        tok[0] = 0x81;
        assert!(!fernet_token(URL_SAFE.encode(&tok).as_bytes()));
    }

    #[test]
    fn pem_needs_a_body() {
        let body: String = (0..300u32)
            .map(|i| (b'A' + (i * 7 % 26) as u8) as char)
            .collect();
        let full = format!(
            "-----BEGIN RSA PRIVATE KEY-----\n{}\n{}\n-----END RSA PRIVATE KEY-----",
            &body[..64],
            &body[64..]
        );
        assert!(private_key(full.as_bytes()));
        assert!(!private_key(
            b"-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----"
        ));
        assert!(!private_key(b"-----BEGIN RSA PRIVATE KEY-----\n"));
    }

    #[test]
    fn pem_blocks_written_as_joined_literals_read_as_the_block() {
        let body: String = (0..150u32)
            .map(|i| (b'A' + (i * 7 % 26) as u8) as char)
            .collect();
        let (a, b) = (&body[..64], &body[64..]);
        let raw = format!("-----BEGIN EC PRIVATE KEY-----\n{a}\n{b}\n-----END EC PRIVATE KEY-----");
        let want = pem_block(raw.as_bytes()).unwrap();
        assert_eq!(want.body, body);
        assert_eq!(want.label, "EC PRIVATE KEY");
        let begin = "-----BEGIN EC PRIVATE KEY-----";
        let end = "-----END EC PRIVATE KEY-----";
        for joined in [
            // Java / JavaScript / Go / C#: `+` at the end or the start of lines.
            format!("\"{begin}\\n\" +\n  \"{a}\\n\" +\n  \"{b}\\n\" +\n  \"{end}\\n\""),
            format!("\"{begin}\\n\"\n  + \"{a}\\n\"\n  + \"{b}\\n\"\n  + \"{end}\""),
            // Python adjacent literals, PHP `.`, single quotes.
            format!("'{begin}\\n'\n    '{a}\\n'\n    '{b}\\n'\n    '{end}\\n'"),
            format!("'{begin}\\n' .\n '{a}\\n' .\n '{b}\\n' .\n '{end}'"),
            // A JSON or HCL list of lines; a one-line escaped string.
            format!("[\"{begin}\", \"{a}\", \"{b}\", \"{end}\"]"),
            format!("\"{begin}\\n{a}\\n{b}\\n{end}\\n\""),
        ] {
            let got = pem_block(joined.as_bytes()).unwrap();
            assert_eq!(got, want, "{joined}");
            assert!(private_key(joined.as_bytes()), "{joined}");
        }
        // A placeholder inside a literal still counts as one.
        let dots = format!("\"{begin}\\n\" + \"MIIE...\\n\" + \"{end}\"");
        assert!(pem_block(dots.as_bytes()).unwrap().placeholder);
        assert!(!private_key(dots.as_bytes()));
    }

    #[test]
    fn sealed_secrets() {
        use base64::engine::general_purpose::STANDARD;
        let mut blob = 512u16.to_be_bytes().to_vec();
        blob.extend((0..512 + 48).map(|i: u32| (i * 131 % 251) as u8));
        let sealed = STANDARD.encode(&blob);
        assert!(is_sealed_secret(&sealed));
        assert!(!generic_value(sealed.as_bytes()));
        blob[1] = 7; // not an RSA ciphertext length
        assert!(!is_sealed_secret(&STANDARD.encode(&blob)));
        assert!(!is_sealed_secret("AgBq3loORT3FBZHUKXU6NCHeEPwKon"));
        // Re-wrapped by hand: padding lost, so not whole base64 quanta.
        let mut rewrapped = STANDARD.encode(&blob[..300]);
        rewrapped.replace_range(..4, "AgBq");
        rewrapped.push('x');
        assert!(is_sealed_secret(&rewrapped));
        assert!(!is_sealed_secret(&rewrapped.replace('x', "!")));
    }

    #[test]
    fn url_passwords() {
        assert!(!url_password(b"password", b"postgres://user:password@h"));
        assert!(!url_password(b"${DB_PASS}", b"postgres://u:${DB_PASS}@h"));
        assert!(!url_password(b"bob", b"postgres://bob:bob@h"));
        assert!(url_password(b"q8Zr2LxT9v", b"postgres://app:q8Zr2LxT9v@h")); // leakhound:allow
    }

    #[test]
    fn generic_values() {
        assert!(!generic_value(b"settings.SECRET_KEY"));
        assert!(!generic_value(b"super-secret-key-change-in-production"));
        assert!(!generic_value(b"getSecretKeyFromVault"));
        assert!(!generic_value(b"/run/secrets/jwt_secret"));
        assert!(!generic_value(b"/var/lib/app/signing.key"));
        assert!(generic_value(
            b"/3KtTnt47BDawb+y0pH4DJAZYEgRD+lB4JvM73QR2CXabri+gCX0blEaTfyFdXyA"
        ));
        assert!(generic_value(
            b"/3KtTnt47BDawby0pH4DJAZYEgRDlB4JvM73QR2CXabri"
        ));
        assert!(!generic_value(b"settings.OPENAI_API_KEY)"));
        assert!(!generic_value(b"description(String"));
        assert!(!generic_value(b"GITHUB_TOKEN).get_repo(GITHUB_REPO)"));
        assert!(!generic_value(
            b"apisForListener(ApiMessageType.ListenerType"
        ));
        assert!(!generic_value(b"createDelegationToken("));
        assert!(!generic_value(b"DelegationToken):"));
        assert!(!generic_value(b"ApiKeys.PRODUCE):"));
        assert!(generic_value(
            b"km(2&+6k@obkpnad1nk+2w46ziz8(auf&(xsh+3l5a-rt*qvk@"
        ));
        assert!(generic_value(b"mqiblgSUOoyoKqPNLVqgasZas"));
        assert!(generic_value(b"django-insecure-(q8#k2m!x9$z@p4w7)"));
        assert!(!generic_value(b"Trusted_Connection=True"));
        assert!(generic_value(b"Kx9=Vq7rX2mLk9Wv"));
        // Random letters, no digits: not a word.
        assert!(generic_value(b"guVpIUiuTtGrxjxdHKzqWnla"));
        assert!(!generic_value(b"SecretKeyProvider"));
        assert!(!generic_value(b"XMLHttpRequest"));
        // An Azure client secret: dotted, but one part is a random run.
        assert!(generic_value(b"ycIroaF.N2ezpqgMXvn47Ff095raC1mL8m"));
        assert!(generic_value(b"9f8e7d6c5b4a39281706f5e4d3c2b1a0"));
        assert!(generic_value(b"Xk9mP2vL8qR4wT7z"));
        for code in [
            "*out.TokenOutput.AccessToken.SessionToken",
            "up.EncryptionKeySHA256",
            "oauth2.google.tokenSource",
            "ed25519.PrivateKey",
            "env:GHCACHE_TOKEN_PW",
            "smithy.api#httpBearerAuth",
            "C:/foo/bar/baz",
            "openssh-key-v1\\x00",
            "2160C7EF-2CE9-4307-A180-F852B99CF417",
            "vault:DB_PASSWORD_PROD",
        ] {
            assert!(!generic_value(code.as_bytes()), "{code}");
        }
        assert!(generic_value(b"django-insecure-q8#k2m!x9$z@p4w7"));
        assert!(generic_value(b"django-insecure-(q8#k2m!x9$z@p4w7)+1"));
        assert!(!generic_value(b"Fernet.generate_key()"));
        assert!(!generic_value(b"os.environ[SECRET_KEY]"));
        assert!(!generic_value(b"secrets.token_hex(32).upper()"));
        assert!(!generic_value(b"d1.JoinTokens(c).Worker"));
        assert!(!generic_value(b"re.capture_names().position(|n|"));
        assert!(!generic_value(b"make_password(raw_password)"));
        // Django-style random keys hold brackets without being calls.
        for key in [
            "km(2&+6k@obkpnad1nk+2w46ziz8(auf&(xsh+3l5a-rt*qvk@",
            "@elsa15z&-yu-bv(l&wi-75w^1f1xqfu3i97@7c5axzgtpbq*b",
            "nhjg&wz(luivao^u30t&-y+p-xj7!_x+bv)6)z(57r7ebszic*",
        ] {
            assert!(generic_value(key.as_bytes()), "{key}");
        }
        assert!(!generic_value(b"var.aws_secret_key\\n}\\n\";"));
        assert!(generic_value(b"Xk9mP2vL8qR4wT7z\\n}\\n"));
        assert!(generic_value(b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzKEY"));
        assert!(generic_value(b"Vh--&*U_N..1bf@&AZ@-e._Y8"));
        // Dotted, but its parts are random: a password, not a code path.
        assert!(generic_value(b"rFB2ShMUpVG.RiZ28dP7g"));
        assert!(!generic_value(b"v4Internal.AmzSecurityTokenKey"));
        assert!(!generic_value(b"s3Client.GetObjectV2"));
        assert!(!generic_value(b"Contrase\xc3\xb1a"));
        assert!(!generic_value("Mot-de-passe-oublié".as_bytes()));
    }

    #[test]
    fn text_in_other_scripts_is_prose() {
        for prose in [
            "パスワード（8文字以上）",
            "密码长度至少为8个字符",
            "Пароль(мин.8символов)",
            "Ваш_пароль_устарел,_смените_его!",
            "كلمة_المرور_غير_صحيحة",
            "비밀번호、확인",
            "«Пароль»",
            "¿Olvidó_su_contraseña?",
            "¡Contraseña_incorrecta!",
            "Mot_de_passe_oublié?",
            "„Sicherheitsfrage“",
            "«Question_secrète»",
        ] {
            assert!(!generic_value(prose.as_bytes()), "{prose}");
        }
        // Latin passwords with digits, and ASCII, are still judged as values.
        for prose in [
            "API-Schlüssel%s",
            "Contraseña{0}",
            "Esqueceu_a_senha?",
            "Token_abgelaufen!",
        ] {
            assert!(!generic_value(prose.as_bytes()), "{prose}");
        }
        for pw in [
            "Añejo-Lantern2024!",
            "Zürich_Harbor1999#",
            "Qx7!mZ2@vL9#",
            "Kettle_Meadow-Raven#",
            "guVpIUiuTtGrxjxd!",
        ] {
            assert!(generic_value(pw.as_bytes()), "{pw}");
        }
    }

    #[test]
    fn identifiers_with_separators_are_code() {
        for code in [
            "aws:s3/Bucket:Bucket",
            "plant:tree/v1:Diameter",
            "azure-native:storage/v20230101:StorageAccount",
            "gcp:compute/instanceIamMember:InstanceIamMember",
            "urn:ietf:params:oauth:token-type:refresh_token",
            "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66",
            "urn:pulumi:prod::web::aws:s3/bucket:Bucket::assets",
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/Db-Xy12Ab",
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "application/vnd.github.v3+json",
            "application/vnd.oai.openapi+json;version=3.0",
            "text/plain;charset=UTF-8",
        ] {
            assert!(!generic_value(code.as_bytes()), "{code}");
        }
        // Random parts, or not the grammar: values.
        for value in [
            "aws:s3/rFB2ShMUpVG9x:Bucket",
            "Kx9:mP2vL8q!:R4wT",
            "arn:Kx9mP2vL8qR4wT7zQ",
            "application/Kx9mP2vL8q;R4wT7zQ",
        ] {
            assert!(generic_value(value.as_bytes()), "{value}");
        }
    }

    #[test]
    fn shell_comparisons_are_not_assignments() {
        for whole in [
            r#"$pass" = "prog,scan""#,
            r#"$password" = "X$confirmpwd""#,
            r#"${token}' = 'xnone'"#,
        ] {
            assert!(is_shell_comparison(whole.as_bytes()), "{whole}");
        }
        for whole in [
            r#"$pass = "prog,scan""#, // leakhound:allow
            r#"pass" = "prog,scan""#, // leakhound:allow
            r#""pass": "x""#,
        ] {
            assert!(!is_shell_comparison(whole.as_bytes()), "{whole}");
        }
    }
}
