#!/usr/bin/env python3
"""Hold-out corpus generator for secret scanners.

    python3 gen.py --out DIR --trees N --seed S

Writes DIR/trees/<tree>/..., DIR/truth.json (planted secrets), DIR/decoys.json (look-alike
non-secret lines) and DIR/manifest.json, then re-reads every written file and checks that each
recorded secret / decoy sits on its recorded line(s).

Written independently of any scanner's rules.  Every key is random and follows the provider's
publicly documented shape; provider prefixes are assembled by concatenation so this file holds
no literal key.  Standard library only, deterministic per --seed.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import random
import re
import shutil
import string
import struct
import sys
import uuid as uuidlib
import zlib

FAMILIES = ["stripe", "aws", "jwt", "fernet", "private_key", "database", "github", "slack", "google",
            "openai", "anthropic", "twilio", "sendgrid", "heroku", "sentry", "npm", "generic"]
FAM_WEIGHT = {"generic": 14.0, "database": 4.0, "aws": 1.3, "private_key": 1.6, "jwt": 1.5, "stripe": 1.6,
              "fernet": 1.2, "github": 1.2, "slack": 1.2, "google": 1.1, "openai": 1.1, "anthropic": 1.0,
              "twilio": 1.0, "sendgrid": 1.0, "heroku": 0.9, "sentry": 1.0, "npm": 0.8}

UP, LOW, DIG = string.ascii_uppercase, string.ascii_lowercase, string.digits
ALNUM = UP + LOW + DIG
B62 = DIG + UP + LOW
HEXC = "0123456789abcdef"
B64C = ALNUM + "+/"
B64U = ALNUM + "-_"
B32 = UP + "234567"
BCRYPT = "./" + ALNUM
PW_SYM = "!*-_+=.~^"
URL_PW_SYM = "-_.~!*"


def b64(b: bytes) -> str:
    return base64.b64encode(b).decode()


def b64u(b: bytes, pad=True) -> str:
    v = base64.urlsafe_b64encode(b).decode()
    return v if pad else v.rstrip("=")


def wrap(s: str, n: int = 64) -> list[str]:
    return [s[i:i + n] for i in range(0, len(s), n)]


# ------------------------------------------------------------------------------------------ tokens

class Tok:
    """Random values in the documented shape of each provider's credentials (and of look-alikes)."""

    def __init__(self, r: random.Random):
        self.r = r

    def s(self, n, cs=ALNUM):
        for _ in range(50):
            v = "".join(self.r.choice(cs) for _ in range(n))
            if n < 16 or all(not any(c in cs for c in cls) or any(c in cls for c in v) for cls in (DIG, UP, LOW)):
                if not re.search(r"(?i)example|test|xxxx|fake|dummy", v):
                    return v
        return v

    def hex(self, n):
        return self.s(n, HEXC)

    def digits(self, n):
        return self.r.choice("123456789") + "".join(self.r.choice(DIG) for _ in range(n - 1))

    def raw(self, n):
        return self.r.randbytes(n)

    def uuid(self):
        return str(uuidlib.UUID(int=self.r.getrandbits(128), version=4))

    def sha(self):
        return self.hex(40)

    # --- generic secret material
    def password(self, lo=12, hi=24):
        n = self.r.randint(lo, hi)
        while True:
            v = self.r.choice(UP + LOW) + "".join(self.r.choice(ALNUM + PW_SYM) for _ in range(n - 1))
            if (any(c in UP for c in v) and any(c in LOW for c in v) and any(c in DIG for c in v)
                    and any(c in PW_SYM for c in v) and v[-1] not in "\\"):
                return v

    def url_password(self):
        n = self.r.randint(14, 26)
        while True:
            v = self.r.choice(ALNUM) + "".join(self.r.choice(ALNUM + URL_PW_SYM) for _ in range(n - 1))
            if any(c in UP for c in v) and any(c in LOW for c in v) and any(c in DIG for c in v):
                return v

    def django_key(self):
        return self.r.choice(LOW) + "".join(self.r.choice(LOW + DIG + "!@^*-_=+") for _ in range(49))

    def urlsafe(self, nbytes=32):
        v = b64u(self.raw(nbytes), pad=False)
        return v if v[0].isalnum() else "a" + v[1:]

    # --- providers
    def crc_token(self, prefix, n=30):
        body = self.s(n, B62)
        c = zlib.crc32(body.encode()) & 0xFFFFFFFF
        enc = ""
        while c:
            c, d = divmod(c, 62)
            enc = B62[d] + enc
        return prefix + body + enc.rjust(6, "0")

    def github(self, kind=None):
        kind = kind or self.r.choice(["ghp", "ghp", "ghp", "pat", "pat", "gho", "ghu", "ghs", "ghr"])
        if kind == "pat":
            return "github" + "_pat_" + "11" + self.s(20, UP + DIG) + "_" + self.s(59, ALNUM), "fine_grained_pat"
        names = {"ghp": "classic_pat", "gho": "oauth_token", "ghu": "user_to_server_token",
                 "ghs": "server_to_server_token", "ghr": "refresh_token"}
        return self.crc_token(kind + "_"), names[kind]

    def npm(self):
        return self.crc_token("np" + "m_")

    def stripe(self, pre="sk", mode=None, modern=None):
        mode = mode or self.r.choice(["live", "live", "live", "test"])
        modern = self.r.random() < 0.65 if modern is None else modern
        body = ("51" + self.s(89)) if modern else self.s(24)
        return pre + "_" + mode + "_" + body

    def whsec(self):
        return "wh" + "sec_" + self.s(32)

    def aws_id(self, pre=None):
        return (pre or self.r.choice(["AK" + "IA"] * 4 + ["AS" + "IA"])) + self.s(16, B32)

    def aws_secret(self):
        return self.s(40, B64C)

    def aws_session(self):
        if self.r.random() < 0.5:
            return "FwoGZXIvYXdzE" + self.s(self.r.randint(290, 360), B64C)
        return "IQoJb3JpZ2luX2Vj" + "E" + self.s(self.r.randint(480, 700), B64C) + "="

    def jwt(self, alg=None, claims=None, iss=None):
        r = self.r
        alg = alg or r.choice(["HS256", "HS256", "HS256", "RS256", "ES256", "HS512"])
        hdr = {"alg": alg, "typ": "JWT"}
        if alg != "HS256" and r.random() < 0.6:
            hdr["kid"] = self.s(r.choice([16, 22, 32]), B64U)
        iat = 1_690_000_000 + r.randint(0, 60_000_000)
        c = {"sub": r.choice([self.uuid(), "svc-" + r.choice(["billing", "worker", "etl", "admin"]),
                               str(r.randint(1000, 99999))]), "iat": iat}
        if r.random() < 0.7:
            c["exp"] = iat + r.choice([86400 * 365, 86400 * 3650, 86400 * 30, 3600 * 24 * 90])
        if iss:
            c["iss"] = iss
        if r.random() < 0.5:
            c["role"] = r.choice(["admin", "service", "ops", "api"])
        if r.random() < 0.4:
            c["scope"] = r.choice(["read write", "orders:write payments:read", "admin:*"])
        c.update(claims or {})
        sig = {"HS256": 32, "HS512": 64, "RS256": 256, "ES256": 64}[alg]
        enc = lambda d: b64u(json.dumps(d, separators=(",", ":")).encode(), pad=False)
        return enc(hdr) + "." + enc(c) + "." + b64u(self.raw(sig), pad=False)

    def supabase_jwt(self, role, ref):
        iat = 1_690_000_000 + self.r.randint(0, 30_000_000)
        enc = lambda d: b64u(json.dumps(d, separators=(",", ":")).encode(), pad=False)
        return (enc({"alg": "HS256", "typ": "JWT"}) + "." + enc({"iss": "supabase", "ref": ref, "role": role, "iat": iat,
                "exp": iat + 315_360_000}) + "." + b64u(self.raw(32), pad=False))

    def fernet_key(self):
        return b64u(self.raw(32))

    def fernet_token(self):
        ts = 1_690_000_000 + self.r.randint(0, 60_000_000)
        blob = b"\x80" + struct.pack(">Q", ts) + self.raw(16) + self.raw(16 * self.r.randint(1, 4)) + self.raw(32)
        return b64u(blob)

    def slack(self, kind=None):
        r = self.r
        kind = kind or r.choice(["xoxb", "xoxb", "xoxp", "xapp", "xoxe", "webhook", "webhook"])
        d = lambda: self.digits(r.randint(10, 13))
        if kind == "xoxb":
            return "xox" + "b-" + d() + "-" + d() + "-" + self.s(24), "bot_token"
        if kind == "xoxp":
            return "xox" + "p-" + d() + "-" + d() + "-" + d() + "-" + self.hex(32), "user_token"
        if kind == "xapp":
            return "xa" + "pp-1-A" + self.s(10, UP + DIG) + "-" + self.digits(13) + "-" + self.hex(64), "app_token"
        if kind == "xoxe":
            if r.random() < 0.5:
                return "xox" + "e.xoxp-1-Mi0y" + self.s(r.randint(130, 150)), "config_token"
            return "xox" + "e-1-My0x" + self.s(r.randint(130, 150)), "config_refresh_token"
        return self.slack_webhook(), "webhook_url"

    def slack_webhook(self):
        n = self.r.randint(8, 10)
        return ("https://hooks." + "slack.com/services/T" + self.s(n, UP + DIG) + "/B" + self.s(n + 1, UP + DIG)
                + "/" + self.s(24))

    def google_key(self):
        return "AI" + "zaSy" + self.s(33, B64U)

    def google_secret(self):
        return "GOC" + "SPX-" + self.s(28, B64U)

    def google_client_id(self):
        return self.digits(12) + "-" + self.s(32, LOW + DIG) + ".apps.googleusercontent.com"

    def openai(self, kind=None):
        kind = kind or self.r.choice(["proj", "proj", "proj", "svcacct", "legacy"])
        mid = "T3Blbk" + "FJ"
        if kind == "legacy":
            return "sk-" + self.s(20) + mid + self.s(20), "legacy_key"
        n = self.r.choice([58, 74])
        pre = "sk-" + ("proj-" if kind == "proj" else "svcacct-")
        return pre + self.s(n, B64U) + mid + self.s(n, B64U), kind + "_key"

    def anthropic(self, admin=False):
        pre = "sk-" + ("ant-admin01-" if admin else "ant-api03-")
        return pre + self.s(93, B64U) + "AA"

    def twilio_sid(self, pre="AC"):
        return pre + self.hex(32)

    def sendgrid(self):
        return "S" + "G." + self.s(22, B64U) + "." + self.s(43, B64U)

    def heroku(self):
        if self.r.random() < 0.55:
            return self.uuid(), "api_key_uuid"
        return "HR" + "KU-AA" + self.s(58, B64U), "platform_token"

    def sentry_dsn(self, secret=True):
        r = self.r
        host = r.choice(["o%s.ingest.sentry.io" % self.digits(6), "o%s.ingest.us.sentry.io" % self.digits(7),
                         "sentry.io", "sentry.internal.%s" % r.choice(["corp", "lan"])])
        cred = self.hex(32) + ((":" + self.hex(32)) if secret else "")
        return "https://" + cred + "@" + host + "/" + self.digits(r.randint(4, 7))

    def sentry_token(self):
        if self.r.random() < 0.5:
            return "sntr" + "yu_" + self.hex(64), "user_auth_token"
        org = self.r.choice(["acme", "harbor", "northwind", "lumen-labs", "orbitworks"])
        payload = {"iat": 1_690_000_000 + self.r.randint(0, 50_000_000) + 0.5, "url": "https://sentry.io",
                   "region_url": "https://us.sentry.io", "org": org}
        p = b64(json.dumps(payload, separators=(",", ":")).encode()).rstrip("=")
        return "sntr" + "ys_" + p + "_" + b64(self.raw(32)).rstrip("="), "org_auth_token"

    # --- PEM material
    def pem_private(self, kind=None):
        """(label, body_lines, kind_name)."""
        r = self.r
        kind = kind or r.choice(["rsa", "rsa", "pkcs8", "ec", "openssh", "openssh", "pkcs8_ed25519", "dsa", "encrypted"])
        if kind == "rsa":
            der = bytes.fromhex("308204a40201000282010100") + bytes([0xC0 | r.randint(0, 63)]) + self.raw(1179)
            return "RSA PRIVATE KEY", wrap(b64(der)), "rsa_private_key"
        if kind == "pkcs8":
            der = (bytes.fromhex("308204bd020100300d06092a864886f70d0101010500048204a7308204a30201000282010100")
                   + bytes([0xC0 | r.randint(0, 63)]) + self.raw(1179))
            return "PRIVATE KEY", wrap(b64(der)), "pkcs8_private_key"
        if kind == "pkcs8_ed25519":
            der = bytes.fromhex("302e020100300506032b657004220420") + self.raw(32)
            return "PRIVATE KEY", wrap(b64(der)), "pkcs8_private_key"
        if kind == "ec":
            der = (bytes.fromhex("30770201010420") + self.raw(32) + bytes.fromhex("a00a06082a8648ce3d030107a14403420004")
                   + self.raw(64))
            return "EC PRIVATE KEY", wrap(b64(der)), "ec_private_key"
        if kind == "dsa":
            der = bytes.fromhex("308201bb02010002818100") + bytes([0xC0 | r.randint(0, 63)]) + self.raw(435)
            return "DSA PRIVATE KEY", wrap(b64(der)), "dsa_private_key"
        if kind == "encrypted":
            der = (bytes.fromhex("3082051c304e06092a864886f70d01050d3041302906092a864886f70d01050c301c0408") + self.raw(8)
                   + bytes.fromhex("020208003014") + bytes.fromhex("06082a864886f70d03070408") + self.raw(8)
                   + bytes.fromhex("048204c8") + self.raw(1224))
            return "ENCRYPTED PRIVATE KEY", wrap(b64(der)), "encrypted_private_key"
        # openssh ed25519, real container layout
        st = lambda b: struct.pack(">I", len(b)) + b
        pk, sk = self.raw(32), self.raw(32)
        pub = st(b"ssh-ed25519") + st(pk)
        chk = self.raw(4)
        priv = chk + chk + st(b"ssh-ed25519") + st(pk) + st(sk + pk) + st(r.choice([b"deploy@ci", b"bastion", b"ops@laptop"]))
        priv += bytes(range(1, 1 + (-len(priv)) % 8))
        blob = b"openssh-key-v1\x00" + st(b"none") + st(b"none") + st(b"") + struct.pack(">I", 1) + st(pub) + st(priv)
        return "OPENSSH PRIVATE KEY", wrap(b64(blob), 70), "openssh_private_key"

    def pem_text(self, kind=None):
        label, body, kname = self.pem_private(kind)
        return "\n".join(["-----BEGIN " + label + "-----"] + body + ["-----END " + label + "-----"]), kname

    def pem_public(self, kind=None):
        kind = kind or self.r.choice(["pub", "cert", "cert"])
        if kind == "pub":
            der = (bytes.fromhex("30820122300d06092a864886f70d01010105000382010f003082010a0282010100") +
                   bytes([0xC0 | self.r.randint(0, 63)]) + self.raw(255) + bytes.fromhex("0203010001"))
            return "\n".join(["-----BEGIN PUBLIC KEY-----"] + wrap(b64(der)) + ["-----END PUBLIC KEY-----"]), "public_key"
        n = self.r.randint(780, 1100)
        der = bytes.fromhex("308203") + bytes([self.r.randint(0, 255)]) + bytes.fromhex("308202") + self.raw(1) + \
            bytes.fromhex("a003020102021400") + self.raw(n)
        return "\n".join(["-----BEGIN CERTIFICATE-----"] + wrap(b64(der)) + ["-----END CERTIFICATE-----"]), "certificate"

    def ssh_pub(self):
        st = lambda b: struct.pack(">I", len(b)) + b
        if self.r.random() < 0.5:
            blob = st(b"ssh-ed25519") + st(self.raw(32))
            algo = "ssh-ed25519"
        else:
            blob = st(b"ssh-rsa") + st(b"\x01\x00\x01") + st(b"\x00" + self.raw(256))
            algo = "ssh-rsa"
        return algo + " " + b64(blob) + " " + self.r.choice(["deploy@ci", "ops@bastion", "jenkins@build-01", "alice@laptop"])

    # --- look-alikes
    def bcrypt(self):
        return "$2b$" + self.r.choice(["10", "12"]) + "$" + self.s(53, BCRYPT)

    def argon2(self):
        return "$argon2id$v=19$m=65536,t=3,p=4$" + b64(self.raw(16)).rstrip("=") + "$" + b64(self.raw(32)).rstrip("=")

    def pbkdf2(self):
        return "pbkdf2_sha256$600000$" + self.s(22) + "$" + b64(self.raw(32))

    def integrity(self, alg="sha512"):
        return alg + "-" + b64(self.raw({"sha512": 64, "sha384": 48, "sha256": 32}[alg]))

    def sha256(self):
        return self.hex(64)

    def png_b64(self, n=None):
        return "iVBORw0KGgoAAAANSUhEUgAA" + b64(self.raw(n or self.r.randint(60, 180)))


# ------------------------------------------------------------------------------------------ files

class FileB:
    """A file under construction; records planted secrets / decoys with their line numbers."""

    def __init__(self, tree, path):
        self.t, self.path, self.lines = tree, path, []

    @property
    def n(self):
        return len(self.lines)

    def add(self, *lines):
        for ln in lines:
            assert "\n" not in ln, (self.path, ln[:80])
            self.lines.append(ln)
        return self

    def sec(self, text, fam, kind, secret, first_line=None, encoded=None):
        self.add(text)
        ln = self.n
        self.t.plant(self.path, ln, ln, fam, kind, secret, first_line, encoded)
        return ln

    def sec_block(self, lines, fam, kind, secret, value_idx=0, head=0):
        """lines[head] starts the assignment, lines[value_idx:] hold the value (to the end)."""
        start = self.n + 1
        self.add(*lines)
        fl = start + head if head < value_idx else None
        self.t.plant(self.path, start + value_idx, self.n, fam, kind, secret, fl)

    def dec(self, text, kind):
        self.add(text)
        self.t.decoy(self.path, self.n, self.n, kind)

    def dec_block(self, lines, kind):
        start = self.n + 1
        self.add(*lines)
        self.t.decoy(self.path, start, self.n, kind)

    def text(self):
        return "\n".join(self.lines) + "\n"


WORDS_A = ["amber", "brisk", "cobalt", "dusky", "ember", "fable", "granite", "harbor", "indigo", "juniper", "kestrel",
           "lumen", "maple", "nimbus", "onyx", "pine", "quartz", "russet", "sable", "tidal", "umber", "vesper",
           "willow", "zephyr", "north", "copper", "saffron", "slate"]
WORDS_B = ["ledger", "cart", "relay", "pantry", "clinic", "fleet", "atlas", "forge", "ticket", "parcel", "studio",
           "orbit", "harvest", "beacon", "courier", "market", "roster", "tutor", "vault", "kitchen", "depot"]
ENTITIES = ["order", "invoice", "customer", "shipment", "booking", "patient", "ticket", "product", "subscription",
            "payment", "member", "course", "listing", "reservation"]
REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"]


class Tree:
    def __init__(self, name, stack, r: random.Random):
        self.name, self.stack, self.r, self.k = name, stack, r, Tok(r)
        self.files: dict[str, FileB] = {}
        self.truth, self.decoys = [], []
        self.fcount = {f: 0 for f in FAMILIES}
        self.proj = name.split("-", 1)[1].rsplit("-", 1)[0]
        self.slug = self.proj.replace("-", "_")
        self.domain = self.proj.replace("-", "") + r.choice([".io", ".app", ".com", ".dev"])
        self.ents = r.sample(ENTITIES, 4)
        self.region = r.choice(REGIONS)
        self.org = r.choice(["acme", "northwind", "contoso", "initech", "globex", "umbrella", "hooli"]) + "-" + \
            r.choice(["labs", "eng", "platform", "dev"])

    def file(self, *paths):
        for p in paths:
            if p not in self.files:
                fb = FileB(self, p)
                self.files[p] = fb
                return fb
        return None

    def plant(self, path, line, end, fam, kind, secret, first_line=None, encoded=None):
        assert fam in FAMILIES, fam
        e = {"tree": self.name, "path": path, "line": line, "end_line": end, "family": fam, "kind": kind,
             "secret": secret}
        if first_line is not None and first_line < line:
            e["first_line"] = first_line
        if encoded:
            e["encoded"] = encoded
        self.truth.append(e)
        self.fcount[fam] += 1

    def decoy(self, path, line, end, kind):
        self.decoys.append({"tree": self.name, "path": path, "line": line, "end_line": end, "kind": kind})

    def fam(self, allowed=None, exclude=()):
        pool = [f for f in (allowed or FAMILIES) if f not in exclude]
        w = [FAM_WEIGHT[f] / (1 + self.fcount[f]) for f in pool]
        return self.r.choices(pool, w)[0]

    def ent(self):
        return self.r.choice(self.ents)

    def chance(self, p):
        return self.r.random() < p


# ------------------------------------------------------------------------------------------ items

class It:
    """A name/value pair to render in some syntax: a planted secret (fam set), a decoy, or filler."""
    __slots__ = ("name", "value", "fam", "kind", "decoy", "lookup")

    def __init__(self, name, value, fam=None, kind="", decoy=False, lookup=False):
        self.name, self.value, self.fam, self.kind, self.decoy, self.lookup = name, value, fam, kind, decoy, lookup


def S(n, v, fam, kind):
    return It(n, v, fam, kind)


def D(n, v, kind):
    return It(n, v, None, kind, True)


def FL(n, v):
    return It(n, v)


def LK(n):
    return It(n, None, None, "env_lookup", True, True)


