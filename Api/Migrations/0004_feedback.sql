-- Feedback from the Dashboard's feedback button, triaged by admins.
CREATE TABLE feedback (
    id          uuid PRIMARY KEY,
    tenant_id   uuid REFERENCES tenants (id),
    user_id     uuid        NOT NULL REFERENCES users (id),
    user_email  text        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('bug', 'feature', 'question', 'general')),
    priority    text        NOT NULL CHECK (priority IN ('low', 'medium', 'high')),
    message     text        NOT NULL,
    page        text,
    status      text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'reviewed', 'resolved')),
    triage_note text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feedback_status_created ON feedback (status, created_at DESC);

GRANT SELECT, INSERT, UPDATE ON feedback TO ${app_role};
