"""Fault drills: kill -9 in the middle of an Excel import and of a PDF signing, and a PostgreSQL restart under
a stream of writes. Each drill checks that nothing is half-written and that the action can be retried.

Usage:
    .venv/bin/pip install -r bench/requirements.txt
    .venv/bin/python bench/fault_drills.py [--rows 4000] [--skip-restart] [--db thidua_faults]

It (re)creates the scratch database ``--db`` on the local PostgreSQL server, loads the demo data and runs
gunicorn + db_worker on a free loopback port with production settings (``make serve``), files in a
temporary PORTAL_VAR_DIR. Both the Excel imports and the signing run inside the web request (not as
tasks), so the process killed is the gunicorn worker serving that request.

The restart drill restarts the whole PostgreSQL cluster, which every user of this machine notices: it runs
only when no client outside the drill is connected to another database of the cluster (or with
--force-restart), announces itself with /tmp/pg_restart_drill while it runs, and is skipped with --skip-restart.
"""

import argparse
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serving import PG_ROOT, Browser, Portal, manage, portal_env  # noqa: E402

DEMO_PASSWORD = "ThiDua@2026"
PROVINCE = "LDLD-LCH"  # Lai Châu: demo staff (laichau.quantri), leader (laichau.lanhdao) and certificate
WARD = "CDP-LCH-TP"
ANNOUNCE = Path("/tmp/pg_restart_drill")
# Rows that change on every request whatever the drill does (sessions, sign-in records, the task queue).
VOLATILE = ("django_session", "axes_", "django_tasks_database_")
UNIT_HEADER = ["Mã đơn vị", "Tên đơn vị", "Tên viết tắt", "Loại đơn vị", "Khu vực", "Mã đơn vị cấp trên"]
INTACT = "Tệp còn nguyên vẹn"
ISSUED_HERE = "Đây đúng là văn bản do cổng phát hành"


def say(text):
    print(text, flush=True)


class Database:
    """A psycopg connection to the scratch database for the checks; it reconnects after a restart."""

    def __init__(self, url):
        self.url = url
        self.conn = None

    def execute(self, sql, params=None):
        import psycopg

        for attempt in range(30):
            try:
                if self.conn is None or self.conn.closed:
                    self.conn = psycopg.connect(self.url, autocommit=True)
                return self.conn.execute(sql, params).fetchall()
            except psycopg.OperationalError:
                self.conn = None
                if attempt == 29:
                    raise
                time.sleep(0.5)

    def value(self, sql, params=None):
        return self.execute(sql, params)[0][0]

    def counts(self):
        """Rows of every table but the volatile ones: a write anywhere shows up here."""
        tables = [
            t
            for (t,) in self.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
            if not t.startswith(VOLATILE)
        ]
        sql = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM \"{t}\"" for t in tables)
        return dict(self.execute(sql))

    def wait_backend_gone(self, pid, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]):
                return True
            time.sleep(0.1)
        return False


def diff(before, after):
    return {t: (before.get(t), after.get(t)) for t in set(before) | set(after) if before.get(t) != after.get(t)}


# Setup -------------------------------------------------------------------------------------------------


