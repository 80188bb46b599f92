#!/bin/sh
# Starts/stops Debian's docker-registry on 127.0.0.1 in the three configurations Skiff.Images tests use:
#   5000  open (no auth)
#   5001  HTTP basic auth (htpasswd; user "skiff", password "skiffpass")
#   5002  token auth: realm http://127.0.0.1:5003/token, service "skiff-registry", issuer "skiff-test-issuer";
#         the token issuer is run by the tests themselves (it signs with $DIR/token.key, the registry trusts $DIR/token.crt)
#   5004  open, over HTTPS with a self-signed certificate ($DIR/tls.crt; not in the system trust store)
# apt dependencies: docker-registry, openssl, python3 (for the bcrypt htpasswd line; apache2-utils' htpasswd is used
# instead when installed). Installs nothing. State (storage, configs, logs, pids) lives in $SKIFF_REGISTRY_DIR
# (default /tmp/skiff-registry). Idempotent: `start` leaves running registries alone, `stop` is safe to repeat.
set -eu
DIR=${SKIFF_REGISTRY_DIR:-/tmp/skiff-registry}
PIDS="$DIR/pids"
BIN=/usr/bin/docker-registry

running() { [ -f "$PIDS" ] && while read -r pid; do kill -0 "$pid" 2>/dev/null || return 1; done < "$PIDS" && [ -s "$PIDS" ]; }

config() { # name port auth-block
  mkdir -p "$DIR/$1"
  cat > "$DIR/$1.yml" <<YML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $DIR/$1
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$2
$3
YML
}

start() {
  if running; then echo "registries already running (pids $(tr '\n' ' ' < "$PIDS"))"; return 0; fi
  stop >/dev/null 2>&1 || true
  [ -x "$BIN" ] || { echo "missing $BIN: apt-get install docker-registry" >&2; exit 1; }
  mkdir -p "$DIR"
  if [ ! -s "$DIR/htpasswd" ]; then
    if command -v htpasswd >/dev/null 2>&1; then htpasswd -Bbn skiff skiffpass > "$DIR/htpasswd"
    else /usr/bin/python3 -W ignore -c 'import crypt; print("skiff:" + crypt.crypt("skiffpass", crypt.mksalt(crypt.METHOD_BLOWFISH)))' > "$DIR/htpasswd"; fi
  fi
  if [ ! -s "$DIR/token.crt" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$DIR/token.key" -out "$DIR/token.crt" -days 3650 \
      -subj "/CN=skiff-test-issuer" >/dev/null 2>&1
  fi
  if [ ! -s "$DIR/tls.crt" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$DIR/tls.key" -out "$DIR/tls.crt" -days 3650 \
      -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" >/dev/null 2>&1
  fi
  config open 5000 ""
  config basic 5001 "auth:
  htpasswd:
    realm: skiff-basic
    path: $DIR/htpasswd"
  config token 5002 "auth:
  token:
    realm: http://127.0.0.1:5003/token
    service: skiff-registry
    issuer: skiff-test-issuer
    rootcertbundle: $DIR/token.crt"
  config tls 5004 "  tls:
    certificate: $DIR/tls.crt
    key: $DIR/tls.key"
  : > "$PIDS"
  for n in open basic token tls; do
    setsid "$BIN" serve "$DIR/$n.yml" > "$DIR/$n.log" 2>&1 < /dev/null &
    echo $! >> "$PIDS"
  done
  for port in 5000 5001 5002 5004; do
    i=0
    scheme=http; [ $port = 5004 ] && scheme=https
    until curl -sk -o /dev/null "$scheme://127.0.0.1:$port/v2/" 2>/dev/null || [ $i -ge 50 ]; do i=$((i+1)); sleep 0.1; done
    [ $i -lt 50 ] || { echo "registry on port $port did not start; see $DIR/*.log" >&2; exit 1; }
  done
  echo "registries up: 127.0.0.1:5000 (open), :5001 (basic skiff/skiffpass), :5002 (token, issuer on :5003 run by tests), :5004 (https, self-signed); state in $DIR"
}

stop() {
  if [ -f "$PIDS" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done < "$PIDS"
    rm -f "$PIDS"
  fi
  echo "registries stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
