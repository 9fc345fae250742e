#!/usr/bin/env python3
"""Independent hold-out corpus generator for secret scanners (stdlib only, deterministic).

  python3 gen.py --out DIR --trees N --seed S

Writes DIR/trees/<tree>/..., DIR/truth.json, DIR/decoys.json, DIR/manifest.json and then
re-reads every file to check that each planted secret / decoy sits on its recorded line(s).
Each tree is a small monorepo made of two stacks (root stack + one in a sub-directory).
"""
import argparse, base64, collections, json, os, random, shutil, string, struct, textwrap, uuid, zlib

R = random.Random(0)
LO, UP, DG = string.ascii_lowercase, string.ascii_uppercase, string.digits
AL = LO + UP + DG
HX = '0123456789abcdef'
SYM = '!@%^*-_+=.?~'
B64U = AL + '-_'


def rs(n, cs=AL): return ''.join(R.choice(cs) for _ in range(n))
def rb(n): return bytes(R.getrandbits(8) for _ in range(n))
def hx(n): return rs(n, HX)
def pick(xs): return R.choice(xs)
def dig(n): return str(R.randint(1, 9)) + rs(n - 1, DG)
def b64(b): return base64.b64encode(b).decode()
def b64u(b, pad=True):
    s = base64.urlsafe_b64encode(b).decode()
    return s if pad else s.rstrip('=')
def uid(): return str(uuid.UUID(int=R.getrandbits(128), version=4))
def D(s): return textwrap.dedent(s).strip('\n')
def wpick(pairs):
    tot = sum(w for _, w in pairs); x = R.uniform(0, tot)
    for k, w in pairs:
        x -= w
        if x <= 0: return k
    return pairs[-1][0]


B62 = DG + UP + LO
def b62(n, w=6):
    s = ''
    while n:
        n, r = divmod(n, 62); s = B62[r] + s
    return s.rjust(w, '0')
def crc_tok(prefix):  # GitHub / npm style: 30 random base62 + 6-char base62 CRC32 checksum
    body = rs(30); return prefix + body + b62(zlib.crc32(body.encode()))


WORDS = ['Falcon', 'Maple', 'Quartz', 'Harbor', 'Copper', 'Nimbus', 'Juniper', 'Orbit', 'Cobalt', 'Velvet',
         'Tundra', 'Saffron', 'Glacier', 'Ember', 'Lantern', 'Willow', 'Marble', 'Pepper', 'Zephyr', 'Canyon']
def pw_human(cs=SYM):
    return (pick(WORDS) + pick(cs) + str(R.randint(10, 9999)) + pick(cs) + pick(WORDS).lower() + pick(cs)
            + rs(3, UP + DG))
def pw_rand(n=None, cs=AL + SYM): return rs(n or R.randint(18, 30), cs)
def dbpw(): return pick([lambda: rs(R.randint(16, 32)), lambda: pw_human('-_.~!*'), lambda: pw_rand(24, AL + '-_.~')])()


# ---------------------------------------------------------------- key material
def wrap(s, n=64): return [s[i:i + n] for i in range(0, len(s), n)]
def sshstr(b): return struct.pack('>I', len(b)) + b

def pem_key(typ):
    """Random private key in a realistic DER layout. Returns (kind, lines)."""
    H = bytes.fromhex
    if typ == 'rsa':
        hdr, der = 'RSA PRIVATE KEY', H('308204a40201000282010100') + rb(1180)
    elif typ == 'pkcs8':
        hdr = 'PRIVATE KEY'
        der = H('308204be020100300d06092a864886f70d0101010500048204a8308204a40201000282010100') + rb(1180)
    elif typ == 'ec':
        hdr = 'EC PRIVATE KEY'
        der = H('30770201010420') + rb(32) + H('a00a06082a8648ce3d030107a14403420004') + rb(64)
    elif typ == 'ed25519':
        hdr, der = 'PRIVATE KEY', H('302e020100300506032b657004220420') + rb(32)
    elif typ == 'encrypted':
        hdr = 'ENCRYPTED PRIVATE KEY'
        der = (H('3082051c304e06092a864886f70d01050d3041302906092a864886f70d01050c301c0408') + rb(8)
               + H('02020800300c06082a864886f70d02090500301406082a864886f70d03070408') + rb(8)
               + H('048204c8') + rb(1224))
    else:  # openssh ed25519
        pk, sk, chk = rb(32), rb(32), rb(4)
        pub = sshstr(b'ssh-ed25519') + sshstr(pk)
        priv = chk + chk + pub + sshstr(sk + pk) + sshstr(pick([b'deploy@ci', b'ops@bastion', b'jenkins@build']))
        priv += bytes(range(1, 1 + (-len(priv)) % 8))
        blob = (b'openssh-key-v1\0' + sshstr(b'none') + sshstr(b'none') + sshstr(b'') + struct.pack('>I', 1)
                + sshstr(pub) + sshstr(priv))
        return 'openssh_private_key', (['-----BEGIN OPENSSH PRIVATE KEY-----'] + wrap(b64(blob), 70)
                                       + ['-----END OPENSSH PRIVATE KEY-----'])
    kind = {'rsa': 'rsa_private_key', 'pkcs8': 'pkcs8_private_key', 'ec': 'ec_private_key',
            'ed25519': 'pkcs8_ed25519_private_key', 'encrypted': 'encrypted_private_key'}[typ]
    return kind, [f'-----BEGIN {hdr}-----'] + wrap(b64(der)) + [f'-----END {hdr}-----']

def pub_pem():
    der = bytes.fromhex('30820122300d06092a864886f70d01010105000382010f003082010a0282010100') + rb(256) + \
        bytes.fromhex('0203010001')
    return ['-----BEGIN PUBLIC KEY-----'] + wrap(b64(der)) + ['-----END PUBLIC KEY-----']

def ssh_pub(comment):
    if R.random() < 0.5:
        return 'ssh-ed25519 ' + b64(sshstr(b'ssh-ed25519') + sshstr(rb(32))) + ' ' + comment
    return 'ssh-rsa ' + b64(sshstr(b'ssh-rsa') + sshstr(b'\x01\x00\x01') + sshstr(b'\x00' + rb(256))) + ' ' + comment

def jwt():
    alg = pick(['HS256', 'HS256', 'RS256', 'HS512', 'ES256'])
    hdr = {'alg': alg, 'typ': 'JWT'}
    if alg != 'HS256' and R.random() < 0.6: hdr['kid'] = hx(16)
    now = R.randint(1690000000, 1735000000)
    pl = {'sub': pick(['svc-billing', 'svc-orders', 'ci-deployer', 'reporting-worker', uid()]),
          'iss': pick(['https://auth.internal', 'api-gateway', 'https://login.example-corp.net']),
          'iat': now, 'exp': now + pick([86400 * 365, 86400 * 90, 86400 * 730])}
    if R.random() < 0.5: pl['scope'] = pick(['orders:read orders:write', 'admin', 'reports:read'])
    sig = rb({'HS256': 32, 'HS512': 64, 'RS256': 256, 'ES256': 64}[alg])
    enc = lambda o: b64u(json.dumps(o, separators=(',', ':')).encode(), False)
    return enc(hdr) + '.' + enc(pl) + '.' + b64u(sig, False)

def fernet_token():
    raw = b'\x80' + struct.pack('>Q', R.randint(1690000000, 1735000000)) + rb(16) + rb(16 * R.randint(1, 4)) + rb(32)
    return b64u(raw)

def bcrypt_hash(): return pick(['$2b$12$', '$2a$10$', '$2y$10$']) + rs(53, './' + AL)
def argon_hash():
    return '$argon2id$v=19$m=65536,t=3,p=4$' + b64(rb(16)).rstrip('=') + '$' + b64(rb(32)).rstrip('=')
def integrity(): return 'sha512-' + b64(rb(64))
def png_b64(): return 'data:image/png;base64,' + b64(bytes.fromhex('89504e470d0a1a0a0000000d49484452') + rb(R.randint(60, 150)))


# ---------------------------------------------------------------- planted secrets
def E(w, v, fam=None, kind=None, **kw):
    d = dict(w=w, v=v, fam=fam, kind=kind, sec=v); d.update(kw); return d

GEN = [
    ('django_secret_key', ['django', 'secret', 'key'], lambda: rs(50, LO + DG + '!@%^*(-_=+)')),
    ('jwt_secret', ['jwt', 'secret'], lambda: b64(rb(48))),
    ('secret_key_base', ['secret', 'key', 'base'], lambda: hx(128)),
    ('app_secret', ['app', 'secret'], lambda: hx(32)),
    ('partner_api_key', ['partner', 'api', 'key'], lambda: rs(40)),
    ('oauth_client_secret', ['oauth', 'client', 'secret'], lambda: rs(pick([32, 40, 48]), AL + '-_.~')),
    ('admin_password', ['admin', 'password'], pw_human),
    ('db_password', ['db', 'password'], pw_rand),
    ('auth_token', ['internal', 'auth', 'token'], lambda: hx(64)),
    ('webhook_signing_key', ['webhook', 'signing', 'key'], lambda: b64u(rb(32), False)),
    ('hmac_secret', ['hmac', 'secret'], lambda: b64(rb(32))),
    ('session_secret', ['session', 'secret'], lambda: rs(64, B64U)),
    ('smtp_password', ['smtp', 'password'], pw_human),
    ('mailgun_api_key', ['mailgun', 'api', 'key'], lambda: 'key-' + hx(32)),
    ('datadog_api_key', ['datadog', 'api', 'key'], lambda: hx(32)),
    ('redis_password', ['redis', 'password'], lambda: pw_rand(32, AL)),
    ('keystore_password', ['keystore', 'password'], pw_human),
    ('rabbitmq_password', ['rabbitmq', 'password'], pw_rand),
    ('aes_key', ['aes', 'encryption', 'key'], lambda: hx(64)),
    ('basic_auth_password', ['basic', 'auth', 'password'], pw_human),
    ('ldap_bind_password', ['ldap', 'bind', 'password'], pw_human),
    ('cookie_secret', ['cookie', 'secret'], lambda: b64(rb(32))),
]

DBHOSTS = ['db.prod.internal', 'orders-db.c9x2k1lmq8zt.eu-west-1.rds.amazonaws.com', '10.0.3.17',
           'pg-primary.data.svc.cluster.local', 'mysql-01.dc2.corp.net', 'sql-prod-weu.database.windows.net']
DBUSERS = ['app', 'svc_orders', 'billing', 'api_user', 'admin', 'postgres', 'root', 'analytics', 'sa']
DBNAMES = ['orders', 'billing', 'app_production', 'ledger', 'inventory', 'crm']

def db_value(style):
    u, p, h, d = pick(DBUSERS), dbpw(), pick(DBHOSTS), pick(DBNAMES)
    if style == 'jdbc':
        return pick([
            (['datasource', 'url'], f'jdbc:postgresql://{h}:5432/{d}?user={u}&password={p}&sslmode=require', 'jdbc_url'),
            (['datasource', 'url'], f'jdbc:mysql://{h}:3306/{d}?user={u}&password={p}&useSSL=true', 'jdbc_url'),
            (['jdbc', 'url'], f'jdbc:sqlserver://{h}:1433;databaseName={d};user={u};password={p};encrypt=true', 'jdbc_url'),
            (['database', 'url'], f'postgres://{u}:{p}@{h}:5432/{d}', 'postgres_url')])
    if style == 'ado':
        return pick([
            (['reporting', 'db', 'connection'], f'Server=tcp:{h},1433;Initial Catalog={d};Persist Security Info=False;'
             f'User ID={u};Password={p};Encrypt=True;', 'ado_connection_string'),
            (['readonly', 'connection'], f'Host={h};Port=5432;Database={d};Username={u};Password={p}', 'npgsql_connection_string'),
            (['redis', 'connection'], f'{h}:6380,password={p},ssl=True,abortConnect=False', 'redis_connection_string')])
    if style == 'ecto' and R.random() < 0.6:
        return (['database', 'url'], f'ecto://{u}:{p}@{h}/{d}', 'ecto_url')
    s = pick(['postgres', 'postgresql', 'postgresql+asyncpg', 'mysql', 'mongodb+srv', 'redis', 'rediss', 'amqp',
              'amqps', 'mssql+pyodbc'])
    w = {'redis': ['redis', 'url'], 'rediss': ['redis', 'url'], 'amqp': ['broker', 'url'], 'amqps': ['rabbitmq', 'url'],
         'mongodb+srv': ['mongo', 'uri'], 'mssql+pyodbc': ['sqlalchemy', 'database', 'uri']}.get(s, ['database', 'url'])
    if s.startswith('redis'):
        v = f'{s}://{pick(["", "default"])}:{p}@{pick(["cache.prod.internal", "redis-master.cache.svc"])}:{pick([6379, 6380])}/0'
    elif s.startswith('amqp'):
        v = f'{s}://{u}:{p}@{pick(["mq.prod.internal", "b-3f1c.mq.eu-west-1.amazonaws.com"])}:{5671 if s == "amqps" else 5672}/{pick(["%2f", "prod"])}'
    elif s == 'mongodb+srv':
        v = f'mongodb+srv://{u}:{p}@cluster0.{rs(5, LO + DG)}.mongodb.net/{d}?retryWrites=true&w=majority'
    elif s == 'mssql+pyodbc':
        v = f'mssql+pyodbc://{u}:{p}@{h}:1433/{d}?driver=ODBC+Driver+18+for+SQL+Server'
    else:
        v = f'{s}://{u}:{p}@{h}:{3306 if s == "mysql" else 5432}/{d}'
    return w, v, s.replace('+', '_').replace('postgresql', 'postgres') + '_url'

