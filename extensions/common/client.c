/* UNIX socket helpers and short-lived Thrift client connections (see client.h). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <thrift/c_glib/protocol/thrift_binary_protocol.h>

#include "client.h"

static int make_addr(const char *path, struct sockaddr_un *sa)
{
	size_t len = strlen(path);
	if (len == 0 || len >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path, path, len);
	return 0;
}

int hq_unix_connect(const char *path, int timeout_ms)
{
	struct sockaddr_un sa;
	int r = make_addr(path, &sa);
	if (r < 0)
		return r;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (timeout_ms > 0) {
		/* A UNIX connect only blocks on a full backlog; SO_SNDTIMEO bounds that wait. */
		struct timeval tv = {.tv_sec = timeout_ms / 1000,
				     .tv_usec = (timeout_ms % 1000) * 1000};
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		close(fd);
		return r == -EINPROGRESS ? -ETIMEDOUT : r;
	}
	return fd;
}

int hq_unix_listen(const char *path, mode_t mode, int backlog)
{
	struct sockaddr_un sa;
	int r = make_addr(path, &sa);
	if (r < 0)
		return r;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	(void)unlink(path);
	/* Bind with a tight umask so the socket is never reachable with wider permissions. */
	mode_t old = umask(0177);
	r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0 || chmod(path, mode) < 0 || listen(fd, backlog) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

void hq_thrift_conn_wrap(hq_thrift_conn *c, int fd, int timeout_ms, gsize max_message)
{
	memset(c, 0, sizeof(*c));
	c->transport = hq_fd_transport_new(fd, timeout_ms, max_message);
	c->protocol = g_object_new(THRIFT_TYPE_BINARY_PROTOCOL, "transport", c->transport, NULL);
}

int hq_thrift_conn_open(hq_thrift_conn *c, const char *path, int timeout_ms, gboolean manager)
{
	int fd = hq_unix_connect(path, timeout_ms);
	if (fd < 0)
		return fd;
	/* Replies can be large (query results); requests we send are ours. */
	hq_thrift_conn_wrap(c, fd, timeout_ms, 1u << 30);
	c->client = g_object_new(
		manager ? HQ_THRIFT_TYPE_EXTENSION_MANAGER_CLIENT : HQ_THRIFT_TYPE_EXTENSION_CLIENT,
		"input_protocol", c->protocol, "output_protocol", c->protocol, NULL);
	return 0;
}

void hq_thrift_conn_close(hq_thrift_conn *c)
{
	g_clear_object(&c->client);
	g_clear_object(&c->protocol);
	if (c->transport)
		thrift_transport_close(THRIFT_TRANSPORT(c->transport), NULL);
	g_clear_object(&c->transport);
}

GHashTable *hq_thrift_string_map_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

GHashTable *hq_thrift_response_add_row(GPtrArray *rows)
{
	GHashTable *row = hq_thrift_string_map_new();
	g_ptr_array_add(rows, row);
	return row;
}

void hq_thrift_status_set(HqThriftExtensionStatus *status, int code, const char *message,
			  gint64 uuid)
{
	g_object_set(status, "code", code, "message", message ? message : "", "uuid", uuid, NULL);
}
