#!/usr/bin/env python3
"""Regenerates the `regex` of the four assignment rules in generic.toml
(generic-secret, generic-secret-unquoted, generic-password,
generic-password-unquoted) from the named pieces below, so the long patterns
can be read and changed in one place. Everything else in generic.toml
(keywords, allow lists, examples) is edited by hand.

    python3 rules/generic_regex.py          # rewrite the four regexes
    python3 rules/generic_regex.py --check  # exit 1 if generic.toml is stale

The patterns are for the Rust `regex` crate on bytes (no look-around, no
back-references). Branches without a `secret` group are traps: the engine
skips a match whose `secret` group did not take part, so a trap that matches
first (leftmost-first) keeps a name like `SECRET_KEY_FILE` from being read as
`SECRET_KEY`.
"""
G = r"(?:^:?|[^A-Za-z0-9_.\-:]:?)"              # start of a name
C = r"[A-Za-z0-9_.\-]"                     # a name character
SW = (r"secret|token|api[_.\-]?key|apikey|credentials?|bearer|"
      r"(?:access|private|encryption|encrypt|signing|sign|master|auth|hmac|session|jwt|app|admin|service|account|client|shared|webhook|license|consumer|deploy|crypto|cipher)[_.\-]?key")
PW = r"passw(?:or)?d|passwd|pwd|passphrase"
N_SECRET = rf"{C}*(?:{SW}){C}*"
N_PASS = rf"(?:{C}*(?:{PW}){C}*|(?:{C}*[_.\-])?pass(?:[_.\-]{C}*)?)"
# Name endings that describe a secret rather than hold one: `_file`, `-url`,
# `.name` (after a separator, any case) or camelCase `File`, `Url`, `Name`.
ENDINGS = """
    file files path dir url uri endpoint host hostname port name type len length ttl expiry expires
    expiration lifetime timeout header prefix suffix field param parameter env var count limit size
    version label ref arn provider manager store backend mode algorithm alg format template pattern
    regex column table cookie schema min max enabled required hash hashed digest uuid guid policy
    location dest source src keyid key_id rule rules validator validators hint placeholder message
    msg text error reset confirm_url used last_used date time at on created updated modified changed
    rotated age days id default defaults
""".split()
CAMEL = "|".join(w.replace("_", "").capitalize() for w in ENDINGS) + "|ID|URL|URI|TTL"
TS = r"(?:[_.\-](?:" + "|".join(ENDINGS) + r")|(?-i:(?:" + CAMEL + ")))"
def trap_name(core):
    return (rf"{C}*(?:tokeniz|public|publishable|site[_.\-]?key|sitekey|page[_.\-]?token|pagetoken|next[_.\-]?token|"
            rf"nexttoken|csrf|xsrf|request[_.\-]?token|requesttoken|client[_.\-]?token|clienttoken|idempotency|"
            rf"continuation|action[_.\-]?token|update[_.\-]?token|sync[_.\-]?token|change[_.\-]?token|resume[_.\-]?token){C}*|"
            rf"{C}*(?:{core}){C}*?{TS}")
# password names that also hold a secret word are left to the secret rule
PASS_TRAP = rf"|{C}*(?:{PW}|pass){C}*(?:{SW}){C}*|{C}*(?:{SW}){C}*(?:{PW}|pass){C}*"
ANNOT = r"(?::[ \t]*&?(?:'static[ \t]+)?[A-Za-z_][A-Za-z0-9_.<>|?]*[ \t]*)?"
OP = r"(?:=|:=|:|=>|\?=|\|\|=?|\?\?=?)"
PFX = r"(?:[bBrRuUfF]{1,2})?"
Q = r"[\"'`]"

