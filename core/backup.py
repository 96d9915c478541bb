"""Backups of the whole portal: the database and every uploaded or signed file, in one archive.

The archive is a tar.gz holding

- ``database.jsonl``: every row, written by Django's JSON-lines serializer, so one archive
  restores on SQLite and on PostgreSQL alike and is read back one line at a time;
- ``media/…``: every file under MEDIA_ROOT (evidence, signed PDFs, nomination evidence,
  exports), byte for byte;
- ``manifest.json``: the migration state (latest migration per app), the rows per model and
  the SHA-256 of the dump and of every file;
- ``manifest.sig``: an HMAC-SHA256 of the manifest under the portal's backup key
  (PORTAL_BACKUP_KEY, else SECRET_KEY). Checksums alone catch damage; the signature catches
  an archive altered on purpose, whose checksums were recomputed to match.

A restore goes into a migrated database of the same migration state, all or nothing: the
archive is unpacked, its signature and every checksum checked before the database is touched; the rows are
loaded in one transaction, counted against the manifest, and the files moved into place
before it commits.
"""

import datetime
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Serializer as JsonLinesSerializer
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.models import sql
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

FORMAT = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
SIGNATURE_SALT = "core.backup.manifest"
DUMP = "database.jsonl"
MEDIA = "media"
# A restore unpacks next to the files it replaces (same disk: files are moved, not copied).
STAGING_PREFIX = ".restore-"
CHUNK = 1024 * 1024
BATCH = 1000

# Not dumped. Content types and permissions are recreated by migrate, with ids of their own:
# rows refer to them by natural key instead. Sessions die with a restore (and would log
# people in as whoever gets their user id); the task queue is work in flight, not data.
EXCLUDED = ("contenttypes.contenttype", "auth.permission", "sessions.session", "django_tasks_database.dbtaskresult")
# Rows in any of these mean the database is in use: a restore would replace someone's work.
PORTAL_DATA = ("accounts.user", "organizations.organization", "campaigns.campaign")


class BackupError(Exception):
    """A backup cannot be written, or an archive cannot be restored; nothing was changed."""


@dataclass
class Summary:
    path: Path
    rows: int
    files: int
    size: int
    seconds: float

    def line(self, verb):
        return (
            f"{verb} {self.path}: {self.rows} rows, {self.files} files, "
            f"{self.size / 1_000_000:.1f} MB in {self.seconds:.1f} s."
        )


# Migration state -------------------------------------------------------------------------


def _latest_per_app(nodes, graph):
    """The migrations of ``nodes`` that no other migration of the same app in ``nodes`` follows."""
    state = {}
    for app, name in sorted(nodes):
        children = graph.node_map[(app, name)].children
        if not any(child[0] == app and child in nodes for child in children):
            state.setdefault(app, []).append(name)
    return state


def migration_states(alias=DEFAULT_DB_ALIAS):
    """(what the code defines, what the database has applied): the latest migration per app."""
    loader = MigrationLoader(connections[alias], ignore_no_migrations=True)
    graph = loader.graph
    applied = set(loader.applied_migrations) & set(graph.nodes)
    return _latest_per_app(set(graph.nodes), graph), _latest_per_app(applied, graph)


def _state_difference(left, right, left_name, right_name):
    """One line per app whose latest migration differs, e.g. ``awards: archive 0004_x, code 0005_y``."""
    apps_ = sorted(set(left) | set(right))
    return "; ".join(
        f"{app}: {left_name} {', '.join(left.get(app, ['none']))}, {right_name} {', '.join(right.get(app, ['none']))}"
        for app in apps_
        if left.get(app) != right.get(app)
    )


# Database dump ---------------------------------------------------------------------------


class _ExactEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds; a backup keeps the microseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class DumpSerializer(JsonLinesSerializer):
    """JSON lines with plain ids, except for content types and permissions (by natural key)."""

    def _model_supports_natural_key(self, model):
        return model in (ContentType, Permission)

    def end_object(self, obj):
        # json.dumps takes the C encoder; json.dump to a stream (what Django does) writes piece by piece.
        self.stream.write(json.dumps(self.get_dump_object(obj), **self.json_kwargs) + "\n")
        self._current = None


