"""gunicorn's settings for coe-kz: `make run` uses them, and so does a deploy
(`gunicorn -c gunicorn.conf.py coe_kz.wsgi`, in the repository's root). Options given on
the command line win over these, e.g. `--bind 0.0.0.0:8000` inside a container."""

import os

# Local only: in production a TLS proxy on the same machine forwards to this address.
bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"

# Threads, not one request per process: a CSV download streams for as long as the client
# reads, and in a sync worker it would hold the whole process. Two processes use both
# cores of a 2-core machine; four threads each serve eight requests at once while pages
# (fast, CPU-bound) and downloads (slow, mostly waiting on the client) mix. WEB_CONCURRENCY
# sets the number of processes for a bigger machine (about one per core).
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = 4

# For gthread workers the timeout is the worker's heartbeat, not a request's length: the
# worker's main loop reports in every second while its threads stream, so a download of
# any length is never cut. The timeout only restarts a worker whose process is stuck.
timeout = 120
# On a restart or SIGTERM, requests in flight (a long download) get this long to finish.
graceful_timeout = 60
# A browser's next request reuses its connection for a few seconds.
keepalive = 5

# One line per request on standard output; gunicorn's own messages on standard error.
accesslog = "-"
errorlog = "-"

# No control socket (gunicorn 25.1+; older versions ignore this): its default path is one
# per user (~/.gunicorn/gunicorn.ctl), so two servers on one machine would take it from
# each other, and nothing here uses gunicornc.
control_socket_disable = True
