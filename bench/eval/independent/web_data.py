#!/usr/bin/env python3
"""Independent hold-out corpus generator for secret scanners (stdlib only, deterministic).

usage: python3 gen.py --out DIR --trees N --seed S
"""
import argparse, base64, json, os, random, re, shutil, string, struct, uuid

AN = string.ascii_letters + string.digits
UPN = string.ascii_uppercase + string.digits
B32 = string.ascii_uppercase + '234567'
HEXD = '0123456789abcdef'
URLS = AN + '-_'
B64S = AN + '+/'
DJ = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)'
WORDS = ('amber anchor apple atlas birch bison cedar cobalt comet copper coral crane delta ember falcon fern '
         'garnet glacier harbor hazel heron indigo iris jasper juniper kestrel lantern laurel lumen maple '
         'marble meadow nickel nova oak onyx orbit osprey pebble pine quartz raven river saffron sage '
         'sparrow spruce summit tango thistle timber topaz tundra velvet willow zephyr').split()
SYM = '!*-_.@^~+?'
COMPANY = ['acme', 'northwind', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'tyrell', 'vandelay']


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def s(self, n, al=AN): return ''.join(self.r.choice(al) for _ in range(n))
    def hex(self, n): return self.s(n, HEXD)
    def by(self, n): return bytes(self.r.getrandbits(8) for _ in range(n))
    def b64(self, n): return base64.b64encode(self.by(n)).decode()
    def b64u(self, n, pad=False):
        x = base64.urlsafe_b64encode(self.by(n)).decode()
        return x if pad else x.rstrip('=')
    def uuid(self): return str(uuid.UUID(int=self.r.getrandbits(128), version=4))
    def pick(self, xs): return self.r.choice(list(xs))
    def chance(self, p): return self.r.random() < p
    def num(self, n): return str(self.r.randint(1, 9)) + self.s(n - 1, string.digits)
    def ri(self, a, b): return self.r.randint(a, b)
    def word(self): return self.pick(WORDS)

    def human_pw(self):
        p = self.ri(0, 3)
        if p == 0:
            return f"{self.word().capitalize()}-{self.word().capitalize()}-{self.num(2)}{self.pick('!*?^~')}"
        if p == 1:
            return f"{self.word().capitalize()}{self.pick(SYM)}{self.num(4)}{self.pick(SYM)}{self.word()}"
        if p == 2:
            return self.s(1, string.ascii_uppercase) + self.s(6, AN) + self.pick('!*^~') + self.num(3) + self.s(6, AN)
        return f"{self.word()}{self.num(2)}{self.word().capitalize()}{self.pick('!*?^~')}{self.num(2)}"

    def url_pw(self):
        return self.s(self.ri(16, 28), AN) if self.chance(0.6) else \
            f"{self.word().capitalize()}{self.num(3)}{self.s(8, AN)}{self.pick('-_.~')}{self.s(4, AN)}"


# ---------------------------------------------------------------- provider token shapes
def pem_wrap(tag, der, width=64, extra=()):
    b = base64.b64encode(der).decode()
    return [f'-----BEGIN {tag}-----', *extra] + [b[i:i + width] for i in range(0, len(b), width)] + [f'-----END {tag}-----']


def sstr(b): return struct.pack('>I', len(b)) + b


def gen_pem(g, variant):
    if variant == 'rsa':
        big = g.chance(0.3)
        pre = bytes.fromhex('3082092802010002820201' if big else '308204a402010002820101')
        total = (0x928 if big else 0x4a4) + 4
        mod = b'\x00' + bytes([0x80 | g.ri(0, 127)]) + g.by(511 if big else 255)
        der = pre + mod + bytes.fromhex('0203010001')
        return pem_wrap('RSA PRIVATE KEY', der + g.by(total - len(der)))
    if variant == 'rsa_legacy_enc':
        der = g.by(1192)
        return pem_wrap('RSA PRIVATE KEY', der, extra=('Proc-Type: 4,ENCRYPTED', f'DEK-Info: AES-128-CBC,{g.hex(32).upper()}', ''))
    if variant == 'ec':
        der = bytes.fromhex('30770201010420') + g.by(32) + bytes.fromhex('a00a06082a8648ce3d030107a14403420004') + g.by(64)
        return pem_wrap('EC PRIVATE KEY', der)
    if variant == 'pkcs8':
        if g.chance(0.5):
            der = bytes.fromhex('308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b0201010420') + g.by(32) \
                + bytes.fromhex('a14403420004') + g.by(64)
        else:
            der = bytes.fromhex('308204bd020100300d06092a864886f70d0101010500048204a7308204a302010002820101') \
                + bytes([0x80 | g.ri(0, 127)]) + g.by(255) + bytes.fromhex('0203010001')
            der += g.by(0x4bd + 4 - len(der))
        return pem_wrap('PRIVATE KEY', der)
    if variant == 'encrypted':
        der = (bytes.fromhex('3082051c304e06092a864886f70d01050d3041302906092a864886f70d01050c301c0408') + g.by(8)
               + bytes.fromhex('02020800300c06082a864886f70d02090500301406082a864886f70d03070408') + g.by(8)
               + bytes.fromhex('048204c8') + g.by(0x4c8))
        return pem_wrap('ENCRYPTED PRIVATE KEY', der)
    # openssh ed25519
    pk, sk = g.by(32), g.by(32)
    ck = g.by(4)
    pub = sstr(b'ssh-ed25519') + sstr(pk)
    priv = ck + ck + pub + sstr(sk + pk) + sstr(f'{g.word()}@{g.pick(COMPANY)}-ci'.encode())
    priv += bytes(range(1, 1 + (-len(priv)) % 8))
    blob = b'openssh-key-v1\x00' + sstr(b'none') + sstr(b'none') + sstr(b'') + struct.pack('>I', 1) + sstr(pub) + sstr(priv)
    return pem_wrap('OPENSSH PRIVATE KEY', blob, width=70)


def b64url_json(d): return base64.urlsafe_b64encode(json.dumps(d, separators=(',', ':')).encode()).decode().rstrip('=')


def gen_jwt(g):
    alg = g.pick(['HS256', 'HS256', 'HS512', 'RS256'])
    iat = g.ri(1690000000, 1735000000)
    co = g.pick(COMPANY)
    hdr = {'alg': alg, 'typ': 'JWT'}
    if alg == 'RS256':
        hdr['kid'] = g.s(16, URLS)
    pl = {'iss': f'https://auth.{co}.io/', 'sub': g.pick(['svc-billing', 'svc-reporting', 'etl-runner', 'ops-bot', f'user_{g.num(6)}']),
          'aud': g.pick(['internal-api', f'api.{co}.io', 'orders']), 'iat': iat, 'exp': iat + g.pick([86400 * 365, 86400 * 730, 3600 * 12])}
    if g.chance(0.5):
        pl['scope'] = g.pick(['read:orders write:orders', 'admin', 'reports:read', 'ingest'])
    n = {'HS256': 32, 'HS512': 64, 'RS256': 256}[alg]
    return f'{b64url_json(hdr)}.{b64url_json(pl)}.{g.b64u(n)}'


def fernet_token(g):
    ts = g.ri(1690000000, 1735000000)
    raw = b'\x80' + struct.pack('>Q', ts) + g.by(16) + g.by(16 * g.ri(2, 6)) + g.by(32)
    return base64.urlsafe_b64encode(raw).decode()


def db_url(g, scheme):
    u = g.pick(['app', 'svc_orders', 'analytics', 'admin', 'django', 'rails', 'etl', 'api_rw', 'reporting'])
    pw, co, db = g.url_pw(), g.pick(COMPANY), g.pick(['orders', 'core', 'app_prod', 'warehouse', 'billing', 'ledger'])
    host = g.pick([f'db.{co}.internal', f'{co}-prod.c{g.s(12, string.ascii_lowercase + string.digits)}.us-east-1.rds.amazonaws.com',
                   'postgres', f'10.0.{g.ri(1, 40)}.{g.ri(2, 250)}', f'pg-primary.{co}.net'])
    if scheme == 'postgres': return f'{g.pick(["postgres", "postgresql"])}://{u}:{pw}@{host}:5432/{db}'
    if scheme == 'asyncpg': return f'postgresql+asyncpg://{u}:{pw}@{host}:5432/{db}'
    if scheme == 'mysql': return f'{g.pick(["mysql", "mysql+pymysql", "mysql2"])}://{u}:{pw}@{host.replace("postgres", "mysql").replace("pg-primary", "mysql-primary")}:3306/{db}'
    if scheme == 'mongo': return f'mongodb+srv://{u}:{pw}@cluster0.{g.s(5, string.ascii_lowercase + string.digits)}.mongodb.net/{db}?retryWrites=true&w=majority'
    if scheme == 'redis': return f'redis://{g.pick(["", "default"])}:{pw}@{g.pick(["redis", "cache." + co + ".internal"])}:6379/{g.ri(0, 3)}'
    if scheme == 'rediss': return f'rediss://default:{pw}@{g.pick(["usw1-", "eu2-"])}{g.word()}-{g.num(5)}.upstash.io:6379'
    if scheme == 'amqp': return f'amqp://{u}:{pw}@rabbitmq.{co}.internal:5672/{g.pick(["%2F", "jobs", "prod"])}'
    if scheme == 'amqps': return f'amqps://{u}:{pw}@b-{g.uuid()}.mq.us-east-1.amazonaws.com:5671'
    if scheme == 'mssql': return f'mssql+pyodbc://{u}:{pw}@sql-{co}.database.windows.net:1433/{db}?driver=ODBC+Driver+18+for+SQL+Server'
    sch, port = g.pick([('postgresql', 5432), ('mysql', 3306)])
    return f'jdbc:{sch}://{host}:{port}/{db}?user={u}&password={pw}'


def aws_sk(g): return g.s(40, B64S)


def openai_key(g):
    if g.chance(0.65):
        return f'sk-proj-{g.s(g.ri(56, 74), URLS)}T3BlbkFJ{g.s(g.ri(56, 74), URLS)}'
    return f'sk-{g.s(20)}T3BlbkFJ{g.s(20)}'


