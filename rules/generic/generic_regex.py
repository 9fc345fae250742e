#!/usr/bin/env python3
"""Regenerates the `regex` of the four assignment rules in generic.toml
(generic-secret, generic-secret-unquoted, generic-password,
generic-password-unquoted) from the named pieces below, so the long patterns
can be read and changed in one place. Everything else in generic.toml
(keywords, allow lists, examples) is edited by hand.

    python3 rules/generic/generic_regex.py          # rewrite the four regexes
    python3 rules/generic/generic_regex.py --check  # exit 1 if generic.toml is stale

The patterns are for the Rust `regex` crate on bytes (no look-around, no
back-references). Branches without a `secret` group are traps: the engine
skips a match whose `secret` group did not take part, so a trap that matches
first (leftmost-first) keeps a name like `SECRET_KEY_FILE` from being read as
`SECRET_KEY`.
"""
# Start of a name. `\A`, not a multi-line `^`: the engine starts each search
# on the newline before its window, which the class then takes, and a DFA
# without line anchors is far smaller (and cheaper to build per thread).
# A name after `/` is the tail of a path-like key (`checksum/secrets`).
G = r"(?:\A:?|[^A-Za-z0-9_.\-:/]:?)"
C = r"[A-Za-z0-9_.\-]"                     # a name character
SW = (r"secret|token|api[_.\-]?key|apikey|credentials?|bearer|"
      r"(?:access|private|encryption|encrypt|signing|sign|master|auth|hmac|session|jwt|app|admin|service|account|client|shared|webhook|license|consumer|deploy|crypto|cipher|aes)[_.\-]?key")
PW = r"passw(?:or)?d|passwd|pwd|passphrase"
N_SECRET = rf"{C}*(?:{SW}){C}*"
# The secret rules' regexes take any name holding one of these words (a far
# smaller automaton than the list above, under `(?i)`); their `require_name`
# then keeps only N_SECRET names, and the engine goes on searching one byte
# after a match it drops, so the rules find what N_SECRET in place would.
SW_LOOSE = r"secret|token|credential|bearer|key"
N_SECRET_LOOSE = rf"{C}*(?:{SW_LOOSE}){C}*"
# `*_PASS`, `pass.*`, and camelCase `rabbitmqDefaultPass`
N_PASS = rf"(?:{C}*(?:{PW}){C}*|(?:{C}*[_.\-])?pass(?:[_.\-]{C}*)?|{C}*[a-z0-9](?-i:Pass))"
# Name endings that describe a secret rather than hold one: `_file`, `-url`,
# `.name` (after a separator, any case) or camelCase `File`, `Url`, `Name`.
ENDINGS = """
    file files path dir url uri endpoint host hostname port name type len length ttl expiry expires
    expiration lifetime timeout header prefix suffix field param parameter env var count limit size
    version label ref arn provider manager store backend mode algorithm alg format template pattern
    regex column table cookie schema min max enabled required hash hashed digest uuid guid policy
    location dest source src keyid key_id rule rules validator validators hint placeholder message
    msg text error reset confirm_url used last_used date time at on created updated modified changed
    rotated age days id default defaults sha1 sha256 sha512 md5 checksum fingerprint commit sha
    revision rev stage stages
""".split()
CAMEL = "|".join(w.replace("_", "").capitalize() for w in ENDINGS) + "|ID|URL|URI|TTL"
TS = r"(?:[_.\-](?:" + "|".join(ENDINGS) + r")|(?-i:(?:" + CAMEL + ")))"
# Variant suffixes after such an ending: `password_hash_algorithm_alt`,
# `secret_file_backup`, `token_ttl_v2`.
VARIANTS = r"(?:[_.\-](?:alt|backup|bak|old|new|legacy|secondary|primary|prev|previous|next|current|fallback|v?\d+|us|eu|ap|uk|prod|production|dev|staging|stage|local|ci))*"
def trap_name(core):
    return (rf"{C}*(?:tokeniz|public|publishable|search[_.\-]?only|storefront|site[_.\-]?key|sitekey|page[_.\-]?token|pagetoken|next[_.\-]?token|"
            rf"nexttoken|csrf|xsrf|request[_.\-]?token|requesttoken|client[_.\-]?token|clienttoken|idempotency|"
            rf"continuation|action[_.\-]?token|update[_.\-]?token|sync[_.\-]?token|change[_.\-]?token|resume[_.\-]?token){C}*|"
            rf"{C}*(?:{core}){C}*?{TS}{VARIANTS}")
