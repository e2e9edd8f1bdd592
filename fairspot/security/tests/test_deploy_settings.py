"""With the production environment documented in README, ``check --deploy`` prints nothing, and the files
the application creates under var/ are its owner's only (0600, directories 0700)."""

import os
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# The production environment of README "PostgreSQL and production" (here on SQLite, in an empty var/).
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "fairspot.settings",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "fairspot.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://fairspot.example.gov.cn",
    "SECURE_COOKIES": "1",
    "FAIRSPOT_SECURE_HSTS_SECONDS": "31536000",
    "FAIRSPOT_SECURE_HSTS_SUBDOMAINS": "1",
    "FAIRSPOT_SECURE_HSTS_PRELOAD": "1",
    "FAIRSPOT_SSL_REDIRECT": "1",
    "FAIRSPOT_TRUST_X_FORWARDED_PROTO": "1",
}


def environment(var_dir: Path, **extra) -> dict:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' fixture in this process; production never has it
    drop = {"DATABASE_URL", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(PRODUCTION, FAIRSPOT_VAR_DIR=str(var_dir), **extra)
    return env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def production_var(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("prod") / "var"
    done = manage(environment(var_dir), "migrate", "--no-input", "-v", "0")
    assert done.returncode == 0, done.stderr
    return var_dir


def test_check_deploy_prints_nothing(production_var):
    done = manage(environment(production_var), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""
    assert done.stdout.strip() == "System check identified no issues (0 silenced)."


def test_check_deploy_warns_without_https_settings(production_var):
    env = environment(production_var, FAIRSPOT_SECURE_HSTS_SECONDS="0", FAIRSPOT_SSL_REDIRECT="0")
    done = manage(env, "check", "--deploy")
    assert "security.W004" in done.stderr + done.stdout and "security.W008" in done.stderr + done.stdout


def test_files_under_var_are_owner_only(production_var):
    for path in [production_var, *production_var.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), f"{path}: {oct(mode)}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_sends_no_server_banner(production_var):
    port = _free_port()
    env = environment(
        production_var,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        FAIRSPOT_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1",
    )
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as response:
            assert response.status == 200
            assert "Server" not in response.headers
            assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    finally:
        server.terminate()
        server.wait(timeout=30)
