# The assess service: web application, JSON API, job worker and the `assess` command.
# Alone it runs on SQLite in /data; compose.yaml runs it on PostgreSQL (README: Deploying).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint renders PDF reports with Pango and HarfBuzz; DejaVu gives it fonts to embed.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        libfontconfig1 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# The package brings its templates, static files, catalogues, migrations, report templates
# and questionnaires (package data).
COPY pyproject.toml README.md /src/
COPY assess /src/assess
COPY migrations /src/migrations
COPY questionnaires /src/questionnaires
COPY report_templates /src/report_templates
RUN pip install /src && rm -rf /src

WORKDIR /app
COPY questionnaires ./questionnaires
COPY examples ./examples

RUN useradd --create-home --uid 10001 assess && mkdir -p /data && chown assess /data
USER assess

ENV ASSESS_HOST=0.0.0.0 \
    ASSESS_PORT=8000 \
    ASSESS_DATABASE_URL=sqlite:////data/assess.db
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/readyz' % os.environ.get('ASSESS_PORT', '8000'), timeout=4)"
CMD ["sh", "-c", "assess db upgrade && assess questionnaire publish questionnaires/*.yaml && exec assess serve"]
