/* pid_with_namespace path prefixes (nsroot.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hq/query.h"
#include "hq/util.h"
#include "lib/nsroot.h"

int hq_nsroot_resolve(int procfd, int64_t pid, hq_nsroot *ret)
{
	char path[48], link[64];
	const char *lb, *rb;
	ssize_t n;

	memset(ret, 0, sizeof(*ret));
	if (pid <= 0)
		return 0;
	if (procfd < 0)
		return -ESRCH;
	snprintf(path, sizeof(path), "%lld/ns/mnt", (long long)pid);
	n = readlinkat(procfd, path, link, sizeof(link) - 1);
	if (n <= 0)
		return -ESRCH;
	link[n] = '\0';
	/* "mnt:[4026531832]" */
	lb = strchr(link, '[');
	rb = lb ? strchr(lb, ']') : NULL;
	if (!lb || !rb || (size_t)(rb - lb - 1) >= sizeof(ret->mntns))
		return -ESRCH;
	memcpy(ret->mntns, lb + 1, (size_t)(rb - lb - 1));
	ret->mntns[rb - lb - 1] = '\0';
	ret->pid = pid;
	snprintf(ret->prefix, sizeof(ret->prefix), "/proc/%lld/root", (long long)pid);
	return 0;
}

int hq_nsroot_generate(hq_query_ctx *ctx, hq_row_sink *sink, unsigned column,
		       hq_nsroot_scan_fn scan)
{
	bool any = false;
	hq_nsroot ns;
	int r;

	HQ_CTX_FOREACH_CONSTRAINT (c, ctx, column) {
		_cleanup_close_ int procfd = -EBADF;

		if (c->op != HQ_OP_EQ || c->type != HQ_VALUE_INTEGER)
			continue;
		any = true;
		if (c->i64 > 0)
			procfd = hq_ctx_open(ctx, "/proc", O_RDONLY | O_DIRECTORY);
		if (hq_nsroot_resolve(procfd, c->i64, &ns) < 0)
			continue; /* no such process: no rows */
		r = scan(ctx, sink, &ns);
		if (r != 0)
			return r < 0 ? r : 0;
	}
	if (any)
		return 0;
	r = scan(ctx, sink, &(hq_nsroot){});
	return r < 0 ? r : 0;
}
