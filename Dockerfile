# The production image: Debian bookworm's GDAL/GEOS/PROJ for GeoDjango, the app under gunicorn.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_READ_DOT_ENV=0
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgdal32 libgeos-c1v5 libproj25 gettext \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
# Static files are built with the settings the image runs with (WhiteNoise's manifest of
# hashed names); the values below exist only for this step and reach no running container.
RUN useradd --system --uid 1000 app \
 && DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=build-only \
    ALLOWED_HOSTS=build.invalid DATABASE_URL=postgis://build/build \
    python manage.py collectstatic --noinput
USER app
EXPOSE 8000