def dumped_models():
    """Every concrete model with a table of its own, minus EXCLUDED (through tables ride with their M2M)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in EXCLUDED
    ]


def _rows(model, alias):
    meta = model._meta
    natural = [f.name for f in meta.concrete_fields if f.is_relation and f.related_model in (ContentType, Permission)]
    queryset = model._base_manager.using(alias).order_by("pk")
    if natural:
        queryset = queryset.select_related(*natural)
    m2m = [f.name for f in meta.many_to_many if f.remote_field.through._meta.auto_created]
    return queryset.prefetch_related(*m2m).iterator(chunk_size=2000)


def write_dump(handle, alias=DEFAULT_DB_ALIAS):
    """Write every row to ``handle`` (text), one JSON object a line; return the rows per model."""
    counts = {}
    serializer = DumpSerializer()
    for model in dumped_models():
        counted = _counting(_rows(model, alias), counts, model._meta.label_lower)
        serializer.serialize(counted, stream=handle, use_natural_foreign_keys=True, cls=_ExactEncoder)
    return counts


def _counting(rows, counts, label):
    counts[label] = 0
    for row in rows:
        counts[label] += 1
        yield row


@contextmanager
def _snapshot(alias):
    """One consistent view of every table for the whole dump, while the portal keeps writing."""
    connection = connections[alias]
    fresh = not connection.in_atomic_block
    with transaction.atomic(using=alias):
        if fresh and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        # SQLite in WAL mode reads from one snapshot for the whole transaction already.
        yield


# Files -----------------------------------------------------------------------------------


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def media_files(root):
    """(name relative to ``root`` with ``/``, path) of every regular file, sorted; a restore's staging is skipped."""
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(s for s in subfolders if not s.startswith(STAGING_PREFIX))
        for name in files:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(root).as_posix(), path))
    return sorted(found)


class _HashingReader:
    """A file read by tarfile while its SHA-256 is computed: each file is read once."""

    def __init__(self, handle):
        self.handle, self.digest = handle, hashlib.sha256()

    def read(self, size=-1):
        block = self.handle.read(size)
        self.digest.update(block)
        return block


def _add_file(archive, path, arcname):
    """Add one file to the archive; return its (SHA-256, size)."""
    info = archive.gettarinfo(path, arcname)
    with open(path, "rb") as handle:
        reader = _HashingReader(handle)
        archive.addfile(info, reader)
    return reader.digest.hexdigest(), info.size


def _add_bytes(archive, data, arcname):
    info = tarfile.TarInfo(arcname)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    with tempfile.SpooledTemporaryFile() as buffer:
        buffer.write(data)
        buffer.seek(0)
        archive.addfile(info, buffer)


# Backup ----------------------------------------------------------------------------------


def default_output():
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"portal-{stamp}.tar.gz"


def _check_migrated(alias):
    code, database = migration_states(alias)
    if code != database:
        difference = _state_difference(database, code, "database", "code")
        raise BackupError(
            f"The database is not at this code's migration state ({difference}). "
            "Back up with the code that matches the database, or migrate first."
        )
    return code


def _manifest(migrations, counts, dump, files, alias):
    return {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database_vendor": connections[alias].vendor,
        "migrations": migrations,
        "excluded": list(EXCLUDED),
        "counts": counts,
        "database": {"name": DUMP, "sha256": dump[0], "size": dump[1]},
        "files": {name: {"sha256": digest, "size": size} for name, (digest, size) in files.items()},
    }


def sign_manifest(data):
    """Hex HMAC-SHA256 of the manifest's bytes under the backup key."""
    return salted_hmac(SIGNATURE_SALT, data, secret=settings.BACKUP_KEY, algorithm="sha256").hexdigest()


def _write_archive(partial, dump_path, migrations, counts, alias):
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
        dump = _add_file(archive, dump_path, DUMP)
        files = {name: _add_file(archive, path, f"{MEDIA}/{name}") for name, path in media_files(media_root)}
        manifest = _manifest(migrations, counts, dump, files, alias)
        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        _add_bytes(archive, data, MANIFEST)
        _add_bytes(archive, sign_manifest(data).encode(), SIGNATURE)
    return len(files)


def create_backup(output=None, *, alias=DEFAULT_DB_ALIAS):
    """Write the database and MEDIA_ROOT to one tar.gz at ``output`` (default var/backups/…); return a Summary.

    The rows are read in one snapshot first, then the files: a file uploaded meanwhile is kept
    too, harmlessly. The archive appears under its name only once complete, readable by its owner only.
    """
    started = time.monotonic()
    output = Path(output) if output else default_output()
    output.parent.mkdir(parents=True, exist_ok=True)
    migrations = _check_migrated(alias)
    partial = output.with_name(output.name + ".partial")
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=output.parent, suffix=".jsonl") as dump:
            with _snapshot(alias):
                counts = write_dump(dump, alias)
            dump.flush()
            files = _write_archive(partial, dump.name, migrations, counts, alias)
        partial.chmod(0o600)
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return Summary(output, sum(counts.values()), files, output.stat().st_size, time.monotonic() - started)


# Restore ---------------------------------------------------------------------------------


