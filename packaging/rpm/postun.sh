# %postun: $1 is 1 after an upgrade: restart, so the new version applies pending migrations.
# Erasing keeps /var/lib/patchmon (rpm has no purge); delete it by hand to drop the data.
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null 2>&1 || true
  if [ "$1" -ge 1 ]; then systemctl try-restart patchmon.service >/dev/null 2>&1 || true; fi
fi
exit 0
