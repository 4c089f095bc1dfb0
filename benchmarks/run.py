"""``make bench``: trd-tui's speed and memory against budgets, measured beside their floors.

Absolute times drift on shared machines, so start-up and the headless commands
are measured as ratios against a floor run in the same session, interleaved:
a bare Textual app (Header, Static, Footer) and ``python -c "import tomllib, attrs"``.
Prints a table, writes benchmarks/results.json, exits 1 when a budget is missed.

Every app it runs, in this process or another, uses private state, config and cache folders
made for the run and removed after it: a run leaves the user's folders as they were (no
recovery copy of the large session, no recent-files entry, no pack cache).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import attrs

from benchmarks.folders import private_folders

ROOT = Path(__file__).parent.parent
RESULTS = Path(__file__).parent / "results.json"
PYTHON = sys.executable
RUNS = 7


@attrs.frozen
class Result:
    name: str
    value: float
    unit: str
    budget: float
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.value <= self.budget


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# -- processes ----------------------------------------------------------------


def _env(state: Path) -> dict[str, str]:
    # The run's private folders (os.environ, set by private_folders) with a state folder of
    # this measurement's own.
    return {**os.environ, "XDG_STATE_HOME": str(state)}


def first_frame(args: list[str], state: Path) -> float:
    """Seconds from just before the process starts to its first frame."""
    env = {**_env(state), "BENCH_T0": repr(time.time())}
    out = subprocess.run([PYTHON, "-m", "benchmarks.probe", *args], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def wall(cmd: list[str], state: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, env=_env(state), cwd=ROOT, check=False)
    return time.perf_counter() - start


def interleaved(measure: Callable[[list[str]], float], ours: list[str], floor: list[str]) -> tuple[list[float], list[float]]:
    """Alternate our run and the floor's, so machine noise hits both alike; one run of each
    first, not counted, so that neither pays alone for files not yet in the page cache."""
    measure(ours)
    measure(floor)
    mine, base = [], []
    for _ in range(RUNS):
        mine.append(measure(ours))
        base.append(measure(floor))
    return mine, base


def peak_rss_mib(args: list[str], state: Path) -> float:
    """Peak resident memory of one app start (to its first frame), in MiB."""
    env = {**_env(state), "BENCH_T0": repr(time.time())}
    proc = subprocess.Popen([PYTHON, "-m", "benchmarks.probe", *args], stdout=subprocess.DEVNULL, env=env, cwd=ROOT)
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss / 1024  # Linux reports KiB


# -- in-process ---------------------------------------------------------------


def timed(fn: Callable[[], object], repeat: int = 30) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return median(samples)


def core(large_file: Path, content) -> list[Result]:
    from trd_tui import assess
    from trd_tui.document import read_checked
    from trd_tui.storage.sessionfile import save_session
    from trd_tui.ui.widgets.timeline_chart import timeline_chart

    session = read_checked(large_file, content).session
    assessment = assess(session, content)
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "s.toml"
        first = timed(lambda: save_session(session, target), repeat=1)  # nothing rendered yet
        # Each save follows an edit of the current visit, as in use: a checklist answer changes
        # back and forth, so every save also keeps the file it replaces as FILE.bak.
        edits = itertools.count()
        save = timed(lambda: save_session(_answered(session, next(edits) % 2), target))
    return [
        Result("load and validate, large session", timed(lambda: read_checked(large_file, content)) * 1000, "ms", 40),
        Result("save after an edit, large session", save * 1000, "ms", 40,
               f"first save after opening {first * 1000:.0f} ms"),
        # A fresh trials tuple, as after a trial edit: every trial is rated again (an edit of the
        # checklist, options or plan reuses the rated trials, see clinical/assess.py).
        Result("assess, large session",
               timed(lambda: assess(attrs.evolve(session, trials=tuple([*session.trials])), content)) * 1000, "ms", 10),
        # The timeline chart is drawn on every resize and edit of the Timeline pane.
        Result("timeline chart, large session, 160 columns",
               timed(lambda: timeline_chart(assessment, 160, content=content)) * 1000, "ms", 20),
    ]


def _answered(session, answer: int):
    """``session`` with its current visit's first checklist answer set to one of two answers,
    in a new visit record, as the checklist makes it."""
    from trd_tui.model import ChecklistEntry, ReviewStatus

    visit = session.visits[-1]
    item, entry = next(iter(visit.checklist.items()))
    status = (ReviewStatus.CONCERN, ReviewStatus.NO_CONCERN)[answer]
    checklist = {**visit.checklist, item: ChecklistEntry(status, entry.note)}
    return attrs.evolve(session, visits=(*session.visits[:-1], attrs.evolve(visit, checklist=checklist)))


def main() -> int:
    with private_folders():
        return measure()


def measure() -> int:
    sys.path.insert(0, str(ROOT))
    from benchmarks.latency import SWITCH, key_latencies
    from benchmarks.sessions import large
    from trd_tui import load_content
    from trd_tui.storage.locks import lock_path
    from trd_tui.storage.sessionfile import save_session

    content = load_content()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "state"
        large_file = Path(tmp) / "large.toml"
        save_session(large(content), large_file)

        def start(args: list[str]) -> float:
            # Each measured run ends abruptly after its first frame, leaving the session's lock
            # behind as a crash would; a clinician's next start finds none (quitting releases it).
            lock_path(large_file).unlink(missing_ok=True)
            return first_frame(args, state)

        demo, bare = interleaved(start, ["trd", "--demo"], ["bare"])
        big, bare2 = interleaved(start, ["trd", str(large_file)], ["bare"])

        def run(cmd: list[str]) -> float:
            return wall(cmd, state)

        floor_cmd = [PYTHON, "-c", "import tomllib, attrs"]
        summary, floor = interleaved(run, [PYTHON, "-m", "trd_tui", "summary", str(large_file)], floor_cmd)
        check, floor2 = interleaved(run, [PYTHON, "-m", "trd_tui", "check", str(large_file)], floor_cmd)
        rss = max(peak_rss_mib(["trd", str(large_file)], state) for _ in range(3))

        results = [
            Result("cold start, demo / bare Textual", median(demo) / median(bare), "×", 1.5,
                   f"{median(demo) * 1000:.0f} ms vs {median(bare) * 1000:.0f} ms"),
            Result("start, large session / bare Textual", median(big) / median(bare2), "×", 1.7,
                   f"{median(big) * 1000:.0f} ms vs {median(bare2) * 1000:.0f} ms"),
            *core(large_file, content),
            Result("summary, large / import tomllib+attrs", median(summary) / median(floor), "×", 2.0,
                   f"{median(summary) * 1000:.0f} ms vs {median(floor) * 1000:.0f} ms"),
            Result("check, large / import tomllib+attrs", median(check) / median(floor2), "×", 2.0,
                   f"{median(check) * 1000:.0f} ms vs {median(floor2) * 1000:.0f} ms"),
            Result("peak RSS, app with large session", rss, "MiB", 90),
        ]
        # Context, not a budget: what the main screen's widgets alone cost (benchmarks/skeleton.py).
        skeleton, bare3 = interleaved(start, ["skeleton"], ["bare"])
        context = {
            "skeleton start / bare Textual": round(median(skeleton) / median(bare3), 2),
            "detail": f"{median(skeleton) * 1000:.0f} ms vs {median(bare3) * 1000:.0f} ms",
        }
        for name, samples, baseline in asyncio.run(key_latencies(large_file, content)):
            floor = "bare Textual switching four 300-row tables" if name == SWITCH else "bare Textual"
            detail = f"p95 {p95(samples) * 1000:.1f} ms; {floor} median {baseline * 1000:.1f} ms"
            # Switching panes is held to what Textual itself takes to switch four tables in this
            # run: a fixed figure would measure the machine, not trd-tui.
            budget = round(baseline * 1000, 1) if name == SWITCH else 12
            results.append(Result(f"key: {name} (median)", median(samples) * 1000, "ms", budget, detail))
            results.append(Result(f"key: {name} (p95)", p95(samples) * 1000, "ms", 33))
    report(results, time.perf_counter() - started, context)
    return 0 if all(r.ok for r in results) else 1


def report(results: list[Result], seconds: float, context: dict[str, object]) -> None:
    width = max(len(r.name) for r in results)
    print(f"{'measure':<{width}}  {'value':>9}  {'budget':>8}  ok  detail")
    for r in results:
        print(f"{r.name:<{width}}  {r.value:>7.2f}{r.unit:>2}  {r.budget:>6g}{r.unit:>2}  {'✓' if r.ok else '✗'}   {r.detail}")
    print(f"\ncontext (no budget): the main screen's Textual widgets alone, with no trd-tui code, start in "
          f"{context['skeleton start / bare Textual']:.2f}x the bare app's time ({context['detail']})")
    print(f"\n{sum(r.ok for r in results)} of {len(results)} within budget; {seconds:.0f} s on {platform.node()} "
          f"({os.cpu_count()} cores, Python {platform.python_version()})")
    RESULTS.write_text(json.dumps({
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "seconds": round(seconds, 1),
        "results": [attrs.asdict(r) | {"ok": r.ok} for r in results],
        "context": context,
    }, indent=2) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
