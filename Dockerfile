# Noramål: one image for the web process and the task worker (docs/deploy.md).
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

# WeasyPrint's libraries and fonts for the PDF reports; npm for Bootstrap (installed from the registry).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
        nodejs npm \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install .
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY . .

# Hashed, compressed static files baked into the image; the key is only for this command.
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

# Everything the app keeps (published PDFs included) lives in the database: the image writes nothing.
RUN useradd --system --no-create-home noramal
USER noramal

ENV DJANGO_DEBUG=false
EXPOSE 8000
# Workers, threads and timeouts: gunicorn.conf.py (WEB_CONCURRENCY, WEB_THREADS).
CMD ["python", "-m", "gunicorn", "-c", "gunicorn.conf.py", "noramal.wsgi:application"]
