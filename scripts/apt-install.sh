# Sourced by the with-*.sh scripts: apt_install PACKAGE installs a Debian package when this machine
# allows it (apt-get present, and root or password-less sudo). On failure it returns 1 and leaves
# the reason in APT_WHY; it never prompts for a password.
apt_install() {
  local apt
  APT_WHY=""
  if ! command -v apt-get >/dev/null 2>&1; then
    APT_WHY="no apt-get on this machine to install $1"
    return 1
  elif [ "$(id -u)" = 0 ]; then
    apt=(apt-get)
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    apt=(sudo apt-get)
  else
    APT_WHY="installing $1 with apt-get needs root or password-less sudo"
    return 1
  fi
  echo "${0##*/}: installing $1 (Debian package)" >&2
  if ! { DEBIAN_FRONTEND=noninteractive "${apt[@]}" update -qq >/dev/null \
      && DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq "$1" >/dev/null; }; then
    APT_WHY="apt-get could not install $1"
    return 1
  fi
}
