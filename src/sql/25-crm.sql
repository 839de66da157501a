
-- ---------------------------------------------------------------------------
-- Bring your CRM: stage maps (a source system's labels read as stages), the
-- one-call guard (cvfw_guard: an AFTER constraint trigger nothing else on
-- the table can get round, with memory across NULLs and history capture)
-- and backfills of history.  doc/crm.md and doc/policies.md explain them.
-- ---------------------------------------------------------------------------

-- stage maps ------------------------------------------------------------------

-- The user's maps, edited by the DBA and dumped with the database.  The
-- shipped presets live in the library (cvfw_stage_presets()), not here, so
-- they are never dumped twice and cannot be edited: their names are taken.
CREATE TABLE @extschema@.cvfw_stage_map (
	map pg_catalog.text NOT NULL,
	label pg_catalog.text NOT NULL,
	stage @extschema@.cvfw_stage,
	kind pg_catalog.text NOT NULL DEFAULT 'stage',
	note pg_catalog.text,
	PRIMARY KEY (map, label),
	CONSTRAINT cvfw_stage_map_kind CHECK (kind OPERATOR(pg_catalog.=) ANY (ARRAY['stage', 'left', 'keep'])),
	CONSTRAINT cvfw_stage_map_stage CHECK ((kind OPERATOR(pg_catalog.=) 'stage') OPERATOR(pg_catalog.=) (stage IS NOT NULL)),
	CONSTRAINT cvfw_stage_map_not_preset
		CHECK (map OPERATOR(pg_catalog.<>) ALL (ARRAY['hubspot_lifecycle', 'salesforce_opportunity', 'salesforce_lead']))
);
COMMENT ON TABLE @extschema@.cvfw_stage_map IS
'stage maps of your own: map, label (as the source system writes it), stage (NULL unless kind is stage), kind: stage, left (the customer left the flow) or keep (no stage change)';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.cvfw_stage_map', '');
GRANT SELECT ON @extschema@.cvfw_stage_map TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.cvfw_stage_map TO @extowner@;

CREATE FUNCTION @extschema@.cvfw_stage_label_key(label pg_catalog.text)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.cvfw_stage_label_key(pg_catalog.text) IS
'the key labels are matched by: ASCII letters lowercased, digits and non-ASCII kept, spaces and punctuation left out (Closed Won = closed_won)';

-- two spellings of one label would read ambiguously
CREATE UNIQUE INDEX cvfw_stage_map_label_key
	ON @extschema@.cvfw_stage_map (map, @extschema@.cvfw_stage_label_key(label));

CREATE FUNCTION @extschema@.cvfw_stage_presets()
RETURNS TABLE (map pg_catalog.text, label pg_catalog.text, stage @extschema@.cvfw_stage,
	kind pg_catalog.text, reason pg_catalog.text)
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 23;
COMMENT ON FUNCTION @extschema@.cvfw_stage_presets() IS
'the shipped stage maps (hubspot_lifecycle, salesforce_opportunity, salesforce_lead), label by label, with the reasoning';

-- STABLE: a map of one's own can change between statements
CREATE FUNCTION @extschema@.cvfw_stage(label pg_catalog.text, map pg_catalog.text)
RETURNS @extschema@.cvfw_stage
AS 'MODULE_PATHNAME', 'cvfw_stage_from_label' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_stage(pg_catalog.text, pg_catalog.text) IS
'the stage a label stands for under a stage map (a preset or one of cvfw_stage_map); NULL for labels that are left or keep; a label the map lacks reads as the stage it names';

-- IMMUTABLE: the presets never change once released (a new reading ships
-- under a new name), so generated columns and indexes may use it
CREATE FUNCTION @extschema@.cvfw_stage_preset(label pg_catalog.text, map pg_catalog.text)
RETURNS @extschema@.cvfw_stage
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_stage_preset(pg_catalog.text, pg_catalog.text) IS
'cvfw_stage(label, map) for the shipped presets only, IMMUTABLE: usable in generated columns and indexes';

-- the guard -------------------------------------------------------------------

-- What the guards remember: the last stage of a row whose guarded column
-- holds no stage, by table, column and the row's primary key.  Written
-- only by the guards (as this table's owner); dumped with the database.
CREATE TABLE @extschema@.cvfw_guard_memory (
	tbl pg_catalog.regclass NOT NULL,
	col pg_catalog.text NOT NULL,
	key pg_catalog.text NOT NULL,
	stage @extschema@.cvfw_stage NOT NULL,
	PRIMARY KEY (tbl, col, key)
);
COMMENT ON TABLE @extschema@.cvfw_guard_memory IS
'the last stage of each guarded row whose column holds no stage (NULL, a left or keep label), by its primary key; written by the guards only';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.cvfw_guard_memory', '');
REVOKE ALL ON @extschema@.cvfw_guard_memory FROM PUBLIC;

CREATE FUNCTION @extschema@.cvfw_guard_trigger()
RETURNS pg_catalog.trigger
AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.cvfw_guard_trigger() IS
'the guard cvfw_guard installs: AFTER INSERT OR UPDATE OR DELETE FOR EACH ROW constraint trigger, arguments column=, policy=, map=, history=, customer=, at=, value=, cost=';

CREATE FUNCTION @extschema@.cvfw_guard_forget(tbl pg_catalog.regclass, col pg_catalog.text)
RETURNS pg_catalog.void
AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION @extschema@.cvfw_guard_forget(pg_catalog.regclass, pg_catalog.text) IS
'forget the stages the guard of a table''s column remembers (the table''s owner only)';

CREATE FUNCTION @extschema@.cvfw_guard_remember(tbl pg_catalog.regclass, col pg_catalog.text,
	key pg_catalog.text, stage @extschema@.cvfw_stage)
RETURNS pg_catalog.void
AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION @extschema@.cvfw_guard_remember(pg_catalog.regclass, pg_catalog.text, pg_catalog.text, @extschema@.cvfw_stage) IS
'remember the last stage of a row (by its key text) whose guarded column holds no stage, unless one is remembered (the table''s owner only)';

CREATE FUNCTION @extschema@.cvfw_guards()
RETURNS TABLE (table_name pg_catalog.regclass, column_name pg_catalog.text,
	policy @extschema@.cvfw_policy, map pg_catalog.text, history pg_catalog.regclass,
	customer pg_catalog.text, at pg_catalog.text, value pg_catalog.text, cost pg_catalog.text,
	trigger_name pg_catalog.text)
AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cvfw_guards() IS
'every guard cvfw_guard installed: table, column, policy, map and history settings';

CREATE FUNCTION @extschema@.cvfw_guard(tbl pg_catalog.regclass, col pg_catalog.name,
	policy @extschema@.cvfw_policy DEFAULT 'wheel', map pg_catalog.text DEFAULT NULL,
	history pg_catalog.regclass DEFAULT NULL, customer pg_catalog.name DEFAULT NULL,
	at pg_catalog.name DEFAULT NULL, value pg_catalog.name DEFAULT NULL,
	cost pg_catalog.name DEFAULT NULL)
RETURNS pg_catalog.text
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	r record;
	a record;
	base pg_catalog.oid;
	kind pg_catalog.text;
	bad pg_catalog.text;
	history_name pg_catalog.name := (SELECT c.relname FROM pg_class c WHERE c.oid = history);
	pk pg_catalog.name[];
	args pg_catalog.text[];
	trigger_name pg_catalog.text;
	old_guard pg_catalog.text;
	child pg_catalog.regclass;
	seeded pg_catalog.int8 := 0;
	children pg_catalog.text[] := '{}';
BEGIN
	IF tbl IS NULL OR col IS NULL OR policy IS NULL THEN
		RAISE EXCEPTION 'cvfw_guard needs a table, a column and a policy' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT c.relkind, c.relispartition, c.relowner, c.relname, n.nspname INTO r
	FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl;
	IF r.relkind NOT IN ('r', 'p') THEN
		RAISE EXCEPTION '"%" is not a table', r.relname USING ERRCODE = 'wrong_object_type',
			HINT = 'A guard watches a table; updates through a view reach the guard of the table under it.';
	END IF;
	IF r.relispartition THEN
		RAISE EXCEPTION 'table "%" is a partition', r.relname USING ERRCODE = 'wrong_object_type',
			HINT = 'Guard the partitioned table: every partition, also one added later, gets its guard.';
	END IF;
	IF NOT pg_has_role(r.relowner, 'USAGE') THEN
		RAISE EXCEPTION 'must be owner of table %', r.relname USING ERRCODE = 'insufficient_privilege';
	END IF;

	-- the column: exists, and holds stages, text or an enum
	SELECT t.attnum, t.atttypid INTO a FROM pg_attribute t
	WHERE t.attrelid = tbl AND t.attname = col AND t.attnum > 0 AND NOT t.attisdropped;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'column "%" of relation "%" does not exist', col, r.relname
			USING ERRCODE = 'undefined_column';
	END IF;
	base := a.atttypid;
	WHILE (SELECT y.typtype = 'd' FROM pg_type y WHERE y.oid = base) LOOP
		base := (SELECT y.typbasetype FROM pg_type y WHERE y.oid = base);
	END LOOP;
	kind := CASE WHEN base = '@extschema@.cvfw_stage'::regtype THEN 'stage'
	             WHEN base IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype) THEN 'text'
	             WHEN (SELECT y.typtype = 'e' FROM pg_type y WHERE y.oid = base) THEN 'enum' END;
	IF kind IS NULL THEN
		RAISE EXCEPTION 'column "%" of relation "%" is of type %', col, r.relname, format_type(a.atttypid, NULL)
			USING ERRCODE = 'datatype_mismatch',
			DETAIL = 'A guard reads columns of type cvfw_stage, text, varchar or char (or a domain over one), or an enum.';
	END IF;

	-- the map
	IF map IS NOT NULL THEN
		IF kind = 'stage' THEN
			RAISE EXCEPTION 'column "%" of relation "%" holds stages: it takes no map', col, r.relname
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
		IF NOT EXISTS (SELECT FROM @extschema@.cvfw_stage_presets() p WHERE p.map = cvfw_guard.map)
		   AND NOT EXISTS (SELECT FROM @extschema@.cvfw_stage_map m WHERE m.map = cvfw_guard.map) THEN
			RAISE EXCEPTION 'stage map "%" does not exist',
				CASE WHEN length(map) > 100 THEN left(map, 100) || '...' ELSE map END USING ERRCODE = 'undefined_object',
				HINT = 'The shipped maps are hubspot_lifecycle, salesforce_opportunity, salesforce_lead; a map of your own is its rows in cvfw_stage_map.';
		END IF;
	END IF;

	-- the values already there must read, or the first change of one would fail
	IF kind <> 'stage' THEN
		FOR bad IN EXECUTE format('SELECT DISTINCT %I::pg_catalog.text FROM %s WHERE %I IS NOT NULL',
		                          col, tbl, col) LOOP
			BEGIN
				IF map IS NULL THEN
					PERFORM bad::@extschema@.cvfw_stage;
				ELSE
					PERFORM @extschema@.cvfw_stage(bad, map);
				END IF;
			EXCEPTION WHEN invalid_text_representation THEN
				RAISE EXCEPTION 'column "%" of relation "%" holds "%", which is no stage%', col, r.relname,
					left(bad, 100), CASE WHEN map IS NULL THEN '' ELSE format(' and no label of map "%s"', map) END
					USING ERRCODE = 'invalid_text_representation',
					HINT = CASE WHEN map IS NULL THEN 'Change it to a stage name, or read the column through a stage map.'
					            ELSE 'Add the label to the map, or change the value.' END;
			END;
		END LOOP;
	END IF;

	-- history
	SELECT array_agg(t.attname ORDER BY k.n) INTO pk
	FROM pg_index i, unnest(i.indkey) WITH ORDINALITY k(attnum, n), pg_attribute t
	WHERE i.indrelid = tbl AND i.indisprimary AND t.attrelid = tbl AND t.attnum = k.attnum
	  AND k.n <= i.indnkeyatts;
	IF history IS NOT NULL THEN
		IF customer IS NULL THEN
			IF cardinality(pk) IS DISTINCT FROM 1 THEN
				RAISE EXCEPTION 'name the customer column of "%" the history records', r.relname
					USING ERRCODE = 'invalid_parameter_value',
					HINT = 'The default, a one-column primary key, is missing.';
			END IF;
			customer := pk[1];
		END IF;
		FOR a IN SELECT o.opt, o.colname FROM (VALUES ('customer', customer), ('at', at), ('value', value),
		                                             ('cost', cost)) o(opt, colname)
		         WHERE o.colname IS NOT NULL LOOP
			IF NOT EXISTS (SELECT FROM pg_attribute t WHERE t.attrelid = tbl AND t.attname = a.colname
			               AND t.attnum > 0 AND NOT t.attisdropped) THEN
				RAISE EXCEPTION 'column "%" of relation "%" does not exist', a.colname, r.relname
					USING ERRCODE = 'undefined_column', DETAIL = format('It is to be the history''s %s.', a.opt);
			END IF;
		END LOOP;
		FOR a IN SELECT o.colname, o.types FROM (VALUES
		           (at, ARRAY['timestamptz', 'timestamp', 'date']::regtype[]),
		           (value, ARRAY['int2', 'int4', 'int8', 'float4', 'float8', 'numeric']::regtype[]),
		           (cost, ARRAY['int2', 'int4', 'int8', 'float4', 'float8', 'numeric']::regtype[])) o(colname, types)
		         WHERE o.colname IS NOT NULL LOOP
			IF NOT (SELECT t.atttypid::regtype = ANY (a.types) FROM pg_attribute t
			        WHERE t.attrelid = tbl AND t.attname = a.colname) THEN
				RAISE EXCEPTION 'column "%" of relation "%" is of type %', a.colname, r.relname,
					(SELECT format_type(t.atttypid, NULL) FROM pg_attribute t WHERE t.attrelid = tbl AND t.attname = a.colname)
					USING ERRCODE = 'datatype_mismatch',
					DETAIL = format('The history reads it as one of: %s.', array_to_string(a.types, ', '));
			END IF;
		END LOOP;
		FOR a IN SELECT o.colname, o.wanted FROM (VALUES ('customer', true), ('stage', true), ('at', true),
		                                                ('value', value IS NOT NULL), ('cost', cost IS NOT NULL)) o(colname, wanted)
		         WHERE o.wanted LOOP
			IF NOT EXISTS (SELECT FROM pg_attribute t WHERE t.attrelid = history AND t.attname = a.colname
			               AND t.attnum > 0 AND NOT t.attisdropped) THEN
				RAISE EXCEPTION 'history table "%" has no column "%"', history_name, a.colname
					USING ERRCODE = 'undefined_column',
					HINT = 'A history table has the columns (customer, stage cvfw_stage, at timestamptz, value, cost) the flow aggregates read.';
			END IF;
		END LOOP;
		IF (SELECT t.atttypid FROM pg_attribute t WHERE t.attrelid = history AND t.attname = 'stage')
		   <> '@extschema@.cvfw_stage'::regtype THEN
			RAISE EXCEPTION 'column "stage" of history table "%" is not of type cvfw_stage', history_name
				USING ERRCODE = 'datatype_mismatch';
		END IF;
		IF NOT has_table_privilege(r.relowner, history, 'INSERT') THEN
			RAISE EXCEPTION 'the owner of "%" may not insert into history table "%"', r.relname, history_name
				USING ERRCODE = 'insufficient_privilege',
				DETAIL = 'The guard records history as the owner of the table it guards.';
		END IF;
	END IF;

	args := ARRAY[format('column=%s', col), format('policy=%s', policy)]
		|| CASE WHEN map IS NULL THEN '{}'::text[] ELSE ARRAY[format('map=%s', map)] END
		|| CASE WHEN history IS NULL THEN '{}'::text[] ELSE ARRAY[
			format('history=%s', (SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c
			                      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = history)),
			format('customer=%s', customer)] END
		|| CASE WHEN history IS NULL OR at IS NULL THEN '{}'::text[] ELSE ARRAY[format('at=%s', at)] END
		|| CASE WHEN history IS NULL OR value IS NULL THEN '{}'::text[] ELSE ARRAY[format('value=%s', value)] END
		|| CASE WHEN history IS NULL OR cost IS NULL THEN '{}'::text[] ELSE ARRAY[format('cost=%s', cost)] END;

	-- a guard on the column already: replaced (what it remembers stays
	-- true); else a new guard starts remembering nothing
	SELECT g.trigger_name INTO old_guard FROM @extschema@.cvfw_guards() g
	WHERE g.table_name = tbl AND g.column_name = col;
	IF old_guard IS NOT NULL THEN
		EXECUTE format('DROP TRIGGER %I ON %s', old_guard, tbl);
	ELSE
		PERFORM @extschema@.cvfw_guard_forget(tbl, col);
	END IF;
	trigger_name := left('cvfw_guard_' || col, 63);
	EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s NOT DEFERRABLE '
	               'FOR EACH ROW EXECUTE FUNCTION @extschema@.cvfw_guard_trigger(%s)',
	               trigger_name, tbl, (SELECT string_agg(quote_literal(x), ', ') FROM unnest(args) x));

	-- rows that hold no stage now: their last stage, if the history knows it
	-- (the history's customer is the row's one-column key), is remembered
	IF history IS NOT NULL AND cardinality(pk) = 1 AND customer = pk[1] THEN
		FOR a IN EXECUTE format(
			'SELECT pg_catalog.replace(pg_catalog.replace(t.%1$I::pg_catalog.text, %2$L, %3$L), '
			'       %4$L, %5$L) AS key, '
			'       (SELECT h.stage FROM %6$s h WHERE h.customer OPERATOR(pg_catalog.=) t.%1$I '
			'        AND h.stage IS NOT NULL '
			'        ORDER BY h.at DESC, @extschema@.cvfw_position(h.stage) DESC LIMIT 1) AS last '
			'FROM %7$s t WHERE t.%8$I IS NULL%9$s',
			pk[1], '\', '\\', ',', '\,', history, tbl, col,
			CASE WHEN map IS NULL THEN ''
			     ELSE format(' OR @extschema@.cvfw_stage(t.%I::pg_catalog.text, %L) IS NULL', col, map) END) LOOP
			IF a.last IS NOT NULL THEN
				PERFORM @extschema@.cvfw_guard_remember(tbl, col, a.key, a.last);
				seeded := seeded + 1;
			END IF;
		END LOOP;
	END IF;

	-- children by inheritance (partitions have the trigger already)
	FOR child IN SELECT i.inhrelid::regclass FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
	             WHERE i.inhparent = tbl AND NOT c.relispartition ORDER BY 1 LOOP
		PERFORM @extschema@.cvfw_guard(child, col, policy, map, history, customer, at, value, cost);
		children := children || (SELECT c.relname::pg_catalog.text FROM pg_class c WHERE c.oid = child);
	END LOOP;
	RETURN format('%s.%s: policy %s', r.relname, col, policy)
		|| CASE WHEN map IS NULL THEN '' ELSE format(', map %s', map) END
		|| CASE WHEN history IS NULL THEN '' ELSE format(', history %s', history_name) END
		|| CASE WHEN seeded = 0 THEN '' ELSE format(', %s last stage%s taken from it', seeded,
		                                            CASE WHEN seeded = 1 THEN '' ELSE 's' END) END
		|| CASE WHEN cardinality(children) = 0 THEN ''
		        ELSE format(', children %s too', array_to_string(children, ', ')) END;
