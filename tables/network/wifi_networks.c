/* wifi_networks: the Wi-Fi networks this host has saved (osquery's macOS schema, for Linux).
 * Source, all below the host-path root:
 *   NetworkManager profiles in /run/NetworkManager/system-connections (runtime),
 *     /etc/NetworkManager/system-connections and /usr/lib/NetworkManager/system-connections,
 *     a profile in an earlier directory shadowing one with the same UUID in a later one;
 *     last connection times from /var/lib/NetworkManager/timestamps;
 *   wpa_supplicant network={} blocks in /etc/wpa_supplicant/ *.conf and
 *     /etc/wpa_supplicant.conf;
 *   iwd network files /var/lib/iwd/ *.psk|*.open|*.8021x (SSID from the file name, "=hex" names
 *     decoded; the file's mtime is iwd's record of the last connection).
 * Privileges: root, as these files are usually mode 0600; unreadable files are skipped.
 * Secrets (PSKs, passwords, WEP keys) are never read into a row.
 *
 * Columns follow osquery's macOS table; what Linux configurations do not record stays NULL
 * (captive portal, roaming, passpoint details, add reason...). security_type uses osquery's
 * labels plus "WPA3 Personal", "WPA3 Transition", "WPA3 Enterprise" and "OWE". network_name is
 * the SSID text (bytes that are not printable UTF-8 appear as \xHH); ssid is the raw bytes as
 * grouped hex. Extra column: source, the file the network was read from.
 *
 * Example: SELECT network_name, security_type, auto_join, source FROM wifi_networks; */
#include <assert.h>
#include <dirent.h>
#include <sys/stat.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/keyfile.h"
#include "lib/wifi_config.h"