def create_database(name):
    import psycopg

    with psycopg.connect(PG_ROOT + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(args, var_dir):
    url = f"{PG_ROOT}/{args.db}"
    env = portal_env(url, var_dir)
    if args.reuse_db:
        return url, env
    say(f"Creating {args.db} with the demo data …")
    create_database(args.db)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo_data", "--force", "--quiet-logins")
    return url, env


def unit_sheet(rows, tag):
    """An import sheet of ``rows`` new grassroots unions under the demo ward."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Don vi")
    sheet.append(UNIT_HEADER)
    for n in range(rows):
        sheet.append([f"FD{tag}-{n:05d}", f"CĐCS Công ty diễn tập {tag} số {n:05d}", "", "Công đoàn cơ sở", "", WARD])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class Request(threading.Thread):
    """One HTTP request in the background, so the main thread can kill the worker serving it."""

    def __init__(self, function):
        super().__init__(daemon=True)
        self.function = function
        self.response = self.error = None
        self.started = self.finished = None

    def run(self):
        self.started = time.monotonic()
        try:
            self.response = self.function()
        except Exception as error:  # the connection dies with the worker
            self.error = error
        self.finished = time.monotonic()

    def outcome(self):
        if self.error is not None:
            return f"connection lost ({type(self.error).__name__})"
        return f"HTTP {self.response.status_code}"


def kill_worker(portal):
    """kill -9 the single gunicorn worker and wait for the master to start a new one."""
    (pid,) = portal.worker_pids()
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        pids = portal.worker_pids()
        if pids and pid not in pids:
            break
        time.sleep(0.1)
    portal.wait_healthy()
    return pid


# Drill a: the Excel import -----------------------------------------------------------------------------


def import_backend(db):
    """The PostgreSQL backend of a request that has started writing units (it holds a transaction id)."""
    rows = db.execute(
        "SELECT pid, now() - xact_start FROM pg_stat_activity WHERE datname = current_database() "
        "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid() AND query ILIKE %s",
        ["%organizations_%"],
    )
    return rows[0] if rows else None


def drill_import(portal, db, args, results):
    say(f"\n[a] kill -9 during an Excel import of {args.rows} units")
    staff = Browser(portal.url, "laichau.quantri", DEMO_PASSWORD)
    province = db.value("SELECT id FROM organizations_organization WHERE code = %s", [PROVINCE])
    path = f"/units/{province}/import/"
    data = unit_sheet(args.rows, "A")
    say(f"    sheet: {len(data) / 1e6:.2f} MB")
    before = db.counts()

    def upload():
        files = {"file": ("don-vi.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
        return staff.post(path, files=files, token=staff.token(path))

    request = Request(upload)
    request.start()
    backend, deadline = None, time.monotonic() + 120
    while backend is None and time.monotonic() < deadline and request.is_alive():
        backend = import_backend(db)
        time.sleep(0.05)
    if backend is None:
        raise RuntimeError(f"The import never started writing ({request.outcome() if not request.is_alive() else ''})")
    writing_since = time.monotonic()
    time.sleep(args.kill_after)
    open_for = db.execute("SELECT now() - xact_start FROM pg_stat_activity WHERE pid = %s", [backend[0]])
    in_transaction = open_for[0][0] if open_for else None
    killed = kill_worker(portal)
    request.join(30)
    killed_at = writing_since - request.started + args.kill_after
    gone = db.wait_backend_gone(backend[0])
    after = db.counts()
    leftovers = db.value("SELECT count(*) FROM organizations_organization WHERE code LIKE 'FDA-%%'")
    changed = diff(before, after)
    say(
        f"    worker {killed} killed {killed_at:.1f} s after the upload, {args.kill_after} s into the writes "
        f"(transaction open {in_transaction}); client saw: {request.outcome()}"
    )
    say(
        f"    backend {backend[0]} ended: {gone}; units of the sheet in the database: {leftovers}; "
        f"tables changed: {changed or 'none'}"
    )
    assert request.response is None or request.response.status_code != 302, "the import finished before the kill"
    assert gone and leftovers == 0 and not changed, "the killed import left rows behind"

    start = time.monotonic()
    retry = upload()
    retry_seconds = time.monotonic() - start
    created = db.value("SELECT count(*) FROM organizations_organization WHERE code LIKE 'FDA-%%'")
    history = db.value(
        "SELECT count(*) FROM organizations_historicalorganization WHERE code LIKE 'FDA-%%' AND history_type = '+'"
    )
    say(f"    retry: HTTP {retry.status_code} in {retry_seconds:.1f} s, units created {created}, history {history}")
    assert retry.status_code == 302 and retry.headers["Location"].endswith(f"/units/{province}/")
    assert created == args.rows and history == args.rows
    results += [
        ("a. import: rows in the sheet", args.rows),
        ("a. import: killed after (s, from upload)", f"{killed_at:.1f}"),
        ("a. import: rows left by the killed import", leftovers),
        ("a. import: tables changed by the killed import", len(changed)),
        ("a. import: retry status / seconds", f"{retry.status_code} / {retry_seconds:.1f}"),
        ("a. import: rows after the retry", created),
    ]


# Drill b: signing ---------------------------------------------------------------------------------------


def media_files(var_dir):
    root = Path(var_dir) / "media"
    return {str(p.relative_to(root)) for p in root.rglob("*.pdf")} if root.exists() else set()


def signing_state(db, campaign):
    rows = db.execute(
        "SELECT c.status, c.version, c.updated_at, "
        "(SELECT count(*) FROM documents_signeddocument d JOIN django_content_type t ON t.id = d.content_type_id "
        " WHERE t.app_label = 'campaigns' AND t.model = 'campaign' AND d.object_id = c.id) "
        "FROM campaigns_campaign c WHERE c.id = %s",
        [campaign],
    )
    return rows[0]


def sign_form(leader, campaign, certificate, token=None):
    path = f"/campaigns/{campaign}/sign/"
    token = token or leader.token(path)
    return leader.post(path, {"certificate": certificate, "passphrase": DEMO_PASSWORD}, token=token)


def new_file_watch(var_dir):
    """A check that answers as soon as a new signed PDF appears in this month's folder."""
    folder = Path(var_dir) / "media" / "signed" / time.strftime("%Y/%m")
    known = set(os.listdir(folder)) if folder.exists() else set()

    def appeared():
        try:
            return bool(set(os.listdir(folder)) - known)
        except FileNotFoundError:
            return False

    return appeared


def warm(leader, campaign):
    """A fresh worker imports WeasyPrint and loads fonts on its first PDF; warm it like a running server."""
    response = leader.get(f"/campaigns/{campaign}/document.pdf")
    assert response.status_code == 200 and response.content[:5] == b"%PDF-", response.status_code


def drill_signing(portal, db, args, var_dir, results):
    say("\n[b] kill -9 during the signing of a published plan")
    leader = Browser(portal.url, "laichau.lanhdao", DEMO_PASSWORD)
    plans = [
        pk
        for (pk,) in db.execute(
            "SELECT c.id FROM campaigns_campaign c JOIN organizations_organization o ON o.id = c.owner_id "
            "WHERE o.code = %s AND c.status = 'published' ORDER BY c.year, c.id",
            [PROVINCE],
        )
    ]
    baseline_plan, plan = plans[0], plans[-1]
    certificate = db.value(
        "SELECT s.id FROM documents_signingcertificate s JOIN organizations_organization o ON o.id = s.organization_id "
        "WHERE o.code = %s",
        [PROVINCE],
    )
    warm(leader, baseline_plan)
    token = leader.token(f"/campaigns/{baseline_plan}/sign/")
    start = time.monotonic()
    response = sign_form(leader, baseline_plan, certificate, token)
    full = time.monotonic() - start
    assert response.status_code == 302, response.status_code
    say(f"    a whole signing request (warm worker) takes {full:.2f} s")

    outcomes, orphans_total = [], set()
    # Kill points: fractions of the request's time, then "file" = the moment the signed PDF reaches the disk,
    # just before its row is written and committed (the narrowest window).
    for point in [*args.sign_fractions, "file"]:
        warm(leader, plan)
        before_state, before_counts, before_files = signing_state(db, plan), db.counts(), media_files(var_dir)
        token = leader.token(f"/campaigns/{plan}/sign/")
        appeared = new_file_watch(var_dir)
        request = Request(lambda t=token: sign_form(leader, plan, certificate, t))
        request.start()
        if point == "file":
            while request.is_alive() and not appeared():
                time.sleep(0.0005)
            label = "when the file appeared"
        else:
            time.sleep(full * point)
            label = f"at {point:.0%} ({full * point:.2f} s)"
        finished_first = not request.is_alive()
        kill_worker(portal)
        request.join(30)
        # The server's side of the killed connection ends when PostgreSQL notices the socket closed.
        for (pid,) in db.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend' AND state LIKE 'idle in transaction%%'"
        ):
            db.wait_backend_gone(pid)
        after_state, after_counts, after_files = signing_state(db, plan), db.counts(), media_files(var_dir)
        referenced = {f for (f,) in db.execute("SELECT file FROM documents_signeddocument")}
        missing = {f for f in referenced if not (Path(var_dir) / "media" / f).exists()}
        orphans = (after_files - before_files) - referenced
        orphans_total |= orphans
        changed = diff(before_counts, after_counts)
        # All or nothing: either no table changed, or the whole signed copy (row, history, file) was committed
        # before the worker died.
        rolled_back = after_state == before_state and not changed
        committed = after_state[:3] == before_state[:3] and after_state[3] == before_state[3] + 1
        say(
            f"    kill {label}: client saw {request.outcome()}; "
            f"plan (status, version, signed copies) {before_state[0]}/{before_state[1]}/{before_state[3]} → "
            f"{after_state[0]}/{after_state[1]}/{after_state[3]}; tables changed {len(changed)}; "
            f"rows pointing at a missing file {len(missing)}; new files without a row {len(orphans)} → "
            f"{'rolled back' if rolled_back else 'committed whole' if committed else 'HALF-WRITTEN'}"
        )
        assert (rolled_back or committed) and not missing, "a killed signing left a half-written state"
        if finished_first:
            say("      (the request had finished before the kill: not counted)")
            continue
        outcomes.append((point if point == "file" else f"{point:.0%}", "rolled back" if rolled_back else "committed"))

    warm(leader, plan)
    before = signing_state(db, plan)
    start = time.monotonic()
    retry = sign_form(leader, plan, certificate)
    retry_seconds = time.monotonic() - start
    after = signing_state(db, plan)
    (stored,) = db.execute(
        "SELECT file, sha256 FROM documents_signeddocument ORDER BY id DESC LIMIT 1",
    )
    pdf = (Path(var_dir) / "media" / stored[0]).read_bytes()
    pdfsig = subprocess.run(["pdfsig", "-"], input=pdf, capture_output=True, check=False).stdout.decode()
    if "Signature is" not in pdfsig:  # older poppler cannot read stdin
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            pdfsig = subprocess.run(["pdfsig", handle.name], capture_output=True, text=True, check=False).stdout
    upload = {"file": ("ke-hoach.pdf", pdf, "application/pdf")}
    page = leader.post("/verify/", files=upload, token=leader.token("/verify/"))
    text = re.sub(r"\s+", " ", page.text)
    valid = "Signature is Valid." in pdfsig
    say(
        f"    retry: HTTP {retry.status_code} in {retry_seconds:.2f} s, signed copies {before[3]} → {after[3]}; "
        f"pdfsig: {'Signature is Valid.' if valid else pdfsig.strip()[:200]}; "
        f"/verify/: intact={INTACT in text}, issued here={ISSUED_HERE in text}"
    )
    assert retry.status_code == 302 and after[3] == before[3] + 1 and valid
    assert INTACT in text and ISSUED_HERE in text
    results += [
        ("b. signing: full request (s)", f"{full:.2f}"),
        ("b. signing: kills mid-request", f"{len(outcomes)} ({', '.join(f'{p}: {o}' for p, o in outcomes)})"),
        ("b. signing: half-written rows / missing files", 0),
        ("b. signing: orphan files without a row", len(orphans_total)),
        ("b. signing: retry status / signed copies +", f"{retry.status_code} / {after[3] - before[3]}"),
        ("b. signing: pdfsig + /verify/ on the retry", "valid" if valid else "INVALID"),
    ]