END $$;
COMMENT ON FUNCTION @extschema@.cvfw_guard(pg_catalog.regclass, pg_catalog.name, @extschema@.cvfw_policy, pg_catalog.text, pg_catalog.regclass, pg_catalog.name, pg_catalog.name, pg_catalog.name, pg_catalog.name) IS
'guard a stage column (cvfw_stage, text or enum; labels through a stage map) against changes the policy does not allow, for every way a row can change; optionally record every stage change into a history table; returns what it did';

CREATE FUNCTION @extschema@.cvfw_unguard(tbl pg_catalog.regclass, col pg_catalog.name)
RETURNS pg_catalog.void
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	g record;
	relname pg_catalog.name := (SELECT c.relname FROM pg_class c WHERE c.oid = tbl);
BEGIN
	IF NOT EXISTS (SELECT FROM @extschema@.cvfw_guards() x WHERE x.table_name = tbl AND x.column_name = col) THEN
		RAISE EXCEPTION 'table "%" has no guard on column "%"', relname, col USING ERRCODE = 'undefined_object';
	END IF;
	IF EXISTS (SELECT FROM pg_inherits i JOIN @extschema@.cvfw_guards() x ON x.table_name = i.inhparent
	           WHERE i.inhrelid = tbl AND x.column_name = col) THEN
		RAISE EXCEPTION 'table "%" is guarded as a child of a guarded table', relname
			USING ERRCODE = 'object_in_use', HINT = 'Remove the guard of the parent: its children''s go with it.';
	END IF;
	FOR g IN WITH RECURSIVE tree(t) AS (
	             SELECT tbl
	             UNION
	             SELECT i.inhrelid::regclass FROM tree JOIN pg_inherits i ON i.inhparent = tree.t
	             JOIN pg_class c ON c.oid = i.inhrelid WHERE NOT c.relispartition)
	         SELECT x.table_name, x.trigger_name FROM tree JOIN @extschema@.cvfw_guards() x
	         ON x.table_name = tree.t AND x.column_name = col LOOP
		EXECUTE format('DROP TRIGGER %I ON %s', g.trigger_name, g.table_name);
		PERFORM @extschema@.cvfw_guard_forget(g.table_name, col);
	END LOOP;
