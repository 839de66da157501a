/*
 * pg_echo.c — quoting a user's input back in an error message; see pg_echo.h.
 */
#include "postgres.h"

#include "pg_compat.h"

#include "mb/pg_wchar.h"

#include "pg_echo.h"

char *
cvfw_echo(const char *str, size_t len, int max_bytes)
{
	int			clip;

	if (len <= (size_t) max_bytes)
		return pnstrdup(str, len);
	/* never split a multibyte character: the message must stay valid text */
	clip = pg_mbcliplen(str, max_bytes, max_bytes);
	return psprintf("%.*s...", clip, str);
}
