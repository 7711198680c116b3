# %pre: the service user exists before the files it owns are unpacked.
getent group patchmon >/dev/null || groupadd -r patchmon
getent passwd patchmon >/dev/null || useradd -r -g patchmon -d /var/lib/patchmon -s /sbin/nologin -c "PatchMon appliance" patchmon
exit 0
