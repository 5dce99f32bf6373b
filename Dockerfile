# Chancery's production image: gunicorn serving the app, static files collected (hashed and
# compressed, served by whitenoise), translation catalogues compiled, run as a non-root user.
# Configuration is by environment variables only (README.md, docs/deploy.md); compose.yaml runs
# it with PostgreSQL.

# --- build: install the project, collect static files, compile the catalogues ---------------
FROM python:3.13-slim AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# gettext: msgfmt for compilemessages. Debian's versions follow its security updates: unpinned.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . /app
# Editable, so the project's top-level templates/, static/ and locale/ stay beside the code.
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-compile -e ".[s3]"

ENV PATH=/opt/venv/bin:$PATH \
    CHANCERY_VAR_DIR=/tmp/build-var \
    STATIC_ROOT=/app/var/static \
    STATIC_COLLECTED=on
# (A throw-away secret key is generated into /tmp/build-var and removed with it.)
RUN chancery collectstatic --noinput -v0 \
 && chancery compilemessages -v0 \
 && rm -rf /tmp/build-var

# --- run ---------------------------------------------------------------------------------------
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

# DejaVu: Cyrillic and Kazakh letters in the PDF certificates. postgresql-client: pg_dump and
# pg_restore for `chancery backup` and `chancery restore`.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 chancery \
 && useradd --system --uid 10001 --gid chancery --home-dir /var/lib/chancery \
      --shell /usr/sbin/nologin chancery \
 && mkdir -p /var/lib/chancery/media \
 && chown -R chancery:chancery /var/lib/chancery

# The code belongs to root: the app's user can read it, not change it.
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app

ENV PATH=/opt/venv/bin:$PATH \
    CHANCERY_VAR_DIR=/var/lib/chancery \
    MEDIA_ROOT=/var/lib/chancery/media \
    STATIC_ROOT=/app/var/static \
    STATIC_COLLECTED=on \
    WEB_CONCURRENCY=3

WORKDIR /app
USER 10001:10001
EXPOSE 8000
VOLUME ["/var/lib/chancery/media"]

# /healthz is readiness (as /readyz): 200 when the database answers with every migration applied
# and the cache and uploads work, else 503 naming what failed; /livez only says the process
# answers. They are exempt from the HTTPS redirect; the Host header must be one of ALLOWED_HOSTS.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python", "-c", \
  "import os, urllib.request as r; h = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('*.') or 'localhost'; r.urlopen(r.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=4)"]

# Workers: WEB_CONCURRENCY (gunicorn reads it); 2 × cores + 1 is the usual start.
CMD ["gunicorn", "chancery.wsgi:application", "-c", "python:chancery.gunicorn_config", \
     "--bind", "0.0.0.0:8000", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*", \
     "--max-requests", "2000", "--max-requests-jitter", "200", "--timeout", "60"]