# Drill c: PostgreSQL restart under load -----------------------------------------------------------------


class Writer(threading.Thread):
    """Creates units through the portal's form, one after another, and remembers which were acknowledged."""

    def __init__(self, number, portal, ward, kind, stop):
        super().__init__(daemon=True)
        self.number, self.portal, self.ward, self.kind, self.stop = number, portal, ward, kind, stop
        self.acknowledged = {}  # code → unit id from the redirect
        self.failed = []  # (code, moment, what)
        self.successes = []  # moments of acknowledged writes (start of the request)
        self.ready = threading.Event()

    def run(self):
        try:
            browser = Browser(self.portal.url, "laichau.quantri", DEMO_PASSWORD, timeout=30)
            path = f"/units/{self.ward}/new/"
            token = browser.token(path)
        except Exception as error:
            self.failed.append(("(sign-in)", time.monotonic(), type(error).__name__))
            return
        self.ready.set()
        run = time.strftime("%H%M%S")
        seq = 0
        while not self.stop.is_set():
            seq += 1
            code = f"FDC{run}-{self.number:02d}-{seq:05d}"
            data = {
                "name": f"CĐCS ghi thử {code}",
                "code": code,
                "kind": self.kind,
                "members_count": 10,
                "workers_count": 12,
            }
            began = time.monotonic()
            try:
                response = browser.post(path, data, token=token)
                found = re.search(r"/units/(\d+)/$", response.headers.get("Location", ""))
                if response.status_code == 302 and found:
                    self.acknowledged[code] = int(found.group(1))
                    self.successes.append(began)
                else:
                    self.failed.append((code, began, f"HTTP {response.status_code}"))
                    time.sleep(0.05)
            except Exception as error:
                self.failed.append((code, began, type(error).__name__))
                time.sleep(0.05)


