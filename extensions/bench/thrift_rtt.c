/* Round-trip benchmark of the extension protocol stack: an Extension server thread and a client
 * on a UNIX socket, both using the generated c_glib code over hq's buffered transport. Measures
 * ping and a generate call answering ROWS x COLS string cells (default 1000 x 10).
 * Usage: hq-bench-thrift [iterations] [rows] [cols] [build]; prints one line per measurement.
 * By default the server answers with rows prepared once, so the figure is the protocol stack's
 * (encode, socket, decode); "build" makes the server format every cell on each call. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <stdbool.h>
#include <thrift/c_glib/protocol/thrift_binary_protocol.h>
#include <thrift/c_glib/transport/thrift_socket.h>

#include "client.h"

static int n_rows = 1000, n_cols = 10;
/* 0: answer with a response prepared once (measures transport + codec, the part hq owns);
 * 1: build every row per call with snprintf, like a naive extension. */
static int build_rows;

#define BENCH_TYPE_HANDLER (bench_handler_get_type())
G_DECLARE_FINAL_TYPE(BenchHandler, bench_handler, BENCH, HANDLER, HqThriftExtensionHandler)
struct _BenchHandler {
	HqThriftExtensionHandler parent;
};
G_DEFINE_TYPE(BenchHandler, bench_handler, HQ_THRIFT_TYPE_EXTENSION_HANDLER)

static gboolean bench_ping(HqThriftExtensionIf *iface, HqThriftExtensionStatus **ret,
			   GError **error)
{
	hq_thrift_status_set(*ret, 0, "pong", 0);
	return TRUE;
}

static gboolean bench_call(HqThriftExtensionIf *iface, HqThriftExtensionResponse **ret,
			   const gchar *registry, const gchar *item,
			   const HqThriftExtensionPluginRequest *request, GError **error)
{
	char key[32], val[64];
	if (!build_rows) {
		static GPtrArray *pre;
		if (!pre) {
			pre = g_ptr_array_new();
			for (int r = 0; r < n_rows; r++) {
				GHashTable *row = hq_thrift_response_add_row(pre);
				for (int c = 0; c < n_cols; c++) {
					snprintf(key, sizeof(key), "column_%d", c);
					snprintf(val, sizeof(val), "value-%d-%d", r, c);
					g_hash_table_insert(row, g_strdup(key), g_strdup(val));
				}
			}
		}
		for (guint i = 0; i < pre->len; i++)
			g_ptr_array_add((*ret)->response, g_hash_table_ref(pre->pdata[i]));
		hq_thrift_status_set((*ret)->status, 0, "OK", 0);
		return TRUE;
	}
	for (int r = 0; r < n_rows; r++) {
		GHashTable *row = hq_thrift_response_add_row((*ret)->response);
		for (int c = 0; c < n_cols; c++) {
			snprintf(key, sizeof(key), "column_%d", c);
			snprintf(val, sizeof(val), "value-%d-%d", r, c);
			g_hash_table_insert(row, g_strdup(key), g_strdup(val));
		}
	}
	hq_thrift_status_set((*ret)->status, 0, "OK", 0);
	return TRUE;
}

static gboolean bench_shutdown(HqThriftExtensionIf *iface, GError **error)
{
	return TRUE;
}

static void bench_handler_class_init(BenchHandlerClass *cls)
{
	HqThriftExtensionHandlerClass *h = HQ_THRIFT_EXTENSION_HANDLER_CLASS(cls);
	h->ping = bench_ping;
	h->call = bench_call;
	h->shutdown = bench_shutdown;
}

static void bench_handler_init(BenchHandler *self)
{
}

static void *serve(void *arg)
{
	int fd = (int)(intptr_t)arg;
	hq_thrift_conn c;
	hq_thrift_conn_wrap(&c, fd, -1, 64u << 20);
	BenchHandler *handler = g_object_new(BENCH_TYPE_HANDLER, NULL);
	ThriftProcessor *proc =
		g_object_new(HQ_THRIFT_TYPE_EXTENSION_PROCESSOR, "handler", handler, NULL);
	GError *err = NULL;
	while (hq_fd_transport_wait_message(c.transport) &&
	       thrift_processor_process(proc, c.protocol, c.protocol, &err))
		;
	g_clear_error(&err);
	g_object_unref(proc);
	g_object_unref(handler);
	hq_thrift_conn_close(&c);
	return NULL;
}

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void report(const char *what, double *samples, int n)
{
	qsort(samples, n, sizeof(double), cmp_double);
	printf("%s median_us=%.1f p90_us=%.1f min_us=%.1f n=%d\n", what, samples[n / 2],
	       samples[n * 9 / 10], samples[0], n);
}

