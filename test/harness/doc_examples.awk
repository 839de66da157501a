# doc_examples.awk — turn one documentation page's examples into a
# pg_regress test (the Makefile does this for README.md and doc/*.md).
#
#   awk -v mode=sql -v page=doc_flow -v src=doc/flow.md -f doc_examples.awk doc/flow.md > sql/doc_flow.sql
#   awk -v mode=out -v page=doc_flow -v src=doc/flow.md -f doc_examples.awk doc/flow.md > expected/doc_flow.out
#
# Every ```sql block of the page is run, in order, in one session, in a
# schema of the page's own (so pages may use the same table names; the
# schema is dropped at the end).  When a ```text
# block follows it (only blank lines between), that is the output psql must
# print for the block's last statement; so a README example can never drift
# from what cvfw really does.  Blocks fenced as ```sql-untested are skipped.
#
# psql pads table headers, and rows whose last cell is empty, with trailing
# spaces that editors strip; the output blocks are written without them
# and the padding is put back here: a header is as wide as the dashed line
# under it, and a row ending in "|" gets its one blank.

function emit(line) { print line }
function rstrip(line) { sub(/[ \t]+$/, "", line); return line }
function flush_row(line) { if (line ~ /\|$/) line = line " "; emit(line) }

BEGIN {
	state = "out"; pending = 0
	emit("-- generated from " src " by test/harness/doc_examples.awk; edit the page")
	emit("SET client_min_messages = warning;")
	emit("CREATE SCHEMA " page ";")
	emit("SET search_path = " page ", public;")
	emit("RESET client_min_messages;")
	emit("SET datestyle = ISO;")
	emit("SET timezone = 'UTC';")
	emit("SET extra_float_digits = 0;")
	emit("SET intervalstyle = postgres;")
}

# <!-- setup: FILE --> (invisible on the page) runs FILE first, as \i;
# psql echoes the included lines, so the expected output holds them too
state == "out" && /^<!-- setup: [^ ]+ -->[ \t]*$/ {
	f = $3
	emit("\\i " f)
	if (mode == "out")
		while ((getline line < f) > 0) emit(line)
	close(f)
	next
}
state == "out" && /^```sql[ \t]*$/ { state = "sql"; pending = 0; next }
state == "out" && /^```text[ \t]*$/ {
	state = pending ? "text" : "skip"; first = 1; pending = 0; next
}
state == "out" && /^```/ { state = "skip"; pending = 0; next }
state == "out" {
	if ($0 !~ /^[ \t]*$/) pending = 0
	next
}

state == "sql" && /^```[ \t]*$/ { state = "out"; pending = 1; next }
state == "sql" { emit($0); next }

state == "text" && /^```[ \t]*$/ {
	if (mode == "out") {
		if (have_prev) flush_row(prev)
		# psql ends a result with a blank line, an error with none
		if (!is_error) emit("")
	}
	have_prev = 0; state = "out"; next
}
state == "text" {
	line = rstrip($0)
	if (first) { is_error = (line ~ /^(ERROR|WARNING|NOTICE):/); first = 0 }
	if (mode != "out") next
	if (have_prev && line ~ /^-+(\+-+)*$/) {
		while (length(prev) < length(line)) prev = prev " "
		emit(prev)
	} else if (have_prev)
		flush_row(prev)
	prev = line; have_prev = 1
	next
}

state == "skip" && /^```[ \t]*$/ { state = "out"; next }

END {
	emit("SET client_min_messages = warning;")
	emit("DROP SCHEMA " page " CASCADE;")
}
