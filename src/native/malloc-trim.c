/*
 * malloc_trim(0) for Node: glibc keeps memory freed by a burst of work (SQLite, HTTP buffers,
 * V8's off-heap allocations) inside its arenas, where it still counts as resident. The idle
 * memory release (src/jobs/idle-memory-release.ts) calls trim() to hand those pages back.
 * Node-API only, so one build works on every Node version; compiled by packaging/native-build.ts.
 */
#include <malloc.h>
#include <node_api.h>

static napi_value trim(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  napi_get_boolean(env, malloc_trim(0) == 1, &result);
  return result;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_value fn;
  if (napi_create_function(env, "trim", NAPI_AUTO_LENGTH, trim, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "trim", fn) != napi_ok) return NULL;
  return exports;
}