int main(int argc, char **argv)
{
	int iters = argc > 1 ? atoi(argv[1]) : 200;
	if (argc > 2)
		n_rows = atoi(argv[2]);
	if (argc > 3)
		n_cols = atoi(argv[3]);
	build_rows = argc > 4 && strcmp(argv[4], "build") == 0;
	bool stock = argc > 4 && strcmp(argv[4], "stock") == 0;
	if (iters <= 0 || n_rows < 0 || n_cols <= 0)
		return 2;

	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return 1;
	pthread_t th;
	pthread_create(&th, NULL, serve, (void *)(intptr_t)sv[1]);

	hq_thrift_conn c;
	ThriftSocket *stock_socket = NULL;
	if (stock) {
		/* c_glib's socket wants a path: serve one accepted connection on a temp socket. */
		char path[] = "/tmp/hq-bench-XXXXXX";
		int lfd;
		if (!mkdtemp(path))
			return 1;
		char sock[64];
		snprintf(sock, sizeof(sock), "%s/s", path);
		lfd = hq_unix_listen(sock, 0600, 1);
		if (lfd < 0)
			return 1;
		close(sv[0]);
		close(sv[1]);
		pthread_join(th, NULL);
		stock_socket = g_object_new(THRIFT_TYPE_SOCKET, "path", sock, NULL);
		if (!thrift_transport_open(THRIFT_TRANSPORT(stock_socket), NULL))
			return 1;
		int afd = accept(lfd, NULL, NULL);
		close(lfd);
		unlink(sock);
		rmdir(path);
		pthread_create(&th, NULL, serve, (void *)(intptr_t)afd);
		memset(&c, 0, sizeof(c));
		c.protocol =
			g_object_new(THRIFT_TYPE_BINARY_PROTOCOL, "transport", stock_socket, NULL);
	} else
		hq_thrift_conn_wrap(&c, sv[0], 10000, 1u << 30);
	c.client = g_object_new(HQ_THRIFT_TYPE_EXTENSION_CLIENT, "input_protocol", c.protocol,
				"output_protocol", c.protocol, NULL);
	HqThriftExtensionIf *iface = HQ_THRIFT_EXTENSION_IF(c.client);

	double *samples = calloc((size_t)iters, sizeof(double));
	GError *err = NULL;
	for (int i = 0; i < iters; i++) {
		HqThriftExtensionStatus *st = g_object_new(HQ_THRIFT_TYPE_EXTENSION_STATUS, NULL);
		double t0 = now_us();
		if (!hq_thrift_extension_if_ping(iface, &st, &err)) {
			fprintf(stderr, "ping: %s\n", err->message);
			return 1;
		}
		samples[i] = now_us() - t0;
		g_object_unref(st);
	}
	report("ping", samples, iters);

	GHashTable *req = hq_thrift_string_map_new();
	g_hash_table_insert(req, g_strdup("action"), g_strdup("generate"));
	g_hash_table_insert(req, g_strdup("context"), g_strdup("{}"));
	for (int i = 0; i < iters; i++) {
		HqThriftExtensionResponse *resp =
			g_object_new(HQ_THRIFT_TYPE_EXTENSION_RESPONSE, NULL);
		double t0 = now_us();
		if (!hq_thrift_extension_if_call(iface, &resp, "table", "bench", req, &err)) {
			fprintf(stderr, "call: %s\n", err->message);
			return 1;
		}
		samples[i] = now_us() - t0;
		if ((int)resp->response->len != n_rows) {
			fprintf(stderr, "got %u rows\n", resp->response->len);
			return 1;
		}
		g_object_unref(resp);
	}
	char what[64];
	snprintf(what, sizeof(what), "generate_%dx%d%s", n_rows, n_cols,
		 build_rows ? "_build"
		 : stock    ? "_stock_client"
			    : "");
	report(what, samples, iters);

	g_hash_table_unref(req);
	if (stock_socket) {
		thrift_transport_close(THRIFT_TRANSPORT(stock_socket), NULL);
		g_object_unref(c.client);
		g_object_unref(c.protocol);
		g_object_unref(stock_socket);
	} else
		hq_thrift_conn_close(&c);
	pthread_join(th, NULL);
	free(samples);
	return 0;
}
