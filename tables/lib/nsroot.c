/* pid_with_namespace path prefixes (nsroot.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
