-- Rewrite rules written by the user (a view's own _RETURN rule is the view).
SELECT r.oid AS objid,
       format('%I.%I', n.nspname, c.relname) AS table_name,
       c.relkind AS relkind,
       format('%I', r.rulename) AS name,
       rtrim(pg_get_ruledef(r.oid), E'; \n') AS definition,
       r.ev_enabled::text AS enabled
FROM pg_rewrite r
JOIN pg_class c ON c.oid = r.ev_class
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND r.rulename <> '_RETURN'
  -- Not an extension's ($1: the database has no extension of its own).
  AND ($1 OR NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_class'::regclass
                       AND e.objid = c.oid AND e.deptype = 'e'))
ORDER BY table_name, name
