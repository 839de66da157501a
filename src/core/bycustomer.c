/*
 * bycustomer.c — events of many customers, grouped at the end.
 */
#include <math.h>
#include <string.h>

#include "bycustomer.h"
#include "codec.h"
#include "mem.h"
#include "pace.h"
#include "siphash.h"

#define BC_FORMAT_VERSION 1
#define BC_FIRST_EVENTS 1024
#define BC_FIRST_SLOTS 1024
#define BC_FIRST_KEYS 4096
#define BC_MAX_EVENTS (UINT32_C(1) << 31)	/* arena indexes are 32 bits */
#define BC_MAX_SLOTS (UINT32_C(1) << 31)
#define BC_MAX_KEYS ((size_t) UINT32_MAX)
#define KEY_HEAD 12				/* a byte-string id's hash and length */

void
cv_bc_init(cv_bycustomer *b, const uint64_t seed[2], int byte_keys)
{
	memset(b, 0, sizeof(*b));
	b->seed[0] = seed[0];
	b->seed[1] = seed[1];
	b->byte_keys = byte_keys != 0;
}

void
cv_bc_free(cv_bycustomer *b)
{
	if (b->ev != NULL)
		cv_mem.free(b->ev);
	if (b->slots != NULL)
		cv_mem.free(b->slots);
	if (b->keys != NULL)
		cv_mem.free(b->keys);
	b->ev = NULL;
	b->slots = NULL;
	b->keys = NULL;
	b->n = b->cap = b->slot_cap = b->customers = 0;
	b->keys_len = b->keys_cap = 0;
}

size_t
cv_bc_bytes(const cv_bycustomer *b)
{
	return (size_t) b->cap * sizeof(cv_bc_event) + (size_t) b->slot_cap * sizeof(cv_bc_slot) +
		b->keys_cap;
}

/* --- growth --------------------------------------------------------------------- */

static int
table_is_full(const cv_bycustomer *b)
{
	/* at most half full: probes stay short */
	return (uint64_t) (b->customers + 1) * 2 > b->slot_cap;
}

int
cv_bc_has_room(const cv_bycustomer *b, size_t keylen)
{
	size_t		need = cv_bc_bytes(b);

	/* the hard limits of one store */
	if ((b->n == b->cap && b->cap >= BC_MAX_EVENTS) ||
		(table_is_full(b) && b->slot_cap >= BC_MAX_SLOTS) ||
		(b->byte_keys && (keylen > BC_MAX_KEYS - KEY_HEAD || b->keys_len > BC_MAX_KEYS - KEY_HEAD - keylen)))
		return 0;
	if (b->limit == 0)
		return 1;
	if (b->n == b->cap)
		need += BC_FIRST_EVENTS * sizeof(cv_bc_event);
	if (table_is_full(b))
		need += (size_t) (b->slot_cap ? b->slot_cap : BC_FIRST_SLOTS) * sizeof(cv_bc_slot);
	if (b->byte_keys && b->keys_len + KEY_HEAD + keylen > b->keys_cap)
		need += KEY_HEAD + keylen;
	return need <= b->limit;
}

/* events grow by doubling, but not past the limit when there is one */
static int
grow_events(cv_bycustomer *b)
{
	uint64_t	cap = b->cap ? (uint64_t) b->cap * 2 : BC_FIRST_EVENTS;

	if (b->cap >= BC_MAX_EVENTS)
		return 0;
	if (cap > BC_MAX_EVENTS)
		cap = BC_MAX_EVENTS;
	if (b->limit != 0)
	{
		size_t		rest = cv_bc_bytes(b) - (size_t) b->cap * sizeof(cv_bc_event);
		uint64_t	fit = b->limit > rest ? (b->limit - rest) / sizeof(cv_bc_event) : 0;

		if (fit < cap)
			cap = fit > (uint64_t) b->cap + BC_FIRST_EVENTS ? fit : (uint64_t) b->cap + BC_FIRST_EVENTS;
	}
	b->ev = cv_mem.realloc(b->ev, (size_t) cap * sizeof(cv_bc_event));
	b->cap = (uint32_t) cap;
	return 1;
}

