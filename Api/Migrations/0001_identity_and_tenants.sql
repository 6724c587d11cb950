-- Tenants, users and the keys that sign their tokens. The application role (${app_role}) reads and
-- writes rows; it owns nothing and cannot change the schema.

CREATE TABLE tenants (
    id         uuid PRIMARY KEY,
    name       text        NOT NULL,
    slug       text        NOT NULL UNIQUE,
    plan       text        NOT NULL CHECK (plan IN ('free', 'pro', 'team')),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text        NOT NULL,
    display_name  text        NOT NULL,
    password_hash text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('super_admin', 'tenant_admin', 'member', 'support')),
    tenant_id     uuid REFERENCES tenants (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((role IN ('tenant_admin', 'member')) = (tenant_id IS NOT NULL))
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

-- RSA keys that sign access tokens; the public halves are published as JWKS.
CREATE TABLE signing_keys (
    kid         text PRIMARY KEY,
    private_pem text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    retired_at  timestamptz
);

GRANT USAGE ON SCHEMA public TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON tenants, users TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON signing_keys TO ${app_role};
