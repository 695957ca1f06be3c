#!/usr/bin/env python3
"""Serve benchmark: `casebook serve` on a generated corpus. First 20 edits of each
kind that moves a case study (an SDG target added, a new date, a new slug), then
N successive edits of one case study's text; for each, the time from saving the
file to the new page being served, and the server's memory every 100 edits.

Usage: benches/serve.py [N_CASES] [N_EDITS] [N_STRUCTURAL]   (defaults 10000, 1000, 20)
  KINDS="slug" (or "sdg target,date"): only these structural edits (default all three).
  CASEBOOK=/path/to/casebook: run that binary (e.g. a baseline) instead of building this one.
  CORPORA=DIR: where the generated corpus lives (default /dev/shm/casebook-corpora).
  SERVER_LOG=FILE: write everything the server printed there.

Reports the server's own figure (from the change batch to the pages being
written, as printed "Updated N pages in X ms": this excludes the debounce
delay) and the client-observed one (save → first GET showing the edit,
polling every 5 ms), minus the 120 ms debounce. For the edits that move a case
study it also reports the server's CPU time per edit (user + system, from the
save to the update logged: steadier than wall time on a shared machine), the
load average, and the median time of each step of an update (`serve --verbose`).
"""
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
EDITS = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
STRUCTURAL = int(sys.argv[3]) if len(sys.argv) > 3 else 20
DEBOUNCE = 0.120
corpus = os.path.join(os.environ.get("CORPORA", "/dev/shm/casebook-corpora"), f"c{N}")
if not os.path.isdir(os.path.join(corpus, "content")):
    subprocess.run([sys.executable, os.path.join(ROOT, "../shared/bench/gen_corpus.py"), str(N), corpus, "42"], check=True, stdout=subprocess.DEVNULL)
# The corpus is in one language: the sample's config without its `languages:` block.
subprocess.run([os.path.join(ROOT, "benches/lib/one-language-config.sh"), os.path.join(corpus, "casebook.yaml")], check=True, cwd=ROOT)
binary = os.environ.get("CASEBOOK")
if not binary:
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binary = os.path.join(ROOT, "target/release/casebook")
print(f"binary: {binary}; load average before: {os.getloadavg()[0]:.2f}")

server = subprocess.Popen([binary, "serve", "--verbose", "--root", corpus, "--port", "0"],
                          stderr=subprocess.PIPE, text=True)
lines = []
port = None
started = time.time()
for line in server.stderr:
    lines.append(line)
    m = re.search(r"Serving at http://127.0.0.1:(\d+)/", line)
    if m:
        port = int(m.group(1))
        break
print(f"initial build and start: {time.time() - started:.1f} s; {lines[0].strip()}")
updates = []
threading.Thread(target=lambda: [updates.append(l) for l in server.stderr], daemon=True).start()

