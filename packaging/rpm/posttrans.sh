# %posttrans (runs last, after the old package's %postun restarted the server): on an upgrade the
# new version took a verified snapshot of the database before migrating it (docs/upgrades.md);
# say where. A large database may still be copying: wait for the partial file briefly.
backups=/var/lib/patchmon/backups
waited=0
while ls "$backups"/pre-upgrade-*.partial >/dev/null 2>&1 && [ "$waited" -lt 60 ]; do
  sleep 1
  waited=$((waited + 1))
done
snapshot=$(find "$backups" -maxdepth 1 -name 'pre-upgrade-*.db' -mmin -10 2>/dev/null | sort | tail -n 1)
if [ -n "$snapshot" ]; then
  echo "patchmon: pre-upgrade snapshot: $snapshot"
  echo "patchmon: to go back: sudo systemctl stop patchmon; sudo -u patchmon PATCHMON_DATA_DIR=/var/lib/patchmon patchmon rollback"
fi
exit 0
