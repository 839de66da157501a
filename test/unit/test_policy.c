/*
 * test_policy.c — named policies against matrices written out by hand, the
 * literal parser, canonical text, and path checks.
 */
#include <stdlib.h>

#include "unit.h"
#include "policy.h"

/* rows: from awareness .. engagement; columns: to awareness .. engagement */
static cv_policy
matrix(const char *rows[6])
{
	cv_policy	p = 0;
	int			f,
				t;

	for (f = 0; f < 6; f++)
		for (t = 0; t < 6; t++)
			if (rows[f][t * 2] == '1')
				p |= cv_policy_bit((cv_stage) (f + 1), (cv_stage) (t + 1));
	return p;
}

static cv_policy
named(const char *name)
{
	cv_policy	p = 0xFFFFFFFFFFFFFFFFull;

	CHECK(cv_policy_lookup(name, strlen(name), &p));
	return p;
}

static void
named_matrices(void)
{
	/* wheel: stay, one step clockwise (engagement -> awareness), or back */
	const char *wheel[6] = {
		/* aw ex xp vr ad en */
		"1 1 0 0 0 0",			/* awareness */
		"1 1 1 0 0 0",			/* exploration */
		"1 1 1 1 0 0",			/* experience */
		"1 1 1 1 1 0",			/* value_realization */
		"1 1 1 1 1 1",			/* advocacy */
		"1 1 1 1 1 1",			/* engagement */
	};
	const char *strict[6] = {
		"1 1 0 0 0 0",
		"0 1 1 0 0 0",
		"0 0 1 1 0 0",
		"0 0 0 1 1 0",
		"0 0 0 0 1 1",
		"1 0 0 0 0 1",
	};
	const char *adjacent[6] = {
		"1 1 0 0 0 1",
		"1 1 1 0 0 0",
		"0 1 1 1 0 0",
		"0 0 1 1 1 0",
		"0 0 0 1 1 1",
		"1 0 0 0 1 1",
	};
	/* forward: stay, on to any later stage, engagement -> awareness; never back */
	const char *forward[6] = {
		"1 1 1 1 1 1",
		"0 1 1 1 1 1",
		"0 0 1 1 1 1",
		"0 0 0 1 1 1",
		"0 0 0 0 1 1",
		"1 0 0 0 0 1",
	};

	CHECK_INT(named("wheel"), matrix(wheel));
	CHECK_INT(named("forward"), matrix(forward));
	CHECK_STR(cv_policy_name_of(matrix(forward)), "forward");
	CHECK_INT(named("strict"), matrix(strict));
	CHECK_INT(named("adjacent"), matrix(adjacent));
	CHECK_INT(named("open"), CV_POLICY_MASK);
	CHECK_INT(named("none"), 0);
	CHECK_INT(named("  WHEEL "), matrix(wheel));
	CHECK_INT(named("Adjacent"), matrix(adjacent));
	{
		cv_policy	p;

		CHECK(!cv_policy_lookup("wheels", 6, &p));
		CHECK(!cv_policy_lookup("", 0, &p));
	}
	CHECK_STR(cv_policy_name_of(matrix(strict)), "strict");
	CHECK(cv_policy_name_of(matrix(strict) | cv_policy_bit(CV_AWARENESS, CV_ADVOCACY)) == NULL);
	CHECK_STR(cv_policy_name_list(), "wheel, strict, adjacent, forward, open, none");
}

static cv_policy
parse_ok(const char *s)
{
	cv_policy	p = 0;
	const char *bad,
			   *why;
	size_t		bad_len;

	if (!cv_policy_parse(s, strlen(s), &p, &bad, &bad_len, &why))
	{
		unit_current_failed = 1;
		fprintf(stderr, "  parse(\"%s\") failed: %.*s: %s\n", s, (int) bad_len, bad, why);
	}
	return p;
}

