-- catalog.sql — everything the cvfw extension defines, one line per object
-- and property, in a stable order: two databases whose outputs are equal
-- have the same extension (upgrade.sh compares an updated install with a
-- fresh one).
\pset format unaligned
\pset tuples_only on
WITH members AS (
  SELECT d.classid, d.objid
  FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
  WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND e.extname = 'cvfw'
)
SELECT line FROM (
  SELECT pg_describe_object(classid, objid, 0) AS line FROM members
  UNION ALL
  SELECT format('%s: %s %s strict=%s parallel=%s volatile=%s secdef=%s returns %s %s cost=%s rows=%s support=%s comment=%s',
                p.oid::regprocedure, p.prokind, l.lanname, p.proisstrict, p.proparallel, p.provolatile,
                p.prosecdef, CASE WHEN p.proretset THEN 'setof' END, p.prorettype::regtype,
                p.procost, p.prorows, p.prosupport, obj_description(p.oid, 'pg_proc'))
         || coalesce(' ' || p.prosrc || ' ' || p.probin, '')
         || coalesce(' args ' || pg_get_function_arguments(p.oid), '')
  FROM members m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
  JOIN pg_language l ON l.oid = p.prolang
  UNION ALL
  SELECT format('aggregate %s: sfunc=%s stype=%s final=%s combine=%s serial=%s deserial=%s init=%s sspace=%s finalmodify=%s sortop=%s',
                a.aggfnoid::regprocedure, a.aggtransfn, a.aggtranstype::regtype, a.aggfinalfn,
                a.aggcombinefn, a.aggserialfn, a.aggdeserialfn, a.agginitval, a.aggtransspace,
                a.aggfinalmodify, a.aggsortop::regoperator)
  FROM members m JOIN pg_aggregate a ON m.classid = 'pg_proc'::regclass AND a.aggfnoid = m.objid
  UNION ALL
  SELECT format('type %s: len=%s byval=%s align=%s storage=%s category=%s in=%s out=%s recv=%s send=%s analyze=%s subscript=%s comment=%s attrs=%s',
                t.oid::regtype, t.typlen, t.typbyval, t.typalign, t.typstorage, t.typcategory,
                t.typinput, t.typoutput, t.typreceive, t.typsend, t.typanalyze,
                to_jsonb(t) ->> 'typsubscript', -- a column from PostgreSQL 14 on
                obj_description(t.oid, 'pg_type'),
                (SELECT string_agg(attname || ' ' || atttypid::regtype, ', ' ORDER BY attnum)
                 FROM pg_attribute WHERE attrelid = t.typrelid AND attnum > 0))
  FROM members m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
  UNION ALL
  SELECT format('operator %s: %s commutator=%s negator=%s restrict=%s join=%s merges=%s hashes=%s',
                o.oid::regoperator, o.oprcode, o.oprcom::regoperator, o.oprnegate::regoperator,
                o.oprrest, o.oprjoin, o.oprcanmerge, o.oprcanhash)
  FROM members m JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid
  UNION ALL
  SELECT format('%s member %s %s %s', pg_describe_object(m.classid, m.objid, 0),
                amop.amopstrategy, amop.amopopr::regoperator, amop.amoppurpose)
  FROM members m JOIN pg_opfamily f ON m.classid = 'pg_opfamily'::regclass AND f.oid = m.objid
  JOIN pg_amop amop ON amop.amopfamily = f.oid
  UNION ALL
  SELECT format('%s support %s %s', pg_describe_object(m.classid, m.objid, 0),
                amproc.amprocnum, amproc.amproc::regprocedure)
  FROM members m JOIN pg_opfamily f ON m.classid = 'pg_opfamily'::regclass AND f.oid = m.objid
  JOIN pg_amproc amproc ON amproc.amprocfamily = f.oid
  UNION ALL
  SELECT format('cast %s: %s %s %s', pg_describe_object(m.classid, m.objid, 0),
                c.castfunc::regprocedure, c.castcontext, c.castmethod)
  FROM members m JOIN pg_cast c ON m.classid = 'pg_cast'::regclass AND c.oid = m.objid
  UNION ALL
  -- tables (the stage maps, the guards' memory): columns, constraints,
  -- indexes, rights, comment, and whether pg_dump dumps their rows
  SELECT format('table %s: columns=%s constraints=%s indexes=%s acl=%s comment=%s dumped=%s',
                c.oid::regclass,
                (SELECT string_agg(format('%s %s%s%s', a.attname, format_type(a.atttypid, a.atttypmod),
                                          CASE WHEN a.attnotnull THEN ' not null' END,
                                          ' default ' || pg_get_expr(ad.adbin, ad.adrelid)), ', ' ORDER BY a.attnum)
                 FROM pg_attribute a LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                 WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
                (SELECT string_agg(format('%s %s', k.conname, pg_get_constraintdef(k.oid)), '; ' ORDER BY k.conname)
                 FROM pg_constraint k WHERE k.conrelid = c.oid),
                (SELECT string_agg(pg_get_indexdef(i.indexrelid), '; ' ORDER BY i.indexrelid::regclass::text)
                 FROM pg_index i WHERE i.indrelid = c.oid),
                c.relacl, obj_description(c.oid, 'pg_class'),
                c.oid = ANY ((SELECT e.extconfig FROM pg_extension e WHERE e.extname = 'cvfw')::oid[]))
  FROM members m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid AND c.relkind = 'r'
  UNION ALL
  SELECT format('event trigger %s: %s %s %s enabled=%s', t.evtname, t.evtevent, t.evttags,
                t.evtfoid::regprocedure, t.evtenabled)
  FROM members m JOIN pg_event_trigger t ON m.classid = 'pg_event_trigger'::regclass AND t.oid = m.objid
) x
ORDER BY line COLLATE "C";
