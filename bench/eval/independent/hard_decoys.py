#!/usr/bin/env python3
"""Hold-out corpus generator for secret scanners (precision-oriented, stdlib only).

python3 gen.py --out DIR --trees N --seed S
Writes DIR/trees/<tree>/..., DIR/truth.json, DIR/decoys.json, DIR/manifest.json.
All planted values are random and fake; formats follow public provider documentation.
"""
import argparse, base64, hashlib, json, os, random, shutil, string, struct

UP = string.ascii_uppercase
LO = string.ascii_lowercase
DG = string.digits
AN = UP + LO + DG
HEX = "0123456789abcdef"
B64 = AN + "+/"
B64U = AN + "-_"
B32 = UP + "234567"
BECH = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

FAMILIES = ["stripe", "aws", "jwt", "fernet", "private_key", "database", "github", "slack",
            "google", "openai", "anthropic", "twilio", "sendgrid", "heroku", "sentry", "npm",
            "generic"]
ONE_LINE = [f for f in FAMILIES if f != "private_key"]
WORDS = ("harbor quilt nimbus falcon maple cobalt ember juniper lantern meadow orchid pepper "
         "quartz raven saffron timber velvet walnut zephyr canyon glacier hollow ivory jasper "
         "kettle lagoon mosaic nectar onyx pylon").split()

class R:
    """Random helpers bound to one deterministic RNG."""
    def __init__(s, seed):
        s.r = random.Random(seed)

    def s(s, n, cs=AN):
        return "".join(s.r.choice(cs) for _ in range(n))

    def b(s, n):
        return bytes(s.r.getrandbits(8) for _ in range(n))

    def c(s, seq):
        return s.r.choice(seq)

    def i(s, a, b):
        return s.r.randint(a, b)

    def p(s, x):
        return s.r.random() < x

    def uuid(s):
        h = s.s(32, HEX)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{s.c('89ab')}{h[17:20]}-{h[20:]}"

    def b64(s, n):
        return base64.b64encode(s.b(n)).decode()

    def b64u(s, n, pad=False):
        v = base64.urlsafe_b64encode(s.b(n)).decode()
        return v if pad else v.rstrip("=")

    def human_pw(s):
        if s.p(0.5):
            w = [s.c(WORDS).capitalize() for _ in range(3)]
            return s.c("-.!_").join(w) + str(s.i(10, 99)) + s.c("!#%*")
        cs = AN + "!#%^*-_+="
        while True:
            v = s.s(s.i(18, 28), cs)
            if any(ch in DG for ch in v) and any(ch in "!#%^*-_+=" for ch in v):
                return v

    def pw(s):
        return s.human_pw() if s.p(0.45) else s.s(s.i(20, 32))

# ---------------------------------------------------------------- DER / PEM helpers
def der_len(n):
    if n < 128:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b

def der(tag, body):
    return bytes([tag]) + der_len(len(body)) + body

def dint(b):
    if b[0] & 0x80:
        b = b"\x00" + b
    return der(0x02, b)


SEQ = lambda *x: der(0x30, b"".join(x))
OCT = lambda b: der(0x04, b)
BIT = lambda b: der(0x03, b"\x00" + b)
OID_RSA = bytes.fromhex("06092a864886f70d0101010500")
OID_EC = bytes.fromhex("06072a8648ce3d0201")
OID_P256 = bytes.fromhex("06082a8648ce3d030107")