END $$;
COMMENT ON FUNCTION @extschema@.cvfw_unguard(pg_catalog.regclass, pg_catalog.name) IS
'remove the guard of a table''s column (and of its inheritance children), and what it remembers';

-- A table that becomes an inheritance child of a guarded table (CREATE
-- TABLE ... INHERITS, ALTER TABLE ... INHERIT) is guarded as the parent
-- is, at once: the parent's trigger does not fire for a child's rows.
CREATE FUNCTION @extschema@.cvfw_guard_inherit()
RETURNS pg_catalog.event_trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	g record;
BEGIN
	IF NOT EXISTS (SELECT FROM pg_event_trigger_ddl_commands() c JOIN pg_inherits i ON i.inhrelid = c.objid
	               WHERE c.classid = 'pg_class'::regclass AND c.objsubid = 0) THEN
		RETURN;
	END IF;
	FOR g IN SELECT DISTINCT i.inhrelid::regclass AS child, x.*
	         FROM pg_event_trigger_ddl_commands() c
	         JOIN pg_inherits i ON i.inhrelid = c.objid
	         JOIN pg_class k ON k.oid = i.inhrelid AND NOT k.relispartition
	         JOIN @extschema@.cvfw_guards() x ON x.table_name = i.inhparent
	         WHERE c.classid = 'pg_class'::regclass AND c.objsubid = 0
	           AND NOT EXISTS (SELECT FROM @extschema@.cvfw_guards() y
	                           WHERE y.table_name = i.inhrelid AND y.column_name = x.column_name)
	         ORDER BY 1 LOOP
		PERFORM @extschema@.cvfw_guard(g.child, g.column_name, g.policy, g.map, g.history,
		                               g.customer, g.at, g.value, g.cost);
	END LOOP;
