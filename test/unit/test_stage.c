/*
 * test_stage.c — stage names, parsing and wheel arithmetic.
 */
#include "unit.h"
#include "stage.h"

static cv_stage
parse(const char *s)
{
	return cv_stage_parse(s, strlen(s));
}

static void
names_and_goals(void)
{
	static const char *const want[] = {NULL, "awareness", "exploration", "experience",
	"value_realization", "advocacy", "engagement"};
	int			s;

	for (s = 1; s <= CV_STAGE_COUNT; s++)
	{
		CHECK_STR(cv_stage_name((cv_stage) s), want[s]);
		CHECK(cv_stage_goal((cv_stage) s) != NULL);
		/* every canonical name reads back to its own position */
		CHECK_INT(parse(want[s]), s);
	}
	CHECK(cv_stage_name(0) == NULL);
	CHECK(cv_stage_name(7) == NULL);
	CHECK(cv_stage_goal(0) == NULL);
	CHECK_STR(cv_stage_name_list(),
			  "awareness, exploration, experience, value_realization, advocacy, engagement");
}

static void
parse_variants(void)
{
	CHECK_INT(parse("AWARENESS"), CV_AWARENESS);
	CHECK_INT(parse("  Exploration\t"), CV_EXPLORATION);
	CHECK_INT(parse("\n experience \r\n"), CV_EXPERIENCE);
	CHECK_INT(parse("Value Realization"), CV_VALUE_REALIZATION);
	CHECK_INT(parse("value-realization"), CV_VALUE_REALIZATION);
	CHECK_INT(parse("VALUE_realization"), CV_VALUE_REALIZATION);
	CHECK_INT(parse("AdVoCaCy"), CV_ADVOCACY);
	CHECK_INT(parse("engagement "), CV_ENGAGEMENT);
	/* only the given length is read */
	CHECK_INT(cv_stage_parse("advocacyXYZ", 8), CV_ADVOCACY);
}

static void
parse_rejects(void)
{
	static const char *const bad[] = {
		"", " ", "aware", "awarenesss", "awareness x", "value  realization",
		"value realization ", /* fine: trailing space trimmed, checked below */
		"valuerealization", "value_realisation", "value.realization", "_awareness",
		"value__realization", "4", "engagement\x01", "ENGAGEMENT_", "exploration-",
		NULL
	};
	int			i;

	for (i = 0; bad[i] != NULL; i++)
	{
		if (strcmp(bad[i], "value realization ") == 0)
			CHECK_INT(parse(bad[i]), CV_VALUE_REALIZATION);
		else
			CHECK_INT(parse(bad[i]), CV_STAGE_INVALID);
	}
	/* an embedded NUL is not whitespace */
	CHECK_INT(cv_stage_parse("advocacy\0", 9), CV_STAGE_INVALID);
	CHECK_INT(cv_stage_parse(NULL, 0), CV_STAGE_INVALID);
}

static void
rotate(void)
{
	CHECK_INT(cv_stage_next(CV_AWARENESS), CV_EXPLORATION);
	CHECK_INT(cv_stage_next(CV_ENGAGEMENT), CV_AWARENESS);
	CHECK_INT(cv_stage_prev(CV_AWARENESS), CV_ENGAGEMENT);
	CHECK_INT(cv_stage_prev(CV_ADVOCACY), CV_VALUE_REALIZATION);
	CHECK_INT(cv_stage_rotate(CV_EXPERIENCE, 0), CV_EXPERIENCE);
	CHECK_INT(cv_stage_rotate(CV_EXPERIENCE, 6), CV_EXPERIENCE);
	CHECK_INT(cv_stage_rotate(CV_EXPERIENCE, -6), CV_EXPERIENCE);
	CHECK_INT(cv_stage_rotate(CV_EXPERIENCE, 4), CV_AWARENESS);		/* 3+4 = 7 -> 1 */
	CHECK_INT(cv_stage_rotate(CV_EXPERIENCE, -3), CV_ENGAGEMENT);	/* 3-3 = 0 -> 6 */
	CHECK_INT(cv_stage_rotate(CV_AWARENESS, 13), CV_EXPLORATION);	/* 13 % 6 = 1 */
	/* extremes: INT64_MIN % 6 = -2, INT64_MAX % 6 = 1 */
	CHECK_INT(cv_stage_rotate(CV_AWARENESS, INT64_MIN), CV_ADVOCACY);
	CHECK_INT(cv_stage_rotate(CV_AWARENESS, INT64_MAX), CV_EXPLORATION);
	/* -2147483648 % 6 = -2: two steps back from awareness is advocacy */
	CHECK_INT(cv_stage_rotate(CV_AWARENESS, -2147483648LL), CV_ADVOCACY);
}

static void
rotate_is_a_group_action(void)
{
	int			s,
				a,
				b;

	/* rotating by a then b equals rotating by a + b, and n steps = n nexts */
	for (s = 1; s <= 6; s++)
		for (a = -13; a <= 13; a++)
		{
			cv_stage	walked = (cv_stage) s;
			int			k;

			for (k = 0; k < (a < 0 ? -a : a); k++)
				walked = a < 0 ? cv_stage_prev(walked) : cv_stage_next(walked);
			CHECK_INT(cv_stage_rotate((cv_stage) s, a), walked);
			for (b = -7; b <= 7; b++)
				CHECK_INT(cv_stage_rotate(cv_stage_rotate((cv_stage) s, a), b),
						  cv_stage_rotate((cv_stage) s, a + b));
		}
}

static void
steps(void)
{
	int			f,
				t;

	CHECK_INT(cv_stage_steps(CV_AWARENESS, CV_AWARENESS), 0);
	CHECK_INT(cv_stage_steps(CV_AWARENESS, CV_ENGAGEMENT), 5);
	CHECK_INT(cv_stage_steps(CV_ENGAGEMENT, CV_AWARENESS), 1);
	CHECK_INT(cv_stage_steps(CV_ADVOCACY, CV_EXPLORATION), 3);
	/* steps is the inverse of rotate */
	for (f = 1; f <= 6; f++)
		for (t = 1; t <= 6; t++)
		{
			int			d = cv_stage_steps((cv_stage) f, (cv_stage) t);

			CHECK(d >= 0 && d <= 5);
			CHECK_INT(cv_stage_rotate((cv_stage) f, d), t);
		}
}

const unit_test stage_tests[] = {
	{"stage: names and goals", names_and_goals},
	{"stage: parse accepts case, whitespace, space and hyphen", parse_variants},
	{"stage: parse rejects everything else", parse_rejects},
	{"stage: rotate, next, prev", rotate},
	{"stage: rotation composes", rotate_is_a_group_action},
	{"stage: steps is clockwise distance", steps},
	{NULL, NULL}
};
