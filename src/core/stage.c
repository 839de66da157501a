/*
 * stage.c — stage names, goals, parsing and wheel arithmetic.
 */
#include "stage.h"
#include "text.h"

static const char *const stage_names[CV_STAGE_COUNT + 1] = {
	NULL,
	"awareness",
	"exploration",
	"experience",
	"value_realization",
	"advocacy",
	"engagement",
};

/* the goals restate doc/model.md, one line each */
static const char *const stage_goals[CV_STAGE_COUNT + 1] = {
	NULL,
	"the customer notices a meaning, not just a message",
	"the customer learns and advances in their own task and goals",
	"the customer experiences the company's promise and an emotional connection",
	"value becomes real: the customer gains more than they give up",
	"the customer shares the experience and brings others in",
	"a strong bond to products, services and brand: buys and uses again and again",
};

const char *
cv_stage_name(cv_stage s)
{
	return cv_stage_is_valid(s) ? stage_names[s] : NULL;
}

const char *
cv_stage_goal(cv_stage s)
{
	return cv_stage_is_valid(s) ? stage_goals[s] : NULL;
}

const char *
cv_stage_name_list(void)
{
	return "awareness, exploration, experience, value_realization, advocacy, engagement";
}

/* does str[0..len) spell name, modulo case and '_' written as ' ' or '-'? */
static int
matches(const char *str, size_t len, const char *name)
{
	size_t		i;

	for (i = 0; i < len; i++)
	{
		char		want = name[i];
		char		got = cv_to_lower(str[i]);

		if (want == '\0')
			return 0;
		if (want == '_' ? (got != '_' && got != ' ' && got != '-') : got != want)
			return 0;
	}
	return name[len] == '\0';
}

cv_stage
cv_stage_parse(const char *str, size_t len)
{
	cv_stage	s;

	cv_trim(&str, &len);

	for (s = 1; s <= CV_STAGE_COUNT; s++)
		if (matches(str, len, stage_names[s]))
			return s;
	return CV_STAGE_INVALID;
}

cv_stage
cv_stage_rotate(cv_stage s, int64_t steps)
{
	/* steps % 6 is in -5..5, so no overflow for any int64 */
	int64_t		r = ((int64_t) (s - 1) + steps % CV_STAGE_COUNT + CV_STAGE_COUNT) % CV_STAGE_COUNT;

	return (cv_stage) (r + 1);
}

int
cv_stage_steps(cv_stage from, cv_stage to)
{
	return ((int) to - (int) from + CV_STAGE_COUNT) % CV_STAGE_COUNT;
}
