/* Process-wide agent self-description, guarded by a mutex because the extension manager thread
 * updates it while queries read it. */
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hq/agent.h"

static pthread_mutex_t info_lock = PTHREAD_MUTEX_INITIALIZER;
static hq_agent_info info = {.binary = "hostq", .watcher_pid = -1};

void hq_agent_info_get(hq_agent_info *ret)
{
	pthread_mutex_lock(&info_lock);
	if (info.pid == 0) {
		info.pid = getpid();
		info.start_time = time(NULL);
	}
	*ret = info;
	pthread_mutex_unlock(&info_lock);
}

void hq_agent_info_set(const hq_agent_info *new_info)
{
	pthread_mutex_lock(&info_lock);
	info = *new_info;
	pthread_mutex_unlock(&info_lock);
}
