-- The role reading the catalog: the one that creates what a plan creates, so its
-- default privileges are what new objects get.
SELECT format('%I', current_user) AS role
