-- Ferry control plane state. Plain SQL that runs on H2 and PostgreSQL alike.

CREATE TABLE api_tokens (
    id          VARCHAR(40) PRIMARY KEY,
    token_hash  VARCHAR(64) NOT NULL UNIQUE,
    role        VARCHAR(16) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE activation_keys (
    key_hash    VARCHAR(64) PRIMARY KEY,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at     TIMESTAMP WITH TIME ZONE,
    agent_id    VARCHAR(40)
);

CREATE TABLE agents (
    id                  VARCHAR(40) PRIMARY KEY,
    name                VARCHAR(256) NOT NULL,
    certificate_serial  VARCHAR(64) NOT NULL,
    certificate_pem     TEXT NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at        TIMESTAMP WITH TIME ZONE
);

CREATE TABLE locations (
    id          VARCHAR(40) PRIMARY KEY,
    name        VARCHAR(256) NOT NULL,
    type        VARCHAR(32) NOT NULL,
    settings    TEXT NOT NULL,
    secrets     TEXT,
    agent_ids   TEXT NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE tasks (
    id                       VARCHAR(40) PRIMARY KEY,
    name                     VARCHAR(256) NOT NULL,
    source_location_id       VARCHAR(40) NOT NULL REFERENCES locations(id),
    destination_location_id  VARCHAR(40) NOT NULL REFERENCES locations(id),
    options                  TEXT NOT NULL,
    created_at               TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE executions (
    id            VARCHAR(40) PRIMARY KEY,
    task_id       VARCHAR(40) NOT NULL REFERENCES tasks(id),
    status        VARCHAR(16) NOT NULL,
    options       TEXT NOT NULL,
    counters      TEXT,
    durations     TEXT,
    error_code    VARCHAR(64),
    error_detail  TEXT,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at    TIMESTAMP WITH TIME ZONE,
    ended_at      TIMESTAMP WITH TIME ZONE
);

CREATE INDEX executions_by_task ON executions(task_id, created_at);

CREATE TABLE execution_failures (
    execution_id  VARCHAR(40) NOT NULL REFERENCES executions(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    item_key      TEXT NOT NULL,
    phase         VARCHAR(16) NOT NULL,
    code          VARCHAR(64) NOT NULL,
    message       TEXT NOT NULL,
    PRIMARY KEY (execution_id, seq)
);
