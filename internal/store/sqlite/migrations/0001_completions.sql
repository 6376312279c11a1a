-- Times are Unix microseconds (UTC); NULL when the page did not send them.
CREATE TABLE completions (
    id             INTEGER PRIMARY KEY,
    attempt_id     TEXT    NOT NULL UNIQUE,
    staff_id       TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    email          TEXT    NOT NULL,
    quiz           TEXT    NOT NULL,
    policy_version TEXT    NOT NULL,
    score          REAL    NOT NULL,
    correct        INTEGER NOT NULL,
    total          INTEGER NOT NULL,
    passed         INTEGER NOT NULL,
    certificate    TEXT,         -- derived from id, see store.Certificates; looked up by id
    answers        TEXT    NOT NULL,
    started_at     INTEGER,
    finished_at    INTEGER,
    received_at    INTEGER NOT NULL
);

-- The report asks for the latest pass per person and quiz.
CREATE INDEX completions_passes ON completions (staff_id, quiz, id) WHERE passed = 1;
