# A thin image around bin/serve, bin/worker and bin/jobs (README: Deploying). CI runs those scripts
# directly against PostgreSQL and Redis; this file only installs them.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    APP_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN pybabel compile --use-fuzzy -d app/translations \
    && useradd --system --home-dir /app app \
    && mkdir -p instance jobs \
    && chown app instance jobs
USER app

EXPOSE 8000
# /healthz answers without the database; the Host header must be one the app trusts.
HEALTHCHECK --start-period=120s CMD ["python", "-c", "import os, urllib.parse as p, urllib.request as r; r.urlopen(r.Request(f\"http://127.0.0.1:{os.environ['PORT']}/healthz\", headers={'Host': p.urlsplit(os.environ['PUBLIC_BASE_URL']).netloc}), timeout=5)"]
CMD ["bin/serve"]
