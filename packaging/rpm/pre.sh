# %pre: the service user exists before the files it owns are unpacked. The definition is the
# sysusers.d file this package installs (not on disk yet, hence --replace with the same line).
if command -v systemd-sysusers >/dev/null 2>&1; then
  systemd-sysusers --replace=/usr/lib/sysusers.d/patchmon.conf - <<'SYSUSERS'
u patchmon - "PatchMon appliance" /var/lib/patchmon
SYSUSERS
else
  getent group patchmon >/dev/null || groupadd -r patchmon
  getent passwd patchmon >/dev/null || useradd -r -g patchmon -d /var/lib/patchmon -s /sbin/nologin -c "PatchMon appliance" patchmon
fi
exit 0
