/* hostqd: the scheduled-query daemon (placeholder until the daemon work lands). */
#include <stdio.h>

int main(void)
{
	fprintf(stderr, "hostqd: not implemented yet\n");
	return 1;
}
