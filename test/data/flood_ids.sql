-- flood_ids.sql — customer ids that all collide under cvfw 0.1.0's fixed
-- customer hash (splitmix64's finaliser, low 32 bits, linear probing), for
-- the hash-flooding tests and benchmark.  Pure SQL: unsigned 64-bit
-- arithmetic in numeric and bit(64).  Defines, in pg_temp:
--   flood_old_hash(id) — 0.1.0's hash of an id (the low 32 bits);
--   flood_id(i)        — the id whose hash's 64 bits are i << 32, so its low
--                        32 bits are 0: distinct ids for distinct i, all in
--                        one slot of any table of up to 2^32 slots.
-- The finaliser is z ^= z >> 30; z *= M1; z ^= z >> 27; z *= M2;
-- z ^= z >> 31 on z = id + G; each step is undone backwards (x ^= x >> s by
-- x ^ x >> s ^ x >> 2s, the products by the inverses of M1 and M2 modulo
-- 2^64).
CREATE FUNCTION pg_temp.flood_u(b bit(64)) RETURNS numeric LANGUAGE sql IMMUTABLE
AS $$ SELECT b::bigint::numeric + CASE WHEN b::bigint < 0 THEN 18446744073709551616 ELSE 0 END $$;
CREATE FUNCTION pg_temp.flood_b(n numeric) RETURNS bit(64) LANGUAGE sql IMMUTABLE
AS $$ SELECT (CASE WHEN m >= 9223372036854775808 THEN m - 18446744073709551616 ELSE m END)::bigint::bit(64)
      FROM (SELECT mod(n, 18446744073709551616) AS m) s $$;
CREATE FUNCTION pg_temp.flood_xs(b bit(64), n int) RETURNS bit(64) LANGUAGE sql IMMUTABLE
AS $$ SELECT b # (b >> n) $$;
-- G = 0x9E3779B97F4A7C15, M1 = 0xBF58476D1CE4E5B9, M2 = 0x94D049BB133111EB
CREATE FUNCTION pg_temp.flood_old_hash(id bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT (pg_temp.flood_u(pg_temp.flood_xs(pg_temp.flood_b(pg_temp.flood_u(pg_temp.flood_xs(
           pg_temp.flood_b(pg_temp.flood_u(pg_temp.flood_xs(
             pg_temp.flood_b(pg_temp.flood_u(id::bit(64)) + 11400714819323198485), 30)) * 13787848793156543929), 27))
           * 10723151780598845931), 31)) % 4294967296)::bigint $$;
-- the inverses: M2^-1 = 3573116690164977347, M1^-1 = 10871156337175269513
CREATE FUNCTION pg_temp.flood_id(i bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  WITH y AS (SELECT (i << 32)::bit(64) AS v),
  a AS (SELECT pg_temp.flood_b(pg_temp.flood_u(v # (v >> 31) # (v >> 62)) * 3573116690164977347) AS v FROM y),
  c AS (SELECT pg_temp.flood_b(pg_temp.flood_u(v # (v >> 27) # (v >> 54)) * 10871156337175269513) AS v FROM a)
  SELECT pg_temp.flood_b(pg_temp.flood_u(v # (v >> 30) # (v >> 60)) - 11400714819323198485
                         + 18446744073709551616)::bigint
  FROM c $$;