def rsa_pkcs1(rr, bits=2048):
    n = bits // 8
    big = lambda k: bytes([rr.i(0x80, 0xff)]) + rr.b(k - 1)
    return SEQ(dint(b"\x00"), dint(big(n)), dint(b"\x01\x00\x01"), dint(big(n)),
               *[dint(big(n // 2)) for _ in range(5)])

def pem(label, blob, width=64):
    b = base64.b64encode(blob).decode()
    return [f"-----BEGIN {label}-----"] + [b[i:i + width] for i in range(0, len(b), width)] + \
        [f"-----END {label}-----"]

def sshstr(b):
    return struct.pack(">I", len(b)) + b

def ed25519_pub_blob(rr):
    return sshstr(b"ssh-ed25519") + sshstr(rr.b(32))

def private_key(rr):
    k = rr.c(["rsa", "rsa", "pkcs8", "ec", "openssh", "enc"])
    if k == "rsa":
        return pem("RSA PRIVATE KEY", rsa_pkcs1(rr, rr.c([2048, 2048, 3072]))), "rsa_private_key"
    if k == "pkcs8":
        return pem("PRIVATE KEY", SEQ(dint(b"\x00"), SEQ(OID_RSA),
                                      OCT(rsa_pkcs1(rr)))), "pkcs8_private_key"
    if k == "ec":
        body = SEQ(dint(b"\x01"), OCT(rr.b(32)), der(0xa0, OID_P256), der(0xa1, BIT(b"\x04" + rr.b(64))))
        return pem("EC PRIVATE KEY", body), "ec_private_key"
    if k == "enc":
        alg = SEQ(bytes.fromhex("06092a864886f70d01050d"), SEQ(
            SEQ(bytes.fromhex("06092a864886f70d01050c"), SEQ(OCT(rr.b(16)), dint(b"\x08\x00"),
                SEQ(bytes.fromhex("06082a864886f70d0209"), b"\x05\x00"))),
            SEQ(bytes.fromhex("060960864801650304012a"), OCT(rr.b(16)))))
        return pem("ENCRYPTED PRIVATE KEY", SEQ(alg, OCT(rr.b(1232)))), "encrypted_private_key"
    pub = ed25519_pub_blob(rr)
    chk = rr.b(4)
    priv = chk + chk + sshstr(b"ssh-ed25519") + sshstr(pub[-32:]) + sshstr(rr.b(32) + pub[-32:]) + \
        sshstr(f"deploy@{rr.c(WORDS)}-ci".encode())
    i = 1
    while len(priv) % 8:
        priv += bytes([i]); i += 1
    blob = b"openssh-key-v1\x00" + sshstr(b"none") + sshstr(b"none") + sshstr(b"") + \
        struct.pack(">I", 1) + sshstr(pub) + sshstr(priv)
    return pem("OPENSSH PRIVATE KEY", blob, 70), "openssh_private_key"

def certificate(rr):
    tbs = SEQ(der(0xa0, dint(b"\x02")), dint(rr.b(16)), SEQ(bytes.fromhex("06092a864886f70d01010b0500")),
              SEQ(rr.b(rr.i(90, 140))), SEQ(rr.b(30)), SEQ(rr.b(rr.i(90, 140))),
              SEQ(OID_RSA, BIT(SEQ(dint(b"\xc1" + rr.b(255)), dint(b"\x01\x00\x01")))),
              der(0xa3, rr.b(rr.i(200, 400))))
    return pem("CERTIFICATE", SEQ(tbs, SEQ(bytes.fromhex("06092a864886f70d01010b0500")), BIT(rr.b(256))))

def public_key_pem(rr):
    if rr.p(0.5):
        return pem("PUBLIC KEY", SEQ(SEQ(OID_EC, OID_P256), BIT(b"\x04" + rr.b(64))))
    return pem("PUBLIC KEY", SEQ(SEQ(OID_RSA), BIT(SEQ(dint(b"\xc3" + rr.b(255)), dint(b"\x01\x00\x01")))))

def pgp_public(rr):
    body = base64.b64encode(b"\x99\x02\x0d\x04" + rr.b(1400)).decode()
    return ["-----BEGIN PGP PUBLIC KEY BLOCK-----", ""] + \
        [body[i:i + 64] for i in range(0, len(body), 64)] + ["=" + rr.s(4, B64), "-----END PGP PUBLIC KEY BLOCK-----"]

# ---------------------------------------------------------------- real secrets
def jwt(rr):
    alg = rr.c(["HS256", "HS256", "RS256", "ES256"])
    hdr = {"alg": alg, "typ": "JWT"}
    if alg != "HS256":
        hdr["kid"] = rr.s(16, HEX)
    iat = rr.i(1_690_000_000, 1_720_000_000)
    kind, pl = rr.c([
        ("jwt_service_token", {"iss": f"https://auth.{rr.c(WORDS)}.internal", "sub": f"svc-{rr.c(WORDS)}",
                               "aud": "internal-api", "scope": "read write", "iat": iat, "exp": iat + 31536000 * 5}),
        ("supabase_service_role", {"iss": "supabase", "ref": rr.s(20, LO), "role": "service_role",
                                   "iat": iat, "exp": iat + 315360000}),
        ("jwt_bearer", {"sub": str(rr.i(10000, 99999)), "email": f"ops@{rr.c(WORDS)}.io",
                        "roles": ["admin"], "iat": iat, "exp": iat + 86400 * 365})])
    enc = lambda o: base64.urlsafe_b64encode(json.dumps(o, separators=(",", ":")).encode()).decode().rstrip("=")
    sig = rr.b64u({"HS256": 32, "RS256": 256, "ES256": 64}[alg])
    return f"{enc(hdr)}.{enc(pl)}.{sig}", kind

def dburl(rr, kinds=None):
    u = rr.c(["app", "svc_" + rr.c(WORDS), rr.c(WORDS), "admin", "api"])
    pw = rr.s(rr.i(16, 30)) if rr.p(0.6) else rr.human_pw().replace("#", "-").replace("%", "_")
    h = rr.c(WORDS)
    k = rr.c(kinds or ["pg", "asyncpg", "mysql", "mongo", "redis", "rediss", "amqp", "amqps", "mssql", "jdbc", "jdbcms", "pg"])
    url = {
        "pg": (f"postgres://{u}:{pw}@{h}-db.prod.internal:5432/{h}", "DATABASE_URL"),
        "asyncpg": (f"postgresql+asyncpg://{u}:{pw}@{h}-prod.cluster-{rr.s(12, LO + DG)}.eu-west-1.rds.amazonaws.com:5432/{h}", "SQLALCHEMY_DATABASE_URI"),
        "mysql": (f"mysql://{u}:{pw}@mysql-{h}.internal:3306/{h}_prod", "DATABASE_URL"),
        "mongo": (f"mongodb+srv://{u}:{pw}@cluster0.{rr.s(5, LO + DG)}.mongodb.net/{h}?retryWrites=true&w=majority", "MONGODB_URI"),
        "redis": (f"redis://default:{pw}@redis-{h}.internal:6379/0", "REDIS_URL"),
        "rediss": (f"rediss://:{pw}@master.{h}-cache.{rr.s(6, LO + DG)}.use1.cache.amazonaws.com:6379", "CACHE_URL"),
        "amqp": (f"amqp://{u}:{pw}@rabbitmq.{h}.svc:5672/{h}", "CELERY_BROKER_URL"),
        "amqps": (f"amqps://{u}:{pw}@b-{rr.uuid()}.mq.us-east-1.amazonaws.com:5671", "AMQP_URL"),
        "mssql": (f"mssql+pyodbc://{u}:{pw}@sql-{h}.database.windows.net:1433/{h}?driver=ODBC+Driver+18+for+SQL+Server", "DATABASE_URL"),
        "jdbc": (f"jdbc:postgresql://{h}-db.prod.internal:5432/{h}?user={u}&password={pw}&sslmode=require", "SPRING_DATASOURCE_URL"),
        "jdbcms": (f"jdbc:sqlserver://sql-{h}.internal:1433;databaseName={h};user={u};password={pw};encrypt=true", "JDBC_URL"),
    }[k]
    return url[0], "db_url_" + k, url[1]


GENERIC = {
    # kind: (names, value-maker)
    "django_secret_key": (["SECRET_KEY", "DJANGO_SECRET_KEY"], lambda r: r.s(50, LO + DG + "!@#$^&*(-_=+)")),
    "flask_secret_key": (["SECRET_KEY", "FLASK_SECRET_KEY", "SESSION_SECRET"], lambda r: r.s(64, HEX)),
    "jwt_secret": (["JWT_SECRET", "JWT_SIGNING_KEY", "AUTH_JWT_SECRET"], lambda r: r.b64u(r.c([32, 48, 64]))),
    "api_key": (["INTERNAL_API_KEY", "PARTNER_API_KEY", "API_KEY", "BILLING_API_KEY"], lambda r: r.s(r.c([32, 40]))),
    "client_secret": (["OAUTH_CLIENT_SECRET", "AUTH0_CLIENT_SECRET", "OKTA_CLIENT_SECRET", "KEYCLOAK_CLIENT_SECRET"], lambda r: r.b64u(48)),
    "db_password": (["DB_PASSWORD", "POSTGRES_PASSWORD", "MYSQL_ROOT_PASSWORD", "DATABASE_PASSWORD"], lambda r: r.pw()),
    "service_password": (["REDIS_PASSWORD", "RABBITMQ_DEFAULT_PASS", "SMTP_PASSWORD", "LDAP_BIND_PASSWORD",
                          "ELASTIC_PASSWORD", "GF_SECURITY_ADMIN_PASSWORD", "ADMIN_PASSWORD"], lambda r: r.pw()),
    "auth_token": (["AUTH_TOKEN", "SERVICE_AUTH_TOKEN", "METRICS_AUTH_TOKEN", "VAULT_TOKEN"],
                   lambda r: r.s(40, AN) if r.p(0.6) else "hvs." + r.s(24, AN)),
    "signing_key": (["WEBHOOK_SIGNING_SECRET", "HMAC_SIGNING_KEY", "COOKIE_SIGNING_KEY"], lambda r: r.s(64, HEX)),
    "encryption_key": (["DATA_ENCRYPTION_KEY", "AES_KEY", "FIELD_ENCRYPTION_KEY"], lambda r: r.b64(32)),
    "datadog_api_key": (["DD_API_KEY", "DATADOG_API_KEY"], lambda r: r.s(32, HEX)),
    "mailgun_api_key": (["MAILGUN_API_KEY"], lambda r: "key-" + r.s(32, HEX)),
}

def mk(rr, fam, gkind=None):
    """Return a list of (NAME, value, family, kind) forming one credential group."""
    c = rr.c
    if fam == "stripe":
        k = c(["sk_live_", "sk_live_", "rk_live_", "sk_test_", "whsec_"])
        if k == "whsec_":
            return [(c(["STRIPE_WEBHOOK_SECRET", "STRIPE_ENDPOINT_SECRET"]), k + rr.s(32), fam, "stripe_webhook_secret")]
        body = rr.s(24) if rr.p(0.4) else "51" + rr.s(97)
        kind = {"sk_live_": "stripe_live_secret", "rk_live_": "stripe_restricted_key", "sk_test_": "stripe_test_secret"}[k]
        return [(c(["STRIPE_SECRET_KEY", "STRIPE_API_KEY", "STRIPE_KEY"]), k + body, fam, kind)]
    if fam == "aws":
        sk = rr.s(40, B64)
        if rr.p(0.3):
            tok = "IQoJb3JpZ2luX2VjE" + rr.s(rr.i(280, 380), B64)
            return [("AWS_ACCESS_KEY_ID", "ASIA" + rr.s(16, B32), fam, "aws_temp_access_key_id"),
                    ("AWS_SECRET_ACCESS_KEY", sk, fam, "aws_secret_access_key"),
                    ("AWS_SESSION_TOKEN", tok, fam, "aws_session_token")]
        return [("AWS_ACCESS_KEY_ID", "AKIA" + rr.s(16, B32), fam, "aws_access_key_id"),
                ("AWS_SECRET_ACCESS_KEY", sk, fam, "aws_secret_access_key")]
    if fam == "jwt":
        v, k = jwt(rr)
        n = "SUPABASE_SERVICE_ROLE_KEY" if k.startswith("supa") else c(["SERVICE_TOKEN", "API_BEARER_TOKEN", "INTERNAL_JWT"])
        return [(n, v, fam, k)]
    if fam == "fernet":
        if rr.p(0.15):
            blob = b"\x80" + struct.pack(">Q", rr.i(1_690_000_000, 1_720_000_000)) + rr.b(16 + 16 * rr.i(2, 5) + 32)
            return [(c(["OS_AUTH_TOKEN", "KEYSTONE_TOKEN", "OPENSTACK_X_AUTH_TOKEN"]), base64.urlsafe_b64encode(blob).decode(),
                     fam, "fernet_token_keystone")]
        return [(c(["FERNET_KEY", "ENCRYPTION_KEY", "FIELD_ENCRYPTION_KEY", "CRYPTO_FERNET_KEY"]), rr.b64u(32, True), fam, "fernet_key")]
    if fam == "database":
        v, k, n = dburl(rr, gkind)
        return [(n, v, fam, k)]
    if fam == "github":
        p = c(["ghp_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"])
        v = p + ("11" + rr.s(20, UP + DG) + "_" + rr.s(59) if p == "github_pat_" else rr.s(36))
        return [(c(["GITHUB_TOKEN", "GH_TOKEN", "GITHUB_PAT", "GH_DEPLOY_TOKEN"]), v, fam, "github_" + p.strip("_"))]
    if fam == "slack":
        k = c(["xoxb", "xoxb", "xoxp", "xapp", "hook"])
        if k == "xoxb":
            v = f"xoxb-{rr.s(rr.i(10, 12), DG)}-{rr.s(13, DG)}-{rr.s(24)}"
        elif k == "xoxp":
            v = f"xoxp-{rr.s(11, DG)}-{rr.s(12, DG)}-{rr.s(13, DG)}-{rr.s(32, HEX)}"
        elif k == "xapp":
            v = f"xapp-1-A{rr.s(10, UP + DG)}-{rr.s(13, DG)}-{rr.s(64, HEX)}"
        else:
            return [("SLACK_WEBHOOK_URL", f"https://hooks.slack.com/services/T{rr.s(8, UP + DG)}/B{rr.s(10, UP + DG)}/{rr.s(24)}", fam, "slack_webhook")]
        return [(c(["SLACK_BOT_TOKEN", "SLACK_TOKEN", "SLACK_APP_TOKEN"]), v, fam, "slack_" + k)]
    if fam == "google":
        if rr.p(0.35):
            return [("GOOGLE_CLIENT_SECRET", "GOCSPX-" + rr.s(28, B64U), fam, "google_oauth_client_secret")]
        return [(c(["GOOGLE_API_KEY", "GCP_API_KEY", "FIREBASE_SERVER_API_KEY", "YOUTUBE_API_KEY"]), "AIza" + rr.s(35, B64U), fam, "google_api_key")]
    if fam == "openai":
        k = c(["proj", "proj", "legacy", "svc"])
        if k == "legacy":
            v = "sk-" + rr.s(20) + "T3BlbkFJ" + rr.s(20)
        else:
            v = ("sk-proj-" if k == "proj" else "sk-svcacct-") + rr.s(74, B64U) + "T3BlbkFJ" + rr.s(74, B64U)
        return [("OPENAI_API_KEY", v, fam, "openai_" + k)]
    if fam == "anthropic":
        adm = rr.p(0.2)
        v = ("sk-ant-admin01-" if adm else "sk-ant-api03-") + rr.s(93, B64U) + "AA"
        return [("ANTHROPIC_ADMIN_KEY" if adm else "ANTHROPIC_API_KEY", v, fam, "anthropic_admin" if adm else "anthropic_api")]
    if fam == "twilio":
        if rr.p(0.5):
            return [("TWILIO_ACCOUNT_SID", "AC" + rr.s(32, HEX), fam, "twilio_account_sid"),
                    ("TWILIO_AUTH_TOKEN", rr.s(32, HEX), fam, "twilio_auth_token")]
        return [("TWILIO_API_KEY", "SK" + rr.s(32, HEX), fam, "twilio_api_key_sid"),
                ("TWILIO_API_SECRET", rr.s(32), fam, "twilio_api_secret")]
    if fam == "sendgrid":
        return [(c(["SENDGRID_API_KEY", "SMTP_PASSWORD", "EMAIL_API_KEY"]), f"SG.{rr.s(22, B64U)}.{rr.s(43, B64U)}", fam, "sendgrid_api_key")]
    if fam == "heroku":
        v = rr.uuid() if rr.p(0.75) else "HRKU-AA" + rr.s(58, B64U)
        return [("HEROKU_API_KEY", v, fam, "heroku_api_key")]
    if fam == "sentry":
        k = c(["dsn", "dsn", "legacy", "user"])
        if k == "user":
            return [("SENTRY_AUTH_TOKEN", "sntryu_" + rr.s(64, HEX), fam, "sentry_user_token")]
        host = f"o{rr.i(100000, 999999)}.ingest.sentry.io/{rr.i(1000000, 9999999)}" if k == "dsn" else f"sentry.io/{rr.i(100000, 999999)}"
        return [("SENTRY_DSN", f"https://{rr.s(32, HEX)}:{rr.s(32, HEX)}@{host}", fam, "sentry_dsn_" + k)]
    if fam == "private_key":
        lines, k = private_key(rr)
        return [(c(["TLS_KEY", "JWT_PRIVATE_KEY", "SIGNING_PRIVATE_KEY", "DEPLOY_SSH_KEY"]), "\n".join(lines), fam, k)]
    if fam == "npm":
        return [("NPM_TOKEN", "npm_" + rr.s(36), fam, "npm_token")]
    if fam == "generic":
        gk = gkind or c(list(GENERIC))
        names, f = GENERIC[gk]
        return [(c(names), f(rr), fam, gk)]
    raise ValueError(fam)

# ---------------------------------------------------------------- decoy values (not secrets)
def bcrypt(rr):
    return f"$2b${rr.c(['10', '12', '12', '14'])}$" + rr.s(53, AN + "./")


FAKES_BY_NAME = {"STRIPE_SECRET_KEY": ["sk_live_XXXXXXXXXXXXXXXXXXXXXXXX", "sk_test_xxxxxxxxxxxxxxxxxxxxxxxx", "sk_live_..."],
                 "AWS_ACCESS_KEY_ID": ["AKIAIOSFODNN7EXAMPLE", "AKIA................"],
                 "AWS_SECRET_ACCESS_KEY": ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"],
                 "GITHUB_TOKEN": ["ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "ghp_<your-token>"],
                 "SLACK_BOT_TOKEN": ["xoxb-your-bot-token-here", "xoxb-0000000000-0000000000000-XXXXXXXXXXXXXXXXXXXXXXXX"],
                 "OPENAI_API_KEY": ["sk-proj-REPLACE_ME", "sk-..."], "SENDGRID_API_KEY": ["SG.xxxxxxxxxxxx.yyyyyyyyyyyy"],
                 "NPM_TOKEN": ["npm_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"], "ANTHROPIC_API_KEY": ["sk-ant-api03-..."],
                 "GOOGLE_API_KEY": ["AIzaSy...EXAMPLE", "AIza-your-key-here"]}
ANY_FAKES = ["your-token-here", "<redacted>", "********", "changeme", "<your-api-key>", "REPLACE_WITH_REAL_SECRET",
             "[REDACTED]", "xxxxxxxxxxxxxxxx", "TODO-set-me", "dummy"]
DOC_FAKES = sorted({v for vs in FAKES_BY_NAME.values() for v in vs} | set(ANY_FAKES))

def doc_fake(rr, name=None, force=False):
    if name is None or (name in FAKES_BY_NAME and (force or rr.p(0.7))):
        name = name or rr.c(sorted(FAKES_BY_NAME) + SECRET_NAMES)
        if name in FAKES_BY_NAME and (force or rr.p(0.7)):
            return name, rr.c(FAKES_BY_NAME[name])
    return name, rr.c(ANY_FAKES)
SECRET_NAMES = ["STRIPE_SECRET_KEY", "DB_PASSWORD", "JWT_SECRET", "OPENAI_API_KEY", "SLACK_BOT_TOKEN",
                "SENDGRID_API_KEY", "GITHUB_TOKEN", "API_KEY", "CLIENT_SECRET", "REDIS_PASSWORD",
                "AWS_SECRET_ACCESS_KEY", "TWILIO_AUTH_TOKEN", "ANTHROPIC_API_KEY", "SECRET_KEY"]

def dval(rr, kind):
    """(NAME, value) for a value-shaped decoy kind."""
    c = rr.c
    w = rr.c(WORDS)
    sn = c(SECRET_NAMES)
    return {
        "token_hash": lambda: (c(["TOKEN_HASH", "REFRESH_TOKEN_HASH", "API_TOKEN_SHA256"]), rr.s(64, HEX)),
        "password_digest": lambda: (c(["PASSWORD_DIGEST", "ADMIN_PASSWORD_HASH", "PASSWORD_BCRYPT"]), bcrypt(rr)),
        "argon2_hash": lambda: ("PASSWORD_HASH", f"$argon2id$v=19$m=65536,t=3,p=4${rr.b64(16).rstrip('=')}${rr.b64(32).rstrip('=')}"),
        "api_key_id": lambda: (c(["API_KEY_ID", "ACCESS_KEY_NAME", "SIGNING_KEY_ID"]),
                               c(["key_", "ak_"]) + "01" + rr.s(24, "0123456789ABCDEFGHJKMNPQRSTVWXYZ")),
        "secret_version": lambda: (c(["SECRET_VERSION", "DB_SECRET_VERSION_ID", "SECRET_VERSION_STAGE"]),
                                   rr.uuid() if rr.p(0.5) else rr.s(32, HEX)),
        "key_fingerprint": lambda: (c(["KEY_FINGERPRINT", "SSH_HOST_KEY_FINGERPRINT", "GPG_KEY_FINGERPRINT"]),
                                    "SHA256:" + rr.b64(32).rstrip("=") if rr.p(0.5) else rr.s(40, "0123456789ABCDEF")),
        "client_id": lambda: rr.c([("GOOGLE_CLIENT_ID", f"{rr.s(12, DG)}-{rr.s(32, LO + DG)}.apps.googleusercontent.com"),
                                   ("GITHUB_APP_CLIENT_ID", "Iv1." + rr.s(16, HEX)), ("AZURE_CLIENT_ID", rr.uuid()),
                                   ("AUTH0_CLIENT_ID", rr.s(32))]),
        "publishable_key": lambda: (c(["STRIPE_PUBLISHABLE_KEY", "NEXT_PUBLIC_STRIPE_KEY", "VITE_STRIPE_PK"]),
                                    c(["pk_live_", "pk_test_"]) + (rr.s(24) if rr.p(0.3) else "51" + rr.s(97))),
        "stripe_object_id": lambda: (lambda p: ({"price_1": "STRIPE_PRICE_ID", "prod_": "STRIPE_PRODUCT_ID", "cus_": "DEFAULT_CUSTOMER"}[p],
                                                p + rr.s(c([14, 24]))))(c(["price_1", "prod_", "cus_"])),
        "kid": lambda: (c(["JWT_KID", "SIGNING_KID", "JWKS_KEY_ID"]), rr.b64u(32) if rr.p(0.5) else rr.s(32, HEX)),
        "checksum": lambda: (c(["ARTIFACT_SHA256", "CHECKSUM", "TERRAFORM_SHA256SUM"]), rr.s(64, HEX)),
        "content_hash": lambda: (c(["ASSET_HASH", "BUNDLE_CONTENT_HASH"]), rr.s(c([20, 32]), HEX)),
        "build_id": lambda: (c(["BUILD_ID", "GIT_COMMIT", "SOURCE_VERSION"]), rr.s(40, HEX)),
        "request_id": lambda: (c(["LAST_REQUEST_ID", "X_REQUEST_ID"]), rr.uuid() if rr.p(0.5) else "req_" + rr.s(14)),
        "trace_id": lambda: (c(["TRACEPARENT", "SAMPLE_TRACEPARENT"]), f"00-{rr.s(32, HEX)}-{rr.s(16, HEX)}-01"),
        "session_cookie_name": lambda: (c(["SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", "AUTH_COOKIE_NAME"]),
                                        c(["__Host-", "__Secure-", "_"]) + w + c(["_session", "_sid", "_csrf"])),
        "image_digest": lambda: ("IMAGE_DIGEST", "sha256:" + rr.s(64, HEX)),
        "sentry_public_dsn": lambda: (c(["SENTRY_DSN", "NEXT_PUBLIC_SENTRY_DSN", "VITE_SENTRY_DSN"]),
                                      f"https://{rr.s(32, HEX)}@o{rr.i(100000, 999999)}.ingest.sentry.io/{rr.i(1000000, 9999999)}"),
        "age_recipient": lambda: (c(["SOPS_AGE_RECIPIENTS", "AGE_RECIPIENT"]), "age1" + rr.s(58, BECH)),
        "ssh_public_key": lambda: (c(["DEPLOY_PUBLIC_KEY", "SSH_AUTHORIZED_KEY"]),
                                   "ssh-ed25519 " + base64.b64encode(ed25519_pub_blob(rr)).decode() + f" deploy@{w}"),
        "vault_ref": lambda: (sn, f"vault:secret/data/{w}/prod#{sn.lower()}"),
        "aws_sm_ref": lambda: (sn, f"arn:aws:secretsmanager:us-east-1:{rr.s(12, DG)}:secret:{w}/prod/{sn.lower()}-{rr.s(6)}"),
        "gcp_sm_ref": lambda: (sn, f"projects/{w}-prod/secrets/{sn.lower().replace('_', '-')}/versions/latest"),
        "op_ref": lambda: (sn, f"op://Production/{w}-{sn.lower()}/credential"),
        "sops_enc": lambda: (sn, f"ENC[AES256_GCM,data:{rr.b64(rr.i(12, 48))},iv:{rr.b64(32)},tag:{rr.b64(16)},type:str]"),
        "doc_placeholder": lambda: doc_fake(rr),
        "kms_key_ref": lambda: (c(["KMS_KEY_ID", "SOPS_KMS_ARN"]), f"arn:aws:kms:us-east-1:{rr.s(12, DG)}:key/{rr.uuid()}"),
        "secret_file_path": lambda: (sn + "_FILE", f"/run/secrets/{sn.lower()}"),
        "url_no_password": lambda: (c(["DATABASE_URL", "REDIS_URL", "BROKER_URL"]),
                                    c([f"postgres://app@{w}-db:5432/{w}", f"redis://{w}-cache:6379/0", f"amqp://guest@localhost:5672//"])),
        "uuid_id": lambda: (c(["AZURE_TENANT_ID", "WORKSPACE_ID", "PROJECT_ID", "DD_SITE_ID"]), rr.uuid()),
        "nonce": lambda: (c(["NONCE", "IV"]), rr.s(24, HEX)),
        "oauth_state_url": lambda: ("AUTHORIZE_URL_SAMPLE",
                                    f"https://accounts.google.com/o/oauth2/v2/auth?response_type=code&client_id={rr.s(12, DG)}-{rr.s(32, LO + DG)}.apps.googleusercontent.com"
                                    f"&redirect_uri=https%3A%2F%2Fapp.{w}.io%2Fauth%2Fcallback&state={rr.b64u(24)}&code_challenge={rr.b64u(32)}&code_challenge_method=S256"),
    }[kind]()


VALUE_DECOYS = {  # weights (precision emphasis: high-entropy non-secrets under secret-looking names)
    "token_hash": 4, "password_digest": 4, "argon2_hash": 2, "api_key_id": 3, "secret_version": 3,
    "key_fingerprint": 3, "client_id": 4, "publishable_key": 4, "stripe_object_id": 2, "kid": 3,
    "checksum": 3, "content_hash": 2, "build_id": 3, "request_id": 2, "trace_id": 2,
    "session_cookie_name": 2, "image_digest": 2, "sentry_public_dsn": 3, "age_recipient": 2,
    "ssh_public_key": 2, "vault_ref": 3, "aws_sm_ref": 3, "gcp_sm_ref": 2, "op_ref": 2, "sops_enc": 3,
    "doc_placeholder": 5, "kms_key_ref": 2, "secret_file_path": 2, "url_no_password": 2, "uuid_id": 2,
    "oauth_state_url": 1,
}


NO_SH = {"sops_enc", "argon2_hash", "password_digest", "session_cookie_name", "oauth_state_url", "token_hash"}
SH_DECOY = {
    "key_fingerprint": lambda n, v: ["$ ssh-keygen -lf deploy_key.pub", f"256 {v} deploy@ci (ED25519)"]
    if v.startswith("SHA256:") else ["$ gpg --list-keys --with-colons releases | grep fpr", f"fpr:::::::::{v}:"],
    "checksum": lambda n, v: ["$ sha256sum release.tar.gz", f"{v}  release.tar.gz"],
    "image_digest": lambda n, v: ["$ docker push ghcr.io/app/api:latest", f"latest: digest: {v} size: 1784"],
    "request_id": lambda n, v: [f"< x-request-id: {v}"],
    "trace_id": lambda n, v: [f"< traceparent: {v}"],
    "build_id": lambda n, v: ["$ git rev-parse HEAD", v],
    "api_key_id": lambda n, v: ["$ ./bin/keys list --active", f"{v}  created=2024-05-02  scopes=read"],
    "secret_version": lambda n, v: ["$ aws secretsmanager describe-secret --secret-id prod/api --query VersionIdsToStages",
                                    f'{{ "{v}": ["AWSCURRENT"] }}'],
}

def tmpl_ref(rr, syn, name):
    """(kind, line-fragment value, raw?) for templating / env-lookup decoys in a given syntax."""
    lo = name.lower()
    opts = {
        "gha": [("template_ref", "${{ secrets.%s }}" % name)],
        "gitlab": [("template_ref", "$" + name), ("template_ref", "${%s}" % name)],
        "compose": [("template_ref", "${%s}" % name), ("template_ref", "${%s:?must be set}" % name)],
        "jenkins": [("template_ref", f"credentials('{lo.replace('_', '-')}')")],
        "yaml": [("template_ref", "{{ .Values.secrets.%s }}" % lo), ("template_ref", "${%s}" % name),
                 ("template_ref", "{{ %s }}" % ("vault_" + lo)), ("template_ref", "<%%= ENV['%s'] %%>" % name)],
        "k8s": [("template_ref", "{{ .Values.%s | quote }}" % lo), ("template_ref", "$(%s)" % name)],
        "ini": [("template_ref", "%%(%s)s" % name), ("template_ref", "${%s}" % name)],
        "props": [("template_ref", "${%s}" % name), ("template_ref", "@%s@" % lo.replace("_", "."))],
        "json": [("template_ref", "#{%s}" % name), ("template_ref", "${%s}" % name)],
        "toml": [("template_ref", "${%s}" % name)],
        "env": [("template_ref", "${%s}" % ("VAULT_" + name)), ("doc_placeholder", doc_fake(rr, name)[1])],
        "sh": [("template_ref", "$(vault kv get -field=value secret/%s)" % lo), ("template_ref", '"$%s"' % name)],
        "py": [("env_lookup", f'os.environ["{name}"]'), ("env_lookup", f'os.getenv("{name}")'),
               ("env_lookup", f'env("{name}")'), ("env_lookup", f'config("{name}")')],
        "ts": [("env_lookup", f"process.env.{name}"), ("env_lookup", f'process.env["{name}"] ?? ""'),
               ("env_lookup", f"import.meta.env.VITE_{name}")],
        "go": [("env_lookup", f'os.Getenv("{name}")'), ("env_lookup", f'viper.GetString("{lo}")')],
        "hcl": [("template_ref", f"var.{lo}"),
                ("template_ref", f"data.aws_secretsmanager_secret_version.{lo}.secret_string")],
        "docker": [("template_ref", "$" + name)],
    }
    alias = {"envq": "env", "export": "sh", "pydict": "py", "tsconst": "ts", "goconst": "go", "k8sb64": "k8s"}
    kind, v = rr.c(opts.get(alias.get(syn, syn), [("template_ref", "${%s}" % name)]))
    raw = syn in ("py", "pydict", "ts", "tsconst", "go", "goconst", "hcl", "jenkins") and kind != "doc_placeholder"
    return kind, v, raw

# ---------------------------------------------------------------- syntax rendering
def camel(n):
    p = n.lower().split("_")
    return p[0] + "".join(x.title() for x in p[1:])

def fmt(syn, n, v, ind="", raw=False):
    q = v if raw else f'"{v}"'
    sq = v if raw else f"'{v}'"
    lo = n.lower()
    return {
        "env": [f"{ind}{n}={v}"], "envq": [f'{ind}{n}="{v}"'], "export": [f'{ind}export {n}="{v}"'],
        "sh": [f"$ export {n}={v}"],
        "yaml": [f"{ind}{lo}: {q}"], "json": [f'{ind}"{camel(n)}": {q}'], "toml": [f"{ind}{lo} = {q}"],
        "ini": [f"{lo} = {v}"], "props": [f"{lo.replace('_', '.')}={v}"],
        "py": [f"{ind}{n} = {q}"], "pydict": [f'{ind}"{n}": {q},'], "ts": [f"{ind}{camel(n)}: {q},"],
        "tsconst": [f"export const {camel(n)} = {q};"], "go": [f"{ind}{camel(n)[0].upper() + camel(n)[1:]}: {q},"],
        "goconst": [f"{ind}{camel(n)} = {q}"],
        "hcl": [f"{ind}{lo} = {q}"], "docker": [f"ENV {n}={v}"], "compose": [f"{ind}{n}: {q}"],
        "gha": [f"{ind}{n}: {v}"], "gitlab": [f"{ind}{n}: {q}"], "jenkins": [f"{ind}{n} = {sq}"],
        "k8s": [f"{ind}{n}: {q}"], "k8sb64": [f"{ind}{n}: {v}"],
        "k8senv": [f"{ind}- name: {n}", f"{ind}  value: {q}"],
    }[syn]


SH_CMDS = {  # markdown/shell-session renderings by kind prefix
    "stripe": lambda v: f"$ curl https://api.stripe.com/v1/balance -u {v}:",
    "github": lambda v: f'$ curl -H "Authorization: Bearer {v}" https://api.github.com/user',
    "openai": lambda v: f'$ curl https://api.openai.com/v1/models -H "Authorization: Bearer {v}"',
    "anthropic": lambda v: f'$ curl https://api.anthropic.com/v1/models -H "x-api-key: {v}" -H "anthropic-version: 2023-06-01"',
    "sendgrid": lambda v: f'$ curl -X GET https://api.sendgrid.com/v3/scopes -H "Authorization: Bearer {v}"',
    "google": lambda v: f'$ curl "https://maps.googleapis.com/maps/api/geocode/json?address=Berlin&key={v}"',
    "heroku": lambda v: f'$ curl -n https://api.heroku.com/apps -H "Accept: application/vnd.heroku+json; version=3" -H "Authorization: Bearer {v}"',
    "jwt": lambda v: f'$ curl -s https://api.internal/v2/admin/jobs -H "Authorization: Bearer {v}"',
    "npm": lambda v: f"$ npm config set //registry.npmjs.org/:_authToken {v}",
    "slack_webhook": lambda v: f"$ curl -X POST -H 'Content-type: application/json' --data '{{\"text\":\"deploy done\"}}' {v}",
    "slack": lambda v: f'$ curl -H "Authorization: Bearer {v}" https://slack.com/api/auth.test',
    "db_url_mongo": lambda v: f'$ mongosh "{v}"',
    "db_url_redis": lambda v: f"$ redis-cli -u {v} ping",
    "db_url_rediss": lambda v: f"$ redis-cli --tls -u {v} info keyspace",
    "db_url_pg": lambda v: f'$ psql "{v}" -c "select count(*) from orders"',
}

def sh_line(n, v, f, k):
    for key in ((k, f) if f != "generic" else ()):
        if key in SH_CMDS and not (f == "sentry" or k.startswith("stripe_webhook")):
            return SH_CMDS[key](v)
    return f"$ export {n}={v}"

# ---------------------------------------------------------------- file builder / context
class FB:
    def __init__(s, path):
        s.path, s.rows, s.names = path, [], set()

    def l(s, *texts):
        for t in texts:
            for x in t.split("\n"):
                s.rows.append([x, None])
        return s

    def sec(s, text, val, fam, kind):
        assert val in text and "\n" not in text, (text, val)
        s.rows.append([text, ("S", val, fam, kind, 1)])

    def dec(s, text, kind, marker):
        assert marker in text and "\n" not in text, (text, marker)
        s.rows.append([text, ("D", marker, kind, 1)])

    def sblock(s, lines, canon, fam, kind):
        """lines: file lines; canon: secret lines, each contained in the matching file line."""
        s.rows.append([lines[0], ("S", "\n".join(canon), fam, kind, len(lines))])
        s.rows += [[x, "cont"] for x in lines[1:]]

    def dblock(s, lines, kind):
        s.rows.append([lines[0], ("D", "\n".join(lines), kind, len(lines))])
        s.rows += [[x, "cont"] for x in lines[1:]]

    def json_items(s, sub, ind=""):
        """append rows of sub, adding trailing commas between top-level items (one row per item)."""
        for i, r in enumerate(sub.rows):
            if i < len(sub.rows) - 1 and r[1] != "cont":
                nxt = sub.rows[i + 1][1]
                if nxt != "cont":
                    r[0] += ","
            s.rows.append(r)


DMUL = 2.5

class Ctx:
    def __init__(s, rr, tree, bag, org, svc):
        s.rr, s.tree, s.bag, s.org, s.svc = rr, tree, bag, org, svc
        s.files = {}

    def fb(s, path):
        f = FB(path)
        assert path not in s.files, path
        s.files[path] = f
        return f

    def draw(s, fams=None, multiline=False):
        cand = [i for i, f in enumerate(s.bag) if (f in fams if fams else (multiline or f != "private_key"))]
        return s.bag.pop(s.rr.c(cand)) if cand else None

    def put(s, fb, syn, ind="", fams=None, gkind=None, name=None, multiline=False):
        fam = s.draw(fams, multiline)
        if fam is None:
            s.dput(fb, syn, ind)
            return 0
        grp = mk(s.rr, fam, gkind)
        for n, v, f, k in grp:
            n = name if name and len(grp) == 1 else n
            if n in fb.names and not name:
                n = s.rr.c(["LEGACY_", "BACKUP_", "SECONDARY_", "NEW_"]) + n
            fb.names.add(n)
            if f == "private_key":
                s.put_pk(fb, syn, n, v.split("\n"), k, ind)
                continue
            if syn == "k8sb64":
                v, k = base64.b64encode(v.encode()).decode(), k + "_b64"
            lines = [sh_line(n, v, f, k)] if syn == "sh" else fmt(syn, n, v, ind)
            for ln in lines:
                fb.sec(ln, v, f, k) if v in ln else fb.l(ln)
        return len(grp)

    def put_pk(s, fb, syn, n, pl, kind, ind=""):
        lo = n.lower()
        if syn in ("yaml", "k8s", "gha", "gitlab", "compose"):
            fb.l(f"{ind}{lo if syn == 'yaml' else n}: |")
            fb.sblock([ind + "  " + x for x in pl], pl, "private_key", kind)
        elif syn == "hcl":
            fb.l(f"{ind}{lo} = <<-EOT")
            fb.sblock([ind + "  " + x for x in pl], pl, "private_key", kind)
            fb.l(f"{ind}EOT")
        elif syn in ("py", "pydict"):
            fb.l(f'{ind}{n} = """\\' if syn == "py" else f'{ind}"{lo}": """\\')
            fb.sblock(pl, pl, "private_key", kind)
            fb.l('"""' + ("," if syn == "pydict" else ""))
        elif syn in ("sh", "export"):
            fb.l(f"$ cat > ~/.ssh/{lo} <<'EOF'" if syn == "sh" else f"{ind}cat > /tmp/{lo}.pem <<'EOF'")
            fb.sblock([ind + x for x in pl], pl, "private_key", kind)
            fb.l(ind + "EOF")
        elif syn == "raw":
            fb.sblock(pl, pl, "private_key", kind)
        else:  # single-line escaped PEM (dotenv, json, ts, go ...)
            v = "\\n".join(pl)
            ln = fmt(syn, n, v + "\\n", ind)[0]
            fb.sec(ln, v, "private_key", kind + "_escaped")

    def dput(s, fb, syn, ind="", kinds=None, name=None):
        rr = s.rr
        if kinds is None and rr.p(0.35):
            kinds = ["tmpl"]
        if kinds and "tmpl" in kinds:
            kinds = [rr.c(kinds)]
        if kinds == ["tmpl"]:
            n = name or rr.c([x for x in SECRET_NAMES if x not in fb.names] or SECRET_NAMES)
            fb.names.add(n)
            kind, v, raw = tmpl_ref(rr, syn, n)
            if syn == "sh":
                ln = f"$ export {n}={v}"
            else:
                ln = fmt(syn, n, v, ind, raw)[-1]
            fb.dec(ln, kind, v)
            return
        ks = kinds or [k for k in VALUE_DECOYS if syn != "sh" or k not in NO_SH]
        kind = rr.r.choices(ks, [VALUE_DECOYS.get(k, 1) for k in ks])[0]
        for _ in range(6):
            n, v = dval(rr, kind)
            if n not in fb.names:
                break
        fb.names.add(name or n)
        if syn == "sh":
            lines = SH_DECOY[kind](n, v) if kind in SH_DECOY else [f"$ export {n}={v}"]
        else:
            lines = fmt(syn, name or n, v, ind)
        for ln in lines:
            fb.dec(ln, kind, v) if v in ln else fb.l(ln)

    def plain(s, fb, syn, ind="", k=None):
        rr, svc = s.rr, s.svc
        pool = [("LOG_LEVEL", rr.c(["info", "warn", "debug"])), ("PORT", str(rr.c([8000, 8080, 3000, 9000]))),
                ("ENVIRONMENT", rr.c(["production", "staging"])), ("WORKERS", str(rr.i(2, 16))),
                ("REQUEST_TIMEOUT_SECONDS", str(rr.c([15, 30, 60]))), ("AWS_REGION", rr.c(["us-east-1", "eu-west-1"])),
                ("CACHE_TTL", str(rr.c([60, 300, 900]))), ("OTEL_SERVICE_NAME", svc), ("TZ", "UTC"),
                ("S3_BUCKET", f"{s.org}-{svc}-assets"), ("SMTP_HOST", "smtp.sendgrid.net"), ("SMTP_PORT", "587"),
                ("DB_HOST", f"{svc}-db.internal"), ("DB_USER", svc + "_app"), ("DB_NAME", svc),
                ("FEATURE_NEW_CHECKOUT", rr.c(["true", "false"])), ("MAX_UPLOAD_MB", "25"),
                ("RATE_LIMIT_PER_MINUTE", "600"), ("ALLOWED_HOSTS", f"api.{s.org}.io"), ("METRICS_PORT", "9102")]
        pairs = rr.r.sample(pool, k)
        if fb is not None:
            for n, v in pairs:
                fb.l(*fmt(syn, n, v, ind))
        return pairs

    def kv(s, fb, syn, ind="", nsec=1, ndec=2, nplain=3, fams=None, dkinds=None, multiline=False):
        """Interleave plain settings, secret slots and decoys."""
        ndec = round(ndec * DMUL)
        ops = ["s"] * nsec + ["d"] * ndec + ["p"] * nplain
        s.rr.r.shuffle(ops)
        pl = iter(s.plain(None, syn, k=nplain))
        for o in ops:
            if o == "s":
                s.put(fb, syn, ind, fams=fams, multiline=multiline)
            elif o == "d":
                s.dput(fb, syn, ind, kinds=dkinds)
            else:
                fb.l(*fmt(syn, *next(pl), ind))

# ---------------------------------------------------------------- templates: docs
def readme(c, path="README.md", nsec=1):
    f, rr = c.fb(path), c.rr
    f.l(f"# {c.svc}", "", f"Service owned by the {c.org} platform group. See `docs/` for runbooks.", "",
        "## Local setup", "", "```bash", "cp .env.example .env")
    for _ in range(2):
        c.dput(f, "export", kinds=["doc_placeholder"])
    f.l("make dev", "```", "", "Secrets are never committed; production values live in the secret manager, e.g.", "")
    c.dput(f, "yaml", "    ", kinds=["vault_ref", "aws_sm_ref", "gcp_sm_ref", "op_ref"])
    f.l("", "## Debugging notes", "", "Output of the last smoke test run:", "", "```console")
    for _ in range(nsec):
        c.put(f, "sh")
    c.dput(f, "sh", kinds=["request_id", "trace_id", "build_id"])
    f.l("```", "", "## License", "", "Proprietary.")

def md_runbook(c, path, title, nsec=3, ndec=5):
    f, rr = c.fb(path), c.rr
    f.l(f"# {title}", "", f"_Owner: {rr.c(WORDS)}-oncall. Last reviewed {rr.i(2023, 2025)}-{rr.i(1, 12):02d}-{rr.i(1, 28):02d}._", "",
        "## Context", "", f"This runbook covers {title.lower()} for `{c.svc}`. Paste outputs into the incident channel.", "")
    steps = ["s"] * nsec + ["d"] * (ndec + 2)
    rr.r.shuffle(steps)
    for i in range(0, len(steps), 3):
        f.l(f"### Step {i // 3 + 1}", "", rr.c(["Verify the credential works:", "Reproduce from the bastion:",
                                               "Session pasted from the incident:", "Check connectivity:"]), "", "```console")
        for st in steps[i:i + 3]:
            if st == "s":
                c.put(f, "sh", multiline=True)
            else:
                c.dput(f, "sh")
        f.l("```", "")
    f.l("Response excerpt:", "", "```json", "{")
    sub = FB("")
    c.dput(sub, "json", "  ", kinds=["request_id"], name="REQUEST_ID")
    c.dput(sub, "json", "  ", kinds=["trace_id"], name="TRACE_ID")
    sub.l('  "status": "ok"')
    f.json_items(sub)
    f.l("}", "```", "", "Login redirect captured during the test (no code exchanged):", "")
    n, v = dval(rr, "oauth_state_url")
    f.dec(f"    {v}", "oauth_state_url", v)
    f.l("", "Escalate to #sec-eng if any step fails.")

def adr(c, path, num):
    f, rr = c.fb(path), c.rr
    f.l(f"# ADR {num:04d}: Secret delivery for {c.svc}", "", "Status: Accepted", "", "## Context", "",
        "Credentials were historically copied into `.env` files. We move to references resolved at deploy time.", "",
        "## Decision", "", "Every secret is referenced, never inlined. Supported reference forms:", "", "```yaml")
    for k in ["vault_ref", "aws_sm_ref", "gcp_sm_ref", "op_ref", "sops_enc"]:
        c.dput(f, "yaml", kinds=[k])
    f.l("```", "", "Key formats we scan for (examples are fake):", "")
    for n in rr.r.sample(sorted(FAKES_BY_NAME), 3):
        n, v = doc_fake(rr, n, True)
        f.dec(f"- `{n}` looks like `{v}`", "doc_placeholder", v)
    f.l("", "Hashed values such as the following are safe to commit:", "", "```")
    for k in rr.r.sample(["token_hash", "password_digest", "argon2_hash", "key_fingerprint"], 2):
        c.dput(f, "yaml", kinds=[k])
    f.l("```", "", "## Appendix: reproduction from the original incident", "", "```console")
    c.put(f, "sh")
    f.l("```", "", "## Consequences", "", "Deploys fail closed when a reference cannot be resolved.")

def key_formats(c, path):
    f, rr = c.fb(path), c.rr
    f.l("# Credential formats", "", "Reference for reviewers. All values below are illustrative and invalid.", "",
        "| Provider | Variable | Example |", "|---|---|---|")
    for n in rr.r.sample(sorted(FAKES_BY_NAME), 7):
        n, v = doc_fake(rr, n, True)
        f.dec(f"| {n.split('_')[0].title()} | `{n}` | `{v}` |", "doc_placeholder", v)
    f.l("", "Public material that is fine to publish:", "", "```")
    for k in ["ssh_public_key", "age_recipient", "publishable_key", "sentry_public_dsn", "client_id"]:
        c.dput(f, "env", kinds=[k])
    f.l("```", "", "Release signing key:", "", "```")
    f.dblock(pgp_public(rr), "pgp_public_key")
    f.l("```")

# ---------------------------------------------------------------- templates: env / docker / compose
def env_file(c, path, nsec=4, ndec=5, nplain=5, example=False):
    f, rr = c.fb(path), c.rr
    f.l(f"# {c.svc} {'example configuration - copy to .env' if example else 'environment'}")
    if example:
        for n, v in c.plain(None, "env", k=nplain):
            f.l(f"{n}={v}")
        for n in rr.r.sample(sorted(set(SECRET_NAMES) | set(FAKES_BY_NAME)), nsec + ndec):
            n, v = doc_fake(rr, n)
            f.dec(f"{n}={v}", "doc_placeholder", v)
        return
    c.kv(f, rr.c(["env", "envq"]), nsec=nsec, ndec=ndec, nplain=nplain, multiline=rr.p(0.3))

def dockerfile(c, path, nsec=1):
    f, rr = c.fb(path), c.rr
    base = rr.c(["python:3.12-slim", "node:20-alpine", "golang:1.22-bookworm"])
    digest = "sha256:" + rr.s(64, HEX)
    f.dec(f"FROM {base}@{digest} AS build", "image_digest", digest)
    f.l("WORKDIR /app", "COPY . .", "ARG BUILD_ID")
    f.dec("ENV BUILD_ID=$BUILD_ID", "template_ref", "$BUILD_ID")
    c.plain(f, "docker", k=2)
    for _ in range(nsec):
        c.put(f, "docker")
    c.dput(f, "docker", kinds=["secret_file_path", "sentry_public_dsn", "kms_key_ref"])
    f.l("RUN --mount=type=secret,id=npm_token true", "EXPOSE 8080", 'CMD ["./entrypoint.sh"]')

def compose(c, path, nsec=2):
    f, rr = c.fb(path), c.rr
    f.l("services:", f"  {c.svc}:", f"    build: .", "    ports:", '      - "8080:8080"', "    environment:")
    c.kv(f, "compose", "      ", nsec=nsec, ndec=3, nplain=3)
    f.l("  db:", "    image: postgres:16", "    environment:")
    c.put(f, "compose", "      ", fams=("generic",), gkind="db_password", name="POSTGRES_PASSWORD")
    f.l(f"      POSTGRES_USER: {c.svc}", "  cache:", "    image: redis:7")
    pw = rr.c(["${REDIS_PASSWORD:?set in .env}", "${REDIS_PASSWORD}"])
    f.dec(f'    command: ["redis-server", "--requirepass", "{pw}"]', "template_ref", pw)
    f.l("secrets:", "  db_password:", "    file: ./secrets/db_password.txt")

# ---------------------------------------------------------------- templates: CI
def pin_sha(c, f, action, ind="      "):
    sha = c.rr.s(40, HEX)
    f.dec(f"{ind}- uses: {action}@{sha} # v{c.rr.i(2, 5)}", "git_sha", sha)

def gha(c, path, nsec=2, pk=False):
    f, rr = c.fb(path), c.rr
    f.l(f"name: {rr.c(['deploy', 'ci', 'release', 'nightly'])}", "on:", "  push:", "    branches: [main]", "",
        "env:")
    c.kv(f, "gha", "  ", nsec=nsec, ndec=2, nplain=1)
    f.l("", "jobs:", "  build:", "    runs-on: ubuntu-latest", "    steps:")
    pin_sha(c, f, "actions/checkout")
    pin_sha(c, f, rr.c(["aws-actions/configure-aws-credentials", "docker/login-action", "actions/setup-node"]))
    f.l("        with:")
    for n in rr.r.sample(["AWS_ROLE_ARN", "REGISTRY_PASSWORD", "NPM_TOKEN", "SLACK_WEBHOOK_URL"], 2):
        c.dput(f, "gha", "          ", kinds=["tmpl"], name=n)
    f.l("      - name: Deploy", "        env:")
    c.dput(f, "gha", "          ", kinds=["tmpl"])
    c.dput(f, "gha", "          ", kinds=["kms_key_ref", "uuid_id", "secret_version"])
    if pk:
        f.l("        run: |", "          mkdir -p ~/.ssh")
        c.put(f, "export", "          ", fams=("private_key",))
        f.l("          ./scripts/deploy.sh")
    else:
        f.l("        run: ./scripts/deploy.sh")

def gitlab(c, path, nsec=2):
    f = c.fb(path)
    f.l("stages: [test, build, deploy]", "", "variables:")
    c.kv(f, "gitlab", "  ", nsec=nsec, ndec=3, nplain=2)
    f.l("", "deploy:prod:", "  stage: deploy", "  image: alpine/helm:3.14.0", "  script:")
    n = c.rr.c(SECRET_NAMES)
    f.dec(f'    - export {n}="${{{n}}}"', "template_ref", "${%s}" % n)
    f.l("    - helm upgrade --install app ./chart -f values-prod.yaml", "  only: [main]")

def circle(c, path, nsec=2):
    f = c.fb(path)
    f.l("version: 2.1", "jobs:", "  test:", "    docker:", "      - image: cimg/python:3.12", "        environment:")
    c.kv(f, "compose", "          ", nsec=nsec, ndec=2, nplain=2)
    f.l("    steps:", "      - checkout", "      - run: make test", "workflows:", "  main:", "    jobs: [test]")

def jenkins(c, path, nsec=2):
    f, rr = c.fb(path), c.rr
    f.l("pipeline {", "  agent any", "  environment {")
    c.kv(f, "jenkins", "    ", nsec=nsec, ndec=2, nplain=2)
    for n in rr.r.sample(SECRET_NAMES, 2):
        c.dput(f, "jenkins", "    ", kinds=["tmpl"], name=n)
    f.l("  }", "  stages {", "    stage('Build') { steps { sh 'make build' } }",
        "    stage('Deploy') { steps { sh './deploy.sh' } }", "  }", "}")

# ---------------------------------------------------------------- templates: kubernetes / helm / gitops
def k8s_secret(c, path, b64=False, nsec=3, tls=False):
    f, rr = c.fb(path), c.rr
    f.l("apiVersion: v1", "kind: Secret", "metadata:", f"  name: {c.svc}-{'tls' if tls else 'env'}",
        f"  namespace: {c.svc}", "  annotations:")
    c.dput(f, "yaml", "    ", kinds=["secret_version", "checksum", "build_id"])
    f.l(f"type: {'kubernetes.io/tls' if tls else 'Opaque'}", "data:" if b64 else "stringData:")
    if tls:
        f.l("  tls.crt: |")
        f.dblock(["    " + x for x in certificate(rr)], "certificate")
        c.put(f, "k8s", "  ", fams=("private_key",), name="tls.key")
        return
    for _ in range(nsec):
        c.put(f, "k8sb64" if b64 else "k8s", "  ")
    for n, v in c.plain(None, "k8s", k=2):
        f.l(f"  {n}: {base64.b64encode(v.encode()).decode() if b64 else v}")
    if not b64:
        c.dput(f, "k8s", "  ", kinds=["tmpl", "client_id", "api_key_id", "publishable_key"])

def k8s_deploy(c, path, nsec=1):
    f, rr = c.fb(path), c.rr
    f.l("apiVersion: apps/v1", "kind: Deployment", "metadata:", f"  name: {c.svc}", "spec:", "  template:",
        "    metadata:", "      annotations:")
    for k, a in [("checksum", rr.c(["checksum/config", "checksum/secret"])), ("build_id", f"deploy.{c.org}.io/revision")]:
        n, v = dval(rr, k)
        f.dec(f"        {a}: {v}", k, v)
    dg = "sha256:" + rr.s(64, HEX)
    f.l("    spec:", "      containers:", f"        - name: {c.svc}")
    f.dec(f"          image: ghcr.io/{c.org}/{c.svc}@{dg}", "image_digest", dg)
    f.l("          env:")
    for n in rr.r.sample(SECRET_NAMES, 2):
        f.l(f"            - name: {n}", "              valueFrom:", "                secretKeyRef:")
        f.dec(f"                  name: {c.svc}-env", "secret_ref", f"{c.svc}-env")
        f.l(f"                  key: {n.lower()}")
    for _ in range(nsec):
        c.put(f, "k8senv", "            ")
    for k in rr.r.sample(["sentry_public_dsn", "trace_id", "session_cookie_name", "client_id"], 2):
        c.dput(f, "k8senv", "            ", kinds=[k])

def kustomization(c, path, nsec=2):
    f, rr = c.fb(path), c.rr
    f.l("apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Kustomization", f"namespace: {c.svc}",
        "resources:", "  - ../../base", "secretGenerator:", f"  - name: {c.svc}-secrets", "    literals:")
    for _ in range(nsec):
        fam = c.draw()
        if fam is None:
            break
        for n, v, fm, k in mk(rr, fam):
            f.sec(f"      - {n}={v}", v, fm, k)
    n = rr.c(SECRET_NAMES)
    f.l("    files:")
    f.dec(f"      - {n.lower()}=secrets/{n.lower()}.enc", "secret_file_path", f"secrets/{n.lower()}.enc")
    f.l("configMapGenerator:", f"  - name: {c.svc}-config", "    literals:")
    for k in ["publishable_key", "kid", "client_id"]:
        n, v = dval(rr, k)
        f.dec(f"      - {n}={v}", k, v)
    f.l("images:", f"  - name: {c.svc}")
    c.dput(f, "yaml", "    ", kinds=["image_digest"], name="digest")

def sealed(c, path):
    f, rr = c.fb(path), c.rr
    f.l("apiVersion: bitnami.com/v1alpha1", "kind: SealedSecret", "metadata:", f"  name: {c.svc}-sealed",
        f"  namespace: {c.svc}", "spec:", "  encryptedData:")
    for n in rr.r.sample(SECRET_NAMES, 3):
        v = "AgB" + base64.b64encode(rr.b(rr.i(300, 560))).decode()
        f.dec(f"    {n.lower()}: {v}", "sealed_secret", v)
    f.l("  template:", "    type: Opaque")

def external_secret(c, path):
    f, rr = c.fb(path), c.rr
    f.l("apiVersion: external-secrets.io/v1beta1", "kind: ExternalSecret", "metadata:", f"  name: {c.svc}",
        "spec:", "  secretStoreRef: {name: aws-sm, kind: ClusterSecretStore}", "  data:")
    for _ in range(3):
        n, v = dval(rr, rr.c(["aws_sm_ref", "vault_ref", "gcp_sm_ref"]))
        f.l(f"    - secretKey: {n.lower()}", "      remoteRef:")
        f.dec(f"        key: {v}", "secret_ref", v)
        c.dput(f, "yaml", "        ", kinds=["secret_version"], name="version")

def sops_file(c, path):
    f, rr = c.fb(path), c.rr
    for n in rr.r.sample(SECRET_NAMES, 4):
        c.dput(f, "yaml", kinds=["sops_enc"], name=n)
    f.l("sops:", "  kms: []", "  age:")
    n, v = dval(rr, "age_recipient")
    f.dec(f"    - recipient: {v}", "age_recipient", v)
    f.l("      enc: |")
    body = base64.b64encode(rr.b(rr.i(180, 240))).decode()
    f.dblock(["        -----BEGIN AGE ENCRYPTED FILE-----"] + ["        " + body[i:i + 64] for i in range(0, len(body), 64)]
             + ["        -----END AGE ENCRYPTED FILE-----"], "sops_age_data_key")
    f.l(f"  lastmodified: \"{rr.i(2023, 2025)}-0{rr.i(1, 9)}-1{rr.i(0, 9)}T10:2{rr.i(0, 9)}:00Z\"")
    m = f"ENC[AES256_GCM,data:{rr.b64(64)},iv:{rr.b64(32)},tag:{rr.b64(16)},type:str]"
    f.dec(f"  mac: {m}", "sops_enc", m)
    f.l("  version: 3.8.1")

def sops_cfg(c, path=".sops.yaml"):
    f, rr = c.fb(path), c.rr
    f.l("creation_rules:", "  - path_regex: secrets/.*\\.enc\\.yaml$")
    n, v = dval(rr, "age_recipient")
    f.dec(f"    age: {v}", "age_recipient", v)
    n, v = dval(rr, "kms_key_ref")
    f.dec(f"    kms: {v}", "kms_key_ref", v)
    g = c.fb(".gitattributes")
    g.l("*.lock linguist-generated")
    g.dec("secrets/legacy/** filter=git-crypt diff=git-crypt", "git_crypt_attr", "filter=git-crypt")

def helm_values(c, path, nsec=3, pk=False):
    f, rr = c.fb(path), c.rr
    f.l(f"replicaCount: {rr.i(2, 6)}", "image:", f"  repository: ghcr.io/{c.org}/{c.svc}")
    c.dput(f, "yaml", "  ", kinds=["image_digest"], name="digest")
    f.l("config:")
    c.kv(f, "yaml", "  ", nsec=0, ndec=3, nplain=3)
    f.l("secrets:")
    f.l(f"  existingSecret: \"\"")
    c.kv(f, "yaml", "  ", nsec=nsec, ndec=2, nplain=0)
    if pk:
        f.l("tls:", "  enabled: true")
        c.put(f, "yaml", "  ", fams=("private_key",), name="KEY")
    f.l("podAnnotations:")
    c.dput(f, "yaml", "  ", kinds=["checksum"], name="checksum/secrets")
    f.l("resources:", "  limits: {cpu: 500m, memory: 512Mi}")

def helm_secret_tpl(c, path):
    f, rr = c.fb(path), c.rr
    f.l("apiVersion: v1", "kind: Secret", "metadata:", '  name: {{ include "app.fullname" . }}', "type: Opaque", "data:")
    for n in rr.r.sample(SECRET_NAMES, 4):
        v = "{{ .Values.secrets.%s | b64enc | quote }}" % n.lower()
        f.dec(f"  {n}: {v}", "template_ref", v)

# ---------------------------------------------------------------- templates: terraform / ansible / keys
def tf_main(c, path, nsec=1):
    f, rr = c.fb(path), c.rr
    f.l('terraform {', '  backend "s3" {', f'    bucket = "{c.org}-tfstate"', '    key    = "prod/terraform.tfstate"')
    c.dput(f, "hcl", "    ", kinds=["kms_key_ref"], name="KMS_KEY_ID")
    f.l('  }', '}', '', 'provider "aws" {', '  region = "us-east-1"')
    if nsec:
        c.put(f, "hcl", "  ", fams=("aws",))
    f.l('}', '', f'resource "aws_db_instance" "{c.svc}" {{', '  engine         = "postgres"',
        '  instance_class = "db.t4g.medium"', f'  username       = "{c.svc}_admin"')
    c.dput(f, "hcl", "  ", kinds=["tmpl"], name="PASSWORD")
    f.l('}', '', 'resource "aws_secretsmanager_secret_version" "api" {')
    c.dput(f, "hcl", "  ", kinds=["aws_sm_ref"], name="SECRET_ID")
    f.l('  secret_string = jsonencode({ token = var.api_token })', '}', '',
        'resource "aws_iam_access_key" "ci" {', '  user    = aws_iam_user.ci.name')
    n, v = dval(rr, "ssh_public_key")
    f.l('}', '', 'resource "aws_key_pair" "bastion" {', '  key_name   = "bastion"')
    f.dec(f'  public_key = "{v}"', "ssh_public_key", v)
    f.l('}')

def tf_tls(c, path):
    f = c.fb(path)
    f.l('resource "kubernetes_secret" "ingress_tls" {', '  metadata {', '    name = "ingress-tls"', '  }',
        '  type = "kubernetes.io/tls"', '  data = {', '    "tls.crt" = file("${path.module}/certs/tls.crt")')
    fam = c.draw(("private_key",))
    if fam:
        pl, k = private_key(c.rr)
        f.l('    "tls.key" = <<-EOT')
        f.sblock(["      " + x for x in pl], pl, fam, k)
        f.l("    EOT")
    else:
        f.dec('    "tls.key" = file("${path.module}/certs/tls.key")', "template_ref", "file(")
    f.l('  }', '}')

def tfvars(c, path, nsec=3):
    f = c.fb(path)
    f.l(f'project     = "{c.svc}"', 'environment = "prod"')
    c.kv(f, "hcl", nsec=nsec, ndec=3, nplain=2)
    f.l('tags = {', f'  team = "{c.org}-platform"', '}')

def tf_vars(c, path):
    f, rr = c.fb(path), c.rr
    for n in rr.r.sample(SECRET_NAMES, 3):
        f.l(f'variable "{n.lower()}" {{', '  type      = string', '  sensitive = true')
        if rr.p(0.5):
            v = rr.c(["changeme", "REPLACE_ME", "<set-in-tfvars>"])
            f.dec(f'  default   = "{v}"', "doc_placeholder", f'"{v}"')
        f.l('}', '')

def ansible_vars(c, path, nsec=3):
    f, rr = c.fb(path), c.rr
    f.l("---", f"app_name: {c.svc}", f"app_user: {c.svc}")
    c.kv(f, "yaml", nsec=nsec, ndec=3, nplain=2)
    n = rr.c(SECRET_NAMES).lower()
    f.l(f"{n}: !vault |")
    body = rr.s(rr.i(5, 9) * 80, HEX)
    f.dblock(["  $ANSIBLE_VAULT;1.1;AES256"] + ["  " + body[i:i + 80] for i in range(0, len(body), 80)], "ansible_vault")
    f.dec(f"db_password: \"{{{{ vault_db_password }}}}\"", "template_ref", "{{ vault_db_password }}")

def ansible_vault_file(c, path):
    f, rr = c.fb(path), c.rr
    body = rr.s(rr.i(10, 18) * 80, HEX)
    f.dblock(["$ANSIBLE_VAULT;1.1;AES256"] + [body[i:i + 80] for i in range(0, len(body), 80)], "ansible_vault")

def inventory(c, path):
    f, rr = c.fb(path), c.rr
    f.l("[web]")
    for i in range(1, 3):
        f.l(f"web{i} ansible_host=10.20.{rr.i(0, 9)}.{rr.i(2, 250)} ansible_user=deploy")
    f.l("", "[db]")
    fam = c.draw(("generic",))
    h = f"db1 ansible_host=10.20.8.{rr.i(2, 250)} ansible_user=admin ansible_become_pass="
    if fam:
        v = rr.pw()
        f.sec(h + v, v, fam, "ansible_become_password")
    else:
        f.dec(h + "{{ vault_become_pass }}", "template_ref", "{{ vault_become_pass }}")
    f.l("", "[all:vars]", "ansible_python_interpreter=/usr/bin/python3")

def ansible_tpl(c, path):
    f, rr = c.fb(path), c.rr
    f.l("# {{ ansible_managed }}")
    for n in rr.r.sample(SECRET_NAMES, 4):
        v = "{{ %s }}" % n.lower()
        f.dec(f"{n}={v}", "template_ref", v)

def pem_files(c, d, key=True):
    rr = c.rr
    c.fb(f"{d}/ca.crt").dblock(certificate(rr), "certificate")
    c.fb(f"{d}/jwt-public.pem").dblock(public_key_pem(rr), "public_key")
    if key and c.draw(("private_key",)):
        pl, k = private_key(rr)
        c.fb(f"{d}/{'id_ed25519' if 'OPENSSH' in pl[0] else 'server.key'}").sblock(pl, pl, "private_key", k)

def authorized_keys(c, path):
    f, rr = c.fb(path), c.rr
    for _ in range(rr.i(2, 4)):
        n, v = dval(rr, "ssh_public_key")
        f.dec(v, "ssh_public_key", v)

def gcp_sa(c, path):
    f, rr = c.fb(path), c.rr
    proj = f"{c.svc}-prod-{rr.i(100000, 999999)}"
    f.l("{", '  "type": "service_account",', f'  "project_id": "{proj}",')
    kid = rr.s(40, HEX)
    f.dec(f'  "private_key_id": "{kid}",', "api_key_id", kid)
    if c.draw(("private_key",)):
        pl = pem("PRIVATE KEY", SEQ(dint(b"\x00"), SEQ(OID_RSA), OCT(rsa_pkcs1(rr))))
        v = "\\n".join(pl)
        f.sec(f'  "private_key": "{v}\\n",', v, "private_key", "gcp_service_account_key")
    else:
        f.dec('  "private_key": "<injected by workload identity>",', "doc_placeholder", "<injected")
    f.l(f'  "client_email": "deployer@{proj}.iam.gserviceaccount.com",')
    cid = rr.s(21, DG)
    f.dec(f'  "client_id": "{cid}",', "client_id", cid)
    f.l('  "auth_uri": "https://accounts.google.com/o/oauth2/auth",', '  "token_uri": "https://oauth2.googleapis.com/token"', "}")

# ---------------------------------------------------------------- templates: application code & config
def py_settings(c, path):
    f, rr = c.fb(path), c.rr
    f.l("import os", "from pathlib import Path", "", "BASE_DIR = Path(__file__).resolve().parent.parent", "")
    if rr.p(0.6):
        c.put(f, "py", fams=("generic",), gkind=rr.c(["django_secret_key", "flask_secret_key"]), name="SECRET_KEY")
    else:
        c.dput(f, "py", kinds=["tmpl"], name="SECRET_KEY")
    f.l("DEBUG = False", "")
    c.dput(f, "py", kinds=["session_cookie_name"], name="SESSION_COOKIE_NAME")
    c.dput(f, "py", kinds=["session_cookie_name"], name="CSRF_COOKIE_NAME")
    f.l("PASSWORD_HASHERS = [", '    "django.contrib.auth.hashers.Argon2PasswordHasher",',
        '    "django.contrib.auth.hashers.PBKDF2PasswordHasher",', "]", "AUTH_PASSWORD_VALIDATORS = [",
        '    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},', "]",
        "", "DATABASES = {", '    "default": {', '        "ENGINE": "django.db.backends.postgresql",', f'        "NAME": "{c.svc}",')
    if rr.p(0.5):
        c.put(f, "pydict", "        ", fams=("generic",), gkind="db_password", name="PASSWORD")
    else:
        c.dput(f, "pydict", "        ", kinds=["tmpl"], name="PASSWORD")
    f.l("    }", "}", "")
    c.kv(f, "py", nsec=2, ndec=3, nplain=2)

def py_client(c, path, fams):
    f, rr = c.fb(path), c.rr
    cls = path.rsplit("/", 1)[-1][:-3].title().replace("_", "")
    f.l("import os", "import httpx", "", "# TODO(ops): move to secret manager before GA")
    c.put(f, "py", fams=fams)
    c.dput(f, "py", kinds=["tmpl"])
    c.dput(f, "py", kinds=["api_key_id", "client_id", "kid", "secret_version"])
    f.l("", "", f"class {cls}:", "    def __init__(self, timeout: float = 10.0):",
        "        self._http = httpx.Client(timeout=timeout)", "",
        "    def ping(self) -> bool:", '        return self._http.get("/health").status_code == 200')

def py_fixture(c, path):
    f, rr = c.fb(path), c.rr
    f.l("[")
    for i in range(rr.i(2, 3)):
        f.l("  {", '    "model": "accounts.user",', f'    "pk": {i + 1},', '    "fields": {', f'      "username": "{rr.c(WORDS)}{i}",')
        h = f"pbkdf2_sha256$600000${rr.s(22)}${rr.b64(32)}" if rr.p(0.5) else bcrypt(rr)
        f.dec(f'      "password": "{h}",', "password_hash_fixture", h)
        t = rr.s(64, HEX)
        f.dec(f'      "api_token_sha256": "{t}",', "token_hash", t)
        f.l('      "is_staff": false', "    }", "  },")
    f.l("  {", '    "model": "accounts.apikey",', '    "pk": 1,', '    "fields": {')
    n, v = dval(rr, "api_key_id")
    f.dec(f'      "key_id": "{v}",', "api_key_id", v)
    f.dec(f'      "prefix": "{v[:8]}",', "api_key_id", v[:8])
    f.l('      "revoked": false', "    }", "  }", "]")

def py_test_vectors(c, path):
    f, rr = c.fb(path), c.rr
    f.l("import pytest", "from app.crypto import open_box", "", "# Wycheproof-style vectors with a published all-zero test key", "VECTORS = [")
    for _ in range(3):
        f.l("    {", '        "key": "00" * 32,')
        for k, n in [("nonce", 12), ("aad", 16), ("tag", 16)]:
            v = rr.s(n * 2, HEX)
            f.dec(f'        "{k}": "{v}",', "test_vector_" + k, v)
        f.l("    },")
    f.l("]", "", "", '@pytest.mark.parametrize("vec", VECTORS)', "def test_rejects_tampered(vec):",
        '    assert open_box(vec) is None', "", "def test_password_validation(client):",
        '    r = client.post("/signup", data={"password": "short", "password_confirmation": "short"})',
        '    assert "min_length" in r.json()["errors"]["password"][0]')

def pgbouncer(c, d):
    f, rr = c.fb(f"{d}/userlist.txt"), c.rr
    for u in rr.r.sample(WORDS, 3):
        v = f"SCRAM-SHA-256$4096:{rr.b64(16)}${rr.b64(32)}:{rr.b64(32)}"
        f.dec(f'"{u}" "{v}"', "scram_verifier", v)
    g = c.fb(f"{d}/pgbouncer.ini")
    g.l("[databases]", f"{c.svc} = host={c.svc}-db.internal port=5432 dbname={c.svc}", "", "[pgbouncer]",
        "auth_type = scram-sha-256", f"auth_file = /etc/pgbouncer/userlist.txt", "pool_mode = transaction")

def requirements(c, path):
    f, rr = c.fb(path), c.rr
    for p, v in [("django", "5.0.6"), ("httpx", "0.27.0"), ("psycopg", "3.1.19"), ("celery", "5.4.0"),
                 ("argon2-cffi", "23.1.0"), ("sentry-sdk", "2.5.1"), ("boto3", "1.34.120")]:
        h = rr.s(64, HEX)
        f.l(f"{p}=={v} \\")
        f.dec(f"    --hash=sha256:{h}", "checksum", h)

def ini_cfg(c, path, nsec=1):
    f, rr = c.fb(path), c.rr
    f.l("[alembic]", "script_location = migrations")
    c.put(f, "ini", fams=("database",), gkind=["pg", "asyncpg", "mysql", "mssql"], name="sqlalchemy.url") if nsec else \
        f.dec("sqlalchemy.url = %(DATABASE_URL)s", "template_ref", "%(DATABASE_URL)s")
    f.l("", "[app]")
    c.kv(f, "ini", nsec=nsec, ndec=2, nplain=2)

def ts_config(c, path, nsec=2):
    f, rr = c.fb(path), c.rr
    f.l('import { z } from "zod";', "", "export const config = {")
    c.kv(f, "ts", "  ", nsec=nsec, ndec=4, nplain=2)
    f.l("} as const;", "", "export const passwordPolicy = { minLength: 12, requireSymbol: true };")

def ts_client(c, path, fams):
    f, rr = c.fb(path), c.rr
    f.l('import fetch from "node-fetch";', "", "// temporary hardcode for the migration script, see INC-" + str(rr.i(100, 999)))
    c.put(f, "tsconst", fams=fams)
    c.dput(f, "tsconst", kinds=["tmpl", "publishable_key", "request_id", "api_key_id"])
    f.l("", "export async function call(path: string, body: unknown) {",
        '  return fetch(`https://api.example.internal${path}`, { method: "POST", body: JSON.stringify(body) });', "}")

def next_config(c, path):
    f, rr = c.fb(path), c.rr
    f.l("/** @type {import('next').NextConfig} */", "module.exports = {", "  reactStrictMode: true,", "  env: {")
    for k in ["publishable_key", "sentry_public_dsn", "client_id"]:
        c.dput(f, "ts", "    ", kinds=[k])
    f.l("  },", "};")

def npmrc(c, path=".npmrc"):
    f, rr = c.fb(path), c.rr
    f.l(f"@{c.org}:registry=https://npm.pkg.github.com", "always-auth=true")
    fam = c.draw(("npm",))
    if fam:
        v = "npm_" + rr.s(36)
        f.sec(f"//registry.npmjs.org/:_authToken={v}", v, fam, "npm_authtoken")
    else:
        f.dec("//registry.npmjs.org/:_authToken=${NPM_TOKEN}", "template_ref", "${NPM_TOKEN}")
    f.dec("//npm.pkg.github.com/:_authToken=${GITHUB_PACKAGES_TOKEN}", "template_ref", "${GITHUB_PACKAGES_TOKEN}")

def package_files(c, d=""):
    f, rr = c.fb(d + "package.json"), c.rr
    deps = rr.r.sample(["express", "zod", "next", "react", "pino", "stripe", "openai", "dotenv", "jose", "undici", "luxon"], 7)
    f.l("{", f'  "name": "@{c.org}/{c.svc}",', '  "version": "1.0.0",', '  "private": true,', '  "dependencies": {')
    f.l(",\n".join(f'    "{p}": "^{rr.i(1, 9)}.{rr.i(0, 20)}.0"' for p in deps), "  }", "}")
    g = c.fb(d + "package-lock.json")
    g.l("{", f'  "name": "@{c.org}/{c.svc}",', '  "lockfileVersion": 3,', '  "packages": {')
    for i, p in enumerate(deps):
        integ = "sha512-" + rr.b64(64)
        g.l(f'    "node_modules/{p}": {{', f'      "version": "{rr.i(1, 9)}.{rr.i(0, 20)}.{rr.i(0, 9)}",',
            f'      "resolved": "https://registry.npmjs.org/{p}/-/{p}-1.0.0.tgz",')
        g.dec(f'      "integrity": "{integ}"', "integrity_hash", integ)
        g.l("    }" + ("," if i < len(deps) - 1 else ""))
    g.l("  }", "}")

def asset_manifest(c, path):
    f, rr = c.fb(path), c.rr
    sub = FB("")
    for a in ["main", "vendor", "runtime"]:
        h = rr.s(20, HEX)
        sub.dec(f'  "{a}.js": "/static/js/{a}.{h}.js"', "content_hash", h)
    f.l("{")
    f.json_items(sub)
    f.l("}")

def snapshot(c, path):
    f, rr = c.fb(path), c.rr
    f.l("// Jest Snapshot v1, https://goo.gl/fbAQLP", "", "exports[`webhook handler records event 1`] = `", "Object {")
    for k in ["request_id", "trace_id", "stripe_object_id", "uuid_id"]:
        n, v = dval(rr, k)
        f.dec(f'  "{camel(n)}": "{v}",', k, v)
    f.l("}", "`;")

def jwks(c, path):
    f, rr = c.fb(path), c.rr
    f.l("{", '  "keys": [')
    for i in range(2):
        kid, n = rr.b64u(16), rr.b64u(256)
        f.l("    {", '      "kty": "RSA",', '      "use": "sig",', '      "alg": "RS256",')
        f.dec(f'      "kid": "{kid}",', "kid", kid)
        f.dec(f'      "n": "{n}",', "jwk_public_modulus", n)
        f.l('      "e": "AQAB"', "    }" + ("," if i == 0 else ""))
    f.l("  ]", "}")

def go_config(c, path, nsec=1):
    f, rr = c.fb(path), c.rr
    f.l("package config", "", 'import "os"', "", "type Config struct {", "\tDatabaseURL string", "\tAPIKey      string", "}",
        "", "// defaults used by integration tests against the shared staging stack", "const (")
    for _ in range(nsec):
        c.put(f, "goconst", "\t")
    c.dput(f, "goconst", "\t", kinds=["kid", "api_key_id", "client_id", "build_id"])
    f.l(")", "", "func Load() Config {", "\treturn Config{")
    for n in rr.r.sample(["DATABASE_URL", "API_KEY"], 2):
        f.dec(f'\t\t{"DatabaseURL" if n[0] == "D" else "APIKey"}: os.Getenv("{n}"),', "env_lookup", f'os.Getenv("{n}")')
    f.l("\t}", "}")

def go_client(c, path, fams):
    f, rr = c.fb(path), c.rr
    f.l("package clients", "", "import \"net/http\"", "", "var defaultOpts = Options{")
    c.put(f, "go", "\t", fams=fams)
    c.dput(f, "go", "\t", kinds=["tmpl", "request_id", "kid", "secret_version"])
    f.l("\tTimeoutSeconds: 10,", "}", "", "type Options struct {", "\tTimeoutSeconds int", "}", "",
        "func New() *http.Client { return &http.Client{} }")

def go_mod(c):
    f, rr = c.fb("go.mod"), c.rr
    mods = [("github.com/spf13/viper", "v1.18.2"), ("github.com/jackc/pgx/v5", "v5.6.0"), ("go.uber.org/zap", "v1.27.0"),
            ("github.com/stripe/stripe-go/v76", "v76.25.0"), ("github.com/slack-go/slack", "v0.13.0")]
    f.l(f"module github.com/{c.org}/{c.svc}", "", "go 1.22", "", "require (")
    f.l(*[f"\t{m} {v}" for m, v in mods], ")")
    g = c.fb("go.sum")
    for m, v in mods:
        for suf in ["", "/go.mod"]:
            h = rr.b64(32)
            g.dec(f"{m} {v}{suf} h1:{h}", "checksum", h)

def sha256sums(c, path):
    f, rr = c.fb(path), c.rr
    for os_, arch in [("linux", "amd64"), ("linux", "arm64"), ("darwin", "arm64")]:
        h = rr.s(64, HEX)
        f.dec(f"{h}  {c.svc}_{os_}_{arch}.tar.gz", "checksum", h)

def cfg_file(c, path, syn, nsec=2, ndec=3):
    """Structured app config in yaml / toml / properties / json."""
    f, rr = c.fb(path), c.rr
    if syn == "json":
        f.l("{", '  "Logging": { "LogLevel": { "Default": "Information" } },')
        sub = FB("")
        c.kv(sub, "json", "  ", nsec=nsec, ndec=ndec, nplain=2)
        f.json_items(sub)
        f.l("}")
        return
    hdr = {"yaml": ["server:", "  port: 8080", "app:"], "toml": ["[server]", "port = 8080", "", "[app]"],
           "props": ["server.port=8080", f"spring.application.name={c.svc}"]}[syn]
    f.l(*hdr)
    c.kv(f, syn, "  " if syn == "yaml" else "", nsec=nsec, ndec=ndec, nplain=2)

# ---------------------------------------------------------------- tree archetypes
def plainfile(c, path, *lines):
    c.fb(path).l(*lines)

def audit_fixture(c, path):
    f, rr = c.fb(path), c.rr
    f.l("[")
    n = rr.i(3, 5)
    for i in range(n):
        f.l("  {", f'    "event": "{rr.c(["api_key.created", "login.succeeded", "token.refreshed", "secret.rotated"])}",')
        for k, nm in [("request_id", "request_id"), ("trace_id", "traceparent"),
                      (rr.c(["token_hash", "api_key_id", "secret_version", "key_fingerprint"]), None)]:
            n2, v = dval(rr, k)
            f.dec(f'    "{nm or k}": "{v}",', k, v)
        f.l(f'    "actor": "{rr.c(WORDS)}@{c.org}.io"', "  }" + ("," if i < n - 1 else ""))
    f.l("]")

def common_bulk(c):
    audit_fixture(c, "tests/fixtures/audit-events.json")
    plainfile(c, ".gitignore", ".env", ".env.local", "*.pem", "node_modules/", "__pycache__/", ".terraform/")
    plainfile(c, "Makefile", ".PHONY: test lint", "test:", "\t./scripts/test.sh", "lint:", "\t./scripts/lint.sh")
    plainfile(c, "CODEOWNERS", f"* @{c.org}/platform", f"/docs/ @{c.org}/docs")

def infra_monorepo(c):
    rr, s = c.rr, c.svc
    readme(c)
    tf_main(c, "terraform/main.tf")
    tf_vars(c, "terraform/variables.tf")
    tfvars(c, "terraform/envs/prod.tfvars")
    tfvars(c, "terraform/envs/staging.tfvars", nsec=2)
    tf_tls(c, "terraform/modules/ingress/main.tf")
    plainfile(c, f"helm/{s}/Chart.yaml", "apiVersion: v2", f"name: {s}", "version: 0.4.2")
    helm_values(c, f"helm/{s}/values.yaml", nsec=1)
    helm_values(c, f"helm/{s}/values-prod.yaml", nsec=3, pk=True)
    helm_secret_tpl(c, f"helm/{s}/templates/secret.yaml")
    k8s_deploy(c, "k8s/base/deployment.yaml")
    kustomization(c, "k8s/overlays/prod/kustomization.yaml")
    k8s_secret(c, "k8s/overlays/prod/secret.yaml")
    k8s_secret(c, "k8s/overlays/staging/secret.yaml", b64=True)
    sealed(c, "k8s/sealed/app-sealed.yaml")
    inventory(c, "ansible/inventory/hosts.ini")
    ansible_vars(c, "ansible/group_vars/all.yml")
    ansible_vault_file(c, "ansible/group_vars/prod/vault.yml")
    ansible_tpl(c, "ansible/roles/app/templates/app.env.j2")
    sops_cfg(c)
    sops_file(c, "secrets/prod.enc.yaml")
    gha(c, ".github/workflows/deploy.yml", pk=True)
    md_runbook(c, "docs/runbooks/rotate-credentials.md", "Credential rotation")
    adr(c, "docs/adr/0003-secret-management.md", 3)
    py_settings(c, "services/api/app/settings.py")
    env_file(c, "services/api/.env")
    dockerfile(c, "services/api/Dockerfile")
    requirements(c, "services/api/requirements.txt")
    pem_files(c, "certs")
    common_bulk(c)

def platform_repo(c):
    rr = c.rr
    readme(c)
    gha(c, ".github/workflows/ci.yml")
    gha(c, ".github/workflows/release.yml", nsec=1)
    gitlab(c, ".gitlab-ci.yml")
    circle(c, ".circleci/config.yml")
    jenkins(c, "Jenkinsfile")
    external_secret(c, "clusters/prod/external-secrets.yaml")
    k8s_secret(c, f"clusters/prod/{c.svc}-secret.yaml", nsec=2)
    k8s_secret(c, "clusters/prod/ingress-tls.yaml", tls=True)
    k8s_secret(c, "clusters/staging/registry-secret.yaml", b64=True, nsec=2)
    sealed(c, "clusters/prod/sealed-db.yaml")
    f = c.fb("scripts/bootstrap.sh")
    f.l("#!/usr/bin/env bash", "set -euo pipefail", "# one-off bootstrap for the new runner fleet")
    c.kv(f, "export", nsec=3, ndec=3, nplain=1)
    py_client(c, "scripts/rotate_keys.py", None)
    dockerfile(c, "docker/ci-runner/Dockerfile")
    compose(c, "docker-compose.ci.yml", nsec=1)
    md_runbook(c, "docs/runbooks/ci-outage.md", "CI outage")
    md_runbook(c, "docs/onboarding.md", "Onboarding", nsec=2, ndec=4)
    plainfile(c, "renovate.json", "{", '  "extends": ["config:recommended"]', "}")
    npmrc(c)
    package_files(c)
    env_file(c, ".env.ci", nsec=3)
    c.fb("keys/release-signing.asc").dblock(pgp_public(rr), "pgp_public_key")
    authorized_keys(c, "keys/authorized_keys")
    pem_files(c, "keys")
    tf_main(c, "terraform/github/main.tf", nsec=0)
    key_formats(c, "docs/security/credential-formats.md")
    tfvars(c, "terraform/github/terraform.tfvars")
    common_bulk(c)

def docs_site(c):
    rr = c.rr
    plainfile(c, "mkdocs.yml", f"site_name: {c.org.title()} Engineering Handbook", "theme:", "  name: material", "nav:", "  - index.md")
    plainfile(c, "docs/index.md", f"# {c.org.title()} Engineering Handbook", "", "Start with the onboarding guide.")
    readme(c, nsec=1)
    for i, t in enumerate(["Database failover", "Rotating API keys", "Restoring from backup", "Paging escalation"]):
        md_runbook(c, f"docs/runbooks/{t.lower().replace(' ', '-')}.md", t, nsec=rr.i(3, 5), ndec=rr.i(4, 6))
    for i in range(1, 4):
        adr(c, f"docs/adr/{i:04d}-decision.md", i)
    key_formats(c, "docs/security/key-formats.md")
    md_runbook(c, "docs/postmortems/2024-03-db-outage.md", "Postmortem: primary database outage", nsec=3, ndec=6)
    md_runbook(c, "docs/guides/api-quickstart.md", "API quickstart", nsec=2, ndec=6)
    cfg_file(c, "docs/snippets/config.example.yaml", "yaml", nsec=1, ndec=4)
    md_runbook(c, "docs/guides/local-dev.md", "Local development", nsec=3, ndec=4)
    env_file(c, "docs/snippets/.env.example", example=True)
    package_files(c)
    gha(c, ".github/workflows/pages.yml", nsec=1)
    f = c.fb("netlify.toml")
    f.l("[build]", '  command = "mkdocs build"', '  publish = "site"', "[build.environment]")
    c.kv(f, "toml", "  ", nsec=2, ndec=2, nplain=1)
    asset_manifest(c, "overrides/asset-manifest.json")
    common_bulk(c)

def python_service(c):
    rr, s = c.rr, c.svc
    readme(c)
    plainfile(c, "manage.py", "#!/usr/bin/env python", "import os, sys", "",
              f'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{s}.settings.production")',
              "from django.core.management import execute_from_command_line", "execute_from_command_line(sys.argv)")
    py_settings(c, f"{s}/settings/production.py")
    py_settings(c, f"{s}/settings/staging.py")
    py_client(c, f"{s}/integrations/payments_client.py", ("stripe", "twilio", "sendgrid"))
    py_client(c, f"{s}/integrations/chat_client.py", ("slack", "openai", "anthropic"))
    py_client(c, f"{s}/integrations/storage.py", ("aws", "google", "fernet"))
    env_file(c, ".env", nsec=5)
    env_file(c, ".env.production", nsec=4)
    env_file(c, ".env.example", example=True)
    compose(c, "docker-compose.yml")
    dockerfile(c, "Dockerfile")
    requirements(c, "requirements.txt")
    ini_cfg(c, "alembic.ini")
    pgbouncer(c, "deploy/pgbouncer")
    py_fixture(c, "tests/fixtures/users.json")
    py_test_vectors(c, "tests/test_crypto.py")
    snapshot(c, "tests/snapshots/stripe_webhook.snap")
    plainfile(c, "tests/test_health.py", "def test_health(client):", '    assert client.get("/health").status_code == 200')
    gitlab(c, ".gitlab-ci.yml")
    k8s_secret(c, "deploy/k8s/secret.yaml")
    gcp_sa(c, "deploy/service-account.json")
    f = c.fb(f"{s}/celeryconfig.py")
    f.l("import os", "from kombu import Queue", "")
    c.put(f, "py", fams=("database",), gkind=["amqp", "amqps", "redis", "rediss"], name="broker_url")
    c.dput(f, "py", kinds=["tmpl"], name="result_backend")
    f.l("task_queues = (Queue('default'),)")
    cfg_file(c, "config/production.toml", "toml")
    common_bulk(c)

def node_service(c):
    rr = c.rr
    readme(c)
    package_files(c)
    npmrc(c)
    plainfile(c, "tsconfig.json", "{", '  "compilerOptions": { "strict": true, "target": "ES2022" }', "}")
    ts_config(c, "src/config.ts", nsec=3)
    ts_client(c, "src/lib/payments.ts", ("stripe", "sendgrid", "twilio"))
    ts_client(c, "src/lib/ai.ts", ("openai", "anthropic", "google"))
    ts_client(c, "scripts/migrate-users.ts", ("database", "jwt", "github"))
    next_config(c, "next.config.js")
    env_file(c, ".env.local", nsec=5)
    env_file(c, ".env.production", nsec=5)
    env_file(c, ".env.example", example=True)
    asset_manifest(c, "public/asset-manifest.json")
    snapshot(c, "src/__tests__/__snapshots__/webhook.test.ts.snap")
    jwks(c, "public/.well-known/jwks.json")
    plainfile(c, "src/__tests__/auth.test.ts", 'import { passwordPolicy } from "../config";', "",
              'test("policy", () => expect(passwordPolicy.minLength).toBe(12));')
    dockerfile(c, "Dockerfile")
    compose(c, "docker-compose.yml")
    gha(c, ".github/workflows/ci.yml")
    f = c.fb("serverless.yml")
    f.l(f"service: {c.svc}", "provider:", "  name: aws", "  runtime: nodejs20.x", "  environment:")
    c.kv(f, "yaml", "    ", nsec=3, ndec=3, nplain=1)
    cfg_file(c, "config/appsettings.Production.json", "json", nsec=3)
    md_runbook(c, "docs/runbook.md", "Webhook replay", nsec=2, ndec=4)
    common_bulk(c)

def go_service(c):
    rr, s = c.rr, c.svc
    readme(c)
    go_mod(c)
    plainfile(c, f"cmd/{s}/main.go", "package main", "", f'import "github.com/{c.org}/{s}/internal/config"', "",
              "func main() {", "\tcfg := config.Load()", "\t_ = cfg", "}")
    go_config(c, "internal/config/config.go", nsec=2)
    go_client(c, "internal/clients/notify.go", ("slack", "sendgrid", "twilio", "sentry"))
    go_client(c, "internal/clients/vcs.go", ("github", "npm", "heroku"))
    cfg_file(c, "config/config.toml", "toml", nsec=3)
    cfg_file(c, "config/config.prod.yaml", "yaml", nsec=4)
    cfg_file(c, "config/application-prod.properties", "props", nsec=3)
    ini_cfg(c, "config/legacy.ini")
    helm_values(c, "deploy/helm/values.yaml", nsec=1)
    helm_values(c, "deploy/helm/values-prod.yaml", nsec=3, pk=True)
    k8s_deploy(c, "deploy/helm/templates/deployment.yaml")
    dockerfile(c, "Dockerfile")
    circle(c, ".circleci/config.yml")
    jenkins(c, "Jenkinsfile")
    f = c.fb("testdata/vectors.json")
    f.l("[")
    for i in range(3):
        f.l("  {", '    "key": "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",')
        for k, n in [("nonce", 12), ("tag", 16)]:
            v = rr.s(n * 2, HEX)
            f.dec(f'    "{k}": "{v}"' + ("," if k == "nonce" else ""), "test_vector_" + k, v)
        f.l("  }" + ("," if i < 2 else ""))
    f.l("]")
    sha256sums(c, "dist/SHA256SUMS")
    jwks(c, "testdata/jwks.json")
    md_runbook(c, "docs/runbook.md", "Queue backlog", nsec=2, ndec=5)
    pem_files(c, "testdata/tls")
    common_bulk(c)


ARCHETYPES = [("infra", infra_monorepo), ("platform", platform_repo), ("handbook", docs_site),
              ("api", python_service), ("web", node_service), ("svc", go_service)]
ORGS = ["acme", "northwind", "globex", "initech", "hooli", "vandelay", "stark", "umbrella", "tyrell", "wayne"]
SVCS = ["ledger", "orbit", "catalog", "notifier", "ingest", "atlas", "beacon", "quartz", "relay", "billing"]

def sink(c, i):
    """Absorb bag items that the archetype did not place."""
    rr = c.rr
    k = rr.c(["md", "env", "yaml", "py"])
    nm = ["qa", "perf", "demo", "dr", "sandbox", "eu", "canary", "loadtest"][i % 8]
    if k == "md":
        t = ["Handover notes", "On-call log", "Migration checklist", "Vendor setup", "Release notes draft"][i % 5]
        md_runbook(c, f"docs/notes/{t.lower().replace(' ', '-')}-{nm}.md", t, nsec=min(4, len(c.bag)), ndec=4)
    elif k == "env":
        env_file(c, f"deploy/env/{nm}.env", nsec=min(4, len(c.bag)), ndec=3)
    elif k == "yaml":
        cfg_file(c, f"config/overrides/{nm}.yaml", "yaml", nsec=min(4, len(c.bag)), ndec=3)
    else:
        f = c.fb(f"scripts/{['backfill', 'reconcile', 'export', 'seed', 'repair'][i % 5]}_{nm}.py")
        f.l("# one-off script; delete after run", "import os", "from decouple import config", "", "env = config")
        c.kv(f, "py", nsec=min(4, len(c.bag)), ndec=3, nplain=1, multiline=True)

# ---------------------------------------------------------------- corpus assembly, output, self-check
def make_bags(rr, ntrees):
    scale = ntrees / 6
    draws = {}
    for f in FAMILIES:
        if f in ("generic", "database"):
            continue
        draws[f] = max(1, round(rr.i(5, 6) * scale)) if f in ("aws", "twilio") else max(1, round(rr.i(9, 11) * scale))
    items = sum(v * (2.3 if f == "aws" else 2 if f == "twilio" else 1) for f, v in draws.items())
    gd = items * 0.45 / 0.55
    draws["generic"], draws["database"] = round(gd * 0.6), round(gd * 0.4)
    allf = [f for f, n in draws.items() for _ in range(n)]
    rr.r.shuffle(allf)
    return [allf[i::ntrees] for i in range(ntrees)]


import re
LEAK_RE = re.compile(r"(sk_live_[A-Za-z0-9]{20}|AKIA[A-Z2-7]{16}|gh[pousr]_[A-Za-z0-9]{36}|xox[bpa]-\d|AIza[\w-]{35}|"
                     r"-----BEGIN [A-Z ]*PRIVATE KEY|sk-ant-|SG\.[\w-]{22}\.|npm_[A-Za-z0-9]{36}|hooks\.slack\.com/services/T)")

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--trees", type=int, default=6)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    rr = R(a.seed)
    bags = make_bags(rr, a.trees)
    order = list(ARCHETYPES)
    rr.r.shuffle(order)
    orgs, svcs = rr.r.sample(ORGS, len(ORGS)), rr.r.sample(SVCS, len(SVCS))
    out = os.path.abspath(a.out)
    if os.path.exists(os.path.join(out, "trees")):
        shutil.rmtree(os.path.join(out, "trees"))
    truth, decoys, checks = [], [], []
    for t in range(a.trees):
        arch, fn = order[t % len(order)]
        org, svc = orgs[t % len(orgs)], svcs[t % len(svcs)]
        tree = f"{org}-{svc}-{arch}" + (f"-{t}" if t >= len(order) else "")
        c = Ctx(rr, tree, bags[t], org, svc)
        fn(c)
        i = 0
        while c.bag:
            i += 1
            if all(f == "private_key" for f in c.bag):
                c.bag.pop()
                pl, k = private_key(rr)
                c.fb(f"deploy/keys/legacy-{i}.pem").sblock(pl, pl, "private_key", k)
            else:
                sink(c, i)
        for path, fb in sorted(c.files.items()):
            full = os.path.join(out, "trees", tree, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", newline="\n") as fh:
                fh.write("\n".join(r[0] for r in fb.rows) + "\n")
            for ln, (text, rec) in enumerate(fb.rows, 1):
                if not rec or rec == "cont":
                    continue
                base = {"tree": tree, "path": path, "line": ln, "end_line": ln + rec[-1] - 1}
                if rec[0] == "S":
                    truth.append(dict(base, family=rec[2], kind=rec[3], secret=rec[1]))
                else:
                    decoys.append(dict(base, kind=rec[2]))
                checks.append((rec[0], full, ln, rec[1]))
    verify(out, truth, decoys, checks)
    manifest = {"seed": a.seed, "trees": a.trees, "files": sum(len(fs) for _, _, fs in os.walk(os.path.join(out, "trees"))),
                "secrets": len(truth), "decoys": len(decoys), "families": {}, "decoy_kinds": {}}
    for t in truth:
        manifest["families"][t["family"]] = manifest["families"].get(t["family"], 0) + 1
    for d in decoys:
        manifest["decoy_kinds"][d["kind"]] = manifest["decoy_kinds"].get(d["kind"], 0) + 1
    manifest["families"] = dict(sorted(manifest["families"].items()))
    manifest["decoy_kinds"] = dict(sorted(manifest["decoy_kinds"].items(), key=lambda x: -x[1]))
    for name, obj in [("truth.json", truth), ("decoys.json", decoys), ("manifest.json", manifest)]:
        with open(os.path.join(out, name), "w") as fh:
            json.dump(obj, fh, indent=1)
    print(json.dumps({k: manifest[k] for k in ("files", "secrets", "decoys", "families")}, indent=None))

def verify(out, truth, decoys, checks):
    cache = {}
    taken = {}
    for typ, full, ln, marker in checks:
        if full not in cache:
            with open(full) as fh:
                cache[full] = fh.read().split("\n")
        lines = cache[full]
        parts = marker.split("\n")
        for j, p in enumerate(parts):
            assert p in lines[ln - 1 + j], (full, ln + j, p[:60])
            key = (full, ln + j)
            assert key not in taken, f"two labelled items on {key}"
            taken[key] = typ
    secrets = [t["secret"] for t in truth]
    assert len(set(secrets)) == len(secrets), "duplicate planted secret"
    # no unlabelled line may look like a provider credential
    for dp, _, fs in os.walk(os.path.join(out, "trees")):
        for fn in fs:
            full = os.path.join(dp, fn)
            if full not in cache:
                with open(full) as fh:
                    cache[full] = fh.read().split("\n")
    for full, lines in cache.items():
        for i, l in enumerate(lines, 1):
            if (full, i) not in taken and LEAK_RE.search(l):
                raise AssertionError(f"unlabelled credential-looking line {full}:{i}: {l[:80]}")
    fams = {}
    for t in truth:
        fams[t["family"]] = fams.get(t["family"], 0) + 1
    assert set(fams) == set(FAMILIES), set(FAMILIES) - set(fams)


if __name__ == "__main__":
    main()
