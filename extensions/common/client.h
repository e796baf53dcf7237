/* Connections for the extension protocol: UNIX socket helpers and short-lived Thrift clients
 * (binary protocol, strict, unframed) over the buffered transport. Shared by the manager and
 * the SDK. */
#pragma once

#include <sys/types.h>

#include <thrift/c_glib/protocol/thrift_protocol.h>

#include "hq_thrift_extension.h"
#include "hq_thrift_extension_manager.h"
#include "transport.h"

/* sun_path is 108 bytes; osquery-go refuses manager paths over 97 to leave room for ".uuid". */
#define HQ_EXT_SOCKET_PATH_MAX 103

/* Connects to a UNIX stream socket. Returns the fd (O_CLOEXEC) or -errno. */
int hq_unix_connect(const char *path, int timeout_ms);
/* Binds and listens on path (an existing file there is removed first), chmod mode. Returns fd
 * or -errno. */
int hq_unix_listen(const char *path, mode_t mode, int backlog);

typedef struct hq_thrift_conn {
	HqFdTransport *transport;
	ThriftProtocol *protocol;
	/* An HqThriftExtensionClient, or an HqThriftExtensionManagerClient when manager is set;
	 * usable as HqThriftExtensionIf either way. */
	GObject *client;
} hq_thrift_conn;

/* Opens a client connection to path. Returns 0 or -errno. */
int hq_thrift_conn_open(hq_thrift_conn *c, const char *path, int timeout_ms, gboolean manager);
/* Wraps an accepted or connected fd (taken over) into a transport + protocol (no client). */
void hq_thrift_conn_wrap(hq_thrift_conn *c, int fd, int timeout_ms, gsize max_message);
void hq_thrift_conn_close(hq_thrift_conn *c);

/* A string map for plugin requests, owning keys and values. */
GHashTable *hq_thrift_string_map_new(void);
/* Adds one row (a new string map owning copies of the n key/value pairs) to a response. */
GHashTable *hq_thrift_response_add_row(GPtrArray *rows);

/* Sets the status of a response or a standalone status (strings copied). */
void hq_thrift_status_set(HqThriftExtensionStatus *status, int code, const char *message,
			  gint64 uuid);

/* Autoptr declarations for the generated handler bases, so handlers can be declared with
 * G_DECLARE_FINAL_TYPE. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HqThriftExtensionHandler, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HqThriftExtensionManagerHandler, g_object_unref)