def _check_member(member, path):
    name = PurePosixPath(member.name)
    expected = member.name in (MANIFEST, SIGNATURE, DUMP) or (name.parts[:1] == (MEDIA,) and ".." not in name.parts)
    if not expected or not (member.isfile() or member.isdir()):
        raise BackupError(f"{path} holds {member.name!r}, which no portal backup holds.")


_UNSIGNED_HINT = (
    "Set PORTAL_BACKUP_KEY (or SECRET_KEY) to the key of the portal that wrote it; only if you are "
    "sure where the archive comes from, restore with --accept-unsigned."
)


def _check_signature(path, staging):
    signature = staging / SIGNATURE
    if not signature.exists():
        raise BackupError(f"{path} carries no signature, nothing was restored. {_UNSIGNED_HINT}")
    data = (staging / MANIFEST).read_bytes()
    if not constant_time_compare(signature.read_text(encoding="ascii").strip(), sign_manifest(data)):
        raise BackupError(
            f"{path} was not signed with this portal's backup key, or was altered after the backup, "
            f"nothing was restored. {_UNSIGNED_HINT}"
        )


def _unpack(path, staging, *, accept_unsigned=False):
    """Extract the archive into ``staging`` (nothing outside it) and return its manifest."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive.getmembers():
                _check_member(member, path)
            archive.extractall(staging, filter="data")
        if not accept_unsigned:
            _check_signature(path, staging)
        manifest = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, EOFError, tarfile.TarError, zlib.error, ValueError, RecursionError) as exc:
        raise BackupError(f"{path} is not a readable portal backup: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a portal backup of format {FORMAT}.")
    if not _manifest_is_well_formed(manifest):
        raise BackupError(f"{path} has a damaged manifest, nothing was restored.")
    return manifest


def _is_model_label(label):
    try:
        apps.get_model(label)
    except (LookupError, ValueError):
        return False
    return True


def _manifest_is_well_formed(manifest):
    """The manifest is not covered by any checksum: check the shape of every part the restore
    reads, so an edited one is refused instead of crashing half-way (a KeyError, a TypeError)."""

    def strings(value):
        return isinstance(value, list) and all(isinstance(item, str) for item in value)

    def digest(value):
        return isinstance(value, dict) and isinstance(value.get("sha256"), str)

    migrations, counts, files = manifest.get("migrations"), manifest.get("counts"), manifest.get("files")
    return (
        isinstance(migrations, dict)
        and all(isinstance(app, str) and strings(names) for app, names in migrations.items())
        and isinstance(counts, dict)
        and all(_is_model_label(label) and type(count) is int for label, count in counts.items())
        and digest(manifest.get("database"))
        and isinstance(files, dict)
        and all(digest(entry) for entry in files.values())
    )


def _check_migration_state(manifest, alias):
    code, database = migration_states(alias)
    if manifest["migrations"] != code:
        difference = _state_difference(manifest["migrations"], code, "archive", "code")
        raise BackupError(
            f"The archive was made at another migration state than this code ({difference}). "
            "Restore it with the version of the portal that wrote it."
        )
    if database != code:
        raise BackupError("The database is not migrated to this code: run `manage.py migrate` first.")


def _check_checksums(manifest, staging):
    """Every file the manifest lists, and no other, with its SHA-256: else nothing is restored."""
    media = staging / MEDIA
    present = {name for name, _path in media_files(media)} if media.exists() else set()
    expected = manifest["files"]
    problems = [f"missing {name}" for name in sorted(set(expected) - present)]
    problems += [f"not in the manifest: {name}" for name in sorted(present - set(expected))]
    problems += [
        f"SHA-256 mismatch: {name}"
        for name in sorted(present & set(expected))
        if sha256_of(media / name) != expected[name]["sha256"]
    ]
    dump = staging / DUMP
    if not dump.exists() or sha256_of(dump) != manifest["database"]["sha256"]:
        problems.insert(0, f"SHA-256 mismatch: {DUMP}")
    if problems:
        shown = "; ".join(problems[:10]) + ("; …" if len(problems) > 10 else "")
        raise BackupError(f"The archive is damaged or was altered, nothing was restored ({shown}).")


def _check_empty(alias):
    found = {label: apps.get_model(label)._base_manager.using(alias).count() for label in PORTAL_DATA}
    found = {label: count for label, count in found.items() if count}
    if found:
        rows = ", ".join(f"{label}: {count}" for label, count in found.items())
        raise BackupError(
            f"The database already holds portal data ({rows}). Restore into a freshly migrated "
            "database, or pass --force to replace everything in it."
        )


def _clear_tables(alias):
    """Empty every table but content types and permissions (kept: rows refer to them by natural key).

    This also removes what data migrations loaded (kinds, document types, the awards
    catalogue): the archive holds those rows as they were, with their ids.
    """
    connection = connections[alias]
    kept = {ContentType._meta.db_table, Permission._meta.db_table}
    tables = [t for t in connection.introspection.django_table_names(only_existing=True) if t not in kept]
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))


def _batches(deserialized, size=BATCH):
    """Consecutive objects of one model, ``size`` at most: the dump is written model by model."""
    batch = []
    for item in deserialized:
        if batch and (len(batch) == size or type(item.object) is not type(batch[0].object)):
            yield batch
            batch = []
        batch.append(item)
    if batch:
        yield batch


def _insert_rows(model, objects, alias):
    """INSERT as they are (raw: no auto_now, no signals, so no history rows), many a statement."""
    fields = [f for f in model._meta.local_concrete_fields if not f.generated]
    size = max(connections[alias].ops.bulk_batch_size(fields, objects), 1)
    for start in range(0, len(objects), size):
        query = sql.InsertQuery(model)
        query.insert_values(fields, objects[start : start + size], raw=True)
        query.get_compiler(using=alias).execute_sql()


def _insert_links(model, batch, alias):
    """The rows of the auto-created many-to-many tables of ``model`` for the objects of ``batch``."""
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        if not through._meta.auto_created:
            continue
        source = through._meta.get_field(field.m2m_field_name()).attname
        target = through._meta.get_field(field.m2m_reverse_field_name()).attname
        links = [
            through(**{source: item.object.pk, target: pk})
            for item in batch
            for pk in item.m2m_data.get(field.name, [])
        ]
        through._base_manager.using(alias).bulk_create(links, batch_size=BATCH)


def load_dump(path, alias=DEFAULT_DB_ALIAS):
    """Insert every row of a dump written by write_dump; return the rows per model.

    Rows go in as stored, a thousand at a time (``loaddata`` saves one by one, an UPDATE then
    an INSERT each: hours at national scale). Foreign keys are checked once at the end.
    """
    connection = connections[alias]
    counts = {}
    with open(path, encoding="utf-8") as handle, connection.constraint_checks_disabled():
        for batch in _batches(serializers.deserialize("jsonl", handle, using=alias)):
            model = type(batch[0].object)
            _insert_rows(model, [item.object for item in batch], alias)
            _insert_links(model, batch, alias)
            label = model._meta.label_lower
            counts[label] = counts.get(label, 0) + len(batch)
    connection.check_constraints(table_names=connection.introspection.django_table_names(only_existing=True))
    return counts


def _load(dump, manifest, alias):
    try:
        load_dump(dump, alias)
    except Exception as exc:  # any failure of the load, whatever layer raised it, undoes the restore
        raise BackupError(f"The database dump could not be loaded, nothing was restored: {exc}") from exc
    loaded = {label: apps.get_model(label)._base_manager.using(alias).count() for label in manifest["counts"]}
    wrong = [
        f"{label}: {count} in the archive, {loaded[label]} in the database"
        for label, count in manifest["counts"].items()
        if loaded[label] != count
    ]
    if wrong:
        raise BackupError(f"The restored rows do not match the manifest, nothing was restored: {'; '.join(wrong)}.")


def reset_sequences(alias=DEFAULT_DB_ALIAS):
    """What ``sqlsequencereset`` prints for every app, run: new rows get ids after the restored ones."""
    connection = connections[alias]
    models = [m for config in apps.get_app_configs() for m in config.get_models(include_auto_created=True)]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _place_files(staging, names):
    media_root = Path(settings.MEDIA_ROOT)
    for name in names:
        target = media_root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / MEDIA / name, target)


def restore_backup(path, *, force=False, accept_unsigned=False, alias=DEFAULT_DB_ALIAS):
    """Restore an archive written by create_backup; return a Summary.

    Refused, with nothing changed, when the archive is not signed with the backup key (unless
    ``accept_unsigned``), is damaged or altered (any checksum), was
    made at another migration state, or the database already holds portal data (unless
    ``force``: then everything in it is replaced). Files already in MEDIA_ROOT under other
    names are left alone.
    """
    started = time.monotonic()
    path = Path(path)
    ContentType.objects.clear_cache()  # natural keys are looked up through it
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=media_root))
    try:
        manifest = _unpack(path, staging, accept_unsigned=accept_unsigned)
        _check_migration_state(manifest, alias)
        _check_checksums(manifest, staging)
        if not force:
            _check_empty(alias)
        with transaction.atomic(using=alias):
            _clear_tables(alias)
            _load(staging / DUMP, manifest, alias)
            reset_sequences(alias)
            _place_files(staging, manifest["files"])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        ContentType.objects.clear_cache()
    rows, files = sum(manifest["counts"].values()), len(manifest["files"])
    return Summary(path, rows, files, path.stat().st_size, time.monotonic() - started)
