#!/usr/bin/env python3
"""Corpus generator: values that sit where secrets sit but are not secrets
(translated UI text, detect-secrets baselines, identifiers with separators),
with real secrets planted beside them in the same trees.

    python3 bench/eval/independent/prose_ids.py --out DIR --trees 6 --seed 71

Writes DIR/trees/<tree>/..., DIR/truth.json (planted secrets: tree, path,
line, end_line, family, kind, secret), DIR/decoys.json (look-alike lines:
tree, path, line, end_line, kind) and DIR/manifest.json, the format
bench/eval/score.py reads. Deterministic for a seed; stdlib only.

Look-alike classes, each in the file formats where it occurs in practice:
- translations: UI strings in other scripts (Cyrillic, CJK, Arabic, Hebrew,
  Greek, Thai, Devanagari, Hangul) and in Latin languages with diacritics,
  under keys such as `login.password.hint` or `api_token`, in JSON, YAML,
  .properties, gettext .po, Android strings.xml, iOS .strings, .resx, ARB
  and JS/TS message objects; with placeholders, counts and punctuation.
- baselines: detect-secrets baselines (1.x, slim 1.x, 0.x) at the root, in
  sub-projects of a monorepo and copied under other names; their
  `hashed_secret` lines are SHA-1 digests. Some root entries hash a real
  value that sits in a file: accepted, so that line is a look-alike too.
- identifiers: Pulumi type tokens and URNs, ARNs, OAuth/SAML URNs, MIME
  types, CloudFormation and Kubernetes type names, and shell comparisons of
  the kind autotools and libtool scripts are full of, under secret-ish names.

Secrets beside them: random and human-chosen passwords (some with Latin
diacritics and digits), API keys, signing keys, client secrets and tokens,
in the same trees and often in the same files.

Written for issue 19 of leakhound from the classes the issue names and from
the formats' own documentation (i18n file formats, detect-secrets' baseline
format as its `scan` writes it, Pulumi's type-token grammar, AWS ARN syntax,
RFC 8141 URNs, RFC 6838 media types).
"""
import argparse, hashlib, json, os, random, shutil, string

UP, LO, DG = string.ascii_uppercase, string.ascii_lowercase, string.digits
AN = UP + LO + DG
HEX = "0123456789abcdef"
B64U = AN + "-_"

