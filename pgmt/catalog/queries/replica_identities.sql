-- Tables whose REPLICA IDENTITY (what logical replication sends of an updated or deleted
-- row) is not the default, the primary key: FULL, NOTHING, or USING INDEX, with the index,
-- and the constraint whose index it is, if any (that is the object to create first).
SELECT format('%I.%I', n.nspname, c.relname) AS table_name,
       CASE c.relreplident WHEN 'f' THEN 'FULL' WHEN 'n' THEN 'NOTHING'
            ELSE 'USING INDEX ' || format('%I', ri.relname) END AS identity,
       CASE WHEN ri.oid IS NOT NULL THEN format('%I.%I', n.nspname, ri.relname) END
           AS index_name,
       CASE WHEN con.oid IS NOT NULL THEN format('%I', con.conname) END AS constraint_name
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisreplident
LEFT JOIN pg_class ri ON ri.oid = i.indexrelid
LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x')
WHERE c.relkind IN ('r', 'p') AND c.relreplident <> 'd'
  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  -- Not an extension's ($1: the database has no extension of its own).
  AND ($1 OR NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_class'::regclass
                       AND e.objid = c.oid AND e.deptype = 'e'))
ORDER BY 1
