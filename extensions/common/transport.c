/* Buffered socket transport for the Thrift binary protocol (see transport.h). */
#include <errno.h>
#include <sys/time.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thrift/c_glib/thrift.h>

#include "transport.h"

#define HQ_TRANSPORT_RBUF 65536

struct _HqFdTransport {
	ThriftTransport parent;
	int fd;
	int timeout_ms;
	gsize max_message;
	gsize consumed; /* bytes the current message has read so far */
	guint8 *rbuf;
	gsize rpos, rlen;
	GByteArray *wbuf;
};

G_DEFINE_TYPE(HqFdTransport, hq_fd_transport, THRIFT_TYPE_TRANSPORT)

static gboolean set_error(GError **error, int code, const char *what, int err)
{
	g_set_error(error, THRIFT_TRANSPORT_ERROR, code, "%s: %s", what,
		    err ? g_strerror(err) : "connection closed by peer");
	return FALSE;
}

static gboolean fd_is_open(ThriftTransport *transport)
{
	return HQ_FD_TRANSPORT(transport)->fd >= 0;
}

static gboolean fd_open(ThriftTransport *transport, GError **error)
{
	return fd_is_open(transport);
}

static gboolean fd_close(ThriftTransport *transport, GError **error)
{
	HqFdTransport *t = HQ_FD_TRANSPORT(transport);
	if (t->fd >= 0) {
		close(t->fd);
		t->fd = -1;
	}
	return TRUE;
}

static gboolean fd_peek(ThriftTransport *transport, GError **error)
{
	HqFdTransport *t = HQ_FD_TRANSPORT(transport);
	return t->fd >= 0 || t->rpos < t->rlen;
}

/* Refills the read buffer with whatever the socket has (at least one byte). A blocking recv
 * bounded by SO_RCVTIMEO: one syscall per refill, which is most of a ping's cost. */
static gboolean fill(HqFdTransport *t, GError **error)
{
	for (;;) {
		ssize_t n = recv(t->fd, t->rbuf, HQ_TRANSPORT_RBUF, 0);
		if (n > 0) {
			t->rpos = 0;
			t->rlen = (gsize)n;
			return TRUE;
		}
		if (n == 0)
			return set_error(error, THRIFT_TRANSPORT_ERROR_RECEIVE, "recv", 0);
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return set_error(error, THRIFT_TRANSPORT_ERROR_RECEIVE, "timed out",
					 ETIMEDOUT);
		return set_error(error, THRIFT_TRANSPORT_ERROR_RECEIVE, "recv", errno);
	}
}

static gint32 fd_read(ThriftTransport *transport, gpointer buf, guint32 len, GError **error)
{
	HqFdTransport *t = HQ_FD_TRANSPORT(transport);
	if (t->fd < 0)
		return set_error(error, THRIFT_TRANSPORT_ERROR_RECEIVE, "read", EBADF), -1;
	if (t->rpos == t->rlen && !fill(t, error))
		return -1;
	gsize n = MIN((gsize)len, t->rlen - t->rpos);
	memcpy(buf, t->rbuf + t->rpos, n);
	t->rpos += n;
	return (gint32)n;
}

static gboolean over_limit(HqFdTransport *t, gsize want, GError **error)
{
	g_set_error(error, THRIFT_TRANSPORT_ERROR, THRIFT_TRANSPORT_ERROR_MAX_MESSAGE_SIZE_REACHED,
		    "message needs %zu more bytes, over the %zu byte limit", (size_t)want,
		    (size_t)t->max_message);
	return FALSE;
}

static gint32 fd_read_all(ThriftTransport *transport, gpointer buf, guint32 len, GError **error)
{
	HqFdTransport *t = HQ_FD_TRANSPORT(transport);
	guint32 got = 0;
	/* The binary protocol reads a whole string with one read_all of its claimed length, and
	 * c_glib 0.17 does not ask checkReadBytesAvailable first: refuse oversized claims here
	 * instead of waiting for gigabytes that will never come. */
	if ((gsize)len > t->max_message - MIN(t->consumed, t->max_message))
		return over_limit(t, len, error), -1;
	t->consumed += len;
	while (got < len) {
		gint32 n = fd_read(transport, (guint8 *)buf + got, len - got, error);
		if (n < 0)
			return -1;
		got += (guint32)n;
	}
	return (gint32)got;
}

static gboolean fd_read_end(ThriftTransport *transport, GError **error)
{
	/* One request fully read: its claims no longer count against the next one. */
	HQ_FD_TRANSPORT(transport)->consumed = 0;
	return TRUE;
}

static gboolean fd_write(ThriftTransport *transport, const gpointer buf, const guint32 len,
			 GError **error)
{
	HqFdTransport *t = HQ_FD_TRANSPORT(transport);
	g_byte_array_append(t->wbuf, buf, len);
	return TRUE;
}

