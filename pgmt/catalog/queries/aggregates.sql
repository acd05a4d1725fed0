-- Aggregates, each written back as the CREATE AGGREGATE that makes it: there is no
-- pg_get_aggregatedef, so the options are read from pg_aggregate. Options equal to
-- what PostgreSQL would choose by itself are left out.
SELECT p.oid AS objid,
       format('%I.%I', n.nspname, p.proname) AS name,
       pg_get_function_identity_arguments(p.oid) AS identity_arguments,
       pg_get_function_arguments(p.oid) AS arguments,
       format_type(p.prorettype, NULL) AS result,
       a.aggkind::text AS aggregate_kind,
       concat_ws(', ',
           format('SFUNC = %s', a.aggtransfn::regproc),
           format('STYPE = %s', format_type(a.aggtranstype, NULL)),
           CASE WHEN a.aggtransspace <> 0 THEN format('SSPACE = %s', a.aggtransspace) END,
           CASE WHEN a.aggfinalfn <> 0 THEN format('FINALFUNC = %s', a.aggfinalfn::regproc) END,
           CASE WHEN a.aggfinalextra THEN 'FINALFUNC_EXTRA' END,
           CASE WHEN a.aggfinalmodify <> CASE WHEN a.aggkind = 'n' THEN 'r' ELSE 'w' END
                THEN 'FINALFUNC_MODIFY = ' || CASE a.aggfinalmodify WHEN 'r' THEN 'READ_ONLY'
                     WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
           CASE WHEN a.aggcombinefn <> 0 THEN format('COMBINEFUNC = %s', a.aggcombinefn::regproc) END,
           CASE WHEN a.aggserialfn <> 0 THEN format('SERIALFUNC = %s', a.aggserialfn::regproc) END,
           CASE WHEN a.aggdeserialfn <> 0
                THEN format('DESERIALFUNC = %s', a.aggdeserialfn::regproc) END,
           CASE WHEN a.agginitval IS NOT NULL THEN format('INITCOND = %L', a.agginitval) END,
           CASE WHEN a.aggmtransfn <> 0 THEN format('MSFUNC = %s', a.aggmtransfn::regproc) END,
           CASE WHEN a.aggminvtransfn <> 0
                THEN format('MINVFUNC = %s', a.aggminvtransfn::regproc) END,
           CASE WHEN a.aggmtranstype <> 0
                THEN format('MSTYPE = %s', format_type(a.aggmtranstype, NULL)) END,
           CASE WHEN a.aggmtransspace <> 0 THEN format('MSSPACE = %s', a.aggmtransspace) END,
           CASE WHEN a.aggmfinalfn <> 0 THEN format('MFINALFUNC = %s', a.aggmfinalfn::regproc) END,
           CASE WHEN a.aggmfinalextra THEN 'MFINALFUNC_EXTRA' END,
           CASE WHEN a.aggmtransfn <> 0 AND a.aggmfinalmodify <> 'r'
                THEN 'MFINALFUNC_MODIFY = ' || CASE a.aggmfinalmodify WHEN 's' THEN 'SHAREABLE'
                     ELSE 'READ_WRITE' END END,
           CASE WHEN a.aggminitval IS NOT NULL THEN format('MINITCOND = %L', a.aggminitval) END,
           CASE WHEN a.aggsortop <> 0
                THEN format('SORTOP = OPERATOR(%I.%s)', opn.nspname, op.oprname) END,
           CASE p.proparallel WHEN 's' THEN 'PARALLEL = SAFE'
                              WHEN 'r' THEN 'PARALLEL = RESTRICTED' END,
           CASE WHEN a.aggkind = 'h' THEN 'HYPOTHETICAL' END
       ) AS options
FROM pg_proc p
JOIN pg_aggregate a ON a.aggfnoid = p.oid
JOIN pg_namespace n ON n.oid = p.pronamespace
LEFT JOIN pg_operator op ON op.oid = a.aggsortop
LEFT JOIN pg_namespace opn ON opn.oid = op.oprnamespace
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  -- Not an extension's ($1: the database has no extension of its own).
  AND ($1 OR NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass
                       AND e.objid = p.oid AND e.deptype = 'e'))
ORDER BY name, identity_arguments