# ---------------------------------------------------------------- translations
# (key meaning, {lang: text}); written for this corpus, several per meaning.
PHRASES = {
    "password": {"ru": "Пароль", "uk": "Пароль", "ja": "パスワード", "zh": "密码", "ko": "비밀번호",
                 "ar": "كلمة المرور", "he": "סיסמה", "el": "Κωδικός πρόσβασης", "th": "รหัสผ่าน",
                 "hi": "पासवर्ड", "es": "Contraseña", "fr": "Mot de passe", "de": "Passwort",
                 "pt": "Senha", "tr": "Şifre", "vi": "Mật khẩu", "pl": "Hasło", "cs": "Heslo"},
    "password_hint": {"ru": "Минимум 8 символов, одна цифра и одна заглавная буква",
                      "uk": "Щонайменше 8 символів", "ja": "8文字以上で、数字を1つ含めてください",
                      "zh": "至少8个字符，包含一个数字", "ko": "8자 이상, 숫자를 포함하세요",
                      "ar": "8 أحرف على الأقل", "he": "לפחות 8 תווים", "el": "Τουλάχιστον 8 χαρακτήρες",
                      "th": "อย่างน้อย 8 ตัวอักษร", "hi": "कम से कम 8 अक्षर",
                      "es": "Mínimo 8 caracteres", "fr": "8 caractères minimum", "de": "Mindestens 8 Zeichen",
                      "pt": "Mínimo de 8 caracteres", "tr": "En az 8 karakter", "vi": "Ít nhất 8 ký tự",
                      "pl": "Co najmniej 8 znaków", "cs": "Alespoň 8 znaků"},
    "password_compact": {"ru": "Минимум8символов", "ja": "パスワード（8文字以上）", "zh": "密码长度至少为8个字符",
                         "ko": "비밀번호는8자이상", "uk": "Мінімум8символів", "th": "รหัสผ่านอย่างน้อย8ตัว",
                         "el": "Κωδικός(8+χαρακτήρες)", "he": "סיסמה(8תווים)", "hi": "पासवर्ड(8अक्षर)",
                         "ar": "كلمةالمرور(8أحرف)"},
    "forgot": {"ru": "Забыли пароль?", "ja": "パスワードをお忘れですか？", "zh": "忘记密码？", "ko": "비밀번호를 잊으셨나요?",
               "es": "¿Olvidó su contraseña?", "fr": "Mot de passe oublié ?", "de": "Passwort vergessen?",
               "pt": "Esqueceu a senha?", "tr": "Şifrenizi mi unuttunuz?", "pl": "Nie pamiętasz hasła?",
               "uk": "Забули пароль?", "el": "Ξεχάσατε τον κωδικό;", "vi": "Quên mật khẩu?"},
    "forgot_compact": {"ru": "Забыли_пароль?", "ja": "パスワードを忘れた場合はこちら。", "zh": "忘记密码了吗？点击这里",
                       "es": "¿Olvidó_su_contraseña?", "fr": "Mot_de_passe_oublié?", "ko": "비밀번호、확인",
                       "uk": "Забули_пароль?", "tr": "Şifremi_unuttum!", "pt": "Esqueceu_a_senha?",
                       "pl": "Nie_pamiętasz_hasła?", "vi": "Quên_mật_khẩu?"},
    "wrong": {"ru": "Неверный пароль. Осталось попыток: {count}", "ja": "パスワードが間違っています。",
              "zh": "密码错误，请重试", "ko": "비밀번호가 올바르지 않습니다", "es": "¡Contraseña incorrecta!",
              "de": "Falsches Passwort!", "ar": "كلمة المرور غير صحيحة", "he": "הסיסמה שגויה",
              "tr": "Yanlış şifre!", "uk": "Невірний пароль", "cs": "Nesprávné heslo!"},
    "wrong_compact": {"ru": "Неверный_пароль!", "ja": "パスワードが違います！", "zh": "密码错误，请重试。",
                      "es": "¡Contraseña_incorrecta!", "ko": "비밀번호오류（다시시도）", "ar": "كلمة_المرور_غير_صحيحة",
                      "he": "הסיסמה_שגויה!", "cs": "Nesprávné_heslo!", "uk": "Невірний_пароль!"},
    "token_expired": {"ru": "Срок действия токена истёк", "ja": "トークンの有効期限が切れました。",
                      "zh": "令牌已过期", "ko": "토큰이 만료되었습니다", "es": "El token ha caducado",
                      "de": "Das Token ist abgelaufen", "fr": "Le jeton a expiré", "el": "Το διακριτικό έληξε",
                      "uk": "Термін дії токена минув"},
    "token_compact": {"ru": "Токен_истёк,_войдите_снова", "ja": "トークンの有効期限切れ（再ログイン）",
                      "zh": "访问令牌已过期（请重新登录）", "ko": "토큰만료：다시로그인", "el": "Το_διακριτικό_έληξε!",
                      "uk": "Токен_прострочено!", "fr": "Jeton_expiré!", "de": "Token_abgelaufen!"},
    "api_key_label": {"ru": "API-ключ", "ja": "APIキー", "zh": "API密钥", "ko": "API 키", "es": "Clave de API",
                      "de": "API-Schlüssel", "fr": "Clé d’API", "tr": "API anahtarı", "uk": "Ключ API",
                      "he": "מפתח API", "ar": "مفتاح API"},
    "api_key_help": {"ru": "Скопируйте ключ из панели управления…", "ja": "管理画面からAPIキーをコピーしてください。",
                     "zh": "请从控制台复制您的API密钥：", "ko": "관리 콘솔에서 API 키를 복사하세요", "es": "Copie la clave desde el panel…",
                     "de": "Schlüssel aus der Konsole kopieren…", "uk": "Скопіюйте ключ з панелі…"},
    "secret_question": {"ru": "Секретный вопрос", "ja": "秘密の質問", "zh": "密保问题", "ko": "보안 질문",
                        "es": "Pregunta secreta", "de": "Sicherheitsfrage", "fr": "Question secrète",
                        "tr": "Gizli soru", "el": "Μυστική ερώτηση", "uk": "Секретне питання"},
    "secret_compact": {"ru": "Секретный_вопрос:", "ja": "秘密の質問：", "zh": "密保问题：", "ko": "보안질문：",
                       "es": "«Pregunta_secreta»", "de": "„Sicherheitsfrage“", "fr": "«Question_secrète»",
                       "el": "«Μυστική_ερώτηση»", "uk": "«Секретне_питання»"},
    "confirm": {"ru": "Повторите пароль", "ja": "パスワード（確認）", "zh": "确认密码", "ko": "비밀번호 확인",
                "es": "Confirmar contraseña", "de": "Passwort bestätigen", "pt": "Confirmar senha",
                "tr": "Şifreyi onayla", "vi": "Xác nhận mật khẩu", "he": "אימות סיסמה", "uk": "Повторіть пароль"},
}
KEYS = {  # meaning -> keys under which apps keep it
    "password": ["password", "login.password", "auth.password.label", "form.password", "passwordLabel", "pwd"],
    "password_hint": ["login.password.hint", "password_hint", "passwordHint", "auth.password.requirements"],
    "password_compact": ["password", "login.password.rule", "passwordRule", "auth.password.min", "new_password"],
    "forgot": ["forgot_password", "login.forgotPassword", "auth.password.forgot"],
    "forgot_compact": ["forgot_password", "auth.password.reset_link", "resetPassword", "password_reset"],
    "wrong": ["errors.wrong_password", "auth.password.invalid", "invalidPassword"],
    "wrong_compact": ["wrong_password", "password_error", "auth.password.error", "passwordError"],
    "token_expired": ["errors.token_expired", "session.token.expired", "tokenExpired"],
    "token_compact": ["token_expired", "auth_token", "session.token", "access_token_error", "tokenMessage"],
    "api_key_label": ["api_key", "settings.api_key.label", "apiKey", "integrations.api_key"],
    "api_key_help": ["api_key_help", "settings.api_key.description", "apiKeyHelp"],
    "secret_question": ["secret_question", "security.secret_question", "secretQuestion"],
    "secret_compact": ["secret_question", "secret_key_label", "security.secret", "client_secret_label"],
    "confirm": ["password_confirmation", "confirm_password", "passwordConfirm"],
}
LANGS = ["ru", "uk", "ja", "zh", "ko", "ar", "he", "el", "th", "hi", "es", "fr", "de", "pt", "tr", "vi", "pl", "cs"]
WORDS = ("harbor quilt nimbus falcon maple cobalt ember juniper lantern meadow orchid pepper quartz raven "
         "saffron timber velvet walnut zephyr canyon glacier hollow ivory jasper kettle lagoon mosaic").split()
LATIN_PW_WORDS = ["Añejo", "Zürich", "Crème", "Ñandú", "Smørrebrød", "Größe", "Façade", "Ålesund", "Kraków",
                  "Düsseldorf", "Señorita", "Café", "Piñata", "Jalapeño", "Brûlée", "Mañana"]


class R:
    def __init__(s, seed):
        s.r = random.Random(seed)

    def s(s, n, cs=AN):
        return "".join(s.r.choice(cs) for _ in range(n))

    def c(s, seq):
        return s.r.choice(seq)

    def i(s, a, b):
        return s.r.randint(a, b)

    def p(s, x):
        return s.r.random() < x

    def uuid(s):
        h = s.s(32, HEX)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{s.c('89ab')}{h[17:20]}-{h[20:]}"


