# Sourced by bin/serve and bin/worker: the project folder, its Python, the checks they share.

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# A virtual environment in the project folder when there is one (a host); else the Python on
# PATH (the container image installs the requirements into it).
if [ -x .venv/bin/python ]; then
  PATH="$PWD/.venv/bin:$PATH"
fi
export FLASK_APP=wsgi

# Refuse to start unless APP_ENV=production and every variable named is set.
require_production_env() {
  local name missing=()
  if [ "${APP_ENV:-}" != production ]; then
    echo "$(basename "$0"): APP_ENV must be 'production' (for development: make run)" >&2
    exit 2
  fi
  for name in "$@"; do
    [ -n "${!name:-}" ] || missing+=("$name")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "$(basename "$0"): set ${missing[*]} (README: Deploying)" >&2
    exit 2
  fi
}

# The English catalogue, compiled when missing or older than its source (.mo is not in git).
compile_translations() {
  local po
  for po in app/translations/*/LC_MESSAGES/messages.po; do
    if [ ! -f "${po%.po}.mo" ] || [ "$po" -nt "${po%.po}.mo" ]; then
      pybabel compile --use-fuzzy -d app/translations --statistics 2>&1 | tail -n 1
      return
    fi
  done
}