# kind -> (family, generator, candidate variable names)
K = {
    'stripe_live_secret': ('stripe', lambda g: 'sk_live_' + g.s(g.pick([24, 99])), ['STRIPE_SECRET_KEY', 'STRIPE_API_KEY', 'STRIPE_LIVE_SECRET_KEY']),
    'stripe_restricted_key': ('stripe', lambda g: 'rk_live_' + g.s(g.pick([24, 99])), ['STRIPE_RESTRICTED_KEY', 'STRIPE_REPORTING_KEY']),
    'stripe_test_secret': ('stripe', lambda g: 'sk_test_' + g.s(g.pick([24, 99])), ['STRIPE_TEST_SECRET_KEY', 'STRIPE_SECRET_KEY_TEST']),
    'stripe_webhook_secret': ('stripe', lambda g: 'whsec_' + g.s(32), ['STRIPE_WEBHOOK_SECRET', 'STRIPE_ENDPOINT_SECRET']),
    'aws_access_key_id': ('aws', lambda g: 'AKIA' + g.s(16, B32), ['AWS_ACCESS_KEY_ID']),
    'aws_temp_access_key_id': ('aws', lambda g: 'ASIA' + g.s(16, B32), ['AWS_ACCESS_KEY_ID']),
    'aws_secret_access_key': ('aws', aws_sk, ['AWS_SECRET_ACCESS_KEY']),
    'aws_session_token': ('aws', lambda g: 'IQoJb3JpZ2luX2Vj' + g.s(4 * g.ri(140, 210) - 1, B64S) + '=', ['AWS_SESSION_TOKEN']),
    'jwt_service_token': ('jwt', gen_jwt, ['SERVICE_TOKEN', 'INTERNAL_API_TOKEN', 'API_ACCESS_TOKEN', 'BILLING_SERVICE_JWT']),
    'jwt_bearer': ('jwt', gen_jwt, ['ACCESS_TOKEN', 'AUTH_BEARER_TOKEN', 'ADMIN_JWT']),
    'fernet_key': ('fernet', lambda g: g.b64u(32, pad=True), ['FERNET_KEY', 'ENCRYPTION_KEY', 'FIELD_ENCRYPTION_KEY', 'DATA_ENCRYPTION_KEY']),
    'fernet_token': ('fernet', fernet_token, ['ENCRYPTED_PAYLOAD', 'ENCRYPTED_DB_PASSWORD', 'ENCRYPTED_API_CREDENTIALS']),
    'rsa_private_key': ('private_key', lambda g: gen_pem(g, 'rsa'), ['JWT_PRIVATE_KEY', 'SIGNING_PRIVATE_KEY', 'SAML_PRIVATE_KEY']),
    'rsa_encrypted_legacy': ('private_key', lambda g: gen_pem(g, 'rsa_legacy_enc'), ['TLS_PRIVATE_KEY', 'SSL_KEY']),
    'ec_private_key': ('private_key', lambda g: gen_pem(g, 'ec'), ['APNS_PRIVATE_KEY', 'EC_SIGNING_KEY', 'TLS_KEY']),
    'pkcs8_private_key': ('private_key', lambda g: gen_pem(g, 'pkcs8'), ['PRIVATE_KEY', 'GITHUB_APP_PRIVATE_KEY', 'OIDC_SIGNING_KEY']),
    'encrypted_private_key': ('private_key', lambda g: gen_pem(g, 'encrypted'), ['CLIENT_CERT_KEY', 'MTLS_PRIVATE_KEY']),
    'openssh_private_key': ('private_key', lambda g: gen_pem(g, 'openssh'), ['DEPLOY_SSH_KEY', 'SSH_PRIVATE_KEY']),
    'postgres_url': ('database', lambda g: db_url(g, 'postgres'), ['DATABASE_URL', 'POSTGRES_DSN', 'PRIMARY_DB_URL']),
    'asyncpg_url': ('database', lambda g: db_url(g, 'asyncpg'), ['SQLALCHEMY_DATABASE_URI', 'ASYNC_DATABASE_URL']),
    'mysql_url': ('database', lambda g: db_url(g, 'mysql'), ['MYSQL_URL', 'LEGACY_DB_URL']),
    'mongodb_url': ('database', lambda g: db_url(g, 'mongo'), ['MONGODB_URI', 'MONGO_URL']),
    'redis_url': ('database', lambda g: db_url(g, 'redis'), ['REDIS_URL', 'CACHE_URL']),
    'rediss_url': ('database', lambda g: db_url(g, 'rediss'), ['UPSTASH_REDIS_URL', 'RATE_LIMIT_REDIS_URL']),
    'amqp_url': ('database', lambda g: db_url(g, 'amqp'), ['CELERY_BROKER_URL', 'AMQP_URL']),
    'amqps_url': ('database', lambda g: db_url(g, 'amqps'), ['BROKER_URL', 'RABBITMQ_URL']),
    'mssql_url': ('database', lambda g: db_url(g, 'mssql'), ['MSSQL_CONN', 'REPORTING_DB_URL']),
    'jdbc_url': ('database', lambda g: db_url(g, 'jdbc'), ['JDBC_URL', 'WAREHOUSE_JDBC_URL']),
    'github_pat_classic': ('github', lambda g: 'ghp_' + g.s(36), ['GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_PAT']),
    'github_oauth_token': ('github', lambda g: 'gho_' + g.s(36), ['GITHUB_OAUTH_TOKEN']),
    'github_user_to_server': ('github', lambda g: 'ghu_' + g.s(36), ['GITHUB_USER_TOKEN']),
    'github_app_installation': ('github', lambda g: 'ghs_' + g.s(36), ['GITHUB_INSTALLATION_TOKEN']),
    'github_refresh_token': ('github', lambda g: 'ghr_' + g.s(76), ['GITHUB_REFRESH_TOKEN']),
    'github_fine_grained_pat': ('github', lambda g: f'github_pat_{g.s(22)}_{g.s(59)}', ['GITHUB_TOKEN', 'RELEASE_PAT']),
    'slack_bot_token': ('slack', lambda g: f'xoxb-{g.num(g.ri(10, 13))}-{g.num(g.ri(10, 13))}-{g.s(24)}', ['SLACK_BOT_TOKEN', 'SLACK_TOKEN']),
    'slack_user_token': ('slack', lambda g: f'xoxp-{g.num(g.ri(10, 12))}-{g.num(g.ri(10, 12))}-{g.num(13)}-{g.hex(32)}', ['SLACK_USER_TOKEN']),
    'slack_app_token': ('slack', lambda g: f'xapp-1-A{g.s(10, UPN)}-{g.num(13)}-{g.hex(64)}', ['SLACK_APP_TOKEN']),
    'slack_webhook': ('slack', lambda g: f'https://hooks.slack.com/services/T{g.s(g.ri(8, 10), UPN)}/B{g.s(g.ri(8, 10), UPN)}/{g.s(24)}',
                      ['SLACK_WEBHOOK_URL', 'ALERTS_WEBHOOK']),
    'google_api_key': ('google', lambda g: 'AIzaSy' + g.s(33, URLS), ['GOOGLE_API_KEY', 'GOOGLE_MAPS_SERVER_KEY', 'FIREBASE_API_KEY', 'YOUTUBE_API_KEY']),
    'google_oauth_client_secret': ('google', lambda g: 'GOCSPX-' + g.s(28, URLS), ['GOOGLE_CLIENT_SECRET', 'GOOGLE_OAUTH_CLIENT_SECRET']),
    'openai_api_key': ('openai', openai_key, ['OPENAI_API_KEY', 'OPENAI_KEY']),
    'anthropic_api_key': ('anthropic', lambda g: f'sk-ant-api03-{g.s(93, URLS)}AA', ['ANTHROPIC_API_KEY', 'CLAUDE_API_KEY']),
    'anthropic_admin_key': ('anthropic', lambda g: f'sk-ant-admin01-{g.s(93, URLS)}AA', ['ANTHROPIC_ADMIN_KEY']),
    'twilio_auth_token': ('twilio', lambda g: g.hex(32), ['TWILIO_AUTH_TOKEN']),
    'twilio_account_sid': ('twilio', lambda g: 'AC' + g.hex(32), ['TWILIO_ACCOUNT_SID']),
    'twilio_api_key_sid': ('twilio', lambda g: 'SK' + g.hex(32), ['TWILIO_API_KEY']),
    'twilio_api_secret': ('twilio', lambda g: g.s(32), ['TWILIO_API_SECRET']),
    'sendgrid_api_key': ('sendgrid', lambda g: f'SG.{g.s(22, URLS)}.{g.s(43, URLS)}', ['SENDGRID_API_KEY', 'EMAIL_API_KEY']),
    'heroku_api_key': ('heroku', lambda g: g.uuid(), ['HEROKU_API_KEY']),
    'sentry_dsn': ('sentry', lambda g: f'https://{g.hex(32)}:{g.hex(32)}@o{g.num(6)}.ingest.sentry.io/{g.num(7)}', ['SENTRY_DSN']),
    'sentry_dsn_legacy': ('sentry', lambda g: f'https://{g.hex(32)}:{g.hex(32)}@{g.pick(["sentry.io", "app.getsentry.com"])}/{g.num(5)}', ['SENTRY_DSN', 'RAVEN_DSN']),
    'npm_token': ('npm', lambda g: 'npm_' + g.s(36), ['NPM_TOKEN', 'NODE_AUTH_TOKEN']),
    'npmrc_auth_token': ('npm', lambda g: 'npm_' + g.s(36), ['_authToken']),
    'npmrc_legacy_uuid': ('npm', lambda g: g.uuid(), ['_authToken']),
    # generic: random or human-style secrets under secret-like names
    'django_secret_key': ('generic', lambda g: g.s(50, DJ), ['SECRET_KEY', 'DJANGO_SECRET_KEY']),
    'rails_secret_key_base': ('generic', lambda g: g.hex(128), ['SECRET_KEY_BASE']),
    'rails_master_key': ('generic', lambda g: g.hex(32), ['RAILS_MASTER_KEY']),
    'app_secret_key': ('generic', lambda g: g.pick([g.hex(64), g.b64u(32), g.b64(48)]), ['SECRET_KEY', 'APP_SECRET', 'SESSION_SECRET', 'FLASK_SECRET_KEY', 'COOKIE_SECRET']),
    'jwt_secret': ('generic', lambda g: g.pick([g.hex(64), g.b64u(48), g.s(40, AN)]), ['JWT_SECRET', 'JWT_SECRET_KEY', 'JWT_SIGNING_SECRET']),
    'api_key': ('generic', lambda g: g.pick([g.hex(32), g.s(40, AN), g.hex(40)]),
                ['INTERNAL_API_KEY', 'PARTNER_API_KEY', 'MAILGUN_API_KEY', 'DATADOG_API_KEY', 'ALGOLIA_ADMIN_API_KEY', 'PAGERDUTY_API_KEY', 'GEOCODER_API_KEY']),
    'client_secret': ('generic', lambda g: g.pick([g.s(40, URLS), g.b64u(32), g.s(34, AN + '~.')]),
                      ['OAUTH_CLIENT_SECRET', 'AUTH0_CLIENT_SECRET', 'OKTA_CLIENT_SECRET', 'AZURE_CLIENT_SECRET', 'KEYCLOAK_CLIENT_SECRET']),
    'db_password': ('generic', lambda g: g.pick([g.human_pw(), g.s(24, AN)]), ['DB_PASSWORD', 'POSTGRES_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'REDIS_PASSWORD', 'RABBITMQ_DEFAULT_PASS']),
    'auth_token': ('generic', lambda g: g.pick([g.hex(40), g.b64u(32), g.s(48, AN)]), ['AUTH_TOKEN', 'SERVICE_AUTH_TOKEN', 'METRICS_AUTH_TOKEN', 'CI_DEPLOY_TOKEN']),
    'signing_key': ('generic', lambda g: g.pick([g.hex(64), g.b64(32)]), ['SIGNING_KEY', 'HMAC_SECRET', 'WEBHOOK_SIGNING_SECRET', 'COOKIE_SIGNING_KEY']),
    'smtp_password': ('generic', lambda g: g.pick([g.human_pw(), g.s(20, AN)]), ['SMTP_PASSWORD', 'EMAIL_HOST_PASSWORD', 'MAIL_PASSWORD']),
    'admin_password': ('generic', lambda g: g.human_pw(), ['ADMIN_PASSWORD', 'SUPERUSER_PASSWORD', 'GRAFANA_ADMIN_PASSWORD', 'AIRFLOW_ADMIN_PASSWORD']),
}
FAMILY_KINDS = {}
for _k, (_f, _, _) in K.items():
    FAMILY_KINDS.setdefault(_f, []).append(_k)
OTHER_FAMS = ['stripe', 'aws', 'jwt', 'fernet', 'private_key', 'github', 'slack', 'google', 'openai', 'anthropic',
              'twilio', 'sendgrid', 'heroku', 'sentry', 'npm']


# ---------------------------------------------------------------- rendering helpers
DEFAULT_CASE = {'py': 'upper', 'nb': 'upper', 'env': 'upper', 'sh': 'upper', 'md': 'upper', 'yamlenv': 'upper', 'make': 'upper',
                'yaml': 'lower', 'ini': 'lower', 'awsini': 'lower', 'toml': 'lower', 'hcl': 'lower', 'log': 'lower', 'rb': 'lower',
                'sql': 'lower', 'nbout': 'upper', 'pyfield': 'lower', 'json': 'camel', 'js': 'camel', 'go': 'pascal',
                'pem': 'upper', 'npmrc': 'upper', 'netrc': 'upper'}
SIMPLE = re.compile(r'[A-Za-z0-9_\-./:+=@,]*$')
PK_SX = {'pem', 'env', 'json', 'py', 'yaml', 'rb', 'md', 'sh', 'js', 'go', 'hcl'}
ROLES = ['reporting_ro', 'etl_writer', 'metabase', 'app_rw', 'replicator', 'dbt_runner']
PROSE = ['Use the following for the production environment:', 'Temporary workaround until vault sync is fixed:',
         'Paste this into your shell before running the job:', 'Values used during the cutover (rotate afterwards):',
         'Known-good config from the last deploy:', 'Run from the bastion host:']


def cname(name, case):
    if name.startswith('_') or case == 'upper':
        return name
    p = name.lower().split('_')
    return {'lower': name.lower(), 'camel': p[0] + ''.join(x.capitalize() for x in p[1:]),
            'pascal': ''.join(x.capitalize() for x in p)}[case]


def q_env(g, v): return v if SIMPLE.match(v) and g.chance(0.6) else (f"'{v}'" if '$' in v else f'"{v}"')
def q_yaml(g, v): return v if SIMPLE.match(v) and v[:1].isalpha() and g.chance(0.5) else f'"{v}"'
def q_sh(v): return v if SIMPLE.match(v) else f"'{v}'"
def nbwrap(line, ind=4): return ' ' * ind + json.dumps(line + '\n') + ','


def logline(f, msg):
    f.clock += f.g.ri(1, 900)
    h, m, s = 8 + f.clock // 3600 % 14, f.clock // 60 % 60, f.clock % 60
    return f'2024-{f.day} {h:02d}:{m:02d}:{s:02d}.{f.g.ri(0, 999):03d} {msg}'


DPROSE = ['Example (real values are injected by CI):', 'For reference:', 'Template -- do not paste real values here:',
          'Set this before running the script:', 'The service reads its configuration like this:']


def md_wrap(f, lines, lang='bash', prose=PROSE):
    if f.sx != 'md':
        return lines
    return [f.g.pick(prose), '', f'```{lang}', *lines, '```', '']


def assign(f, name, v):
    g, sx, i = f.g, f.sx, f.ind
    n = cname(name, f.case)
    if sx == 'py':
        return f'{i}"{n}": "{v}",' if f.style == 'dict' else f'{i}{n} = "{v}"'
    if sx == 'pyfield': return f'{i}{n}: str = "{v}"'
    if sx == 'nb': return nbwrap(f'{n} = "{v}"')
    if sx == 'nbout': return nbwrap(f'{n}={v}', 6)
    if sx == 'env': return f'{n}={q_env(g, v)}'
    if sx in ('sh', 'md'): return f'{i}export {n}={q_sh(v)}'
    if sx == 'make': return f'{n} ?= {v}'
    if sx == 'yaml': return f'{i}{n}: {q_yaml(g, v)}'
    if sx == 'yamlenv': return f'{i}- {n}={v}'
    if sx == 'json': return f'{i}"{n}": "{v}",'
    if sx == 'js' and f.style == 'min':
        fn = g.pick('abcdefgt')
        return (f'!function({fn},r){{"use strict";var o={{{cname(name, "camel")}:"{v}",timeout:3e4,retries:3}};'
                f'function s(n){{return fetch(n,{{headers:{{"content-type":"application/json"}}}}).then(function(e){{return e.json()}})}}'
                f'{fn}.__cfg_{g.s(4, string.ascii_lowercase)}=o,{fn}.load=s}}(window,document);')
    if sx == 'js': return f'export const {n} = "{v}";' if f.style == 'const' else f'{i}{n}: "{v}",'
    if sx == 'go': return f'{i}{n} = "{v}"'
    if sx == 'rb': return f'{i}{f.pre}{n} = "{v}"'
    if sx in ('ini', 'awsini'): return f'{n} = {v}'
    if sx in ('toml', 'hcl'): return f'{i}{n} = "{v}"'
    if sx == 'log': return logline(f, f'DEBUG [settings] {n}={v}')
    if sx == 'sql': return f"INSERT INTO app_settings (key, value) VALUES ('{n}', '{v}');"
    return None


def cmdline(g, it, v):
    fam, kind, co = it['fam'], it['kind'], g.pick(COMPANY)
    if fam == 'jwt': return f"curl -s -H 'Authorization: Bearer {v}' https://api.{co}.io/v1/{g.pick(['orders', 'reports', 'admin/users'])}"
    if fam == 'github': return g.pick([f'curl -H "Authorization: token {v}" https://api.github.com/orgs/{co}/repos',
                                       f'git clone https://x-access-token:{v}@github.com/{co}/infra.git'])
    if fam == 'openai': return f'curl https://api.openai.com/v1/chat/completions -H "Authorization: Bearer {v}" -H "Content-Type: application/json" -d @prompt.json'
    if fam == 'anthropic': return f'curl https://api.anthropic.com/v1/messages -H "x-api-key: {v}" -H "anthropic-version: 2023-06-01" -d @msg.json'
    if kind == 'slack_webhook': return f"curl -X POST -H 'Content-type: application/json' --data '{{\"text\":\"deploy finished\"}}' {v}"
    if fam == 'slack': return f"curl -s -H 'Authorization: Bearer {v}' 'https://slack.com/api/conversations.list?limit=50'"
    if fam == 'sendgrid': return f'curl --request POST --url https://api.sendgrid.com/v3/mail/send --header "Authorization: Bearer {v}" -d @mail.json'
    if fam == 'stripe' and kind != 'stripe_webhook_secret': return f'curl https://api.stripe.com/v1/charges?limit=3 -u {v}:'
    if fam == 'database':
        if v.startswith(('postgres://', 'postgresql://')): return f'psql "{v}" -c "\\dt"'
        if v.startswith('mongodb'): return f'mongosh "{v}"'
        if v.startswith('redis'): return f'redis-cli -u {v} ping'
    if kind == 'twilio_auth_token':
        return f'curl -X POST https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json -u "$TWILIO_ACCOUNT_SID:{v}" --data-urlencode "Body=ping"'
    if kind == 'google_api_key': return f'curl "https://maps.googleapis.com/maps/api/geocode/json?address=Berlin&key={v}"'
    if fam == 'heroku': return f'curl https://api.heroku.com/apps -H "Accept: application/vnd.heroku+json; version=3" -H "Authorization: Bearer {v}"'
    if kind == 'npm_token': return f'echo "//registry.npmjs.org/:_authToken={v}" > ~/.npmrc'
    if kind == 'api_key': return f'curl -H "X-Api-Key: {v}" https://partner.{co}.com/v2/status'
    return None


def logmsg(g, it, n, v):
    fam = it['fam']
    if fam == 'database':
        return g.pick([f'INFO  [db.pool] connecting to {v}', f'ERROR [worker] OperationalError: could not connect using {v}'])
    if fam in ('jwt', 'github', 'openai', 'slack', 'sendgrid') and it['kind'] != 'slack_webhook':
        return f"DEBUG [httpx] request headers={{'authorization': 'Bearer {v}', 'accept': 'application/json'}}"
    if it['kind'] in ('slack_webhook', 'sentry_dsn', 'sentry_dsn_legacy'):
        return f'WARN  [notify] POST {v} -> 502, retrying in 5s'
    return f'DEBUG [settings] {n}={v}'


def render_secret(f, it):
    g, sx, i, v = f.g, f.sx, f.ind, it['value']
    n = cname(it['name'], f.case)
    if it['fam'] == 'private_key':
        pem = v
        if sx in ('env', 'json'):
            esc = '\\n'.join(pem)
            it['secret'] = esc
            return [f'{n}="{esc}\\n"'] if sx == 'env' else [f'{i}"{n}": "{esc}\\n",']
        it['secret'] = '\n'.join(pem)
        tag = n.lower()
        return {'pem': lambda: list(pem),
                'py': lambda: [f'{i}"{n}": """{pem[0]}', *pem[1:-1], f'{pem[-1]}""",'] if f.style == 'dict'
                else [f'{i}{n} = """{pem[0]}', *pem[1:-1], f'{pem[-1]}"""'],
                'yaml': lambda: [f'{i}{n}: |'] + [f'{i}  {x}' for x in pem],
                'rb': lambda: [f'{i}{f.pre}{n} = <<~PEM'] + [f'{i}  {x}' for x in pem] + [f'{i}PEM'],
                'md': lambda: md_wrap(f, pem, 'text'),
                'sh': lambda: [f"cat > /tmp/{tag}.pem <<'EOF'", *pem, 'EOF', f'chmod 600 /tmp/{tag}.pem'],
                'js': lambda: [f'export const {n} = `{pem[0]}', *pem[1:-1], f'{pem[-1]}`;'] if f.style == 'const'
                else [f'{i}{n}: `{pem[0]}', *pem[1:-1], f'{pem[-1]}`,'],
                'go': lambda: [f'{i}{n} = `{pem[0]}', *pem[1:-1], f'{pem[-1]}`'],
                'hcl': lambda: [f'{i}{n} = <<-EOT', *pem, f'{i}EOT']}[sx]()
    it['secret'] = v
    if it['kind'].startswith('npmrc'):
        return [f'//registry.npmjs.org/:_authToken={v}']
    if sx == 'npmrc': return [f'//npm.pkg.github.com/:_authToken={v}']
    if sx == 'netrc': return [f'machine {g.pick(["api.heroku.com", "git.heroku.com"])}', f'  login ops@{g.pick(COMPANY)}.io', f'  password {v}']
    if sx in ('md', 'sh') and g.chance(0.6):
        c = cmdline(g, it, v)
        if c: return md_wrap(f, [c])
    if sx == 'log': return [logline(f, logmsg(g, it, n, v))]
    if sx == 'sql':
        if it['kind'] in ('db_password', 'admin_password', 'smtp_password'):
            return [f"ALTER ROLE {g.pick(ROLES)} WITH LOGIN PASSWORD '{v}';"]
        return [f"INSERT INTO integration_credentials (provider, name, value) VALUES ('{it['fam']}', '{n}', '{v}');"]
    return md_wrap(f, [assign(f, it['name'], v)])


def sink_accepts(f, it):
    fam, kind, sx, v = it['fam'], it['kind'], f.sx, it['value']
    if f.fams and fam not in f.fams: return False
    if kind.startswith('npmrc'): return sx == 'npmrc'
    if sx == 'npmrc': return fam in ('npm', 'github')
    if sx == 'netrc': return fam == 'heroku'
    if sx == 'awsini': return fam == 'aws'
    if sx == 'pem': return fam == 'private_key'
    if fam == 'private_key': return sx in PK_SX
    if kind == 'django_secret_key': return sx in ('py', 'env', 'yaml', 'sh', 'md', 'nb', 'json')
    if sx in ('make', 'ini', 'yamlenv', 'hcl') and any(c in v for c in '%$#;'): return False
    return True


# ---------------------------------------------------------------- decoys (look-alike non-secrets)
PH = ['your-api-key-here', '<SECRET>', 'changeme', 'xxxxxxxxxxxxxxxx', 'REPLACE_ME', '<your-token>', 'TODO-set-in-vault',
      'dummy-value', 'insert-key-here', 'CHANGE_ME_IN_PROD', '<paste-key-here>', 'not-a-real-secret']
PROVIDER_PH = [('STRIPE_SECRET_KEY', 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx'), ('AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE'),
               ('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'), ('GITHUB_TOKEN', 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'),
               ('SLACK_BOT_TOKEN', 'xoxb-your-bot-token'), ('OPENAI_API_KEY', 'sk-proj-REPLACE_WITH_YOUR_KEY'),
               ('SENDGRID_API_KEY', 'SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'),
               ('ANTHROPIC_API_KEY', 'sk-ant-api03-your-key-here'), ('GOOGLE_API_KEY', 'AIzaSy_YOUR_GOOGLE_API_KEY'),
               ('SENTRY_DSN', 'https://examplePublicKey@o0.ingest.sentry.io/0'), ('STRIPE_WEBHOOK_SECRET', 'whsec_...'),
               ('DATABASE_URL', 'postgres://USER:PASSWORD@HOST:5432/DBNAME'), ('TWILIO_AUTH_TOKEN', 'your_auth_token'),
               ('NPM_TOKEN', 'npm_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'), ('HEROKU_API_KEY', '00000000-0000-0000-0000-000000000000'),
               ('SLACK_WEBHOOK_URL', 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'),
               ('FERNET_KEY', '<generate with Fernet.generate_key()>'), ('TWILIO_ACCOUNT_SID', 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX')]
BENIGN = [('PASSWORD_MIN_LENGTH', '12'), ('TOKEN_TTL_SECONDS', '3600'), ('JWT_ALGORITHM', 'HS256'), ('API_KEY_HEADER', 'X-Api-Key'),
          ('SESSION_COOKIE_NAME', 'sessionid'), ('AUTH_TOKEN_PREFIX', 'Bearer'), ('PASSWORD_HASHER', 'argon2'),
          ('STRIPE_API_VERSION', '2024-06-20'), ('OPENAI_MODEL', 'gpt-4o-mini'), ('ANTHROPIC_MODEL', 'claude-3-5-sonnet-20241022'),
          ('SECRET_ROTATION_DAYS', '90'), ('MAX_TOKENS', '4096'), ('PASSWORD_RESET_TIMEOUT', '259200'), ('AWS_REGION', 'eu-west-1'),
          ('TOKEN_URL', 'https://oauth2.googleapis.com/token'), ('KEY_ROTATION_CRON', '0 3 * * 0'), ('CSRF_HEADER_NAME', 'X-CSRFToken')]
FILE_PATHS = [('SECRET_KEY_FILE', '/run/secrets/django_secret_key'), ('GOOGLE_APPLICATION_CREDENTIALS', '/var/secrets/google/sa.json'),
              ('SSL_KEY_PATH', '/etc/ssl/private/server.key'), ('AWS_SHARED_CREDENTIALS_FILE', '/home/app/.aws/credentials'),
              ('JWT_PRIVATE_KEY_PATH', 'keys/jwt_private.pem'), ('DB_PASSWORD_FILE', '/run/secrets/postgres_password'),
              ('VAULT_TOKEN_PATH', '/var/run/secrets/vault-token'), ('STRIPE_KEY_SECRET_NAME', 'prod/stripe/secret-key')]


def acct(g): return g.num(12)


PAIRS = {
    'placeholder': lambda g: (g.pick([n for k, (fa, _, ns) in K.items() if fa not in ('private_key', 'npm') for n in ns]), g.pick(PH)),
    'provider_placeholder': lambda g: g.pick(PROVIDER_PH),
    'benign_secret_name': lambda g: g.pick(BENIGN),
    'secret_file_path': lambda g: g.pick(FILE_PATHS),
    'url_without_password': lambda g: g.pick([('DATABASE_URL', f'postgres://{g.pick(ROLES)}@db.{g.pick(COMPANY)}.internal:5432/core'),
                                              ('REDIS_URL', f'redis://redis:6379/{g.ri(0, 5)}'), ('MONGO_URL', 'mongodb://mongo:27017/app'),
                                              ('TEST_DATABASE_URL', 'postgresql://localhost/app_test'), ('SQLITE_URL', 'sqlite:///db.sqlite3'),
                                              ('BROKER_URL', 'amqp://rabbitmq:5672//')]),
    'uuid_identifier': lambda g: (g.pick(['TENANT_ID', 'AZURE_TENANT_ID', 'AZURE_SUBSCRIPTION_ID', 'DEFAULT_WORKSPACE_ID', 'ORG_ID', 'LAUNCHDARKLY_PROJECT_ID']), g.uuid()),
    'git_sha': lambda g: (g.pick(['GIT_COMMIT', 'BUILD_SHA', 'RELEASE_REVISION', 'SOURCE_VERSION']), g.hex(40)),
    'content_hash': lambda g: (g.pick(['ASSET_MANIFEST_SHA256', 'MODEL_SHA256', 'SCHEMA_CHECKSUM', 'BUNDLE_HASH']), g.hex(64)),
    'docker_digest': lambda g: ('IMAGE', f'ghcr.io/{g.pick(COMPANY)}/{g.pick(["api", "worker", "web"])}@sha256:{g.hex(64)}'),
    'aws_arn': lambda g: g.pick([('KMS_KEY_ARN', f'arn:aws:kms:us-east-1:{acct(g)}:key/{g.uuid()}'),
                                 ('DB_SECRET_ARN', f'arn:aws:secretsmanager:us-east-1:{acct(g)}:secret:prod/db-password-{g.s(6)}'),
                                 ('TASK_ROLE_ARN', f'arn:aws:iam::{acct(g)}:role/{g.pick(COMPANY)}-ecs-task')]),
    'stripe_publishable_key': lambda g: (g.pick(['STRIPE_PUBLISHABLE_KEY', 'NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY']), g.pick(['pk_live_', 'pk_test_']) + g.s(g.pick([24, 99]))),
    'stripe_object_id': lambda g: g.pick([('DEFAULT_PRICE_ID', 'price_' + g.s(24)), ('PRO_PLAN_PRODUCT', 'prod_' + g.s(14)),
                                          ('PLATFORM_ACCOUNT_ID', 'acct_' + g.s(16)), ('TEST_CUSTOMER_ID', 'cus_' + g.s(14)),
                                          ('SAMPLE_PAYMENT_INTENT', 'pi_' + g.s(24))]),
    'google_oauth_client_id': lambda g: ('GOOGLE_CLIENT_ID', f'{g.num(12)}-{g.s(32, string.ascii_lowercase + string.digits)}.apps.googleusercontent.com'),
    'sentry_public_dsn': lambda g: (g.pick(['NEXT_PUBLIC_SENTRY_DSN', 'SENTRY_BROWSER_DSN']), f'https://{g.hex(32)}@o{g.num(6)}.ingest.sentry.io/{g.num(7)}'),
}


def rand_secret_name(f):
    for _ in range(20):
        n = f.g.pick([n for k, (fa, _, ns) in K.items() if fa not in ('private_key', 'npm', 'database') for n in ns])
        if n not in f.names:
            break
    f.names.add(n)
    return n


def d_env_lookup(f):
    g, sx, i, N = f.g, f.sx, f.ind, rand_secret_name(f)
    n, c = cname(N, f.case), cname(N, 'camel')
    if sx == 'py':
        return f'{i}"{n}": os.environ.get("{N}"),' if f.style == 'dict' else g.pick(
            [f'{n} = os.environ["{N}"]', f'{n} = os.getenv("{N}", "")', f'{n} = env("{N}")', f'{n} = config("{N}")'])
    if sx == 'pyfield': return f'{i}{n}: SecretStr = Field(alias="{N}")'
    if sx == 'nb': return nbwrap(g.pick([f'{n} = os.environ["{N}"]', f'{n} = dbutils.secrets.get(scope="prod", key="{N.lower()}")', f'{n} = Variable.get("{N.lower()}")']))
    if sx == 'js': return f'export const {n} = process.env.{N} ?? "";' if f.style == 'const' else f'{i}{n}: process.env.{N},'
    if sx == 'go': return f'{i}{n} = os.Getenv("{N}")'
    if sx == 'rb': return g.pick([f'{i}{f.pre}{n} = ENV.fetch("{N}")', f'{i}{f.pre}{n} = ENV["{N}"]',
                                  f'{i}{f.pre}{n} = Rails.application.credentials.dig(:{N.split("_")[0].lower()}, :{"_".join(N.split("_")[1:]).lower() or "key"})'])
    if sx == 'yaml' and f.erb: return f'{i}{n}: <%= ENV.fetch("{N}") %>'
    if sx == 'yamlenv': return f'{i}- {N}'
    if sx in ('sh', 'md'):
        if sx == 'md' and g.chance(0.25): return ('java', f'String key = System.getenv("{N}");')
        return g.pick([f'export {N}="$(vault kv get -field={N.lower()} secret/app/prod)"',
                       f'export {N}="$(aws secretsmanager get-secret-value --secret-id prod/{N.lower()} --query SecretString --output text)"',
                       f'export {N}="${{{N}:?{N} must be set}}"'])
    if sx == 'make': return f'{N} ?= $(shell op read "op://prod/{N.lower()}/credential")'
    return None


def d_template_ref(f):
    g, sx, i, N = f.g, f.sx, f.ind, rand_secret_name(f)
    n, c = cname(N, f.case), cname(N, 'camel')
    if sx == 'yaml':
        if f.erb: return f'{i}{n}: <%= ENV["{N}"] %>'
        if '.github' in f.path: return f'{i}{n}: ${{{{ secrets.{N} }}}}'
        return g.pick([f'{i}{n}: "{{{{ .Values.secrets.{c} }}}}"', f'{i}{n}: ${{{N}}}', f'{i}{n}: "{{{{ env `{N}` }}}}"'])
    if sx == 'yamlenv': return f'{i}- {N}=${{{N}}}'
    if sx == 'env': return f'{N}=${{{N}_FROM_VAULT}}'
    if sx == 'ini': return f'{n} = %({N})s'
    if sx == 'py': return f'{i}"{n}": "{{{{ var.value.{N.lower()} }}}}",' if f.style == 'dict' else f'{n} = "{{{{ var.value.{N.lower()} }}}}"'
    if sx == 'json': return f'{i}"{n}": "${{{N}}}",'
    if sx == 'js': return f'{i}{n}: `${{process.env.{N}}}`,' if f.style != 'const' else None
    if sx in ('toml', 'hcl'): return f'{i}{n} = var.{N.lower()}'
    if sx == 'make': return f'{N} ?= $({N}_FROM_CI)'
    if sx == 'npmrc' and not f.names & {'npmrc_tpl'}:
        f.names.add('npmrc_tpl')
        return '//registry.npmjs.org/:_authToken=${NPM_TOKEN}'
    if sx in ('sh', 'md'): return f'export {N}="${{{N}}}"'
    return None


def d_redacted(f):
    g, sx = f.g, f.sx
    opts = ['Authorization: Bearer [REDACTED]', f'url=postgresql://{g.pick(ROLES)}:***@db.internal:5432/core',
            f'{rand_secret_name(f)}=******** (masked)', 'password=[FILTERED]']
    if sx == 'log': return logline(f, g.pick(['DEBUG [httpx] ', 'INFO  [db] engine created ', 'DEBUG [settings] ', 'INFO  [auth] ']) + g.pick(opts))
    if sx == 'md': return ('text', g.pick(opts))
    if sx == 'nbout': return nbwrap(g.pick(opts[1:]), 6)
    return None


def pub_pem(g):
    return pem_wrap('PUBLIC KEY', bytes.fromhex('30820122300d06092a864886f70d01010105000382010f003082010a0282010100')
                    + bytes([0x80 | g.ri(0, 127)]) + g.by(255) + bytes.fromhex('0203010001'))


def ssh_pub(g):
    if g.chance(0.5):
        return 'ssh-ed25519 ' + base64.b64encode(sstr(b'ssh-ed25519') + sstr(g.by(32))).decode() + f' {g.word()}@{g.pick(COMPANY)}-laptop'
    return 'ssh-rsa ' + base64.b64encode(sstr(b'ssh-rsa') + sstr(b'\x01\x00\x01') + sstr(b'\x00' + g.by(256))).decode() + f' deploy@{g.pick(COMPANY)}-ci'


def d_public_key(f):
    g, sx, i = f.g, f.sx, f.ind
    name = g.pick(['JWT_PUBLIC_KEY', 'WEBHOOK_VERIFY_PUBLIC_KEY', 'SAML_IDP_PUBLIC_KEY'])
    n = cname(name, f.case)
    if name in f.names: return None
    f.names.add(name)
    if sx in ('md', 'sh', 'yaml') and g.chance(0.4):
        k = ssh_pub(g)
        return {'md': ('text', k), 'sh': f"echo '{k}' >> ~/.ssh/authorized_keys", 'yaml': f'{i}- {k}' if f.style == 'list' else f'{i}deploy_authorized_key: "{k}"'}[sx]
    p = pub_pem(g)
    if sx in ('env', 'json'):
        esc = '\\n'.join(p)
        return f'{n}="{esc}\\n"' if sx == 'env' else f'{i}"{n}": "{esc}\\n",'
    r = {'py': lambda: [f'{i}"{n}": """{p[0]}', *p[1:-1], f'{p[-1]}""",'] if f.style == 'dict' else [f'{n} = """{p[0]}', *p[1:-1], f'{p[-1]}"""'], 'yaml': lambda: [f'{i}{n}: |'] + [f'{i}  {x}' for x in p],
         'md': lambda: ['text'] + p, 'js': lambda: [f'{i}{n}: `{p[0]}', *p[1:-1], f'{p[-1]}`,'] if f.style != 'const' else None,
         'go': lambda: [f'{i}{n} = `{p[0]}', *p[1:-1], f'{p[-1]}`'], 'rb': lambda: [f'{i}{f.pre}{n} = <<~PEM'] + [f'{i}  {x}' for x in p] + [f'{i}PEM']}
    return r[sx]() if sx in r else None


CUSTOM = {'env_lookup': d_env_lookup, 'template_ref': d_template_ref, 'redacted': d_redacted, 'public_key': d_public_key}
SINK_DECOYS = list(PAIRS) + list(CUSTOM)
DECOY_W = {'placeholder': 3, 'env_lookup': 4, 'template_ref': 2, 'provider_placeholder': 2, 'benign_secret_name': 3, 'redacted': 2}
MARKERS = ['BEGIN PUBLIC KEY', 'ssh-ed25519 AAAA', 'ssh-rsa AAAA']


def make_decoy(f, kind):
    """returns (lines, marker) for a sink-file decoy, or None if not applicable to this syntax"""
    g = f.g
    if f.sx in ('pem', 'netrc', 'awsini') or (f.sx == 'npmrc' and kind != 'template_ref'):
        return None
    if kind in PAIRS:
        name, v = PAIRS[kind](g)
        if name in f.names or f.sx in ('nb',) and kind == 'redacted': return None
        a = assign(f, name, v)
        if a is None: return None
        f.names.add(name)
        return md_wrap(f, [a], prose=DPROSE), v
    r = CUSTOM[kind](f)
    if r is None: return None
    lang = 'bash'
    if isinstance(r, tuple): lang, r = r
    if isinstance(r, list) and r and r[0] == 'text': lang, r = 'text', r[1:]
    lines = r if isinstance(r, list) else [r]
    mk = next((m for m in MARKERS if m in lines[0] or (len(lines) > 1 and m in lines[1])), lines[0].strip().rstrip(','))
    return md_wrap(f, lines, lang, DPROSE), mk


# ---------------------------------------------------------------- files, trees, placement
FILL = {
    'py': ['DEBUG = False', 'USE_TZ = True', 'TIME_ZONE = "UTC"', 'LOG_LEVEL = "INFO"', '# --- integrations ---', 'REQUEST_TIMEOUT = 30',
           'RETRY_ATTEMPTS = 3', 'FEATURE_NEW_CHECKOUT = True', 'DEFAULT_PAGE_SIZE = 50', '', 'CACHE_TTL = 300'],
    'env': ['NODE_ENV=production', 'PORT=8080', 'LOG_LEVEL=info', '', '# --- third party ---', 'APP_ENV=production', 'WORKERS=4',
            'FEATURE_FLAGS=checkout_v2,search', 'TZ=UTC', 'PUBLIC_URL=https://app.example.com'],
    'yaml': ['{i}timeout: 30', '{i}retries: 3', '{i}region: us-east-1', '{i}enabled: true', '{i}log_level: info', '{i}pool_size: 10', ''],
    'json': ['{i}"timeout": 30,', '{i}"retries": 3,', '{i}"region": "us-east-1",', '{i}"enabled": true,', '{i}"logLevel": "info",'],
    'js': ['{i}timeout: 30_000,', '{i}retries: 3,', '{i}region: "us-east-1",', '{i}enabled: true,', '{i}// third-party integrations'],
    'go': ['{i}DefaultTimeout = "30s"', '{i}MaxRetries = "3"', '{i}Region = "us-east-1"', '{i}ServiceName = "gateway"', ''],
    'rb': ['{i}{p}timeout = 30', '{i}{p}retries = 3', '{i}{p}region = "us-east-1"', '{i}# integrations', ''],
    'sh': ['echo "==> configuring environment"', 'cd "$(dirname "$0")/.."', '', 'export APP_ENV=production',
           'export AWS_DEFAULT_REGION=eu-west-1'],
    'ini': ['timeout = 30', 'retries = 3', '', 'log_level = INFO', 'pool_size = 5'],
    'log': [], 'sql': ['', '-- idempotent: safe to re-run', '-- see ticket OPS-1182'], 'make': ['', 'GOFLAGS ?= -trimpath', 'REGION ?= eu-west-1'],
    'js:const': ['export const TIMEOUT_MS = 30_000;', 'export const MAX_RETRIES = 3;', '// third-party integrations', ''], 'js:min': [],
    'py:dict': ['    # --- payments ---', '    # --- messaging ---', '    # --- storage ---'],
    'pyfield': ['    debug: bool = False', '    page_size: int = 50', '    request_timeout: float = 30.0', '    log_level: str = "INFO"'],
    'md': ['Ping #platform-oncall before touching production.', '', 'Check the dashboards afterwards (Grafana -> "API / Overview").'],
}


class F:
    def __init__(s, T, path, sx=None, head='', tail='', fams=None, cap=0, dw=1.0, ind='', case=None, style='', pre='',
                 decoys=None, jsonish=False, w=1.0, erb=False, fixname=None):
        s.g, s.path, s.sx, s.ind, s.style, s.pre, s.erb = T.g, path, sx, ind, style, pre, erb
        s.fixname = fixname or {}
        s.head = head.split('\n') if head else []
        s.tail = tail.split('\n') if tail else []
        s.body, s.sinkbody, s.groups, s.names = [], [], [], set()
        s.fams, s.cap, s.dw, s.w, s.decoys, s.jsonish = fams, cap, dw, w, decoys, jsonish
        s.case = case or DEFAULT_CASE.get(sx, 'upper')
        s.clock, s.day = T.g.ri(0, 30000), f'{T.g.ri(1, 12):02d}-{T.g.ri(1, 28):02d}'

    def add(s, lines, tag=None):
        s.body.append(([lines] if isinstance(lines, str) else list(lines), tag))
        return s

    def dec(s, lines, kind, marker=None):
        lines = [lines] if isinstance(lines, str) else list(lines)
        return s.add(lines, ('D', kind, marker or lines[0].strip().rstrip(',')))


class Tree:
    def __init__(s, g, name, stack):
        s.g, s.name, s.stack, s.files = g, name, stack, {}
        s.co = g.pick(COMPANY)

    def f(s, path, **kw):
        s.files[path] = F(s, path, **kw)
        return s.files[path]

    def static(s, path, text):
        return s.f(path, head=text.rstrip('\n'))


def pick_names(f, grp):
    names = [f.g.pick(it['names']) for it in grp]
    if any(n in f.names for n in names):
        pre = f.g.pick(['LEGACY_', 'BACKUP_', 'PARTNER_', 'REPORTING_', 'STAGING_', 'EU_', 'SECONDARY_'])
        names = [n if n.startswith('_') else pre + n for n in names]
    f.names.update(names)
    return names


def place(T, groups, n_secrets):
    g = T.g
    sinks = [f for f in T.files.values() if f.cap > 0]
    groups.sort(key=lambda grp: grp[0]['fam'] != 'private_key' and not grp[0]['kind'].startswith('npmrc'))
    for grp in groups:
        c = [f for f in sinks if len(f.groups) < f.cap and all(sink_accepts(f, it) for it in grp)]
        if not c:
            c = [f for f in sinks if f.sx == 'md']
        f = g.r.choices(c, [x.w / (1 + len(x.groups)) for x in c])[0]
        f.groups.append(grp)
        for it, nm in zip(grp, pick_names(f, grp)):
            it['name'] = f.fixname.get(it['fam'], nm)
    structural = sum(1 for f in T.files.values() for _, t in f.body if t and t[0] == 'D')
    want = max(0, 4 * n_secrets - structural)
    dsinks = [f for f in sinks if f.dw > 0] + [f for f in T.files.values() if f.cap == 0 and f.sx and f.dw > 0]
    for _ in range(want):
        f = g.r.choices(dsinks, [x.dw * (1 + 0.5 * len(x.groups)) for x in dsinks])[0]
        kinds = f.decoys or SINK_DECOYS
        for _try in range(12):
            k = g.r.choices(kinds, [DECOY_W.get(x, 1) for x in kinds])[0]
            r = make_decoy(f, k)
            if r:
                f.sinkbody.append((r[0], ('D', k, r[1])))
                break
    for f in T.files.values():
        blocks = [[e] for e in f.sinkbody]
        for grp in f.groups:
            blocks.append([(render_secret(f, it), ('S', it)) for it in grp])
        g.r.shuffle(blocks)
        fill = [x.replace('{i}', f.ind).replace('{p}', f.pre) for x in FILL.get(f'{f.sx}:{f.style}', FILL.get(f.sx, []))]
        g.r.shuffle(fill)
        for blk in blocks:
            if fill and g.chance(0.45) and f.sx not in ('nb', 'nbout', 'pem', 'npmrc', 'netrc', 'awsini'):
                f.body.append(([fill.pop()], None))
            f.body.extend(blk)


def locate(lines, text, start=0):
    for k in range(start, len(lines)):
        if text in lines[k]:
            return k
    raise AssertionError(f'marker not found: {text[:60]!r}')


def finalize(T, out, truth, decoys):
    for path, f in T.files.items():
        lines = list(f.head)
        for ls, tag in f.body:
            base = len(lines)
            lines.extend(ls)
            if not tag:
                continue
            if tag[0] == 'S':
                it = tag[1]
                sec = it['secret']
                first = sec.split('\n')[0]
                a = locate(ls, first)
                b = a + sec.count('\n')
                truth.append({'tree': T.name, 'path': path, 'line': base + a + 1, 'end_line': base + b + 1,
                              'family': it['fam'], 'kind': it['kind'], 'secret': sec})
            else:
                a = locate(ls, tag[2])
                b = locate(ls, 'END PUBLIC KEY', a) if tag[2] == 'BEGIN PUBLIC KEY' else a
                decoys.append({'tree': T.name, 'path': path, 'line': base + a + 1, 'end_line': base + b + 1,
                               'kind': tag[1], '_marker': tag[2]})
        if f.jsonish and lines and lines[-1].endswith(','):
            lines[-1] = lines[-1][:-1]
        lines.extend(f.tail)
        if not any(x.strip() for x in lines):
            continue
        p = os.path.join(out, 'trees', T.name, path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, 'w', newline='\n') as fh:
            fh.write('\n'.join(lines) + '\n')


def verify(out, truth, decoys):
    cache = {}

    def rd(t, p):
        if (t, p) not in cache:
            with open(os.path.join(out, 'trees', t, p)) as fh:
                cache[(t, p)] = fh.read().split('\n')
        return cache[(t, p)]
    seen = set()
    for it in truth:
        L = rd(it['tree'], it['path'])
        parts = it['secret'].split('\n')
        assert it['end_line'] - it['line'] == len(parts) - 1, it
        for k, part in enumerate(parts):
            assert part in L[it['line'] - 1 + k], (it['path'], it['line'], part[:40])
        for ln in range(it['line'], it['end_line'] + 1):
            key = (it['tree'], it['path'], ln)
            assert key not in seen, f'two secrets on one line: {key}'
            seen.add(key)
    for d in decoys:
        L = rd(d['tree'], d['path'])
        assert d['_marker'] in L[d['line'] - 1], (d, L[d['line'] - 1][:80])
        for ln in range(d['line'], d['end_line'] + 1):
            assert (d['tree'], d['path'], ln) not in seen, f'decoy on secret line: {d}'
    # every planted secret value must not also appear on an unrecorded line elsewhere in its file
    for it in truth:
        if '\n' in it['secret']:
            continue
        L = rd(it['tree'], it['path'])
        hits = [k + 1 for k, x in enumerate(L) if it['secret'] in x]
        assert all((it['tree'], it['path'], h) in seen for h in hits), (it['path'], hits)


# ---------------------------------------------------------------- structural look-alikes and bulk files
def item(g, kind):
    fam, fn, names = K[kind]
    return {'fam': fam, 'kind': kind, 'value': fn(g), 'names': names}


def plant(f, lines, it, secret):
    it['secret'] = secret
    return f.add(lines, ('S', it))


def lock_npm(T, path):
    g = T.g
    pk = g.r.sample(NPM_PKGS, g.ri(6, 10))
    f = T.f(path, head='{\n  "name": "web",\n  "version": "0.1.0",\n  "lockfileVersion": 3,\n  "requires": true,\n  "packages": {', tail='  }\n}')
    for k, (name, ver) in enumerate(pk):
        f.add([f'    "node_modules/{name}": {{', f'      "version": "{ver}",',
               f'      "resolved": "https://registry.npmjs.org/{name}/-/{name.split("/")[-1]}-{ver}.tgz",'])
        f.dec(f'      "integrity": "sha512-{g.b64(64)}",', 'integrity_hash')
        f.add(['      "license": "MIT"', '    }' + (',' if k < len(pk) - 1 else '')])


NPM_PKGS = [('react', '18.3.1'), ('react-dom', '18.3.1'), ('next', '14.2.5'), ('zod', '3.23.8'), ('axios', '1.7.2'),
            ('@sentry/nextjs', '8.20.0'), ('stripe', '16.2.0'), ('express', '4.19.2'), ('dotenv', '16.4.5'),
            ('@slack/web-api', '7.3.1'), ('openai', '4.52.7'), ('jsonwebtoken', '9.0.2'), ('pg', '8.12.0'), ('lodash', '4.17.21')]
PY_PKGS = [('django', '4.2.14'), ('requests', '2.32.3'), ('celery', '5.4.0'), ('psycopg2-binary', '2.9.9'), ('boto3', '1.34.144'),
           ('stripe', '10.3.0'), ('sentry-sdk', '2.10.0'), ('cryptography', '42.0.8'), ('fastapi', '0.111.1'), ('pydantic', '2.8.2'),
           ('sqlalchemy', '2.0.31'), ('alembic', '1.13.2'), ('pandas', '2.2.2'), ('apache-airflow', '2.9.3')]


def reqs_hashed(T, path):
    g = T.g
    f = T.f(path, head='# generated by pip-compile --generate-hashes')
    for name, ver in g.r.sample(PY_PKGS, g.ri(5, 8)):
        f.add(f'{name}=={ver} \\')
        f.dec(f'    --hash=sha256:{g.hex(64)} \\', 'content_hash')
        f.dec(f'    --hash=sha256:{g.hex(64)}', 'content_hash')


def go_sum(T, path):
    g = T.g
    f = T.f(path)
    for mod, ver in [('github.com/go-chi/chi/v5', 'v5.0.12'), ('github.com/jackc/pgx/v5', 'v5.6.0'), ('go.uber.org/zap', 'v1.27.0'),
                     ('github.com/spf13/viper', 'v1.19.0'), ('github.com/stripe/stripe-go/v79', 'v79.4.0'), ('gopkg.in/yaml.v3', 'v3.0.1')]:
        f.dec(f'{mod} {ver} h1:{g.b64(32)}', 'content_hash')
        f.dec(f'{mod} {ver}/go.mod h1:{g.b64(32)}', 'content_hash')


def css_file(T, path):
    g = T.g
    f = T.f(path, head=':root {\n  --brand: #1f6feb;\n  --brand-dark: #0b3d91;\n  --radius: 6px;\n}\n\n@font-face {\n  font-family: "Inter";')
    f.dec(f'  src: url(data:font/woff2;base64,{base64.b64encode(b"wOF2" + g.by(g.ri(180, 400))).decode()}) format("woff2");', 'base64_image', 'data:font/woff2;base64,')
    f.add(['}', '', '.logo {'])
    f.dec(f'  background-image: url("data:image/png;base64,{base64.b64encode(bytes.fromhex("89504e470d0a1a0a0000000d49484452") + g.by(g.ri(120, 300))).decode()}");', 'base64_image', 'data:image/png;base64,')
    f.add(['  width: 120px;', '}', '', f'.css-{g.s(7, string.ascii_lowercase + string.digits)} {{ display: flex; gap: 8px; }}',
           '.btn-primary { background: var(--brand); border-radius: var(--radius); }'])


I18N = [('auth.password.forgot', 'Forgot your password?'), ('auth.password.too_short', 'Password must be at least 12 characters'),
        ('auth.token.expired', 'Your session token has expired. Please sign in again.'), ('settings.api_key.title', 'API keys'),
        ('settings.api_key.revoke', 'Revoke key'), ('settings.secret.hint', 'Secrets are shown only once.'),
        ('auth.password.reset_sent', 'We sent a password reset link to your email.')]


def i18n(T, path, fmt):
    g = T.g
    items = g.r.sample(I18N, g.ri(4, 7))
    if fmt == 'json':
        f = T.f(path, head='{', tail='}')
        for k, (key, msg) in enumerate(items):
            f.dec(f'  "{key}": "{msg}"' + (',' if k < len(items) - 1 else ''), 'i18n_key')
    elif fmt == 'yml':
        f = T.f(path, head='en:')
        for key, msg in items:
            f.dec(f'  {key.replace(".", "_")}: "{msg}"', 'i18n_key')
    else:
        f = T.f(path, head='msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
        for key, msg in items:
            f.add(f'#: templates/{key.split(".")[0]}.html:{g.ri(3, 90)}')
            f.dec(f'msgid "{msg}"', 'i18n_key')
            f.add(['msgstr ""', ''])


def pw_hash(g, kind):
    if kind == 'pbkdf2': return f'pbkdf2_sha256$600000${g.s(22)}${g.b64(32)}'
    if kind == 'bcrypt': return f'$2b$12${g.s(53, "./" + AN)}'
    return f'$argon2id$v=19$m=65536,t=3,p=4${g.b64(16).rstrip("=")}${g.b64(32).rstrip("=")}'


def snapshot(T, path, fmt):
    g = T.g
    pre = {'jest': ('// Jest Snapshot v1, https://goo.gl/fbAQLP\n\nexports[`GET /v1/orders returns the first page 1`] = `', '`;'),
           'ambr': ('# serializer version: 1\n# name: test_order_list_snapshot', '# ---'), 'golden': ('', '')}[fmt]
    f = T.f(path, head=(pre[0] + '\n{' if pre[0] else '{') + '\n  "items": [', tail='  ]\n}' + ('\n' + pre[1] if pre[1] else ''))
    n = g.ri(2, 3)
    for k in range(n):
        f.add('    {')
        f.dec(f'      "id": "01{g.s(24, "0123456789ABCDEFGHJKMNPQRSTVWXYZ")}",', 'snapshot_id')
        f.dec(f'      "trace_id": "{g.hex(32)}",', 'snapshot_id')
        f.add([f'      "status": "{g.pick(["paid", "pending", "refunded"])}",', f'      "total_cents": {g.ri(500, 90000)}'])
        f.add('    }' + (',' if k < n - 1 else ''))


FORMAT_DOC = ['- Stripe secret keys start with `sk_live_` (test mode: `sk_test_`); publishable keys start with `pk_`.',
              '- AWS access key IDs are 20 characters and begin with `AKIA` (long-term) or `ASIA` (temporary STS credentials).',
              '- GitHub tokens carry a prefix: `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` or `github_pat_`.',
              '- Slack bot tokens look like `xoxb-<team id>-<bot id>-<secret>`; webhooks live under `https://hooks.slack.com/services/`.',
              '- Fernet keys are 32 url-safe base64-encoded bytes, i.e. 44 characters ending in `=`.',
              '- OpenAI keys start with `sk-proj-`, Anthropic keys with `sk-ant-api03-`.',
              '- A PEM private key begins with `-----BEGIN PRIVATE KEY-----`; it must never be committed.',
              '- Database URLs have the form `postgres://<user>:<password>@<host>:5432/<db>`; keep the password in Vault.',
              '- SendGrid keys have the form `SG.<22 chars>.<43 chars>`.',
              '- Twilio account SIDs start with `AC`, API key SIDs with `SK`; auth tokens are 32 hex characters.',
              '- Google API keys begin with `AIza`; OAuth client secrets begin with `GOCSPX-`.']


def security_doc(T, path):
    g = T.g
    f = T.f(path, head='# Secrets handling\n\nAll credentials live in Vault (`secret/app/<env>/*`) and are injected at deploy time.\n'
            'Never paste real values into tickets, docs or chat.\n\n## Recognising leaked credentials\n', sx='md', dw=0.6,
            tail='\nIf you find one: revoke it first, then open an incident in #sec-incidents.')
    for x in g.r.sample(FORMAT_DOC, g.ri(5, 8)):
        f.dec(x, 'format_doc', x[2:40])
    f.add('')


PW_FIELD = {
    'py': ['    password = forms.CharField(widget=forms.PasswordInput, min_length=12)',
           '    password_confirmation = forms.CharField(widget=forms.PasswordInput, label="Confirm password")',
           '    new_password: SecretStr = Field(min_length=12, max_length=128)', '    password_reset_token_ttl: int = 3600'],
    'ts': ['  password: z.string().min(12, "Password must be at least 12 characters"),',
           '  newPassword: z.string().min(12).max(128),',
           '  passwordConfirmation: z.string(),'],
    'go': ['\tPassword             string `json:"password" validate:"required,min=12"`',
           '\tPasswordConfirmation string `json:"password_confirmation" validate:"eqfield=Password"`'],
    'rb': ['  has_secure_password', '  validates :password, length: { minimum: 12 }, allow_nil: true',
           '  attr_accessor :password_confirmation'],
}


def pw_fields(f, lang, n=2):
    for x in f.g.r.sample(PW_FIELD[lang], min(n, len(PW_FIELD[lang]))):
        f.dec(x, 'password_field')


ENT = ['invoice', 'order', 'customer', 'shipment', 'report', 'webhook', 'subscription', 'payout', 'ticket', 'refund', 'export']


def code_module(T, path, lang):
    g = T.g
    e = g.pick(ENT)
    E = e.capitalize()
    if lang == 'py':
        txt = (f'"""{E} service helpers."""\nfrom __future__ import annotations\n\nimport logging\nfrom dataclasses import dataclass\n\n'
               f'log = logging.getLogger(__name__)\n\n\n@dataclass\nclass {E}:\n    id: int\n    status: str = "pending"\n    amount_cents: int = 0\n\n\n'
               f'def list_{e}s(repo, limit: int = 50) -> list[{E}]:\n    log.debug("listing {e}s limit=%s", limit)\n'
               f'    return [{E}(**row) for row in repo.fetch("{e}s", limit=limit)]\n\n\n'
               f'def mark_{e}_done(repo, {e}_id: int) -> None:\n    repo.update("{e}s", {e}_id, status="done")\n')
    elif lang == 'ts':
        txt = (f"import {{ z }} from 'zod';\nimport {{ api }} from '../lib/api';\n\nexport const {E}Schema = z.object({{\n  id: z.string(),\n"
               f"  status: z.enum(['pending', 'done']),\n  amountCents: z.number().int(),\n}});\n\nexport type {E} = z.infer<typeof {E}Schema>;\n\n"
               f"export async function list{E}s(limit = 50): Promise<{E}[]> {{\n  const res = await api.get(`/{e}s?limit=${{limit}}`);\n"
               f"  return z.array({E}Schema).parse(res.data);\n}}\n")
    elif lang == 'go':
        txt = (f'package {e}\n\nimport (\n\t"context"\n\t"fmt"\n)\n\ntype {E} struct {{\n\tID          int64  `json:"id"`\n\tStatus      string `json:"status"`\n'
               f'\tAmountCents int64  `json:"amount_cents"`\n}}\n\ntype Store interface {{\n\tList(ctx context.Context, limit int) ([]{E}, error)\n}}\n\n'
               f'func List(ctx context.Context, s Store, limit int) ([]{E}, error) {{\n\titems, err := s.List(ctx, limit)\n\tif err != nil {{\n'
               f'\t\treturn nil, fmt.Errorf("list {e}s: %w", err)\n\t}}\n\treturn items, nil\n}}\n')
    else:
        txt = (f'class {E}sController < ApplicationController\n  before_action :authenticate_user!\n\n  def index\n'
               f'    @{e}s = {E}.where(account: current_account).order(created_at: :desc).page(params[:page])\n  end\n\n'
               f'  def show\n    @{e} = {E}.find(params[:id])\n  end\nend\n')
    T.static(path.format(e=e), txt)


def shared(T, svc):
    g, co = T.g, T.co
    T.static('.gitignore', '.env\n.env.local\n*.pem\n__pycache__/\nnode_modules/\n/tmp\n*.log\n')
    T.f('README.md', sx='md', cap=1, dw=1.0, head=f'# {svc}\n\nInternal service owned by the {co} platform team.\n\n## Quickstart\n\n'
        '1. Copy `.env.example` to `.env`.\n2. `make dev` (or `docker compose up`).\n3. Open http://localhost:8080/health\n')
    T.f('docs/runbook.md', sx='md', cap=5, w=1.2, head=f'# {svc} runbook\n\n## Deploy\n\nDeploys go through GitHub Actions; manual steps below are for emergencies.\n')
    security_doc(T, 'docs/security.md')
    T.f('.github/workflows/deploy.yml', sx='yaml', ind='          ', case='upper', cap=3, w=0.8,
        fams={'npm', 'aws', 'heroku', 'slack', 'github', 'sentry', 'generic', 'google', 'openai'},
        head='name: deploy\non:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n'
             '      - uses: actions/checkout@v4\n      - name: deploy\n        run: ./scripts/deploy.sh\n        env:')
    T.f(f'logs/{svc}-2024.log', sx='log', cap=5, w=1.0, fams={'database', 'jwt', 'github', 'openai', 'slack', 'sendgrid', 'generic', 'sentry', 'stripe'})
    T.f('scripts/deploy.sh', sx='sh', cap=3, head='#!/usr/bin/env bash\n# Manual deploy helper (CI uses the same script)\nset -euo pipefail\n',
        tail=f'\ndocker build -t ghcr.io/{co}/{svc}:"$(git rev-parse --short HEAD)" .\necho "done"')
    T.f('deploy/k8s/secret.yaml', sx='yaml', ind='  ', case='upper', cap=4, w=1.0, dw=0.6,
        head=f'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {svc}-secrets\n  namespace: prod\ntype: Opaque\nstringData:')
    d = T.f('deploy/k8s/deployment.yaml', head=f'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {svc}\nspec:\n  replicas: 3\n  template:\n'
            f'    spec:\n      containers:\n        - name: {svc}')
    d.dec(f'          image: ghcr.io/{co}/{svc}@sha256:{g.hex(64)}', 'docker_digest', 'sha256:')
    d.add('          env:')
    for var in g.r.sample(['DATABASE_URL', 'STRIPE_SECRET_KEY', 'SENTRY_DSN', 'JWT_SECRET', 'REDIS_URL'], 3):
        d.add([f'            - name: {var}', '              valueFrom:', '                secretKeyRef:', f'                  name: {svc}-secrets'])
        d.dec(f'                  key: {var.lower().replace("_", "-")}', 'secret_reference')
    if g.chance(0.6):
        T.f(f'keys/{g.pick(["jwt", "signing", "saml"])}_private.pem', sx='pem', cap=1, w=20, dw=0)
    if g.chance(0.6):
        p = T.f('keys/jwt_public.pem')
        pub = pub_pem(g)
        p.add(pub, ('D', 'public_key', 'BEGIN PUBLIC KEY'))


def st_django(T):
    g, proj = T.g, T.g.pick(['config', 'core', 'backend'])
    T.static('manage.py', f'#!/usr/bin/env python\nimport os\nimport sys\n\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{proj}.settings")\n'
             '    from django.core.management import execute_from_command_line\n\n    execute_from_command_line(sys.argv)\n')
    T.f(f'{proj}/settings.py', sx='py', cap=9, w=2.5, dw=2,
        head='import os\nfrom pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n\nINSTALLED_APPS = [\n    "django.contrib.admin",\n'
             '    "django.contrib.auth",\n    "django.contrib.contenttypes",\n    "rest_framework",\n    "apps.accounts",\n    "apps.billing",\n]\n',
        tail='\nSTATIC_URL = "/static/"\nDEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"')
    T.f(f'{proj}/local_settings.py', sx='py', cap=5, w=1.5, head='# Local overrides -- not for production\nfrom .settings import *  # noqa: F401,F403\n\nDEBUG = True\n')
    T.f('apps/integrations/credentials.py', sx='py', style='dict', ind='    ', case='upper', cap=4, jsonish=False,
        head='"""Fallback credentials for integration clients (TODO: move to vault)."""\nimport os\n\nINTEGRATIONS = {', tail='}')
    T.f('.env', sx='env', head='# docker compose env', cap=8, w=2)
    T.f('.env.example', sx='env', head='# copy to .env and fill in', dw=2, decoys=['placeholder', 'provider_placeholder', 'benign_secret_name', 'url_without_password', 'secret_file_path'])
    T.f('docker-compose.yml', sx='yamlenv', ind='      ', cap=3, head='services:\n  web:\n    build: .\n    ports: ["8000:8000"]\n    environment:',
        tail='  db:\n    image: postgres:16\n  redis:\n    image: redis:7')
    T.static(f'{proj}/urls.py', 'from django.contrib import admin\nfrom django.urls import include, path\n\nurlpatterns = [\n    path("admin/", admin.site.urls),\n'
             '    path("api/", include("apps.billing.urls")),\n]\n')
    T.static(f'{proj}/wsgi.py', f'import os\n\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "{proj}.settings")\napplication = get_wsgi_application()\n')
    pw_fields(T.f('apps/accounts/forms.py', head='from django import forms\nfrom pydantic import Field, SecretStr\n\n\nclass SignupForm(forms.Form):\n    email = forms.EmailField()'), 'py', 3)
    fx = T.f('apps/accounts/fixtures/users.json', head='[', tail=']')
    for k in range(3):
        fx.add(['  {', '    "model": "accounts.user",', f'    "pk": {k + 1},', '    "fields": {', f'      "username": "{g.word()}{k}",'])
        fx.dec(f'      "password": "{pw_hash(g, "pbkdf2" if k < 2 else "argon2")}",', 'password_hash', '"password": "')
        fx.add([f'      "is_staff": {"true" if k == 0 else "false"}', '    }', '  }' + (',' if k < 2 else '')])
    reqs_hashed(T, 'requirements.txt')
    css_file(T, 'static/css/site.css')
    i18n(T, 'locale/de/LC_MESSAGES/django.po', 'po')
    snapshot(T, 'apps/billing/tests/__snapshots__/test_api.ambr', 'ambr')
    for k in range(g.ri(5, 9)):
        code_module(T, f'apps/{g.pick(["billing", "accounts", "reports"])}/{{e}}_service.py', 'py')
    return 'django'


def st_flask(T):
    g = T.g
    T.f('app/config.py', sx='pyfield', ind='    ', cap=8, w=2.5, dw=2,
        head='from pydantic import Field, SecretStr\nfrom pydantic_settings import BaseSettings, SettingsConfigDict\n\n\nclass Settings(BaseSettings):\n'
             '    model_config = SettingsConfigDict(env_file=".env", extra="ignore")\n', tail='\n\nsettings = Settings()')
    T.f('instance/config.py', sx='py', cap=4, w=1.5, head='# Flask instance config (loaded with app.config.from_pyfile)\n')
    T.f('app/worker/celeryconfig.py', sx='py', cap=2, fams={'database', 'generic'}, head='task_serializer = "json"\nresult_expires = 3600\n')
    T.f('alembic.ini', sx='ini', cap=1, fams={'database'}, fixname={'database': 'sqlalchemy.url'}, dw=0.2, decoys=['template_ref'],
        head='[alembic]\nscript_location = alembic\nprepend_sys_path = .', tail='\n[loggers]\nkeys = root,sqlalchemy,alembic')
    T.static('alembic/env.py', 'from logging.config import fileConfig\n\nfrom alembic import context\nfrom sqlalchemy import engine_from_config, pool\n\n'
             'config = context.config\nfileConfig(config.config_file_name)\n')
    T.static('alembic/versions/20240611_0001_init.py', 'revision = "0001"\ndown_revision = None\n\nimport sqlalchemy as sa\nfrom alembic import op\n\n\n'
             'def upgrade():\n    op.create_table("orders", sa.Column("id", sa.Integer, primary_key=True), sa.Column("status", sa.String(20)))\n')
    T.f('.env', sx='env', cap=8, w=2, head='# local development')
    T.f('.env.example', sx='env', dw=2, decoys=['placeholder', 'provider_placeholder', 'benign_secret_name', 'url_without_password'])
    T.f('docker-compose.yml', sx='yamlenv', ind='      ', cap=3, head='services:\n  api:\n    build: .\n    command: uvicorn app.main:app --host 0.0.0.0\n    environment:',
        tail='  worker:\n    build: .\n    command: celery -A app.worker worker')
    T.static('app/main.py', 'from fastapi import FastAPI\n\nfrom app.config import settings\nfrom app.routers import orders\n\napp = FastAPI(title="orders-api")\n'
             'app.include_router(orders.router)\n\n\n@app.get("/health")\ndef health():\n    return {"ok": True}\n')
    pw_fields(T.f('app/schemas.py', head='from pydantic import BaseModel, EmailStr, Field, SecretStr\n\n\nclass SignupIn(BaseModel):\n    email: EmailStr'), 'py', 2)
    T.static('pyproject.toml', '[tool.poetry]\nname = "orders-api"\nversion = "0.4.0"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nfastapi = "^0.111"\n')
    pl = T.f('poetry.lock')
    for name, ver in g.r.sample(PY_PKGS, 5):
        pl.add(['[[package]]', f'name = "{name}"', f'version = "{ver}"', 'files = ['])
        pl.dec(f'    {{file = "{name.replace("-", "_")}-{ver}-py3-none-any.whl", hash = "sha256:{g.hex(64)}"}},', 'content_hash', 'sha256:')
        pl.add([']', ''])
    snapshot(T, 'tests/snapshots/orders_list.json', 'golden')
    T.static('tests/test_health.py', 'from fastapi.testclient import TestClient\n\nfrom app.main import app\n\n\ndef test_health():\n'
             '    assert TestClient(app).get("/health").json() == {"ok": True}\n')
    for k in range(g.ri(5, 9)):
        code_module(T, 'app/routers/{e}s.py', 'py')
    return 'flask'


def st_node(T):
    g = T.g
    T.f('.env.local', sx='env', cap=8, w=2.5, dw=1.5, head='# Next.js local env (never commit)')
    T.f('.env.example', sx='env', dw=2, decoys=['placeholder', 'provider_placeholder', 'stripe_publishable_key', 'sentry_public_dsn', 'google_oauth_client_id'])
    T.f('next.config.js', sx='js', ind='    ', cap=3, head="/** @type {import('next').NextConfig} */\nconst nextConfig = {\n  reactStrictMode: true,\n  env: {",
        tail='  },\n};\n\nmodule.exports = nextConfig;')
    for env in ('default', 'production'):
        T.f(f'config/{env}.json', sx='json', ind='  ', cap=4, jsonish=True, head='{\n  "port": 3000,', tail='}')
    T.f('config/custom-environment-variables.json', sx='json', ind='  ', jsonish=True, dw=1, decoys=['template_ref'], head='{', tail='}')
    for svc in ('payments', 'ai', 'notify'):
        T.f(f'src/services/{svc}.ts', sx='js', style='const', cap=3, head=f"// {svc} service client\nimport axios from 'axios';\n")
    T.f(f'dist/assets/main.{g.hex(8)}.js', sx='js', style='min', cap=2, w=0.8, dw=0.5, fams={'google', 'stripe', 'openai', 'sentry', 'generic'},
        decoys=['stripe_publishable_key', 'sentry_public_dsn', 'google_oauth_client_id', 'content_hash'],
        head='/*! For license information please see main.js.LICENSE.txt */')
    T.f('.npmrc', sx='npmrc', cap=2, w=20, dw=0.3, decoys=['template_ref'], head=f'registry=https://registry.npmjs.org/\n@{T.co}:registry=https://npm.pkg.github.com')
    T.static('package.json', json.dumps({'name': 'web', 'private': True, 'scripts': {'dev': 'next dev', 'build': 'next build', 'test': 'jest'},
                                         'dependencies': {n: '^' + v for n, v in NPM_PKGS[:7]}}, indent=2))
    lock_npm(T, 'package-lock.json')
    i18n(T, 'src/i18n/en.json', 'json')
    css_file(T, 'styles/globals.css')
    snapshot(T, '__tests__/__snapshots__/orders.test.ts.snap', 'jest')
    pw_fields(T.f('src/components/LoginForm.tsx', head="import { z } from 'zod';\n\nexport const LoginSchema = z.object({\n  email: z.string().email(),",
                  tail='});'), 'ts', 2)
    for k in range(g.ri(5, 9)):
        code_module(T, 'src/features/{e}/api.ts', 'ts')
    return 'node'


def st_go(T):
    g = T.g
    T.f('config.yaml', sx='yaml', ind='  ', cap=7, w=2.5, dw=2, head='server:\n  addr: ":8080"\n  read_timeout: 15s\n\nintegrations:')
    T.f('internal/config/constants.go', sx='go', ind='\t', cap=5, w=2, dw=1.5,
        head='package config\n\nimport "os"\n\n// Fallback values used when the environment is incomplete.\nvar (', tail=')')
    T.f('Makefile', sx='make', cap=3, head='.PHONY: build test run\n\nAPP := gateway\nVERSION ?= $(shell git describe --tags --always)',
        tail='\nbuild:\n\tgo build -ldflags "-X main.version=$(VERSION)" -o bin/$(APP) ./cmd/server\n\ntest:\n\tgo test ./...\n\nrun: build\n\t./bin/$(APP)')
    T.f('deploy/terraform/locals.tf', sx='hcl', ind='  ', cap=4, w=1.5, head='# TODO: move to aws_secretsmanager_secret_version\nlocals {', tail='}')
    T.f('.env', sx='env', cap=5, w=1.5)
    T.static('cmd/server/main.go', 'package main\n\nimport (\n\t"log"\n\t"net/http"\n\n\t"example.com/gateway/internal/config"\n)\n\nvar version = "dev"\n\n'
             'func main() {\n\tcfg := config.Load()\n\tlog.Printf("gateway %s listening on %s", version, cfg.Addr)\n\tlog.Fatal(http.ListenAndServe(cfg.Addr, nil))\n}\n')
    T.static('go.mod', 'module example.com/gateway\n\ngo 1.22\n\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.0.12\n\tgithub.com/jackc/pgx/v5 v5.6.0\n)\n')
    go_sum(T, 'go.sum')
    pw_fields(T.f('internal/auth/user.go', head='package auth\n\ntype SignupRequest struct {\n\tEmail                string `json:"email" validate:"required,email"`', tail='}'), 'go', 2)
    snapshot(T, 'internal/orders/testdata/list.golden', 'golden')
    for k in range(g.ri(6, 10)):
        code_module(T, 'internal/{e}/{e}.go', 'go')
    return 'go'


def st_rails(T):
    g = T.g
    T.f('config/database.yml', sx='yaml', ind='  ', erb=True, cap=1, fams={'database'}, fixname={'database': 'url'}, dw=0.5,
        decoys=['env_lookup', 'template_ref'], head='default: &default\n  adapter: postgresql\n  encoding: unicode\n  pool: 5\n\n'
        'development:\n  <<: *default\n  database: app_development\n\nproduction:\n  <<: *default')
    T.f('config/secrets.yml', sx='yaml', ind='  ', erb=True, cap=6, w=2.5, dw=1.5, head='# legacy secrets (pre credentials.yml.enc)\nproduction:')
    T.f('config/initializers/integrations.rb', sx='rb', ind='  ', pre='config.x.', cap=5, w=2, head='Rails.application.configure do', tail='end')
    T.f('config/initializers/constants.rb', sx='rb', case='upper', cap=3, head='# frozen_string_literal: true\n')
    T.f('.env', sx='env', cap=6, w=1.5, head='# dotenv-rails')
    it = item(g, 'rails_master_key')
    plant(T.f('config/master.key'), [it['value']], it, it['value'])
    T.f('config/credentials.yml.enc').dec(f'{g.b64(g.ri(300, 500))}--{g.b64(12)}--{g.b64(16)}', 'encrypted_blob')
    T.static('Procfile', 'web: bundle exec puma -C config/puma.rb\nworker: bundle exec sidekiq -C config/sidekiq.yml\nrelease: bin/rails db:migrate\n')
    T.static('Gemfile', 'source "https://rubygems.org"\n\nruby "3.3.4"\ngem "rails", "~> 7.1"\ngem "pg"\ngem "puma"\ngem "sidekiq"\ngem "stripe"\ngem "dotenv-rails", groups: [:development, :test]\n')
    T.static('Gemfile.lock', 'GEM\n  remote: https://rubygems.org/\n  specs:\n    pg (1.5.6)\n    puma (6.4.2)\n    rails (7.1.3.4)\n    sidekiq (7.3.0)\n    stripe (12.1.0)\n\n'
             'PLATFORMS\n  x86_64-linux\n\nBUNDLED WITH\n   2.5.11\n')
    pw_fields(T.f('app/models/user.rb', head='class User < ApplicationRecord', tail='end'), 'rb', 3)
    fx = T.f('test/fixtures/users.yml')
    for k in range(3):
        fx.add([f'{g.word()}:', f'  email: {g.word()}{k}@example.com'])
        fx.dec(f'  encrypted_password: "{pw_hash(g, "bcrypt")}"', 'password_hash', 'encrypted_password')
    i18n(T, 'config/locales/en.yml', 'yml')
    for k in range(g.ri(6, 10)):
        code_module(T, 'app/controllers/{e}s_controller.rb', 'rb')
    return 'rails'


NB_TAIL = ' ],\n "metadata": {\n  "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}\n },\n "nbformat": 4,\n "nbformat_minor": 5\n}'


def st_data(T):
    g = T.g
    T.f('notebooks/01_explore.ipynb', sx='nb', cap=4, w=2, dw=1, fams=set(OTHER_FAMS + ['database', 'generic']) - {'private_key'}, jsonish=True,
        head='{\n "cells": [\n  {\n   "cell_type": "markdown",\n   "metadata": {},\n   "source": [\n    "# Churn exploration\\n"\n   ]\n  },\n'
             '  {\n   "cell_type": "code",\n   "execution_count": 1,\n   "metadata": {},\n   "outputs": [],\n   "source": [\n    "import os\\n",\n    "import pandas as pd\\n",',
        tail='   ]\n  }\n' + NB_TAIL)
    T.f('notebooks/02_backfill.ipynb', sx='nbout', cap=3, w=1.5, dw=1, jsonish=True, fams={'database', 'generic', 'aws', 'openai', 'jwt'},
        head='{\n "cells": [\n  {\n   "cell_type": "code",\n   "execution_count": 7,\n   "metadata": {},\n   "outputs": [\n    {\n'
             '     "name": "stdout",\n     "output_type": "stream",\n     "text": [\n      "--- effective settings ---\\n",',
        tail='     ]\n    }\n   ],\n   "source": [\n    "for k, v in sorted(settings.items()):\\n",\n    "    print(f\\"{k}={v}\\")"\n   ]\n  }\n' + NB_TAIL)
    T.f('dags/etl_daily.py', sx='py', cap=3, w=1.5, head='from datetime import datetime\n\nfrom airflow import DAG\nfrom airflow.models import Variable\n'
        'from airflow.operators.python import PythonOperator\n', tail='\nwith DAG("etl_daily", start_date=datetime(2024, 1, 1), schedule="@daily", catchup=False) as dag:\n'
        '    PythonOperator(task_id="extract", python_callable=lambda: None)')
    T.f('airflow.cfg', sx='ini', cap=1, fams={'fernet'}, fixname={'fernet': 'fernet_key'}, dw=0.3, decoys=['template_ref'],
        head='[core]\ndags_folder = /opt/airflow/dags\nexecutor = CeleryExecutor\nload_examples = False', tail='\n[webserver]\nbase_url = http://localhost:8080')
    T.f('profiles.yml', sx='yaml', ind='      ', cap=1, fams={'generic'}, fixname={'generic': 'password'}, dw=0.3, decoys=['template_ref'],
        head='analytics:\n  target: prod\n  outputs:\n    prod:\n      type: postgres\n      host: warehouse.internal\n      user: dbt_runner\n'
             '      port: 5432\n      dbname: analytics\n      schema: marts\n      threads: 8')
    T.static('migrations/V1__init.sql', 'CREATE TABLE customers (\n  customer_id UUID PRIMARY KEY,\n  email TEXT NOT NULL,\n  plan TEXT,\n  created_at TIMESTAMPTZ DEFAULT now()\n);\n')
    T.f('migrations/V7__service_roles.sql', sx='sql', cap=3, w=1.5, dw=0.5, head='-- service roles for BI tools\nCREATE ROLE reporting_ro NOLOGIN;\n')
    T.f('conf/.env', sx='env', cap=5, w=1.5)
    csv = T.f('data/fixtures/customers.csv', head='customer_id,email,plan,created_at')
    for k in range(g.ri(4, 7)):
        csv.dec(f'{g.uuid()},{g.word()}{k}@example.com,{g.pick(["free", "pro", "team"])},2024-0{g.ri(1, 9)}-1{g.ri(0, 9)}', 'uuid_identifier', ',')
    vf = T.f('models/tokenizer/vocab.json', head='{\n  "<|endoftext|>": 0,\n  "<|pad|>": 1,', tail='  "Ġthe": 262\n}')
    for w in g.r.sample(['Ġsecret', 'Ġpassword', 'Ġtoken', '_key', 'Ġapi', 'Ġcredentials', 'Ġauth'], 4):
        vf.dec(f'  "{w}": {g.ri(300, 50000)},', 'tokenizer_vocab', w)
    sa = T.f('credentials/gcp-etl-sa.json', head=f'{{\n  "type": "service_account",\n  "project_id": "{T.co}-analytics-{g.num(6)}",')
    sa.dec(f'  "private_key_id": "{g.hex(40)}",', 'key_id')
    it = item(g, 'pkcs8_private_key')
    it['kind'] = 'gcp_service_account_key'
    esc = '\\n'.join(it['value'])
    plant(sa, [f'  "private_key": "{esc}\\n",'], it, esc)
    sa.add([f'  "client_email": "etl-runner@{T.co}-analytics.iam.gserviceaccount.com",', f'  "client_id": "{g.num(21)}",',
            '  "token_uri": "https://oauth2.googleapis.com/token"', '}'])
    T.static('requirements.txt', 'apache-airflow==2.9.3\npandas==2.2.2\ndbt-postgres==1.8.2\nscikit-learn==1.5.1\n')
    for k in range(g.ri(5, 9)):
        code_module(T, 'src/features/{e}_features.py', 'py')
    return 'data'


def st_docs(T):
    g = T.g
    for name in g.r.sample(['database-failover', 'rotate-credentials', 'oncall-handbook', 'data-backfill', 'payments-incident-2024-03'], 3):
        T.f(f'docs/runbooks/{name}.md', sx='md', cap=4, w=2, dw=1.5, head=f'# {name.replace("-", " ").title()}\n\nOwner: platform team. Last reviewed 2024-0{g.ri(1, 9)}.\n')
    T.f('docs/onboarding.md', sx='md', cap=3, w=1.5, head='# Engineer onboarding\n\nWelcome! Work through these steps on day one.\n')
    T.f('docs/api/authentication.md', sx='md', dw=2, head='# API authentication\n\nClients send `Authorization: Bearer <token>`. Example requests:\n')
    ak = T.f('docs/access.md', head='# Access\n\nBastion `authorized_keys` entries (public keys only):\n\n```text')
    for _ in range(2):
        k = ssh_pub(g)
        ak.dec(k, 'public_key', k[:16])
    ak.add('```')
    T.f('scripts/rotate_keys.sh', sx='sh', cap=3, head='#!/usr/bin/env bash\nset -euo pipefail\n# rotate and re-seed service credentials\n')
    T.f('scripts/backfill.sh', sx='sh', cap=2, head='#!/usr/bin/env bash\nset -euo pipefail\n')
    T.f('snippets/aws-credentials', sx='awsini', cap=1, w=20, head='[default]\nregion = eu-west-1\noutput = json\n\n[prod-admin]')
    T.f('snippets/netrc', sx='netrc', cap=2, w=20)
    T.f('snippets/.npmrc', sx='npmrc', cap=2, w=20, decoys=['template_ref'], dw=0.2)
    T.static('mkdocs.yml', 'site_name: Platform handbook\ntheme:\n  name: material\nnav:\n  - Home: index.md\n  - Runbooks: runbooks/\n')
    T.static('docs/index.md', '# Platform handbook\n\nStart with the onboarding guide, then read the runbooks for your rotation.\n')
    return 'docs'


STACKS = [st_django, st_flask, st_node, st_go, st_rails, st_data, st_docs]
PK_KINDS = ['rsa_private_key', 'rsa_encrypted_legacy', 'ec_private_key', 'pkcs8_private_key', 'encrypted_private_key', 'openssh_private_key']
GEN_KINDS = ['app_secret_key', 'jwt_secret', 'api_key', 'client_secret', 'db_password', 'auth_token', 'signing_key', 'smtp_password', 'admin_password']


KW = {'stripe_live_secret': 3, 'github_pat_classic': 3, 'github_fine_grained_pat': 2, 'slack_bot_token': 2, 'slack_webhook': 2,
      'google_api_key': 2, 'sentry_dsn': 2, 'anthropic_api_key': 3, 'rsa_private_key': 2, 'openssh_private_key': 2, 'pkcs8_private_key': 2,
      'fernet_key': 2, 'jwt_service_token': 1}


def make_groups(g, stack):
    groups = []
    for fam in OTHER_FAMS:
        for _ in range(2):
            if fam == 'aws':
                groups.append([item(g, k) for k in (['aws_temp_access_key_id', 'aws_secret_access_key', 'aws_session_token'] if g.chance(0.3)
                                                    else ['aws_access_key_id', 'aws_secret_access_key'])])
            elif fam == 'twilio':
                groups.append([item(g, k) for k in g.pick([['twilio_auth_token'], ['twilio_auth_token'], ['twilio_api_secret'],
                                                           ['twilio_account_sid', 'twilio_auth_token'], ['twilio_api_key_sid', 'twilio_api_secret']])])
            elif fam == 'npm':
                groups.append([item(g, g.pick(['npm_token', 'npmrc_auth_token', 'npmrc_legacy_uuid'] if stack in ('node', 'docs') else ['npm_token']))])
            else:
                ks = FAMILY_KINDS[fam]
                groups.append([item(g, g.r.choices(ks, [KW.get(k, 1) for k in ks])[0])])
    others = sum(map(len, groups))
    n_gd = round(others * 0.85)
    n_db = round(n_gd * 0.42)
    groups += [[item(g, g.pick(FAMILY_KINDS['database']))] for _ in range(n_db)]
    gk = GEN_KINDS + {'django': ['django_secret_key'] * 3, 'rails': ['rails_secret_key_base'] * 3}.get(stack, [])
    groups += [[item(g, g.pick(gk))] for _ in range(n_gd - n_db)]
    return groups


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', required=True)
    ap.add_argument('--trees', type=int, default=6)
    ap.add_argument('--seed', type=int, default=0)
    a = ap.parse_args()
    g = Gen(a.seed)
    if os.path.isdir(os.path.join(a.out, 'trees')):
        shutil.rmtree(os.path.join(a.out, 'trees'))
    truth, decoys, names = [], [], set()
    for t in range(a.trees):
        build = STACKS[(a.seed + t) % len(STACKS)]
        T = Tree(g, '', '')
        stack = build(T)
        svc = f'{T.co}-{g.pick(["orders", "billing", "gateway", "ledger", "insights", "notify", "catalog"])}'
        T.name = f'{t:02d}-{stack}-{svc}'
        shared(T, svc)
        groups = make_groups(g, stack)
        planted = sum(1 for f in T.files.values() for _, tg in f.body if tg and tg[0] == 'S')
        place(T, groups, sum(map(len, groups)) + planted)
        finalize(T, a.out, truth, decoys)
    verify(a.out, truth, decoys)
    for d in decoys:
        del d['_marker']
    fams, dk = {}, {}
    for it in truth:
        fams[it['family']] = fams.get(it['family'], 0) + 1
    for d in decoys:
        dk[d['kind']] = dk.get(d['kind'], 0) + 1
    man = {'seed': a.seed, 'trees': a.trees, 'secrets': len(truth), 'decoys': len(decoys),
           'families': dict(sorted(fams.items())), 'decoy_kinds': dict(sorted(dk.items())),
           'files': sum(len(fs) for _, _, fs in os.walk(os.path.join(a.out, 'trees')))}
    for name, obj in (('truth.json', truth), ('decoys.json', decoys), ('manifest.json', man)):
        with open(os.path.join(a.out, name), 'w') as fh:
            json.dump(obj, fh, indent=1)
    print(json.dumps(man, indent=1))


if __name__ == '__main__':
    main()