# ---------------------------------------------------------------- real secrets
def real_secret(rr):
    """(value, kind) of a credential a team would keep in config."""
    k = rr.c(["random_pw", "random_pw", "human_pw", "latin_pw", "api_key", "hex_key", "b64_key", "client_secret", "token"])
    if k == "random_pw":
        cs = AN + "!#%^*-_+=@"
        while True:
            v = rr.s(rr.i(14, 26), cs)
            if any(ch in DG for ch in v) and any(ch in "!#%^*-_+=@" for ch in v):
                return v, k
    if k == "human_pw":
        return "-".join(rr.c(WORDS).capitalize() for _ in range(3)) + str(rr.i(10, 99)) + rr.c("!#%*"), k
    if k == "latin_pw":
        return rr.c(LATIN_PW_WORDS) + rr.c(["-", "_", "."]) + rr.c(WORDS).capitalize() + str(rr.i(1000, 2099)) + rr.c("!#%"), k
    if k == "api_key":
        return rr.s(rr.c([32, 40, 48])), k
    if k == "hex_key":
        return rr.s(64, HEX), k
    if k == "b64_key":
        import base64
        return base64.b64encode(bytes(rr.i(0, 255) for _ in range(32))).decode(), k
    if k == "client_secret":
        return rr.s(rr.c([40, 48]), B64U), k
    return rr.s(8, LO + DG) + "." + rr.s(32), k


SECRET_NAMES = {"password": ["DB_PASSWORD", "SMTP_PASSWORD", "REDIS_PASSWORD", "ADMIN_PASSWORD", "LDAP_BIND_PASSWORD"],
                "secret": ["SECRET_KEY", "SESSION_SECRET", "CLIENT_SECRET", "WEBHOOK_SECRET", "JWT_SECRET"],
                "token": ["API_TOKEN", "AUTH_TOKEN", "SERVICE_TOKEN", "DEPLOY_TOKEN"],
                "key": ["API_KEY", "PARTNER_API_KEY", "ENCRYPTION_KEY", "SIGNING_KEY"]}


def secret_name(rr, value_kind):
    if value_kind in ("random_pw", "human_pw", "latin_pw"):
        return rr.c(SECRET_NAMES["password"])
    return rr.c(SECRET_NAMES[rr.c(["secret", "token", "key"])])


# ---------------------------------------------------------------- files
class F:
    """One file's lines; each may carry a label (secret or look-alike)."""
    def __init__(s):
        s.rows = []

    def add(s, *lines):
        for l in lines:
            s.rows.append((l, None))
        return s

    def secret(s, line, value, kind, family="generic"):
        assert value in line
        s.rows.append((line, ("S", value, family, kind)))
        return s

    def decoy(s, line, marker, kind):
        assert marker in line, (line, marker)
        s.rows.append((line, ("D", marker, kind)))
        return s


class Tree:
    def __init__(s, rr, name):
        s.rr, s.name, s.files = rr, name, {}

    def f(s, path):
        return s.files.setdefault(path, F())

    def plant(s, f, fmt):
        """A real secret in `f`, written with `fmt(name, value)`; returns the value."""
        v, k = real_secret(s.rr)
        n = secret_name(s.rr, k)
        f.secret(fmt(n, v), v, k)
        return v


# ---------------------------------------------------------------- look-alike writers
def phrase(rr, compact=None):
    meaning = rr.c([m for m in PHRASES if compact is None or m.endswith("_compact") == compact])
    lang = rr.c(sorted(PHRASES[meaning]))
    return meaning, lang, PHRASES[meaning][lang]


def decorate(rr, text):
    """A placeholder or count in the string, as apps write them."""
    r = rr.i(0, 9)
    if r == 0:
        return text + " {0}"
    if r == 1:
        return "%s: " + text if " " in text else text + "%s"
    if r == 2:
        return text + " {{count}}"
    if r == 3:
        return text + " (%1$d)"
    return text


def esc_json(s):
    return json.dumps(s, ensure_ascii=False)[1:-1]


def locale_files(t, apps):
    rr = t.rr
    langs = rr.r.sample(LANGS, rr.i(4, 8))
    for app in apps:
        for lang in langs:
            style = rr.c(["json_flat", "json_nested", "yaml", "properties", "po", "android", "ios", "resx", "arb", "ts"])
            path = {
                "json_flat": f"{app}/locales/{lang}.json", "json_nested": f"{app}/public/locales/{lang}/translation.json",
                "yaml": f"{app}/config/locales/{lang}.yml", "properties": f"{app}/src/main/resources/messages_{lang}.properties",
                "po": f"{app}/locale/{lang}/LC_MESSAGES/django.po", "android": f"{app}/app/src/main/res/values-{lang}/strings.xml",
                "ios": f"{app}/Resources/{lang}.lproj/Localizable.strings", "resx": f"{app}/Resources/Strings.{lang}.resx",
                "arb": f"{app}/lib/l10n/app_{lang}.arb", "ts": f"{app}/src/i18n/{lang}.ts"}[style]
            if path in t.files:
                continue
            f = t.f(path)
            write_locale(rr, f, style, lang)


def entries(rr, lang, n):
    out, seen = [], set()
    for _ in range(n * 3):
        meaning = rr.c(list(PHRASES))
        if lang not in PHRASES[meaning]:
            continue
        key = rr.c(KEYS[meaning])
        if key in seen:
            continue
        seen.add(key)
        out.append((key, decorate(rr, PHRASES[meaning][lang]) if not meaning.endswith("_compact") else PHRASES[meaning][lang]))
        if len(out) == n:
            break
    return out


