-- The control-plane catalog: every resource is a row keyed by kind, scope (account:region, or the
-- account alone for global services) and id, with its domain record as JSON. Listing walks
-- (kind, scope, parent, sort_key), so pagination is a range scan, never an offset.
CREATE TABLE resources (
    kind        VARCHAR(40)   NOT NULL,
    scope       VARCHAR(80)   NOT NULL,
    id          VARCHAR(600)  NOT NULL,
    parent      VARCHAR(600)  NOT NULL,
    sort_key    VARCHAR(700)  NOT NULL,
    created_at  BIGINT        NOT NULL,
    doc         ${text}       NOT NULL,
    PRIMARY KEY (kind, scope, id)
);
CREATE INDEX resources_list ON resources (kind, scope, parent, sort_key);

-- Tags of any taggable ARN, one row a tag.
CREATE TABLE tags (
    arn        VARCHAR(1100) NOT NULL,
    tag_key    VARCHAR(300)  NOT NULL,
    tag_value  VARCHAR(600)  NOT NULL,
    PRIMARY KEY (arn, tag_key)
);
