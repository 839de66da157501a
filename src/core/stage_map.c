/*
 * stage_map.c — the shipped stage maps and the label key.
 *
 * A preset is frozen once released: cvfw_stage_preset() is IMMUTABLE, so
 * generated columns and indexes may store what it returns, and changing a
 * label's reading would silently disagree with them.  A better reading
 * ships as a new preset name (hubspot_lifecycle_v2), never as an edit.
 */
#include <string.h>

#include "stage_map.h"

#define ENTRY_STAGE(label, stage, reason)	{label, stage, CV_LABEL_STAGE, reason}
#define ENTRY_LEFT(label, reason)			{label, CV_STAGE_INVALID, CV_LABEL_LEFT, reason}
#define ENTRY_KEEP(label, reason)			{label, CV_STAGE_INVALID, CV_LABEL_KEEP, reason}

/*
 * HubSpot's contact lifecycle stage (the lifecyclestage property), by its
 * internal values; the display names ("Marketing Qualified Lead") have the
 * same keys.  HubSpot has no label for repeat buyers (engagement): a map
 * of one's own can add one.
 */
static const cv_map_entry hubspot_lifecycle[] = {
	ENTRY_STAGE("subscriber", CV_AWARENESS,
				"Has opted in to hear from the company (blog, newsletter): has noticed a meaning, "
				"with no task of their own yet."),
	ENTRY_STAGE("lead", CV_EXPLORATION,
				"Has shown interest beyond subscribing (a form, a download, a request): is learning "
				"about their own task and goals."),
	ENTRY_STAGE("marketingqualifiedlead", CV_EXPLORATION,
				"Marketing judges them engaged enough for sales; they are still learning and "
				"advancing in their own task, with no first-hand experience of the offer yet."),
	ENTRY_STAGE("salesqualifiedlead", CV_EXPERIENCE,
				"Sales has accepted them and is in conversation with them: they meet the company's "
				"promise first-hand."),
	ENTRY_STAGE("opportunity", CV_EXPERIENCE,
				"A deal is open (a demo, a trial, a proposal): they experience the promise before "
				"buying."),
	ENTRY_STAGE("customer", CV_VALUE_REALIZATION,
				"Has bought: value becomes real."),
	ENTRY_STAGE("evangelist", CV_ADVOCACY,
				"Promotes the company and brings others in."),
	ENTRY_LEFT("other",
			   "HubSpot's catch-all outside the lifecycle (disqualified, not a fit, a partner): "
			   "the contact has left the flow."),
	ENTRY_KEEP("",
			   "A cleared stage: HubSpot moves a stage only forward, so a contact is cleared before "
			   "it is set to an earlier one; the cleared value says nothing new."),
};

/*
 * Salesforce's Opportunity.StageName, the standard picklist values.  A
 * deal is one buyer's journey; stages the seller works through without the
 * buyer moving read as keep.
 */
static const cv_map_entry salesforce_opportunity[] = {
	ENTRY_STAGE("Prospecting", CV_AWARENESS,
				"The company has found the buyer, who is noticing what it offers."),
	ENTRY_STAGE("Qualification", CV_EXPLORATION,
				"Whether there is a need worth pursuing is found out together: the buyer is learning "
				"about their own task."),
	ENTRY_STAGE("Needs Analysis", CV_EXPLORATION,
				"The buyer's needs and goals are worked out: still exploration."),
	ENTRY_STAGE("Value Proposition", CV_EXPERIENCE,
				"The buyer meets the company's promise, tailored to them."),
	ENTRY_KEEP("Id. Decision Makers",
			   "The seller finds out who decides: says nothing new about where the buyer is."),
	ENTRY_KEEP("Perception Analysis",
			   "The seller's reading of how the buyer sees the offer: says nothing new about where "
			   "the buyer is."),
	ENTRY_STAGE("Proposal/Price Quote", CV_EXPERIENCE,
				"The buyer weighs a concrete offer: still experiencing the promise, value not yet "
				"real."),
	ENTRY_STAGE("Negotiation/Review", CV_EXPERIENCE,
				"Terms are negotiated: the promise is tested, not yet realised."),
	ENTRY_STAGE("Closed Won", CV_VALUE_REALIZATION,
				"The buyer has committed: value becomes real."),
	ENTRY_LEFT("Closed Lost",
			   "The deal is lost: the buyer has left the flow."),
};