def write_locale(rr, f, style, lang):
    es = entries(rr, lang, rr.i(4, 9))
    kind = "translation_" + ("latin" if lang in ("es", "fr", "de", "pt", "tr", "vi", "pl", "cs") else "script")
    if style == "json_flat":
        f.add("{")
        for i, (k, v) in enumerate(es):
            f.decoy(f'  "{k}": "{esc_json(v)}"' + ("," if i < len(es) - 1 else ""), esc_json(v), kind)
        f.add("}")
    elif style == "json_nested":
        f.add("{", '  "auth": {')
        for i, (k, v) in enumerate(es):
            leaf = k.split(".")[-1]
            f.decoy(f'    "{leaf}": "{esc_json(v)}"' + ("," if i < len(es) - 1 else ""), esc_json(v), kind)
        f.add("  }", "}")
    elif style == "yaml":
        f.add(f"{lang}:", "  auth:")
        for k, v in es:
            leaf = k.split(".")[-1]
            q = rr.c(['"', "'", ""]) if not any(ch in v for ch in ":#{%'\"") else '"'
            f.decoy(f"    {leaf}: {q}{v}{q}", v, kind)
    elif style == "properties":
        f.add(f"# messages ({lang})")
        for k, v in es:
            if rr.p(0.3):
                enc = "".join(ch if ord(ch) < 128 else f"\\u{ord(ch):04x}" for ch in v)
                f.decoy(f"{k}={enc}", enc, kind + "_escaped")
            else:
                f.decoy(f"{k}={v}", v, kind)
    elif style == "po":
        f.add(f'msgid ""', f'msgstr ""', f'"Language: {lang}\\n"', "")
        for k, v in es:
            f.add(f"#: templates/auth/{rr.c(['login', 'settings', 'reset'])}.html:{rr.i(3, 200)}",
                  f'msgid "{k.replace(".", " ").replace("_", " ")}"')
            f.decoy(f'msgstr "{esc_json(v)}"', esc_json(v), kind)
            f.add("")
    elif style == "android":
        f.add('<?xml version="1.0" encoding="utf-8"?>', "<resources>")
        for k, v in es:
            name = k.replace(".", "_")
            v2 = v.replace("'", "\\'").replace("&", "&amp;")
            f.decoy(f'    <string name="{name}">{v2}</string>', v2, kind)
        f.add("</resources>")
    elif style == "ios":
        for k, v in es:
            f.decoy(f'"{k}" = "{esc_json(v)}";', esc_json(v), kind)
    elif style == "resx":
        f.add('<?xml version="1.0" encoding="utf-8"?>', "<root>")
        for k, v in es:
            name = "".join(p.capitalize() for p in k.replace(".", "_").split("_"))
            f.add(f'  <data name="{name}" xml:space="preserve">')
            f.decoy(f"    <value>{v}</value>", v, kind)
            f.add("  </data>")
        f.add("</root>")
    elif style == "arb":
        f.add("{", f'  "@@locale": "{lang}",')
        for i, (k, v) in enumerate(es):
            leaf = "".join(p.capitalize() if j else p for j, p in enumerate(k.replace(".", "_").split("_")))
            f.decoy(f'  "{leaf}": "{esc_json(v)}"' + ("," if i < len(es) - 1 else ""), esc_json(v), kind)
        f.add("}")
    else:
        f.add("export default {")
        for k, v in es:
            leaf = k.split(".")[-1]
            q = rr.c(["'", '"', "`"])
            f.decoy(f"  {leaf}: {q}{v}{q},", v, kind)
        f.add("};")


# ---------------------------------------------------------------- detect-secrets baselines
DS_PLUGINS = ["ArtifactoryDetector", "AWSKeyDetector", "AzureStorageKeyDetector", "BasicAuthDetector",
              "CloudantDetector", "DiscordBotTokenDetector", "GitHubTokenDetector", "GitLabTokenDetector",
              "HexHighEntropyString", "Base64HighEntropyString", "IbmCloudIamDetector", "IbmCosHmacDetector",
              "IPPublicDetector", "JwtTokenDetector", "KeywordDetector", "MailchimpDetector", "NpmDetector",
              "OpenAIDetector", "PrivateKeyDetector", "PypiTokenDetector", "SendGridDetector", "SlackDetector",
              "SoftlayerDetector", "SquareOAuthDetector", "StripeDetector", "TelegramBotTokenDetector",
              "TwilioKeyDetector"]
DS_TYPES = ["Secret Keyword", "Base64 High Entropy String", "Hex High Entropy String", "AWS Access Key",
            "Basic Auth Credentials", "JSON Web Token", "Private Key", "Stripe Access Key", "Slack Token"]
DS_FILTERS = ["detect_secrets.filters.allowlist.is_line_allowlisted",
              "detect_secrets.filters.common.is_baseline_file",
              "detect_secrets.filters.common.is_ignored_due_to_verification_policies",
              "detect_secrets.filters.heuristic.is_indirect_reference",
              "detect_secrets.filters.heuristic.is_likely_id_string",
              "detect_secrets.filters.heuristic.is_lock_file",
              "detect_secrets.filters.heuristic.is_not_alphanumeric_string",
              "detect_secrets.filters.heuristic.is_potential_uuid",
              "detect_secrets.filters.heuristic.is_prefixed_with_dollar_sign",
              "detect_secrets.filters.heuristic.is_sequential_string",
              "detect_secrets.filters.heuristic.is_swagger_file",
              "detect_secrets.filters.heuristic.is_templated_secret"]


def sha1(s):
    return hashlib.sha1(s.encode()).hexdigest()


def ds_files(rr, n, prefix=""):
    pool = ["config/settings.py", "tests/fixtures/users.json", "docker-compose.yml", ".env.example",
            "docs/api.md", "src/client.ts", "deploy/values.yaml", "scripts/seed.sh", "app/models/user.rb",
            "tests/test_auth.py", "README.md", "charts/api/values-prod.yaml", "src/main/resources/application.yml"]
    return sorted(prefix + p for p in rr.r.sample(pool, n))


