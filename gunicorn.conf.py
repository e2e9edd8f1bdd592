"""Production server configuration: ``gunicorn -c gunicorn.conf.py`` (from the repository root).

Everything comes from the environment:

GUNICORN_BIND        address to listen on (default 127.0.0.1:8000; put nginx or similar in front)
GUNICORN_WORKERS     worker processes (default 2 x CPUs + 1, at most 8)
GUNICORN_THREADS     threads per worker (default 2; > 1 uses the gthread worker: keep-alive)
GUNICORN_TIMEOUT     seconds before a silent worker is restarted (default 30)
GUNICORN_GRACEFUL_TIMEOUT, GUNICORN_KEEPALIVE, GUNICORN_MAX_REQUESTS (default 5000, with jitter)
GUNICORN_ACCESS_LOG  file or "-" for stdout (default: none); GUNICORN_ERROR_LOG (default "-")
GUNICORN_FORWARDED_ALLOW_IPS  proxies whose X-Forwarded-* headers are trusted (default 127.0.0.1)

Responses carry no ``Server`` header (gunicorn has no setting for it: the header is dropped below).
"""

import multiprocessing
import os

from gunicorn.http import wsgi as _gunicorn_wsgi


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "fairspot.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("GUNICORN_WORKERS", min(8, multiprocessing.cpu_count() * 2 + 1))
threads = _int("GUNICORN_THREADS", 2)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
limit_request_line = 4094
proc_name = "fairspot"


def _without_server_header(default_headers):
    def headers(self):
        return [line for line in default_headers(self) if not line.lower().startswith("server:")]

    headers.fairspot_no_banner = True
    return headers


if not getattr(_gunicorn_wsgi.Response.default_headers, "fairspot_no_banner", False):
    _gunicorn_wsgi.Response.default_headers = _without_server_header(_gunicorn_wsgi.Response.default_headers)