def plant(fam, db='url'):
    """A group of entries (words, value) for one planted family; neutral entries have fam None."""
    if fam == 'stripe':
        k = pick(['sk_live', 'sk_live', 'rk_live', 'sk_test', 'whsec'])
        if k == 'whsec': return [E(['stripe', 'webhook', 'secret'], 'whsec_' + rs(32), fam, 'stripe_webhook_secret')]
        body = pick([rs(24), '51' + rs(97)])
        w = {'sk_live': pick([['stripe', 'secret', 'key'], ['stripe', 'api', 'key']]), 'rk_live': ['stripe', 'restricted', 'key'],
             'sk_test': ['stripe', 'test', 'secret', 'key']}[k]
        return [E(w, k + '_' + body, fam, {'sk_live': 'stripe_live_secret', 'rk_live': 'stripe_restricted_key',
                                           'sk_test': 'stripe_test_secret'}[k])]
    if fam == 'aws':
        kid = pick(['AKIA', 'AKIA', 'ASIA']) + rs(16, UP + '234567')
        out = [E(['aws', 'access', 'key', 'id'], kid, fam, 'aws_access_key_id'),
               E(['aws', 'secret', 'access', 'key'], rs(40, AL + '/+'), fam, 'aws_secret_access_key')]
        if kid.startswith('ASIA'):
            out.append(E(['aws', 'session', 'token'], 'IQoJb3JpZ2luX2Vj' + b64(rb(R.randint(250, 300))), fam, 'aws_session_token'))
        return out
    if fam == 'jwt':
        return [E(pick([['service', 'auth', 'token'], ['api', 'bearer', 'token'], ['internal', 'service', 'jwt'],
                        ['admin', 'access', 'token'], ['reporting', 'api', 'token']]), jwt(), fam, 'jwt_bearer_token')]
    if fam == 'fernet':
        if R.random() < 0.7:
            return [E(pick([['fernet', 'key'], ['encryption', 'key'], ['field', 'encryption', 'key'],
                            ['token', 'encryption', 'key']]), b64u(rb(32)), fam, 'fernet_key')]
        return [E(pick([['encrypted', 'db', 'password'], ['encrypted', 'api', 'credentials']]), fernet_token(), fam, 'fernet_token')]
    if fam == 'private_key':
        kind, lines = pem_key(pick(['rsa', 'rsa', 'pkcs8', 'ec', 'ed25519', 'encrypted', 'openssh', 'openssh']))
        w = pick([['deploy', 'key'], ['ssh', 'private', 'key'], ['git', 'deploy', 'key']]) if kind.startswith('openssh') else \
            pick([['jwt', 'private', 'key'], ['tls', 'private', 'key'], ['signing', 'key'], ['saml', 'sp', 'private', 'key']])
        return [E(w, None, fam, kind, sec='\n'.join(lines), pem=lines)]
    if fam == 'database':
        w, v, kind = db_value(db); return [E(w, v, fam, kind)]
    if fam == 'github':
        p = pick(['ghp_', 'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_', 'github_pat_'])
        v = 'github_pat_' + rs(22) + '_' + rs(59) if p == 'github_pat_' else crc_tok(p)
        w = {'ghp_': ['github', 'token'], 'gho_': ['github', 'oauth', 'token'], 'ghu_': ['github', 'user', 'token'],
             'ghs_': ['github', 'app', 'token'], 'ghr_': ['github', 'refresh', 'token'], 'github_pat_': ['gh', 'pat']}[p]
        return [E(w, v, fam, 'github_' + p.strip('_'))]
    if fam == 'slack':
        k = pick(['bot', 'bot', 'user', 'app', 'webhook', 'webhook'])
        if k == 'bot': return [E(['slack', 'bot', 'token'], f'xoxb-{dig(12)}-{dig(13)}-{rs(24)}', fam, 'slack_bot_token')]
        if k == 'user': return [E(['slack', 'user', 'token'], f'xoxp-{dig(12)}-{dig(12)}-{dig(13)}-{hx(32)}', fam, 'slack_user_token')]
        if k == 'app': return [E(['slack', 'app', 'token'], f'xapp-1-A{rs(10, UP + DG)}-{dig(13)}-{hx(64)}', fam, 'slack_app_token')]
        return [E(['slack', 'webhook', 'url'], f'https://hooks.slack.com/services/T{rs(8, UP + DG)}/B{rs(10, UP + DG)}/{rs(24)}',
                  fam, 'slack_webhook')]
    if fam == 'google':
        if R.random() < 0.65:
            return [E(pick([['google', 'maps', 'api', 'key'], ['firebase', 'api', 'key'], ['google', 'api', 'key'],
                            ['places', 'api', 'key']]), 'AIza' + rs(35, B64U), fam, 'google_api_key')]
        cid = f'{dig(12)}-{rs(32, LO + DG)}.apps.googleusercontent.com'
        return [dict(w=['google', 'client', 'id'], v=cid, dk='public_client_id'),
                E(['google', 'client', 'secret'], 'GOCSPX-' + rs(28, B64U), fam, 'google_oauth_client_secret')]
    if fam == 'openai':
        k = pick(['proj', 'proj', 'legacy', 'svc'])
        v = {'proj': 'sk-proj-' + rs(74, B64U) + 'T3BlbkFJ' + rs(74, B64U), 'legacy': 'sk-' + rs(20) + 'T3BlbkFJ' + rs(20),
             'svc': 'sk-svcacct-' + rs(74, B64U) + 'T3BlbkFJ' + rs(74, B64U)}[k]
        return [E(['openai', 'api', 'key'], v, fam, 'openai_' + k + '_key')]
    if fam == 'anthropic':
        if R.random() < 0.75:
            return [E(['anthropic', 'api', 'key'], 'sk-ant-api03-' + rs(93, B64U) + 'AA', fam, 'anthropic_api_key')]
        return [E(['anthropic', 'admin', 'key'], 'sk-ant-admin01-' + rs(93, B64U) + 'AA', fam, 'anthropic_admin_key')]
    if fam == 'twilio':
        if R.random() < 0.6:
            return [E(['twilio', 'account', 'sid'], 'AC' + hx(32)), E(['twilio', 'auth', 'token'], hx(32), fam, 'twilio_auth_token')]
        return [E(['twilio', 'api', 'key', 'sid'], 'SK' + hx(32)), E(['twilio', 'api', 'secret'], rs(32), fam, 'twilio_api_secret')]
    if fam == 'sendgrid':
        return [E(['sendgrid', 'api', 'key'], 'SG.' + rs(22, B64U) + '.' + rs(43, B64U), fam, 'sendgrid_api_key')]
    if fam == 'heroku':
        return [E(['heroku', 'api', 'key'], uid(), fam, 'heroku_api_key')]
    if fam == 'sentry':
        if R.random() < 0.7:
            v = f'https://{hx(32)}:{hx(32)}@o{dig(6)}.ingest.sentry.io/{dig(7)}'
        else:
            v = f'https://{hx(32)}:{hx(32)}@{pick(["sentry.io", "sentry.ops.internal"])}/{dig(pick([3, 6]))}'
        return [E(['sentry', 'dsn'], v, fam, 'sentry_dsn_with_secret')]
    if fam == 'npm':
        return [E(['npm', 'token'], crc_tok('npm_'), fam, 'npm_access_token')]
    kind, w, fn = pick(GEN)
    return [E(w, fn(), 'generic', kind)]


# ---------------------------------------------------------------- decoys rendered as key/value pairs
SN = [['stripe', 'secret', 'key'], ['db', 'password'], ['api', 'token'], ['jwt', 'secret'], ['github', 'token'],
      ['slack', 'bot', 'token'], ['openai', 'api', 'key'], ['sendgrid', 'api', 'key'], ['aws', 'secret', 'access', 'key'],
      ['oauth', 'client', 'secret'], ['encryption', 'key'], ['smtp', 'password'], ['twilio', 'auth', 'token'],
      ['redis', 'password'], ['anthropic', 'api', 'key'], ['npm', 'token'], ['session', 'secret'], ['webhook', 'secret'],
      ['admin', 'password'], ['sentry', 'dsn'], ['signing', 'key'], ['heroku', 'api', 'key']]
PH = ['your-api-key-here', '<SECRET>', 'changeme', 'xxxxxxxxxxxxxxxxxxxx', 'REPLACE_ME', '<insert-token-here>', 'TODO',
      'dummy-value', 'your_password_here', '<password>', 'CHANGE_ME_IN_PROD', 'put-your-secret-here', 'example-token', 'set-in-vault']
PH_SPEC = [(['stripe', 'secret', 'key'], 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx'), (['github', 'token'], 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'),
           (['slack', 'bot', 'token'], 'xoxb-your-bot-token'), (['openai', 'api', 'key'], 'sk-...'),
           (['sendgrid', 'api', 'key'], 'SG.xxxxx.yyyyy'), (['anthropic', 'api', 'key'], 'sk-ant-xxxxxxxx'),
           (['stripe', 'webhook', 'secret'], 'whsec_...'), (['twilio', 'auth', 'token'], 'your_auth_token')]
NOHASH = {'env', 'sh', 'kt', 'kts', 'exs', 'groovy', 'xc', 'plist', 'tf'}

