/*
 * fuzz_stage_map.c — libFuzzer target for the label key and the presets'
 * lookup (cv_label_key, cv_label_same, cv_preset_find).
 *
 * The input is two labels split at the first NUL byte.  Differential: the
 * key written out agrees with a slow reference (keep [A-Za-z0-9] lowercased
 * and every byte >= 0x80); cv_label_same agrees with comparing the two
 * keys; a label found in a preset has that entry's key; the key of a key
 * is itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stage_map.h"

static size_t
reference(const uint8_t *s, size_t n, char *out)
{
	size_t		k = 0,
				i;

	for (i = 0; i < n; i++)
	{
		uint8_t		c = s[i];

		if (c >= 'A' && c <= 'Z')
			out[k++] = (char) (c + 32);
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)
			out[k++] = (char) c;
	}
	return k;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t		alen = nul ? (size_t) (nul - data) : size;
	const uint8_t *b = nul ? nul + 1 : data + size;
	size_t		blen = size - alen - (nul ? 1 : 0);
	char	   *ka = malloc(alen + 1),
			   *kb = malloc(blen + 1),
			   *ra = malloc(alen + 1),
			   *kk = malloc(alen + 1);
	size_t		na = cv_label_key((const char *) data, alen, ka),
				nb = cv_label_key((const char *) b, blen, kb);
	const cv_preset_map *m;

	if (na != reference(data, alen, ra) || memcmp(ka, ra, na) != 0)
		abort();
	if (cv_label_same((const char *) data, alen, (const char *) b, blen) !=
		(na == nb && memcmp(ka, kb, na) == 0))
		abort();
	if (cv_label_key(ka, na, kk) != na || memcmp(kk, ka, na) != 0)
		abort();
	for (m = cv_stage_map_presets(); m->name != NULL; m++)
	{
		const cv_map_entry *e = cv_preset_find(m, (const char *) data, alen);

		if (e != NULL && !cv_label_same(e->label, strlen(e->label), ka, na))
			abort();
		if (e != NULL && (e->kind == CV_LABEL_STAGE) != cv_stage_is_valid(e->stage))
			abort();
	}
	free(ka);
	free(kb);
	free(ra);
	free(kk);
	return 0;
}