static void
parse_literals(void)
{
	cv_policy	aw_ex = cv_policy_bit(CV_AWARENESS, CV_EXPLORATION);
	cv_policy	to_aw = 0;
	int			f;

	for (f = 1; f <= 6; f++)
		to_aw |= cv_policy_bit((cv_stage) f, CV_AWARENESS);
	CHECK_INT(parse_ok("awareness>exploration"), aw_ex);
	CHECK_INT(parse_ok(" Awareness > Exploration "), aw_ex);
	CHECK_INT(parse_ok("awareness>exploration, *>awareness"), aw_ex | to_aw);
	CHECK_INT(parse_ok("*>awareness,awareness>exploration"), aw_ex | to_aw);
	CHECK_INT(parse_ok("*>*"), CV_POLICY_OPEN);
	CHECK_INT(parse_ok("value realization>value-realization"),
			  cv_policy_bit(CV_VALUE_REALIZATION, CV_VALUE_REALIZATION));
	/* names mix with edges; duplicates are harmless */
	CHECK_INT(parse_ok("strict, *>awareness"), named("strict") | to_aw);
	CHECK_INT(parse_ok("wheel, advocacy>awareness, wheel"), named("wheel"));
	CHECK_INT(parse_ok("none"), 0);
}

static void
parse_errors(void)
{
	static const struct
	{
		const char *input;
		const char *bad;		/* the item the error names */
	}			cases[] = {
		{"", ""},
		{"   ", "   "},
		{"foo", "foo"},
		{"wheel, foo", "foo"},
		{"awareness>", "awareness>"},
		{">awareness", ">awareness"},
		{"awareness>exploration>experience", "awareness>exploration>experience"},
		{"awareness>exploration,", ""},
		{",", ""},
		{"strict,,open", ""},
		{"awareness>explorashun", "awareness>explorashun"},
		{"**>awareness", "**>awareness"},
		{"awareness - exploration", "awareness - exploration"},
		{NULL, NULL}
	};
	int			i;

	for (i = 0; cases[i].input != NULL; i++)
	{
		cv_policy	p = 12345;
		const char *bad = NULL,
				   *why = NULL;
		size_t		bad_len = 0;
		int			ok = cv_policy_parse(cases[i].input, strlen(cases[i].input), &p,
										 &bad, &bad_len, &why);

		CHECK_INT(ok, 0);
		CHECK(why != NULL);
		CHECK_INT(p, 12345);	/* untouched on error */
		if (strcmp(cases[i].input, "   ") != 0 && strcmp(cases[i].input, "") != 0)
		{
			CHECK_INT(bad_len, strlen(cases[i].bad));
			CHECK(bad != NULL && strncmp(bad, cases[i].bad, bad_len) == 0);
		}
	}
}

static const char *
fmt(cv_policy p)
{
	static char buf[CV_POLICY_TEXT_MAX];

	cv_policy_format(p, buf, sizeof(buf));
	return buf;
}

static void
canonical_text(void)
{
	cv_policy	to_aw = parse_ok("*>awareness");

	CHECK_STR(fmt(named("wheel")), "wheel");
	CHECK_STR(fmt(0), "none");
	CHECK_STR(fmt(CV_POLICY_OPEN), "open");
	CHECK_STR(fmt(parse_ok("awareness>exploration, *>awareness")),
			  "*>awareness, awareness>exploration");
	CHECK_STR(fmt(parse_ok("advocacy>*, experience>advocacy")),
			  "advocacy>*, experience>advocacy");
	CHECK_STR(fmt(named("strict") | to_aw),
			  "*>awareness, awareness>exploration, exploration>exploration, "
			  "exploration>experience, experience>experience, experience>value_realization, "
			  "value_realization>value_realization, value_realization>advocacy, "
			  "advocacy>advocacy, advocacy>engagement, engagement>engagement");
	/* a short buffer is cut but NUL-terminated, and the full length reported */
	{
		char		small[8];
		size_t		need = cv_policy_format(parse_ok("advocacy>*"), small, sizeof(small));

		CHECK_INT(need, strlen("advocacy>*"));
		CHECK_STR(small, "advocac");
	}
}

