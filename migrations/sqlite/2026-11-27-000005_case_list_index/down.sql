DROP INDEX idx_owner_created;