/* the first free slot on the probe path of hash (every key in the table differs) */
static cv_bc_slot *
free_slot(cv_bc_slot *slots, uint32_t cap, uint64_t hash)
{
	uint32_t	i = (uint32_t) hash & (cap - 1);

	while (slots[i].count != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static inline uint64_t
key_hash_at(const cv_bycustomer *b, uint64_t off)
{
	uint64_t	hash;

	memcpy(&hash, b->keys + off, 8);
	return hash;
}

/* a slot's hash: kept with a byte-string id, worked out again for an integer */
static inline uint64_t
slot_hash(const cv_bycustomer *b, const cv_bc_slot *s)
{
	return b->byte_keys ? key_hash_at(b, s->key) : cv_siphash13_u64(b->seed, s->key);
}

static int
grow_slots(cv_bycustomer *b)
{
	uint32_t	cap = b->slot_cap ? b->slot_cap * 2 : BC_FIRST_SLOTS;
	cv_bc_slot *slots;
	uint32_t	i;

	if (b->slot_cap >= BC_MAX_SLOTS)
		return 0;				/* 2^30 customers: the table is as big as it gets */
	slots = cv_mem.alloc((size_t) cap * sizeof(cv_bc_slot));
	memset(slots, 0, (size_t) cap * sizeof(cv_bc_slot));
	for (i = 0; i < b->slot_cap; i++)
	{
		if (b->slots[i].count != 0)
			*free_slot(slots, cap, slot_hash(b, &b->slots[i])) = b->slots[i];
		if ((i & 1023) == 1023)
			cv_pace(1024);
	}
	if (b->slots != NULL)
		cv_mem.free(b->slots);
	b->slots = slots;
	b->slot_cap = cap;
	return 1;
}

static int
grow_keys(cv_bycustomer *b, size_t more)
{
	size_t		cap = b->keys_cap ? b->keys_cap : BC_FIRST_KEYS;

	if (more > BC_MAX_KEYS - b->keys_len)
		return 0;				/* 4 GB of ids: offsets are 32 bits */
	while (cap < b->keys_len + more)
		cap *= 2;
	if (cap > BC_MAX_KEYS)
		cap = BC_MAX_KEYS;
	b->keys = cv_mem.realloc(b->keys, cap);
	b->keys_cap = cap;
	return 1;
}

/* --- adding ----------------------------------------------------------------------- */

static inline uint32_t
key_len_at(const cv_bycustomer *b, uint64_t off)
{
	uint32_t	len;

	memcpy(&len, b->keys + off + 8, 4);
	return len;
}

static inline int
key_equals(const cv_bycustomer *b, uint64_t off, uint64_t hash, const uint8_t *key, size_t keylen)
{
	return key_hash_at(b, off) == hash && key_len_at(b, off) == keylen &&
		memcmp(b->keys + off + KEY_HEAD, key, keylen) == 0;
}

/* the event, appended to the slot's chain */
static void
append(cv_bycustomer *b, cv_bc_slot *slot, const cv_event *e)
{
	cv_bc_event *x = &b->ev[b->n];

	x->at = e->at;
	x->value = e->value;
	x->cost = e->cost;
	x->stage = e->stage;
	x->next = slot->head;
	slot->head = b->n++;
	slot->count++;
}

/* room for one event of a possibly new customer; 0 when the state is full */
static int
make_room(cv_bycustomer *b, size_t keylen)
{
	if (b->n == b->cap && !grow_events(b))
		return 0;
	if (table_is_full(b) && !grow_slots(b))
		return 0;
	if (b->byte_keys && b->keys_len + KEY_HEAD + keylen > b->keys_cap && !grow_keys(b, KEY_HEAD + keylen))
		return 0;
	return 1;
}

cv_status
cv_bc_add(cv_bycustomer *b, int64_t customer, const cv_event *e)
{
	uint64_t	hash = cv_siphash13_u64(b->seed, (uint64_t) customer);
	uint32_t	i;
	cv_bc_slot *slot;

	if (b->byte_keys || !make_room(b, 0))
		return CV_ERR_CORRUPT;
	i = (uint32_t) hash & (b->slot_cap - 1);
	while (b->slots[i].count != 0 && b->slots[i].key != (uint64_t) customer)
	{
		i = (i + 1) & (b->slot_cap - 1);
		b->probes++;
	}
	slot = &b->slots[i];
	if (slot->count == 0)
	{
		slot->key = (uint64_t) customer;
		slot->head = CV_BC_END;
		b->customers++;
	}
	append(b, slot, e);
	return CV_OK;
}

cv_status
cv_bc_add_key(cv_bycustomer *b, const uint8_t *key, size_t keylen, const cv_event *e)
{
	uint64_t	hash = cv_siphash13(b->seed, key, keylen);
	uint32_t	i;
	cv_bc_slot *slot;

	if (!b->byte_keys || keylen > UINT32_MAX - KEY_HEAD || !make_room(b, keylen))
		return CV_ERR_CORRUPT;
	i = (uint32_t) hash & (b->slot_cap - 1);
	while (b->slots[i].count != 0 && !key_equals(b, b->slots[i].key, hash, key, keylen))
	{
		i = (i + 1) & (b->slot_cap - 1);
		b->probes++;
	}
	slot = &b->slots[i];
	if (slot->count == 0)
	{
		uint32_t	len32 = (uint32_t) keylen;

		slot->key = b->keys_len;
		slot->head = CV_BC_END;
		memcpy(b->keys + b->keys_len, &hash, 8);
		memcpy(b->keys + b->keys_len + 8, &len32, 4);
		if (keylen > 0)
			memcpy(b->keys + b->keys_len + KEY_HEAD, key, keylen);
		b->keys_len += KEY_HEAD + keylen;
		b->customers++;
	}
	append(b, slot, e);
	return CV_OK;
}

/* --- reading ---------------------------------------------------------------------- */

void
cv_bc_foreach(const cv_bycustomer *b, cv_bc_visitor fn, void *arg)
{
	uint32_t	i;

	for (i = 0; i < b->slot_cap; i++)
	{
		const cv_bc_slot *s = &b->slots[i];
		const uint8_t *key = NULL;
		size_t		keylen = 0;
		uint32_t	k;

		if ((i & 63) == 63)
			cv_pace(64);
		if (s->count == 0)
			continue;
		if (b->byte_keys)
		{
			keylen = key_len_at(b, s->key);
			key = b->keys + s->key + KEY_HEAD;
		}
		for (k = s->head; k != CV_BC_END; k = b->ev[k].next)
		{
			const cv_bc_event *x = &b->ev[k];
			cv_event	e;

			e.at = x->at;
			e.value = x->value;
			e.cost = x->cost;
			e.stage = x->stage;
			fn(arg, (int64_t) s->key, key, keylen, &e);
			cv_pace(1);
		}
	}
}

typedef struct merge_arg
{
	cv_bycustomer *into;
	cv_status	status;
} merge_arg;

static void
merge_one(void *arg, int64_t id, const uint8_t *key, size_t keylen, const cv_event *e)
{
	merge_arg  *m = arg;

	if (m->status != CV_OK)
		return;
	m->status = key != NULL ? cv_bc_add_key(m->into, key, keylen, e) : cv_bc_add(m->into, id, e);
}

cv_status
cv_bc_merge(cv_bycustomer *into, const cv_bycustomer *from)
{
	merge_arg	m = {into, CV_OK};

	if (into->byte_keys != from->byte_keys)
		return CV_ERR_CORRUPT;
	cv_bc_foreach(from, merge_one, &m);
	return m.status;
}

/* the events of one customer into a plain array, in arrival order */
static size_t
gather(const cv_bycustomer *b, const cv_bc_slot *s, cv_event *out)
{
	size_t		n = s->count;
	uint32_t	k;

	/* the chain runs from the last event added back */
	for (k = s->head; k != CV_BC_END; k = b->ev[k].next)
	{
		const cv_bc_event *x = &b->ev[k];

		n--;
		out[n].at = x->at;
		out[n].value = x->value;
		out[n].cost = x->cost;
		out[n].stage = x->stage;
	}
	return s->count;
}

cv_status
cv_bc_each(const cv_bycustomer *b, cv_bc_customer_visitor visit, void *arg)
{
	cv_event	local[64];
	cv_event   *ev = local;
	size_t		ev_cap = 64;
	uint32_t	i;
	cv_status	st = CV_OK;

	for (i = 0; i < b->slot_cap && st == CV_OK; i++)
	{
		const cv_bc_slot *s = &b->slots[i];

		if ((i & 63) == 63)
			cv_pace(64);
		if (s->count == 0)
			continue;
		if (s->count > ev_cap)
		{
			if (ev != local)
				cv_mem.free(ev);
			ev_cap = s->count;
			ev = cv_mem.alloc(ev_cap * sizeof(cv_event));
		}
		st = visit(arg, ev, gather(b, s, ev));
	}
	if (ev != local)
		cv_mem.free(ev);
	return st;
}

static cv_status
add_to_flow(void *arg, cv_event *events, size_t n)
{
	return cv_flow_add_customer((cv_flow *) arg, events, n);
}

cv_status
cv_bc_summarize(const cv_bycustomer *b, cv_flow *into)
{
	return cv_bc_each(b, add_to_flow, into);
}

/* --- the serial form (integer ids) -------------------------------------------------- */

uint8_t *
cv_bc_encode(const cv_bycustomer *b, size_t reserve, size_t *len)
{
	buf			w = {NULL, 0, 0, NULL};	/* NULL: the ambient allocator */
	uint32_t	i;

	if (b->byte_keys)
	{
		*len = 0;
		return NULL;			/* only integer ids have a serial form */
	}
	grow(&w, reserve + 16 + (size_t) b->n * 12);
	w.len = reserve;
	put_u8(&w, BC_FORMAT_VERSION);
	put_u(&w, b->customers);
	for (i = 0; i < b->slot_cap; i++)
	{
		const cv_bc_slot *s = &b->slots[i];
		uint32_t	k;
		int64_t		prev = 0;

		if (s->count == 0)
			continue;
		put_z(&w, (int64_t) s->key);
		put_u(&w, s->count);
		for (k = s->head; k != CV_BC_END; k = b->ev[k].next)
		{
			const cv_bc_event *x = &b->ev[k];

			put_u8(&w, (uint8_t) (x->stage | (x->value != 0 ? 8 : 0) | (x->cost != 0 ? 16 : 0)));
			/* modulo 2^64: the decoder adds it back the same way */
			put_z(&w, (int64_t) ((uint64_t) x->at - (uint64_t) prev));
			if (x->value != 0)
				put_f64(&w, x->value);
			if (x->cost != 0)
				put_f64(&w, x->cost);
			prev = x->at;
			cv_pace(1);
		}
	}
	*len = w.len - reserve;
	return w.data;
}

cv_status
cv_bc_decode(cv_bycustomer *into, const uint8_t *data, size_t len, const char **why)
{
	reader		r = {data, data + len, NULL};
	uint64_t	customers,
				c;

	if (into->byte_keys)
		fail(&r, "The state is not one of integer ids.");
	if (get_u8(&r) != BC_FORMAT_VERSION && r.why == NULL)
		fail(&r, "Unsupported format version.");
	customers = get_u(&r);
	for (c = 0; c < customers && r.why == NULL; c++)
	{
		int64_t		customer = get_z(&r);
		uint64_t	n = get_u(&r),
					k;
		int64_t		at = 0;

		if (r.why == NULL && (n == 0 || n > (uint64_t) (r.end - r.p)))
			fail(&r, "A customer's event count is out of range.");
		for (k = 0; k < n && r.why == NULL; k++)
		{
			uint8_t		head = get_u8(&r);
			int64_t		delta = get_z(&r);
			cv_event	e;

			e.stage = head & 7;
			e.value = (head & 8) ? get_f64(&r) : 0;
			e.cost = (head & 16) ? get_f64(&r) : 0;
			if (r.why != NULL)
				break;
			if ((head & ~31) || !cv_stage_is_valid(e.stage))
			{
				fail(&r, "An event has no valid stage.");
				break;
			}
			/* unsigned arithmetic: no overflow, whatever the bytes say */
			at = (int64_t) ((uint64_t) at + (uint64_t) delta);
			if (at < CV_MIN_TIMESTAMP || at >= CV_END_TIMESTAMP)
				fail(&r, "An event time is out of range.");
			e.at = at;
			if (r.why == NULL && cv_bc_add(into, customer, &e) != CV_OK)
				fail(&r, "Too many events.");
			cv_pace(1);
		}
	}
	if (r.why == NULL && r.p != r.end)
		fail(&r, "There are bytes after the end.");
	*why = r.why;
	return r.why == NULL ? CV_OK : CV_ERR_CORRUPT;
}
