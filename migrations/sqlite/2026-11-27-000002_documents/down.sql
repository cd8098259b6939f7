DROP INDEX idx_cases_archive_state;
DROP TABLE document_moves;
DROP TABLE document_uploads;
