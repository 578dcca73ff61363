#!/usr/bin/env python3
"""Benchmark of `pactline serve` (stdlib only; run through bench/serve.sh).

For each site it starts the release binary on a free port, listens to the live-reload event
stream, saves edits one after another, and reports medians of:
  rebuild   the server's own time from the debounced file event to the new build in memory
            (the "rebuilt in X ms" line it prints)
  event     save -> the reload event reaching a client (includes the watcher's debounce)
  browser   save -> a headless Chromium has reloaded the page (its load event), when
            chromium and chromedriver are installed (reference site only)
On the reference site the edit appends a line to one note's body. On the corpus there are
four kinds: a body edit; a front-matter edit (by turns the delegates, the date, a sector and
a commitment's status of notes in the middle of the timeline); a new note (written aside
and renamed in, as editors save); and deleting those notes again.
"""

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

BIN = os.path.join(os.path.dirname(__file__), "..", "target", "release", "pactline")


class Server:
    def __init__(self, root):
        self.err = tempfile.NamedTemporaryFile("w+", delete=False)
        self.proc = subprocess.Popen(
            [BIN, "serve", "--root", root, "--port", "0"],
            stdout=subprocess.PIPE, stderr=self.err, text=True)
        line = self.proc.stdout.readline()
        self.url = re.search(r"http://\S+", line).group(0)
        self.events = []
        self.cond = threading.Condition()
        threading.Thread(target=self._listen, daemon=True).start()
        time.sleep(0.3)

    def _listen(self):
        host, port = self.url[len("http://"):].rstrip("/").split(":")
        s = socket.create_connection((host, int(port)))
        s.sendall(f"GET /__pactline/events HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
        buf = b""
        while True:
            data = s.recv(65536)
            if not data:
                return
            buf += data
            for m in re.finditer(rb"event: (\w+)", data):
                with self.cond:
                    self.events.append((m.group(1).decode(), time.perf_counter()))
                    self.cond.notify_all()

    def wait_event(self, after, names=("reload",), timeout=120):
        deadline = time.time() + timeout
        with self.cond:
            while True:
                for name, t in self.events:
                    if t >= after and name in names:
                        return t
                left = deadline - time.time()
                if left <= 0:
                    raise TimeoutError("no reload event")
                self.cond.wait(left)

    def rebuild_times(self):
        with open(self.err.name) as f:
            return [float(x) for x in re.findall(r"rebuilt in ([\d.]+) ms", f.read())]

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def edit(note, i):
    with open(note, "a") as f:
        f.write(f"\nBenchmark line {i}.\n")


def replace_line(path, pattern, make):
    """Rewrites the first line matching `pattern` with make(match), saved atomically."""
    with open(path) as f:
        text = f.read()
    m = re.search(pattern, text, re.M)
    text = text[:m.start()] + make(m) + text[m.end():]
    aside = path + ".bench~"
    with open(aside, "w") as f:
        f.write(text)
    os.replace(aside, path)


def front_matter_edit(note, status_note):
    """Edits of the kinds the dev server must take in quickly, by turns."""
    def run(i):
        kind = i % 4
        if kind == 0:
            replace_line(note, r"^delegates: \d+$", lambda m: f"delegates: {100 + i}")
        elif kind == 1:
            replace_line(note, r"^date: (\d{4})-(\d\d)-\d\d$",
                         lambda m: f"date: {m.group(1)}-{m.group(2)}-{10 + i % 15:02d}")
        elif kind == 2:
            replace_line(note, r'^  - "([a-z-]+?)(-\d+)?"$',
                         lambda m: f'  - "{m.group(1)}-{i}"')
        else:
            replace_line(status_note, r'^    status: "(in-progress|completed)"$',
                         lambda m: '    status: "%s"' % (
                             "completed" if m.group(1) == "in-progress" else "in-progress"))
    return run


def new_notes(folder, first):
    """Creates note number `first + i`, written aside and renamed in."""
    def run(i):
        n = first + i
        aside = os.path.join(folder, f".bench-{n}.md.tmp")
        with open(aside, "w") as f:
            f.write(f"---\nsession: {n}\ntitle: \"Session {n}\"\ndate: 2030-01-10\n"
                    f"sectors:\n  - \"railways\"\n---\n\nThe working group met again.\n")
        os.replace(aside, os.path.join(folder, f"bench-{n}.md"))
    return run


def delete_notes(folder, first):
    def run(i):
        os.remove(os.path.join(folder, f"bench-{first + i}.md"))
    return run


def run_edits(server, change, n):
    rebuilds_before = len(server.rebuild_times())
    event = []
    for i in range(n):
        t0 = time.perf_counter()
        change(i)
        try:
            t1 = server.wait_event(t0)
        except TimeoutError:
            with open(server.err.name) as f:
                sys.exit(f"no reload after edit {i}; the server said:\n{f.read()[-3000:]}")
        event.append((t1 - t0) * 1000)
        time.sleep(0.15)
    rebuild = server.rebuild_times()[rebuilds_before:]
    return rebuild, event


class Browser:
    """A minimal WebDriver client over chromedriver."""

    def __init__(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.proc = subprocess.Popen(["chromedriver", f"--port={self.port}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                self.call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        self.profile = tempfile.mkdtemp()
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": shutil.which("chromium"),
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     f"--user-data-dir={self.profile}"]}}}}
        self.session = self.call("POST", "/session", caps)["value"]["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data,
                                     method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read())

    def eval(self, script):
        return self.call("POST", f"/session/{self.session}/execute/sync",
                         {"script": script, "args": []})["value"]

    def stop(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        finally:
            self.proc.terminate()
            self.proc.wait()
            shutil.rmtree(self.profile, ignore_errors=True)


def browser_reloads(server, note, page, n):
    """Save -> the page's load event, both on the wall clock (epoch ms)."""
    b = Browser()
    out = []
    try:
        b.call("POST", f"/session/{b.session}/url", {"url": server.url + page})
        for i in range(n):
            b.eval("window.pactlineBench = 1; return 0")
            t0 = time.time() * 1000
            edit(note, f"browser {i}")
            deadline = time.time() + 60
            while time.time() < deadline:
                loaded = b.eval("return window.pactlineBench === undefined && "
                                "performance.timing.loadEventEnd > 0 ? "
                                "performance.timing.loadEventEnd : 0")
                if loaded:
                    out.append(loaded - t0)
                    break
                time.sleep(0.02)
            time.sleep(0.2)
    finally:
        b.stop()
    return out


def median(xs):
    return f"{statistics.median(xs):.1f} ms (n={len(xs)})" if xs else "n/a"


def bench(name, root, edits, n, browser=None):
    """Starts a server on `root` and runs each (label, change) of `edits` n times."""
    print(f"== {name}: {root}", flush=True)
    t = time.perf_counter()
    server = Server(root)
    print(f"   first build and start: {(time.perf_counter() - t) * 1000:.0f} ms", flush=True)
    try:
        for label, change in edits:
            rebuild, event = run_edits(server, change, n)
            print(f"   {label}: save -> rebuilt (server)  median {median(rebuild)}")
            print(f"   {label}: save -> reload event      median {median(event)}", flush=True)
        if browser:
            note, page = browser
            if shutil.which("chromedriver") and shutil.which("chromium"):
                print(f"   save -> browser reloaded     median "
                      f"{median(browser_reloads(server, note, page, n))}")
            else:
                print("   save -> browser reloaded     skipped (no chromium/chromedriver)")
    finally:
        server.stop()


def main():
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
    corpus = sys.argv[1] if len(sys.argv) > 1 else "/dev/shm/c10k"
    n = int(os.environ.get("BENCH_EDITS", "20"))
    work = tempfile.mkdtemp(prefix="pactline-bench-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    try:
        ref = os.path.join(work, "ref")
        shutil.copytree(os.path.join(repo, "content"), os.path.join(ref, "content"))
        shutil.copytree(os.path.join(repo, "themes"), os.path.join(ref, "themes"))
        note = os.path.join(ref, "content/sessions/11.md")
        bench("reference site", ref, [("body edit", lambda i: edit(note, i))], n,
              browser=(note, "sessions/11/"))
        if os.path.isdir(corpus):
            big = os.path.join(work, "big")
            shutil.copytree(corpus, big)
            folder = os.path.join(big, "content/sessions")
            notes = sorted(os.listdir(folder))
            mid = os.path.join(folder, notes[len(notes) // 2])
            with_status = next(os.path.join(folder, f) for f in notes[len(notes) // 2:]
                               if 'status: "in-progress"' in open(os.path.join(folder, f)).read())
            first = len(notes) + 1
            bench(f"corpus ({len(notes)} notes), edits of {os.path.basename(mid)}", big, [
                ("body edit        ", lambda i: edit(mid, i)),
                ("front-matter edit", front_matter_edit(mid, with_status)),
                ("new note         ", new_notes(folder, first)),
                ("deleted note     ", delete_notes(folder, first)),
            ], n)
        else:
            print(f"(no corpus at {corpus}: make one with gen_corpus.py 10000 {corpus} --format ours)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
