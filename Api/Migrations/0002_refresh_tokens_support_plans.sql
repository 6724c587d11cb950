-- Identity and tenants, second step: refresh tokens (stored hashed), support assignments, member
-- invitations, last sign-in times and tenant settings.

ALTER TABLE tenants ADD COLUMN settings jsonb NOT NULL DEFAULT '{}'::jsonb;

ALTER TABLE users ADD COLUMN last_sign_in_at timestamptz;
-- An invited member signs in only after accepting the invitation (which sets the password).
ALTER TABLE users ADD COLUMN invitation_hash bytea UNIQUE;
ALTER TABLE users ADD COLUMN invitation_expires_at timestamptz;

-- Opaque refresh tokens, kept only as SHA-256 hashes. Each use replaces the token with a new one of
-- the same family; presenting a replaced token again revokes the whole family (a stolen token).
CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    family_id   uuid        NOT NULL,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  bytea       NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    replaced_at timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- The tenants a support user may see; carried in the access token's support_tenants claims.
CREATE TABLE support_assignments (
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tenant_id  uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, tenant_id)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON refresh_tokens, support_assignments TO ${app_role};
GRANT DELETE ON users TO ${app_role};
