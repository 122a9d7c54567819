"""gunicorn settings for production (`bin/serve` runs `gunicorn -c gunicorn.conf.py wsgi:app`).

Everything comes from the environment, so the same file serves a plain host, systemd and the
container:

- `WEB_CONCURRENCY`: worker processes (default 2 × cores + 1, at most 8);
- `GUNICORN_THREADS`: threads per worker (default 1: plain sync workers, behind nginx);
- `HOST` / `PORT`: where to listen (default 127.0.0.1:8000: only the local reverse proxy);
- `TRUSTED_PROXIES`: reverse proxies in front (the app's own setting). At 0 no peer may claim
  HTTPS through `X-Forwarded-Proto`; above 0 the proxy's headers are trusted, from any peer
  unless `FORWARDED_ALLOW_IPS` names the proxies' addresses;
- `GUNICORN_TIMEOUT`: seconds a request may run (default 120, generous: print packs and a
  municipality's exports are background jobs, `bin/jobs`, so no request needs near that).
"""

import os

_cores = os.cpu_count() or 1
_trusted_proxies = int(os.environ.get("TRUSTED_PROXIES") or 0)

bind = f"{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '8000'}"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * _cores + 1, 8))
threads = int(os.environ.get("GUNICORN_THREADS") or 1)

# Kit PDFs and attendance sheets are rendered in the request; print packs are background jobs.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 120)
graceful_timeout = 30
keepalive = 5  # behind a proxy or load balancer that reuses connections (gthread only)
# Restart each worker now and then (staggered) so memory a large page or PDF held is given back.
max_requests = 1000
max_requests_jitter = 100
# The heartbeat file on a RAM disk where there is one (containers), not on a slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - the heartbeat file

# Who may say "this came over HTTPS" (X-Forwarded-Proto): the same proxies the app trusts.
forwarded_allow_ips = (os.environ.get("FORWARDED_ALLOW_IPS") or "*") if _trusted_proxies else ""

# Access log on stdout (systemd's journal, `docker compose logs`); errors on stderr. The worker's
# process id at the end tells which worker served a request.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms %(p)s'

# gunicorn's control socket lives at one path per user: several servers on one host (or one
# user) would fight over it. Off unless asked for.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