/* Salesforce's Lead.Status, the standard picklist values */
static const cv_map_entry salesforce_lead[] = {
	ENTRY_STAGE("Open - Not Contacted", CV_AWARENESS,
				"A lead the company has found and not yet talked to: at most aware of it."),
	ENTRY_STAGE("Working - Contacted", CV_EXPLORATION,
				"In conversation about their needs: exploring."),
	ENTRY_STAGE("Closed - Converted", CV_EXPERIENCE,
				"Qualified and converted into an opportunity: the buyer goes on to meet the offer "
				"(the journey continues on the opportunity)."),
	ENTRY_LEFT("Closed - Not Converted",
			   "Disqualified: the lead has left the flow."),
};

#define PRESET(name, source, entries) \
	{name, source, entries, (int) (sizeof(entries) / sizeof(entries[0]))}

static const cv_preset_map presets[] = {
	PRESET("hubspot_lifecycle", "HubSpot contacts: lifecyclestage", hubspot_lifecycle),
	PRESET("salesforce_opportunity", "Salesforce opportunities: StageName", salesforce_opportunity),
	PRESET("salesforce_lead", "Salesforce leads: Status", salesforce_lead),
	{NULL, NULL, NULL, 0}
};

const char *
cv_label_kind_name(cv_label_kind kind)
{
	switch (kind)
	{
		case CV_LABEL_STAGE:
			return "stage";
		case CV_LABEL_LEFT:
			return "left";
		case CV_LABEL_KEEP:
			return "keep";
	}
	return NULL;
}

int
cv_label_kind_parse(const char *str, size_t len)
{
	int			k;

	for (k = CV_LABEL_STAGE; k <= CV_LABEL_KEEP; k++)
	{
		const char *name = cv_label_kind_name((cv_label_kind) k);

		if (strlen(name) == len && memcmp(name, str, len) == 0)
			return k;
	}
	return -1;
}

const cv_preset_map *
cv_stage_map_presets(void)
{
	return presets;
}

const cv_preset_map *
cv_stage_map_preset(const char *name, size_t len)
{
	const cv_preset_map *m;

	for (m = presets; m->name != NULL; m++)
		if (strlen(m->name) == len && memcmp(m->name, name, len) == 0)
			return m;
	return NULL;
}

/* the byte a label byte contributes to the key, or 0 when it is left out */
static inline char
key_byte(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return (char) (c - 'A' + 'a');
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)
		return (char) c;
	return 0;
}

size_t
cv_label_key(const char *str, size_t len, char *out)
{
	size_t		n = 0,
				i;

	for (i = 0; i < len; i++)
	{
		char		k = key_byte((unsigned char) str[i]);

		if (k != 0)
			out[n++] = k;
	}
	return n;
}

int
cv_label_same(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t		i = 0,
				j = 0;

	for (;;)
	{
		char		ka = 0,
					kb = 0;

		while (i < alen && (ka = key_byte((unsigned char) a[i])) == 0)
			i++;
		while (j < blen && (kb = key_byte((unsigned char) b[j])) == 0)
			j++;
		if (i == alen || j == blen)
			return i == alen && j == blen;
		if (ka != kb)
			return 0;
		i++;
		j++;
	}
}

const cv_map_entry *
cv_preset_find(const cv_preset_map *map, const char *label, size_t len)
{
	int			i;

	for (i = 0; i < map->nentries; i++)
		if (cv_label_same(map->entries[i].label, strlen(map->entries[i].label), label, len))
			return &map->entries[i];
	return NULL;
}
