-- The core schema (domain §3): users, cases, directory, procedure codes, reference data.
-- InnoDB, utf8mb4 with utf8mb4_unicode_ci; identifier and hash columns use utf8mb4_bin so
-- they compare exactly. Timestamps are UTC DATETIME(6) written by the service (no defaults).

CREATE TABLE user_type_list (
    user_type INT NOT NULL,
    user_type_desc VARCHAR(100) NOT NULL,
    user_max_case_status INT NULL,
    PRIMARY KEY (user_type)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE case_status_list (
    case_status SMALLINT NOT NULL,
    case_status_desc VARCHAR(200) NOT NULL,
    PRIMARY KEY (case_status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE user_doc_type_list (
    doc_type VARCHAR(200) NOT NULL,
    doc_prefix VARCHAR(25) NULL,
    PRIMARY KEY (doc_type)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE user_timezones (
    tz_identifier VARCHAR(64) NOT NULL,
    utc_offset VARCHAR(10) NOT NULL,
    PRIMARY KEY (tz_identifier)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE users_and_tiers (
    user_email VARCHAR(250) NOT NULL,
    tier INT NOT NULL,
    first_name VARCHAR(250) NULL,
    PRIMARY KEY (user_email)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE user_profile (
    user_id VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
    user_email VARCHAR(250) NOT NULL,
    first_name VARCHAR(250) NULL,
    last_name VARCHAR(250) NULL,
    addr1 VARCHAR(250) NULL,
    addr2 VARCHAR(250) NULL,
    city VARCHAR(250) NULL,
    state VARCHAR(250) NULL,
    zipcode VARCHAR(250) NULL,
    telephone BIGINT NULL,
    user_npi BIGINT NULL,
    referred_by_user VARCHAR(100) NULL,
    user_type INT NOT NULL DEFAULT 1,
    message_pref SMALLINT NOT NULL DEFAULT 0,
    states_licensed VARCHAR(500) NULL,
    user_tier INT NOT NULL DEFAULT 1,
    max_case_status INT NOT NULL DEFAULT 20,
    timezone VARCHAR(64) NULL,
    credentials VARCHAR(50) NULL,
    ins_exp_date DATE NULL,
    default_pagination_cases INT NULL,
    active BOOLEAN NOT NULL DEFAULT 1,
    create_ts DATETIME(6) NOT NULL,
    last_updated_ts DATETIME(6) NOT NULL,
    last_login_dt DATETIME(6) NULL,
    deleted_ts DATETIME(6) NULL,
    deleted_by VARCHAR(100) COLLATE utf8mb4_bin NULL,
    PRIMARY KEY (user_id),
    KEY idx_active (active, user_type),
    KEY idx_user_email (user_email),
    KEY idx_user_npi (user_npi),
    KEY idx_user_profile_type (user_type),
    CONSTRAINT fk_user_profile_type FOREIGN KEY (user_type) REFERENCES user_type_list (user_type)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE user_documents (
    id BIGINT NOT NULL AUTO_INCREMENT,
    user_id VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
    document_type VARCHAR(200) NOT NULL,
    document_name VARCHAR(250) NOT NULL,
    object_key VARCHAR(1024) COLLATE utf8mb4_bin NOT NULL,
    location VARCHAR(10) NOT NULL DEFAULT 'live',
    size_bytes BIGINT NULL,
    sha256 CHAR(64) COLLATE utf8mb4_bin NULL,
    content_type VARCHAR(100) NULL,
    uploaded_by VARCHAR(100) COLLATE utf8mb4_bin NULL,
    uploaded_ts DATETIME(6) NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_user_documents_user_type (user_id, document_type),
    KEY idx_user_documents_type (document_type),
    CONSTRAINT fk_user_documents_user FOREIGN KEY (user_id) REFERENCES user_profile (user_id),
    CONSTRAINT fk_user_documents_type FOREIGN KEY (document_type) REFERENCES user_doc_type_list (doc_type)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE surgeon_list (
    surgeon_id INT NOT NULL AUTO_INCREMENT,
    user_id VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
    first_name VARCHAR(250) NOT NULL,
    last_name VARCHAR(250) NOT NULL,
    surgeon_npi BIGINT NULL,
    surgeon_addr VARCHAR(100) NULL,
    surgeon_city VARCHAR(50) NULL,
    surgeon_state VARCHAR(50) NULL,
    surgeon_zip VARCHAR(20) NULL,
    created_ts DATETIME(6) NOT NULL,
    PRIMARY KEY (surgeon_id),
    KEY idx_surgeon_owner_name (user_id, last_name, first_name),
    KEY idx_surgeon_owner_npi (user_id, surgeon_npi),
    CONSTRAINT fk_surgeon_list_user FOREIGN KEY (user_id) REFERENCES user_profile (user_id)
) ENGINE = InnoDB AUTO_INCREMENT = 100000 DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE facility_list (
    facility_id BIGINT NOT NULL AUTO_INCREMENT,
    user_id VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
    facility_name VARCHAR(1000) NOT NULL,
    facility_npi BIGINT NULL,
    facility_addr VARCHAR(100) NULL,
    facility_city VARCHAR(50) NULL,
    facility_state VARCHAR(50) NULL,
    facility_zip VARCHAR(20) NULL,
    created_ts DATETIME(6) NOT NULL,
    PRIMARY KEY (facility_id),
    KEY idx_facility_owner_name (user_id, facility_name(191)),
    KEY idx_facility_owner_npi (user_id, facility_npi),
    CONSTRAINT fk_facility_list_user FOREIGN KEY (user_id) REFERENCES user_profile (user_id)
) ENGINE = InnoDB AUTO_INCREMENT = 1000000 DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE cases (
    human_case_id BIGINT NOT NULL AUTO_INCREMENT,
    case_id VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
    user_id VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
    case_date DATE NOT NULL,
    patient_first TEXT NOT NULL,
    patient_last TEXT NOT NULL,
    ins_provider TEXT NOT NULL,
    patient_dob TEXT NULL,
    patient_name_bidx CHAR(64) COLLATE utf8mb4_bin NULL,
    phi_encrypted BOOLEAN NOT NULL DEFAULT 1,
    surgeon_id INT NULL,
    facility_id BIGINT NULL,
    case_status SMALLINT NOT NULL DEFAULT 0,
    demo_file VARCHAR(250) NULL,
    note_file VARCHAR(250) NULL,
    misc_file VARCHAR(250) NULL,
    admin_file VARCHAR(250) NULL,
    pay_amount_cents BIGINT NOT NULL DEFAULT 0,
    pay_category VARCHAR(50) NULL,
    biller_status SMALLINT NOT NULL DEFAULT 0,
    dupe_flag BOOLEAN NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT 1,
    deleted_ts DATETIME(6) NULL,
    deleted_by VARCHAR(100) COLLATE utf8mb4_bin NULL,
    archive_state VARCHAR(10) NULL,
    case_create_ts DATETIME(6) NOT NULL,
    case_updated_ts DATETIME(6) NOT NULL,
    provider_submitted_ts DATETIME(6) NULL,
    billable_flag_ts DATETIME(6) NULL,
    docs_needed_ts DATETIME(6) NULL,
    submitted_ts DATETIME(6) NULL,
    pending_payment_ts DATETIME(6) NULL,
    paid_to_provider_ts DATETIME(6) NULL,
    sent_to_biller_ts DATETIME(6) NULL,
    received_pmnt_ts DATETIME(6) NULL,
    sent_to_negotiation_ts DATETIME(6) NULL,
    settled_ts DATETIME(6) NULL,
    sent_to_idr_ts DATETIME(6) NULL,
    idr_decision_ts DATETIME(6) NULL,
    rejected_ts DATETIME(6) NULL,
    closed_ts DATETIME(6) NULL,
    PRIMARY KEY (human_case_id),
    UNIQUE KEY uq_cases_case_id (case_id),
    KEY idx_owner (user_id, active, case_status),
    KEY idx_status (case_status, active),
    KEY idx_case_date (case_date),
    KEY idx_dupe (user_id, case_date, patient_name_bidx),
    KEY idx_created (active, case_create_ts),
    KEY idx_cases_surgeon (surgeon_id),
    KEY idx_cases_facility (facility_id),
    CONSTRAINT fk_cases_user FOREIGN KEY (user_id) REFERENCES user_profile (user_id),
    CONSTRAINT fk_cases_surgeon FOREIGN KEY (surgeon_id) REFERENCES surgeon_list (surgeon_id),
    CONSTRAINT fk_cases_facility FOREIGN KEY (facility_id) REFERENCES facility_list (facility_id),
    CONSTRAINT fk_cases_status FOREIGN KEY (case_status) REFERENCES case_status_list (case_status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE case_procedure_codes (
    case_id VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
    procedure_code VARCHAR(10) NOT NULL,
    seq SMALLINT NOT NULL,
    procedure_desc VARCHAR(1000) NOT NULL DEFAULT '',
    asst_surg SMALLINT NULL,
    PRIMARY KEY (case_id, procedure_code),
    KEY idx_case_codes_code (procedure_code),
    CONSTRAINT fk_case_codes_case FOREIGN KEY (case_id) REFERENCES cases (case_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE case_documents (
    case_id VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
    document_type VARCHAR(20) NOT NULL,
    document_name VARCHAR(250) NOT NULL,
    object_key VARCHAR(1024) COLLATE utf8mb4_bin NOT NULL,
    location VARCHAR(10) NOT NULL DEFAULT 'live',
    size_bytes BIGINT NULL,
    sha256 CHAR(64) COLLATE utf8mb4_bin NULL,
    content_type VARCHAR(100) NULL,
    uploaded_by VARCHAR(100) COLLATE utf8mb4_bin NULL,
    uploaded_ts DATETIME(6) NULL,
    PRIMARY KEY (case_id, document_type),
    CONSTRAINT fk_case_documents_case FOREIGN KEY (case_id) REFERENCES cases (case_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- job_run_id refers to job_runs, which a later migration creates; the key is added there.
CREATE TABLE case_status_history (
    id BIGINT NOT NULL AUTO_INCREMENT,
    case_id VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
    from_status SMALLINT NULL,
    to_status SMALLINT NOT NULL,
    changed_ts DATETIME(6) NOT NULL,
    actor_type VARCHAR(10) NOT NULL,
    actor_id VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
    source VARCHAR(10) NOT NULL,
    rule_name VARCHAR(64) NULL,
    rule_set_id BIGINT NULL,
    reason VARCHAR(500) NULL,
    request_id VARCHAR(64) COLLATE utf8mb4_bin NULL,
    job_run_id BIGINT NULL,
    PRIMARY KEY (id),
    KEY idx_history_case (case_id, id),
    KEY idx_history_changed (changed_ts),
    CONSTRAINT fk_history_case FOREIGN KEY (case_id) REFERENCES cases (case_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE search_surgeon_all (
    npi BIGINT NOT NULL,
    first_name VARCHAR(50) NULL,
    last_name VARCHAR(50) NULL,
    address VARCHAR(55) NULL,
    city VARCHAR(40) NULL,
    state VARCHAR(40) NULL,
    zip VARCHAR(20) NULL,
    PRIMARY KEY (npi),
    KEY idx_search_surgeon_name (last_name, first_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE search_facility_all (
    npi BIGINT NOT NULL,
    facility_name VARCHAR(100) NULL,
    address VARCHAR(55) NULL,
    city VARCHAR(40) NULL,
    state VARCHAR(40) NULL,
    zip VARCHAR(20) NULL,
    PRIMARY KEY (npi),
    KEY idx_search_facility_name (facility_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE procedure_codes (
    procedure_code VARCHAR(10) NOT NULL,
    procedure_desc VARCHAR(1000) NOT NULL DEFAULT '',
    code_category VARCHAR(50) NULL,
    code_status VARCHAR(20) NULL,
    asst_surg SMALLINT NULL,
    PRIMARY KEY (procedure_code),
    KEY idx_procedure_codes_category (code_category)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE procedure_code_buckets2 (
    code_bucket VARCHAR(50) NOT NULL,
    tier INT NOT NULL,
    pay_amount_cents BIGINT NOT NULL,
    PRIMARY KEY (code_bucket, tier)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE procedure_code_auto_fix (
    entered_code VARCHAR(20) NOT NULL,
    fixed_code VARCHAR(10) NOT NULL,
    reason VARCHAR(250) NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_date DATETIME(6) NOT NULL,
    created_by VARCHAR(100) COLLATE utf8mb4_bin NULL,
    PRIMARY KEY (entered_code)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE status_rule_sets (
    id BIGINT NOT NULL AUTO_INCREMENT,
    name VARCHAR(100) NOT NULL,
    format INT NOT NULL,
    source_toml MEDIUMTEXT NOT NULL,
    sha256 CHAR(64) COLLATE utf8mb4_bin NOT NULL,
    created_ts DATETIME(6) NOT NULL,
    created_by VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