# password names that also hold a secret word are left to the secret rule
PASS_TRAP = rf"|{C}*(?:{PW}|pass){C}*(?:{SW}){C}*|{C}*(?:{SW}){C}*(?:{PW}|pass){C}*"
ANNOT = r"(?::[ \t]*&?(?:'static[ \t]+)?\[?[A-Za-z_][A-Za-z0-9_.<>|?\]]*[ \t]*)?"
OP = r"(?:=|:=|:|=>|\?=|\|\|=?|\?\?=?)"
PFX = r"(?:[bBrRuUfF]{1,2})?"
Q = r"[\"'`]"

class Names:
    """Numbers the `name` groups of one regex (`name1`, `name2`, ...): the
    engine tests every group whose name starts with `name` against the rule's
    `allow_name` regexes."""
    def __init__(self):
        self.n = 0
    def __call__(self, pattern):
        self.n += 1
        return rf"(?P<name{self.n}>{pattern})"

def quoted(n, core, mn, strict=None):
    strict = strict or core
    name = Names()
    val = rf"(?P<secret>[^\"'`\s\\]{{{mn},}})\\?{Q}"
    listed = rf"{C}*[_.\-]{C}*(?:{core}){C}*|{C}*(?:{core}){C}*[_.\-]{C}*|(?-i:[A-Z0-9_]*(?:{core.upper()})[A-Z0-9_]*)"
    setter = rf"{C}*(?:{strict}){C}*"
    return ("(?i)(?:"
        # assignments: name = "value", name: 'value', name := `value`, x || "value" ...
        rf"(?:{G}\\?[\"']?{name(n)}\\?[\"']?\]?[ \t]*{ANNOT}{OP}"
        # "NAME", "value" (setdefault, getenv default, define, Map.of)
        rf"|[\"']{name(listed)}[\"'][ \t]*,"
        # <add key="Name" value="..."/>, {"key": "X-Api-Key", "value": "..."} (Postman, Insomnia)
        rf"|(?:key|name)[\"']?[ \t]*[=:][ \t]*[\"']{name(n)}[\"'][ \t]*,?[ \t]*[\"']?value[\"']?[ \t]*[=:]"
        # setters and builders: setPassword("..."), withApiKey("..."), .token("...")
        rf"|(?-i:\b(?:set|with)|\.){name(setter)}\([ \t]*"
        # Kubernetes env: - name: X \n value: "..."
        rf"|name:[ \t]*[\"']?{name(n)}[\"']?[ \t]*\r?\n[ \t]*(?:-[ \t]*)?value:"
        # Terraform: variable "name" {{ type = string  default = "..." }}
        rf"|\bvariable[ \t]+\"{name(n)}\"[ \t]*\{{[^}}]*?\bdefault[ \t]*="
        # Go byte-slice conversions: signingKey = []byte("...")
        # Gradle buildConfigField("String", "NAME", "\"value\""): a quoted quote
        rf")[ \t]*(?:\[\]byte\()?{PFX}(?:{Q}\\)?\\?{Q}{val})")

