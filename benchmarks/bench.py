"""Build speed and memory on this machine: prints a table (not a test; no pass/fail).

    python benchmarks/bench.py [--skip-pandoc]

Works on a temporary copy of the project, so out/ is left alone. The VM this runs on
drifts by +-20 % between consecutive runs, so every comparison alternates its two sides
REPEAT times and shows the best run of each (noise only ever adds time) and the median.
Figures:
- full clean build, wall time, with --jobs 1 and with every core;
- the floor: the sum of raw WeasyPrint render-and-write times of the same HTML documents
  in one process (FontConfiguration and CSS reused), and the pipeline's PDF-only
  --jobs 1 build as a ratio to it;
- a no-op rebuild, and a rebuild after editing one string of one practice;
- EPUB and DOCX writer time per file, next to pandoc's on the same HTML (if installed);
- peak memory (RSS) per worker process.
"""
from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEAT = 5
sys.path.insert(0, str(ROOT))


def copy_project(folder: Path) -> Path:
    from digin.project import Project

    return Project(ROOT).copy_to(folder / "project").root


def timed_build(root: Path, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "build.py", "build", "-q", *args], cwd=root, capture_output=True,
                            text=True, check=True)
    return time.perf_counter() - started, result.stdout.strip().splitlines()[-1]


def cpu_of(root: Path, *args: str) -> float:
    """CPU seconds (user + system) of one `build.py` command, as the machine counts them."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "build.py", *args], cwd=root, capture_output=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


FLOOR = """
import time
set_up = time.perf_counter()
import logging, sys
from pathlib import Path
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
sys.path.insert(0, sys.argv[1])
from digin import assets
from digin.project import Project
from digin.writers.pdf import stylesheets
logging.getLogger("fontTools").setLevel(logging.ERROR)
project = Project(Path(sys.argv[1]))
fonts = FontConfiguration()
css = stylesheets(project, fonts)
set_up = time.perf_counter() - set_up
total = 0.0
images = {}
for name in sys.argv[2:]:
    html = Path(name).read_text(encoding="utf-8")
    started = time.perf_counter()
    HTML(string=html, url_fetcher=assets.fetcher(project)).render(
        stylesheets=css, font_config=fonts, pdf_variant="pdf/ua-1", cache=images).write_pdf(
        name[:-len("html")] + "pdf", pdf_variant="pdf/ua-1")
    total += time.perf_counter() - started
