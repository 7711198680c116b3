# %post: $1 is 1 on installation, 2 on upgrade. Works without systemd (containers).
if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null 2>&1 || true; fi
if [ "$1" -eq 1 ]; then
  cat <<NOTES

PatchMon appliance is installed. Start it and enable it at boot with:
  systemctl enable --now patchmon
  Web interface  http://$(hostname -f 2>/dev/null || hostname):3000  (PORT in /etc/patchmon/patchmon.env)
  Settings       /etc/patchmon/patchmon.env (kept on upgrade)
  Data           /var/lib/patchmon (kept when the package is erased)
  Backups        /var/lib/patchmon/backups (written by: sudo -u patchmon patchmon backup FILE)
  Logs           sudo journalctl -u patchmon
The first start creates the administrator "admin" and prints its password once, to the journal
(the last block is this installation's):
  sudo journalctl -u patchmon -o cat | grep -A2 'First start' | tail -n 3
Or write PATCHMON_ADMIN_PASSWORD=... to /etc/patchmon/local.env before the first start, or set a new
password at any time (PATCHMON_ADMIN_PASSWORD=... in front to choose it) with:
  sudo -u patchmon PATCHMON_DATA_DIR=/var/lib/patchmon patchmon admin reset-password admin
NOTES
elif [ ! -d /run/systemd/system ] && [ -f /var/lib/patchmon/patchmon.db ]; then
  # No systemd: bring the schema up to date now. `migrate` refuses while a server runs there.
  runuser -u patchmon -- env PATCHMON_DATA_DIR=/var/lib/patchmon /usr/bin/patchmon migrate ||
    echo "patchmon: could not migrate /var/lib/patchmon now; the server applies migrations when it starts" >&2
fi
exit 0