static gboolean fd_write_end(ThriftTransport *transport, GError **error)
{
	return TRUE;
}

static gboolean fd_flush(ThriftTransport *transport, GError **error)
{
	HqFdTransport *t = HQ_FD_TRANSPORT(transport);
	gsize off = 0;

	t->consumed = 0;
	while (off < t->wbuf->len) {
		/* Blocking send bounded by SO_SNDTIMEO. */
		ssize_t n = send(t->fd, t->wbuf->data + off, t->wbuf->len - off, MSG_NOSIGNAL);
		if (n >= 0) {
			off += (gsize)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		set_error(error, THRIFT_TRANSPORT_ERROR_SEND,
			  errno == EAGAIN || errno == EWOULDBLOCK ? "send timed out" : "send",
			  errno == EAGAIN || errno == EWOULDBLOCK ? ETIMEDOUT : errno);
		g_byte_array_set_size(t->wbuf, 0);
		return FALSE;
	}
	g_byte_array_set_size(t->wbuf, 0);
	return TRUE;
}

static gboolean fd_update_known(ThriftTransport *transport, glong size, GError **error)
{
	return TRUE;
}

/* Containers announce their minimum size before allocating: refuse what cannot fit in the rest
 * of the message (a negative count is an overflowed claim). */
static gboolean fd_check_available(ThriftTransport *transport, glong num, GError **error)
{
	HqFdTransport *t = HQ_FD_TRANSPORT(transport);
	if (num < 0 || (gsize)num > t->max_message - MIN(t->consumed, t->max_message))
		return over_limit(t, num < 0 ? G_MAXSIZE : (gsize)num, error);
	return TRUE;
}

static gboolean fd_reset_consumed(ThriftTransport *transport, glong size, GError **error)
{
	HQ_FD_TRANSPORT(transport)->consumed = 0;
	return TRUE;
}

static gboolean fd_count_consumed(ThriftTransport *transport, glong num, GError **error)
{
	return TRUE;
}

static void hq_fd_transport_finalize(GObject *object)
{
	HqFdTransport *t = HQ_FD_TRANSPORT(object);
	if (t->fd >= 0)
		close(t->fd);
	g_free(t->rbuf);
	g_byte_array_unref(t->wbuf);
	G_OBJECT_CLASS(hq_fd_transport_parent_class)->finalize(object);
}

static void hq_fd_transport_class_init(HqFdTransportClass *cls)
{
	ThriftTransportClass *ttc = THRIFT_TRANSPORT_CLASS(cls);
	G_OBJECT_CLASS(cls)->finalize = hq_fd_transport_finalize;
	ttc->is_open = fd_is_open;
	ttc->open = fd_open;
	ttc->close = fd_close;
	ttc->peek = fd_peek;
	ttc->read = fd_read;
	ttc->read_all = fd_read_all;
	ttc->read_end = fd_read_end;
	ttc->write = fd_write;
	ttc->write_end = fd_write_end;
	ttc->flush = fd_flush;
	ttc->updateKnownMessageSize = fd_update_known;
	ttc->checkReadBytesAvailable = fd_check_available;
	ttc->resetConsumedMessageSize = fd_reset_consumed;
	ttc->countConsumedMessageBytes = fd_count_consumed;
}

static void hq_fd_transport_init(HqFdTransport *t)
{
	t->fd = -1;
	t->timeout_ms = -1;
	t->max_message = 64u << 20;
	t->rbuf = g_malloc(HQ_TRANSPORT_RBUF);
	t->wbuf = g_byte_array_sized_new(4096);
}

HqFdTransport *hq_fd_transport_new(int fd, int timeout_ms, gsize max_message)
{
	HqFdTransport *t = g_object_new(HQ_TYPE_FD_TRANSPORT, NULL);
	t->fd = fd;
	hq_fd_transport_set_timeout(t, timeout_ms);
	if (max_message > 0)
		t->max_message = max_message;
	return t;
}

gboolean hq_fd_transport_wait_message(HqFdTransport *t)
{
	if (t->fd < 0)
		return FALSE;
	if (t->rpos < t->rlen)
		return TRUE;
	return fill(t, NULL);
}

void hq_fd_transport_set_timeout(HqFdTransport *t, int timeout_ms)
{
	/* 0 in SO_RCVTIMEO/SO_SNDTIMEO means "wait forever", which is what -1 asks for. */
	struct timeval tv = {0};
	if (timeout_ms > 0)
		tv = (struct timeval){.tv_sec = timeout_ms / 1000,
				      .tv_usec = (timeout_ms % 1000) * 1000};
	else if (timeout_ms == 0)
		tv.tv_usec = 1000;
	t->timeout_ms = timeout_ms;
	if (t->fd >= 0) {
		(void)setsockopt(t->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		(void)setsockopt(t->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
}
