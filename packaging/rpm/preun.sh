# %preun: $1 is 0 when the package is erased (not upgraded): stop and disable the service.
if [ "$1" -eq 0 ] && [ -d /run/systemd/system ]; then
  systemctl --no-reload disable --now patchmon.service >/dev/null 2>&1 || true
fi
exit 0
