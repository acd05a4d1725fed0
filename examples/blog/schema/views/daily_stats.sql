CREATE VIEW daily_stats AS
    SELECT count(*) AS users, max(rank_score) AS top FROM user_rankings;
