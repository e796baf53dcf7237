/* systemd_units: the units a systemd manager has loaded (osquery's Linux schema).
 * Source: org.freedesktop.systemd1.Manager.ListUnits over D-Bus (one call per scan), plus
 * per-unit Properties.Get for unit_file_state, fragment_path, source_path, user and pid, made
 * only when the query reads those columns. An equality constraint on `id` (id = 'x' or
 * id IN (...)) becomes one ListUnitsByPatterns call with those names, so only the named units
 * travel over the bus. No privileges needed: listing units and reading properties is open to
 * every user on the system bus.
 *
 * Bus: the system bus (sd_bus_open_system(), which honours DBUS_SYSTEM_BUS_ADDRESS). Setting
 * HOSTQ_SYSTEMD_BUS=user in the environment makes the table talk to the calling user's manager
 * instead (sd_bus_open_user(), i.e. $DBUS_SESSION_BUS_ADDRESS or $XDG_RUNTIME_DIR/bus); the
 * integration tests use it. No bus or no systemd on it (containers, non-systemd hosts), or no
 * libsystemd.so.0 to talk to it with (loaded with dlopen() on first use), gives zero rows and a
 * debug log, not an error.
 *
 * Hidden extra columns (not in osquery, not part of SELECT *):
 *   pid  BIGINT  the service's MainPID (0 when it has no running main process, NULL for units
 *                that are not services). It is the join column for processes:
 *                SELECT p.pid, s.id, p.name FROM processes p
 *                  JOIN systemd_units s ON s.id LIKE '%.service' AND p.pid = s.pid;
 * unit_file_state is part of osquery's own schema and is visible.
 *
 * Example: SELECT id, active_state, sub_state FROM systemd_units WHERE active_state = 'failed'; */
#include <assert.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/sd_bus_dl.h"
#include "lib/sd_unit_list.h"

