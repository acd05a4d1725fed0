-- Indexes that are not a constraint's own and not a partition's copy of its
-- parent's index.
--
-- Most indexes are on one plain column, with that column's collation and its type's
-- default operator class: for those the definition is put together here, as
-- pg_get_indexdef prints it: pg_get_indexdef costs some 25 µs an index, two thirds of
-- this query's time on a schema of thousands of indexes. Every other shape goes to
-- pg_get_indexdef; test_reader.py checks both ways print the same, shape by shape.
--
-- The inner query leaves constraints' indexes out first (as a join, the server looked
-- their columns up before dropping them) and sorts by name before anything is printed;
-- the order only matters for speed (see reader._Builder.finished).
SELECT objid,
       format('%I.%I', nspname, index_name) AS name,
       format('%I.%I', nspname, table_name) AS table_name,
       CASE WHEN indnatts = 1 AND attnum IS NOT NULL  -- one column, not an expression
                 AND no_predicate AND reloptions IS NULL AND relkind = 'i'
                 AND NOT indnullsnotdistinct AND attoptions IS NULL
                 AND indcollation[0] IN (0, attcollation)
                 -- The default for exactly this type (a domain's, a polymorphic one: no).
                 AND opcdefault AND opcintype = atttypid
                 -- Only btree of the built-in methods orders, and prints ASC/DESC.
                 AND (indoption[0] = 0 OR amname = 'btree')
            THEN format('CREATE %sINDEX %I ON %I.%I USING %I (%I%s)',
                        CASE WHEN indisunique THEN 'UNIQUE ' ELSE '' END,
                        index_name, nspname, table_name, amname, attname,
                        CASE WHEN indoption[0] & 1 <> 0 THEN  -- DESC
                                 CASE WHEN indoption[0] & 2 <> 0 THEN ' DESC'  -- NULLS FIRST
                                      ELSE ' DESC NULLS LAST' END
                             WHEN indoption[0] & 2 <> 0 THEN ' NULLS FIRST'
                             ELSE '' END)
            ELSE pg_get_indexdef(objid)
       END AS definition
FROM (SELECT i.indexrelid AS objid, n.nspname, ic.relname AS index_name,
             c.relname AS table_name, i.indnatts, i.indpred IS NULL AS no_predicate,
             ic.reloptions, ic.relkind, i.indnullsnotdistinct, i.indcollation,
             i.indoption, i.indisunique, am.amname, a.attnum, a.attname, a.attcollation,
             a.atttypid, ia.attoptions, opc.opcdefault, opc.opcintype
      FROM (SELECT * FROM pg_index i
            WHERE NOT EXISTS (SELECT FROM pg_constraint con
                              WHERE con.conindid = i.indexrelid
                                AND con.contype IN ('p', 'u', 'x'))
              AND NOT EXISTS (SELECT FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
            OFFSET 0) i
      JOIN pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_class c ON c.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = ic.relnamespace
      JOIN pg_am am ON am.oid = ic.relam
      LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
      LEFT JOIN pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = 1
      LEFT JOIN pg_opclass opc ON opc.oid = i.indclass[0]
      WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        AND c.relkind IN ('r', 'p', 'm')
        -- Not an extension's ($1: the database has no extension of its own).
        AND ($1 OR NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_class'::regclass
                             AND e.objid = c.oid AND e.deptype = 'e'))
      ORDER BY n.nspname, ic.relname) sorted