def quoted(n, core, mn, extra_trap='', strict=None):
    strict = strict or core
    tn = trap_name(core) + extra_trap
    val = rf"(?P<secret>[^\"'`\s\\]{{{mn},}})\\?{Q}"
    return ("(?im)(?:"
        # traps (no secret group: the engine skips them)
        rf"{G}\\?[\"']?(?:{tn})\\?[\"']?\]?[ \t]*{ANNOT}(?:{OP}|,)[ \t]*{PFX}\\?{Q}?[^\"'`\s,;\\]*"
        # assignments: name = "value", name: 'value', name := `value`, x || "value" ...
        rf"|(?:{G}\\?[\"']?(?:{n})\\?[\"']?\]?[ \t]*{ANNOT}{OP}"
        # "NAME", "value" (setdefault, getenv default, define, Map.of)
        rf"|[\"'](?:{C}*[_.\-]{C}*(?:{core}){C}*|{C}*(?:{core}){C}*[_.\-]{C}*|(?-i:[A-Z0-9_]*(?:{core.upper()})[A-Z0-9_]*))[\"'][ \t]*,"
        # <add key="Name" value="..."/>
        rf"|(?:key|name)=[\"'](?:{n})[\"'][ \t]+value="
        # setters and builders: setPassword("..."), withApiKey("..."), .token("...")
        rf"|(?-i:\b(?:set|with)|\.){C}*(?:{strict}){C}*\([ \t]*"
        # Kubernetes env: - name: X \n value: "..."
        rf"|name:[ \t]*[\"']?(?:{n})[\"']?[ \t]*\r?\n[ \t]*(?:-[ \t]*)?value:"
        rf")[ \t]*{PFX}\\?{Q}{val})")

def unquoted(n, core, mn, extra_trap=''):
    tn = trap_name(core) + extra_trap
    val = rf"(?P<secret>[^\s\"'`:;,<>(){{}}\[\]$#][^\s\"'`;,<>(){{}}\[\]]{{{mn-1},}})(?:[\s;\]}}<]|$)"
    lead = r"(?:^|[ \t;&|(])(?:export[ \t]+|set[ \t]+|(?:ENV|ARG)[ \t]+|-[ \t]+)?"
    return ("(?im)(?:"
        rf"{lead}(?:{tn})[ \t]*[:=][ \t]*[^\s\"'`]*"
        rf"|(?:{lead}(?:{n})[ \t]*[:=]"
        rf"|^[ \t]*(?:ENV|ARG)[ \t]+(?:{n})[ \t]"
        rf"|<(?:{n})>"
        rf"|name:[ \t]*[\"']?(?:{n})[\"']?[ \t]*\r?\n[ \t]*(?:-[ \t]*)?value:"
        rf")[ \t]*{val})")

R = {
 'SECRET_Q': quoted(N_SECRET, SW, 16), 'SECRET_U': unquoted(N_SECRET, SW, 16),
 'PASS_Q': quoted(N_PASS, PW + "|pass", 8, PASS_TRAP, PW), 'PASS_U': unquoted(N_PASS, PW + "|pass", 8, PASS_TRAP),
}

def main():
    import os, re, sys
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "generic.toml")
    text = open(path).read()
    ids = {"generic-secret": R["SECRET_Q"], "generic-secret-unquoted": R["SECRET_U"],
           "generic-password": R["PASS_Q"], "generic-password-unquoted": R["PASS_U"]}
    for rule_id, regex in ids.items():
        assert "'" * 3 not in regex
        q = "'" * 3
        pattern = re.compile(r'(id = "%s"\n(?:(?!\[\[rule\]\]).*\n)*?regex = )' % re.escape(rule_id) + q + ".*" + q + r"\n")
        text, n = pattern.subn(lambda m: m.group(1) + q + regex + q + "\n", text, count=1)
        assert n == 1, rule_id
    if "--check" in sys.argv:
        sys.exit(0 if text == open(path).read() else "generic.toml is out of date: run rules/generic_regex.py")
    open(path, "w").write(text)

if __name__ == "__main__":
    main()
