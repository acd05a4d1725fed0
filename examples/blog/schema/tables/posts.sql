-- require: tables/users.sql, types/post_status.sql
CREATE TABLE posts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title      text NOT NULL,
    body       text NOT NULL DEFAULT '',
    status     post_status NOT NULL DEFAULT 'draft',
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX posts_author_id_idx ON posts (author_id);

-- Keep updated_at current on every change.
CREATE TRIGGER posts_touch BEFORE UPDATE ON posts
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Authors see their own drafts; everyone sees what is published.
ALTER TABLE posts ENABLE ROW LEVEL SECURITY;
CREATE POLICY posts_visible ON posts FOR SELECT
    USING (status = 'published' OR author_id = current_setting('app.user_id', true)::bigint);