END $$;
COMMENT ON FUNCTION @extschema@.cvfw_guard_inherit() IS
'event trigger: a new inheritance child of a guarded table gets its parent''s guard';

CREATE EVENT TRIGGER cvfw_guard_inherit ON ddl_command_end
	WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE')
	EXECUTE FUNCTION @extschema@.cvfw_guard_inherit();

CREATE FUNCTION @extschema@.cvfw_guard_dropped()
RETURNS pg_catalog.event_trigger
AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.cvfw_guard_dropped() IS
'event trigger: what the guards remember of a dropped table goes with it';

CREATE EVENT TRIGGER cvfw_guard_dropped ON sql_drop
	WHEN TAG IN ('DROP TABLE', 'DROP SCHEMA', 'DROP OWNED')
	EXECUTE FUNCTION @extschema@.cvfw_guard_dropped();

-- history backfill ------------------------------------------------------------

-- Events from any query returning (customer, label, at [, value, cost]),
-- one row per change of a customer's record (a change log), read as live
-- capture records them: labels through the map (NULL, left and keep read
-- as the last stage), an event where the stage changes or value or cost
-- change (value and cost are the record's amounts after the change; an
-- event gets what they gained).  Rows at the same time are read in wheel
-- order.  Returns the number of events inserted.
--
-- The caller's query runs with the caller's search_path, so this function
-- does not pin it; everything it names itself is named by schema.
CREATE FUNCTION @extschema@.cvfw_backfill(history pg_catalog.regclass, query pg_catalog.text,
	map pg_catalog.text DEFAULT NULL)