def baseline_text(rr, results, version, slim=False):
    """Text of a baseline as detect-secrets' writer lays it out (json.dumps indent=2)."""
    if version.startswith("0."):
        doc = {"custom_plugin_paths": [], "exclude": {"files": rr.c([None, "package-lock.json|^.secrets.baseline$"]), "lines": None},
               "generated_at": f"20{rr.i(19, 21)}-0{rr.i(1, 9)}-1{rr.i(0, 9)}T0{rr.i(0, 9)}:1{rr.i(0, 9)}:2{rr.i(0, 9)}Z",
               "plugins_used": [{"name": p} | ({"base64_limit": 4.5} if p == "Base64HighEntropyString" else {})
                                | ({"hex_limit": 3.0} if p == "HexHighEntropyString" else {})
                                | ({"keyword_exclude": None} if p == "KeywordDetector" else {})
                                for p in sorted(rr.r.sample(DS_PLUGINS[:18], 12))],
               "results": {fn: [{"hashed_secret": h, "is_secret": rr.c([False, True]) if rr.p(0.3) else False, "is_verified": False,
                                 "line_number": ln, "type": ty} for (ty, h, ln) in es] for fn, es in results.items()},
               "version": version, "word_list": {"file": None, "hash": None}}
        return json.dumps(doc, indent=2, sort_keys=True) + "\n"
    doc = {"version": version,
           "plugins_used": [{"name": p} | ({"limit": 4.5} if p == "Base64HighEntropyString" else {})
                            | ({"limit": 3.0} if p == "HexHighEntropyString" else {})
                            | ({"keyword_exclude": ""} if p == "KeywordDetector" else {}) for p in DS_PLUGINS],
           "filters_used": [{"path": p} | ({"min_level": 2} if "verification" in p else {})
                            | ({"filename": ".secrets.baseline"} if "baseline_file" in p else {}) for p in DS_FILTERS],
           "results": {}}
    for fn, es in results.items():
        out = []
        for (ty, h, ln) in es:
            e = {"type": ty, "filename": fn, "hashed_secret": h, "is_verified": False}
            if not slim:
                e["line_number"] = ln
            if rr.p(0.2):
                e["is_secret"] = rr.p(0.3)
            out.append(e)
        doc["results"][fn] = out
    if not slim:
        doc["generated_at"] = f"202{rr.i(3, 6)}-0{rr.i(1, 9)}-1{rr.i(0, 9)}T1{rr.i(0, 9)}:0{rr.i(0, 9)}:4{rr.i(0, 9)}Z"
    return json.dumps(doc, indent=2) + "\n"


def write_baseline(t, path, results, version, slim=False):
    """A baseline file; each hashed_secret line is a look-alike."""
    text = baseline_text(t.rr, results, version, slim)
    f = t.f(path)
    hashes = {h for es in results.values() for (_, h, _) in es}
    for line in text.rstrip("\n").split("\n"):
        h = line.split('"hashed_secret": "')[-1][:40] if '"hashed_secret"' in line else None
        if h and h in hashes:
            f.decoy(line, h, "ds_baseline_hash")
        else:
            f.add(line)


def random_results(rr, files, per=(1, 4)):
    res = {}
    for fn in files:
        es, seen = [], set()
        for _ in range(rr.i(*per)):
            h = sha1(rr.s(rr.i(16, 40)))
            if h in seen:
                continue
            seen.add(h)
            es.append((rr.c(DS_TYPES), h, rr.i(1, 300)))
        res[fn] = sorted(es, key=lambda e: (e[2], e[1]))
    return res


# ---------------------------------------------------------------- identifiers
PULUMI_TOKENS = ["aws:s3/bucket:Bucket", "aws:s3/Bucket:Bucket", "aws:ec2/securityGroup:SecurityGroup",
                 "aws:iam/role:Role", "aws:secretsmanager/secretVersion:SecretVersion", "aws:kms/key:Key",
                 "azure-native:storage/v20230101:StorageAccount", "azure-native:keyvault:Vault",
                 "gcp:compute/instance:Instance", "gcp:secretmanager/secret:Secret", "kubernetes:core/v1:Secret",
                 "kubernetes:apps/v1:Deployment", "random:index/randomPassword:RandomPassword",
                 "tls:index/privateKey:PrivateKey", "plant:tree/v1:Diameter", "plant:tree/v1:RubberTree",
                 "example:index:Component", "acme:network/v2:LoadBalancerListener", "cloudflare:index/zone:Zone",
                 "github:index/actionsSecret:ActionsSecret", "vault:generic/secret:Secret"]


def urn(rr):
    return rr.c([f"urn:ietf:params:oauth:token-type:{rr.c(['access_token', 'refresh_token', 'id_token', 'jwt', 'saml2'])}",
                 f"urn:ietf:params:oauth:grant-type:{rr.c(['jwt-bearer', 'token-exchange', 'device_code', 'saml2-bearer'])}",
                 f"urn:oasis:names:tc:SAML:2.0:nameid-format:{rr.c(['persistent', 'transient', 'emailAddress'])}",
                 f"urn:oasis:names:tc:SAML:2.0:ac:classes:{rr.c(['PasswordProtectedTransport', 'X509', 'Kerberos'])}",
                 f"urn:uuid:{rr.uuid()}",
                 f"urn:li:{rr.c(['person', 'organization'])}:{rr.i(10000000, 99999999)}",
                 f"urn:pulumi:{rr.c(['prod', 'staging', 'dev'])}::{rr.c(WORDS)}::{rr.c(PULUMI_TOKENS)}::{rr.c(WORDS)}-{rr.c(['secret', 'token', 'key'])}",
                 f"urn:x-{rr.c(WORDS)}:secrets:{rr.c(['db', 'api', 'smtp'])}:{rr.c(['primary', 'rotation'])}"])


def arn(rr):
    acct = rr.s(12, DG)
    region = rr.c(["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"])
    w = rr.c(WORDS)
    return rr.c([f"arn:aws:secretsmanager:{region}:{acct}:secret:prod/{w}/db-{rr.s(6)}",
                 f"arn:aws:kms:{region}:{acct}:key/{rr.uuid()}",
                 f"arn:aws:kms:{region}:{acct}:alias/{w}-signing",
                 f"arn:aws:iam::{acct}:role/{w}-token-exchange",
                 f"arn:aws:ssm:{region}:{acct}:parameter/{w}/api_token",
                 f"arn:aws-us-gov:secretsmanager:us-gov-west-1:{acct}:secret:{w}-{rr.s(6)}",
                 f"arn:aws:acm:{region}:{acct}:certificate/{rr.uuid()}"])


