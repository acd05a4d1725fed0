-- Table constraints declared on the table itself (not inherited, not cloned
-- onto a partition; one merged with a parent's, conislocal too, counts as inherited, as
-- merged columns do: no statement can unmerge it); NOT NULL is a column property, but for a NOT VALID or a NO INHERIT
-- one (PostgreSQL 18), which comes with its column's name; triggers are triggers. The table
-- comes as its oid, which relations.sql has named. In about the order of the objects'
-- keys (see reader._Builder.finished): sorted before the definitions are printed, so the
-- sort moves a few numbers and names a row rather than the definitions too (a third of
-- this query's cost otherwise). The order only matters for speed.
SELECT objid, index_oid, table_oid, quote_ident(conname) AS name, constraint_type,
       pg_get_constraintdef(objid) AS definition,
       CASE WHEN constraint_type = 'n'
            THEN (SELECT quote_ident(a.attname) FROM pg_attribute a
                  WHERE a.attrelid = table_oid AND a.attnum = conkey[1]) END AS not_null_column
FROM (SELECT con.oid AS objid, con.conindid AS index_oid, c.oid AS table_oid, con.conname,
             con.contype AS constraint_type, con.conkey
      FROM pg_constraint con
      JOIN pg_class c ON c.oid = con.conrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        AND (con.contype IN ('p', 'u', 'f', 'c', 'x')
             OR con.contype = 'n' AND (NOT con.convalidated OR con.connoinherit))
        AND con.coninhcount = 0 AND con.conparentid = 0
        -- Not an extension's ($1: the database has no extension of its own).
        AND ($1 OR NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_class'::regclass
                             AND e.objid = c.oid AND e.deptype = 'e'))
      ORDER BY n.nspname, c.relname, con.conname) sorted