def unquoted(n, core, mn):
    name = Names()
    # Brackets may follow the first character (Django keys hold `(` and `)`);
    # calls such as `make_password(raw)` are left to the `generic_value` validator.
    val = rf"(?P<secret>[^\s\"'`:;,<>(){{}}\[\]$#][^\s\"'`;,<>{{}}\[\]]{{{mn-1},}})(?:[\s;\]}}<]|$)"
    lead = r"(?:^|[ \t;&|(])(?:export[ \t]+|set[ \t]+|(?:ENV|ARG)[ \t]+|-[ \t]+)?"
    return ("(?im)(?:"
        rf"(?:{lead}{name(n)}[ \t]*[:=]"
        rf"|^[ \t]*(?:ENV|ARG)[ \t]+{name(n)}[ \t]"
        # Apple property lists: <key>ApiSecret</key> <string>...</string> (same or next line);
        # before `<name>`, which would read `<key>` as a name and the key as its value
        rf"|<key>{name(n)}</key>[ \t]*\r?\n?[ \t]*<string>"
        rf"|<{name(n)}>"
        # Android resources and XML settings: <string name="api_secret">...</string>
        rf"|<(?:string|item|entry|property|setting)[ \t]+name=[\"']{name(n)}[\"'][^>\n]*>"
        rf"|name:[ \t]*[\"']?{name(n)}[\"']?[ \t]*\r?\n[ \t]*(?:-[ \t]*)?value:"
        # YAML block scalar: the value on the next line (`key: >-`, `key: |`)
        rf")[ \t]*(?:[|>][-+]?[ \t]*\r?\n[ \t]+)?{val})")

def allow_names(core, extra_trap=''):
    """Names that describe a secret rather than hold one (whole-name match)."""
    return [rf"(?i)^(?:{trap_name(core)}{extra_trap})$"]

R = {
 'SECRET_Q': quoted(N_SECRET_LOOSE, SW, 16), 'SECRET_U': unquoted(N_SECRET_LOOSE, SW, 16),
 'PASS_Q': quoted(N_PASS, PW + "|pass", 8, PW), 'PASS_U': unquoted(N_PASS, PW + "|pass", 8),
}
# Shopify's "API key" is an app's public client id (its secret is the "API
# secret key"): `SHOPIFY_API_KEY` names no secret.
SHOPIFY_TRAP = rf"|(?:{C}*[_.\-])?shopify[_.\-]?api[_.\-]?key"
ALLOW = {
 'SECRET': allow_names(SW, SHOPIFY_TRAP), 'PASS': allow_names(PW + "|pass", PASS_TRAP),
}
REQUIRE = {'SECRET': [rf"(?i)^{N_SECRET}$"], 'PASS': []}

def main():
    import os, re, sys
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "generic.toml")
    text = open(path).read()
    ids = {"generic-secret": ("SECRET_Q", "SECRET"), "generic-secret-unquoted": ("SECRET_U", "SECRET"),
           "generic-password": ("PASS_Q", "PASS"), "generic-password-unquoted": ("PASS_U", "PASS")}
    q = "'" * 3
    for rule_id, (rkey, akey) in ids.items():
        regex = R[rkey]
        allow = "allow_name = [" + ", ".join(q + a + q for a in ALLOW[akey]) + "]\n"
        if REQUIRE[akey]:
            allow += "require_name = [" + ", ".join(q + a + q for a in REQUIRE[akey]) + "]\n"
        assert q not in regex
        pattern = re.compile(r'(id = "%s"\n(?:(?!\[\[rule\]\]).*\n)*?regex = )' % re.escape(rule_id) + q + ".*" + q + r"\n(?:allow_name = .*\n)?(?:require_name = .*\n)?")
        text, n = pattern.subn(lambda m: m.group(1) + q + regex + q + "\n" + allow, text, count=1)
        assert n == 1, rule_id
    if "--check" in sys.argv:
        sys.exit(0 if text == open(path).read() else "generic.toml is out of date: run rules/generic_regex.py")
    open(path, "w").write(text)

if __name__ == "__main__":
    main()