enum {
	COL_SSID,
	COL_NETWORK_NAME,
	COL_SECURITY_TYPE,
	COL_LAST_CONNECTED,
	COL_LAST_CONNECTED_AUTOMATIC,
	COL_LAST_CONNECTED_MANUAL,
	COL_PASSPOINT,
	COL_POSSIBLY_HIDDEN,
	COL_ROAMING,
	COL_ROAMING_PROFILE,
	COL_AUTO_LOGIN,
	COL_TEMPORARILY_DISABLED,
	COL_DISABLED,
	COL_ADD_REASON,
	COL_ADDED_AT,
	COL_CAPTIVE_PORTAL,
	COL_CAPTIVE_LOGIN_DATE,
	COL_WAS_CAPTIVE_NETWORK,
	COL_AUTO_JOIN,
	COL_PERSONAL_HOTSPOT,
	COL_SOURCE,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_SSID] = {"ssid", HQ_TYPE_TEXT, 0, "SSID octets of the network"},
	[COL_NETWORK_NAME] = {"network_name", HQ_TYPE_TEXT, 0, "Name of the network"},
	[COL_SECURITY_TYPE] = {"security_type", HQ_TYPE_TEXT, 0,
			       "Type of security on this network"},
	[COL_LAST_CONNECTED] = {"last_connected", HQ_TYPE_INTEGER, HQ_COL_HIDDEN,
				"Last time this network was connected to as a unix_time"},
	[COL_LAST_CONNECTED_AUTOMATIC] = {"last_connected_automatic", HQ_TYPE_INTEGER, 0,
					  "Last time this network was automatically connected "
					  "to as a unix_time"},
	[COL_LAST_CONNECTED_MANUAL] = {"last_connected_manual", HQ_TYPE_INTEGER, 0,
				       "Last time this network was manually connected to as a "
				       "unix_time"},
	[COL_PASSPOINT] = {"passpoint", HQ_TYPE_INTEGER, HQ_COL_HIDDEN,
			   "1 if Passpoint is supported, 0 otherwise"},
	[COL_POSSIBLY_HIDDEN] = {"possibly_hidden", HQ_TYPE_INTEGER, 0,
				 "1 if network is possibly a hidden network, 0 otherwise"},
	[COL_ROAMING] = {"roaming", HQ_TYPE_INTEGER, HQ_COL_HIDDEN,
			 "1 if roaming is supported, 0 otherwise"},
	[COL_ROAMING_PROFILE] = {"roaming_profile", HQ_TYPE_TEXT, 0,
				 "Describe the roaming profile, usually one of Single, Dual or "
				 "Multi"},
	[COL_AUTO_LOGIN] = {"auto_login", HQ_TYPE_INTEGER, HQ_COL_HIDDEN,
			    "1 if auto login is enabled, 0 otherwise"},
	[COL_TEMPORARILY_DISABLED] = {"temporarily_disabled", HQ_TYPE_INTEGER, 0,
				      "1 if this network is temporarily disabled, 0 otherwise"},
	[COL_DISABLED] = {"disabled", HQ_TYPE_INTEGER, HQ_COL_HIDDEN,
			  "1 if this network is disabled, 0 otherwise"},
	[COL_ADD_REASON] = {"add_reason", HQ_TYPE_TEXT, 0,
			    "Shows why this network was added, via menubar or command line or "
			    "something else"},
	[COL_ADDED_AT] = {"added_at", HQ_TYPE_INTEGER, 0,
			  "Time this network was added as a "
			  "unix_time"},
	[COL_CAPTIVE_PORTAL] = {"captive_portal", HQ_TYPE_INTEGER, 0,
				"1 if this network has a captive portal, 0 otherwise"},
	[COL_CAPTIVE_LOGIN_DATE] = {"captive_login_date", HQ_TYPE_INTEGER, 0,
				    "Time this network logged in to a captive portal as unix_time"},
	[COL_WAS_CAPTIVE_NETWORK] = {"was_captive_network", HQ_TYPE_INTEGER, 0,
				     "1 if this network was previously a captive network, 0 "
				     "otherwise"},
	[COL_AUTO_JOIN] = {"auto_join", HQ_TYPE_INTEGER, 0,
			   "1 if this network set to join automatically, 0 otherwise"},
	[COL_PERSONAL_HOTSPOT] = {"personal_hotspot", HQ_TYPE_INTEGER, 0,
				  "1 if this network is a personal hotspot, 0 otherwise"},
	[COL_SOURCE] = {"source", HQ_TYPE_TEXT, 0,
			"Configuration file the network was read from (NetworkManager, "
			"wpa_supplicant or iwd)"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

#define MAX_CONFIG_SIZE (1024 * 1024)

static const char *const nm_dirs[] = {
	/* Earlier directories shadow later ones, as in NetworkManager. */
	"/run/NetworkManager/system-connections",
	"/etc/NetworkManager/system-connections",
	"/usr/lib/NetworkManager/system-connections",
};

typedef struct scan {
	hq_query_ctx *ctx;
	hq_row_sink *sink;
	hq_keyfile *nm_timestamps;
	char **seen_uuids;
	size_t n_seen;
	bool done; /* a pushed-down LIMIT is satisfied */
} scan;

static void scan_done(scan *s)
{
	hq_keyfile_free(s->nm_timestamps);
	for (size_t i = 0; i < s->n_seen; i++)
		free(s->seen_uuids[i]);
	free(s->seen_uuids);
}

static void free_names(char ***names)
{
	if (!*names)
		return;
	for (char **p = *names; *p; p++)
		free(*p);
	free(*names);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Opens a directory below the root and lists its entries, sorted so rows come out in a stable
 * order. A missing directory gives -ENOENT. The names array is NULL-terminated. */
static int list_dir(hq_query_ctx *ctx, const char *dir, int *ret_fd, char ***ret_names)
{
	_cleanup_close_ int fd = -EBADF;
	char **names = NULL;
	size_t n = 0, cap = 0;
	DIR *d;
	struct dirent *de;

	fd = hq_ctx_open(ctx, dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd;
	int dfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (dfd < 0)
		return -errno;
	d = fdopendir(dfd);
	if (!d) {
		int r = -errno;
		close(dfd);
		return r;
	}
	while ((errno = 0, de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n + 1 >= cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char **t = realloc(names, ncap * sizeof(*t));
			if (!t)
				goto oom;
			names = t;
			cap = ncap;
		}
		names[n] = strdup(de->d_name);
		if (!names[n])
			goto oom;
		names[++n] = NULL;
	}
	closedir(d);
	if (names)
		qsort(names, n, sizeof(*names), cmp_names);
	else {
		names = calloc(1, sizeof(*names));
		if (!names)
			return -ENOMEM;
	}
	*ret_fd = TAKE_FD(fd);
	*ret_names = names;
	return 0;
oom:
	closedir(d);
	free_names(&names);
	return -ENOMEM;
}

/* list_dir() for a configuration directory: one that is missing, not a directory or not ours
 * to read holds no networks (0 with *ret_names NULL); another failure is an error. */
static int list_config_dir(scan *s, const char *dir, int *ret_fd, char ***ret_names)
{
	int r = list_dir(s->ctx, dir, ret_fd, ret_names);

	if (r == -ENOENT || r == -ENOTDIR || r == -EACCES) {
		hq_log_debug("wifi_networks: skipping %s: %s", dir, strerror(-r));
		*ret_names = NULL;
		return 0;
	}
	if (r < 0)
		return hq_ctx_error(s->ctx, r, "wifi_networks: cannot list %s: %m", dir);
	return 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t l = strlen(s), sl = strlen(suffix);
	return l >= sl && strcmp(s + l - sl, suffix) == 0;
}

/* Reads one configuration file; a file that vanished, is not a regular file or is not
 * readable by us is skipped (1), a real failure is an error. */
static int read_config(scan *s, int dfd, const char *dir, const char *name, char **ret,
		       size_t *ret_size, struct stat *ret_st)
{
	int r;

	if (fstatat(dfd, name, ret_st, 0) < 0) {
		r = -errno;
		if (r == -ENOENT || r == -EACCES || r == -ELOOP) {
			hq_log_debug("wifi_networks: skipping %s/%s: %s", dir, name, strerror(-r));
			return 1;
		}
		return hq_ctx_error(s->ctx, r, "wifi_networks: cannot stat %s/%s: %m", dir, name);
	}
	if (!S_ISREG(ret_st->st_mode))
		return 1;
	r = hq_read_full_file_at(dfd, name, MAX_CONFIG_SIZE, ret, ret_size);
	if (r == -ENOENT || r == -EACCES || r == -EPERM || r == -E2BIG) {
		hq_log_debug("wifi_networks: skipping %s/%s: %s", dir, name, strerror(-r));
		return 1;
	}
	if (r < 0)
		return hq_ctx_error(s->ctx, r, "wifi_networks: cannot read %s/%s: %m", dir, name);
	return 0;
}

/* Reads and parses one keyfile-format configuration (NetworkManager, iwd): 1 when the file is
 * skipped (see read_config()), 0 with *ret NULL when it does not parse, 0 with *ret set, or an
 * error. */
static int read_keyfile(scan *s, int dfd, const char *dir, const char *name, hq_keyfile **ret,
			struct stat *ret_st)
{
	_cleanup_free_ char *buf = NULL;
	size_t size;
	int r;

	*ret = NULL;
	r = read_config(s, dfd, dir, name, &buf, &size, ret_st);
	if (r != 0)
		return r;
	r = hq_keyfile_parse(buf, size, ret);
	if (r == -ENOMEM)
		return hq_ctx_error(s->ctx, r, "wifi_networks: %m");
	if (r < 0)
		*ret = NULL;
	return 0;
}

static int emit(scan *s, const hq_wifi_network *n, const char *dir, const char *name,
		int64_t last_connected)
{
	hq_query_ctx *ctx = s->ctx;
	hq_row *row;
	int r;

	r = hq_row_begin(s->sink, &row);
	if (r < 0)
		return r;

	if (hq_ctx_column_used(ctx, COL_SSID)) {
		char hex[HQ_WIFI_SSID_HEX_MAX];
		hq_wifi_ssid_hex(n->ssid, n->ssid_len, hex);
		hq_row_set_text(row, COL_SSID, hex);
	}
	if (hq_ctx_column_used(ctx, COL_NETWORK_NAME)) {
		char text[HQ_WIFI_SSID_TEXT_MAX];
		hq_wifi_ssid_text(n->ssid, n->ssid_len, text);
		hq_row_set_text(row, COL_NETWORK_NAME, text);
	}
	hq_row_set_text_static(row, COL_SECURITY_TYPE, hq_wifi_security_label(n));
	if (last_connected > 0)
		hq_row_set_int64(row, COL_LAST_CONNECTED, last_connected);
	/* Every source here describes ordinary networks, never Passpoint credentials. */
	hq_row_set_int64(row, COL_PASSPOINT, 0);
	if (n->hidden >= 0)
		hq_row_set_int64(row, COL_POSSIBLY_HIDDEN, n->hidden);
	if (n->disabled >= 0)
		hq_row_set_int64(row, COL_DISABLED, n->disabled);
	if (n->auto_join >= 0)
		hq_row_set_int64(row, COL_AUTO_JOIN, n->auto_join);
	hq_row_set_textf(row, COL_SOURCE, "%s/%s", dir, name);

	r = hq_row_commit(s->sink, row);
	if (r > 0)
		s->done = true;
	return r < 0 ? r : 0;
}

/* NetworkManager's own list of files to ignore in a keyfile directory. */
static bool nm_ignored_name(const char *name)
{
	static const char *const suffixes[] = {"~",	    ".bak",	  ".orig",     ".rej",
					       ".swp",	    ".tmp",	  ".nmmeta",   ".dpkg-old",
					       ".dpkg-new", ".dpkg-dist", ".dpkg-tmp", ".rpmnew",
					       ".rpmsave",  ".rpmorig"};

	for (size_t i = 0; i < HQ_ELEMENTSOF(suffixes); i++)
		if (has_suffix(name, suffixes[i]))
			return true;
	return false;
}

static bool nm_uuid_seen(scan *s, const char *uuid)
{
	for (size_t i = 0; i < s->n_seen; i++)
		if (strcmp(s->seen_uuids[i], uuid) == 0)
			return true;
	return false;
}

static int nm_remember_uuid(scan *s, const char *uuid)
{
	char **t = realloc(s->seen_uuids, (s->n_seen + 1) * sizeof(*t));

	if (!t)
		return -ENOMEM;
	s->seen_uuids = t;
	s->seen_uuids[s->n_seen] = strdup(uuid);
	if (!s->seen_uuids[s->n_seen])
		return -ENOMEM;
	s->n_seen++;
	return 0;
}

static int nm_load_timestamps(scan *s)
{
	_cleanup_free_ char *buf = NULL;
	size_t size;
	int r;

	r = hq_ctx_read_file(s->ctx, "/var/lib/NetworkManager/timestamps", MAX_CONFIG_SIZE, &buf,
			     &size);
	if (r < 0) {
		hq_log_debug("wifi_networks: no NetworkManager timestamps: %s", strerror(-r));
		return 0;
	}
	r = hq_keyfile_parse(buf, size, &s->nm_timestamps);
	if (r < 0)
		return hq_ctx_error(s->ctx, r,
				    "wifi_networks: parsing NetworkManager timestamps: %m");
	return 0;
}

static int scan_nm_dir(scan *s, const char *dir)
{
	_cleanup_close_ int dfd = -EBADF;
	_cleanup_(free_names) char **names = NULL;
	int r;

	r = list_config_dir(s, dir, &dfd, &names);
	if (r < 0 || !names)
		return r;

	for (char **p = names; *p && !s->done; p++) {
		_cleanup_(hq_keyfile_freep) hq_keyfile *kf = NULL;
		hq_wifi_network n;
		struct stat st;
		int64_t last = 0;

		if (nm_ignored_name(*p))
			continue;
		r = read_keyfile(s, dfd, dir, *p, &kf, &st);
		if (r < 0)
			return r;
		if (r > 0 || !kf)
			continue;
		r = hq_nm_wifi_from_keyfile(kf, &n);
		if (r < 0) {
			if (r != -ENOMSG)
				hq_log_debug("wifi_networks: %s/%s: no usable SSID, ignoring", dir,
					     *p);
			continue;
		}
		if (n.uuid[0]) {
			if (nm_uuid_seen(s, n.uuid))
				continue; /* shadowed by a profile in an earlier directory */
			r = nm_remember_uuid(s, n.uuid);
			if (r < 0)
				return hq_ctx_error(s->ctx, r, "wifi_networks: %m");
			const char *v = hq_keyfile_get(s->nm_timestamps, "timestamps", n.uuid);
			if (v && hq_safe_atoi64(v, &last) < 0)
				last = 0;
		}
		if (n.timestamp > last)
			last = n.timestamp;
		r = emit(s, &n, dir, *p, last);
		if (r < 0)
			return r;
	}
	return 0;
}

static int scan_wpa_file(scan *s, int dfd, const char *dir, const char *name)
{
	_cleanup_free_ hq_wifi_network *nets = NULL;
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	size_t size;
	int r, n;

	r = read_config(s, dfd, dir, name, &buf, &size, &st);
	if (r != 0)
		return r < 0 ? r : 0;
	n = hq_wpa_conf_parse(buf, size, &nets);
	if (n == -ENOMEM)
		return hq_ctx_error(s->ctx, n, "wifi_networks: %m");
	if (n < 0) {
		hq_log_debug("wifi_networks: %s/%s unparsable, ignoring", dir, name);
		return 0;
	}
	for (int i = 0; i < n && !s->done; i++) {
		r = emit(s, &nets[i], dir, name, 0);
		if (r < 0)
			return r;
	}
	return 0;
}

static int scan_wpa(scan *s)
{
	_cleanup_close_ int dfd = -EBADF, etc = -EBADF;
	_cleanup_(free_names) char **names = NULL;
	int r;

	r = list_config_dir(s, "/etc/wpa_supplicant", &dfd, &names);
	if (r < 0)
		return r;
	for (char **p = names; p && *p && !s->done; p++) {
		if (!has_suffix(*p, ".conf"))
			continue;
		r = scan_wpa_file(s, dfd, "/etc/wpa_supplicant", *p);
		if (r < 0)
			return r;
	}

	if (s->done)
		return 0;
	etc = hq_ctx_open(s->ctx, "/etc", O_RDONLY | O_DIRECTORY);
	if (etc < 0)
		return 0;
	return scan_wpa_file(s, etc, "/etc", "wpa_supplicant.conf");
}

static int scan_iwd(scan *s)
{
	static const char dir[] = "/var/lib/iwd";
	_cleanup_close_ int dfd = -EBADF;
	_cleanup_(free_names) char **names = NULL;
	int r;

	r = list_config_dir(s, dir, &dfd, &names);
	if (r < 0 || !names)
		return r;

	for (char **p = names; *p && !s->done; p++) {
		_cleanup_(hq_keyfile_freep) hq_keyfile *kf = NULL;
		hq_wifi_network n;
		struct stat st;

		r = hq_iwd_name_decode(*p, &n);
		if (r < 0) {
			if (r != -ENOMSG)
				hq_log_debug("wifi_networks: %s/%s: not an iwd network name, "
					     "ignoring",
					     dir, *p);
			continue;
		}
		r = read_keyfile(s, dfd, dir, *p, &kf, &st);
		if (r < 0)
			return r;
		if (r > 0)
			continue;
		if (kf) {
			n.hidden = hq_keyfile_get_bool(kf, "Settings", "Hidden", 0);
			n.auto_join = hq_keyfile_get_bool(kf, "Settings", "AutoConnect", 1);
		}
		/* iwd touches a network's file when it connects: the mtime is the last
		 * connection. */
		r = emit(s, &n, dir, *p, (int64_t)st.st_mtim.tv_sec);
		if (r < 0)
			return r;
	}
	return 0;
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	scan s = {.ctx = ctx, .sink = sink};
	int r = 0;

	if (hq_ctx_column_used(ctx, COL_LAST_CONNECTED))
		r = nm_load_timestamps(&s);
	for (size_t i = 0; r >= 0 && i < HQ_ELEMENTSOF(nm_dirs) && !s.done; i++)
		r = scan_nm_dir(&s, nm_dirs[i]);
	if (r >= 0 && !s.done)
		r = scan_wpa(&s);
	if (r >= 0 && !s.done)
		r = scan_iwd(&s);
	scan_done(&s);
	return r < 0 ? r : 0;
}

const hq_table_def hq_table_wifi_networks = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "wifi_networks",
	.description = "Wi-Fi networks this host has saved (NetworkManager, wpa_supplicant, iwd).",
	.columns = columns,
	.n_columns = _COL_MAX,
	.generate = generate,
};
