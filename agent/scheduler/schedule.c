/* Binary min-heap of schedule slots (collectd's read-thread heap, Redis's timer contract). */
#include "scheduler/schedule.h"

typedef struct slot {
	size_t id;
	uint64_t next;
	int64_t interval;
} slot;

struct hq_schedule {
	slot *heap;
	size_t n, cap;
};

hq_schedule *hq_schedule_new(void)
{
	return calloc(1, sizeof(hq_schedule));
}

hq_schedule *hq_schedule_free(hq_schedule *s)
{
	if (s) {
		free(s->heap);
		free(s);
	}
	return NULL;
}

/* FNV-1a: a stable hash so a query keeps its splay across restarts and hosts differ by name. */
static uint64_t fnv1a(const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603);

	for (; s && *s; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(1099511628211);
	}
	return h;
}

int64_t hq_schedule_splay(int64_t interval, int64_t splay_percent, const char *seed)
{
	int64_t max_splay, span, v;

	if (splay_percent <= 0 || splay_percent > 100 || interval <= 0)
		return interval;
	max_splay = interval * splay_percent / 100;
	if (max_splay <= 0)
		return interval;
	span = 2 * max_splay + 1;
	v = interval - max_splay + (int64_t)(fnv1a(seed) % (uint64_t)span);
	return v < 1 ? 1 : v;
}

static bool before(const slot *a, const slot *b)
{
	/* Ties go to the lower id so equal times run in config order. */
	return a->next < b->next || (a->next == b->next && a->id < b->id);
}

static void sift_up(hq_schedule *s, size_t i)
{
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		slot t;
		if (!before(&s->heap[i], &s->heap[parent]))
			break;
		t = s->heap[i];
		s->heap[i] = s->heap[parent];
		s->heap[parent] = t;
		i = parent;
	}
}

static void sift_down(hq_schedule *s, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		slot t;
		if (l < s->n && before(&s->heap[l], &s->heap[m]))
			m = l;
		if (r < s->n && before(&s->heap[r], &s->heap[m]))
			m = r;
		if (m == i)
			break;
		t = s->heap[i];
		s->heap[i] = s->heap[m];
		s->heap[m] = t;
		i = m;
	}
}

static int push(hq_schedule *s, size_t id, int64_t interval, uint64_t next)
{
	if (interval <= 0)
		return -EINVAL;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		slot *h = realloc(s->heap, cap * sizeof(slot));
		if (!h)
			return -ENOMEM;
		s->heap = h;
		s->cap = cap;
	}
	s->heap[s->n] = (slot){.id = id, .next = next, .interval = interval};
	sift_up(s, s->n++);
	return 0;
}

int hq_schedule_add(hq_schedule *s, size_t id, int64_t interval, uint64_t now_mono,
		    int64_t now_unix)
{
	int64_t wait;

	if (!s || interval <= 0 || now_unix < 0)
		return -EINVAL;
	wait = (interval - now_unix % interval) % interval;
	return push(s, id, interval, now_mono + (uint64_t)wait * HQ_USEC_PER_SEC);
}

int hq_schedule_add_now(hq_schedule *s, size_t id, int64_t interval, uint64_t now_mono)
{
	if (!s)
		return -EINVAL;
	return push(s, id, interval, now_mono);
}

size_t hq_schedule_size(const hq_schedule *s)
{
	return s ? s->n : 0;
}

bool hq_schedule_peek(const hq_schedule *s, uint64_t *ret_next)
{
	if (!s || s->n == 0)
		return false;
	*ret_next = s->heap[0].next;
	return true;
}

bool hq_schedule_pop_due(hq_schedule *s, uint64_t now_mono, size_t *ret_id, uint64_t *ret_planned)
{
	slot *top;
	uint64_t next;

	if (!s || s->n == 0 || s->heap[0].next > now_mono)
		return false;
	top = &s->heap[0];
	*ret_id = top->id;
	if (ret_planned)
		*ret_planned = top->next;
	next = top->next + (uint64_t)top->interval * HQ_USEC_PER_SEC;
	if (next < now_mono)
		next = now_mono;
	top->next = next;
	sift_down(s, 0);
	return true;
}

int64_t hq_schedule_interval(const hq_schedule *s, size_t id)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (s->heap[i].id == id)
			return s->heap[i].interval;
	return -ENOENT;
}
