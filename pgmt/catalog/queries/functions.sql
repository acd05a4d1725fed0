-- Functions and procedures (aggregates are read by aggregates.sql).
SELECT p.oid AS objid,
       format('%I.%I', n.nspname, p.proname) AS name,
       pg_get_function_identity_arguments(p.oid) AS identity_arguments,
       p.prokind AS function_kind,
       pg_get_functiondef(p.oid) AS definition,
       CASE WHEN p.prokind <> 'p' THEN pg_get_function_result(p.oid) END AS result,
       pg_get_function_arguments(p.oid) AS arguments,
       p.pronargdefaults AS defaults,
       -- Output parameters (OUT, INOUT, TABLE), whose names make the result's row type.
       CASE WHEN p.proallargtypes IS NOT NULL THEN
         (SELECT coalesce(string_agg(quote_ident(coalesce(a.name, '')) || ' '
                                     || format_type(a.type, NULL), ', ' ORDER BY a.i), '')
          FROM unnest(p.proargmodes, p.proargnames, p.proallargtypes)
               WITH ORDINALITY a(mode, name, type, i)
          WHERE a.mode IN ('o', 'b', 't'))
       ELSE '' END AS outputs
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND p.prokind IN ('f', 'p', 'w')
  -- Not a range type's constructors: PostgreSQL makes and drops them with the type, whose
  -- key dependencies on them lead to (types.sql).
  AND NOT EXISTS (SELECT FROM pg_depend i WHERE i.classid = 'pg_proc'::regclass
                  AND i.objid = p.oid AND i.deptype = 'i')
  -- Not an extension's ($1: the database has no extension of its own).
  AND ($1 OR NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass
                       AND e.objid = p.oid AND e.deptype = 'e'))
ORDER BY n.nspname, p.proname, p.oid