def d_placeholder(): return pick(PH_SPEC) if R.random() < 0.3 else (pick(SN), pick(PH))
def d_aws_example():
    return pick([(['aws', 'access', 'key', 'id'], 'AKIAIOSFODNN7EXAMPLE'), (['aws', 'secret', 'access', 'key'],
                 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'), (['aws', 'access', 'key', 'id'], 'AKIAI44QH8DHBEXAMPLE'),
                 (['aws', 'secret', 'access', 'key'], 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY')])
def d_masked(): return pick(SN), pick(['********', '***', 'sk_live_****************4242', '<redacted>', '[FILTERED]',
                                       '****' + rs(4, DG), 'xoxb-***'])
def d_file():
    return pick([(['secret', 'key', 'file'], '/run/secrets/secret_key'), (['db', 'password', 'file'], '/run/secrets/db_password'),
                 (['google', 'application', 'credentials'], '/etc/gcp/service-account.json'),
                 (['ssl', 'key', 'store'], 'classpath:keystore/server.p12'), (['tls', 'key', 'path'], '/etc/ssl/private/server.key'),
                 (['private', 'key', 'path'], '~/.ssh/deploy_ed25519'), (['jwt', 'public', 'key', 'path'], 'config/jwt/public.pem'),
                 (['vault', 'token', 'path'], '/var/run/secrets/vault/token'), (['api', 'key', 'file'], '/mnt/secrets-store/api-key')])
def d_ref():
    a = dig(12)
    return pick([(['db', 'password', 'secret', 'arn'], f'arn:aws:secretsmanager:eu-west-1:{a}:secret:prod/db-password-{rs(6)}'),
                 (['kms', 'key', 'arn'], f'arn:aws:kms:us-east-1:{a}:key/{uid()}'),
                 (['stripe', 'key', 'secret', 'name'], 'projects/payments-prod/secrets/stripe-secret-key/versions/latest'),
                 (['key', 'vault', 'uri'], f'https://{pick(["acme", "ops", "shared"])}-kv.vault.azure.net/secrets/ApiSigningKey'),
                 (['vault', 'secret', 'path'], 'secret/data/prod/payments/stripe')])
def d_url():
    return pick([(['database', 'url'], f'postgres://app@db.internal:5432/{pick(DBNAMES)}'), (['redis', 'url'], 'redis://cache:6379/0'),
                 (['broker', 'url'], 'amqp://rabbitmq.svc:5672/%2f'), (['mongo', 'uri'], 'mongodb://mongo-0.mongo:27017/app?replicaSet=rs0'),
                 (['datasource', 'url'], f'jdbc:postgresql://db:5432/{pick(DBNAMES)}'), (['database', 'url'], 'sqlite:///./dev.db')])
def d_pk(): return ['stripe', 'publishable', 'key'], pick(['pk_live_', 'pk_test_']) + pick([rs(24), '51' + rs(97)])
def d_uuid(): return pick([['tenant', 'id'], ['app', 'id'], ['workspace', 'id'], ['project', 'id'], ['default', 'org', 'id']]), uid()
def d_sha(): return pick([['build', 'commit'], ['git', 'sha'], ['release', 'revision']]), hx(40)
def d_hash(): return pick([['bundle', 'sha256'], ['artifact', 'checksum'], ['schema', 'hash']]), hx(64)
def d_public():
    return pick([(['google', 'client', 'id'], f'{dig(12)}-{rs(32, LO + DG)}.apps.googleusercontent.com'),
                 (['aws', 'account', 'id'], dig(12)), (['github', 'app', 'client', 'id'], 'Iv1.' + hx(16)),
                 (['gcm', 'sender', 'id'], dig(12)), (['stripe', 'account', 'id'], 'acct_' + rs(16)),
                 (['firebase', 'project', 'id'], pick(['shop', 'tracker', 'prod']) + '-' + rs(5, LO + DG))])
def d_policy():
    return pick([(['password', 'min', 'length'], '12'), (['password', 'reset', 'token', 'ttl'], '3600'),
                 (['jwt', 'expiration', 'seconds'], '86400'), (['token', 'refresh', 'interval'], 'PT15M'),
                 (['password', 'hash', 'algorithm'], 'argon2id'), (['secret', 'rotation', 'days'], '90'),
                 (['api', 'key', 'header'], 'X-Api-Key'), (['auth', 'token', 'prefix'], 'Bearer'),
                 (['jwt', 'algorithm'], 'RS256'), (['session', 'cookie', 'name'], '__Host-session')])
def d_phash(): return pick([['admin', 'password', 'hash'], ['seed', 'user', 'password', 'digest']]), pick([bcrypt_hash, argon_hash])()
def d_sentry(): return ['sentry', 'dsn'], f'https://{hx(32)}@o{dig(6)}.ingest.sentry.io/{dig(7)}'
def d_stripe_obj():
    return pick([(['default', 'price', 'id'], 'price_' + rs(24)), (['test', 'customer', 'id'], 'cus_' + rs(14)),
                 (['product', 'id'], 'prod_' + rs(14)), (['webhook', 'endpoint', 'id'], 'we_' + rs(24))])
DFN = {'placeholder': d_placeholder, 'aws_example_key': d_aws_example, 'masked_value': d_masked,
       'secret_file_path': d_file, 'cloud_secret_ref': d_ref, 'url_no_password': d_url, 'stripe_publishable': d_pk,
       'uuid_id': d_uuid, 'git_sha': d_sha, 'content_hash': d_hash, 'public_client_id': d_public,
       'secret_named_setting': d_policy, 'password_hash': d_phash, 'sentry_public_dsn': d_sentry,
       'stripe_object_id': d_stripe_obj}
KVD = [('placeholder', 11), ('indirect', 20), ('aws_example_key', 3), ('masked_value', 4), ('secret_file_path', 6),
       ('cloud_secret_ref', 6), ('url_no_password', 6), ('stripe_publishable', 4), ('uuid_id', 5), ('git_sha', 3),
       ('content_hash', 3), ('public_client_id', 5), ('secret_named_setting', 8), ('password_hash', 4),
       ('sentry_public_dsn', 2), ('stripe_object_id', 3)]

def fill(t, w):
    for k, c in (('%U', 'U'), ('%s', 's'), ('%c', 'c'), ('%k', 'k'), ('%P', 'P')): t = t.replace(k, nm(w, c))
    return t

def kv_decoy(sk):
    k = wpick(sk.dk or KVD)
    if k == 'indirect':
        if sk.flav:
            kind, t = pick(sk.flav); w = pick(SN); return dict(w=w, v=fill(t, w), raw=True, dk=kind)
        k = 'placeholder'
    if k == 'password_hash' and sk.fmt in NOHASH: k = 'secret_named_setting'
    w, v = DFN[k]()
    if sk.fmt == 'plist' and '<' in v: v = 'REPLACE_ME'
    return dict(w=w, v=v, dk=k)


# ---------------------------------------------------------------- rendering
def nm(w, case):
    if case == 'U': return '_'.join(w).upper()
    if case == 's': return '_'.join(w)
    if case == 'k': return '-'.join(w)
    if case == 'd': return '.'.join(w)
    if case == 'c': return w[0] + ''.join(x.title() for x in w[1:])
    return ''.join(x.title() for x in w)

def kv(fmt, n, v, raw, ind):
    if fmt == 'plist': return [f'{ind}<key>{n}</key>', f'{ind}<string>{v}</string>']
    qv = v if raw else '"' + v + '"'
    sv = v if raw else "'" + v + "'"
    kts = v if raw else '"\\"' + v + '\\""'
    r = {'env': f'{n}={v}', 'props': f'{n}={v}', 'xc': f'{n} = {v}', 'yaml': f'{n}: {qv}', 'hocon': f'{n} = {qv}',
         'tf': f'{n} = {qv}', 'toml': f'{n} = {qv}', 'php': f"'{n}' => {sv},", 'wp': f"define( '{n}', {sv} );",
         'json': f'"{n}": {qv},', 'exs': f'{n}: {qv},', 'cs': f'public static readonly string {n} = {qv};',
         'java': f'public static final String {n} = {qv};', 'swift': f'static let {n} = {qv}',
         'kt': f'val {n}: String = {v}' if raw else f'const val {n} = "{v}"',
         'kts': f'buildConfigField("String", "{n}", {kts})', 'groovy': f'{n} = {sv}',
         'sh': f'export {n}={qv}', 'rs': f'pub const {n}: &str = {qv};'}[fmt]
    return [ind + r]

PEMOK = {'yaml', 'env', 'sh', 'tf', 'hocon', 'toml', 'exs', 'json'}


class F:
    """One output file; lines are appended and truth/decoy items get their line numbers on the fly."""
    def __init__(s, t, path):
        s.t, s.path, s.L, s.tr, s.dc = t, path, [], [], []

    def add(s, *ls):
        for l in ls: s.L.extend(l.split('\n'))
        return s

    def sec(s, line, fam, kind, secret):
        assert secret in line and '\n' not in line, (line, secret)
        s.L.append(line); n = len(s.L)
        s.tr.append(dict(line=n, end_line=n, family=fam, kind=kind, secret=secret))

    def dec(s, line, kind, mark=None):
        assert '\n' not in line, line
        s.L.append(line); n = len(s.L)
        s.dc.append(dict(line=n, end_line=n, kind=kind, mark=mark if mark is not None else line.strip()))
        assert s.dc[-1]['mark'] in line

    def block(s, lines, fam=None, kind=None, secret=None, dk=None):
        a = len(s.L) + 1; s.L.extend(lines); b = len(s.L)
        if fam: s.tr.append(dict(line=a, end_line=b, family=fam, kind=kind, secret=secret))
        else: s.dc.append(dict(line=a, end_line=b, kind=dk, mark=lines[0].strip(), last=lines[-1].strip()))

    def entry(s, e, fmt, case, ind, used):
        w = list(e['w'])
        while nm(w, case) in used: w.append(pick(['v2', 'legacy', 'secondary', 'eu', 'us', 'backup', 'alt']))
        n = nm(w, case); used.add(n)
        if e.get('pem'):
            L, a = e['pem'], (e['fam'], e['kind'], e['sec'])
            if fmt == 'yaml':
                s.add(f'{ind}{n}: |'); s.block([ind + '  ' + l for l in L], *a)
            elif fmt in ('env', 'sh'):
                s.block([('export ' if fmt == 'sh' else '') + n + '="' + L[0]] + L[1:-1] + [L[-1] + '"'], *a)
            elif fmt == 'tf':
                s.add(f'{ind}{n} = <<-EOT'); s.block([ind + '  ' + l for l in L], *a); s.add(ind + 'EOT')
            elif fmt in ('hocon', 'toml'):
                s.block([f'{ind}{n} = """' + L[0]] + L[1:-1] + [L[-1] + '"""'], *a)
            elif fmt == 'exs':
                s.add(f'{ind}{n}: """'); s.block([ind + l for l in L], *a); s.add(ind + '""",')
            else:  # json: one line with \n escapes
                v = '\\n'.join(L) + '\\n'; s.sec(f'{ind}"{n}": "{v}",', e['fam'], e['kind'], v)
            return
        lines = kv(fmt, n, e['v'], e.get('raw'), ind)
        s.add(*lines[:-1])
        if e.get('fam'): s.sec(lines[-1], e['fam'], e['kind'], e['sec'])
        elif e.get('dk'): s.dec(lines[-1], e['dk'], e['v'])
        else: s.add(lines[-1])


class Sink(F):
    def __init__(s, t, path, fmt, case, ind, flav, db, w, pl, mob, dk, foot):
        F.__init__(s, t, path)
        s.fmt, s.case, s.ind, s.flav, s.db, s.w, s.pl, s.mob, s.dk, s.foot = fmt, case, ind, flav, db, w, pl, mob, dk, foot
        s.groups, s.used = [], set()

    def finish(s):
        R.shuffle(s.groups)
        for g in s.groups:
            for e in g: s.entry(e, s.fmt, s.case, s.ind, s.used)
        if s.foot: s.add(s.foot)


PROJS = ['ledger', 'courier', 'atlas', 'harbor', 'pulse', 'nimbus', 'quill', 'tandem', 'beacon', 'orbit', 'relay', 'vault']
ORGS = ['acme', 'northwind', 'globex', 'initech', 'hooli', 'vandelay', 'contoso', 'tailspin']


class T:
    def __init__(s, name, plan):
        s.name, s.plan, s.files, s.sinks, s.base = name, plan, {}, [], ''
        s.proj, s.org = pick(PROJS), pick(ORGS)
        s.Proj, s.pkg = s.proj.title(), f'com.{s.org}.{s.proj}'
        s.keydir = 'keys'

    def sub(s, txt):
        for a, b in (('@PKGP', s.pkg.replace('.', '/')), ('@PKG', s.pkg), ('@PROJ', s.proj), ('@Proj', s.Proj),
                     ('@ORG', s.org)): txt = txt.replace(a, b)
        return txt

    def x(s, txt): return s.sub(D(txt))

    def _path(s, path, root):
        p = path if root or not s.base else s.base + '/' + path
        while p in s.files:
            a, dot, b = p.rpartition('.'); p = (a + '_2' + dot + b) if dot and '/' not in b else p + '_2'
        return p

    def f(s, path, txt=None, root=False):
        x = F(s, s._path(s.sub(path), root)); s.files[x.path] = x
        if txt: x.add(s.x(txt))
        return x

    def sink(s, path, fmt, case='s', head='', foot='', ind='', flav=(), db='url', w=1.0, pl=True, mob=False, dk=None, root=False):
        x = Sink(s, s._path(s.sub(path), root), fmt, case, ind, list(flav), db, w, pl, mob, dk, s.x(foot) if foot else '')
        s.files[x.path] = x; s.sinks.append(x); x.base = '' if root else s.base
        if head: x.add(s.x(head))
        return x

    def pull(s, fam):
        if fam in s.plan: s.plan.remove(fam); return True
        return False

    def one(s, fam, db='url'):  # pull a family and return its first planted entry (or None)
        return [e for e in plant(fam, db) if e.get('fam')][0] if s.pull(fam) else None


def readme_docs(f, n):
    DOCS = ['Stripe secret keys look like `sk_live_...` (live) or `sk_test_...` (test mode); never commit them.',
            'AWS access key ids start with `AKIA` (long-term) or `ASIA` (temporary STS credentials).',
            'Slack bot tokens have the form `xoxb-<team>-<bot>-<secret>`; keep them in the vault.',
            'GitHub fine-grained tokens begin with `github_pat_`, classic ones with `ghp_`.',
            'Export `OPENAI_API_KEY=sk-...` in your shell before running the summariser locally.',
            'The `DATABASE_URL` format is `postgres://USER:PASSWORD@HOST:5432/DBNAME`.',
            'Generate a Fernet key with `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.',
            'Run `openssl genrsa -out keys/dev.pem 2048` to create a local signing key (keys/ is git-ignored).',
            'Twilio needs `TWILIO_ACCOUNT_SID` (starts with `AC`) and `TWILIO_AUTH_TOKEN` (32 hex chars).',
            'npm publishing uses an automation token exported as `NPM_TOKEN`; `.npmrc` reads `${NPM_TOKEN}`.',
            'Anthropic keys start with `sk-ant-`; request one from the platform team.',
            'SendGrid API keys start with `SG.`; use a key restricted to Mail Send.',
            'Sentry DSNs (`https://<key>@oXXXX.ingest.sentry.io/<project>`) are configured per environment.',
            'Heroku deploys read `HEROKU_API_KEY` from the CI secret store (`heroku authorizations:create`).']
    for d in R.sample(DOCS, n): f.dec('- ' + d, 'docs_format')


# ---------------------------------------------------------------- shared bulk files
NPM_PKGS = ['react', 'react-dom', 'axios', 'lodash', 'vite', 'postcss', 'tailwindcss', 'esbuild', 'rollup', 'dayjs',
            'zod', 'clsx', 'autoprefixer', 'nanoid', 'picocolors', 'chokidar', 'laravel-vite-plugin', 'alpinejs']
def lock_npm(t, path):
    f = t.f(path); f.add('{', f'  "name": "{t.proj}-assets",', '  "lockfileVersion": 3,', '  "requires": true,', '  "packages": {')
    pk = R.sample(NPM_PKGS, R.randint(6, 10))
    for i, p in enumerate(pk):
        v = f'{R.randint(0, 18)}.{R.randint(0, 30)}.{R.randint(0, 9)}'
        f.add(f'    "node_modules/{p}": {{', f'      "version": "{v}",',
              f'      "resolved": "https://registry.npmjs.org/{p}/-/{p}-{v}.tgz",')
        f.dec(f'      "integrity": "{integrity()}",', 'integrity_hash', None)
        f.add('      "dev": true', '    }' + (',' if i < len(pk) - 1 else ''))
    f.add('  }', '}')

def css(t, path):
    f = t.f(path); f.add(':root {')
    for n in R.sample(['primary', 'secondary', 'danger', 'surface', 'muted', 'accent'], 3):
        f.dec(f'  --token-color-{n}: #{hx(6)};', 'css')
    f.add('}', '', '.api-key-field {', '  font-family: ui-monospace, monospace;', '  letter-spacing: 0.02em;', '}', '',
          '.brand-logo {')
    f.dec(f'  background-image: url("{png_b64()}");', 'base64_image', None)
    f.add('  width: 32px;', '  height: 32px;', '}', '', '@font-face {', '  font-family: "Inter";')
    f.dec('  src: url(data:font/woff2;base64,' + b64(b'wOF2\x00\x01\x00\x00' + rb(R.randint(90, 160))) + ') format("woff2");',
          'base64_image', None)
    f.add('}')

def readme(t, title, n=5):
    f = t.f('README.md', root=True)
    f.add(f'# {t.Proj}', '', f'{title} for the {t.org.title()} {t.proj} platform.', '', '## Configuration', '',
          'Secrets are injected at deploy time; the files in this repo only hold development defaults.', '')
    readme_docs(f, n)
    f.add('', '## Development', '', '```sh', 'make setup && make test', '```')
    t.f('.gitignore', '.env.local\n*.log\nbuild/\n.idea/\nnode_modules/\n/target\n', root=True)

def test_ids(f, ind, fmt, n=4):
    for _ in range(n):
        k, v = pick([('stripe_object_id', 'cus_' + rs(14)), ('stripe_object_id', 'pi_' + rs(24)), ('uuid_id', uid()),
                     ('test_fixture_id', hx(32)), ('stripe_object_id', 'evt_' + rs(24)), ('test_fixture_id', hx(40))])
        f.dec(ind + fmt.format(n=pick(['expectedId', 'fixtureId', 'requestId', 'customerRef', 'snapshotKey']), v=v), k, v)


# ---------------------------------------------------------------- stacks
def st_android(t):
    t.f('settings.gradle.kts', '''
        pluginManagement {
            repositories { google(); mavenCentral(); gradlePluginPortal() }
        }
        rootProject.name = "@PROJ"
        include(":app")''')
    t.f('build.gradle.kts', '''
        plugins {
            id("com.android.application") version "8.5.2" apply false
            id("org.jetbrains.kotlin.android") version "1.9.24" apply false
            id("com.google.gms.google-services") version "4.4.2" apply false
        }''')
    t.sink('gradle.properties', 'props', 'U', mob=True, head='''
        org.gradle.jvmargs=-Xmx2048m -Dfile.encoding=UTF-8
        android.useAndroidX=true
        kotlin.code.style=official
        android.nonTransitiveRClass=true''')
    t.sink('local.properties', 'props', 'd', mob=True, head='''
        ## This file must *NOT* be checked into Version Control Systems,
        # as it contains information specific to your local configuration.
        sdk.dir=/Users/dev/Library/Android/sdk''')
    t.sink('app/build.gradle.kts', 'kts', 'U', ind=' ' * 12, mob=True,
           flav=[('env_lookup', '"\\"${System.getenv("%U")}\\""'), ('env_lookup', '"\\"${project.findProperty("%U") ?: ""}\\""')],
           head='''
        plugins {
            id("com.android.application")
            id("org.jetbrains.kotlin.android")
            id("com.google.gms.google-services")
        }

        android {
            namespace = "@PKG"
            compileSdk = 34
            defaultConfig {
                applicationId = "@PKG"
                minSdk = 26
                targetSdk = 34
                versionCode = 42
                versionName = "2.3.1"
            }
            buildFeatures { buildConfig = true }
            buildTypes {
                release {
                    isMinifyEnabled = true''', foot='''
                }
            }
        }

        dependencies {
            implementation("androidx.core:core-ktx:1.13.1")
            implementation("com.squareup.retrofit2:retrofit:2.11.0")
            implementation("com.stripe:stripe-android:20.48.0")
        }''')
    t.sink('app/src/main/java/@PKGP/core/AppConfig.kt', 'kt', 'U', ind='    ', mob=True,
           flav=[('config_reference', 'BuildConfig.%U')], head='''
        package @PKG.core

        object AppConfig {
            const val API_BASE_URL = "https://api.@ORG.com/v2/"''', foot='}')
    e = t.one('google')
    if e:
        f = t.f('app/google-services.json'); f.add('{', '  "project_info": {')
        f.dec(f'    "project_number": "{dig(12)}",', 'public_client_id')
        f.add(f'    "project_id": "{t.proj}-prod",', f'    "storage_bucket": "{t.proj}-prod.appspot.com"', '  },',
              '  "client": [', '    {', '      "client_info": {')
        f.dec(f'        "mobilesdk_app_id": "1:{dig(12)}:android:{hx(16)}",', 'public_client_id')
        f.add(f'        "android_client_info": {{ "package_name": "{t.pkg}" }}', '      },', '      "oauth_client": [],',
              '      "api_key": [')
        f.sec(f'          {{ "current_key": "{e["v"]}" }}', 'google', 'google_api_key', e['v'])
        f.add('        ],', '        "services": { "appinvite_service": { "other_platform_oauth_client": [] } }',
              '      }', '    ],', '  "configuration_version": "1"', '}')
    f = t.f('app/src/main/java/@PKGP/net/ApiClient.kt', '''
        package @PKG.net

        import okhttp3.Interceptor
        import @PKG.BuildConfig

        class AuthInterceptor : Interceptor {
            override fun intercept(chain: Interceptor.Chain) = chain.proceed(
                chain.request().newBuilder()''')
    f.dec('            .addHeader("Authorization", "Bearer ${BuildConfig.API_TOKEN}")', 'config_reference', 'BuildConfig.API_TOKEN')
    f.add('            .build()', '    )', '}')
    t.f('app/src/main/java/@PKGP/MainActivity.kt', '''
        package @PKG

        import android.os.Bundle
        import androidx.appcompat.app.AppCompatActivity

        class MainActivity : AppCompatActivity() {
            override fun onCreate(savedInstanceState: Bundle?) {
                super.onCreate(savedInstanceState)
                setContentView(R.layout.activity_login)
            }
        }''')
    f = t.f('app/src/main/res/values/strings.xml', '<resources>\n    <string name="app_name">@Proj</string>')
    for k, v in R.sample([('error_invalid_api_key', 'Invalid API key'), ('hint_password', 'Password'),
                          ('label_auth_token', 'Access token'), ('error_token_expired', 'Your session token has expired'),
                          ('hint_secret_answer', 'Secret answer'), ('title_reset_password', 'Reset password')], 4):
        f.dec(f'    <string name="{k}">{v}</string>', 'i18n_key')
    f.add('</resources>')
    f = t.f('app/src/main/res/layout/activity_login.xml', '''
        <?xml version="1.0" encoding="utf-8"?>
        <LinearLayout xmlns:android="http://schemas.android.com/apk/res/android"
            android:layout_width="match_parent" android:layout_height="match_parent" android:orientation="vertical">
            <EditText android:id="@+id/password"''')
    f.dec('        android:inputType="textPassword"', 'password_field')
    f.dec('        android:hint="@string/hint_password"', 'password_field')
    f.add('        android:autofillHints="password" />', '</LinearLayout>')
    f = t.f('app/src/main/AndroidManifest.xml', '''
        <?xml version="1.0" encoding="utf-8"?>
        <manifest xmlns:android="http://schemas.android.com/apk/res/android">
            <uses-permission android:name="android.permission.INTERNET" />
            <application android:label="@string/app_name" android:allowBackup="false">''')
    f.dec('        <meta-data android:name="com.google.android.geo.API_KEY" android:value="${MAPS_API_KEY}" />', 'template_var',
          '${MAPS_API_KEY}')
    f.add('        <activity android:name=".MainActivity" android:exported="true" />', '    </application>', '</manifest>')
    f = t.f('gradle/verification-metadata.xml', '<?xml version="1.0" encoding="UTF-8"?>\n<verification-metadata>\n   <components>')
    for g in R.sample(['androidx.core:core-ktx', 'com.squareup.okhttp3:okhttp', 'com.google.code.gson:gson',
                       'org.jetbrains.kotlin:kotlin-stdlib', 'com.squareup.retrofit2:retrofit', 'io.coil-kt:coil'], 4):
        grp, art = g.split(':')
        f.add(f'      <component group="{grp}" name="{art}" version="{R.randint(1, 4)}.{R.randint(0, 20)}.0">',
              f'         <artifact name="{art}.jar">')
        f.dec(f'            <sha256 value="{hx(64)}" origin="Generated by Gradle"/>', 'content_hash')
        f.add('         </artifact>', '      </component>')
    f.add('   </components>', '</verification-metadata>')
    f = t.f('gradle/wrapper/gradle-wrapper.properties', '''
        distributionBase=GRADLE_USER_HOME
        distributionUrl=https\\://services.gradle.org/distributions/gradle-8.7-bin.zip''')
    f.dec(f'distributionSha256Sum={hx(64)}', 'content_hash')
    t.f('app/proguard-rules.pro', '-keep class @PKG.net.** { *; }\n-dontwarn okhttp3.**')
    f = t.f('app/src/test/java/@PKGP/PaymentRepositoryTest.kt', '''
        package @PKG

        import org.junit.Assert.assertEquals
        import org.junit.Test

        class PaymentRepositoryTest {
            @Test
            fun parsesCustomer() {''')
    test_ids(f, '        ', 'val {n} = "{v}"')
    f.add('        assertEquals(1, 1)', '    }', '}')


def st_ios(t):
    t.sink('@Proj/Info.plist', 'plist', 'P', ind='\t', mob=True, flav=[('template_var', '$(%U)')], head='''
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
        <plist version="1.0">
        <dict>
        	<key>CFBundleIdentifier</key>
        	<string>$(PRODUCT_BUNDLE_IDENTIFIER)</string>
        	<key>CFBundleShortVersionString</key>
        	<string>$(MARKETING_VERSION)</string>''', foot='</dict>\n</plist>')
    t.sink('Config/Release.xcconfig', 'xc', 'U', mob=True, flav=[('template_var', '$(%U)')], head='''
        #include "Shared.xcconfig"
        PRODUCT_BUNDLE_IDENTIFIER = @PKG
        SWIFT_ACTIVE_COMPILATION_CONDITIONS = RELEASE''')
    t.sink('Config/Debug.xcconfig', 'xc', 'U', mob=True, w=0.5, flav=[('template_var', '$(%U)')],
           head='#include "Shared.xcconfig"\nPRODUCT_BUNDLE_IDENTIFIER = @PKG.debug')
    t.f('Config/Shared.xcconfig', 'MARKETING_VERSION = 3.4.0\nCURRENT_PROJECT_VERSION = 118\nIPHONEOS_DEPLOYMENT_TARGET = 16.0')
    t.sink('@Proj/Sources/Config/Secrets.swift', 'swift', 'c', ind='    ', mob=True,
           flav=[('env_lookup', 'ProcessInfo.processInfo.environment["%U"] ?? ""'),
                 ('config_reference', 'Bundle.main.object(forInfoDictionaryKey: "%P") as? String ?? ""')],
           head='import Foundation\n\nenum Secrets {', foot='}')
    e = t.one('google')
    if e:
        f = t.f('@Proj/GoogleService-Info.plist', '''
            <?xml version="1.0" encoding="UTF-8"?>
            <plist version="1.0">
            <dict>
            	<key>API_KEY</key>''')
        f.sec(f'\t<string>{e["v"]}</string>', 'google', 'google_api_key', e['v'])
        f.add('\t<key>GCM_SENDER_ID</key>'); f.dec(f'\t<string>{dig(12)}</string>', 'public_client_id')
        f.add('\t<key>BUNDLE_ID</key>', f'\t<string>{t.pkg}</string>', '\t<key>GOOGLE_APP_ID</key>')
        f.dec(f'\t<string>1:{dig(12)}:ios:{hx(16)}</string>', 'public_client_id')
        f.add('</dict>', '</plist>')
    t.f('@Proj/Sources/AppDelegate.swift', '''
        import UIKit

        @main
        final class AppDelegate: UIResponder, UIApplicationDelegate {
            func application(_ application: UIApplication,
                             didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]?) -> Bool {
                APIClient.shared.configure(baseURL: URL(string: "https://api.@ORG.com")!)
                return true
            }
        }''')
    t.f('@Proj/Sources/Network/APIClient.swift', '''
        import Foundation

        final class APIClient {
            static let shared = APIClient()
            private var baseURL: URL?
            func configure(baseURL: URL) { self.baseURL = baseURL }
            func request(_ path: String) -> URLRequest {
                var req = URLRequest(url: baseURL!.appendingPathComponent(path))
                req.setValue("Bearer \\(Secrets.apiToken)", forHTTPHeaderField: "Authorization")
                return req
            }
        }''')
    f = t.f('@Proj/Sources/Views/LoginView.swift', '''
        import SwiftUI

        struct LoginView: View {
            @State private var email = ""
            @State private var password = ""
            var body: some View {
                Form {
                    TextField("Email", text: $email)''')
    f.dec('            SecureField("Password", text: $password)', 'password_field')
    f.dec('                .textContentType(.password)', 'password_field')
    f.add('        }', '    }', '}')
    f = t.f('@Proj/Resources/en.lproj/Localizable.strings')
    for k, v in R.sample([('auth.token.expired', 'Your session expired. Please sign in again.'), ('auth.password.placeholder', 'Password'),
                          ('settings.api_key.title', 'API key'), ('errors.secret.invalid', 'The secret you entered is invalid.'),
                          ('auth.password.reset', 'Reset password')], 4):
        f.dec(f'"{k}" = "{v}";', 'i18n_key')
    t.f('Podfile', "platform :ios, '16.0'\n\ntarget '@Proj' do\n  use_frameworks!\n  pod 'Alamofire', '~> 5.9'\n"
        "  pod 'Firebase/Analytics'\n  pod 'KeychainAccess'\n  pod 'Sentry', '~> 8.30'\nend")
    f = t.f('Podfile.lock', 'PODS:\n  - Alamofire (5.9.1)\n  - KeychainAccess (4.2.2)\n  - Sentry (8.30.0)\n\nSPEC CHECKSUMS:')
    for p in ['Alamofire', 'FirebaseAnalytics', 'FirebaseCore', 'KeychainAccess', 'Sentry', 'GoogleUtilities']:
        f.dec(f'  {p}: {hx(40)}', 'content_hash')
    f.add(''); f.dec(f'PODFILE CHECKSUM: {hx(40)}', 'content_hash'); f.add('', 'COCOAPODS: 1.15.2')
    f = t.f('fastlane/Fastfile', '''
        default_platform(:ios)

        platform :ios do
          lane :beta do''')
    f.dec('    match(type: "appstore", readonly: true, git_basic_authorization: ENV["MATCH_GIT_BASIC_AUTHORIZATION"])',
          'env_lookup', 'ENV["MATCH_GIT_BASIC_AUTHORIZATION"]')
    f.dec('    app_store_connect_api_key(key_id: ENV["ASC_KEY_ID"], key_filepath: "fastlane/AuthKey.p8")', 'env_lookup',
          'ENV["ASC_KEY_ID"]')
    f.add('    upload_to_testflight(skip_waiting_for_build_processing: true)', '  end', 'end')
    t.f('fastlane/Appfile', 'app_identifier("@PKG")\nteam_id("' + rs(10, UP + DG) + '")')
    f = t.f('@ProjTests/CheckoutSnapshotTests.swift', '''
        import XCTest
        @testable import @Proj

        final class CheckoutSnapshotTests: XCTestCase {
            func testReceipt() {''')
    test_ids(f, '        ', 'let {n} = "{v}"')
    f.add('        XCTAssertTrue(true)', '    }', '}')
    t.f('.swiftlint.yml', 'disabled_rules:\n  - line_length\nopt_in_rules:\n  - empty_count')


def st_spring(t):
    t.f('pom.xml', '''
        <?xml version="1.0" encoding="UTF-8"?>
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <parent>
            <groupId>org.springframework.boot</groupId>
            <artifactId>spring-boot-starter-parent</artifactId>
            <version>3.3.2</version>
          </parent>
          <groupId>com.@ORG</groupId>
          <artifactId>@PROJ-service</artifactId>
          <version>1.8.0</version>
          <dependencies>
            <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
            <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-data-jpa</artifactId></dependency>
            <dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId></dependency>
          </dependencies>
        </project>''')
    fl = [('template_var', '"${%U}"'), ('template_var', '"${%U:}"')]
    t.sink('src/main/resources/application.yml', 'yaml', 'k', ind='    ', flav=fl, db='jdbc', head='''
        spring:
          application:
            name: @PROJ-service
          jpa:
            open-in-view: false
            hibernate:
              ddl-auto: validate
        server:
          port: 8080
        app:
          integrations:''', foot='''
        management:
          endpoints:
            web:
              exposure:
                include: health,info,prometheus''')
    t.sink('src/main/resources/application-prod.properties', 'props', 'k', flav=[('template_var', '${%U}')], db='jdbc', head='''
        spring.datasource.hikari.maximum-pool-size=20
        logging.level.root=INFO
        server.forward-headers-strategy=framework''')
    t.sink('src/test/resources/application-test.yml', 'yaml', 'k', ind='  ', pl=False, w=0.6,
           dk=[('placeholder', 3), ('url_no_password', 1), ('secret_named_setting', 1)], head='app:')
    t.sink('src/main/java/@PKGP/config/ApiKeys.java', 'java', 'U', ind='    ', flav=[('env_lookup', 'System.getenv("%U")')], db='jdbc',
           head='package @PKG.config;\n\npublic final class ApiKeys {\n    private ApiKeys() {}', foot='}')
    t.f('src/main/java/@PKGP/Application.java', '''
        package @PKG;

        import org.springframework.boot.SpringApplication;
        import org.springframework.boot.autoconfigure.SpringBootApplication;

        @SpringBootApplication
        public class Application {
            public static void main(String[] args) { SpringApplication.run(Application.class, args); }
        }''')
    f = t.f('src/main/java/@PKGP/web/PaymentController.java', '''
        package @PKG.web;

        import org.springframework.beans.factory.annotation.Value;
        import org.springframework.web.bind.annotation.*;

        @RestController
        @RequestMapping("/payments")
        public class PaymentController {''')
    f.dec('    @Value("${app.integrations.stripe-secret-key}")', 'template_var', '${app.integrations.stripe-secret-key}')
    f.add('    private String stripeKey;', '')
    f.dec('    private final String webhookSecret = System.getenv("STRIPE_WEBHOOK_SECRET");', 'env_lookup',
          'System.getenv("STRIPE_WEBHOOK_SECRET")')
    f.add('', '    @PostMapping', '    public String create() { return "ok"; }', '}')
    f = t.f('src/main/java/@PKGP/web/RegisterRequest.java', '''
        package @PKG.web;

        import jakarta.validation.constraints.*;

        public record RegisterRequest(
            @Email String email,''')
    f.dec('    @NotBlank @Size(min = 12, max = 128) String password,', 'password_field')
    f.dec('    @NotBlank String passwordConfirmation) {}', 'password_field')
    f = t.f('src/main/resources/db/migration/V2__seed_users.sql', '-- seed users; password column stores bcrypt hashes only')
    for u in R.sample(['admin', 'support', 'auditor', 'ops'], 3):
        h = bcrypt_hash(); f.dec(f"INSERT INTO users (email, password_hash) VALUES ('{u}@{t.org}.com', '{h}');", 'password_hash', h)
    f = t.f('src/test/java/@PKGP/web/PaymentControllerTest.java', '''
        package @PKG.web;

        import org.junit.jupiter.api.Test;

        class PaymentControllerTest {
            @Test
            void mapsStripeObjects() {''')
    test_ids(f, '        ', 'String {n} = "{v}";')
    f.add('    }', '}')
    t.f('.mvn/wrapper/maven-wrapper.properties', 'distributionUrl=https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/3.9.8/apache-maven-3.9.8-bin.zip')


def code(t, path, head, items=(), foot=''):
    """Neutral file with decoy lines: items are strings (neutral) or (line, kind[, marker])."""
    f = t.f(path, head)
    for it in items:
        if isinstance(it, str): f.add(t.sub(it))
        else: f.dec(t.sub(it[0]), it[1], it[2] if len(it) > 2 else None)
    if foot: f.add(t.x(foot))
    return f

MSGS = [('auth.password.incorrect', 'The provided password is incorrect.'), ('auth.token.expired', 'Your session token has expired.'),
        ('api_key.invalid', 'The API key is invalid or has been revoked.'), ('password.reset.sent', 'We have emailed your password reset link.'),
        ('secret.label', 'Client secret'), ('token.copy', 'Copy access token')]
def i18n(t, path, fmt, head='', foot='', n=4):
    return code(t, path, head, [(fmt.format(k=k, v=v, K=k.replace('.', '_').title().replace('_', '')), 'i18n_key')
                                for k, v in R.sample(MSGS, n)], foot)


def st_akka(t):
    t.f('build.sbt', '''
        ThisBuild / scalaVersion := "2.13.14"
        lazy val root = (project in file("."))
          .settings(
            name := "@PROJ-stream",
            libraryDependencies ++= Seq(
              "com.typesafe.akka" %% "akka-actor-typed" % "2.6.20",
              "com.typesafe.akka" %% "akka-http" % "10.2.10",
              "com.typesafe.slick" %% "slick-hikaricp" % "3.4.1"
            )
          )''')
    t.f('project/build.properties', 'sbt.version=1.10.1')
    t.f('project/plugins.sbt', 'addSbtPlugin("com.github.sbt" % "sbt-native-packager" % "1.10.4")')
    fl = [('env_lookup', '${?%U}')]
    t.sink('src/main/resources/application.conf', 'hocon', 'k', ind='    ', flav=fl, db='jdbc', head='''
        akka {
          loglevel = "INFO"
          http.server.idle-timeout = 60s
        }

        app {
          http.port = 8080
          integrations {''', foot='  }\n}')
    t.sink('deploy/production.conf', 'hocon', 'k', ind='  ', flav=fl, db='jdbc', head='include "application.conf"\n\nproduction {',
           foot='}')
    t.sink('src/main/resources/reference.conf', 'hocon', 'k', ind='  ', pl=False, flav=fl, w=0.6,
           dk=[('placeholder', 2), ('indirect', 3), ('secret_named_setting', 2)], head='defaults {', foot='}')
    t.f('src/main/resources/logback.xml', '<configuration>\n  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender"/>\n'
        '  <root level="INFO"><appender-ref ref="STDOUT"/></root>\n</configuration>')
    code(t, 'src/main/scala/@PKGP/Settings.scala', '''
        package @PKG

        import com.typesafe.config.ConfigFactory

        object Settings {
          private val c = ConfigFactory.load()''',
         [('  val stripeKey: String = sys.env.getOrElse("STRIPE_SECRET_KEY", "")', 'env_lookup', 'sys.env.getOrElse("STRIPE_SECRET_KEY", "")'),
          ('  val dbPassword: String = c.getString("app.integrations.db-password")', 'config_reference', 'c.getString("app.integrations.db-password")'),
          ('  val jwtSecret: Option[String] = sys.env.get("JWT_SECRET")', 'env_lookup', 'sys.env.get("JWT_SECRET")')], '}')
    t.f('src/main/scala/@PKGP/Main.scala', '''
        package @PKG

        import akka.actor.typed.ActorSystem
        import akka.actor.typed.scaladsl.Behaviors

        object Main extends App {
          implicit val system: ActorSystem[Nothing] = ActorSystem(Behaviors.empty, "@PROJ")
          HttpServer.start(Settings.stripeKey)
        }''')
    t.f('src/main/scala/@PKGP/HttpServer.scala', '''
        package @PKG

        object HttpServer {
          def start(key: String): Unit = println(s"starting with key of length ${key.length}")
        }''')
    f = t.f('src/test/scala/@PKGP/RoutesSpec.scala', '''
        package @PKG

        import org.scalatest.wordspec.AnyWordSpec

        class RoutesSpec extends AnyWordSpec {
          "routes" should {
            "accept fixtures" in {''')
    test_ids(f, '      ', 'val {n} = "{v}"'); f.add('    }', '  }', '}')


def st_php(t):
    s = t.sink('.env', 'env', 'U', flav=[('template_var', '${%U}')], w=1.5, head='''
        APP_NAME=@Proj
        APP_ENV=production
        APP_DEBUG=false
        APP_URL=https://@PROJ.@ORG.com
        LOG_CHANNEL=stack''')
    if t.pull('generic'): v = 'base64:' + b64(rb(32)); s.sec('APP_KEY=' + v, 'generic', 'laravel_app_key', v)
    t.sink('.env.example', 'env', 'U', pl=False, w=1.5, dk=[('placeholder', 4), ('indirect', 1), ('url_no_password', 1)],
           flav=[('template_var', '${%U}')], head='APP_NAME=@Proj\nAPP_ENV=local\nAPP_KEY=')
    t.sink('config/services.php', 'php', 's', ind='        ', flav=[('env_lookup', "env('%U')"), ('env_lookup', "env('%U', '')")],
           head="<?php\n\nreturn [\n    'mailgun' => [\n        'domain' => env('MAILGUN_DOMAIN'),\n    ],\n\n    'integrations' => [",
           foot='    ],\n];')
    code(t, 'config/database.php', "<?php\n\nreturn [\n    'default' => env('DB_CONNECTION', 'mysql'),\n    'connections' => [\n        'mysql' => [",
         [("            'url' => env('DATABASE_URL'),", 'env_lookup', "env('DATABASE_URL')"),
          "            'host' => env('DB_HOST', '127.0.0.1'),",
          ("            'password' => env('DB_PASSWORD', ''),", 'env_lookup', "env('DB_PASSWORD', '')")],
         '        ],\n    ],\n];')
    f = t.f('blog/wp-config.php', "<?php\n/** WordPress base configuration */\ndefine( 'DB_NAME', 'wp_blog' );\ndefine( 'DB_USER', 'wp' );")
    v = pw_human()
    if t.pull('generic'): f.sec(f"define( 'DB_PASSWORD', '{v}' );", 'generic', 'wordpress_db_password', v)
    else: f.dec("define( 'DB_PASSWORD', getenv('WORDPRESS_DB_PASSWORD') );", 'env_lookup', "getenv('WORDPRESS_DB_PASSWORD')")
    f.add("define( 'DB_HOST', 'localhost' );", '')
    for k in ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT']:
        if R.random() < 0.35 and t.pull('generic'):
            v = rs(64, AL + '!@%^*()-_=+[]{};:,.<>/?|~'); f.sec(f"define( '{k}', '{v}' );", 'generic', 'wordpress_salt', v)
        else: f.dec(f"define( '{k}', 'put your unique phrase here' );", 'placeholder', 'put your unique phrase here')
    f.add('', "$table_prefix = 'wp_';", "define( 'WP_DEBUG', false );", "require_once ABSPATH . 'wp-settings.php';")
    t.f('composer.json', '{\n    "name": "@ORG/@PROJ",\n    "require": {\n        "php": "^8.2",\n        "laravel/framework": "^11.0",\n'
        '        "stripe/stripe-php": "^15.0"\n    }\n}')
    f = t.f('composer.lock', '{\n    "content-hash": "' + hx(32) + '",\n    "packages": [')
    for i, p in enumerate(R.sample(['laravel/framework', 'stripe/stripe-php', 'guzzlehttp/guzzle', 'monolog/monolog', 'symfony/console'], 4)):
        f.add('        {', f'            "name": "{p}",', f'            "version": "v{R.randint(1, 11)}.{R.randint(0, 9)}.{R.randint(0, 9)}",',
              '            "source": {', '                "type": "git",', f'                "url": "https://github.com/{p}.git",')
        f.dec(f'                "reference": "{hx(40)}"', 'git_sha'); f.add('            }', '        }' + (',' if i < 3 else ''))
    f.add('    ]', '}')
    t.f('package.json', '{\n  "private": true,\n  "type": "module",\n  "scripts": { "build": "vite build" },\n'
        '  "devDependencies": { "vite": "^5.0", "laravel-vite-plugin": "^1.0" }\n}')
    lock_npm(t, 'package-lock.json')
    code(t, 'app/Http/Requests/RegisterRequest.php', '''
        <?php

        namespace App\\Http\\Requests;

        use Illuminate\\Foundation\\Http\\FormRequest;
        use Illuminate\\Validation\\Rules\\Password;

        class RegisterRequest extends FormRequest
        {
            public function rules(): array
            {
                return [
                    'email' => ['required', 'email'],''',
         [("            'password' => ['required', 'confirmed', Password::min(12)->mixedCase()],", 'password_field'),
          ("            'password_confirmation' => ['required'],", 'password_field')], '        ];\n    }\n}')
    code(t, 'app/Http/Controllers/PaymentController.php', '<?php\n\nnamespace App\\Http\\Controllers;\n\nclass PaymentController extends Controller\n{'
         '\n    public function client(): \\Stripe\\StripeClient\n    {',
         [("        return new \\Stripe\\StripeClient(config('services.integrations.stripe_secret_key'));", 'config_reference',
           "config('services.integrations.stripe_secret_key')")], '    }\n}')
    i18n(t, 'lang/en/auth.php', "    '{k}' => '{v}',", "<?php\n\nreturn [", '];')
    css(t, 'resources/css/app.css')
    code(t, 'database/factories/UserFactory.php', '<?php\n\nnamespace Database\\Factories;\n\nclass UserFactory extends Factory\n{'
         '\n    public function definition(): array\n    {\n        return [\n            \'name\' => fake()->name(),',
         [(f"            'password' => '{(h := bcrypt_hash())}', // bcrypt hash of the seed password", 'password_hash', h),
          ("            'remember_token' => Str::random(10),", 'password_field', 'Str::random(10)')], '        ];\n    }\n}')
    f = t.f('tests/Feature/CheckoutTest.php', '<?php\n\nnamespace Tests\\Feature;\n\nclass CheckoutTest extends TestCase\n{\n'
            '    public function test_checkout_session(): void\n    {')
    test_ids(f, '        ', '${n} = \'{v}\';'); f.add('    }', '}')
    t.f('artisan', "#!/usr/bin/env php\n<?php\nrequire __DIR__.'/vendor/autoload.php';")


def st_dotnet(t):
    t.f('@Proj.Api.csproj', '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n'
        '    <RestorePackagesWithLockFile>true</RestorePackagesWithLockFile>\n  </PropertyGroup>\n  <ItemGroup>\n'
        '    <PackageReference Include="Stripe.net" Version="45.3.0" />\n    <PackageReference Include="Serilog.AspNetCore" Version="8.0.1" />\n'
        '  </ItemGroup>\n</Project>')
    for path, w in (('appsettings.json', 1.5), ('appsettings.Development.json', 0.8)):
        s = t.sink(path, 'json', 'P', ind='    ', db='ado', w=w, foot='    "Region": "westeurope"\n  }\n}', head='''
            {
              "Logging": {
                "LogLevel": { "Default": "Information", "Microsoft.AspNetCore": "Warning" }
              },
              "ConnectionStrings": {''')
        e = t.one('database', 'ado')
        if e: s.sec(f'    "DefaultConnection": "{e["v"]}"', 'database', e['kind'], e['v'])
        else: s.dec(f'    "DefaultConnection": "Server=(localdb)\\\\mssqllocaldb;Database={t.proj};Trusted_Connection=True;"',
                    'conn_no_password', 'Trusted_Connection=True')
        s.add('  },', '  "AllowedHosts": "*",', '  "Integrations": {')
    t.sink('Options/IntegrationDefaults.cs', 'cs', 'P', ind='    ', db='ado', flav=[('env_lookup', 'Environment.GetEnvironmentVariable("%U")')],
           head='namespace @Proj.Api.Options;\n\npublic static class IntegrationDefaults\n{', foot='}')
    code(t, 'Program.cs', '''
        using Stripe;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddControllers();''',
         [('StripeConfiguration.ApiKey = builder.Configuration["Integrations:StripeSecretKey"];', 'config_reference',
           'builder.Configuration["Integrations:StripeSecretKey"]'),
          ('var signingKey = Environment.GetEnvironmentVariable("JWT_SIGNING_KEY");', 'env_lookup', 'Environment.GetEnvironmentVariable("JWT_SIGNING_KEY")')],
         'var app = builder.Build();\napp.MapControllers();\napp.Run();')
    code(t, 'Models/RegisterModel.cs', 'using System.ComponentModel.DataAnnotations;\n\nnamespace @Proj.Api.Models;\n\npublic class RegisterModel\n{'
         '\n    [Required, EmailAddress] public string Email { get; set; } = "";',
         [('    [Required, DataType(DataType.Password), MinLength(12)]', 'password_field'), '    public string Password { get; set; } = "";',
          ('    [Compare(nameof(Password))] public string ConfirmPassword { get; set; } = "";', 'password_field')], '}')
    f = t.f('packages.lock.json', '{\n  "version": 1,\n  "dependencies": {\n    "net8.0": {')
    for i, p in enumerate(['Stripe.net', 'Serilog.AspNetCore', 'Newtonsoft.Json', 'Serilog']):
        f.add(f'      "{p}": {{', '        "type": "Direct",', f'        "resolved": "{R.randint(3, 45)}.{R.randint(0, 9)}.1",')
        f.dec(f'        "contentHash": "{b64(rb(64))}"', 'content_hash', None); f.add('      }' + (',' if i < 3 else ''))
    f.add('    }', '  }', '}')
    t.f('Properties/launchSettings.json', '{\n  "profiles": {\n    "http": {\n      "commandName": "Project",\n'
        '      "applicationUrl": "http://localhost:5080",\n      "environmentVariables": { "ASPNETCORE_ENVIRONMENT": "Development" }\n    }\n  }\n}')
    css(t, 'wwwroot/css/site.css')
    i18n(t, 'Resources/SharedResource.en.resx', '  <data name="{K}" xml:space="preserve"><value>{v}</value></data>',
         '<?xml version="1.0" encoding="utf-8"?>\n<root>', '</root>')
    f = t.f('tests/@Proj.Api.Tests/PaymentServiceTests.cs', 'namespace @Proj.Api.Tests;\n\npublic class PaymentServiceTests\n{\n'
            '    [Fact]\n    public void MapsStripeIds()\n    {')
    test_ids(f, '        ', 'const string {n} = "{v}";'); f.add('    }', '}')


def st_ansible(t):
    fl = [('template_var', '"{{ vault_%s }}"'), ('env_lookup', '"{{ lookup(\'env\', \'%U\') }}"')]
    t.f('ansible.cfg', '[defaults]\ninventory = inventory/production.ini\nroles_path = roles\nhost_key_checking = True')
    t.f('inventory/production.ini', '[web]\nweb01.@ORG.net\nweb02.@ORG.net\n\n[db]\ndb01.@ORG.net')
    t.sink('group_vars/all.yml', 'yaml', 's', flav=fl, w=1.3, head='---\napp_name: @PROJ\napp_user: deploy\napp_port: 8000')
    t.sink('group_vars/production.yml', 'yaml', 's', flav=fl, head='---\napp_env: production\nworkers: 4')
    t.sink('host_vars/db01.@ORG.net.yml', 'yaml', 's', flav=fl, w=0.7, head='---\npostgres_version: 16\npostgres_listen: "10.0.3.17"')
    t.sink('roles/app/defaults/main.yml', 'yaml', 's', flav=fl, pl=False, w=0.8, dk=[('placeholder', 3), ('secret_named_setting', 2), ('indirect', 1)],
           head='---\n# defaults; real values come from group_vars / vault')
    code(t, 'roles/app/tasks/main.yml', '''
        ---
        - name: Render environment file
          ansible.builtin.template:
            src: app.env.j2
            dest: /etc/@PROJ/app.env
            mode: "0600"
          no_log: true
        - name: Create service user
          ansible.builtin.user:
            name: "{{ app_user }}"''',
         [('    password: "{{ app_user_password | password_hash(\'sha512\') }}"', 'template_var', 'password_hash(\'sha512\')')])
    code(t, 'roles/app/templates/app.env.j2', '# managed by ansible',
         [(f'{nm(w, "U")}={{{{ {nm(w, "s")} }}}}', 'template_var') for w in R.sample(SN, 5)])
    f = t.f('roles/common/files/authorized_keys')
    for c in R.sample(['alice@laptop', 'bob@workstation', 'deploy@ci', 'ops@bastion'], 3): f.dec(ssh_pub(c), 'ssh_public_key')
    t.f('roles/app/handlers/main.yml', '---\n- name: restart app\n  ansible.builtin.systemd:\n    name: @PROJ\n    state: restarted')
    t.f('site.yml', '---\n- hosts: web\n  become: true\n  roles:\n    - common\n    - app')
    t.f('requirements.yml', '---\ncollections:\n  - name: community.postgresql\n    version: 3.4.0')


def st_k8s(t):
    t.sink('k8s/base/secret.yaml', 'yaml', 'U', ind='  ', w=1.5,
           head='apiVersion: v1\nkind: Secret\nmetadata:\n  name: @PROJ-secrets\ntype: Opaque\nstringData:')
    t.sink('k8s/base/configmap.yaml', 'yaml', 'U', ind='  ', w=0.6, head='apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: @PROJ-config\ndata:')
    hv = [('template_var', '"{{ .Values.secrets.%c }}"')]
    t.sink('helm/@PROJ/values.yaml', 'yaml', 'c', ind='  ', pl=False, dk=[('placeholder', 3), ('secret_file_path', 1), ('cloud_secret_ref', 1)],
           head='replicaCount: 2\nimage:\n  repository: ghcr.io/@ORG/@PROJ\n  tag: ""\nsecrets:')
    t.sink('helm/@PROJ/values-prod.yaml', 'yaml', 'c', ind='  ', flav=hv, head='replicaCount: 4\nsecrets:')
    f = t.f('k8s/base/deployment.yaml', '''
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: @PROJ
        spec:
          template:
            spec:
              containers:
                - name: app''')
    f.dec(f'          image: ghcr.io/{t.org}/{t.proj}@sha256:{hx(64)}', 'content_hash', None)
    f.add('          envFrom:', '            - secretRef:', f'                name: {t.proj}-secrets')
    t.f('k8s/base/kustomization.yaml', 'resources:\n  - deployment.yaml\n  - secret.yaml\n  - configmap.yaml\n  - jwt-public-key.yaml')
    f = t.f('k8s/base/jwt-public-key.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: jwt-verify\ndata:\n  public.pem: |')
    f.block(['    ' + l for l in pub_pem()], dk='public_key_pem')
    t.f('helm/@PROJ/Chart.yaml', 'apiVersion: v2\nname: @PROJ\nversion: 0.7.3\ndependencies:\n  - name: redis\n    version: 19.6.0\n'
        '    repository: oci://registry-1.docker.io/bitnamicharts')
    f = t.f('helm/@PROJ/Chart.lock', 'dependencies:\n- name: redis\n  repository: oci://registry-1.docker.io/bitnamicharts\n  version: 19.6.0')
    f.dec(f'digest: sha256:{hx(64)}', 'content_hash'); f.add('generated: "2024-07-30T10:12:44.512Z"')
    code(t, 'helm/@PROJ/templates/secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ include "app.fullname" . }}\ndata:',
         [(f'  {nm(w, "U")}: {{{{ .Values.secrets.{nm(w, "c")} | b64enc | quote }}}}', 'template_var') for w in R.sample(SN, 4)])
    t.f('helm/@PROJ/templates/_helpers.tpl', '{{- define "app.fullname" -}}\n{{ .Release.Name }}-{{ .Chart.Name }}\n{{- end }}')


def st_terraform(t):
    fl = [('template_var', 'var.%s')]
    t.sink('terraform.tfvars', 'tf', 's', w=1.5, head='region      = "eu-west-1"\nenvironment = "production"')
    t.sink('env/prod.auto.tfvars', 'tf', 's', w=0.7, head='instance_type = "t3.medium"')
    t.sink('locals.tf', 'tf', 's', ind='  ', flav=fl, w=0.6, head='locals {\n  name = "@PROJ"', foot='}')
    g = plant('aws') if t.pull('aws') else []
    f = t.f('providers.tf', 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws", version = "~> 5.60" }\n  }\n}\n\n'
            'provider "aws" {\n  region     = var.region')
    for e, n in zip(g, ['access_key', 'secret_key', 'token']): f.sec(f'  {n:<10} = "{e["v"]}"', 'aws', e['kind'], e['v'])
    f.add('}')
    code(t, 'variables.tf', 'variable "region" {\n  type = string\n}',
         ['', 'variable "db_password" {', '  type      = string', ('  sensitive = true', 'secret_named_setting', 'sensitive'), '}'])
    code(t, 'main.tf', 'resource "aws_kms_key" "app" {\n  description = "@PROJ data key"\n}\n\nresource "aws_key_pair" "deploy" {\n  key_name   = "deploy"',
         [(f'  public_key = "{ssh_pub("deploy@ci")}"', 'ssh_public_key', None), '}', '',
          'resource "aws_secretsmanager_secret_version" "db" {',
          (f'  secret_id     = "arn:aws:secretsmanager:eu-west-1:{dig(12)}:secret:prod/db-{rs(6)}"', 'cloud_secret_ref', None),
          ('  secret_string = var.db_password', 'template_var', 'var.db_password'), '}', '', 'data "aws_kms_alias" "s3" {',
          (f'  name = "alias/aws/s3" # arn:aws:kms:eu-west-1:{dig(12)}:key/{uid()}', 'cloud_secret_ref', None), '}'])
    code(t, 'modules/rds/main.tf', 'resource "aws_db_instance" "this" {\n  engine         = "postgres"\n  instance_class = "db.t3.medium"\n  username       = "app"',
         [('  password       = var.db_password', 'template_var', 'var.db_password')], '}')
    t.f('backend.tf', 'terraform {\n  backend "s3" {\n    bucket = "@ORG-tfstate"\n    key    = "@PROJ/prod.tfstate"\n    region = "eu-west-1"\n  }\n}')
    t.f('outputs.tf', 'output "kms_key_id" {\n  value = aws_kms_key.app.key_id\n}')
    f = t.f('.terraform.lock.hcl', '# This file is maintained automatically by "terraform init".\n\nprovider "registry.terraform.io/hashicorp/aws" {\n'
            '  version     = "5.61.0"\n  constraints = "~> 5.60"\n  hashes = [')
    f.dec(f'    "h1:{b64(rb(32))}",', 'content_hash', None)
    for _ in range(R.randint(4, 7)): f.dec(f'    "zh:{hx(64)}",', 'content_hash', None)
    f.add('  ]', '}')


def st_ci(t):
    t.sink('Jenkinsfile', 'groovy', 'U', ind=' ' * 8, flav=[('env_lookup', "credentials('%k')")], root=True,
           head="pipeline {\n    agent any\n    environment {\n        APP = '@PROJ'",
           foot="    }\n    stages {\n        stage('Deploy') {\n            steps { sh './scripts/deploy.sh' }\n        }\n    }\n}")
    t.sink('.gitlab-ci.yml', 'yaml', 'U', ind='  ', flav=[('template_var', '"$%U"')], root=True, head='stages: [test, deploy]\n\nvariables:',
           foot='\ndeploy:\n  stage: deploy\n  image: alpine:3.20\n  script:\n    - ./scripts/deploy.sh\n  only: [main]')
    t.sink('.github/workflows/deploy.yml', 'yaml', 'U', ind='  ', flav=[('template_var', '${{ secrets.%U }}')], root=True,
           head='name: deploy\non:\n  push:\n    branches: [main]\nenv:',
           foot='jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: ./scripts/deploy.sh')
    t.sink('scripts/deploy.sh', 'sh', 'U', flav=[('template_var', '"${%U:?missing}"')], root=True, w=1.2,
           head='#!/usr/bin/env bash\nset -euo pipefail', foot='\ndocker compose pull && docker compose up -d')
    t.sink('docker-compose.yml', 'yaml', 'U', ind=' ' * 6, flav=[('template_var', '"${%U}"')], root=True,
           head='services:\n  app:\n    build: .\n    ports: ["8080:8080"]\n    environment:',
           foot='  redis:\n    image: redis:7-alpine')
    code(t, '.github/workflows/ci.yml', 'name: ci\non: [pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:',
         [(f'      - uses: {a}@{hx(40)} # {v}', 'git_sha', None) for a, v in
          R.sample([('actions/checkout', 'v4.1.7'), ('actions/setup-node', 'v4.0.3'), ('actions/cache', 'v4.0.2'),
                    ('docker/login-action', 'v3.3.0'), ('aws-actions/configure-aws-credentials', 'v4.0.2')], 3)]
         + ['      - run: make test'])
    code(t, 'Dockerfile', '', [(f'FROM eclipse-temurin:21-jre@sha256:{hx(64)}', 'content_hash', None), (f'ARG VCS_REF={hx(40)}', 'git_sha', None),
                              'WORKDIR /app', 'COPY . .', 'ENTRYPOINT ["./bin/start"]'])
    t.f('Makefile', 'setup:\n\t./scripts/bootstrap.sh\n\ntest:\n\t./scripts/test.sh\n', root=True)


def st_elixir(t):
    fl = [('env_lookup', 'System.get_env("%U")')]
    t.f('mix.exs', 'defmodule @Proj.MixProject do\n  use Mix.Project\n\n  def project do\n    [app: :@PROJ, version: "0.9.0", elixir: "~> 1.16", deps: deps()]\n'
        '  end\n\n  defp deps do\n    [{:phoenix, "~> 1.7"}, {:ecto_sql, "~> 3.11"}, {:postgrex, ">= 0.0.0"}, {:bcrypt_elixir, "~> 3.0"}]\n  end\nend')
    f = t.f('mix.lock', '%{')
    for p in R.sample(['phoenix', 'ecto_sql', 'postgrex', 'jason', 'plug', 'telemetry', 'bcrypt_elixir'], 5):
        f.dec(f'  "{p}": {{:hex, :{p}, "{R.randint(0, 3)}.{R.randint(0, 20)}.{R.randint(0, 9)}", "{hx(64)}", [:mix], [], "hexpm", "{hx(64)}"}},',
              'content_hash', None)
    f.add('}')
    t.sink('config/config.exs', 'exs', 's', ind='  ', flav=fl, db='ecto', head='import Config\n\nconfig :@PROJ, ecto_repos: [@Proj.Repo]\n\n'
           'config :@PROJ, :integrations,', foot='  region: "eu-west-1"\n\nimport_config "#{config_env()}.exs"')
    t.sink('config/dev.exs', 'exs', 's', ind='  ', flav=fl, db='ecto', w=0.8, head='import Config\n\nconfig :@PROJ, :dev_overrides,',
           foot='  pool_size: 10')
    t.sink('config/prod.exs', 'exs', 's', ind='  ', flav=fl, db='ecto', head='import Config\n\nconfig :@PROJ, :services,', foot='  timeout: 15_000')
    code(t, 'config/runtime.exs', 'import Config\n\nif config_env() == :prod do',
         [('  secret_key_base = System.fetch_env!("SECRET_KEY_BASE")', 'env_lookup', 'System.fetch_env!("SECRET_KEY_BASE")'),
          ('  database_url = System.get_env("DATABASE_URL") || raise "DATABASE_URL is missing"', 'env_lookup', 'System.get_env("DATABASE_URL")'),
          '  config :@PROJ, @Proj.Repo, url: database_url'], 'end')
    t.f('lib/@PROJ/application.ex', 'defmodule @Proj.Application do\n  use Application\n\n  def start(_type, _args) do\n'
        '    Supervisor.start_link([@Proj.Repo], strategy: :one_for_one, name: @Proj.Supervisor)\n  end\nend')
    code(t, 'lib/@PROJ/accounts/user.ex', 'defmodule @Proj.Accounts.User do\n  use Ecto.Schema\n  import Ecto.Changeset\n\n  schema "users" do\n    field :email, :string',
         [('    field :password, :string, virtual: true, redact: true', 'password_field'), '    field :hashed_password, :string', '  end', '',
          '  def registration_changeset(user, attrs) do', '    user', '    |> cast(attrs, [:email, :password])',
          ('    |> validate_length(:password, min: 12, max: 72)', 'password_field')], '  end\nend')
    f = t.f('priv/gettext/en/LC_MESSAGES/errors.po', 'msgid ""\nmsgstr ""')
    for k, v in R.sample(MSGS, 4): f.add(''); f.dec(f'msgid "{k}"', 'i18n_key'); f.add(f'msgstr "{v}"')
    code(t, 'priv/repo/seeds.exs', 'alias @Proj.Repo\n# hashed_password values are bcrypt digests, not plaintext',
         [(f'Repo.insert!(%@Proj.Accounts.User{{email: "{u}@{t.org}.com", hashed_password: "{h}"}})', 'password_hash', h)
          for u, h in [(u, bcrypt_hash()) for u in R.sample(['admin', 'demo', 'qa'], 2)]])
    f = t.f('test/@PROJ_web/controllers/payment_controller_test.exs', 'defmodule @ProjWeb.PaymentControllerTest do\n  use ExUnit.Case, async: true\n\n'
            '  test "maps fixtures" do')
    test_ids(f, '    ', '{n} = "{v}"'); f.add('  end', 'end')
    css(t, 'assets/css/app.css')


def st_rust(t):
    t.f('Cargo.toml', '[package]\nname = "@PROJ-edge"\nversion = "0.4.2"\nedition = "2021"\n\n[dependencies]\naxum = "0.7"\n'
        'tokio = { version = "1", features = ["full"] }\nserde = { version = "1", features = ["derive"] }\nconfig = "0.14"')
    f = t.f('Cargo.lock', '# This file is automatically @generated by Cargo.\nversion = 3')
    for p in R.sample(['axum', 'tokio', 'serde', 'config', 'hyper', 'tower', 'bytes', 'mio'], 5):
        f.add('', '[[package]]', f'name = "{p}"', f'version = "{R.randint(0, 1)}.{R.randint(0, 40)}.{R.randint(0, 9)}"',
              'source = "registry+https://github.com/rust-lang/crates.io-index"')
        f.dec(f'checksum = "{hx(64)}"', 'content_hash')
    t.sink('config.toml', 'toml', 's', w=1.3, head='[server]\nhost = "0.0.0.0"\nport = 8443\n\n[integrations]', foot='\n[logging]\nlevel = "info"')
    t.sink('config/production.toml', 'toml', 's', head='[integrations]')
    t.sink('.cargo/config.toml', 'toml', 'U', w=0.6, head='[build]\nrustflags = ["-C", "target-cpu=native"]\n\n[env]')
    t.sink('src/defaults.rs', 'rs', 'U', flav=[('env_lookup', 'env!("%U")')], w=0.8, head='//! Built-in defaults, compiled into the binary.')
    if t.pull('generic'):
        v = 'cio' + rs(32); f = t.f('.cargo/credentials.toml', '[registries.@ORG]'); f.sec(f'token = "{v}"', 'generic', 'cargo_registry_token', v)
    t.f('src/main.rs', 'mod defaults;\nmod handlers;\n\n#[tokio::main]\nasync fn main() {\n    let app = handlers::router();\n'
        '    let listener = tokio::net::TcpListener::bind("0.0.0.0:8443").await.unwrap();\n    axum::serve(listener, app).await.unwrap();\n}')
    code(t, 'src/handlers.rs', 'use axum::{routing::get, Router};\n\npub fn router() -> Router {\n    Router::new().route("/health", get(|| async { "ok" }))\n}\n\n'
         'pub fn upstream_key() -> String {',
         [('    std::env::var("UPSTREAM_API_KEY").unwrap_or_default()', 'env_lookup', 'std::env::var("UPSTREAM_API_KEY")')], '}')
    f = t.f('tests/api.rs', '#[test]\nfn parses_fixture() {')
    test_ids(f, '    ', 'let {n} = "{v}";'); f.add('}')


# ---------------------------------------------------------------- corpus assembly
STACKS = [('android', st_android, 'android', 'Android app'), ('ios', st_ios, 'ios', 'iOS app'),
          ('spring', st_spring, 'service', 'Spring Boot service'), ('akka', st_akka, 'stream', 'Scala/Akka stream processor'),
          ('php', st_php, 'web', 'Laravel web app + WordPress blog'), ('dotnet', st_dotnet, 'api', '.NET API'),
          ('ansible', st_ansible, 'ansible', 'Ansible playbooks'), ('k8s', st_k8s, 'deploy', 'Kubernetes + Helm deployment'),
          ('terraform', st_terraform, 'infra', 'Terraform infrastructure'), ('ci', st_ci, '', 'CI pipelines'),
          ('elixir', st_elixir, 'realtime', 'Elixir/Phoenix service'), ('rust', st_rust, 'edge', 'Rust edge proxy')]
FAMS = ['stripe', 'aws', 'jwt', 'fernet', 'private_key', 'github', 'slack', 'google', 'openai', 'anthropic', 'twilio',
        'sendgrid', 'heroku', 'sentry', 'npm']
SERVER_ONLY = {'heroku', 'npm', 'github', 'database', 'private_key'}


def make_plans(n):
    sc = n / 6.0
    cnt = {f: max(1, round((8 + R.randint(0, 3)) * sc)) for f in FAMS}
    cnt['aws'] = max(1, round((4 + R.randint(0, 1)) * sc))  # each aws group plants 2-3 secrets
    other = sum(cnt.values()) + cnt['aws'] * 1.3
    gd = round(other * 45 / 55)
    cnt['database'] = round(gd * 0.4); cnt['generic'] = gd - cnt['database']
    items = [f for f, c in cnt.items() for _ in range(c)]; R.shuffle(items)
    plans = [[] for _ in range(n)]
    for k, f in enumerate(items): plans[k % n].append(f)
    return plans


def build_tree(i, off, plan):
    st = [STACKS[(off + 2 * i) % 12], STACKS[(off + 2 * i + 1) % 12]]
    t = T(f't{i + 1:02d}-{st[0][0]}-{st[1][0]}', plan)
    for j, (key, fn, subdir, _) in enumerate(st):
        t.base = '' if j == 0 or key == 'ci' else subdir
        fn(t)
    t.base = ''
    readme(t, ' and '.join(s[3] for s in st), R.randint(4, 6))
    if 'npm' in t.plan and R.random() < 0.6:
        t.plan.remove('npm'); v = crc_tok('npm_')
        f = t.f('.npmrc', root=True); f.add('registry=https://registry.npmjs.org/')
        f.sec(f'//registry.npmjs.org/:_authToken={v}', 'npm', 'npm_authtoken_npmrc', v)
        f.dec('//npm.pkg.github.com/:_authToken=${GITHUB_PACKAGES_TOKEN}', 'template_var', '${GITHUB_PACKAGES_TOKEN}')
        f.add(f'@{t.org}:registry=https://npm.pkg.github.com', 'always-auth=true')
    for fam in t.plan:
        cands = [s for s in t.sinks if s.pl and not (s.mob and fam in SERVER_ONLY)] or [s for s in t.sinks if s.pl]
        sk = R.choices(cands, weights=[s.w for s in cands])[0]
        g = plant(fam, sk.db)
        if g[0].get('pem') and sk.fmt not in PEMOK:
            e = g[0]; d = (sk.base + '/' if sk.base else '') + pick(['keys', 'certs', 'secrets', 'config/keys'])
            name = {'openssh_private_key': pick(['id_ed25519', 'deploy_key'])}.get(e['kind'], pick(['server.key', 'jwt_private.pem',
                    'signing-key.pem', 'client-key.pem', 'saml_sp.key']))
            t.f(f'{d}/{name}', root=True).block(e['pem'], e['fam'], e['kind'], e['sec'])
        else:
            sk.groups.append(g)
    nt = sum(len(f.tr) for f in t.files.values()) + sum(1 for s in t.sinks for g in s.groups for e in g if e.get('fam'))
    nd = sum(len(f.dc) for f in t.files.values()) + sum(1 for s in t.sinks for g in s.groups for e in g if e.get('dk'))
    for _ in range(max(0, 4 * nt - nd)):
        sk = R.choices(t.sinks, weights=[s.w * (1.0 if s.pl else 1.5) for s in t.sinks])[0]
        sk.groups.append([kv_decoy(sk)])
    for s in t.sinks: s.finish()
    t.stacks = [s[0] for s in st]
    return t


def verify(out, truth, decoys):
    cache = {}
    def lines(tree, path):
        k = (tree, path)
        if k not in cache:
            with open(os.path.join(out, 'trees', tree, path), encoding='utf-8') as fh: cache[k] = fh.read().split('\n')
        return cache[k]
    taken = collections.defaultdict(set)
    for x in truth:
        L, a, b = lines(x['tree'], x['path']), x['line'], x['end_line']
        for n in range(a, b + 1):
            assert n not in taken[(x['tree'], x['path'])], ('two secrets on a line', x); taken[(x['tree'], x['path'])].add(n)
        if a == b:
            assert x['secret'] in L[a - 1], x
        else:
            s = x['secret'].split('\n')
            assert len(s) == b - a + 1 and s[0] in L[a - 1] and s[-1] in L[b - 1], x
            assert all(L[a - 1 + k].strip() == s[k] for k in range(1, len(s) - 1)), x
    for d in decoys:
        L, a, b = lines(d['tree'], d['path']), d['line'], d['end_line']
        assert not any(n in taken[(d['tree'], d['path'])] for n in range(a, b + 1)), ('decoy on secret line', d)
        assert d['mark'] in L[a - 1] and d.get('last', '') in L[b - 1], d
    # every single-line secret must occur only on its own line(s) within its tree
    by_tree = collections.defaultdict(list)
    for (tree, path), L in cache.items(): by_tree[tree].append(L)
    for tree in {x['tree'] for x in truth}:
        for root, _, fs in os.walk(os.path.join(out, 'trees', tree)):
            for fn in fs: lines(tree, os.path.relpath(os.path.join(root, fn), os.path.join(out, 'trees', tree)))
    for x in truth:
        if x['line'] == x['end_line']:
            hits = sum(l.count(x['secret']) for (tr, p), L in cache.items() if tr == x['tree'] for l in L)
            assert hits == 1, ('secret repeated', x)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', required=True); ap.add_argument('--trees', type=int, default=6); ap.add_argument('--seed', type=int, default=1)
    a = ap.parse_args()
    R.seed(a.seed)
    if os.path.isdir(os.path.join(a.out, 'trees')): shutil.rmtree(os.path.join(a.out, 'trees'))
    plans = make_plans(a.trees)
    truth, decoys, trees = [], [], []
    for i in range(a.trees):
        t = build_tree(i, a.seed % 12, plans[i])
        for f in t.files.values():
            p = os.path.join(a.out, 'trees', t.name, f.path); os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, 'w', encoding='utf-8') as fh: fh.write('\n'.join(f.L) + '\n')
            truth += [dict(tree=t.name, path=f.path, **x) for x in f.tr]
            decoys += [dict(tree=t.name, path=f.path, **x) for x in f.dc]
        trees.append(dict(tree=t.name, stacks=t.stacks, files=len(t.files), secrets=sum(len(f.tr) for f in t.files.values()),
                          decoys=sum(len(f.dc) for f in t.files.values())))
    verify(a.out, truth, decoys)
    key = lambda x: (x['tree'], x['path'], x['line'])
    truth.sort(key=key); decoys.sort(key=key)
    out_dec = [{k: d[k] for k in ('tree', 'path', 'line', 'end_line', 'kind')} for d in decoys]
    out_tr = [{k: x[k] for k in ('tree', 'path', 'line', 'end_line', 'family', 'kind', 'secret')} for x in truth]
    man = dict(seed=a.seed, trees=trees, total_secrets=len(truth), total_decoys=len(decoys),
               families=dict(sorted(collections.Counter(x['family'] for x in truth).items())),
               secret_kinds=dict(sorted(collections.Counter(x['kind'] for x in truth).items())),
               decoy_kinds=dict(sorted(collections.Counter(d['kind'] for d in decoys).items())))
    for n, o in (('truth.json', out_tr), ('decoys.json', out_dec), ('manifest.json', man)):
        with open(os.path.join(a.out, n), 'w') as fh: json.dump(o, fh, indent=1)
    print(f'ok: {len(truth)} secrets, {len(decoys)} decoys in {a.trees} trees -> {a.out}')


if __name__ == '__main__':
    main()
