#!/usr/bin/env bash
# Generates every secret a Quintet deployment needs, fresh and random, for Docker Compose and for Kubernetes:
#   - the enricher's privacy master key (AES-256, wraps the per-subject data keys of the PII vault),
#   - the audit chain's HMAC key and the Ed25519 checkpoint signing key (+ the public key set to publish),
#   - two gateway write keys: 'producer' (any source) and 'privacy-ops' (the one allowed to request erasures),
#   - the feed API's keys: 'ops' (every scope, the web console's login included) and 'console' (what the console
#     itself reads of the feed API), and the token secret of its per-user tokens.
# Nothing generated here is committed (deploy/secrets/ is in .gitignore). Existing files are never overwritten:
# losing the master key makes the vault unreadable, a new HMAC key starts a new chain.
#
#   deploy/bin/secrets.sh                  writes deploy/secrets/compose/ and deploy/secrets/k8s/
#   deploy/bin/secrets.sh --compose DIR    only the Compose files, into DIR
#   deploy/bin/secrets.sh --k8s DIR        only the Kubernetes files, into DIR
#
# Compose: docker-compose.yaml reads deploy/secrets/compose/ (gateway.env, feed-aggregator.env, console.env,
# master.keys, hmac.keys, signing.keys, public-keys.json).
# Kubernetes: kubectl apply -f deploy/secrets/k8s/quintet-secrets.yaml (namespace, Secrets, public-key ConfigMap),
# then kubectl apply -f deploy/k8s/quintet.yaml. The plain write keys for producers are in write-keys.txt beside them.
# Needs bash, openssl and sha256sum (coreutils). No Java, no build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
}

compose_dir=""
k8s_dir=""
case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  "") compose_dir=deploy/secrets/compose; k8s_dir=deploy/secrets/k8s ;;
esac
while [ $# -gt 0 ]; do
  case "$1" in
    --compose) compose_dir="${2:?--compose needs a directory}"; shift 2 ;;
    --k8s) k8s_dir="${2:?--k8s needs a directory}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "secrets.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
command -v openssl >/dev/null || { echo "secrets.sh: openssl is required" >&2; exit 1; }
command -v sha256sum >/dev/null || { echo "secrets.sh: sha256sum is required" >&2; exit 1; }

umask 077
stamp=$(date -u +%Y%m%d)
b64() { openssl base64 -A; }
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# one fresh set of keys into $1: master.keys, hmac.keys, signing.keys, public-keys.json, write keys
generate() {
  local dir=$1 tmp
  for f in master.keys hmac.keys signing.keys public-keys.json write-keys.txt feed-api-keys.txt; do
    if [ -e "$dir/$f" ]; then
      echo "secrets.sh: $dir/$f exists; refusing to overwrite keys (move the folder away to start afresh)" >&2
      exit 1
    fi
  done
  mkdir -p "$dir"
  chmod 700 "$dir"
  tmp=$(mktemp -d)

  master_id="mk-$stamp"; hmac_id="chain-$stamp"; signing_id="ck-$stamp"
  # privacy.master.keys.file: 'id=base64' lines (AES-256)
  printf '# Quintet privacy master keys: keep secret; losing them makes the PII vault unreadable\n%s=%s\n' \
    "$master_id" "$(openssl rand 32 | b64)" > "$dir/master.keys"
  # audit key files: 'active=ID' and 'key.ID=BASE64' (HMAC: 32 random bytes; signing: PKCS#8 DER of Ed25519)
  printf '# Quintet audit key file: keep it secret; active names the key in use\nactive=%s\nkey.%s=%s\n' \
    "$hmac_id" "$hmac_id" "$(openssl rand 32 | b64)" > "$dir/hmac.keys"
  openssl genpkey -algorithm ed25519 -out "$tmp/signing.pem" 2>/dev/null
  printf '# Quintet audit key file: keep it secret; active names the key in use\nactive=%s\nkey.%s=%s\n' \
    "$signing_id" "$signing_id" "$(openssl pkey -in "$tmp/signing.pem" -outform DER | b64)" > "$dir/signing.keys"
  # the published checkpoint verification keys (JWKS, RFC 8037); the raw key is the SPKI's last 32 bytes
  printf '{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"%s","x":"%s","use":"sig","alg":"EdDSA"}]}\n' \
    "$signing_id" "$(openssl pkey -in "$tmp/signing.pem" -pubout -outform DER | tail -c 32 | b64url)" > "$dir/public-keys.json"
  # gateway write keys (qk_ + 32 random bytes, base64url): only their SHA-256 goes into the configuration
  producer_key="qk_$(openssl rand 32 | b64url)"
  erasure_key="qk_$(openssl rand 32 | b64url)"
  producer_sha=$(printf %s "$producer_key" | sha256sum | cut -c1-64)
  erasure_sha=$(printf %s "$erasure_key" | sha256sum | cut -c1-64)
  write_keys="producer:$producer_sha:*,privacy-ops:$erasure_sha:privacy-ops"
  erasure_keys="privacy-ops"
  printf '# Quintet gateway write keys: give each to its producer (Authorization: Bearer KEY), store them nowhere else\nproducer=%s\nprivacy-ops=%s\n' \
    "$producer_key" "$erasure_key" > "$dir/write-keys.txt"
  # the feed-aggregator's API: one key with every scope for your back end and the web console's login (only its
  # SHA-256 is configured, in the feed-aggregator and in the console: the same entries), one for the console's own
  # reads of the feed API (metrics, feeds), and the HMAC secret of its per-user tokens
  feeds_key="qfk_$(openssl rand 32 | b64url)"
  console_feeds_key="qfk_$(openssl rand 32 | b64url)"
  feeds_api_keys="ops:$(printf %s "$feeds_key" | sha256sum | cut -c1-64):feeds:read-any|feeds:write-any|metrics:read|alerts:read|events:read|tokens:issue|console:read|console:replay,console:$(printf %s "$console_feeds_key" | sha256sum | cut -c1-64):feeds:read-any|metrics:read"
  feeds_token_secret=$(openssl rand 32 | b64)
  printf '# Quintet feed API key (Authorization: Bearer KEY; every scope; it also logs in to the web console): give it to your back end, store it nowhere else
ops=%s
' \
    "$feeds_key" > "$dir/feed-api-keys.txt"
  # readable inside the containers (they run as uid 1000), the folder itself is private
  chmod 644 "$dir/master.keys" "$dir/hmac.keys" "$dir/signing.keys" "$dir/public-keys.json"
  chmod 600 "$dir/write-keys.txt" "$dir/feed-api-keys.txt"
  rm -rf "$tmp"
}