RETURNS pg_catalog.int8
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
	has_value pg_catalog.bool := EXISTS (SELECT FROM pg_catalog.pg_attribute t
	                                     WHERE t.attrelid OPERATOR(pg_catalog.=) history
	                                       AND t.attname OPERATOR(pg_catalog.=) 'value' AND NOT t.attisdropped);
	has_cost pg_catalog.bool := EXISTS (SELECT FROM pg_catalog.pg_attribute t
	                                    WHERE t.attrelid OPERATOR(pg_catalog.=) history
	                                      AND t.attname OPERATOR(pg_catalog.=) 'cost' AND NOT t.attisdropped);
	n pg_catalog.int8;
	columns pg_catalog.jsonb;
BEGIN
	IF history IS NULL OR query IS NULL THEN
		RAISE EXCEPTION 'cvfw_backfill needs a history table and a query' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	-- value and cost are written only when the query returns them
	EXECUTE pg_catalog.format('SELECT pg_catalog.to_jsonb(q) FROM (%s) q LIMIT 1', query) INTO columns;
	has_value := has_value AND COALESCE(columns OPERATOR(pg_catalog.?) 'value', false);
	has_cost := has_cost AND COALESCE(columns OPERATOR(pg_catalog.?) 'cost', false);
	IF map IS NOT NULL
	   AND NOT EXISTS (SELECT FROM @extschema@.cvfw_stage_presets() p WHERE p.map OPERATOR(pg_catalog.=) cvfw_backfill.map)
	   AND NOT EXISTS (SELECT FROM @extschema@.cvfw_stage_map m WHERE m.map OPERATOR(pg_catalog.=) cvfw_backfill.map) THEN
		RAISE EXCEPTION 'stage map "%" does not exist',
			CASE WHEN pg_catalog.length(map) OPERATOR(pg_catalog.>) 100
			     THEN pg_catalog.left(map, 100) OPERATOR(pg_catalog.||) '...' ELSE map END
			USING ERRCODE = 'undefined_object';
	END IF;
	EXECUTE pg_catalog.format($q$
		WITH src AS (
			SELECT q.customer, q.at::pg_catalog.timestamptz AS at,
			       CASE WHEN $1 IS NULL THEN q.label::pg_catalog.text::@extschema@.cvfw_stage
			            ELSE @extschema@.cvfw_stage(q.label::pg_catalog.text, $1) END AS stage,
			       (pg_catalog.to_jsonb(q) OPERATOR(pg_catalog.->>) 'value')::pg_catalog.numeric AS v,
			       (pg_catalog.to_jsonb(q) OPERATOR(pg_catalog.->>) 'cost')::pg_catalog.numeric AS c
			FROM (%s) q WHERE q.at IS NOT NULL AND q.customer IS NOT NULL),
		grouped AS (
			SELECT s.*, pg_catalog.count(s.stage) OVER w AS grp,
			       COALESCE(s.v, 0) OPERATOR(pg_catalog.-) COALESCE(pg_catalog.lag(s.v) OVER w, 0) AS dv,
			       COALESCE(s.c, 0) OPERATOR(pg_catalog.-) COALESCE(pg_catalog.lag(s.c) OVER w, 0) AS dc,
			       pg_catalog.row_number() OVER w AS n
			FROM src s
			WINDOW w AS (PARTITION BY s.customer ORDER BY s.at, @extschema@.cvfw_position(s.stage) NULLS FIRST
			             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)),
		carried AS (
			SELECT g.*, pg_catalog.first_value(g.stage) OVER (PARTITION BY g.customer, g.grp ORDER BY g.n) AS eff
			FROM grouped g),
		marked AS (
			SELECT c.*, pg_catalog.lag(c.eff) OVER (PARTITION BY c.customer ORDER BY c.n) AS prev_eff
			FROM carried c)
		INSERT INTO %s (customer, stage, at%s%s)
		SELECT m.customer, m.eff, m.at%s%s FROM marked m
		WHERE m.eff IS NOT NULL
		  AND (COALESCE(@extschema@.cvfw_position(m.prev_eff), 0) OPERATOR(pg_catalog.<>) @extschema@.cvfw_position(m.eff)
		       OR m.dv OPERATOR(pg_catalog.<>) 0 OR m.dc OPERATOR(pg_catalog.<>) 0)
		$q$, query, history,
		CASE WHEN has_value THEN ', value' ELSE '' END, CASE WHEN has_cost THEN ', cost' ELSE '' END,
		CASE WHEN has_value THEN ', m.dv' ELSE '' END, CASE WHEN has_cost THEN ', m.dc' ELSE '' END)
	USING map;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END $$;