DB_HOSTS = {
    "pg": ["db", "postgres", "localhost", "{p}-db.cluster-c{h}.{reg}.rds.amazonaws.com", "pg-primary.internal",
           "10.0.12.41", "{p}-prod.postgres.database.azure.com"],
    "my": ["mysql", "db", "{p}-mysql.c{h}.{reg}.rds.amazonaws.com", "mariadb.internal"],
    "mongo": ["mongo", "mongodb-0.mongodb.svc.cluster.local"],
    "mongosrv": ["cluster0.{h5}.mongodb.net", "{p}-prod.{h5}.mongodb.net"],
    "redis": ["redis", "cache.internal", "redis-{d5}.c{d3}.{reg}-1.ec2.cloud.redislabs.com", "{p}-cache.{h6}.ng.0001.use1.cache.amazonaws.com"],
    "amqp": ["rabbitmq", "mq.internal", "b-{u}.mq.{reg}.amazonaws.com", "{p}.rmq.cloudamqp.com"],
    "mssql": ["{p}-sql.database.windows.net", "sqlserver", "10.0.3.17"],
}


def db_url(t: Tree, scheme=None, password=None):
    """(url, kind) -- a connection URL with an embedded password."""
    k, r = t.k, t.r
    scheme = scheme or r.choice(["postgres", "postgresql", "postgresql", "postgresql+psycopg2", "postgresql+asyncpg",
                                 "mysql", "mysql+pymysql", "mongodb", "mongodb+srv", "redis", "rediss", "amqp", "amqps",
                                 "mssql", "sqlserver"])
    fam = {"postgres": "pg", "postgresql": "pg", "postgresql+psycopg2": "pg", "postgresql+asyncpg": "pg", "mysql": "my",
           "mysql+pymysql": "my", "mongodb": "mongo", "mongodb+srv": "mongosrv", "redis": "redis", "rediss": "redis",
           "amqp": "amqp", "amqps": "amqp", "mssql": "mssql", "sqlserver": "mssql"}[scheme]
    host = r.choice(DB_HOSTS[fam]).format(p=t.proj, h=k.s(10, LOW + DIG), h5=k.s(5, LOW + DIG), h6=k.s(6, LOW + DIG),
                                          reg=t.region, d5=k.digits(5), d3=k.digits(3), u=k.uuid())
    pw = password or k.url_password()
    user = r.choice({"pg": [t.slug, "app", "api_user", "postgres", t.slug + "_rw"], "my": ["root", "app", t.slug],
                     "mongo": ["admin", t.slug], "mongosrv": [t.slug + "-app", "admin", "svc_api"],
                     "redis": ["", "", "default"], "amqp": [t.slug, "worker", "admin"],
                     "mssql": ["sa", t.slug + "_app", "sqladmin"]}[fam])
    db = t.slug + r.choice(["", "_prod", "_production", ""])
    if fam == "pg":
        tail = ":5432/" + db + r.choice(["", "", "?sslmode=require", "?sslmode=verify-full&connect_timeout=10"])
    elif fam == "my":
        tail = ":3306/" + db + r.choice(["", "?charset=utf8mb4"])
    elif fam == "mongo":
        tail = ":27017/" + db + r.choice(["", "?authSource=admin", "?replicaSet=rs0&authSource=admin"])
    elif fam == "mongosrv":
        tail = "/" + db + "?retryWrites=true&w=majority" + r.choice(["", "&appName=" + t.proj])
    elif fam == "redis":
        tail = ":" + r.choice(["6379", "6380", "12345"]) + "/" + str(r.randint(0, 3))
    elif fam == "amqp":
        tail = (":5671" if scheme == "amqps" else ":5672") + r.choice(["/", "/" + t.slug, "/%2F"])
    else:
        tail = ":1433" + ("?database=" + db if scheme == "sqlserver" else "/" + db)
    url = scheme + "://" + user + ":" + pw + "@" + host + tail
    kind = {"pg": "postgres_url", "my": "mysql_url", "mongo": "mongodb_url", "mongosrv": "mongodb_url",
            "redis": "redis_url", "amqp": "amqp_url", "mssql": "mssql_url"}[fam]
    return url, kind


DB_NAMES = {"postgres_url": ["DATABASE_URL", "POSTGRES_URL", "DB_DSN", "SQLALCHEMY_DATABASE_URI", "PRIMARY_DATABASE_URL"],
            "mysql_url": ["DATABASE_URL", "MYSQL_URL", "DB_URL"],
            "mongodb_url": ["MONGODB_URI", "MONGO_URL", "MONGO_URI"],
            "redis_url": ["REDIS_URL", "CACHE_URL", "CELERY_RESULT_BACKEND", "SESSION_REDIS_URL"],
            "amqp_url": ["CELERY_BROKER_URL", "AMQP_URL", "RABBITMQ_URL", "BROKER_URL"],
            "mssql_url": ["SQLSERVER_URL", "MSSQL_URL", "DATABASE_URL"]}

GENERIC_NAMES = {
    "password": ["DB_PASSWORD", "DATABASE_PASSWORD", "POSTGRES_PASSWORD", "MYSQL_ROOT_PASSWORD", "MYSQL_PASSWORD",
                 "REDIS_PASSWORD", "RABBITMQ_DEFAULT_PASS", "SMTP_PASSWORD", "EMAIL_HOST_PASSWORD", "MAIL_PASSWORD",
                 "ADMIN_PASSWORD", "LDAP_BIND_PASSWORD", "KEYSTORE_PASSWORD", "ELASTIC_PASSWORD", "GRAFANA_ADMIN_PASSWORD"],
    "secret_key": ["SECRET_KEY", "JWT_SECRET_KEY", "JWT_SECRET", "DJANGO_SECRET_KEY", "APP_SECRET", "SESSION_SECRET",
                   "COOKIE_SECRET", "FLASK_SECRET_KEY", "NEXTAUTH_SECRET", "AUTH_SECRET"],
    "api_key": ["API_KEY", "INTERNAL_API_KEY", "PARTNER_API_KEY", "MAILGUN_API_KEY", "ALGOLIA_ADMIN_API_KEY",
                "SHIPPO_API_KEY", "DATADOG_API_KEY", "PAYMENT_GATEWAY_API_KEY"],
    "client_secret": ["CLIENT_SECRET", "OAUTH_CLIENT_SECRET", "AUTH0_CLIENT_SECRET", "KEYCLOAK_CLIENT_SECRET",
                      "OKTA_CLIENT_SECRET", "AZURE_CLIENT_SECRET"],
    "access_token": ["ACCESS_TOKEN", "AUTH_TOKEN", "PRIVATE_TOKEN", "GITLAB_PRIVATE_TOKEN", "SERVICE_AUTH_TOKEN",
                     "DEPLOY_TOKEN", "ROLLBAR_ACCESS_TOKEN", "VAULT_TOKEN"],
    "signing_secret": ["SIGNING_SECRET", "WEBHOOK_SECRET", "HMAC_SECRET", "SLACK_SIGNING_SECRET", "GITHUB_WEBHOOK_SECRET",
                       "WEBHOOK_SIGNING_KEY"],
    "encryption_key": ["ENCRYPTION_SECRET", "DATA_ENCRYPTION_KEY", "MASTER_KEY", "AES_KEY"],
}


def generic_value(t: Tree, cat, name=""):
    k, r = t.k, t.r
    if cat == "password":
        return k.password()
    if name == "VAULT_TOKEN":
        return "hvs." + k.s(24)
    if name == "MAILGUN_API_KEY":
        return "key-" + k.hex(32)
    if name == "DJANGO_SECRET_KEY" or (cat == "secret_key" and r.random() < 0.2):
        return k.django_key()
    if cat == "encryption_key":
        return r.choice([k.hex(64), b64(k.raw(32))])
    if cat in ("secret_key", "signing_secret"):
        return r.choice([k.hex(64), k.hex(32), k.urlsafe(32), k.urlsafe(48), b64(k.raw(32))])
    return r.choice([k.hex(32), k.hex(40), k.s(32), k.s(40), k.urlsafe(32), "live_" + k.s(32)])


def generic_item(t: Tree, cat=None):
    cat = cat or t.r.choice(["password", "password", "password", "secret_key", "secret_key", "api_key", "api_key",
                             "client_secret", "access_token", "signing_secret", "encryption_key"])
    name = t.r.choice(GENERIC_NAMES[cat])
    return S(name, generic_value(t, cat, name), "generic", cat)


def sec_items(t: Tree, fam: str) -> list[It]:
    """A planted secret for env-like contexts, maybe with companion look-alikes / filler."""
    k, r = t.k, t.r
    if fam == "stripe":
        c = r.random()
        mode = r.choice(["live", "live", "test"])
        if c < 0.55:
            out = [S(r.choice(["STRIPE_SECRET_KEY", "STRIPE_API_KEY", "STRIPE_SECRET", "STRIPE_SK"]), k.stripe("sk", mode),
                     fam, "secret_key")]
            if r.random() < 0.5:
                out.append(D("STRIPE_PUBLISHABLE_KEY", k.stripe("pk", mode), "publishable_key"))
            return out
        if c < 0.75:
            return [S("STRIPE_RESTRICTED_KEY", k.stripe("rk", mode), fam, "restricted_key")]
        return [S("STRIPE_WEBHOOK_SECRET", k.whsec(), fam, "webhook_secret")]
    if fam == "aws":
        c = r.random()
        if c < 0.8:
            out = [S("AWS_ACCESS_KEY_ID", k.aws_id("AK" + "IA"), fam, "access_key_id"),
                   S("AWS_SECRET_ACCESS_KEY", k.aws_secret(), fam, "secret_access_key")]
            if r.random() < 0.5:
                out.append(FL("AWS_DEFAULT_REGION", t.region))
            return out
        return [S("AWS_ACCESS_KEY_ID", k.aws_id("AS" + "IA"), fam, "access_key_id"),
                S("AWS_SECRET_ACCESS_KEY", k.aws_secret(), fam, "secret_access_key"),
                S("AWS_SESSION_TOKEN", k.aws_session(), fam, "session_token")]
    if fam == "jwt":
        if r.random() < 0.35:
            ref = k.s(20, LOW)
            return [FL("SUPABASE_URL", "https://" + ref + ".supabase.co"),
                    D("SUPABASE_ANON_KEY", k.supabase_jwt("anon", ref), "public_jwt"),
                    S("SUPABASE_SERVICE_ROLE_KEY", k.supabase_jwt("service_role", ref), fam, "service_token")]
        return [S(r.choice(["SERVICE_JWT", "INTERNAL_API_JWT", "API_BEARER_TOKEN", "HASURA_ADMIN_TOKEN",
                            "ADMIN_API_TOKEN", "ORDERS_API_TOKEN"]), k.jwt(iss="https://auth." + t.domain + "/"),
                  fam, "jwt")]
    if fam == "fernet":
        return [S(r.choice(["FERNET_KEY", "ENCRYPTION_KEY", "FIELD_ENCRYPTION_KEY", "AIRFLOW__CORE__FERNET_KEY",
                            "PII_ENCRYPTION_KEY", "CRYPTOGRAPHY_KEY"]), k.fernet_key(), fam, "fernet_key")]
    if fam == "private_key":
        pem, kname = k.pem_text(r.choice(["ec", "pkcs8_ed25519", "rsa", "pkcs8"]))
        return [S(r.choice(["JWT_PRIVATE_KEY", "APP_PRIVATE_KEY", "GITHUB_APP_PRIVATE_KEY", "SAML_SP_PRIVATE_KEY",
                            "SIGNING_PRIVATE_KEY"]), pem, fam, kname)]
    if fam == "database":
        url, kind = db_url(t)
        return [S(r.choice(DB_NAMES[kind]), url, fam, kind)]
    if fam == "github":
        v, kind = k.github()
        name = {"classic_pat": ["GITHUB_TOKEN", "GH_TOKEN", "GITHUB_PAT"], "fine_grained_pat": ["GITHUB_TOKEN", "GH_PAT", "GITHUB_API_TOKEN"],
                "oauth_token": ["GITHUB_OAUTH_TOKEN"], "user_to_server_token": ["GITHUB_USER_TOKEN"],
                "server_to_server_token": ["GITHUB_INSTALLATION_TOKEN"], "refresh_token": ["GITHUB_REFRESH_TOKEN"]}[kind]
        return [S(r.choice(name), v, fam, kind)]
    if fam == "slack":
        v, kind = k.slack()
        name = {"bot_token": "SLACK_BOT_TOKEN", "user_token": "SLACK_USER_TOKEN", "app_token": "SLACK_APP_TOKEN",
                "config_token": "SLACK_CONFIG_TOKEN", "config_refresh_token": "SLACK_CONFIG_REFRESH_TOKEN",
                "webhook_url": r.choice(["SLACK_WEBHOOK_URL", "SLACK_ALERTS_WEBHOOK"])}[kind]
        out = [S(name, v, fam, kind)]
        if r.random() < 0.3:
            out.append(D("SLACK_CHANNEL_ID", "C0" + k.s(9, UP + DIG), "object_id"))
        return out
    if fam == "google":
        if r.random() < 0.6:
            return [S(r.choice(["GOOGLE_API_KEY", "GOOGLE_MAPS_API_KEY", "GEMINI_API_KEY", "YOUTUBE_API_KEY",
                                "GOOGLE_PLACES_API_KEY"]), k.google_key(), fam, "api_key")]
        return [D("GOOGLE_CLIENT_ID", k.google_client_id(), "client_id"),
                S("GOOGLE_CLIENT_SECRET", k.google_secret(), fam, "oauth_client_secret")]
    if fam == "openai":
        v, kind = k.openai()
        out = [S("OPENAI_API_KEY", v, fam, kind)]
        if r.random() < 0.3:
            out.append(D("OPENAI_ORG_ID", "org-" + k.s(24), "object_id"))
        return out
    if fam == "anthropic":
        if r.random() < 0.8:
            return [S(r.choice(["ANTHROPIC_API_KEY", "CLAUDE_API_KEY"]), k.anthropic(), fam, "api_key")]
        return [S("ANTHROPIC_ADMIN_KEY", k.anthropic(True), fam, "admin_key")]
    if fam == "twilio":
        if r.random() < 0.6:
            return [D("TWILIO_ACCOUNT_SID", k.twilio_sid("AC"), "twilio_sid"),
                    S("TWILIO_AUTH_TOKEN", k.hex(32), fam, "auth_token"),
                    FL("TWILIO_FROM_NUMBER", "+1" + k.digits(10))]
        return [D("TWILIO_API_KEY_SID", k.twilio_sid("SK"), "twilio_sid"),
                S("TWILIO_API_KEY_SECRET", k.s(32), fam, "api_key_secret")]
    if fam == "sendgrid":
        return [S(r.choice(["SENDGRID_API_KEY", "SENDGRID_KEY", "EMAIL_API_KEY"]), k.sendgrid(), fam, "api_key")]
    if fam == "heroku":
        v, kind = k.heroku()
        return [S("HEROKU_API_KEY", v, fam, kind)]
    if fam == "sentry":
        if r.random() < 0.45:
            return [S("SENTRY_DSN", k.sentry_dsn(True), fam, "dsn_with_secret")]
        v, kind = k.sentry_token()
        return [S("SENTRY_AUTH_TOKEN", v, fam, kind)]
    if fam == "npm":
        return [S(r.choice(["NPM_TOKEN", "NODE_AUTH_TOKEN", "NPM_AUTH_TOKEN"]), k.npm(), fam, "access_token")]
    return [generic_item(t)]


PLACEHOLDERS = ["changeme", "change-me", "CHANGE_ME", "<your-api-key>", "your-secret-here", "your_api_key_here",
                "REPLACE_ME", "replace-with-real-key", "TODO", "xxx", "<secret>", "<64-char-random>", "dummy",
                "insert-key-here", "********", "<redacted>", "__SET_IN_VAULT__", "put-your-key-here", "none",
                "your-256-bit-secret", "super-secret-key-change-in-production", "<generate with openssl rand -hex 32>"]


def placeholder_for(t: Tree, name: str) -> str:
    r, k = t.r, t.k
    n = name.upper()
    shaped = []
    if "STRIPE" in n:
        shaped = ["sk" + "_live_" + "x" * 24, "sk" + "_test_...", "sk" + "_live_<key>", "sk" + "_test_YOUR_KEY_HERE",
                  "whsec_<secret>" if "WEBHOOK" in n else "sk" + "_live_XXXXXXXXXXXXXXXXXXXXXXXX"]
    elif "OPENAI" in n:
        shaped = ["sk-...", "sk-your-key-here", "sk-" + "x" * 48, "sk-proj-XXXXXXXX"]
    elif "ANTHROPIC" in n or "CLAUDE" in n:
        shaped = ["sk-ant-...", "sk-ant-api03-XXXXXXXXXXXX", "<anthropic-api-key>"]
    elif "GITHUB" in n or n.startswith("GH_"):
        shaped = ["ghp_" + "x" * 36, "ghp_your_token_here", "github_pat_XXXXXXXX", "<personal-access-token>"]
    elif "SLACK" in n:
        shaped = ["xoxb-your-bot-token", "xoxb-0000000000-0000000000-" + "x" * 24,
                  "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"]
    elif "AWS_ACCESS" in n:
        shaped = ["AK" + "IA" + "X" * 16, "<access-key>", "AK" + "IA..."]
    elif "AWS_SECRET" in n:
        shaped = ["<secret-key>", "your-secret-access-key", "x" * 40]
    elif "SENDGRID" in n:
        shaped = ["SG.xxxxxxxx.yyyyyyyy", "SG.<key>"]
    elif "TWILIO" in n:
        shaped = ["<auth-token>", "your_auth_token", "0" * 32]
    elif "SENTRY_DSN" in n:
        shaped = ["https://<key>@o0.ingest.sentry.io/0", "https://examplePublicKey@o0.ingest.sentry.io/0"]
    elif "FERNET" in n or "ENCRYPTION_KEY" in n:
        shaped = ["<44-char-fernet-key>", "generate-with-Fernet.generate_key()"]
    elif "NPM" in n:
        shaped = ["npm_" + "x" * 36, "<npm-token>"]
    elif "HEROKU" in n:
        shaped = ["<heroku-api-key>", "00000000-0000-0000-0000-000000000000"]
    elif "GOOGLE" in n:
        shaped = ["AIza...", "<google-api-key>", "GOCSPX-<secret>"]
    elif "URL" in n or "URI" in n or "DSN" in n:
        shaped = ["postgresql://user:password@localhost:5432/app", "postgres://<user>:<password>@<host>/<db>",
                  "redis://:changeme@localhost:6379/0", "mongodb+srv://<username>:<password>@cluster0.example.mongodb.net/db",
                  "amqp://guest:guest@localhost:5672//", "postgresql://app:****@db:5432/app"]
    elif "PASSWORD" in n or n.endswith("_PASS"):
        shaped = ["changeme", "password", "<password>", "********", "CHANGE_ME", "<db-password>", "secret"]
    pool = shaped * 3 + PLACEHOLDERS if shaped else PLACEHOLDERS
    return r.choice(pool)


SECRETISH_NAMES = (sum(GENERIC_NAMES.values(), []) + ["STRIPE_SECRET_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY",
                   "GITHUB_TOKEN", "SLACK_BOT_TOKEN", "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "SENDGRID_API_KEY",
                   "TWILIO_AUTH_TOKEN", "SENTRY_DSN", "FERNET_KEY", "NPM_TOKEN", "HEROKU_API_KEY", "GOOGLE_API_KEY",
                   "DATABASE_URL", "REDIS_URL", "STRIPE_WEBHOOK_SECRET", "SENTRY_AUTH_TOKEN", "GOOGLE_CLIENT_SECRET"])

FILLERS = [("PORT", "8000"), ("GUNICORN_TIMEOUT", "60"), ("PAGE_SIZE", "50"), ("UPLOAD_DIR", "/var/lib/{p}/uploads"),
           ("HEALTHCHECK_PATH", "/healthz"), ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector:4317"),
           ("STATSD_HOST", "localhost"), ("LOCALE", "en_US"), ("SUPPORT_EMAIL_NAME", "{p} support"), ("SESSION_TTL_MINUTES", "120"),
           ("ENABLE_SIGNUPS", "false"), ("REQUEST_TIMEOUT_SECONDS", "15"), ("CDN_BASE_URL", "https://cdn.{d}"), ("DEBUG", "false"), ("LOG_LEVEL", "info"), ("APP_ENV", "production"), ("WORKERS", "4"),
           ("TZ", "UTC"), ("CACHE_TTL", "300"), ("ALLOWED_HOSTS", "{d},api.{d}"), ("CORS_ORIGINS", "https://app.{d}"),
           ("S3_BUCKET", "{p}-uploads"), ("AWS_REGION", "{reg}"), ("SMTP_HOST", "smtp.mailgun.org"), ("SMTP_PORT", "587"),
           ("FRONTEND_URL", "https://app.{d}"), ("FEATURE_NEW_CHECKOUT", "true"), ("MAX_UPLOAD_MB", "25"),
           ("DEFAULT_FROM_EMAIL", "noreply@{d}"), ("NODE_ENV", "production"), ("RATE_LIMIT_PER_MINUTE", "120"),
           ("SESSION_COOKIE_SECURE", "true"), ("OTEL_SERVICE_NAME", "{p}-api"), ("DB_HOST", "db"), ("DB_PORT", "5432"),
           ("DB_NAME", "{s}"), ("DB_USER", "{s}"), ("SENTRY_ENVIRONMENT", "production"), ("METRICS_PORT", "9102")]


def filler_item(t: Tree) -> It:
    n, v = t.r.choice(FILLERS)
    if n == "NODE_ENV" and STACKS[t.stack]["runtime"] != "node":
        n, v = "APP_ENV", "production"
    if n in ("DB_USER", "DEFAULT_FROM_EMAIL"):   # identifiers some scanners report as usernames
        return D(n, v.format(d=t.domain, s=t.slug), "username")
    return FL(n, v.format(d=t.domain, p=t.proj, reg=t.region, s=t.slug))


def decoy_item(t: Tree, ctx="env") -> It:
    it = _decoy_item(t, ctx)
    if STACKS[t.stack]["runtime"] != "node" and it.name.startswith("NEXT_PUBLIC_"):
        it.name = it.name[len("NEXT_PUBLIC_"):]
    return it


