# cvfw — built with PGXS.
#
#   make demo     build, install, run the demo on a throwaway cluster
#   make check    build, install, C unit tests + pg_regress + short stress tests on a throwaway cluster
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

CORE_SRCS = src/core/stage.c src/core/policy.c src/core/mem.c src/core/sketch.c src/core/crc32c.c \
            src/core/customer.c src/core/flow.c src/core/flow_codec.c src/core/bycustomer.c \
            src/core/clv.c src/core/state_codec.c src/core/svgbuf.c src/core/wheel_svg.c \
            src/core/points.c src/core/optim.c src/core/bgnbd.c src/core/gamma_gamma.c src/core/rfm.c
PG_SRCS   = src/pg/cvfw.c src/pg/compat.c src/pg/echo.c \
            src/pg/stage_io.c src/pg/stage_ops.c src/pg/stage_funcs.c \
            src/pg/policy_io.c src/pg/policy_ops.c src/pg/transition.c src/pg/trigger.c \
            src/pg/flow_pg.c src/pg/flow_io.c src/pg/flow_agg.c src/pg/flow_report.c \
            src/pg/clv.c src/pg/wheel_svg.c \
            src/pg/btyd_pg.c src/pg/rfm.c src/pg/bgnbd.c src/pg/gamma_gamma.c src/pg/clv_predict.c
OBJS      = $(CORE_SRCS:.c=.o) $(PG_SRCS:.c=.o)

# The install script is the concatenation of one file per concept.
SQL_PARTS  = src/sql/header.sql src/sql/stage.sql src/sql/policy.sql src/sql/flow.sql src/sql/clv.sql \
             src/sql/wheel.sql src/sql/bi.sql src/sql/btyd.sql
DATA_built = cvfw--$(EXTVERSION).sql
# upgrade scripts, and the frozen install scripts of released versions
# (src/sql/released/; the current version's is the one built above)
DATA       = $(wildcard src/sql/cvfw--*--*.sql) \
             $(filter-out src/sql/released/cvfw--$(EXTVERSION).sql,$(wildcard src/sql/released/cvfw--*.sql))

REGRESS      = install stage_io stage_order stage_arith stage_cast policy transition trigger flow flow_io flow_check clv wheel bi btyd bad_input readme
# the README's examples are a test too (see test/harness/readme_examples.awk)
REGRESS_PREP = sql/readme.sql expected/readme.out

# server headers as system headers: -Wextra in CI judges our code, not theirs
PG_CPPFLAGS = -Isrc/core -Isrc/pg -isystem $(includedir_server) -DCVFW_VERSION='"$(EXTVERSION)"'
EXTRA_CLEAN = $(DATA_built) results regression.diffs regression.out $(REGRESS_PREP) \
              test/unit/run_unit test/fuzz/bin

UNIT_SRCS = test/unit/unit_main.c test/unit/test_stage.c test/unit/test_policy.c test/unit/test_flow.c \
            test/unit/test_clv.c test/unit/test_state_codec.c test/unit/test_wheel.c test/unit/test_btyd.c
FUZZ_TARGETS = stage_parse policy_parse flow_text flow_decode flow_build bycustomer_decode events_state clv_state \
               wheel_svg points_decode rfm_state

PG_CONFIG ?= pg_config
HARNESS_GOALS = check demo bench stress jdbc unit fuzz fuzz-run
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
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer-no-link,address,undefined -Isrc/core
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

ifneq ($(filter check demo bench stress jdbc,$(MAKECMDGOALS)),)
check demo bench stress:
	@BENCH="$(BENCH)" STRESS="$(STRESS)" bash test/harness/$@.sh
jdbc:
	@bash test/jdbc/run.sh
else ifeq ($(filter-out $(HARNESS_GOALS),$(MAKECMDGOALS))$(if $(MAKECMDGOALS),,all),)
# only unit/fuzz asked for
else ifeq ($(and $(wildcard $(PGXS)),$(wildcard $(PG_HEADER))),)
$(error PostgreSQL server development files not found. \
Install them, e.g. 'apt-get install postgresql-server-dev-$(shell $(PG_CONFIG) --version 2>/dev/null | sed -E 's/[^0-9]*([0-9]+).*/\1/')', \
or run 'make check' / 'make demo' as root, which install them)
else
include $(PGXS)
.DEFAULT_GOAL := all

$(DATA_built): $(SQL_PARTS) cvfw.control
	cat $(SQL_PARTS) > $@

$(OBJS): $(wildcard src/core/*.h src/pg/*.h)

sql/readme.sql: README.md test/harness/readme_examples.awk
	awk -v mode=sql -f test/harness/readme_examples.awk README.md > $@
expected/readme.out: README.md test/harness/readme_examples.awk
	awk -v mode=out -f test/harness/readme_examples.awk README.md > $@
endif

.PHONY: unit fuzz fuzz-run check demo bench stress jdbc
