-- Per-account backoff: consecutive failed sign-ins, and until when the account refuses every password (the right one
-- too). Reset by a successful sign-in or an admin's unlock.
ALTER TABLE users ADD COLUMN failed_sign_ins int NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until timestamptz;