def _decoy_item(t: Tree, ctx="env") -> It:
    """A look-alike that is not a secret."""
    k, r = t.k, t.r
    kinds = ["placeholder", "placeholder", "lookup", "lookup", "lookup", "publishable_key", "twilio_sid",
             "sentry_public_dsn", "secret_file_path", "header_name", "config_value", "config_value", "token_url",
             "client_id", "uuid", "git_sha", "hash_digest", "db_url_no_password", "db_url_placeholder", "redacted",
             "empty_value", "object_id", "aws_example_key"]
    if ctx == "test":
        kinds += ["weak_test_password"] * 3
    if ctx == "example":
        kinds = ["placeholder"] * 5 + ["empty_value"] * 2 + ["db_url_placeholder", "config_value", "lookup",
                                                              "sentry_public_dsn", "publishable_key"]
    kd = r.choice(kinds)
    if kd == "placeholder":
        n = r.choice(SECRETISH_NAMES)
        return D(n, placeholder_for(t, n), "placeholder")
    if kd == "lookup":
        return LK(r.choice(SECRETISH_NAMES))
    if kd == "publishable_key":
        return D(r.choice(["STRIPE_PUBLISHABLE_KEY", "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", "STRIPE_PK"]),
                 k.stripe("pk"), "publishable_key")
    if kd == "twilio_sid":
        pre, nm = r.choice([("AC", "TWILIO_ACCOUNT_SID"), ("MG", "TWILIO_MESSAGING_SERVICE_SID"),
                            ("VA", "TWILIO_VERIFY_SERVICE_SID"), ("SK", "TWILIO_API_KEY_SID")])
        return D(nm, k.twilio_sid(pre), "twilio_sid")
    if kd == "sentry_public_dsn":
        return D(r.choice(["SENTRY_DSN", "NEXT_PUBLIC_SENTRY_DSN", "SENTRY_DSN_FRONTEND"]), k.sentry_dsn(False),
                 "sentry_public_dsn")
    if kd == "secret_file_path":
        return D(*r.choice([("SECRET_KEY_FILE", "/run/secrets/secret_key"), ("DB_PASSWORD_FILE", "/run/secrets/db_password"),
                            ("GOOGLE_APPLICATION_CREDENTIALS", "/var/secrets/google/key.json"),
                            ("TLS_KEY_PATH", "/etc/ssl/private/server.key"), ("JWT_PRIVATE_KEY_PATH", "./keys/jwt_private.pem"),
                            ("AWS_SHARED_CREDENTIALS_FILE", "/home/app/.aws/credentials")]), "secret_file_path")
    if kd == "header_name":
        return D(*r.choice([("API_KEY_HEADER", "X-Api-Key"), ("AUTH_HEADER_NAME", "Authorization"),
                            ("TOKEN_HEADER", "X-Auth-Token"), ("WEBHOOK_SIGNATURE_HEADER", "Stripe-Signature"),
                            ("CSRF_HEADER_NAME", "X-CSRFToken")]), "header_name")
    if kd == "config_value":
        return D(*r.choice([("PASSWORD_RESET_TIMEOUT", "3600"), ("TOKEN_TTL_SECONDS", "900"),
                            ("JWT_ACCESS_TOKEN_EXPIRES_MINUTES", "15"), ("PASSWORD_MIN_LENGTH", "12"),
                            ("SECRET_ROTATION_DAYS", "90"), ("API_KEY_LENGTH", "32"), ("SECRETS_BACKEND", "aws_secrets_manager"),
                            ("JWT_ALGORITHM", "RS256"), ("AWS_SECRET_NAME", t.proj + "/prod/app"),
                            ("PASSWORD_HASHER", "argon2"), ("TOKEN_TYPE", "Bearer"), ("USE_VAULT", "true"),
                            ("AUTH_PASSWORD_RESET_TOKEN_EXPIRY", "86400")]), "config_value")
    if kd == "token_url":
        return D(*r.choice([("TOKEN_URL", "https://oauth2.googleapis.com/token"),
                            ("OAUTH_TOKEN_URL", "https://github.com/login/oauth/access_token"),
                            ("JWKS_URL", "https://auth." + t.domain + "/.well-known/jwks.json"),
                            ("AUTH0_ISSUER_BASE_URL", "https://" + t.proj + ".us.auth0.com"),
                            ("KEYCLOAK_TOKEN_ENDPOINT", "https://sso." + t.domain + "/realms/main/protocol/openid-connect/token")]),
                 "token_url")
    if kd == "client_id":
        return D(*r.choice([("GOOGLE_CLIENT_ID", k.google_client_id()), ("GITHUB_CLIENT_ID", "Iv1." + k.hex(16)),
                            ("AUTH0_CLIENT_ID", k.s(32)), ("AZURE_CLIENT_ID", k.uuid())]), "client_id")
    if kd == "uuid":
        return D(r.choice(["AZURE_TENANT_ID", "TENANT_ID", "DEFAULT_ORG_ID", "ROOT_FOLDER_ID", "DATADOG_SITE_ID"]),
                 k.uuid(), "uuid")
    if kd == "git_sha":
        return D(r.choice(["GIT_SHA", "BUILD_COMMIT", "SOURCE_VERSION", "RELEASE_SHA"]), k.sha(), "git_sha")
    if kd == "hash_digest":
        return D(r.choice(["ASSET_MANIFEST_SHA256", "GEOIP_DB_CHECKSUM", "EXPECTED_BUNDLE_HASH"]), k.sha256(), "hash_digest")
    if kd == "db_url_no_password":
        return D(*r.choice([
            ("DATABASE_URL", "postgresql://%s@db:5432/%s" % (t.slug, t.slug)), ("DATABASE_URL", "postgres://localhost/%s_dev" % t.slug),
            ("REDIS_URL", "redis://redis:6379/0"), ("MONGO_URL", "mongodb://mongo:27017/%s" % t.slug),
            ("BROKER_URL", "amqp://rabbitmq:5672"), ("CACHE_URL", "rediss://cache.internal:6380/1"),
            ("DATABASE_URL", "postgresql+psycopg2://%s@/%s?host=/cloudsql/%s:%s:main" % (t.slug, t.slug, t.proj, t.region))]),
            "db_url_no_password")
    if kd == "db_url_placeholder":
        return D(*r.choice([
            ("DATABASE_URL", "postgresql://%s:${DB_PASSWORD}@db:5432/%s" % (t.slug, t.slug)),
            ("DATABASE_URL", "postgres://%s:password@localhost:5432/%s" % (t.slug, t.slug)),
            ("DATABASE_URL", "postgres://%s:<password>@db:5432/%s" % (t.slug, t.slug)), ("REDIS_URL", "redis://:changeme@redis:6379/0"),
            ("BROKER_URL", "amqp://guest:guest@rabbitmq:5672//"), ("MYSQL_URL", "mysql://root:****@mysql:3306/%s" % t.slug),
            ("TEST_DATABASE_URL", "postgresql://postgres:postgres@localhost:5432/%s_test" % t.slug),
            ("MONGODB_URI", "mongodb+srv://<username>:<password>@cluster0.mongodb.net/%s" % t.slug)]), "db_url_placeholder")
    if kd == "redacted":
        return D(*r.choice([("STRIPE_SECRET_KEY", "sk" + "_live_..." + k.s(4)), ("GITHUB_TOKEN", "ghp_" + "*" * 8),
                            ("OPENAI_API_KEY", "sk-proj-****" + k.s(4)), ("AWS_ACCESS_KEY_ID", "AK" + "IA" + "*" * 12 + k.s(4, B32)),
                            ("SLACK_BOT_TOKEN", "xoxb-***"), ("SENDGRID_API_KEY", "SG.****")]), "redacted")
    if kd == "empty_value":
        return D(r.choice(SECRETISH_NAMES), "", "empty_value")
    if kd == "object_id":
        return D(*r.choice([("STRIPE_PRICE_ID", "price_1" + k.s(23)), ("STRIPE_ACCOUNT_ID", "acct_1" + k.s(15)),
                            ("OPENAI_ORG_ID", "org-" + k.s(24)), ("SLACK_TEAM_ID", "T0" + k.s(8, UP + DIG)),
                            ("GA_MEASUREMENT_ID", "G-" + k.s(10, UP + DIG)), ("STRIPE_PRODUCT_ID", "prod_" + k.s(14))]),
                 "object_id")
    if kd == "aws_example_key":
        if r.random() < 0.5:
            return D("AWS_ACCESS_KEY_ID", "AK" + "IAIOSFODNN7" + "EXAMPLE", "aws_example_key")
        return D("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY", "aws_example_key")  # leakhound:allow (AWS's documented example key)
    if kd == "weak_test_password":
        return D(r.choice(["DB_PASSWORD", "POSTGRES_PASSWORD", "TEST_USER_PASSWORD", "ADMIN_PASSWORD"]),
                 r.choice(["test", "password", "password123", "postgres", "secret", "admin", "testpass"]),
                 "weak_test_password")
    raise AssertionError(kd)


# ------------------------------------------------------------------------------------------ rendering

def words(n):
    return [w for w in n.lower().split("_") if w]


def camel(n):
    w = words(n)
    return w[0] + "".join(x.capitalize() for x in w[1:])


def pascal(n):
    return "".join(x.capitalize() for x in words(n))


def snake(n):
    return "_".join(words(n))


def dotted(n):
    w = words(n)
    return w[0] + "." + "-".join(w[1:]) if len(w) > 1 else w[0]


def esc(v):
    return v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


YAML_BAD_START = set("!&*@`%{}[]>|'\"-?:,#")


def yq(v, q=""):
    if "\n" in v or "\\" in v:
        return json.dumps(v)
    if v == "":
        return '""'
    if q == "" and (v[0] in YAML_BAD_START or ": " in v or " #" in v or v.endswith(":")
                    or v.lower() in ("true", "false", "yes", "no", "null", "on", "off", "y", "n")
                    or re.fullmatch(r"[0-9.eE+\-_]+", v)):
        q = '"'
    if q == "'" and "'" in v:
        q = '"'
    return q + (esc(v) if q == '"' else v) + q


def cq(v, q='"'):
    """Quoted string literal for C-like / Python languages."""
    if q == "`" and "\n" not in v and "`" not in v:
        return "`" + v + "`"
    if "\n" in v or q == '"' or "'" in v:
        return '"' + esc(v) + '"'
    return "'" + v.replace("\\", "\\\\") + "'"


LOOKUP_EXPR = {
    "py": ['os.environ["{N}"]', 'os.getenv("{N}")', 'env("{N}")', 'config("{N}")', 'os.environ.get("{N}", "")'],
    "js": ["process.env.{N}", "process.env.{N} ?? ''", "process.env['{N}']"],
    "go": ['os.Getenv("{N}")'],
    "java": ['System.getenv("{N}")'],
    "kotlin": ['System.getenv("{N}") ?: ""'],
    "ruby": ['ENV["{N}"]', 'ENV.fetch("{N}")', "ENV.fetch('{N}', nil)"],
    "php": ["env('{N}')"],
    "cs": ['Environment.GetEnvironmentVariable("{N}")', 'builder.Configuration["{N}"]'],
}
TEMPLATE_EXPR = {"env": ["${{{N}}}", "${{{N}:-}}"], "yaml": ["${{{N}}}", "${{{N}:?{N} is required}}"],
                 "gha": ["${{{{ secrets.{N} }}}}"], "helm": ["{{{{ .Values.secrets.{c} }}}}"], "props": ["${{{N}}}", "${{{N}:}}"],
                 "tf": ["var.{s}"], "toml": ["${{{N}}}"], "json": ["${{{N}}}", "#{{{N}}}#"]}


def lookup(syn, it):
    n = it.name
    lsyn = {"pydict": "py", "jsconst": "js", "jsenv": "js", "pyenv": "py", "pyfield": "py", "rbenv": "ruby"}.get(syn, syn)
    if lsyn in LOOKUP_EXPR:
        return random_choice_static(LOOKUP_EXPR[lsyn], n).format(N=n), "env_lookup"
    key = {"env": "env", "sh": "env", "compose_list": "env", "yaml": "yaml", "compose_map": "yaml", "gha": "gha",
           "helm": "helm", "props": "props", "tf": "tf", "toml": "toml", "ini": "toml", "json": "json",
           "cs_json": "json", "docker": "env", "k8s_env": "yaml"}[syn]
    return random_choice_static(TEMPLATE_EXPR[key], n).format(N=n, c=camel(n), s=snake(n)), "template_var"


def random_choice_static(opts, salt):
    # deterministic, independent of the main stream (keeps lookups stable when options change)
    return opts[zlib.crc32(salt.encode()) % len(opts)]


class Style:
    def __init__(self, t: Tree, syn, indent="", key=None):
        r = t.r
        self.t, self.syn, self.ind = t, syn, indent
        self.q = r.choice(["", "", '"', "'"]) if syn in ("env", "sh", "yaml", "compose_map", "helm", "gha") else '"'
        if syn in ("py", "pydict", "js", "ruby", "php", "jsconst", "jsenv"):
            self.q = r.choice(['"', "'"])
        self.key = key or r.choice(["camel", "snake", "upper"])
        self.export = syn == "sh" or (syn == "env" and r.random() < 0.12)
        self.lower = syn == "env" and r.random() < 0.1
        self.sep = r.choice(["=", "=", " = ", ": "])
        self.eq = " = " if syn == "env" and not self.export and r.random() < 0.1 else "="
        if syn in ("jsconst", "js", "jsenv") and r.random() < 0.2:
            self.q = "`"
        self.comment_p = 0.12
        self.nextline_p = 0.15 if syn in ("yaml", "helm") else 0.0

    def keyname(self, n):
        return {"camel": camel, "snake": snake, "upper": lambda x: x, "pascal": pascal, "dotted": dotted}[self.key](n)


COMMENTS = ["rotated 2024-03", "prod", "do not share", "from 1password", "TODO: move to vault", "staging",
            "temporary", "ask ops before changing", "set by terraform", "legacy"]


def render(st: Style, it: It):
    """-> (lines, index of the line holding the value, head index)."""
    t, syn, ind = st.t, st.syn, st.ind
    r = t.r
    n, v = it.name, it.value
    lookup_kind = None
    if it.lookup:
        v, lookup_kind = lookup(syn, it)
    com = ""
    if not it.lookup and r.random() < st.comment_p and "\n" not in (v or ""):
        com = r.choice(COMMENTS)
    if syn in ("env", "sh", "docker", "compose_list"):
        raw = v if it.lookup else v
        if it.lookup:
            val = ('"' + v + '"') if syn == "sh" and r.random() < 0.5 else v
        elif "\n" in v:
            val = '"' + esc(v) + '"'
        else:
            q = st.q if syn != "compose_list" else ""
            if q == "" and (" " in v or "#" in v or (syn == "sh" and any(c in v for c in "!*^~&;|<>()"))):
                q = "'" if "'" not in v else '"'
            val = q + raw + q
        if syn == "docker":
            kw = r.choice(["ENV ", "ENV ", "ARG "])
            line = kw + n + ("=" + val if kw == "ARG " or r.random() < 0.8 else " " + val)
        elif syn == "compose_list":
            line = ind + "- " + n + "=" + val
        else:
            line = ind + ("export " if st.export else "") + (n.lower() if st.lower else n) + st.eq + val
        if com and syn != "compose_list":
            line += "  # " + com
        return [line], 0, 0
    if syn in ("yaml", "compose_map", "helm", "gha"):
        key = n if syn in ("compose_map", "gha") else (camel(n) if syn == "helm" else st.keyname(n))
        if it.lookup and syn == "helm":
            return [ind + key + ': ""  # set with --set-string or an ExternalSecret'], 0, 0
        if it.lookup:
            return [ind + key + ": " + ('"' + v + '"' if "{" in v else v)], 0, 0
        if it.fam and r.random() < st.nextline_p and "\n" not in v:
            return [ind + key + ": >-", ind + "  " + v], 1, 0
        return [ind + key + ": " + yq(v, st.q) + (("  # " + com) if com else "")], 0, 0
    if syn == "k8s_env":
        if it.lookup:
            ref = snake(n).replace("_", "-")
            return [ind + "- name: " + n, ind + "  valueFrom:", ind + "    secretKeyRef:",
                    ind + "      name: " + t.proj + "-secrets", ind + "      key: " + ref], 0, 0
        return [ind + "- name: " + n, ind + "  value: " + yq(v, '"')], 1, 0
    if syn in ("json", "cs_json"):
        key = pascal(n) if syn == "cs_json" else st.keyname(n)
        return [ind + json.dumps(key) + ": " + json.dumps(v) + ","], 0, 0
    if syn == "toml":
        return [ind + snake(n) + " = " + json.dumps(v) + ((" # " + com) if com else "")], 0, 0
    if syn == "ini":
        return [ind + snake(n) + " = " + v.replace("\n", "\\n")], 0, 0
    if syn == "props":
        key = st.keyname(n) if st.key == "dotted" else dotted(n)
        return [key + st.sep + v.replace("\n", "\\n")], 0, 0
    if syn == "tf":
        val = v if it.lookup else json.dumps(v)
        return [ind + snake(n) + " = " + val], 0, 0
    code = v if it.lookup else None
    if syn == "jsenv":
        return [ind + camel(n) + ": " + (code or ("process.env." + n + " || " + cq(v, st.q))) + ","], 0, 0
    if syn == "pyenv":
        return [ind + n + " = " + (code or ('os.environ.get("' + n + '", ' + cq(v, '"') + ")"))], 0, 0
    if syn == "rbenv":
        return [ind + n + " = " + (code or ('ENV.fetch("' + n + '", ' + cq(v, "'") + ")"))], 0, 0
    if syn == "pyfield":
        return [ind + snake(n) + ": str = " + (code or cq(v, '"'))], 0, 0
    if syn == "py":
        return [ind + n + " = " + (code or cq(v, st.q)) + (("  # " + com) if com else "")], 0, 0
    if syn == "pydict":
        return [ind + cq(snake(n), st.q) + ": " + (code or cq(v, st.q)) + ","], 0, 0
    if syn == "js":
        return [ind + camel(n) + ": " + (code or cq(v, st.q)) + ","], 0, 0
    if syn == "jsconst":
        return [ind + "const " + n + " = " + (code or cq(v, st.q)) + ";"], 0, 0
    if syn == "go":
        return [ind + pascal(n) + " = " + (code or json.dumps(v))], 0, 0
    if syn == "java":
        return [ind + "private static final String " + n + " = " + (code or json.dumps(v)) + ";"], 0, 0
    if syn == "kotlin":
        return [ind + ("val " if code else "const val ") + n + " = " + (code or json.dumps(v))], 0, 0
    if syn == "ruby":
        return [ind + n + " = " + (code or cq(v, st.q))], 0, 0
    if syn == "php":
        return [ind + "'" + snake(n) + "' => " + (code or ("env('" + n + "', " + cq(v, "'") + ")")) + ","], 0, 0
    if syn == "cs":
        return [ind + "public const string " + pascal(n) + " = " + (code or json.dumps(v)) + ";"], 0, 0
    raise AssertionError(syn)


def emit(f: FileB, st: Style, it: It):
    lines, idx, head = render(st, it)
    if it.fam:
        secret = it.value
        f.sec_block(lines, it.fam, it.kind, secret, idx, head)
    elif it.decoy:
        kind = lookup_kind_of(st.syn, it) if it.lookup else it.kind
        f.dec_block(lines, kind)
    else:
        f.add(*lines)


def lookup_kind_of(syn, it):
    if syn == "k8s_env":
        return "secret_ref"
    if syn == "helm":
        return "empty_value"
    lsyn = {"pydict": "py", "jsconst": "js", "jsenv": "js", "pyenv": "py", "pyfield": "py", "rbenv": "ruby"}.get(syn, syn)
    return "env_lookup" if lsyn in LOOKUP_EXPR else "template_var"


def emit_all(f: FileB, st: Style, items):
    for it in items:
        if st.syn == "cs_json" and it.lookup:
            f.dec_block(render(st, D(it.name, "", "empty_value"))[0], "empty_value")
        else:
            emit(f, st, it)


RENAME = ["LEGACY_", "REPLICA_", "ANALYTICS_", "BACKUP_", "STAGING_", "OLD_", "SECONDARY_", "REPORTING_"]


def mix(t: Tree, n_sec, n_dec, n_fill, fams=None, ctx="env", exclude=()):
    """Shuffled items for an env-like block (a secret stays next to its companions)."""
    groups = [sec_items(t, t.fam(fams, exclude)) for _ in range(n_sec)]
    groups += [[decoy_item(t, ctx)] for _ in range(n_dec)]
    groups += [[filler_item(t)] for _ in range(n_fill)]
    t.r.shuffle(groups)
    seen, out = set(), []
    for g in groups:
        for it in g:
            if it.name in seen:
                if not it.fam:
                    continue
                for p in RENAME:
                    if p + it.name not in seen:
                        it.name = p + it.name
                        break
            seen.add(it.name)
            out.append(it)
    return out


# ------------------------------------------------------------------------------------------ code templates
# Markers: {S} planted secret, {S2} second planted secret, {SID} {PK} {CID} look-alikes on their own lines,
# {E} entity, {EC} Entity, {P} project, {SL} slug, {D} domain, {ORG}, {REG}, {PHONE}.  "@ meta" first line.

