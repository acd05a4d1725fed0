-- User objects of kinds the engine does not understand yet. They are reported,
-- never skipped in silence.
WITH user_ns AS (
    SELECT oid FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'
),
members AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e')
SELECT 'aggregate' AS kind, p.oid::regprocedure::text AS name
FROM pg_proc p WHERE p.prokind = 'a' AND p.pronamespace IN (SELECT oid FROM user_ns)
  AND (('pg_proc'::regclass, p.oid) NOT IN (SELECT classid, objid FROM members))
UNION ALL
SELECT 'rule', format('%I on %s', r.rulename, r.ev_class::regclass)
FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
WHERE r.rulename <> '_RETURN' AND c.relnamespace IN (SELECT oid FROM user_ns)
UNION ALL
SELECT 'event trigger', format('%I', evtname) FROM pg_event_trigger e
WHERE ('pg_event_trigger'::regclass, e.oid) NOT IN (SELECT classid, objid FROM members)
UNION ALL
SELECT 'foreign table', c.oid::regclass::text FROM pg_class c
WHERE c.relkind = 'f' AND ('pg_class'::regclass, c.oid) NOT IN (SELECT classid, objid FROM members)
UNION ALL
SELECT 'foreign data wrapper', format('%I', w.fdwname) FROM pg_foreign_data_wrapper w
WHERE ('pg_foreign_data_wrapper'::regclass, w.oid) NOT IN (SELECT classid, objid FROM members)
UNION ALL
SELECT 'foreign server', format('%I', s.srvname) FROM pg_foreign_server s
WHERE ('pg_foreign_server'::regclass, s.oid) NOT IN (SELECT classid, objid FROM members)
UNION ALL
SELECT 'collation', format('%I.%I', n.nspname, c.collname)
FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace
WHERE c.collnamespace IN (SELECT oid FROM user_ns)
  AND ('pg_collation'::regclass, c.oid) NOT IN (SELECT classid, objid FROM members)
UNION ALL
SELECT 'operator', o.oid::regoperator::text FROM pg_operator o
WHERE o.oprnamespace IN (SELECT oid FROM user_ns)
  AND ('pg_operator'::regclass, o.oid) NOT IN (SELECT classid, objid FROM members)
UNION ALL
SELECT 'operator class', format('%I.%I', n.nspname, o.opcname)
FROM pg_opclass o JOIN pg_namespace n ON n.oid = o.opcnamespace
WHERE o.opcnamespace IN (SELECT oid FROM user_ns)
  AND ('pg_opclass'::regclass, o.oid) NOT IN (SELECT classid, objid FROM members)
UNION ALL
SELECT 'operator family', format('%I.%I', n.nspname, o.opfname)
FROM pg_opfamily o JOIN pg_namespace n ON n.oid = o.opfnamespace
WHERE o.opfnamespace IN (SELECT oid FROM user_ns)
  AND ('pg_opfamily'::regclass, o.oid) NOT IN (SELECT classid, objid FROM members)
UNION ALL
SELECT 'cast', format('%s AS %s', format_type(c.castsource, NULL), format_type(c.casttarget, NULL))
FROM pg_cast c WHERE c.oid >= 16384
  AND ('pg_cast'::regclass, c.oid) NOT IN (SELECT classid, objid FROM members)
UNION ALL
SELECT 'text search configuration', c.oid::regconfig::text FROM pg_ts_config c
WHERE c.cfgnamespace IN (SELECT oid FROM user_ns)
  AND ('pg_ts_config'::regclass, c.oid) NOT IN (SELECT classid, objid FROM members)
UNION ALL
SELECT 'text search dictionary', d.oid::regdictionary::text FROM pg_ts_dict d
WHERE d.dictnamespace IN (SELECT oid FROM user_ns)
  AND ('pg_ts_dict'::regclass, d.oid) NOT IN (SELECT classid, objid FROM members)
UNION ALL
SELECT 'text search parser', format('%I', p.prsname) FROM pg_ts_parser p
WHERE p.prsnamespace IN (SELECT oid FROM user_ns)
  AND ('pg_ts_parser'::regclass, p.oid) NOT IN (SELECT classid, objid FROM members)
UNION ALL
SELECT 'text search template', format('%I', t.tmplname) FROM pg_ts_template t
WHERE t.tmplnamespace IN (SELECT oid FROM user_ns)
  AND ('pg_ts_template'::regclass, t.oid) NOT IN (SELECT classid, objid FROM members)
UNION ALL
SELECT 'publication', format('%I', p.pubname) FROM pg_publication p
UNION ALL
SELECT 'statistics object', format('%I.%I', n.nspname, s.stxname)
FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
WHERE s.stxnamespace IN (SELECT oid FROM user_ns)
UNION ALL
SELECT 'base type', format('%I.%I', n.nspname, t.typname)
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype IN ('b', 'p') AND t.typnamespace IN (SELECT oid FROM user_ns)
  AND t.typelem = 0 AND NOT (t.typcategory = 'A')
  AND ('pg_type'::regclass, t.oid) NOT IN (SELECT classid, objid FROM members)
UNION ALL
SELECT 'typed table', c.oid::regclass::text FROM pg_class c
WHERE c.reloftype <> 0 AND c.relnamespace IN (SELECT oid FROM user_ns)
ORDER BY 1, 2
