/*
 * bycustomer.c — events of many customers, grouped at the end.
 */
#include <math.h>
#include <string.h>

#include "bycustomer.h"
#include "codec.h"
#include "mem.h"

#define BC_FORMAT_VERSION 1

void
cv_bc_init(cv_bycustomer *b)
{
	memset(b, 0, sizeof(*b));
}

void
cv_bc_free(cv_bycustomer *b)
{
	if (b->ev != NULL)
		cv_mem.free(b->ev);
	if (b->slots != NULL)
		cv_mem.free(b->slots);
	memset(b, 0, sizeof(*b));
}

/* splitmix64's finaliser: customer ids are often sequential */
static uint32_t
slot_hash(int64_t customer)
{
	uint64_t	z = (uint64_t) customer + UINT64_C(0x9E3779B97F4A7C15);

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return (uint32_t) (z ^ (z >> 31));
}

static cv_bc_slot *
find(cv_bc_slot *slots, uint32_t cap, int64_t customer)
{
	uint32_t	i = slot_hash(customer) & (cap - 1);

	while (slots[i].count != 0 && slots[i].customer != customer)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void
grow_slots(cv_bycustomer *b)
{
	uint32_t	cap = b->slot_cap ? b->slot_cap * 2 : 1024;
	cv_bc_slot *slots = cv_mem.alloc((size_t) cap * sizeof(cv_bc_slot));
	uint32_t	i;

	memset(slots, 0, (size_t) cap * sizeof(cv_bc_slot));
	for (i = 0; i < b->slot_cap; i++)
		if (b->slots[i].count != 0)
			*find(slots, cap, b->slots[i].customer) = b->slots[i];
	if (b->slots != NULL)
		cv_mem.free(b->slots);
	b->slots = slots;
	b->slot_cap = cap;
}

cv_status
cv_bc_add(cv_bycustomer *b, int64_t customer, const cv_event *e)
{
	cv_bc_slot *slot;
	cv_bc_event *x;

	if (b->n == b->cap)
	{
		uint32_t	cap = b->cap ? b->cap * 2 : 1024;

		if (b->cap >= UINT32_MAX / 2)
			return CV_ERR_CORRUPT;	/* 2^31 events: more than one state holds */
		b->ev = cv_mem.realloc(b->ev, (size_t) cap * sizeof(cv_bc_event));
		b->cap = cap;
	}
	/* keep the table at most 1/2 full: probes stay short */
	if ((uint64_t) (b->customers + 1) * 2 > b->slot_cap)
	{
		if (b->slot_cap >= UINT32_C(1) << 31)
			return CV_ERR_CORRUPT;	/* 2^30 customers: the table is as big as it gets */
		grow_slots(b);
	}
	slot = find(b->slots, b->slot_cap, customer);
	if (slot->count == 0)
	{
		slot->customer = customer;
		slot->head = CV_BC_END;
		b->customers++;
	}
	x = &b->ev[b->n];
	x->at = e->at;
	x->value = e->value;
	x->cost = e->cost;
	x->stage = e->stage;
	x->next = slot->head;
	slot->head = b->n++;
	slot->count++;
	return CV_OK;
}

cv_status
cv_bc_merge(cv_bycustomer *into, const cv_bycustomer *from)
{
	uint32_t	i;

	for (i = 0; i < from->slot_cap; i++)
	{
		const cv_bc_slot *s = &from->slots[i];
		uint32_t	k;

		if (s->count == 0)
			continue;
		for (k = s->head; k != CV_BC_END; k = from->ev[k].next)
		{
			const cv_bc_event *x = &from->ev[k];
			cv_event	e = {x->at, x->value, x->cost, x->stage};

			if (cv_bc_add(into, s->customer, &e) != CV_OK)
				return CV_ERR_CORRUPT;
		}
	}
	return CV_OK;
}

/* the events of one customer into a plain array */
static size_t
gather(const cv_bycustomer *b, const cv_bc_slot *s, cv_event *out)
{
	size_t		n = 0;
	uint32_t	k;

	for (k = s->head; k != CV_BC_END; k = b->ev[k].next)
	{
		const cv_bc_event *x = &b->ev[k];

		out[n].at = x->at;
		out[n].value = x->value;
		out[n].cost = x->cost;
		out[n].stage = x->stage;
		n++;
	}
	return n;
}

cv_status
cv_bc_summarize(const cv_bycustomer *b, cv_flow *into)
{
	cv_event	local[64];
	cv_event   *ev = local;
	size_t		ev_cap = 64;
	uint32_t	i;
	cv_status	st = CV_OK;

	for (i = 0; i < b->slot_cap && st == CV_OK; i++)
	{
		const cv_bc_slot *s = &b->slots[i];

		if (s->count == 0)
			continue;
		if (s->count > ev_cap)
		{
			if (ev != local)
				cv_mem.free(ev);
			ev_cap = s->count;
			ev = cv_mem.alloc(ev_cap * sizeof(cv_event));
		}
		st = cv_flow_add_customer(into, ev, gather(b, s, ev));
	}
	if (ev != local)
		cv_mem.free(ev);
	return st;
}

void
cv_bc_foreach(const cv_bycustomer *b, cv_bc_visitor fn, void *arg)
{
	uint32_t	i;

	for (i = 0; i < b->slot_cap; i++)
	{
		const cv_bc_slot *s = &b->slots[i];
		uint32_t	k;

		if (s->count == 0)
			continue;
		for (k = s->head; k != CV_BC_END; k = b->ev[k].next)
		{
			const cv_bc_event *x = &b->ev[k];
			cv_event	e = {x->at, x->value, x->cost, x->stage};

			fn(arg, s->customer, NULL, 0, &e);
		}
	}
}

uint8_t *
cv_bc_encode(const cv_bycustomer *b, size_t reserve, size_t *len)
{
	buf			w = {NULL, 0, 0, NULL};	/* NULL: the ambient allocator */
	uint32_t	i;

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
		put_z(&w, s->customer);
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
		}
	}
	if (r.why == NULL && r.p != r.end)
		fail(&r, "There are bytes after the end.");
	*why = r.why;
	return r.why == NULL ? CV_OK : CV_ERR_CORRUPT;
}
