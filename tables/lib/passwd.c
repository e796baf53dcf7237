/* /etc/passwd and /etc/group line parsing with the rules glibc's fgetpwent/fgetgrent apply to
 * local files: fixed field counts, numeric ids, NIS compat entries skipped. */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "lib/passwd.h"

int hq_parse_id(const char *s, uint32_t *ret)
{
	if (!s || !*s)
		return -EINVAL;
	uint64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX)
			return -ERANGE;
	}
	*ret = (uint32_t)v;
	return 0;
}

/* Splits line at ':' into exactly n fields. */
static int split_fields(char *line, char **fields, int n)
{
	if (!line || line[0] == '\0' || line[0] == '#' || line[0] == '+' || line[0] == '-')
		return -EINVAL;
	size_t len = strlen(line);
	if (len > 0 && line[len - 1] == '\r')
		line[len - 1] = '\0';

	int i = 0;
	char *p = line;
	for (;;) {
		if (i == n)
			return -EINVAL;
		fields[i++] = p;
		char *colon = strchr(p, ':');
		if (!colon)
			break;
		*colon = '\0';
		p = colon + 1;
	}
	return i == n ? 0 : -EINVAL;
}

int hq_passwd_parse_line(char *line, hq_passwd_entry *ret)
{
	char *f[7];
	int r = split_fields(line, f, 7);
	if (r < 0)
		return r;
	if (f[0][0] == '\0')
		return -EINVAL;

	hq_passwd_entry e = {
		.name = f[0],
		.passwd = f[1],
		.gecos = f[4],
		.dir = f[5],
		.shell = f[6],
	};
	if (hq_parse_id(f[2], &e.uid) < 0 || hq_parse_id(f[3], &e.gid) < 0)
		return -EINVAL;
	*ret = e;
	return 0;
}

int hq_group_parse_line(char *line, hq_group_entry *ret)
{
	char *f[4];
	int r = split_fields(line, f, 4);
	if (r < 0)
		return r;
	if (f[0][0] == '\0')
		return -EINVAL;

	hq_group_entry e = {.name = f[0], .passwd = f[1], .members = f[3]};
	if (hq_parse_id(f[2], &e.gid) < 0)
		return -EINVAL;
	*ret = e;
	return 0;
}
