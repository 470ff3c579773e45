"""Time `berita run` on the seeds as a user meets it: first run (fresh Prefect home) and warm runs.

Prints the median of each over several runs. Usage: python scripts/measure_run.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _time_run(prefect_home: Path, warehouse: Path) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "berita.cli", "run", "--prefect-home", str(prefect_home), "--warehouse", str(warehouse)],
        cwd=REPO, env=env, check=True, capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    first: list[float] = []
    warm: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            home = Path(tmp) / f"home-{i}"
            first.append(_time_run(home, Path(tmp) / "warehouse"))
            warm.append(_time_run(home, Path(tmp) / "warehouse"))
            shutil.rmtree(home)
    print(f"berita run on the seeds, {args.repeat} runs each, cpus={os.cpu_count()}")
    print(f"  first run (fresh Prefect home): median {statistics.median(first):.1f} s  {[round(x, 1) for x in first]}")
    print(f"  warm run:                       median {statistics.median(warm):.1f} s  {[round(x, 1) for x in warm]}")
    print(f"  ratio first/warm: {statistics.median(first) / statistics.median(warm):.1f}x")


if __name__ == "__main__":
    main()
