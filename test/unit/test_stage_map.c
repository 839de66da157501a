/*
 * test_stage_map.c — the label key, and the shipped presets checked for
 * consistency and against the readings documented in doc/crm.md.
 */
#include <string.h>

#include "unit.h"
#include "stage_map.h"

static const char *
key(const char *s)
{
	static char buf[256];
	size_t		n = cv_label_key(s, strlen(s), buf);

	buf[n] = '\0';
	return buf;
}

static void
label_keys(void)
{
	CHECK_STR(key("Closed Won"), "closedwon");
	CHECK_STR(key("closed_won"), "closedwon");
	CHECK_STR(key("  CLOSED-WON "), "closedwon");
	CHECK_STR(key("Id. Decision Makers"), "iddecisionmakers");
	CHECK_STR(key("Proposal/Price Quote"), "proposalpricequote");
	CHECK_STR(key("Open - Not Contacted"), "opennotcontacted");
	CHECK_STR(key("Stage 2"), "stage2");
	CHECK_STR(key(" - "), "");
	CHECK_STR(key(""), "");
	/* non-ASCII bytes are kept as they are (no locale-dependent folding) */
	CHECK_STR(key("Kund\xc3\xa4 Ok"), "kund\xc3\xa4ok");
	CHECK_STR(key("\xc3\x84"), "\xc3\x84");

	CHECK(cv_label_same("Marketing Qualified Lead", 24, "marketingqualifiedlead", 22));
	CHECK(cv_label_same("", 0, " ", 1));
	CHECK(cv_label_same("a-b", 3, "AB", 2));
	CHECK(!cv_label_same("ab", 2, "abc", 3));
	CHECK(!cv_label_same("abc", 3, "ab", 2));
	CHECK(!cv_label_same("ab ", 3, "abx", 3));
	CHECK(!cv_label_same("", 0, "x", 1));
	CHECK(!cv_label_same("\xc3\xa4", 2, "\xc3\x84", 2));

	CHECK_STR(cv_label_kind_name(CV_LABEL_LEFT), "left");
	CHECK_INT(cv_label_kind_parse("keep", 4), CV_LABEL_KEEP);
	CHECK_INT(cv_label_kind_parse("stage", 5), CV_LABEL_STAGE);
	CHECK_INT(cv_label_kind_parse("Keep", 4), -1);
	CHECK_INT(cv_label_kind_parse("kee", 3), -1);
}

/* every preset: a stage exactly when the kind is stage, a reason, no two labels with one key */
static void
presets_consistent(void)
{
	const cv_preset_map *m;
	int			maps = 0;

	for (m = cv_stage_map_presets(); m->name != NULL; m++)
	{
		int			i,
					j;

		maps++;
		CHECK(cv_stage_map_preset(m->name, strlen(m->name)) == m);
		CHECK(m->nentries > 0 && m->source != NULL);
		for (i = 0; i < m->nentries; i++)
		{
			const cv_map_entry *e = &m->entries[i];

			CHECK((e->kind == CV_LABEL_STAGE) == cv_stage_is_valid(e->stage));
			CHECK(e->reason != NULL && strlen(e->reason) > 20);
			CHECK(cv_preset_find(m, e->label, strlen(e->label)) == e);
			for (j = i + 1; j < m->nentries; j++)
				CHECK(!cv_label_same(e->label, strlen(e->label),
									 m->entries[j].label, strlen(m->entries[j].label)));
		}
	}
	CHECK_INT(maps, 3);
	CHECK(cv_stage_map_preset("hubspot", 7) == NULL);
	CHECK(cv_stage_map_preset("HUBSPOT_LIFECYCLE", 17) == NULL);
}

static int
reads(const char *map, const char *label, cv_stage stage, cv_label_kind kind)
{
	const cv_preset_map *m = cv_stage_map_preset(map, strlen(map));
	const cv_map_entry *e = m ? cv_preset_find(m, label, strlen(label)) : NULL;

	return e != NULL && e->stage == stage && e->kind == kind;
}

/* the readings doc/crm.md explains, one by one */
static void
presets_read(void)
{
	CHECK(reads("hubspot_lifecycle", "subscriber", CV_AWARENESS, CV_LABEL_STAGE));
	CHECK(reads("hubspot_lifecycle", "Lead", CV_EXPLORATION, CV_LABEL_STAGE));
	CHECK(reads("hubspot_lifecycle", "Marketing Qualified Lead", CV_EXPLORATION, CV_LABEL_STAGE));
	CHECK(reads("hubspot_lifecycle", "salesqualifiedlead", CV_EXPERIENCE, CV_LABEL_STAGE));
	CHECK(reads("hubspot_lifecycle", "opportunity", CV_EXPERIENCE, CV_LABEL_STAGE));
	CHECK(reads("hubspot_lifecycle", "customer", CV_VALUE_REALIZATION, CV_LABEL_STAGE));
	CHECK(reads("hubspot_lifecycle", "evangelist", CV_ADVOCACY, CV_LABEL_STAGE));
	CHECK(reads("hubspot_lifecycle", "other", CV_STAGE_INVALID, CV_LABEL_LEFT));
	CHECK(reads("hubspot_lifecycle", "", CV_STAGE_INVALID, CV_LABEL_KEEP));
	CHECK(!reads("hubspot_lifecycle", "awareness", CV_AWARENESS, CV_LABEL_STAGE));

	CHECK(reads("salesforce_opportunity", "Prospecting", CV_AWARENESS, CV_LABEL_STAGE));
	CHECK(reads("salesforce_opportunity", "Qualification", CV_EXPLORATION, CV_LABEL_STAGE));
	CHECK(reads("salesforce_opportunity", "Needs Analysis", CV_EXPLORATION, CV_LABEL_STAGE));
	CHECK(reads("salesforce_opportunity", "Value Proposition", CV_EXPERIENCE, CV_LABEL_STAGE));
	CHECK(reads("salesforce_opportunity", "Id. Decision Makers", CV_STAGE_INVALID, CV_LABEL_KEEP));
	CHECK(reads("salesforce_opportunity", "Perception Analysis", CV_STAGE_INVALID, CV_LABEL_KEEP));
	CHECK(reads("salesforce_opportunity", "Proposal/Price Quote", CV_EXPERIENCE, CV_LABEL_STAGE));
	CHECK(reads("salesforce_opportunity", "Negotiation/Review", CV_EXPERIENCE, CV_LABEL_STAGE));
	CHECK(reads("salesforce_opportunity", "Closed Won", CV_VALUE_REALIZATION, CV_LABEL_STAGE));
	CHECK(reads("salesforce_opportunity", "Closed Lost", CV_STAGE_INVALID, CV_LABEL_LEFT));

	CHECK(reads("salesforce_lead", "Open - Not Contacted", CV_AWARENESS, CV_LABEL_STAGE));
	CHECK(reads("salesforce_lead", "Working - Contacted", CV_EXPLORATION, CV_LABEL_STAGE));
	CHECK(reads("salesforce_lead", "Closed - Converted", CV_EXPERIENCE, CV_LABEL_STAGE));
	CHECK(reads("salesforce_lead", "Closed - Not Converted", CV_STAGE_INVALID, CV_LABEL_LEFT));
}

const unit_test stage_map_tests[] = {
	{"stage map: label keys", label_keys},
	{"stage map: presets are consistent", presets_consistent},
	{"stage map: presets read as documented", presets_read},
	{NULL, NULL}
};