static void
round_trip_random(void)
{
	int			i;
	size_t		longest = 0;

	for (i = 0; i < 200000; i++)
	{
		/* vary the density so sparse, dense and row/column-full sets all occur */
		uint64_t	bits = unit_rng() & CV_POLICY_MASK;
		cv_policy	p = (i % 3 == 0) ? bits & unit_rng() & unit_rng() : (i % 3 == 1) ? bits | unit_rng() : bits;
		const char *text;
		cv_policy	back = ~(cv_policy) 0;
		const char *bad,
				   *why;
		size_t		bad_len;

		p &= CV_POLICY_MASK;
		text = fmt(p);
		if (strlen(text) > longest)
			longest = strlen(text);
		if (!cv_policy_parse(text, strlen(text), &back, &bad, &bad_len, &why) || back != p)
		{
			CHECK_STR(text, "<reads back to the same policy>");
			break;
		}
	}
	CHECK(longest < CV_POLICY_TEXT_MAX);
}

static void
paths(void)
{
	cv_policy	w = named("wheel");
	cv_stage	ok[] = {1, 2, 2, 3, 1, 2, 3, 4, 5, 6, 1};
	cv_stage	skip[] = {1, 2, 4, 5};
	cv_stage	holes[] = {0, 1, 0, 0, 2, 0, 3, 0};
	cv_stage	hole_skip[] = {2, 0, 5};

	CHECK_INT(cv_path_first_invalid(ok, 11, w), -1);
	CHECK_INT(cv_path_first_invalid(skip, 4, w), 2);	/* exploration -> value_realization */
	CHECK_INT(cv_path_first_invalid(skip, 2, w), -1);
	CHECK_INT(cv_path_first_invalid(NULL, 0, w), -1);
	CHECK_INT(cv_path_first_invalid(holes, 8, w), -1);
	CHECK_INT(cv_path_first_invalid(hole_skip, 3, w), 2);	/* compared across the hole */
	CHECK_INT(cv_path_first_invalid(ok, 11, 0), 1);	/* none: the first step fails */
	CHECK_INT(cv_path_first_invalid(ok, 1, 0), -1);	/* one stage: no step */
	CHECK_INT(cv_path_first_invalid(ok, 11, named("strict")), 4);	/* strict: experience -> awareness is back */

	/*
	 * Staying is valid under every policy, also one whose matrix lacks the
	 * diagonal (as the guard triggers have always had it); a repeat across
	 * a hole is staying too.
	 */
	{
		cv_stage	stay[] = {1, 1, 2};
		cv_stage	stay_hole[] = {3, 0, 3, 0, 0, 3};
		cv_policy	aw_ex = cv_policy_bit(CV_AWARENESS, CV_EXPLORATION);

		CHECK_INT(cv_path_first_invalid(stay, 3, aw_ex), -1);
		CHECK_INT(cv_path_first_invalid(stay_hole, 6, CV_POLICY_NONE), -1);
		CHECK_INT(cv_path_first_invalid(stay, 3, CV_POLICY_NONE), 2);
		CHECK(cv_policy_allows_move(CV_POLICY_NONE, CV_ADVOCACY, CV_ADVOCACY));
		CHECK(!cv_policy_allows(CV_POLICY_NONE, CV_ADVOCACY, CV_ADVOCACY));
		CHECK(!cv_policy_allows_move(aw_ex, CV_EXPLORATION, CV_AWARENESS));
	}
}

const unit_test policy_tests[] = {
	{"policy: named policies match the hand-written matrices", named_matrices},
	{"policy: literals parse", parse_literals},
	{"policy: bad literals name the offending item", parse_errors},
	{"policy: canonical text", canonical_text},
	{"policy: 200,000 random policies read back from their text", round_trip_random},
	{"policy: path checks", paths},
	{NULL, NULL}
};