MIMES = ["application/vnd.api+json", "application/x-www-form-urlencoded", "application/jose+json", "application/jwt",
         "application/x-pem-file", "application/pkcs8", "application/vnd.github.v3+json",
         "application/vnd.oai.openapi+json;version=3.0", "application/json; charset=utf-8", "application/x-pkcs12",
         "application/token-introspection+jwt", "application/secevent+jwt", "text/plain;charset=UTF-8",
         "application/octet-stream", "multipart/form-data; boundary=token-boundary"]


def identifier_files(t):
    rr = t.rr
    # Pulumi programs in TypeScript, Python, Go and YAML.
    ts = t.f("infra/components/storage.ts")
    ts.add('import * as pulumi from "@pulumi/pulumi";', 'import * as aws from "@pulumi/aws";', "")
    for _ in range(rr.i(3, 6)):
        tok = rr.c(PULUMI_TOKENS)
        form = rr.c(["super", "alias", "token", "get", "tokenvar"])
        if form == "super":
            ts.add(f"export class {rr.c(WORDS).capitalize()}{rr.i(1, 99)} extends pulumi.ComponentResource {{",
                   "    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {")
            ts.decoy(f'        super("{tok}", name, {{}}, opts);', tok, "pulumi_type_token")
            ts.add("    }", "}", "")
        elif form == "alias":
            ts.decoy(f'const aliasOpts{rr.i(1, 999)} = {{ aliases: [{{ type: "{tok}" }}] }};', tok, "pulumi_type_token")
        elif form == "token":
            ts.decoy(f'export const resourceToken{rr.i(1, 999)} = {{ token: "{tok}" }};', tok, "pulumi_type_token")
        elif form == "get":
            ts.decoy(f'const existing{rr.i(1, 999)} = pulumi.runtime.invoke("{tok}", {{ id }});', tok, "pulumi_type_token")
        else:
            ts.decoy(f'const token{rr.i(1, 999)}: string = "{tok}";', tok, "pulumi_type_token")
    t.plant(ts, lambda n, v: f'const {n.lower()}{rr.i(1, 99)} = new aws.secretsmanager.SecretVersion("db", {{ secretString: "{v}" }});')
    py = t.f("infra/__main__.py")
    py.add("import pulumi", "import pulumi_aws as aws", "")
    for _ in range(rr.i(3, 6)):
        tok = rr.c(PULUMI_TOKENS)
        form = rr.c(["deco", "alias", "res", "token"])
        if form == "deco":
            py.decoy(f'@pulumi.type_token("{tok}")', tok, "pulumi_type_token")
            py.add(f"class {rr.c(WORDS).capitalize()}{rr.i(1, 99)}(pulumi.CustomResource):", "    pass", "")
        elif form == "alias":
            py.decoy(f'opts{rr.i(1, 999)} = pulumi.ResourceOptions(aliases=[pulumi.Alias(type_="{tok}")])', tok, "pulumi_type_token")
        elif form == "res":
            py.decoy(f'    super().__init__("{tok}", resource_name, props, opts)', tok, "pulumi_type_token")
        else:
            py.decoy(f'token = "{tok}"', tok, "pulumi_type_token")
    t.plant(py, lambda n, v: f'{n.lower()} = pulumi.Output.secret("{v}")')
    go = t.f("infra/go/main.go")
    go.add("package main", "", 'import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"', "", "func register(ctx *pulumi.Context) error {")
    for _ in range(rr.i(2, 4)):
        tok = rr.c(PULUMI_TOKENS)
        if rr.p(0.5):
            go.decoy(f'\terr := ctx.RegisterResource("{tok}", name, args, &res)', tok, "pulumi_type_token")
        else:
            go.decoy(f'\ttoken := "{tok}"', tok, "pulumi_type_token")
    go.add("\treturn nil", "}")
    ym = t.f("infra/yaml/Pulumi.yaml")
    ym.add(f"name: {rr.c(WORDS)}", "runtime: yaml", "resources:")
    for i in range(rr.i(2, 4)):
        tok = rr.c(PULUMI_TOKENS)
        ym.add(f"  res{i}:")
        ym.decoy(f"    type: {tok}", tok, "pulumi_type_token")
    st = t.f("infra/.pulumi/stacks/prod.json")
    st.add("{", '  "checkpoint": {', '    "latest": {', '      "resources": [')
    for i in range(rr.i(2, 4)):
        u = f"urn:pulumi:prod::{rr.c(WORDS)}::{rr.c(PULUMI_TOKENS)}::{rr.c(WORDS)}{i}"
        st.add("        {")
        st.decoy(f'          "urn": "{u}",', u, "pulumi_urn")
        st.add(f'          "type": "{rr.c(PULUMI_TOKENS)}"' , "        },")
    st.add("        {}", "      ]", "    }", "  }", "}")

    # ARNs and URNs under secret-ish names, in several config formats.
    cfg = t.f("config/auth.yaml")
    cfg.add("auth:")
    for _ in range(rr.i(3, 6)):
        n = rr.c(["token_type", "subject_token_type", "requested_token_type", "grant", "name_id_format", "secret_urn",
                  "token_urn", "secret", "credential"])
        u = urn(rr)
        cfg.decoy(f"  {n}: {u}" if rr.p(0.5) else f'  {n}: "{u}"', u, "urn")
    for _ in range(rr.i(2, 5)):
        n = rr.c(["secret_arn", "db_secret", "kms_key", "signing_key", "token_parameter", "secret", "api_token_ssm",
                  "certificate_key"])
        a = arn(rr)
        cfg.decoy(f"  {n}: {a}" if rr.p(0.5) else f'  {n}: "{a}"', a, "arn")
    t.plant(cfg, lambda n, v: f'  {n.lower()}: "{v}"')
    env = t.f("deploy/task.env")
    for _ in range(rr.i(2, 4)):
        a = arn(rr)
        env.decoy(f"{rr.c(['DB_SECRET', 'API_TOKEN_SECRET', 'SIGNING_KEY', 'SECRET_ID'])}={a}", a, "arn")
    t.plant(env, lambda n, v: f"{n}={v}")

    # Media types under token / key names (OAuth, JOSE, HTTP clients).
    cl = t.f("src/http/client.js")
    for _ in range(rr.i(3, 6)):
        m = rr.c(MIMES)
        n = rr.c(["tokenAccept", "TOKEN_MEDIA", "secretMime", "keyMime", "apiKeyAccept", "tokenEncoding", "token"])
        q = rr.c(["'", '"'])
        cl.decoy(f"const {n}{rr.i(1, 99)} = {q}{m}{q};" if rr.p(0.6) else f"  {n}: {q}{m}{q},", m, "mime_type")
    t.plant(cl, lambda n, v: f"const {n} = '{v}';")
    py2 = t.f("app/oauth.py")
    for _ in range(rr.i(2, 4)):
        m = rr.c(MIMES)
        py2.decoy(f'TOKEN_{rr.c(["MEDIA", "ACCEPT", "ENCODING"])}_{rr.i(1, 99)} = "{m}"', m, "mime_type")
    for _ in range(rr.i(1, 3)):
        u = urn(rr)
        py2.decoy(f'    "token": "{u}",' if rr.p(0.5) else f'GRANT_TOKEN_{rr.i(1, 99)} = "{u}"', u, "urn")
    t.plant(py2, lambda n, v: f'{n} = "{v}"')

    # CloudFormation and Kubernetes type names under secret-ish keys.
    cf = t.f("cfn/stack.yaml")
    cf.add("Resources:")
    for i in range(rr.i(2, 4)):
        ty = rr.c(["AWS::SecretsManager::Secret", "AWS::KMS::Key", "AWS::SSM::Parameter", "AWS::IAM::AccessKey",
                   "Custom::TokenRotation", "AWS::SecretsManager::RotationSchedule"])
        cf.add(f"  Secret{i}:")
        cf.decoy(f"    Type: {ty}" if rr.p(0.5) else f"    Type: '{ty}'", ty, "cfn_type")
    k8 = t.f("k8s/secret-store.yaml")
    k8.add("apiVersion: external-secrets.io/v1beta1", "kind: SecretStore", "spec:", "  provider:", "    aws:")
    a = arn(rr)
    k8.decoy(f"      secretToken: {a}", a, "arn")
    tok = rr.c(PULUMI_TOKENS)
    k8.decoy(f'      token: "{tok}"', tok, "pulumi_type_token")


