#!/usr/bin/env bash
# Nightly backup (docs/deploy.md, section 8): a pg_dump of the whole database, the uploaded photos,
# and the directory as fixtures. Keeps 14 days. Run as the solozere user from cron.
set -euo pipefail
cd "$(dirname "$0")/.."
set -a; . /etc/solozere.env; set +a
target="${BACKUP_DIR:-/var/backups/solozere}"
day="$(date +%F)"
mkdir -p "$target/fixtures-$day"
pg_dump --format=custom --file="$target/$day.dump" "$DATABASE_URL"
tar czf "$target/media-$day.tgz" -C "$MEDIA_ROOT" .
.venv/bin/python manage.py export_fixtures --output "$target/fixtures-$day"
find "$target" -mindepth 1 -maxdepth 1 -mtime +14 -exec rm -rf {} +
