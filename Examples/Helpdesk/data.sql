-- A small, fixed helpdesk in Chatwoot's shape, with the traps real data holds:
-- * two accounts (tenants): account 2 is another controller's and has a contact with Amel's
--   email written in capitals (contacts 1 and 5);
-- * Karim's number is only in his contact's custom_attributes (jsonb), never in phone_number;
-- * Sami and Leila Trabelsi share their household landline (+216 71 000 000, written two ways);
-- * agent (user) 1 has the same id as contact 1, and writes messages in Karim's conversation;
-- * ActiveStorage attachments use record_type/record_id for contacts, users and message
--   attachments: contact 1's avatar and user 1's avatar both have record_id 1;
-- * Karim's message carries an attachment whose blob file sits beside Amel's on disk.
INSERT INTO accounts (id, name, created_at, updated_at, support_email) VALUES
  (1, 'Atlas Contact', '2025-01-06 08:00:00', '2025-01-06 08:00:00', 'support@atlas-contact.example'),
  (2, 'Autre Marque SARL', '2025-02-01 08:00:00', '2025-02-01 08:00:00', 'aide@autre-marque.example');
INSERT INTO users (id, uid, name, display_name, email, created_at, updated_at, type) VALUES
  (1, 'nadia@atlas-contact.example', 'Nadia Hamdi', 'Nadia', 'nadia@atlas-contact.example', '2025-01-06 08:00:00', '2025-01-06 08:00:00', NULL),
  (2, 'youssef@atlas-contact.example', 'Youssef Gharbi', 'Youssef', 'youssef@atlas-contact.example', '2025-01-06 08:00:00', '2025-01-06 08:00:00', NULL);
INSERT INTO inboxes (id, channel_id, account_id, name, created_at, updated_at, channel_type) VALUES
  (1, 1, 1, 'Site web', '2025-01-06 08:00:00', '2025-01-06 08:00:00', 'Channel::WebWidget'),
  (2, 1, 1, 'WhatsApp', '2025-01-06 08:00:00', '2025-01-06 08:00:00', 'Channel::Whatsapp'),
  (3, 1, 2, 'Email', '2025-02-01 08:00:00', '2025-02-01 08:00:00', 'Channel::Email');
INSERT INTO contacts (id, name, email, phone_number, account_id, created_at, updated_at, additional_attributes, custom_attributes,
                      last_name, location, country_code) VALUES
  (1, 'Amel', 'amel.benali@example.tn', '+21698123456', 1, '2026-02-02 09:00:00', '2026-03-02 09:15:00',
   '{"city": "Tunis", "country": "Tunisia", "browser": {"browser_name": "Firefox"}}', '{"plan": "premium"}', 'Ben Ali', 'Tunis', 'TN'),
  (2, 'Karim', NULL, NULL, 1, '2026-02-10 10:00:00', '2026-03-06 11:00:00',
   '{"city": "Lyon"}', '{"mobile": "06 12 34 56 78", "plan": "basic"}', 'Bouzid', 'Lyon', 'FR'),
  (3, 'Sami', 'sami.trabelsi@example.tn', '+21671000000', 1, '2026-02-12 14:00:00', '2026-03-07 16:00:00',
   '{}', '{}', 'Trabelsi', 'Sfax', 'TN'),
  (4, 'Leila', 'leila.trabelsi@example.tn', '71 000 000', 1, '2026-02-13 15:00:00', '2026-03-08 10:00:00',
   '{}', '{}', 'Trabelsi', 'Sfax', 'TN'),
  (5, 'Amel B.', 'AMEL.BENALI@example.tn', NULL, 2, '2026-02-20 12:00:00', '2026-02-20 12:00:00', '{}', '{}', '', '', '');
INSERT INTO contact_inboxes (id, contact_id, inbox_id, source_id, created_at, updated_at, pubsub_token) VALUES
  (1, 1, 1, '6f1d2c3b-0a9e-4f8d-8c7b-6a5e4d3c2b1a', '2026-02-02 09:00:00', '2026-02-02 09:00:00', 'pst-amel-web'),
  (2, 1, 2, '21698123456', '2026-02-03 09:00:00', '2026-02-03 09:00:00', 'pst-amel-wa'),
  (3, 2, 2, '33612345678', '2026-02-10 10:00:00', '2026-02-10 10:00:00', 'pst-karim-wa'),
  (4, 3, 1, '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9', '2026-02-12 14:00:00', '2026-02-12 14:00:00', 'pst-sami-web'),
  (5, 4, 1, '9e8d7c6b-5a49-4382-9170-f6e5d4c3b2a1', '2026-02-13 15:00:00', '2026-02-13 15:00:00', 'pst-leila-web'),
  (6, 5, 3, 'AMEL.BENALI@example.tn', '2026-02-20 12:00:00', '2026-02-20 12:00:00', 'pst-other-mail');
INSERT INTO conversations (id, account_id, inbox_id, status, assignee_id, created_at, updated_at, contact_id, display_id,
                           contact_inbox_id, uuid) VALUES
  (10, 1, 1, 1, 1, '2026-03-02 09:00:00', '2026-03-02 09:20:00', 1, 1, 1, '0c0f6a3e-4a7d-4c44-9a39-1d3e0c6f0a10'),
  (11, 1, 2, 0, 2, '2026-03-04 18:00:00', '2026-03-04 18:05:00', 1, 2, 2, '0c0f6a3e-4a7d-4c44-9a39-1d3e0c6f0a11'),
  (12, 1, 2, 1, 1, '2026-03-06 11:00:00', '2026-03-06 11:30:00', 2, 3, 3, '0c0f6a3e-4a7d-4c44-9a39-1d3e0c6f0a12'),
  (13, 1, 1, 1, 1, '2026-03-07 16:00:00', '2026-03-07 16:10:00', 3, 4, 4, '0c0f6a3e-4a7d-4c44-9a39-1d3e0c6f0a13'),
  (14, 1, 1, 0, 2, '2026-03-08 10:00:00', '2026-03-08 10:02:00', 4, 5, 5, '0c0f6a3e-4a7d-4c44-9a39-1d3e0c6f0a14'),
  (15, 2, 3, 0, NULL, '2026-02-20 12:00:00', '2026-02-20 12:00:00', 5, 1, 6, '0c0f6a3e-4a7d-4c44-9a39-1d3e0c6f0a15');
