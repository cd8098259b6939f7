-- The core schema (domain §3), SQLite dialect: TEXT for strings and dates (YYYY-MM-DD),
-- INTEGER for integers and booleans, TIMESTAMP (text with microseconds, UTC) for times.
-- Lengths are enforced by the service. Index names are unique per database here.

CREATE TABLE user_type_list (
    user_type INTEGER NOT NULL PRIMARY KEY,
    user_type_desc TEXT NOT NULL,
    user_max_case_status INTEGER NULL
);

CREATE TABLE case_status_list (
    case_status INTEGER NOT NULL PRIMARY KEY,
    case_status_desc TEXT NOT NULL
);

CREATE TABLE user_doc_type_list (
    doc_type TEXT NOT NULL PRIMARY KEY,
    doc_prefix TEXT NULL
);

CREATE TABLE user_timezones (
    tz_identifier TEXT NOT NULL PRIMARY KEY,
    utc_offset TEXT NOT NULL
);

-- E-mails compare case-insensitively, as under MySQL's utf8mb4_unicode_ci.
CREATE TABLE users_and_tiers (
    user_email TEXT NOT NULL COLLATE NOCASE PRIMARY KEY,
    tier INTEGER NOT NULL,
    first_name TEXT NULL
);

CREATE TABLE user_profile (
    user_id TEXT NOT NULL PRIMARY KEY,
    user_email TEXT NOT NULL,
    first_name TEXT NULL,
    last_name TEXT NULL,
    addr1 TEXT NULL,
    addr2 TEXT NULL,
    city TEXT NULL,
    state TEXT NULL,
    zipcode TEXT NULL,
    telephone INTEGER NULL,
    user_npi INTEGER NULL,
    referred_by_user TEXT NULL,
    user_type INTEGER NOT NULL DEFAULT 1,
    message_pref INTEGER NOT NULL DEFAULT 0,
    states_licensed TEXT NULL,
    user_tier INTEGER NOT NULL DEFAULT 1,
    max_case_status INTEGER NOT NULL DEFAULT 20,
    timezone TEXT NULL,
    credentials TEXT NULL,
    ins_exp_date TEXT NULL,
    default_pagination_cases INTEGER NULL,
    active INTEGER NOT NULL DEFAULT 1,
    create_ts TIMESTAMP NOT NULL,
    last_updated_ts TIMESTAMP NOT NULL,
    last_login_dt TIMESTAMP NULL,
    deleted_ts TIMESTAMP NULL,
    deleted_by TEXT NULL,
    CONSTRAINT fk_user_profile_type FOREIGN KEY (user_type) REFERENCES user_type_list (user_type)
);
CREATE INDEX idx_active ON user_profile (active, user_type);
CREATE INDEX idx_user_email ON user_profile (user_email);
CREATE INDEX idx_user_npi ON user_profile (user_npi);
CREATE INDEX idx_user_profile_type ON user_profile (user_type);

CREATE TABLE user_documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    document_type TEXT NOT NULL,
    document_name TEXT NOT NULL,
    object_key TEXT NOT NULL,
    location TEXT NOT NULL DEFAULT 'live',
    size_bytes INTEGER NULL,
    sha256 TEXT NULL,
    content_type TEXT NULL,
    uploaded_by TEXT NULL,
    uploaded_ts TIMESTAMP NULL,
    CONSTRAINT uq_user_documents_user_type UNIQUE (user_id, document_type),
    CONSTRAINT fk_user_documents_user FOREIGN KEY (user_id) REFERENCES user_profile (user_id),
    CONSTRAINT fk_user_documents_type FOREIGN KEY (document_type) REFERENCES user_doc_type_list (doc_type)
);
CREATE INDEX idx_user_documents_type ON user_documents (document_type);