PY_T = {
    "stripe": [r'''import stripe

stripe.api_key = "{S}"
stripe.api_version = "2024-06-20"


def create_checkout_session({E}, success_url: str, cancel_url: str):
    return stripe.checkout.Session.create(
        mode="payment",
        line_items=[{"price": {E}.price_id, "quantity": 1}],
        success_url=success_url,
        cancel_url=cancel_url,
        metadata={"{E}_id": str({E}.id)},
    )''', r'''@ stripe=whsec
import stripe
from flask import abort, request

ENDPOINT_SECRET = "{S}"  # stripe listen --forward-to localhost:5000/webhooks/stripe


def stripe_webhook():
    payload = request.get_data()
    sig_header = request.headers.get("Stripe-Signature")
    try:
        return stripe.Webhook.construct_event(payload, sig_header, ENDPOINT_SECRET)
    except (ValueError, stripe.error.SignatureVerificationError):
        abort(400)'''],
    "aws": [r'''import boto3

s3 = boto3.client(
    "s3",
    region_name="{REG}",
    aws_access_key_id="{S}",
    aws_secret_access_key="{S2}",
)


def upload_{E}_export(path: str, key: str) -> str:
    s3.upload_file(path, "{P}-exports", key)
    return "s3://{P}-exports/" + key''', r'''import boto3

session = boto3.session.Session(
    aws_access_key_id='{S}',
    aws_secret_access_key='{S2}',
    region_name='{REG}',
)
sqs = session.client('sqs')
QUEUE_URL = 'https://sqs.{REG}.amazonaws.com/{ACCT}/{P}-jobs'
'''],
    "jwt": [r'''import requests

# long-lived service token for the internal {E} API (svc-reporting)
{EU}_API_TOKEN = "{S}"


def fetch_{E}s(page=1):
    resp = requests.get(
        "https://api.{D}/v1/{E}s",
        params={"page": page},
        headers={"Authorization": "Bearer " + {EU}_API_TOKEN},
        timeout=10,
    )
    resp.raise_for_status()
    return resp.json()''', r'''def admin_client():
    session = requests.Session()
    session.headers.update({"Authorization": "Bearer {S}"})
    return session'''],
    "fernet": [r'''from cryptography.fernet import Fernet

_fernet = Fernet(b"{S}")


def encrypt_field(value: str) -> str:
    return _fernet.encrypt(value.encode()).decode()


def decrypt_field(token: str) -> str:
    return _fernet.decrypt(token.encode()).decode()''', r'''@ fernet=token
# encrypted with the v1 key; kept so that old exports still decrypt
LEGACY_{EU}_BLOB = "{S}"
'''],
    "database": [r'''@ db=postgresql+psycopg2,postgresql,postgres,postgresql+asyncpg,mysql+pymysql
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

engine = create_engine(
    "{S}",
    pool_pre_ping=True,
    pool_size=10,
)
SessionLocal = sessionmaker(bind=engine, autoflush=False)''', r'''@ db=redis,rediss
import redis

cache = redis.Redis.from_url("{S}", decode_responses=True)''', r'''@ db=amqp,amqps,redis,rediss
from celery import Celery

app = Celery("{SL}", broker="{S}")
app.conf.task_acks_late = True''', r'''@ db=mongodb,mongodb+srv
from pymongo import MongoClient

client = MongoClient("{S}")
db = client["{SL}"]'''],
    "github": [r'''from github import Github

gh = Github("{S}")


def open_issue(title, body):
    repo = gh.get_repo("{ORG}/{P}")
    return repo.create_issue(title=title, body=body)''', r'''GITHUB_HEADERS = {
    "Accept": "application/vnd.github+json",
    "Authorization": "token {S}",
}'''],
    "slack": [r'''@ slack=xoxb
from slack_sdk import WebClient

slack = WebClient(token="{S}")


def notify(channel: str, text: str) -> None:
    slack.chat_postMessage(channel=channel, text=text)''', r'''@ slack=webhook
import requests

SLACK_WEBHOOK = "{S}"


def alert(text):
    requests.post(SLACK_WEBHOOK, json={"text": text}, timeout=5)'''],
    "google": [r'''@ google=key
GEOCODE_URL = "https://maps.googleapis.com/maps/api/geocode/json?key={S}"


def geocode(address):
    return requests.get(GEOCODE_URL, params={"address": address}, timeout=5).json()''', r'''@ google=key
import google.generativeai as genai

genai.configure(api_key="{S}")
model = genai.GenerativeModel("gemini-1.5-flash")''', r'''@ google=secret
GOOGLE_OAUTH = {
    "client_id": "{CID}",
    "client_secret": "{S}",
    "redirect_uri": "https://app.{D}/auth/google/callback",
}'''],
    "openai": [r'''from openai import OpenAI

client = OpenAI(api_key="{S}")


def summarize(text: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "Summarize:\n" + text}],
    )
    return resp.choices[0].message.content'''],
    "anthropic": [r'''import anthropic

client = anthropic.Anthropic(api_key="{S}")


def classify(ticket_text):
    msg = client.messages.create(
        model="claude-3-5-sonnet-latest",
        max_tokens=256,
        messages=[{"role": "user", "content": ticket_text}],
    )
    return msg.content[0].text'''],
    "twilio": [r'''from twilio.rest import Client

ACCOUNT_SID = "{SID}"
AUTH_TOKEN = "{S}"
client = Client(ACCOUNT_SID, AUTH_TOKEN)


def send_sms(to, body):
    return client.messages.create(to=to, from_="+1{PHONE}", body=body)'''],
    "sendgrid": [r'''from sendgrid import SendGridAPIClient
from sendgrid.helpers.mail import Mail

sg = SendGridAPIClient("{S}")


def send_receipt(to_email, html):
    sg.send(Mail(from_email="billing@{D}", to_emails=to_email, subject="Your receipt", html_content=html))'''],
    "heroku": [r'''import heroku3

heroku = heroku3.from_key("{S}")
app = heroku.app("{P}-api")'''],
    "sentry": [r'''@ sentry=dsn
import sentry_sdk

sentry_sdk.init(
    dsn="{S}",
    traces_sample_rate=0.2,
    environment="production",
)''', r'''@ sentry=token
SENTRY_AUTH_TOKEN = "{S}"


def create_release(version):
    return requests.post(
        "https://sentry.io/api/0/organizations/{ORG}/releases/",
        headers={"Authorization": "Bearer " + SENTRY_AUTH_TOKEN},
        json={"version": version, "projects": ["{P}"]},
    )'''],
    "generic": [r'''@ gen=secret_key
import jwt

JWT_SECRET = "{S}"


def issue_token(user_id):
    return jwt.encode({"sub": str(user_id)}, JWT_SECRET, algorithm="HS256")''', r'''@ gen=secret_key
os.environ.setdefault("SECRET_KEY", "{S}")''', r'''@ gen=api_key
PARTNER_RATES_URL = "https://partner-api.{D}/v2/rates?api_key={S}"''', r'''@ gen=signing_secret
WEBHOOK_SIGNING_SECRET = b"{S}"


def verify(body: bytes, signature: str) -> bool:
    digest = hmac.new(WEBHOOK_SIGNING_SECRET, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(digest, signature)''', r'''@ gen=password
def _smtp():
    server = smtplib.SMTP("smtp.mailgun.org", 587)
    server.starttls()
    server.login("postmaster@mg.{D}", "{S}")
    return server''', r'''@ gen=password
conn = psycopg2.connect(host="db", dbname="{SL}", user="{SL}", password="{S}")'''],
}

JS_T = {
    "stripe": [r'''const stripe = require('stripe')('{S}');

async function createCustomer(email) {
  return stripe.customers.create({ email });
}''', r'''import Stripe from 'stripe';

export const stripe = new Stripe("{S}", { apiVersion: '2024-06-20' });''', r'''@ stripe=whsec
const endpointSecret = '{S}';

router.post('/webhooks/stripe', express.raw({ type: 'application/json' }), (req, res) => {
  const event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], endpointSecret);
  res.json({ received: true, type: event.type });
});'''],
    "aws": [r'''import { S3Client } from '@aws-sdk/client-s3';

export const s3 = new S3Client({
  region: '{REG}',
  credentials: {
    accessKeyId: '{S}',
    secretAccessKey: '{S2}',
  },
});'''],
    "jwt": [r'''const api = axios.create({
  baseURL: 'https://api.{D}/v1',
  headers: { Authorization: 'Bearer {S}' },
});'''],
    "database": [r'''@ db=mongodb,mongodb+srv
await mongoose.connect("{S}", { maxPoolSize: 20 });''', r'''@ db=redis,rediss
const redis = new Redis('{S}');''', r'''@ db=postgres,postgresql
const pool = new Pool({ connectionString: '{S}', max: 10 });''', r'''@ db=amqp,amqps
const conn = await amqplib.connect('{S}');
const channel = await conn.createChannel();'''],
    "github": [r'''const octokit = new Octokit({ auth: '{S}' });

export async function listOpenPulls() {
  const { data } = await octokit.rest.pulls.list({ owner: '{ORG}', repo: '{P}', state: 'open' });
  return data;
}'''],
    "slack": [r'''@ slack=xoxb
const slack = new WebClient('{S}');''', r'''@ slack=webhook
const SLACK_WEBHOOK_URL = "{S}";

export const notifyOps = (text) => fetch(SLACK_WEBHOOK_URL, { method: 'POST', body: JSON.stringify({ text }) });'''],
    "google": [r'''@ google=key
const url = `https://maps.googleapis.com/maps/api/place/textsearch/json?query=${encodeURIComponent(q)}&key={S}`;''', r'''@ google=secret
const oauth2Client = new google.auth.OAuth2(
  '{CID}',
  '{S}',
  'https://app.{D}/auth/google/callback'
);'''],
    "openai": [r'''const openai = new OpenAI({ apiKey: "{S}" });

export async function embed(text) {
  const res = await openai.embeddings.create({ model: 'text-embedding-3-small', input: text });
  return res.data[0].embedding;
}'''],
    "anthropic": [r'''const anthropic = new Anthropic({
  apiKey: '{S}',
});'''],
    "twilio": [r'''const accountSid = '{SID}';
const authToken = '{S}';
const client = require('twilio')(accountSid, authToken);'''],
    "sendgrid": [r'''const sgMail = require('@sendgrid/mail');
sgMail.setApiKey('{S}');'''],
    "sentry": [r'''@ sentry=dsn
Sentry.init({
  dsn: '{S}',
  tracesSampleRate: 0.1,
});'''],
    "fernet": [r'''@ fernet=token
// produced by the python service (Fernet); used by the decrypt round-trip test
const ENCRYPTED_FIXTURE = '{S}';'''],
    "heroku": [r'''const heroku = new Heroku({ token: '{S}' });'''],
    "generic": [r'''@ gen=secret_key
const JWT_SECRET = '{S}';

export const sign = (user) => jwt.sign({ sub: user.id, role: user.role }, JWT_SECRET, { expiresIn: '1h' });''', r'''@ gen=api_key
const res = await fetch(`https://api.partner.{D}/v1/quotes?token={S}&zip=${zip}`);''', r'''@ gen=password
const transporter = nodemailer.createTransport({
  host: 'smtp.sendgrid.net',
  port: 587,
  auth: { user: 'apikey', pass: '{S}' },
});''', r'''@ gen=client_secret
const keycloak = { realm: 'main', clientId: '{P}-api', clientSecret: '{S}' };'''],
}

GO_T = {
    "stripe": [r'''func init() {
	stripe.Key = "{S}"
}'''],
    "aws": [r'''func newS3(ctx context.Context) (*s3.Client, error) {
	cfg, err := config.LoadDefaultConfig(ctx,
		config.WithRegion("{REG}"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(
			"{S}",
			"{S2}",
			"",
		)),
	)
	if err != nil {
		return nil, err
	}
	return s3.NewFromConfig(cfg), nil
}'''],
    "database": [r'''@ db=postgres,postgresql
func openDB() (*sql.DB, error) {
	return sql.Open("postgres", "{S}")
}''', r'''@ db=redis,rediss
	opt, _ := redis.ParseURL("{S}")
	rdb := redis.NewClient(opt)''', r'''@ db=sqlserver
	db, err := sql.Open("sqlserver", "{S}")'''],
    "slack": [r'''@ slack=xoxb
var slackClient = slack.New("{S}")'''],
    "github": [r'''var gh = github.NewClient(nil).WithAuthToken("{S}")'''],
    "openai": [r'''	client := openai.NewClient("{S}")'''],
    "anthropic": [r'''	client := anthropic.NewClient(option.WithAPIKey("{S}"))'''],
    "sendgrid": [r'''	client := sendgrid.NewSendClient("{S}")'''],
    "twilio": [r'''	client := twilio.NewRestClientWithParams(twilio.ClientParams{
		Username: "{SID}",
		Password: "{S}",
	})'''],
    "sentry": [r'''@ sentry=dsn
	if err := sentry.Init(sentry.ClientOptions{
		Dsn:              "{S}",
		TracesSampleRate: 0.2,
	}); err != nil {
		log.Fatalf("sentry.Init: %s", err)
	}'''],
    "generic": [r'''@ gen=secret_key
var jwtKey = []byte("{S}")''', r'''@ gen=api_key
const partnerAPIKey = "{S}"'''],
}

JAVA_T = {
    "stripe": [r'''    @PostConstruct
    public void init() {
        Stripe.apiKey = "{S}";
    }'''],
    "aws": [r'''    @Bean
    public AmazonS3 amazonS3() {
        BasicAWSCredentials creds = new BasicAWSCredentials(
            "{S}",
            "{S2}");
        return AmazonS3ClientBuilder.standard().withRegion("{REG}")
            .withCredentials(new AWSStaticCredentialsProvider(creds)).build();
    }'''],
    "twilio": [r'''    private static final String ACCOUNT_SID = "{SID}";
    private static final String AUTH_TOKEN = "{S}";

    static {
        Twilio.init(ACCOUNT_SID, AUTH_TOKEN);
    }'''],
    "sendgrid": [r'''    private final SendGrid sendGrid = new SendGrid("{S}");'''],
    "generic": [r'''@ gen=secret_key
    private static final String JWT_SECRET = "{S}";

    private SecretKey signingKey() {
        return Keys.hmacShaKeyFor(JWT_SECRET.getBytes(StandardCharsets.UTF_8));
    }''', r'''@ gen=password
    public Connection legacyConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://db:5432/{SL}", "{SL}", "{S}");
    }'''],
    "slack": [r'''@ slack=xoxb
    private final MethodsClient slack = Slack.getInstance().methods("{S}");'''],
    "database": [r'''@ db=mongodb,mongodb+srv
    private final MongoClient mongo = MongoClients.create("{S}");'''],
    "openai": [r'''    private final OpenAIClient client = OpenAIOkHttpClient.builder()
        .apiKey("{S}")
        .build();'''],
}

KT_T = {
    "stripe": [r'''    init {
        Stripe.apiKey = "{S}"
    }'''],
    "generic": [r'''@ gen=secret_key
    private val jwtSecret = "{S}"'''],
    "slack": [r'''@ slack=webhook
    private val webhookUrl = "{S}"'''],
    "anthropic": [r'''    private val client = AnthropicOkHttpClient.builder().apiKey("{S}").build()'''],
}

RB_T = {
    "stripe": [r'''Stripe.api_key = '{S}'
Stripe.api_version = '2024-06-20' '''],
    "aws": [r'''Aws.config.update(
  region: '{REG}',
  credentials: Aws::Credentials.new(
    '{S}',
    '{S2}'
  )
)'''],
    "slack": [r'''@ slack=xoxb
Slack.configure do |config|
  config.token = '{S}'
end'''],
    "github": [r'''GITHUB = Octokit::Client.new(access_token: '{S}')'''],
    "sendgrid": [r'''SENDGRID = SendGrid::API.new(api_key: '{S}')'''],
    "openai": [r'''OPENAI = OpenAI::Client.new(access_token: "{S}")'''],
    "sentry": [r'''@ sentry=dsn
Sentry.init do |config|
  config.dsn = '{S}'
  config.traces_sample_rate = 0.1
end'''],
    "database": [r'''@ db=redis,rediss
$redis = Redis.new(url: '{S}')'''],
    "generic": [r'''@ gen=signing_secret
HMAC_SECRET = '{S}'.freeze'''],
    "twilio": [r'''TWILIO_ACCOUNT_SID = '{SID}'
TWILIO_AUTH_TOKEN = '{S}'
TWILIO = Twilio::REST::Client.new(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)'''],
}

PHP_T = {
    "stripe": [r'''\Stripe\Stripe::setApiKey('{S}');''', r'''$stripe = new \Stripe\StripeClient('{S}');'''],
    "twilio": [r'''$sid = '{SID}';
$token = '{S}';
$twilio = new Client($sid, $token);'''],
    "sendgrid": [r'''$sendgrid = new \SendGrid('{S}');'''],
    "aws": [r'''$s3 = new S3Client([
    'version' => 'latest',
    'region' => '{REG}',
    'credentials' => [
        'key' => '{S}',
        'secret' => '{S2}',
    ],
]);'''],
    "openai": [r'''$client = OpenAI::client('{S}');'''],
    "generic": [r'''@ gen=password
$pdo = new PDO('pgsql:host=db;dbname={SL}', '{SL}', '{S}');'''],
}

CS_T = {
    "stripe": [r'''        StripeConfiguration.ApiKey = "{S}";'''],
    "sendgrid": [r'''        var client = new SendGridClient("{S}");'''],
    "twilio": [r'''        TwilioClient.Init(
            "{SID}",
            "{S}");'''],
    "aws": [r'''        var credentials = new BasicAWSCredentials(
            "{S}",
            "{S2}");
        var s3 = new AmazonS3Client(credentials, RegionEndpoint.USEast1);'''],
    "openai": [r'''        var client = new OpenAIClient("{S}");'''],
    "database": [r'''@ db=adonet
        await using var conn = new SqlConnection("{S}");'''],
    "generic": [r'''@ gen=secret_key
        var signingKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("{S}"));''']
}

TEMPLATES = {"py": PY_T, "js": JS_T, "go": GO_T, "java": JAVA_T, "kotlin": KT_T, "ruby": RB_T, "php": PHP_T, "cs": CS_T}


def tmpl_vals(t: Tree, fam, meta):
    k, r = t.k, t.r
    e = t.ent()
    v = {"REG": t.region, "P": t.proj, "SL": t.slug, "D": t.domain, "ORG": t.org, "E": e, "EU": e.upper(),
         "EC": e.capitalize(), "PHONE": k.digits(10), "ACCT": k.digits(12)}
    secs = []
    if fam == "stripe":
        if meta == "stripe=whsec":
            secs = [(k.whsec(), "webhook_secret")]
        elif r.random() < 0.25:
            secs = [(k.stripe("rk"), "restricted_key")]
        else:
            secs = [(k.stripe("sk"), "secret_key")]
    elif fam == "aws":
        secs = [(k.aws_id("AK" + "IA"), "access_key_id"), (k.aws_secret(), "secret_access_key")]
    elif fam == "jwt":
        secs = [(k.jwt(iss="https://auth." + t.domain + "/"), "jwt")]
    elif fam == "fernet":
        secs = [(k.fernet_token(), "fernet_token")] if meta == "fernet=token" else [(k.fernet_key(), "fernet_key")]
    elif fam == "database":
        if meta == "db=adonet":
            pw = k.url_password()
            secs = [("Server=tcp:%s-sql.database.windows.net,1433;Initial Catalog=%s;User ID=%s_app;Password=%s;Encrypt=True;"
                     % (t.proj, t.slug, t.slug, pw), "adonet_connection_string")]
        else:
            url, kind = db_url(t, r.choice(meta.split("=", 1)[1].split(",")))
            secs = [(url, kind)]
    elif fam == "github":
        secs = [k.github()]
    elif fam == "slack":
        secs = [k.slack("webhook" if meta == "slack=webhook" else "xoxb")]
    elif fam == "google":
        secs = [(k.google_secret(), "oauth_client_secret")] if meta == "google=secret" else [(k.google_key(), "api_key")]
    elif fam == "openai":
        secs = [k.openai()]
    elif fam == "anthropic":
        secs = [(k.anthropic(), "api_key")]
    elif fam == "twilio":
        secs = [(k.hex(32), "auth_token")]
    elif fam == "sendgrid":
        secs = [(k.sendgrid(), "api_key")]
    elif fam == "heroku":
        secs = [k.heroku()]
    elif fam == "sentry":
        secs = [k.sentry_token()] if meta == "sentry=token" else [(k.sentry_dsn(True), "dsn_with_secret")]
    elif fam == "generic":
        cat = meta.split("=", 1)[1] if meta.startswith("gen=") else "api_key"
        secs = [(generic_value(t, cat, "X"), cat)]
    v["SID"], v["PK"], v["CID"] = k.twilio_sid("AC"), k.stripe("pk"), k.google_client_id()
    v["S"] = secs[0][0]
    if len(secs) > 1:
        v["S2"] = secs[1][0]
    return v, secs


MARK_DECOY = {"{SID}": "twilio_sid", "{PK}": "publishable_key", "{CID}": "client_id"}


def apply_tmpl(f: FileB, t: Tree, fam, tmpl):
    lines = tmpl.split("\n")
    meta = ""
    if lines[0].startswith("@ "):
        meta, lines = lines[0][2:].strip(), lines[1:]
    v, secs = tmpl_vals(t, fam, meta)
    for ln in lines:
        txt = ln.rstrip()
        for key in sorted(v, key=len, reverse=True):
            txt = txt.replace("{" + key + "}", v[key])
        if "{S2}" in ln:
            f.sec(txt, fam, secs[1][1], secs[1][0])
        elif "{S}" in ln:
            f.sec(txt, fam, secs[0][1], secs[0][0])
        elif any(m in ln for m in MARK_DECOY):
            f.dec(txt, next(MARK_DECOY[m] for m in MARK_DECOY if m in ln))
        else:
            f.add(txt)


# ------------------------------------------------------------------------------------------ code files

FILLER = {
    "py": [r'''def list_{E}s(db, *, limit=50, offset=0):
    """Return a page of {E}s, newest first."""
    rows = db.execute(
        "SELECT id, status, created_at FROM {E}s ORDER BY created_at DESC LIMIT %s OFFSET %s",
        (limit, offset),
    ).fetchall()
    return [dict(r) for r in rows]''', r'''def validate_{E}(payload: dict) -> list[str]:
    errors = []
    for field in ("id", "status"):
        if not payload.get(field):
            errors.append(field + " is required")
    if payload.get("status") not in {"pending", "active", "closed"}:
        errors.append("invalid status")
    return errors''', r'''class {EC}Service:
    def __init__(self, repo, clock=None):
        self.repo = repo
        self.clock = clock or datetime.utcnow

    def archive_stale(self, days=30):
        cutoff = self.clock() - timedelta(days=days)
        stale = [x for x in self.repo.all() if x.updated_at < cutoff]
        for item in stale:
            item.status = "archived"
            self.repo.save(item)
        log.info("archived %d stale {E}s", len(stale))
        return len(stale)'''],
    "js": [r'''router.get('/{E}s', async (req, res, next) => {
  try {
    const limit = Math.min(parseInt(req.query.limit || '50', 10), 200);
    const rows = await db('{E}s').orderBy('created_at', 'desc').limit(limit);
    res.json({ data: rows, count: rows.length });
  } catch (err) {
    next(err);
  }
});''', r'''export function format{EC}(row) {
  return {
    id: row.id,
    status: row.status ?? 'pending',
    total: Number(row.total_cents || 0) / 100,
    createdAt: new Date(row.created_at).toISOString(),
  };
}'''],
    "go": [r'''func (h *Handler) List{EC}s(w http.ResponseWriter, r *http.Request) {
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	items, err := h.store.List{EC}s(r.Context(), limit)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(items)
}'''],
    "java": [r'''    public List<{EC}> list{EC}s(int page, int size) {
        Pageable pageable = PageRequest.of(page, Math.min(size, 200), Sort.by("createdAt").descending());
        return repository.findAll(pageable).getContent();
    }'''],
    "kotlin": [r'''    fun list{EC}s(page: Int = 0): List<{EC}> =
        repository.findAll(PageRequest.of(page, 50)).content'''],
    "ruby": [r'''def stale_{E}s(days = 30)
  {EC}.where('updated_at < ?', days.days.ago).order(:updated_at)
end'''],
    "php": [r'''function recent{EC}s(int $limit = 50): array
{
    return {EC}::query()->latest()->limit($limit)->get()->toArray();
}'''],
    "cs": [r'''        var items = await db.{EC}s.OrderByDescending(x => x.CreatedAt).Take(50).ToListAsync();
        logger.LogInformation("Loaded {Count} {E}s", items.Count);'''],
}

