CREATE SEQUENCE completions_id_seq;

CREATE TABLE completions (
    id             BIGINT PRIMARY KEY,
    attempt_id     TEXT             NOT NULL UNIQUE,
    staff_id       TEXT             NOT NULL,
    name           TEXT             NOT NULL,
    email          TEXT             NOT NULL,
    quiz           TEXT             NOT NULL,
    policy_version TEXT             NOT NULL,
    score          DOUBLE PRECISION NOT NULL,
    correct        INTEGER          NOT NULL,
    total          INTEGER          NOT NULL,
    passed         BOOLEAN          NOT NULL,
    certificate    TEXT,            -- derived from id, see store.Certificates; looked up by id
    answers        TEXT             NOT NULL,
    started_at     TIMESTAMPTZ,
    finished_at    TIMESTAMPTZ,
    received_at    TIMESTAMPTZ      NOT NULL
);

CREATE INDEX completions_passes ON completions (staff_id, quiz, id) WHERE passed;
