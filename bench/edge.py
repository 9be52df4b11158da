"""Varnish in front of the app for load runs: the repo's VCL on a loopback port.

`Varnish` starts varnishd with `deploy/varnish/default.vcl` (its backend
pointed at the app's port), reads its counters with varnishstat and logs
every answer it gives with varnishncsa, so a run can say which URLs missed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bench.support import PROJECT_DIR

VCL = PROJECT_DIR / "deploy" / "varnish" / "default.vcl"
# One line per answer: URL as the reader asked it, the edge's verdict, the
# app's, status, the time it took to answer (microseconds, the fetch
# included) and the reader's Accept-Language.
NCSA_FORMAT = r"%U%q\t%{X-Edge-Cache}o\t%{X-Cache}o\t%s\t%D\t%{Accept-Language}i"
COUNTERS = (
    "cache_hit",
    "cache_hit_grace",
    "cache_miss",
    "cache_hitpass",
    "s_pass",
    # Why a miss could not be fetched: backend marked sick, connect failed, other.
    "backend_unhealthy",
    "backend_fail",
    "fetch_failed",
    # Objects stored now (a gauge), and those evicted for room: none when the
    # storage holds everything.
    "n_object",
    "n_lru_nuked",
)


def varnishd() -> str | None:
    found = shutil.which("varnishd")
    if found:
        return found
    return "/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None


class Varnish:
    """varnishd on `port` in front of the app on `backend_port`, in `workdir`."""

    def __init__(
        self, workdir: Path, port: int, backend_port: int, memory: str = "2g"
    ) -> None:
        self.workdir, self.port, self.backend_port = workdir, port, backend_port
        self.memory = memory
        self.name = workdir / "varnish"
        self.process: subprocess.Popen | None = None
        self.logger: subprocess.Popen | None = None
        self.url = f"http://127.0.0.1:{port}"

    def start(self) -> None:
        binary = varnishd()
        if binary is None:
            raise SystemExit(
                "varnishd is not installed: run scripts/ensure-varnish "
                "(apt-get install varnish varnish-modules)"
            )
        vcl = self.workdir / "default.vcl"
        vcl.write_text(
            re.sub(
                r'\.port = "\d+";',
                f'.port = "{self.backend_port}";',
                VCL.read_text(),
                count=1,
            )
        )
        self.process = subprocess.Popen(
            [binary, "-F", "-j", "none", "-n", str(self.name), "-T", "none"]
            + ["-a", f"127.0.0.1:{self.port}", "-s", f"malloc,{self.memory}"]
            + ["-f", str(vcl)],
            stdout=subprocess.DEVNULL,
            stderr=(self.workdir / "varnishd.log").open("ab"),
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"varnishd exited; see {self.workdir}")
            try:
                urllib.request.urlopen(self.url + "/robots.txt", timeout=5).close()
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("varnishd did not answer within 60 seconds")

    def stats(self) -> dict[str, int]:
        """The MAIN counters of `COUNTERS` now."""
        done = subprocess.run(
            ["varnishstat", "-n", str(self.name), "-1", "-j"],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
        try:
            data = json.loads(done.stdout)
        except ValueError:
            return {}
        counters = data.get("counters", data)
        found = {
            name: int((counters.get(f"MAIN.{name}") or {}).get("value", 0))
            for name in COUNTERS
        }
        found["stored_bytes"] = int(
            (counters.get("SMA.s0.g_bytes") or {}).get("value", 0)
        )
        return found

    def log_to(self, path: Path) -> None:
        """Log every answer the edge gives from now on to `path` (varnishncsa)."""
        self.stop_log()
        self.logger = subprocess.Popen(
            ["varnishncsa", "-n", str(self.name), "-F", NCSA_FORMAT, "-w", str(path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(0.5)

    def stop_log(self) -> None:
        if self.logger is not None:
            self.logger.terminate()
            self.logger.wait(timeout=10)
            self.logger = None

    def stop(self) -> None:
        self.stop_log()
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self.process = None


def hit_ratio(before: dict[str, int], after: dict[str, int]) -> dict[str, Any]:
    """Varnish's own view of a run: hits over every lookup and pass in between."""
    delta = {name: after.get(name, 0) - before.get(name, 0) for name in COUNTERS}
    asked = delta["cache_hit"] + delta["cache_miss"] + delta["s_pass"]
    return {
        **delta,
        "objects": after.get("n_object", 0),
        "stored_bytes": after.get("stored_bytes", 0),
        "ratio": round(delta["cache_hit"] / asked, 4) if asked else None,
    }
