-- Typed tables (`CREATE TABLE t OF type`): the composite type each is bound to, and
-- its columns in order, `name type [COLLATE …]`: ALTER TABLE … OF checks them
-- against the type's attributes, so a change to them unbinds and binds the table again.
SELECT format('%I.%I', n.nspname, c.relname) AS table_name,
       format_type(c.reloftype, NULL) AS of_type,
       array(SELECT format('%I', a.attname) FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum) AS column_names,
       array(SELECT format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod))
                    || CASE WHEN a.attcollation <> t.typcollation
                            THEN format(' COLLATE %I.%I', con.nspname, co.collname) ELSE '' END
             FROM pg_attribute a
             JOIN pg_type t ON t.oid = a.atttypid
             LEFT JOIN pg_collation co ON co.oid = a.attcollation
             LEFT JOIN pg_namespace con ON con.oid = co.collnamespace
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum) AS columns
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.reloftype <> 0 AND c.relkind IN ('r', 'p')
  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  -- Not an extension's ($1: the database has no extension of its own).
  AND ($1 OR NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_class'::regclass
                       AND e.objid = c.oid AND e.deptype = 'e'))
ORDER BY 1
