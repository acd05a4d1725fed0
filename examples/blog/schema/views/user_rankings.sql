CREATE VIEW user_rankings AS
    SELECT id, name, calculate_score(score) AS rank_score FROM users;
