-- Quota counters: how many records of a kind a scope holds, kept in step with inserts and deletes
-- inside the same transaction, so a quota check is one conditional UPDATE instead of a COUNT.
CREATE TABLE counters (
    kind   VARCHAR(40)  NOT NULL,
    scope  VARCHAR(80)  NOT NULL,
    n      BIGINT       NOT NULL,
    PRIMARY KEY (kind, scope)
);
