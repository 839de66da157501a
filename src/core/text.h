/*
 * text.h — the few character rules the core's parsers share (pure C core,
 * internal): ASCII whitespace and case, locale-independent on purpose, so
 * a stage or policy literal reads the same on every server.
 */
#ifndef CVFW_CORE_TEXT_H
#define CVFW_CORE_TEXT_H

#include <stddef.h>

static inline int
cv_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static inline char
cv_to_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a') : c;
}

/* narrow *s, *len to leave out surrounding whitespace */
static inline void
cv_trim(const char **s, size_t *len)
{
	while (*len > 0 && cv_is_space(**s))
	{
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && cv_is_space((*s)[*len - 1]))
		(*len)--;
}

#endif							/* CVFW_CORE_TEXT_H */
