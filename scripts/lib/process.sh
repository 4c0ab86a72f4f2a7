# Sourced by scripts/release, web, worker and beat (never run on its own).
# From the repository root; with its .venv when there is one (make serve), otherwise the
# Python on PATH (the container's /opt/venv); production settings unless told otherwise.
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if [ -x .venv/bin/python ]; then
  PATH="$PWD/.venv/bin:$PATH"
fi
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-talkingmoves.settings.production}"
export PYTHONUNBUFFERED=1

# Loads the settings, which refuse a missing or invalid variable and name it, then runs
# Django's deployment checks (errors stop the start; warnings are printed).
check_configuration() {
  python manage.py check --deploy --fail-level ERROR
}
