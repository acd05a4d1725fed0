-- Per-column options of foreign tables (`col type OPTIONS (column_name 'x')`), as
-- `name 'value'` in name order. Not masked like a server's: column options name
-- remote columns and flags (oracle_fdw's `key 'true'`), never credentials.
SELECT format('%I.%I', n.nspname, c.relname) AS table_name,
       format('%I', a.attname) AS name,
       array(SELECT format('%I %s', o.option_name, quote_literal(o.option_value))
             FROM pg_options_to_table(a.attfdwoptions) o ORDER BY o.option_name) AS options
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'f' AND a.attnum > 0 AND NOT a.attisdropped
  AND a.attfdwoptions IS NOT NULL AND cardinality(a.attfdwoptions) > 0
  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  -- Not an extension's ($1: the database has no extension of its own).
  AND ($1 OR NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_class'::regclass
                       AND e.objid = c.oid AND e.deptype = 'e'))
ORDER BY 1, 2
