"""Hostile backup archives through core.backup.restore_backup.

One real archive of a small portal is written; each example damages it: cut short, bytes
flipped, not gzip at all, members added, removed or rewritten (the manifest, the dump, a
file), sometimes with the checksums recomputed so the damage reaches the loading step. The
restore either succeeds or raises BackupError; any other exception, a changed row count or a
stray file under MEDIA_ROOT fails.
"""

import gzip
import hashlib
import io
import json
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from hypothesis import given
from hypothesis import strategies as st

from core.backup import BackupError, create_backup, restore_backup
from tests.fuzz.strategies import hostile_text
from tests.fuzz.test_import_json import json_values

# Transactional: on PostgreSQL the restore's TRUNCATE refuses to run in a transaction that still
# has deferred foreign-key checks pending (the fixtures' rows), as it never does in production.
pytestmark = pytest.mark.django_db(transaction=True)


def members_of(archive):
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        return [(m, tar.extractfile(m).read() if m.isfile() else b"") for m in tar.getmembers()]


def pack(members, *, gzipped=True):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz" if gzipped else "w") as tar:
        for member, data in members:
            member = tarfile.TarInfo(member.name) if isinstance(member, tarfile.TarInfo) else member
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    return buffer.getvalue()


def resealed(members):
    """The manifest's checksums made to match the (changed) dump and files again."""
    manifest = next((json.loads(d) for m, d in members if m.name == "manifest.json"), None)
    if not isinstance(manifest, dict):
        return members
    try:
        for member, data in members:
            if member.name == "database.jsonl":
                manifest["database"]["sha256"] = hashlib.sha256(data).hexdigest()
            elif member.name.startswith("media/") and member.name[6:] in manifest["files"]:
                manifest["files"][member.name[6:]]["sha256"] = hashlib.sha256(data).hexdigest()
    except (KeyError, TypeError):
        return members
    return [(m, json.dumps(manifest).encode() if m.name == "manifest.json" else d) for m, d in members]


@st.composite
def damaged(draw, archive):
    members = members_of(archive)
    kind = draw(st.sampled_from(["bytes", "manifest", "dump", "dump", "media", "members"]))
    if kind == "bytes":
        return draw(
            st.one_of(
                st.integers(0, len(archive) - 1).map(lambda n: archive[:n]),
                st.tuples(st.integers(0, len(archive) - 1), st.integers(1, 255)).map(
                    lambda p: archive[: p[0]] + bytes([archive[p[0]] ^ p[1]]) + archive[p[0] + 1 :]
                ),
                st.binary(max_size=300),
                st.just(gzip.decompress(archive)),  # a plain tar
                st.just(gzip.compress(b"not a tar" * 100)),
            )
        )
    if kind == "manifest":
        index = next(i for i, (m, _d) in enumerate(members) if m.name == "manifest.json")
        manifest = json.loads(members[index][1])
        key = draw(st.sampled_from(sorted(manifest)))
        change = draw(st.sampled_from(["value", "delete", "raw", "deep"]))
        if change == "value":
            manifest[key] = draw(json_values)
            data = json.dumps(manifest).encode()
        elif change == "delete":
            del manifest[key]
            data = json.dumps(manifest).encode()
        elif change == "deep":
            data = b"[" * 100_000 + b"]" * 100_000
        else:
            data = draw(st.binary(max_size=200))
        members[index] = (members[index][0], data)
    elif kind in ("dump", "media"):
        name = (
            "database.jsonl"
            if kind == "dump"
            else next((m.name for m, _d in members if m.name.startswith("media/") and m.isfile()), None)
        )
        index = next(i for i, (m, _d) in enumerate(members) if m.name == name)
        lines = members[index][1].decode().splitlines()
        position = draw(st.integers(0, len(lines) - 1))
        change = draw(st.sampled_from(["field", "line", "drop", "duplicate"]))
        if change == "field" and kind == "dump":
            row = json.loads(lines[position])
            fields = row["fields"]
            if fields:
                fields[draw(st.sampled_from(sorted(fields)))] = draw(json_values)
            else:
                row["pk"] = draw(json_values)
            lines[position] = json.dumps(row)
        elif change == "line" or change == "field":
            lines[position] = draw(hostile_text)
        elif change == "drop":
            del lines[position]
        else:
            lines.insert(position, lines[position])
        members[index] = (members[index][0], ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"))
        if draw(st.booleans()):
            members = resealed(members)
    else:
        change = draw(st.sampled_from(["remove", "foreign", "symlink", "escape"]))
        if change == "remove":
            del members[draw(st.integers(0, len(members) - 1))]
        elif change == "symlink":
            link = tarfile.TarInfo("media/link")
            link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
            members.append((link, b""))
        else:
            name = {
                "foreign": draw(st.sampled_from(["notes.txt", "media.jsonl", "/tmp/x"])),
                "escape": "media/../../x",
            }[change]
            members.append((tarfile.TarInfo(name), b"x"))
    return pack(members)


def test_restore_survives_damaged_archives(tree, personas, settings, tmp_path, counts, fuzz_stats):
    default_storage.save("evidence/bien-ban.pdf", ContentFile(b"%PDF-1.7 test"))
    good = tmp_path / "good.tar.gz"
    create_backup(good)
    archive = good.read_bytes()
    media_before = sorted(p.relative_to(settings.MEDIA_ROOT) for p in settings.MEDIA_ROOT.rglob("*"))
    path = tmp_path / "fuzzed.tar.gz"

    @given(damaged(archive))
    def run(content):
        path.write_bytes(content)
        before = counts()
        fuzz_stats["cases"] += 1
        try:
            restore_backup(path, force=True)
        except BackupError as error:
            fuzz_stats["rejected"] += 1
            assert str(error)
            assert counts.diff(before) == {}, "a refused restore changed rows"
        else:
            fuzz_stats["accepted"] += 1
        media = sorted(p.relative_to(settings.MEDIA_ROOT) for p in settings.MEDIA_ROOT.rglob("*"))
        assert media == media_before, "a restore left files behind"

    run()
