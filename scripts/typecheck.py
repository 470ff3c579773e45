"""Type-check berita as it is installed: mypy cannot follow setuptools' package-dir mapping, so
this builds a throw-away tree of symbolic links shaped like the installed package and checks that."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MAPPED = {"transforms": "transforms", "flows": "flows", "expectations": "expectations"}


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="berita-typecheck-") as tmp:
        package = Path(tmp) / "berita"
        package.mkdir()
        for source in (REPO / "berita").glob("*.py"):
            (package / source.name).symlink_to(source)
        for name, folder in MAPPED.items():
            (package / name).symlink_to(REPO / folder, target_is_directory=True)
        command = [sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml"), "-p", "berita"]
        return subprocess.run(command, cwd=tmp, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