if [ -n "$compose_dir" ]; then
  generate "$compose_dir"
  printf 'QUINTET_GATEWAY_AUTH_WRITE_KEYS=%s\nQUINTET_GATEWAY_AUTH_ERASURE_KEYS=%s\n' "$write_keys" "$erasure_keys" \
    > "$compose_dir/gateway.env"
  printf 'QUINTET_FEED_AGGREGATOR_HTTP_AUTH_API_KEYS=%s\nQUINTET_FEED_AGGREGATOR_HTTP_AUTH_TOKEN_SECRET=%s\n' \
    "$feeds_api_keys" "$feeds_token_secret" > "$compose_dir/feed-aggregator.env"
  printf 'QUINTET_CONSOLE_AUTH_API_KEYS=%s\nQUINTET_CONSOLE_FEEDS_API_KEY=%s\n' \
    "$feeds_api_keys" "$console_feeds_key" > "$compose_dir/console.env"
  echo "secrets.sh: wrote $compose_dir/ (gateway.env, feed-aggregator.env, console.env, master.keys, hmac.keys, signing.keys, public-keys.json; write keys for producers in write-keys.txt, the feed API key in feed-api-keys.txt)"
fi

if [ -n "$k8s_dir" ]; then
  generate "$k8s_dir"
  file_b64() { b64 < "$k8s_dir/$1"; }
  cat > "$k8s_dir/quintet-secrets.yaml" <<EOF
# Generated by deploy/bin/secrets.sh: keep it out of version control. kubectl apply -f this file, then deploy/k8s/quintet.yaml.
apiVersion: v1
kind: Namespace
metadata:
  name: quintet
---
apiVersion: v1
kind: Secret
metadata:
  name: quintet-gateway-keys
  namespace: quintet
type: Opaque
data:
  auth.write.keys: $(printf %s "$write_keys" | b64)
  auth.erasure.keys: $(printf %s "$erasure_keys" | b64)
---
apiVersion: v1
kind: Secret
metadata:
  name: quintet-feed-aggregator-keys
  namespace: quintet
type: Opaque
data:
  http.auth.api.keys: $(printf %s "$feeds_api_keys" | b64)
  http.auth.token.secret: $(printf %s "$feeds_token_secret" | b64)
---
apiVersion: v1
kind: Secret
metadata:
  name: quintet-console-keys
  namespace: quintet
type: Opaque
data:
  auth.api.keys: $(printf %s "$feeds_api_keys" | b64)
  feeds.api.key: $(printf %s "$console_feeds_key" | b64)
---
apiVersion: v1
kind: Secret
metadata:
  name: quintet-enricher-keys
  namespace: quintet
type: Opaque
data:
  master.keys: $(file_b64 master.keys)
  hmac.keys: $(file_b64 hmac.keys)
  signing.keys: $(file_b64 signing.keys)
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: quintet-audit-public-keys
  namespace: quintet
data:
  public-keys.json: '$(tr -d '\n' < "$k8s_dir/public-keys.json")'
EOF
  echo "secrets.sh: wrote $k8s_dir/quintet-secrets.yaml (kubectl apply -f it before deploy/k8s/quintet.yaml; write keys for producers in $k8s_dir/write-keys.txt, the feed API key in $k8s_dir/feed-api-keys.txt)"
fi
