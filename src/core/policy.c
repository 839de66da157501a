/*
 * policy.c — named policies, the policy literal parser and its canonical
 * text, and path checking.
 */
#include <string.h>

#include "policy.h"
#include "text.h"

static cv_policy
build(int kind)
{
	cv_policy	p = 0;
	int			f,
				t;

	for (f = 1; f <= CV_STAGE_COUNT; f++)
		for (t = 1; t <= CV_STAGE_COUNT; t++)
		{
			int			stay = (f == t);
			int			next = (t == cv_stage_next((cv_stage) f));
			int			prev = (t == cv_stage_prev((cv_stage) f));
			int			ok;

			switch (kind)
			{
				case 0:			/* wheel */
					ok = stay || next || t < f;
					break;
				case 1:			/* strict */
					ok = stay || next;
					break;
				case 2:			/* adjacent */
					ok = stay || next || prev;
					break;
				default:		/* forward: on, skipping or not; a new round */
					ok = t >= f || (f == CV_ENGAGEMENT && t == CV_AWARENESS);
					break;
			}
			if (ok)
				p |= cv_policy_bit((cv_stage) f, (cv_stage) t);
		}
	return p;
}

const cv_named_policy *
cv_policy_names(void)
{
	static cv_named_policy names[7];

	/* built once from the definitions above rather than typed in as bits */
	if (names[0].name == NULL)
	{
		names[1] = (cv_named_policy) {"strict", build(1)};
		names[2] = (cv_named_policy) {"adjacent", build(2)};
		names[3] = (cv_named_policy) {"forward", build(3)};
		names[4] = (cv_named_policy) {"open", CV_POLICY_OPEN};
		names[5] = (cv_named_policy) {"none", CV_POLICY_NONE};
		names[6] = (cv_named_policy) {NULL, 0};
		names[0] = (cv_named_policy) {"wheel", build(0)};
	}
	return names;
}

const char *
cv_policy_name_list(void)
{
	return "wheel, strict, adjacent, forward, open, none";
}

int
cv_policy_lookup(const char *str, size_t len, cv_policy *out)
{
	const cv_named_policy *n;

	cv_trim(&str, &len);
	for (n = cv_policy_names(); n->name != NULL; n++)
	{
		size_t		i;

		if (strlen(n->name) != len)
			continue;
		for (i = 0; i < len; i++)
		{
			if (cv_to_lower(str[i]) != n->name[i])
				break;
		}
		if (i == len)
		{
			*out = n->policy;
			return 1;
		}
	}
	return 0;
}

const char *
cv_policy_name_of(cv_policy p)
{
	const cv_named_policy *n;

	for (n = cv_policy_names(); n->name != NULL; n++)
		if (n->policy == p)
			return n->name;
	return NULL;
}

/* one side of an edge: '*' (all stages, as a 6-bit mask) or a stage name */
static unsigned
parse_side(const char *s, size_t len)
{
	cv_stage	st;

	cv_trim(&s, &len);
	if (len == 1 && s[0] == '*')
		return 0x3F;
	st = cv_stage_parse(s, len);
	return st == CV_STAGE_INVALID ? 0 : 1u << (st - 1);
}

static cv_policy
edges(unsigned from_mask, unsigned to_mask)
{
	cv_policy	p = 0;
	int			f;

	for (f = 0; f < CV_STAGE_COUNT; f++)
		if (from_mask & (1u << f))
			p |= ((cv_policy) to_mask) << (f * CV_STAGE_COUNT);
	return p;
}

