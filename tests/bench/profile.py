"""Where the server's time goes under load: py-spy samples gunicorn's workers during one mix level
(`BENCH_PROFILE_USERS`), and the samples are read back here into two tables — by view, and by the kind of
work at the top of each sampled stack — plus the CPU each side of the bench used.

py-spy samples from outside the process (`record --subprocesses --nonblocking`), so the server runs
unchanged; its raw output has one line per distinct stack, "frame;frame;…;frame count", root first, each
frame "function (path:line)".
"""

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FRAME = re.compile(r"^(?P<function>.*?) \((?P<path>[^()]*?)(?::(?P<line>\d+))?\)$")
RATE = 100  # samples a second


def py_spy():
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    return found if Path(found).exists() else None


def start(pid, path, seconds):
    """py-spy on gunicorn's master `pid` and its workers for `seconds`, raw stacks to `path`."""
    command = [
        py_spy(), "record", "--pid", str(pid), "--subprocesses", "--nonblocking", "--rate", str(RATE),
        "--duration", str(int(seconds)), "--format", "raw", "--full-filenames", "--output", str(path),
    ]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _frames(stack):
    frames = []
    for text in stack.split(";"):
        match = FRAME.match(text)
        if match:
            frames.append((match["function"], match["path"]))
    return frames


def _ours(path):
    """The project's own module ("followup/sheetinputs.py"), or None for Python, Django or a package."""
    if "site-packages" in path or "/lib/python" in path or path.startswith("<"):
        return None
    candidate = Path(path)
    try:
        relative = candidate.resolve().relative_to(ROOT) if candidate.is_absolute() else candidate
    except ValueError:
        return None
    return str(relative) if (ROOT / relative).is_file() else None


# The kind of work, decided by the first matching frame from the top of the stack (the running function)
# down: the database driver and Django's ORM, templates, forms, compression, the project's own code, …
KINDS = [
    ("SQL in the database driver", ("sqlite3/", "psycopg2/", "django/db/backends/")),
    ("ORM: building queries and rows", ("django/db/models/",)),
    ("templates (Django's engine)", ("django/template/",)),
    ("forms (Django's fields and validation)", ("django/forms/",)),
    ("compression and pickling", ("zlib", "pickle")),
    ("password hashing", ("argon2", "hashers.py")),
]


def _kind(frames):
    for function, path in reversed(frames):
        for kind, needles in KINDS:
            if any(needle in path or needle in function for needle in needles):
                return kind
        ours = _ours(path)
        if ours:
            return f"project code ({ours})"
    if any("gunicorn/" in path for _function, path in frames):
        return "gunicorn, sockets and Django's request handling"
    return "other (Python, packages)"


def _view(frames):
    """The view a stack is in: the first project frame called from Django's request handler."""
    inside = False
    for function, path in frames:
        if function.endswith("_get_response") and "django/core/handlers/base.py" in path:
            inside = True
            continue
        if inside:
            ours = _ours(path)
            if ours:
                return f"{function} ({ours})"
    return "outside the view (middleware, gunicorn, sessions, logging)"


def summary(path, top=14):
    """Markdown tables of the samples in `path`: by view and by kind of work, with their shares."""
    by_view, by_kind, total = Counter(), Counter(), 0
    for line in Path(path).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames, count = _frames(stack), int(count)
        total += count
        by_view[_view(frames)] += count
        by_kind[_kind(frames)] += count
    if not total:
        return "No samples were recorded."
    lines = [f"{total:,} samples of the server's workers ({RATE} a second, py-spy).", ""]
    for title, counts in (("view", by_view), ("kind of work (the running function)", by_kind)):
        lines += [f"| {title} | share of samples |", "| --- | ---: |"]
        shown = counts.most_common(top)
        lines += [f"| {name} | {count / total:.1%} |" for name, count in shown]
        rest = total - sum(count for _name, count in shown)
        if rest:
            lines.append(f"| (the rest) | {rest / total:.1%} |")
        lines.append("")
    return "\n".join(lines).rstrip()


def cpu_seconds(pid):
    """CPU seconds (user + system) used so far by process `pid` and its children that are alive."""
    import psutil

    try:
        parent = psutil.Process(pid)
        processes = [parent, *parent.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total
