-- A user's ranking score. Change its signature and pgmt rebuilds the views above it.
CREATE FUNCTION calculate_score(points integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT points * 2 $$;
