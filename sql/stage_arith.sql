--
-- stage_arith: positions, next/prev, rotation, steps, and cvfw_stages()
--

SELECT * FROM cvfw_stages();

-- position and its inverse
SELECT s.stage, cvfw_position(s.stage), cvfw_stage(s.position) = s.stage AS inverse
FROM cvfw_stages() s;
SELECT (regress.try(format('SELECT cvfw_stage(%s)', p))).*
FROM unnest(ARRAY[0, 7, -1, 2147483647, -2147483648]) p;
SELECT cvfw_stage(NULL::int) IS NULL AS null_in_null_out;

-- next and prev go round the wheel: engagement -> awareness and back
SELECT stage, cvfw_next(stage), cvfw_prev(stage) FROM cvfw_stages();

-- + and - rotate any number of steps; checked against ((p - 1 + n) mod 6) + 1
-- computed in bigint, so the int4 extremes are covered
SELECT n, 'experience'::cvfw_stage + n AS plus, 'experience'::cvfw_stage - n AS minus
FROM unnest(ARRAY[0, 1, 3, 6, 13, -1, -4, -13, 2147483647, -2147483648]) n;
SELECT count(*) AS checked,
       count(*) FILTER (WHERE cvfw_position(s.stage + n) <> ((s.position - 1 + n::bigint) % 6 + 6) % 6 + 1
                           OR cvfw_position(s.stage - n) <> ((s.position - 1 - n::bigint) % 6 + 6) % 6 + 1)
         AS wrong
FROM cvfw_stages() s,
     (SELECT generate_series(-20, 20) AS n
      UNION ALL SELECT unnest(ARRAY[2147483647, -2147483648, 2147483646, -2147483647])) ns;
SELECT ('awareness'::cvfw_stage + NULL::int) IS NULL AS null_step;

-- steps: clockwise distance 0..5; for every pair, from + steps = to
SELECT f.stage AS from_stage,
       array_agg(cvfw_steps(f.stage, t.stage) ORDER BY t.position) AS steps_to_each_stage
FROM cvfw_stages() f, cvfw_stages() t GROUP BY f.stage ORDER BY f.stage;
SELECT count(*) FILTER (WHERE f.stage + cvfw_steps(f.stage, t.stage) <> t.stage
                           OR cvfw_steps(f.stage, t.stage) <> (t.position - f.position + 6) % 6) AS wrong
FROM cvfw_stages() f, cvfw_stages() t;
