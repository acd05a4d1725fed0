-- Every comment on a user object; the reader keeps those whose object it knows.
SELECT d.classoid AS classid, d.objoid AS objid, d.objsubid AS subid, d.description AS text
FROM pg_description d
WHERE d.objoid >= 16384 OR d.classoid = 'pg_namespace'::regclass
ORDER BY 1, 2, 3