print(total, set_up)
"""


def raw_weasyprint_floor(root: Path) -> tuple[float, float, int, float]:
    """Sum of render+write times of every PDF target's HTML, exactly as the PDF writer
    hands it to WeasyPrint (addresses printed, images located), in a fresh process that
    does nothing else (FontConfiguration, CSS and image cache made once, as the pipeline's
    workers do; Python's default garbage collection); that process's one-time set-up
    (importing WeasyPrint, fonts, parsing the CSS); and its whole run, timed from outside
    as the builds are."""
    from digin.plan import BuildOptions, make_plan
    from digin.project import Project
    from digin.writers import printmarks
    from digin.writers.pdf import _absolute_images

    project = Project(root)
    targets = make_plan(project, BuildOptions(formats=["pdf"], force=True)).targets
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for number, target in enumerate(targets):
            files.append(Path(folder) / f"{number}.html")
            files[-1].write_text(_absolute_images(project, printmarks.prepare(target.html)), encoding="utf-8")
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-c", FLOOR, str(root), *map(str, files)], capture_output=True,
                                text=True, check=True)
        whole = time.perf_counter() - started
    total, set_up = map(float, result.stdout.split()[-2:])
    return total, set_up, len(targets), whole


def writer_times(root: Path, use_pandoc: bool) -> list[tuple[str, float, float | None]]:
    """Per format: the pipeline writer's time per file and pandoc's on the same HTML."""
    from digin.plan import BuildOptions, make_plan
    from digin.project import Project
    from digin.writers import writer

    project = Project(root)
    rows = []
    for fmt in ("epub", "docx"):
        targets = make_plan(project, BuildOptions(formats=[fmt], force=True)).targets
        ours, theirs = [], []
        for target in targets:
            started = time.perf_counter()
            writer(fmt).write(project, target.html)
            ours.append(time.perf_counter() - started)
            if use_pandoc:
                with tempfile.TemporaryDirectory() as folder:
                    source = Path(folder) / "in.html"
                    source.write_text(target.html, encoding="utf-8")
                    started = time.perf_counter()
                    subprocess.run(["pandoc", str(source), "-o", str(Path(folder) / f"out.{fmt}")],
                                   capture_output=True, check=True, cwd=project.styles)
                    theirs.append(time.perf_counter() - started)
        rows.append((fmt, statistics.mean(ours), statistics.mean(theirs) if theirs else None))
    return rows


def peak_memory(root: Path) -> float:
    from digin.builder import build
    from digin.plan import BuildOptions
    from digin.project import Project

    report = build(Project(root), root / "out-memory", BuildOptions(force=True, jobs=os.cpu_count() or 1))
    return max(result.peak_memory_mb for result in report.results)


def alternate(first, second) -> tuple[list, list]:
    """Run two measurements alternately REPEAT times: each sees the same drift of the VM."""
    ones, twos = [], []
    for _ in range(REPEAT):
        ones.append(first())
        twos.append(second())
    return ones, twos


def spread(values: list[float], digits: int = 1) -> str:
    return f"best {min(values):.{digits}f} s, median {statistics.median(values):.{digits}f} s"


def main() -> None:
    use_pandoc = "--skip-pandoc" not in sys.argv and shutil.which("pandoc") is not None
    cores = os.cpu_count() or 1
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        root = copy_project(Path(folder))
        ones, manys = alternate(lambda: timed_build(root, "--jobs", "1", "--force", "--out", "out-1")[0],
                                lambda: timed_build(root, "--jobs", str(cores), "--force", "--out", "out-n")[0])
        many = statistics.median(manys)
        rows.append((f"full clean build, --jobs 1 ({REPEAT} runs)", spread(ones)))
        rows.append((f"full clean build, --jobs {cores} ({REPEAT} runs)",
                     f"{spread(manys)}: {min(ones) / min(manys):.2f}x faster "
                     f"(median {statistics.median(ones) / many:.2f}x)"))
        pdf_times, floors = alternate(
            lambda: timed_build(root, "--jobs", "1", "--format", "pdf", "--force", "--out", "out-pdf")[0],
            lambda: raw_weasyprint_floor(root))
        count = floors[0][2]
        floor, set_up, whole = [f[0] for f in floors], [f[1] for f in floors], [f[3] for f in floors]
        rows.append((f"raw WeasyPrint floor ({count} PDFs, {REPEAT} runs)",
                     f"{spread(floor)} (+ {statistics.median(set_up):.1f} s one-time set-up: import, fonts, CSS)"))
        ratios = [p / f for p, f in zip(pdf_times, floor)]
        rows.append((f"PDF-only build, --jobs 1 ({REPEAT} runs)",
                     f"{spread(pdf_times)}: {min(pdf_times) / min(floor):.2f}x the floor "
                     f"(median of the {REPEAT} pairs {statistics.median(ratios):.2f}x, "
                     f"range {min(ratios):.2f}-{max(ratios):.2f}x)"))
        processes = [p / w for p, w in zip(pdf_times, whole)]
        rows.append(("... to the floor's whole process (start, set-up, renders)",
                     f"{spread(whole)}: {min(pdf_times) / min(whole):.2f}x (median of pairs "
                     f"{statistics.median(processes):.2f}x, range {min(processes):.2f}-{max(processes):.2f}x)"))
        cpu_of(root, "plan")                                  # the cache warm, as after any run
        rows.append((f"plan of every target, CPU ({REPEAT} runs)",
                     spread([cpu_of(root, "plan") for _ in range(REPEAT)], 2)))
        checks = [cpu_of(root, "typesetting", "--out", "out-n") for _ in range(REPEAT)]
        rows.append((f"typesetting check of the {count} PDFs, CPU ({REPEAT} runs)", spread(checks, 2)))
        noop, _ = timed_build(root, "--out", "out-n")
        rows.append(("no-op rebuild", f"{noop:.2f} s = {100 * noop / many:.1f}% of a full build (median)"))
        practice = root / "content/practices/rotterdam-inclusiveness-panel.yaml"
        practice.write_text(practice.read_text().replace("Growth often comes", "Growth usually comes", 1))
        edit, summary = timed_build(root, "--out", "out-n")
        rows.append(("one-string edit rebuild (a practice)", f"{edit:.1f} s  [{summary}]"))
        for fmt, ours, theirs in writer_times(root, use_pandoc):
            pandoc = f"pandoc {theirs:.2f} s" if theirs is not None else "pandoc not installed"
            rows.append((f"{fmt.upper()} writer per file", f"{ours:.2f} s  ({pandoc})"))
        rows.append(("peak memory per worker", f"{peak_memory(root):.0f} MB"))
    width = max(len(name) for name, _ in rows)
    print(f"machine: {cores} cores, Python {sys.version.split()[0]}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    if "--skip-preview" not in sys.argv:   # the live preview's save-to-browser and background-PDF latency
        print("\nlive preview (benchmarks/preview.py):", flush=True)
        subprocess.run([sys.executable, str(Path(__file__).with_name("preview.py")), "--rounds", "3"], check=True)


if __name__ == "__main__":
    main()
