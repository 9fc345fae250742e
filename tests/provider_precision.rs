//! Provider tokens and their look-alikes, as the independent providers corpus
//! (`bench/eval/independent/providers.py`) plants them: values that carry a
//! provider's prefix but not its format, providers' documented sample tokens,
//! keys that providers publish to browsers and apps, base64 references in
//! Kubernetes Secrets, and real tokens in the places where they were missed
//! (JSON-escaped notebook headers, PHP and Ruby header hashes, agent command
//! lines, Docker's `config.json`, TypeScript annotations, YAML block
//! scalars). Every value is built at test time from a seeded generator; each
//! test plants a real token beside the look-alikes, so it fails both ways.

mod common;

use common::*;

const HEX: &[u8] = b"0123456789abcdef";
const LOWER_AN: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
const UPPER_AN: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn b64(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// A Kubernetes Secret whose `data:` holds `pairs` (values base64-encoded).
fn k8s_secret(pairs: &[(&str, String)]) -> String {
    let mut s = String::from(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-secrets\ntype: Opaque\ndata:\n",
    );
    for (k, v) in pairs {
        s.push_str(&format!("  {k}: {}\n", b64(v)));
    }
    s
}

#[test]
fn provider_prefixed_values_that_miss_the_format_are_not_generic_secrets() {
    let mut r = Rng::new(1801);
    let env = format!(
        "NEON_API_KEY=\"{}{}\"\nDO_REFRESH_TOKEN=\"{}{}\"\nGROQ_API_KEY=\"{}{}\"\n\
         CONTENTFUL_MANAGEMENT_TOKEN=\"{}{}\"\nNEON_API_KEY_PROD=\"{}{}\"\n",
        "napi_",
        r.string(BASE62, 16),
        "dor_v1_",
        r.string(HEX, 16),
        "gsk_",
        r.string(BASE62, 13),
        "CFPAT-",
        r.string(BASE62, 10),
        "napi_",
        r.string(BASE62, 64),
    );
    let values = format!(
        "database:\n  password: \"{}{}\"\ndynatrace:\n  apiToken: \"{}{}\"\n",
        "pscale_pw_",
        r.string(BASE62, 10),
        "dt0c01.",
        r.string(UPPER_AN, 22),
    );
    // Words joined by dashes in a provider setting are not a token either.
    let auth0 = "AUTH0_CLIENT_SECRET='super-secret-key-change-in-production'\n".to_string();
    assert_only(
        &[
            (".env", env),
            ("helm/values.yaml", values),
            (".env.example", auth0),
        ],
        &[(".env", "neon-api-key")],
    );
}

#[test]
fn documented_sample_tokens_are_not_reported() {
    let mut r = Rng::new(1802);
    // Doppler's token formats page, Plaid's API reference and 1Password's
    // "About your Secret Key" page show these values.
    let doppler_sample = [
        "dp.pt.",
        "bAqhcVzrhy5c",
        "RHkOlNTc0Ve6",
        "w5NUDCpcutm8",
        "vGE9myi",
    ]
    .concat();
    let plaid_sample = [
        "access-sandbox-",
        "de3ce8ef-33f8-",
        "452c-a685-",
        "8671031fc0f6",
    ]
    .concat();
    let op_sample = ["A3", "ASWWYB", "798JRY", "LJVD4", "23DC2", "86TVM", "H43EB"].join("-");
    let runbook = format!(
        "# On call\n\n```sh\nexport DOPPLER_TOKEN=\"{doppler_sample}\"\n```\n\nProduction:\n\n\
         ```sh\nexport DOPPLER_TOKEN=\"dp.st.prd.{}\"\n```\n",
        r.string(BASE62, 43)
    );
    let yaml = format!(
        "plaid:\n  access_token: {plaid_sample}\nonepassword:\n  secret_key: \"{op_sample}\"\n"
    );
    assert_only(
        &[
            ("docs/runbook.md", runbook),
            ("config/integrations.yaml", yaml),
        ],
        &[("docs/runbook.md", "doppler-token")],
    );
}

#[test]
fn keys_that_providers_ship_to_browsers_and_apps_are_not_reported() {
    let mut r = Rng::new(1803);
    let web = format!(
        "posthog.init('{}{}', {{ api_host: 'https://eu.i.posthog.com' }});\n\
         mapboxgl.accessToken = '{}{}.{}';\n\
         const ld = LDClient.initialize('{}{}');\n",
        "phc_",
        r.string(BASE62, 43),
        "pk.eyJ1Ijoi",
        r.string(B64URL, 60),
        r.string(B64URL, 22),
        "mob-",
        uuid(&mut r),
    );
    let env = format!(
        "NEW_RELIC_BROWSER_KEY={}{}\nexport SHOPIFY_API_KEY=\"{}\"\n\
         ALGOLIA_SEARCH_ONLY_API_KEY=\"{}\"\nADYEN_CLIENT_KEY=\"live_{}\"\n\
         SHOPIFY_STOREFRONT_ACCESS_TOKEN=\"{}\"\nPOSTHOG_PERSONAL_API_KEY={}{}\n",
        "NRJS-",
        r.string(HEX, 19),
        r.string(HEX, 32),
        r.string(HEX, 32),
        r.string(UPPER_AN, 32),
        r.string(HEX, 32),
        "phx_",
        r.string(BASE62, 43),
    );
    assert_only(
        &[("web/src/analytics.ts", web), (".env", env)],
        &[(".env", "posthog-personal-api-key")],
    );
}

#[test]
fn base64_references_and_key_ids_in_kubernetes_secrets_are_not_secrets() {
    let mut r = Rng::new(1804);
    let honeycomb_key_id = format!("{}{}", "hcaik_01", r.string(LOWER_AN, 24));
    let mut yaml = k8s_secret(&[
        ("PYPI_TOKEN", "op://Platform/PyPI/upload-token".to_string()),
        (
            "UNLEASH_API_TOKEN",
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/unleash".to_string(),
        ),
        (
            "DD_APP_KEY",
            "projects/acme-prod/secrets/dd-app-key/versions/latest".to_string(),
        ),
    ]);
    // A key id that happens to be 32 bytes: url-safe base64 shaped like a Fernet key.
    {
        use base64::Engine as _;
        let id = base64::engine::general_purpose::URL_SAFE.encode(&honeycomb_key_id);
        yaml.push_str(&format!("  HONEYCOMB_KEY_ID: {id}\n"));
    }
    let pat = format!("{}{}", "glpat-", r.string(B64URL, 20));
    let with_real = format!("{yaml}  GITLAB_TOKEN: {}\n", b64(&pat));
    assert_only(
        &[("k8s/secret.yaml", with_real)],
        &[("k8s/secret.yaml", "gitlab-personal-access-token")],
    );
}

#[test]
fn authorization_headers_in_notebooks_php_and_ruby_are_found() {
    let mut r = Rng::new(1805);
    let notebook = format!(
        "{{\n \"cells\": [\n  {{\n   \"cell_type\": \"code\",\n   \"source\": [\n    \
         \"resp = requests.get(\\\"https://api.partner.acme-corp.io/v1/me\\\", headers={{\\\"Authorization\\\": \\\"Bearer {}\\\"}})\\n\"\n   \
         ]\n  }}\n ]\n}}\n",
        r.string(BASE62, 28)
    );
    let php = format!(
        "<?php\nreturn Http::withHeaders([\n    'Authorization' => 'Bearer {}',\n])->get($url);\n",
        r.string(BASE62, 28)
    );
    let ruby = format!(
        "req = Net::HTTP::Get.new(uri)\nreq[\"Authorization\"] = \"Bearer {}\"\n",
        r.string(BASE62, 28)
    );
    assert_only(
        &[
            ("notebooks/explore.ipynb", notebook),
            ("app/Client.php", php),
            ("lib/client.rb", ruby),
        ],
        &[
            ("notebooks/explore.ipynb", "authorization-header"),
            ("app/Client.php", "authorization-header"),
            ("lib/client.rb", "authorization-header"),
        ],
    );
}

#[test]
fn docker_config_logins_are_found() {
    let mut r = Rng::new(1806);
    let login = format!("acmeci:{}{}", "dckr_pat_", r.string(B64URL, 27));
    let other = format!("deploy-bot:{}", r.string(BASE62, 32));
    let config = format!(
        "{{\n  \"auths\": {{\n    \"https://index.docker.io/v1/\": {{\n      \"auth\": \"{}\"\n    }},\n    \
         \"ghcr.io\": {{\n      \"auth\": \"{}\"\n    }}\n  }}\n}}\n",
        b64(&login),
        b64(&other)
    );
    let store_only = "{\n  \"auths\": {\n    \"https://index.docker.io/v1/\": {}\n  },\n  \"credsStore\": \"desktop\"\n}\n".to_string();
    assert_only(
        &[
            ("ci/.docker/config.json", config),
            ("home/.docker/config.json", store_only),
        ],
        &[
            ("ci/.docker/config.json", "docker-config-auth"),
            ("ci/.docker/config.json", "docker-config-auth"),
        ],
    );
}

#[test]
fn provider_tokens_in_commands_headers_and_annotations_are_found() {
    let mut r = Rng::new(1807);
    let agent = format!(
        "#!/bin/sh\nbuildkite-agent start --token {} --tags queue=deploy\n",
        r.string(HEX, 50)
    );
    let pagerduty = format!(
        "curl -sS -H \"Authorization: Token token={}\" https://api.pagerduty.com/users?limit=1\n",
        r.string(BASE62, 20)
    );
    // `0`, `I` and `l` are not base58, but a token copied with them is still one.
    let circleci = format!(
        "curl -sS -H \"Circle-Token: {}0Il{}_{}\" https://circleci.com/api/v2/me\n",
        "CCIPAT_",
        r.string(BASE62, 19),
        r.string(HEX, 40)
    );
    let php = format!(
        "<?php\nreturn [\n    'headers' => [\n        'X-Honeycomb-Team' => '{}',\n        \
         'Authorization' => 'Bearer {}{}.{}',\n    ],\n];\n",
        r.string(BASE62, 22),
        "pat",
        r.string(BASE62, 14),
        r.string(HEX, 64)
    );
    let ruby = format!("req[\"Authorization\"] = \"{}{}\"\n", "api-", uuid(&mut r));
    let sh = format!("export LD_SDK_KEY=\"{}{}\"\n", "sdk-", uuid(&mut r));
    let ts = format!(
        "export const postmarkServerToken: string = \"{}\";\n",
        uuid(&mut r)
    );
    let values = format!("postmarkAccountToken: |-\n  {}\n", uuid(&mut r));
    let notebook = format!(
        "    \"resp = requests.get(\\\"https://api.cloudflare.com/client/v4/user/tokens/verify\\\", headers={{\\\"Authorization\\\": \\\"Bearer {}\\\"}})\\n\",\n",
        r.string(BASE62, 40)
    );
    assert_only(
        &[
            ("scripts/agent.sh", agent),
            ("scripts/pagerduty.sh", pagerduty),
            ("scripts/release.sh", circleci),
            ("config/services.php", php),
            ("lib/flags.rb", ruby),
            ("scripts/env.sh", sh),
            ("src/mail.ts", ts),
            ("helm/values.yaml", values),
            ("notebooks/cf.ipynb", notebook),
        ],
        &[
            ("scripts/agent.sh", "buildkite-agent-token"),
            ("scripts/pagerduty.sh", "pagerduty-api-key"),
            ("scripts/release.sh", "circleci-personal-api-token"),
            ("config/services.php", "honeycomb-api-key"),
            ("config/services.php", "airtable-personal-access-token"),
            ("lib/flags.rb", "launchdarkly-api-access-token"),
            ("scripts/env.sh", "launchdarkly-sdk-key"),
            ("src/mail.ts", "postmark-api-token"),
            ("helm/values.yaml", "postmark-api-token"),
            ("notebooks/cf.ipynb", "cloudflare-api-token-legacy"),
        ],
    );
}