int
cv_policy_parse(const char *str, size_t len, cv_policy *out,
				const char **bad, size_t *bad_len, const char **why)
{
	cv_policy	acc = 0;
	size_t		start = 0;

	*bad = str;
	*bad_len = len;
	{
		const char *s = str;
		size_t		l = len;

		cv_trim(&s, &l);
		if (l == 0)
		{
			*why = "A policy is a policy name or a comma-separated list of edges from>to.";
			return 0;
		}
	}
	for (;;)
	{
		size_t		end = start;
		const char *item;
		size_t		ilen;
		const char *gt;
		cv_policy	named;

		while (end < len && str[end] != ',')
			end++;
		item = str + start;
		ilen = end - start;
		cv_trim(&item, &ilen);
		*bad = item;
		*bad_len = ilen;
		gt = ilen > 0 ? memchr(item, '>', ilen) : NULL;
		if (ilen == 0)
		{
			*why = "The list has an empty item.";
			return 0;
		}
		else if (gt == NULL)
		{
			if (!cv_policy_lookup(item, ilen, &named))
			{
				*why = "It is neither a policy name nor an edge from>to.";
				return 0;
			}
			acc |= named;
		}
		else
		{
			size_t		left = (size_t) (gt - item);
			unsigned	from,
						to;

			if (memchr(gt + 1, '>', ilen - left - 1) != NULL)
			{
				*why = "An edge has exactly one '>' between two stages.";
				return 0;
			}
			from = parse_side(item, left);
			to = parse_side(gt + 1, ilen - left - 1);
			if (from == 0 || to == 0)
			{
				*why = "Each side of an edge is a stage name or *.";
				return 0;
			}
			acc |= edges(from, to);
		}
		if (end >= len)
			break;
		start = end + 1;
	}
	*out = acc;
	return 1;
}

/* append to buf as far as it goes; always count the full length */
static void
put(char *buf, size_t buflen, size_t *pos, const char *s)
{
	size_t		n = strlen(s);

	if (*pos < buflen)
	{
		size_t		room = buflen - *pos - 1;

		memcpy(buf + *pos, s, n < room ? n : room);
	}
	*pos += n;
}

static void
put_edge(char *buf, size_t buflen, size_t *pos, const char *from, const char *to)
{
	if (*pos > 0)
		put(buf, buflen, pos, ", ");
	put(buf, buflen, pos, from);
	put(buf, buflen, pos, ">");
	put(buf, buflen, pos, to);
}

size_t
cv_policy_format(cv_policy p, char *buf, size_t buflen)
{
	const char *name = cv_policy_name_of(p);
	size_t		pos = 0;
	cv_policy	covered = 0;
	int			f,
				t;

	if (name != NULL)
		put(buf, buflen, &pos, name);
	else
	{
		for (f = 1; f <= CV_STAGE_COUNT; f++)
			if (cv_policy_row(p, (cv_stage) f) == 0x3F)
			{
				put_edge(buf, buflen, &pos, cv_stage_name((cv_stage) f), "*");
				covered |= edges(1u << (f - 1), 0x3F);
			}
		for (t = 1; t <= CV_STAGE_COUNT; t++)
			if ((p & edges(0x3F, 1u << (t - 1))) == edges(0x3F, 1u << (t - 1)))
			{
				put_edge(buf, buflen, &pos, "*", cv_stage_name((cv_stage) t));
				covered |= edges(0x3F, 1u << (t - 1));
			}
		for (f = 1; f <= CV_STAGE_COUNT; f++)
			for (t = 1; t <= CV_STAGE_COUNT; t++)
				if (cv_policy_allows(p & ~covered, (cv_stage) f, (cv_stage) t))
					put_edge(buf, buflen, &pos, cv_stage_name((cv_stage) f),
							 cv_stage_name((cv_stage) t));
	}
	if (buflen > 0)
		buf[pos < buflen ? pos : buflen - 1] = '\0';
	return pos;
}

long
cv_path_first_invalid(const cv_stage *stages, size_t n, cv_policy p)
{
	cv_stage	prev = CV_STAGE_INVALID;
	size_t		i;

	for (i = 0; i < n; i++)
	{
		if (stages[i] == CV_STAGE_INVALID)
			continue;
		if (prev != CV_STAGE_INVALID && !cv_policy_allows_move(p, prev, stages[i]))
			return (long) i;
		prev = stages[i];
	}
	return -1;
}