def first_task_after(db, moment_sql, timeout=60):
    """Seconds from ``moment_sql`` (a server timestamp) to the first task the worker finished after it."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        done = db.value(
            "SELECT EXTRACT(EPOCH FROM min(finished_at) - %s) FROM django_tasks_database_dbtaskresult "
            "WHERE status = 'SUCCESSFUL' AND finished_at > %s",
            [moment_sql, moment_sql],
        )
        if done is not None:
            return float(done)
        time.sleep(0.5)
    return None


def log_errors(log_dir):
    """The exceptions that ended tracebacks in the gunicorn and db_worker logs, counted (chained causes left out)."""
    found = {}
    for name in ("gunicorn.log", "db_worker.log"):
        path = Path(log_dir) / name
        lines = path.read_text(errors="replace").splitlines() if path.exists() else []
        for number, line in enumerate(lines):
            error = re.match(r"^([\w.]+(?:Error|Exception)):", line)
            following = next((text for text in lines[number + 1 :] if text.strip()), "")
            if error and not following.startswith(("During handling", "The above exception")):
                key = f"{name.split('.')[0]}: {error.group(1)}"
                found[key] = found.get(key, 0) + 1
    return ", ".join(f"{key} ×{count}" for key, count in sorted(found.items()))


def other_clients(db, name):
    """Client sessions on the cluster's other databases: a restart would cut them off."""
    return db.execute(
        "SELECT datname, application_name, count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' "
        "AND datname IS NOT NULL AND datname <> %s GROUP BY 1, 2 ORDER BY 1, 2",
        [name],
    )


