#!/usr/bin/env bash
# Makes the Secrets deploy/k8s reads, as manifests in OUT (kept out of the repository; the manifests in deploy/k8s
# hold no secret):
#   facecast-secrets        api-key (the public API's key, fck_...), turn-secret (coturn's use-auth-secret)
#   facecast-signaling-tls  ca.crt, signaling.crt|key
#   facecast-node-tls       ca.crt, and for each node ordinal i: facecast-node-i.crt|key (streamer),
#                           facecast-node-i-renderer.crt|key (renderer)
# The cluster CA (OUT/ca, ca.key included) stays with you: keep it off the cluster and run this again with the same
# OUT to issue pairs for more nodes (existing ones are kept).
#
#   deploy/k8s/make-secrets.sh 2 ~/facecast-secrets && kubectl apply -n facecast -f ~/facecast-secrets/secrets
set -euo pipefail
nodes=${1:?usage: make-secrets.sh NODES OUT_DIR}
out=${2:?usage: make-secrets.sh NODES OUT_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
jar="$root/security/target/facecast-security.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -q -DskipTests -Dfacecast.deps=skip -pl security -am package)
certs() { java -jar "$jar" "$@" >/dev/null; }
umask 077
ca="$out/ca"
mkdir -p "$ca" "$out/secrets"
[ -f "$ca/ca.key" ] || certs init --dir "$ca"
issue() { [ -f "$ca/$2.crt" ] || certs issue --dir "$ca" --role "$1" --id "$2"; }
issue signaling signaling
node_files=("$ca/ca.crt")
for ((i = 0; i < nodes; i++)); do
  issue streamer "facecast-node-$i"
  issue renderer "facecast-node-$i-renderer"
  node_files+=("$ca/facecast-node-$i.crt" "$ca/facecast-node-$i.key"
               "$ca/facecast-node-$i-renderer.crt" "$ca/facecast-node-$i-renderer.key")
done
# The API key and the TURN secret: made once, kept beside the CA.
[ -s "$out/api-key" ] || python3 -c 'import secrets, base64
print("fck_" + secrets.token_hex(6) + "_" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("="), end="")' > "$out/api-key"
[ -s "$out/turn-secret" ] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$out/turn-secret"

# secret NAME KEY=FILE...: one Secret manifest (base64 data), named after the Secret.
secret() {
  local name=$1; shift
  {
    printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n  labels:\n    app.kubernetes.io/part-of: facecast\ntype: Opaque\ndata:\n' "$name"
    for pair in "$@"; do
      printf '  %s: %s\n' "${pair%%=*}" "$(base64 -w0 < "${pair#*=}")"
    done
  } > "$out/secrets/$name.yaml"
}
secret facecast-secrets "api-key=$out/api-key" "turn-secret=$out/turn-secret"
secret facecast-signaling-tls "ca.crt=$ca/ca.crt" "signaling.crt=$ca/signaling.crt" "signaling.key=$ca/signaling.key"
node_pairs=()
for f in "${node_files[@]}"; do node_pairs+=("$(basename "$f")=$f"); done
secret facecast-node-tls "${node_pairs[@]}"
echo "Secrets for $nodes node(s) in $out/secrets (the CA key stays in $ca): kubectl apply -n facecast -f $out/secrets"
