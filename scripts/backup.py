"""`make backup`: the database (pg_dump) and both media stores, public and private, into
backups/<timestamp>/, with a manifest that `make restore` checks the restore against.

    python scripts/backup.py [--database-url URL] [--media public=DIR|s3://BUCKET ...] [--out DIR]

By default everything is read from the environment the site runs with: DATABASE_URL
(PostgreSQL), and MEDIA_ROOT / PRIVATE_MEDIA_ROOT, or, when AWS_STORAGE_BUCKET_NAME is set, the
buckets AWS_STORAGE_BUCKET_NAME / AWS_PRIVATE_STORAGE_BUCKET_NAME at AWS_S3_ENDPOINT_URL.

What is written:
- database.dump: `pg_dump -Fc`, taken in a snapshot exported by a repeatable-read transaction
  that also counts the rows of every table, so the counts in the manifest are exactly what
  the dump holds, whatever the site writes meanwhile;
- media/<store>.tar: every file of the store (read after the dump: a file uploaded meanwhile
  may be there without its row, never a row without its file unless it was deleted meanwhile);
- manifest.json: the row counts, the SHA-256 of the dump and of every media file.

Needs pg_dump of the server's major version or newer (PG_BINDIR selects one) and, for S3,
boto3 (a runtime dependency) with the usual AWS_* credentials.
"""

import argparse
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent


def pg_tool(name: str) -> str:
    bindir = os.environ.get("PG_BINDIR")
    return str(Path(bindir) / name) if bindir else name


def connect(url: str):
    import psycopg2

    return psycopg2.connect(url)


def database_name(url: str) -> str:
    return unquote(urlparse(url).path.lstrip("/"))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def table_counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    counts = {}
    for (table,) in cursor.fetchall():
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 -- quote_ident'ed catalogue names
        counts[table.strip('"')] = cursor.fetchone()[0]
    return counts


def dump_database(url: str, out: Path) -> dict:
    """pg_dump in the snapshot whose row counts go into the manifest."""
    connection = connect(url)
    try:
        cursor = connection.cursor()
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, version = cursor.fetchone()
        counts = table_counts(cursor)
        target = out / "database.dump"
        subprocess.run([pg_tool("pg_dump"), "-Fc", f"--snapshot={snapshot}", "--no-owner", "-f", str(target),  # noqa: S603
                        f"--dbname={url}"], check=True)
        connection.rollback()
    finally:
        connection.close()
    return {"name": database_name(url), "server_version": version, "dump": target.name,
            "bytes": target.stat().st_size, "sha256": sha256_file(target), "tables": counts}


def parse_media(specs: list[str] | None) -> dict[str, str]:
    """{store: location}; a location is a directory or s3://bucket."""
    if specs:
        return dict(spec.split("=", 1) for spec in specs)
    public = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if public:
        return {"public": f"s3://{public}", "private": f"s3://{os.environ['AWS_PRIVATE_STORAGE_BUCKET_NAME'].strip()}"}
    return {"public": os.environ.get("MEDIA_ROOT") or str(ROOT / "media"),
            "private": os.environ.get("PRIVATE_MEDIA_ROOT") or str(ROOT / "private_media")}


def s3_client():
    import boto3

    return boto3.client("s3", endpoint_url=os.environ.get("AWS_S3_ENDPOINT_URL") or None,
                        region_name=os.environ.get("AWS_S3_REGION_NAME") or None)


def media_files(location: str):
    """(name, size, open()) of every file of a store, in name order."""
    if location.startswith("s3://"):
        client, bucket = s3_client(), location[len("s3://"):]
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                yield item["Key"], item["Size"], lambda key=item["Key"]: client.get_object(
                    Bucket=bucket, Key=key)["Body"]
        return
    root = Path(location)
    if not root.is_dir():
        return
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        yield path.relative_to(root).as_posix(), path.stat().st_size, lambda path=path: path.open("rb")


def archive_media(store: str, location: str, out: Path) -> dict:
    target = out / "media" / f"{store}.tar"
    target.parent.mkdir(exist_ok=True)
    files, total = {}, 0
    with tarfile.open(target, "w") as archive:
        for name, size, opener in media_files(location):
            with opener() as source:
                data = source.read()
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), int(time.time())
            archive.addfile(info, io.BytesIO(data))
            files[name] = hashlib.sha256(data).hexdigest()
            total += size
    return {"source": location, "archive": f"media/{target.name}", "files": files, "count": len(files),
            "bytes": total}


def main(argv=None) -> Path:
    parser = argparse.ArgumentParser(description="Back up the database and the media stores.")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--media", action="append", metavar="STORE=DIR|s3://BUCKET",
                        help="a media store to back up (repeatable); default: the site's two stores")
    parser.add_argument("--out", help="default: backups/<timestamp>/")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("DATABASE_URL (or --database-url) must point to the PostgreSQL database")
    started = time.monotonic()
    out = Path(args.out or ROOT / "backups" / datetime.now().strftime("%Y%m%d-%H%M%S"))
    out.mkdir(parents=True, exist_ok=False)
    manifest = {"created_at": datetime.now().astimezone().isoformat(timespec="seconds"),
                "database": dump_database(args.database_url, out), "media": {}}
    for store, location in parse_media(args.media).items():
        manifest["media"][store] = archive_media(store, location, out)
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    database = manifest["database"]
    print(f"Backup {out}: database {database['name']} ({len(database['tables'])} tables, "
          f"{sum(database['tables'].values()):,} rows, dump {database['bytes'] / 1e6:.1f} MB); "
          + "; ".join(f"{store} media {m['count']:,} files, {m['bytes'] / 1e6:.1f} MB"
                      for store, m in manifest["media"].items())
          + f"; {time.monotonic() - started:.1f} s")
    return out


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