def pg_version():
    return sorted(os.listdir("/etc/postgresql"))[-1]


def drill_restart(portal, db, args, results):
    say(f"\n[c] PostgreSQL restart under {args.writers} writers")
    ward = db.value("SELECT id FROM organizations_organization WHERE code = %s", [WARD])
    kind = db.value("SELECT id FROM organizations_organizationkind WHERE code = 'cdcs'")
    stop = threading.Event()
    writers = [Writer(n, portal, ward, kind, stop) for n in range(args.writers)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.ready.wait(60)
    time.sleep(args.before)
    announce = not args.dry_restart
    if announce:
        ANNOUNCE.write_text(f"fault_drills.py (pid {os.getpid()}) restarts PostgreSQL now\n")
    try:
        restart_began = time.monotonic()
        if args.dry_restart:
            time.sleep(1)
        else:
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), "main", "restart"], check=True)
        restart_done = time.monotonic()
        # The server's clock once it is back: tasks finished after it show the worker working again.
        restart_clock = db.value("SELECT clock_timestamp()")
        time.sleep(args.after)
    finally:
        stop.set()
        for writer in writers:
            writer.join(60)
        if announce:
            ANNOUNCE.unlink(missing_ok=True)
    health = portal.wait_healthy(60)
    # Each unit created queues a dashboard rebuild (dashboards/handlers.py), so the worker has work throughout.
    task_seconds = first_task_after(db, restart_clock)
    acknowledged = {code: pk for w in writers for code, pk in w.acknowledged.items()}
    failed = [f for w in writers for f in w.failed]
    successes = sorted(s for w in writers for s in w.successes)
    first_after = next((s for s in successes if s >= restart_done), None)
    last_error = max((moment for _c, moment, _w in failed), default=None)
    found = dict(
        db.execute("SELECT code, id FROM organizations_organization WHERE code = ANY(%s)", [list(acknowledged)])
    )
    lost = {code for code, pk in acknowledged.items() if found.get(code) != pk}
    unknown_landed = db.value(
        "SELECT count(*) FROM organizations_organization WHERE code = ANY(%s)", [[c for c, _m, _w in failed]]
    )
    kinds = sorted({what for _c, _m, what in failed})
    recovery = (first_after - restart_done) if first_after else None
    ack_after = f"{recovery:.2f} s later" if recovery is not None else "NONE"
    last = f"{last_error - restart_began:.1f} s" if last_error else "—"
    say(
        f"    restart command: {restart_done - restart_began:.1f} s; first acknowledged write after it: {ack_after}; "
        f"last failed request began {last} after the restart began"
    )
    say(
        f"    acknowledged writes {len(acknowledged)}, failed requests {len(failed)} ({', '.join(kinds) or '—'}), "
        f"lost acknowledged writes {len(lost)}, failed writes that landed anyway {unknown_landed}; "
        f"/health/ answers 200 afterwards: {health is not None}"
    )
    exits = [f"{moment - restart_began:.1f} s (exit code {code})" for moment, code in portal.worker_exits]
    say(
        f"    db_worker exits after the restart began: {', '.join(exits) or 'none'}; first task finished "
        f"{task_seconds:.1f} s after the server was back"
        if task_seconds is not None
        else "    no task finished after the restart"
    )
    say(f"    errors in the server logs: {log_errors(portal.log_dir) or 'none'}")
    assert not lost and recovery is not None
    results += [
        ("c. restart: writer threads", args.writers),
        ("c. restart: pg_ctlcluster restart took (s)", f"{restart_done - restart_began:.1f}"),
        ("c. restart: recovery, restart done → first ack (s)", f"{recovery:.2f}"),
        ("c. restart: recovery, restart begun → first ack (s)", f"{first_after - restart_began:.2f}"),
        ("c. restart: failed requests during the outage", len(failed)),
        ("c. restart: acknowledged writes", len(acknowledged)),
        ("c. restart: lost acknowledged writes", len(lost)),
        ("c. restart: failed requests whose write landed", unknown_landed),
        ("c. restart: db_worker exits (restarted after 2 s)", len(portal.worker_exits)),
        (
            "c. restart: first task done after restart began (s)",
            f"{task_seconds:.1f}" if task_seconds is not None else "NO",
        ),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="thidua_faults")
    parser.add_argument("--rows", type=int, default=1000, help="units in the imported sheet")
    parser.add_argument("--kill-after", type=float, default=1.0, help="seconds into the import's writes")
    parser.add_argument("--sign-fractions", type=float, nargs="+", default=[0.2, 0.5, 0.8, 0.95])
    parser.add_argument("--writers", type=int, default=6)
    parser.add_argument("--before", type=float, default=5, help="seconds of writes before the restart")
    parser.add_argument("--after", type=float, default=12, help="seconds of writes after the restart")
    parser.add_argument("--skip-restart", action="store_true")
    parser.add_argument("--dry-restart", action="store_true", help="drill c without restarting (checks the drill)")
    parser.add_argument("--force-restart", action="store_true", help="restart even with other clients connected")
    parser.add_argument("--only", choices=["import", "signing", "restart"], nargs="+")
    parser.add_argument("--reuse-db", action="store_true", help="use the database of an earlier run as it is")
    parser.add_argument("--keep", action="store_true", help="keep the scratch files and database")
    args = parser.parse_args()
    only = set(args.only or ["import", "signing", "restart"])

    var_dir = Path(tempfile.mkdtemp(prefix="thidua-faults-"))
    url, env = prepare(args, var_dir)
    db = Database(url)
    results = []
    portal = Portal(env, workers=1, log_dir=var_dir / "logs").start()
    say(f"Portal on {portal.url} (1 sync worker), files in {var_dir}")
    try:
        if "import" in only:
            drill_import(portal, db, args, results)
        if "signing" in only:
            drill_signing(portal, db, args, var_dir, results)
        portal.stop()
        if "restart" in only and not args.skip_restart:
            others = other_clients(db, args.db)
            if not others or args.force_restart or args.dry_restart:
                # Several workers, as in production, so requests are in flight on each when the server goes.
                portal = Portal(env, workers=3, log_dir=var_dir / "logs").start(supervise=True)
                drill_restart(portal, db, args, results)
            else:
                busy = ", ".join(f"{name} ({app or '?'}, {count})" for name, app, count in others)
                say(f"\n[c] skipped: other clients are connected to {busy}; --force-restart restarts anyway")
    finally:
        portal.stop()
        if db.conn is not None:
            db.conn.close()
        if not args.keep:
            shutil.rmtree(var_dir, ignore_errors=True)
    width = max(len(label) for label, _v in results)
    say("\n" + "Figure".ljust(width) + " | Value")
    say("-" * width + "-|------")
    for label, value in results:
        say(f"{label.ljust(width)} | {value}")


if __name__ == "__main__":
    main()
