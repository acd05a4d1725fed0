-- Publications with every option spelled out (so that a change is one SET); their
-- tables and schemas are read by publication_tables.sql and publication_schemas.sql.
SELECT p.oid AS objid,
       format('%I', p.pubname) AS name,
       p.puballtables AS all_tables,
       array_remove(ARRAY[
           format('publish = %L', concat_ws(', ',
               CASE WHEN p.pubinsert THEN 'insert' END, CASE WHEN p.pubupdate THEN 'update' END,
               CASE WHEN p.pubdelete THEN 'delete' END,
               CASE WHEN p.pubtruncate THEN 'truncate' END)),
           'publish_via_partition_root = ' || CASE WHEN p.pubviaroot THEN 'true' ELSE 'false' END,
           CASE to_jsonb(p) ->> 'pubgencols'
               WHEN 's' THEN 'publish_generated_columns = stored'
               WHEN 'n' THEN 'publish_generated_columns = none'
               WHEN 'true' THEN 'publish_generated_columns = true'
               WHEN 'false' THEN 'publish_generated_columns = false' END
       ], NULL) AS options
FROM pg_publication p
ORDER BY name
