-- FAQs shown to each user type (domain §3.6, api.md §9).

CREATE TABLE faq_list (
    id BIGINT NOT NULL AUTO_INCREMENT,
    user_type INT NOT NULL,
    faq_header VARCHAR(500) NOT NULL,
    faq_text TEXT NOT NULL,
    display_order INT NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    KEY idx_faq_type_order (user_type, display_order),
    CONSTRAINT fk_faq_list_type FOREIGN KEY (user_type) REFERENCES user_type_list (user_type)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
