/* Plugin registries (collectd's register-callback model): one list per kind, the registry
 * owns each plugin's state. The daemon's main thread and the extension manager thread may both
 * register, so the lists are guarded by a mutex; lookups hand out borrowed pointers that stay
 * valid until the plugin is unregistered. */
#include <pthread.h>

#include "hq/plugin.h"

typedef struct entry {
	const void *vtable;
	void *state;
} entry;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static entry *lists[_HQ_PLUGIN_KIND_MAX];
static size_t counts[_HQ_PLUGIN_KIND_MAX];

static const char *vt_name(hq_plugin_kind kind, const void *vt)
{
	switch (kind) {
	case HQ_PLUGIN_LOGGER:
		return ((const hq_logger_plugin *)vt)->name;
	case HQ_PLUGIN_CONFIG:
		return ((const hq_config_plugin *)vt)->name;
	case HQ_PLUGIN_DISTRIBUTED:
		return ((const hq_distributed_plugin *)vt)->name;
	default:
		return NULL;
	}
}

static unsigned vt_version(hq_plugin_kind kind, const void *vt)
{
	switch (kind) {
	case HQ_PLUGIN_LOGGER:
		return ((const hq_logger_plugin *)vt)->version;
	case HQ_PLUGIN_CONFIG:
		return ((const hq_config_plugin *)vt)->version;
	case HQ_PLUGIN_DISTRIBUTED:
		return ((const hq_distributed_plugin *)vt)->version;
	default:
		return 0;
	}
}

static void vt_free(hq_plugin_kind kind, const void *vt, void *state)
{
	void (*fn)(void *) = NULL;

	if (!vt)
		return;
	switch (kind) {
	case HQ_PLUGIN_LOGGER:
		fn = ((const hq_logger_plugin *)vt)->free;
		break;
	case HQ_PLUGIN_CONFIG:
		fn = ((const hq_config_plugin *)vt)->free;
		break;
	case HQ_PLUGIN_DISTRIBUTED:
		fn = ((const hq_distributed_plugin *)vt)->free;
		break;
	default:
		break;
	}
	if (fn)
		fn(state);
}

static ssize_t find_locked(hq_plugin_kind kind, const char *name)
{
	for (size_t i = 0; i < counts[kind]; i++)
		if (hq_streq(vt_name(kind, lists[kind][i].vtable), name))
			return (ssize_t)i;
	return -1;
}

int hq_plugin_register(hq_plugin_kind kind, const void *vtable, void *state)
{
	entry *n;
	int r = 0;

	if (kind < 0 || kind >= _HQ_PLUGIN_KIND_MAX || !vtable) {
		if (kind >= 0 && kind < _HQ_PLUGIN_KIND_MAX)
			vt_free(kind, vtable, state);
		return -EINVAL;
	}
	if (vt_version(kind, vtable) != HQ_PLUGIN_ABI_VERSION || !vt_name(kind, vtable)) {
		vt_free(kind, vtable, state);
		return -EINVAL;
	}
	pthread_mutex_lock(&lock);
	if (find_locked(kind, vt_name(kind, vtable)) >= 0)
		r = -EEXIST;
	else {
		n = realloc(lists[kind], (counts[kind] + 1) * sizeof(entry));
		if (!n)
			r = -ENOMEM;
		else {
			lists[kind] = n;
			n[counts[kind]++] = (entry){vtable, state};
		}
	}
	pthread_mutex_unlock(&lock);
	if (r < 0)
		vt_free(kind, vtable, state);
	return r;
}

