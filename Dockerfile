# syntax=docker/dockerfile:1
# The production image: web, worker, beat and the release step are this image with different
# commands (scripts/web, scripts/worker, scripts/beat, scripts/release). docs/deploy.md.

# --- Front-end assets: NHS.UK frontend, without the dev dependencies (axe-core and the
# OpenActive validator are for tests).
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error
COPY scripts/copy-frontend.mjs scripts/
RUN node scripts/copy-frontend.mjs static/vendor

# --- Python packages: exactly the app lock file, every download checked against its hash.
FROM python:3.11-slim-bookworm AS python
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
COPY requirements/app.txt /tmp/requirements/app.txt
RUN /opt/venv/bin/pip install --require-hashes -r /tmp/requirements/app.txt

# --- The image that runs.
FROM python:3.11-slim-bookworm
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=talkingmoves.settings.production \
    TALKINGMOVES_DATA_DIR=/tmp/talkingmoves \
    COLLECTSTATIC_AT_RELEASE=false \
    PORT=8000
RUN groupadd --system --gid 10001 talkingmoves \
    && useradd --system --uid 10001 --gid talkingmoves --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin talkingmoves
WORKDIR /app
COPY --from=python /opt/venv /opt/venv
COPY manage.py Procfile ./
COPY scripts scripts
COPY talkingmoves talkingmoves
COPY providers providers
COPY referrals referrals
COPY outcomes outcomes
COPY templates templates
COPY static static
COPY --from=assets /build/static/vendor static/vendor
# Collected into the image, so every container serves the same files (and the release step,
# told so by COLLECTSTATIC_AT_RELEASE, writes nothing). These values only let the settings
# load: nothing connects to them.
RUN SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only \
    DATABASE_URL=postgres://build@localhost/build \
    CELERY_BROKER_URL=redis://localhost:6379/0 \
    ALLOWED_HOSTS=localhost SITE_URL=https://localhost MESSAGES_DELIVERY=store \
    python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /tmp/talkingmoves \
    && chown -R talkingmoves:talkingmoves staticfiles /tmp/talkingmoves
USER talkingmoves:talkingmoves
EXPOSE 8000
CMD ["scripts/web"]
