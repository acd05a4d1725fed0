-- Operators in user schemas (not an extension's). Operands as `format_type`,
-- functions as `regproc` (schema-qualified under the empty search_path), the
-- commutator and negator as `OPERATOR(schema.symbol)`.
SELECT o.oid AS objid,
       format('%I.%s', n.nspname, o.oprname) AS name,
       CASE WHEN o.oprleft <> 0 THEN format_type(o.oprleft, NULL) END AS "left",
       format_type(o.oprright, NULL) AS "right",
       o.oprcode::regproc::text AS function,
       (SELECT format('OPERATOR(%I.%s)', cn.nspname, c.oprname) FROM pg_operator c
        JOIN pg_namespace cn ON cn.oid = c.oprnamespace WHERE c.oid = o.oprcom) AS commutator,
       (SELECT format('OPERATOR(%I.%s)', cn.nspname, c.oprname) FROM pg_operator c
        JOIN pg_namespace cn ON cn.oid = c.oprnamespace WHERE c.oid = o.oprnegate) AS negator,
       NULLIF(o.oprrest, 0)::regproc::text AS restrict,
       NULLIF(o.oprjoin, 0)::regproc::text AS "join",
       o.oprcanhash AS hashes,
       o.oprcanmerge AS merges
FROM pg_operator o
JOIN pg_namespace n ON n.oid = o.oprnamespace
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  -- Not an extension's ($1: the database has no extension of its own).
  AND ($1 OR NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_operator'::regclass
                       AND e.objid = o.oid AND e.deptype = 'e'))
ORDER BY name, "left", "right"
