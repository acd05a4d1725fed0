SELECT pr.oid AS objid,
       format('%I', p.pubname) AS publication,
       format('%I.%I', n.nspname, c.relname) AS table_name,
       array(SELECT format('%I', a.attname) FROM unnest(pr.prattrs) k
             JOIN pg_attribute a ON a.attrelid = pr.prrelid AND a.attnum = k
             ORDER BY a.attnum) AS columns,
       pg_get_expr(pr.prqual, pr.prrelid) AS row_filter
FROM pg_publication_rel pr
JOIN pg_publication p ON p.oid = pr.prpubid
JOIN pg_class c ON c.oid = pr.prrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
ORDER BY publication, table_name