INSERT INTO messages (id, content, account_id, inbox_id, conversation_id, message_type, created_at, updated_at, private,
                      content_type, sender_type, sender_id) VALUES
  (100, 'Bonjour, ma facture de février est fausse.', 1, 1, 10, 0, '2026-03-02 09:00:00', '2026-03-02 09:00:00', false, 0, 'Contact', 1),
  (101, 'Bonjour Amel, je regarde votre facture.', 1, 1, 10, 1, '2026-03-02 09:05:00', '2026-03-02 09:05:00', false, 0, 'User', 1),
  (102, 'Voici la photo du compteur.', 1, 2, 11, 0, '2026-03-04 18:00:00', '2026-03-04 18:00:00', false, 0, 'Contact', 1),
  (103, 'Ci-joint mon contrat.', 1, 2, 12, 0, '2026-03-06 11:00:00', '2026-03-06 11:00:00', false, 0, 'Contact', 2),
  (104, 'Merci Karim, contrat bien reçu.', 1, 2, 12, 1, '2026-03-06 11:10:00', '2026-03-06 11:10:00', false, 0, 'User', 1),
  (105, 'Notre ligne fixe ne marche plus.', 1, 1, 13, 0, '2026-03-07 16:00:00', '2026-03-07 16:00:00', false, 0, 'Contact', 3),
  (106, 'Je voudrais changer d''offre.', 1, 1, 14, 0, '2026-03-08 10:00:00', '2026-03-08 10:00:00', false, 0, 'Contact', 4),
  (107, 'Hello, where is my order?', 2, 3, 15, 0, '2026-02-20 12:00:00', '2026-02-20 12:00:00', false, 0, 'Contact', 5),
  (108, 'Client premium, geste commercial accordé.', 1, 1, 10, 1, '2026-03-02 09:20:00', '2026-03-02 09:20:00', true, 0, 'User', 2);
INSERT INTO attachments (id, file_type, message_id, account_id, created_at, updated_at, extension) VALUES
  (200, 0, 102, 1, '2026-03-04 18:00:00', '2026-03-04 18:00:00', 'jpg'),
  (201, 3, 103, 1, '2026-03-06 11:00:00', '2026-03-06 11:00:00', 'pdf'),
  (202, 3, 107, 2, '2026-02-20 12:00:00', '2026-02-20 12:00:00', 'pdf');
INSERT INTO notes (id, content, account_id, contact_id, user_id, created_at, updated_at) VALUES
  (1, 'Préfère être contactée sur WhatsApp.', 1, 1, 1, '2026-03-02 09:25:00', '2026-03-02 09:25:00'),
  (2, 'Contrat signé le 6 mars.', 1, 2, 1, '2026-03-06 11:30:00', '2026-03-06 11:30:00'),
  (3, 'VIP', 2, 5, NULL, '2026-02-20 12:00:00', '2026-02-20 12:00:00');
INSERT INTO active_storage_blobs (id, key, filename, content_type, metadata, byte_size, checksum, created_at, service_name) VALUES
  (1000, 'q3x8m1zk7d0v5hgt2wyr9cbn4e6a', 'amel.png', 'image/png', '{"identified":true}', 64, 'x', '2026-02-02 09:00:00', 'local'),
  (1001, 'a7k2p9w4c1m8x3z6v0b5n2q7r4t9', 'nadia.png', 'image/png', '{"identified":true}', 64, 'x', '2025-01-06 08:00:00', 'local'),
  (1002, 'q3x8y2hb6n1c4v7m0z9k5d3f8g2j', 'compteur.jpg', 'image/jpeg', '{"identified":true}', 64, 'x', '2026-03-04 18:00:00', 'local'),
  (1003, 'q3x8t1r8e3w6q0y9u4i7o2p5a8s1', 'contrat.pdf', 'application/pdf', '{"identified":true}', 64, 'x', '2026-03-06 11:00:00', 'local'),
  (1004, 'z0x9c8v7b6n5m4l3k2j1h0g9f8d7', 'order.pdf', 'application/pdf', '{"identified":true}', 64, 'x', '2026-02-20 12:00:00', 'local'),
  (1005, 'g4h5j6k7l8z9x0c1v2b3n4m5q6w7', 'leila.png', 'image/png', '{"identified":true}', 64, 'x', '2026-02-13 15:00:00', 'local');
INSERT INTO active_storage_attachments (id, name, record_type, record_id, blob_id, created_at) VALUES
  (1, 'avatar', 'Contact', 1, 1000, '2026-02-02 09:00:00'),
  (2, 'avatar', 'User', 1, 1001, '2025-01-06 08:00:00'),
  (3, 'file', 'Attachment', 200, 1002, '2026-03-04 18:00:00'),
  (4, 'file', 'Attachment', 201, 1003, '2026-03-06 11:00:00'),
  (5, 'file', 'Attachment', 202, 1004, '2026-02-20 12:00:00'),
  (6, 'avatar', 'Contact', 4, 1005, '2026-02-13 15:00:00');
