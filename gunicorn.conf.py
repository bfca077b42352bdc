"""gunicorn's settings, read from the working directory by the image and by ``make bench``.

Sync workers, two per core and one more (``WEB_CONCURRENCY`` overrides): a page is
mostly Python work with short waits on PostgreSQL and Redis in between, so a few more
processes than cores keep both cores busy. The application is loaded once, before the
workers are forked (they share its memory and start at once).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
