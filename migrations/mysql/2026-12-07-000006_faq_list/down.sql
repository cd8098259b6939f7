DROP TABLE faq_list;