enum {
	COL_ID,
	COL_DESCRIPTION,
	COL_LOAD_STATE,
	COL_ACTIVE_STATE,
	COL_SUB_STATE,
	COL_UNIT_FILE_STATE,
	COL_FOLLOWING,
	COL_OBJECT_PATH,
	COL_JOB_ID,
	COL_JOB_TYPE,
	COL_JOB_PATH,
	COL_FRAGMENT_PATH,
	COL_USER,
	COL_SOURCE_PATH,
	COL_PID,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_ID] = {"id", HQ_TYPE_TEXT, HQ_COL_INDEX, "Unique unit identifier"},
	[COL_DESCRIPTION] = {"description", HQ_TYPE_TEXT, 0, "Unit description"},
	[COL_LOAD_STATE] = {"load_state", HQ_TYPE_TEXT, 0,
			    "Reflects whether the unit definition was properly loaded"},
	[COL_ACTIVE_STATE] = {"active_state", HQ_TYPE_TEXT, 0,
			      "The high-level unit activation state, i.e. generalization of SUB"},
	[COL_SUB_STATE] = {"sub_state", HQ_TYPE_TEXT, 0,
			   "The low-level unit activation state, values depend on unit type"},
	[COL_UNIT_FILE_STATE] = {"unit_file_state", HQ_TYPE_TEXT, 0,
				 "Whether the unit file is enabled, e.g. `enabled`, `masked`, "
				 "`disabled`, etc"},
	[COL_FOLLOWING] = {"following", HQ_TYPE_TEXT, 0,
			   "The name of another unit that this unit follows in state"},
	[COL_OBJECT_PATH] = {"object_path", HQ_TYPE_TEXT, 0, "The object path for this unit"},
	[COL_JOB_ID] = {"job_id", HQ_TYPE_BIGINT, 0, "Next queued job id, 0 when no job is queued"},
	[COL_JOB_TYPE] = {"job_type", HQ_TYPE_TEXT, 0,
			  "Job type of the queued job, empty when none"},
	[COL_JOB_PATH] = {"job_path", HQ_TYPE_TEXT, 0,
			  "The object path for the job, \"/\" when none"},
	[COL_FRAGMENT_PATH] = {"fragment_path", HQ_TYPE_TEXT, 0,
			       "The unit file path this unit was read from, if there is any"},
	[COL_USER] = {"user", HQ_TYPE_TEXT, 0,
		      "The configured user, if any (User= of service units)"},
	[COL_SOURCE_PATH] = {"source_path", HQ_TYPE_TEXT, 0,
			     "Path to the (possibly generated) unit configuration file, if any"},
	[COL_PID] = {"pid", HQ_TYPE_BIGINT, HQ_COL_HIDDEN,
		     "Main process id of a service unit (MainPID; 0 when none, NULL for other "
		     "unit types); joins processes.pid"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

#define SD_DEST "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"
#define SD_UNIT "org.freedesktop.systemd1.Unit"
#define SD_SERVICE "org.freedesktop.systemd1.Service"

/* Errors that mean "the data source is not there" rather than "the query failed". */
static bool bus_error_is_absent(const sd_bus_error *e)
{
	return sym_sd_bus_error_has_names(e, "org.freedesktop.DBus.Error.ServiceUnknown",
					  "org.freedesktop.DBus.Error.NameHasNoOwner",
					  "org.freedesktop.DBus.Error.NoServer",
					  "org.freedesktop.DBus.Error.Disconnected");
}

/* Errors of a property Get that only concern that unit (it vanished since the listing, or its
 * type lacks the property): the cell stays NULL. */
static bool bus_error_is_per_unit(const sd_bus_error *e)
{
	return sym_sd_bus_error_has_names(e, "org.freedesktop.DBus.Error.UnknownObject",
					  "org.freedesktop.DBus.Error.UnknownInterface",
					  "org.freedesktop.DBus.Error.UnknownProperty",
					  "org.freedesktop.DBus.Error.InvalidArgs",
					  "org.freedesktop.systemd1.NoSuchUnit",
					  "org.freedesktop.systemd1.LoadFailed");
}

static int open_bus(sd_bus **ret)
{
	const char *mode = getenv("HOSTQ_SYSTEMD_BUS");

	if (mode && *mode && !hq_streq(mode, "system")) {
		if (!hq_streq(mode, "user"))
			return -EINVAL;
		return sym_sd_bus_open_user(ret);
	}
	return sym_sd_bus_open_system(ret);
}

typedef struct scan {
	hq_query_ctx *ctx;
	hq_row_sink *sink;
	sd_bus *bus;
	int error; /* the errno behind a non-zero callback return */
} scan;

/* Reads one string property into the row. Per-unit failures leave the cell NULL. */
static int set_string_property(scan *s, hq_row *row, unsigned col, const char *path,
			       const char *iface, const char *prop)
{
	_cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
	_cleanup_free_ char *value = NULL;
	int r;

	r = sym_sd_bus_get_property_string(s->bus, SD_DEST, path, iface, prop, &error, &value);
	if (r < 0) {
		if (bus_error_is_per_unit(&error)) {
			hq_log_debug("systemd_units: %s of %s unavailable, ignoring: %s", prop,
				     path, error.message ?: "?");
			return 0;
		}
		return hq_ctx_error(s->ctx, r, "systemd_units: reading %s of %s failed: %s", prop,
				    path, error.message ?: strerror(-r));
	}
	hq_row_set_text(row, col, value);
	return 0;
}

static int set_main_pid(scan *s, hq_row *row, const char *path)
{
	_cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
	uint32_t pid = 0;
	int r;

	r = sym_sd_bus_get_property_trivial(s->bus, SD_DEST, path, SD_SERVICE, "MainPID", &error,
					    'u', &pid);
	if (r < 0) {
		if (bus_error_is_per_unit(&error))
			return 0;
		return hq_ctx_error(s->ctx, r, "systemd_units: reading MainPID of %s failed: %s",
				    path, error.message ?: strerror(-r));
	}
	hq_row_set_int64(row, COL_PID, pid);
	return 0;
}

static bool is_service(const char *id)
{
	size_t len = strlen(id);
	return len > 8 && strcmp(id + len - 8, ".service") == 0;
}

static int emit_unit(const hq_sd_unit_info *u, void *userdata)
{
	scan *s = userdata;
	hq_query_ctx *ctx = s->ctx;
	bool service = is_service(u->id);
	hq_row *row;
	int r;

	r = hq_row_begin(s->sink, &row);
	if (r < 0)
		goto fail;

	hq_row_set_text(row, COL_ID, u->id);
	hq_row_set_text(row, COL_DESCRIPTION, u->description);
	hq_row_set_text(row, COL_LOAD_STATE, u->load_state);
	hq_row_set_text(row, COL_ACTIVE_STATE, u->active_state);
	hq_row_set_text(row, COL_SUB_STATE, u->sub_state);
	hq_row_set_text(row, COL_FOLLOWING, u->following);
	hq_row_set_text(row, COL_OBJECT_PATH, u->unit_path);
	hq_row_set_int64(row, COL_JOB_ID, u->job_id);
	hq_row_set_text(row, COL_JOB_TYPE, u->job_type);
	hq_row_set_text(row, COL_JOB_PATH, u->job_path);

	/* The properties cost one round trip each: only for columns the query reads. */
	if (hq_ctx_column_used(ctx, COL_UNIT_FILE_STATE)) {
		r = set_string_property(s, row, COL_UNIT_FILE_STATE, u->unit_path, SD_UNIT,
					"UnitFileState");
		if (r < 0)
			goto fail;
	}
	if (hq_ctx_column_used(ctx, COL_FRAGMENT_PATH)) {
		r = set_string_property(s, row, COL_FRAGMENT_PATH, u->unit_path, SD_UNIT,
					"FragmentPath");
		if (r < 0)
			goto fail;
	}
	if (hq_ctx_column_used(ctx, COL_SOURCE_PATH)) {
		r = set_string_property(s, row, COL_SOURCE_PATH, u->unit_path, SD_UNIT,
					"SourcePath");
		if (r < 0)
			goto fail;
	}
	if (hq_ctx_column_used(ctx, COL_USER)) {
		if (service) {
			r = set_string_property(s, row, COL_USER, u->unit_path, SD_SERVICE, "User");
			if (r < 0)
				goto fail;
		} else
			hq_row_set_text_static(row, COL_USER, "");
	}
	if (service && hq_ctx_column_used(ctx, COL_PID)) {
		r = set_main_pid(s, row, u->unit_path);
		if (r < 0)
			goto fail;
	}

	r = hq_row_commit(s->sink, row);
	if (r < 0)
		goto fail;
	return r > 0 ? 1 : 0; /* 1: a pushed-down LIMIT is satisfied, stop the walk */
fail:
	s->error = r;
	return -1;
}

/* Collects the names of `id = ...` / `id IN (...)` constraints as ListUnitsByPatterns
 * patterns. Returns the count (0: no equality constraint, list everything), or -ENOENT when
 * there are equality constraints but none could name a unit. The strings are borrowed. */
static int collect_id_patterns(hq_query_ctx *ctx, const char ***ret)
{
	_cleanup_free_ const char **names = NULL;
	size_t n = 0, n_eq = 0;

	HQ_CTX_FOREACH_CONSTRAINT (c, ctx, COL_ID) {
		const char **t;

		if (c->op != HQ_OP_EQ)
			continue;
		n_eq++;
		/* Unit names hold no glob characters, so a valid name is an exact pattern;
		 * anything else (NULL, globs, bad suffix) cannot match a unit. */
		if (c->type != HQ_VALUE_TEXT || !hq_sd_unit_name_valid(c->text))
			continue;
		t = realloc(names, (n + 2) * sizeof(*names));
		if (!t)
			return -ENOMEM;
		names = t;
		names[n++] = c->text;
		names[n] = NULL;
	}
	if (n_eq > 0 && n == 0)
		return -ENOENT;
	*ret = TAKE_PTR(names);
	return (int)n;
}

static int list_units(scan *s, const char **patterns, sd_bus_message **ret_reply)
{
	_cleanup_(sym_sd_bus_error_freep) sd_bus_error error = SD_BUS_ERROR_NULL;
	_cleanup_(sym_sd_bus_message_unrefp) sd_bus_message *req = NULL;
	int r;

	if (patterns) {
		r = sym_sd_bus_message_new_method_call(s->bus, &req, SD_DEST, SD_PATH, SD_MANAGER,
						       "ListUnitsByPatterns");
		if (r < 0)
			return hq_ctx_error(s->ctx, r, "systemd_units: building request: %m");
		r = sym_sd_bus_message_append_strv(req, NULL); /* states: any */
		if (r >= 0)
			r = sym_sd_bus_message_append_strv(req, (char **)patterns);
		if (r < 0)
			return hq_ctx_error(s->ctx, r, "systemd_units: building request: %m");

		r = sym_sd_bus_call(s->bus, req, 0, &error, ret_reply);
		if (r >= 0)
			return 1;
		/* systemd before 230 has no ListUnitsByPatterns: list all, SQLite filters. */
		if (!sym_sd_bus_error_has_name(&error, "org.freedesktop.DBus.Error.UnknownMethod"))
			goto fail;
		sym_sd_bus_error_free(&error);
		error = SD_BUS_ERROR_NULL;
	}

	r = sym_sd_bus_call_method(s->bus, SD_DEST, SD_PATH, SD_MANAGER, "ListUnits", &error,
				   ret_reply, NULL);
	if (r >= 0)
		return 1;
fail:
	if (bus_error_is_absent(&error)) {
		hq_log_debug("systemd_units: no systemd manager on the bus: %s",
			     error.message ?: "?");
		return 0;
	}
	return hq_ctx_error(s->ctx, r, "systemd_units: ListUnits failed: %s",
			    error.message ?: strerror(-r));
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	_cleanup_(sym_sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
	_cleanup_(sym_sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	_cleanup_free_ const char **patterns = NULL;
	scan s = {.ctx = ctx, .sink = sink};
	int r;

	r = collect_id_patterns(ctx, &patterns);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return hq_ctx_error(ctx, r, "systemd_units: %m");

	r = hq_dlopen_libsystemd();
	if (r < 0) {
		hq_log_debug("systemd_units: libsystemd.so.0 cannot be loaded, no units");
		return 0;
	}

	r = open_bus(&bus);
	if (r == -EINVAL)
		return hq_ctx_error(ctx, r,
				    "systemd_units: HOSTQ_SYSTEMD_BUS must be 'system' or "
				    "'user'");
	if (r < 0) {
		/* No socket, nobody listening, no $XDG_RUNTIME_DIR: there is no bus here. */
		hq_log_debug("systemd_units: cannot connect to the D-Bus bus, no units: %s",
			     strerror(-r));
		return 0;
	}
	s.bus = bus;

	r = list_units(&s, patterns, &reply);
	if (r <= 0)
		return r;

	r = hq_sd_unit_list_read(reply, emit_unit, &s);
	if (r < 0 && s.error < 0)
		return s.error; /* the message is already set */
	if (r < 0)
		return hq_ctx_error(ctx, r, "systemd_units: malformed ListUnits reply: %m");
	return 0;
}

const hq_table_def hq_table_systemd_units = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "systemd_units",
	.description = "Track systemd units.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
