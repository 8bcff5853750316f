-- The jti of every client assertion accepted at the token endpoint, kept until it expires, so an
-- assertion captured on the wire cannot be played again (SMART Backend Services, RFC 7523 3).
-- A row older than its assertion's expiry is of no use and is deleted (SeenAssertionIds).
CREATE TABLE sehat_client_assertion (
    client_id  VARCHAR(200) NOT NULL,
    jti        VARCHAR(200) NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (client_id, jti)
);
CREATE INDEX sehat_client_assertion_expiry ON sehat_client_assertion (expires_at);
