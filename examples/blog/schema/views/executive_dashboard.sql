CREATE VIEW executive_dashboard AS
    SELECT * FROM daily_stats;