def shell_files(t):
    rr = t.rr
    lt = t.f("build-aux/ltmain.sh")
    lt.add("#! /bin/sh", "# Generated from ltmain.in; portable library building.", "", "for pass in $passes; do")
    combos = [("$linkmode,$pass", ["prog,scan", "lib,link", "prog,link", "lib,dlpreopen", "conv,link"]),
              ("$pass", ["conv", "dlpreopen", "link", "scan"]),
              ("$linkmode,$pass,$dlopen", ["prog,scan,yes", "lib,link,no"]),
              ("X$password", ["X$confirmpwd", "X$password_again"]),
              ("$token_mode,$secret_backend", ["inline,vault", "file,sops", "env,kms"]),
              ("$PASSWORD", ["$PASSWORD_CONFIRM", "$EXPECTED_PASSWORD"]),
              ("x$auth_token", ["xnone", "xdefault,disabled"])]
    for _ in range(rr.i(6, 11)):
        lhs, rhss = rr.c(combos)
        rhs = rr.c(rhss)
        form = rr.c(["test", "brack", "brack2"])
        if form == "test":
            line = f'  if test "{lhs}" = "{rhs}"; then'
        elif form == "brack":
            line = f'    [ "{lhs}" = "{rhs}" ] && continue'
        else:
            line = f'  elif test "{lhs}" = "{rhs}" && test -n "$deplibs"; then'
        if any(line == r[0] for r in lt.rows):
            continue
        lt.decoy(line, rhs, "shell_comparison")
        lt.add("    :")
    lt.add("done")
    dp = t.f("scripts/deploy.sh")
    dp.add("#!/usr/bin/env bash", "set -euo pipefail")
    for _ in range(rr.i(2, 3)):
        t.plant(dp, lambda n, v: f"export {n}='{v}'")
    dp.add('if [ "$PASSWORD" = "$PASSWORD_CONFIRM" ]; then echo ok; fi' if rr.p(0.5) else "")
    for _ in range(rr.i(1, 3)):
        lhs, rhss = rr.c(combos)
        rhs = rr.c(rhss)
        line = f'if test "{lhs}" = "{rhs}"; then exit 0; fi'
        if any(line == r[0] for r in dp.rows):
            continue
        dp.decoy(line, rhs, "shell_comparison")


def baseline_trees(t, mono):
    rr = t.rr
    # A root baseline: some entries accept a value that sits in a file.
    accepted_file = t.f("tests/fixtures/legacy_settings.py")
    accepted_file.add("# values kept for the migration tests; audited, see .secrets.baseline")
    results = random_results(rr, ds_files(rr, rr.i(3, 6)))
    acc = []
    for j in range(rr.i(1, 3)):
        v, k = real_secret(rr)
        line = f'{rr.c(["LEGACY_SECRET", "OLD_API_KEY", "FIXTURE_TOKEN"])}_{j} = "{v}"'
        accepted_file.decoy(line, v, "baselined_secret")
        acc.append(("Secret Keyword", sha1(v), len(accepted_file.rows)))
    results["tests/fixtures/legacy_settings.py"] = acc
    write_baseline(t, ".secrets.baseline", results, rr.c(["1.5.0", "1.4.0", "1.5.0"]))
    # Real secrets elsewhere that the baseline does not hold.
    f = t.f("tests/fixtures/legacy_settings.py")
    t.plant(f, lambda n, v: f'{n} = "{v}"')
    env = t.f("services/api/.env.production")
    for _ in range(rr.i(2, 4)):
        t.plant(env, lambda n, v: f"{n}={v}")
    # Sub-project baselines in a monorepo, a slim one and an old 0.x one.
    for sub in mono:
        ver = rr.c(["1.5.0", "1.2.0", "0.14.3", "0.13.1", "slim"])
        slim = ver == "slim"
        write_baseline(t, f"{sub}/.secrets.baseline", random_results(rr, ds_files(rr, rr.i(2, 5), ""), (2, 6)),
                       "1.5.0" if slim else ver, slim)
        cfg = t.f(f"{sub}/config/settings.yaml")
        t.plant(cfg, lambda n, v: f"{n.lower()}: \"{v}\"")
    # A copy kept under another name (before an upgrade, in CI tooling).
    write_baseline(t, rr.c(["tools/ci/old.secrets.baseline", "ci/baseline.json", "legacy/.secrets.baseline.bak"]),
                   random_results(rr, ds_files(rr, rr.i(3, 6)), (3, 8)), rr.c(["0.14.3", "1.1.0"]))