def rss_mb():
    with open(f"/proc/{server.pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) // 1024

def get(path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as r:
        return r.read().decode("utf-8", "replace")

case_dir = os.path.join(corpus, "content", "case-studies")
name = sorted(os.listdir(case_dir))[N // 2]
path = os.path.join(case_dir, name)
original = open(path, encoding="utf-8").read()
slug = re.sub(r"[^a-z0-9]+", "-", name[:-3].lower()).strip("-")
page = f"/case-studies/{slug}/"
assert "<html" in get(page), page


def server_times(since):
    """The server's "Updated N pages in X ms" figures logged after `since` lines."""
    return [(int(m.group(1)), int(m.group(2))) for l in updates[since:]
            if (m := re.search(r"Updated (\d+) pages in (\d+) ms", l))]


def server_steps(since):
    """Per step of an update (printed under --verbose), its median in ms over the updates after `since`."""
    steps = {}
    for l in updates[since:]:
        if m := re.match(r"  (\S.*?)\s+([\d.]+) ms$", l.rstrip()):
            steps.setdefault(m.group(1), []).append(float(m.group(2)))
    return {name: statistics.median(times) for name, times in steps.items()}


def cpu_seconds():
    """The server's CPU time so far (user + system, all threads)."""
    with open(f"/proc/{server.pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_updates(count, timeout=30):
    """Waits until `count` updates have been logged."""
    deadline = time.time() + timeout
    while len(server_times(0)) < count and time.time() < deadline:
        time.sleep(0.005)


def structural(kind, i):
    """The file edited one way (`kind`) for round `i`, and the page and text that show it."""
    if kind == "sdg target":
        line = re.search(r"^sdg_targets: .*$", original, flags=re.M).group(0)
        absent = [t for t in ["17.18", "10.7", "3.c", "5.2", "8.8", "16.9"] if f'"{t}"' not in line]
        target = absent[i % len(absent)]
        text = original.replace(line, line.replace("[", f'["{target}", ', 1), 1)
        return text, page, f'sdg/{target.replace(".", "-")}/'

    if kind == "date":
        day = f"2031-01-{i % 28 + 1:02d}"
        return re.sub(r"^date: .*$", f"date: {day}", original, count=1, flags=re.M), page, f'datetime="{day}"'
    new_slug = f"renamed-{i}"
    return original.replace("---\n", f"---\nslug: {new_slug}\n", 1), f"/case-studies/{new_slug}/", new_slug


def wait_for(path, needle, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if needle in get(path):
                return True
        except Exception:
            pass
        time.sleep(0.005)
    return False


structural_rows = []
try:
    for kind in os.environ.get("KINDS", "sdg target,date,slug").split(","):
        since, seen, cpu, loads = len(updates), [], [], []
        for i in range(1, STRUCTURAL + 1):
            text, url, needle = structural(kind, i)
            done = len(server_times(0))
            c0 = cpu_seconds()
            t0 = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            assert wait_for(url, needle), (kind, i, url)
            seen.append((time.perf_counter() - t0 - DEBOUNCE) * 1000)
            wait_updates(done + 1)
            cpu.append((cpu_seconds() - c0) * 1000)
            loads.append(os.getloadavg()[0])
            with open(path, "w", encoding="utf-8") as f:
                f.write(original)
            assert wait_for(page, "<html"), page
            time.sleep(1.2)  # past the search refresh, which waits for a pause
        logged = server_times(since)
        structural_rows.append((kind, statistics.median(seen), statistics.median(t for _, t in logged),
                                statistics.median(n for n, _ in logged), statistics.median(cpu),
                                statistics.median(loads), server_steps(since)))
finally:
    with open(path, "w", encoding="utf-8") as f:
        f.write(original)
for kind, client_ms, server_ms, pages, cpu_ms, load, steps in structural_rows:
    print(f"{kind}: save -> page served, minus debounce: median {client_ms:.0f} ms; "
          f"server median {server_ms:.0f} ms, {pages:.0f} pages (edits and their undoing); "
          f"server CPU per edit median {cpu_ms:.0f} ms; load average median {load:.1f}")
    if steps:
        print("  steps (median ms): " + ", ".join(f"{name} {ms:.1f}" for name, ms in steps.items()))
print(f"load average after the edits that move a case study: {os.getloadavg()[0]:.2f}")

observed, memory = [], [(0, rss_mb())]
try:
    for i in range(1, EDITS + 1):
        marker = f"benchmark-edit-{i}"
        t0 = time.perf_counter()
        with open(path, "w", encoding="utf-8") as f:
            f.write(original + f"\n{marker}\n")
        while marker not in get(page):
            time.sleep(0.005)
        observed.append(time.perf_counter() - t0)
        time.sleep(0.05)
        if i % 100 == 0:
            time.sleep(1.5)  # let the search data catch up (it waits for a pause in editing)
            memory.append((i, rss_mb()))
finally:
    with open(path, "w", encoding="utf-8") as f:
        f.write(original)
    # As Ctrl-C stops it, so that it removes its preview folder (SIGTERM
    # left a copy of the 10,000-case site in the temporary folder per run).
    server.send_signal(signal.SIGINT)
    server.wait(timeout=60)
server_ms = [int(m.group(1)) for l in updates if (m := re.search(r"Updated \d+ pages in (\d+) ms", l))]
print(f"edits: {len(observed)}; incremental updates logged: {len(server_ms)}")
if server_ms:
    print(f"server: save batch -> pages served, median {statistics.median(server_ms)} ms, p90 {sorted(server_ms)[int(len(server_ms) * 0.9)]} ms")
client = [(t - DEBOUNCE) * 1000 for t in observed]
if client:
    print(f"client: save -> new page fetched, minus {DEBOUNCE * 1000:.0f} ms debounce: median {statistics.median(client):.0f} ms")
print("memory (edits: RSS MB): " + ", ".join(f"{i}: {m}" for i, m in memory))
if os.environ.get("SERVER_LOG"):
    with open(os.environ["SERVER_LOG"], "w", encoding="utf-8") as f:
        f.writelines(lines + updates)
