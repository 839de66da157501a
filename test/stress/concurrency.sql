-- concurrency.sql — what the pgbench clients of concurrency.sh call, on top
-- of setup.sql.

-- counters that a rollback does not undo
CREATE SEQUENCE moves_accepted;
CREATE SEQUENCE moves_changed;
CREATE SEQUENCE moves_rejected;

-- A writer's move: set one contact's stage (the cvfw_stage column, or the
-- text one in another spelling, or NULL there) to a random stage, often one
-- the policy forbids, and record the event.  The guard's refusal (23514) is
-- counted and swallowed; any other error propagates and aborts the pgbench
-- client, which fails the test.
CREATE FUNCTION move_stage(p_id int, p_to int, p_text boolean) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  -- 0: NULL in the text column (the cvfw_stage column is NOT NULL: awareness)
  target cvfw_stage := CASE WHEN p_to = 0 AND p_text THEN NULL ELSE cvfw_stage(greatest(p_to, 1)) END;
  old_stage cvfw_stage;
  old_text text;
  new_text text := replace(initcap(target::text), '_', ' ');
BEGIN
  SELECT c.stage, c.stage_text INTO old_stage, old_text FROM contacts c WHERE c.id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  BEGIN
    IF p_text THEN
      UPDATE contacts SET stage_text = new_text WHERE id = p_id;
    ELSE
      UPDATE contacts SET stage = target WHERE id = p_id;
    END IF;
    INSERT INTO events (customer_id, segment, stage, at, value, cost)
    VALUES (p_id, 'live', target, clock_timestamp(),
            CASE WHEN target IN ('value_realization', 'engagement') THEN 100 ELSE 0 END,
            CASE WHEN target IN ('awareness', 'exploration') THEN 5 ELSE 0 END);
    PERFORM nextval('moves_accepted');
    IF (p_text AND old_text IS DISTINCT FROM new_text) OR (NOT p_text AND old_stage <> target) THEN
      PERFORM nextval('moves_changed');
    END IF;
  EXCEPTION WHEN check_violation THEN
    PERFORM nextval('moves_rejected');
  END;
END $$;

-- A reader's report, with two computations of it in one snapshot that must
-- agree while writers insert (the caller runs it in REPEATABLE READ): the one-aggregate summary and the two-level
-- merge give the same report, and its customer count is the plain count.
-- A disagreement raises an error, which aborts the client and fails the test.
CREATE FUNCTION read_reports() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  one cvfw_flow;
  two cvfw_flow;
  plain bigint;
  leak bigint;
BEGIN
  SELECT cvfw_flow_by_customer(customer_id, stage, at, value, cost),
         count(DISTINCT customer_id) FILTER (WHERE stage IS NOT NULL AND at IS NOT NULL)
  INTO one, plain FROM events;
  SELECT cvfw_merge(f) INTO two
  FROM (SELECT cvfw_flow(stage, at, value, cost) AS f FROM events GROUP BY customer_id) c;
  IF cvfw_flow_json(one, now(), '30 days') <> cvfw_flow_json(two, now(), '30 days') THEN
    RAISE EXCEPTION 'cvfw_flow_by_customer and cvfw_merge of cvfw_flow disagree';
  END IF;
  IF cvfw_customers(one) <> plain THEN
    RAISE EXCEPTION 'cvfw_customers says %, count(DISTINCT customer_id) says %', cvfw_customers(one), plain;
  END IF;
  SELECT sum(l.visits - l.advanced - l.regressed - l.skipped - l.ended) INTO leak
  FROM cvfw_leakage(one, now(), '30 days') l;
  IF leak <> 0 THEN
    RAISE EXCEPTION 'leakage outcomes do not add up to the visits (off by %)', leak;
  END IF;
  PERFORM cvfw_clv(one, now(), '30 days', '30 days');
  PERFORM * FROM cvfw_transitions(one);
END $$;

-- The audit, checked after the run in plain SQL that does not call the
-- code under test: the policies by wheel position.
CREATE FUNCTION wheel_allows(f int, t int) RETURNS boolean LANGUAGE sql IMMUTABLE
AS $$ SELECT t = f OR t = f % 6 + 1 OR t < f $$;
-- 'strict, *>awareness': stay, one step on (engagement -> awareness), or back to the start
CREATE FUNCTION strict_or_restart_allows(f int, t int) RETURNS boolean LANGUAGE sql IMMUTABLE
AS $$ SELECT t = f OR t = f % 6 + 1 OR t = 1 $$;
-- stage names spelt as the writers spell them, by position, without cvfw
CREATE FUNCTION position_of(name text) RETURNS int LANGUAGE sql IMMUTABLE
AS $$ SELECT array_position(ARRAY['awareness', 'exploration', 'experience', 'value_realization',
                                  'advocacy', 'engagement'], lower(replace(name, ' ', '_'))) $$;