def app_config(t):
    """An app's own config: real secrets among ordinary settings."""
    rr = t.rr
    f = t.f(rr.c(["config/settings.py", "app/settings/production.py"]))
    f.add("import os", "", f'APP_NAME = "{rr.c(WORDS)}"', "DEBUG = False")
    for _ in range(rr.i(2, 4)):
        t.plant(f, lambda n, v: f'{n} = "{v}"')
    y = t.f("config/secrets.yml")
    y.add("production:")
    for _ in range(rr.i(2, 3)):
        t.plant(y, lambda n, v: f"  {n.lower()}: {v}" if rr.p(0.5) else f'  {n.lower()}: "{v}"')
    p = t.f("src/main/resources/application-prod.properties")
    p.add("spring.application.name=" + rr.c(WORDS))
    for _ in range(rr.i(1, 3)):
        t.plant(p, lambda n, v: f"{n.lower().replace('_', '.')}={v}")
    j = t.f("config/credentials.json")
    j.add("{")
    for _ in range(rr.i(1, 3)):
        t.plant(j, lambda n, v: f'  "{n.lower()}": "{v}",')
    j.add('  "region": "eu-west-1"', "}")


ARCHETYPES = ["i18n_web", "pulumi_infra", "autotools", "monorepo", "mobile", "platform"]


def build_tree(rr, arch, name):
    t = Tree(rr, name)
    if arch == "i18n_web":
        locale_files(t, ["web", "admin"])
        app_config(t)
        shell_files(t)
    elif arch == "pulumi_infra":
        identifier_files(t)
        app_config(t)
        locale_files(t, ["portal"])
    elif arch == "autotools":
        shell_files(t)
        shell_files_more(t)
        app_config(t)
        baseline_trees(t, [])
    elif arch == "monorepo":
        baseline_trees(t, rr.r.sample(["services/api", "services/billing", "web", "tools/cli", "ml/pipeline"], 3))
        locale_files(t, ["services/web"])
        identifier_files(t)
    elif arch == "mobile":
        locale_files(t, ["android", "ios"])
        app_config(t)
        identifier_files(t)
    else:
        identifier_files(t)
        baseline_trees(t, rr.r.sample(["apps/portal", "apps/worker"], 1))
        shell_files(t)
        locale_files(t, ["apps/portal"])
    return t


def shell_files_more(t):
    rr = t.rr
    cf = t.f("configure.ac")
    cf.add("AC_INIT([" + rr.c(WORDS) + "], [1.0])")
    for _ in range(rr.i(2, 4)):
        lhs = rr.c(["$enable_tokens,$with_secret_store", "$pass,$mode", "x$with_password_file"])
        rhs = rr.c(["yes,vault", "scan,strict", "xno", "no,file"])
        line = f'AS_IF([test "{lhs}" = "{rhs}"], [AC_MSG_NOTICE([{rr.c(WORDS)}])])'
        if any(line == r[0] for r in cf.rows):
            continue
        cf.decoy(line, rhs, "shell_comparison")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--trees", type=int, default=6)
    ap.add_argument("--seed", type=int, default=71)
    a = ap.parse_args()
    rr = R(a.seed)
    out = os.path.abspath(a.out)
    if os.path.exists(os.path.join(out, "trees")):
        shutil.rmtree(os.path.join(out, "trees"))
    truth, decoys = [], []
    order = ARCHETYPES[:]
    rr.r.shuffle(order)
    for ti in range(a.trees):
        arch = order[ti % len(order)]
        name = f"{rr.c(WORDS)}-{arch}-{ti}"
        t = build_tree(rr, arch, name)
        for path, f in sorted(t.files.items()):
            full = os.path.join(out, "trees", name, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", encoding="utf-8", newline="\n") as fh:
                fh.write("\n".join(r[0] for r in f.rows) + "\n")
            for ln, (text, rec) in enumerate(f.rows, 1):
                if not rec:
                    continue
                base = {"tree": name, "path": path, "line": ln, "end_line": ln}
                if rec[0] == "S":
                    truth.append(dict(base, family=rec[2], kind=rec[3], secret=rec[1]))
                else:
                    decoys.append(dict(base, kind=rec[2]))
    secrets = [x["secret"] for x in truth]
    assert len(set(secrets)) == len(secrets), "duplicate planted secret"
    manifest = {"seed": a.seed, "trees": a.trees, "secrets": len(truth), "decoys": len(decoys), "families": {}, "decoy_kinds": {}}
    for x in truth:
        manifest["families"][x["kind"]] = manifest["families"].get(x["kind"], 0) + 1
    for d in decoys:
        manifest["decoy_kinds"][d["kind"]] = manifest["decoy_kinds"].get(d["kind"], 0) + 1
    manifest["decoy_kinds"] = dict(sorted(manifest["decoy_kinds"].items(), key=lambda kv: -kv[1]))
    for fname, obj in [("truth.json", truth), ("decoys.json", decoys), ("manifest.json", manifest)]:
        with open(os.path.join(out, fname), "w") as fh:
            json.dump(obj, fh, indent=1, ensure_ascii=False)
    print(json.dumps({"secrets": len(truth), "decoys": len(decoys), "kinds": manifest["decoy_kinds"]}))


if __name__ == "__main__":
    main()