int hq_plugin_unregister(hq_plugin_kind kind, const char *name)
{
	entry e;
	ssize_t i;

	if (kind < 0 || kind >= _HQ_PLUGIN_KIND_MAX)
		return -EINVAL;
	pthread_mutex_lock(&lock);
	i = find_locked(kind, name);
	if (i < 0) {
		pthread_mutex_unlock(&lock);
		return -ENOENT;
	}
	e = lists[kind][i];
	memmove(&lists[kind][i], &lists[kind][i + 1],
		(counts[kind] - (size_t)i - 1) * sizeof(entry));
	counts[kind]--;
	pthread_mutex_unlock(&lock);
	vt_free(kind, e.vtable, e.state);
	return 0;
}

const void *hq_plugin_find(hq_plugin_kind kind, const char *name, void **ret_state)
{
	const void *vt = NULL;
	ssize_t i;

	if (kind < 0 || kind >= _HQ_PLUGIN_KIND_MAX)
		return NULL;
	pthread_mutex_lock(&lock);
	i = find_locked(kind, name);
	if (i >= 0) {
		vt = lists[kind][i].vtable;
		if (ret_state)
			*ret_state = lists[kind][i].state;
	}
	pthread_mutex_unlock(&lock);
	return vt;
}

const void *hq_plugin_nth(hq_plugin_kind kind, size_t n, const char **ret_name)
{
	const void *vt = NULL;

	if (kind < 0 || kind >= _HQ_PLUGIN_KIND_MAX)
		return NULL;
	pthread_mutex_lock(&lock);
	if (n < counts[kind]) {
		vt = lists[kind][n].vtable;
		if (ret_name)
			*ret_name = vt_name(kind, vt);
	}
	pthread_mutex_unlock(&lock);
	return vt;
}

void hq_plugin_registry_clear(void)
{
	for (int k = 0; k < _HQ_PLUGIN_KIND_MAX; k++) {
		entry *l;
		size_t n;

		pthread_mutex_lock(&lock);
		l = lists[k];
		n = counts[k];
		lists[k] = NULL;
		counts[k] = 0;
		pthread_mutex_unlock(&lock);
		for (size_t i = 0; i < n; i++)
			vt_free((hq_plugin_kind)k, l[i].vtable, l[i].state);
		free(l);
	}
}

void hq_config_sources_free(hq_config_source *sources, size_t n)
{
	for (size_t i = 0; sources && i < n; i++) {
		free(sources[i].name);
		free(sources[i].json);
	}
	free(sources);
}

/* Built-ins: each plugin file exports hq_<kind>_<name> (vtable) and, when it needs state,
 * hq_<kind>_<name>_new(). */
#define HQ_LOGGER(n)                                                                               \
	extern const hq_logger_plugin hq_logger_##n;                                               \
	void *hq_logger_##n##_new(void);
#define HQ_CONFIG(n)                                                                               \
	extern const hq_config_plugin hq_config_##n;                                               \
	void *hq_config_##n##_new(void);
#include "plugins.list"
#undef HQ_LOGGER
#undef HQ_CONFIG

int hq_plugins_register_builtin(void)
{
	int r;

#define HQ_LOGGER(n)                                                                               \
	if (!hq_plugin_find(HQ_PLUGIN_LOGGER, hq_logger_##n.name, NULL)) {                         \
		void *st = hq_logger_##n##_new();                                                  \
		if (!st)                                                                           \
			return -ENOMEM;                                                            \
		r = hq_plugin_register(HQ_PLUGIN_LOGGER, &hq_logger_##n, st);                      \
		if (r < 0)                                                                         \
			return r;                                                                  \
	}
#define HQ_CONFIG(n)                                                                               \
	if (!hq_plugin_find(HQ_PLUGIN_CONFIG, hq_config_##n.name, NULL)) {                         \
		void *st = hq_config_##n##_new();                                                  \
		if (!st)                                                                           \
			return -ENOMEM;                                                            \
		r = hq_plugin_register(HQ_PLUGIN_CONFIG, &hq_config_##n, st);                      \
		if (r < 0)                                                                         \
			return r;                                                                  \
	}
#include "plugins.list"
#undef HQ_LOGGER
#undef HQ_CONFIG
	return 0;
}
