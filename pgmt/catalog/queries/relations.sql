-- Tables, views, materialized views and sequences, with the row types that
-- dependencies on a relation's type resolve to. Sorted by name before anything is printed
-- (view definitions are long: the sort would move them too); the order only matters for
-- speed (see reader._Builder.finished).
SELECT c.oid AS objid,
       c.reltype AS type_oid,
       c.relkind AS relkind,
       format('%I.%I', c.nspname, c.relname) AS name,
       c.relpersistence = 'u' AS unlogged,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_by,
       -- The columns the partition key uses, plainly or in an expression: [name, type
       -- [COLLATE c]] each, as PostgreSQL refuses to retype them. Each is recorded as
       -- internally dependent on its table.
       CASE WHEN c.relkind = 'p' THEN
           array(SELECT ARRAY[quote_ident(a.attname), format_type(a.atttypid, a.atttypmod)
                              || coalesce(' COLLATE ' || nullif(a.attcollation, 0)::regcollation,
                                          '')]
                 FROM pg_depend d
                 JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid
                 WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                   AND d.objsubid > 0 AND d.refclassid = 'pg_class'::regclass
                   AND d.refobjid = c.oid AND d.refobjsubid = 0 AND d.deptype = 'i'
                 ORDER BY a.attnum)
       END AS partition_key_columns,
       CASE WHEN c.relispartition THEN
           (SELECT format('%I.%I', pn.nspname, pc.relname) FROM pg_inherits i
            JOIN pg_class pc ON pc.oid = i.inhparent
            JOIN pg_namespace pn ON pn.oid = pc.relnamespace
            WHERE i.inhrelid = c.oid)
       END AS partition_of,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       -- What a partition has from its parent's own and DETACH leaves it: constraints
       -- cloned (foreign keys first: they may use a key's index) and indexes attached.
       CASE WHEN c.relispartition THEN
           array(SELECT quote_ident(con.conname) FROM pg_constraint con
                 WHERE con.conrelid = c.oid AND con.conparentid <> 0
                 ORDER BY con.contype <> 'f', con.conname)
       END AS cloned_constraints,
       CASE WHEN c.relispartition THEN
           array(SELECT format('%I.%I', c.nspname, ic.relname) FROM pg_index x
                 JOIN pg_class ic ON ic.oid = x.indexrelid
                 WHERE x.indrelid = c.oid
                   AND EXISTS (SELECT FROM pg_inherits h WHERE h.inhrelid = x.indexrelid)
                 ORDER BY ic.relname)
       END AS attached_indexes,
       CASE WHEN NOT c.relispartition THEN
           array(SELECT format('%I.%I', pn.nspname, pc.relname) FROM pg_inherits i
                 JOIN pg_class pc ON pc.oid = i.inhparent
                 JOIN pg_namespace pn ON pn.oid = pc.relnamespace
                 WHERE i.inhrelid = c.oid ORDER BY i.inhseqno)
       END AS inherits,
       coalesce(c.reloptions, '{}') AS options,
       c.relrowsecurity AS rls_enabled,
       c.relforcerowsecurity AS rls_forced,
       CASE WHEN c.relkind IN ('v', 'm') THEN
           rtrim(pg_get_viewdef(c.oid), E'; \n')
       END AS view_definition,
       CASE WHEN c.relkind = 'v' THEN
           array(SELECT format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod))
                 FROM pg_attribute a
                 WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                 ORDER BY a.attnum)
       END AS view_columns,
       c.relispopulated AS populated
FROM (SELECT c.oid, c.reltype, c.relkind, n.nspname, c.relname, c.relpersistence,
             c.relispartition, c.relpartbound, c.reloptions, c.relrowsecurity,
             c.relforcerowsecurity, c.relispopulated
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        AND c.relkind IN ('r', 'p', 'v', 'm')
        -- Not an extension's ($1: the database has no extension of its own).
        AND ($1 OR NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_class'::regclass
                             AND e.objid = c.oid AND e.deptype = 'e'))
      ORDER BY n.nspname, c.relname) c
