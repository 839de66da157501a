# cvfw — built with PGXS.
#
#   make demo     build, install, run the demo on a throwaway cluster
#   make check    build, install, C unit tests + pg_regress + short stress tests on a throwaway cluster
#   make check-server  the part of check that depends on the server version: build, load,
#                 pg_regress, dump/restore, upgrades (CI runs it on PostgreSQL 13 and 18)
#   make citus    build, install, the Citus test (coordinator + 2 workers; test/citus)
#   make citus-bench  the leakage report on Citus against one node (test/citus/bench.sh)
#
# Every goal takes PG_CONFIG=/path/to/pg_config to build and test against
# another server, e.g. one built by test/matrix/build.sh 13.
#   make stress   build, install, the long stress tests (sqlsmith, concurrency, memory, valgrind)
#   make jdbc     build, install, read the BI reports through the JDBC driver
#   make / make install / make installcheck    plain PGXS
#
# `check` and `demo` are driven by test/harness/*.sh, which install what is
# missing and call back into this Makefile for the build; PGXS is not loaded
# for them (PGXS has its own `check`, which we replace).

EXTENSION  = cvfw
EXTVERSION := $(shell sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" cvfw.control)
MODULE_big = cvfw

# every C file of the core and of the PostgreSQL layer (src/pg/cvfw_*.c hold
# the SQL-callable functions, src/pg/pg_*.c what they share)
CORE_SRCS = $(sort $(wildcard src/core/*.c))
PG_SRCS   = $(sort $(wildcard src/pg/*.c))
OBJS      = $(CORE_SRCS:.c=.o) $(PG_SRCS:.c=.o)

# The install script is the concatenation of one file per concept, in the
# order of their numbers (a concept after those it uses).
SQL_PARTS  = $(sort $(wildcard src/sql/[0-9]*.sql))
# Upgrade scripts of unreleased versions are built the same way, from
# src/sql/upgrade/A--B/*.sql in name order; once B is released its built
# script is frozen in src/sql/released/ with B's install script.
UPGRADE_DIRS   = $(sort $(wildcard src/sql/upgrade/*--*))
UPGRADES_built = $(patsubst src/sql/upgrade/%,cvfw--%.sql,$(UPGRADE_DIRS))
DATA_built = cvfw--$(EXTVERSION).sql $(UPGRADES_built)
# the frozen scripts of released versions (the current version's install
# script is the one built above)
DATA       = $(wildcard src/sql/released/cvfw--*--*.sql) \
             $(filter-out src/sql/released/cvfw--$(EXTVERSION).sql $(wildcard src/sql/released/cvfw--*--*.sql),$(wildcard src/sql/released/cvfw--*.sql))

# install first (it creates the extension the others use), then every
# hand-written test in sql/, then the examples of the README and of every
# doc/ page that has any: test/harness/doc_examples.awk turns each page into
# sql/doc_<page>.sql and expected/doc_<page>.out, so no example can drift
# from what cvfw really prints
DOC_PAGES    = $(shell grep -l '^```sql' README.md $(sort $(wildcard doc/*.md)) 2>/dev/null)
doc_test     = doc_$(if $(filter README.md,$(1)),readme,$(basename $(notdir $(1))))
DOC_TESTS    = $(foreach p,$(DOC_PAGES),$(call doc_test,$(p)))
REGRESS      = install $(filter-out install doc_%,$(sort $(basename $(notdir $(wildcard sql/*.sql))))) $(DOC_TESTS)
REGRESS_PREP = $(DOC_TESTS:%=sql/%.sql) $(DOC_TESTS:%=expected/%.out)
# concurrent sessions, in PostgreSQL's isolation-test form (specs/*.spec,
# expected/<spec>.out), on a database with cvfw installed; a server
# installation without the isolation tester (13 built from source installs
# it only on request: test/matrix/build.sh does) runs the rest, and says so
# (ISOLATION is set below, once PGXS is known)
ISOLATION_SPECS = $(sort $(basename $(notdir $(wildcard specs/*.spec))))
ISOLATION_OPTS  = --load-extension=cvfw

# A call to an undeclared function (a macro that moved to another header in
# some PostgreSQL version, such as SET_VARSIZE into varatt.h in 16) only
# warns by default and builds a library that fails to load: an error in
# every build, whatever PG_CFLAGS the command line gives.
override PG_CFLAGS += -Werror=implicit-function-declaration

# server headers as system headers: -Wextra in CI judges our code, not theirs.
# The core's CV_ASSERT goes to PostgreSQL's Assert (cv_assert.h), checked
# when the server is built with assertions (USE_ASSERT_CHECKING).
PG_ASSERTS  = $(if $(shell grep -s 'define USE_ASSERT_CHECKING 1' $(includedir_server)/pg_config.h),-DCV_USE_ASSERT_CHECKING)
PG_CPPFLAGS = -Isrc/core -Isrc/pg -isystem $(includedir_server) -DCVFW_VERSION='"$(EXTVERSION)"' \
              -DCV_ASSERT_HOST $(PG_ASSERTS)
EXTRA_CLEAN = $(DATA_built) .build-id results regression.diffs regression.out output_iso sql/doc_*.sql expected/doc_*.out \
              test/unit/run_unit test/fuzz/bin

UNIT_SRCS    = $(sort $(wildcard test/unit/*.c))
FUZZ_TARGETS = $(sort $(patsubst test/fuzz/fuzz_%.c,%,$(wildcard test/fuzz/fuzz_*.c)))

PG_CONFIG ?= pg_config
HARNESS_GOALS = check check-server citus citus-bench demo bench stress jdbc unit fuzz fuzz-run
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
# Debian ships pgxs.mk with the client package: the server headers are the test
PG_HEADER := $(shell $(PG_CONFIG) --includedir-server 2>/dev/null)/postgres.h

# --- goals that do not need PGXS --------------------------------------------

# The pure core builds with any C compiler: no server headers needed.
CC ?= cc
unit: test/unit/run_unit
test/unit/run_unit: $(UNIT_SRCS) $(CORE_SRCS) $(wildcard src/core/*.h test/unit/*.h)
	$(CC) -std=c99 -O1 -g $(PG_CFLAGS) -Isrc/core -Itest/unit -o $@ $(UNIT_SRCS) $(CORE_SRCS) -lm

# the core is compiled once with the sanitizers, then linked into each target
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer-no-link,address,undefined -Werror=implicit-function-declaration -Isrc/core
FUZZ_CORE_OBJS = $(CORE_SRCS:src/core/%.c=test/fuzz/bin/obj/%.o)
fuzz: $(addprefix test/fuzz/bin/,$(FUZZ_TARGETS))
test/fuzz/bin/obj/%.o: src/core/%.c $(wildcard src/core/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -c -o $@ $<
test/fuzz/bin/%: test/fuzz/fuzz_%.c $(FUZZ_CORE_OBJS)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_CORE_OBJS) -lm
FUZZ_CC ?= $(firstword $(shell command -v clang clang-18 clang-17 clang-16 clang-15 clang-14 2>/dev/null) clang)

# Run every fuzz target for FUZZ_SECONDS (test/fuzz/run.sh).
FUZZ_SECONDS ?= 30
fuzz-run: fuzz
	@bash test/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

ifneq ($(filter check check-server citus citus-bench demo bench stress jdbc,$(MAKECMDGOALS)),)
check demo bench stress:
	@BENCH="$(BENCH)" STRESS="$(STRESS)" bash test/harness/$@.sh
check-server:
	@CVFW_CHECK_SCOPE=server bash test/harness/check.sh
citus:
	@bash test/citus/run.sh
citus-bench:
	@bash test/citus/bench.sh
jdbc:
	@bash test/jdbc/run.sh
else ifeq ($(filter-out $(HARNESS_GOALS),$(MAKECMDGOALS))$(if $(MAKECMDGOALS),,all),)
# only unit/fuzz asked for
else ifeq ($(and $(wildcard $(PGXS)),$(wildcard $(PG_HEADER))),)
$(error PostgreSQL server development files not found. \
Install them, e.g. 'apt-get install postgresql-server-dev-$(shell $(PG_CONFIG) --version 2>/dev/null | sed -E 's/[^0-9]*([0-9]+).*/\1/')', \
or run 'make check' / 'make demo' as root, which install them)
else
ifneq ($(wildcard $(dir $(PGXS))../test/isolation/pg_isolation_regress),)
ISOLATION = $(ISOLATION_SPECS)
else
$(warning cvfw: no pg_isolation_regress beside PGXS: the isolation specs are skipped)
endif
include $(PGXS)
.DEFAULT_GOAL := all

cvfw--$(EXTVERSION).sql: $(SQL_PARTS) cvfw.control
	cat $(SQL_PARTS) > $@

define upgrade_rule
cvfw--$(1).sql: $(sort $(wildcard src/sql/upgrade/$(1)/*.sql)) cvfw.control
	cat $(sort $(wildcard src/sql/upgrade/$(1)/*.sql)) > $$@
endef
$(foreach d,$(UPGRADE_DIRS),$(eval $(call upgrade_rule,$(notdir $(d)))))

$(OBJS): $(wildcard src/core/*.h src/pg/*.h)

# Objects built against another server (another PG_CONFIG) or with other
# flags are rebuilt: .build-id names what the last build was for.
BUILD_ID := $(shell $(PG_CONFIG) --version) $(shell command -v $(PG_CONFIG)) $(PG_CFLAGS)
$(shell echo '$(BUILD_ID)' | cmp -s - .build-id || echo '$(BUILD_ID)' > .build-id)
$(OBJS) $(OBJS:.o=.bc): .build-id

# the examples of one page (README.md or doc/<page>.md) as a pg_regress test
define doc_rules
sql/$(call doc_test,$(1)).sql: $(1) test/harness/doc_examples.awk
	awk -v mode=sql -v page=$(call doc_test,$(1)) -v src=$(1) -f test/harness/doc_examples.awk $(1) > $$@
expected/$(call doc_test,$(1)).out: $(1) test/harness/doc_examples.awk
	awk -v mode=out -v page=$(call doc_test,$(1)) -v src=$(1) -f test/harness/doc_examples.awk $(1) > $$@
endef
$(foreach p,$(DOC_PAGES),$(eval $(call doc_rules,$(p))))
endif

.PHONY: unit fuzz fuzz-run check check-server citus citus-bench demo bench stress jdbc