CREATE TABLE surgeon_list (
    surgeon_id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    surgeon_npi INTEGER NULL,
    surgeon_addr TEXT NULL,
    surgeon_city TEXT NULL,
    surgeon_state TEXT NULL,
    surgeon_zip TEXT NULL,
    created_ts TIMESTAMP NOT NULL,
    CONSTRAINT fk_surgeon_list_user FOREIGN KEY (user_id) REFERENCES user_profile (user_id)
);
CREATE INDEX idx_surgeon_owner_name ON surgeon_list (user_id, last_name, first_name);
CREATE INDEX idx_surgeon_owner_npi ON surgeon_list (user_id, surgeon_npi);

CREATE TABLE facility_list (
    facility_id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    facility_name TEXT NOT NULL,
    facility_npi INTEGER NULL,
    facility_addr TEXT NULL,
    facility_city TEXT NULL,
    facility_state TEXT NULL,
    facility_zip TEXT NULL,
    created_ts TIMESTAMP NOT NULL,
    CONSTRAINT fk_facility_list_user FOREIGN KEY (user_id) REFERENCES user_profile (user_id)
);
CREATE INDEX idx_facility_owner_name ON facility_list (user_id, facility_name);
CREATE INDEX idx_facility_owner_npi ON facility_list (user_id, facility_npi);

-- First ids as on MySQL: surgeon 100000, facility 1000000.
INSERT INTO sqlite_sequence (name, seq) VALUES ('surgeon_list', 99999), ('facility_list', 999999);

CREATE TABLE cases (
    human_case_id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    case_date TEXT NOT NULL,
    patient_first TEXT NOT NULL,
    patient_last TEXT NOT NULL,
    ins_provider TEXT NOT NULL,
    patient_dob TEXT NULL,
    patient_name_bidx TEXT NULL,
    phi_encrypted INTEGER NOT NULL DEFAULT 1,
    surgeon_id INTEGER NULL,
    facility_id INTEGER NULL,
    case_status INTEGER NOT NULL DEFAULT 0,
    demo_file TEXT NULL,
    note_file TEXT NULL,
    misc_file TEXT NULL,
    admin_file TEXT NULL,
    pay_amount_cents INTEGER NOT NULL DEFAULT 0,
    pay_category TEXT NULL,
    biller_status INTEGER NOT NULL DEFAULT 0,
    dupe_flag INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    deleted_ts TIMESTAMP NULL,
    deleted_by TEXT NULL,
    archive_state TEXT NULL,
    case_create_ts TIMESTAMP NOT NULL,
    case_updated_ts TIMESTAMP NOT NULL,
    provider_submitted_ts TIMESTAMP NULL,
    billable_flag_ts TIMESTAMP NULL,
    docs_needed_ts TIMESTAMP NULL,
    submitted_ts TIMESTAMP NULL,
    pending_payment_ts TIMESTAMP NULL,
    paid_to_provider_ts TIMESTAMP NULL,
    sent_to_biller_ts TIMESTAMP NULL,
    received_pmnt_ts TIMESTAMP NULL,
    sent_to_negotiation_ts TIMESTAMP NULL,
    settled_ts TIMESTAMP NULL,
    sent_to_idr_ts TIMESTAMP NULL,
    idr_decision_ts TIMESTAMP NULL,
    rejected_ts TIMESTAMP NULL,
    closed_ts TIMESTAMP NULL,
    CONSTRAINT uq_cases_case_id UNIQUE (case_id),
    CONSTRAINT fk_cases_user FOREIGN KEY (user_id) REFERENCES user_profile (user_id),
    CONSTRAINT fk_cases_surgeon FOREIGN KEY (surgeon_id) REFERENCES surgeon_list (surgeon_id),
    CONSTRAINT fk_cases_facility FOREIGN KEY (facility_id) REFERENCES facility_list (facility_id),
    CONSTRAINT fk_cases_status FOREIGN KEY (case_status) REFERENCES case_status_list (case_status)
);
CREATE INDEX idx_owner ON cases (user_id, active, case_status);
CREATE INDEX idx_status ON cases (case_status, active);
CREATE INDEX idx_case_date ON cases (case_date);
CREATE INDEX idx_dupe ON cases (user_id, case_date, patient_name_bidx);
CREATE INDEX idx_created ON cases (active, case_create_ts);
CREATE INDEX idx_cases_surgeon ON cases (surgeon_id);
CREATE INDEX idx_cases_facility ON cases (facility_id);

