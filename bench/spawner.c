/* spawner: raises the process count for the benchmark.
 *
 *   spawner N READY_FILE
 *
 * Forks N children that pause(). Each child dies with its parent (PR_SET_PDEATHSIG), so a
 * killed spawner leaves nothing behind. When all children exist the parent writes its pid to
 * READY_FILE; on SIGTERM or SIGINT it kills every child by pid, reaps them and exits. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	sigset_t block, old;
	pid_t *kids;
	long n;

	if (argc != 3 || (n = strtol(argv[1], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: spawner N READY_FILE\n");
		return 2;
	}
	kids = calloc((size_t)n, sizeof(*kids));
	if (!kids)
		return 1;

	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old);

	pid_t parent = getpid();
	long made = 0;
	for (; made < n && !stop; made++) {
		pid_t p = fork();
		if (p < 0) {
			fprintf(stderr, "spawner: fork %ld: %s\n", made, strerror(errno));
			break;
		}
		if (p == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(0);
			sigprocmask(SIG_SETMASK, &old, NULL);
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			for (;;)
				pause();
		}
		kids[made] = p;
	}

	/* Written then renamed, so a reader never sees half a line. */
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[2]);
	FILE *f = fopen(tmp, "we");
	if (f) {
		fprintf(f, "%d %ld\n", (int)parent, made);
		fclose(f);
		rename(tmp, argv[2]);
	}
	while (!stop)
		sigsuspend(&old);

	for (long i = 0; i < made; i++)
		kill(kids[i], SIGKILL);
	for (long i = 0; i < made; i++)
		waitpid(kids[i], NULL, 0);
	return 0;
}