CODE_HEAD = {
    "py": ['"""{EC} integrations."""', "import hashlib", "import hmac", "import logging", "import os", "import smtplib",
           "from datetime import datetime, timedelta", "", "import psycopg2", "import requests", "",
           "log = logging.getLogger(__name__)", ""],
    "js": ["'use strict';", "", "import express from 'express';", "import axios from 'axios';", "", "const router = express.Router();", ""],
    "go": ["package {SL}", "", "import (", '\t"context"', '\t"database/sql"', '\t"encoding/json"', '\t"log"', '\t"net/http"',
           '\t"os"', '\t"strconv"', ")", ""],
    "java": ["package com.{SL}.config;", "", "import java.util.List;", "import org.springframework.context.annotation.Bean;",
             "import org.springframework.context.annotation.Configuration;", "", "@Configuration", "public class {EC}Config {", ""],
    "kotlin": ["package com.{SL}.config", "", "import org.springframework.stereotype.Component", "", "@Component",
               "class {EC}Clients(private val repository: {EC}Repository) {", ""],
    "ruby": ["# frozen_string_literal: true", ""],
    "php": ["<?php", "", "namespace App\\Services;", "", "use Twilio\\Rest\\Client;", "use Aws\\S3\\S3Client;", ""],
    "cs": ["using Microsoft.Extensions.Logging;", "using Stripe;", "", "namespace {PC}.Infrastructure;", "",
           "public static class {EC}Clients", "{", "    public static async Task ConfigureAsync(AppDbContext db, ILogger logger)", "    {"],
}
CODE_TAIL = {"java": ["}"], "kotlin": ["}"], "cs": ["    }", "}"]}
CODE_SYN = {"py": "py", "js": "jsconst", "go": "go", "java": "java", "kotlin": "kotlin", "ruby": "ruby", "cs": None, "php": None}


def sub(t: Tree, text, e=None):
    e = e or t.ent()
    v = {"E": e, "EC": e.capitalize(), "EU": e.upper(), "P": t.proj, "SL": t.slug, "D": t.domain, "ORG": t.org,
         "REG": t.region, "PC": pascal(t.slug)}
    for key, val in v.items():
        text = text.replace("{" + key + "}", val)
    return text


def gen_code(t: Tree, lang, paths, n_svc=(1, 3)):
    f = t.file(*paths)
    if not f:
        return
    e = t.ent()
    f.add(*[sub(t, x, e) for x in CODE_HEAD[lang]])
    fams = []
    for _ in range(t.r.randint(*n_svc)):
        fm = t.fam(list(TEMPLATES[lang]))
        if fm not in fams:
            fams.append(fm)
    syn = CODE_SYN[lang]
    if syn and t.chance(0.8):
        st = Style(t, syn, "    " if lang in ("java", "kotlin") else ("\t" if lang == "go" else ""))
        items = [decoy_item(t) for _ in range(t.r.randint(1, 3))] + [LK(n) for n in t.r.sample(SECRETISH_NAMES, t.r.randint(1, 2))]
        t.r.shuffle(items)
        if lang == "go":
            f.add("const (")
            emit_all(f, st, [i for i in items if not i.lookup])
            f.add(")", "")
        else:
            emit_all(f, st, items)
            f.add("")
    wrap_go = False
    for fm in fams:
        tm = t.r.choice(TEMPLATES[lang][fm])
        body = tm.split("\n", 1)[1] if tm.startswith("@ ") else tm
        if lang == "go" and body.startswith("\t") and not wrap_go:
            f.add("func setupClients() {")
            wrap_go = True
        elif lang == "go" and not body.startswith("\t") and wrap_go:
            f.add("}", "")
            wrap_go = False
        apply_tmpl(f, t, fm, tm)
        f.add("")
    if wrap_go:
        f.add("}", "")
    if t.chance(0.2):
        it = next(x for x in sec_items(t, t.fam(["stripe", "openai", "github", "sendgrid", "generic", "slack"])) if x.fam)
        cm = {"py": "# ", "ruby": "# "}.get(lang, "// ")
        f.sec(cm + t.r.choice(["old key: ", "previous " + it.name + ": ", "used to be: "]) + it.value, it.fam, it.kind, it.value)
        f.add("")
    for e2 in t.r.sample(t.ents, t.r.randint(2, 4)):
        f.add(*sub(t, t.r.choice(FILLER[lang]), e2).split("\n"))
        f.add("")
    f.add(*CODE_TAIL.get(lang, []))


def gen_config(t: Tree, syn, paths, head, tail=(), indent="", n_sec=(2, 5), n_dec=(2, 5), n_fill=(3, 9),
               fams=None, ctx="env", key=None, exclude=()):
    f = t.file(*paths)
    if not f:
        return None
    f.add(*[sub(t, h) for h in head])
    st = Style(t, syn, indent, key)
    items = mix(t, t.r.randint(*n_sec), t.r.randint(*n_dec), t.r.randint(*n_fill), fams, ctx, exclude)
    if syn in ("json", "cs_json") and items:
        emit_all(f, st, items)
        last = f.lines[-1]
        f.lines[-1] = last[:-1] if last.endswith(",") else last
    else:
        emit_all(f, st, items)
    f.add(*[sub(t, x) for x in tail])
    return f


# ------------------------------------------------------------------------------------------ env / container files

SECTION = ["# --- app ---", "# --- database ---", "# --- third-party services ---", "# --- payments ---",
           "# --- observability ---", "# --- mail ---"]


def gen_dotenv(t: Tree, paths=None, n=(5, 9)):
    f = t.file(*(paths or [".env", ".env.production", "deploy/prod.env", ".env.staging", "config/.env.local", "backend/.env"]))
    if not f:
        return
    st = Style(t, "env")
    f.add("# " + t.proj + " " + t.r.choice(["production", "staging", "local dev", "shared"]) + " environment")
    if t.chance(0.4):
        f.add("# loaded by docker compose / python-dotenv", "")
    items = mix(t, t.r.randint(*n), t.r.randint(3, 7), t.r.randint(8, 16))
    for i, it in enumerate(items):
        if i % 5 == 0 and t.chance(0.5):
            f.add("", t.r.choice(SECTION))
        emit(f, st, it)


def gen_env_example(t: Tree):
    f = t.file(".env.example", ".env.sample", ".env.template", "deploy/example.env")
    if not f:
        return
    f.add("# Copy to .env and fill in real values. Never commit the real file.", "")
    st = Style(t, "env")
    st.comment_p = 0
    emit_all(f, st, mix(t, 0, t.r.randint(10, 18), t.r.randint(8, 14), ctx="example"))


BASE_IMG = {"python": "python:3.12-slim", "node": "node:20-alpine", "go": "golang:1.22-alpine", "java": "eclipse-temurin:21-jre",
            "ruby": "ruby:3.3-slim", "php": "php:8.3-fpm-alpine", "dotnet": "mcr.microsoft.com/dotnet/aspnet:8.0"}


def digest(t):
    return "@sha256:" + t.k.sha256()


WORKER_CMD = {"python": "celery -A app worker -l info", "node": "node dist/worker.js", "go": "/app/worker",
              "java": "java -jar app.jar --spring.profiles.active=worker", "ruby": "bundle exec sidekiq",
              "php": "php artisan queue:work", "dotnet": "dotnet Worker.dll"}


def gen_dockerfile(t: Tree):
    f = t.file("Dockerfile", "docker/Dockerfile.worker", "deploy/Dockerfile.prod")
    if not f:
        return
    lang = STACKS[t.stack]["runtime"]
    f.add("# syntax=docker/dockerfile:1.7", "")
    f.dec("FROM " + BASE_IMG[lang] + digest(t) + " AS build", "docker_digest")
    f.add("WORKDIR /src", "RUN apt-get update && apt-get install -y --no-install-recommends build-essential curl \\",
          "    && rm -rf /var/lib/apt/lists/*", "COPY . .", "RUN ./scripts/build.sh --release", "")
    f.dec("FROM " + BASE_IMG[lang] + digest(t) + " AS runtime", "docker_digest")
    f.add("", "WORKDIR /app", "ENV PYTHONUNBUFFERED=1 \\", "    PIP_NO_CACHE_DIR=1" if lang == "python" else "    APP_HOME=/app", "")
    st = Style(t, "docker")
    st.comment_p = 0
    items = mix(t, t.r.randint(1, 3), t.r.randint(1, 3), t.r.randint(1, 2))
    emit_all(f, st, items)
    f.add("", "COPY --from=build /src/dist /app", 'LABEL org.opencontainers.image.source="https://github.com/' + t.org + "/" + t.proj + '"',
          "HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost:8000/healthz || exit 1", "RUN adduser --disabled-password --gecos '' app && chown -R app /app", "USER app",
          "EXPOSE 8000", 'CMD ["./bin/start"]')


def gen_compose(t: Tree):
    f = t.file("docker-compose.yml", "compose.yaml", "docker-compose.prod.yml", "deploy/docker-compose.override.yml")
    if not f:
        return
    r = t.r
    if t.chance(0.5):
        f.add('version: "3.9"', "")
    f.add("services:", "  api:", "    build: .")
    if t.chance(0.6):
        f.dec("    image: ghcr.io/" + t.org + "/" + t.proj + "-api" + digest(t), "docker_digest")
    f.add("    ports:", '      - "8000:8000"', "    env_file: .env", "    environment:")
    syn = r.choice(["compose_list", "compose_map"])
    emit_all(f, Style(t, syn, "      "), mix(t, r.randint(2, 4), r.randint(2, 4), r.randint(1, 3)))
    f.add("    depends_on:", "      - db", "      - redis", "", "  db:", "    image: postgres:16-alpine", "    environment:")
    f.dec("      POSTGRES_USER: " + t.slug, "username")
    f.add("      POSTGRES_DB: " + t.slug)
    c = r.random()
    if c < 0.45:
        pw = t.k.password()
        f.sec("      POSTGRES_PASSWORD: " + yq(pw, r.choice(["", '"'])), "generic", "password", pw)
    elif c < 0.75:
        f.dec("      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}", "template_var")
    else:
        f.dec("      POSTGRES_PASSWORD: postgres  # local only", "weak_test_password")
    f.add("    volumes:", "      - pgdata:/var/lib/postgresql/data", "", "  redis:", "    image: redis:7-alpine")
    if t.chance(0.5):
        pw = t.k.password()
        f.sec("    command: redis-server --appendonly yes --requirepass " + "'" + pw + "'", "generic", "password", pw)
    else:
        f.dec('    command: ["redis-server", "--requirepass", "${REDIS_PASSWORD}"]', "template_var")
    f.add("", "  worker:", "    build: .", "    command: " + WORKER_CMD[STACKS[t.stack]["runtime"]], "    env_file: .env",
          "", "volumes:", "  pgdata:")


def gen_k8s_deploy(t: Tree):
    f = t.file("k8s/deployment.yaml", "deploy/k8s/worker-deployment.yaml", "k8s/cronjob.yaml")
    if not f:
        return
    f.add("apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: " + t.proj + "-api", "  labels:",
          "    app: " + t.proj, "spec:", "  replicas: 3", "  selector:", "    matchLabels:", "      app: " + t.proj,
          "  template:", "    metadata:", "      labels:", "        app: " + t.proj, "    spec:", "      containers:",
          "        - name: api")
    f.dec("          image: " + t.r.choice(["ghcr.io/", "registry.gitlab.com/"]) + t.org + "/" + t.proj + digest(t),
          "docker_digest")
    f.add("          ports:", "            - containerPort: 8000", "          env:")
    items = mix(t, t.r.randint(1, 3), 0, t.r.randint(2, 4)) + [LK(n) for n in t.r.sample(SECRETISH_NAMES, t.r.randint(2, 4))]
    t.r.shuffle(items)
    emit_all(f, Style(t, "k8s_env", "            "), items)
    f.add("          resources:", "            limits:", "              memory: 512Mi", "              cpu: 500m")


def gen_k8s_secret(t: Tree):
    f = t.file("k8s/secret.yaml", "deploy/k8s/secrets.yaml", "k8s/overlays/prod/secret.yaml")
    if not f:
        return
    r, k = t.r, t.k
    f.add("apiVersion: v1", "kind: Secret", "metadata:", "  name: " + t.proj + "-secrets", "  namespace: " + t.proj)
    if t.chance(0.3):
        f.add("type: kubernetes.io/tls", "data:")
        cert, _ = k.pem_public("cert")
        f.dec("  tls.crt: " + b64(cert.encode()), "certificate")
        pem, kname = k.pem_text(r.choice(["rsa", "pkcs8", "ec"]))
        enc = b64(pem.encode())
        f.sec("  tls.key: " + enc, "private_key", kname, pem, encoded=enc)
        return
    f.add("type: Opaque", "data:")
    for _ in range(r.randint(2, 4)):
        for it in sec_items(t, t.fam()):
            if it.fam and "\n" not in it.value:
                enc = b64(it.value.encode())
                f.sec("  " + it.name + ": " + enc, it.fam, it.kind, it.value, encoded=enc)
    if t.chance(0.6):
        f.add("stringData:")
        emit_all(f, Style(t, "yaml", "  ", "upper"), mix(t, r.randint(1, 2), r.randint(0, 2), 0))


def gen_helm(t: Tree):
    f = t.file("helm/" + t.proj + "/values.yaml", "charts/api/values-prod.yaml")
    if not f:
        return
    f.add("replicaCount: 2", "", "image:", "  repository: ghcr.io/" + t.org + "/" + t.proj)
    f.dec('  digest: "sha256:' + t.k.sha256() + '"', "docker_digest")
    f.add("  pullPolicy: IfNotPresent", "", "env:")
    emit_all(f, Style(t, "helm", "  "), mix(t, 0, t.r.randint(1, 3), t.r.randint(2, 4)))
    f.add("", "secrets:")
    emit_all(f, Style(t, "helm", "  "), mix(t, t.r.randint(2, 4), t.r.randint(1, 3), 0))
    f.add("", "ingress:", "  enabled: true", "  hosts:", "    - host: api." + t.domain)
    g = t.file("helm/" + t.proj + "/templates/secret.yaml", "charts/api/templates/secret.yaml")
    if g:
        g.add("apiVersion: v1", "kind: Secret", "metadata:", '  name: {{ include "app.fullname" . }}', "type: Opaque", "data:")
        for n in t.r.sample(SECRETISH_NAMES, t.r.randint(3, 6)):
            g.dec("  " + n + ": {{ .Values.secrets." + camel(n) + " | b64enc | quote }}", "template_var")


def gen_terraform(t: Tree):
    f = t.file("terraform/main.tf", "infra/main.tf", "terraform/prod/main.tf")
    if not f:
        return
    r, k = t.r, t.k
    f.add("terraform {", "  required_providers {", '    aws = {', '      source  = "hashicorp/aws"', '      version = "~> 5.40"',
          "    }", "  }", "}", "", 'provider "aws" {', '  region     = "' + t.region + '"')
    if t.chance(0.5):
        a, s = k.aws_id("AK" + "IA"), k.aws_secret()
        f.sec('  access_key = "' + a + '"', "aws", "access_key_id", a)
        f.sec('  secret_key = "' + s + '"', "aws", "secret_access_key", s)
    else:
        f.dec("  access_key = var.aws_access_key", "template_var")
        f.dec("  secret_key = var.aws_secret_key", "template_var")
    f.add("}", "", 'resource "aws_db_instance" "main" {', '  identifier        = "' + t.proj + '-prod"', '  engine            = "postgres"',
          '  instance_class    = "db.t4g.medium"', '  username          = "' + t.slug + '"')
    if t.chance(0.5):
        pw = k.password(16, 24)
        f.sec('  password          = "' + pw + '"', "generic", "password", pw)
    else:
        f.dec("  password          = var.db_password", "template_var")
    f.add("  skip_final_snapshot = false", "}", "", 'resource "aws_key_pair" "deployer" {', '  key_name   = "deployer"')
    f.dec('  public_key = "' + k.ssh_pub() + '"', "public_key")
    f.add("}", "")
    if t.chance(0.6):
        label, body, kname = k.pem_private(r.choice(["openssh", "rsa", "ec"]))
        pem = "\n".join(["-----BEGIN " + label + "-----"] + body + ["-----END " + label + "-----"])
        f.add("locals {")
        f.sec_block(["  bastion_private_key = <<-EOT"] + ["    " + x for x in pem.split("\n")], "private_key", kname, pem, 1, 0)
        f.add("  EOT", "}", "")
    if t.chance(0.4):
        v, kind = k.heroku()
        f.add('provider "heroku" {', '  email   = "ops@' + t.domain + '"')
        f.sec('  api_key = "' + v + '"', "heroku", kind, v)
        f.add("}")
    v = t.file("terraform/variables.tf", "infra/variables.tf")
    if v:
        for n in ["aws_access_key", "aws_secret_key", "db_password"]:
            v.add('variable "' + n + '" {', "  type      = string", "  sensitive = true", "}", "")
        if t.chance(0.5):
            pw = k.password()
            v.add('variable "grafana_admin_password" {', "  type    = string")
            v.sec('  default = "' + pw + '"', "generic", "password", pw)
            v.add("}")
        else:
            v.add('variable "grafana_admin_password" {', "  type    = string")
            v.dec('  default = "changeme"', "placeholder")
            v.add("}")
    gen_config(t, "tf", ["terraform/terraform.tfvars", "infra/prod.tfvars"], ["# prod values"], n_sec=(1, 3),
               n_dec=(1, 3), n_fill=(1, 3))


def gen_gha(t: Tree):
    f = t.file(".github/workflows/deploy.yml", ".github/workflows/ci.yml", ".github/workflows/release.yml")
    if not f:
        return
    r, k = t.r, t.k
    f.add("name: " + r.choice(["deploy", "ci", "release"]), "", "on:", "  push:", "    branches: [main]", "", "env:")
    emit_all(f, Style(t, "gha", "  "), mix(t, r.randint(0, 2), r.randint(1, 2), r.randint(1, 2)))
    f.add("", "jobs:", "  build:", "    runs-on: ubuntu-latest", "    services:", "      postgres:")
    f.dec("        image: postgres:16" + digest(t), "docker_digest")
    f.add("        env:")
    f.dec("          POSTGRES_PASSWORD: postgres", "weak_test_password")
    f.add("    steps:")
    for a, ver in r.sample([("actions/checkout", "v4.1.1"), ("actions/setup-python", "v5.0.0"), ("actions/setup-node", "v4.0.2"),
                            ("docker/login-action", "v3.1.0"), ("aws-actions/configure-aws-credentials", "v4.0.2"),
                            ("actions/cache", "v4.0.1")], r.randint(2, 5)):
        f.dec("      - uses: " + a + "@" + k.sha() + " # " + ver, "git_sha")
    f.add("      - name: Test", "        run: make test", "        env:")
    emit_all(f, Style(t, "gha", "          "), [LK(n) for n in r.sample(SECRETISH_NAMES, r.randint(1, 3))])
    f.add("      - name: Deploy", "        run: |")
    run_ln = f.n
    c = r.random()
    if c < 0.35:
        tok, kind = k.github()
        f.sec('          curl -sf -H "Authorization: token ' + tok + '" https://api.github.com/repos/' + t.org + "/" + t.proj
              + "/dispatches -d '{\"event_type\":\"deploy\"}'", "github", kind, tok, first_line=run_ln)
    elif c < 0.6:
        v, kind = k.heroku()
        f.sec("          HEROKU_API_KEY=" + v + " heroku container:release web -a " + t.proj, "heroku", kind, v, first_line=run_ln)
    else:
        f.dec('          curl -sf -H "Authorization: Bearer ${{ secrets.DEPLOY_TOKEN }}" https://deploy.' + t.domain + "/hooks/api",
              "template_var")
    f.add("          echo deployed")


def gen_makefile(t: Tree):
    f = t.file("Makefile")
    if not f:
        return
    r, k = t.r, t.k
    f.add(".PHONY: dev test lint fmt migrate release deploy", "", "VERSION ?= $(shell git rev-parse --short HEAD)",
          "IMAGE ?= ghcr.io/" + t.org + "/" + t.proj, "", "dev:", "\tdocker compose up --build", "", "fmt:",
          "\tpre-commit run ruff-format --all-files", "", "migrate:", "\tdocker compose run --rm api ./bin/migrate", "",
          "image:", "\tdocker build -t $(IMAGE):$(VERSION) .", "", "test:",
          "\tpytest -q" if STACKS[t.stack]["runtime"] == "python" else "\tnpm test", "", "lint:", "\tpre-commit run --all-files", "",
          "release:")
    if t.chance(0.5):
        tok, kind = k.sentry_token()
        f.sec("\tsentry-cli --auth-token " + tok + " releases new $(VERSION)", "sentry", kind, tok)
    else:
        f.dec("\tsentry-cli --auth-token $(SENTRY_AUTH_TOKEN) releases new $(VERSION)", "template_var")
    f.add("\tsentry-cli releases finalize $(VERSION)", "", "deploy:")
    f.dec('\tcurl -fsS -X POST -H "Authorization: Bearer $(DEPLOY_TOKEN)" https://deploy.' + t.domain + "/api/v1/deploy", "template_var")
    if t.chance(0.5):
        url, kind = db_url(t, r.choice(["postgres", "postgresql"]))
        f.add("", "db-shell:")
        f.sec('\tpsql "' + url + '"', "database", kind, url)


