/*
 * pg_echo.h — quoting a user's input back in an error message.
 *
 * Input can be megabytes long (a COPY field, a generated string); an error
 * message that repeats it in full floods the server log and the client.
 * Longer input is cut at a character boundary and marked with "...".
 */
#ifndef CVFW_PG_ECHO_H
#define CVFW_PG_ECHO_H

#include <stddef.h>

/* bytes of input quoted in messages about stage and policy text */
#define CVFW_ECHO_MAX 100

extern char *cvfw_echo(const char *str, size_t len, int max_bytes);

#endif							/* CVFW_PG_ECHO_H */
