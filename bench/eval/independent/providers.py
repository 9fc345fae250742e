#!/usr/bin/env python3
"""Independent corpus of provider credentials (77 providers), with look-alikes.

    python3 bench/eval/independent/providers.py --out /tmp/prov61 --trees 6 --seed 61

Writes DIR/trees/<tree>/..., DIR/truth.json, DIR/decoys.json and DIR/manifest.json in the
format bench/eval/score.py reads (truth: tree, path, line, end_line, family, kind, secret and
optionally first_line / encoded; decoys: tree, path, line, end_line, kind).  Deterministic for a
seed.  Python 3.11, standard library only.

Written by a helper that saw neither the scanner's rules, its tests nor the other generators.
Every token format below was taken from the provider's own documentation, changelog or
engineering blog (token-format pages of GitLab, DigitalOcean, Cloudflare, Doppler, Netlify,
Dynatrace, Buildkite, Honeycomb, Supabase, LangSmith, Grafana, 1Password, Telegram, Discord,
Azure Storage, ...); where a provider documents a prefix but not the body, the body length and
alphabet follow what the provider shows in its examples.  Where a provider documents a checksum
without its encoding (Cloudflare's scannable tokens) a CRC32 in base62 is appended, the way
GitHub-style tokens do it; Grafana service-account tokens end in a CRC32 in hex.

The planted families are all outside the old ones (Stripe, AWS, GitHub classic PATs, Slack,
Google API keys, OpenAI, Anthropic, Twilio, SendGrid, npm, Heroku, Sentry, Vault, JWT, Fernet,
database URLs).  Look-alikes: documented placeholders and sample values, truncated, masked and
short tokens, prefixes in prose, public keys and identifiers the providers call non-secret,
hashes and UUIDs next to provider names, base64 of non-secrets, template and secret-manager
references, and obviously fake test fixtures.

No token or token prefix is written literally in this file: prefixes are joined at run time
(see P()), so a scanner run on the script itself finds nothing.  Write the corpus to /tmp.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import random
import shutil
import string
import sys
import urllib.parse
import uuid
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))


def P(*parts: str) -> str:
    """Join the pieces of a prefix at run time, so that no prefix sits whole in this file."""
    return "".join(parts)


DIG = string.digits
HEXL = "0123456789abcdef"
HEXU = "0123456789ABCDEF"
LOW = string.ascii_lowercase
UP = string.ascii_uppercase
LET = string.ascii_letters
AN = LET + DIG
LAN = LOW + DIG
UAN = UP + DIG
B64U = AN + "-_"
B32 = UP + "234567"
B62 = DIG + UP + LOW
B36 = DIG + LOW
OPSK = "23456789ABCDEFGHJKLMNPQRSTVWXYZ"  # 1Password Secret Key alphabet (no look-alike characters)

# random bodies must not read as placeholders: a scanner may rightly skip those
BAD = ("example", "test", "xxxx", "sample", "dummy", "fake", "1234", "abcd", "0000", "aaaa", "demo",
       "todo", "secret", "token", "passw", "changeme")


def bad(v: str) -> bool:
    low = v.lower()
    return any(b in low for b in BAD)


def b62(n: int, width: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = B62[r] + out
    return out.rjust(width, "0")


def b36(n: int, width: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = B36[r] + out
    return out.rjust(width, "0")


def crc32(s: str) -> int:
    return zlib.crc32(s.encode()) & 0xFFFFFFFF


def b64s(s: str) -> str:
    return base64.b64encode(s.encode()).decode()


class Gen:
    """Random material, all drawn from one seeded random.Random."""

    def __init__(self, rng: random.Random):
        self.r = rng

    def s(self, alphabet: str, n: int) -> str:
        while True:
            v = "".join(self.r.choice(alphabet) for _ in range(n))
            if not bad(v):
                return v

    def hex(self, n):
        return self.s(HEXL, n)

    def HEX(self, n):
        return self.s(HEXU, n)

    def an(self, n):
        return self.s(AN, n)

    def raw(self, n: int) -> bytes:
        return bytes(self.r.getrandbits(8) for _ in range(n))

    def b64(self, n: int, url=False, pad=True) -> str:
        while True:
            b = self.raw(n)
            v = (base64.urlsafe_b64encode(b) if url else base64.b64encode(b)).decode()
            if not pad:
                v = v.rstrip("=")
            if not bad(v):
                return v

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.r.getrandbits(128), version=4))

    def digits(self, n: int) -> str:
        return self.r.choice("123456789") + "".join(self.r.choice(DIG) for _ in range(n - 1))

    def pick(self, seq):
        return self.r.choice(seq)

    def between(self, a, b):
        return self.r.randint(a, b)

    def chance(self, p):
        return self.r.random() < p


# --------------------------------------------------------------------------- token formats

class Spec:
    def __init__(self, family, kind, gen, names, hdr=None, host=None, prefix=None, sdk=None, usage=None,
                 weight=1.0):
        self.family, self.kind, self.gen, self.names = family, kind, gen, names
        self.hdr, self.host, self.prefix, self.sdk, self.usage, self.weight = hdr, host, prefix, sdk, usage, weight


BEARER = "Authorization: Bearer {}"


def specs() -> list[Spec]:
    L: list[Spec] = []

    def add(*a, **k):
        L.append(Spec(*a, **k))

    # ---- cloud
    def acct(g):
        return g.pick(["acmeprod", "stgwebassets", "contosodata", "fabrikamlogs", "ledgerbackup"]) + g.s(LAN, 4)

    add("azure", "storage_account_key", lambda g: g.b64(64), ["AZURE_STORAGE_KEY", "AZURE_STORAGE_ACCOUNT_KEY",
                                                              "STORAGE_ACCOUNT_ACCESS_KEY"])
    add("azure", "storage_connection_string",
        lambda g: P("DefaultEndpoints", "Protocol=https;Account", "Name=", acct(g), ";Account", "Key=", g.b64(64),
                    ";Endpoint", "Suffix=core.windows.net"),
        ["AZURE_STORAGE_CONNECTION_STRING", "AzureWebJobsStorage", "BLOB_CONNECTION_STRING"],
        prefix=P("DefaultEndpoints", "Protocol=https;Account", "Name="))

    def sas(g):
        return P("sv=2022-11-02&ss=", g.pick(["b", "bf", "bfqt"]), "&srt=", g.pick(["sco", "co", "o"]), "&sp=",
                 g.pick(["rl", "rwdlac", "rwdlacupiytfx"]), "&se=2027-0", str(g.between(1, 9)), "-1", str(g.between(0, 9)),
                 "T17:00:00Z&st=2025-0", str(g.between(1, 9)), "-0", str(g.between(1, 9)), "T09:00:00Z&spr=https&si",
                 "g=", urllib.parse.quote(g.b64(32), safe=""))

    add("azure", "sas_token", sas, ["AZURE_STORAGE_SAS_TOKEN", "BLOB_SAS_TOKEN"])
    add("azure", "sas_url",
        lambda g: P("https://", acct(g), ".blob.core.windows.net/", g.pick(["backups", "exports", "media"]), "?", sas(g)),
        ["BACKUP_CONTAINER_SAS_URL", "AZURE_BLOB_SAS_URL"])
    add("azure", "service_bus_connection_string",
        lambda g: P("Endpoint=sb://", g.pick(["acme", "orders", "events"]), "-", g.s(LAN, 5),
                    ".servicebus.windows.net/;SharedAccess", "KeyName=RootManageSharedAccessKey;SharedAccess", "Key=",
                    g.b64(32)),
        ["SERVICEBUS_CONNECTION_STRING", "AZURE_SERVICEBUS_CONNECTION"])

    do = P("do", "p_v1_")
    add("digitalocean", "personal_access_token", lambda g: do + g.hex(64),
        ["DIGITALOCEAN_TOKEN", "DIGITALOCEAN_ACCESS_TOKEN", "DO_API_TOKEN"], BEARER, "api.digitalocean.com/v2/account",
        prefix=do, weight=1.5)
    add("digitalocean", "oauth_token", lambda g: P("do", "o_v1_") + g.hex(64), ["DO_OAUTH_TOKEN"], BEARER,
        "api.digitalocean.com/v2/droplets", prefix=P("do", "o_v1_"))
    add("digitalocean", "refresh_token", lambda g: P("do", "r_v1_") + g.hex(64), ["DO_REFRESH_TOKEN"],
        prefix=P("do", "r_v1_"))
    add("digitalocean", "spaces_secret_key", lambda g: g.b64(32, pad=False),
        ["SPACES_SECRET_ACCESS_KEY", "DO_SPACES_SECRET"])

    add("cloudflare", "api_token", lambda g: g.s(B64U, 40), ["CLOUDFLARE_API_TOKEN", "CF_API_TOKEN"], BEARER,
        "api.cloudflare.com/client/v4/user/tokens/verify", weight=1.5)
    add("cloudflare", "global_api_key", lambda g: g.hex(37), ["CLOUDFLARE_API_KEY", "CF_API_KEY"], "X-Auth-Key: {}",
        "api.cloudflare.com/client/v4/zones")

    def cf(pfx):
        def f(g):
            body = g.an(40)
            return pfx + body + b62(crc32(pfx + body), 6)
        return f

    add("cloudflare", "user_api_token", cf(P("cf", "ut_")), ["CLOUDFLARE_API_TOKEN", "CF_DNS_API_TOKEN"], BEARER,
        "api.cloudflare.com/client/v4/user/tokens/verify", prefix=P("cf", "ut_"))
    add("cloudflare", "account_api_token", cf(P("cf", "at_")), ["CLOUDFLARE_ACCOUNT_TOKEN", "CF_ACCOUNT_API_TOKEN"],
        BEARER, "api.cloudflare.com/client/v4/accounts", prefix=P("cf", "at_"))
    add("cloudflare", "origin_ca_key", lambda g: P("v1", ".0-") + g.hex(24) + "-" + g.hex(146),
        ["CLOUDFLARE_ORIGIN_CA_KEY", "CF_ORIGIN_CA_KEY"], "X-Auth-User-Service-Key: {}",
        "api.cloudflare.com/client/v4/certificates", prefix=P("v1", ".0-"))

    add("alibaba", "access_key_id", lambda g: P("LT", "AI") + g.an(20),
        ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"], prefix=P("LT", "AI"))
    add("alibaba", "access_key_secret", lambda g: g.an(30),
        ["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"])

    add("ibm", "cloud_api_key", lambda g: g.s(B64U, 44), ["IBMCLOUD_API_KEY", "IC_API_KEY", "IBM_CLOUD_APIKEY"],
        usage=lambda v: "ibmcloud login --apikey " + v + " -r us-south -g default")

    add("terraform", "api_token", lambda g: g.an(14) + P(".atlas", "v1.") + g.an(67),
        ["TFE_TOKEN", "TF_TOKEN_app_terraform_io", "ATLAS_TOKEN"], BEARER, "app.terraform.io/api/v2/account/details",
        prefix=None)

    def fly(g):
        def mac():
            return "lJPE" + base64.b64encode(g.raw(g.between(150, 210) * 3)).decode()
        return P("Fly", "V1 fm2_") + mac() + P(",fm", "2_") + mac()

    add("flyio", "macaroon_token", fly, ["FLY_API_TOKEN", "FLY_ACCESS_TOKEN"], "Authorization: {}",
        "api.machines.dev/v1/apps", prefix=P("Fly", "V1 fm2_"))
    add("flyio", "personal_token", lambda g: P("fo", "1_") + g.b64(32, url=True, pad=False), ["FLY_API_TOKEN"],
        BEARER, "api.fly.io/graphql", prefix=P("fo", "1_"))

    add("vercel", "personal_token", lambda g: P("vc", "p_") + g.an(56), ["VERCEL_TOKEN"], BEARER,
        "api.vercel.com/v2/user", prefix=P("vc", "p_"))
    add("vercel", "app_access_token", lambda g: P("vc", "a_") + g.an(56), ["VERCEL_ACCESS_TOKEN"], BEARER,
        "api.vercel.com/v9/projects", prefix=P("vc", "a_"))
    add("vercel", "legacy_token", lambda g: g.an(24), ["VERCEL_TOKEN", "VERCEL_API_TOKEN"], BEARER,
        "api.vercel.com/v6/deployments")

    add("netlify", "personal_access_token", lambda g: P("nf", "p_") + g.an(36), ["NETLIFY_AUTH_TOKEN"], BEARER,
        "api.netlify.com/api/v1/sites", prefix=P("nf", "p_"))
    add("netlify", "cli_token", lambda g: P("nf", "c_") + g.an(36), ["NETLIFY_AUTH_TOKEN", "NETLIFY_TOKEN"],
        prefix=P("nf", "c_"))
    add("netlify", "legacy_token", lambda g: g.b64(32, url=True, pad=False), ["NETLIFY_AUTH_TOKEN"], BEARER,
        "api.netlify.com/api/v1/sites")

    dp = lambda kind: (lambda g: P("dp", ".", kind, ".") + g.an(g.between(40, 44)))
    add("doppler", "personal_token", dp("pt"), ["DOPPLER_TOKEN"], BEARER, "api.doppler.com/v3/me",
        prefix=P("dp", ".pt."))
    add("doppler", "service_token",
        lambda g: P("dp", ".st.", g.pick(["dev", "stg", "prd", "ci", "prd_eu"]), ".") + g.an(g.between(40, 44)),
        ["DOPPLER_TOKEN", "DOPPLER_SERVICE_TOKEN"], prefix=P("dp", ".st."), weight=1.5)
    add("doppler", "service_account_token", dp("sa"), ["DOPPLER_TOKEN"], prefix=P("dp", ".sa."))
    add("doppler", "cli_token", dp("ct"), ["DOPPLER_CLI_TOKEN"], prefix=P("dp", ".ct."))
    add("doppler", "scim_token", dp("scim"), ["DOPPLER_SCIM_TOKEN"], prefix=P("dp", ".scim."))

    def ops(g):
        sk = secret_key(g)
        doc = {"signInAddress": g.pick(["acme", "ledgerco", "orchard"]) + ".1password.com",
               "userAuth": {"method": "SRPg-4096", "alg": "PBES2g-HS256", "iterations": 650000,
                            "salt": g.b64(16, url=True, pad=False)},
               "email": g.s(LAN, 12) + "@1passwordserviceaccounts.com", "srpX": g.hex(64),
               "muk": {"alg": "A256GCM", "ext": False, "k": g.b64(32, url=True, pad=False),
                       "key_ops": ["decrypt", "encrypt"], "kty": "oct", "kid": "mp"},
               "secretKey": sk, "throttleSecret": {"seed": g.hex(64), "uuid": g.s(UAN, 26)},
               "deviceUuid": g.s(LAN, 26)}
        return P("op", "s_") + base64.urlsafe_b64encode(json.dumps(doc, separators=(",", ":")).encode()).decode().rstrip("=")

    def secret_key(g):
        return "-".join(["A3", g.s(OPSK, 6), g.s(OPSK, 6)] + [g.s(OPSK, 5) for _ in range(4)])

    add("1password", "service_account_token", ops, ["OP_SERVICE_ACCOUNT_TOKEN"], prefix=P("op", "s_"))
    add("1password", "secret_key", secret_key, ["OP_SECRET_KEY", "ONEPASSWORD_SECRET_KEY"])

    add("pulumi", "access_token", lambda g: P("pu", "l-") + g.hex(40), ["PULUMI_ACCESS_TOKEN"],
        "Authorization: token {}", "api.pulumi.com/api/user", prefix=P("pu", "l-"))

    add("okta", "api_token", lambda g: "00" + g.s(B64U, 40), ["OKTA_API_TOKEN", "OKTA_CLIENT_TOKEN"],
        "Authorization: SSWS {}", "acme.okta.com/api/v1/users?limit=1")
    add("auth0", "client_secret", lambda g: g.s(B64U, 64), ["AUTH0_CLIENT_SECRET"])

    # ---- source control and CI
    def gl(pfx, body):
        return lambda g: pfx + body(g)

    add("gitlab", "personal_access_token", gl(P("gl", "pat-"), lambda g: g.s(B64U, 20)),
        ["GITLAB_TOKEN", "GITLAB_PRIVATE_TOKEN", "GL_TOKEN"], "PRIVATE-TOKEN: {}", "gitlab.com/api/v4/user",
        prefix=P("gl", "pat-"), weight=2)

    def glpat_routable(g):
        payload = g.b64(20, url=True, pad=False)
        body = P(payload, ".01.")
        return P("gl", "pat-") + body + b36(len(payload), 2) + b36(crc32(P("gl", "pat-") + body), 7)

    add("gitlab", "personal_access_token_routable", glpat_routable, ["GITLAB_TOKEN", "GITLAB_API_TOKEN"],
        "PRIVATE-TOKEN: {}", "gitlab.com/api/v4/projects", prefix=P("gl", "pat-"))
    add("gitlab", "oauth_application_secret", gl(P("gl", "oas-"), lambda g: g.hex(64)), ["GITLAB_OAUTH_SECRET"],
        prefix=P("gl", "oas-"))
    add("gitlab", "deploy_token", gl(P("gl", "dt-"), lambda g: g.s(B64U, 20)), ["GITLAB_DEPLOY_TOKEN", "CI_DEPLOY_PASSWORD"],
        prefix=P("gl", "dt-"))
    add("gitlab", "runner_authentication_token", gl(P("gl", "rt-"), lambda g: g.s(B64U, 20)), ["RUNNER_TOKEN"],
        prefix=P("gl", "rt-"))
    add("gitlab", "runner_registration_token", gl(P("GR13", "48941"), lambda g: g.s(B64U, 20)),
        ["REGISTRATION_TOKEN"], prefix=P("GR13", "48941"),
        usage=lambda v: "gitlab-runner register --non-interactive --url https://gitlab.com --registration-token " + v)
    add("gitlab", "pipeline_trigger_token", gl(P("gl", "ptt-"), lambda g: g.hex(40)), ["TRIGGER_TOKEN"],
        prefix=P("gl", "ptt-"),
        usage=lambda v: "curl -X POST --fail -F token=" + v + " -F ref=main https://gitlab.com/api/v4/projects/4821/trigger/pipeline")
    add("gitlab", "feed_token", gl(P("gl", "ft-"), lambda g: g.s(B64U, 20)), ["GITLAB_FEED_TOKEN"], prefix=P("gl", "ft-"),
        usage=lambda v: "curl -s 'https://gitlab.com/acme/platform.atom?feed_token=" + v + "'")
    add("gitlab", "incoming_mail_token", gl(P("gl", "imt-"), lambda g: g.s(LAN, 25)), ["GITLAB_INCOMING_EMAIL_TOKEN"],
        prefix=P("gl", "imt-"))
    add("gitlab", "ci_build_token", gl(P("gl", "cbt-"), lambda g: g.pick(["64", "2c", "7f"]) + "_" + g.s(B64U, 20)),
        ["CI_JOB_TOKEN_COPY"], prefix=P("gl", "cbt-"))
    add("gitlab", "agent_token", gl(P("gl", "agent-"), lambda g: g.s(B64U, 50)), ["GITLAB_AGENT_TOKEN"],
        prefix=P("gl", "agent-"))
    add("gitlab", "scim_token", gl(P("gl", "soat-"), lambda g: g.s(B64U, 20)), ["GITLAB_SCIM_TOKEN"],
        prefix=P("gl", "soat-"))
    add("gitlab", "feature_flag_client_token", gl(P("gl", "ffct-"), lambda g: g.s(B64U, 20)),
        ["UNLEASH_INSTANCE_TOKEN"], prefix=P("gl", "ffct-"))

    add("bitbucket", "app_password", lambda g: P("AT", "BB") + g.an(24) + g.HEX(8),
        ["BITBUCKET_APP_PASSWORD", "BB_APP_PASSWORD"], prefix=P("AT", "BB"),
        usage=lambda v: "git clone https://acme-ci:" + v + "@bitbucket.org/acme/platform.git")
    add("bitbucket", "access_token", lambda g: P("ATC", "TT3xFfGN0") + g.s(B64U, 180) + "=" + g.HEX(8),
        ["BITBUCKET_ACCESS_TOKEN"], BEARER, "api.bitbucket.org/2.0/repositories/acme", prefix=P("ATC", "TT3xFfGN0"))
    add("atlassian", "api_token", lambda g: P("ATA", "TT3xFfGF0") + g.s(B64U, g.between(170, 190)) + "=" + g.HEX(8),
        ["JIRA_API_TOKEN", "ATLASSIAN_API_TOKEN", "CONFLUENCE_API_TOKEN"], prefix=P("ATA", "TT3xFfGF0"), weight=1.5,
        usage=lambda v: "curl -s -u ci-bot@acme.io:" + v + " https://acme.atlassian.net/rest/api/3/myself")
    add("atlassian", "api_token_legacy", lambda g: g.an(24), ["JIRA_API_TOKEN", "CONFLUENCE_API_TOKEN"],
        usage=lambda v: "curl -s -u ci-bot@acme.io:" + v + " https://acme.atlassian.net/wiki/rest/api/space")

    add("circleci", "personal_api_token", lambda g: P("CCI", "PAT_") + g.an(22) + "_" + g.hex(40),
        ["CIRCLECI_TOKEN", "CIRCLE_TOKEN"], "Circle-Token: {}", "circleci.com/api/v2/me", prefix=P("CCI", "PAT_"))
    add("circleci", "project_api_token", lambda g: P("CCI", "PRJ_") + g.an(22) + "_" + g.hex(40),
        ["CIRCLECI_PROJECT_TOKEN"], "Circle-Token: {}", "circleci.com/api/v2/project/gh/acme/api/pipeline",
        prefix=P("CCI", "PRJ_"))
    add("buildkite", "api_access_token", lambda g: P("bk", "ua_") + g.hex(40), ["BUILDKITE_API_TOKEN", "BUILDKITE_TOKEN"],
        BEARER, "api.buildkite.com/v2/user", prefix=P("bk", "ua_"))
    add("buildkite", "agent_token", lambda g: g.hex(50), ["BUILDKITE_AGENT_TOKEN"],
        usage=lambda v: "buildkite-agent start --token " + v + " --tags queue=deploy")
    for k, p in (("user_token", P("sq", "u_")), ("project_analysis_token", P("sq", "p_")),
                 ("global_analysis_token", P("sq", "a_"))):
        add("sonarqube", k, (lambda pp: lambda g: pp + g.hex(40))(p), ["SONAR_TOKEN", "SONARQUBE_TOKEN"], BEARER,
            "sonarqube.acme.internal/api/authentication/validate", prefix=p)
    add("sourcegraph", "access_token", lambda g: P("sg", "p_") + g.hex(16) + "_" + g.hex(40),
        ["SRC_ACCESS_TOKEN", "SOURCEGRAPH_TOKEN"], "Authorization: token {}", "sourcegraph.acme.io/.api/graphql",
        prefix=P("sg", "p_"))
    add("sourcegraph", "access_token_v1", lambda g: P("sg", "p_") + g.hex(40), ["SRC_ACCESS_TOKEN"],
        "Authorization: token {}", "sourcegraph.com/.api/graphql", prefix=P("sg", "p_"))
    add("dockerhub", "personal_access_token", lambda g: P("dck", "r_pat_") + g.s(B64U, 27),
        ["DOCKERHUB_TOKEN", "DOCKER_PASSWORD", "DOCKERHUB_ACCESS_TOKEN"], prefix=P("dck", "r_pat_"), weight=1.5,
        usage=lambda v: "echo '" + v + "' | docker login -u acmeci --password-stdin")
    add("dockerhub", "organization_access_token", lambda g: P("dck", "r_oat_") + g.s(B64U, 32), ["DOCKERHUB_ORG_TOKEN"],
        prefix=P("dck", "r_oat_"))

    def pypi(g, host=b"pypi.org"):
        ident = g.uuid().encode()
        cav = json.dumps({"version": 1, "permissions": "user"}).encode()
        raw = (b"\x02\x01" + bytes([len(host)]) + host + b"\x02" + bytes([len(ident)]) + ident + b"\x00\x02"
               + bytes([len(cav)]) + cav + b"\x00\x00\x06\x20" + g.raw(32))
        return P("py", "pi-") + base64.urlsafe_b64encode(raw).decode().rstrip("=")

    add("pypi", "api_token", pypi, ["PYPI_API_TOKEN", "TWINE_PASSWORD", "PYPI_TOKEN"], prefix=P("py", "pi-"), weight=1.5)
    add("pypi", "testpypi_api_token", lambda g: pypi(g, b"test.pypi.org"), ["TEST_PYPI_API_TOKEN"],
        prefix=P("py", "pi-"))
    add("rubygems", "api_key", lambda g: P("ruby", "gems_") + g.hex(48), ["GEM_HOST_API_KEY", "RUBYGEMS_API_KEY"],
        "Authorization: {}", "rubygems.org/api/v1/gems", prefix=P("ruby", "gems_"))
    add("nuget", "api_key", lambda g: P("oy", "2") + g.s(LAN, 43), ["NUGET_API_KEY"], prefix=P("oy", "2"),
        usage=lambda v: "dotnet nuget push bin/Release/*.nupkg --api-key " + v + " --source https://api.nuget.org/v3/index.json")

    def reftkn(g):
        raw = P("ref", "tkn:01:") + str(g.between(1700000000, 1999999999)) + ":" + g.an(27)
        return base64.b64encode(raw.encode()).decode()

    add("jfrog", "reference_token", reftkn, ["JFROG_ACCESS_TOKEN", "ARTIFACTORY_ACCESS_TOKEN"], BEARER,
        "acme.jfrog.io/artifactory/api/repositories", prefix=base64.b64encode(P("ref", "tkn:01:").encode()).decode()[:12])
    add("jfrog", "api_key", lambda g: P("AK", "Cp") + g.an(69), ["ARTIFACTORY_API_KEY"], "X-JFrog-Art-Api: {}",
        "acme.jfrog.io/artifactory/api/system/ping", prefix=P("AK", "Cp"))

    # ---- payments
    for k, p in (("admin_api_access_token", P("sh", "pat_")), ("custom_app_access_token", P("sh", "pca_")),
                 ("private_app_access_token", P("sh", "ppa_")), ("shared_secret", P("sh", "pss_"))):
        add("shopify", k, (lambda pp: lambda g: pp + g.hex(32))(p),
            ["SHOPIFY_ACCESS_TOKEN", "SHOPIFY_ADMIN_TOKEN"] if k != "shared_secret" else ["SHOPIFY_API_SECRET"],
            "X-Shopify-Access-Token: {}" if k != "shared_secret" else None,
            "acme-store.myshopify.com/admin/api/2024-10/shop.json", prefix=p)
    add("square", "access_token", lambda g: P("EA", "AA") + g.s(B64U, 60), ["SQUARE_ACCESS_TOKEN"], BEARER,
        "connect.squareup.com/v2/locations", prefix=P("EA", "AA"), weight=1.5)
    add("square", "oauth_application_secret", lambda g: P("sq0", "csp-") + g.s(B64U, 43), ["SQUARE_APPLICATION_SECRET"],
        prefix=P("sq0", "csp-"))
    add("square", "legacy_access_token", lambda g: P("sq0", "atp-") + g.s(B64U, 22), ["SQUARE_ACCESS_TOKEN"],
        BEARER, "connect.squareup.com/v2/payments", prefix=P("sq0", "atp-"))
    add("paypal", "client_secret", lambda g: "E" + g.s(B64U, 79), ["PAYPAL_CLIENT_SECRET", "PAYPAL_SECRET"])
    add("braintree", "access_token",
        lambda g: P("access_", "token$production$") + g.s(LAN, 16) + "$" + g.hex(32), ["BRAINTREE_ACCESS_TOKEN"],
        prefix=P("access_", "token$production$"))
    add("braintree", "private_key", lambda g: g.hex(32), ["BRAINTREE_PRIVATE_KEY"])
    add("plaid", "secret", lambda g: g.hex(30), ["PLAID_SECRET"])
    add("plaid", "access_token", lambda g: P("access-", g.pick(["production", "development"]), "-") + g.uuid(),
        ["PLAID_ACCESS_TOKEN"], prefix=P("access-", "production-"))

    def adyen(g):
        return P("AQ", "E") + base64.b64encode(g.raw(70)).decode() + "-" + g.b64(32) + "-" + g.an(12)

    add("adyen", "api_key", adyen, ["ADYEN_API_KEY"], "X-API-Key: {}",
        "checkout-test.adyen.com/v71/paymentMethods", prefix=P("AQ", "E"))
    add("adyen", "hmac_key", lambda g: g.HEX(64), ["ADYEN_HMAC_KEY"])
    add("razorpay", "key_secret", lambda g: g.an(24), ["RAZORPAY_KEY_SECRET"])
    add("flutterwave", "secret_key", lambda g: P("FLW", "SECK-") + g.hex(32) + "-X", ["FLW_SECRET_KEY"], BEARER,
        "api.flutterwave.com/v3/transactions", prefix=P("FLW", "SECK-"))
    add("flutterwave", "test_secret_key", lambda g: P("FLW", "SECK_TEST-") + g.hex(32) + "-X", ["FLW_SECRET_KEY"],
        prefix=P("FLW", "SECK_TEST-"))
    add("flutterwave", "encryption_key", lambda g: P("FLW", "SECK_TEST") + g.hex(12), ["FLW_ENCRYPTION_KEY"])
    add("gocardless", "access_token", lambda g: P("li", "ve_") + g.s(B64U, 40), ["GOCARDLESS_ACCESS_TOKEN"], BEARER,
        "api.gocardless.com/creditors")
    add("gocardless", "sandbox_access_token", lambda g: P("sand", "box_") + g.s(B64U, 40), ["GOCARDLESS_ACCESS_TOKEN"],
        BEARER, "api-sandbox.gocardless.com/creditors")

    # ---- messaging and email
    add("mailgun", "private_api_key", lambda g: P("ke", "y-") + g.hex(32), ["MAILGUN_API_KEY"], prefix=P("ke", "y-"),
        usage=lambda v: "curl -s --user 'api:" + v + "' https://api.mailgun.net/v3/mg.acme.io/events")
    add("mailgun", "api_key", lambda g: g.hex(32) + "-" + g.hex(8) + "-" + g.hex(8), ["MAILGUN_API_KEY"],
        usage=lambda v: "curl -s --user 'api:" + v + "' https://api.eu.mailgun.net/v3/domains")
    add("mailchimp", "api_key", lambda g: g.hex(32) + "-us" + str(g.between(1, 21)), ["MAILCHIMP_API_KEY", "MC_API_KEY"])
    add("brevo", "api_key", lambda g: P("xke", "ysib-") + g.hex(64) + "-" + g.an(16), ["BREVO_API_KEY", "SENDINBLUE_API_KEY"],
        "api-key: {}", "api.brevo.com/v3/account", prefix=P("xke", "ysib-"))
    add("brevo", "smtp_key", lambda g: P("xsm", "tpsib-") + g.hex(64) + "-" + g.an(16), ["BREVO_SMTP_KEY", "SMTP_PASSWORD"],
        prefix=P("xsm", "tpsib-"))
    add("postmark", "server_token", lambda g: g.uuid(), ["POSTMARK_SERVER_TOKEN", "POSTMARK_API_TOKEN"],
        "X-Postmark-Server-Token: {}", "api.postmarkapp.com/server")
    add("postmark", "account_token", lambda g: g.uuid(), ["POSTMARK_ACCOUNT_TOKEN"], "X-Postmark-Account-Token: {}",
        "api.postmarkapp.com/servers?count=10&offset=0")
    add("resend", "api_key", lambda g: P("r", "e_") + g.an(8) + "_" + g.an(24), ["RESEND_API_KEY"], BEARER,
        "api.resend.com/domains", prefix=P("r", "e_"))

    tg = P("https://api.", "telegram.org/bot")
    add("telegram", "bot_token", lambda g: g.digits(g.pick([9, 10])) + ":AA" + g.s(B64U, 33),
        ["TELEGRAM_BOT_TOKEN", "TG_BOT_TOKEN"], weight=1.5,
        usage=lambda v: "curl -s '" + tg + v + "/sendMessage' -d chat_id=@acme_alerts -d text='deploy finished'")

    def discord_bot(g):
        head = base64.b64encode(g.digits(g.pick([18, 19])).encode()).decode().rstrip("=")
        return head + "." + g.s(B64U, 6) + "." + g.s(B64U, 38)

    add("discord", "bot_token", discord_bot, ["DISCORD_TOKEN", "DISCORD_BOT_TOKEN"], "Authorization: Bot {}",
        "discord.com/api/v10/users/@me")
    dwh = P("https://discord.com/api/", "webhooks/")
    add("discord", "webhook_url", lambda g: dwh + g.digits(19) + "/" + g.s(B64U, 68), ["DISCORD_WEBHOOK_URL"],
        prefix=dwh, usage=lambda v: "curl -H 'Content-Type: application/json' -d '{\"content\":\"build ok\"}' " + v)
    add("teams", "incoming_webhook_url",
        lambda g: P("https://", g.pick(["acme", "ledgerco", "contoso"]), ".webhook.", "office.com/webhookb2/", g.uuid(), "@",
                    g.uuid(), "/Incoming", "Webhook/", g.hex(32), "/", g.uuid()),
        ["TEAMS_WEBHOOK_URL", "MS_TEAMS_WEBHOOK"],
        usage=lambda v: "curl -H 'Content-Type: application/json' -d '{\"text\":\"release tagged\"}' '" + v + "'")
    add("teams", "workflow_webhook_url",
        lambda g: P("https://prod-", str(g.between(10, 99)), ".", g.pick(["westus", "westeurope", "eastus2"]),
                    ".logic.azure.com:443/workflows/", g.hex(32), "/triggers/manual/paths/invoke?api-version=2016-06-01",
                    "&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&si", "g=", g.s(B64U, 43)),
        ["TEAMS_WORKFLOW_URL"])
    add("telnyx", "api_key", lambda g: P("KE", "Y") + g.HEX(32) + "_" + g.an(22), ["TELNYX_API_KEY"], BEARER,
        "api.telnyx.com/v2/balance", prefix=P("KE", "Y"))

    # ---- observability
    add("datadog", "api_key", lambda g: g.hex(32), ["DD_API_KEY", "DATADOG_API_KEY"], "DD-API-KEY: {}",
        "api.datadoghq.com/api/v1/validate", weight=1.5)
    add("datadog", "application_key", lambda g: g.hex(40), ["DD_APP_KEY", "DATADOG_APP_KEY"],
        "DD-APPLICATION-KEY: {}", "api.datadoghq.eu/api/v2/users")
    add("newrelic", "user_api_key", lambda g: P("NR", "AK-") + g.s(UAN, 27), ["NEW_RELIC_API_KEY", "NEW_RELIC_USER_KEY"],
        "Api-Key: {}", "api.newrelic.com/graphql", prefix=P("NR", "AK-"))
    add("newrelic", "license_key", lambda g: g.hex(36) + P("NR", "AL"), ["NEW_RELIC_LICENSE_KEY", "NRIA_LICENSE_KEY"])
    add("newrelic", "insert_key", lambda g: P("NR", "II-") + g.s(B64U, 32), ["NEW_RELIC_INSERT_KEY"],
        "X-Insert-Key: {}", "insights-collector.newrelic.com/v1/accounts/3345120/events", prefix=P("NR", "II-"))

    def glsa(g):
        body = P("gl", "sa_") + g.an(32)
        return body + "_" + format(crc32(body), "08x")

    add("grafana", "service_account_token", glsa, ["GRAFANA_TOKEN", "GRAFANA_SERVICE_ACCOUNT_TOKEN", "GF_TOKEN"], BEARER,
        "acme.grafana.net/api/dashboards/uid/latency", prefix=P("gl", "sa_"), weight=1.5)

    def glc(g):
        doc = {"o": g.digits(6), "n": g.pick(["ci-publisher", "alloy-prod", "k6-runner"]) + "-" + g.s(LAN, 4),
               "k": g.an(24), "m": {"r": g.pick(["prod-us-east-0", "prod-eu-west-2", "prod-ap-southeast-1"])}}
        return P("gl", "c_") + base64.b64encode(json.dumps(doc, separators=(",", ":")).encode()).decode()

    add("grafana", "cloud_access_policy_token", glc, ["GRAFANA_CLOUD_TOKEN", "GCLOUD_RW_API_KEY"], prefix=P("gl", "c_"))
    add("dynatrace", "api_token", lambda g: P("dt0", "c01.") + g.s(B32, 24) + "." + g.s(B32, 64),
        ["DT_API_TOKEN", "DYNATRACE_API_TOKEN"], "Authorization: Api-Token {}",
        "abc12345.live.dynatrace.com/api/v2/metrics", prefix=P("dt0", "c01."), weight=1.5)
    add("dynatrace", "account_management_token", lambda g: P("dt0", "s01.") + g.s(B32, 24) + "." + g.s(B32, 64),
        ["DT_ACCOUNT_TOKEN"], BEARER, "api.dynatrace.com/iam/v1/accounts", prefix=P("dt0", "s01."))
    add("pagerduty", "rest_api_key", lambda g: g.pick(["u+", ""]) + g.s(AN + "_-+", 20)[:18] + g.an(2),
        ["PAGERDUTY_TOKEN", "PAGERDUTY_API_KEY"], "Authorization: Token token={}", "api.pagerduty.com/users?limit=1")
    add("pagerduty", "integration_key", lambda g: g.hex(32), ["PAGERDUTY_ROUTING_KEY", "PAGERDUTY_INTEGRATION_KEY"])
    add("honeycomb", "ingest_key",
        lambda g: P("hc", g.pick(["a", "b", "x"]), "ik_", "01") + g.s(LAN, 24) + g.s(LAN, 32),
        ["HONEYCOMB_API_KEY", "HONEYCOMB_INGEST_KEY", "OTEL_HONEYCOMB_KEY"], "X-Honeycomb-Team: {}",
        "api.honeycomb.io/1/auth", prefix=P("hc", "aik_"))
    add("honeycomb", "configuration_key", lambda g: g.an(22), ["HONEYCOMB_CONFIG_KEY", "HONEYCOMB_API_KEY"],
        "X-Honeycomb-Team: {}", "api.honeycomb.io/1/markers/__all__")
    add("honeycomb", "management_key",
        lambda g: P("hc", g.pick(["a", "x"]), "mk_", "01") + g.s(LAN, 24) + ":" + g.s(LAN, 32),
        ["HONEYCOMB_MANAGEMENT_KEY"], BEARER, "api.honeycomb.io/2/teams/acme/api-keys", prefix=P("hc", "amk_"))
    add("axiom", "api_token", lambda g: P("xa", "at-") + g.uuid(), ["AXIOM_TOKEN", "AXIOM_API_TOKEN"], BEARER,
        "api.axiom.co/v1/datasets", prefix=P("xa", "at-"))
    add("axiom", "personal_token", lambda g: P("xa", "pt-") + g.uuid(), ["AXIOM_PERSONAL_TOKEN"], BEARER,
        "api.axiom.co/v2/user", prefix=P("xa", "pt-"))

    # ---- AI
    add("huggingface", "user_access_token", lambda g: P("h", "f_") + g.s(LET, 34),
        ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HUGGINGFACEHUB_API_TOKEN"], BEARER,
        "huggingface.co/api/whoami-v2", prefix=P("h", "f_"), weight=2,
        sdk={"py": "login(token=\"{}\")", "ipynb": "login(token=\"{}\")"})
    add("huggingface", "org_api_token", lambda g: P("api", "_org_") + g.s(LET, 34), ["HF_ORG_TOKEN"], BEARER,
        "huggingface.co/api/whoami-v2", prefix=P("api", "_org_"))
    add("groq", "api_key", lambda g: P("gs", "k_") + g.an(52), ["GROQ_API_KEY"], BEARER,
        "api.groq.com/openai/v1/models", prefix=P("gs", "k_"), weight=1.5,
        sdk={"py": "Groq(api_key=\"{}\")", "ipynb": "Groq(api_key=\"{}\")", "js": "new Groq({{ apiKey: \"{}\" }})",
             "ts": "new Groq({{ apiKey: \"{}\" }})"})
    add("xai", "api_key", lambda g: P("xa", "i-") + g.an(80), ["XAI_API_KEY", "GROK_API_KEY"], BEARER,
        "api.x.ai/v1/models", prefix=P("xa", "i-"), weight=1.5)
    add("perplexity", "api_key", lambda g: P("pp", "lx-") + g.an(48), ["PERPLEXITY_API_KEY", "PPLX_API_KEY"], BEARER,
        "api.perplexity.ai/chat/completions", prefix=P("pp", "lx-"))
    add("replicate", "api_token", lambda g: P("r", "8_") + g.an(37), ["REPLICATE_API_TOKEN"], BEARER,
        "api.replicate.com/v1/account", prefix=P("r", "8_"),
        sdk={"py": "replicate.Client(api_token=\"{}\")", "ipynb": "replicate.Client(api_token=\"{}\")"})
    add("openrouter", "api_key", lambda g: P("sk-", "or-v1-") + g.hex(64), ["OPENROUTER_API_KEY"], BEARER,
        "openrouter.ai/api/v1/key", prefix=P("sk-", "or-v1-"), weight=1.5)
    add("langsmith", "personal_access_token", lambda g: P("lsv", "2_pt_") + g.hex(32) + "_" + g.hex(10),
        ["LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"], "x-api-key: {}", "api.smith.langchain.com/api/v1/sessions",
        prefix=P("lsv", "2_pt_"))
    add("langsmith", "service_key", lambda g: P("lsv", "2_sk_") + g.hex(32) + "_" + g.hex(10), ["LANGSMITH_API_KEY"],
        "x-api-key: {}", "api.smith.langchain.com/api/v1/datasets", prefix=P("lsv", "2_sk_"))
    add("cohere", "api_key", lambda g: g.an(40), ["COHERE_API_KEY", "CO_API_KEY"], BEARER,
        "api.cohere.com/v2/models", sdk={"py": "cohere.ClientV2(api_key=\"{}\")", "ipynb": "cohere.ClientV2(\"{}\")"})
    add("mistral", "api_key", lambda g: g.an(32), ["MISTRAL_API_KEY"], BEARER, "api.mistral.ai/v1/models",
        sdk={"py": "Mistral(api_key=\"{}\")", "ipynb": "Mistral(api_key=\"{}\")"})

    # ---- data and SaaS
    add("databricks", "personal_access_token", lambda g: P("da", "pi") + g.hex(32) + g.pick(["", "", "-2", "-3"]),
        ["DATABRICKS_TOKEN"], BEARER, "adb-4417752291823311.11.azuredatabricks.net/api/2.0/clusters/list",
        prefix=P("da", "pi"), weight=1.5)
    add("databricks", "oauth_secret", lambda g: P("do", "se") + g.hex(32), ["DATABRICKS_CLIENT_SECRET"],
        prefix=P("do", "se"))
    add("planetscale", "service_token", lambda g: P("pscale", "_tkn_") + g.s(B64U, 43), ["PLANETSCALE_SERVICE_TOKEN"],
        "Authorization: {}", "api.planetscale.com/v1/organizations", prefix=P("pscale", "_tkn_"))
    add("planetscale", "password", lambda g: P("pscale", "_pw_") + g.s(B64U, 43), ["DATABASE_PASSWORD", "PLANETSCALE_PASSWORD"],
        prefix=P("pscale", "_pw_"))
    add("planetscale", "oauth_token", lambda g: P("pscale", "_oauth_") + g.s(B64U, 43), ["PLANETSCALE_OAUTH_TOKEN"],
        prefix=P("pscale", "_oauth_"))
    add("mongodb", "atlas_api_private_key", lambda g: g.uuid(), ["MONGODB_ATLAS_PRIVATE_KEY", "ATLAS_PRIVATE_KEY"])
    add("mongodb", "atlas_service_account_secret", lambda g: P("mdb", "_sa_sk_") + g.an(40), ["MONGODB_ATLAS_CLIENT_SECRET"],
        prefix=P("mdb", "_sa_sk_"))
    add("supabase", "secret_key", lambda g: P("sb", "_secret_") + g.s(B64U, 31),
        ["SUPABASE_SECRET_KEY", "SUPABASE_SERVICE_KEY"], prefix=P("sb", "_secret_"), weight=1.5,
        sdk={"js": "createClient(\"https://qwmzkxlrtpbnvcdyfhsg.supabase.co\", \"{}\")",
             "ts": "createClient(\"https://qwmzkxlrtpbnvcdyfhsg.supabase.co\", \"{}\")",
             "py": "create_client(\"https://qwmzkxlrtpbnvcdyfhsg.supabase.co\", \"{}\")"})
    add("supabase", "access_token", lambda g: P("sb", "p_") + g.hex(40), ["SUPABASE_ACCESS_TOKEN"], BEARER,
        "api.supabase.com/v1/projects", prefix=P("sb", "p_"))
    add("neon", "api_key", lambda g: P("na", "pi_") + g.s(LAN, 64), ["NEON_API_KEY"], BEARER,
        "console.neon.tech/api/v2/projects", prefix=P("na", "pi_"))
    add("pinecone", "api_key", lambda g: P("pc", "sk_") + g.an(5) + "_" + g.an(63), ["PINECONE_API_KEY"], "Api-Key: {}",
        "api.pinecone.io/indexes", prefix=P("pc", "sk_"),
        sdk={"py": "Pinecone(api_key=\"{}\")", "ipynb": "Pinecone(api_key=\"{}\")"})
    add("notion", "integration_token", lambda g: P("nt", "n_") + g.digits(11) + g.an(35),
        ["NOTION_TOKEN", "NOTION_API_KEY"], BEARER, "api.notion.com/v1/users/me", prefix=P("nt", "n_"), weight=1.5)
    add("notion", "legacy_integration_token", lambda g: P("sec", "ret_") + g.an(43), ["NOTION_TOKEN"], BEARER,
        "api.notion.com/v1/search", prefix=P("sec", "ret_"))
    add("airtable", "personal_access_token", lambda g: P("pa", "t") + g.an(14) + "." + g.hex(64),
        ["AIRTABLE_TOKEN", "AIRTABLE_API_KEY"], BEARER, "api.airtable.com/v0/meta/whoami", prefix=None)
    add("hubspot", "private_app_token", lambda g: P("pa", "t-") + g.pick(["na1", "eu1", "na2"]) + "-" + g.uuid(),
        ["HUBSPOT_ACCESS_TOKEN", "HUBSPOT_PRIVATE_APP_TOKEN"], BEARER, "api.hubapi.com/crm/v3/objects/contacts?limit=1",
        prefix=P("pa", "t-na1-"))
    add("linear", "api_key", lambda g: P("li", "n_api_") + g.an(40), ["LINEAR_API_KEY"], "Authorization: {}",
        "api.linear.app/graphql", prefix=P("li", "n_api_"))
    add("postman", "api_key", lambda g: P("PM", "AK-") + g.hex(24) + "-" + g.hex(34), ["POSTMAN_API_KEY"],
        "X-Api-Key: {}", "api.getpostman.com/me", prefix=P("PM", "AK-"))
    add("figma", "personal_access_token", lambda g: P("fi", "gd_") + g.s(B64U, 40), ["FIGMA_TOKEN", "FIGMA_ACCESS_TOKEN"],
        "X-Figma-Token: {}", "api.figma.com/v1/me", prefix=P("fi", "gd_"))
    add("contentful", "personal_access_token", lambda g: P("CF", "PAT-") + g.s(B64U, 43),
        ["CONTENTFUL_MANAGEMENT_TOKEN", "CONTENTFUL_CMA_TOKEN"], BEARER, "api.contentful.com/spaces",
        prefix=P("CF", "PAT-"))
    add("launchdarkly", "api_access_token", lambda g: P("ap", "i-") + g.uuid(), ["LAUNCHDARKLY_ACCESS_TOKEN", "LD_API_TOKEN"],
        "Authorization: {}", "app.launchdarkly.com/api/v2/projects", prefix=P("ap", "i-"))
    add("launchdarkly", "sdk_key", lambda g: P("sd", "k-") + g.uuid(), ["LAUNCHDARKLY_SDK_KEY", "LD_SDK_KEY"],
        prefix=P("sd", "k-"))

    def mapbox(g):
        payload = json.dumps({"u": g.pick(["acme-maps", "ledgerco", "fleetview"]), "a": "cl" + g.s(LAN, 23)},
                             separators=(",", ":"))
        return P("s", "k.") + base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=") + "." + g.s(B64U, 22)

    add("mapbox", "secret_token", mapbox, ["MAPBOX_SECRET_TOKEN", "MAPBOX_DOWNLOADS_TOKEN"], prefix=P("s", "k.eyJ"),
        usage=lambda v: "curl -s 'https://api.mapbox.com/tokens/v2?access_token=" + v + "'")

    # ---- social
    def xbearer(g):
        return "A" * 21 + g.an(4) + "A" * 7 + urllib.parse.quote(g.b64(20), safe="") + g.an(50)

    add("x", "app_bearer_token", xbearer, ["TWITTER_BEARER_TOKEN", "X_BEARER_TOKEN"], BEARER,
        "api.x.com/2/tweets/search/recent?query=acme", prefix=P("AAAAAAAAAA", "AAAAAAAAAAA"))
    add("meta", "access_token", lambda g: P("EA", "A") + g.pick("BGJICDMQW") + g.an(g.between(150, 200)) + "ZDZD",
        ["FACEBOOK_ACCESS_TOKEN", "META_ACCESS_TOKEN", "WHATSAPP_TOKEN"], BEARER,
        "graph.facebook.com/v21.0/me", prefix=P("EA", "A"))
    add("meta", "app_secret", lambda g: g.hex(32), ["FACEBOOK_APP_SECRET", "META_APP_SECRET"])
    return L


TITLE = {"azure": "Azure", "digitalocean": "DigitalOcean", "cloudflare": "Cloudflare", "alibaba": "Alibaba Cloud",
         "ibm": "IBM Cloud", "terraform": "HCP Terraform", "flyio": "Fly.io", "vercel": "Vercel", "netlify": "Netlify",
         "doppler": "Doppler", "1password": "1Password", "pulumi": "Pulumi", "okta": "Okta", "auth0": "Auth0",
         "gitlab": "GitLab", "bitbucket": "Bitbucket", "atlassian": "Atlassian", "circleci": "CircleCI",
         "buildkite": "Buildkite", "sonarqube": "SonarQube", "sourcegraph": "Sourcegraph", "dockerhub": "Docker Hub",
         "pypi": "PyPI", "rubygems": "RubyGems", "nuget": "NuGet", "jfrog": "JFrog", "shopify": "Shopify",
         "square": "Square", "paypal": "PayPal", "braintree": "Braintree", "plaid": "Plaid", "adyen": "Adyen",
         "razorpay": "Razorpay", "flutterwave": "Flutterwave", "gocardless": "GoCardless", "mailgun": "Mailgun",
         "mailchimp": "Mailchimp", "brevo": "Brevo", "postmark": "Postmark", "resend": "Resend",
         "telegram": "Telegram", "discord": "Discord", "teams": "Microsoft Teams", "telnyx": "Telnyx",
         "datadog": "Datadog", "newrelic": "New Relic", "grafana": "Grafana", "dynatrace": "Dynatrace",
         "pagerduty": "PagerDuty", "honeycomb": "Honeycomb", "axiom": "Axiom", "huggingface": "Hugging Face",
         "groq": "Groq", "xai": "xAI", "perplexity": "Perplexity", "replicate": "Replicate",
         "openrouter": "OpenRouter", "langsmith": "LangSmith", "cohere": "Cohere", "mistral": "Mistral",
         "databricks": "Databricks", "planetscale": "PlanetScale", "mongodb": "MongoDB Atlas", "supabase": "Supabase",
         "neon": "Neon", "pinecone": "Pinecone", "notion": "Notion", "airtable": "Airtable", "hubspot": "HubSpot",
         "linear": "Linear", "postman": "Postman", "figma": "Figma", "contentful": "Contentful",
         "launchdarkly": "LaunchDarkly", "mapbox": "Mapbox", "x": "X", "meta": "Meta"}


# --------------------------------------------------------------------------- look-alikes

class Item:
    """One line to place: a planted secret or a look-alike."""

    def __init__(self, role, family, kind, name=None, value=None, style="value", spec=None, note=None):
        self.role, self.family, self.kind, self.name, self.value = role, family, kind, name, value
        self.style, self.spec, self.note = style, spec, note


def generic_decoys(sp: Spec, g: Gen) -> list[Item]:
    """Look-alikes derived from a token format: documented placeholders, fixtures, truncations, prose."""
    fam, out = sp.family, []
    name = g.pick(sp.names)
    real = sp.gen(g)
    pfx = sp.prefix
    D = lambda kind, value, style="value", nm=name: out.append(Item("decoy", fam, kind, nm, value, style, sp))
    words = sp.kind.replace("_", " ")
    if pfx:
        rest = len(real) - len(pfx)
        cut = real[:len(pfx) + g.between(4, 7)]
        D("truncated", cut + g.pick(["...", "\u2026"]))
        D("truncated", "Rotated the %s %s %s\u2026 on %s after the offboarding." % (TITLE[fam], words, cut,
                                                                                   g.pick(["2024-11-04", "2025-02-17"])),
          "prose")
        D("masked", pfx + "*" * g.between(8, 16))
        D("masked", "Token in use: %s (shown masked in the %s console)." % (real[:len(pfx) + 4] + "\u2022" * 6 + real[-4:],
                                                                          TITLE[fam]), "prose")
        D("test_fixture", pfx + "x" * min(rest, 40))
        D("test_fixture", pfx + ("0123456789" * 12)[:min(rest, 48)])
        D("placeholder", pfx + "<" + name.lower().replace("_", "-") + ">")
        D("placeholder", pfx + "YOUR_" + sp.kind.upper())
        if rest >= 12:
            D("wrong_length", pfx + g.s(AN, max(4, rest // 4)))
        D("prefix_in_prose", "%s %ss start with `%s`; store them in the secret manager, never in the repo."
          % (TITLE[fam], words, pfx), "prose")
    D("placeholder", g.pick(["your-%s-here" % words.replace(" ", "-"), "<%s>" % name, "REPLACE_ME", "changeme",
                             "<insert %s %s>" % (fam, words), "%s_%s" % (name, "PLACEHOLDER")]))
    D("template_ref", None, "template")
    D("template_ref", None, "template")
    D("test_fixture", g.pick(["dummy-%s" % sp.kind.replace("_", "-"), "test-%s-123" % fam, "fake_%s_for_tests" % sp.kind,
                              "not-a-real-%s" % words.replace(" ", "-")]))
    return out


def public_decoys(fam: str, g: Gen) -> list[Item]:
    """Identifiers and public keys the providers document as safe to expose, and hashes/UUIDs near their names."""
    o: list[Item] = []
    D = lambda kind, name, value, style="value": o.append(Item("decoy", fam, kind, name, value, style))
    u = g.uuid
    if fam == "azure":
        D("public_id", "AZURE_TENANT_ID", u()); D("public_id", "AZURE_CLIENT_ID", u())
        D("public_id", "AZURE_SUBSCRIPTION_ID", u()); D("public_id", "AZURE_STORAGE_ACCOUNT", "acmeprod" + g.s(LAN, 6))
        D("placeholder", "AZURE_STORAGE_CONNECTION_STRING", "UseDevelopmentStorage=true")
        D("hash_near_provider", "AZURE_BLOB_CONTENT_MD5", g.b64(16))
    elif fam == "digitalocean":
        D("public_id", "DO_DROPLET_ID", g.digits(9)); D("public_id", "DO_SPACES_BUCKET", "acme-assets-nyc3")
        D("hash_near_provider", "DO_SSH_KEY_FINGERPRINT", ":".join(g.hex(2) for _ in range(16)))
    elif fam == "cloudflare":
        D("public_id", "CLOUDFLARE_ZONE_ID", g.hex(32)); D("public_id", "CLOUDFLARE_ACCOUNT_ID", g.hex(32))
        D("key_id", "CLOUDFLARE_API_TOKEN_ID", g.hex(32))
        D("public_id", "TURNSTILE_SITE_KEY", "0x4AAAAAAA" + g.s(B64U, 14))
    elif fam == "alibaba":
        D("public_id", "ALIBABA_CLOUD_ACCOUNT_ID", g.digits(16)); D("public_id", "ALIBABA_CLOUD_REGION_ID", "cn-hangzhou")
    elif fam == "ibm":
        D("public_id", "IBMCLOUD_ACCOUNT_ID", g.hex(32))
        D("public_id", "IBM_COS_CRN", "crn:v1:bluemix:public:cloud-object-storage:global:a/" + g.hex(32) + ":" + u() + "::")
    elif fam == "terraform":
        D("key_id", "TFE_TOKEN_ID", "at-" + g.an(16)); D("public_id", "TFE_WORKSPACE_ID", "ws-" + g.an(16))
        D("hash_near_provider", "terraform_provider_hash", "h1:" + g.b64(32))
    elif fam == "flyio":
        D("public_id", "FLY_MACHINE_ID", g.hex(14)); D("public_id", "FLY_APP_NAME", "acme-api-" + g.s(LAN, 4))
    elif fam == "vercel":
        D("public_id", "VERCEL_ORG_ID", "team_" + g.an(24)); D("public_id", "VERCEL_PROJECT_ID", "prj_" + g.an(28))
    elif fam == "netlify":
        D("public_id", "NETLIFY_SITE_ID", u())
    elif fam == "doppler":
        D("doc_example", "DOPPLER_TOKEN", P("dp", ".pt.", "bAqhcVzrhy5c", "RHkOlNTc0Ve6", "w5NUDCpcutm8", "vGE9myi"))
        D("public_id", "DOPPLER_CONFIG", "prd_eu")
    elif fam == "1password":
        D("doc_example", "OP_SECRET_KEY", "-".join(["A3", "ASWWYB", "798JRY", "LJVD4", "23DC2", "86TVM", "H43EB"]))
        D("public_id", "OP_ACCOUNT", g.s(UAN, 26))
    elif fam == "okta":
        D("public_id", "OKTA_CLIENT_ID", "0oa" + g.an(17)); D("public_id", "OKTA_ISSUER", "https://acme.okta.com/oauth2/default")
    elif fam == "auth0":
        D("public_id", "AUTH0_CLIENT_ID", g.an(32)); D("public_id", "AUTH0_DOMAIN", "acme.eu.auth0.com")
    elif fam == "gitlab":
        D("public_id", "CI_PROJECT_ID", g.digits(8))
        D("hash_near_provider", "GITLAB_COMMIT_SHA", g.hex(40))
        D("public_id", "GITLAB_RUNNER_SYSTEM_ID", "s_" + g.hex(12))
    elif fam == "bitbucket":
        D("public_id", "BITBUCKET_WORKSPACE_UUID", "{" + u() + "}")
    elif fam == "atlassian":
        D("public_id", "JIRA_CLOUD_ID", u())
    elif fam == "circleci":
        D("hash_near_provider", "CIRCLE_SHA1", g.hex(40)); D("public_id", "CIRCLE_PROJECT_ID", u())
    elif fam == "buildkite":
        D("uuid_near_provider", "BUILDKITE_BUILD_ID", u()); D("public_id", "BUILDKITE_ORGANIZATION_SLUG", "acme")
    elif fam == "sonarqube":
        D("public_id", "SONAR_PROJECT_KEY", "acme_platform-api")
    elif fam == "dockerhub":
        D("hash_near_provider", "DOCKERHUB_IMAGE_DIGEST", "sha256:" + g.hex(64))
    elif fam == "pypi":
        D("hash_near_provider", "PYPI_SDIST_SHA256", g.hex(64))
    elif fam == "rubygems":
        D("hash_near_provider", "RUBYGEMS_CHECKSUM_SHA256", g.hex(64))
    elif fam == "nuget":
        D("hash_near_provider", "NUGET_PACKAGE_HASH", g.b64(64))
    elif fam == "jfrog":
        D("hash_near_provider", "ARTIFACTORY_SHA1", g.hex(40))
    elif fam == "shopify":
        D("public_id", "SHOPIFY_API_KEY", g.hex(32)); D("public_id", "SHOPIFY_STOREFRONT_ACCESS_TOKEN", g.hex(32))
    elif fam == "square":
        D("public_id", "SQUARE_APPLICATION_ID", P("sq0", "idp-") + g.s(B64U, 22))
        D("public_id", "SQUARE_LOCATION_ID", "L" + g.s(UAN, 12))
    elif fam == "paypal":
        D("public_id", "PAYPAL_CLIENT_ID", "A" + g.s(B64U, 79))
    elif fam == "braintree":
        D("public_id", "BRAINTREE_MERCHANT_ID", g.s(LAN, 16)); D("public_id", "BRAINTREE_PUBLIC_KEY", g.s(LAN, 16))
        D("public_id", "BRAINTREE_TOKENIZATION_KEY", "production_" + g.s(LAN, 8) + "_" + g.s(LAN, 16))
    elif fam == "plaid":
        D("public_id", "PLAID_CLIENT_ID", g.hex(24))
        D("doc_example", "PLAID_ACCESS_TOKEN", P("access-", "sandbox-", "de3ce8ef-33f8", "-452c-a685-", "8671031fc0f6"))
    elif fam == "adyen":
        D("public_id", "ADYEN_CLIENT_KEY", g.pick(["live_", "test_"]) + g.s(UAN, 32))
        D("public_id", "ADYEN_MERCHANT_ACCOUNT", "AcmeECOM")
    elif fam == "razorpay":
        D("public_id", "RAZORPAY_KEY_ID", P("rzp", "_live_") + g.an(14))
    elif fam == "flutterwave":
        D("public_id", "FLW_PUBLIC_KEY", P("FLW", "PUBK-") + g.hex(32) + "-X")
    elif fam == "gocardless":
        D("public_id", "GOCARDLESS_CREDITOR_ID", "CR" + g.s(UAN, 12))
    elif fam == "mailgun":
        D("public_id", "MAILGUN_PUBLIC_KEY", P("pub", "key-") + g.hex(32)); D("public_id", "MAILGUN_DOMAIN", "mg.acme.io")
    elif fam == "mailchimp":
        D("public_id", "MAILCHIMP_AUDIENCE_ID", g.hex(10))
    elif fam == "postmark":
        D("doc_example", "POSTMARK_SERVER_TOKEN", "POSTMARK_API_TEST")
        D("uuid_near_provider", "POSTMARK_MESSAGE_ID", u())
    elif fam == "resend":
        D("uuid_near_provider", "RESEND_EMAIL_ID", u())
    elif fam == "telegram":
        D("doc_example", "TELEGRAM_BOT_TOKEN", P("123456:", "ABC-DEF1234", "ghIkl-zyx57W", "2v1u123ew11"))
        D("public_id", "TELEGRAM_CHAT_ID", "-100" + g.digits(10))
    elif fam == "discord":
        D("public_id", "DISCORD_APPLICATION_ID", g.digits(19)); D("public_id", "DISCORD_PUBLIC_KEY", g.hex(64))
    elif fam == "teams":
        D("public_id", "TEAMS_CHANNEL_ID", "19:" + g.hex(32) + "@thread.tacv2")
    elif fam == "telnyx":
        D("placeholder", "TELNYX_API_KEY", P("KE", "Y_") + "x" * 13); D("public_id", "TELNYX_PUBLIC_KEY", g.b64(32))
    elif fam == "datadog":
        D("public_id", "DD_CLIENT_TOKEN", "pub" + g.hex(32)); D("public_id", "DD_RUM_APPLICATION_ID", u())
        D("public_id", "DD_TRACE_ID", g.digits(19))
    elif fam == "newrelic":
        D("public_id", "NEW_RELIC_BROWSER_KEY", P("NR", "JS-") + g.hex(19)); D("public_id", "NEW_RELIC_ACCOUNT_ID", g.digits(7))
    elif fam == "grafana":
        D("public_id", "GRAFANA_STACK_ID", g.digits(6)); D("public_id", "GRAFANA_DATASOURCE_UID", g.s(LAN, 14))
    elif fam == "dynatrace":
        D("key_id", "DT_API_TOKEN_ID", P("dt0", "c01.") + g.s(B32, 24))
        D("doc_example", "DT_API_TOKEN", P("dt0", "s01.", "ST2EY72KQINM", "H574WMNVI7YN", ".", "G3DFPBEJYMOD",
                                            "IDAEX454M7YW", "BUVEFOWKPRVM", "WFASS64NFH52", "PX6BNDVFFM57", "2RZM"))
    elif fam == "pagerduty":
        D("public_id", "PAGERDUTY_SERVICE_ID", "P" + g.s(UAN, 6)); D("uuid_near_provider", "PAGERDUTY_DEDUP_KEY", u())
    elif fam == "honeycomb":
        D("key_id", "HONEYCOMB_KEY_ID", P("hc", "aik_", "01") + g.s(LAN, 24)); D("public_id", "HONEYCOMB_DATASET", "api-prod")
    elif fam == "axiom":
        D("public_id", "AXIOM_ORG_ID", "acme-" + g.s(LAN, 4)); D("public_id", "AXIOM_DATASET", "vercel-logs")
    elif fam == "huggingface":
        D("hash_near_provider", "HF_MODEL_REVISION", g.hex(40)); D("public_id", "HF_MODEL_ID", "acme/intent-classifier-v3")
    elif fam == "replicate":
        D("hash_near_provider", "REPLICATE_MODEL_VERSION", g.hex(64))
    elif fam == "openrouter":
        D("public_id", "OPENROUTER_GENERATION_ID", "gen-" + g.digits(10) + "-" + g.an(20))
    elif fam == "langsmith":
        D("uuid_near_provider", "LANGSMITH_RUN_ID", u()); D("uuid_near_provider", "LANGSMITH_PROJECT_ID", u())
    elif fam == "cohere":
        D("uuid_near_provider", "COHERE_GENERATION_ID", u())
    elif fam == "mistral":
        D("public_id", "MISTRAL_MODEL", "mistral-large-latest")
    elif fam == "databricks":
        D("public_id", "DATABRICKS_CLIENT_ID", u()); D("public_id", "DATABRICKS_CLUSTER_ID",
                                                      "0" + g.digits(3) + "-" + g.digits(6) + "-" + g.s(LAN, 8))
        D("public_id", "DATABRICKS_HOST", "https://adb-" + g.digits(16) + ".11.azuredatabricks.net")
    elif fam == "planetscale":
        D("key_id", "PLANETSCALE_SERVICE_TOKEN_ID", g.s(LAN, 12))
    elif fam == "mongodb":
        D("public_id", "MONGODB_ATLAS_PUBLIC_KEY", g.s(LOW, 8)); D("public_id", "MONGODB_ATLAS_PROJECT_ID", g.hex(24))
        D("public_id", "MONGODB_ATLAS_CLIENT_ID", P("mdb", "_sa_id_") + g.hex(24))
    elif fam == "supabase":
        D("public_id", "SUPABASE_PUBLISHABLE_KEY", P("sb", "_publishable_") + g.s(B64U, 31))
        D("public_id", "SUPABASE_PROJECT_REF", g.s(LOW, 20))
    elif fam == "neon":
        D("public_id", "NEON_ENDPOINT_ID", "ep-" + g.pick(["cool", "quiet", "rapid"]) + "-" + g.pick(["sun", "river", "pine"]) + "-" + g.s(LAN, 8))
    elif fam == "pinecone":
        D("public_id", "PINECONE_INDEX_HOST", "https://docs-" + g.hex(7) + ".svc.aped-4627-b74a.pinecone.io")
    elif fam == "notion":
        D("public_id", "NOTION_DATABASE_ID", g.hex(32)); D("uuid_near_provider", "NOTION_PAGE_ID", u())
    elif fam == "airtable":
        D("public_id", "AIRTABLE_BASE_ID", "app" + g.an(14)); D("public_id", "AIRTABLE_TABLE_ID", "tbl" + g.an(14))
    elif fam == "hubspot":
        D("public_id", "HUBSPOT_PORTAL_ID", g.digits(8)); D("public_id", "HUBSPOT_CLIENT_ID", u())
    elif fam == "linear":
        D("uuid_near_provider", "LINEAR_TEAM_ID", u())
    elif fam == "postman":
        D("public_id", "POSTMAN_COLLECTION_UID", g.digits(8) + "-" + u())
    elif fam == "figma":
        D("public_id", "FIGMA_FILE_KEY", g.an(22))
    elif fam == "contentful":
        D("public_id", "CONTENTFUL_SPACE_ID", g.s(LAN, 12))
    elif fam == "launchdarkly":
        D("public_id", "LD_CLIENT_SIDE_ID", g.hex(24)); D("public_id", "LD_MOBILE_KEY", P("mo", "b-") + u())
    elif fam == "mapbox":
        payload = json.dumps({"u": "acme-maps", "a": "cl" + g.s(LAN, 23)}, separators=(",", ":"))
        D("public_id", "MAPBOX_ACCESS_TOKEN",
          P("p", "k.") + base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=") + "." + g.s(B64U, 22))
    elif fam == "x":
        D("public_id", "TWITTER_USER_ID", g.digits(19))
    elif fam == "meta":
        D("public_id", "FACEBOOK_APP_ID", g.digits(16)); D("public_id", "META_PIXEL_ID", g.digits(15))
    return o


def extra_public(g: Gen) -> list[Item]:
    """Public keys of other vendors that routinely sit next to the planted ones."""
    o = []
    o.append(Item("decoy", "posthog", "public_id", "POSTHOG_KEY", P("ph", "c_") + g.an(43)))
    o.append(Item("decoy", "algolia", "public_id", "ALGOLIA_APP_ID", g.s(UAN, 10)))
    o.append(Item("decoy", "algolia", "public_id", "ALGOLIA_SEARCH_ONLY_API_KEY", g.hex(32)))
    o.append(Item("decoy", "sentry", "public_id", "SENTRY_DSN",
                  "https://" + g.hex(32) + "@o" + g.digits(6) + ".ingest.us.sentry.io/" + g.digits(7)))
    o.append(Item("decoy", "stripe", "public_id", "STRIPE_PUBLISHABLE_KEY", P("pk", "_live_") + g.an(99)))
    o.append(Item("decoy", "generic", "uuid_near_provider", "REQUEST_ID", g.uuid()))
    o.append(Item("decoy", "generic", "hash_near_provider", "BUILD_SHA256", g.hex(64)))
    for nm, txt in g.r.sample([("WELCOME_BANNER_B64", "Welcome to the Acme staging environment"),
                               ("MAINTENANCE_NOTICE_B64", "maintenance window: Sunday 02:00-04:00 UTC"),
                               ("UI_DEFAULTS_B64", '{"theme":"dark","locale":"en-GB","pageSize":50}'),
                               ("GRAFANA_DASHBOARD_TITLE_B64", "API latency (p50/p95/p99) by route"),
                               ("DATADOG_TAGS_B64", "env:prod,service:ledger-api,team:payments"),
                               ("HF_MODEL_CARD_B64", "intent classifier v3, fine-tuned on support tickets"),
                               ("SUPABASE_URL_B64", "https://qwmzkxlrtpbnvcdyfhsg.supabase.co")], 3):
        o.append(Item("decoy", "generic", "base64_non_secret", nm, b64s(txt)))
    return o


# --------------------------------------------------------------------------- rendering helpers

def snake(name: str) -> str:
    return name.lower()


def camel(name: str) -> str:
    parts = name.lower().split("_")
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def kebab(name: str) -> str:
    return name.lower().replace("_", "-")


def yq(v: str, g: Gen) -> str:
    """A YAML scalar for v: plain where YAML allows it, else double-quoted."""
    if not v or v[0] in "{[&*!|>'%@`#,?:-\"" or ": " in v or " #" in v or v.endswith(":"):
        return json.dumps(v)
    return json.dumps(v) if g.chance(0.4) else v


def envq(v: str, g: Gen) -> str:
    if any(c in v for c in " $;&#'\"`|<>()"):
        return "'" + v + "'" if "'" not in v else json.dumps(v)
    return g.pick([v, v, '"' + v + '"'])


def shq(v: str) -> str:
    if "'" in v:
        return json.dumps(v)
    return "'" + v + "'" if any(c in v for c in "$`\\!") else '"' + v + '"'


def split_hdr(sp: Spec):
    h = sp.hdr or BEARER
    name, _, fmt = h.partition(": ")
    return name, fmt


def template_value(fmt: str, name: str, fam: str, g: Gen) -> tuple[str, bool]:
    """(text, is_expression) of a reference to a secret kept elsewhere."""
    low = name.lower()
    refs = ["vault:secret/data/%s/%s#%s" % (g.pick(["prod", "staging", "ci"]), fam, low),
            "op://%s/%s/%s" % (g.pick(["Production", "Engineering", "CI"]), TITLE[fam].replace(" ", "-"), g.pick(["credential", "token", "api-key"])),
            "ref+vault://secret/%s#/%s" % (fam, low),
            "projects/acme-prod/secrets/%s/versions/latest" % kebab(name),
            "arn:aws:secretsmanager:eu-west-1:%s:secret:prod/%s" % (g.digits(12), kebab(name))]
    if fmt in ("py", "ipynb"):
        return g.pick(['os.environ["%s"]' % name, 'os.getenv("%s")' % name, 'os.environ.get("%s", "")' % name]), True
    if fmt in ("js", "ts"):
        return g.pick(["process.env.%s" % name, "process.env[\"%s\"] ?? \"\"" % name]), True
    if fmt == "go":
        return 'os.Getenv("%s")' % name, True
    if fmt == "java":
        return 'System.getenv("%s")' % name, True
    if fmt == "rb":
        return g.pick(['ENV.fetch("%s")' % name, 'Rails.application.credentials.dig(:%s, :%s)' % (fam, low)]), True
    if fmt == "php":
        return "env('%s')" % name, True
    if fmt == "gha":
        return "${{ secrets.%s }}" % name, False
    if fmt == "helm_tpl":
        return "{{ .Values.%s.%s | b64enc | quote }}" % (fam, camel(name)), False
    if fmt == "ansible":
        return "{{ vault_%s }}" % low, False
    if fmt in ("env", "compose", "gitlab_ci", "circleci", "buildkite"):
        return g.pick(["${%s}" % name, "${%s:?required}" % name] + refs[:2]), False
    if fmt in ("shell", "md"):
        return g.pick(['"$(op read %s)"' % refs[1], '"$(vault kv get -field=%s secret/%s)"' % (low, fam),
                       '"${%s:?set it in CI}"' % name]), False
    if fmt in ("tf", "tfvars"):
        return g.pick(["var.%s" % low, 'data.vault_generic_secret.%s.data["%s"]' % (fam, low)]), True
    return g.pick(refs), False


COMMENT = {"env": "#", "shell": "#", "yaml": "#", "ansible": "#", "compose": "#", "k8s_secret": "#",
           "k8s_secret_b64": "#", "helm_values": "#", "helm_tpl": "#", "gha": "#", "gitlab_ci": "#",
           "circleci": "#", "buildkite": "#", "toml": "#", "properties": "#", "tf": "#", "tfvars": "#",
           "ini": ";", "py": "#", "rb": "#", "js": "//", "ts": "//", "go": "//", "java": "//", "php": "//"}


# --------------------------------------------------------------------------- documents

class Doc:
    def __init__(self, path: str, fmt: str, cap: int, title: str = "", accepts=("secret", "decoy")):
        self.path, self.fmt, self.cap, self.title, self.accepts = path, fmt, cap, title, accepts
        self.items: list[Item] = []
        self.rows: list[tuple[str, dict | None]] = []

    def add(self, text: str, meta=None):
        self.rows.append((text, meta))


def smeta(it: Item, secret: str, encoded: str | None = None, back: int = 0) -> dict:
    m = {"role": "secret", "family": it.family, "kind": it.kind, "secret": secret}
    if encoded:
        m["encoded"] = encoded
    if back:
        m["back"] = back
    return m


def dmeta(it: Item) -> dict:
    return {"role": "decoy", "family": it.family, "kind": it.kind}


def secret_style(it: Item, fmt: str, g: Gen) -> str:
    sp = it.spec
    opts = ["value"] * 4
    if fmt in ("shell", "md", "gha", "gitlab_ci", "circleci", "buildkite") and (sp.usage or sp.host):
        opts += ["usage"] * 3
    if fmt in ("py", "js", "ts", "go", "java", "rb", "php", "ipynb") and sp.host and not sp.usage:
        opts += ["usage"] * 2
    if sp.sdk and fmt in sp.sdk:
        opts += ["sdk"] * 3
    if fmt in ("yaml", "helm_values", "k8s_secret", "ansible") and len(it.value) > 30:
        opts += ["block"]
    return g.pick(opts)


def usage_line(it: Item, fmt: str, g: Gen) -> str:
    sp, v = it.spec, it.value
    if fmt in ("shell", "md", "gha", "gitlab_ci", "circleci", "buildkite"):
        if sp.usage:
            return sp.usage(v)
        hn, hf = split_hdr(sp)
        return 'curl -sS -H "%s: %s" https://%s' % (hn, hf.format(v), sp.host)
    hn, hf = split_hdr(sp)
    hv = hf.format(v)
    url = "https://" + sp.host
    return {"py": 'resp = requests.get("%s", headers={"%s": "%s"}, timeout=10)' % (url, hn, hv),
            "ipynb": 'resp = requests.get("%s", headers={"%s": "%s"})' % (url, hn, hv),
            "js": 'const res = await fetch("%s", { headers: { "%s": "%s" } });' % (url, hn, hv),
            "ts": 'const res = await fetch("%s", { headers: { "%s": "%s" } });' % (url, hn, hv),
            "go": '\treq.Header.Set("%s", "%s")' % (hn, hv),
            "java": '                .header("%s", "%s")' % (hn, hv),
            "rb": '    req["%s"] = "%s"' % (hn, hv),
            "php": "                '%s' => '%s'," % (hn, hv)}[fmt]


# Each builder renders its items among realistic neighbours and records which row holds what.

def b_env(d: Doc, g: Gen):
    d.add("# %s" % (d.title or "runtime configuration"))
    fill = ["APP_ENV=production", "LOG_LEVEL=info", "PORT=8080", "REDIS_HOST=redis", "FEATURE_NEW_CHECKOUT=true",
            "TZ=UTC", "WORKERS=4", "CACHE_TTL_SECONDS=300", "PUBLIC_BASE_URL=https://app.acme.io", "SMTP_PORT=587"]
    g.r.shuffle(fill)
    for it in d.items:
        if g.chance(0.4) and fill:
            d.add(fill.pop())
        if it.role == "decoy":
            if it.style == "prose":
                d.add("# " + it.value, dmeta(it))
                continue
            if it.style == "template":
                t, _ = template_value("env", it.name, it.family, g)
                d.add("%s=%s" % (it.name, t), dmeta(it))
                continue
            d.add("%s=%s" % (it.name, envq(it.value, g)), dmeta(it))
        else:
            d.add("%s=%s" % (it.name, envq(it.value, g)), smeta(it, it.value))
    for f in fill[:3]:
        d.add(f)


def b_shell(d: Doc, g: Gen):
    d.add("#!/usr/bin/env bash")
    d.add("# %s" % (d.title or "smoke checks against the providers we call"))
    d.add("set -euo pipefail")
    d.add("")
    for it in d.items:
        if it.role == "decoy":
            if it.style == "prose":
                d.add("# " + it.value, dmeta(it))
            elif it.style == "template":
                t, _ = template_value("shell", it.name, it.family, g)
                d.add("export %s=%s" % (it.name, t), dmeta(it))
            else:
                d.add("export %s=%s" % (it.name, shq(it.value)), dmeta(it))
            continue
        st = secret_style(it, "shell", g)
        if st == "usage":
            d.add('echo "checking %s"' % TITLE[it.family])
            d.add(usage_line(it, "shell", g), smeta(it, it.value))
        else:
            d.add("export %s=%s" % (it.name, shq(it.value)), smeta(it, it.value))
    d.add("")
    d.add('echo "all checks passed"')


def b_md(d: Doc, g: Gen):
    d.add("# " + (d.title or "Runbook"))
    d.add("")
    d.add(g.pick(["Steps we follow when a deploy goes wrong.", "How the service talks to the outside world.",
                  "Notes from the last on-call rotation."]))
    d.add("")
    prose = [it for it in d.items if it.role == "decoy" and it.style == "prose"]
    code = [it for it in d.items if it not in prose]
    if prose:
        d.add("## Credentials")
        d.add("")
        for it in prose:
            d.add("- " + it.value, dmeta(it))
        d.add("")
    if code:
        d.add("## Commands")
        d.add("")
        d.add("```bash")
        for it in code:
            if it.role == "decoy":
                if it.style == "template":
                    t, _ = template_value("md", it.name, it.family, g)
                    d.add("export %s=%s" % (it.name, t), dmeta(it))
                else:
                    d.add("export %s=%s" % (it.name, shq(it.value)), dmeta(it))
                continue
            st = secret_style(it, "md", g)
            if st == "usage":
                d.add(usage_line(it, "md", g), smeta(it, it.value))
            else:
                d.add("export %s=%s" % (it.name, shq(it.value)), smeta(it, it.value))
        d.add("```")
    d.add("")
    d.add("Escalate in #platform-oncall if the checks above fail twice.")


def yaml_item(d: Doc, it: Item, g: Gen, indent: str, key: str, fmt: str):
    if it.role == "decoy":
        if it.style == "prose":
            d.add(indent + "# " + it.value, dmeta(it))
        elif it.style == "template":
            t, _ = template_value(fmt, it.name, it.family, g)
            d.add("%s%s: %s" % (indent, key, json.dumps(t) if t[:1] in "{$" or ": " in t else t), dmeta(it))
        else:
            d.add("%s%s: %s" % (indent, key, yq(it.value, g)), dmeta(it))
        return
    st = secret_style(it, fmt, g)
    if st == "block":
        d.add("%s%s: %s" % (indent, key, g.pick([">-", "|-"])))
        d.add(indent + "  " + it.value, smeta(it, it.value, back=1))
    else:
        d.add("%s%s: %s" % (indent, key, yq(it.value, g)), smeta(it, it.value))


def b_yaml(d: Doc, g: Gen):
    fmt = d.fmt
    if fmt == "ansible":
        d.add("---")
        d.add("# group vars for the app hosts")
        d.add("app_user: deploy")
        d.add("app_port: 8080")
        for it in d.items:
            yaml_item(d, it, g, "", snake(it.name), fmt)
        d.add("ntp_servers:")
        d.add("  - 0.pool.ntp.org")
        return
    if fmt == "helm_values":
        d.add("replicaCount: %d" % g.between(2, 4))
        d.add("image:")
        d.add("  repository: ghcr.io/acme/%s" % g.pick(["api", "worker", "web"]))
        d.add("  tag: \"%d.%d.%d\"" % (g.between(1, 4), g.between(0, 20), g.between(0, 9)))
        d.add("service:")
        d.add("  port: 8080")
        d.add("secrets:")
        for it in d.items:
            yaml_item(d, it, g, "  ", camel(it.name), fmt)
        d.add("resources:")
        d.add("  limits:")
        d.add("    memory: 512Mi")
        return
    d.add("# %s" % (d.title or "application settings"))
    d.add("app:")
    d.add("  name: %s" % g.pick(["ledger-api", "orchard", "beacon"]))
    d.add("  port: 8080")
    d.add("integrations:")
    for it in d.items:
        yaml_item(d, it, g, "  ", snake(it.name), fmt)
    d.add("logging:")
    d.add("  level: info")


def b_compose(d: Doc, g: Gen):
    d.add("services:")
    d.add("  api:")
    d.add("    build: .")
    d.add("    ports:")
    d.add('      - "8080:8080"')
    listy = g.chance(0.5)
    d.add("    environment:")
    for it in d.items:
        if not listy:
            yaml_item(d, it, g, "      ", it.name, "compose")
        elif it.role == "secret":
            d.add("      - %s=%s" % (it.name, it.value), smeta(it, it.value))
        elif it.style == "prose":
            d.add("      # " + it.value, dmeta(it))
        elif it.style == "template":
            d.add("      - %s=%s" % (it.name, template_value("compose", it.name, it.family, g)[0]), dmeta(it))
        else:
            d.add("      - %s=%s" % (it.name, it.value), dmeta(it))
    d.add("    depends_on:")
    d.add("      - redis")
    d.add("  redis:")
    d.add("    image: redis:7-alpine")


def b_k8s(d: Doc, g: Gen):
    d.add("apiVersion: v1")
    d.add("kind: Secret")
    d.add("metadata:")
    d.add("  name: %s-credentials" % g.pick(["api", "worker", "integrations"]))
    d.add("  namespace: %s" % g.pick(["prod", "staging", "payments"]))
    d.add("type: Opaque")
    if d.fmt == "k8s_secret_b64":
        d.add("data:")
        for it in d.items:
            if it.role == "secret":
                enc = b64s(it.value)
                d.add("  %s: %s" % (it.name, enc), smeta(it, it.value, encoded=enc))
            elif it.style == "prose":
                d.add("  # " + it.value, dmeta(it))
            elif it.style == "template":
                d.add("  %s: %s" % (it.name, b64s(template_value("k8s_secret", it.name, it.family, g)[0])), dmeta(it))
            else:
                d.add("  %s: %s" % (it.name, b64s(it.value)), dmeta(it))
        return
    d.add("stringData:")
    for it in d.items:
        yaml_item(d, it, g, "  ", it.name, "k8s_secret")


def b_helm_tpl(d: Doc, g: Gen):
    d.add("apiVersion: v1")
    d.add("kind: Secret")
    d.add("metadata:")
    d.add('  name: {{ include "app.fullname" . }}-env')
    d.add("type: Opaque")
    d.add("data:")
    for it in d.items:
        if it.role == "decoy" and it.style == "prose":
            d.add("  {{- /* " + it.value + " */}}", dmeta(it))
        elif it.role == "decoy" and it.style == "template":
            d.add("  %s: %s" % (it.name, template_value("helm_tpl", it.name, it.family, g)[0]), dmeta(it))
        elif it.role == "decoy":
            d.add("  %s: %s" % (it.name, b64s(it.value)), dmeta(it))
        else:
            enc = b64s(it.value)
            d.add("  %s: %s" % (it.name, enc), smeta(it, it.value, encoded=enc))


def b_ci(d: Doc, g: Gen):
    fmt = d.fmt
    env_items = [it for it in d.items if it.role == "decoy" or secret_style(it, fmt, g) != "usage"]
    run_items = [it for it in d.items if it not in env_items]
    if fmt == "gha":
        d.add("name: deploy")
        d.add("on:")
        d.add("  push:")
        d.add("    branches: [main]")
        d.add("jobs:")
        d.add("  deploy:")
        d.add("    runs-on: ubuntu-latest")
        d.add("    env:")
        for it in env_items:
            yaml_item(d, it, g, "      ", it.name, fmt)
        d.add("    steps:")
        d.add("      - uses: actions/checkout@v4")
        d.add("      - name: notify and deploy")
        d.add("        run: |")
        for it in run_items:
            d.add("          " + usage_line(it, fmt, g), smeta(it, it.value))
        d.add("          ./scripts/deploy.sh")
    elif fmt == "gitlab_ci":
        d.add("stages: [test, deploy]")
        d.add("variables:")
        d.add('  GIT_DEPTH: "20"')
        for it in env_items:
            yaml_item(d, it, g, "  ", it.name, fmt)
        d.add("deploy:")
        d.add("  stage: deploy")
        d.add("  image: alpine:3.20")
        d.add("  script:")
        d.add("    - apk add --no-cache curl")
        for it in run_items:
            d.add("    - " + usage_line(it, fmt, g), smeta(it, it.value))
        d.add("  rules:")
        d.add('    - if: $CI_COMMIT_BRANCH == "main"')
    elif fmt == "circleci":
        d.add("version: 2.1")
        d.add("jobs:")
        d.add("  deploy:")
        d.add("    docker:")
        d.add("      - image: cimg/base:2024.10")
        d.add("        environment:")
        for it in env_items:
            yaml_item(d, it, g, "          ", it.name, fmt)
        d.add("    steps:")
        d.add("      - checkout")
        for it in run_items:
            d.add("      - run: |")
            d.add("          " + usage_line(it, fmt, g), smeta(it, it.value))
        d.add("workflows:")
        d.add("  main:")
        d.add("    jobs: [deploy]")
    else:  # buildkite
        d.add("env:")
        d.add('  DEPLOY_REGION: "eu-west-1"')
        for it in env_items:
            yaml_item(d, it, g, "  ", it.name, fmt)
        d.add("steps:")
        d.add('  - label: ":rocket: deploy"')
        d.add("    command:")
        for it in run_items:
            d.add("      - " + usage_line(it, fmt, g), smeta(it, it.value))
        d.add("      - ./scripts/deploy.sh")
        d.add("    agents:")
        d.add("      queue: deploy")


def b_json(d: Doc, g: Gen):
    rows: list[tuple[str, dict | None]] = []
    ents = []
    for it in d.items:
        if it.role == "decoy" and it.style == "prose":
            ents.append(("_comment_" + it.family, it.value, dmeta(it)))
        elif it.role == "decoy" and it.style == "template":
            ents.append((camel(it.name), template_value("json", it.name, it.family, g)[0], dmeta(it)))
        elif it.role == "decoy":
            ents.append((camel(it.name), it.value, dmeta(it)))
        else:
            ents.append((camel(it.name), it.value, smeta(it, it.value)))
    d.add("{")
    d.add('  "service": "%s",' % g.pick(["ledger-api", "orchard-web", "beacon-worker"]))
    d.add('  "port": 8080,')
    d.add('  "integrations": {')
    for i, (k, v, m) in enumerate(ents):
        d.add('    "%s": %s%s' % (k, json.dumps(v), "," if i < len(ents) - 1 else ""), m)
    d.add("  },")
    d.add('  "features": { "betaDashboard": false }')
    d.add("}")


def b_toml(d: Doc, g: Gen):
    d.add("# %s" % (d.title or "service configuration"))
    d.add("[server]")
    d.add('host = "0.0.0.0"')
    d.add("port = 8080")
    d.add("")
    d.add("[integrations]")
    for it in d.items:
        if it.role == "decoy" and it.style == "prose":
            d.add("# " + it.value, dmeta(it))
        elif it.role == "decoy" and it.style == "template":
            d.add('%s = "%s"' % (snake(it.name), template_value("toml", it.name, it.family, g)[0]), dmeta(it))
        elif it.role == "decoy":
            d.add("%s = %s" % (snake(it.name), json.dumps(it.value)), dmeta(it))
        else:
            d.add("%s = %s" % (snake(it.name), json.dumps(it.value)), smeta(it, it.value))


def b_properties(d: Doc, g: Gen):
    d.add("# %s" % (d.title or "production overrides"))
    d.add("server.port=8080")
    d.add("spring.application.name=ledger")
    for it in d.items:
        key = "acme.%s.%s" % (it.family, kebab(it.name))
        if it.role == "decoy" and it.style == "prose":
            d.add("# " + it.value, dmeta(it))
        elif it.role == "decoy" and it.style == "template":
            d.add("%s=${%s}" % (key, it.name), dmeta(it))
        elif it.role == "decoy":
            d.add("%s=%s" % (key, it.value), dmeta(it))
        else:
            d.add("%s=%s" % (key, it.value), smeta(it, it.value))
    d.add("management.endpoints.web.exposure.include=health,info")


def b_tf(d: Doc, g: Gen):
    if d.fmt == "tfvars":
        d.add("# %s" % (d.title or "production variables"))
        d.add('region      = "eu-west-1"')
        d.add('environment = "prod"')
        for it in d.items:
            if it.role == "decoy" and it.style == "prose":
                d.add("# " + it.value, dmeta(it))
            elif it.role == "decoy" and it.style == "template":
                d.add('%s = "%s"' % (snake(it.name), "op://Production/%s/credential" % TITLE[it.family].replace(" ", "-")),
                      dmeta(it))
            elif it.role == "decoy":
                d.add("%s = %s" % (snake(it.name), json.dumps(it.value)), dmeta(it))
            else:
                d.add("%s = %s" % (snake(it.name), json.dumps(it.value)), smeta(it, it.value))
        return
    d.add("terraform {")
    d.add('  required_version = ">= 1.6"')
    d.add("}")
    d.add("")
    d.add('resource "kubernetes_secret" "integrations" {')
    d.add("  metadata {")
    d.add('    name      = "integrations"')
    d.add('    namespace = "prod"')
    d.add("  }")
    d.add("  data = {")
    for it in d.items:
        if it.role == "decoy" and it.style == "prose":
            d.add("    # " + it.value, dmeta(it))
        elif it.role == "decoy" and it.style == "template":
            t, _ = template_value("tf", it.name, it.family, g)
            d.add("    %s = %s" % (snake(it.name), t), dmeta(it))
        elif it.role == "decoy":
            d.add("    %s = %s" % (snake(it.name), json.dumps(it.value)), dmeta(it))
        else:
            d.add("    %s = %s" % (snake(it.name), json.dumps(it.value)), smeta(it, it.value))
    d.add("  }")
    d.add("}")


def code_value(fmt: str, it: Item, g: Gen) -> str:
    n, v = it.name, it.value
    return {"py": '%s = "%s"' % (n, v),
            "js": 'export const %s = "%s";' % (camel(n), v),
            "ts": 'export const %s: string = "%s";' % (camel(n), v),
            "go": '\t%s = "%s"' % (camel(n), v),
            "java": '    private static final String %s = "%s";' % (n, v),
            "rb": '  config.%s = "%s"' % (snake(n), v),
            "php": "        '%s' => '%s'," % (snake(n), v)}[fmt]


def code_expr(fmt: str, it: Item, expr: str) -> str:
    n = it.name
    return {"py": "%s = %s" % (n, expr),
            "js": "export const %s = %s;" % (camel(n), expr),
            "ts": "export const %s: string = %s;" % (camel(n), expr),
            "go": "\t%s = %s" % (camel(n), expr),
            "java": "    private static final String %s = %s;" % (n, expr),
            "rb": "  config.%s = %s" % (snake(n), expr),
            "php": "        '%s' => %s," % (snake(n), expr)}[fmt]


def sdk_line(fmt: str, it: Item) -> str:
    call = it.spec.sdk[fmt].format(it.value)
    return {"py": "client = " + call, "js": "export const client = " + call + ";",
            "ts": "export const client = " + call + ";"}.get(fmt, call)


def b_code(d: Doc, g: Gen):
    fmt = d.fmt
    c = COMMENT[fmt]
    head, values, usage = [], [], []
    for it in d.items:
        if it.role == "decoy" and it.style == "prose":
            head.append(it)
        elif it.role == "decoy":
            values.append(it)
        else:
            st = secret_style(it, fmt, g)
            (usage if st == "usage" else values).append(it)
            it.note = st

    def emit_values(lines_prefix=None):
        for it in values:
            if it.role == "decoy":
                if it.style == "template":
                    t, is_expr = template_value(fmt, it.name, it.family, g)
                    d.add(code_expr(fmt, it, t if is_expr else json.dumps(t)), dmeta(it))
                else:
                    q = "'%s'" % it.value if fmt == "php" else json.dumps(it.value)
                    d.add(code_expr(fmt, it, q), dmeta(it))
            elif it.note == "sdk" and fmt in ("py", "js", "ts"):
                d.add(sdk_line(fmt, it), smeta(it, it.value))
            else:
                d.add(code_value(fmt, it, g), smeta(it, it.value))

    def emit_head():
        for it in head:
            d.add("%s %s" % (c, it.value), dmeta(it))

    if fmt == "py":
        d.add('"""%s"""' % (d.title or "Clients for the services we integrate with."))
        d.add("import os")
        d.add("")
        d.add("import requests")
        if any(it.note == "sdk" for it in values if it.role == "secret"):
            for it in values:
                if it.role == "secret" and it.note == "sdk":
                    mod = {"huggingface": "from huggingface_hub import login", "groq": "from groq import Groq",
                           "replicate": "import replicate", "cohere": "import cohere",
                           "mistral": "from mistralai import Mistral", "supabase": "from supabase import create_client",
                           "pinecone": "from pinecone import Pinecone"}.get(it.family)
                    if mod:
                        d.add(mod)
        d.add("")
        emit_head()
        d.add("TIMEOUT = 10")
        emit_values()
        if usage:
            d.add("")
            d.add("")
            d.add("def ping():")
            for it in usage:
                d.add("    " + usage_line(it, "py", g), smeta(it, it.value))
                d.add("    resp.raise_for_status()")
        return
    if fmt in ("js", "ts"):
        d.add("// %s" % (d.title or "clients for third-party services"))
        if any(it.role == "secret" and it.note == "sdk" for it in values):
            for it in values:
                if it.role == "secret" and it.note == "sdk":
                    mod = {"groq": 'import Groq from "groq-sdk";',
                           "supabase": 'import { createClient } from "@supabase/supabase-js";'}.get(it.family)
                    if mod:
                        d.add(mod)
        emit_head()
        d.add("export const TIMEOUT_MS = 10_000;")
        emit_values()
        if usage:
            d.add("")
            d.add("export async function ping()%s {" % (": Promise<void>" if fmt == "ts" else ""))
            for it in usage:
                d.add("  " + usage_line(it, fmt, g), smeta(it, it.value))
                d.add("  if (!res.ok) throw new Error(`ping failed: ${res.status}`);")
            d.add("}")
        return
    if fmt == "go":
        d.add("package %s" % g.pick(["notify", "clients", "integrations"]))
        d.add("")
        d.add('import (')
        d.add('\t"context"')
        d.add('\t"net/http"')
        d.add('\t"os"')
        d.add(")")
        d.add("")
        emit_head()
        consts = [it for it in values if not (it.role == "decoy" and it.style == "template")]
        vars_ = [it for it in values if it not in consts]
        values[:] = consts
        d.add("const (")
        emit_values()
        d.add(")")
        values[:] = vars_
        d.add("")
        d.add("var (")
        d.add('\tbaseURL = "https://api.acme.io"')
        emit_values()
        d.add(")")
        d.add("")
        d.add("func newRequest(ctx context.Context, url string) (*http.Request, error) {")
        d.add("\treq, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)")
        d.add("\tif err != nil {")
        d.add("\t\treturn nil, err")
        d.add("\t}")
        for it in usage:
            d.add(usage_line(it, "go", g), smeta(it, it.value))
        d.add("\t_ = os.Getenv")
        d.add("\treturn req, nil")
        d.add("}")
        return
    if fmt == "java":
        d.add("package com.acme.config;")
        d.add("")
        d.add("import java.net.URI;")
        d.add("import java.net.http.HttpRequest;")
        d.add("")
        emit_head()
        d.add("public final class ClientConfig {")
        emit_values()
        d.add("")
        d.add("    static HttpRequest ping(String url) {")
        d.add("        return HttpRequest.newBuilder(URI.create(url))")
        for it in usage:
            d.add(usage_line(it, "java", g), smeta(it, it.value))
        d.add("                .GET()")
        d.add("                .build();")
        d.add("    }")
        d.add("}")
        return
    if fmt == "rb":
        d.add("# frozen_string_literal: true")
        d.add("")
        emit_head()
        d.add("Integrations.configure do |config|")
        d.add("  config.timeout = 10")
        emit_values()
        d.add("end")
        if usage:
            d.add("")
            d.add("def ping(uri)")
            d.add("  req = Net::HTTP::Get.new(uri)")
            for it in usage:
                d.add(usage_line(it, "rb", g), smeta(it, it.value))
            d.add("  Net::HTTP.start(uri.host, uri.port, use_ssl: true) { |http| http.request(req) }")
            d.add("end")
        return
    if fmt == "php":
        d.add("<?php")
        d.add("")
        emit_head()
        d.add("return [")
        d.add("    'integrations' => [")
        emit_values()
        d.add("    ],")
        if usage:
            d.add("    'http' => [")
            d.add("            'headers' => [")
            for it in usage:
                d.add(usage_line(it, "php", g), smeta(it, it.value))
            d.add("            ],")
            d.add("    ],")
        d.add("];")
        return


def b_ipynb(d: Doc, g: Gen):
    """A notebook written line by line so that every planted value keeps its line number."""
    md_lines = [("# %s\n" % (d.title or "Exploration"), None), ("\n", None)]
    code_lines = [("import os\n", None), ("import requests\n", None)]
    for it in d.items:
        if it.role == "decoy" and it.style == "prose":
            md_lines.append((it.value + "\n", dmeta(it)))
        elif it.role == "decoy" and it.style == "template":
            t, _ = template_value("ipynb", it.name, it.family, g)
            code_lines.append(("%s = %s\n" % (it.name, t), dmeta(it)))
        elif it.role == "decoy":
            code_lines.append(('os.environ["%s"] = "%s"\n' % (it.name, it.value), dmeta(it)))
        else:
            st = secret_style(it, "ipynb", g)
            if st == "usage":
                code_lines.append((usage_line(it, "ipynb", g) + "\n", smeta(it, it.value)))
            elif st == "sdk":
                code_lines.append(("client = " + it.spec.sdk["ipynb"].format(it.value) + "\n", smeta(it, it.value)))
            else:
                code_lines.append(('os.environ["%s"] = "%s"\n' % (it.name, it.value), smeta(it, it.value)))
    code_lines.append(("print('ready')", None))
    md_lines[-1] = (md_lines[-1][0].rstrip("\n"), md_lines[-1][1])
    d.add("{")
    d.add(' "cells": [')
    for ci, (ctype, lines) in enumerate((("markdown", md_lines), ("code", code_lines))):
        d.add("  {")
        d.add('   "cell_type": "%s",' % ctype)
        if ctype == "code":
            d.add('   "execution_count": %d,' % g.between(1, 9))
        d.add('   "metadata": {},')
        if ctype == "code":
            d.add('   "outputs": [],')
        d.add('   "source": [')
        for i, (txt, m) in enumerate(lines):
            d.add("    " + json.dumps(txt) + ("," if i < len(lines) - 1 else ""), m)
        d.add("   ]")
        d.add("  }" + ("," if ci == 0 else ""))
    d.add(" ],")
    d.add(' "metadata": {')
    d.add('  "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},')
    d.add('  "language_info": {"name": "python", "version": "3.11.9"}')
    d.add(" },")
    d.add(' "nbformat": 4,')
    d.add(' "nbformat_minor": 5')
    d.add("}")


def b_ini(d: Doc, g: Gen):
    d.add("[default]")
    d.add("region = eu-west-1")
    for it in d.items:
        if it.role == "decoy" and it.style == "prose":
            d.add("; " + it.value, dmeta(it))
        elif it.role == "decoy" and it.style == "template":
            d.add("%s = %s" % (snake(it.name), template_value("ini", it.name, it.family, g)[0]), dmeta(it))
        elif it.role == "decoy":
            d.add("%s = %s" % (snake(it.name), it.value), dmeta(it))
        else:
            d.add("%s = %s" % (snake(it.name), it.value), smeta(it, it.value))


BUILDERS = {"env": b_env, "shell": b_shell, "md": b_md, "yaml": b_yaml, "ansible": b_yaml, "helm_values": b_yaml,
            "compose": b_compose, "k8s_secret": b_k8s, "k8s_secret_b64": b_k8s, "helm_tpl": b_helm_tpl,
            "gha": b_ci, "gitlab_ci": b_ci, "circleci": b_ci, "buildkite": b_ci, "json": b_json, "toml": b_toml,
            "properties": b_properties, "tf": b_tf, "tfvars": b_tf, "py": b_code, "js": b_code, "ts": b_code,
            "go": b_code, "java": b_code, "rb": b_code, "php": b_code, "ipynb": b_ipynb, "ini": b_ini}


# --------------------------------------------------------------------------- tool-specific files

def special_doc(it: Item, g: Gen) -> Doc | None:
    """Credential files with a fixed layout, for the families that have one."""
    fam, kind, v = it.family, it.kind, it.value
    key = (fam, kind)
    if key == ("pypi", "api_token"):
        d = Doc(".pypirc", "special", 1)
        for line in ("[distutils]", "index-servers =", "    pypi", "", "[pypi]", "repository = https://upload.pypi.org/legacy/",
                     "username = __token__"):
            d.add(line)
        d.add("pass" + "word = " + v, smeta(it, v))
        return d
    if key == ("rubygems", "api_key"):
        d = Doc(".gem/credentials", "special", 1)
        d.add("---")
        d.add(":rubygems_api_key: " + v, smeta(it, v))
        return d
    if key == ("dockerhub", "personal_access_token"):
        d = Doc(".docker/config.json", "special", 1)
        enc = b64s("acmeci:" + v)
        d.add("{")
        d.add('  "auths": {')
        d.add('    "https://index.docker.io/v1/": {')
        d.add('      "auth": "%s"' % enc, smeta(it, v, encoded=enc))
        d.add("    }")
        d.add("  },")
        d.add('  "credsStore": ""')
        d.add("}")
        return d
    if key == ("terraform", "api_token"):
        d = Doc(".terraformrc", "special", 1)
        d.add('plugin_cache_dir = "$HOME/.terraform.d/plugin-cache"')
        d.add("")
        d.add('credentials "app.terraform.io" {')
        d.add('  token = "%s"' % v, smeta(it, v))
        d.add("}")
        return d
    if key == ("gitlab", "runner_authentication_token"):
        d = Doc("ops/gitlab-runner/config.toml", "special", 1)
        for line in ("concurrent = 4", "check_interval = 0", "", "[[runners]]", '  name = "docker-runner-01"',
                     '  url = "https://gitlab.com"', '  id = %s' % g.digits(8)):
            d.add(line)
        d.add('  token = "%s"' % v, smeta(it, v))
        for line in ('  executor = "docker"', "  [runners.docker]", '    image = "alpine:3.20"', "    privileged = false"):
            d.add(line)
        return d
    if fam == "sonarqube":
        d = Doc("sonar-project.properties", "special", 1)
        d.add("sonar.projectKey=acme_platform-api")
        d.add("sonar.organization=acme")
        d.add("sonar.host.url=https://sonarqube.acme.internal")
        d.add("sonar.sources=src")
        d.add("sonar.token=" + v, smeta(it, v))
        return d
    if key == ("databricks", "personal_access_token"):
        d = Doc(".databrickscfg", "special", 1)
        d.add("[DEFAULT]")
        d.add("host  = https://adb-%s.11.azuredatabricks.net" % g.digits(16))
        d.add("token = " + v, smeta(it, v))
        return d
    if key == ("atlassian", "api_token"):
        d = Doc(".jira.d/config.yml", "special", 1)
        d.add("endpoint: https://acme.atlassian.net")
        d.add("user: ci-bot@acme.io")
        d.add("authentication-method: api-token")
        d.add("api-token: " + v, smeta(it, v))
        return d
    return None


# --------------------------------------------------------------------------- stacks

def stack_docs(stack: str, g: Gen) -> list[Doc]:
    D = Doc
    common = [D("README.md", "md", 3, "Getting started"), D("docs/runbooks/oncall.md", "md", 7, "On-call runbook"),
              D("docs/SECURITY.md", "md", 4, "Handling credentials", accepts=("decoy",))]
    if stack == "python":
        docs = [D(".env", "env", 9, "local and staging settings"), D(".env.example", "env", 7, "copy to .env",
                                                                      accepts=("decoy",)),
                D("app/settings.py", "py", 7, "Django settings for the integrations"),
                D("app/integrations/llm.py", "py", 5, "LLM providers"), D("app/integrations/notify.py", "py", 4),
                D("docker-compose.yml", "compose", 6), D("deploy/k8s/secret.yaml", "k8s_secret", 5),
                D("deploy/k8s/secret-data.yaml", "k8s_secret_b64", 4), D("deploy/helm/values.yaml", "helm_values", 5),
                D("deploy/helm/templates/secret.yaml", "helm_tpl", 4, accepts=("decoy",)),
                D(".github/workflows/deploy.yml", "gha", 5), D("scripts/smoke_test.sh", "shell", 6),
                D("notebooks/exploration.ipynb", "ipynb", 5, "Model evaluation"),
                D("tests/fixtures/settings.json", "json", 6), D("config/app.toml", "toml", 5)]
    elif stack == "node":
        docs = [D(".env.local", "env", 9, "next.js local env"), D(".env.sample", "env", 6, accepts=("decoy",)),
                D("src/lib/clients.ts", "ts", 7), D("src/server/notify.js", "js", 5),
                D("config/default.json", "json", 6), D(".gitlab-ci.yml", "gitlab_ci", 6),
                D("docker-compose.yml", "compose", 5), D("scripts/deploy.sh", "shell", 6),
                D("test/fixtures/tokens.json", "json", 6), D("k8s/values.yaml", "helm_values", 5),
                D("k8s/templates/secret.yaml", "helm_tpl", 3, accepts=("decoy",))]
    elif stack == "go":
        docs = [D("config/config.yaml", "yaml", 7), D("internal/notify/client.go", "go", 6),
                D("cmd/worker/main.go", "go", 4), D(".circleci/config.yml", "circleci", 6),
                D("deploy/terraform/main.tf", "tf", 5), D("deploy/terraform/prod.tfvars", "tfvars", 6),
                D("deploy/k8s/secret.yaml", "k8s_secret", 5), D("scripts/bootstrap.sh", "shell", 6),
                D(".env", "env", 7)]
    elif stack == "java":
        docs = [D("src/main/resources/application.yml", "yaml", 7),
                D("src/main/resources/application-prod.properties", "properties", 7),
                D("src/main/java/com/acme/config/ClientConfig.java", "java", 7),
                D(".buildkite/pipeline.yml", "buildkite", 6), D("gradle.properties", "properties", 4),
                D("docker-compose.yml", "compose", 5), D("helm/values-prod.yaml", "helm_values", 5),
                D("scripts/release.sh", "shell", 5)]
    elif stack == "rails":
        docs = [D(".env", "env", 8), D("config/initializers/integrations.rb", "rb", 7), D("config/settings.yml", "yaml", 6),
                D("lib/tasks/sync.rb", "rb", 4), D(".gitlab-ci.yml", "gitlab_ci", 5), D("bin/smoke", "shell", 5),
                D("config/deploy/secrets.yaml", "k8s_secret_b64", 4)]
    elif stack == "laravel":
        docs = [D(".env", "env", 9), D(".env.example", "env", 6, accepts=("decoy",)), D("config/services.php", "php", 8),
                D("app/Services/NotifyService.php", "php", 4), D(".github/workflows/deploy.yml", "gha", 5),
                D("docker-compose.yml", "compose", 5), D("scripts/deploy.sh", "shell", 5)]
    elif stack == "infra":
        docs = [D("terraform/providers.tf", "tf", 6), D("terraform/prod.tfvars", "tfvars", 7),
                D("ansible/group_vars/all.yml", "ansible", 7), D("k8s/base/secret.yaml", "k8s_secret", 6),
                D("k8s/base/secret-data.yaml", "k8s_secret_b64", 4), D("helm/values-prod.yaml", "helm_values", 6),
                D("scripts/bootstrap.sh", "shell", 7), D(".gitlab-ci.yml", "gitlab_ci", 5),
                D("ops/credentials.ini", "ini", 4)]
    else:  # data
        docs = [D("notebooks/01_ingest.ipynb", "ipynb", 6, "Ingest"), D("notebooks/02_embeddings.ipynb", "ipynb", 6, "Embeddings"),
                D("dags/sync_dag.py", "py", 6, "Airflow DAG for the nightly sync"), D("dbt/profiles.yml", "yaml", 5),
                D("config/pipeline.toml", "toml", 6), D(".env", "env", 8), D("scripts/backfill.sh", "shell", 5),
                D("docker-compose.yml", "compose", 4)]
    return docs + common


KIND_WEIGHT = {"public_id": 3, "template_ref": 2, "placeholder": 2, "test_fixture": 2}
STACKS = ["python", "node", "go", "java", "rails", "laravel", "infra", "data"]
NAMES = ["ledger", "atlas-api", "orchard", "beacon", "harbor", "quill", "nimbus", "relay", "sprocket", "tundra",
         "kestrel", "lumen"]

STATIC = {
    ".gitignore": "node_modules/\n__pycache__/\n*.pyc\n.venv/\ndist/\nbuild/\ntarget/\n.DS_Store\n",
    "LICENSE": "MIT License\n\nCopyright (c) 2024 Acme Corp\n",
    "CHANGELOG.md": "# Changelog\n\n## 2.3.0\n- Moved provider credentials to the secret manager.\n- Added retries to the notification client.\n",
}


# --------------------------------------------------------------------------- corpus

def assign(items: list[Item], docs: list[Doc], g: Gen, tree_specials: dict):
    """Put each item in a document that accepts it, preferring the tool-specific credential files."""
    extra: list[Doc] = []
    for it in items:
        if it.role == "secret" and g.chance(0.7):
            key = (it.family, it.kind) if it.family != "sonarqube" else ("sonarqube", "*")
            if key not in tree_specials:
                sd = special_doc(it, g)
                if sd is not None:
                    tree_specials[key] = sd
                    extra.append(sd)
                    continue
        ok = [d for d in docs if it.role in d.accepts and len(d.items) < d.cap
              and not (it.style == "prose" and d.fmt in ("json", "k8s_secret_b64"))
              and not (it.role == "decoy" and it.style == "template" and d.fmt == "json" and g.chance(0.5))]
        if not ok:
            ok = [d for d in docs if it.role in d.accepts and d.fmt in ("md", "env", "shell", "yaml", "toml")]
        g.pick(ok).items.append(it)
    return extra


def build_tree(idx: int, stack: str, secrets: list[Item], decoys: list[Item], g: Gen):
    docs = stack_docs(stack, g)
    items = secrets + decoys
    g.r.shuffle(items)
    total_cap = sum(d.cap for d in docs)
    scale = len(items) * 1.15 / total_cap
    if scale > 1:
        for d in docs:
            d.cap = int(d.cap * scale + 0.999)
    extra = assign(items, docs, g, {})
    suffixes = ["_STAGING", "_OLD", "_SECONDARY", "_EU", "_BACKUP", "_CI", "_DR", "_NEXT"]
    for d in docs:
        seen: set[str] = set()
        for it in d.items:
            if it.name in seen:
                it.name = next(it.name + sx for sx in suffixes if it.name + sx not in seen)
            seen.add(it.name)
        g.r.shuffle(d.items)
        if d.items:
            BUILDERS[d.fmt](d, g)
    return [d for d in docs if d.items] + extra


def make_secret(sp: Spec, g: Gen) -> Item:
    return Item("secret", sp.family, sp.kind, g.pick(sp.names), sp.gen(g), "value", sp)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="output directory (keep it in /tmp)")
    ap.add_argument("--trees", type=int, default=6)
    ap.add_argument("--seed", type=int, default=61)
    ap.add_argument("--per-tree", type=int, default=52, help="planted secrets per tree (about)")
    a = ap.parse_args(argv)
    out = os.path.abspath(a.out)
    if out == "/" or out == REPO or out.startswith(REPO + os.sep):
        print("error: write the corpus outside the repository (e.g. /tmp/prov61)", file=sys.stderr)
        return 2
    rng = random.Random(a.seed)
    g = Gen(rng)
    S = specs()

    # how many of each family: at least three (and every kind of it once), the rest by weight;
    # within a family the kinds take turns, the weightier ones more often
    fam_kinds: dict[str, list[int]] = {}
    for i, sp in enumerate(S):
        fam_kinds.setdefault(sp.family, []).append(i)
    fams = list(fam_kinds)
    counts = {f: max(3, len(fam_kinds[f])) for f in fams}
    fw = [sum(S[i].weight for i in fam_kinds[f]) / len(fam_kinds[f]) for f in fams]
    for _ in range(max(0, a.trees * a.per_tree - sum(counts.values()))):
        counts[rng.choices(fams, fw)[0]] += 1
    pool = []
    for f in fams:
        ks = fam_kinds[f][:]
        rng.shuffle(ks)
        order = ks + rng.choices(ks, [S[i].weight for i in ks], k=max(0, counts[f] - len(ks)))
        pool += order[:counts[f]]
    rng.shuffle(pool)
    per_tree: list[list[Item]] = [[] for _ in range(a.trees)]
    for j, i in enumerate(pool):
        per_tree[j % a.trees].append(make_secret(S[i], g))

    stacks = STACKS[:]
    rng.shuffle(stacks)
    if os.path.isdir(os.path.join(out, "trees")):
        shutil.rmtree(os.path.join(out, "trees"))
    os.makedirs(os.path.join(out, "trees"), exist_ok=True)
    truth, decoys_out = [], []
    for t in range(a.trees):
        stack = stacks[t % len(stacks)]
        name = "%02d-%s-%s" % (t + 1, stack, rng.choice(NAMES))
        secrets = per_tree[t]
        fams = sorted({it.family for it in secrets})
        cand: list[Item] = []
        for sp in S:
            if sp.family in fams and rng.random() < 0.8:
                cand += generic_decoys(sp, g)
        for f in fams:
            cand += public_decoys(f, g)
        cand += extra_public(g)
        rng.shuffle(cand)
        # round-robin over look-alike kinds, so that every kind is well represented
        by_kind: dict[str, list[Item]] = {}
        for it in cand:
            by_kind.setdefault(it.kind, []).append(it)
        need = int(len(secrets) * 1.25) + 4
        chosen: list[Item] = []
        kinds = [k for k in sorted(by_kind) for _ in range(KIND_WEIGHT.get(k, 1))]
        while len(chosen) < need and any(by_kind.values()):
            for k in kinds:
                if by_kind[k] and len(chosen) < need:
                    chosen.append(by_kind[k].pop())
        docs = build_tree(t, stack, secrets, chosen, g)
        root = os.path.join(out, "trees", name)
        for d in docs:
            p = os.path.join(root, d.path)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w", encoding="utf-8", newline="\n") as f:
                f.write("\n".join(r[0] for r in d.rows) + "\n")
            for i, (_, m) in enumerate(d.rows):
                if not m:
                    continue
                ln = i + 1
                if m["role"] == "secret":
                    e = {"tree": name, "path": d.path, "line": ln, "end_line": ln, "family": m["family"],
                         "kind": m["kind"], "secret": m["secret"]}
                    if m.get("back"):
                        e["first_line"] = ln - m["back"]
                    if m.get("encoded"):
                        e["encoded"] = m["encoded"]
                    truth.append(e)
                else:
                    decoys_out.append({"tree": name, "path": d.path, "line": ln, "end_line": ln, "kind": m["kind"],
                                       "family": m["family"]})
        for rel, text in STATIC.items():
            p = os.path.join(root, rel)
            with open(p, "w", encoding="utf-8") as f:
                f.write(text)
    fam_counts, kind_counts, dk = {}, {}, {}
    for e in truth:
        fam_counts[e["family"]] = fam_counts.get(e["family"], 0) + 1
        kind_counts[e["family"] + "/" + e["kind"]] = kind_counts.get(e["family"] + "/" + e["kind"], 0) + 1
    for e in decoys_out:
        dk[e["kind"]] = dk.get(e["kind"], 0) + 1
    manifest = {"generator": "bench/eval/independent/providers.py", "seed": a.seed, "trees": a.trees,
                "secrets": len(truth), "decoys": len(decoys_out), "providers": len(fam_counts),
                "families": dict(sorted(fam_counts.items())), "kinds": dict(sorted(kind_counts.items())),
                "decoy_kinds": dict(sorted(dk.items()))}
    with open(os.path.join(out, "truth.json"), "w") as f:
        json.dump(truth, f, indent=1)
    with open(os.path.join(out, "decoys.json"), "w") as f:
        json.dump(decoys_out, f, indent=1)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print("%s: %d trees, %d secrets (%d providers, %d kinds), %d look-alikes"
          % (out, a.trees, len(truth), len(fam_counts), len(kind_counts), len(decoys_out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
