/* A buffered Thrift transport over a connected stream socket. Stock c_glib sockets issue one
 * recv() per primitive (four bytes of a length, then the string), which costs tens of
 * milliseconds for a thousand-row response. This transport reads whatever the socket has into
 * its own buffer and serves the protocol from there, and collects writes until flush(), so one
 * message costs a handful of syscalls. The wire stays the plain unframed byte stream. */
#pragma once

#include <glib-object.h>
#include "thrift-autoptr.h"

G_BEGIN_DECLS

#define HQ_TYPE_FD_TRANSPORT (hq_fd_transport_get_type())
G_DECLARE_FINAL_TYPE(HqFdTransport, hq_fd_transport, HQ, FD_TRANSPORT, ThriftTransport)

/* Wraps fd (which the transport then owns and closes). timeout_ms bounds every wait for the
 * peer (-1: wait forever, for idle long-lived connections). max_message caps the bytes one
 * message may claim (strings, containers), so a hostile length prefix fails fast instead of
 * allocating. */
HqFdTransport *hq_fd_transport_new(int fd, int timeout_ms, gsize max_message);

/* Waits for the first byte of the next message (honouring the timeout). FALSE when the peer
 * closed the connection or on error, so a server loop ends quietly instead of letting the
 * processor warn about a read at end of stream. */
gboolean hq_fd_transport_wait_message(HqFdTransport *t);

/* Changes the timeout for the following reads and writes. */
void hq_fd_transport_set_timeout(HqFdTransport *t, int timeout_ms);

G_END_DECLS
