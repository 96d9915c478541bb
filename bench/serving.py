"""Start the portal as `make serve` does (gunicorn + db_worker, production settings) for the drills and the
load test, and talk to it over HTTP like a browser (session cookie, real CSRF tokens).

Needs the packages of bench/requirements.txt (requests comes with locust).
"""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_ROOT = os.environ.get("PG_ROOT_URL", "postgres://postgres@127.0.0.1:5432")
BENCH_SECRET = "bench-only-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def portal_env(database_url, var_dir, **extra):
    """Production settings (DEBUG off) on plain HTTP over loopback."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": BENCH_SECRET,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_STATIC_MANIFEST": "0",
        "DATABASE_URL": database_url,
        "PORTAL_VAR_DIR": str(var_dir),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("PORTAL_TASKS_IMMEDIATE", None)
    env.update(extra)
    return env


def manage(env, *args, check=True, quiet=True):
    return subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=check,
        stdout=subprocess.DEVNULL if quiet else None,
    )


class Portal:
    """gunicorn and db_worker as child processes; ``stop()`` ends only these two."""

    def __init__(self, env, *, workers=1, threads=1, worker_class="sync", log_dir, port=None, timeout=120):
        self.env = env
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_dir = Path(log_dir)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.args = [
            str(Path(PYTHON).parent / "gunicorn"),
            "config.wsgi",
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            str(timeout),
            "--graceful-timeout",
            "5",
            # As make serve: one request per connection, as nginx sends them (see the Makefile).
            "--keep-alive",
            "0",
        ]
        self.gunicorn = self.worker = None
        self.worker_exits = []  # (moment, exit code) of each db_worker exit seen by the supervisor
        self._stopping = False

    def start(self, *, with_worker=True, supervise=False, wait=60):
        self._logs = [open(self.log_dir / name, "ab") for name in ("gunicorn.log", "db_worker.log")]  # noqa: SIM115
        self.gunicorn = subprocess.Popen(self.args, cwd=ROOT, env=self.env, stdout=self._logs[0], stderr=self._logs[0])
        if with_worker:
            self._start_worker()
            if supervise:
                threading.Thread(target=self._supervise, daemon=True).start()
        self.wait_healthy(wait)
        return self

    def _start_worker(self):
        self.worker = subprocess.Popen(
            [PYTHON, str(ROOT / "manage.py"), "db_worker", "--queue-name", "default"],
            cwd=ROOT,
            env=self.env,
            stdout=self._logs[1],
            stderr=self._logs[1],
        )

    def _supervise(self):
        """Start db_worker again 2 s after it exits, as systemd's Restart=always/RestartSec=2 (docs/deploy.md)."""
        while not self._stopping:
            if self.worker.poll() is not None and not self._stopping:
                self.worker_exits.append((time.monotonic(), self.worker.returncode))
                time.sleep(2)
                if not self._stopping:
                    self._start_worker()
            time.sleep(0.2)

    def wait_healthy(self, wait=60):
        import requests

        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.gunicorn.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.gunicorn.returncode}; see {self.log_dir}/gunicorn.log")
            try:
                if requests.get(self.url + "/health/", timeout=5).status_code == 200:
                    return time.monotonic()
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.url}/health/ did not answer 200 within {wait} s")

    def worker_pids(self):
        """The gunicorn worker processes (children of the master)."""
        import psutil

        return [child.pid for child in psutil.Process(self.gunicorn.pid).children()]

    def stop(self):
        self._stopping = True
        for process in (self.gunicorn, self.worker):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (self.gunicorn, self.worker):
            if process is not None:
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        for log in getattr(self, "_logs", []):
            log.close()


class Browser:
    """A signed-in user's requests session; every form post carries the page's CSRF token."""

    def __init__(self, base_url, username, password, timeout=300):
        import requests

        self.base = base_url
        self.session = requests.Session()
        self.timeout = timeout
        self.username = username
        self.login(username, password)

    def get(self, path, **kwargs):
        return self.session.get(self.base + path, timeout=self.timeout, **kwargs)

    def token(self, path=None):
        """The CSRF token of the page at ``path``, or the cookie's secret (Django takes both)."""
        if path:
            found = CSRF_RE.search(self.get(path).text)
            if found:
                return found.group(1)
        return self.session.cookies.get("csrftoken")

    def post(self, path, data=None, files=None, token=None, **kwargs):
        data = {**(data or {}), "csrfmiddlewaretoken": token or self.token(path)}
        return self.session.post(
            self.base + path, data=data, files=files, allow_redirects=False, timeout=self.timeout, **kwargs
        )

    def login(self, username, password):
        response = self.post("/account/login/", {"username": username, "password": password})
        if response.status_code != 302:
            raise RuntimeError(f"Sign-in of {username} failed: HTTP {response.status_code}")