def gen_shell(t: Tree):
    f = t.file("scripts/deploy.sh", "scripts/bootstrap.sh", "scripts/backup_db.sh", "bin/setup-staging.sh")
    if not f:
        return
    r, k = t.r, t.k
    f.add("#!/usr/bin/env bash", "set -euo pipefail", "", "# " + r.choice(["one-off deploy helper", "bootstrap a staging box",
                                                                           "nightly backup, run from cron"]), "",
          'SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"', 'ENVIRONMENT="${1:-staging}"', "",
          "log() {", '  printf "[%s] %s\\n" "$(date -u +%H:%M:%S)" "$*" >&2', "}", "", "require() {",
          '  command -v "$1" >/dev/null 2>&1 || { log "missing $1"; exit 1; }', "}", "", "require aws", "require jq", "")
    emit_all(f, Style(t, "sh"), mix(t, r.randint(1, 3), r.randint(1, 2), r.randint(1, 2)))
    f.dec('export DB_PASSWORD="$(vault kv get -field=password secret/' + t.proj + '/db)"', "template_var")
    f.add("")
    c = r.random()
    if c < 0.3:
        key = k.stripe("sk")
        f.sec("curl -s https://api.stripe.com/v1/balance -u " + key + ":", "stripe", "secret_key", key)
    elif c < 0.55:
        s = k.aws_secret()
        f.sec("aws configure set aws_secret_access_key " + s + " --profile " + t.proj, "aws", "secret_access_key", s)
    elif c < 0.8:
        pw = k.password()
        f.sec("echo '" + pw + "' | docker login ghcr.io -u " + t.org + "-bot --password-stdin", "generic", "password", pw)
    else:
        pw = k.password()
        f.sec("export PGPASSWORD='" + pw + "'", "generic", "password", pw)
    f.add("", 'log "dumping $DB_NAME ($ENVIRONMENT)"',
          'pg_dump -h "$DB_HOST" -U "$DB_USER" "$DB_NAME" | gzip > "/backups/$(date +%F).sql.gz"',
          'aws s3 cp "/backups/$(date +%F).sql.gz" "s3://' + t.proj + '-backups/$ENVIRONMENT/"',
          'find /backups -name "*.sql.gz" -mtime +7 -delete', 'log "done"')


def gen_ansible(t: Tree):
    f = t.file("ansible/group_vars/all.yml", "ansible/group_vars/production.yml")
    if not f:
        return
    r, k = t.r, t.k
    f.add("---", "app_name: " + t.proj, "app_user: deploy", "app_domain: " + t.domain, "app_port: 8000", "app_workers: 4",
          "nginx_worker_processes: auto", "nginx_client_max_body_size: 25m", "certbot_email: ops@" + t.domain,
          "postgres_version: 16", "node_exporter_enabled: true", "ufw_allowed_ports:", "  - 22", "  - 80", "  - 443", "")
    emit_all(f, Style(t, "yaml", "", "snake"), mix(t, r.randint(1, 3), r.randint(1, 2), r.randint(1, 2)))
    f.dec("db_password: \"{{ vault_db_password }}\"", "template_var")
    f.add("smtp_password: !vault |")
    f.dec_block(["          $ANSIBLE_VAULT;1.1;AES256"] + ["          " + k.hex(80) for _ in range(r.randint(4, 6))],
                "ansible_vault")
    g = t.file("ansible/inventory.ini", "ansible/hosts.ini")
    if g:
        g.add("[web]")
        for i in range(1, r.randint(2, 4)):
            g.dec("web%d ansible_host=10.0.1.%d ansible_user=deploy" % (i, 10 + i), "username")
        g.add("", "[db]")
        pw = k.password()
        g.sec("db1 ansible_host=10.0.2.5 ansible_user=admin ansible_password='" + pw + "'", "generic", "password", pw)
        g.add("", "[all:vars]", "ansible_python_interpreter=/usr/bin/python3")


def gen_npmrc(t: Tree):
    f = t.file(".npmrc", "frontend/.npmrc", "web/.npmrc")
    if not f:
        return
    k = t.k
    f.add("@" + t.org + ":registry=https://npm.pkg.github.com", "engine-strict=true")
    if t.chance(0.75):
        tok = k.npm()
        f.sec("//registry.npmjs.org/:_authToken=" + tok, "npm", "access_token", tok)
    else:
        f.dec("//registry.npmjs.org/:_authToken=${NPM_TOKEN}", "template_var")
    if t.chance(0.5):
        tok, kind = k.github("ghp")
        f.sec("//npm.pkg.github.com/:_authToken=" + tok, "github", kind, tok)
    else:
        f.dec("//npm.pkg.github.com/:_authToken=${GITHUB_TOKEN}", "template_var")
    f.add("save-exact=true")


def gen_aws_creds(t: Tree):
    f = t.file("deploy/aws/credentials", ".aws/credentials", "ops/aws-credentials.ini")
    if not f:
        return
    k = t.k
    for prof in t.r.sample(["default", "ci", t.proj + "-prod", "staging"], t.r.randint(1, 2)):
        f.add("[" + prof + "]")
        sess = t.chance(0.3)
        a, s = k.aws_id(("AS" if sess else "AK") + "IA"), k.aws_secret()
        f.sec("aws_access_key_id = " + a, "aws", "access_key_id", a)
        f.sec("aws_secret_access_key = " + s, "aws", "secret_access_key", s)
        if sess:
            tok = k.aws_session()
            f.sec("aws_session_token = " + tok, "aws", "session_token", tok)
        f.add("region = " + t.region, "")
    f.add("[readonly]")
    f.dec("aws_access_key_id = " + "AK" + "IAIOSFODNN7" + "EXAMPLE", "aws_example_key")
    f.dec("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY", "aws_example_key")


def pem_file(t: Tree, path, kind=None):
    f = t.file(path)
    if not f:
        return
    label, body, kname = t.k.pem_private(kind)
    lines = ["-----BEGIN " + label + "-----"] + body + ["-----END " + label + "-----"]
    f.sec_block(lines, "private_key", kname, "\n".join(lines))


def gen_certs(t: Tree):
    r, k = t.r, t.k
    c = r.random()
    if c < 0.5:
        pem_file(t, r.choice(["certs/server.key", "deploy/tls/" + t.proj + ".key", "nginx/ssl/privkey.pem"]),
                 r.choice(["rsa", "pkcs8", "ec", "encrypted"]))
        f = t.file("certs/server.crt", "deploy/tls/" + t.proj + ".crt", "nginx/ssl/fullchain.pem")
        if f:
            for _ in range(r.randint(1, 2)):
                f.dec_block(k.pem_public("cert")[0].split("\n"), "certificate")
    else:
        pem_file(t, r.choice(["deploy/id_ed25519", "ops/keys/deploy_key", ".ssh/id_rsa_ci"]), r.choice(["openssh", "openssh", "rsa", "dsa"]))
        f = t.file("deploy/authorized_keys", "ops/keys/deploy_key.pub")
        if f:
            for _ in range(r.randint(1, 3)):
                f.dec(k.ssh_pub(), "public_key")
    g = t.file("keys/jwt_public.pem", "config/jwt/public.pem")
    if g:
        g.dec_block(k.pem_public("pub")[0].split("\n"), "public_key")


def gen_gcp_sa(t: Tree):
    f = t.file("config/gcp-service-account.json", "secrets/" + t.proj + "-sa.json", "deploy/gcp/credentials.json")
    if not f:
        return
    k = t.k
    pid = t.proj + "-prod"
    email = t.r.choice(["deployer", "ci-runner", "storage-writer"]) + "@" + pid + ".iam.gserviceaccount.com"
    pem, _ = k.pem_text("pkcs8")
    f.add("{")
    start = f.n + 1
    f.add('  "type": "service_account",', '  "project_id": "' + pid + '",', '  "private_key_id": "' + k.hex(40) + '",')
    ln = f.n + 1
    f.add('  "private_key": ' + json.dumps(pem + "\n") + ",")
    t.plant(f.path, ln, ln, "google", "service_account_key", pem, first_line=start)
    f.add('  "client_email": "' + email + '",', '  "client_id": "' + k.digits(21) + '",',
          '  "auth_uri": "https://accounts.google.com/o/oauth2/auth",')
    f.dec('  "token_uri": "https://oauth2.googleapis.com/token",', "token_url")
    f.add('  "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",',
          '  "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/' + email.replace("@", "%40") + '",',
          '  "universe_domain": "googleapis.com"', "}")


# ------------------------------------------------------------------------------------------ docs

def gen_readme(t: Tree):
    f = t.file("README.md")
    if not f:
        return
    r, k = t.r, t.k
    f.add("# " + t.proj, "", STACKS[t.stack]["blurb"] + " for " + t.org + ".", "", "## Getting started", "", "```bash",
          "cp .env.example .env", "make dev", "```", "", "## Configuration", "", "| Variable | Description | Example |", "|---|---|---|")
    for it in mix(t, 0, r.randint(4, 8), 0, ctx="example"):
        if it.lookup:
            f.dec("| `" + it.name + "` | read from the environment | `${" + it.name + "}` |", "template_var")
        else:
            f.dec("| `" + it.name + "` | see 1Password | `" + (it.value or "(empty)") + "` |", it.kind)
    f.add("", "Generate local secrets with:", "", "```bash")
    f.add("python -c 'import secrets; print(secrets.token_urlsafe(64))'",
          "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'", "```", "",
          "## Calling the API", "", "```bash")
    if t.chance(0.35):
        tok = k.jwt(iss="https://auth." + t.domain + "/")
        f.sec('curl -H "Authorization: Bearer ' + tok + '" https://api.' + t.domain + "/v1/" + t.ent() + "s", "jwt", "jwt", tok)
    else:
        f.dec('curl -H "Authorization: Bearer <your-token>" https://api.' + t.domain + "/v1/" + t.ent() + "s", "placeholder")
    f.add("```", "")
    if t.chance(0.3):
        pw = k.password()
        f.add("## Staging", "", "Staging sits behind basic auth:")
        f.sec("user `qa`, password `" + pw + "` (ask #ops before sharing).", "generic", "password", pw)
        f.add("")
    f.add("## Example keys", "", "The AWS SDK docs use placeholder credentials; never commit real ones:", "")
    f.dec("    AWS_ACCESS_KEY_ID=" + "AK" + "IAIOSFODNN7" + "EXAMPLE", "aws_example_key")
    f.dec("    AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY", "aws_example_key")
    f.add("", "Stripe test cards: use")
    f.dec("`4242 4242 4242 4242` with any future expiry, or `4000 0000 0000 9995` for a decline.", "test_card")


def gen_runbook(t: Tree):
    f = t.file("docs/runbook.md", "docs/operations.md", "docs/incident-2024-03.md")
    if not f:
        return
    r, k = t.r, t.k
    f.add("# " + t.proj + " runbook", "", "## Database access", "", "Connect through the bastion:", "", "```bash")
    if t.chance(0.5):
        scheme = r.choice(["postgresql", "postgres", "mysql", "mongodb+srv"])
        url, kind = db_url(t, scheme)
        cli = {"mysql": "mysqlsh ", "mongodb+srv": "mongosh "}.get(scheme, r.choice(["psql ", "usql "]))
        f.sec(cli + '"' + url + '"', "database", kind, url)
    else:
        f.dec('psql "postgresql://' + t.slug + ':$(pass show ' + t.proj + '/db)@localhost:6543/' + t.slug + '"', "template_var")
    f.add("```", "")
    if t.chance(0.5):
        f.add("## Temporary credentials", "", "`aws sts get-session-token` output from the last incident:", "", "```json",
              "{", '  "Credentials": {')
        a, s, tok = k.aws_id("AS" + "IA"), k.aws_secret(), k.aws_session()
        f.sec('    "AccessKeyId": "' + a + '",', "aws", "access_key_id", a)
        f.sec('    "SecretAccessKey": "' + s + '",', "aws", "secret_access_key", s)
        f.sec('    "SessionToken": "' + tok + '",', "aws", "session_token", tok)
        f.add('    "Expiration": "2024-03-14T18:22:04+00:00"', "  }", "}", "```", "")
    f.add("## Rotated keys", "")
    f.dec("- Stripe live key `" + "sk" + "_live_..." + k.s(4) + "` rotated 2024-03-12 (see ticket OPS-" + k.digits(4) + ").",
          "redacted")
    f.dec("- GitHub deploy token `ghp_****` revoked.", "redacted")
    if t.chance(0.6):
        v, kind = k.slack("xoxb")
        f.add("", "Old bot config, still referenced by the cron box:", "", "```python")
        f.sec("# old key: " + v, "slack", kind, v)
        f.add("```")
    f.add("", "## Regenerating the app secret", "", "```bash", "openssl rand -hex 32")
    f.dec("# expected SHA-256 of the backup tarball: " + k.sha256(), "hash_digest")
    f.add("```", "", "## Calling internal endpoints", "", "```bash")
    if t.chance(0.6):
        key = k.anthropic()
        f.sec('curl https://api.anthropic.com/v1/messages -H "x-api-key: ' + key + '" -H "anthropic-version: 2023-06-01" \\',
              "anthropic", "api_key", key)
        f.add("  -H 'content-type: application/json' -d @prompt.json")
    else:
        f.dec('curl https://api.openai.com/v1/models -H "Authorization: Bearer $OPENAI_API_KEY"', "template_var")
    f.add("```")


def gen_changelog(t: Tree):
    f = t.file("CHANGELOG.md")
    if not f:
        return
    r, k = t.r, t.k
    f.add("# Changelog", "", "All notable changes to this project are documented here.", "")
    v = [r.randint(1, 3), r.randint(0, 9), 0]
    for _ in range(r.randint(4, 7)):
        f.add("## [%d.%d.%d] - 2024-%02d-%02d" % (v[0], v[1], v[2], r.randint(1, 12), r.randint(1, 28)), "")
        for _ in range(r.randint(2, 4)):
            sha = k.sha()
            msg = r.choice(["Fix pagination of %ss", "Add retry to %s webhook", "Bump dependencies", "Rotate %s signing key",
                            "Remove hard-coded credentials from %s service", "Speed up %s export"])
            msg = msg % t.ent() if "%s" in msg else msg
            if r.random() < 0.5:
                f.dec("- " + msg + " ([" + sha[:7] + "](https://github.com/" + t.org + "/" + t.proj + "/commit/" + sha + "))", "git_sha")
            else:
                f.dec("- " + msg + " (" + sha[:r.choice([7, 8, 12])] + ")", "git_sha")
        f.add("")
        v[2] += 1
    if t.chance(0.3):
        wh = k.slack_webhook()
        f.add("## [0.9.0] - 2023-11-02", "")
        f.sec("- Alerts now go to " + wh + " instead of email", "slack", "webhook_url", wh)


def gen_notebook(t: Tree):
    f = t.file("notebooks/exploration.ipynb", "notebooks/" + t.ent() + "_analysis.ipynb")
    if not f:
        return
    r, k = t.r, t.k
    f.add("{", ' "cells": [')

    def cell(src, sec=None, dec=None, last=False):
        f.add("  {", '   "cell_type": "code",', '   "execution_count": %d,' % r.randint(1, 40), '   "metadata": {},',
              '   "outputs": [],', '   "source": [')
        for i, s in enumerate(src):
            line = "    " + json.dumps(s + ("\n" if i < len(src) - 1 else "")) + ("," if i < len(src) - 1 else "")
            if sec and i == sec[0]:
                f.sec(line, *sec[1:])
            elif dec and i == dec[0]:
                f.dec(line, dec[1])
            else:
                f.add(line)
        f.add("   ]", "  }" + ("" if last else ","))

    cell(["import os", "import pandas as pd", "import matplotlib.pyplot as plt"])
    fam = t.fam(["openai", "anthropic", "google", "aws", "database", "generic"])
    items = sec_items(t, fam)
    it = next(i for i in items if i.fam)
    cell(["# TODO: move to .env before sharing", 'os.environ["' + it.name + '"] = "' + it.value + '"'],
         sec=(1, it.fam, it.kind, it.value))
    cell(["df = pd.read_parquet('s3://" + t.proj + "-exports/" + t.ent() + "s.parquet')", "df.head()"])
    cell(['api_key = os.environ["OPENAI_API_KEY"]', "client = OpenAI(api_key=api_key)"], dec=(0, "env_lookup"), last=True)
    f.add(" ],", ' "metadata": {', '  "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}',
          " },", ' "nbformat": 4,', ' "nbformat_minor": 5', "}")


def gen_vscode(t: Tree):
    f = t.file(".vscode/launch.json")
    if not f:
        return
    f.add("{", '  "version": "0.2.0",', '  "configurations": [', "    {", '      "name": "API (local)",', '      "type": "debugpy",',
          '      "request": "launch",', '      "module": "uvicorn",', '      "args": ["app.main:app", "--reload"],', '      "env": {')
    st = Style(t, "json", "        ", "upper")
    emit_all(f, st, mix(t, t.r.randint(1, 3), t.r.randint(1, 2), t.r.randint(1, 2)))
    f.lines[-1] = f.lines[-1].rstrip(",")
    f.add("      }", "    }", "  ]", "}")


def gen_postman(t: Tree):
    f = t.file("docs/" + t.proj + ".postman_collection.json", "docs/api/collection.json")
    if not f:
        return
    k = t.k
    f.add("{", '  "info": {', '    "_postman_id": "' + k.uuid() + '",', '    "name": "' + t.proj + ' API",',
          '    "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"', "  },", '  "item": [')
    for i in range(t.r.randint(2, 3)):
        e = t.ent()
        f.add("    {", '      "name": "List ' + e + 's",', '      "request": {', '        "method": "GET",', '        "header": [')
        c = t.r.random()
        if c < 0.4:
            tok = k.jwt()
            f.sec('          {"key": "Authorization", "value": "Bearer ' + tok + '"},', "jwt", "jwt", tok)
        elif c < 0.6:
            key = generic_value(t, "api_key")
            f.sec('          {"key": "X-Api-Key", "value": "' + key + '"},', "generic", "api_key", key)
        else:
            f.dec('          {"key": "Authorization", "value": "Bearer {{accessToken}}"},', "template_var")
        f.add('          {"key": "Accept", "value": "application/json"}', "        ],",
              '        "url": "{{baseUrl}}/v1/' + e + 's"', "      }", "    }" + ("," if i < 1 else ""))
        if i >= 1:
            break
    f.add("  ],", '  "variable": [', '    {"key": "baseUrl", "value": "https://api.' + t.domain + '"},')
    f.dec('    {"key": "accessToken", "value": ""}', "empty_value")
    f.add("  ]", "}")


def gen_sentry_cfg(t: Tree):
    f = t.file(".sentryclirc", "sentry.properties", "ios/sentry.properties")
    if not f:
        return
    tok, kind = t.k.sentry_token()
    if f.path == ".sentryclirc":
        f.add("[defaults]", "org=" + t.org, "project=" + t.proj, "", "[auth]")
        f.sec("token=" + tok, "sentry", kind, tok)
    else:
        f.add("defaults.url=https://sentry.io/", "defaults.org=" + t.org, "defaults.project=" + t.proj)
        f.sec("auth.token=" + tok, "sentry", kind, tok)


def gen_netrc(t: Tree):
    f = t.file("deploy/.netrc", ".netrc", "ops/netrc")
    if not f:
        return
    v, kind = t.k.heroku()
    for host in ["api.heroku.com", "git.heroku.com"][: t.r.randint(1, 2)]:
        f.add("machine " + host, "  login ops@" + t.domain)
        f.sec("  password " + v, "heroku", kind, v)
    if t.chance(0.5):
        tok, kind = t.k.github()
        f.add("machine github.com", "  login " + t.org + "-bot")
        f.sec("  password " + tok, "github", kind, tok)


def gen_sops(t: Tree):
    k, r = t.k, t.r
    f = t.file("deploy/secrets.enc.yaml", "k8s/secrets.sops.yaml")
    if f:
        for n in r.sample(SECRETISH_NAMES, r.randint(3, 6)):
            f.dec(snake(n) + ": ENC[AES256_GCM,data:" + b64(k.raw(r.randint(16, 48))) + ",iv:" + b64(k.raw(32)) + ",tag:"
                  + b64(k.raw(16)) + ",type:str]", "encrypted_value")
        f.add("sops:", "    kms: []", "    lastmodified: \"2024-04-02T09:12:44Z\"")
        f.dec("    mac: ENC[AES256_GCM,data:" + b64(k.raw(64)) + ",iv:" + b64(k.raw(32)) + ",tag:" + b64(k.raw(16)) + ",type:str]",
              "encrypted_value")
        f.add("    pgp:")
        f.dec("        - fp: " + k.hex(40).upper(), "hash_digest")
        f.add("    version: 3.8.1")
    g = t.file("k8s/sealed-secret.yaml", "deploy/k8s/sealedsecret.yaml")
    if g:
        g.add("apiVersion: bitnami.com/v1alpha1", "kind: SealedSecret", "metadata:", "  name: " + t.proj + "-sealed",
              "spec:", "  encryptedData:")
        for n in r.sample(SECRETISH_NAMES, r.randint(2, 4)):
            g.dec("    " + n + ": AgB" + b64(k.raw(r.randint(300, 420))), "encrypted_value")


def gen_jwks(t: Tree):
    f = t.file("static/.well-known/jwks.json", "config/jwt/jwks.json")
    if not f:
        return
    f.add("{", '  "keys": [')
    n = t.r.randint(1, 2)
    for i in range(n):
        f.add("    {", '      "kty": "RSA",', '      "use": "sig",', '      "alg": "RS256",')
        f.dec('      "kid": "' + t.k.s(22, B64U) + '",', "key_id")
        f.dec('      "n": "' + b64u(t.k.raw(256), pad=False) + '",', "public_key")
        f.add('      "e": "AQAB"', "    }" + ("," if i < n - 1 else ""))
    f.add("  ]", "}")


# ------------------------------------------------------------------------------------------ look-alike heavy files

