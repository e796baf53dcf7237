/* users: local user accounts.
 * Source: <root>/etc/passwd parsed directly (no NSS), so LDAP/SSSD accounts are not walked;
 * with include_remote = 1 on the live host, NSS (getpwent) users are added. No privileges.
 * Example: SELECT uid, username, shell FROM users WHERE uid = 0; */
#include <assert.h>
#include <pwd.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/int_constraint.h"
#include "lib/passwd.h"

enum {
	COL_UID,
	COL_GID,
	COL_UID_SIGNED,
	COL_GID_SIGNED,
	COL_USERNAME,
	COL_DESCRIPTION,
	COL_DIRECTORY,
	COL_SHELL,
	COL_UUID,
	COL_PID_WITH_NAMESPACE,
	COL_INCLUDE_REMOTE,
	COL_TYPE,
	COL_IS_HIDDEN,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_UID] = {"uid", HQ_TYPE_BIGINT, HQ_COL_INDEX, "User ID"},
	[COL_GID] = {"gid", HQ_TYPE_BIGINT, 0, "Group ID (unsigned)"},
	[COL_UID_SIGNED] = {"uid_signed", HQ_TYPE_BIGINT, 0, "User ID as int64 signed"},
	[COL_GID_SIGNED] = {"gid_signed", HQ_TYPE_BIGINT, 0, "Default group ID as int64 signed"},
	[COL_USERNAME] = {"username", HQ_TYPE_TEXT, HQ_COL_ADDITIONAL, "Username"},
	[COL_DESCRIPTION] = {"description", HQ_TYPE_TEXT, 0, "Optional user description"},
	[COL_DIRECTORY] = {"directory", HQ_TYPE_TEXT, 0, "User's home directory"},
	[COL_SHELL] = {"shell", HQ_TYPE_TEXT, 0, "User's configured default shell"},
	[COL_UUID] = {"uuid", HQ_TYPE_TEXT, HQ_COL_INDEX | HQ_COL_COLLATE_NOCASE,
		      "User's UUID (macOS) or SID (Windows)"},
	[COL_PID_WITH_NAMESPACE] = {"pid_with_namespace", HQ_TYPE_INTEGER, HQ_COL_INPUT,
				    "Pids that contain a namespace"},
	[COL_INCLUDE_REMOTE] = {"include_remote", HQ_TYPE_INTEGER, HQ_COL_INPUT,
				"1 to include remote (LDAP/AD) accounts (default 0)"},
	[COL_TYPE] = {"type", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
		      "Whether the account is roaming, local or a system profile (Windows)"},
	[COL_IS_HIDDEN] = {"is_hidden", HQ_TYPE_INTEGER, HQ_COL_HIDDEN,
			   "IsHidden attribute set in OpenDirectory (macOS)"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

/* The uid and username equality constraints (IN lists included). A row must match one value of
 * each constrained column; SQLite re-checks everything, so this only has to be a superset. */
typedef struct filter {
	bool by_uid, by_name;
	int64_t uids[64];
	size_t n_uids;
	bool uid_overflow; /* too many values to keep: do not narrow by uid */
} filter;

static void filter_init(hq_query_ctx *ctx, filter *f)
{
	memset(f, 0, sizeof(*f));
	HQ_CTX_FOREACH_CONSTRAINT (c, ctx, COL_UID) {
		if (c->op != HQ_OP_EQ)
			continue;
		f->by_uid = true;
		int64_t v;
		if (!hq_constraint_int64(c, &v))
			continue; /* matches no row */
		if (f->n_uids == HQ_ELEMENTSOF(f->uids))
			f->uid_overflow = true;
		else
			f->uids[f->n_uids++] = v;
	}
	if (f->uid_overflow)
		f->by_uid = false;
	f->by_name = hq_ctx_has_constraint(ctx, COL_USERNAME, HQ_OP_EQ);
}

static bool filter_match(hq_query_ctx *ctx, const filter *f, uint32_t uid, const char *name)
{
	if (f->by_uid) {
		bool found = false;
		for (size_t i = 0; i < f->n_uids && !found; i++)
			found = f->uids[i] == (int64_t)uid;
		if (!found)
			return false;
	}
	if (f->by_name) {
		bool found = false;
		HQ_CTX_FOREACH_CONSTRAINT (c, ctx, COL_USERNAME) {
			if (c->op == HQ_OP_EQ && c->type != HQ_VALUE_NULL && c->text &&
			    strlen(name) == c->len && memcmp(name, c->text, c->len) == 0) {
				found = true;
				break;
			}
		}
		if (!found)
			return false;
	}
	return true;
}

static int emit(hq_row_sink *sink, const hq_passwd_entry *e, int64_t include_remote)
{
	hq_row *row;
	int r = hq_row_begin(sink, &row);
	if (r < 0)
		return r;
	hq_row_set_int64(row, COL_UID, e->uid);
	hq_row_set_int64(row, COL_GID, e->gid);
	hq_row_set_int64(row, COL_UID_SIGNED, (int32_t)e->uid);
	hq_row_set_int64(row, COL_GID_SIGNED, (int32_t)e->gid);
	hq_row_set_text(row, COL_USERNAME, e->name);
	hq_row_set_text(row, COL_DESCRIPTION, e->gecos);
	hq_row_set_text(row, COL_DIRECTORY, e->dir);
	hq_row_set_text(row, COL_SHELL, e->shell);
	hq_row_set_int64(row, COL_PID_WITH_NAMESPACE, 0);
	hq_row_set_int64(row, COL_INCLUDE_REMOTE, include_remote);
	return hq_row_commit(sink, row);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the NSS accounts that /etc/passwd did not list. seen is sorted. */
static int emit_remote(hq_query_ctx *ctx, hq_row_sink *sink, const filter *f, char **seen,
		       size_t n_seen)
{
	struct passwd pw, *res;
	char buf[16384];
	int r = 0;

	setpwent();
	while (getpwent_r(&pw, buf, sizeof(buf), &res) == 0 && res) {
		const char *name = pw.pw_name;
		if (bsearch(&name, seen, n_seen, sizeof(char *), cmp_str))
			continue;
		if (!filter_match(ctx, f, pw.pw_uid, pw.pw_name))
			continue;
		hq_passwd_entry e = {
			.name = pw.pw_name,
			.uid = pw.pw_uid,
			.gid = pw.pw_gid,
			.gecos = pw.pw_gecos,
			.dir = pw.pw_dir,
			.shell = pw.pw_shell,
		};
		r = emit(sink, &e, 1);
		if (r != 0)
			break;
	}
	endpwent();
	return r;
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	filter f;
	filter_init(ctx, &f);

	int64_t include_remote = 0;
	HQ_CTX_FOREACH_CONSTRAINT (c, ctx, COL_INCLUDE_REMOTE) {
		int64_t v;
		if (c->op == HQ_OP_EQ && hq_constraint_int64(c, &v) && v != 0)
			include_remote = 1;
	}

	_cleanup_free_ char *buf = NULL;
	size_t size;
	int r = hq_ctx_read_file(ctx, "/etc/passwd", 64 << 20, &buf, &size);
	if (r == -ENOENT) {
		hq_log_debug("users: no /etc/passwd");
		size = 0;
	} else if (r < 0) {
		return hq_ctx_error(ctx, r, "failed to read /etc/passwd: %m");
	}

	bool remote = include_remote && hq_ctx_root(ctx)[0] == '\0';
	_cleanup_free_ char **seen = NULL;
	size_t n_seen = 0, cap_seen = 0;

	char *save = NULL;
	for (char *line = buf ? strtok_r(buf, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		hq_passwd_entry e;
		if (hq_passwd_parse_line(line, &e) < 0)
			continue;
		if (remote) {
			if (n_seen == cap_seen) {
				size_t ncap = cap_seen ? cap_seen * 2 : 64;
				char **nv = realloc(seen, ncap * sizeof(char *));
				if (!nv)
					return -ENOMEM;
				seen = nv;
				cap_seen = ncap;
			}
			seen[n_seen++] = (char *)e.name;
		}
		if (!filter_match(ctx, &f, e.uid, e.name))
			continue;
		r = emit(sink, &e, include_remote);
		if (r != 0)
			return r > 0 ? 0 : r;
	}

	if (remote) {
		if (n_seen > 1)
			qsort(seen, n_seen, sizeof(char *), cmp_str);
		r = emit_remote(ctx, sink, &f, seen, n_seen);
		if (r != 0)
			return r > 0 ? 0 : r;
	}
	return 0;
}

const hq_table_def hq_table_users = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "users",
	.description =
		"Local user accounts (including domain accounts that have logged on locally (Windows)).",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