COMMENT ON FUNCTION @extschema@.cvfw_backfill(pg_catalog.regclass, pg_catalog.text, pg_catalog.text) IS
'insert into a history table the events a change log (a query returning customer, label, at [, value, cost]) stands for, as live capture would have recorded them';

-- HubSpot keeps no change log of lifecycle stages, but a date per stage:
-- hs_lifecyclestage_<label>_date, when the contact entered it.  Each date
-- column of a label of the map becomes a change to that label.
CREATE FUNCTION @extschema@.cvfw_backfill_hubspot(history pg_catalog.regclass, contacts pg_catalog.regclass,
	customer pg_catalog.name, map pg_catalog.text DEFAULT 'hubspot_lifecycle',
	date_column pg_catalog.text DEFAULT 'hs_lifecyclestage_%s_date')
RETURNS pg_catalog.int8
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	parts pg_catalog.text[];
BEGIN
	SELECT array_agg(format('SELECT %I AS customer, %L AS label, %I AS at FROM %s',
	                        customer, l.label, t.attname, contacts) ORDER BY l.label)
	INTO parts
	FROM (SELECT p.label FROM @extschema@.cvfw_stage_presets() p WHERE p.map = cvfw_backfill_hubspot.map
	      UNION
	      SELECT m.label FROM @extschema@.cvfw_stage_map m WHERE m.map = cvfw_backfill_hubspot.map) l
	JOIN pg_attribute t ON t.attrelid = contacts AND NOT t.attisdropped AND t.attnum > 0
	 AND t.attname = format(date_column, l.label);
	IF parts IS NULL THEN
		RAISE EXCEPTION 'table "%" has no date column for a label of map "%"',
			(SELECT c.relname FROM pg_class c WHERE c.oid = contacts), map
			USING ERRCODE = 'undefined_column',
			DETAIL = format('Looked for columns named %s, one per label.', format(date_column, '<label>'));
	END IF;
	RETURN @extschema@.cvfw_backfill(history, array_to_string(parts, ' UNION ALL '), map);
END $$;
COMMENT ON FUNCTION @extschema@.cvfw_backfill_hubspot(pg_catalog.regclass, pg_catalog.regclass, pg_catalog.name, pg_catalog.text, pg_catalog.text) IS
'insert into a history table the events HubSpot''s per-stage date columns (hs_lifecyclestage_<label>_date) stand for';
