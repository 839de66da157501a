--
-- flow_collation: text customer ids under a nondeterministic collation
-- would group 'A' and 'a' as one customer while the hash table keeps them
-- apart, so cvfw_flow_by_customer refuses them (0A000).  Such collations
-- need ICU: a server built without it (the CI's 13 and 18) cannot create
-- one, and prints expected/flow_collation_1.out instead.
--
CREATE TEMP TABLE ids (c text);   -- so that pg_temp exists either way
INSERT INTO ids VALUES ('A'), ('a');
-- terse: an ICU-less build's refusal has a hint on some versions (13), not on others
\set VERBOSITY terse
CREATE COLLATION pg_temp.nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
\set VERBOSITY default
SELECT cvfw_flow_by_customer(c COLLATE pg_temp.nocase, 'awareness', '2026-01-01') FROM ids;
-- a deterministic collation is fine: two customers
SELECT cvfw_customers(cvfw_flow_by_customer(c COLLATE "C", 'awareness', '2026-01-01')) FROM ids;
