/*
 * malloc_trim(0) for Node: glibc keeps memory freed by a burst of work (SQLite, HTTP buffers,
 * V8's off-heap allocations) inside its arenas, where it still counts as resident. The idle
 * memory release (src/jobs/idle-memory-release.ts) calls trim() to hand those pages back.
 * drop(start, length) is madvise(MADV_DONTNEED) on a range of the executable's own read-only file
 * pages (src/native/malloc-trim.ts chooses the ranges): they leave this process's resident set and
 * stay in the page cache, from where a later access maps them back.
 * Node-API only, so one build works on every Node version; compiled by packaging/native-build.ts.
 */
#include <malloc.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include <node_api.h>

static napi_value trim(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  napi_get_boolean(env, malloc_trim(0) == 1, &result);
  return result;
}

static napi_value drop(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  double start = 0, length = 0;
  bool ok = napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc == 2 &&
            napi_get_value_double(env, argv[0], &start) == napi_ok && napi_get_value_double(env, argv[1], &length) == napi_ok;
  long page = sysconf(_SC_PAGESIZE);
  /* Addresses below 2^53 are exact in a double; anything unaligned or empty is refused. */
  if (ok) ok = start > 0 && length > 0 && start < 9007199254740992.0 && length < 9007199254740992.0;
  if (ok) ok = ((uintptr_t)start % (uintptr_t)page) == 0 && ((size_t)length % (size_t)page) == 0;
  if (ok) ok = madvise((void *)(uintptr_t)start, (size_t)length, MADV_DONTNEED) == 0;
  napi_value result;
  napi_get_boolean(env, ok, &result);
  return result;
}

static int export_function(napi_env env, napi_value exports, const char *name, napi_callback cb) {
  napi_value fn;
  if (napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn) != napi_ok) return 0;
  return napi_set_named_property(env, exports, name, fn) == napi_ok;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  if (!export_function(env, exports, "trim", trim) || !export_function(env, exports, "drop", drop)) return NULL;
  return exports;
}
