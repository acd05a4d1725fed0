-- Which of the catalog queries can find anything in this database: one column per query,
-- named after it, false only where the catalog the query reads holds no user object at
-- all. Most schemas use no operators, text search, publications or foreign data, and
-- planning and running a query that finds nothing costs a fresh connection more than this
-- one round trip of index probes. Each probe is the query's own condition, or looser:
-- objects made after initdb have oids from 16384 (FirstNormalObjectId) on, and an
-- extension's objects or one outside the user's schemas only make a probe true.
SELECT
    EXISTS (SELECT FROM pg_aggregate WHERE aggfnoid >= 16384) AS aggregates,
    EXISTS (SELECT FROM pg_type t
            WHERE t.oid >= 16384 AND (t.typtype = 'b' OR (t.typtype = 'p' AND NOT t.typisdefined))
              -- not an array type (NOT IN hashes the array types once; NOT EXISTS under
              -- EXISTS was planned as a nested loop over every pair of types)
              AND t.oid NOT IN (SELECT typarray FROM pg_type)) AS base_types,
    EXISTS (SELECT FROM pg_cast WHERE oid >= 16384) AS casts,
    EXISTS (SELECT FROM pg_collation WHERE oid >= 16384) AS collations,
    EXISTS (SELECT FROM pg_event_trigger) AS event_triggers,
    EXISTS (SELECT FROM pg_foreign_data_wrapper) OR EXISTS (SELECT FROM pg_foreign_server)
        OR EXISTS (SELECT FROM pg_foreign_table) AS foreign,
    EXISTS (SELECT FROM pg_foreign_table) AS foreign_column_options,
    EXISTS (SELECT FROM pg_operator WHERE oid >= 16384) AS operators,
    EXISTS (SELECT FROM pg_opfamily WHERE oid >= 16384)
        OR EXISTS (SELECT FROM pg_opclass WHERE oid >= 16384) AS operator_classes,
    EXISTS (SELECT FROM pg_amop WHERE oid >= 16384)
        OR EXISTS (SELECT FROM pg_amproc WHERE oid >= 16384) AS operator_members,
    EXISTS (SELECT FROM pg_publication) AS publications,
    EXISTS (SELECT FROM pg_publication) AS publication_tables,
    EXISTS (SELECT FROM pg_publication) AS publication_schemas,
    EXISTS (SELECT FROM pg_rewrite WHERE oid >= 16384 AND rulename <> '_RETURN') AS rules,
    EXISTS (SELECT FROM pg_seclabel) AS security_labels,
    EXISTS (SELECT FROM pg_statistic_ext WHERE oid >= 16384) AS statistics,
    EXISTS (SELECT FROM pg_ts_parser WHERE oid >= 16384)
        OR EXISTS (SELECT FROM pg_ts_template WHERE oid >= 16384)
        OR EXISTS (SELECT FROM pg_ts_dict WHERE oid >= 16384)
        OR EXISTS (SELECT FROM pg_ts_config WHERE oid >= 16384) AS text_search,
    relations.typed_tables,
    relations.replica_identities,
    EXISTS (SELECT FROM pg_default_acl) AS default_privileges,
    -- Identity columns' sequences are their columns' business, not sequences.sql's.
    EXISTS (SELECT FROM pg_sequence s
            WHERE NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                              AND d.objid = s.seqrelid AND d.deptype IN ('i', 'e')))
        AS sequences,
    EXISTS (SELECT FROM pg_policy) AS policies,
    -- Not a query: whether any object can be an extension's. Only the user's extensions
    -- make objects outside pg_catalog (initdb's plpgsql is below 16384); with none, the
    -- queries' checks for extension members ($1) are planned away.
    EXISTS (SELECT FROM pg_extension WHERE oid >= 16384) AS extension_members
-- Two probes of pg_class in one pass over it.
FROM (SELECT coalesce(bool_or(reloftype <> 0), false) AS typed_tables,
             coalesce(bool_or(relkind IN ('r', 'p') AND relreplident <> 'd'), false)
                 AS replica_identities
      FROM pg_class WHERE oid >= 16384) relations
