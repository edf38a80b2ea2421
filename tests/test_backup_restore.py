"""The restore drill (scripts/backup.py, scripts/restore.py): a backup of a database holding a
submitted points filing with its proof files, restored into a fresh database and media
directories, has the same row count in every table and the filing's files byte for byte.
PostgreSQL only (pg_dump / pg_restore): `.ci/run` runs it in its PostgreSQL pass."""

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from enterprise_business.models import PointsFiling
from enterprise_business.tests.factories import approved_enterprise, complete, make_batch, pdf

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [
    pytest.mark.django_db(transaction=True),  # committed: pg_dump reads it from another connection
    pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
                       reason="the backup is pg_dump + pg_restore: needs DATABASE_URL pointing to PostgreSQL"),
]
PROOFS = ("balance_sheet", "tax_return", "tax_return_prev", "social_security_proof", "social_security_prev_proof",
          "staff_proof")


def database_url(name):
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def script(*args):
    return subprocess.run([sys.executable, *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=300)


def counts(url):
    import psycopg2

    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        result = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 -- names from the catalogue
            result[table] = cursor.fetchone()[0]
    conn.close()
    return result


def drop(url_of_server, name):
    import psycopg2

    conn = psycopg2.connect(url_of_server)
    conn.autocommit = True
    conn.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


@pytest.fixture
def filing(client):
    enterprise = approved_enterprise()
    batch = make_batch()
    client.force_login(enterprise.user)
    data = complete(**{name: pdf(f"{name}.pdf", b"%PDF-1.4\n" + name.encode() * 50 + b"\n%%EOF\n")
                       for name in PROOFS})
    assert client.post(f"/enterprise/filings/{batch.pk}/", {**data, "submit": ""}).status_code == 302
    filing = PointsFiling.objects.get(enterprise=enterprise, batch=batch)
    assert filing.status == "submitted"
    (Path(settings.MEDIA_ROOT) / "documents").mkdir(parents=True, exist_ok=True)
    (Path(settings.MEDIA_ROOT) / "documents" / "指标说明.pdf").write_bytes(b"%PDF-1.4 public\n%%EOF\n")
    return filing


@pytest.fixture
def backup(filing, tmp_path):
    source = database_url(connection.settings_dict["NAME"])
    result = script("scripts/backup.py", "--database-url", source, "--media", f"public={settings.MEDIA_ROOT}",
                    "--media", f"private={settings.PRIVATE_MEDIA_ROOT}", "--out", tmp_path / "backup")
    assert result.returncode == 0, result.stderr
    return tmp_path / "backup", source


def test_a_restore_into_a_fresh_database_has_every_row_and_the_filings_files(filing, backup, tmp_path):
    backup_dir, source = backup
    name = f"{connection.settings_dict['NAME']}_restore"
    target = database_url(name)
    restored = {"public": tmp_path / "restored-public", "private": tmp_path / "restored-private"}
    try:
        result = script("scripts/restore.py", backup_dir, "--database-url", target, "--replace",
                        *(arg for store, path in restored.items() for arg in ("--media", f"{store}={path}")))
        assert result.returncode == 0, result.stdout + result.stderr
        assert "match the backup" in result.stdout

        before, after = counts(source), counts(target)
        assert after == before and after["enterprise_business_pointsfiling"] == 1
        assert after["core_privatefile"] == len(PROOFS)

        import psycopg2

        columns = ", ".join(f"{proof}_id" for proof in PROOFS)
        with psycopg2.connect(target) as conn, conn.cursor() as cursor:
            cursor.execute(f"SELECT status, {columns} FROM enterprise_business_pointsfiling WHERE id = %s",  # noqa: S608
                           [filing.pk])
            status, *proof_ids = cursor.fetchone()
            cursor.execute("SELECT id, file FROM core_privatefile WHERE id = ANY(%s)", [proof_ids])
            files = dict(cursor.fetchall())
        conn.close()
        assert status == "submitted" and len(files) == len(PROOFS)
        for proof in PROOFS:
            original = getattr(filing, proof)
            name_in_restore = files[original.pk]
            assert name_in_restore == original.file.name
            original_bytes = Path(settings.PRIVATE_MEDIA_ROOT, original.file.name).read_bytes()
            assert (restored["private"] / name_in_restore).read_bytes() == original_bytes
            assert proof.encode() in original_bytes
        assert (restored["public"] / "documents" / "指标说明.pdf").read_bytes() == b"%PDF-1.4 public\n%%EOF\n"
    finally:
        drop(database_url("postgres"), name)


def test_the_drill_checks_counts_and_drops_what_it_restored(backup):
    backup_dir, source = backup
    result = script("scripts/restore.py", backup_dir, "--drill", "--database-url", source)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"into {connection.settings_dict['NAME']}_drill" in result.stdout and "match the backup" in result.stdout

    manifest_path = backup_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["database"]["tables"]["enterprise_business_pointsfiling"] += 1  # a backup that lost a row
    manifest_path.write_text(json.dumps(manifest))
    broken = script("scripts/restore.py", backup_dir, "--drill", "--database-url", source)
    assert broken.returncode == 1
    assert "MISMATCH table enterprise_business_pointsfiling: 1 rows, the backup had 2" in broken.stdout


def test_a_restore_never_lands_on_an_existing_database(backup):
    backup_dir, source = backup
    result = script("scripts/restore.py", backup_dir, "--database-url", source)
    assert result.returncode != 0 and "exists" in result.stdout + result.stderr
