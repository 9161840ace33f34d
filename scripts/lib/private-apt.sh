# shellcheck shell=bash
# apt-get with a private configuration (its own sources list, package lists, cache and an empty
# dpkg status), so the host's apt setup is never read or touched. Sourced by the chroot scripts.
# Usage: private_apt_init DIR SUITE; then papt ARGS… (amd64).
private_apt_init() {
  APT=$1
  mkdir -p "$APT/state/lists/partial" "$APT/cache/archives/partial"
  : >"$APT/status"
  cat >"$APT/sources.list" <<SRC
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $2 main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security $2-security main
SRC
}

papt() {
  apt-get -q -o Dir::Etc::sourcelist="$APT/sources.list" -o Dir::Etc::sourceparts=/nonexistent \
    -o Dir::State="$APT/state" -o Dir::State::status="$APT/status" -o Dir::Cache="$APT/cache" \
    -o APT::Architecture=amd64 -o APT::Architectures::=amd64 -o APT::Sandbox::User=root "$@"
}
