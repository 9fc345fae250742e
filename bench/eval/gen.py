#!/usr/bin/env python3
"""Generate an evaluation corpus for secret scanners.

    python3 bench/eval/gen.py --out /tmp/eval-corpus --trees 12 --seed 1

Writes OUT/trees/<name>/... (realistic project trees: web backends, a frontend,
a Go service, a Spring service, infra files, docs, tests, lockfiles, assets),
OUT/truth.json (every planted secret: tree, path, line, end_line, family, kind,
secret), OUT/decoys.json (every look-alike line: tree, path, line, end_line,
kind) and OUT/manifest.json (counts).  Paths are relative to the tree root and
lines are 1-based; a multi-line secret (PEM block) spans line..end_line, and
first_line (when present) is where its assignment starts (`key: |` above it).

Every secret is random and made at run time.  This file holds no literal key in
a real provider format: prefixes are assembled by concatenation.  Python 3.11,
standard library only, deterministic for a given --seed.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import random
import shutil
import string
import struct
import sys
import zlib

DIG = string.digits
UP = string.ascii_uppercase
LO = string.ascii_lowercase
B62 = DIG + UP + LO  # order used by GitHub/npm checksum encoding
ALNUM = UP + LO + DIG
HEX = "0123456789abcdef"
B32 = UP + "234567"
B64 = UP + LO + DIG + "+/"
B64URL = UP + LO + DIG + "-_"
PW_SYMBOLS = "!@%^&*-_=+.?~"


def P(*parts: str) -> str:
    return "".join(parts)


# Provider prefixes, assembled at run time.
SK_LIVE = P("sk", "_li", "ve_")
SK_TEST = P("sk", "_te", "st_")
RK_LIVE = P("rk", "_li", "ve_")
PK_LIVE = P("pk", "_li", "ve_")
PK_TEST = P("pk", "_te", "st_")
WHSEC = P("wh", "sec_")
AKIA = P("AK", "IA")
ASIA = P("AS", "IA")
GH_PAT = P("git", "hub_pat_")
XOXB = P("xo", "xb-")
XOXP = P("xo", "xp-")
SLACK_HOOK = P("https://hooks.", "slack.com/services/")
AIZA = P("AI", "za")
GOCSPX = P("GOC", "SPX-")
OPENAI_PROJ = P("sk", "-pr", "oj-")
OPENAI_MARK = P("T3Bl", "bkFJ")
ANT = P("sk", "-ant-", "api03-")
SG = P("S", "G.")
HRKU = P("HR", "KU-")
SNTRYS = P("sntr", "ys_")
NPM = P("np", "m_")
DASH5 = "-" * 5
PW = "pass" + "word"  # code look-alikes are written with {PW} so this file trips no keyword rule
SL = "/" + "/"  # URL schemes are written "scheme:{SL}" so this file holds no credential-URL literal


def gh(letter: str) -> str:
    return P("g", "h", letter, "_")


def pem_begin(label: str) -> str:
    return P(DASH5, "BEGIN ", label, DASH5)


def pem_end(label: str) -> str:
    return P(DASH5, "END ", label, DASH5)


def b64e(b: bytes) -> str:
    return base64.b64encode(b).decode()


def b64u(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def camel(n: str) -> str:
    p = n.lower().split("_")
    return p[0] + "".join(x[:1].upper() + x[1:] for x in p[1:])


def pascal(n: str) -> str:
    c = camel(n)
    return c[:1].upper() + c[1:]


def wrap(s: str, w: int) -> list[str]:
    return [s[i:i + w] for i in range(0, len(s), w)]


class Rnd(random.Random):
    def s(self, alphabet: str, n: int) -> str:
        return "".join(self.choice(alphabet) for _ in range(n))

    def hexs(self, n: int) -> str:
        return self.s(HEX, n)

    def raw(self, n: int) -> bytes:
        return bytes(self.getrandbits(8) for _ in range(n))

    def chance(self, p: float) -> bool:
        return self.random() < p

    def uuid(self) -> str:
        h = self.hexs(32)
        h = h[:12] + "4" + h[13:16] + self.choice("89ab") + h[17:]
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def word(self) -> str:
        return self.choice(WORDS)

    def password(self, lo: int = 16, hi: int = 28) -> str:
        n = self.randint(lo, hi)
        while True:
            pw = self.s(ALNUM + PW_SYMBOLS + PW_SYMBOLS, n)
            if (any(c in UP for c in pw) and any(c in LO for c in pw)
                    and any(c in DIG for c in pw) and any(c in PW_SYMBOLS for c in pw)
                    and pw[0] not in "-=+.?~!@%^&*"):
                return pw


WORDS = ("invoice order ledger payout refund customer account session report export import "
         "billing catalog search profile upload webhook audit notify schedule inventory "
         "shipment tenant quota metric widget").split()
ORGS = ["acme", "globex", "initech", "umbrella", "hooli", "piedpiper", "vandelay", "stark",
        "wayne", "tyrell", "cyberdyne", "soylent", "wonka", "gringotts", "oceanic", "aperture"]
PRODUCTS = ["billing", "payments", "ledger", "checkout", "notify", "catalog", "identity",
            "reports", "shipping", "crm", "scheduler", "analytics", "inbox", "storefront"]
DICT_PASSWORDS = ["hunter2", "password", "password123", "secret", "letmein", "changeme",
                  "test", "testpass", "admin", "qwerty", "P@ssw0rd", "correct horse battery staple",
                  "supersecret", "iloveyou", "dragon", "monkey", "welcome1", "passw0rd"]


# --------------------------------------------------------------------------- secrets

class Sec:
    """One planted secret (plus optional neighbours written with it)."""

    def __init__(self, family, kind, value, names, pre=None, post=None, pem_label=None):
        self.family = family
        self.kind = kind
        self.value = value
        self.names = names
        self.pre = pre or []      # [(decoy kind, NAME, value)] written just before
        self.post = post or []    # [Sec] written just after (pairs: AWS id+secret, ...)
        self.pem_label = pem_label

    @property
    def multiline(self) -> bool:
        return "\n" in self.value


def der_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def der(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + der_len(len(body)) + body


def der_int(r: Rnd, nbytes: int) -> bytes:
    b = bytearray(r.raw(nbytes))
    b[0] |= 0x80
    return der(0x02, b"\x00" + bytes(b))


def ssh_str(b: bytes) -> bytes:
    return struct.pack(">I", len(b)) + b


class Gen:
    """Random secret values in each provider's documented shape."""

    FAMILIES = ["stripe", "aws", "jwt", "fernet", "private_key", "database", "github", "slack",
                "google", "openai", "anthropic", "twilio", "sendgrid", "heroku", "sentry", "npm",
                "generic"]

    def __init__(self, r: Rnd, meta: dict):
        self.r = r
        self.m = meta

    def make(self, fam: str) -> Sec:
        return getattr(self, "f_" + fam)()

    # ---- helpers
    def checksummed(self, prefix: str) -> str:
        body = self.r.s(B62, 30)
        n = zlib.crc32(body.encode()) & 0xFFFFFFFF
        enc = ""
        while n:
            n, m = divmod(n, 62)
            enc = B62[m] + enc
        return prefix + body + enc.rjust(6, "0")

    def ts(self) -> int:
        return self.r.randint(1_700_000_000, 1_760_000_000)

    # ---- families
    def f_stripe(self) -> Sec:
        r = self.r
        kind = r.choice(["sk_live", "sk_live", "sk_test", "rk_live", "whsec"])
        if kind == "whsec":
            return Sec("stripe", "stripe_webhook_secret", WHSEC + r.s(ALNUM, 32),
                       ["STRIPE_WEBHOOK_SECRET", "STRIPE_ENDPOINT_SECRET", "STRIPE_SIGNING_SECRET"])
        n = r.choice([24, 24, 99, r.randint(30, 99)])
        body = ("51" + r.s(ALNUM, n - 2)) if n >= 90 else r.s(ALNUM, n)
        prefix = {"sk_live": SK_LIVE, "sk_test": SK_TEST, "rk_live": RK_LIVE}[kind]
        names = (["STRIPE_RESTRICTED_KEY", "STRIPE_RK"] if kind == "rk_live"
                 else ["STRIPE_SECRET_KEY", "STRIPE_API_KEY", "STRIPE_KEY"])
        pre = []
        if r.chance(0.35):
            pk = (PK_LIVE if "live" in kind else PK_TEST) + ("51" + r.s(ALNUM, n - 2) if n >= 90 else r.s(ALNUM, n))
            pre = [("publishable_key", "STRIPE_PUBLISHABLE_KEY", pk)]
        return Sec("stripe", "stripe_" + kind, prefix + body, names, pre=pre)

    def aws_session_token(self) -> str:
        r = self.r
        head = r.choice([P("IQoJb3JpZ2lu", "X2Vj"), P("FwoGZXIvYXdz", "E")])
        return head + r.s(B64, r.randint(300, 640))

    def f_aws(self) -> Sec:
        r = self.r
        secret = r.s(ALNUM + "+/", 40)
        if r.chance(0.15):
            return Sec("aws", "aws_secret_access_key", secret, ["AWS_SECRET_ACCESS_KEY"])
        sts = r.chance(0.3)
        kid = (ASIA if sts else AKIA) + r.s(B32, 16)
        post = [Sec("aws", "aws_secret_access_key", secret, ["AWS_SECRET_ACCESS_KEY"])]
        if sts:
            post.append(Sec("aws", "aws_session_token", self.aws_session_token(), ["AWS_SESSION_TOKEN"]))
        return Sec("aws", "aws_access_key_id", kid, ["AWS_ACCESS_KEY_ID"], post=post)

    def jwt_value(self, alg: str | None = None) -> str:
        r = self.r
        alg = alg or r.choice(["HS256", "HS256", "RS256", "RS256", "HS512", "ES256"])
        header = {"alg": alg, "typ": "JWT"}
        if alg.startswith(("RS", "ES")) and r.chance(0.6):
            header["kid"] = r.hexs(16)
        iat = self.ts()
        payload = {"sub": r.choice([str(r.randint(10000, 999999)), r.uuid(), "svc-" + self.m["product"]])}
        if r.chance(0.5):
            payload["email"] = f"{r.choice(['ana', 'li', 'sam', 'ops', 'ci'])}@{self.m['domain']}"
        if r.chance(0.5):
            payload["role"] = r.choice(["admin", "service_role", "user", "deployer"])
        if r.chance(0.4):
            payload["iss"] = f"https://auth.{self.m['domain']}/"
        payload["iat"] = iat
        payload["exp"] = iat + r.choice([900, 3600, 86400, 31536000])
        sig_len = {"HS256": 32, "HS512": 64, "RS256": 256, "ES256": 64}[alg]
        sep = (",", ":")
        return ".".join([b64u(json.dumps(header, separators=sep).encode()),
                         b64u(json.dumps(payload, separators=sep).encode()),
                         b64u(r.raw(sig_len))])

    def f_jwt(self) -> Sec:
        return Sec("jwt", "jwt", self.jwt_value(),
                   ["API_TOKEN", "ACCESS_TOKEN", "SERVICE_TOKEN", "BEARER_TOKEN",
                    "SUPABASE_SERVICE_ROLE_KEY", "ID_TOKEN", "REFRESH_TOKEN", "ADMIN_JWT"])

    def fernet_token(self) -> str:
        r = self.r
        data = b"\x80" + struct.pack(">Q", self.ts()) + r.raw(16) + r.raw(16 * r.randint(2, 4)) + r.raw(32)
        return base64.urlsafe_b64encode(data).decode()

    def f_fernet(self) -> Sec:
        r = self.r
        if r.chance(0.6):
            return Sec("fernet", "fernet_key", base64.urlsafe_b64encode(r.raw(32)).decode(),
                       ["ENCRYPTION_KEY", "FERNET_KEY", "SECRET_KEY", "FIELD_ENCRYPTION_KEY",
                        "DATA_ENCRYPTION_KEY", "FERNET_SECRET_KEY"])
        return Sec("fernet", "fernet_token", self.fernet_token(),
                   ["ENCRYPTED_PAYLOAD", "ENCRYPTED_TOKEN", "CIPHERTEXT", "ENCRYPTED_SSN",
                    "SEALED_SESSION"])

    def pem(self, which: str | None = None) -> tuple[str, str]:
        r = self.r
        which = which or r.choice(["rsa", "rsa", "pkcs8", "pkcs8", "ec", "openssh", "openssh"])
        if which in ("rsa", "pkcs8"):
            bits = r.choice([2048, 2048, 2048, 3072])
            nb = bits // 8
            body = (der(0x02, b"\x00") + der_int(r, nb) + der(0x02, b"\x01\x00\x01") + der_int(r, nb)
                    + der_int(r, nb // 2) + der_int(r, nb // 2) + der_int(r, nb // 2)
                    + der_int(r, nb // 2) + der_int(r, nb // 2))
            pkcs1 = der(0x30, body)
            if which == "rsa":
                label, blob = "RSA PRIVATE KEY", pkcs1
            else:
                alg = der(0x30, bytes.fromhex("06092a864886f70d0101010500"))
                label = "PRIVATE KEY"
                blob = der(0x30, der(0x02, b"\x00") + alg + der(0x04, pkcs1))
            lines = wrap(b64e(blob), 64)
        elif which == "ec":
            label = "EC PRIVATE KEY"
            blob = der(0x30, der(0x02, b"\x01") + der(0x04, r.raw(32))
                       + bytes.fromhex(P("a00a0608", "2a8648ce", "3d030107"))
                       + der(0xA1, der(0x03, b"\x00\x04" + r.raw(64))))
            lines = wrap(b64e(blob), 64)
        else:
            label = "OPENSSH PRIVATE KEY"
            if r.chance(0.5):
                pub = ssh_str(b"ssh-ed25519") + ssh_str(r.raw(32))
                chk = r.raw(4)
                priv = (chk + chk + pub + ssh_str(r.raw(64)) + ssh_str(b"deploy@" + self.m["domain"].encode()))
            else:
                n = b"\x00" + r.raw(384)
                pub = ssh_str(b"ssh-rsa") + ssh_str(b"\x01\x00\x01") + ssh_str(n)
                chk = r.raw(4)
                priv = (chk + chk + ssh_str(b"ssh-rsa") + ssh_str(n) + ssh_str(b"\x01\x00\x01")
                        + ssh_str(b"\x00" + r.raw(384)) + ssh_str(r.raw(192)) + ssh_str(r.raw(193))
                        + ssh_str(r.raw(193)) + ssh_str(b"ci@" + self.m["domain"].encode()))
            pad = 8 - len(priv) % 8
            priv += bytes(range(1, pad + 1))
            blob = (b"openssh-key-v1\x00" + ssh_str(b"none") + ssh_str(b"none") + ssh_str(b"")
                    + struct.pack(">I", 1) + ssh_str(pub) + ssh_str(priv))
            lines = wrap(b64e(blob), 70)
        return label, "\n".join([pem_begin(label)] + lines + [pem_end(label)])

    def f_private_key(self) -> Sec:
        label, pem = self.pem()
        return Sec("private_key", "private_key_" + label.split()[0].lower(), pem + "\n",
                   ["PRIVATE_KEY", "JWT_PRIVATE_KEY", "SSH_PRIVATE_KEY", "TLS_KEY",
                    "GITHUB_APP_PRIVATE_KEY", "SAML_PRIVATE_KEY", "SIGNING_KEY"], pem_label=label)

    def f_database(self) -> Sec:
        r = self.r
        pw = r.s(ALNUM, r.randint(16, 32)) if r.chance(0.7) else r.s(ALNUM + "-_~", r.randint(18, 30))
        while not (any(c in DIG for c in pw) and any(c in UP for c in pw)):
            pw = r.s(ALNUM, 20)
        user = r.choice([self.m["app"], "app", "svc_" + self.m["product"], "admin", "deploy"])
        db = self.m["app"]
        region = r.choice(["us-east-1", "eu-west-1", "eu-central-1", "us-west-2"])
        scheme = r.choice(["postgres", "postgresql", "mysql", "mongodb+srv", "redis", "rediss", "amqp", "amqps"])
        if scheme.startswith("postgres"):
            host = r.choice([f"{self.m['product']}-prod.cluster-{r.s(LO + DIG, 12)}.{region}.rds.amazonaws.com",
                             f"db.{self.m['domain']}", f"pg-{r.s(LO + DIG, 6)}.internal"])
            url = f"{scheme}://{user}:{pw}@{host}:5432/{db}" + r.choice(["", "?sslmode=require"])
            names = ["DATABASE_URL", "SQLALCHEMY_DATABASE_URI", "POSTGRES_URL", "DB_URL"]
        elif scheme == "mysql":
            url = f"mysql:{SL}{user}:{pw}@mysql.{self.m['domain']}:3306/{db}"
            names = ["DATABASE_URL", "MYSQL_URL", "DB_DSN"]
        elif scheme.startswith("mongodb"):
            url = (f"mongodb+srv:{SL}{user}:{pw}@cluster0.{r.s(LO + DIG, 5)}.mongodb.net/{db}"
                   "?retryWrites=true&w=majority")
            names = ["MONGO_URI", "MONGODB_URL", "DATABASE_URL"]
        elif scheme.startswith("redis"):
            host = r.choice([f"redis-{r.randint(10000, 19999)}.c{r.randint(1, 300)}.{region}-2.ec2.cloud.redislabs.com",
                             f"cache.{self.m['domain']}"])
            url = f"{scheme}://{r.choice(['', 'default'])}:{pw}@{host}:6379/{r.randint(0, 3)}"
            names = ["REDIS_URL", "CACHE_URL", "CELERY_RESULT_BACKEND"]
        else:
            url = f"{scheme}://{user}:{pw}@b-{r.uuid()}.mq.{region}.amazonaws.com:5671/{db}"
            names = ["AMQP_URL", "CELERY_BROKER_URL", "RABBITMQ_URL"]
        return Sec("database", "database_url_" + scheme.replace("+srv", ""), url, names)

    def f_github(self) -> Sec:
        r = self.r
        if r.chance(0.25):
            v = GH_PAT + r.s(ALNUM, 22) + "_" + r.s(ALNUM, 59)
            kind = "github_fine_grained_pat"
        else:
            letter = r.choice("pppousr")
            v = self.checksummed(gh(letter))
            kind = "github_gh" + letter
        return Sec("github", kind, v, ["GITHUB_TOKEN", "GH_TOKEN", "GITHUB_PAT", "GH_DEPLOY_TOKEN",
                                       "RELEASE_TOKEN", "GITHUB_ACCESS_TOKEN"])

    def f_slack(self) -> Sec:
        r = self.r
        k = r.choice(["bot", "user", "webhook", "webhook"])
        if k == "bot":
            v = XOXB + f"{r.randint(10**9, 10**12)}-{r.randint(10**9, 10**12)}-" + r.s(ALNUM, 24)
            return Sec("slack", "slack_bot_token", v, ["SLACK_BOT_TOKEN", "SLACK_TOKEN", "SLACK_API_TOKEN"])
        if k == "user":
            v = XOXP + f"{r.randint(10**9, 10**12)}-{r.randint(10**9, 10**12)}-{r.randint(10**9, 10**12)}-" + r.hexs(32)
            return Sec("slack", "slack_user_token", v, ["SLACK_USER_TOKEN", "SLACK_TOKEN"])
        v = SLACK_HOOK + "T" + r.s(UP + DIG, r.randint(8, 10)) + "/B" + r.s(UP + DIG, r.randint(8, 10)) + "/" + r.s(ALNUM, 24)
        return Sec("slack", "slack_webhook", v, ["SLACK_WEBHOOK_URL", "ALERTS_WEBHOOK_URL", "SLACK_HOOK"])

    def google_client_id(self) -> str:
        return f"{self.r.randint(10**11, 10**12 - 1)}-{self.r.s(LO + DIG, 32)}.apps.googleusercontent.com"

    def f_google(self) -> Sec:
        r = self.r
        if r.chance(0.6):
            return Sec("google", "google_api_key", AIZA + r.s(ALNUM + "-_", 35),
                       ["GOOGLE_API_KEY", "MAPS_API_KEY", "FIREBASE_API_KEY", "YOUTUBE_API_KEY", "GEMINI_API_KEY"])
        return Sec("google", "google_oauth_client_secret", GOCSPX + r.s(ALNUM + "-_", 28),
                   ["GOOGLE_CLIENT_SECRET", "GOOGLE_OAUTH_CLIENT_SECRET"],
                   pre=[("provider_public_id", "GOOGLE_CLIENT_ID", self.google_client_id())])

    def f_openai(self) -> Sec:
        r = self.r
        if r.chance(0.3):
            v = "sk-" + r.s(ALNUM, 20) + OPENAI_MARK + r.s(ALNUM, 20)
            kind = "openai_legacy"
        elif r.chance(0.75):
            v = OPENAI_PROJ + r.s(ALNUM + "-_", r.randint(56, 74)) + OPENAI_MARK + r.s(ALNUM + "-_", r.randint(56, 74))
            kind = "openai_project"
        else:
            v = OPENAI_PROJ + r.s(ALNUM + "-_", r.randint(120, 156))
            kind = "openai_project"
        return Sec("openai", kind, v, ["OPENAI_API_KEY", "OPENAI_KEY", "LLM_API_KEY"])

    def f_anthropic(self) -> Sec:
        return Sec("anthropic", "anthropic_api_key", ANT + self.r.s(ALNUM + "-_", 93) + "AA",
                   ["ANTHROPIC_API_KEY", "CLAUDE_API_KEY"])

    def f_twilio(self) -> Sec:
        r = self.r
        if r.chance(0.5):
            return Sec("twilio", "twilio_auth_token", r.hexs(32), ["TWILIO_AUTH_TOKEN"],
                       pre=[("provider_public_id", "TWILIO_ACCOUNT_SID", "AC" + r.hexs(32))])
        # An API key's SID (`SK` + 32 hex) is its public identifier, like an Account SID: it is
        # written with the secret as a look-alike, and only the secret is planted.
        sid = r.choice(["TWILIO_API_KEY", "TWILIO_API_KEY_SID"]), "SK" + r.hexs(32)
        return Sec("twilio", "twilio_api_key_secret", r.s(ALNUM, 32), ["TWILIO_API_SECRET"],
                   pre=[("provider_public_id", sid[0], sid[1])])

    def f_sendgrid(self) -> Sec:
        r = self.r
        return Sec("sendgrid", "sendgrid_api_key", SG + r.s(ALNUM + "-_", 22) + "." + r.s(ALNUM + "-_", 43),
                   ["SENDGRID_API_KEY", "SENDGRID_KEY", "EMAIL_API_KEY"])

    def f_heroku(self) -> Sec:
        r = self.r
        if r.chance(0.5):
            return Sec("heroku", "heroku_api_key_uuid", r.uuid(), ["HEROKU_API_KEY", "HEROKU_AUTH_TOKEN"])
        return Sec("heroku", "heroku_api_key_v2", HRKU + "AA" + r.s(ALNUM + "-_", 58),
                   ["HEROKU_API_KEY", "HEROKU_AUTH_TOKEN", "HEROKU_TOKEN"])

    def f_sentry(self) -> Sec:
        r = self.r
        if r.chance(0.5):
            host = r.choice(["sentry.io", f"o{r.randint(10000, 999999)}.ingest.sentry.io", f"sentry.{self.m['domain']}"])
            v = f"https://{r.hexs(32)}:{r.hexs(32)}@{host}/{r.randint(100, 9999999)}"
            return Sec("sentry", "sentry_dsn_with_secret", v, ["SENTRY_DSN", "RAVEN_DSN"])
        claims = {"iat": self.ts() + round(r.random(), 6), "url": "https://sentry.io",
                  "region_url": r.choice(["https://us.sentry.io", "https://de.sentry.io"]), "org": self.m["org"]}
        v = SNTRYS + b64e(json.dumps(claims, separators=(",", ":")).encode()) + "_" + b64e(r.raw(32)).rstrip("=")
        return Sec("sentry", "sentry_org_token", v, ["SENTRY_AUTH_TOKEN", "SENTRY_TOKEN"])

    def f_npm(self) -> Sec:
        return Sec("npm", "npm_access_token", self.checksummed(NPM), ["NPM_TOKEN", "NODE_AUTH_TOKEN", "NPM_AUTH_TOKEN"])

    GENERIC_NAMES = ["SECRET_KEY", "JWT_SECRET_KEY", "JWT_SECRET", "API_KEY", "CLIENT_SECRET", "AUTH_TOKEN",
                     "APP_SECRET", "SESSION_SECRET", "COOKIE_SECRET", "NEXTAUTH_SECRET", "WEBHOOK_SECRET",
                     "SIGNING_SECRET", "PRIVATE_API_KEY", "MAILGUN_API_KEY", "DATADOG_API_KEY",
                     "ALGOLIA_ADMIN_KEY", "OAUTH_CLIENT_SECRET", "KEYCLOAK_CLIENT_SECRET",
                     "SECRET_KEY_BASE", "INTERNAL_API_TOKEN", "ACCESS_TOKEN"]
    GENERIC_PW_NAMES = ["DB_PASSWORD", "DATABASE_PASSWORD", "POSTGRES_PASSWORD", "MYSQL_ROOT_PASSWORD",
                        "REDIS_PASSWORD", "SMTP_PASSWORD", "EMAIL_HOST_PASSWORD", "ADMIN_PASSWORD",
                        "RABBITMQ_DEFAULT_PASS", "LDAP_BIND_PASSWORD", "KEYSTORE_PASSWORD", "PASSWORD"]

    def generic_value(self) -> tuple[str, str]:
        r = self.r
        k = r.choice(["django", "hex32", "hex64", "urlsafe", "b64", "alnum", "password", "password"])
        if k == "django":
            v = r.s(LO + DIG + "!@^&*(-_=+)", 50)
        elif k == "hex32":
            v = r.hexs(32)
        elif k == "hex64":
            v = r.hexs(64)
        elif k == "urlsafe":
            v = b64u(r.raw(32))
        elif k == "b64":
            v = b64e(r.raw(r.choice([24, 32, 48])))
        elif k == "alnum":
            v = r.s(ALNUM, r.randint(20, 40))
        else:
            v = r.password()
        return k, v

    def f_generic(self, names: list[str] | None = None) -> Sec:
        k, v = self.generic_value()
        if names is None:
            names = self.GENERIC_PW_NAMES if k == "password" else self.GENERIC_NAMES
        return Sec("generic", "generic_" + k, v, names)


# --------------------------------------------------------------------------- styles

def bare_ok(v: str) -> bool:
    return all(c in ALNUM + "_./:@+=,-" for c in v)


def key_for(r: Rnd, style: str, n: str) -> str:
    if style in ("yaml", "json", "compose_map_lower"):
        return r.choice([n.lower(), camel(n)])
    if style in ("toml", "ini", "tf", "py_kw"):
        return n.lower()
    if style in ("go", "js_obj", "xml"):
        return camel(n)
    if style == "go_struct":
        return pascal(n)
    if style == "properties":
        return r.choice([n.lower().replace("_", "."), n.lower().replace("_", ".", 1).replace("_", "-")])
    return n


def fmt1(r: Rnd, style: str, n: str, v: str, ind: str = "") -> str:
    """One assignment of a single-line value in a file style."""
    k = key_for(r, style, n)
    q = '"'
    if style == "env":
        return f"{k}={v}" if bare_ok(v) and r.chance(0.6) else f'{k}="{v}"'
    if style == "shell":
        return r.choice([f"export {k}='{v}'", f"export {k}='{v}'", f"{k}='{v}'"]) if not bare_ok(v) \
            else r.choice([f"export {k}={v}", f'export {k}="{v}"', f"{k}={v}"])
    if style in ("yaml", "compose_map"):
        return f"{ind}{k}: {v}" if bare_ok(v) and ":" not in v and r.chance(0.4) else f'{ind}{k}: "{v}"'
    if style == "compose_list":
        return f"{ind}- {k}={v}"
    if style == "json":
        return f'{ind}"{k}": "{v}"'
    if style == "toml":
        return f'{ind}{k} = "{v}"'
    if style == "ini":
        return f"{ind}{k} = {v}"
    if style == "py":
        q = r.choice(['"', "'"])
        return f"{ind}{k} = {q}{v}{q}"
    if style == "py_kw":
        return f'{ind}{k}="{v}",'
    if style == "js":
        return r.choice([f'{ind}const {k} = "{v}";', f"{ind}export const {k} = '{v}';"])
    if style == "ts":
        return f'{ind}export const {k}: string = "{v}";'
    if style == "js_obj":
        return f'{ind}{k}: "{v}",'
    if style == "go":
        return f'{ind}{k} = "{v}"'
    if style == "go_struct":
        return f'{ind}{k}: "{v}",'
    if style == "java":
        return f'{ind}private static final String {k} = "{v}";'
    if style == "properties":
        return f"{k}={v}"
    if style == "tf":
        return f'{ind}{k} = "{v}"'
    if style == "dockerfile":
        if bare_ok(v):
            return r.choice([f"ENV {k}={v}", f"ENV {k} {v}", f"ARG {k}={v}"])
        return r.choice([f'ENV {k}="{v}"', f'ARG {k}="{v}"'])
    if style == "xml":
        return f"{ind}<{k}>{v}</{k}>"
    raise ValueError(style)


def fmt_pem(r: Rnd, style: str, n: str, pem: str, ind: str = "") -> str | None:
    """Assignment of a multi-line PEM value; None when the style cannot hold one."""
    k = key_for(r, style, n)
    esc = pem.replace("\n", "\\n")
    body = pem.rstrip("\n")
    if style == "env":
        return f'{k}="{esc}"'
    if style == "properties":
        return f"{k}={esc}"
    if style == "json":
        return f'{ind}"{k}": "{esc}"'
    if style == "py":
        if r.chance(0.5):
            return f'{ind}{k} = """{body}\n"""'
        return f'{ind}{k} = "{esc}"'
    if style == "py_kw":
        return f'{ind}{k}="{esc}",'
    if style in ("js", "ts"):
        return f"{ind}export const {k} = `{body}\n`;"
    if style == "js_obj":
        return f'{ind}{k}: "{esc}",'
    if style == "go":
        return f"{ind}{k} = `{body}\n`"
    if style == "go_struct":
        return f"{ind}{k}: `{body}\n`,"
    if style == "java":
        if r.chance(0.5):
            inner = "\n".join(ind + "        " + x for x in body.split("\n"))
            return f'{ind}private static final String {k} = """\n{inner}\n{ind}        """;'
        return f'{ind}private static final String {k} = "{esc}";'
    if style in ("yaml", "compose_map"):
        inner = "\n".join(ind + "  " + x for x in body.split("\n"))
        return f"{ind}{k}: |\n{inner}"
    if style == "toml":
        return f'{ind}{k} = """\n{body}\n"""'
    if style == "tf":
        return f"{ind}{k} = <<-EOT\n" + "\n".join(ind + "  " + x for x in body.split("\n")) + f"\n{ind}EOT"
    if style == "shell":
        return f'export {k}="{body}"'
    if style == "xml":
        return f"{ind}<{k}>{body}</{k}>"
    return None


def tvar(r: Rnd, style: str, n: str) -> str:
    """A template / variable reference in a style (look-alike: not a secret)."""
    low = n.lower()
    if style == "env":
        return r.choice(["${" + n + "}", "$" + n, "${" + n + ":-}"])
    if style == "shell":
        return r.choice(['"${' + n + '}"', '"$' + n + '"', '"${' + n + ':?missing ' + n + '}"'])
    if style in ("compose_map", "compose_list"):
        return r.choice(["${" + n + "}", "${" + n + ":-}", "${" + n + ":?err}"])
    if style == "yaml":
        return r.choice(['"{{ .Values.secrets.' + camel(n) + ' }}"', '"${' + n + '}"',
                         '"{{ env \\"' + n + '\\" }}"', '"${{ secrets.' + n + ' }}"', "'%(" + low + ")s'"])
    if style == "json":
        return r.choice(['"${' + n + '}"', '"{{' + n + '}}"', '"#{' + n + '}#"', '"$' + n + '"'])
    if style == "tf":
        return r.choice(["var." + low, '"${var.' + low + '}"', "data.aws_ssm_parameter." + low + ".value"])
    if style == "dockerfile":
        return r.choice(["${" + n + "}", "$" + n])
    if style in ("properties",):
        return r.choice(["${" + n + "}", "${" + n + ":}"])
    if style == "toml":
        return '"${' + n + '}"'
    if style == "ini":
        return r.choice(["%(" + low + ")s", "${" + n + "}"])
    if style == "xml":
        return "${env." + n + "}"
    return '"${' + n + '}"'


def env_lookup(r: Rnd, style: str, n: str, ind: str = "") -> str:
    if style in ("py", "py_kw"):
        e = r.choice([f'os.getenv("{n}")', f'os.environ["{n}"]', f'os.environ.get("{n}", "")',
                       f'env("{n}")', f'config("{n}")'])
        return f"{ind}{n.lower()}={e}," if style == "py_kw" else f"{ind}{n} = {e}"
    if style in ("js", "ts"):
        e = r.choice([f"process.env.{n}", f'process.env["{n}"]', f'process.env.{n} ?? ""', f"import.meta.env.VITE_{n}"])
        return f"{ind}export const {n} = {e};"
    if style == "js_obj":
        return f"{ind}{camel(n)}: process.env.{n},"
    if style == "go":
        return f'{ind}{camel(n)} := os.Getenv("{n}")'
    if style == "go_struct":
        return f'{ind}{pascal(n)}: os.Getenv("{n}"),'
    if style == "java":
        return f'{ind}private final String {camel(n)} = System.getenv("{n}");'
    raise ValueError(style)


CODE_STYLES = {"py", "py_kw", "js", "ts", "js_obj", "go", "go_struct", "java"}


# --------------------------------------------------------------------------- files

class FB:
    """A file being written; knows the line of everything planted in it."""

    def __init__(self, tree: "Tree", path: str):
        self.t = tree
        self.path = path
        self.lines: list[str] = []

    @property
    def n(self) -> int:
        return len(self.lines) + 1

    def add(self, text: str = "") -> None:
        self.lines.extend(text.split("\n"))

    def block(self, text: str) -> None:
        """Add a dedented multi-line block (first newline dropped)."""
        lines = text.split("\n")
        if lines and lines[0] == "":
            lines = lines[1:]
        if lines and lines[-1].strip() == "":
            lines = lines[:-1]
        ws = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
        self.lines.extend(x[ws:] for x in lines)

    def _span(self, text: str, start: str, end: str | None) -> tuple[int, int]:
        i = text.find(start)
        assert i >= 0, (self.path, start[:40], text[:80])
        first = self.n + text[:i].count("\n")
        if end is None:
            last = first + start.count("\n")
        else:
            j = text.find(end, i)
            assert j >= 0, (self.path, end)
            last = self.n + text[:j].count("\n")
        return first, last

    def plant(self, text: str, sec: Sec, marker: str | None = None, encoded: str | None = None) -> None:
        if sec.pem_label and marker is None:
            s, e = self._span(text, pem_begin(sec.pem_label), pem_end(sec.pem_label))
        else:
            s, e = self._span(text, marker or sec.value, None)
        rec = {"tree": self.t.name, "path": self.path, "line": s, "end_line": e, "family": sec.family,
               "kind": sec.kind, "secret": sec.value}
        if s != self.n:
            rec["first_line"] = self.n  # the assignment starts above the secret (YAML `key: |`, Java text block)
        if encoded:
            rec["encoded"] = encoded
        self.t.truth.append(rec)
        self.add(text)

    def decoy(self, text: str, kind: str, marker: str | None = None) -> None:
        if marker:
            s, e = self._span(text, marker, None)
        else:
            s, e = self.n, self.n + text.count("\n")
        self.t.decoys.append({"tree": self.t.name, "path": self.path, "line": s, "end_line": e, "kind": kind})
        self.add(text)

    def emit(self, item) -> None:
        text, meta = item
        if meta is None:
            self.add(text)
        elif meta[0] == "sec":
            self.plant(text, meta[1], *meta[2:])
        else:
            self.decoy(text, meta[1])

    def items(self, items, sep: str = "") -> None:
        for i, (text, meta) in enumerate(items):
            if sep and i < len(items) - 1:
                text += sep
            self.emit((text, meta))

    def content(self) -> str:
        return "\n".join(self.lines) + "\n"


class Tree:
    def __init__(self, name: str, r: Rnd, stack: str, meta: dict):
        self.name = name
        self.r = r
        self.stack = stack
        self.m = meta
        self.g = Gen(r, meta)
        self.files: dict[str, FB] = {}
        self.raw_files: dict[str, bytes] = {}
        self.truth: list[dict] = []
        self.decoys: list[dict] = []
        fams = [f for f in Gen.FAMILIES if f != "generic"]
        deck = fams * 2 + ["generic"] * 9 + [r.choice(fams) for _ in range(r.randint(2, 6))]
        r.shuffle(deck)
        self.deck = deck

    def file(self, path: str) -> FB:
        assert path not in self.files, path
        fb = FB(self, path)
        self.files[path] = fb
        return fb

    # ---- planting
    def take(self, style: str) -> Sec | None:
        for i, fam in enumerate(self.deck):
            if fam == "private_key" and fmt_pem(Rnd(0), style, "K", "a\nb") is None:
                continue
            del self.deck[i]
            return self.g.make(fam)
        return None

    def take_fam(self, fam: str) -> Sec:
        if fam in self.deck:
            self.deck.remove(fam)
        return self.g.make(fam)

    def sec_items(self, style: str, sec: Sec, ind: str = "", name: str | None = None) -> list:
        r = self.r
        out = []
        for (dk, dn, dv) in sec.pre:
            out.append((fmt1(r, style, dn, dv, ind), ("dec", dk)))
        n = name or r.choice(sec.names)
        if sec.multiline:
            text = fmt_pem(r, style, n, sec.value, ind)
            assert text is not None, style
        else:
            text = fmt1(r, style, n, sec.value, ind)
        out.append((text, ("sec", sec)))
        for p in sec.post:
            out.extend(self.sec_items(style, p, ind))
        return out

    def dec_item(self, style: str, kind: str | None = None, ind: str = ""):
        text, kind = Decoys(self).make(style, kind, ind)
        return (text, ("dec", kind))

    def mix(self, style: str, n_sec: int, n_dec: int, ind: str = "", kinds=None) -> list:
        """A shuffled run of secrets taken from the deck and look-alikes."""
        groups = []
        for _ in range(n_sec):
            s = self.take(style)
            if s is not None:
                groups.append(self.sec_items(style, s, ind))
        for _ in range(n_dec):
            groups.append([self.dec_item(style, self.r.choice(kinds) if kinds else None, ind)])
        self.r.shuffle(groups)
        return [it for g in groups for it in g]


# --------------------------------------------------------------------------- look-alikes

SECRETISH = ["SECRET_KEY", "API_KEY", "STRIPE_SECRET_KEY", "AWS_SECRET_ACCESS_KEY", "DB_PASSWORD",
             "JWT_SECRET", "CLIENT_SECRET", "GITHUB_TOKEN", "SLACK_BOT_TOKEN", "OPENAI_API_KEY",
             "SENDGRID_API_KEY", "TWILIO_AUTH_TOKEN", "ENCRYPTION_KEY", "AUTH_TOKEN", "SMTP_PASSWORD",
             "ANTHROPIC_API_KEY", "HEROKU_API_KEY", "NPM_TOKEN", "REDIS_PASSWORD", "SENTRY_AUTH_TOKEN"]


class Decoys:
    ASSIGN_KINDS = ["placeholder", "placeholder_prefixed", "masked", "template_var", "aws_example",
                    "publishable_key", "uuid", "git_sha", "hash_digest", "docker_digest",
                    "placeholder_db_url", "jwt_doc_example", "provider_public_id", "random_id",
                    "secret_name_nonsecret_value", "secret_reference", "encrypted_value", "password_hash"]
    CODE_KINDS = ["env_lookup", "env_lookup", "env_lookup", "keygen_code", "password_code"]

    def __init__(self, t: Tree):
        self.t = t
        self.r = t.r
        self.m = t.m

    def make(self, style: str, kind: str | None, ind: str) -> tuple[str, str]:
        r = self.r
        if kind is None:
            pool = list(self.ASSIGN_KINDS)
            if style in CODE_STYLES:
                pool += self.CODE_KINDS * 2
            kind = r.choice(pool)
        if kind == "env_lookup" and style not in CODE_STYLES:
            kind = "template_var"
        if kind in ("keygen_code", "password_code") and style not in CODE_STYLES:
            kind = "placeholder"
        if kind == "env_lookup":
            return env_lookup(r, style, r.choice(SECRETISH), ind), kind
        if kind == "keygen_code":
            return self.keygen(style, ind), kind
        if kind == "password_code":
            return self.password_code(style, ind), kind
        if kind == "template_var":
            n = r.choice(SECRETISH)
            v = tvar(r, style, n)
            if style in CODE_STYLES:
                return env_lookup(r, style, n, ind), "env_lookup"
            if style == "tf":
                return f"{ind}{n.lower()} = {v}", kind
            if style == "json":
                return f'{ind}"{camel(n)}": {v}', kind
            if style in ("yaml", "compose_map"):
                return f"{ind}{key_for(r, style, n)}: {v}", kind
            if style == "toml":
                return f"{ind}{n.lower()} = {v}", kind
            if style == "shell":
                return f"export {n}={v}", kind
            return fmt1(r, style, n, v, ind), kind
        n, v = getattr(self, "v_" + kind)()
        return fmt1(r, style, n, v, ind), kind

    # values for assignment-style look-alikes
    def v_placeholder(self):
        r = self.r
        n = r.choice(SECRETISH)
        v = r.choice(["changeme", "change-me", "CHANGEME", "your-secret-key-here", "<your-key>",
                      "<" + n.lower().replace("_", "-") + ">", "REPLACE_ME", "xxxxxxxxxxxxxxxx", "****",
                      "TODO", "dummy", "example", "your_api_key", "insert-key-here", "<secret>",
                      "YOUR_" + n, "not-a-real-secret", "placeholder", "none", "test", "secret"])
        return n, v

    def v_placeholder_prefixed(self):
        r = self.r
        return r.choice([
            ("STRIPE_SECRET_KEY", SK_LIVE + "..."), ("STRIPE_SECRET_KEY", SK_TEST + "x" * 24),
            ("STRIPE_SECRET_KEY", SK_TEST + "YOUR_KEY_HERE"), ("STRIPE_WEBHOOK_SECRET", WHSEC + "..."),
            ("AWS_ACCESS_KEY_ID", AKIA + "X" * 16), ("GITHUB_TOKEN", gh("p") + "x" * 36),
            ("GITHUB_TOKEN", gh("p") + "<your-token>"), ("SLACK_BOT_TOKEN", XOXB + "your-bot-token"),
            ("SLACK_WEBHOOK_URL", SLACK_HOOK + "T00000000/B00000000/" + "X" * 24),
            ("OPENAI_API_KEY", OPENAI_PROJ + "..."), ("OPENAI_API_KEY", "sk-..."),
            ("ANTHROPIC_API_KEY", ANT + "..."), ("SENDGRID_API_KEY", SG + "xxxxxxxx.yyyyyyyy"),
            ("GOOGLE_API_KEY", AIZA + "..."), ("NPM_TOKEN", NPM + "x" * 36),
            ("HEROKU_API_KEY", HRKU + "<token>"), ("SENTRY_DSN", "https://<key>@<org>.ingest.sentry.io/<project>"),
            ("GOOGLE_CLIENT_SECRET", GOCSPX + "<secret>"), ("SENTRY_AUTH_TOKEN", SNTRYS + "..."),
        ])

    def v_masked(self):
        r = self.r
        return r.choice([
            ("STRIPE_SECRET_KEY", SK_LIVE + "*" * 20 + r.s(DIG, 4)), ("AWS_ACCESS_KEY_ID", AKIA + "*" * 12 + r.s(UP, 4)),
            ("DB_PASSWORD", "********"), ("API_KEY", "[REDACTED]"), ("GITHUB_TOKEN", gh("p") + "*" * 36),
            ("AUTH_TOKEN", "•" * 16), ("SECRET_KEY", "<redacted>"), ("SMTP_PASSWORD", "*" * 12),
        ])

    def v_aws_example(self):
        return self.r.choice([
            ("AWS_ACCESS_KEY_ID", P(AKIA, "IOSFODNN7", "EXAMPLE")),
            ("AWS_SECRET_ACCESS_KEY", P("wJalrXUtnFEMI/K7MDENG/", "bPxRfiCY", "EXAMPLEKEY")),
            ("AWS_ACCESS_KEY_ID", P(AKIA, "I44QH8DHB", "EXAMPLE")),
            ("AWS_SECRET_ACCESS_KEY", P("je7MtGbClwBF/2Zp9Utk/", "h3yCo8nvb", "EXAMPLEKEY")),
        ])

    def v_publishable_key(self):
        r = self.r
        p = r.choice([PK_LIVE, PK_TEST])
        n = r.choice([24, 99])
        body = ("51" + r.s(ALNUM, n - 2)) if n > 90 else r.s(ALNUM, n)
        return r.choice(["STRIPE_PUBLISHABLE_KEY", "NEXT_PUBLIC_STRIPE_KEY", "STRIPE_PK"]), p + body

    def v_uuid(self):
        r = self.r
        return r.choice(["TENANT_ID", "WORKSPACE_ID", "PROJECT_ID", "APP_ID", "DEFAULT_ORG_ID",
                         "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "INSTALLATION_ID", "SEGMENT_SOURCE_ID"]), r.uuid()

    def v_git_sha(self):
        r = self.r
        return r.choice(["GIT_COMMIT", "BUILD_SHA", "REVISION", "SOURCE_VERSION", "GIT_SHA", "BASE_REF"]), r.hexs(40)

    def v_hash_digest(self):
        r = self.r
        return r.choice([("CHECKSUM", r.hexs(64)), ("SHA256", r.hexs(64)), ("FILE_HASH", r.hexs(40)),
                         ("ETAG", r.hexs(32)), ("CONTENT_MD5", r.hexs(32)), ("ASSET_HASH", r.hexs(20)),
                         ("SHA512", r.hexs(128)), ("ARTIFACT_DIGEST", "sha256:" + r.hexs(64))])

    def v_docker_digest(self):
        r = self.r
        img = r.choice(["nginx", "python", "node", "postgres", "redis", "golang", "eclipse-temurin", "gcr.io/distroless/base"])
        return r.choice(["IMAGE", "BASE_IMAGE", "SIDECAR_IMAGE"]), f"{img}@sha256:{r.hexs(64)}"

    def v_placeholder_db_url(self):
        r = self.r
        app = self.m["app"]
        return r.choice(["DATABASE_URL", "TEST_DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "MONGO_URI"]), r.choice([
            f"postgres:{SL}user:password@localhost:5432/{app}", f"postgres:{SL}postgres:postgres@localhost:5432/postgres",
            f"postgresql:{SL}{app}:{app}@db:5432/{app}_test", f"mysql:{SL}root:root@127.0.0.1:3306/test",
            f"amqp:{SL}guest:guest@localhost:5672//", f"redis:{SL}localhost:6379/0", f"mongodb:{SL}localhost:27017/{app}",
            f"postgres:{SL}USER:PASSWORD@HOST:5432/{app}", f"postgres:{SL}{app}:<password>@db.example.com/{app}",
            f"redis:{SL}:changeme@redis:6379/0", f"postgresql:{SL}dev:dev@localhost/{app}_dev",
        ])

    def jwt_doc(self) -> str:
        sep = (",", ":")
        if self.r.chance(0.6):
            payload, key = {"sub": "1234567890", "name": "John Doe", "iat": 1516239022}, b"your-256-bit-secret"
        else:
            payload = {"sub": "1234567890", "name": "John Doe", "admin": True, "iat": 1516239022}
            key = b"a-string-secret-at-least-256-bits-long"
        head = b64u(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=sep).encode())
        body = b64u(json.dumps(payload, separators=sep).encode())
        sig = b64u(hmac.new(key, f"{head}.{body}".encode(), hashlib.sha256).digest())
        return f"{head}.{body}.{sig}"

    def v_jwt_doc_example(self):
        return self.r.choice(["EXAMPLE_TOKEN", "SAMPLE_JWT", "DOCS_TOKEN"]), self.jwt_doc()

    def v_provider_public_id(self):
        r = self.r
        return r.choice([
            ("TWILIO_ACCOUNT_SID", "AC" + r.hexs(32)), ("GOOGLE_CLIENT_ID", self.t.g.google_client_id()),
            ("SENTRY_DSN", f"https://{r.hexs(32)}@o{r.randint(10000, 999999)}.ingest.sentry.io/{r.randint(1000, 9999999)}"),
            ("STRIPE_PRICE_ID", "price_" + r.s(ALNUM, 24)), ("STRIPE_ACCOUNT_ID", "acct_" + r.s(ALNUM, 16)),
            ("STRIPE_PRODUCT_ID", "prod_" + r.s(ALNUM, 14)), ("SLACK_CHANNEL_ID", "C0" + r.s(UP + DIG, 9)),
            ("GA_MEASUREMENT_ID", "G-" + r.s(UP + DIG, 10)), ("AWS_ACCOUNT_ID", str(r.randint(10**11, 10**12 - 1))),
            ("AWS_ROLE_ARN", f"arn:aws:iam::{r.randint(10**11, 10**12 - 1)}:role/{self.m['app']}-deploy"),
            ("KMS_KEY_ID", f"arn:aws:kms:us-east-1:{r.randint(10**11, 10**12 - 1)}:key/{r.uuid()}"),
            ("AMI_ID", "ami-" + r.hexs(17)), ("RECAPTCHA_SITE_KEY", "6L" + r.s(ALNUM + "-_", 38)),
            ("FIREBASE_APP_ID", f"1:{r.randint(10**11, 10**12 - 1)}:web:{r.hexs(22)}"),
            ("GITHUB_CLIENT_ID", "Iv1." + r.hexs(16)), ("STRIPE_CUSTOMER_ID", "cus_" + r.s(ALNUM, 14)),
            ("SLACK_APP_ID", "A0" + r.s(UP + DIG, 9)), ("MAPBOX_STYLE", f"mapbox://styles/{self.m['org']}/{r.s(LO + DIG, 25)}"),
        ])

    def v_random_id(self):
        r = self.r
        return r.choice([("REQUEST_ID", r.hexs(32)), ("TRACE_ID", r.hexs(32)), ("SPAN_ID", r.hexs(16)),
                         ("IDEMPOTENCY_KEY", r.uuid()), ("CORRELATION_ID", r.uuid()), ("NONCE", r.hexs(24)),
                         ("CACHE_BUSTER", r.hexs(8)), ("BUILD_ID", r.s(ALNUM + "-_", 21)),
                         ("DEPLOYMENT_ID", "dpl_" + r.s(ALNUM, 28)), ("SESSION_COOKIE_NAME", "__Host-" + r.s(LO, 6))])

    def v_secret_name_nonsecret_value(self):
        r = self.r
        return r.choice([
            ("SECRET_KEY_FILE", "/run/secrets/secret_key"), ("API_KEY_HEADER", "X-API-Key"),
            ("TOKEN_URL", "https://oauth2.googleapis.com/token"), ("JWT_ALGORITHM", "HS256"),
            ("ACCESS_TOKEN_EXPIRE_MINUTES", "30"), ("PASSWORD_MIN_LENGTH", "12"), ("SECRET_NAME", f"prod/{self.m['app']}/db"),
            ("AUTH_TOKEN_TTL", "3600"), ("PASSWORD_RESET_TIMEOUT", "259200"), ("CLIENT_SECRET_PATH", "./secrets/client_secret.json"),
            ("API_KEY_PREFIX", self.m["org"][:2] + "_"), ("SECRET_ROTATION_DAYS", "90"), ("PASSWORD_HASHER", "argon2"),
            ("TOKEN_ISSUER", f"https://auth.{self.m['domain']}/"), ("GOOGLE_APPLICATION_CREDENTIALS", "/var/secrets/google/key.json"),
            ("SSH_KEY_PATH", "~/.ssh/id_ed25519"), ("TLS_KEY_FILE", "/etc/ssl/private/server.key"),
            ("PASSWORD_FIELD", "password"), ("AUTH_HEADER", "Authorization"), ("SECRET_BACKEND", "vault"),
        ])

    def v_secret_reference(self):
        r = self.r
        acct = r.randint(10**11, 10**12 - 1)
        return r.choice(SECRETISH), r.choice([
            f"vault:secret/data/{self.m['app']}/prod#password",
            f"arn:aws:secretsmanager:us-east-1:{acct}:secret:prod/{self.m['app']}/db-{r.s(ALNUM, 6)}",
            f"projects/{self.m['org']}-prod/secrets/{self.m['app']}-api-key/versions/latest",
            f"op://Engineering/{self.m['product'].title()} API/credential", f"ssm:/prod/{self.m['app']}/api_key",
            "{{resolve:secretsmanager:prod/db:SecretString:password}}", f"azurekeyvault://{self.m['org']}-kv/secrets/api-key",
            f"sm://{self.m['org']}-prod/stripe-secret-key",
        ])

    def v_encrypted_value(self):
        r = self.r
        # sops-encrypted value: self-describing.  (Sealed-secrets ciphertexts, bare base64, appear
        # only inside SealedSecret manifests: outside one they would look like any secret.)
        n = r.choice(SECRETISH)
        v = (f"ENC[AES256_GCM,data:{b64e(r.raw(r.randint(12, 40)))},iv:{b64e(r.raw(32))},"
             f"tag:{b64e(r.raw(16))},type:str]")
        return n, v

    def v_password_hash(self):
        r = self.r
        return r.choice(["PASSWORD_HASH", "ADMIN_PASSWORD_HASH", "HASHED_PASSWORD"]), r.choice([
            f"pbkdf2_sha256$600000${r.s(ALNUM, 22)}${b64e(r.raw(32))}",
            "$2b$12$" + r.s(ALNUM + "./", 53),
            f"$argon2id$v=19$m=65536,t=3,p=4${b64e(r.raw(16)).rstrip('=')}${b64e(r.raw(32)).rstrip('=')}",
        ])

    def keygen(self, style: str, ind: str) -> str:
        r = self.r
        if style.startswith("py"):
            return ind + r.choice(["key = Fernet.generate_key()", "token = secrets.token_urlsafe(32)",
                                   "SECRET_KEY = get_random_secret_key()", "nonce = os.urandom(16)",
                                   "api_key = secrets.token_hex(32)"])
        if style in ("js", "ts", "js_obj"):
            return ind + r.choice(["const secret = crypto.randomBytes(32).toString('hex');",
                                   "const token = crypto.randomUUID();",
                                   "const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);"])
        if style == "go_struct":
            return ind + "Nonce: uuid.NewString(),"
        if style.startswith("go"):
            return ind + r.choice(['keyFile = "/run/secrets/jwt.key"', "keyBytes = 32"])
        if style == "js_obj":
            return ind + "sessionSecret: crypto.randomBytes(32).toString('hex'),"
        return ind + r.choice(["private final byte[] key = new byte[32];",
                               "private final String token = UUID.randomUUID().toString();"])

    def password_code(self, style: str, ind: str) -> str:
        r = self.r
        if style.startswith("py"):
            return ind + r.choice(['password_field = forms.CharField(widget=forms.PasswordInput)', "PASSWORD_MIN_LENGTH = 12",
                                   "password_hasher = PasswordHasher(time_cost=3)",
                                   "password_reset_token_ttl = timedelta(hours=2)"])
        if style in ("js", "ts", "js_obj"):
            if style == "js_obj":
                return ind + r.choice(["passwordMinLength: 12,", f"{PW}Field: '{PW}',", "hashPassword: (pw) => bcrypt.hash(pw, 12),"])
            return ind + r.choice(["const PASSWORD_MIN_LENGTH = 12;", "const hashPassword = (password) => bcrypt.hash(password, 12);",
                                   "const passwordSchema = z.string().min(12);"])
        if style.startswith("go"):
            if style == "go_struct":
                return ind + r.choice(["PasswordMinLength: 12,", f'PasswordField: "{PW}",'])
            return ind + r.choice([f'{PW}Field = "{PW}"', "passwordMinLength = 12", f'{PW}ResetTTL = "2h"'])
        return ind + r.choice(["private final PasswordEncoder passwordEncoder = new BCryptPasswordEncoder();",
                               "private static final int PASSWORD_MIN_LENGTH = 12;",
                               '@Value("${app.password-reset-ttl}") private Duration passwordResetTtl;'])


# --------------------------------------------------------------------------- content helpers

NPM_PKGS = ["express", "lodash", "axios", "react", "react-dom", "next", "dotenv", "jsonwebtoken", "bcryptjs", "pg",
            "ioredis", "stripe", "zod", "helmet", "cors", "morgan", "winston", "uuid", "dayjs", "jest", "supertest",
            "eslint", "prettier", "typescript", "ts-node", "@types/node", "@types/express", "nodemon", "mongoose",
            "body-parser", "cookie-parser", "debug", "ms", "semver", "chalk", "commander", "yargs", "qs", "mime-types",
            "@sentry/node", "@slack/web-api", "openai", "@anthropic-ai/sdk", "twilio", "@sendgrid/mail", "aws-sdk",
            "tailwindcss", "postcss", "autoprefixer", "swr", "clsx", "date-fns", "nanoid", "jose", "prisma"]
PY_PKGS = ["django", "djangorestframework", "fastapi", "uvicorn", "pydantic", "sqlalchemy", "alembic", "psycopg2-binary",
           "redis", "celery", "boto3", "botocore", "stripe", "requests", "httpx", "cryptography", "pyjwt", "passlib",
           "python-dotenv", "gunicorn", "sentry-sdk", "slack-sdk", "openai", "anthropic", "twilio", "sendgrid", "pytest",
           "pytest-django", "factory-boy", "black", "ruff", "mypy", "urllib3", "certifi", "idna", "charset-normalizer"]
GO_MODS = ["github.com/go-chi/chi/v5", "github.com/jackc/pgx/v5", "github.com/redis/go-redis/v9", "github.com/stripe/stripe-go/v76",
           "github.com/golang-jwt/jwt/v5", "github.com/aws/aws-sdk-go-v2", "github.com/rs/zerolog", "github.com/spf13/viper",
           "github.com/stretchr/testify", "golang.org/x/crypto", "golang.org/x/sync", "google.golang.org/grpc",
           "github.com/getsentry/sentry-go", "github.com/slack-go/slack", "github.com/google/uuid", "go.uber.org/zap"]
CRATES = ["serde", "serde_json", "tokio", "clap", "anyhow", "thiserror", "regex", "reqwest", "tracing", "rand",
          "sha2", "base64", "chrono", "sqlx", "hyper", "bytes", "once_cell", "log", "memchr", "aho-corasick"]


def ver(r: Rnd) -> str:
    return f"{r.randint(0, 9)}.{r.randint(0, 30)}.{r.randint(0, 20)}"


# --------------------------------------------------------------------------- common files

def w_readme(t: Tree) -> None:
    r, m = t.r, t.m
    fb = t.file("README.md")
    fb.block(f"""
        # {m['title']}

        {m['title']} is the {m['product']} service of {m['org'].title()}. It exposes a REST API on
        `https://api.{m['domain']}` and publishes events to the shared bus.

        ## Getting started

        ```bash
        git clone git@github.com:{m['org']}/{t.name}.git
        cd {t.name}
        cp .env.example .env
        ```
        """)
    fb.add("")
    fb.add("Then edit `.env`:")
    fb.add("")
    fb.decoy(f"- `STRIPE_SECRET_KEY`: your test key from the dashboard (it looks like `{SK_TEST}...`).", "placeholder_prefixed")
    fb.decoy(f"- `DATABASE_URL`: e.g. `postgres:{SL}user:password@localhost:5432/" + m["app"] + "`.", "placeholder_db_url")
    fb.decoy("- `SECRET_KEY`: any long random string, for example `<generate-with-openssl-rand-hex-32>`.", "placeholder")
    fb.decoy(f"- `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`: leave as `{P(AKIA, 'IOSFODNN7', 'EXAMPLE')}` to use LocalStack.", "aws_example")
    fb.add("")
    fb.add("Generate a key with `python -c 'import secrets; print(secrets.token_hex(32))'`.")
    fb.add("")
    fb.add("## Calling the API")
    fb.add("")
    fb.add("```bash")
    fb.decoy(f'curl -H "Authorization: Bearer <your-token>" https://api.{m["domain"]}/v1/{r.word()}s', "placeholder")
    fb.decoy(f'curl -H "Authorization: Bearer $API_TOKEN" https://api.{m["domain"]}/v1/health', "template_var")
    fb.add("```")
    fb.add("")
    if r.chance(0.6):
        fb.add("## Staging sandbox")
        fb.add("")
        fb.add("The shared staging tenant is already provisioned; use these while the vault migration is pending:")
        fb.add("")
        fb.add("```bash")
        fb.items(t.mix(r.choice(["env", "shell"]), 2, 1))
        fb.add("```")
        fb.add("")
    fb.add("## Tests")
    fb.add("")
    fb.add("```bash")
    fb.add({"django": "pytest -q", "fastapi": "pytest -q", "express": "npm test", "nextjs": "yarn test",
            "go": "go test ./...", "spring": "./mvnw test"}[t.stack])
    fb.add("```")
    fb.add("")
    fb.add("## License")
    fb.add("")
    fb.add(f"Proprietary. (c) {m['org'].title()} Inc.")


def w_docs(t: Tree) -> None:
    r, m = t.r, t.m
    fb = t.file("docs/deployment.md")
    fb.block(f"""
        # Deployment

        Production runs on EKS in `us-east-1`. Secrets come from AWS Secrets Manager through the
        external-secrets operator; never put a real value in this repository.

        ## One-time setup of the CLI

        ```console
        $ aws configure
        """)
    fb.decoy("AWS Access Key ID [None]: " + P(AKIA, "IOSFODNN7", "EXAMPLE"), "aws_example")
    fb.decoy("AWS Secret Access Key [None]: " + P("wJalrXUtnFEMI/K7MDENG/", "bPxRfiCY", "EXAMPLEKEY"), "aws_example")
    fb.add("Default region name [None]: us-east-1")
    fb.add("```")
    fb.add("")
    fb.add("## Creating the application secret")
    fb.add("")
    fb.add("```bash")
    fb.decoy(f"kubectl -n {m['app']} create secret generic {m['app']}-env \\", "placeholder", marker="kubectl")
    fb.decoy(f"  --from-literal=DATABASE_URL='postgres:{SL}USER:PASSWORD@HOST:5432/" + m["app"] + "' \\", "placeholder_db_url")
    fb.decoy(f"  --from-literal=STRIPE_SECRET_KEY='{SK_LIVE}...' \\", "placeholder_prefixed")
    fb.decoy("  --from-literal=SECRET_KEY=\"$(openssl rand -hex 32)\"", "keygen_code")
    fb.add("```")
    fb.add("")
    fb.add("The signing key is a PEM file. It starts like this (do not paste the real one here):")
    fb.add("")
    fb.add("```")
    label = r.choice(["RSA PRIVATE KEY", "PRIVATE KEY", "OPENSSH PRIVATE KEY"])
    start = {"RSA PRIVATE KEY": P("MIIEpAIB", "AAKCAQEA..."), "PRIVATE KEY": P("MIIEvQIBADAN", "BgkqhkiG9w0BAQEFAASC..."),
             "OPENSSH PRIVATE KEY": P("b3BlbnNzaC1r", "ZXktdjEAAAAA...")}[label]
    fb.decoy("\n".join([pem_begin(label), start, "...", pem_end(label)]), "truncated_key")
    fb.add("```")
    fb.add("")
    fb.add("Deploy keys for the CI runner are public keys; add this one to the server's `authorized_keys`:")
    fb.add("")
    fb.add("```")
    fb.decoy(ssh_pub(t), "public_key")
    fb.add("```")
    fb.add("")
    if r.chance(0.5):
        fb.add("## Break-glass access")
        fb.add("")
        fb.add("If Secrets Manager is down, the on-call engineer can export these directly:")
        fb.add("")
        fb.add("```bash")
        fb.items(t.mix("shell", r.randint(1, 2), 1))
        fb.add("```")
        fb.add("")
    fb.add("## Rollback")
    fb.add("")
    fb.add(f"`kubectl -n {m['app']} rollout undo deployment/{m['app']}-api`")

    fb = t.file("docs/api.md")
    fb.block(f"""
        # API

        All endpoints take a bearer token in the `Authorization` header. Tokens are JWTs signed
        with RS256 by `auth.{m['domain']}`; they expire after 15 minutes.

        Example (from the jwt.io debugger, not a real token):

        ```http
        GET /v1/{r.word()}s HTTP/1.1
        Host: api.{m['domain']}
        """)
    fb.decoy("Authorization: Bearer " + Decoys(t).jwt_doc(), "jwt_doc_example")
    fb.add("```")
    fb.add("")
    fb.add("Responses carry a request id for support tickets:")
    fb.add("")
    fb.add("```json")
    fb.add("{")
    fb.decoy(f'  "request_id": "{r.uuid()}",', "uuid")
    fb.decoy(f'  "trace_id": "{r.hexs(32)}",', "random_id")
    fb.add('  "status": "ok"')
    fb.add("}")
    fb.add("```")
    fb.add("")
    fb.add("Webhooks are signed: verify the `X-Signature` header with your endpoint secret")
    fb.decoy(f"(`{WHSEC}...` in the dashboard) before trusting the payload.", "placeholder_prefixed")
    fb.add("")
    fb.add("| field | type | example |")
    fb.add("|---|---|---|")
    fb.decoy(f"| `customer` | string | `cus_{r.s(ALNUM, 14)}` |", "provider_public_id")
    fb.decoy(f"| `price` | string | `price_{r.s(ALNUM, 24)}` |", "provider_public_id")
    fb.decoy(f"| `idempotency_key` | uuid | `{r.uuid()}` |", "uuid")
    if r.chance(0.5):
        fb.add("")
        fb.add("For local testing against staging you can use the integration token:")
        fb.add("")
        s = t.take_fam("jwt")
        fb.plant(f'    curl -H "Authorization: Bearer {s.value}" https://staging-api.{m["domain"]}/v1/me', s)


def w_changelog(t: Tree) -> None:
    r = t.r
    fb = t.file("CHANGELOG.md")
    fb.add("# Changelog")
    fb.add("")
    for i in range(r.randint(4, 7)):
        fb.add(f"## [{r.randint(1, 3)}.{10 - i}.{r.randint(0, 9)}] - 202{r.randint(3, 5)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}")
        fb.add("")
        for _ in range(r.randint(2, 4)):
            sha = r.hexs(40)
            fb.decoy(f"- {r.choice(['Fix', 'Add', 'Bump', 'Refactor', 'Remove'])} {r.word()} {r.choice(['handler', 'retry', 'export', 'validation', 'cache'])} "
                     f"([{sha[:7]}](https://github.com/{t.m['org']}/{t.name}/commit/{sha}))", "git_sha")
        fb.add("")


def w_env(t: Tree) -> None:
    r, m = t.r, t.m
    fb = t.file(".env")
    fb.add(f"# {m['title']} local settings. Do not commit.")
    fb.add("DEBUG=false")
    fb.add(f"PORT={r.choice([3000, 8000, 8080])}")
    fb.add(f"ALLOWED_HOSTS=api.{m['domain']},localhost")
    fb.items(t.mix("env", r.randint(6, 9), r.randint(3, 5)))
    fb.add("LOG_LEVEL=info")
    fb.decoy(f"SENTRY_ENVIRONMENT=production", "secret_name_nonsecret_value")

    fb = t.file(".env.example")
    fb.add("# Copy to .env and fill in. Values here are placeholders.")
    fb.add("DEBUG=true")
    fb.add("PORT=8000")
    for n in r.sample(SECRETISH, 9):
        v = r.choice(["", "changeme", "<" + n.lower() + ">", "your-" + n.lower().replace("_", "-") + "-here", "xxx"])
        fb.decoy(f"{n}={v}", "placeholder")
    fb.decoy(f"DATABASE_URL=postgres:{SL}postgres:postgres@localhost:5432/" + m["app"], "placeholder_db_url")
    fb.decoy(f"STRIPE_SECRET_KEY={SK_TEST}...", "placeholder_prefixed")
    fb.decoy(f"STRIPE_PUBLISHABLE_KEY={PK_TEST}{r.s(ALNUM, 24)}", "publishable_key")
    fb.decoy(f'JWT_PRIVATE_KEY="{pem_begin("PRIVATE KEY")}\\n...\\n{pem_end("PRIVATE KEY")}\\n"', "truncated_key")
    fb.decoy("AWS_ACCESS_KEY_ID=" + P(AKIA, "IOSFODNN7", "EXAMPLE"), "aws_example")
    fb.decoy("AWS_SECRET_ACCESS_KEY=" + P("wJalrXUtnFEMI/K7MDENG/", "bPxRfiCY", "EXAMPLEKEY"), "aws_example")

    fb = t.file(".env.test")
    fb.add("DEBUG=true")
    fb.decoy(f"DATABASE_URL=postgres:{SL}postgres:postgres@localhost:5432/{m['app']}_test", "placeholder_db_url")
    fb.decoy("SECRET_KEY=test-secret-key", "placeholder")
    fb.decoy(f"ADMIN_PASSWORD={r.choice(DICT_PASSWORDS).replace(' ', '-')}", "weak_test_password")
    fb.decoy(f"REDIS_URL=redis:{SL}localhost:6379/1", "placeholder_db_url")
    if r.chance(0.6):
        s = t.take_fam("stripe")
        fb.items(t.sec_items("env", s))

    if t.stack == "nextjs":
        fb = t.file(".env.production")
        fb.add(f"NEXT_PUBLIC_API_URL=https://api.{m['domain']}")
        fb.decoy(fmt1(r, "env", "NEXT_PUBLIC_STRIPE_KEY", PK_LIVE + r.s(ALNUM, 99)), "publishable_key")
        fb.decoy(f"NEXT_PUBLIC_GA_ID=G-{r.s(UP + DIG, 10)}", "provider_public_id")
        fb.items(t.mix("env", r.randint(2, 4), 2))


def w_gitignore(t: Tree, ignore_env: bool) -> None:
    fb = t.file(".gitignore")
    fb.block("""
        node_modules/
        __pycache__/
        *.pyc
        /build/
        /dist/
        /target/
        coverage/
        .DS_Store
        .idea/
        .vscode/
        *.log
        """)
    if ignore_env:
        fb.add(".env")
        fb.add(".env.*")


def w_dockerfile(t: Tree) -> None:
    r, m = t.r, t.m
    fb = t.file("Dockerfile")
    base = {"django": "python:3.12-slim", "fastapi": "python:3.12-slim", "express": "node:20-alpine",
            "nextjs": "node:20-alpine", "go": "golang:1.22-alpine", "spring": "eclipse-temurin:21-jre"}[t.stack]
    fb.decoy(f"FROM {base}@sha256:{r.hexs(64)} AS base", "docker_digest")
    fb.add("WORKDIR /app")
    fb.decoy("ARG NPM_TOKEN" if t.stack in ("express", "nextjs") else "ARG PIP_INDEX_URL", "template_var")
    fb.add("ENV PYTHONUNBUFFERED=1" if t.stack in ("django", "fastapi") else "ENV NODE_ENV=production")
    fb.items(t.mix("dockerfile", r.randint(1, 2), 2))
    tool = r.choice(["tini", "dumb-init", "grpc_health_probe"])
    fb.add(f"RUN curl -fsSLo /usr/local/bin/{tool} https://github.com/{m['org']}/mirror/releases/download/v1.2.3/{tool} \\")
    fb.decoy(f' && echo "{r.hexs(64)}  /usr/local/bin/{tool}" | sha256sum -c - \\', "hash_digest")
    fb.add(f" && chmod +x /usr/local/bin/{tool}")
    fb.add("COPY . .")
    fb.add({"django": "CMD [\"gunicorn\", \"config.wsgi\", \"-b\", \"0.0.0.0:8000\"]",
            "fastapi": "CMD [\"uvicorn\", \"app.main:app\", \"--host\", \"0.0.0.0\"]",
            "express": "CMD [\"node\", \"src/index.js\"]", "nextjs": "CMD [\"yarn\", \"start\"]",
            "go": "CMD [\"/app/server\"]", "spring": "ENTRYPOINT [\"java\", \"-jar\", \"/app/app.jar\"]"}[t.stack])


def w_compose(t: Tree) -> None:
    r, m = t.r, t.m
    fb = t.file("docker-compose.yml")
    fb.add("services:")
    fb.add("  db:")
    fb.decoy(f"    image: postgres:16@sha256:{r.hexs(64)}", "docker_digest")
    fb.add("    environment:")
    fb.add(f"      POSTGRES_DB: {m['app']}")
    fb.decoy(f"      POSTGRES_USER: {m['app']}", "username")
    if r.chance(0.5):
        s = t.take_fam("generic") if "generic" in t.deck else t.g.f_generic()
        s.names = ["POSTGRES_PASSWORD"]
        fb.items(t.sec_items("compose_map", s, "      "))
    else:
        fb.decoy("      POSTGRES_PASSWORD: postgres", "weak_test_password")
    fb.add("    ports:")
    fb.add('      - "5432:5432"')
    fb.add("  redis:")
    fb.add("    image: redis:7-alpine")
    fb.decoy('    command: ["redis-server", "--requirepass", "${REDIS_PASSWORD}"]', "template_var")
    fb.add("  app:")
    fb.add("    build: .")
    fb.add("    depends_on: [db, redis]")
    fb.add("    environment:")
    form = r.choice(["compose_map", "compose_list"])
    fb.add("      " + ("- " if form == "compose_list" else "") + ("DEBUG=false" if form == "compose_list" else "DEBUG: \"false\""))
    fb.items(t.mix(form, r.randint(2, 3), r.randint(3, 4), "      ", kinds=["template_var", "template_var", "placeholder", "placeholder_db_url", "provider_public_id"]))
    fb.add("    ports:")
    fb.add('      - "8000:8000"')


def b64line(t: Tree, fb: FB, key: str, sec: Sec, ind: str = "  ") -> None:
    enc = b64e(sec.value.encode())
    fb.plant(f"{ind}{key}: {enc}", sec, marker=enc, encoded=enc)


def w_k8s(t: Tree) -> None:
    r, m = t.r, t.m
    app = m["app"]
    fb = t.file("k8s/deployment.yaml")
    fb.block(f"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {app}-api
          labels:
            app: {app}
        spec:
          replicas: 3
          selector:
            matchLabels:
              app: {app}
          template:
            metadata:
              labels:
                app: {app}
              annotations:
        """)
    fb.decoy(f"            checksum/config: {r.hexs(64)}", "hash_digest")
    fb.add("            spec:")
    fb.add("              containers:")
    fb.add("                - name: api")
    fb.decoy(f"                  image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/{app}@sha256:{r.hexs(64)}", "docker_digest")
    fb.add("                  env:")
    for n in r.sample(SECRETISH, 3):
        fb.add(f"                    - name: {n}")
        fb.add("                      valueFrom:")
        fb.add("                        secretKeyRef:")
        fb.add(f"                          name: {app}-env")
        fb.decoy(f"                          key: {n.lower()}", "secret_reference")
    fb.add("                    - name: LOG_LEVEL")
    fb.add("                      value: info")
    if r.chance(0.5):
        s = t.take("yaml")
        if s and not s.multiline and not s.post and not s.pre:
            fb.add(f"                    - name: {r.choice(s.names)}")
            fb.plant(f'                      value: "{s.value}"', s)
        elif s:
            t.deck.append(s.family)

    fb = t.file("k8s/secret.yaml")
    fb.block(f"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: {app}-env
          namespace: {app}
        type: Opaque
        data:
        """)
    rows = []
    for _ in range(r.randint(3, 5)):
        s = t.take("env")
        if s is None:
            break
        for x in [s] + s.post:
            rows.append(("sec", x))
    for _ in range(r.randint(2, 3)):
        rows.append(("dec", None))
    r.shuffle(rows)
    used = set()
    for kind, s in rows:
        if kind == "sec":
            key = r.choice(s.names).lower()
            while key in used:
                key += "_2"
            used.add(key)
            b64line(t, fb, key, s)
        else:
            key, val = r.choice([("log_level", "info"), ("region", "us-east-1"), ("db_user", "postgres"),
                                 ("db_host", "localhost"), ("admin_password", "changeme"), ("db_password", "REPLACE_ME"),
                                 ("feature_flags", "true"), ("smtp_password", "<smtp-password>"), ("db_port", "5432")])
            while key in used:
                key += "_2"
            used.add(key)
            fb.decoy(f"  {key}: {b64e(val.encode())}", "k8s_b64_nonsecret")
    if r.chance(0.5):
        fb.add("stringData:")
        fb.items(t.mix("yaml", 1, 1, "  ", kinds=["placeholder", "template_var"]))

    if r.chance(0.6):
        fb = t.file("k8s/tls-secret.yaml")
        fb.block(f"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: {app}-tls
            type: kubernetes.io/tls
            data:
            """)
        fb.decoy(f"  tls.crt: {b64e(cert_pem(t).encode())}", "certificate")
        s = t.take_fam("private_key")
        b64line(t, fb, "tls.key", s)

    fb = t.file("k8s/configmap.yaml")
    fb.block(f"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {app}-config
        data:
          LOG_LEVEL: info
          FEATURE_NEW_CHECKOUT: "true"
        """)
    fb.items([t.dec_item("yaml", k, "  ") for k in r.sample(["provider_public_id", "uuid", "secret_name_nonsecret_value", "random_id", "git_sha"], 3)])

    if r.chance(0.5):
        fb = t.file("k8s/sealed-secret.yaml")
        fb.block(f"""
            apiVersion: bitnami.com/v1alpha1
            kind: SealedSecret
            metadata:
              name: {app}-sealed
            spec:
              encryptedData:
            """)
        for n in r.sample(SECRETISH, 3):
            # kubeseal's format: the session key's RSA ciphertext (2-byte length, 512 bytes for
            # the default 4096-bit key), then the AES-GCM ciphertext of the value (+16-byte tag).
            blob = struct.pack(">H", 512) + r.raw(512) + r.raw(r.randint(16, 96) + 16)
            fb.decoy(f"    {n}: {b64e(blob)}", "encrypted_value")

    # helm chart
    if r.chance(0.6):
        fb = t.file(f"charts/{app}/values.yaml")
        fb.add("replicaCount: 2")
        fb.add("image:")
        fb.add(f"  repository: ghcr.io/{m['org']}/{app}")
        fb.decoy(f"  digest: sha256:{r.hexs(64)}", "docker_digest")
        fb.add("secrets:")
        fb.items(t.mix("yaml", r.randint(1, 2), 3, "  ", kinds=["placeholder", "placeholder", "template_var", "masked"]))
        fb = t.file(f"charts/{app}/templates/secret.yaml")
        fb.block(f"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: {{{{ include "{app}.fullname" . }}}}
            type: Opaque
            data:
            """)
        for n in r.sample(SECRETISH, 3):
            fb.decoy(f"  {n.lower()}: {{{{ .Values.secrets.{camel(n)} | b64enc | quote }}}}", "template_var")


def w_terraform(t: Tree) -> None:
    r, m = t.r, t.m
    app = m["app"]
    fb = t.file("infra/terraform/main.tf")
    fb.block(f"""
        terraform {{
          required_version = ">= 1.6"
          backend "s3" {{
            bucket = "{m['org']}-tfstate"
            key    = "{app}/terraform.tfstate"
            region = "us-east-1"
          }}
        }}

        provider "aws" {{
          region = var.region
        """)
    if r.chance(0.35):
        s = t.take_fam("aws")
        if s.kind == "aws_access_key_id":
            fb.plant(f'  access_key = "{s.value}"', s)
            fb.plant(f'  secret_key = "{s.post[0].value}"', s.post[0])
            if len(s.post) > 1:
                fb.plant(f'  token      = "{s.post[1].value}"', s.post[1])
        else:
            fb.plant(f'  secret_key = "{s.value}"', s)
    fb.add("}")
    fb.add("")
    fb.add(f'resource "aws_db_instance" "{app}" {{')
    fb.add(f'  identifier        = "{app}-prod"')
    fb.add('  engine            = "postgres"')
    fb.add('  instance_class    = "db.t4g.medium"')
    fb.decoy(f'  username          = "{app}"', "username")
    fb.decoy("  password          = random_password.db.result", "template_var")
    fb.add("}")
    fb.add("")
    fb.add('resource "random_password" "db" {')
    fb.add("  length  = 32")
    fb.add("  special = true")
    fb.add("}")
    fb.add("")
    fb.add(f'resource "aws_secretsmanager_secret_version" "stripe" {{')
    fb.add("  secret_id     = aws_secretsmanager_secret.stripe.id")
    fb.decoy("  secret_string = var.stripe_secret_key", "template_var")
    fb.add("}")
    fb.add("")
    fb.add('resource "aws_instance" "bastion" {')
    fb.decoy(f'  ami           = "ami-{r.hexs(17)}"', "provider_public_id")
    fb.add('  instance_type = "t3.micro"')
    fb.add("}")
    fb.add("")
    fb.add('resource "aws_key_pair" "deploy" {')
    fb.add('  key_name   = "deploy"')
    fb.decoy(f'  public_key = "{ssh_pub(t)}"', "public_key")
    fb.add("}")

    fb = t.file("infra/terraform/variables.tf")
    fb.add('variable "region" {')
    fb.add('  default = "us-east-1"')
    fb.add("}")
    for _ in range(r.randint(3, 5)):
        fb.add("")
        if r.chance(0.35):
            s = t.take("tf")
            if s and not s.multiline:
                n = r.choice(s.names).lower()
                fb.add(f'variable "{n}" {{')
                fb.add('  type      = string')
                fb.plant(f'  default   = "{s.value}"', s)
                fb.add("  sensitive = true")
                fb.add("}")
                for p in s.post:
                    fb.add("")
                    fb.add(f'variable "{p.names[0].lower()}" {{')
                    fb.plant(f'  default = "{p.value}"', p)
                    fb.add("}")
                continue
            if s:
                t.deck.append(s.family)
        n = r.choice(SECRETISH).lower()
        fb.add(f'variable "{n}" {{')
        fb.add("  type      = string")
        fb.add("  sensitive = true")
        if r.chance(0.5):
            fb.decoy(f'  default   = "{r.choice(["", "changeme", "CHANGE_ME", "replace-me"])}"', "placeholder")
        fb.add("}")

    fb = t.file("infra/terraform/terraform.tfvars")
    fb.add('region = "us-east-1"')
    fb.add(f'environment = "production"')
    fb.items(t.mix("tf", r.randint(2, 3), 2, kinds=["placeholder", "provider_public_id", "uuid", "secret_reference"]))


def w_workflows(t: Tree) -> None:
    r, m = t.r, t.m
    fb = t.file(".github/workflows/ci.yml")
    fb.block("""
        name: ci
        on:
          push:
            branches: [main]
          pull_request:
        jobs:
          test:
            runs-on: ubuntu-latest
            services:
              postgres:
                image: postgres:16
                env:
        """)
    fb.decoy("          POSTGRES_PASSWORD: postgres", "weak_test_password")
    fb.add("        ports: ['5432:5432']")
    fb.add("    env:")
    fb.decoy(f"      DATABASE_URL: postgres:{SL}postgres:postgres@localhost:5432/{m['app']}_test", "placeholder_db_url")
    for n in r.sample(SECRETISH, 3):
        fb.decoy(f"      {n}: ${{{{ secrets.{n} }}}}", "template_var")
    if r.chance(0.35):
        fb.items(t.mix("yaml", 1, 0, "      "))
    fb.add("    steps:")
    fb.decoy(f"      - uses: actions/checkout@{r.hexs(40)} # v4", "git_sha")
    fb.decoy(f"      - uses: actions/setup-node@{r.hexs(40)} # v4", "git_sha")
    fb.add("      - run: make test")
    fb = t.file(".github/workflows/deploy.yml")
    fb.block("""
        name: deploy
        on:
          workflow_dispatch:
        permissions:
          id-token: write
          contents: read
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
        """)
    fb.decoy(f"      - uses: aws-actions/configure-aws-credentials@{r.hexs(40)}", "git_sha")
    fb.add("        with:")
    fb.decoy(f"          role-to-assume: arn:aws:iam::{r.randint(10**11, 10**12 - 1)}:role/{m['app']}-deploy", "provider_public_id")
    fb.add("          aws-region: us-east-1")
    fb.add("      - name: notify")
    fb.add("        env:")
    if r.chance(0.4):
        s = t.take_fam("slack")
        fb.items(t.sec_items("yaml", s, "          "))
    else:
        fb.decoy("          SLACK_WEBHOOK_URL: ${{ secrets.SLACK_WEBHOOK_URL }}", "template_var")
    fb.add('        run: ./scripts/notify.sh "deployed ${{ github.sha }}"')


def w_scripts(t: Tree) -> None:
    r, m = t.r, t.m
    fb = t.file("scripts/deploy.sh")
    fb.add("#!/usr/bin/env bash")
    fb.add("set -euo pipefail")
    fb.add("")
    fb.add(f'APP="{m["app"]}"')
    fb.decoy(f'REGISTRY="123456789012.dkr.ecr.us-east-1.amazonaws.com"', "provider_public_id")
    fb.items(t.mix("shell", r.randint(1, 3), 2, kinds=["template_var", "template_var", "placeholder", "git_sha"]))
    fb.add("")
    fb.add('docker build -t "$REGISTRY/$APP:$(git rev-parse --short HEAD)" .')
    fb.add('docker push "$REGISTRY/$APP:$(git rev-parse --short HEAD)"')
    if r.chance(0.5):
        s = t.take_fam("github")
        fb.plant(f'git clone "https://x-access-token:{s.value}@github.com/{m["org"]}/deploy-config.git" /tmp/deploy-config', s)
    else:
        fb.decoy(f'git clone "https://x-access-token:${{GITHUB_TOKEN}}@github.com/{m["org"]}/deploy-config.git" /tmp/deploy-config', "template_var")

    fb = t.file("scripts/backup_db.sh")
    fb.add("#!/bin/sh")
    fb.add("# Nightly logical backup to S3.")
    if r.chance(0.6):
        s = t.take_fam("database")
        fb.plant(f'pg_dump "{s.value}" | gzip > /tmp/{m["app"]}.sql.gz', s)
    else:
        fb.decoy(f'pg_dump "$DATABASE_URL" | gzip > /tmp/{m["app"]}.sql.gz', "template_var")
    fb.add(f'aws s3 cp /tmp/{m["app"]}.sql.gz "s3://{m["org"]}-backups/$(date +%F)/"')
    fb.decoy(f'echo "backup done: $(sha256sum /tmp/{m["app"]}.sql.gz)"  # expected e.g. {r.hexs(64)}', "hash_digest")

    fb = t.file("scripts/notify.sh")
    fb.add("#!/usr/bin/env bash")
    fb.add('msg="$1"')
    if r.chance(0.5):
        s = t.take_fam("slack")
        if s.kind == "slack_webhook":
            fb.plant(f"curl -sS -X POST -H 'Content-type: application/json' --data \"{{\\\"text\\\": \\\"$msg\\\"}}\" {s.value}", s)
        else:
            fb.plant(f'curl -sS -H "Authorization: Bearer {s.value}" -d "channel=C0{r.s(UP + DIG, 9)}" --data-urlencode "text=$msg" https://slack.com/api/chat.postMessage', s)
    else:
        fb.decoy("curl -sS -X POST -H 'Content-type: application/json' --data \"{\\\"text\\\": \\\"$msg\\\"}\" \"$SLACK_WEBHOOK_URL\"", "template_var")

    fb = t.file("scripts/bootstrap_local.sh")
    fb.add("#!/usr/bin/env bash")
    fb.add("# Creates a local dev environment.")
    fb.decoy("export PGPASSWORD=postgres", "weak_test_password")
    fb.decoy(f'export AWS_ACCESS_KEY_ID={P(AKIA, "IOSFODNN7", "EXAMPLE")}', "aws_example")
    fb.decoy("export AWS_SECRET_ACCESS_KEY=" + P("wJalrXUtnFEMI/K7MDENG/", "bPxRfiCY", "EXAMPLEKEY"), "aws_example")
    fb.decoy('export SECRET_KEY="$(openssl rand -hex 32)"', "keygen_code")
    fb.items(t.mix("shell", r.randint(0, 2), 1))
    fb.add("createdb " + m["app"] + "_dev || true")


def ssh_pub(t: Tree) -> str:
    r = t.r
    if r.chance(0.5):
        blob = ssh_str(b"ssh-ed25519") + ssh_str(r.raw(32))
        return f"ssh-ed25519 {b64e(blob)} {r.choice(['deploy', 'ci', 'ana', 'ops'])}@{t.m['domain']}"
    blob = ssh_str(b"ssh-rsa") + ssh_str(b"\x01\x00\x01") + ssh_str(b"\x00" + r.raw(256))
    return f"ssh-rsa {b64e(blob)} {r.choice(['deploy', 'ci', 'ana', 'ops'])}@{t.m['domain']}"


def cert_pem(t: Tree) -> str:
    r = t.r
    blob = der(0x30, der(0x30, bytes.fromhex("a003020102") + der(0x02, r.raw(16)) + r.raw(r.randint(700, 1000))) + r.raw(270))
    return "\n".join([pem_begin("CERTIFICATE")] + wrap(b64e(blob), 64) + [pem_end("CERTIFICATE")]) + "\n"


def pubkey_pem(t: Tree) -> str:
    r = t.r
    blob = der(0x30, der(0x30, bytes.fromhex("06092a864886f70d0101010500")) + der(0x03, b"\x00" + r.raw(270)))
    return "\n".join([pem_begin("PUBLIC KEY")] + wrap(b64e(blob), 64) + [pem_end("PUBLIC KEY")]) + "\n"


def w_certs(t: Tree) -> None:
    r = t.r
    name = r.choice(["server", "api", "internal"])
    fb = t.file(f"certs/{name}.key")
    s = t.take_fam("private_key")
    fb.plant(s.value.rstrip("\n"), s)
    fb = t.file(f"certs/{name}.crt")
    fb.decoy(cert_pem(t).rstrip("\n"), "certificate")
    fb = t.file("certs/ca-bundle.pem")
    fb.decoy(cert_pem(t).rstrip("\n"), "certificate")
    fb.decoy(cert_pem(t).rstrip("\n"), "certificate")
    fb = t.file("certs/jwt_public.pem")
    fb.decoy(pubkey_pem(t).rstrip("\n"), "public_key")
    if r.chance(0.6):
        g = t.g
        label, pem = g.pem("openssh")
        s = Sec("private_key", "private_key_openssh", pem + "\n", [], pem_label=label)
        if "private_key" in t.deck:
            t.deck.remove("private_key")
        kname = "id_ed25519" if len(pem) < 600 else "id_rsa"
        fb = t.file(f"deploy/{kname}")
        fb.plant(pem, s)
        fb = t.file(f"deploy/{kname}.pub")
        fb.decoy(ssh_pub(t), "public_key")
    fb = t.file("deploy/authorized_keys")
    for _ in range(r.randint(2, 4)):
        fb.decoy(ssh_pub(t), "public_key")


def w_gcp_sa(t: Tree) -> None:
    r, m = t.r, t.m
    fb = t.file(r.choice(["config/gcp-service-account.json", "secrets/firebase-adminsdk.json"]))
    if "private_key" in t.deck:
        t.deck.remove("private_key")
    label, pem = t.g.pem("pkcs8")
    s = Sec("private_key", "private_key_private", pem + "\n", [], pem_label=label)
    proj = f"{m['org']}-{m['product']}-prod"
    fb.add("{")
    fb.add('  "type": "service_account",')
    fb.add(f'  "project_id": "{proj}",')
    fb.decoy(f'  "private_key_id": "{r.hexs(40)}",', "provider_public_id")
    esc = s.value.replace("\n", "\\n")
    fb.plant(f'  "private_key": "{esc}",', s, marker=pem_begin(s.pem_label))
    fb.add(f'  "client_email": "{m["app"]}-runner@{proj}.iam.gserviceaccount.com",')
    fb.decoy(f'  "client_id": "{r.randint(10**20, 10**21 - 1)}",', "provider_public_id")
    fb.add('  "auth_uri": "https://accounts.google.com/o/oauth2/auth",')
    fb.add('  "token_uri": "https://oauth2.googleapis.com/token",')
    fb.add('  "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",')
    fb.add(f'  "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/{m["app"]}-runner%40{proj}.iam.gserviceaccount.com",')
    fb.add('  "universe_domain": "googleapis.com"')
    fb.add("}")


def w_aws_creds(t: Tree) -> None:
    r = t.r
    fb = t.file(r.choice(["deploy/aws-credentials", ".aws/credentials", "config/aws.ini"]))
    fb.add("[default]")
    s = t.take_fam("aws")
    if s.kind != "aws_access_key_id":
        s = t.g.f_aws()
        while s.kind != "aws_access_key_id":
            s = t.g.f_aws()
    fb.plant(f"aws_access_key_id = {s.value}", s)
    for p in s.post:
        fb.plant(f"{p.names[0].lower()} = {p.value}", p)
    fb.add("region = us-east-1")
    fb.add("")
    fb.add("[localstack]")
    fb.decoy("aws_access_key_id = " + P(AKIA, "IOSFODNN7", "EXAMPLE"), "aws_example")
    fb.decoy("aws_secret_access_key = " + P("wJalrXUtnFEMI/K7MDENG/", "bPxRfiCY", "EXAMPLEKEY"), "aws_example")


def w_npmrc(t: Tree) -> None:
    r = t.r
    fb = t.file(".npmrc")
    fb.add(f"@{t.m['org']}:registry=https://registry.npmjs.org/")
    if r.chance(0.6):
        s = t.take_fam("npm")
        if r.chance(0.3):
            s = Sec("npm", "npm_legacy_authtoken", r.uuid(), ["NPM_TOKEN"])
        fb.plant(f"//registry.npmjs.org/:_authToken={s.value}", s)
    else:
        fb.decoy("//registry.npmjs.org/:_authToken=${NPM_TOKEN}", "template_var")
    fb.add("save-exact=true")


# ---- lockfiles and assets

def w_package_lock(t: Tree, path: str) -> None:
    r = t.r
    fb = t.file(path)
    pkgs = sorted(r.sample(NPM_PKGS, r.randint(25, 40)))
    fb.add("{")
    fb.add(f'  "name": "{t.m["app"]}",')
    fb.add('  "version": "1.0.0",')
    fb.add('  "lockfileVersion": 3,')
    fb.add('  "requires": true,')
    fb.add('  "packages": {')
    fb.add('    "": {')
    fb.add(f'      "name": "{t.m["app"]}",')
    fb.add('      "version": "1.0.0"')
    fb.add("    },")
    for i, p in enumerate(pkgs):
        v = ver(r)
        fb.add(f'    "node_modules/{p}": {{')
        fb.add(f'      "version": "{v}",')
        fb.add(f'      "resolved": "https://registry.npmjs.org/{p}/-/{p.split("/")[-1]}-{v}.tgz",')
        fb.decoy(f'      "integrity": "sha512-{b64e(r.raw(64))}",', "lockfile_integrity")
        fb.add('      "license": "MIT"')
        fb.add("    }" + ("," if i < len(pkgs) - 1 else ""))
    fb.add("  }")
    fb.add("}")


def w_yarn_lock(t: Tree) -> None:
    r = t.r
    fb = t.file("yarn.lock")
    fb.add("# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.")
    fb.add("# yarn lockfile v1")
    fb.add("")
    for p in sorted(r.sample(NPM_PKGS, r.randint(25, 40))):
        v = ver(r)
        fb.add(f'"{p}@^{v}":')
        fb.add(f'  version "{v}"')
        fb.decoy(f'  resolved "https://registry.yarnpkg.com/{p}/-/{p.split("/")[-1]}-{v}.tgz#{r.hexs(40)}"', "hash_digest")
        fb.decoy(f"  integrity sha512-{b64e(r.raw(64))}", "lockfile_integrity")
        fb.add("")


def w_poetry(t: Tree) -> None:
    r = t.r
    fb = t.file("pyproject.toml")
    fb.block(f"""
        [tool.poetry]
        name = "{t.m['app']}"
        version = "0.1.0"
        description = "{t.m['title']}"

        [tool.poetry.dependencies]
        python = "^3.11"
        """)
    pk = sorted(r.sample(PY_PKGS, r.randint(12, 20)))
    for p in pk:
        fb.add(f'{p} = "^{ver(r)}"')
    fb = t.file("poetry.lock")
    for p in pk:
        v = ver(r)
        fb.add("[[package]]")
        fb.add(f'name = "{p}"')
        fb.add(f'version = "{v}"')
        fb.add('optional = false')
        fb.add('python-versions = ">=3.8"')
        fb.add("files = [")
        us = p.replace("-", "_")
        fb.decoy(f'    {{file = "{us}-{v}-py3-none-any.whl", hash = "sha256:{r.hexs(64)}"}},', "lockfile_integrity")
        fb.decoy(f'    {{file = "{us}-{v}.tar.gz", hash = "sha256:{r.hexs(64)}"}},', "lockfile_integrity")
        fb.add("]")
        fb.add("")
    fb.add("[metadata]")
    fb.add('lock-version = "2.0"')
    fb.add('python-versions = "^3.11"')
    fb.decoy(f'content-hash = "{r.hexs(64)}"', "lockfile_integrity")
    fb = t.file("requirements.txt")
    for p in pk[:8]:
        fb.add(f"{p}=={ver(r)} \\")
        fb.decoy(f"    --hash=sha256:{r.hexs(64)}", "lockfile_integrity")


def w_go_sum(t: Tree) -> None:
    r = t.r
    fb = t.file("go.sum")
    for mod in sorted(r.sample(GO_MODS, r.randint(10, 16))):
        v = "v" + ver(r)
        if r.chance(0.2):
            v = f"v0.0.0-2024{r.randint(1, 12):02d}{r.randint(10, 28)}{r.randint(100000, 235959)}-{r.hexs(12)}"
        fb.decoy(f"{mod} {v} h1:{b64e(r.raw(32))}", "lockfile_integrity")
        fb.decoy(f"{mod} {v}/go.mod h1:{b64e(r.raw(32))}", "lockfile_integrity")


def w_cargo_tool(t: Tree) -> None:
    r = t.r
    name = f"{t.m['app']}-migrate"
    fb = t.file(f"tools/{name}/Cargo.toml")
    fb.add("[package]")
    fb.add(f'name = "{name}"')
    fb.add('version = "0.1.0"')
    fb.add('edition = "2021"')
    fb.add("")
    fb.add("[dependencies]")
    cr = sorted(r.sample(CRATES, r.randint(8, 14)))
    for c in cr:
        fb.add(f'{c} = "{ver(r)}"')
    fb = t.file(f"tools/{name}/Cargo.lock")
    fb.add("# This file is automatically @generated by Cargo.")
    fb.add("# It is not intended for manual editing.")
    fb.add("version = 3")
    fb.add("")
    for c in cr:
        fb.add("[[package]]")
        fb.add(f'name = "{c}"')
        fb.add(f'version = "{ver(r)}"')
        fb.add('source = "registry+https://github.com/rust-lang/crates.io-index"')
        fb.decoy(f'checksum = "{r.hexs(64)}"', "lockfile_integrity")
        fb.add("")
    fb = t.file(f"tools/{name}/src/main.rs")
    fb.block("""
        use std::env;

        fn main() -> anyhow::Result<()> {
        """)
    fb.decoy('    let url = env::var("DATABASE_URL")?;', "env_lookup")
    fb.add('    println!("migrating {}", url.split(\'@\').last().unwrap_or(""));')
    fb.add("    Ok(())")
    fb.add("}")


PNG_HEAD = bytes.fromhex("89504e470d0a1a0a0000000d49484452")


def data_uri(t: Tree, n: int | None = None) -> str:
    r = t.r
    mime = r.choice(["image/png", "image/gif", "font/woff2", "image/webp"])
    head = PNG_HEAD if mime == "image/png" else b"GIF89a" if mime == "image/gif" else b"wOF2" if "woff" in mime else b"RIFF\x00\x00\x00\x00WEBPVP8 "
    return f"data:{mime};base64,{b64e(head + r.raw(n or r.randint(60, 400)))}"


def w_assets(t: Tree, root: str) -> None:
    r, m = t.r, t.m
    fb = t.file(f"{root}/css/main.css")
    fb.add(":root {")
    for name in ["primary", "secondary", "accent", "danger", "muted", "bg"]:
        fb.decoy(f"  --color-{name}: #{r.hexs(6)};", "css")
    fb.add("}")
    for sel in ["body", ".btn", ".card", ".nav a:hover", ".badge--warning", ".login-form input[type=password]"]:
        fb.add(f"{sel} {{")
        fb.decoy(f"  color: #{r.hexs(6)}; background: #{r.hexs(3)};", "css")
        fb.add(f"  padding: {r.randint(2, 16)}px {r.randint(4, 24)}px;")
        fb.add("}")
    fb.add(".icon-check {")
    fb.decoy(f'  background-image: url("{data_uri(t)}");', "base64_image")
    fb.add("}")
    fb.add("@font-face {")
    fb.add("  font-family: 'Inter';")
    fb.decoy(f"  src: url({data_uri(t, 600)}) format('woff2');", "base64_image")
    fb.add("}")

    fb = t.file(f"{root}/js/vendor.min.js")
    fb.decoy(f"/*! {m['app']} vendor bundle | build {r.hexs(20)} */", "minified_js")
    for _ in range(r.randint(4, 8)):
        parts = []
        for _ in range(r.randint(20, 40)):
            a, b, c = r.s(LO, 1), r.s(LO + UP, 2), r.s(LO, 1)
            parts.append(r.choice([
                f"function {a}({b},{c}){{return {b}&&{b}.__esModule?{b}:{{default:{b}}}}}",
                f'{a}.exports={{id:"{r.hexs(r.choice([8, 16, 20]))}",v:"{r.s(ALNUM + "_$", r.randint(10, 30))}"}}',
                f'var {b}="{r.s(ALNUM + "+/", r.randint(16, 48))}";',
                f"{a}[{r.randint(100, 9999)}]=function({c},{b}){{{b}.d({c},{{Z:function(){{return {r.s(LO, 2)}}}}})}}",
                f'{b}.p="/static/chunks/{r.hexs(16)}.js";',
                f'{a}.src="{data_uri(t, r.randint(40, 120))}";',
            ]))
        fb.decoy("".join(parts), "minified_js")
    fb.decoy(f"//# sourceMappingURL=vendor.{r.hexs(8)}.min.js.map", "minified_js")

    fb = t.file(f"{root}/img/logo.svg")
    fb.add('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24">')
    fb.decoy(f'  <path fill="#{r.hexs(6)}" d="M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2zm-1 15l-5-5 1.41-1.41L11 14.17l7.59-7.59L20 8l-9 9z"/>', "css")
    fb.decoy(f'  <image width="24" height="24" href="{data_uri(t)}"/>', "base64_image")
    fb.add("</svg>")

    for lang, words in [("en", ("Password", "Enter your password", "Forgot your password?", "Your password must be at least 12 characters", "API key", "Secret key", "Token expired, please sign in again")),
                        ("fr", ("Mot de passe", "Saisissez votre mot de passe", "Mot de passe oublié ?", "Le mot de passe doit contenir au moins 12 caractères", "Clé d'API", "Clé secrète", "Jeton expiré, reconnectez-vous")),
                        ("de", ("Passwort", "Passwort eingeben", "Passwort vergessen?", "Das Passwort muss mindestens 12 Zeichen lang sein", "API-Schlüssel", "Geheimer Schlüssel", "Token abgelaufen, bitte erneut anmelden"))]:
        fb = t.file(f"{root}/locales/{lang}.json")
        keys = ["password", "passwordPlaceholder", "forgotPassword", "passwordTooShort", "apiKey", "secretKey", "tokenExpired"]
        fb.add("{")
        fb.add(f'  "appName": "{m["title"]}",')
        fb.add('  "auth": {')
        for i, (k, w) in enumerate(zip(keys, words)):
            fb.decoy(f'    "{k}": "{w}"' + ("," if i < len(keys) - 1 else ""), "i18n_password")
        fb.add("  }")
        fb.add("}")

    fb = t.file(f"{root}/index.html")
    fb.add("<!doctype html>")
    fb.add('<html lang="en">')
    fb.add("<head>")
    fb.add(f"  <title>{m['title']}</title>")
    fb.decoy(f'  <script src="https://cdn.jsdelivr.net/npm/htmx.org@1.9.10/dist/htmx.min.js" integrity="sha384-{b64e(r.raw(48))}" crossorigin="anonymous"></script>', "hash_digest")
    fb.decoy(f'  <meta http-equiv="Content-Security-Policy" content="script-src \'self\' \'nonce-{b64e(r.raw(16))}\'">', "random_id")
    fb.decoy(f'  <link rel="icon" href="{data_uri(t, 80)}">', "base64_image")
    fb.add("</head>")
    fb.add("<body>")
    fb.add('  <form method="post" action="/login">')
    fb.add('    <input type="email" name="email" autocomplete="username">')
    fb.decoy('    <input type="password" name="password" autocomplete="current-password" placeholder="Password">', "password_code")
    fb.add("  </form>")
    fb.add("</body>")
    fb.add("</html>")


# --------------------------------------------------------------------------- stacks

def code_consts(t: Tree, fb: FB, style: str, n_sec: int, n_dec: int, ind: str = "") -> None:
    fb.items(t.mix(style, n_sec, n_dec, ind))


def w_python_common(t: Tree, pkg: str) -> None:
    r, m = t.r, t.m
    # payments client
    fb = t.file(f"{pkg}/services/payments.py")
    fb.add('"""Stripe integration."""')
    fb.add("import os")
    fb.add("")
    fb.add("import stripe")
    fb.add("")
    if r.chance(0.6):
        s = t.take_fam("stripe")
        while s.kind == "stripe_webhook_secret":
            s = t.g.f_stripe()
        for dk, dn, dv in s.pre:
            fb.decoy(f'PUBLISHABLE_KEY = "{dv}"', dk)
        fb.plant(f'stripe.api_key = os.environ.get("STRIPE_SECRET_KEY", "{s.value}")', s)
    else:
        fb.decoy('stripe.api_key = os.environ["STRIPE_SECRET_KEY"]', "env_lookup")
    fb.decoy('WEBHOOK_SECRET = os.getenv("STRIPE_WEBHOOK_SECRET")', "env_lookup")
    fb.block('''

        def charge(customer_id: str, amount: int, currency: str = "usd") -> str:
            intent = stripe.PaymentIntent.create(
                customer=customer_id,
                amount=amount,
                currency=currency,
                automatic_payment_methods={"enabled": True},
            )
            return intent.id


        def verify(payload: bytes, signature: str):
            return stripe.Webhook.construct_event(payload, signature, WEBHOOK_SECRET)
        ''')
    # storage client
    fb = t.file(f"{pkg}/services/storage.py")
    fb.add("import boto3")
    fb.add("")
    fb.add(f'BUCKET = "{m["org"]}-{m["app"]}-uploads"')
    fb.add("")
    fb.add("")
    fb.add("def client():")
    fb.add("    return boto3.client(")
    fb.add('        "s3",')
    fb.add('        region_name="us-east-1",')
    if r.chance(0.5):
        s = t.take_fam("aws")
        fb.items(t.sec_items("py_kw", s, "        "))
    else:
        fb.decoy('        aws_access_key_id=os.getenv("AWS_ACCESS_KEY_ID"),', "env_lookup")
        fb.decoy('        aws_secret_access_key=os.getenv("AWS_SECRET_ACCESS_KEY"),', "env_lookup")
    fb.add("    )")
    # crypto helper
    fb = t.file(f"{pkg}/utils/crypto.py")
    fb.add("from cryptography.fernet import Fernet")
    fb.add("")
    if r.chance(0.6):
        s = t.take_fam("fernet")
        if s.kind == "fernet_key":
            fb.plant(f'_fernet = Fernet(b"{s.value}")', s)
        else:
            fb.decoy('_fernet = Fernet(os.environ["FERNET_KEY"].encode())', "env_lookup")
            fb.add("")
            fb.add("# captured from production for the regression test below")
            fb.plant(f'SAMPLE_TOKEN = b"{s.value}"', s)
    else:
        fb.decoy('_fernet = Fernet(os.environ["FERNET_KEY"].encode())', "env_lookup")
    fb.decoy("# rotate with: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key())'", "keygen_code")
    fb.block('''

        def encrypt(value: str) -> str:
            return _fernet.encrypt(value.encode()).decode()


        def decrypt(token: str) -> str:
            return _fernet.decrypt(token.encode()).decode()
        ''')
    # notifications
    fb = t.file(f"{pkg}/services/notify.py")
    fb.add("import os")
    fb.add("")
    fb.add("from slack_sdk import WebClient")
    fb.add("from twilio.rest import Client as Twilio")
    fb.add("import sendgrid")
    fb.add("")
    fb.items(t.mix("py", r.randint(2, 3), r.randint(2, 3)))
    fb.block('''

        def page(text: str) -> None:
            WebClient(token=SLACK_BOT_TOKEN).chat_postMessage(channel="#oncall", text=text)
        ''')
    fb.add('SLACK_BOT_TOKEN = os.getenv("SLACK_BOT_TOKEN", "")')
    # llm
    fb = t.file(f"{pkg}/services/assistant.py")
    fb.add("import os")
    fb.add("")
    fb.add("from openai import OpenAI")
    fb.add("import anthropic")
    fb.add("")
    if r.chance(0.5):
        s = t.take_fam(r.choice(["openai", "anthropic"]))
        if s.family == "openai":
            fb.plant(f'client = OpenAI(api_key="{s.value}")', s)
        else:
            fb.plant(f'client = anthropic.Anthropic(api_key="{s.value}")', s)
    else:
        fb.decoy('client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])', "env_lookup")
    fb.add("")
    fb.add("")
    fb.add("def summarize(text: str) -> str:")
    fb.add('    return text[:200]')


def w_python_tests(t: Tree, pkg: str) -> None:
    r, m = t.r, t.m
    fb = t.file("tests/test_auth.py")
    fb.add("import pytest")
    fb.add("")
    fb.add(f"from {pkg}.auth import login, create_access_token")
    fb.add("")
    fb.add("")
    fb.add("@pytest.fixture")
    fb.add("def user(db):")
    fb.decoy(f'    return UserFactory(email="ana@example.com", password="{r.choice(DICT_PASSWORDS)}")', "weak_test_password")
    fb.add("")
    fb.add("")
    fb.add("def test_login_rejects_wrong_password(client, user):")
    fb.decoy(f'    resp = client.post("/login", data={{"email": user.email, "password": "{r.choice(DICT_PASSWORDS)}"}})', "weak_test_password")
    fb.add("    assert resp.status_code == 401")
    fb.add("")
    fb.add("")
    fb.add("def test_decode_known_token():")
    fb.decoy(f'    token = "{Decoys(t).jwt_doc()}"  # jwt.io sample', "jwt_doc_example")
    fb.add('    assert decode(token, verify=False)["sub"] == "1234567890"')
    fb.add("")
    fb.add("")
    fb.add("def test_webhook_signature():")
    if r.chance(0.5):
        fb.items(t.mix("py", 1, 0, "    "))
    fb.decoy(f'    sig = "t={r.randint(1700000000, 1760000000)},v1={r.hexs(64)}"', "hash_digest")
    fb.add("    assert verify(b'{}', sig)")
    fb.add("")
    fb.add("")
    fb.add("def test_card_payment(stripe_mock):")
    fb.decoy('    card = "4242 4242 4242 4242"', "test_card")
    fb.decoy(f'    customer = "cus_{r.s(ALNUM, 14)}"', "provider_public_id")
    fb.add("    assert charge(customer, 1000)")

    fb = t.file("tests/fixtures/users.json")
    items = []
    for i in range(r.randint(2, 4)):
        items.append(i)
    fb.add("[")
    for i in items:
        fb.add("  {")
        fb.add(f'    "model": "accounts.user",')
        fb.add(f'    "pk": {i + 1},')
        fb.add('    "fields": {')
        fb.add(f'      "email": "user{i}@example.com",')
        _, hv = Decoys(t).v_password_hash()
        fb.decoy(f'      "password": "{hv}",', "password_hash")
        fb.decoy(f'      "api_token_id": "{r.uuid()}"', "uuid")
        fb.add("    }")
        fb.add("  }" + ("," if i < items[-1] else ""))
    fb.add("]")

    fb = t.file("tests/fixtures/integrations.yaml")
    fb.add("# Recorded integration settings used by the contract tests.")
    fb.add("stripe:")
    fb.items(t.mix("yaml", r.randint(1, 2), 2, "  ", kinds=["publishable_key", "provider_public_id", "placeholder"]))
    fb.add("encrypted_samples:")
    if r.chance(0.6):
        s = t.take_fam("fernet")
        fb.items(t.sec_items("yaml", s, "  "))
    fb.decoy(f"  sha: {r.hexs(40)}", "git_sha")
    fb.add("webhooks:")
    fb.items(t.mix("yaml", 1, 1, "  "))


def w_django(t: Tree) -> None:
    r, m = t.r, t.m
    fb = t.file("manage.py")
    fb.block('''
        #!/usr/bin/env python
        import os
        import sys

        if __name__ == "__main__":
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
            from django.core.management import execute_from_command_line

            execute_from_command_line(sys.argv)
        ''')
    fb = t.file("config/settings.py")
    fb.block(f'''
        """Django settings for {m['app']}."""
        from pathlib import Path
        import os

        import dj_database_url
        import sentry_sdk

        BASE_DIR = Path(__file__).resolve().parent.parent

        ''')
    if r.chance(0.6):
        s = t.take_fam(r.choice(["generic", "fernet"]))
        name = "SECRET_KEY"
        fb.plant(f'SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "{s.value}")' if r.chance(0.5)
                 else f'SECRET_KEY = "{s.value}"', s)
    else:
        fb.decoy('SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]', "env_lookup")
    fb.add('DEBUG = os.getenv("DEBUG", "false") == "true"')
    fb.add(f'ALLOWED_HOSTS = ["api.{m["domain"]}", "localhost"]')
    fb.add("")
    fb.add("INSTALLED_APPS = [")
    for a in ["django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes", "rest_framework", m["app"]]:
        fb.add(f'    "{a}",')
    fb.add("]")
    fb.add("")
    fb.add("DATABASES = {")
    if r.chance(0.5):
        s = t.take_fam("database")
        fb.plant(f'    "default": dj_database_url.parse(os.getenv("DATABASE_URL", "{s.value}")),', s)
    else:
        fb.add('    "default": {')
        fb.add('        "ENGINE": "django.db.backends.postgresql",')
        fb.add(f'        "NAME": "{m["app"]}",')
        fb.decoy(f'        "USER": "{m["app"]}",', "username")
        if r.chance(0.5):
            s = t.take_fam("generic")
            fb.plant(f'        "PASSWORD": "{s.value}",', s)
        else:
            fb.decoy('        "PASSWORD": os.environ.get("DB_PASSWORD", ""),', "env_lookup")
        fb.add('        "HOST": "db",')
        fb.add("    }")
    fb.add("}")
    fb.add("")
    fb.add('EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"')
    fb.add('EMAIL_HOST = "smtp.sendgrid.net"')
    fb.decoy('EMAIL_HOST_USER = "apikey"', "username")
    if r.chance(0.5):
        s = t.take_fam("sendgrid")
        fb.plant(f'EMAIL_HOST_PASSWORD = "{s.value}"', s)
    else:
        fb.decoy('EMAIL_HOST_PASSWORD = os.getenv("SENDGRID_API_KEY")', "env_lookup")
    fb.add("")
    fb.add("AUTH_PASSWORD_VALIDATORS = [")
    fb.decoy('    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},', "password_code")
    fb.add("]")
    fb.add('PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]')
    fb.add("")
    code_consts(t, fb, "py", r.randint(2, 3), r.randint(3, 4))
    fb.add("")
    if r.chance(0.5):
        s = t.take_fam("sentry")
        if s.kind == "sentry_dsn_with_secret":
            fb.plant(f'sentry_sdk.init(dsn="{s.value}", traces_sample_rate=0.1)', s)
        else:
            fb.decoy('sentry_sdk.init(dsn=os.getenv("SENTRY_DSN"), traces_sample_rate=0.1)', "env_lookup")
            fb.plant(f'SENTRY_AUTH_TOKEN = "{s.value}"  # for release uploads', s)
    else:
        _, dsn = r.choice([("x", f"https://{r.hexs(32)}@o{r.randint(10000, 999999)}.ingest.sentry.io/{r.randint(1000, 9999999)}")])
        fb.decoy(f'sentry_sdk.init(dsn="{dsn}", traces_sample_rate=0.1)', "provider_public_id")

    fb = t.file(f"{m['app']}/models.py")
    fb.block('''
        from django.contrib.auth.models import AbstractUser
        from django.db import models


        class User(AbstractUser):
            api_token_hash = models.CharField(max_length=128, blank=True)
            password_changed_at = models.DateTimeField(null=True)

            def rotate_token(self):
        ''')
    fb.decoy("        token = secrets.token_urlsafe(32)", "keygen_code")
    fb.add("        self.api_token_hash = hashlib.sha256(token.encode()).hexdigest()")
    fb.add("        return token")
    fb = t.file(f"{m['app']}/views.py")
    fb.block('''
        from django.contrib.auth import authenticate
        from rest_framework.decorators import api_view
        from rest_framework.response import Response


        @api_view(["POST"])
        def login(request):
        ''')
    fb.decoy('    password = request.data.get("password")', "password_code")
    fb.add('    user = authenticate(username=request.data.get("email"), password=password)')
    fb.add("    if user is None:")
    fb.add('        return Response({"detail": "invalid credentials"}, status=401)')
    fb.add('    return Response({"ok": True})')
    w_python_common(t, m["app"])
    fb = t.file(f"{m['app']}/auth.py")
    fb.add("import jwt")
    fb.add("from django.conf import settings")
    fb.add("")
    fb.decoy('ALGORITHM = "HS256"', "secret_name_nonsecret_value")
    fb.add("")
    fb.add("def create_access_token(sub):")
    fb.add('    return jwt.encode({"sub": sub}, settings.SECRET_KEY, algorithm=ALGORITHM)')
    w_python_tests(t, m["app"])
    w_poetry(t)
    w_assets(t, f"{m['app']}/static")


def w_fastapi(t: Tree) -> None:
    r, m = t.r, t.m
    fb = t.file("app/main.py")
    fb.block('''
        from fastapi import Depends, FastAPI

        from app.core.config import settings
        from app.api import router

        app = FastAPI(title=settings.PROJECT_NAME)
        app.include_router(router, prefix="/v1")


        @app.get("/health")
        def health():
            return {"status": "ok"}
        ''')
    fb = t.file("app/core/config.py")
    fb.block(f'''
        from pydantic_settings import BaseSettings, SettingsConfigDict


        class Settings(BaseSettings):
            model_config = SettingsConfigDict(env_file=".env")

            PROJECT_NAME: str = "{m['title']}"
            ACCESS_TOKEN_EXPIRE_MINUTES: int = 30
        ''')
    for it in t.mix("py", r.randint(3, 4), r.randint(2, 3), "    ", kinds=["placeholder", "secret_name_nonsecret_value", "provider_public_id", "placeholder_db_url"]):
        text, meta = it
        # annotate as pydantic fields
        text = text.replace(" = ", ": str = ", 1)
        fb.emit((text, meta))
    fb.add("")
    fb.add("")
    fb.add("settings = Settings()")
    fb = t.file("app/core/security.py")
    fb.add("from datetime import datetime, timedelta, timezone")
    fb.add("")
    fb.add("import jwt")
    fb.add("from passlib.context import CryptContext")
    fb.add("")
    fb.decoy('pwd_context = CryptContext(schemes=["bcrypt"], deprecated="auto")', "password_code")
    if r.chance(0.6):
        s = t.take_fam(r.choice(["generic", "private_key"]))
        if s.family == "generic":
            fb.plant(f'JWT_SECRET_KEY = "{s.value}"', s)
        else:
            fb.items(t.sec_items("py", s, "", name="JWT_PRIVATE_KEY"))
    else:
        fb.decoy('JWT_SECRET_KEY = os.environ["JWT_SECRET_KEY"]', "env_lookup")
    fb.decoy('ALGORITHM = "HS256"', "secret_name_nonsecret_value")
    fb.block('''


        def create_access_token(subject: str, minutes: int = 30) -> str:
            exp = datetime.now(timezone.utc) + timedelta(minutes=minutes)
            return jwt.encode({"sub": subject, "exp": exp}, JWT_SECRET_KEY, algorithm=ALGORITHM)


        def verify_password(plain: str, hashed: str) -> bool:
            return pwd_context.verify(plain, hashed)
        ''')
    fb = t.file("app/db/session.py")
    fb.add("from sqlalchemy import create_engine")
    fb.add("from sqlalchemy.orm import sessionmaker")
    fb.add("")
    if r.chance(0.5):
        s = t.take_fam("database")
        fb.plant(f'engine = create_engine("{s.value}", pool_pre_ping=True)', s)
    else:
        fb.decoy('engine = create_engine(os.environ["DATABASE_URL"], pool_pre_ping=True)', "env_lookup")
    fb.add("SessionLocal = sessionmaker(bind=engine, autoflush=False)")
    fb = t.file("alembic.ini")
    fb.add("[alembic]")
    fb.add("script_location = migrations")
    if r.chance(0.4):
        s = t.take_fam("database")
        fb.plant(f"sqlalchemy.url = {s.value}", s)
    else:
        fb.decoy(f"sqlalchemy.url = postgresql:{SL}{m['app']}:{m['app']}@localhost/{m['app']}", "placeholder_db_url")
    fb.add("")
    fb.add("[loggers]")
    fb.add("keys = root,sqlalchemy,alembic")
    fb = t.file("app/api.py")
    fb.block('''
        from fastapi import APIRouter, Header, HTTPException

        router = APIRouter()


        @router.post("/login")
        def login(body: dict):
        ''')
    fb.decoy('    password = body.get("password")', "password_code")
    fb.add('    if not password:')
    fb.add('        raise HTTPException(status_code=400)')
    fb.add('    return {"ok": True}')
    w_python_common(t, "app")
    w_python_tests(t, "app")
    fb = t.file("tests/conftest.py")
    fb.add("import os")
    fb.add("")
    fb.decoy(f'os.environ.setdefault("DATABASE_URL", "postgresql:{SL}postgres:postgres@localhost/{m["app"]}_test")', "placeholder_db_url")
    fb.decoy('os.environ.setdefault("JWT_SECRET_KEY", "test-secret")', "placeholder")
    fb.decoy(f'os.environ.setdefault("ADMIN_PASSWORD", "{r.choice(DICT_PASSWORDS)}")', "weak_test_password")
    w_poetry(t)


def w_node_common(t: Tree, src: str, ts: bool) -> None:
    r, m = t.r, t.m
    ext = "ts" if ts else "js"
    st = "ts" if ts else "js"
    fb = t.file(f"{src}/config.{ext}")
    fb.add("require('dotenv').config();" if not ts else "import 'dotenv/config';")
    fb.add("")
    fb.add("module.exports = {" if not ts else "export const config = {")
    fb.add(f"  port: Number(process.env.PORT || 3000),")
    fb.add(f"  appName: '{m['title']}',")
    items = t.mix("js_obj", r.randint(2, 4), r.randint(3, 4), "  ")
    fb.items(items)
    # fallbacks: process.env.X || "literal"
    for _ in range(r.randint(1, 2)):
        s = t.take("js_obj")
        if s is None:
            break
        if s.multiline or s.post or s.pre:
            fb.items(t.sec_items("js_obj", s, "  "))
            continue
        n = r.choice(s.names)
        fb.plant(f"  {camel(n)}: process.env.{n} || '{s.value}',", s)
    fb.add("};")
    fb = t.file(f"{src}/services/stripe.{ext}")
    fb.add("const Stripe = require('stripe');" if not ts else "import Stripe from 'stripe';")
    fb.add("")
    if r.chance(0.5):
        s = t.take_fam("stripe")
        while s.kind == "stripe_webhook_secret":
            s = t.g.f_stripe()
        fb.plant(f"const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '{s.value}');" if r.chance(0.5)
                 else f"const stripe = Stripe('{s.value}');", s)
    else:
        fb.decoy("const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);", "env_lookup")
    fb.decoy(f"const PUBLISHABLE = '{PK_LIVE}{r.s(ALNUM, 24)}';", "publishable_key")
    fb.block('''

        async function createCheckout(priceId, customer) {
          return stripe.checkout.sessions.create({
            mode: 'subscription',
            customer,
            line_items: [{ price: priceId, quantity: 1 }],
          });
        }

        module.exports = { createCheckout, PUBLISHABLE };
        ''')
    fb = t.file(f"{src}/services/auth.{ext}")
    fb.add("const jwt = require('jsonwebtoken');" if not ts else "import jwt from 'jsonwebtoken';")
    fb.add("const bcrypt = require('bcryptjs');" if not ts else "import bcrypt from 'bcryptjs';")
    fb.add("")
    if r.chance(0.5):
        s = t.take_fam(r.choice(["generic", "private_key"]))
        if s.family == "generic":
            fb.plant(f"const JWT_SECRET = process.env.JWT_SECRET || '{s.value}';", s)
        else:
            fb.items(t.sec_items(st, s, "", name="JWT_PRIVATE_KEY"))
    else:
        fb.decoy("const JWT_SECRET = process.env.JWT_SECRET;", "env_lookup")
    fb.block('''

        function sign(user) {
          return jwt.sign({ sub: user.id, role: user.role }, JWT_SECRET, { expiresIn: '15m' });
        }

        async function login(email, password) {
          const user = await users.findByEmail(email);
        ''')
    fb.decoy("  const ok = user && (await bcrypt.compare(password, user.passwordHash));", "password_code")
    fb.add("  return ok ? sign(user) : null;")
    fb.add("}")
    fb.add("")
    fb.add("module.exports = { sign, login };")
    fb = t.file(f"{src}/services/integrations.{ext}")
    fb.add("// Third-party clients.")
    fb.add("const { WebClient } = require('@slack/web-api');")
    fb.add("const OpenAI = require('openai');")
    fb.add("")
    fb.items(t.mix(st, r.randint(2, 3), r.randint(2, 3)))
    fb.add("")
    fb.add("module.exports = {};")
    # tests
    fb = t.file(f"test/auth.test.{ext}")
    fb.add("const request = require('supertest');")
    fb.add("const app = require('../src/app');")
    fb.add("")
    fb.add("describe('auth', () => {")
    fb.add("  it('rejects a bad password', async () => {")
    fb.decoy(f"    const res = await request(app).post('/login').send({{ email: 'a@example.com', password: '{r.choice(DICT_PASSWORDS)}' }});", "weak_test_password")
    fb.add("    expect(res.status).toBe(401);")
    fb.add("  });")
    fb.add("")
    fb.add("  it('decodes the sample token', () => {")
    fb.decoy(f"    const token = '{Decoys(t).jwt_doc()}';", "jwt_doc_example")
    fb.add("    expect(jwt.decode(token).sub).toBe('1234567890');")
    fb.add("  });")
    if r.chance(0.6):
        fb.add("")
        fb.add("  it('accepts a service token', async () => {")
        s = t.take_fam("jwt")
        fb.plant(f"    const token = '{s.value}';", s)
        fb.add("    const res = await request(app).get('/me').set('Authorization', `Bearer ${token}`);")
        fb.add("    expect(res.status).toBe(200);")
        fb.add("  });")
    fb.add("});")
    fb = t.file("test/fixtures/webhook-event.json")
    fb.add("{")
    fb.decoy(f'  "id": "evt_{r.s(ALNUM, 24)}",', "provider_public_id")
    fb.add('  "object": "event",')
    fb.add('  "type": "checkout.session.completed",')
    fb.add('  "data": {')
    fb.add('    "object": {')
    fb.decoy(f'      "id": "cs_live_{r.s(ALNUM, 58)}",', "provider_public_id")
    fb.decoy(f'      "customer": "cus_{r.s(ALNUM, 14)}",', "provider_public_id")
    fb.decoy(f'      "client_reference_id": "{r.uuid()}"', "uuid")
    fb.add("    }")
    fb.add("  },")
    fb.decoy(f'  "request": {{ "id": "req_{r.s(ALNUM, 14)}", "idempotency_key": "{r.uuid()}" }}', "random_id")
    fb.add("}")


def w_express(t: Tree) -> None:
    r, m = t.r, t.m
    fb = t.file("package.json")
    fb.add("{")
    fb.add(f'  "name": "{m["app"]}",')
    fb.add('  "version": "1.4.0",')
    fb.add('  "private": true,')
    fb.add('  "scripts": { "start": "node src/index.js", "test": "jest" },')
    fb.decoy(f'  "gitHead": "{r.hexs(40)}",', "git_sha")
    fb.add('  "dependencies": {')
    deps = sorted(r.sample(NPM_PKGS, 10))
    for i, d in enumerate(deps):
        fb.add(f'    "{d}": "^{ver(r)}"' + ("," if i < len(deps) - 1 else ""))
    fb.add("  }")
    fb.add("}")
    fb = t.file("src/index.js")
    fb.block('''
        const express = require('express');
        const helmet = require('helmet');
        const config = require('./config');

        const app = express();
        app.use(helmet());
        app.use(express.json());

        app.get('/health', (req, res) => res.json({ status: 'ok' }));

        app.listen(config.port, () => console.log(`listening on ${config.port}`));
        module.exports = app;
        ''')
    fb = t.file("src/db.js")
    fb.add("const { Pool } = require('pg');")
    fb.add("")
    if r.chance(0.5):
        s = t.take_fam("database")
        fb.plant(f"const pool = new Pool({{ connectionString: process.env.DATABASE_URL || '{s.value}' }});", s)
    else:
        fb.decoy("const pool = new Pool({ connectionString: process.env.DATABASE_URL });", "env_lookup")
    fb.add("module.exports = pool;")
    w_node_common(t, "src", ts=False)
    w_npmrc(t)
    w_package_lock(t, "package-lock.json")
    w_assets(t, "public")


def w_nextjs(t: Tree) -> None:
    r, m = t.r, t.m
    fb = t.file("package.json")
    fb.add("{")
    fb.add(f'  "name": "{m["app"]}-web",')
    fb.add('  "private": true,')
    fb.add('  "scripts": { "dev": "next dev", "build": "next build", "start": "next start", "test": "jest" },')
    fb.add('  "dependencies": { "next": "14.2.3", "react": "18.3.1", "react-dom": "18.3.1", "stripe": "^15.0.0", "swr": "^2.2.5" }')
    fb.add("}")
    fb = t.file("next.config.js")
    fb.add("/** @type {import('next').NextConfig} */")
    fb.add("module.exports = {")
    fb.add("  reactStrictMode: true,")
    fb.add("  env: {")
    fb.decoy(f"    NEXT_PUBLIC_STRIPE_KEY: '{PK_LIVE}{r.s(ALNUM, 24)}',", "publishable_key")
    fb.items(t.mix("js_obj", r.randint(1, 2), 2, "    "))
    fb.add("  },")
    fb.add("};")
    fb = t.file("pages/api/checkout.ts")
    fb.block('''
        import type { NextApiRequest, NextApiResponse } from 'next';
        import Stripe from 'stripe';

        ''')
    if r.chance(0.5):
        s = t.take_fam("stripe")
        while s.kind == "stripe_webhook_secret":
            s = t.g.f_stripe()
        fb.plant(f"const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '{s.value}', {{ apiVersion: '2024-04-10' }});", s)
    else:
        fb.decoy("const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, { apiVersion: '2024-04-10' });", "env_lookup")
    fb.block('''

        export default async function handler(req: NextApiRequest, res: NextApiResponse) {
          const session = await stripe.checkout.sessions.create({
            mode: 'payment',
            line_items: [{ price: req.body.price, quantity: 1 }],
            success_url: `${req.headers.origin}/thanks`,
          });
          res.json({ url: session.url });
        }
        ''')
    fb = t.file("lib/firebase.ts")
    fb.add("import { initializeApp } from 'firebase/app';")
    fb.add("")
    fb.add("export const app = initializeApp({")
    if r.chance(0.6):
        s = t.take_fam("google")
        if s.kind == "google_api_key":
            fb.plant(f"  apiKey: '{s.value}',", s)
        else:
            fb.decoy("  apiKey: process.env.NEXT_PUBLIC_FIREBASE_API_KEY,", "env_lookup")
            fb.add("  // server-side OAuth (moved to the API route later)")
            fb.plant(f"  clientSecret: '{s.value}',", s)
    else:
        fb.decoy("  apiKey: process.env.NEXT_PUBLIC_FIREBASE_API_KEY,", "env_lookup")
    fb.add(f"  authDomain: '{m['org']}-{m['product']}.firebaseapp.com',")
    fb.add(f"  projectId: '{m['org']}-{m['product']}',")
    fb.decoy(f"  appId: '1:{r.randint(10**11, 10**12 - 1)}:web:{r.hexs(22)}',", "provider_public_id")
    fb.decoy(f"  measurementId: 'G-{r.s(UP + DIG, 10)}',", "provider_public_id")
    fb.add("});")
    fb = t.file(".env.local")
    fb.add(f"NEXTAUTH_URL=http://localhost:3000")
    fb.items(t.mix("env", r.randint(2, 4), 2))
    w_node_common(t, "lib/server", ts=True)
    w_npmrc(t)
    w_yarn_lock(t)
    w_assets(t, "public")
    fb = t.file("styles/globals.css")
    fb.add("html, body {")
    fb.decoy(f"  color: #{r.hexs(6)};", "css")
    fb.decoy(f"  background: linear-gradient(#{r.hexs(6)}, #{r.hexs(6)});", "css")
    fb.add("}")


def w_go(t: Tree) -> None:
    r, m = t.r, t.m
    mod = f"github.com/{m['org']}/{t.name}"
    fb = t.file("go.mod")
    fb.add(f"module {mod}")
    fb.add("")
    fb.add("go 1.22")
    fb.add("")
    fb.add("require (")
    for g in sorted(r.sample(GO_MODS, 8)):
        fb.add(f"\t{g} v{ver(r)}")
    fb.add(")")
    w_go_sum(t)
    fb = t.file("cmd/server/main.go")
    fb.block(f'''
        package main

        import (
        \t"log"
        \t"net/http"

        \t"{mod}/internal/config"
        )

        func main() {{
        \tcfg := config.Load()
        \tlog.Printf("listening on %s", cfg.Addr)
        \tlog.Fatal(http.ListenAndServe(cfg.Addr, nil))
        }}
        ''')
    fb = t.file("internal/config/config.go")
    fb.block('''
        package config

        import "os"

        type Config struct {
        	Addr        string
        	DatabaseURL string
        	StripeKey   string
        	JWTSecret   string
        }

        // Defaults used when the environment does not say otherwise.
        const (
        ''')
    fb.items(t.mix("go", r.randint(2, 4), r.randint(2, 3), "\t", kinds=["placeholder", "provider_public_id", "secret_name_nonsecret_value", "uuid"]))
    fb.add(")")
    fb.add("")
    fb.add("func Load() Config {")
    fb.add("\treturn Config{")
    fb.add('\t\tAddr: ":8080",')
    fb.items(t.mix("go_struct", r.randint(1, 2), 2, "\t\t"))
    fb.add("\t}")
    fb.add("}")
    fb = t.file("internal/db/db.go")
    fb.add("package db")
    fb.add("")
    fb.add('import "github.com/jackc/pgx/v5/pgxpool"')
    fb.add("")
    if r.chance(0.5):
        s = t.take_fam("database")
        fb.plant(f'const fallbackDSN = "{s.value}"', s)
    else:
        fb.decoy(f'const fallbackDSN = "postgres:{SL}postgres:postgres@localhost:5432/{m["app"]}?sslmode=disable"', "placeholder_db_url")
    fb = t.file("internal/auth/jwt.go")
    fb.add("package auth")
    fb.add("")
    fb.add('import "github.com/golang-jwt/jwt/v5"')
    fb.add("")
    if r.chance(0.5):
        s = t.take_fam(r.choice(["generic", "private_key"]))
        if s.family == "generic":
            fb.plant(f'var signingKey = []byte("{s.value}")', s)
        else:
            fb.items(t.sec_items("go", s, "var ", name="PRIVATE_KEY_PEM"))
    else:
        fb.decoy('var signingKey = []byte(os.Getenv("JWT_SECRET"))', "env_lookup")
    fb.add("")
    fb.add("func Sign(sub string) (string, error) {")
    fb.add('\treturn jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": sub}).SignedString(signingKey)')
    fb.add("}")
    fb = t.file("internal/notify/slack.go")
    fb.add("package notify")
    fb.add("")
    fb.add("const (")
    fb.items(t.mix("go", r.randint(1, 2), 2, "\t"))
    fb.add(")")
    fb = t.file("internal/auth/jwt_test.go")
    fb.add("package auth")
    fb.add("")
    fb.add('import "testing"')
    fb.add("")
    fb.add("func TestLogin(t *testing.T) {")
    fb.decoy(f'\tpassword := "{r.choice(DICT_PASSWORDS)}"', "weak_test_password")
    fb.decoy(f'\ttok := "{Decoys(t).jwt_doc()}"', "jwt_doc_example")
    fb.add("\t_ = password")
    fb.add("\t_ = tok")
    if r.chance(0.5):
        fb.items(t.mix("go", 1, 0, "\tconst "))
    fb.add("}")
    fb = t.file("config.yaml")
    fb.add("server:")
    fb.add("  addr: :8080")
    fb.add("integrations:")
    fb.items(t.mix("yaml", r.randint(2, 3), r.randint(2, 3), "  "))
    w_cargo_tool(t)


def w_spring(t: Tree) -> None:
    r, m = t.r, t.m
    pkg = f"com.{m['org']}.{m['product']}"
    pdir = pkg.replace(".", "/")
    fb = t.file("pom.xml")
    fb.block(f'''
        <?xml version="1.0" encoding="UTF-8"?>
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.{m['org']}</groupId>
          <artifactId>{m['app']}</artifactId>
          <version>1.0.0</version>
          <parent>
            <groupId>org.springframework.boot</groupId>
            <artifactId>spring-boot-starter-parent</artifactId>
            <version>3.2.5</version>
          </parent>
          <dependencies>
            <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
            <dependency><groupId>com.stripe</groupId><artifactId>stripe-java</artifactId><version>25.3.0</version></dependency>
          </dependencies>
        </project>
        ''')
    fb = t.file(".mvn/settings.xml")
    fb.add("<settings>")
    fb.add("  <servers>")
    fb.add("    <server>")
    fb.add(f"      <id>{m['org']}-releases</id>")
    fb.decoy("      <username>ci</username>", "username")
    if r.chance(0.5):
        s = t.take_fam("generic")
        while "&" in s.value or "<" in s.value:
            s = t.g.f_generic()
        fb.plant(f"      <password>{s.value}</password>", s)
    else:
        fb.decoy("      <password>${env.MAVEN_PASSWORD}</password>", "template_var")
    fb.add("    </server>")
    fb.add("  </servers>")
    fb.add("</settings>")
    fb = t.file("src/main/resources/application.yml")
    fb.add("spring:")
    fb.add("  datasource:")
    fb.add(f"    url: jdbc:postgresql://db:5432/{m['app']}")
    fb.decoy(f"    username: {m['app']}", "username")
    if r.chance(0.5):
        s = t.take_fam("generic")
        fb.plant(f"    password: {s.value}" if bare_ok(s.value) else f"    password: '{s.value}'", s)
    else:
        fb.decoy("    password: ${DB_PASSWORD}", "template_var")
    fb.add("app:")
    fb.items(t.mix("yaml", r.randint(2, 3), r.randint(2, 3), "  "))
    fb = t.file("src/main/resources/application-prod.properties")
    fb.add("server.port=8080")
    fb.add("management.endpoints.web.exposure.include=health,info")
    fb.items(t.mix("properties", r.randint(2, 3), r.randint(2, 3)))
    fb = t.file(f"src/main/java/{pdir}/config/IntegrationConfig.java")
    fb.add(f"package {pkg}.config;")
    fb.add("")
    fb.add("import org.springframework.context.annotation.Configuration;")
    fb.add("")
    fb.add("@Configuration")
    fb.add("public class IntegrationConfig {")
    fb.items(t.mix("java", r.randint(2, 3), r.randint(2, 3), "    "))
    fb.add("}")
    fb = t.file(f"src/main/java/{pdir}/storage/S3Config.java")
    fb.add(f"package {pkg}.storage;")
    fb.add("")
    fb.add("public class S3Config {")
    fb.add("    public AmazonS3 s3() {")
    if r.chance(0.5):
        s = t.take_fam("aws")
        if s.kind == "aws_access_key_id":
            fb.add("        AWSCredentials creds = new BasicAWSCredentials(")
            fb.plant(f'                "{s.value}",', s)
            fb.plant(f'                "{s.post[0].value}");', s.post[0])
            for p in s.post[1:]:
                fb.plant(f'        String sessionToken = "{p.value}";', p)
        else:
            fb.plant(f'        String secretKey = "{s.value}"; // aws_secret_access_key', s)
    else:
        fb.decoy('        AWSCredentials creds = new BasicAWSCredentials(System.getenv("AWS_ACCESS_KEY_ID"), System.getenv("AWS_SECRET_ACCESS_KEY"));', "env_lookup")
    fb.add("        return AmazonS3ClientBuilder.standard().withRegion(\"us-east-1\").build();")
    fb.add("    }")
    fb.add("}")
    fb = t.file(f"src/main/java/{pdir}/auth/LoginController.java")
    fb.add(f"package {pkg}.auth;")
    fb.add("")
    fb.add("@RestController")
    fb.add("public class LoginController {")
    fb.decoy("    private static final int PASSWORD_MIN_LENGTH = 12;", "password_code")
    fb.decoy('    private final String jwtSecret = System.getenv("JWT_SECRET");', "env_lookup")
    fb.add('    @PostMapping("/login")')
    fb.add("    public ResponseEntity<?> login(@RequestBody LoginRequest req) {")
    fb.decoy("        if (!passwordEncoder.matches(req.getPassword(), user.getPasswordHash())) {", "password_code")
    fb.add("            return ResponseEntity.status(401).build();")
    fb.add("        }")
    fb.add("        return ResponseEntity.ok().build();")
    fb.add("    }")
    fb.add("}")
    fb = t.file(f"src/test/java/{pdir}/auth/LoginControllerTest.java")
    fb.add(f"package {pkg}.auth;")
    fb.add("")
    fb.add("class LoginControllerTest {")
    fb.decoy(f'    private static final String PASSWORD = "{r.choice(DICT_PASSWORDS)}";', "weak_test_password")
    fb.decoy(f'    private static final String SAMPLE_JWT = "{Decoys(t).jwt_doc()}";', "jwt_doc_example")
    if r.chance(0.5):
        fb.items(t.mix("java", 1, 0, "    "))
    fb.add("}")
    fb = t.file("src/test/resources/application-test.yml")
    fb.add("spring:")
    fb.add("  datasource:")
    fb.add("    url: jdbc:h2:mem:test")
    fb.decoy("    password: test", "weak_test_password")
    fb.add("app:")
    fb.items(t.mix("yaml", 1, 2, "  ", kinds=["placeholder", "placeholder_prefixed"]))


def w_sweep(t: Tree) -> None:
    """Plant whatever is left in the deck in a few extra config files."""
    r = t.r
    choices = [("config/legacy.toml", "toml"), ("config/integrations.yaml", "yaml"), ("scripts/env.sh", "shell"),
               ("config/secrets.json", "json"), ("config/app.ini", "ini"), ("config/local_settings.py", "py")]
    r.shuffle(choices)
    i = 0
    while t.deck:
        path, style = choices[i % len(choices)]
        i += 1
        if path in t.files:
            path = path.replace(".", f"_{i}.", 1) if "." in os.path.basename(path) else path + f"_{i}"
        n = min(len(t.deck), r.randint(2, 4))
        fb = t.file(path)
        items = t.mix(style, n, r.randint(2, 3), "  " if style == "json" else "")
        if style == "json":
            fb.add("{")
            fb.items(items, sep=",")
            fb.add("}")
        elif style == "toml":
            fb.add("[integrations]")
            fb.items(items)
        elif style == "ini":
            fb.add("[secrets]")
            fb.items(items)
        elif style == "shell":
            fb.add("#!/usr/bin/env bash")
            fb.items(items)
        else:
            fb.items(items)


STACKS = ["django", "fastapi", "express", "nextjs", "go", "spring"]


def build_tree(idx: int, seed: int, ignore_env: bool) -> Tree:
    r = Rnd(f"leakhound-eval/{seed}/{idx}")
    org = r.choice(ORGS)
    product = r.choice(PRODUCTS)
    stack = STACKS[idx % len(STACKS)]
    name = f"{idx + 1:02d}-{org}-{product}-{stack}"
    app = f"{product}"
    meta = {"org": org, "product": product, "app": app, "domain": f"{org}.io",
            "title": f"{org.title()} {product.title()}"}
    t = Tree(name, r, stack, meta)
    {"django": w_django, "fastapi": w_fastapi, "express": w_express, "nextjs": w_nextjs,
     "go": w_go, "spring": w_spring}[stack](t)
    w_readme(t)
    w_docs(t)
    w_changelog(t)
    w_env(t)
    w_gitignore(t, ignore_env)
    w_dockerfile(t)
    w_compose(t)
    w_k8s(t)
    w_terraform(t)
    w_workflows(t)
    w_scripts(t)
    w_certs(t)
    if r.chance(0.6):
        w_gcp_sa(t)
    if r.chance(0.5):
        w_aws_creds(t)
    w_sweep(t)
    return t


def check_tree(t: Tree) -> None:
    """Every planted line holds its secret; no look-alike shares a planted line."""
    planted: dict[str, set] = {}
    for rec in t.truth:
        lines = t.files[rec["path"]].lines
        first = lines[rec["line"] - 1]
        s = rec["secret"]
        probe = rec.get("encoded") or (s.split("\n")[0] if "\n" in s else s)
        assert probe in first, (t.name, rec["path"], rec["line"], probe[:30], first[:80])
        rng = set(range(rec["line"], rec["end_line"] + 1))
        ps = planted.setdefault(rec["path"], set())
        assert not (ps & rng), ("two secrets on one line", t.name, rec["path"], rec["line"])
        ps |= rng
    for d in t.decoys:
        rng = set(range(d["line"], d["end_line"] + 1))
        assert not (planted.get(d["path"], set()) & rng), ("decoy on a planted line", t.name, d)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="output directory (replaced)")
    ap.add_argument("--trees", type=int, default=12)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--gitignore-env", action="store_true",
                    help="list .env files in each tree's .gitignore (off: every planted file is scanned by default)")
    a = ap.parse_args(argv)
    out = os.path.abspath(a.out)
    if os.path.exists(out):
        if not os.path.exists(os.path.join(out, "manifest.json")):
            print(f"refusing to replace {out}: not a corpus made by this script", file=sys.stderr)
            return 2
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "trees"))
    truth, decoys, trees = [], [], []
    for i in range(a.trees):
        t = build_tree(i, a.seed, a.gitignore_env)
        check_tree(t)
        for path, fb in t.files.items():
            full = os.path.join(out, "trees", t.name, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", encoding="utf-8", newline="\n") as f:
                f.write(fb.content())
            if path.endswith(".sh"):
                os.chmod(full, 0o755)
        truth += t.truth
        decoys += t.decoys
        trees.append({"name": t.name, "stack": t.stack, "files": len(t.files),
                      "planted": len(t.truth), "decoys": len(t.decoys)})
    fam: dict[str, int] = {}
    for x in truth:
        fam[x["family"]] = fam.get(x["family"], 0) + 1
    kinds: dict[str, int] = {}
    for x in decoys:
        kinds[x["kind"]] = kinds.get(x["kind"], 0) + 1
    manifest = {"generator": "bench/eval/gen.py", "seed": a.seed, "trees": trees,
                "planted": len(truth), "decoys": len(decoys),
                "planted_by_family": dict(sorted(fam.items())), "decoys_by_kind": dict(sorted(kinds.items())),
                "layout": "trees/<tree>/<path>; truth.json and decoys.json paths are relative to the tree root"}
    for name, obj in (("truth.json", truth), ("decoys.json", decoys), ("manifest.json", manifest)):
        with open(os.path.join(out, name), "w") as f:
            json.dump(obj, f, indent=1)
            f.write("\n")
    print(f"{a.trees} trees, {len(truth)} planted secrets, {len(decoys)} look-alike lines -> {out}\n"
          "planted by family: " + ", ".join(f"{k}={v}" for k, v in sorted(fam.items())), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