CREATE TABLE case_procedure_codes (
    case_id TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    seq INTEGER NOT NULL,
    procedure_desc TEXT NOT NULL DEFAULT '',
    asst_surg INTEGER NULL,
    PRIMARY KEY (case_id, procedure_code),
    CONSTRAINT fk_case_codes_case FOREIGN KEY (case_id) REFERENCES cases (case_id)
);
CREATE INDEX idx_case_codes_code ON case_procedure_codes (procedure_code);

CREATE TABLE case_documents (
    case_id TEXT NOT NULL,
    document_type TEXT NOT NULL,
    document_name TEXT NOT NULL,
    object_key TEXT NOT NULL,
    location TEXT NOT NULL DEFAULT 'live',
    size_bytes INTEGER NULL,
    sha256 TEXT NULL,
    content_type TEXT NULL,
    uploaded_by TEXT NULL,
    uploaded_ts TIMESTAMP NULL,
    PRIMARY KEY (case_id, document_type),
    CONSTRAINT fk_case_documents_case FOREIGN KEY (case_id) REFERENCES cases (case_id)
);

-- job_run_id refers to job_runs, which a later migration creates.
CREATE TABLE case_status_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id TEXT NOT NULL,
    from_status INTEGER NULL,
    to_status INTEGER NOT NULL,
    changed_ts TIMESTAMP NOT NULL,
    actor_type TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    source TEXT NOT NULL,
    rule_name TEXT NULL,
    rule_set_id INTEGER NULL,
    reason TEXT NULL,
    request_id TEXT NULL,
    job_run_id INTEGER NULL,
    CONSTRAINT fk_history_case FOREIGN KEY (case_id) REFERENCES cases (case_id)
);
CREATE INDEX idx_history_case ON case_status_history (case_id, id);
CREATE INDEX idx_history_changed ON case_status_history (changed_ts);

CREATE TABLE search_surgeon_all (
    npi INTEGER NOT NULL PRIMARY KEY,
    first_name TEXT NULL,
    last_name TEXT NULL,
    address TEXT NULL,
    city TEXT NULL,
    state TEXT NULL,
    zip TEXT NULL
);
-- NOCASE so that SQLite can use the index for case-insensitive LIKE prefix searches.
CREATE INDEX idx_search_surgeon_name ON search_surgeon_all (last_name COLLATE NOCASE, first_name COLLATE NOCASE);

CREATE TABLE search_facility_all (
    npi INTEGER NOT NULL PRIMARY KEY,
    facility_name TEXT NULL,
    address TEXT NULL,
    city TEXT NULL,
    state TEXT NULL,
    zip TEXT NULL
);
CREATE INDEX idx_search_facility_name ON search_facility_all (facility_name COLLATE NOCASE);

CREATE TABLE procedure_codes (
    procedure_code TEXT NOT NULL PRIMARY KEY,
    procedure_desc TEXT NOT NULL DEFAULT '',
    code_category TEXT NULL,
    code_status TEXT NULL,
    asst_surg INTEGER NULL
);
CREATE INDEX idx_procedure_codes_category ON procedure_codes (code_category);

CREATE TABLE procedure_code_buckets2 (
    code_bucket TEXT NOT NULL,
    tier INTEGER NOT NULL,
    pay_amount_cents INTEGER NOT NULL,
    PRIMARY KEY (code_bucket, tier)
);

CREATE TABLE procedure_code_auto_fix (
    entered_code TEXT NOT NULL PRIMARY KEY,
    fixed_code TEXT NOT NULL,
    reason TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_date TIMESTAMP NOT NULL,
    created_by TEXT NULL
);

CREATE TABLE status_rule_sets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    format INTEGER NOT NULL,
    source_toml TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_ts TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL
);
