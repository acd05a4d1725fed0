-- Operator families and classes in user schemas (not an extension's), one row each,
-- `kind` telling which.
SELECT 'family' AS kind, f.oid AS objid, format('%I.%I', n.nspname, f.opfname) AS name,
       format('%I', am.amname) AS method, NULL AS data_type, NULL::boolean AS "default",
       NULL AS family, NULL AS storage
FROM pg_opfamily f
JOIN pg_namespace n ON n.oid = f.opfnamespace
JOIN pg_am am ON am.oid = f.opfmethod
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  -- Not an extension's ($1: the database has no extension of its own).
  AND ($1 OR NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_opfamily'::regclass
                       AND e.objid = f.oid AND e.deptype = 'e'))
UNION ALL
SELECT 'class', c.oid, format('%I.%I', n.nspname, c.opcname), format('%I', am.amname),
       format_type(c.opcintype, NULL), c.opcdefault,
       (SELECT format('%I.%I', fn.nspname, f.opfname) FROM pg_opfamily f
        JOIN pg_namespace fn ON fn.oid = f.opfnamespace WHERE f.oid = c.opcfamily),
       CASE WHEN c.opckeytype <> 0 THEN format_type(c.opckeytype, NULL) END
FROM pg_opclass c
JOIN pg_namespace n ON n.oid = c.opcnamespace
JOIN pg_am am ON am.oid = c.opcmethod
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  -- Not an extension's ($1: the database has no extension of its own).
  AND ($1 OR NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_opclass'::regclass
                       AND e.objid = c.oid AND e.deptype = 'e'))
ORDER BY 1, 3, 4
