-- User objects of kinds the engine does not read: the read fails and names them, so none
-- is skipped in silence. All are rare in application schemas; an extension's own (a
-- language or access method it creates) belong to the extension and are not reported.
SELECT 'access method' AS kind, format('%I', a.amname) AS name
FROM pg_am a
WHERE a.oid >= 16384 AND NOT EXISTS (SELECT FROM pg_depend e
    WHERE e.classid = 'pg_am'::regclass AND e.objid = a.oid AND e.deptype = 'e')
UNION ALL
SELECT 'conversion', format('%I.%I', n.nspname, c.conname)
FROM pg_conversion c JOIN pg_namespace n ON n.oid = c.connamespace
WHERE c.oid >= 16384 AND NOT EXISTS (SELECT FROM pg_depend e
    WHERE e.classid = 'pg_conversion'::regclass AND e.objid = c.oid AND e.deptype = 'e')
UNION ALL
SELECT 'language', format('%I', l.lanname)
FROM pg_language l
WHERE l.oid >= 16384 AND NOT EXISTS (SELECT FROM pg_depend e
    WHERE e.classid = 'pg_language'::regclass AND e.objid = l.oid AND e.deptype = 'e')
UNION ALL
SELECT 'transform', format('for %s language %I', format_type(t.trftype, NULL), l.lanname)
FROM pg_transform t JOIN pg_language l ON l.oid = t.trflang
WHERE t.oid >= 16384 AND NOT EXISTS (SELECT FROM pg_depend e
    WHERE e.classid = 'pg_transform'::regclass AND e.objid = t.oid AND e.deptype = 'e')
UNION ALL
-- A subscription is this server's replication set-up (with the publisher's password in
-- its connection string), not schema: drop it from the database pgmt reads, or point
-- pgmt at one without it.
SELECT 'subscription', format('%I', s.subname)
FROM pg_subscription s
WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
ORDER BY 1, 2