def gen_fixtures(t: Tree):
    base = {"python": "tests/fixtures/", "node": "test/fixtures/", "go": "testdata/", "java": "src/test/resources/fixtures/",
            "ruby": "spec/fixtures/", "php": "tests/Fixtures/", "dotnet": "tests/Api.Tests/Fixtures/"}[STACKS[t.stack]["runtime"]]
    f = t.file(*[base + x for x in ("users.json", "accounts.json", t.ent() + "s.json", "seed_data.json")])
    if not f:
        return
    r, k = t.r, t.k
    f.add("[")
    n = r.randint(3, 6)
    plant_jwt = t.chance(0.5)
    for i in range(n):
        f.add("  {")
        f.dec('    "id": "' + k.uuid() + '",', "uuid")
        f.add('    "email": "' + r.choice(["alice", "bob", "carol", "dave", "erin", "frank"]) + str(i) + "@" + t.domain + '",')
        h = r.choice([k.bcrypt, k.argon2, k.pbkdf2])()
        f.dec('    "password_hash": ' + json.dumps(h) + ",", "password_hash")
        if r.random() < 0.4:
            f.dec('    "last_request_id": "' + k.hex(32) + '",', "random_id")
        if r.random() < 0.3:
            f.dec('    "card_number": "' + r.choice(["4242424242424242", "5555555555554444", "4000056655665556"]) + '",', "test_card")
        if plant_jwt and i == 0:
            tok = k.jwt("HS256", {"email": "alice0@" + t.domain})
            f.sec('    "session_token": "' + tok + '",', "jwt", "jwt", tok)
        if i == 1 and t.chance(0.4):
            tok = k.fernet_token()
            f.sec('    "ssn_encrypted": "' + tok + '",', "fernet", "fernet_token", tok)
        f.add('    "is_active": true', "  }" + ("," if i < n - 1 else ""))
    f.add("]")


TEST_HEAD = {"py": ["import pytest", "", "from app.auth import decode_token, hash_password, verify_password", ""],
             "js": ["const request = require('supertest');", "const app = require('../src/app');", ""]}


