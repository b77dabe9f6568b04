-- 0004 attachments: files attached to cases (tệp đính kèm).
--
-- Conventions shared with the PostgreSQL tree (same file names, same tables, same
-- columns): ids are 64-bit integers; instants are Unix milliseconds (UTC) in BIGINT
-- columns named *_at; calendar dates are ISO 'YYYY-MM-DD' text; flags are 0/1 integers;
-- *_folded columns hold vntext::fold() of the column before them, for searching
-- without diacritics. Nothing is ever deleted by a user action.
--
-- The bytes are not here: they live in the data folder under files/, named by their
-- SHA-256 (files/ab/cdef…), written once and never changed, also with PostgreSQL. A row
-- says which case a file belongs to, under which name, what it is (sniffed from its
-- content, not from its name), and keeps its text for search. Withdrawing an attachment
-- sets withdrawn_at; the row and the file stay.
CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases (id) DEFERRABLE INITIALLY IMMEDIATE,
    -- The `attach` event of the case's timeline that recorded the upload.
    event_id      INTEGER REFERENCES case_events (id) DEFERRABLE INITIALLY IMMEDIATE,
    sha256        TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    mime          TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    -- Extracted text (plain text, DOCX, XLSX shared strings, PDF text operators), NFC.
    text_content  TEXT NOT NULL DEFAULT '',
    -- Said of text_content when it is approximate (not UTF-8, no text in a PDF).
    encoding_note TEXT,
    uploaded_by   INTEGER NOT NULL REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
    uploaded_at   BIGINT NOT NULL,
    withdrawn_at  BIGINT,
    withdrawn_by  INTEGER REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX attachments_case ON attachments (case_id, id);
-- Which rows share a stored file.
CREATE INDEX attachments_sha256 ON attachments (sha256);
