SELECT e.oid AS objid,
       format('%I', e.extname) AS name,
       format('%I', n.nspname) AS schema,
       e.extversion AS version
FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace
ORDER BY 2