def gen_tests(t: Tree):
    rt = STACKS[t.stack]["runtime"]
    if rt not in ("node", "python"):
        return gen_fixtures(t)
    lang = "js" if rt == "node" else "py"
    f = t.file(*(["tests/test_auth.py", "tests/test_api.py"] if lang == "py" else ["test/auth.test.js", "test/api.e2e.test.js"]))
    if not f:
        return
    r, k = t.r, t.k
    f.add(*TEST_HEAD[lang])
    tok = k.jwt(iss="https://auth." + t.domain + "/")
    ex = (b64u(b'{"alg":"HS256","typ":"JWT"}', False) + "." + b64u(b'{"sub":"1234567890","name":"John Doe","iat":1516239022}', False)
          + "." + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV" + "_adQssw5c")
    if lang == "py":
        f.dec('WEAK = ["password", "password123", "123456", "qwerty"]', "weak_test_password")
        f.sec('ADMIN_TOKEN = "' + tok + '"', "jwt", "jwt", tok)
        f.dec('JWT_IO_EXAMPLE = "' + ex + '"  # from jwt.io, signed with "your-256-bit-secret"', "example_doc_key")
        f.add("", "", "@pytest.mark.parametrize('pw', WEAK)", "def test_rejects_weak_passwords(pw):", "    with pytest.raises(ValueError):",
              "        hash_password(pw)", "", "", "def test_roundtrip():")
        f.dec('    hashed = hash_password("correct horse battery staple")', "weak_test_password")
        f.add('    assert verify_password("correct horse battery staple", hashed)', "", "", "def test_login(client):")
        f.dec('    resp = client.post("/auth/login", json={"email": "a@b.c", "password": "test1234"})', "weak_test_password")
        f.add("    assert resp.status_code == 200", "", "", "def test_admin_endpoint(client):")
        f.add('    resp = client.get("/admin/stats", headers={"Authorization": "Bearer " + ADMIN_TOKEN})',
              "    assert resp.status_code == 200", "", "", "def test_decode_example():", "    with pytest.raises(Exception):",
              "        decode_token(JWT_IO_EXAMPLE)")
    else:
        f.sec("const adminToken = '" + tok + "';", "jwt", "jwt", tok)
        f.dec("const jwtIoExample = '" + ex + "';", "example_doc_key")
        f.add("", "describe('auth', () => {", "  it('rejects a wrong password', async () => {")
        f.dec("    const res = await request(app).post('/auth/login').send({ email: 'a@b.c', password: 'password123' });",
              "weak_test_password")
        f.add("    expect(res.status).toBe(401);", "  });", "", "  it('serves admin stats', async () => {")
        f.add("    const res = await request(app).get('/admin/stats').set('Authorization', `Bearer ${adminToken}`);",
              "    expect(res.status).toBe(200);", "  });", "});")


I18N = {"fr": [("password", "Mot de passe"), ("forgot_password", "Mot de passe oublié ?"), ("api_key", "Clé API"),
               ("secret_key", "Clé secrète"), ("token_expired", "Votre jeton a expiré"), ("new_password", "Nouveau mot de passe"),
               ("access_token", "Jeton d'accès"), ("private_key", "Clé privée")],
        "de": [("password", "Passwort"), ("forgot_password", "Passwort vergessen?"), ("api_key", "API-Schlüssel"),
               ("secret_key", "Geheimer Schlüssel"), ("token_expired", "Ihr Token ist abgelaufen"), ("access_token", "Zugriffstoken")],
        "es": [("password", "Contraseña"), ("forgot_password", "¿Olvidaste tu contraseña?"), ("api_key", "Clave de API"),
               ("secret", "Secreto"), ("token_expired", "Tu token ha caducado"), ("client_secret", "Secreto del cliente")]}


def gen_i18n(t: Tree):
    for lang in t.r.sample(list(I18N), t.r.randint(1, 2)):
        f = t.file("locales/" + lang + ".json")
        if not f:
            continue
        f.add("{", '  "' + t.r.choice(["auth", "settings"]) + '": {')
        pairs = I18N[lang]
        for i, (key, val) in enumerate(pairs):
            f.dec('    "' + key + '": ' + json.dumps(val, ensure_ascii=False) + ("," if i < len(pairs) - 1 else ""), "i18n")
        f.add("  }", "}")


def gen_static(t: Tree):
    r, k = t.r, t.k
    f = t.file("static/css/app.css", "public/css/site.css")
    if f:
        f.add(":root {", "  --brand: #%06x;" % r.randint(0, 0xFFFFFF), "  --radius: 6px;", "}", "", "body {",
              "  font-family: Inter, system-ui, sans-serif;", "  margin: 0;", "}", "")
        for cls in r.sample(["logo", "spinner", "empty-state", "avatar", "caret", "check"], r.randint(2, 4)):
            f.add("." + cls + " {")
            f.dec('  background-image: url("data:image/png;base64,' + k.png_b64() + '");', "base64_image")
            f.add("  background-size: contain;", "}", "")
        f.add("@font-face {", "  font-family: 'Icons';")
        f.dec("  src: url(data:font/woff2;base64,d09GMgABAAAAA" + b64(k.raw(r.randint(120, 300))) + ") format('woff2');",
              "base64_image")
        f.add("}")
    g = t.file("templates/base.html", "public/index.html")
    if g:
        g.add("<!doctype html>", '<html lang="en">', "<head>", '  <meta charset="utf-8">', "  <title>" + t.proj + "</title>")
        g.dec('  <link rel="stylesheet" href="/static/css/app.' + k.hex(8) + '.css">', "content_hash")
        g.dec('  <script src="https://cdn.jsdelivr.net/npm/bootstrap@5.3.2/dist/js/bootstrap.bundle.min.js" integrity="'
              + k.integrity("sha384") + '" crossorigin="anonymous"></script>', "sri_hash")
        g.dec('  <script src="https://js.stripe.com/v3/" integrity="' + k.integrity("sha384") + '" crossorigin="anonymous"></script>',
              "sri_hash")
        g.add("</head>", "<body>", '  <nav class="navbar navbar-expand-lg">', '    <a class="navbar-brand" href="/">' + t.proj + "</a>",
              '    <ul class="navbar-nav">', '      <li class="nav-item"><a class="nav-link" href="/' + t.ent() + 's">' + t.ent().capitalize()
              + "s</a></li>", '      <li class="nav-item"><a class="nav-link" href="/settings">Settings</a></li>', "    </ul>", "  </nav>",
              '  <main class="container">', '    <div id="root"></div>', "  </main>",
              '  <footer class="text-muted small">&copy; 2024 ' + t.org + "</footer>")
        g.dec('  <script src="/static/js/main.' + k.hex(8) + '.js"></script>', "content_hash")
        g.add("</body>", "</html>")


def gen_bundle(t: Tree):
    r, k = t.r, t.k
    f = t.file("static/js/main." + k.hex(8) + ".js")
    if not f:
        return
    ids = lambda: "".join(r.choice(LOW) for _ in range(r.randint(1, 2)))

    def junk(n):
        parts = []
        for _ in range(n):
            parts.append(r.choice([
                'function %s(e,t){return e&&e.__esModule?e:{default:e}}' % ids(),
                'var %s=n(%d),%s=n.n(%s);' % (ids(), r.randint(100, 9999), ids(), ids()),
                '%s.prototype.render=function(){var e=this.props;return o.createElement("div",{className:"%s"},e.children)};'
                % (ids().upper(), r.choice(["card", "row", "modal", "toast"])),
                'e.exports={hash:"%s",chunk:%d};' % (k.hex(20), r.randint(1, 900)),
                'const %s=Object.freeze({id:"%s",ts:%d});' % (ids(), k.uuid(), r.randint(1_600_000_000_000, 1_720_000_000_000)),
            ]))
        return "".join(parts)

    f.add("/*! For license information please see main.js.LICENSE.txt */")
    secret_line = r.randint(0, 3) if t.chance(0.7) else -1
    for i in range(4):
        pre, post = junk(r.randint(6, 14)), junk(r.randint(6, 14))
        if i == secret_line:
            fam = t.fam(["openai", "stripe", "google", "sendgrid", "generic", "anthropic"])
            it = next(x for x in sec_items(t, fam) if x.fam)
            f.sec("(self.webpackChunk=self.webpackChunk||[]).push([[%d],{%d:function(e,t,n){%s;const %s=%s;%s}}]);"
                  % (i, r.randint(100, 999), pre, ids(), json.dumps(it.value), post), it.fam, it.kind, it.value)
        else:
            c = r.random()
            if c < 0.3:
                cfg, kind = 'stripeKey:"%s"' % k.stripe("pk"), "publishable_key"
            elif c < 0.55:
                cfg, kind = 'dsn:"%s"' % k.sentry_dsn(False), "sentry_public_dsn"
            else:
                cfg, kind = 'build:"%s"' % k.sha(), "minified_js"
            f.dec("(self.webpackChunk=self.webpackChunk||[]).push([[%d],{%d:function(e,t,n){%s;var c={%s,apiBase:\"https://api.%s\"};%s}}]);"
                  % (i, r.randint(100, 999), pre, cfg, t.domain, post), kind)
    f.add("//# sourceMappingURL=main.js.map")


def gen_checksums(t: Tree):
    f = t.file("dist/SHA256SUMS", "release/checksums.txt")
    if not f:
        return
    for osn in t.r.sample(["linux-amd64", "linux-arm64", "darwin-arm64", "darwin-amd64", "windows-amd64.exe"], t.r.randint(3, 5)):
        f.dec(t.k.sha256() + "  " + t.proj + "-" + osn + (".tar.gz" if "exe" not in osn else ""), "hash_digest")


NPM_PKGS = ["express", "axios", "jsonwebtoken", "stripe", "pg", "ioredis", "zod", "dotenv", "helmet", "cors", "winston", "uuid",
            "dayjs", "lodash", "bcryptjs", "mongoose", "openai", "@sentry/node", "@aws-sdk/client-s3", "twilio", "@sendgrid/mail"]
PY_PKGS = ["django", "flask", "fastapi", "uvicorn", "sqlalchemy", "psycopg2-binary", "redis", "celery", "boto3", "stripe",
           "requests", "pydantic", "cryptography", "sentry-sdk", "openai", "anthropic", "twilio", "gunicorn"]
GO_MODS = ["github.com/go-chi/chi/v5", "github.com/lib/pq", "github.com/redis/go-redis/v9", "github.com/stripe/stripe-go/v76",
           "github.com/slack-go/slack", "github.com/google/go-github/v60", "github.com/getsentry/sentry-go", "golang.org/x/crypto",
           "github.com/aws/aws-sdk-go-v2", "github.com/golang-jwt/jwt/v5", "go.uber.org/zap", "github.com/spf13/viper"]


def ver(r):
    return "%d.%d.%d" % (r.randint(0, 9), r.randint(0, 30), r.randint(0, 20))


def gen_lockfile(t: Tree, kind=None):
    r, k = t.r, t.k
    kind = kind or STACKS[t.stack]["lock"]
    if kind == "npm":
        f = t.file("package-lock.json", "frontend/package-lock.json")
        if not f:
            return
        f.add("{", '  "name": "' + t.proj + '",', '  "version": "1.0.0",', '  "lockfileVersion": 3,', '  "requires": true,', '  "packages": {')
        pk = r.sample(NPM_PKGS, r.randint(10, 16))
        for i, p in enumerate(pk):
            v = ver(r)
            f.add('    "node_modules/' + p + '": {', '      "version": "' + v + '",',
                  '      "resolved": "https://registry.npmjs.org/' + p + "/-/" + p.split("/")[-1] + "-" + v + '.tgz",')
            f.dec('      "integrity": "' + k.integrity() + '",', "lockfile_integrity")
            f.add('      "license": "MIT"', "    }" + ("," if i < len(pk) - 1 else ""))
        f.add("  }", "}")
    elif kind == "yarn":
        f = t.file("yarn.lock")
        if not f:
            return
        f.add("# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.", "# yarn lockfile v1", "")
        for p in r.sample(NPM_PKGS, r.randint(10, 16)):
            v = ver(r)
            f.add('"%s@^%s":' % (p, v), '  version "%s"' % v, '  resolved "https://registry.yarnpkg.com/%s/-/%s-%s.tgz#%s"'
                  % (p, p.split("/")[-1], v, k.hex(40)))
            f.dec("  integrity " + k.integrity(), "lockfile_integrity")
            f.add("")
    elif kind == "gosum":
        f = t.file("go.sum")
        if not f:
            return
        for m in r.sample(GO_MODS, r.randint(8, 12)):
            v = "v" + ver(r)
            f.dec("%s %s h1:%s" % (m, v, b64(k.raw(32))), "lockfile_integrity")
            f.dec("%s %s/go.mod h1:%s" % (m, v, b64(k.raw(32))), "lockfile_integrity")
    elif kind == "pip":
        f = t.file("requirements.txt", "requirements/prod.txt")
        if not f:
            return
        f.add("# generated by pip-compile --generate-hashes")
        for p in r.sample(PY_PKGS, r.randint(6, 10)):
            f.add("%s==%s \\" % (p, ver(r)))
            f.dec("    --hash=sha256:" + k.sha256() + " \\", "lockfile_integrity")
            f.dec("    --hash=sha256:" + k.sha256(), "lockfile_integrity")
    elif kind == "gem":
        f = t.file("Gemfile.lock")
        if not f:
            return
        gems = r.sample(["rails", "pg", "puma", "sidekiq", "stripe", "aws-sdk-s3", "devise", "jwt", "octokit", "redis", "slack-ruby-client"], 8)
        vs = {g: ver(r) for g in gems}
        f.add("GEM", "  remote: https://rubygems.org/", "  specs:")
        f.add(*["    %s (%s)" % (g, vs[g]) for g in gems])
        f.add("", "PLATFORMS", "  x86_64-linux", "", "CHECKSUMS")
        for g in gems:
            f.dec("  %s (%s) sha256=%s" % (g, vs[g], k.sha256()), "lockfile_integrity")
        f.add("", "BUNDLED WITH", "   2.5.6")
    elif kind == "composer":
        f = t.file("composer.lock")
        if not f:
            return
        f.add("{", '    "content-hash": "' + k.hex(32) + '",', '    "packages": [')
        t.decoy(f.path, 2, 2, "hash_digest")
        pk = r.sample(["laravel/framework", "stripe/stripe-php", "twilio/sdk", "aws/aws-sdk-php", "guzzlehttp/guzzle",
                       "sendgrid/sendgrid", "openai-php/client", "predis/predis"], 6)
        for i, p in enumerate(pk):
            f.add("        {", '            "name": "' + p + '",', '            "version": "v' + ver(r) + '",', '            "dist": {',
                  '                "type": "zip",')
            f.dec('                "reference": "' + k.sha() + '",', "git_sha")
            f.dec('                "shasum": "' + k.hex(40) + '"', "hash_digest")
            f.add("            }", "        }" + ("," if i < len(pk) - 1 else ""))
        f.add("    ]", "}")
    elif kind == "nuget":
        f = t.file("packages.lock.json")
        if not f:
            return
        f.add("{", '  "version": 1,', '  "dependencies": {', '    "net8.0": {')
        pk = r.sample(["Stripe.net", "Twilio", "SendGrid", "AWSSDK.S3", "Npgsql", "Serilog", "Sentry.AspNetCore", "Dapper",
                       "Microsoft.EntityFrameworkCore"], 6)
        for i, p in enumerate(pk):
            f.add('      "' + p + '": {', '        "type": "Direct",', '        "requested": "[' + ver(r) + ', )",',
                  '        "resolved": "' + ver(r) + '",')
            f.dec('        "contentHash": "' + b64(k.raw(64)) + '"', "lockfile_integrity")
            f.add("      }" + ("," if i < len(pk) - 1 else ""))
        f.add("    }", "  }", "}")
    elif kind == "maven":
        f = t.file(".mvn/wrapper/maven-wrapper.properties")
        if not f:
            return
        f.add("distributionUrl=https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/3.9.6/apache-maven-3.9.6-bin.zip")
        f.dec("distributionSha256Sum=" + k.sha256(), "hash_digest")
        f.add("wrapperUrl=https://repo.maven.apache.org/maven2/org/apache/maven/wrapper/maven-wrapper/3.2.0/maven-wrapper-3.2.0.jar")
        f.dec("wrapperSha256Sum=" + k.sha256(), "hash_digest")


def gen_migration(t: Tree):
    r, k = t.r, t.k
    rt = STACKS[t.stack]["runtime"]
    if rt == "python":
        rev, down = k.hex(12), k.hex(12)
        f = t.file("migrations/versions/%s_add_%s_status.py" % (rev, t.ent()))
        if not f:
            return
        f.add('"""add status column', "")
        f.dec("Revision ID: " + rev, "migration_revision")
        f.dec("Revises: " + down, "migration_revision")
        f.add('"""', "from alembic import op", "import sqlalchemy as sa", "")
        f.dec("revision = '" + rev + "'", "migration_revision")
        f.dec("down_revision = '" + down + "'", "migration_revision")
        f.add("branch_labels = None", "depends_on = None", "", "", "def upgrade():",
              "    op.add_column('%ss', sa.Column('status', sa.String(32), nullable=True))" % t.ent(), "", "",
              "def downgrade():", "    op.drop_column('%ss', 'status')" % t.ent())
    elif rt == "dotnet":
        f = t.file("Migrations/20240301120000_Initial.Designer.cs")
        if not f:
            return
        f.add("namespace " + pascal(t.slug) + ".Migrations", "{", "    [DbContext(typeof(AppDbContext))]",
              '    [Migration("20240301120000_Initial")]', "    partial class Initial", "    {",
              "        protected override void BuildTargetModel(ModelBuilder modelBuilder)", "        {")
        for _ in range(r.randint(2, 4)):
            f.dec('            modelBuilder.Entity("' + pascal(t.ent()) + '").HasData(new { Id = Guid.Parse("' + k.uuid() + '") });',
                  "uuid")
        f.add("        }", "    }", "}")
    else:
        f = t.file("db/seeds/%03d_%ss.sql" % (len(t.files), t.ent()))
        if not f:
            return
        f.add("-- seed data for local development", "INSERT INTO %ss (id, name, created_at) VALUES" % t.ent())
        n = r.randint(3, 6)
        for i in range(n):
            f.dec("  ('%s', '%s %d', now())%s" % (k.uuid(), t.ent(), i, "," if i < n - 1 else ";"), "uuid")
        f.add("", "INSERT INTO users (email, password_hash) VALUES")
        f.dec("  ('admin@%s', '%s');" % (t.domain, k.bcrypt()), "password_hash")


# ------------------------------------------------------------------------------------------ stacks

def db_block_py(t: Tree, f: FileB):
    f.add("", "DATABASES = {", '    "default": {', '        "ENGINE": "django.db.backends.postgresql",', '        "NAME": "' + t.slug + '",',
)
    f.dec('        "USER": "' + t.slug + '",', "username")
    if t.chance(0.5):
        pw = t.k.password()
        f.sec('        "PASSWORD": "' + pw + '",', "generic", "password", pw)
    else:
        f.dec('        "PASSWORD": env("DB_PASSWORD"),', "env_lookup")
    f.add('        "HOST": "db",', '        "PORT": 5432,', "    }", "}", "")
    f.dec("PASSWORD_RESET_TIMEOUT = 259200  # 3 days", "config_value")
    f.add("AUTH_PASSWORD_VALIDATORS = [", '    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},', "]")


def st_django(t: Tree):
    f = gen_config(t, "py", ["config/settings/production.py"], ['"""Production settings."""', "from .base import *  # noqa: F401,F403",
                   "import environ", "", "env = environ.Env()", "", "DEBUG = False", 'ALLOWED_HOSTS = ["api.{D}"]', ""],
                   n_sec=(2, 4), n_dec=(2, 4))
    db_block_py(t, f)
    f.add("", "ANYMAIL = {")
    emit_all(f, Style(t, "pydict", "    "), mix(t, t.r.randint(1, 2), t.r.randint(1, 2), 0))
    f.add("}")
    gen_code(t, "py", [t.slug + "/payments/services.py", t.slug + "/integrations/clients.py", t.slug + "/notifications/utils.py"])


def st_flask(t: Tree):
    f = t.file("config.py")
    f.add('"""Flask configuration classes."""', "import os", "", "", "class Config:")
    emit_all(f, Style(t, "py", "    "), mix(t, 0, t.r.randint(2, 4), t.r.randint(1, 3)))
    f.add("    SQLALCHEMY_TRACK_MODIFICATIONS = False", "", "", "class ProductionConfig(Config):")
    emit_all(f, Style(t, "py", "    "), mix(t, t.r.randint(2, 4), t.r.randint(1, 2), 1))
    f.add("", "", "class TestingConfig(Config):", "    TESTING = True")
    emit_all(f, Style(t, "py", "    "), mix(t, 0, t.r.randint(1, 3), 0, ctx="test"))
    gen_code(t, "py", ["app/services/billing.py", "app/integrations.py", "app/tasks.py"])


def st_fastapi(t: Tree):
    gen_config(t, "pyfield", ["app/core/config.py"], ['"""Settings loaded from the environment (pydantic-settings)."""', "import os", "",
               "from pydantic_settings import BaseSettings, SettingsConfigDict", "", "", "class Settings(BaseSettings):",
               '    model_config = SettingsConfigDict(env_file=".env", extra="ignore")', ""],
               ["", "", "settings = Settings()"], "    ", n_sec=(2, 4), n_dec=(2, 5))
    gen_code(t, "py", ["app/services/llm.py", "app/services/notifications.py", "app/services/storage.py"])


def st_express(t: Tree):
    gen_config(t, "jsenv", ["src/config/index.js", "config/default.js"], ["'use strict';", "", "require('dotenv').config();", "",
               "module.exports = {", "  port: Number(process.env.PORT || 3000),"], ["};"], "  ", n_sec=(2, 4), n_dec=(2, 4))
    gen_code(t, "js", ["src/services/payments.js", "src/lib/clients.js", "src/routes/webhooks.js"])


def st_nestjs(t: Tree):
    gen_config(t, "jsenv", ["src/config/configuration.ts"], ["export default () => ({", "  port: parseInt(process.env.PORT ?? '3000', 10),"],
               ["});"], "  ", n_sec=(1, 3), n_dec=(2, 4))
    gen_config(t, "json", ["ormconfig.json"], ["{", '  "type": "postgres",', '  "host": "db",', '  "port": 5432,'], ["}"], "  ",
               n_sec=(1, 2), n_dec=(1, 2), n_fill=(0, 1), fams=["generic", "database"], key="camel")
    gen_code(t, "js", ["src/auth/auth.service.ts", "src/integrations/integrations.service.ts"])


def st_nextjs(t: Tree):
    gen_config(t, "jsenv", ["next.config.js"], ["/** @type {import('next').NextConfig} */", "const nextConfig = {", "  reactStrictMode: true,",
               "  env: {"], ["  },", "};", "", "module.exports = nextConfig;"], "    ", n_sec=(1, 3), n_dec=(2, 4))
    gen_dotenv(t, [".env.local"], (3, 6))
    gen_code(t, "js", ["pages/api/checkout.ts", "app/api/chat/route.ts", "lib/server/clients.ts"])
    gen_bundle(t)


def st_go(t: Tree):
    gen_config(t, "yaml", ["config/config.yaml", "configs/prod.yaml"], ["server:", "  addr: :8080", "  read_timeout: 15s", "", "app:"],
               [], "  ", n_sec=(2, 4), n_dec=(2, 4), key="snake")
    f = gen_config(t, "go", ["internal/config/defaults.go"], ["package config", "", "// Defaults used when the environment is empty.", "const ("],
                   [")"], "\t", n_sec=(1, 3), n_dec=(1, 3), n_fill=(0, 0))
    if f:  # Go const blocks cannot hold function calls: turn env lookups into plain comments
        f.lines = [ln if "os.Getenv" not in ln else ln.replace("os.Getenv(", "\"\" // os.Getenv(") for ln in f.lines]
    gen_code(t, "go", ["internal/platform/clients.go", "cmd/server/setup.go", "internal/notify/notify.go"])


def st_spring(t: Tree):
    gen_config(t, "props", ["src/main/resources/application.properties"], ["spring.application.name=" + t.proj, "server.port=8080",
               "spring.jpa.hibernate.ddl-auto=validate"], n_sec=(2, 4), n_dec=(2, 4), key="dotted")
    f = t.file("src/main/resources/application-prod.yml")
    f.add("spring:", "  datasource:", "    url: jdbc:postgresql://" + t.proj + "-db:5432/" + t.slug)
    f.dec("    username: " + t.slug, "username")
    if t.chance(0.6):
        pw = t.k.password()
        f.sec("    password: " + yq(pw, t.r.choice(["", "'"])), "generic", "password", pw)
    else:
        f.dec("    password: ${DB_PASSWORD}", "template_var")
    f.add("  rabbitmq:")
    if t.chance(0.5):
        url, kind = db_url(t, t.r.choice(["amqp", "amqps"]))
        f.sec("    addresses: " + url, "database", kind, url)
    else:
        f.dec("    addresses: amqp://rabbitmq:5672", "db_url_no_password")
    f.add("", "app:")
    emit_all(f, Style(t, "yaml", "  ", "camel"), mix(t, t.r.randint(1, 3), t.r.randint(1, 3), 1))
    gen_code(t, "java", ["src/main/java/com/%s/config/IntegrationsConfig.java" % t.slug,
                         "src/main/java/com/%s/billing/BillingClients.java" % t.slug])
    if t.chance(0.6):
        gen_code(t, "kotlin", ["src/main/kotlin/com/%s/notify/NotifyClients.kt" % t.slug])
    g = t.file("src/test/resources/application-test.properties")
    if g:
        g.add("spring.datasource.url=jdbc:h2:mem:testdb")
        g.dec("spring.datasource.password=test", "weak_test_password")
        g.dec("app.jwt.secret=test-secret-not-for-prod", "placeholder")


def st_rails(t: Tree):
    f = t.file("config/database.yml")
    f.add("default: &default", "  adapter: postgresql", "  encoding: unicode", "  pool: <%= ENV.fetch(\"RAILS_MAX_THREADS\") { 5 } %>", "",
          "development:", "  <<: *default", "  database: " + t.slug + "_development", "", "test:", "  <<: *default",
          "  database: " + t.slug + "_test")
    f.dec("  password: postgres", "weak_test_password")
    f.add("", "production:", "  <<: *default", "  database: " + t.slug + "_production")
    f.dec("  username: " + t.slug, "username")
    if t.chance(0.6):
        pw = t.k.password()
        f.sec("  password: " + yq(pw, "'"), "generic", "password", pw)
    else:
        f.dec('  password: <%= ENV["DATABASE_PASSWORD"] %>', "template_var")
    m = t.file("config/master.key")
    if m and t.chance(0.6):
        v = t.k.hex(32)
        m.sec(v, "generic", "rails_master_key", v)
    elif m:
        del t.files["config/master.key"]
    gen_config(t, "rbenv", ["config/initializers/app_config.rb"], ["# frozen_string_literal: true", "", "module AppConfig"],
               ["end"], "  ", n_sec=(1, 3), n_dec=(2, 3))
    gen_code(t, "ruby", ["config/initializers/integrations.rb", "app/services/notifier.rb", "lib/clients.rb"])
    c = t.file("config/credentials.yml.example")
    if c:
        c.add("# bin/rails credentials:edit", "")
        c.dec("secret_key_base: <run bin/rails secret>", "placeholder")
        c.add("aws:")
        c.dec("  access_key_id: " + "AK" + "IAIOSFODNN7" + "EXAMPLE", "aws_example_key")


def st_laravel(t: Tree):
    f = t.file(".env")
    f.add("APP_NAME=" + pascal(t.slug), "APP_ENV=production")
    v = "base64:" + b64(t.k.raw(32))
    f.sec("APP_KEY=" + v, "generic", "laravel_app_key", v)
    f.add("APP_DEBUG=false", "APP_URL=https://" + t.domain, "", "DB_CONNECTION=pgsql", "DB_HOST=db", "DB_PORT=5432", "DB_DATABASE=" + t.slug,
          "DB_USERNAME=" + t.slug)
    emit_all(f, Style(t, "env"), mix(t, t.r.randint(3, 6), t.r.randint(2, 4), t.r.randint(1, 3)))
    gen_config(t, "php", ["config/services.php"], ["<?php", "", "return ["], ["];"], "    ", n_sec=(2, 4), n_dec=(2, 4))
    gen_code(t, "php", ["app/Services/PaymentService.php", "app/Services/NotificationService.php"])


def st_dotnet(t: Tree):
    f = t.file("appsettings.Production.json", "src/Api/appsettings.Production.json")
    f.add("{", '  "ConnectionStrings": {')
    if t.chance(0.6):
        pw = t.k.url_password()
        cs = "Host=%s-db;Database=%s;Username=%s;Password=%s;SSL Mode=Require" % (t.proj, t.slug, t.slug, pw)
        f.sec('    "DefaultConnection": ' + json.dumps(cs), "database", "adonet_connection_string", cs)
    else:
        f.dec('    "DefaultConnection": "Host=db;Database=%s;Username=%s;Password=${DB_PASSWORD}"' % (t.slug, t.slug), "template_var")
    f.add("  },", '  "Integrations": {')
    emit_all(f, Style(t, "cs_json", "    "), mix(t, t.r.randint(2, 4), t.r.randint(2, 4), 1))
    f.lines[-1] = f.lines[-1].rstrip(",")
    f.add("  },", '  "AllowedHosts": "*"', "}")
    gen_code(t, "cs", ["src/Api/Infrastructure/Clients.cs", "src/Api/Startup.Integrations.cs"])
    gen_config(t, "json", ["src/Api/Properties/launchSettings.json"], ["{", '  "profiles": {', '    "Api": {', '      "commandName": "Project",',
               '      "environmentVariables": {'], ["      }", "    }", "  }", "}"], "        ", n_sec=(1, 2), n_dec=(1, 2), key="upper")


def gen_toml_ini(t: Tree):
    if t.chance(0.5):
        f = t.file("config/settings.toml", "settings.prod.toml", "config/production.toml")
        if not f:
            return
        f.add("[default]", 'app_name = "' + t.proj + '"', "debug = false", "")
        f.add("[production]")
        emit_all(f, Style(t, "toml"), mix(t, t.r.randint(1, 3), t.r.randint(1, 3), t.r.randint(1, 2)))
    else:
        f = t.file("config/app.ini", "deploy/settings.ini", "alembic.ini")
        if not f:
            return
        if f.path == "alembic.ini":
            f.add("[alembic]", "script_location = migrations", "")
            if t.chance(0.6):
                url, kind = db_url(t, t.r.choice(["postgresql", "postgresql+psycopg2"]))
                f.sec("sqlalchemy.url = " + url, "database", kind, url)
            else:
                f.dec("sqlalchemy.url = driver://user:pass@localhost/dbname", "placeholder")
            f.add("", "[loggers]", "keys = root,sqlalchemy,alembic")
            return
        f.add("[app]", "name = " + t.proj, "")
        f.add("[credentials]")
        emit_all(f, Style(t, "ini"), mix(t, t.r.randint(1, 3), t.r.randint(1, 2), t.r.randint(0, 2)))


def gen_airflow(t: Tree):
    f = t.file("airflow/airflow.cfg", "deploy/airflow/airflow.cfg")
    if not f:
        return
    k = t.k
    f.add("[core]", "dags_folder = /opt/airflow/dags", "executor = CeleryExecutor", "load_examples = False")
    v = k.fernet_key()
    f.sec("fernet_key = " + v, "fernet", "fernet_key", v)
    f.add("", "[database]")
    url, kind = db_url(t, "postgresql+psycopg2")
    f.sec("sql_alchemy_conn = " + url, "database", kind, url)
    f.add("", "[webserver]", "base_url = https://airflow." + t.domain)
    s = k.urlsafe(32)
    f.sec("secret_key = " + s, "generic", "secret_key", s)
    f.add("", "[celery]")
    f.dec("broker_url = redis://redis:6379/1", "db_url_no_password")


CODE_PATHS = {"py": ["app/clients.py", "app/integrations/partner.py", "scripts/backfill_%s.py", "app/tasks/sync_%s.py", "tools/admin_%s.py"],
              "js": ["src/lib/integrations.js", "scripts/seed-%s.js", "src/jobs/sync-%s.js", "src/services/%sService.ts"],
              "go": ["internal/%s/client.go", "pkg/integrations/%s.go"], "java": ["src/main/java/com/x/%s/Clients.java"],
              "ruby": ["app/services/%s_sync.rb", "lib/tasks/%s.rake"], "php": ["app/Services/%sClient.php"], "cs": ["src/Api/Services/%sClients.cs"]}

STACKS = {
    "django": {"runtime": "python", "lang": "py", "lock": "pip", "blurb": "Django REST API", "core": st_django},
    "flask": {"runtime": "python", "lang": "py", "lock": "pip", "blurb": "Flask service", "core": st_flask},
    "fastapi": {"runtime": "python", "lang": "py", "lock": "pip", "blurb": "FastAPI backend", "core": st_fastapi},
    "express": {"runtime": "node", "lang": "js", "lock": "npm", "blurb": "Express API", "core": st_express},
    "nestjs": {"runtime": "node", "lang": "js", "lock": "npm", "blurb": "NestJS service", "core": st_nestjs},
    "nextjs": {"runtime": "node", "lang": "js", "lock": "yarn", "blurb": "Next.js app", "core": st_nextjs},
    "go": {"runtime": "go", "lang": "go", "lock": "gosum", "blurb": "Go HTTP service", "core": st_go},
    "spring": {"runtime": "java", "lang": "java", "lock": "maven", "blurb": "Spring Boot service", "core": st_spring},
    "rails": {"runtime": "ruby", "lang": "ruby", "lock": "gem", "blurb": "Rails API", "core": st_rails},
    "laravel": {"runtime": "php", "lang": "php", "lock": "composer", "blurb": "Laravel backend", "core": st_laravel},
    "dotnet": {"runtime": "dotnet", "lang": "cs", "lock": "nuget", "blurb": ".NET minimal API", "core": st_dotnet},
}

OPTIONAL = [gen_k8s_deploy, gen_k8s_secret, gen_helm, gen_terraform, gen_gha, gen_makefile, gen_shell, gen_ansible, gen_npmrc,
            gen_aws_creds, gen_certs, gen_gcp_sa, gen_runbook, gen_notebook, gen_vscode, gen_postman, gen_sentry_cfg, gen_netrc,
            gen_sops, gen_jwks, gen_fixtures, gen_tests, gen_i18n, gen_static, gen_checksums, gen_migration, gen_shell, gen_certs,
            gen_fixtures, gen_k8s_secret, gen_bundle, gen_toml_ini, gen_toml_ini]
DECOY_ONLY = [gen_static, gen_checksums, gen_sops, gen_jwks, gen_env_example, gen_env_example, gen_migration, gen_migration,
              lambda t: gen_lockfile(t, t.r.choice(["npm", "yarn"]))]


def extra_code(t: Tree):
    lang = STACKS[t.stack]["lang"]
    paths = [p % t.ent() if "%s" in p else p for p in CODE_PATHS[lang]]
    gen_code(t, lang, paths, (1, 2))


def build_tree(name, stack, r: random.Random) -> Tree:
    t = Tree(name, stack, r)
    STACKS[stack]["core"](t)
    for g in (gen_dotenv, gen_env_example, gen_readme, gen_dockerfile, gen_compose, gen_changelog, gen_lockfile):
        g(t)
    if STACKS[stack]["runtime"] == "python" and t.chance(0.6):
        gen_airflow(t)
    tp, td = r.randint(42, 56), r.randint(170, 260)
    pool = OPTIONAL[:]
    r.shuffle(pool)
    for _ in range(300):
        if len(t.truth) >= tp and len(t.decoys) >= td:
            break
        if len(t.truth) >= tp:
            r.choice(DECOY_ONLY)(t)
        elif pool:
            pool.pop()(t)
        else:
            r.choice([extra_code, extra_code, gen_dotenv, gen_fixtures, gen_shell])(t)
    # every family at least once per tree where the tree has room for it
    for fam in FAMILIES:
        if t.fcount[fam] == 0:
            f = t.file("config/%s.env" % fam, "deploy/env/%s.env" % fam)
            if f:
                f.add("# " + fam + " credentials for the " + t.r.choice(["worker", "cron", "reporting job"]))
                emit_all(f, Style(t, "env"), sec_items(t, fam) + [filler_item(t)])
    return t


# ------------------------------------------------------------------------------------------ output + self-check

def write_corpus(out, trees, seed):
    troot = os.path.join(out, "trees")
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(troot)
    truth, decoys = [], []
    for t in trees:
        for p, fb in t.files.items():
            dst = os.path.join(troot, t.name, p)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(dst, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(fb.text())
        truth += t.truth
        decoys += t.decoys
    key = lambda e: (e["tree"], e["path"], e["line"])
    truth.sort(key=key)
    decoys.sort(key=key)
    fam = {f: 0 for f in FAMILIES}
    for e in truth:
        fam[e["family"]] += 1
    dk: dict[str, int] = {}
    for d in decoys:
        dk[d["kind"]] = dk.get(d["kind"], 0) + 1
    manifest = {"generator": "holdout/gen.py (independent hold-out corpus)", "seed": seed, "trees": [t.name for t in trees],
                "planted": len(truth), "decoys": len(decoys), "planted_by_family": fam,
                "decoys_by_kind": dict(sorted(dk.items(), key=lambda kv: -kv[1])),
                "files": sum(len(t.files) for t in trees)}
    for name, obj in (("truth.json", truth), ("decoys.json", decoys), ("manifest.json", manifest)):
        with open(os.path.join(out, name), "w") as fh:
            json.dump(obj, fh, indent=1, ensure_ascii=False)
            fh.write("\n")
    return manifest


def needle(e):
    if e.get("encoded"):
        return e["encoded"]
    s = e["secret"]
    if "\n" in s and "-----BEGIN" in s:
        return s.split("\n")[1]
    return s


def check(out):
    """Re-read the written corpus and verify every record; returns a list of problems."""
    truth = json.load(open(os.path.join(out, "truth.json")))
    decoys = json.load(open(os.path.join(out, "decoys.json")))
    cache: dict[tuple, list[str]] = {}
    errs = []

    def lines(tree, path):
        if (tree, path) not in cache:
            with open(os.path.join(out, "trees", tree, path), encoding="utf-8") as fh:
                cache[(tree, path)] = fh.read().split("\n")
        return cache[(tree, path)]

    spans: dict[tuple, list] = {}
    for e in truth:
        ls = lines(e["tree"], e["path"])
        lo = e.get("first_line", e["line"])
        if not (1 <= lo <= e["line"] <= e["end_line"] <= len(ls)):
            errs.append("bad range %s" % e)
            continue
        if needle(e) not in "\n".join(ls[e["line"] - 1:e["end_line"]]):
            errs.append("secret not on its line(s): %s:%s:%d" % (e["tree"], e["path"], e["line"]))
        if "\n" not in e["secret"] and not e.get("encoded") and e["line"] != e["end_line"]:
            errs.append("single-line secret spans lines: %s" % e)
        if e["family"] not in FAMILIES:
            errs.append("bad family %s" % e)
        spans.setdefault((e["tree"], e["path"]), []).append((lo, e["end_line"], e))
    for key, sp in spans.items():
        sp.sort(key=lambda x: x[0])
        for a, b in zip(sp, sp[1:]):
            if b[0] <= a[1]:
                errs.append("overlapping secrets %s lines %d/%d" % (key, a[0], b[0]))
    for d in decoys:
        ls = lines(d["tree"], d["path"])
        if not (1 <= d["line"] <= d["end_line"] <= len(ls)) or not ls[d["line"] - 1].strip():
            errs.append("bad decoy %s" % d)
            continue
        for lo, hi, _ in spans.get((d["tree"], d["path"]), []):
            if lo <= d["end_line"] and d["line"] <= hi:
                errs.append("decoy overlaps secret %s" % d)
    # a planted value must not also sit on an unrecorded line anywhere in its tree
    by_tree: dict[str, list] = {}
    for e in truth:
        by_tree.setdefault(e["tree"], []).append(e)
    for tree, es in by_tree.items():
        root = os.path.join(out, "trees", tree)
        for dp, _, fns in os.walk(root):
            for fn in fns:
                rel = os.path.relpath(os.path.join(dp, fn), root)
                ls = lines(tree, rel)
                if rel.endswith(".json"):
                    try:
                        json.loads("\n".join(ls))
                    except json.JSONDecodeError as ex:
                        errs.append("invalid JSON %s/%s: %s" % (tree, rel, ex))
                for e in es:
                    nd = needle(e)
                    for i, x in enumerate(ls, 1):
                        if nd in x and not any(lo <= i <= hi for lo, hi, _ in spans.get((tree, rel), []) if needle(_) == nd):
                            errs.append("planted value also on unrecorded line %s/%s:%d" % (tree, rel, i))
    return errs


def main(argv=None):
    ap = argparse.ArgumentParser(description="generate a hold-out secret-scanning corpus")
    ap.add_argument("--out", required=True)
    ap.add_argument("--trees", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    master = random.Random(a.seed)
    names = list(STACKS)
    rot = names[a.seed % len(names):] + names[:a.seed % len(names)]   # which stack sits out depends on the seed
    stacks = []
    while len(stacks) < a.trees:
        s = rot[:min(a.trees - len(stacks), len(rot))]
        master.shuffle(s)
        stacks += s
    trees, used = [], set()
    for i in range(a.trees):
        while True:
            wa, wb = master.choice(WORDS_A), master.choice(WORDS_B)
            name = "%02d-%s-%s-%s" % (i + 1, wa, wb, stacks[i])
            if wa not in used and wb not in used:
                break
        used.update([wa, wb])
        trees.append(build_tree(name, stacks[i], random.Random("%d/%s" % (a.seed, name))))
    m = write_corpus(a.out, trees, a.seed)
    errs = check(a.out)
    print(json.dumps({k: m[k] for k in ("planted", "decoys", "files", "planted_by_family")}, indent=1))
    if errs:
        print("SELF-CHECK FAILED (%d problems):" % len(errs), file=sys.stderr)
        for e in errs[:40]:
            print("  " + str(e)[:300], file=sys.stderr)
        return 1
    print("self-check ok: every secret and decoy sits on its recorded line(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
