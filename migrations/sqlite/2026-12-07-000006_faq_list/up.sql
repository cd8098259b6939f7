-- FAQs shown to each user type (domain §3.6, api.md §9), SQLite dialect.

CREATE TABLE faq_list (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_type INTEGER NOT NULL,
    faq_header TEXT NOT NULL,
    faq_text TEXT NOT NULL,
    display_order INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT fk_faq_list_type FOREIGN KEY (user_type) REFERENCES user_type_list (user_type)
);
CREATE INDEX idx_faq_type_order ON faq_list (user_type, display_order);
