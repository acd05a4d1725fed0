-- Every security label on a user object; the reader keeps those whose object it
-- knows. Labels exist only where a provider is loaded (sepgsql, or an extension
-- such as PostgreSQL Anonymizer); labels on shared objects (roles, databases) are
-- not read.
SELECT l.classoid AS classid, l.objoid AS objid, l.objsubid AS subid,
       l.provider, l.label
FROM pg_seclabel l
WHERE l.objoid >= 16384 OR l.classoid = 'pg_namespace'::regclass
ORDER BY 1, 2, 3, 4
