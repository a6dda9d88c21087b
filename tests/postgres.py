"""A throwaway PostgreSQL cluster for the tests that restart a server or restore a dump:
initdb into a temporary directory, served on a free port of 127.0.0.1 with trust
authentication, owned by the test run and removed after it. PostgreSQL refuses to run as
root, so as root its server programs run as the postgres user (runuser).

`PG_BIN` is None where no PostgreSQL server is installed; the tests then skip, saying so.
"""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.helpers import free_port


def newest_server() -> Path | None:
    """The bin directory of the newest PostgreSQL server installed, if any."""
    found = [Path(path).parent for path in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    return max(found, key=lambda path: int(path.parent.name), default=None)


PG_BIN = newest_server()
NO_INITDB = "no initdb under /usr/lib/postgresql/*/bin (apt-get install postgresql): no throwaway cluster"


class Cluster:
    """One PostgreSQL server of the test run's own. Client programs (createdb, pg_dump,
    pg_restore) reach it over TCP as the user postgres."""

    def __init__(self):
        self.directory = Path(tempfile.mkdtemp(prefix="coe-kz-pg-"))
        self.data = self.directory / "data"
        self.log = self.directory / "server.log"
        self.port = free_port()
        self.as_postgres = []
        if os.geteuid() == 0:
            self.as_postgres = ["runuser", "-u", "postgres", "--"]
            owner = pwd.getpwnam("postgres")
            os.chown(self.directory, owner.pw_uid, owner.pw_gid)
        self.server("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.start()

    def server(self, program: str, *args) -> str:
        """Run one of PostgreSQL's server programs as the cluster's owner."""
        command = [*self.as_postgres, PG_BIN / program, *map(str, args)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"{program}: {result.stdout}{result.stderr}{self.server_log()}"
        return result.stdout

    def client(self, program: str, *args) -> subprocess.CompletedProcess:
        command = [
            PG_BIN / program,
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            *map(str, args),
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"{program}: {result.stdout}{result.stderr}"
        return result

    def server_log(self) -> str:
        return self.log.read_text() if self.log.exists() else ""

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def restart(self):
        """A fast restart, as a deploy or an upgrade does: sessions are ended at once."""
        self.server("pg_ctl", "-D", self.data, "-l", self.log, "-m", "fast", "-w", "restart")

    def stop(self):
        self.server("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def start(self):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.server("pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "start")

    def remove(self):
        subprocess.run(
            [*self.as_postgres, PG_BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.directory, ignore_errors=True)
