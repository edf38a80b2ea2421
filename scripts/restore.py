"""`make restore`: a backup of scripts/backup.py into a fresh database and media stores, then
checked against its manifest: the row count of every table, the SHA-256 of every file.

    python scripts/restore.py BACKUP_DIR --database-url TARGET_URL [--media public=DIR|s3://BUCKET ...]
    python scripts/restore.py BACKUP_DIR --drill [--database-url SERVER_URL]

The target database must not exist (it is created; `--replace` drops one that does), so a
restore never lands on top of live data by mistake. Media go to the directories or buckets
given, by default those of the environment (MEDIA_ROOT / PRIVATE_MEDIA_ROOT, or the S3
buckets), as in scripts/backup.py.

`--drill` is the restore drill: the database goes to a fresh `<name>_drill` on the server of
`--database-url` (default DATABASE_URL), the media to a temporary directory; both are checked
and then dropped. Exits 1 when anything differs.
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

from backup import connect, database_name, parse_media, pg_tool, s3_client, sha256_file, table_counts  # noqa: E402


def with_database(url: str, name: str) -> str:
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


def create_database(url: str, replace: bool):
    name = database_name(url)
    server = connect(with_database(url, "postgres"))
    server.autocommit = True
    try:
        cursor = server.cursor()
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone():
            if not replace:
                raise SystemExit(f"restore: database {name} exists; restore into a new one, or pass --replace")
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        server.close()


def drop_database(url: str):
    server = connect(with_database(url, "postgres"))
    server.autocommit = True
    try:
        server.cursor().execute(f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')
    finally:
        server.close()


def restore_database(backup: Path, manifest: dict, url: str, replace: bool) -> list[str]:
    dump = backup / manifest["dump"]
    if sha256_file(dump) != manifest["sha256"]:
        raise SystemExit(f"restore: {dump} does not match its checksum in the manifest")
    create_database(url, replace)
    subprocess.run([pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--jobs=2",  # noqa: S603
                    f"--dbname={url}", str(dump)], check=True)
    connection = connect(url)
    try:
        connection.cursor().execute("ANALYZE")
        counts = table_counts(connection.cursor())
    finally:
        connection.close()
    expected = manifest["tables"]
    return [f"table {table}: {counts.get(table)} rows, the backup had {rows}" for table, rows in expected.items()
            if counts.get(table) != rows] + [f"table {table} is not in the backup" for table in counts
                                            if table not in expected]


def restore_media(backup: Path, store: dict, location: str) -> list[str]:
    problems = []
    with tarfile.open(backup / store["archive"]) as archive:
        for member in archive:
            if not member.isfile() or member.name not in store["files"]:
                problems.append(f"{store['archive']}: unexpected entry {member.name}")
                continue
            data = archive.extractfile(member).read()
            if hashlib.sha256(data).hexdigest() != store["files"][member.name]:
                problems.append(f"{store['archive']}: {member.name} differs from its checksum")
                continue
            if location.startswith("s3://"):
                s3_client().put_object(Bucket=location[len("s3://"):], Key=member.name, Body=data)
            else:
                target = Path(location, member.name).resolve()
                if not target.is_relative_to(Path(location).resolve()):
                    problems.append(f"{store['archive']}: {member.name} points outside the store")
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
    problems += [f"{location}: {name} missing after the restore" for name, digest in store["files"].items()
                 if stored_digest(location, name) != digest]
    return problems


def stored_digest(location: str, name: str) -> str | None:
    """The SHA-256 of a file as the restored store now holds it (read back)."""
    if location.startswith("s3://"):
        from botocore.exceptions import ClientError

        try:
            body = s3_client().get_object(Bucket=location[len("s3://"):], Key=name)["Body"].read()
        except ClientError:
            return None
        return hashlib.sha256(body).hexdigest()
    path = Path(location, name)
    return sha256_file(path) if path.is_file() else None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Restore a backup of scripts/backup.py and check it.")
    parser.add_argument("backup", type=Path)
    parser.add_argument("--database-url", default=os.environ.get("RESTORE_DATABASE_URL", ""),
                        help="the database to create and restore into (default RESTORE_DATABASE_URL)")
    parser.add_argument("--media", action="append", metavar="STORE=DIR|s3://BUCKET")
    parser.add_argument("--replace", action="store_true", help="drop the target database first if it exists")
    parser.add_argument("--drill", action="store_true",
                        help="restore into <name>_drill and a temporary directory, check, then drop both")
    parser.add_argument("--keep", action="store_true", help="with --drill: keep what was restored")
    args = parser.parse_args(argv)
    manifest = json.loads((args.backup / "manifest.json").read_text())
    url, scratch = args.database_url, None
    if args.drill:
        server = url or os.environ.get("DATABASE_URL", "")
        if not server:
            parser.error("--drill needs --database-url or DATABASE_URL for the server to restore on")
        url = with_database(server, f"{manifest['database']['name']}_drill")
        scratch = Path(tempfile.mkdtemp(prefix="portal-restore-drill-"))
        media = {store: str(scratch / store) for store in manifest["media"]}
        args.replace = True
    else:
        media = parse_media(args.media)
    if not url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url (or RESTORE_DATABASE_URL) must name the PostgreSQL database to create")
    started = time.monotonic()
    problems = restore_database(args.backup, manifest["database"], url, args.replace)
    database_seconds = time.monotonic() - started
    for store, entry in manifest["media"].items():
        if store not in media:
            problems.append(f"no target for the {store} media store")
            continue
        problems += restore_media(args.backup, entry, media[store])
    tables = manifest["database"]["tables"]
    files = sum(entry["count"] for entry in manifest["media"].values())
    print(f"Restore of {args.backup} into {database_name(url)}: {len(tables)} tables, {sum(tables.values()):,} rows "
          f"({database_seconds:.1f} s); {files:,} media files into "
          + ", ".join(f"{store} → {location}" for store, location in media.items())
          + f"; {time.monotonic() - started:.1f} s in all")
    for problem in problems:
        print(f"  MISMATCH {problem}")
    print("Row counts of every table and every file's SHA-256 match the backup." if not problems
          else f"{len(problems)} mismatches.")
    if args.drill and not args.keep:
        drop_database(url)
        shutil.rmtree(scratch, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
