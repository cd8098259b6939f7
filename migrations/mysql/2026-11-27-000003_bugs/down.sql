DROP TABLE request_logs;
DROP TABLE bugs;
