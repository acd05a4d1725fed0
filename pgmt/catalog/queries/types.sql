-- Enums, domains, composite types and range types; array types and table row
-- types are reached through `typarray`/`typrelid` when dependencies are mapped.
SELECT t.oid AS objid,
       t.typarray AS array_oid,
       t.typrelid AS relation_oid,
       t.typtype AS type_kind,
       format('%I.%I', n.nspname, t.typname) AS name,
       CASE WHEN t.typtype = 'e' THEN
           array(SELECT enumlabel FROM pg_enum WHERE enumtypid = t.oid ORDER BY enumsortorder)
       END AS labels,
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base_type,
       t.typnotnull AS not_null,
       pg_get_expr(t.typdefaultbin, 0) AS default_expr,
       CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation
            THEN format('%I.%I', cn.nspname, co.collname) END AS collation,
       CASE WHEN t.typtype = 'd' THEN
           array(SELECT format('%I', c.conname) FROM pg_constraint c
                 WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname)
       END AS constraint_names,
       CASE WHEN t.typtype = 'd' THEN
           array(SELECT c.oid FROM pg_constraint c
                 WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname)
       END AS constraint_oids,
       CASE WHEN t.typtype = 'd' THEN
           array(SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
                 WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname)
       END AS constraint_definitions,
       CASE WHEN t.typtype = 'c' THEN
           array(SELECT format('%I', a.attname) FROM pg_attribute a
                 WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
                 ORDER BY a.attnum)
       END AS attribute_names,
       CASE WHEN t.typtype = 'c' THEN
           array(SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
                 WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
                 ORDER BY a.attnum)
       END AS attribute_types,
       CASE WHEN t.typtype = 'c' THEN
           array(SELECT CASE WHEN a.attcollation <> at.typcollation
                             THEN format('%I.%I', acn.nspname, aco.collname) END
                 FROM pg_attribute a
                 JOIN pg_type at ON at.oid = a.atttypid
                 LEFT JOIN pg_collation aco ON aco.oid = a.attcollation
                 LEFT JOIN pg_namespace acn ON acn.oid = aco.collnamespace
                 WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
                 ORDER BY a.attnum)
       END AS attribute_collations,
       format_type(r.rngsubtype, NULL) AS subtype,
       CASE WHEN r.rngsubopc IS NOT NULL AND NOT opc.opcdefault
            THEN format('%I.%I', opcn.nspname, opc.opcname) END AS subtype_opclass,
       CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation
            THEN format('%I.%I', rcn.nspname, rco.collname) END AS range_collation,
       CASE WHEN r.rngcanonical <> 0 THEN r.rngcanonical::regproc::text END AS canonical,
       CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::regproc::text END AS subtype_diff,
       CASE WHEN r.rngmultitypid <> 0 THEN format_type(r.rngmultitypid, NULL) END AS multirange,
       -- What PostgreSQL makes with a range type and drops with it, whose uses are uses of
       -- the range type: its multirange type (and that one's array type), and the
       -- constructor functions of both.
       r.rngmultitypid AS multirange_oid,
       mt.typarray AS multirange_array_oid,
       CASE WHEN t.typtype = 'r' THEN
           array(SELECT d.objid FROM pg_depend d
                 WHERE d.refclassid = 'pg_type'::regclass
                   AND d.refobjid IN (t.oid, r.rngmultitypid) AND d.refobjsubid = 0
                   AND d.classid = 'pg_proc'::regclass AND d.deptype = 'i'
                 ORDER BY d.objid)
       END AS constructor_oids
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN pg_range r ON r.rngtypid = t.oid
LEFT JOIN pg_type st ON st.oid = r.rngsubtype
LEFT JOIN pg_type mt ON mt.oid = r.rngmultitypid
LEFT JOIN pg_opclass opc ON opc.oid = r.rngsubopc
LEFT JOIN pg_namespace opcn ON opcn.oid = opc.opcnamespace
LEFT JOIN pg_collation rco ON rco.oid = r.rngcollation
LEFT JOIN pg_namespace rcn ON rcn.oid = rco.collnamespace
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND (t.typtype IN ('e', 'd', 'r')
       OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
  -- Not an extension's ($1: the database has no extension of its own).
  AND ($1 OR NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_type'::regclass
                       AND e.objid = t.oid AND e.deptype = 'e'))
ORDER BY name
